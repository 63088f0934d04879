// virtio-9p (device ID 9): one request queue; the configuration space is the mount tag
// (VIRTIO_9P_MOUNT_TAG). The guest mounts it with
//   mount -t 9p -o trans=virtio,version=9p2000.L TAG /mnt
// Each request is served completely within process(): its cost is bounded by msize and
// by one backend operation per path component, so the device keeps no partial work.
import type { DeviceState, Log } from "../../device.js";
import { stateNumber } from "../../device.js";
import type { FsBackend } from "../../fs/backend.js";
import type { VirtioDeviceModel } from "../mmio.js";
import type { Virtqueue } from "../queue.js";
import { P9Server } from "./server.js";
import { restoreFids, saveFids } from "./state.js";

export const VIRTIO_ID_9P = 9;

/**
 * The transport's per-step work budget (devices/virtio/budget.ts's WorkBudget, where the
 * transport has one). Each 9P request is served whole: one costs at most msize bytes of
 * copying plus a bounded number of backend calls, so a step may overrun by one request.
 */
export interface StepBudget {
  readonly exhausted: boolean;
  spend(bytes: number, descriptors: number): void;
}
export const VIRTIO_9P_MOUNT_TAG = 1n << 0n;
const MAX_TAG_BYTES = 255;

export interface VirtioP9Options {
  backend: FsBackend;
  /** The mount tag the guest names (1..255 bytes of UTF-8). */
  tag: string;
  /** Refuse every modification with EROFS. */
  readonly?: boolean;
  /** Largest msize offered (default 512 KiB; Linux's virtio transport takes at most ~500 KiB). */
  maxMsize?: number;
  /** QueueNumMax (default 128, as QEMU). */
  queueSize?: number;
  maxFids?: number;
  maxOpenFiles?: number;
  log?: Log;
}

export class VirtioP9 implements VirtioDeviceModel {
  readonly deviceId = VIRTIO_ID_9P;
  readonly features = VIRTIO_9P_MOUNT_TAG;
  readonly queueSizes: readonly number[];
  readonly server: P9Server;
  readonly tag: string;
  private readonly configBytes: Uint8Array;
  private readonly log: Log;

  constructor(opts: VirtioP9Options) {
    const tag = new TextEncoder().encode(opts.tag);
    if (tag.length < 1 || tag.length > MAX_TAG_BYTES || tag.includes(0)) {
      throw new RangeError(`virtio-9p: mount tag must be 1..${MAX_TAG_BYTES} bytes without NUL`);
    }
    const qsize = opts.queueSize ?? 128;
    if (!Number.isInteger(qsize) || qsize < 4 || qsize > 32768 || (qsize & (qsize - 1)) !== 0) {
      throw new RangeError(`virtio-9p: queue size ${qsize} is not a power of two in 4..32768`);
    }
    this.tag = opts.tag;
    this.queueSizes = [qsize];
    this.configBytes = new Uint8Array(2 + tag.length);
    new DataView(this.configBytes.buffer).setUint16(0, tag.length, true);
    this.configBytes.set(tag, 2);
    this.log = opts.log ?? (() => {});
    this.server = new P9Server({
      backend: opts.backend,
      readonly: opts.readonly,
      maxMsize: opts.maxMsize,
      maxFids: opts.maxFids,
      maxOpenFiles: opts.maxOpenFiles,
      log: this.log,
    });
  }

  config(): Uint8Array {
    return this.configBytes;
  }

  process(_queueIndex: number, queue: Virtqueue, budget?: StepBudget): void {
    while (!budget?.exhausted) {
      const chain = queue.pop();
      if (!chain) return;
      const written = this.server.handle(chain.readable, chain.readableBytes, chain.writable, chain.writableBytes);
      queue.push(chain, written);
      budget?.spend(Math.min(chain.readableBytes, this.server.msize) + written, chain.readable.length + chain.writable.length);
    }
  }

  /** The driver reset the device: the session and its fids are gone. */
  reset(): void {
    this.server.resetSession();
  }

  saveState(): DeviceState {
    return { msize: this.server.msize, fids: saveFids(this.server) };
  }

  loadState(state: DeviceState): void {
    const msize = stateNumber(state, "msize");
    if (!Number.isInteger(msize) || msize < 4096 || msize > this.server.maxMsize) throw new Error(`bad device state: msize ${msize}`);
    restoreFids(this.server, state.fids, this.log);
    this.server.msize = msize;
  }
}
