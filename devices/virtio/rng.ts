// virtio-rng (device ID 4): fills every device-writable buffer with bytes from
// globalThis.crypto.getRandomValues (at most 65536 bytes per call, its limit). The bytes
// are generated into a private buffer and copied, since getRandomValues refuses views
// of shared memory (guest RAM may be a SharedArrayBuffer).
import type { DeviceState } from "../device.js";
import type { VirtioDeviceModel } from "./mmio.js";
import type { Virtqueue } from "./queue.js";

export const VIRTIO_ID_RNG = 4;
const CHUNK = 65536;

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

  process(_queueIndex: number, queue: Virtqueue): void {
    for (let chain = queue.pop(); chain; chain = queue.pop()) {
      for (const buf of chain.writable) this.fill(buf);
      queue.push(chain, chain.writableBytes);
    }
  }

  reset(): void {}

  saveState(): DeviceState {
    return {};
  }

  loadState(_state: DeviceState): void {}

  private fill(buf: Uint8Array): void {
    const scratch = (this.scratch ??= new Uint8Array(CHUNK));
    for (let off = 0; off < buf.length; off += CHUNK) {
      const n = Math.min(CHUNK, buf.length - off);
      const piece = scratch.subarray(0, n);
      this.source(piece);
      buf.set(piece, off);
    }
  }
}
