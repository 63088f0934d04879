// The core's half of the debugger (the gdb stub is host-ts/gdb/): breakpoints that never
// touch guest memory, single-stepping one hart, holding harts still, and a side-effect
// free view of registers, CSRs and address translation for the debugger.
//
// Breakpoints are virtual addresses, compared with pc before the instruction runs (as
// QEMU does), so the guest never sees them in its code. A page holding one is kept out of
// every instruction TLB (mmu.ts asks debugKeepsOutOfTlb before filling); every fast fetch
// path — the interpreter's code page, the TLB hit, compiled regions and their chaining —
// starts from an instruction-TLB hit, so fetches from such a page all take the slow path,
// where the run loop asks debugBreakAt. Compiled code never crosses a page, so it needs no
// flush and keeps running everywhere else.
import {
  HART, S_PRIV, S_SATP, S_RUNSTATE, S_MCOUNTINHIBIT, SH_SCRATCH, XREG, MAX_HARTS,
  DEBUG_BREAKPOINTS, DEBUG_BREAKPOINTS_MAX, REASON_DEBUG, RUN_ACTIVE, RUN_WFI, RUN_STOPPED,
} from "./layout";
import {
  pc, npc, setPc, setNpc, trapped, setTrapped, hartIndex, hartCount, inRam, ramHost, PRIV_M,
} from "./state";
import { requestStop } from "./env";
import { loadHart, saveHart, slotOf } from "./hart";
import { flushAllTlbs } from "./tlb";
import { fetchSlow } from "./mmu";
import { pendingInterrupts, takePendingInterrupt } from "./trap";
import { csrRead, csrWrite, csrValue } from "./csr";
import { startSlice, closeSlice, retireOne } from "./counters";
import { decode32, decode16, dImm } from "./gen/decode";
import { jitExecute } from "./jit-helpers";
import { expandCompressed } from "./rvc";

/** How many breakpoints the table holds; 0 keeps both hooks to one compare. */
export let debugBreakpoints: u32 = 0;
/** Harts that sit out run() (bit per hart), and the hart to single-step next (or -1). */
let heldHarts: u32 = 0;
let stepHart: i32 = -1;
/** Whether a step may take a pending interrupt (QEMU's default steps with them masked). */
let stepTakesInterrupts: bool = false;
/** Whether runAll must ask debugStepFirst and debugHolds (a step is due or harts are held). */
export let debugControlled: bool = false;

/** The last debugger stop not yet collected by the host: hart | cause << 8, or -1. */
let pendingEvent: i32 = -1;
export const EVENT_BREAKPOINT: i32 = 1;
export const EVENT_STEP: i32 = 2;

const PAGE_MASK: u64 = ~(<u64>0xfff);

// --- hooks: the run loop (cpu.ts) and the instruction-TLB fill (mmu.ts) ---

/** mmu.ts: true when the page of va holds a breakpoint and must stay out of the instruction TLB. */
// @ts-ignore: decorator
@inline export function debugKeepsOutOfTlb(va: u64): bool {
  return debugBreakpoints != 0 && pageHasBreakpoint(va & PAGE_MASK);
}

function pageHasBreakpoint(page: u64): bool {
  for (let i: u32 = 0; i < debugBreakpoints; i++) {
    if ((load<u64>(DEBUG_BREAKPOINTS + (i << 3)) & PAGE_MASK) == page) return true;
  }
  return false;
}

/**
 * cpu.ts, before a fetch on the slow path: true when a breakpoint sits at pc; the stop is
 * then requested and the run loop must leave before executing the instruction.
 */
// @ts-ignore: decorator
@inline export function debugBreakAt(at: u64): bool {
  return debugBreakpoints != 0 && breakpointHit(at);
}

function breakpointHit(at: u64): bool {
  for (let i: u32 = 0; i < debugBreakpoints; i++) {
    if (load<u64>(DEBUG_BREAKPOINTS + (i << 3)) == at) {
      pendingEvent = <i32>hartIndex | (EVENT_BREAKPOINT << 8);
      requestStop(REASON_DEBUG);
      return true;
    }
  }
  return false;
}

/** cpu.ts runAll, per hart: true when the debugger keeps hart h from running this time. */
// @ts-ignore: decorator
@inline export function debugHolds(h: u32): bool {
  return ((heldHarts >> h) & 1) != 0;
}

/**
 * cpu.ts runAll, before any hart runs: performs a pending single step. Returns the hart
 * that stepped (the run then ends with the step's stop reason), or -1 when there is no
 * step or its hart is waiting (WFI with nothing pending, or stopped): the others run,
 * and the step is tried again on the next run().
 */
export function debugStepFirst(): i32 {
  const h = stepHart;
  if (h < 0) return -1;
  if (!stepOne(<u32>h)) return -1;
  // The step is done: the hart is free again (the run ends here, with the step's stop).
  stepHart = -1;
  heldHarts &= ~(<u32>1 << <u32>h);
  debugControlled = heldHarts != 0;
  pendingEvent = h | (EVENT_STEP << 8);
  requestStop(REASON_DEBUG);
  return h;
}

/**
 * Runs exactly one instruction on hart h, ignoring breakpoints (as QEMU's single step
 * does). An exception it raises is part of the step: it ends at the handler's first
 * instruction, not executed. A pending interrupt is only taken when stepping with
 * interrupts, and then is the whole step. False when the hart cannot run now.
 */
function stepOne(h: u32): bool {
  loadHart(h);
  const state = load<u64>(S_RUNSTATE);
  if (state == RUN_STOPPED || (state == RUN_WFI && pendingInterrupts() == 0)) {
    saveHart(true);
    return false;
  }
  store<u64>(S_RUNSTATE, RUN_ACTIVE);
  startSlice(1);
  if (stepTakesInterrupts && takePendingInterrupt()) {
    setTrapped(false);
    setPc(npc);
  } else {
    executeOne();
  }
  closeSlice();
  // A reservation survives a step (as it does on QEMU), or stepping through LR/SC could never succeed.
  saveHart(true);
  return true;
}

/** One instruction through the interpreter's own decoder and semantics. */
function executeOne(): void {
  store<u64>(XREG, 0);
  const raw = fetchSlow(pc);
  if (!trapped) {
    let key = raw;
    let word = raw;
    let length: u64 = 4;
    if ((raw & 3) != 3) {
      key = raw & 0xffff;
      const c = decode16(key);
      word = c != 0 ? expandCompressed(c, key) : 0;
      length = 2;
    }
    const op = word != 0 ? decode32(word) : 0;
    setNpc(pc + length);
    // The interpreter's semantics, through the one non-inlined copy of its dispatch.
    jitExecute(<u64>op | (<u64>word << 8), op != 0 ? <u64>dImm : 0, key);
  }
  if (trapped) {
    // A trapping instruction does not retire; the handler's address is the new pc.
    setTrapped(false);
    setPc(npc);
    return;
  }
  setPc(npc);
  retireOne();
}

// --- what the host calls (exported by index.ts) ---

/**
 * The host wrote `count` virtual addresses at DEBUG_BREAKPOINTS: they are the breakpoints
 * now. Returns how many were taken (at most DEBUG_BREAKPOINTS_MAX).
 */
export function debugSetBreakpoints(count: u32): u32 {
  debugBreakpoints = count < DEBUG_BREAKPOINTS_MAX ? count : DEBUG_BREAKPOINTS_MAX;
  // Pages that now hold a breakpoint must leave every instruction TLB.
  flushAllTlbs(hartCount);
  return debugBreakpoints;
}

/**
 * What the next run() calls do: harts in `held` (bit per hart) do not run, hart `step`
 * (-1: none) runs exactly one instruction first; `flags` bit 0 lets that step take a
 * pending interrupt. The stepping hart is held until its step is done (it may have to
 * wait for an interrupt while the others run).
 */
export function debugControl(held: u32, step: i32, flags: u32): void {
  stepHart = step >= 0 && <u32>step < hartCount ? step : -1;
  heldHarts = held;
  if (stepHart >= 0) heldHarts |= <u32>1 << <u32>stepHart;
  stepTakesInterrupts = (flags & 1) != 0;
  debugControlled = heldHarts != 0 || stepHart >= 0;
}

/** The stop a breakpoint or step caused since the last call: hart | cause << 8, or -1. */
export function debugTakeEvent(): i32 {
  const e = pendingEvent;
  pendingEvent = -1;
  return e;
}

/**
 * The virtual address in SH_SCRATCH as hart h sees it now (its privilege and satp, as an
 * instruction fetch would), for the debugger: no A/D updates, no faults, and permission
 * bits (R/W/X, U, SUM, MXR) and PMP ignored — the debugger may look at any mapped page.
 * The physical address goes to SH_SCRATCH; false when nothing valid maps va.
 */
export function debugTranslate(h: u32): bool {
  if (h >= hartCount) return false;
  const slot = slotOf(h);
  const va = load<u64>(SH_SCRATCH);
  const priv = <u32>load<u64>(slot + (S_PRIV - HART));
  const satp = load<u64>(slot + (S_SATP - HART));
  const mode = <u32>(satp >> 60);
  if (priv == PRIV_M || mode == 0) return true; // physical: SH_SCRATCH already holds it
  const levels: i32 = mode == 8 ? 3 : 4;
  const top = (<i64>va) >> (12 + 9 * levels - 1);
  if (top != 0 && top != -1) return false;
  let table = (satp & PPN_MASK) << 12;
  for (let level = levels - 1; level >= 0; level--) {
    const at = table + (((va >> (12 + 9 * <u64>level)) & 511) << 3);
    if (!inRam(at, 8)) return false;
    const pte = load<u64>(ramHost(at));
    if ((pte & 1) == 0 || (pte & 6) == 4 || (pte >> 54) != 0) return false;
    const ppn = (pte >> 10) & PPN_MASK;
    if (pte & 0xa) {
      // A leaf; a superpage must be aligned.
      const low = (<u64>1 << (9 * <u64>level)) - 1;
      if (ppn & low) return false;
      const offsetMask = (<u64>1 << (12 + 9 * <u64>level)) - 1;
      store<u64>(SH_SCRATCH, ((ppn << 12) & ~offsetMask) | (va & offsetMask));
      return true;
    }
    table = ppn << 12;
  }
  return false;
}

const PPN_MASK: u64 = (<u64>1 << 44) - 1;

/**
 * Reads (write = 0) or writes CSR `csr` of hart h for the debugger, through the core's own
 * CSR logic, whatever the hart's privilege; the value goes through SH_SCRATCH. False when
 * the CSR does not exist, or on a write to a read-only one.
 */
export function debugCsr(h: u32, csr: u32, write: u32): bool {
  if (h >= hartCount || csr > 0xfff) return false;
  loadHart(h);
  if (!csrRead(csr)) return false;
  if (write == 0) {
    store<u64>(SH_SCRATCH, csrValue);
    return true;
  }
  if ((csr >> 10) == 3) return false;
  let v = load<u64>(SH_SCRATCH);
  // A counter write replaces the increment of the instruction that writes it; the debugger
  // is no instruction, so it asks for one more than it wants.
  if ((csr == 0xb00 || csr == 0xb02) && ((load<u64>(S_MCOUNTINHIBIT) >> (csr & 3)) & 1) == 0) v += 1;
  csrWrite(csr, v);
  saveHart(true);
  return true;
}
