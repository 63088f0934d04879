// Guest virtual memory access for instruction semantics: TLB hit inline, slow path otherwise.
import { tlbLookup, KIND_R, KIND_W } from "./tlb";
import { loadSlow, storeSlow } from "./mmu";

// @ts-ignore: decorator
@inline export function load8(va: u64): u64 {
  const h = tlbLookup(KIND_R, va, 1);
  return h != 0 ? <u64>load<u8>(h) : loadSlow(va, 1);
}
// @ts-ignore: decorator
@inline export function load16(va: u64): u64 {
  const h = tlbLookup(KIND_R, va, 2);
  return h != 0 ? <u64>load<u16>(h) : loadSlow(va, 2);
}
// @ts-ignore: decorator
@inline export function load32(va: u64): u64 {
  const h = tlbLookup(KIND_R, va, 4);
  return h != 0 ? <u64>load<u32>(h) : loadSlow(va, 4);
}
// @ts-ignore: decorator
@inline export function load64(va: u64): u64 {
  const h = tlbLookup(KIND_R, va, 8);
  return h != 0 ? load<u64>(h) : loadSlow(va, 8);
}
// @ts-ignore: decorator
@inline export function store8(va: u64, v: u64): void {
  const h = tlbLookup(KIND_W, va, 1);
  if (h != 0) store<u8>(h, <u8>v); else storeSlow(va, 1, v);
}
// @ts-ignore: decorator
@inline export function store16(va: u64, v: u64): void {
  const h = tlbLookup(KIND_W, va, 2);
  if (h != 0) store<u16>(h, <u16>v); else storeSlow(va, 2, v);
}
// @ts-ignore: decorator
@inline export function store32(va: u64, v: u64): void {
  const h = tlbLookup(KIND_W, va, 4);
  if (h != 0) store<u32>(h, <u32>v); else storeSlow(va, 4, v);
}
// @ts-ignore: decorator
@inline export function store64(va: u64, v: u64): void {
  const h = tlbLookup(KIND_W, va, 8);
  if (h != 0) store<u64>(h, v); else storeSlow(va, 8, v);
}
