// virtio-rng (device ID 4): fills every device-writable buffer with bytes from
// globalThis.crypto.getRandomValues (at most 65536 bytes per call, its limit). The bytes
// are generated into a private buffer and copied, since getRandomValues refuses views
// of shared memory (guest RAM may be a SharedArrayBuffer). A request fills as much as
// the host step's budget allows and continues in later steps (its progress is an RngJob).
import type { DeviceState } from "../device.js";
import type { WorkBudget } from "./budget.js";
import type { VirtioDeviceModel } from "./mmio.js";
import { budgetedSlice, type DescChain, type Virtqueue } from "./queue.js";

export const VIRTIO_ID_RNG = 4;
const CHUNK = 65536;

/** A request in progress: bytes filled so far of the chain's writable bytes. */
interface RngJob {
  head: number;
  done: number;
  [field: string]: number;
}

export interface VirtioRngOptions {
  /** QueueNumMax (default 8, as QEMU). */
  queueSize?: number;
  /** Where the bytes come from (default: crypto.getRandomValues; a seeded generator in deterministic mode). */
  fill?: (bytes: Uint8Array) => void;
}

export class VirtioRng implements VirtioDeviceModel {
  readonly deviceId = VIRTIO_ID_RNG;
  readonly features = 0n;
  readonly queueSizes: readonly number[];
  private scratch: Uint8Array | null = null;

  constructor(opts: VirtioRngOptions = {}) {
    const qsize = opts.queueSize ?? 8;
    if (!Number.isInteger(qsize) || qsize < 1 || qsize > 32768 || (qsize & (qsize - 1)) !== 0) {
      throw new RangeError(`virtio-rng: queue size ${qsize} is not a power of two in 1..32768`);
    }
    this.queueSizes = [qsize];
    if (opts.fill) this.source = opts.fill;
  }

  private source = (piece: Uint8Array) => { globalThis.crypto.getRandomValues(piece); };

  config(): Uint8Array {
    return new Uint8Array(0);
  }

  process(_queueIndex: number, queue: Virtqueue, budget: WorkBudget): void {
    for (;;) {
      const cur = queue.current<RngJob>(budget, (chain) => ({ head: chain.head, done: 0 }));
      if (!cur || !this.advance(cur.chain, cur.job, budget)) return; // nothing left, or the budget is spent
      queue.complete(cur.chain.writableBytes);
    }
  }

  reset(): void {}

  saveState(): DeviceState {
    return {};
  }

  loadState(_state: DeviceState): void {}

  /** Fill from job.done on, within the budget; true when the chain is full. */
  private advance(chain: DescChain, job: RngJob, budget: WorkBudget): boolean {
    const scratch = (this.scratch ??= new Uint8Array(CHUNK));
    while (job.done < chain.writableBytes) {
      if (budget.exhausted) return false;
      const { segs, bytes: n } = budgetedSlice(chain.writable, job.done, Math.min(chain.writableBytes, job.done + CHUNK), budget);
      const piece = scratch.subarray(0, n);
      this.source(piece);
      let at = 0;
      for (const seg of segs) {
        seg.set(piece.subarray(at, at + seg.length));
        at += seg.length;
      }
      budget.spend(n, segs.length);
      job.done += n;
    }
    return true;
  }
}
