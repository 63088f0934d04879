// HTIF, the riscv-tests/Spike host interface: the guest writes a command to `tohost`.
// Device 0: exit (payload odd: code = payload >> 1) or a syscall block (only write is
// served); device 1 command 1: console putchar.
import type { Core } from "./core.js";

export type HtifResult = { exit: number } | { exit?: undefined };

export class Htif {
  constructor(
    private readonly core: Core,
    private readonly tohost: bigint,
    private readonly fromhost: bigint,
    private readonly output: (bytes: Uint8Array) => void,
  ) {}

  private read64(pa: bigint): bigint | null {
    const v = this.core.ramView(Number(pa), 8);
    return v ? new DataView(v.buffer, v.byteOffset, 8).getBigUint64(0, true) : null;
  }
  private write64(pa: bigint, value: bigint): void {
    const v = this.core.ramView(Number(pa), 8);
    if (v) new DataView(v.buffer, v.byteOffset, 8).setBigUint64(0, value, true);
  }

  /** Serves the command in tohost; returns the exit code when the guest asked to exit. */
  handle(): HtifResult {
    const cmd = this.read64(this.tohost);
    if (cmd === null || cmd === 0n) return {};
    const device = Number(cmd >> 56n);
    const command = Number((cmd >> 48n) & 0xffn);
    const payload = cmd & 0xffff_ffff_ffffn;
    this.write64(this.tohost, 0n);
    if (device === 0 && command === 0) {
      if (payload & 1n) return { exit: Number(payload >> 1n) };
      this.syscall(payload);
      this.write64(this.fromhost, 1n);
    } else if (device === 1 && command === 1) {
      this.output(new Uint8Array([Number(payload & 0xffn)]));
    }
    return {};
  }

  /** Spike's "magic memory" syscall block: [number, a0, a1, a2, ...]; SYS_write (64) only. */
  private syscall(block: bigint): void {
    const which = this.read64(block);
    const fd = this.read64(block + 8n);
    const buf = this.read64(block + 16n);
    const len = this.read64(block + 24n);
    let ret = -38n; // -ENOSYS
    if (which === 64n && (fd === 1n || fd === 2n) && buf !== null && len !== null) {
      const data = this.core.ramView(Number(buf), Number(len));
      if (data) {
        this.output(data.slice());
        ret = len;
      } else ret = -14n; // -EFAULT
    }
    this.write64(block, BigInt.asUintN(64, ret));
  }
}
