// The interpreter loop. Where control lands (a jump, a trap, the slice's start, a page
// boundary) pc goes through the execute TLB once and the block map is probed for compiled
// code; from there instructions run straight on, each fetched from the page and looked up
// in the decoded-instruction cache by its address. Interrupts, WFI and stop requests are
// looked at only when something raised `attention`.
import {
  XREG, DCACHE, DCACHE_BITS, S_RUNSTATE, S_RETIRED, RUN_ACTIVE, RUN_WFI, RUN_STOPPED,
  REASON_BUDGET, REASON_IDLE, REASON_JIT, JIT_NONE, JIT_MAX_INSNS, SH_LAST_HART,
} from "./layout";
import {
  pc, npc, setPc, setNpc, trapped, setTrapped, attention, clearAttention, requestAttention,
  hartCount, setInsnBits,
} from "./state";
import { tlbLookup, KIND_X } from "./tlb";
import { fetchSlow } from "./mmu";
import { takePendingInterrupt, pendingInterrupts } from "./trap";
import { startSlice, closeSlice, remaining, retireOne, clearSpent } from "./counters";
import { stopReason, clearStop } from "./env";
import { loadHart, saveHart } from "./hart";
import { decode32, decode16, dImm } from "./gen/decode";
import { execute } from "./gen/dispatch";
import { expandCompressed } from "./rvc";
import { jitProbe, jitChain, jitThreshold } from "./jit";
import { debugBreakAt, debugControlled, debugHolds, debugStepFirst } from "./debug"; // DEBUG hooks

const HASH: u32 = 0x9e37_79b1;

/** Decodes `key` (raw bits; compressed ones are 16 bits) into its cache entry. */
function fillEntry(entry: u32, key: u32): void {
  let word: u32;
  let length: u32;
  if ((key & 3) == 3) {
    word = key;
    length = 4;
  } else {
    const c = decode16(key);
    word = c != 0 ? expandCompressed(c, key) : 0;
    length = 2;
  }
  const op = word != 0 ? decode32(word) : 0;
  store<u32>(entry, key);
  store<u32>(entry + 4, op | (length << 8));
  store<u32>(entry + 8, word);
  store<i32>(entry + 12, op != 0 ? <i32>dImm : 0);
}

/** Runs the loaded hart for up to `budget` instructions. */
function runHart(budget: i32): void {
  startSlice(budget);
  requestAttention();
  while (remaining > 0) {
    if (attention) {
      clearAttention();
      if (stopReason != REASON_BUDGET) break;
      const state = load<u64>(S_RUNSTATE);
      if (state != RUN_ACTIVE) {
        if (state == RUN_STOPPED || pendingInterrupts() == 0) break;
        store<u64>(S_RUNSTATE, RUN_ACTIVE);
      }
      if (takePendingInterrupt()) {
        setTrapped(false);
        setPc(npc);
        continue;
      }
    }
    // Control has landed here (a jump, a trap, the slice's start, a page boundary):
    // translate pc through the execute TLB once, then run straight on from there.
    const pageEnd = (<u32>pc & 0xfff) == 0xffe; // an instruction there may cross into the next page
    let at = pageEnd ? 0 : tlbLookup(KIND_X, pc, 2);
    if (at == 0) {
      if (debugBreakAt(pc)) break; // DEBUG: breakpoint pages never enter the TLB, so they all come here
      const raw = fetchSlow(pc);
      if (trapped) {
        trappedInstruction();
        continue;
      }
      // A RAM page is in the TLB now (the first fetch after a flush or on a new page), so the
      // block map is probed here too; at a page end, or off RAM, one instruction at a time.
      if (!pageEnd) at = tlbLookup(KIND_X, pc, 2);
      if (at == 0) {
        step(raw);
        continue;
      }
    }
    if (jitThreshold != 0) {
      const fn = jitProbe(at);
      // Nothing compiled here: attention ends the straight run after this instruction, so
      // the next one is probed too.
      if (fn == JIT_NONE) requestAttention();
      else if (fn != 0 && remaining >= JIT_MAX_INSNS) {
        // Compiled blocks run back to back for as long as the next one is compiled too.
        let next = fn;
        do {
          call_indirect<void>(next);
          next = jitChain();
        } while (next != 0);
        if (trapped) trappedInstruction();
        continue;
      }
    }
    runStraight(at);
  }
  closeSlice();
}

/**
 * Runs instructions from host address `at` (pc's, on a RAM page) for as long as control
 * goes straight on in the page and budget is left: a jump, a trap or attention ends it. Anything
 * that can change translation (xRET, traps, satp, sfence.vma, PMP, mstatus) raises
 * attention or traps, so `at` stays valid. The decoded entry of each instruction is found
 * by its address and checked against its bits, so code written meanwhile is seen.
 */
function runStraight(at: u32): void {
  // Where this page's last whole instruction may start (a 4-byte one at 0xffe may cross).
  const last = (at | 0xfff) - 2;
  for (;;) {
    store<u64>(XREG, 0);
    const raw = load<u32>(at);
    const key = (raw & 3) == 3 ? raw : raw & 0xffff;
    const entry = DCACHE + (((at >> 1) & ((1 << DCACHE_BITS) - 1)) << 4);
    if (load<u32>(entry) != key) fillEntry(entry, key);
    const info = load<u32>(entry + 4);
    const length = info >> 8;
    const next = pc + <u64>length;
    setNpc(next);
    setInsnBits(key);
    execute(info & 0xff, load<u32>(entry + 8), <i64>load<i32>(entry + 12), key);
    if (trapped) {
      trappedInstruction();
      return;
    }
    retireOne();
    if (npc != next) {
      setPc(npc); // a jump: the run loop lands there
      return;
    }
    setPc(next);
    at += length;
    if (remaining <= 0 || attention || at >= last) return;
  }
}

/** Runs the one instruction `raw` fetched through the slow path (its entry found by its bits). */
function step(raw: u32): void {
  store<u64>(XREG, 0);
  const key = (raw & 3) == 3 ? raw : raw & 0xffff;
  const entry = DCACHE + (((key * HASH) >> (32 - DCACHE_BITS)) << 4);
  if (load<u32>(entry) != key) fillEntry(entry, key);
  const info = load<u32>(entry + 4);
  setNpc(pc + <u64>(info >> 8));
  setInsnBits(key);
  execute(info & 0xff, load<u32>(entry + 8), <i64>load<i32>(entry + 12), key);
  if (trapped) {
    trappedInstruction();
    return;
  }
  setPc(npc);
  retireOne();
}

/** A trapping instruction does not retire, but it still spends budget (so trap loops end). */
function trappedInstruction(): void {
  setTrapped(false);
  setPc(npc);
  retireOne();
  store<u64>(S_RETIRED, load<u64>(S_RETIRED) - 1);
}

/** The hart that ran last; the next run() starts after it so no hart starves another. */
export let lastHart: u32 = 0;

/** Snapshots keep the hart order (SH_LAST_HART holds it between runs). */
export function saveLastHart(): void { store<u32>(SH_LAST_HART, lastHart); }
export function loadLastHart(): void { lastHart = load<u32>(SH_LAST_HART) % hartCount; }

/** Runs every hart for up to `budget` instructions each; returns why it stopped (REASON_*). */
export function runAll(budget: i32): i32 {
  clearStop();
  clearSpent();
  if (debugControlled) { // DEBUG: a pending single step goes first, alone
    const stepped = debugStepFirst();
    if (stepped >= 0) { lastHart = stepped; return stopReason; }
  }
  let idle = true;
  const first = lastHart + 1;
  for (let i: u32 = 0; i < hartCount; i++) {
    const h = (first + i) % hartCount;
    if (debugControlled && debugHolds(h)) continue; // DEBUG: held by the debugger
    lastHart = h;
    loadHart(h);
    const state = load<u64>(S_RUNSTATE);
    if (state == RUN_ACTIVE || (state == RUN_WFI && pendingInterrupts() != 0)) runHart(budget);
    if (load<u64>(S_RUNSTATE) == RUN_ACTIVE) idle = false;
    // A stop to compile blocks resumes this very hart with nothing else in between, so an
    // LR/SC pair it splits must not fail for it (that could repeat every time round).
    saveHart(stopReason == REASON_JIT && hartCount == 1);
    if (stopReason != REASON_BUDGET) return stopReason;
  }
  return idle ? REASON_IDLE : REASON_BUDGET;
}
