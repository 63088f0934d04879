// Split virtqueue (virtio 1.x §2.7) over guest RAM. Every guest-controlled address goes
// through GuestRam.view, so nothing outside guest RAM is ever read or written. Anything
// malformed (ring or buffer outside RAM, index beyond the queue, descriptor loop, chain
// longer than MAX_CHAIN, zero-length buffer, readable after writable, bad indirect
// table, avail index jumping by more than the queue size) throws VirtioError; the
// transport turns that into DEVICE_NEEDS_RESET.
//
// A request may take several host steps (budget.ts): the chain the device is part-way
// through stays on the queue as a Job (plain numbers, saved with the queue state) until
// complete() returns it to the driver.
import type { GuestRam } from "../device.js";
import type { WorkBudget } from "./budget.js";

export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;
export const VIRTQ_DESC_F_INDIRECT = 4;
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;

/**
 * The longest descriptor chain accepted, indirect tables included, when the queue is
 * smaller (QEMU's VIRTQUEUE_MAX_SIZE); virtio 1.x §2.7.5.3.1 asks drivers to stay
 * within the queue size. It bounds what one pop() may cost.
 */
export const MAX_CHAIN = 1024;

/** The driver broke the virtio protocol: the device must be reset. */
export class VirtioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VirtioError";
  }
}

/** One queue's plain, serialisable state (owned by the transport). */
export interface QueueState {
  /** QueueNum: the size the driver chose. */
  num: number;
  ready: boolean;
  descLo: number;
  descHi: number;
  driverLo: number;
  driverHi: number;
  deviceLo: number;
  deviceHi: number;
  /** Next avail ring index the device will read. */
  lastAvail: number;
  /** The used ring index the device last wrote. */
  usedIdx: number;
  /** used idx at the last interrupt decision (event-index suppression). */
  signalledUsed: number;
  /** Whether buffers were used since the last interrupt decision. */
  dirty: boolean;
  /** The device stopped for lack of budget: there may be more to do on this queue. */
  pending: boolean;
  /** The request the device is part-way through, or null. */
  job: Job | null;
}

/**
 * A request taken off the avail ring and not yet returned: the chain's head and whatever
 * numbers the device model keeps about its progress (plain data, so snapshots save it).
 */
export interface Job {
  head: number;
  [field: string]: number;
}

export function newQueueState(num: number): QueueState {
  return {
    num,
    ready: false,
    descLo: 0,
    descHi: 0,
    driverLo: 0,
    driverHi: 0,
    deviceLo: 0,
    deviceHi: 0,
    lastAvail: 0,
    usedIdx: 0,
    signalledUsed: 0,
    dirty: false,
    pending: false,
    job: null,
  };
}

/** A descriptor chain: device-readable then device-writable buffers (views into guest RAM). */
export interface DescChain {
  head: number;
  readable: Uint8Array[];
  writable: Uint8Array[];
  readableBytes: number;
  writableBytes: number;
  /** Descriptors read to build it (an indirect one included). */
  descriptors: number;
}

/** Ring features the driver accepted. */
export interface RingFeatures {
  indirect: boolean;
  eventIdx: boolean;
}

/** A 64-bit guest address from its halves (above 2^53 it is inexact, and no view accepts it). */
const toAddr = (lo: number, hi: number): number => (hi >>> 0) * 0x1_0000_0000 + (lo >>> 0);
/** The same address in hex, exactly, for log lines. */
const hexAddr = (lo: number, hi: number): string =>
  "0x" + (hi >>> 0 ? (hi >>> 0).toString(16) + (lo >>> 0).toString(16).padStart(8, "0") : (lo >>> 0).toString(16));

const le = (v: Uint8Array): DataView => new DataView(v.buffer, v.byteOffset, v.byteLength);

export class Virtqueue {
  /** The chain of state.job (a cache: rebuilt from the head after loadState). */
  private jobChain: DescChain | null = null;

  constructor(
    readonly index: number,
    private readonly ram: GuestRam,
    readonly state: QueueState,
    private readonly features: RingFeatures,
  ) {}

  get size(): number {
    return this.state.num;
  }

  /**
   * The request in progress and its chain, else the next available chain made a Job by
   * begin() (when the budget allows taking one); null when there is nothing to do.
   */
  current<J extends Job>(budget: WorkBudget, begin: (chain: DescChain) => J): { chain: DescChain; job: J } | null {
    const s = this.state;
    if (s.job) {
      this.jobChain ??= this.walk(s.job.head);
      return { chain: this.jobChain, job: s.job as J };
    }
    if (budget.exhausted) return null;
    const chain = this.pop(budget);
    if (!chain) return null;
    const job = begin(chain);
    s.job = job;
    this.jobChain = chain;
    return { chain, job };
  }

  /** The request in progress is done: return its chain with `written` bytes written. */
  complete(written: number): void {
    const job = this.state.job;
    if (!job) throw new Error("Virtqueue.complete: no request in progress");
    this.state.job = null;
    this.jobChain = null;
    this.push(job.head, written);
  }

  /** Take the next available chain, or null when the driver has made none available. */
  pop(budget?: WorkBudget): DescChain | null {
    const s = this.state;
    const n = s.num;
    const avail = this.ring("avail ring", s.driverLo, s.driverHi, 6 + 2 * n);
    const availIdx = avail.getUint16(2, true);
    const outstanding = (availIdx - s.lastAvail) & 0xffff;
    if (outstanding > n) {
      throw this.error(`avail index moved from ${s.lastAvail} to ${availIdx}, more than the queue size ${n}`);
    }
    if (outstanding === 0) {
      this.setAvailEvent();
      return null;
    }
    const head = avail.getUint16(4 + 2 * (s.lastAvail % n), true);
    if (head >= n) throw this.error(`avail ring entry ${head} is beyond the queue size ${n}`);
    const chain = this.walk(head);
    s.lastAvail = (s.lastAvail + 1) & 0xffff;
    this.setAvailEvent();
    budget?.spend(0, chain.descriptors);
    return chain;
  }

  /** Return a chain to the driver, `written` bytes having been written into its buffers. */
  push(chain: DescChain | number, written: number): void {
    const s = this.state;
    const n = s.num;
    const used = this.ring("used ring", s.deviceLo, s.deviceHi, 6 + 8 * n);
    const slot = 4 + 8 * (s.usedIdx % n);
    used.setUint32(slot, typeof chain === "number" ? chain : chain.head, true);
    used.setUint32(slot + 4, written >>> 0, true);
    s.usedIdx = (s.usedIdx + 1) & 0xffff;
    used.setUint16(2, s.usedIdx, true);
    s.dirty = true;
  }

  /**
   * Whether the driver wants an interrupt for the buffers used since the last call
   * (VIRTQ_AVAIL_F_NO_INTERRUPT, or used_event with VIRTIO_F_EVENT_IDX).
   */
  shouldInterrupt(): boolean {
    const s = this.state;
    if (!s.dirty) return false;
    s.dirty = false;
    const n = s.num;
    const avail = this.ring("avail ring", s.driverLo, s.driverHi, 6 + 2 * n);
    const old = s.signalledUsed;
    s.signalledUsed = s.usedIdx;
    if (this.features.eventIdx) {
      const usedEvent = avail.getUint16(4 + 2 * n, true);
      // vring_need_event(event, new, old)
      return ((s.usedIdx - usedEvent - 1) & 0xffff) < ((s.usedIdx - old) & 0xffff);
    }
    return (avail.getUint16(0, true) & VIRTQ_AVAIL_F_NO_INTERRUPT) === 0;
  }

  // ---- internals ----

  private error(message: string): VirtioError {
    return new VirtioError(`queue ${this.index}: ${message}`);
  }

  private ring(what: string, lo: number, hi: number, len: number): DataView {
    const v = this.ram.view(toAddr(lo, hi), len);
    if (!v) throw this.error(`${what} at ${hexAddr(lo, hi)} (+${len}) is outside guest RAM`);
    return le(v);
  }

  private setAvailEvent(): void {
    if (!this.features.eventIdx) return;
    const s = this.state;
    const used = this.ring("used ring", s.deviceLo, s.deviceHi, 6 + 8 * s.num);
    used.setUint16(4 + 8 * s.num, s.lastAvail, true);
  }

  private walk(head: number): DescChain {
    const s = this.state;
    let table = this.ring("descriptor table", s.descLo, s.descHi, 16 * s.num);
    let tableSize = s.num;
    let indirect = false;
    let i = head;
    let count = 0;
    const limit = Math.max(s.num, MAX_CHAIN);
    const chain: DescChain = { head, readable: [], writable: [], readableBytes: 0, writableBytes: 0, descriptors: 0 };
    for (;;) {
      const where = indirect ? `indirect descriptor ${i}` : `descriptor ${i}`;
      if (i >= tableSize) throw this.error(`${where} is beyond the ${indirect ? "indirect table" : "queue"} size ${tableSize}`);
      if (++count > tableSize) throw this.error(`descriptor chain from head ${head} loops (more than ${tableSize} descriptors)`);
      if (++chain.descriptors > limit) throw this.error(`descriptor chain from head ${head} is longer than ${limit} descriptors`);
      const o = 16 * i;
      const lo = table.getUint32(o, true);
      const hi = table.getUint32(o + 4, true);
      const addr = toAddr(lo, hi);
      const len = table.getUint32(o + 8, true);
      const flags = table.getUint16(o + 12, true);
      const next = table.getUint16(o + 14, true);
      if (flags & VIRTQ_DESC_F_INDIRECT) {
        if (!this.features.indirect) throw this.error(`${where}: indirect descriptor, but VIRTIO_F_INDIRECT_DESC was not negotiated`);
        if (indirect) throw this.error(`${where}: nested indirect descriptor`);
        if (flags & VIRTQ_DESC_F_NEXT) throw this.error(`${where}: indirect descriptor with NEXT set`);
        if (len === 0 || len % 16 !== 0) throw this.error(`${where}: indirect table length ${len} is not a non-zero multiple of 16`);
        const t = this.ram.view(addr, len);
        if (!t) throw this.error(`${where}: indirect table at ${hexAddr(lo, hi)} (+${len}) is outside guest RAM`);
        table = le(t);
        tableSize = len / 16;
        indirect = true;
        i = 0;
        count = 0;
        continue;
      }
      if (len === 0) throw this.error(`${where}: zero-length buffer`);
      const buf = this.ram.view(addr, len);
      if (!buf) throw this.error(`${where}: buffer at ${hexAddr(lo, hi)} (+${len}) is outside guest RAM`);
      if (flags & VIRTQ_DESC_F_WRITE) {
        chain.writable.push(buf);
        chain.writableBytes += len;
      } else {
        if (chain.writable.length > 0) throw this.error(`${where}: device-readable buffer after a device-writable one`);
        chain.readable.push(buf);
        chain.readableBytes += len;
      }
      if (!(flags & VIRTQ_DESC_F_NEXT)) return chain;
      i = next;
    }
  }
}

// ---- helpers for device models ----

/** Sub-views covering bytes [start, end) of a buffer list, in order (at most maxPieces of them). */
export function sliceBuffers(bufs: Uint8Array[], start: number, end: number, maxPieces = Infinity): Uint8Array[] {
  const out: Uint8Array[] = [];
  let pos = 0;
  for (const b of bufs) {
    const bStart = pos;
    const bEnd = pos + b.length;
    pos = bEnd;
    if (bEnd <= start) continue;
    if (bStart >= end || out.length >= maxPieces) break;
    out.push(b.subarray(Math.max(start, bStart) - bStart, Math.min(end, bEnd) - bStart));
  }
  return out;
}

/** The next piece of work on a buffer list: sub-views from `start` within what the budget allows. */
export function budgetedSlice(bufs: Uint8Array[], start: number, end: number, budget: WorkBudget): { segs: Uint8Array[]; bytes: number } {
  const segs = sliceBuffers(bufs, start, Math.min(end, start + Math.max(1, budget.bytes)), Math.max(1, budget.descriptors));
  let bytes = 0;
  for (const seg of segs) bytes += seg.length;
  return { segs, bytes };
}

/** Copy up to dst.length bytes starting at `offset` of a buffer list into dst; returns the count. */
export function copyFromBuffers(bufs: Uint8Array[], offset: number, dst: Uint8Array): number {
  let n = 0;
  for (const b of sliceBuffers(bufs, offset, offset + dst.length)) {
    dst.set(b, n);
    n += b.length;
  }
  return n;
}

/** Copy src into a buffer list starting at `offset` (as much as fits); returns the count. */
export function copyToBuffers(bufs: Uint8Array[], offset: number, src: Uint8Array): number {
  let n = 0;
  for (const b of sliceBuffers(bufs, offset, offset + src.length)) {
    b.set(src.subarray(n, n + b.length));
    n += b.length;
  }
  return n;
}
