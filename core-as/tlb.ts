// Direct-mapped TLBs (read, write, execute) per hart and translation context, holding the
// host addend so a hit is one compare and one add. Alignment is folded into the tag
// compare: a misaligned address never matches and takes the slow path.
import {
  TLB_BASE, TLB_PER_HART, TLB_SET_SIZE, TLB_SETS, TLB_TAGS_R, TLB_TAGS_W, TLB_TAGS_X, TLB_ADDEND,
  TLB_ENTRIES, TLB_LOG, TLB_LOG_MAX, TLB_SUPER, S_MSTATUS, JIT_DATA_TLB,
} from "./layout";
import { priv, PRIV_M, PRIV_U } from "./state";
import { MS_MPRV, MS_SUM } from "./trap";
import { countEvent, EV_TLB_FLUSH, EV_TLB_CLEAR, EV_TLB_PAGE_FLUSH, EV_WRITE_TLB_DROP } from "./events";

const SET_U: u32 = 0;
const SET_S: u32 = 1;
const SET_M: u32 = 2;
const SET_S_SUM: u32 = 3;

/**
 * The running hart's sets, and the ones fetches and data accesses use now (translated code
 * reads the data sets at layout.ts JIT_DATA_TLB and imports `fetchTlb`, host-ts/jit/).
 */
let hartTlbs: u32 = TLB_BASE;
export let fetchTlb: u32 = TLB_BASE;
export let dataTlb: u32 = TLB_BASE;

export const KIND_R: u32 = TLB_TAGS_R;
export const KIND_W: u32 = TLB_TAGS_W;
export const KIND_X: u32 = TLB_TAGS_X;

export function selectHartTlbs(hart: u32): void {
  hartTlbs = TLB_BASE + hart * TLB_PER_HART;
  selectTlbs();
}

/**
 * Picks the sets for the current privilege and mstatus: fetches by privilege, data by the
 * effective privilege (MPRV), with S-mode split by SUM. Call after either changes.
 */
export function selectTlbs(): void {
  fetchTlb = hartTlbs + setOf(priv, false) * TLB_SET_SIZE;
  const status = load<u64>(S_MSTATUS);
  let p = priv;
  if (p == PRIV_M && (status & MS_MPRV) != 0) p = <u32>((status >> 11) & 3);
  dataTlb = hartTlbs + setOf(p, (status & MS_SUM) != 0) * TLB_SET_SIZE;
  store<u32>(JIT_DATA_TLB, dataTlb);
}

// @ts-ignore: decorator
@inline function setOf(p: u32, sum: bool): u32 {
  return p == PRIV_M ? SET_M : p == PRIV_U ? SET_U : sum ? SET_S_SUM : SET_S;
}

/**
 * Drops every translation of the running hart (satp, sfence.vma, PMP, MXR changes): the
 * tags the fill log names, or every tag when more were filled than it holds.
 */
export function flushTlb(): void { flushTlbsAt(hartTlbs); }

/** Drops every translation of the first `harts` harts, each through its fill log (remote fences). */
export function flushHartsTlbs(harts: u32): void {
  for (let h: u32 = 0; h < harts; h++) flushTlbsAt(TLB_BASE + h * TLB_PER_HART);
}

function flushTlbsAt(tlbs: u32): void {
  countEvent(EV_TLB_FLUSH);
  const log = tlbs + TLB_LOG;
  const n = load<u32>(log);
  if (n > TLB_LOG_MAX) {
    clearTlbsAt(tlbs);
    return;
  }
  for (let i: u32 = 0; i < n; i++) store<u64>(load<u32>(log + 4 + (i << 2)), <u64>-1);
  store<u32>(log, 0);
  noSuperpages(tlbs);
}

/** Every tag of the hart whose sets start at `tlbs`, its fill log and superpage range. */
function clearTlbsAt(tlbs: u32): void {
  countEvent(EV_TLB_CLEAR);
  for (let s: u32 = 0; s < TLB_SETS; s++) memory.fill(tlbs + s * TLB_SET_SIZE, 0xff, TLB_ADDEND);
  store<u32>(tlbs + TLB_LOG, 0);
  noSuperpages(tlbs);
}

/**
 * Drops the running hart's translations of the page holding `va` (SFENCE.VMA with an
 * address). Entries are per 4 KiB page even when a superpage's PTE made them, and a fence
 * for a superpage's PTE must drop all of them: an address within the range of superpages
 * translated since the last flush drops everything (as QEMU does for its large pages).
 */
export function flushTlbPage(va: u64): void {
  countEvent(EV_TLB_PAGE_FLUSH);
  const range = hartTlbs + TLB_SUPER;
  if (va >= load<u64>(range) && va <= load<u64>(range + 8)) {
    flushTlb();
    return;
  }
  const page = va & ~(<u64>0xfff);
  const index = tlbIndex(va) << 3;
  for (let s: u32 = 0; s < TLB_SETS; s++) {
    const set = hartTlbs + s * TLB_SET_SIZE + index;
    dropIfPage(set + KIND_R, page);
    dropIfPage(set + KIND_W, page);
    dropIfPage(set + KIND_X, page);
  }
}

// @ts-ignore: decorator
@inline function dropIfPage(slot: u32, page: u64): void {
  if ((load<u64>(slot) & ~(<u64>0xfff)) == page) store<u64>(slot, <u64>-1);
}

/** A translation came from a superpage spanning [lo, hi]: page fences there flush everything. */
export function noteSuperpage(lo: u64, hi: u64): void {
  const range = hartTlbs + TLB_SUPER;
  if (lo < load<u64>(range)) store<u64>(range, lo);
  if (hi > load<u64>(range + 8)) store<u64>(range + 8, hi);
}

// @ts-ignore: decorator
@inline function noSuperpages(tlbs: u32): void {
  store<u64>(tlbs + TLB_SUPER, <u64>-1);
  store<u64>(tlbs + TLB_SUPER + 8, 0);
}

/** Clears every TLB of the first `harts` harts whatever their logs say (init, restore, debugger). */
export function flushAllTlbs(harts: u32): void {
  for (let h: u32 = 0; h < harts; h++) clearTlbsAt(TLB_BASE + h * TLB_PER_HART);
}

/** Drops the write translations of every hart (a page now holds compiled code, jit.ts). */
export function flushWriteTlbs(harts: u32): void {
  countEvent(EV_WRITE_TLB_DROP);
  dropTags(harts, TLB_TAGS_W, TLB_ENTRIES * 8);
}

/** Invalidates `bytes` of tags from `offset` in every set of the first `harts` harts. */
function dropTags(harts: u32, offset: u32, bytes: u32): void {
  for (let h: u32 = 0; h < harts; h++) {
    for (let s: u32 = 0; s < TLB_SETS; s++) memory.fill(TLB_BASE + h * TLB_PER_HART + s * TLB_SET_SIZE + offset, 0xff, bytes);
  }
}

// @ts-ignore: decorator
@inline export function tlbIndex(va: u64): u32 { return (<u32>(va >> 12)) & (TLB_ENTRIES - 1); }

/** The slot va's translation of `kind` would be in (tlbHits, tlbHostIn). */
// @ts-ignore: decorator
@inline export function tlbSlot(kind: u32, va: u64): u32 {
  return (kind == KIND_X ? fetchTlb : dataTlb) + kind + (tlbIndex(va) << 3);
}

/**
 * Whether `slot` translates an aligned access of `size` bytes at va. Branching on this
 * (rather than on tlbLookup's 0) gives TurboFan one test where a hit's address would
 * otherwise be selected and then tested again.
 */
// @ts-ignore: decorator
@inline export function tlbHits(slot: u32, va: u64, size: u64): bool {
  return load<u64>(slot) == (va & (~(<u64>0xfff) | (size - 1)));
}

/** The host address of va through `slot`, which tlbHits said translates it. */
// @ts-ignore: decorator
@inline export function tlbHostIn(slot: u32, va: u64): u32 { return <u32>(va + load<u64>(slot + TLB_ADDEND)); }

/** Host address for an aligned access of `size` bytes at va, or 0 on a miss. */
// @ts-ignore: decorator
@inline export function tlbLookup(kind: u32, va: u64, size: u64): u32 {
  const slot = tlbSlot(kind, va);
  return tlbHits(slot, va, size) ? tlbHostIn(slot, va) : 0;
}

export function tlbFill(kind: u32, va: u64, host: u32): void {
  const slot = tlbSlot(kind, va);
  const page = va & ~(<u64>0xfff);
  store<u64>(slot, page);
  store<u64>(slot + TLB_ADDEND, (<u64>(host & ~0xfff)) - page);
  const log = hartTlbs + TLB_LOG;
  const n = load<u32>(log);
  if (n < TLB_LOG_MAX) store<u32>(log + 4 + (n << 2), slot);
  if (n <= TLB_LOG_MAX) store<u32>(log, n + 1); // past the end: the next flush clears everything
}
