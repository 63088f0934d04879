import { describe, expect, it } from "vitest";
import { REG } from "../../devices/virtio/mmio.js";
import { VirtioRng } from "../../devices/virtio/rng.js";
import { TestDriver } from "./virtio-driver.js";

describe("virtio-rng", () => {
  it("fills device-writable buffers with random bytes (pieces above 64 KiB too)", () => {
    const d = new TestDriver(new VirtioRng());
    expect(d.r(REG.DeviceID)).toBe(4);
    expect(d.init()).not.toBeNull();
    expect(d.qsize).toBe(8);
    const a = d.alloc(100_000);
    const b = d.alloc(37);
    const head = d.chain([{ addr: a, len: 100_000, write: true }, { addr: b, len: 37, write: true }]);
    d.publish(head);
    d.notify();
    expect(d.takeUsed()).toEqual([{ id: head, len: 100_037 }]);
    expect(d.irq.level()).toBe(true);
    const bytes = d.mem(a, 100_000);
    // random: every byte value shows up, and no long run of zeros
    expect(new Set(bytes).size).toBe(256);
    for (const off of [0, 65_530, 65_536, 99_990]) expect(bytes.subarray(off, off + 8).some((x) => x !== 0)).toBe(true);
    expect(d.mem(b, 37).some((x) => x !== 0)).toBe(true);
    expect(d.logs).toEqual([]);
    expect(d.guardsIntact()).toBe(true);
  });

  it("serves several requests per notify", () => {
    const d = new TestDriver(new VirtioRng());
    d.init();
    const heads = [16, 32, 64].map((n) => {
      const h = d.chain([{ addr: d.alloc(n), len: n, write: true }]);
      d.publish(h);
      return h;
    });
    d.notify();
    expect(d.takeUsed()).toEqual(heads.map((id, i) => ({ id, len: [16, 32, 64][i] })));
  });
});
