// The core's half of the translation tier (the host's half is host-ts/jit/). The run loop
// probes the block map where control lands; a block that gets hot is queued for the host,
// which compiles it to a WebAssembly function in the shared table and installs it here.
// Blocks are keyed by the host address of their first instruction (so by physical
// address), and a page that holds compiled code never enters a write TLB: the first store
// to it takes the slow path, which bumps the page's generation and so retires its blocks.
import {
  JIT_MAP, JIT_MAP_BITS, JIT_MAP_SIZE, JIT_QUEUE, JIT_QUEUE_MAX, JIT_PAGES, JIT_PAGES_SIZE,
  RAM_OFFSET, REASON_JIT, JIT_NONE, JIT_MAX_INSNS, JIT_STRADDLE, JIT_STRADDLE_BITS,
} from "./layout";
import { hartCount, ramSize, pc, trapped, attention } from "./state";
import { requestStop } from "./env";
import { lentBudget, capSlice } from "./counters";
import { tlbLookup, flushWriteTlbs, KIND_X } from "./tlb";
import { entryAt, otherWay } from "./dcache";
import { countEvent, EV_MAP_PROBE } from "./events";

/** Probes before a block is queued; 0 turns the tier off. */
export let jitThreshold: u32 = 0;
/** Blocks queued before the run loop stops to let the host compile them. */
let batch: u32 = 32;
/**
 * A queued block waits at most this many more instructions before run() returns and the
 * host compiles it: the host lengthens slices while compiled code runs fast, and the code
 * that follows may be slow.
 */
const QUEUED_WAITS_AT_MOST: i32 = 100_000;

/**
 * Landings the run loop counts in an instruction's decoded entry (16 bits of it) before it
 * asks the map: the threshold's worth but one, so the map sees the threshold-th. An entry
 * at LANDINGS_SATURATED always asks (the map knows the address, it has code, or the entry's
 * cache slot is contested: landingsOnFill).
 */
export let landingsBeforeMap: u32 = 0;
export const LANDINGS_SATURATED: u32 = 0xffff << 16;

export function setJitThreshold(n: u32, blocksPerBatch: u32): void {
  jitThreshold = n;
  landingsBeforeMap = n == 0 ? 0 : min(n - 1, 0xfffe);
  batch = blocksPerBatch < 1 ? 1 : blocksPerBatch > JIT_QUEUE_MAX ? JIT_QUEUE_MAX : blocksPerBatch;
}

// The map is two-way set associative; entries are 16 bytes: key (host address), function
// index (0 = none yet), hits, page word at install. A compiled entry is never evicted by a
// block that is merely being counted, so cold code passing through cannot push hot code out.
// Sets are indexed by the address itself, not a hash of it: the landings of code that runs
// together fall in nearby sets, so a probe mostly hits a cache line that is already there
// (hashed, nearly every probe missed the cache: a 1 MiB map read at random).
// @ts-ignore: decorator
@inline function setOf(host: u32): u32 {
  return JIT_MAP + (((host >> 1) & ((1 << JIT_MAP_BITS) - 1)) << 5);
}
// @ts-ignore: decorator
@inline function pageWordOf(host: u32): u32 {
  return JIT_PAGES + (((host - RAM_OFFSET) >> 12) << 2);
}

/** The entry of `host` in its set, or 0. */
// @ts-ignore: decorator
@inline function entryOf(set: u32, host: u32): u32 {
  return load<u32>(set) == host ? set : load<u32>(set + 16) == host ? set + 16 : 0;
}

/** The way a new entry takes: one holding nothing compiled (the one with fewer hits), or 0. */
// @ts-ignore: decorator
@inline function freeWay(set: u32): u32 {
  const free0 = load<u32>(set + 4) == 0, free1 = load<u32>(set + 20) == 0;
  if (free0 && (!free1 || load<u32>(set + 8) <= load<u32>(set + 24))) return set;
  return free1 ? set + 16 : 0;
}

/**
 * The landings a decoded entry about to be filled for the instruction at host address `at`
 * starts with: saturated (the map is asked from the first landing) when the map knows `at`
 * (compiled code is found at once) or when `dropped`, the entry the fill drops from its set,
 * had landings, counted or saturated. A count kept in an entry dies with it, so a loop head
 * whose set it shares with code the loop runs never got hot; whoever evicts a counted entry
 * starts saturated, so the evicted one, when it comes back, does too.
 */
export function landingsOnFill(dropped: u32, at: u32): u32 {
  if (at == 0 || jitThreshold == 0) return 0;
  const contested = load<u32>(dropped) != 0 && load<u32>(dropped + 4) >= (1 << 16);
  return contested || jitKnows(at) ? LANDINGS_SATURATED : 0;
}

/**
 * Whether an instruction's decoded entry, holding `info`, can count `weight` more landings
 * (countInEntry) and stay below landingsBeforeMap: then nothing can be compiled there yet;
 * else the block map counts them (countInMap). A test of its own, so that the run loop's
 * common case branches on it directly and ends there.
 */
// @ts-ignore: decorator
@inline export function entryCounts(info: u32, weight: u32): bool { return (info >> 16) + weight <= landingsBeforeMap; }

/** Counts `weight` landings in the decoded entry `entry` (which holds `info`), once entryCounts said it can. */
// @ts-ignore: decorator
@inline export function countInEntry(entry: u32, info: u32, weight: u32): void { store<u32>(entry + 4, info + (weight << 16)); }

/**
 * Counts `weight` landings at the instruction at host address `at` in the block map (a
 * 1 MiB table: often a cache miss), once entryCounts said no. Returns what jitProbe returns.
 */
// @ts-ignore: decorator
@inline export function countInMap(entry: u32, info: u32, at: u32, weight: u32): u32 {
  const landings = info >> 16;
  if (landings < landingsBeforeMap) store<u32>(entry + 4, (info & 0xffff) | (landingsBeforeMap << 16));
  return jitProbe(at, info < LANDINGS_SATURATED ? landings : 0, weight);
}

/**
 * The compiled block starting at host address `host`: its table index, JIT_NONE when the
 * translator gave up on it, or 0 (after counting the visit, `weight` landings' worth, and
 * queueing it when hot). `prior`: landings counted before in the decoded entry, with
 * which a new entry starts.
 */
function jitProbe(host: u32, prior: u32, weight: u32): u32 {
  countEvent(EV_MAP_PROBE);
  const set = setOf(host);
  let e = entryOf(set, host);
  if (e == 0) {
    e = freeWay(set);
    if (e == 0) return 0; // both ways hold code: this block stays interpreted
    const hits = prior + weight;
    store<u32>(e, host);
    store<u32>(e + 4, 0);
    store<u32>(e + 8, hits);
    if (hits >= jitThreshold) enqueue(host);
    return 0;
  }
  const fn = load<u32>(e + 4);
  if (fn != 0) {
    if (load<u32>(e + 12) == load<u32>(pageWordOf(host))) return fn;
    store<u32>(e + 4, 0); // the page was written since: translate again if it stays hot
    store<u32>(e + 8, 0);
    return 0;
  }
  const before = load<u32>(e + 8);
  const hits = before + weight;
  store<u32>(e + 8, hits);
  if (before < jitThreshold && hits >= jitThreshold) enqueue(host);
  return 0;
}

/**
 * The run loop fetched `raw`, a 4-byte instruction that straddles a page boundary at `va`:
 * it is remembered for the translator (layout.ts JIT_STRADDLE), which cannot read the second
 * half from the first's host page.
 */
export function noteStraddle(va: u64, raw: u32): void {
  const host = tlbLookup(KIND_X, va, 2);
  if (host == 0) return;
  const e = straddleEntry(host);
  store<u32>(e, host);
  store<u32>(e + 4, raw >>> 16);
}

/** The second half noteStraddle last recorded for the first half at `host`, or -1 (the translator asks). */
export function jitSecondHalf(host: u32): i32 {
  const e = straddleEntry(host);
  return load<u32>(e) == host ? <i32>load<u32>(e + 4) : -1;
}

// @ts-ignore: decorator
@inline function straddleEntry(host: u32): u32 {
  return JIT_STRADDLE + (((host >> 12) & ((1 << JIT_STRADDLE_BITS) - 1)) << 3);
}

/** Whether the map has an entry for `host` (counting or compiled): its landings go there. */
export function jitKnows(host: u32): bool {
  return entryOf(setOf(host), host) != 0;
}

/**
 * The pc and host address of the compiled block running last: a block that leaves for
 * the same virtual page finds the next one's host address without the fetch TLB. Nothing
 * a block does can change that page's translation without stopping the chain first:
 * satp, mstatus, PMP and privilege changes raise attention or trap, SFENCE.VMA is
 * never translated, and a PTE the guest rewrites may keep its old translation until a
 * fence.
 */
let chainPc: u64 = 0;
let chainHost: u32 = 0;

/**
 * Instructions retired in compiled code (helper calls included) by this instance, all harts:
 * a statistic for the host (the rest ran in the interpreter); snapshots do not keep it.
 */
let translatedRetired: u64 = 0;

// @ts-ignore: decorator
@inline export function noteTranslated(n: i32): void { translatedRetired += <u64>n; }

/** As a double, which holds it exactly (to 2^53), since no i64 crosses to the host (index.ts). */
export function jitRetired(): f64 { return <f64>translatedRetired; }

/** The run loop enters compiled code at `va`, host address `host` (where it was fetched). */
// @ts-ignore: decorator
@inline export function jitEntered(va: u64, host: u32): void {
  chainPc = va;
  chainHost = host;
}

/**
 * After a translated block: the compiled block at the new pc when control can go straight
 * on to it, or 0 when the run loop must take over (a trap, attention, low budget, nothing
 * compiled).
 * Visits are not counted here: blocks that are not compiled yet get counted by the run loop.
 */
export function jitChain(): u32 {
  // An odd pc is an instruction compiled code left to the interpreter (cpu.ts).
  if (trapped || attention || (<u32>pc & 1) != 0 || lentBudget() < JIT_MAX_INSNS) return 0;
  let host: u32;
  if (((pc ^ chainPc) >> 12) == 0) {
    host = chainHost + <u32>(pc - chainPc);
  } else {
    host = tlbLookup(KIND_X, pc, 2);
    if (host == 0) return 0;
  }
  const e = entryOf(setOf(host), host);
  if (e == 0) return 0;
  const fn = load<u32>(e + 4);
  if (fn == 0 || fn == JIT_NONE || load<u32>(e + 12) != load<u32>(pageWordOf(host))) return 0;
  jitEntered(pc, host);
  return fn;
}

function enqueue(host: u32): void {
  const n = load<u32>(JIT_QUEUE);
  if (n >= JIT_QUEUE_MAX) return;
  store<u32>(JIT_QUEUE + 4 + (n << 2), host);
  store<u32>(JIT_QUEUE, n + 1);
  if (n + 1 >= batch) requestStop(REASON_JIT);
  else capSlice(QUEUED_WAITS_AT_MOST);
}

/**
 * The host is about to read the block at `host` to translate it: from now on a store to
 * its page is noticed. Returns the page word to hand back to jitInstall.
 */
export function jitProtect(host: u32): u32 {
  const pw = pageWordOf(host);
  let word = load<u32>(pw);
  if ((word & 1) == 0) {
    word |= 1;
    store<u32>(pw, word);
    flushWriteTlbs(hartCount);
  }
  return word;
}

/**
 * Records the host's translation of the block at `host` (table index, or JIT_NONE), made
 * when its page word was `word`. Returns false, and records nothing, when the page has been
 * written since (the translation may be stale).
 */
export function jitInstall(host: u32, fn: u32, word: u32): bool {
  if (load<u32>(pageWordOf(host)) != word) return false;
  const set = setOf(host);
  // Its own way if it still has one, else one without code, else the first.
  let e = entryOf(set, host);
  if (e == 0) e = freeWay(set);
  if (e == 0) e = set;
  store<u32>(e, host);
  store<u32>(e + 4, fn);
  store<u32>(e + 8, 0);
  store<u32>(e + 12, word);
  // Landings there ask the map from now on, whatever the decoded entry counted so far.
  const first = entryAt(host);
  const tag = load<u32>(host);
  const d = load<u32>(first) == tag ? first : load<u32>(otherWay(first)) == tag ? otherWay(first) : 0;
  if (d != 0) store<u32>(d + 4, load<u32>(d + 4) | LANDINGS_SATURATED);
  return true;
}

/** A store is about to change the RAM byte at host address `host`. */
// @ts-ignore: decorator
@inline export function noteCodeWrite(host: u32): void {
  const pw = pageWordOf(host);
  const word = load<u32>(pw);
  if (word & 1) store<u32>(pw, word + 1); // odd + 1: the generation moves on, the flag clears
}

/** Someone other than a hart (DMA, the host's loaders) wrote RAM [offset, offset+len). */
export function jitInvalidate(offset: u32, len: u32): void {
  if (len == 0 || <u64>offset >= ramSize) return;
  let end = <u64>offset + <u64>len;
  if (end > ramSize) end = ramSize;
  for (let page = offset >> 12; <u64>page << 12 < end; page++) noteCodeWrite(RAM_OFFSET + (page << 12));
}

/** Forgets every translation (the host's function table is full, or RAM was reloaded). */
export function jitFlush(): void {
  memory.fill(JIT_MAP, 0, JIT_MAP_SIZE);
  store<u32>(JIT_QUEUE, 0);
}

export function jitClear(): void {
  jitFlush();
  memory.fill(JIT_PAGES, 0, JIT_PAGES_SIZE);
}
