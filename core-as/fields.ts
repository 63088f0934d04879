// Immediates of the 32-bit formats (the encoding table names which one each op uses).

// @ts-ignore: decorator
@inline export function immI(w: u32): i64 { return <i64>(<i32>w >> 20); }
// @ts-ignore: decorator
@inline export function immS(w: u32): i64 { return <i64>(((<i32>w >> 25) << 5) | ((w >> 7) & 0x1f)); }
// @ts-ignore: decorator
@inline export function immB(w: u32): i64 {
  return <i64>(((<i32>w >> 31) << 12) | ((w << 4) & 0x800) | ((w >> 20) & 0x7e0) | ((w >> 7) & 0x1e));
}
// @ts-ignore: decorator
@inline export function immU(w: u32): i64 { return <i64>(<i32>(w & 0xfffff000)); }
// @ts-ignore: decorator
@inline export function immJ(w: u32): i64 {
  return <i64>(((<i32>w >> 31) << 20) | (w & 0xff000) | ((w >> 9) & 0x800) | ((w >> 20) & 0x7fe));
}
// @ts-ignore: decorator
@inline export function shamt6(w: u32): i64 { return <i64>((w >> 20) & 63); }
// @ts-ignore: decorator
@inline export function shamt5(w: u32): i64 { return <i64>((w >> 20) & 31); }
// @ts-ignore: decorator
@inline export function csrNum(w: u32): i64 { return <i64>(w >> 20); }
// @ts-ignore: decorator
@inline export function zero(w: u32): i64 { return 0; }
