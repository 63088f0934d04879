// A virtio-mmio driver for tests of multi-queue devices: every queue the device offers
// gets its own rings, and buffers come from a bump allocator (with guard bytes around
// guest RAM, as TestDriver).
import { ArrayGuestRam } from "../../devices/device.js";
import { INT_CONFIG_CHANGE, INT_USED_BUFFER, REG, VirtioMmio, type VirtioDeviceModel } from "../../devices/virtio/mmio.js";
import { irqProbe } from "./helpers.js";

export const RAM_BASE = 0x8000_0000;
const RAM_SIZE = 0x20_0000;
const GUARD = 4096;
const QUEUE_AREA = 0x8000; // per queue: descriptors, avail ring at +0x2000, used ring at +0x4000
const HEAP = 0x10_0000;

interface Q {
  size: number;
  desc: number;
  avail: number;
  used: number;
  nextDesc: number;
  availIdx: number;
  usedSeen: number;
}

export { INT_CONFIG_CHANGE, INT_USED_BUFFER };

export class MultiQueueDriver {
  readonly backing = new Uint8Array(GUARD + RAM_SIZE + GUARD).fill(0xa5);
  readonly bytes = this.backing.subarray(GUARD, GUARD + RAM_SIZE);
  readonly ram = new ArrayGuestRam(this.bytes, RAM_BASE);
  readonly irq = irqProbe();
  readonly logs: string[] = [];
  readonly dev: VirtioMmio;
  private readonly dv = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  private queues: Q[] = [];
  private heap = RAM_BASE + HEAP;

  constructor(device: VirtioDeviceModel) {
    this.bytes.fill(0);
    this.dev = new VirtioMmio({ ram: this.ram, irq: this.irq.line, device, log: (m) => this.logs.push(m) });
  }

  r(off: number): number {
    return this.dev.read(off, 4);
  }
  w(off: number, v: number): void {
    this.dev.write(off, 4, v);
  }
  guardsIntact(): boolean {
    return [...this.backing.subarray(0, GUARD), ...this.backing.subarray(GUARD + RAM_SIZE)].every((b) => b === 0xa5);
  }
  mem(pa: number, len: number): Uint8Array {
    return this.bytes.subarray(pa - RAM_BASE, pa - RAM_BASE + len);
  }
  alloc(len: number): number {
    const a = this.heap;
    this.heap += (len + 63) & ~63;
    if (this.heap > RAM_BASE + RAM_SIZE) throw new Error("test heap exhausted");
    return a;
  }

  /** Reset, negotiate (offered & want), set up every queue, DRIVER_OK. Null if FEATURES_OK was refused. */
  init(want: bigint = ~0n): bigint | null {
    this.w(REG.Status, 0);
    this.w(REG.Status, 1);
    this.w(REG.Status, 3);
    this.w(REG.DeviceFeaturesSel, 0);
    const lo = BigInt(this.r(REG.DeviceFeatures));
    this.w(REG.DeviceFeaturesSel, 1);
    const f = ((BigInt(this.r(REG.DeviceFeatures)) << 32n) | lo) & want;
    this.w(REG.DriverFeaturesSel, 0);
    this.w(REG.DriverFeatures, Number(f & 0xffff_ffffn));
    this.w(REG.DriverFeaturesSel, 1);
    this.w(REG.DriverFeatures, Number(f >> 32n));
    this.w(REG.Status, 11);
    if (!(this.r(REG.Status) & 8)) return null;
    this.queues = [];
    for (let i = 0; ; i++) {
      this.w(REG.QueueSel, i);
      const size = this.r(REG.QueueNumMax);
      if (size === 0) break;
      const base = RAM_BASE + 0x1000 + i * QUEUE_AREA;
      const q: Q = { size, desc: base, avail: base + 0x2000, used: base + 0x4000, nextDesc: 0, availIdx: 0, usedSeen: 0 };
      this.bytes.fill(0, base - RAM_BASE, base - RAM_BASE + QUEUE_AREA);
      this.w(REG.QueueNum, size);
      this.w(REG.QueueDescLow, q.desc >>> 0);
      this.w(REG.QueueDescHigh, 0);
      this.w(REG.QueueDriverLow, q.avail >>> 0);
      this.w(REG.QueueDriverHigh, 0);
      this.w(REG.QueueDeviceLow, q.used >>> 0);
      this.w(REG.QueueDeviceHigh, 0);
      this.w(REG.QueueReady, 1);
      this.queues.push(q);
    }
    this.w(REG.Status, 15);
    return f;
  }

  get queueCount(): number {
    return this.queues.length;
  }

  /** Make a chain of buffers available (written: device-writable) without notifying. */
  offer(qi: number, bufs: { addr: number; len: number; write?: boolean }[]): number {
    const q = this.queues[qi];
    const ids = bufs.map(() => {
      const id = q.nextDesc;
      q.nextDesc = (q.nextDesc + 1) % q.size;
      return id;
    });
    bufs.forEach((b, i) => {
      const p = q.desc + 16 * ids[i] - RAM_BASE;
      const last = i === bufs.length - 1;
      this.dv.setUint32(p, b.addr >>> 0, true);
      this.dv.setUint32(p + 4, 0, true);
      this.dv.setUint32(p + 8, b.len, true);
      this.dv.setUint16(p + 12, (b.write ? 2 : 0) | (last ? 0 : 1), true);
      this.dv.setUint16(p + 14, last ? 0 : ids[i + 1], true);
    });
    this.dv.setUint16(q.avail + 4 + 2 * (q.availIdx % q.size) - RAM_BASE, ids[0], true);
    q.availIdx = (q.availIdx + 1) & 0xffff;
    this.dv.setUint16(q.avail + 2 - RAM_BASE, q.availIdx, true);
    return ids[0];
  }

  notify(qi: number): void {
    this.w(REG.QueueNotify, qi);
  }

  /** Used entries of queue qi since the last call. */
  takeUsed(qi: number): { id: number; len: number }[] {
    const q = this.queues[qi];
    const out: { id: number; len: number }[] = [];
    const idx = this.dv.getUint16(q.used + 2 - RAM_BASE, true);
    while (q.usedSeen !== idx) {
      const e = q.used + 4 + 8 * (q.usedSeen % q.size) - RAM_BASE;
      out.push({ id: this.dv.getUint32(e, true), len: this.dv.getUint32(e + 4, true) });
      q.usedSeen = (q.usedSeen + 1) & 0xffff;
    }
    // Re-arm interrupts as a driver does (used_event, read when VIRTIO_F_EVENT_IDX is on).
    this.dv.setUint16(q.avail + 4 + 2 * q.size - RAM_BASE, q.usedSeen, true);
    return out;
  }

  ackInterrupt(): number {
    const s = this.r(REG.InterruptStatus);
    this.w(REG.InterruptACK, s);
    return s;
  }
}
