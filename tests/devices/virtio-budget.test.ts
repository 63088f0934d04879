// Device work per host step is bounded (devices/virtio/budget.ts): a notify does at most
// what is left of the step's budget, the rest waits as plain data on the queue for
// continueDeferred(), and a request in progress survives saveState/loadState.
import { describe, expect, it } from "vitest";
import { REG, STATUS_DEVICE_NEEDS_RESET, VIRTIO_F_EVENT_IDX, VIRTIO_F_INDIRECT_DESC, VIRTIO_F_VERSION_1, INT_USED_BUFFER } from "../../devices/virtio/mmio.js";
import { VirtioBlk, VIRTIO_BLK_S_OK, VIRTIO_BLK_T_FLUSH, VIRTIO_BLK_T_IN, VIRTIO_BLK_T_OUT } from "../../devices/virtio/blk.js";
import { VirtioRng } from "../../devices/virtio/rng.js";
import { MemoryBlockBackend } from "../../devices/virtio/block-backend.js";
import { MAX_CHAIN } from "../../devices/virtio/queue.js";
import { STEP_BYTES, STEP_DESCRIPTORS } from "../../devices/virtio/budget.js";
import type { VirtioDeviceModel } from "../../devices/virtio/mmio.js";
import { bytesEqual } from "./helpers.js";
import { DESC_F_NEXT, RAM_BASE, TestDriver, type Buf } from "./virtio-driver.js";

const MiB = 2 ** 20;
const DISK_BYTES = 4 * MiB;

function pattern(len: number): Uint8Array {
  const p = new Uint8Array(len);
  for (let i = 0; i < len; i++) p[i] = (i * 31 + (i >> 9)) & 0xff;
  return p;
}

/** A disk with a recognisable pattern that counts what each host step asked of it. */
class CountingBackend extends MemoryBlockBackend {
  bytes_ = 0;
  calls = 0;
  flushes = 0;
  constructor(readonly_ = false) {
    super(pattern(DISK_BYTES), { readonly: readonly_ });
  }
  override read(offset: number, dst: Uint8Array): void {
    super.read(offset, dst);
    this.bytes_ += dst.length;
    this.calls++;
  }
  override write(offset: number, src: Uint8Array): void {
    super.write(offset, src);
    this.bytes_ += src.length;
    this.calls++;
  }
  override flush(): void {
    this.flushes++;
  }
  take(): { bytes: number; calls: number } {
    const r = { bytes: this.bytes_, calls: this.calls };
    this.bytes_ = 0;
    this.calls = 0;
    return r;
  }
}

function blkDriver(want: bigint = VIRTIO_F_VERSION_1, readonly = false) {
  const backend = new CountingBackend(readonly);
  const d = new TestDriver(new VirtioBlk({ backend }));
  expect(d.init(want)).not.toBeNull();
  return { d, backend };
}

/** Queue a virtio-blk request (header, data buffers, status byte); returns the status address. */
function blkRequest(d: TestDriver, type: number, sector: number, data: Buf[], opts: { indirect?: boolean } = {}): { head: number; status: number } {
  const hdr = d.alloc(16);
  d.u32(hdr, type);
  d.u32(hdr + 4, 0);
  d.u32(hdr + 8, sector);
  d.u32(hdr + 12, 0);
  const status = d.alloc(1);
  d.mem(status, 1)[0] = 0xff;
  const head = d.chain([{ addr: hdr, len: 16 }, ...data, { addr: status, len: 1, write: true }], opts);
  d.publish(head);
  return { head, status };
}

/** One host step after guest activity: what the run loop does after each core slice. */
function step(d: TestDriver): void {
  d.dev.continueDeferred();
}

describe("virtio: bounded work per host step", () => {
  it("splits one large IN request over several steps, each within the budget, and the data is right", () => {
    const { d, backend } = blkDriver();
    const len = 6 * STEP_BYTES + 3 * 512; // 1.5 MiB and a bit
    const buf = d.alloc(len);
    // three buffers with boundaries that are not sector-aligned
    const a = 100_000, b = 700_001;
    const { head, status } = blkRequest(d, VIRTIO_BLK_T_IN, 8, [
      { addr: buf, len: a, write: true }, { addr: buf + a, len: b - a, write: true }, { addr: buf + b, len: len - b, write: true },
    ]);
    d.w(REG.QueueNotify, 0);
    const perStep = [backend.take()];
    let steps = 0;
    while (d.dev.hasDeferredWork()) {
      expect(d.usedIdx(), "not complete before its last piece").toBe(0);
      step(d);
      perStep.push(backend.take());
      expect(++steps).toBeLessThan(100);
    }
    for (const s of perStep) {
      expect(s.bytes).toBeLessThanOrEqual(STEP_BYTES);
      expect(s.calls).toBeLessThanOrEqual(STEP_DESCRIPTORS);
    }
    expect(perStep.reduce((n, s) => n + s.bytes, 0)).toBe(len);
    expect(steps).toBeGreaterThanOrEqual(Math.ceil(len / STEP_BYTES) - 1);
    expect(d.takeUsed()).toEqual([{ id: head, len: len + 1 }]);
    expect(d.mem(status, 1)[0]).toBe(VIRTIO_BLK_S_OK);
    expect(bytesEqual(d.mem(buf, len), backend.bytes.subarray(8 * 512, 8 * 512 + len))).toBe(true);
    expect(d.guardsIntact()).toBe(true);
  });

  it("an OUT request larger than a step is written in pieces, completely", () => {
    const { d, backend } = blkDriver();
    const len = 3 * STEP_BYTES;
    const buf = d.alloc(len);
    d.mem(buf, len).forEach((_, i, m) => (m[i] = (i * 7) & 0xff));
    const { head } = blkRequest(d, VIRTIO_BLK_T_OUT, 2, [{ addr: buf, len }]);
    d.w(REG.QueueNotify, 0);
    expect(d.usedIdx()).toBe(0);
    expect(d.settle()).toBeGreaterThanOrEqual(2);
    expect(d.takeUsed()).toEqual([{ id: head, len: 1 }]);
    expect(bytesEqual(backend.bytes.subarray(1024, 1024 + len), d.mem(buf, len))).toBe(true);
  });

  it("many notifies within one slice share one step's budget", () => {
    const { d, backend } = blkDriver();
    const buf = d.alloc(MiB);
    blkRequest(d, VIRTIO_BLK_T_IN, 0, [{ addr: buf, len: MiB, write: true }]);
    for (let i = 0; i < 1000; i++) d.w(REG.QueueNotify, 0); // a guest hammering QueueNotify
    expect(backend.take().bytes).toBe(STEP_BYTES);
    step(d);
    expect(backend.take().bytes).toBe(STEP_BYTES);
  });

  it("many small chains (80 of 3 descriptors): at most a step's descriptors per step, completed in order", () => {
    const { d, backend } = blkDriver();
    const heads: number[] = [];
    const bufs: number[] = [];
    for (let i = 0; i < 80; i++) {
      const buf = d.alloc(512);
      bufs.push(buf);
      heads.push(blkRequest(d, VIRTIO_BLK_T_IN, i, [{ addr: buf, len: 512, write: true }]).head);
    }
    d.w(REG.QueueNotify, 0);
    const first = d.takeUsed();
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(80);
    expect(backend.take().calls).toBeLessThanOrEqual(STEP_DESCRIPTORS);
    const rest: { id: number; len: number }[] = [];
    while (d.dev.hasDeferredWork()) {
      step(d);
      expect(backend.take().calls).toBeLessThanOrEqual(STEP_DESCRIPTORS);
      rest.push(...d.takeUsed());
    }
    expect([...first, ...rest]).toEqual(heads.map((id) => ({ id, len: 513 })));
    bufs.forEach((buf, i) => expect(bytesEqual(d.mem(buf, 512), backend.bytes.subarray(i * 512, (i + 1) * 512))).toBe(true));
  });

  it("a FLUSH ends the step; the requests after it continue in the next", () => {
    const { d, backend } = blkDriver();
    blkRequest(d, VIRTIO_BLK_T_FLUSH, 0, []);
    const buf = d.alloc(512);
    blkRequest(d, VIRTIO_BLK_T_IN, 0, [{ addr: buf, len: 512, write: true }]);
    d.w(REG.QueueNotify, 0);
    expect(backend.flushes).toBe(1);
    expect(d.takeUsed().length).toBe(1);
    expect(d.dev.hasDeferredWork()).toBe(true);
    step(d);
    expect(d.takeUsed().length).toBe(1);
  });

  it("virtio-rng: a 1 MiB request over several steps, every byte filled", () => {
    const d = new TestDriver(new VirtioRng());
    d.init();
    const len = MiB;
    const buf = d.alloc(len);
    const head = d.chain([{ addr: buf, len: len / 2, write: true }, { addr: buf + len / 2, len: len / 2, write: true }]);
    d.publish(head);
    d.w(REG.QueueNotify, 0);
    expect(d.usedIdx()).toBe(0);
    expect(d.settle()).toBeGreaterThanOrEqual(Math.ceil(len / STEP_BYTES) - 1);
    expect(d.takeUsed()).toEqual([{ id: head, len }]);
    const bytes = d.mem(buf, len);
    for (let off = 0; off < len; off += 4096) expect(bytes.subarray(off, off + 16).some((x) => x !== 0), `page at ${off}`).toBe(true);
  });

  it("a chain longer than MAX_CHAIN descriptors (in an indirect table) is a driver error, not a long walk", () => {
    const d = new TestDriver(new VirtioRng());
    d.init(VIRTIO_F_VERSION_1 | VIRTIO_F_INDIRECT_DESC);
    const count = MAX_CHAIN + 1;
    const table = d.alloc(16 * count);
    const buf = d.alloc(16);
    for (let i = 0; i < count; i++) d.writeDesc(table, i, buf, 16, 2 | (i < count - 1 ? DESC_F_NEXT : 0), i + 1);
    d.writeDesc(d.desc, 0, table, 16 * count, 4, 0);
    d.publish(0);
    d.notify();
    expect(d.r(REG.Status) & STATUS_DEVICE_NEEDS_RESET).toBeTruthy();
    expect(d.logs).toEqual([`virtio4: queue 0: descriptor chain from head 0 is longer than ${MAX_CHAIN} descriptors; device needs reset`]);
    expect(d.dev.hasDeferredWork()).toBe(false);
  });
});

describe("virtio: interrupts while a queue's work is split over steps", () => {
  /** Runs host steps to the end; returns, per step, whether chains completed and whether the device interrupted. */
  function trace(d: TestDriver): { used: number; irq: boolean }[] {
    const out: { used: number; irq: boolean }[] = [];
    const record = () => {
      const used = d.takeUsed().length;
      const irq = (d.r(REG.InterruptStatus) & INT_USED_BUFFER) !== 0;
      d.ackInterrupt();
      out.push({ used, irq });
    };
    record();
    while (d.dev.hasDeferredWork()) {
      step(d);
      record();
    }
    return out;
  }

  function fourChains(d: TestDriver): void {
    for (let i = 0; i < 4; i++) {
      const len = STEP_BYTES + STEP_BYTES / 2; // a chain completes every other step or so
      d.publish(d.chain([{ addr: d.alloc(len), len, write: true }]));
    }
  }

  it("without EVENT_IDX: an interrupt in each step that used a chain, none in the others", () => {
    const d = new TestDriver(new VirtioRng());
    d.init(VIRTIO_F_VERSION_1);
    fourChains(d);
    d.w(REG.QueueNotify, 0);
    const t = trace(d);
    expect(t.reduce((n, s) => n + s.used, 0)).toBe(4);
    for (const s of t) expect(s.irq).toBe(s.used > 0);
    expect(t.some((s) => s.used === 0)).toBe(true); // some steps only made progress
  });

  it("with EVENT_IDX and used_event = 3: exactly one interrupt, when the fourth chain is used", () => {
    const d = new TestDriver(new VirtioRng());
    d.init(VIRTIO_F_VERSION_1 | VIRTIO_F_EVENT_IDX);
    d.u16(d.avail + 4 + 2 * d.qsize, 3); // used_event
    fourChains(d);
    d.w(REG.QueueNotify, 0);
    const t = trace(d);
    const irqs = t.filter((s) => s.irq);
    expect(irqs.length).toBe(1);
    const at = t.findIndex((s) => s.irq);
    expect(t.slice(0, at + 1).reduce((n, s) => n + s.used, 0)).toBe(4);
  });

  it("VIRTQ_AVAIL_F_NO_INTERRUPT: no interrupt at all", () => {
    const d = new TestDriver(new VirtioRng());
    d.init(VIRTIO_F_VERSION_1);
    d.u16(d.avail, 1);
    fourChains(d);
    d.w(REG.QueueNotify, 0);
    const t = trace(d);
    expect(t.reduce((n, s) => n + s.used, 0)).toBe(4);
    expect(t.some((s) => s.irq)).toBe(false);
    expect(d.irq.changes).toEqual([]);
  });
});

describe("virtio: a request in progress across saveState/loadState", () => {
  /** A fresh transport + device over a copy of d's RAM, loaded from d's saved state (through JSON). */
  function restore(d: TestDriver, device: VirtioDeviceModel): TestDriver {
    const saved = JSON.parse(JSON.stringify(d.dev.saveState()));
    const e = new TestDriver(device);
    e.bytes.set(d.bytes);
    e.qsize = d.qsize;
    e.availIdx = d.availIdx;
    e.usedSeen = d.usedSeen;
    e.dev.loadState(saved);
    return e;
  }

  it("virtio-blk: a read saved part-way continues after loadState to the same bytes", () => {
    const { d, backend } = blkDriver();
    const len = 4 * STEP_BYTES;
    const buf = d.alloc(len);
    const { head, status } = blkRequest(d, VIRTIO_BLK_T_IN, 16, [{ addr: buf, len: len / 2, write: true }, { addr: buf + len / 2, len: len / 2, write: true }]);
    d.w(REG.QueueNotify, 0);
    step(d);
    const saved = d.dev.saveState() as { queues: { job: { head: number; done: number } | null; pending: boolean }[] };
    expect(saved.queues[0].job).toMatchObject({ head, done: 2 * STEP_BYTES });
    expect(saved.queues[0].pending).toBe(true);

    const e = restore(d, new VirtioBlk({ backend: new MemoryBlockBackend(backend.bytes.slice()) }));
    expect(e.dev.hasDeferredWork()).toBe(true);
    e.settle();
    d.settle();
    for (const x of [d, e]) {
      expect(x.takeUsed()).toEqual([{ id: head, len: len + 1 }]);
      expect(x.mem(status, 1)[0]).toBe(VIRTIO_BLK_S_OK);
      expect(bytesEqual(x.mem(buf, len), backend.bytes.subarray(16 * 512, 16 * 512 + len))).toBe(true);
    }
    expect(e.logs).toEqual([]);
  });

  it("virtio-rng: the restored device fills only what was left", () => {
    const d = new TestDriver(new VirtioRng());
    d.init();
    const len = 3 * STEP_BYTES;
    const buf = d.alloc(len);
    const head = d.chain([{ addr: buf, len, write: true }]);
    d.publish(head);
    d.w(REG.QueueNotify, 0);
    const filled = d.mem(buf, STEP_BYTES).slice();
    const e = restore(d, new VirtioRng());
    e.settle();
    expect(e.takeUsed()).toEqual([{ id: head, len }]);
    expect(bytesEqual(e.mem(buf, STEP_BYTES), filled)).toBe(true);
    expect(e.mem(buf + STEP_BYTES, len - STEP_BYTES).some((x) => x !== 0)).toBe(true);
  });

  it("chains not yet taken stay pending across loadState", () => {
    const { d, backend } = blkDriver();
    const len = STEP_BYTES + 512;
    const bufs = [0, 1, 2].map(() => d.alloc(len));
    const heads = bufs.map((buf, i) => blkRequest(d, VIRTIO_BLK_T_IN, i * 1024, [{ addr: buf, len, write: true }]).head);
    d.w(REG.QueueNotify, 0);
    expect(d.takeUsed()).toEqual([]); // the first request is still in progress
    const e = restore(d, new VirtioBlk({ backend: new MemoryBlockBackend(backend.bytes.slice()) }));
    expect(e.dev.hasDeferredWork()).toBe(true);
    e.settle();
    expect(e.takeUsed()).toEqual(heads.map((id) => ({ id, len: len + 1 })));
    bufs.forEach((buf, i) => expect(bytesEqual(e.mem(buf, len), backend.bytes.subarray(i * 1024 * 512, i * 1024 * 512 + len))).toBe(true));
  });

  it("loadState refuses a malformed job", () => {
    const { d } = blkDriver();
    const buf = d.alloc(MiB);
    blkRequest(d, VIRTIO_BLK_T_IN, 0, [{ addr: buf, len: MiB, write: true }]);
    d.w(REG.QueueNotify, 0);
    const good = JSON.parse(JSON.stringify(d.dev.saveState()));
    for (const job of [{ head: "0" }, { head: 0, done: "x" }, { head: 1.5 }, { head: 4096 }, [1, 2]]) {
      const bad = structuredClone(good);
      bad.queues[0].job = job;
      expect(() => d.dev.loadState(bad)).toThrow(/bad device state/);
    }
  });
});

describe("virtio: what ends a request in progress", () => {
  it("a device reset (Status = 0) drops it: no deferred work, nothing used afterwards", () => {
    const { d } = blkDriver();
    const buf = d.alloc(MiB);
    blkRequest(d, VIRTIO_BLK_T_IN, 0, [{ addr: buf, len: MiB, write: true }]);
    d.w(REG.QueueNotify, 0);
    expect(d.dev.hasDeferredWork()).toBe(true);
    d.w(REG.Status, 0);
    expect(d.dev.hasDeferredWork()).toBe(false);
    d.dev.continueDeferred();
    expect(d.usedIdx()).toBe(0);
  });

  it("re-arming the queue (QueueReady 0, then 1) drops it", () => {
    const { d } = blkDriver();
    const buf = d.alloc(MiB);
    blkRequest(d, VIRTIO_BLK_T_IN, 0, [{ addr: buf, len: MiB, write: true }]);
    d.w(REG.QueueNotify, 0);
    d.w(REG.QueueSel, 0);
    d.w(REG.QueueReady, 0);
    expect(d.dev.hasDeferredWork()).toBe(false);
    d.w(REG.QueueReady, 1);
    expect(d.dev.hasDeferredWork()).toBe(false);
    expect((d.dev.saveState() as { queues: { job: unknown }[] }).queues[0].job).toBeNull();
  });

  it("a malformed chain behind a large request: the request completes, then NEEDS_RESET, and no more work", () => {
    const { d } = blkDriver();
    const buf = d.alloc(MiB);
    const { head } = blkRequest(d, VIRTIO_BLK_T_IN, 0, [{ addr: buf, len: MiB, write: true }]);
    d.publish(d.chain([{ addr: RAM_BASE + 0x10_0000, len: 8 }])); // no header, no status
    d.notify();
    expect(d.takeUsed()).toEqual([{ id: head, len: MiB + 1 }]);
    expect(d.r(REG.Status) & STATUS_DEVICE_NEEDS_RESET).toBeTruthy();
    expect(d.dev.hasDeferredWork()).toBe(false);
    expect(d.logs.length).toBe(1);
  });
});
