// A machine: the core, the bus of host devices, firmware handling and the run loop that
// drives time, HTIF, idling and stop requests (DESIGN.md §1, §5).
import { Core, Reason, type MmioHandler } from "./core.js";
import { Htif } from "./htif.js";
import { disassemble } from "./disasm.js";
import { now, yieldToEventLoop, Sleeper } from "./scheduler.js";
import type { ElfImage } from "../images/elf.js";
import { loadElf } from "../images/load.js";

export const TIMEBASE_HZ = 10_000_000;
const TICKS_PER_MS = TIMEBASE_HZ / 1000;
/** Instructions per hart per core.run() call: long enough to amortise the call, short for latency. */
const SLICE = 100_000;
/** How often the loop lets the host's event loop run (input, timers). */
const YIELD_EVERY_MS = 8;
const PRIV_NAMES = ["U", "S", "?", "M"];

export interface MachineOptions {
  wasm: BufferSource | WebAssembly.Module;
  ramBytes: number;
  harts: number;
  /** Guest console output (HTIF console now, the UART on the board). */
  output: (bytes: Uint8Array) => void;
}

export interface RunOptions {
  /** Stop after this many milliseconds of wall time with status 124. */
  timeoutMs?: number;
  /** Print the first N executed instructions through `traceOut`. */
  trace?: number;
  traceOut?: (line: string) => void;
}

export type ExitReason = "htif" | "timeout" | "poweroff" | "fail" | "stopped";
export interface ExitInfo { status: number; reason: ExitReason }

/** An MMIO bus that has nothing mapped yet (the board adds devices). */
class EmptyBus implements MmioHandler {
  read(): number { return 0; }
  write(): void {}
}

export class Machine {
  readonly core: Core;
  private htif: Htif | null = null;
  private readonly sleeper = new Sleeper();
  private startMs = 0;
  private requestedExit: ExitInfo | null = null;

  private constructor(core: Core, private readonly opts: MachineOptions) {
    this.core = core;
  }

  static async create(opts: MachineOptions, bus: MmioHandler = new EmptyBus()): Promise<Machine> {
    const core = await Core.create(opts.wasm, { ramBytes: opts.ramBytes, harts: opts.harts, mmio: bus });
    return new Machine(core, opts);
  }

  /** Bare-metal boot (--bios none): the ELF's segments at their physical addresses, every hart at its entry in M-mode. */
  loadBareMetal(elf: ElfImage, name: string): void {
    loadElf(this.core, elf, name);
    for (let h = 0; h < this.core.harts; h++) {
      this.core.resetHart(h, elf.entry);
      this.core.setX(h, 10, BigInt(h)); // a0 = hartid, as the riscv-tests and QEMU expect
    }
    const tohost = elf.symbols.get("tohost");
    if (tohost !== undefined) {
      const fromhost = elf.symbols.get("fromhost") ?? 0n;
      this.core.setHtif(tohost, fromhost);
      this.htif = new Htif(this.core, tohost, fromhost, this.opts.output);
    }
  }

  /** Asks the run loop to end with this status (a device powered the machine off, Ctrl-A x, ...). */
  requestExit(info: ExitInfo): void {
    this.requestedExit ??= info;
    this.core.stop();
    this.sleeper.wake();
  }

  /** Input arrived or something else needs the loop: stop sleeping. */
  wake(): void { this.sleeper.wake(); }

  private syncTime(): void {
    const ticks = BigInt(Math.floor((now() - this.startMs) * TICKS_PER_MS));
    if (ticks > this.core.mtime) this.core.mtime = ticks;
  }

  /** One core.run() and what it leads to; an ExitInfo when the machine is done. */
  private async step(budget: number): Promise<ExitInfo | null> {
    this.syncTime();
    const reason = this.core.run(budget);
    if (this.requestedExit) return this.requestedExit;
    switch (reason) {
      case Reason.Htif: {
        const r = this.htif?.handle();
        if (r?.exit !== undefined) return { status: exitStatus(r.exit), reason: "htif" };
        return null;
      }
      case Reason.Idle: {
        const deadline = this.core.nextTimerDeadline();
        const waitMs = Math.min(100, Math.max(0, (deadline - Number(this.core.mtime)) / TICKS_PER_MS));
        if (waitMs > 0) await this.sleeper.sleep(waitMs);
        return null;
      }
      case Reason.Fatal:
        return { status: 1, reason: "fail" };
      default:
        return null;
    }
  }

  async run(opts: RunOptions = {}): Promise<ExitInfo> {
    this.startMs = now();
    let lastYield = this.startMs;
    const deadline = opts.timeoutMs !== undefined ? this.startMs + opts.timeoutMs : Infinity;
    let traced = 0;
    for (;;) {
      let exit: ExitInfo | null;
      if (opts.trace && traced < opts.trace) {
        this.traceLine(opts.traceOut ?? (() => {}));
        traced++;
        exit = await this.step(1);
      } else {
        exit = await this.step(SLICE);
      }
      if (exit) return exit;
      const t = now();
      if (t >= deadline) return { status: 124, reason: "timeout" };
      if (t - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = now();
      }
    }
  }

  private traceLine(out: (line: string) => void): void {
    for (let h = 0; h < this.core.harts; h++) {
      const pc = this.core.getPc(h);
      const mode = PRIV_NAMES[this.core.getPriv(h)] ?? "?";
      const bits = this.core.peekInstruction(h);
      const text = bits === null ? "<fetch fault>" : disassemble(bits, pc, (x) => this.core.expandCompressed(x));
      const raw = bits === null ? "        " : ((bits & 3) === 3 ? bits.toString(16).padStart(8, "0") : "    " + bits.toString(16).padStart(4, "0"));
      out(`hart${h} ${mode} 0x${pc.toString(16).padStart(16, "0")}: ${raw}  ${text}`);
    }
  }
}

/** A guest exit code as a process exit status: 0 stays 0, anything else stays non-zero. */
export function exitStatus(code: number): number {
  if (code === 0) return 0;
  const s = code & 0xff;
  return s === 0 ? 1 : s;
}
