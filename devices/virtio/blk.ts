// virtio-blk (device ID 2): one request queue; IN, OUT, FLUSH and GET_ID. Capacity is in
// 512-byte sectors. Writes to a read-only disk and accesses beyond the end (or not a
// whole number of sectors) complete with IOERR; unknown request types with UNSUPP; a
// request without its 16-byte header or status byte is a driver error (NEEDS_RESET).
// IN and OUT data move in pieces within the host step's budget, so one request for
// gigabytes spreads over many steps; its progress is a BlkJob on the queue.
import type { DeviceState, Log } from "../device.js";
import type { BlockBackend } from "./block-backend.js";
import type { WorkBudget } from "./budget.js";
import type { VirtioDeviceModel } from "./mmio.js";
import { budgetedSlice, copyFromBuffers, copyToBuffers, VirtioError, type DescChain, type Virtqueue } from "./queue.js";

export const VIRTIO_ID_BLOCK = 2;

export const VIRTIO_BLK_F_SEG_MAX = 1n << 2n;
export const VIRTIO_BLK_F_RO = 1n << 5n;
export const VIRTIO_BLK_F_BLK_SIZE = 1n << 6n;
export const VIRTIO_BLK_F_FLUSH = 1n << 9n;

export const VIRTIO_BLK_T_IN = 0;
export const VIRTIO_BLK_T_OUT = 1;
export const VIRTIO_BLK_T_FLUSH = 4;
export const VIRTIO_BLK_T_GET_ID = 8;

export const VIRTIO_BLK_S_OK = 0;
export const VIRTIO_BLK_S_IOERR = 1;
export const VIRTIO_BLK_S_UNSUPP = 2;

export const SECTOR_SIZE = 512;
export const VIRTIO_BLK_ID_BYTES = 20;
const HEADER_BYTES = 16;
const CONFIG_BYTES = 60; // through the write-zeroes fields (all zero but the ones below)

/** A request in progress (all numbers, saved with the queue). */
interface BlkJob {
  head: number;
  type: number;
  /** First sector (from the header; only used once checked against the capacity). */
  sector: number;
  /** Data bytes to move (IN: before the status byte; OUT: after the header). */
  total: number;
  /** Data bytes moved so far. */
  done: number;
  /** The status byte to write; OK until something fails. */
  status: number;
  [field: string]: number;
}

export interface VirtioBlkOptions {
  backend: BlockBackend;
  /** Expose the disk read-only (default: backend.readonly, else false). */
  readonly?: boolean;
  /** GET_ID answer (up to 20 bytes of ASCII; default empty, as QEMU). */
  serial?: string;
  /** QueueNumMax (default 256, as QEMU). */
  queueSize?: number;
  /** One line per backend I/O failure. */
  log?: Log;
}

export class VirtioBlk implements VirtioDeviceModel {
  readonly deviceId = VIRTIO_ID_BLOCK;
  readonly features: bigint;
  readonly queueSizes: readonly number[];
  readonly readonly: boolean;
  readonly backend: BlockBackend;
  private readonly serial: Uint8Array;
  private readonly log: Log;

  constructor(opts: VirtioBlkOptions) {
    this.backend = opts.backend;
    this.readonly = opts.readonly ?? opts.backend.readonly ?? false;
    const qsize = opts.queueSize ?? 256;
    if (!Number.isInteger(qsize) || qsize < 4 || qsize > 32768 || (qsize & (qsize - 1)) !== 0) {
      throw new RangeError(`virtio-blk: queue size ${qsize} is not a power of two in 4..32768`);
    }
    this.queueSizes = [qsize];
    this.features = VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH | (this.readonly ? VIRTIO_BLK_F_RO : 0n);
    const serial = new TextEncoder().encode(opts.serial ?? "");
    if (serial.length > VIRTIO_BLK_ID_BYTES) throw new RangeError(`virtio-blk: serial longer than ${VIRTIO_BLK_ID_BYTES} bytes`);
    this.serial = serial;
    this.log = opts.log ?? (() => {});
  }

  /** Capacity in 512-byte sectors. */
  get capacity(): number {
    return Math.floor(this.backend.size / SECTOR_SIZE);
  }

  config(): Uint8Array {
    const cfg = new Uint8Array(CONFIG_BYTES);
    const dv = new DataView(cfg.buffer);
    const cap = this.capacity;
    dv.setUint32(0, cap >>> 0, true);
    dv.setUint32(4, Math.floor(cap / 0x1_0000_0000), true);
    dv.setUint32(12, this.queueSizes[0] - 2, true); // seg_max
    dv.setUint32(20, SECTOR_SIZE, true); // blk_size
    dv.setUint16(34, 1, true); // num_queues
    return cfg;
  }

  process(_queueIndex: number, queue: Virtqueue, budget: WorkBudget): void {
    for (;;) {
      const cur = queue.current(budget, (chain) => this.begin(chain));
      if (!cur || !this.advance(cur.chain, cur.job, budget)) return; // nothing left, or the budget is spent
      copyToBuffers(cur.chain.writable, cur.chain.writableBytes - 1, Uint8Array.of(cur.job.status));
      queue.complete(this.written(cur.chain, cur.job) + 1);
    }
  }

  reset(): void {}

  saveState(): DeviceState {
    return {};
  }

  loadState(_state: DeviceState): void {}

  /** Read the header of a new request and decide what it needs. */
  private begin(chain: DescChain): BlkJob {
    if (chain.readableBytes < HEADER_BYTES || chain.writableBytes < 1) {
      throw new VirtioError(`virtio-blk: request (head ${chain.head}) lacks its 16-byte header or status byte`);
    }
    const hdr = new Uint8Array(HEADER_BYTES);
    copyFromBuffers(chain.readable, 0, hdr);
    const dv = new DataView(hdr.buffer);
    const type = dv.getUint32(0, true);
    const sector = dv.getUint32(12, true) * 0x1_0000_0000 + dv.getUint32(8, true);
    const job: BlkJob = { head: chain.head, type, sector, total: 0, done: 0, status: VIRTIO_BLK_S_OK };
    switch (type) {
      case VIRTIO_BLK_T_IN:
        job.total = chain.writableBytes - 1;
        if (!this.inRange(sector, job.total)) job.status = VIRTIO_BLK_S_IOERR;
        break;
      case VIRTIO_BLK_T_OUT:
        job.total = chain.readableBytes - HEADER_BYTES;
        if (this.readonly || !this.inRange(sector, job.total)) job.status = VIRTIO_BLK_S_IOERR;
        break;
      case VIRTIO_BLK_T_FLUSH:
      case VIRTIO_BLK_T_GET_ID:
        break;
      default:
        job.status = VIRTIO_BLK_S_UNSUPP;
    }
    return job;
  }

  /** Move what the budget allows; true when the request is finished. */
  private advance(chain: DescChain, job: BlkJob, budget: WorkBudget): boolean {
    if (job.status !== VIRTIO_BLK_S_OK) return true;
    switch (job.type) {
      case VIRTIO_BLK_T_IN:
        return this.transfer(job, budget, chain.writable, 0, "read", (off, seg) => this.backend.read(off, seg));
      case VIRTIO_BLK_T_OUT:
        return this.transfer(job, budget, chain.readable, HEADER_BYTES, "write", (off, seg) => this.backend.write(off, seg));
      case VIRTIO_BLK_T_FLUSH:
        if (budget.exhausted) return false;
        budget.spendAll(); // an fsync may cost more than a step's worth of copying
        if (!this.io("flush", () => this.backend.flush())) job.status = VIRTIO_BLK_S_IOERR;
        return true;
      case VIRTIO_BLK_T_GET_ID: {
        const id = new Uint8Array(Math.min(VIRTIO_BLK_ID_BYTES, chain.writableBytes - 1));
        id.set(this.serial.subarray(0, id.length));
        job.done = copyToBuffers(chain.writable, 0, id);
        budget.spend(id.length, 1);
        return true;
      }
    }
    return true;
  }

  /** IN/OUT data from job.done on, within the budget: one backend call per buffer piece. */
  private transfer(
    job: BlkJob, budget: WorkBudget, bufs: Uint8Array[], skip: number, what: string,
    op: (offset: number, seg: Uint8Array) => void,
  ): boolean {
    while (job.done < job.total) {
      if (budget.exhausted) return false;
      const { segs, bytes: n } = budgetedSlice(bufs, skip + job.done, skip + job.total, budget);
      const ok = this.io(what, () => {
        let off = job.sector * SECTOR_SIZE + job.done;
        for (const seg of segs) {
          op(off, seg);
          off += seg.length;
        }
      });
      budget.spend(n, segs.length);
      if (!ok) {
        job.status = VIRTIO_BLK_S_IOERR;
        return true;
      }
      job.done += n;
    }
    return true;
  }

  /** Bytes written into the chain before the status byte. */
  private written(chain: DescChain, job: BlkJob): number {
    if (job.type === VIRTIO_BLK_T_GET_ID) return job.done;
    if (job.type === VIRTIO_BLK_T_IN && job.status === VIRTIO_BLK_S_OK) return chain.writableBytes - 1;
    return 0;
  }

  private inRange(sector: number, bytes: number): boolean {
    return bytes % SECTOR_SIZE === 0 && sector <= this.capacity && bytes / SECTOR_SIZE <= this.capacity - sector;
  }

  private io(what: string, fn: () => void): boolean {
    try {
      fn();
      return true;
    } catch (e) {
      this.log(`virtio-blk: ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }
}
