// The interpreter loop: fetch through the instruction TLB, look the bits up in the
// decoded-instruction cache, dispatch. Interrupts, WFI and stop requests are looked at
// only when something raised `attention`.
import {
  XREG, S_RUNSTATE, S_RETIRED, RUN_ACTIVE, RUN_WFI, RUN_STOPPED,
  REASON_BUDGET, REASON_IDLE, REASON_JIT, JIT_NONE, JIT_MAX_INSNS, SH_LAST_HART,
} from "./layout";
import {
  pc, npc, setPc, setNpc, trapped, setTrapped, attention, clearAttention, requestAttention,
  hartCount,
} from "./state";
import { tlbLookup, KIND_X } from "./tlb";
import { fetchSlow } from "./mmu";
import { takePendingInterrupt, pendingInterrupts } from "./trap";
import { startSlice, closeSlice, remaining, sliceRetired, retireOne, clearSpent, lendBudget, takeBudgetBack } from "./counters";
import { stopReason, clearStop } from "./env";
import { loadHart, saveHart } from "./hart";
import { decode32, decode16, dImm } from "./gen/decode";
import { execute } from "./gen/dispatch";
import { expandCompressed } from "./rvc";
import { instructionKey, decodedEntry } from "./dcache";
import { jitProbe, jitChain, jitEntered, noteTranslated, jitThreshold, jitKnows, landingsBeforeMap, LANDINGS_SATURATED, noteStraddle } from "./jit";
import { debugBreakAt, debugControlled, debugHolds, debugStepFirst } from "./debug"; // DEBUG hooks

/**
 * Decodes `key` (raw bits; compressed ones are 16 bits) into its cache entry. An entry
 * holds the bits, `op | length << 8 | landings << 16`, the 32-bit form and the immediate.
 * `landings` counts how often control landed here (a jump target) before the block map
 * is asked (see runHart); an instruction at host address `at` that the map already knows
 * starts saturated, so compiled code is found at once.
 */
function fillEntry(entry: u32, key: u32, at: u32): void {
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
  store<u32>(entry + 4, op | (length << 8) | (at != 0 && jitThreshold != 0 && jitKnows(at) ? LANDINGS_SATURATED : 0));
  store<u32>(entry + 8, word);
  store<i32>(entry + 12, op != 0 ? <i32>dImm : 0);
}

/**
 * An instruction compiled code left to the interpreter: it runs unprobed (the region would
 * leave at it again), and the instruction after it is probed as a landing. Odd: none. Not a
 * local of runHart, which only reads it where it probes (a local costs every instruction).
 */
let leftAt: u64 = 1;

/** Runs the loaded hart for up to `budget` instructions. */
function runHart(budget: i32): void {
  startSlice(budget);
  requestAttention();
  // The page the last fetch hit, so sequential fetches skip the TLB. Anything that can
  // change translation (xRET, traps, satp, sfence.vma, PMP, mstatus) raises attention or
  // traps, and both forget the page.
  let codeValid = false;
  let codePage: u64 = 0;
  let codeHost: u32 = 0;
  // Where control lands (after a jump, a taken branch, a trap or a translated block) the
  // block map is probed for compiled code.
  let probe = true;
  while (remaining > 0) {
    if (attention) {
      codeValid = false;
      probe = true;
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
    store<u64>(XREG, 0);
    let raw: u32;
    let at: u32 = 0; // host address of the instruction, when it came from a code page
    const offset = pc - codePage;
    if (codeValid && offset < 0xffe) {
      at = codeHost + <u32>offset;
      raw = load<u32>(at);
    } else {
      const host = tlbLookup(KIND_X, pc, 2);
      if (host != 0 && (<u32>pc & 0xfff) != 0xffe) {
        at = host;
        raw = load<u32>(host);
        codePage = pc & ~(<u64>0xfff);
        codeHost = host & ~0xfff;
        codeValid = true;
      } else {
        if (debugBreakAt(pc)) break; // DEBUG: breakpoint pages never enter the TLB, so they all come here
        raw = fetchSlow(pc);
        if (trapped) {
          trappedInstruction();
          codeValid = false;
          continue;
        }
        // A RAM page is in the TLB now: the instruction gets its host address, so compiled
        // code is found here too (the first fetch after a TLB flush or on a new page).
        if ((<u32>pc & 0xfff) != 0xffe) at = tlbLookup(KIND_X, pc, 2);
        else if ((raw & 3) == 3 && jitThreshold != 0) noteStraddle(pc, raw);
      }
    }
    const key = instructionKey(raw);
    const entry = decodedEntry(at, key);
    if (load<u32>(entry) != key) fillEntry(entry, key, at);
    const info = load<u32>(entry + 4);
    if (probe && at != 0 && jitThreshold != 0) {
      if (pc == leftAt) {
        leftAt = 1; // probe stays set: the instruction after this one is the landing
      } else {
        // The first landings are counted in the entry just loaded; only then is the block map
        // (a 1 MiB table: often a cache miss) asked, which counts on from there.
        let fn: u32 = 0;
        if (info < (landingsBeforeMap << 16)) store<u32>(entry + 4, info + (1 << 16));
        else fn = jitProbe(at, info < LANDINGS_SATURATED);
        probe = fn == JIT_NONE; // nothing compiled here: look again after this instruction
        if (fn != 0 && fn != JIT_NONE && remaining >= JIT_MAX_INSNS) {
          // Compiled blocks run back to back for as long as the next one is compiled too.
          let next = fn;
          const retiredBefore = sliceRetired();
          jitEntered(pc, at);
          lendBudget();
          do {
            setPc(call_indirect<u64>(next, pc));
            next = jitChain();
          } while (next != 0);
          takeBudgetBack();
          noteTranslated(sliceRetired() - retiredBefore);
          if (trapped) {
            trappedInstruction();
            codeValid = false;
          } else if ((<u32>pc & 1) != 0) {
            // Compiled code left the instruction at pc to the interpreter (an access that
            // missed the TLB); what follows it may well be compiled.
            setPc(pc & ~(<u64>1));
            leftAt = pc;
          }
          probe = true;
          continue;
        }
      }
    }
    const next = pc + <u64>((info >> 8) & 0xff);
    setNpc(next);
    execute(info & 0xff, load<u32>(entry + 8), <i64>load<i32>(entry + 12), key);
    if (trapped) {
      trappedInstruction();
      codeValid = false;
      probe = true;
      continue;
    }
    if (npc != next) probe = true;
    setPc(npc);
    retireOne();
  }
  closeSlice();
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
