import { describe, expect, it } from "vitest";
import { VirtioConsole, VIRTIO_CONSOLE_F_EMERG_WRITE, VIRTIO_CONSOLE_F_SIZE } from "../../devices/virtio/console.js";
import { REG } from "../../devices/virtio/mmio.js";
import { INT_CONFIG_CHANGE, INT_USED_BUFFER, MultiQueueDriver } from "./virtio-console-driver.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const RX = 0;
const TX = 1;

function setup(opts: ConstructorParameters<typeof VirtioConsole>[0] = {}) {
  const out: Uint8Array[] = [];
  const con = new VirtioConsole({ onOutput: (b) => out.push(b), ...opts });
  const d = new MultiQueueDriver(con);
  con.attach(d.dev);
  return { con, d, out, text: () => dec.decode(Buffer.concat(out)) };
}

/** Post n receive buffers of len bytes each (one descriptor per buffer, as Linux does). */
function postReceive(d: MultiQueueDriver, n: number, len: number, notify = true): number[] {
  const addrs = Array.from({ length: n }, () => {
    const addr = d.alloc(len);
    d.offer(RX, [{ addr, len, write: true }]);
    return addr;
  });
  if (notify) d.notify(RX);
  return addrs;
}

function received(d: MultiQueueDriver, addrs: number[]): string {
  const used = d.takeUsed(RX);
  return used.map((u, i) => dec.decode(d.mem(addrs[i], u.len))).join("");
}

describe("virtio-console", () => {
  it("is device 3 with one port: two queues, emergency write, and a size when given", () => {
    const { d, con } = setup();
    expect(d.r(REG.DeviceID)).toBe(3);
    expect(con.features).toBe(VIRTIO_CONSOLE_F_EMERG_WRITE);
    d.init();
    expect(d.queueCount).toBe(2);
    expect(d.dev.read(REG.Config + 4, 4)).toBe(1);
    const sized = setup({ size: { cols: 132, rows: 43 } });
    expect(sized.con.features & VIRTIO_CONSOLE_F_SIZE).toBe(VIRTIO_CONSOLE_F_SIZE);
    expect(sized.d.dev.read(REG.Config, 2)).toBe(132);
    expect(sized.d.dev.read(REG.Config + 2, 2)).toBe(43);
    expect(() => setup({ size: { cols: 0, rows: 10 } })).toThrow(/terminal size/);
  });

  it("passes guest output to the host, one copy per chain, and interrupts", () => {
    const { d, out, text } = setup();
    d.init();
    const a = d.alloc(16);
    const b = d.alloc(16);
    d.mem(a, 6).set(enc.encode("hello "));
    d.mem(b, 6).set(enc.encode("world\n"));
    const head = d.offer(TX, [{ addr: a, len: 6 }, { addr: b, len: 6 }]);
    d.notify(TX);
    expect(text()).toBe("hello world\n");
    expect(out.length).toBe(1);
    expect(d.takeUsed(TX)).toEqual([{ id: head, len: 0 }]);
    expect(d.ackInterrupt() & INT_USED_BUFFER).toBe(INT_USED_BUFFER);
    d.mem(a, 6).fill(0); // the host's copy is its own
    expect(text()).toBe("hello world\n");
  });

  it("holds host input until the guest posts buffers, then delivers all of it in order", () => {
    const { con, d } = setup();
    con.write(enc.encode("typed before boot;"));
    d.init();
    con.write(enc.encode(" and while no buffers were posted"));
    expect(con.pendingBytes).toBe(51);
    const addrs = postReceive(d, 3, 16);
    expect(received(d, addrs)).toBe("typed before boot; and while no buffers were pos");
    expect(con.pendingBytes).toBe(3);
    expect(received(d, postReceive(d, 1, 16))).toBe("ted");
    expect(con.pendingBytes).toBe(0);
  });

  it("delivers large input across many small buffers, losing nothing", () => {
    const { con, d } = setup();
    d.init();
    const data = Uint8Array.from({ length: 9600 }, (_, i) => 0x20 + (i % 90));
    con.write(data.subarray(0, 5000));
    con.write(data.subarray(5000));
    let got = "";
    for (let round = 0; round < 4; round++) {
      const addrs = postReceive(d, 8, 300); // exactly enough, over four rounds
      got += received(d, addrs);
    }
    expect(got.length).toBe(9600);
    expect(got).toBe(dec.decode(data));
    expect(con.pendingBytes).toBe(0);
    // Buffers posted with nothing to say stay with the device until there is.
    const idle = postReceive(d, 2, 64);
    expect(d.takeUsed(RX)).toEqual([]);
    d.ackInterrupt();
    con.write(enc.encode("late"));
    expect(d.irq.level()).toBe(true); // delivered at once through the attached transport
    const used = d.takeUsed(RX);
    expect(used.length).toBe(1);
    expect(dec.decode(d.mem(idle[0], used[0].len))).toBe("late");
  });

  it("echoes: the host may answer from inside its output callback", () => {
    const { con, d } = setup();
    con.onOutput = (b) => con.write(b.map((x) => (x >= 0x61 && x <= 0x7a ? x - 32 : x)));
    d.init();
    const addrs = postReceive(d, 2, 64);
    const a = d.alloc(8);
    d.mem(a, 5).set(enc.encode("ping\n"));
    d.offer(TX, [{ addr: a, len: 5 }]);
    d.notify(TX);
    expect(received(d, addrs)).toBe("PING\n");
  });

  it("keeps undelivered input across a driver reset and a snapshot", () => {
    const { con, d } = setup();
    d.init();
    con.write(enc.encode("0123456789"));
    const first = postReceive(d, 1, 4);
    expect(received(d, first)).toBe("0123");
    d.w(REG.Status, 0); // the driver goes away
    const saved = JSON.parse(JSON.stringify(con.saveState()));
    const { con: con2, d: d2 } = setup();
    con2.loadState(saved);
    expect(con2.pendingBytes).toBe(6);
    d2.init();
    expect(received(d2, postReceive(d2, 1, 64))).toBe("456789");
    d.init();
    expect(received(d, postReceive(d, 1, 64))).toBe("456789"); // the original kept it too
    expect(() => con.loadState({ cols: 0, rows: 0, pending: [[300]] })).toThrow(/pending/);
  });

  it("outputs bytes written to emerg_wr, and announces size changes", () => {
    const { con, d, text } = setup({ size: { cols: 80, rows: 24 } });
    d.init();
    d.dev.write(REG.Config + 8, 4, 0x21);
    d.dev.write(REG.Config + 8, 1, 0x0a);
    expect(text()).toBe("!\n");
    d.ackInterrupt();
    con.resize(100, 30);
    expect(d.ackInterrupt() & INT_CONFIG_CHANGE).toBe(INT_CONFIG_CHANGE);
    expect(d.dev.read(REG.Config, 2)).toBe(100);
    expect(d.dev.read(REG.Config + 2, 2)).toBe(30);
    expect(() => setup().con.resize(1, 1)).toThrow(/without a terminal size/);
    expect(d.guardsIntact()).toBe(true);
    expect(d.logs).toEqual([]);
  });

  it("treats a transmit chain over 1 MiB as a driver error instead of copying it", () => {
    const { d, text } = setup();
    d.init();
    const a = d.alloc(16);
    d.mem(a, 2).set(enc.encode("ok"));
    d.offer(TX, [{ addr: a, len: 2 }]);
    const big = d.alloc(600 * 1024);
    d.offer(TX, [{ addr: big, len: 600 * 1024 }, { addr: big, len: 600 * 1024 }]);
    d.notify(TX);
    expect(text()).toBe("ok");
    expect(d.r(REG.Status) & 0x40).toBe(0x40); // DEVICE_NEEDS_RESET
    expect(d.logs.join()).toMatch(/transmit chain of 1228800 bytes/);
  });
});
