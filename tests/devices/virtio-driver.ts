// A minimal virtio-mmio driver for tests: lays out one split queue in a fake guest RAM
// (with guard bytes around it, to catch any access outside) and submits chains.
import { ArrayGuestRam } from "../../devices/device.js";
import { REG, VirtioMmio, VIRTIO_F_VERSION_1, type VirtioDeviceModel } from "../../devices/virtio/mmio.js";
import { irqProbe } from "./helpers.js";

export const RAM_BASE = 0x8000_0000;
export const RAM_SIZE = 0x20_0000; // 2 MiB
const GUARD = 4096;
const GUARD_BYTE = 0xa5;

export const DESC_F_NEXT = 1;
export const DESC_F_WRITE = 2;
export const DESC_F_INDIRECT = 4;

export interface Buf {
  addr: number;
  len: number;
  write?: boolean;
}

export class TestDriver {
  readonly backing = new Uint8Array(GUARD + RAM_SIZE + GUARD).fill(GUARD_BYTE);
  readonly bytes = this.backing.subarray(GUARD, GUARD + RAM_SIZE);
  readonly ram = new ArrayGuestRam(this.bytes, RAM_BASE);
  readonly irq = irqProbe();
  readonly logs: string[] = [];
  readonly dev: VirtioMmio;
  readonly dv = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);

  qsize = 0;
  // Where the rings are (a legacy driver moves them to the layout QueuePFN implies).
  desc = RAM_BASE + 0x1000;
  avail = RAM_BASE + 0x3000;
  used = RAM_BASE + 0x5000;
  private heap = RAM_BASE + 0x1_0000;
  private nextDesc = 0;
  availIdx = 0;
  usedSeen = 0;

  constructor(device: VirtioDeviceModel | null, opts: { legacy?: boolean } = {}) {
    this.bytes.fill(0);
    this.dev = new VirtioMmio({ ram: this.ram, irq: this.irq.line, device, log: (m) => this.logs.push(m), legacy: opts.legacy });
  }

  r(off: number): number {
    return this.dev.read(off, 4);
  }
  w(off: number, v: number): void {
    this.dev.write(off, 4, v);
  }

  guardsIntact(): boolean {
    const g = [...this.backing.subarray(0, GUARD), ...this.backing.subarray(GUARD + RAM_SIZE)];
    return g.every((b) => b === GUARD_BYTE);
  }

  // ---- guest memory ----
  off(pa: number): number {
    return pa - RAM_BASE;
  }
  u16(pa: number, v?: number): number {
    if (v !== undefined) this.dv.setUint16(this.off(pa), v, true);
    return this.dv.getUint16(this.off(pa), true);
  }
  u32(pa: number, v?: number): number {
    if (v !== undefined) this.dv.setUint32(this.off(pa), v, true);
    return this.dv.getUint32(this.off(pa), true);
  }
  mem(pa: number, len: number): Uint8Array {
    return this.bytes.subarray(this.off(pa), this.off(pa) + len);
  }
  alloc(len: number): number {
    const a = this.heap;
    this.heap += (len + 15) & ~15;
    if (this.heap > RAM_BASE + RAM_SIZE) this.heap = RAM_BASE + 0x1_0000; // wrap (tests are small)
    return a;
  }

  // ---- device initialisation (virtio 1.x §3.1.1) ----
  /** Returns the features written (offered & want), or null if FEATURES_OK was refused. */
  init(want: bigint = ~0n, queueSize?: number): bigint | null {
    this.w(REG.Status, 0);
    this.w(REG.Status, 1);
    this.w(REG.Status, 1 | 2);
    this.w(REG.DeviceFeaturesSel, 0);
    const lo = BigInt(this.r(REG.DeviceFeatures));
    this.w(REG.DeviceFeaturesSel, 1);
    const hi = BigInt(this.r(REG.DeviceFeatures));
    const f = ((hi << 32n) | lo) & want;
    this.w(REG.DriverFeaturesSel, 0);
    this.w(REG.DriverFeatures, Number(f & 0xffffffffn));
    this.w(REG.DriverFeaturesSel, 1);
    this.w(REG.DriverFeatures, Number(f >> 32n));
    this.w(REG.Status, 1 | 2 | 8);
    if (!(this.r(REG.Status) & 8)) return null;
    this.setupQueue(0, queueSize);
    this.w(REG.Status, 1 | 2 | 8 | 4);
    return f;
  }

  setupQueue(index: number, size?: number): void {
    this.w(REG.QueueSel, index);
    const max = this.r(REG.QueueNumMax);
    this.qsize = size ?? max;
    this.bytes.fill(0, this.off(this.desc), this.off(this.used) + 0x2000);
    this.w(REG.QueueNum, this.qsize);
    this.w(REG.QueueDescLow, this.desc >>> 0);
    this.w(REG.QueueDescHigh, 0);
    this.w(REG.QueueDriverLow, this.avail >>> 0);
    this.w(REG.QueueDriverHigh, 0);
    this.w(REG.QueueDeviceLow, this.used >>> 0);
    this.w(REG.QueueDeviceHigh, 0);
    this.w(REG.QueueReady, 1);
    this.availIdx = 0;
    this.usedSeen = 0;
    this.nextDesc = 0;
  }

  // ---- rings ----
  writeDesc(table: number, i: number, addr: number, len: number, flags: number, next: number): void {
    const p = table + 16 * i;
    this.u32(p, addr >>> 0);
    this.u32(p + 4, Math.floor(addr / 2 ** 32) >>> 0);
    this.u32(p + 8, len >>> 0);
    this.u16(p + 12, flags);
    this.u16(p + 14, next);
  }

  /** Write a chain into consecutive descriptors (or an indirect table); returns its head. */
  chain(bufs: Buf[], opts: { indirect?: boolean } = {}): number {
    if (opts.indirect) {
      const table = this.alloc(16 * bufs.length);
      bufs.forEach((b, i) => {
        const last = i === bufs.length - 1;
        this.writeDesc(table, i, b.addr, b.len, (b.write ? DESC_F_WRITE : 0) | (last ? 0 : DESC_F_NEXT), last ? 0 : i + 1);
      });
      const head = this.takeDescs(1)[0];
      this.writeDesc(this.desc, head, table, 16 * bufs.length, DESC_F_INDIRECT, 0);
      return head;
    }
    const ids = this.takeDescs(bufs.length);
    bufs.forEach((b, i) => {
      const last = i === bufs.length - 1;
      this.writeDesc(this.desc, ids[i], b.addr, b.len, (b.write ? DESC_F_WRITE : 0) | (last ? 0 : DESC_F_NEXT), last ? 0 : ids[i + 1]);
    });
    return ids[0];
  }

  private takeDescs(n: number): number[] {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(this.nextDesc);
      this.nextDesc = (this.nextDesc + 1) % this.qsize;
    }
    return ids;
  }

  /** Put a head on the avail ring (and bump avail idx). */
  publish(head: number): void {
    this.u16(this.avail + 4 + 2 * (this.availIdx % this.qsize), head);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    this.u16(this.avail + 2, this.availIdx);
  }

  /** QueueNotify, then host steps until the device has no deferred work (as the run loop does). */
  notify(queue = 0): void {
    this.w(REG.QueueNotify, queue);
    this.settle();
  }

  /** Host steps (continueDeferred) while the device has deferred work; returns how many. */
  settle(maxSteps = 100_000): number {
    let steps = 0;
    while (this.dev.hasDeferredWork()) {
      if (++steps > maxSteps) throw new Error(`device still busy after ${maxSteps} host steps`);
      this.dev.continueDeferred();
    }
    this.dev.continueDeferred(); // the step that follows refills the budget
    return steps;
  }

  usedIdx(): number {
    return this.u16(this.used + 2);
  }

  /** Used entries added since the last call. */
  takeUsed(): { id: number; len: number }[] {
    const out: { id: number; len: number }[] = [];
    const idx = this.usedIdx();
    while (this.usedSeen !== idx) {
      const e = this.used + 4 + 8 * (this.usedSeen % this.qsize);
      out.push({ id: this.u32(e), len: this.u32(e + 4) });
      this.usedSeen = (this.usedSeen + 1) & 0xffff;
    }
    return out;
  }

  ackInterrupt(): number {
    const s = this.r(REG.InterruptStatus);
    this.w(REG.InterruptACK, s);
    return s;
  }
}

export const F_VERSION_1 = VIRTIO_F_VERSION_1;
