// What the gdb session (session.ts) needs from a machine: registers, memory, breakpoints,
// and running/stopping harts. One thread per hart; harts are numbered from 0 here (the
// session turns them into gdb's thread ids, which start at 1).
import type { RegisterInfo } from "./target-xml.js";

export type StopEvent =
  /** A breakpoint at the hart's pc; `sw`/`hw`: which kinds of breakpoint are set there. */
  | { kind: "breakpoint"; hart: number; sw: boolean; hw: boolean }
  /** A single step completed (an exception or interrupt taken counts as the step). */
  | { kind: "step"; hart: number }
  /** Ctrl-C from the debugger. */
  | { kind: "interrupt"; hart: number }
  /** Stopped for the debugger to attach (-S, or a debugger connecting to a running machine). */
  | { kind: "halt"; hart: number }
  /** The machine is gone (guest exit, poweroff, timeout) with this exit status. */
  | { kind: "exited"; status: number };

/** What a hart does when the machine resumes. */
export type HartAction = "continue" | "step" | "stop";

export interface DebugTarget {
  readonly hartCount: number;
  /** Every register gdb can ask for, by remote number. */
  readonly registers: readonly RegisterInfo[];
  /** The target description gdb reads (qXfer:features:read:target.xml). */
  readonly description: string;
  /** True while the machine runs (only Ctrl-C may be acted on then). */
  readonly running: boolean;
  /** Called when the machine stops (after resume(), interrupt() or halt()) or exits. */
  onStop: ((event: StopEvent) => void) | null;

  readRegister(hart: number, regnum: number): bigint | null;
  /** False when the register does not exist or refuses the write (read-only CSR). */
  writeRegister(hart: number, regnum: number, value: bigint): boolean;

  /** Bytes from `addr` as hart `hart` sees memory now; shorter (maybe empty) where it stops being readable. */
  readMemory(hart: number, addr: bigint, length: number): Uint8Array;
  /** All of `bytes` at `addr`, or nothing (false) when any part cannot be written. */
  writeMemory(hart: number, addr: bigint, bytes: Uint8Array): boolean;

  /** Breakpoints by virtual address; they never change guest memory. False when the table is full. */
  addBreakpoint(kind: "sw" | "hw", addr: bigint): boolean;
  removeBreakpoint(kind: "sw" | "hw", addr: bigint): boolean;

  /** Resumes with one action per hart; the next stop is reported through onStop. */
  resume(actions: readonly HartAction[], opts?: { stepTakesInterrupts?: boolean }): void;
  /** Ctrl-C: stop the running machine (reported as an "interrupt" stop). */
  interrupt(): void;
  /** Stop the running machine for a debugger that attaches (reported as a "halt" stop). */
  halt(): void;
  /** The last stop (for `?`), or null while running. */
  readonly lastStop: StopEvent | null;

  /** The debugger leaves: breakpoints go and the machine runs on. */
  detach(): void;
  /** The debugger ends the machine. */
  kill(): void;

  /** One line about hart h for `info threads` (privilege, run state). */
  describeHart(hart: number): string;
}
