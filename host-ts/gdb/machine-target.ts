// The DebugTarget over a machine's engine (vm.ts): registers from the hart slots and the core's CSR logic,
// memory through the hart's current translation (RAM only), breakpoints and steps in the
// core (core-as/debug.ts), and a gate the machine's run loop passes before every slice,
// where it waits while the debugger holds it.
//
// Device memory is refused, for reads as for writes: a read of a device register can have
// side effects (a UART receive buffer pops, an interrupt status clears), which a debugger
// must never cause. gdb shows such addresses as "Cannot access memory".
import type { Core } from "../core.js";
import { RAM_BASE, RunState } from "../core.js";
import type { ExitInfo } from "../vm.js";
import type { DebugTarget, HartAction, StopEvent } from "./target.js";
import { registerSet, targetXml, REG_PC, REG_F0, REG_CSR0, REG_PRIV, type RegisterInfo } from "./target-xml.js";

/** What the target needs of a machine (the engine, Vm, provides it; tests may provide their own). */
export interface DebuggableMachine {
  readonly core: Core;
  /** Awaited by the run loop before every slice: null runs on, a promise holds the loop until it settles. */
  debugGate: (() => Promise<ExitInfo | null> | null) | null;
}

const PRIV_NAMES: Record<number, string> = { 0: "U-mode", 1: "S-mode", 3: "M-mode" };
const RUN_NAMES: Record<number, string> = { [RunState.Active]: "running", [RunState.Wfi]: "wfi", [RunState.Stopped]: "stopped" };

export class MachineDebugTarget implements DebugTarget {
  readonly hartCount: number;
  readonly registers: readonly RegisterInfo[];
  readonly description: string;
  onStop: ((event: StopEvent) => void) | null = null;
  lastStop: StopEvent | null = null;

  private readonly core: Core;
  private readonly csrs: Set<number>;
  /** "kind:address" of every breakpoint the debugger set. */
  private readonly breakpoints = new Set<string>();
  private paused: boolean;
  private release: ((exit: ExitInfo | null) => void) | null = null;
  private pendingStop: "interrupt" | "halt" | null = null;
  private ending: ExitInfo | null = null;

  /** `startPaused`: hold the machine before its first instruction until the debugger resumes it (-S). */
  constructor(private readonly machine: DebuggableMachine, opts: { startPaused?: boolean } = {}) {
    this.core = machine.core;
    this.hartCount = this.core.harts;
    const csrs: number[] = [];
    for (let n = 0; n < 0x1000; n++) if (this.core.readCsr(0, n) !== null) csrs.push(n);
    this.csrs = new Set(csrs);
    this.registers = registerSet(csrs);
    this.description = targetXml(this.registers);
    this.paused = opts.startPaused ?? false;
    if (this.paused) this.lastStop = { kind: "halt", hart: 0 };
    machine.debugGate = () => this.gate();
  }

  get running(): boolean { return !this.paused; }

  // --- the run loop's gate ---

  private gate(): Promise<ExitInfo | null> | null {
    if (this.ending) return Promise.resolve(this.ending);
    if (!this.paused) {
      const event = this.core.takeDebugEvent();
      if (event?.cause === "breakpoint") {
        const pc = this.core.getPc(event.hart);
        this.stop({ kind: "breakpoint", hart: event.hart, sw: this.breakpoints.has(`sw:${pc}`), hw: this.breakpoints.has(`hw:${pc}`) });
      } else if (event) {
        this.stop({ kind: "step", hart: event.hart });
      } else if (this.pendingStop) {
        this.stop({ kind: this.pendingStop, hart: this.core.stoppedHart() });
      }
    }
    if (this.ending) return Promise.resolve(this.ending);
    if (!this.paused) return null;
    return new Promise((resolve) => { this.release = resolve; });
  }

  private stop(event: StopEvent): void {
    this.paused = true;
    this.pendingStop = null;
    this.core.debugControl(0, -1);
    this.lastStop = event;
    this.onStop?.(event);
  }

  private letGo(): void {
    this.paused = false;
    this.lastStop = null;
    const release = this.release;
    this.release = null;
    release?.(null);
  }

  resume(actions: readonly HartAction[], opts: { stepTakesInterrupts?: boolean } = {}): void {
    if (!this.paused || this.ending) return;
    let held = 0;
    let step = -1;
    for (let h = 0; h < this.hartCount; h++) {
      const a = actions[h] ?? "stop";
      if (a === "stop") held |= 1 << h;
      else if (a === "step") {
        if (step < 0) step = h;
        else held |= 1 << h; // one hart steps at a time; a second one waits
      }
    }
    if (held === (1 << this.hartCount) - 1 && step < 0) return; // nothing would run: stay stopped
    this.core.debugControl(held, step, opts.stepTakesInterrupts ?? false);
    this.letGo();
  }

  interrupt(): void { this.requestStop("interrupt"); }
  halt(): void { this.requestStop("halt"); }

  private requestStop(kind: "interrupt" | "halt"): void {
    if (this.paused || this.ending) return;
    this.pendingStop ??= kind;
    this.core.stop(); // ends the current run() early; the gate stops the loop next
  }

  /** The machine's run has ended (guest exit, poweroff, timeout): tell the debugger. */
  exited(status: number): void {
    this.paused = true;
    this.lastStop = { kind: "exited", status };
    this.onStop?.(this.lastStop);
  }

  detach(): void {
    this.breakpoints.clear();
    this.core.setBreakpoints([]);
    this.core.debugControl(0, -1);
    this.pendingStop = null;
    if (this.paused && this.lastStop?.kind !== "exited") this.letGo();
  }

  kill(): void {
    this.ending = { status: 0, reason: "stopped" };
    this.core.stop();
    const release = this.release;
    this.release = null;
    release?.(this.ending);
  }

  // --- registers ---

  readRegister(hart: number, regnum: number): bigint | null {
    if (!this.hartOk(hart)) return null;
    const c = this.core;
    if (regnum === 0) return 0n; // the slot may hold what an instruction wrote to x0; x0 reads zero
    if (regnum < 32) return c.getX(hart, regnum);
    if (regnum === REG_PC) return c.getPc(hart);
    if (regnum < REG_CSR0) return c.getF(hart, regnum - REG_F0);
    if (regnum === REG_PRIV) return BigInt(c.getPriv(hart));
    const csr = regnum - REG_CSR0;
    return this.csrs.has(csr) ? c.readCsr(hart, csr) : null;
  }

  writeRegister(hart: number, regnum: number, value: bigint): boolean {
    if (!this.hartOk(hart)) return false;
    const c = this.core;
    const v = BigInt.asUintN(64, value);
    if (regnum < 32) { c.setX(hart, regnum, v); return true; }
    if (regnum === REG_PC) { c.setPc(hart, v); return true; }
    if (regnum < REG_CSR0) { c.setF(hart, regnum - REG_F0, v); return true; }
    if (regnum === REG_PRIV) {
      if (v !== 0n && v !== 1n && v !== 3n) return false;
      c.setPriv(hart, Number(v));
      return true;
    }
    const csr = regnum - REG_CSR0;
    return this.csrs.has(csr) && c.writeCsr(hart, csr, v);
  }

  // --- memory ---

  readMemory(hart: number, addr: bigint, length: number): Uint8Array {
    if (!this.hartOk(hart)) return new Uint8Array(0);
    const out = new Uint8Array(length);
    let done = 0;
    for (const { pa, len } of this.pieces(hart, addr, length)) {
      const ram = this.ramSlice(pa, len);
      if (!ram) break;
      out.set(ram, done);
      done += len;
    }
    return out.subarray(0, done);
  }

  writeMemory(hart: number, addr: bigint, bytes: Uint8Array): boolean {
    if (!this.hartOk(hart)) return false;
    const pieces = [...this.pieces(hart, addr, bytes.length)];
    if (pieces.reduce((n, p) => n + p.len, 0) !== bytes.length) return false;
    if (pieces.some((p) => this.ramSlice(p.pa, p.len) === null)) return false;
    let done = 0;
    for (const { pa, len } of pieces) {
      // ramView retires compiled code on the pages it covers (the debugger may patch code).
      this.core.ramView(Number(pa), len)!.set(bytes.subarray(done, done + len));
      done += len;
    }
    return true;
  }

  /** [addr, addr+length) cut at page boundaries and translated; ends early at the first unmapped page. */
  private *pieces(hart: number, addr: bigint, length: number): Generator<{ pa: bigint; len: number }> {
    let va = addr;
    let left = length;
    while (left > 0 && va < 1n << 64n) {
      const pa = this.core.translate(hart, va);
      if (pa === null) return;
      const len = Math.min(left, 4096 - Number(va & 0xfffn));
      yield { pa, len };
      va += BigInt(len);
      left -= len;
    }
  }

  /** A copy-free view of RAM at physical [pa, pa+len), without telling the JIT (reads only), or null. */
  private ramSlice(pa: bigint, len: number): Uint8Array | null {
    const off = pa - BigInt(RAM_BASE);
    if (off < 0n || off + BigInt(len) > BigInt(this.core.ramSize)) return null;
    return new Uint8Array(this.core.memory.buffer, this.core.layout.RAM_OFFSET + Number(off), len);
  }

  // --- breakpoints ---

  addBreakpoint(kind: "sw" | "hw", addr: bigint): boolean {
    const key = `${kind}:${BigInt.asUintN(64, addr)}`;
    if (this.breakpoints.has(key)) return true;
    this.breakpoints.add(key);
    if (this.syncBreakpoints()) return true;
    this.breakpoints.delete(key);
    this.syncBreakpoints();
    return false;
  }

  removeBreakpoint(kind: "sw" | "hw", addr: bigint): boolean {
    this.breakpoints.delete(`${kind}:${BigInt.asUintN(64, addr)}`);
    this.syncBreakpoints();
    return true; // removing one that is not there is not an error (gdb may retry after a reconnect)
  }

  /** Hands the distinct addresses to the core; false when they do not all fit. */
  private syncBreakpoints(): boolean {
    const addrs = [...new Set([...this.breakpoints].map((k) => BigInt(k.slice(3))))];
    return this.core.setBreakpoints(addrs) === addrs.length;
  }

  describeHart(hart: number): string {
    if (!this.hartOk(hart)) return "";
    return `hart ${hart}, ${PRIV_NAMES[this.core.getPriv(hart)] ?? "?"}, ${RUN_NAMES[this.core.getRunState(hart)] ?? "?"}`;
  }

  private hartOk(hart: number): boolean {
    return Number.isInteger(hart) && hart >= 0 && hart < this.hartCount;
  }
}
