// The interpreter loop: fetch through the instruction TLB, look the bits up in the
// decoded-instruction cache, dispatch. Interrupts, WFI and stop requests are looked at
// only when something raised `attention`.
import {
  XREG, S_RUNSTATE, S_RETIRED, RUN_ACTIVE, RUN_WFI, RUN_STOPPED,
  REASON_BUDGET, REASON_IDLE, REASON_JIT, JIT_NONE, JIT_MAX_INSNS, JIT_STRAIGHT_EXIT, SH_LAST_HART,
} from "./layout";
import {
  pc, npc, setPc, setNpcSequential, trapped, setTrapped, attention, clearAttention, requestAttention,
  hartCount, probeBelow, setProbeBelow, PROBE_NOW,
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
import { instructionKey, entryAt, entryOfKey, otherWay } from "./dcache";
import { entryCounts, countInEntry, countInMap, landingsOnFill, jitChain, jitEntered, noteTranslated, jitThreshold, noteStraddle } from "./jit";
import { debugBreakAt, debugControlled, debugHolds, debugStepFirst } from "./debug"; // DEBUG hooks
import { countEvent, EV_INTERPRETED, EV_DECODE, EV_SECOND_WAY, EV_REGION_ENTRY, EV_REGION_LEFT, EV_REGION_CHAINED } from "./events";

/**
 * Makes the first way's `entry` hold the instruction fetched as `tag` (dcache.ts: the 4 bytes
 * at a code page's `at`, else the instruction's key): the second way's entry when that one
 * holds it (the two swap), else a decoding, after which the second way keeps what the first
 * held and drops its own. An entry holds the tag, `op | length << 8 | landings << 16`, the
 * 32-bit form and the immediate. `landings` counts how often control landed here (a jump
 * target) before the block map is asked (see runHart and jit.ts countInEntry); what it
 * starts with, jit.ts landingsOnFill.
 */
function fillEntry(entry: u32, tag: u32, at: u32): void {
  const held0 = load<u64>(entry), held1 = load<u64>(entry + 8);
  let landings: u32;
  if (held0 == 0 && held1 == 0) {
    // An empty first way (no decoded entry is all zeros: its length is never 0) means an
    // empty set, as the second way only ever takes what the first held: the second way's
    // page is left untouched, so it costs memory only where instructions do collide.
    landings = landingsOnFill(entry, at);
  } else {
    const other = otherWay(entry);
    if (load<u32>(other) == tag) {
      store<u64>(entry, load<u64>(other));
      store<u64>(entry + 8, load<u64>(other + 8));
      store<u64>(other, held0);
      store<u64>(other + 8, held1);
      countEvent(EV_SECOND_WAY);
      return;
    }
    landings = landingsOnFill(other, at);
    store<u64>(other, held0);
    store<u64>(other + 8, held1);
  }
  countEvent(EV_DECODE);
  const key = instructionKey(tag);
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
  store<u32>(entry, tag);
  store<u32>(entry + 4, op | (length << 8) | landings);
  store<u32>(entry + 8, word);
  store<i32>(entry + 12, op != 0 ? <i32>dImm : 0);
}

/** The decoded-instruction miss the run loop is filling (see there). */
let missEntry: u32 = 0;
let missTag: u32 = 0;
let missAt: u32 = 0;

/**
 * An instruction compiled code left to the interpreter: it runs unprobed (the region would
 * leave at it again), and the instruction after it is probed as a landing. Odd: none. Not a
 * local of runHart, which only reads it where it probes (a local costs every instruction).
 */
let leftAt: u64 = 1;

// The profile build (asconfig target "profile", --use PROFILE_PCS=1) reports the pc of every
// instruction the interpreter runs to env.profilePc, for bench/interp-profile.js; the other
// builds compile neither the call nor the import.
// @ts-ignore: defined by asc --use
const PROFILE: bool = PROFILE_PCS != 0;
// @ts-ignore: decorator
@external("env", "profilePc")
declare function profilePc(pcLow: u32, pcHigh: u32): void;

/**
 * A run of this many instructions without a landing ends in a probe, as a region's block
 * ends after as many (JIT_MAX_INSNS); it counts as STRAIGHT_WEIGHT landings, about the work
 * of that many loop rounds, so code that runs straight through, hundreds of instructions per
 * call, gets compiled as soon as a loop doing as much work would.
 */
const STRAIGHT_RUN: i32 = JIT_MAX_INSNS;
const STRAIGHT_WEIGHT: u32 = 16;
/** probeBelow when the translation tier is off: never probe. */
const PROBE_NEVER: i32 = i32.MIN_VALUE;

// The page the last fetch hit, so sequential fetches skip the TLB: a fetch at `pc` reads
// host `codeHost + (pc - codePage)` while that offset is below `codeLimit` (0: no page).
// Anything that can change translation (xRET, traps, satp, sfence.vma, PMP, mstatus) raises
// attention or traps, and both forget the page. Globals, like probeBelow: the run loop
// keeps no value of its own across the dispatch, whose calls would make V8 spill and
// reload each one every instruction.
let codePage: u64 = 0;
let codeHost: u32 = 0;
let codeLimit: u64 = 0;

/** Runs the loaded hart for up to `budget` instructions. */
function runHart(budget: i32): void {
  startSlice(budget);
  requestAttention();
  // Where control lands (after a jump, a taken branch, a trap, a translated block or on a
  // new page) the block map is probed for compiled code: once `remaining` is down to
  // `probeBelow`, which is PROBE_NOW after a landing and STRAIGHT_RUN instructions on after
  // a probe found nothing compiled.
  while (remaining > 0) {
    if (attention) {
      codeLimit = 0;
      setProbeBelow(PROBE_NOW);
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
    let raw: u32; // the bits fetched
    let at: u32 = 0; // host address of the instruction, when it came from a code page
    let entry: u32; // its decoded entry (dcache.ts), valid when the entry's tag is `raw`
    const offset = pc - codePage;
    if (offset < codeLimit) {
      at = codeHost + <u32>offset;
      raw = load<u32>(at);
      entry = entryAt(at);
    } else {
      const host = tlbLookup(KIND_X, pc, 2);
      if (host != 0 && (<u32>pc & 0xfff) != 0xffe) {
        at = host;
        raw = load<u32>(host);
        entry = entryAt(at);
        // A region never spans pages: running on into a new page ends a straight run.
        if (codeLimit != 0 && probeBelow != PROBE_NOW) setProbeBelow(remaining);
        codePage = pc & ~(<u64>0xfff);
        codeHost = host & ~0xfff;
        codeLimit = 0xffe;
      } else {
        if (debugBreakAt(pc)) break; // DEBUG: breakpoint pages never enter the TLB, so they all come here
        raw = fetchSlow(pc);
        if (trapped) {
          trappedInstruction();
          codeLimit = 0;
          continue;
        }
        // A RAM page is in the TLB now: the instruction gets its host address, so compiled
        // code is found here too (the first fetch after a TLB flush or on a new page).
        if ((<u32>pc & 0xfff) != 0xffe) at = tlbLookup(KIND_X, pc, 2);
        else if ((raw & 3) == 3 && jitThreshold != 0) noteStraddle(pc, raw);
        if (at != 0) {
          entry = entryAt(at);
        } else {
          raw = instructionKey(raw);
          entry = entryOfKey(raw);
        }
      }
    }
    if (load<u32>(entry) != raw) {
      // Decoded into the entry, the instruction starts over. What the decoder needs goes
      // through globals: a value of this round live across its calls would be spilled
      // where it is made, on the path that hits, every instruction.
      missEntry = entry;
      missTag = raw;
      missAt = at;
      fillEntry(missEntry, missTag, missAt);
      continue;
    }
    const info = load<u32>(entry + 4);
    if (remaining <= probeBelow) {
      if (jitThreshold == 0) {
        setProbeBelow(PROBE_NEVER);
      } else if (at == 0) {
        // not from a code page: nothing compiled here; probed again at the next instruction
      } else if (pc == leftAt) {
        leftAt = 1; // probeBelow stays PROBE_NOW: the instruction after this one is the landing
      } else {
        // A probe after a straight run counts for the instructions a region would take over there.
        const weight = probeBelow == PROBE_NOW ? 1 : STRAIGHT_WEIGHT;
        // Nothing compiled here (0): probed again after a straight run as long as a
        // region's, so a long branchless function gets compiled piece by piece, each piece
        // starting where the one before it ends; JIT_NONE: after this instruction.
        if (entryCounts(info, weight)) {
          countInEntry(entry, info, weight);
          setProbeBelow(remaining - STRAIGHT_RUN);
        } else {
          const fn = countInMap(entry, info, at, weight);
          setProbeBelow(fn == JIT_NONE ? PROBE_NOW : remaining - STRAIGHT_RUN);
          if (fn != 0 && fn != JIT_NONE && remaining >= JIT_MAX_INSNS) {
            // Compiled blocks run back to back for as long as the next one is compiled too.
            let next = fn;
            const retiredBefore = sliceRetired();
            jitEntered(pc, at);
            countEvent(EV_REGION_ENTRY);
            lendBudget();
            do {
              store<u32>(JIT_STRAIGHT_EXIT, 0);
              setPc(call_indirect<u64>(next, pc));
              next = jitChain();
              if (next != 0) countEvent(EV_REGION_CHAINED);
            } while (next != 0);
            takeBudgetBack();
            noteTranslated(sliceRetired() - retiredBefore);
            if (trapped) {
              trappedInstruction();
              codeLimit = 0;
            } else if ((<u32>pc & 1) != 0) {
              // Compiled code left the instruction at pc to the interpreter (an access that
              // missed the TLB); what follows it may well be compiled.
              setPc(pc & ~(<u64>1));
              leftAt = pc;
              countEvent(EV_REGION_LEFT);
            }
            // The next instruction is probed; where the last region ran off its end, as the
            // probe after a straight run (each piece of a long branchless function is entered
            // from the piece before it once that one is compiled).
            setProbeBelow(load<u32>(JIT_STRAIGHT_EXIT) != 0 ? remaining : PROBE_NOW);
            continue;
          }
        }
      }
    }
    // Handlers that send control elsewhere (jumps, taken branches, traps) use setNpc, which
    // makes the next instruction a landing.
    setNpcSequential(pc + <u64>((info >> 8) & 0xff));
    if (PROFILE) profilePc(<u32>pc, <u32>(pc >> 32));
    countEvent(EV_INTERPRETED);
    execute(info & 0xff, load<u32>(entry + 8), <i64>load<i32>(entry + 12), raw);
    if (trapped) {
      trappedInstruction();
      codeLimit = 0;
      continue;
    }
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
