// M: multiplication and division (division by zero and overflow never trap). The arithmetic
// is in pure functions so translated blocks (host-ts/jit/) call the very same code.
import { getX, setX, rd, rs1, rs2 } from "./state";

// @ts-ignore: decorator
@inline function sext32(v: u64): u64 { return <u64><i64><i32>v; }

/** High 64 bits of the unsigned 128-bit product. */
export function mulhu(a: u64, b: u64): u64 {
  const aLo = a & 0xffff_ffff, aHi = a >> 32, bLo = b & 0xffff_ffff, bHi = b >> 32;
  const p0 = aLo * bLo, p1 = aLo * bHi, p2 = aHi * bLo, p3 = aHi * bHi;
  const mid = (p0 >> 32) + (p1 & 0xffff_ffff) + (p2 & 0xffff_ffff);
  return p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
}
export function mulh(a: u64, b: u64): u64 {
  let r = mulhu(a, b);
  if (<i64>a < 0) r -= b;
  if (<i64>b < 0) r -= a;
  return r;
}
export function mulhsu(a: u64, b: u64): u64 {
  let r = mulhu(a, b);
  if (<i64>a < 0) r -= b;
  return r;
}
export function div(x: u64, y: u64): u64 {
  const a = <i64>x, b = <i64>y;
  return b == 0 ? <u64>-1 : (a == i64.MIN_VALUE && b == -1) ? <u64>a : <u64>(a / b);
}
export function divu(a: u64, b: u64): u64 { return b == 0 ? <u64>-1 : a / b; }
export function rem(x: u64, y: u64): u64 {
  const a = <i64>x, b = <i64>y;
  return b == 0 ? <u64>a : (a == i64.MIN_VALUE && b == -1) ? 0 : <u64>(a % b);
}
export function remu(a: u64, b: u64): u64 { return b == 0 ? a : a % b; }
export function divw(x: u64, y: u64): u64 {
  const a = <i32>x, b = <i32>y;
  const r: i32 = b == 0 ? -1 : (a == i32.MIN_VALUE && b == -1) ? a : a / b;
  return <u64><i64>r;
}
export function divuw(x: u64, y: u64): u64 {
  const a = <u32>x, b = <u32>y;
  return sext32(<u64>(b == 0 ? <u32>-1 : a / b));
}
export function remw(x: u64, y: u64): u64 {
  const a = <i32>x, b = <i32>y;
  const r: i32 = b == 0 ? a : (a == i32.MIN_VALUE && b == -1) ? 0 : a % b;
  return <u64><i64>r;
}
export function remuw(x: u64, y: u64): u64 {
  const a = <u32>x, b = <u32>y;
  return sext32(<u64>(b == 0 ? a : a % b));
}

// @ts-ignore: decorator
@inline export function i_mul(w: u32, imm: i64): void { setX(rd(w), getX(rs1(w)) * getX(rs2(w))); }
export function i_mulh(w: u32, imm: i64): void { setX(rd(w), mulh(getX(rs1(w)), getX(rs2(w)))); }
export function i_mulhsu(w: u32, imm: i64): void { setX(rd(w), mulhsu(getX(rs1(w)), getX(rs2(w)))); }
export function i_mulhu(w: u32, imm: i64): void { setX(rd(w), mulhu(getX(rs1(w)), getX(rs2(w)))); }
export function i_div(w: u32, imm: i64): void { setX(rd(w), div(getX(rs1(w)), getX(rs2(w)))); }
export function i_divu(w: u32, imm: i64): void { setX(rd(w), divu(getX(rs1(w)), getX(rs2(w)))); }
export function i_rem(w: u32, imm: i64): void { setX(rd(w), rem(getX(rs1(w)), getX(rs2(w)))); }
export function i_remu(w: u32, imm: i64): void { setX(rd(w), remu(getX(rs1(w)), getX(rs2(w)))); }
// @ts-ignore: decorator
@inline export function i_mulw(w: u32, imm: i64): void { setX(rd(w), sext32(getX(rs1(w)) * getX(rs2(w)))); }
export function i_divw(w: u32, imm: i64): void { setX(rd(w), divw(getX(rs1(w)), getX(rs2(w)))); }
export function i_divuw(w: u32, imm: i64): void { setX(rd(w), divuw(getX(rs1(w)), getX(rs2(w)))); }
export function i_remw(w: u32, imm: i64): void { setX(rd(w), remw(getX(rs1(w)), getX(rs2(w)))); }
export function i_remuw(w: u32, imm: i64): void { setX(rd(w), remuw(getX(rs1(w)), getX(rs2(w)))); }
