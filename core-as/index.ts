// The core's exports (DESIGN.md §2). No i64 crosses this boundary: 64-bit values go
// through linear memory (hart slots and SH_SCRATCH), whose layout is exported below.
import {
  HART, HART_SIZE, HART_SAVE, XREG, FREG, S_PC, S_PRIV, S_RUNSTATE, S_MSTATUS, S_MIE, S_MIP,
  S_SATP, S_PMPCFG, S_PMPADDR, S_STIMECMP, S_MENVCFG, S_MEDELEG, S_MIDELEG, S_MCOUNTEREN, S_SCOUNTEREN,
  SH_MTIME, SH_MTIMECMP, SH_MSIP, SH_EXT_IRQ, SH_TOHOST, SH_FROMHOST, SH_SCRATCH, SH_MMIO_COUNT,
  SH_MMIO_MAP, MMIO_MAX, SH_CONSOLE_LEN, SH_CONSOLE, CONSOLE_SIZE, RAM_OFFSET, MAX_HARTS, DCACHE, DCACHE_SIZE, TLB_BASE, TLB_PER_HART,
  SHARED, SHARED_END, S_END, S_RETIRED, S_MCAUSE, S_MTVAL, S_MEPC, S_SCAUSE, S_STVAL, S_SEPC, S_MTVEC, S_STVEC, S_FCSR,
  JIT_MAP, JIT_QUEUE, JIT_PAGES, JIT_COUNTS, JIT_END, JIT_NONE, JIT_MAX_INSNS, TLB_TAGS_R, TLB_TAGS_W, TLB_TAGS_X, TLB_ADDEND,
  RAM_PRESENT, RAM_PRESENT_SIZE, SH_LAST_HART, SHARED_STATE_END,
  DEBUG_BREAKPOINTS, DEBUG_BREAKPOINTS_MAX, JIT_REMAINING, JIT_DATA_TLB, JIT_STRAIGHT_EXIT,
} from "./layout";
import { configure, requestAttention, hartCount, setLazyRam } from "./state";
import { runAll, lastHart, saveLastHart, loadLastHart } from "./cpu";
import { resetHart, loadHart, slotOf } from "./hart";
import { flushAllTlbs } from "./tlb";
import { peekInstruction } from "./mmu";
import { requestStop, STOP_HOST } from "./env";
import { setSbiEnabled, setSbiConsoleInCore } from "./sbi";
import { ENVCFG_STCE } from "./trap";
import { decode16, decode32, dImm } from "./gen/decode";
import { expandCompressed as expandC } from "./rvc";

export {
  HART, HART_SIZE, HART_SAVE, XREG, FREG, S_PC, S_PRIV, S_RUNSTATE, S_MSTATUS, S_MIE, S_MIP,
  S_SATP, S_PMPCFG, S_PMPADDR, S_STIMECMP, S_MENVCFG, S_MEDELEG, S_MIDELEG, S_MCOUNTEREN, S_SCOUNTEREN,
  SH_MTIME, SH_MTIMECMP, SH_MSIP, SH_EXT_IRQ, SH_TOHOST, SH_FROMHOST, SH_SCRATCH, SH_MMIO_COUNT,
  SH_MMIO_MAP, MMIO_MAX, SH_CONSOLE_LEN, SH_CONSOLE, CONSOLE_SIZE, RAM_OFFSET, MAX_HARTS, DCACHE, DCACHE_SIZE, TLB_BASE, TLB_PER_HART,
  SHARED, SHARED_END, S_END, S_RETIRED, S_MCAUSE, S_MTVAL, S_MEPC, S_SCAUSE, S_STVAL, S_SEPC, S_MTVEC, S_STVEC, S_FCSR,
  JIT_MAP, JIT_QUEUE, JIT_PAGES, JIT_COUNTS, JIT_END, JIT_NONE, JIT_MAX_INSNS, TLB_TAGS_R, TLB_TAGS_W, TLB_TAGS_X, TLB_ADDEND,
  RAM_PRESENT, RAM_PRESENT_SIZE, SH_LAST_HART, SHARED_STATE_END,
  DEBUG_BREAKPOINTS, DEBUG_BREAKPOINTS_MAX, JIT_REMAINING, JIT_DATA_TLB, JIT_STRAIGHT_EXIT,
};

// The debugger (host-ts/gdb/): breakpoints, stepping, held harts, CSRs and translation.
export { debugSetBreakpoints, debugControl, debugTakeEvent, debugTranslate, debugCsr } from "./debug";

// The translation tier: what the host's compiler (host-ts/jit/) reads, writes and imports.
export { pc, trapped, attention } from "./state";
export { remaining, spent } from "./counters";
export { fetchTlb } from "./tlb";
export { jitProtect, jitInstall, jitInvalidate, jitFlush, setJitThreshold, jitSecondHalf, jitRetired } from "./jit";
export { coreEventKinds, coreEventCount } from "./events";
export {
  jitExecute, jitMulh, jitMulhsu, jitMulhu, jitDiv, jitDivu, jitRem, jitRemu, jitDivw, jitDivuw,
  jitRemw, jitRemuw,
} from "./jit-helpers";

/** Where the core's own data ends (the host checks it lies below HART). */
export function heapBase(): u32 { return <u32>__heap_base; }

/**
 * Sets up a machine of `harts` harts and `ramBytes` of RAM in fresh memory (all zeros, sized
 * by the host). Zero is already every cache's empty state, so only the TLB tags of the harts
 * in use are written: touching megabytes of memory here would cost every new machine (and
 * every fork) their page faults and RSS.
 */
export function init(harts: u32, ramBytes: u32): void {
  configure(harts, <u64>ramBytes);
  flushAllTlbs(hartCount);
  for (let h: u32 = 0; h < hartCount; h++) resetHart(h, 0x8000_0000);
}

/** Resets hart h to M-mode at the 64-bit entry address held in SH_SCRATCH. */
export function reset(h: u32): void {
  if (h >= hartCount) return;
  resetHart(h, load<u64>(SH_SCRATCH));
}

/** Executes up to `budget` instructions on each hart; returns a REASON_* code. */
export function run(budget: i32): i32 {
  loadLastHart();
  const reason = runAll(budget);
  saveLastHart();
  return reason;
}

/** Whether the first touch of a RAM page calls env.pageIn (RAM_PRESENT). */
export function setLazyRamPaging(on: u32): void { setLazyRam(on != 0); }

/** The hart that ended the last run() (the one that made an SBI call or wrote tohost). */
export function stoppedHart(): u32 { return lastHart; }

/** An interrupt line changed (PLIC context output): ctx 2h is M-mode, 2h+1 S-mode of hart h. */
export function setExternalInterrupt(ctx: u32, level: u32): void {
  if (ctx >= 2 * MAX_HARTS) return;
  store<u32>(SH_EXT_IRQ + ctx * 4, level != 0 ? 1 : 0);
  requestAttention();
}

/** Ends the current run() as soon as the running instruction completes (device poweroff, ...). */
export function stop(): void {
  requestStop(STOP_HOST);
}

export function enableBuiltinSbi(on: u32): void { setSbiEnabled(on != 0); }

/** The host drains SH_CONSOLE after every run(): the built-in SBI's console calls stay in the core. */
export function sbiConsoleInCore(on: u32): void { setSbiConsoleInCore(on != 0); }

/** TLBs must be dropped after the host edits translation state in a hart slot. */
export function flushTlbs(): void { flushAllTlbs(hartCount); }

/** Instruction bits at hart h's pc, without side effects; 0xffffffff when unreadable. */
export function peekInstructionAt(h: u32): u32 {
  loadHart(h);
  const w = peekInstruction(load<u64>(slotOf(h) + (S_PC - HART)));
  return w < 0 ? 0xffff_ffff : <u32>w;
}

/**
 * The earliest mtime at which a timer interrupt can become pending on any hart, as f64
 * (exact below 2^53; "never" comes out as about 1.8e19).
 */
export function nextTimerDeadline(): f64 {
  let best: u64 = <u64>-1;
  for (let h: u32 = 0; h < hartCount; h++) {
    const m = load<u64>(SH_MTIMECMP + (h << 3));
    if (m < best) best = m;
    const slot = slotOf(h);
    if (load<u64>(slot + (S_MENVCFG - HART)) & ENVCFG_STCE) {
      const s = load<u64>(slot + (S_STIMECMP - HART));
      if (s < best) best = s;
    }
  }
  return <f64>best;
}

/** The 32-bit expansion of compressed instruction h (0 when reserved or not compressed). */
export function expandCompressed(h: u32): u32 {
  const c = decode16(h & 0xffff);
  return c != 0 ? expandC(c, h & 0xffff) : 0;
}

/** The op id the decoder gives these bits (compressed: the op of their expansion); 0 = illegal. */
export function decodeOp(bits: u32): u32 {
  if ((bits & 3) != 3) {
    const w = expandCompressed(bits);
    return w != 0 ? decode32(w) : 0;
  }
  return decode32(bits);
}

/** The immediate the decoder gives a 32-bit instruction (as the interpreter sees it). */
export function decodeImm(w: u32): i32 {
  decode32(w);
  return <i32>dImm;
}
