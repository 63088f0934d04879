// What the core did, counted by the profile build (asconfig target "profile", --use
// PROFILE_PCS=1) for bench/core-events.js: page walks by leaf size and access, TLB flushes,
// decodings, traps, entries into and exits from compiled code, and the like. Counts like
// these found the two costs of the fork-exec workload that no timing showed (AMOs that
// walked the page table every time, decoded entries two hot instructions took turns in).
// The other builds count nothing: EVENTS is a constant there, and the calls compile away.
// @ts-ignore: defined by asc --use
export const EVENTS: bool = PROFILE_PCS != 0;

// The order is the host's (host-ts/core-events.ts CORE_EVENT_NAMES); EV_KINDS ends it.
export const EV_INTERPRETED: u32 = 0; // instructions the interpreter ran
export const EV_WALK: u32 = 1; // page-table walks (paging on, not M-mode)
export const EV_WALK_4K: u32 = 2; // ... that reached a 4 KiB leaf
export const EV_WALK_SUPER: u32 = 3; // ... that reached a superpage leaf
export const EV_WALK_FETCH: u32 = 4; // ... for a fetch
export const EV_WALK_LOAD: u32 = 5; // ... for a load (LR included)
export const EV_WALK_STORE: u32 = 6; // ... for a store or AMO
export const EV_TLB_FLUSH: u32 = 7; // whole-TLB flushes of a hart (satp, sfence.vma without an address, ...)
export const EV_TLB_CLEAR: u32 = 8; // ... of them that cleared every tag (the fill log had overflowed)
export const EV_TLB_PAGE_FLUSH: u32 = 9; // sfence.vma with an address
export const EV_WRITE_TLB_DROP: u32 = 10; // every write TLB dropped (a page now holds compiled code)
export const EV_DECODE: u32 = 11; // instructions decoded into the decoded-instruction cache
export const EV_SECOND_WAY: u32 = 12; // misses in its first way found in its second
export const EV_EXCEPTION: u32 = 13; // exceptions raised
export const EV_INTERRUPT: u32 = 14; // interrupts taken
export const EV_REGION_ENTRY: u32 = 15; // the run loop entered compiled code
export const EV_REGION_LEFT: u32 = 16; // compiled code left an instruction to the interpreter (a TLB miss, MMIO)
export const EV_MAP_PROBE: u32 = 17; // landings counted in the block map
export const EV_MMIO: u32 = 18; // device accesses (loads and stores off RAM)
export const EV_MISALIGNED: u32 = 19; // misaligned loads and stores, done a byte at a time
export const EV_REGION_CHAINED: u32 = 20; // compiled code went on into another region without the interpreter (jitChain)
export const EV_KINDS: u32 = 21;

const COUNTS: usize = memory.data(<i32>EV_KINDS * 8);

/** Counts one event of kind `e` (nothing outside the profile build). */
// @ts-ignore: decorator
@inline export function countEvent(e: u32): void {
  if (EVENTS) store<u64>(COUNTS + (e << 3), load<u64>(COUNTS + (e << 3)) + 1);
}

/** How many kinds of event this build counts: 0 outside the profile build. */
export function coreEventKinds(): u32 { return EVENTS ? EV_KINDS : 0; }

/** Events of kind `e` so far, as a double (exact to 2^53; no i64 crosses to the host). */
export function coreEventCount(e: u32): f64 { return e < EV_KINDS ? <f64>load<u64>(COUNTS + (e << 3)) : 0; }
