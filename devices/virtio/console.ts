// virtio-console (device ID 3), one port: a byte channel between host and guest that
// Linux's virtio_console driver exposes as an hvc terminal (/dev/hvc0, or /dev/hvc1 when
// the kernel's SBI console already holds hvc0), apart from the kernel log on the UART.
// Queue 0 carries host→guest bytes into buffers the guest posts; queue 1 carries
// guest→host bytes. Host input waits, in order and in full, until the guest has posted
// buffers for it. VIRTIO_CONSOLE_F_EMERG_WRITE is offered (a byte written to emerg_wr is
// output), and VIRTIO_CONSOLE_F_SIZE when a terminal size is given.
import type { DeviceState } from "../device.js";
import type { VirtioDeviceModel } from "./mmio.js";
import { copyToBuffers, VirtioError, type Virtqueue } from "./queue.js";

export const VIRTIO_ID_CONSOLE = 3;
export const VIRTIO_CONSOLE_F_SIZE = 1n << 0n;
export const VIRTIO_CONSOLE_F_EMERG_WRITE = 1n << 2n;

const RECEIVEQ = 0;
const TRANSMITQ = 1;
const CONFIG_BYTES = 12;
const EMERG_WR = 8;
/** Largest transmit chain (Linux sends at most a page): more is a driver error, not a copy of gigabytes. */
export const MAX_TRANSMIT_CHAIN = 1024 * 1024;

/** The transport's per-step work budget (WorkBudget in devices/virtio/budget.ts, where it exists). */
export interface StepBudget {
  readonly exhausted: boolean;
  spend(bytes: number, descriptors: number): void;
}

/** What a device model that receives work from the host needs of its transport (VirtioMmio has both). */
export interface VirtioTransportLink {
  processQueue(index: number): void;
  notifyConfigChange(): void;
}

export interface VirtioConsoleOptions {
  /** Bytes the guest writes (each call gets its own copy). */
  onOutput?: (bytes: Uint8Array) => void;
  /** Terminal size the guest is told (offers VIRTIO_CONSOLE_F_SIZE). */
  size?: { cols: number; rows: number };
  /** QueueNumMax of both queues (default 128, as QEMU). */
  queueSize?: number;
}

export class VirtioConsole implements VirtioDeviceModel {
  readonly deviceId = VIRTIO_ID_CONSOLE;
  readonly features: bigint;
  readonly queueSizes: readonly number[];
  onOutput: ((bytes: Uint8Array) => void) | null;
  private link: VirtioTransportLink | null = null;
  private pending: Uint8Array[] = [];
  private pendingHead = 0; // bytes of pending[0] already delivered
  private cols: number;
  private rows: number;

  constructor(opts: VirtioConsoleOptions = {}) {
    const qsize = opts.queueSize ?? 128;
    if (!Number.isInteger(qsize) || qsize < 2 || qsize > 32768 || (qsize & (qsize - 1)) !== 0) {
      throw new RangeError(`virtio-console: queue size ${qsize} is not a power of two in 2..32768`);
    }
    this.queueSizes = [qsize, qsize];
    this.onOutput = opts.onOutput ?? null;
    this.features = VIRTIO_CONSOLE_F_EMERG_WRITE | (opts.size ? VIRTIO_CONSOLE_F_SIZE : 0n);
    this.cols = 0;
    this.rows = 0;
    if (opts.size) this.setSize(opts.size.cols, opts.size.rows);
  }

  /** Connect the transport, so host input and size changes reach the guest without a guest notify. */
  attach(link: VirtioTransportLink): void {
    this.link = link;
  }

  /** Send bytes to the guest (copied; delivered as soon as the guest has buffers posted). */
  write(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.pending.push(bytes.slice());
    this.link?.processQueue(RECEIVEQ);
  }

  /** Bytes written by the host that the guest has not received yet. */
  get pendingBytes(): number {
    return this.pending.reduce((n, b) => n + b.length, 0) - this.pendingHead;
  }

  /** Change the terminal size the guest sees (only with a size given at construction). */
  resize(cols: number, rows: number): void {
    if (!(this.features & VIRTIO_CONSOLE_F_SIZE)) throw new Error("virtio-console: created without a terminal size");
    this.setSize(cols, rows);
    this.link?.notifyConfigChange();
  }

  config(): Uint8Array {
    const cfg = new Uint8Array(CONFIG_BYTES);
    const dv = new DataView(cfg.buffer);
    dv.setUint16(0, this.cols, true);
    dv.setUint16(2, this.rows, true);
    dv.setUint32(4, 1, true); // max_nr_ports (meaningful with MULTIPORT only)
    return cfg;
  }

  writeConfig(offset: number, _size: 1 | 2 | 4, value: number): void {
    if (offset === EMERG_WR) this.emit(Uint8Array.of(value & 0xff));
  }

  /** Chains are handled whole, while the transport's per-step budget (if any) lasts. */
  process(queueIndex: number, queue: Virtqueue, budget?: StepBudget): void {
    if (queueIndex === TRANSMITQ) {
      while (!budget?.exhausted) {
        const chain = queue.pop();
        if (!chain) return;
        if (chain.readableBytes > MAX_TRANSMIT_CHAIN) {
          throw new VirtioError(`virtio-console: transmit chain of ${chain.readableBytes} bytes (at most ${MAX_TRANSMIT_CHAIN})`);
        }
        budget?.spend(chain.readableBytes, chain.readable.length + chain.writable.length);
        const out = new Uint8Array(chain.readableBytes);
        let at = 0;
        for (const b of chain.readable) {
          out.set(b, at);
          at += b.length;
        }
        queue.push(chain, 0);
        if (out.length) this.emit(out);
      }
      return;
    }
    if (queueIndex !== RECEIVEQ) return;
    // Take a receive buffer only when there is something to put in it.
    while (this.pending.length > 0 && !budget?.exhausted) {
      const chain = queue.pop();
      if (!chain) return;
      let written = 0;
      while (this.pending.length > 0 && written < chain.writableBytes) {
        const head = this.pending[0].subarray(this.pendingHead);
        const n = copyToBuffers(chain.writable, written, head);
        written += n;
        if (n === head.length) {
          this.pending.shift();
          this.pendingHead = 0;
        } else {
          this.pendingHead += n;
        }
      }
      queue.push(chain, written);
      budget?.spend(written, chain.writable.length);
    }
  }

  /** The driver went away: bytes not yet received stay queued for the next one. */
  reset(): void {}

  saveState(): DeviceState {
    const rest = this.pending.length ? [this.pending[0].subarray(this.pendingHead), ...this.pending.slice(1)] : [];
    return { cols: this.cols, rows: this.rows, pending: rest.map((b) => Array.from(b)) };
  }

  loadState(state: DeviceState): void {
    const { cols, rows, pending } = state as { cols: unknown; rows: unknown; pending: unknown };
    const u16 = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffff;
    if (!u16(cols) || !u16(rows)) throw new Error("bad device state: cols/rows");
    if (!Array.isArray(pending) || !pending.every((p) => Array.isArray(p) && p.every((x) => Number.isInteger(x) && x >= 0 && x <= 255))) {
      throw new Error("bad device state: pending is not a list of byte arrays");
    }
    this.cols = cols as number;
    this.rows = rows as number;
    this.pending = (pending as number[][]).filter((p) => p.length).map((p) => Uint8Array.from(p));
    this.pendingHead = 0;
  }

  private setSize(cols: number, rows: number): void {
    if (!Number.isInteger(cols) || !Number.isInteger(rows) || cols < 1 || rows < 1 || cols > 0xffff || rows > 0xffff) {
      throw new RangeError(`virtio-console: terminal size ${cols}x${rows} is not in 1..65535`);
    }
    this.cols = cols;
    this.rows = rows;
  }

  private emit(bytes: Uint8Array): void {
    this.onOutput?.(bytes);
  }
}
