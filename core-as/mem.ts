// Guest virtual memory access for instruction semantics: TLB hit inline, slow path otherwise.
import { tlbSlot, tlbHits, tlbHostIn, KIND_R, KIND_W } from "./tlb";
import { loadSlow, storeSlow } from "./mmu";

/** A load of a T at va, zero-extended: through the read TLB, else the slow path (walk, MMIO, faults). */
// @ts-ignore: decorator
@inline function loadVia<T>(va: u64): u64 {
  const slot = tlbSlot(KIND_R, va);
  const size = <u64>sizeof<T>();
  return tlbHits(slot, va, size) ? <u64>load<T>(tlbHostIn(slot, va)) : loadSlow(va, size);
}
/** A store of v's low T at va: through the write TLB, else the slow path. */
// @ts-ignore: decorator
@inline function storeVia<T>(va: u64, v: u64): void {
  const slot = tlbSlot(KIND_W, va);
  const size = <u64>sizeof<T>();
  if (tlbHits(slot, va, size)) store<T>(tlbHostIn(slot, va), <T>v); else storeSlow(va, size, v);
}

// @ts-ignore: decorator
@inline export function load8(va: u64): u64 { return loadVia<u8>(va); }
// @ts-ignore: decorator
@inline export function load16(va: u64): u64 { return loadVia<u16>(va); }
// @ts-ignore: decorator
@inline export function load32(va: u64): u64 { return loadVia<u32>(va); }
// @ts-ignore: decorator
@inline export function load64(va: u64): u64 { return loadVia<u64>(va); }
// @ts-ignore: decorator
@inline export function store8(va: u64, v: u64): void { storeVia<u8>(va, v); }
// @ts-ignore: decorator
@inline export function store16(va: u64, v: u64): void { storeVia<u16>(va, v); }
// @ts-ignore: decorator
@inline export function store32(va: u64, v: u64): void { storeVia<u32>(va, v); }
// @ts-ignore: decorator
@inline export function store64(va: u64, v: u64): void { storeVia<u64>(va, v); }
