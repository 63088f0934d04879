// Guest virtual memory access for instruction semantics: TLB hit inline, slow path otherwise.
import { tlbSlot, tlbHits, tlbHostIn, KIND_R, KIND_W } from "./tlb";
import { loadSlow, storeSlow } from "./mmu";

// @ts-ignore: decorator
@inline export function load8(va: u64): u64 {
  const slot = tlbSlot(KIND_R, va);
  return tlbHits(slot, va, 1) ? <u64>load<u8>(tlbHostIn(slot, va)) : loadSlow(va, 1);
}
// @ts-ignore: decorator
@inline export function load16(va: u64): u64 {
  const slot = tlbSlot(KIND_R, va);
  return tlbHits(slot, va, 2) ? <u64>load<u16>(tlbHostIn(slot, va)) : loadSlow(va, 2);
}
// @ts-ignore: decorator
@inline export function load32(va: u64): u64 {
  const slot = tlbSlot(KIND_R, va);
  return tlbHits(slot, va, 4) ? <u64>load<u32>(tlbHostIn(slot, va)) : loadSlow(va, 4);
}
// @ts-ignore: decorator
@inline export function load64(va: u64): u64 {
  const slot = tlbSlot(KIND_R, va);
  return tlbHits(slot, va, 8) ? load<u64>(tlbHostIn(slot, va)) : loadSlow(va, 8);
}
// @ts-ignore: decorator
@inline export function store8(va: u64, v: u64): void {
  const slot = tlbSlot(KIND_W, va);
  if (tlbHits(slot, va, 1)) store<u8>(tlbHostIn(slot, va), <u8>v); else storeSlow(va, 1, v);
}
// @ts-ignore: decorator
@inline export function store16(va: u64, v: u64): void {
  const slot = tlbSlot(KIND_W, va);
  if (tlbHits(slot, va, 2)) store<u16>(tlbHostIn(slot, va), <u16>v); else storeSlow(va, 2, v);
}
// @ts-ignore: decorator
@inline export function store32(va: u64, v: u64): void {
  const slot = tlbSlot(KIND_W, va);
  if (tlbHits(slot, va, 4)) store<u32>(tlbHostIn(slot, va), <u32>v); else storeSlow(va, 4, v);
}
// @ts-ignore: decorator
@inline export function store64(va: u64, v: u64): void {
  const slot = tlbSlot(KIND_W, va);
  if (tlbHits(slot, va, 8)) store<u64>(tlbHostIn(slot, va), v); else storeSlow(va, 8, v);
}
