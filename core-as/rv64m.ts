// M: multiplication and division (division by zero and overflow never trap).
import { getX, setX, rd, rs1, rs2 } from "./state";

// @ts-ignore: decorator
@inline function sext32(v: u64): u64 { return <u64><i64><i32>v; }

/** High 64 bits of the unsigned 128-bit product. */
function mulhu(a: u64, b: u64): u64 {
  const aLo = a & 0xffff_ffff, aHi = a >> 32, bLo = b & 0xffff_ffff, bHi = b >> 32;
  const p0 = aLo * bLo, p1 = aLo * bHi, p2 = aHi * bLo, p3 = aHi * bHi;
  const mid = (p0 >> 32) + (p1 & 0xffff_ffff) + (p2 & 0xffff_ffff);
  return p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
}

// @ts-ignore: decorator
@inline export function i_mul(w: u32, imm: i64): void { setX(rd(w), getX(rs1(w)) * getX(rs2(w))); }
export function i_mulh(w: u32, imm: i64): void {
  const a = getX(rs1(w)), b = getX(rs2(w));
  let r = mulhu(a, b);
  if (<i64>a < 0) r -= b;
  if (<i64>b < 0) r -= a;
  setX(rd(w), r);
}
export function i_mulhsu(w: u32, imm: i64): void {
  const a = getX(rs1(w)), b = getX(rs2(w));
  let r = mulhu(a, b);
  if (<i64>a < 0) r -= b;
  setX(rd(w), r);
}
export function i_mulhu(w: u32, imm: i64): void { setX(rd(w), mulhu(getX(rs1(w)), getX(rs2(w)))); }
export function i_div(w: u32, imm: i64): void {
  const a = <i64>getX(rs1(w)), b = <i64>getX(rs2(w));
  setX(rd(w), b == 0 ? <u64>-1 : (a == i64.MIN_VALUE && b == -1) ? <u64>a : <u64>(a / b));
}
export function i_divu(w: u32, imm: i64): void {
  const a = getX(rs1(w)), b = getX(rs2(w));
  setX(rd(w), b == 0 ? <u64>-1 : a / b);
}
export function i_rem(w: u32, imm: i64): void {
  const a = <i64>getX(rs1(w)), b = <i64>getX(rs2(w));
  setX(rd(w), b == 0 ? <u64>a : (a == i64.MIN_VALUE && b == -1) ? 0 : <u64>(a % b));
}
export function i_remu(w: u32, imm: i64): void {
  const a = getX(rs1(w)), b = getX(rs2(w));
  setX(rd(w), b == 0 ? a : a % b);
}
// @ts-ignore: decorator
@inline export function i_mulw(w: u32, imm: i64): void { setX(rd(w), sext32(getX(rs1(w)) * getX(rs2(w)))); }
export function i_divw(w: u32, imm: i64): void {
  const a = <i32>getX(rs1(w)), b = <i32>getX(rs2(w));
  const r: i32 = b == 0 ? -1 : (a == i32.MIN_VALUE && b == -1) ? a : a / b;
  setX(rd(w), <u64><i64>r);
}
export function i_divuw(w: u32, imm: i64): void {
  const a = <u32>getX(rs1(w)), b = <u32>getX(rs2(w));
  setX(rd(w), sext32(<u64>(b == 0 ? <u32>-1 : a / b)));
}
export function i_remw(w: u32, imm: i64): void {
  const a = <i32>getX(rs1(w)), b = <i32>getX(rs2(w));
  const r: i32 = b == 0 ? a : (a == i32.MIN_VALUE && b == -1) ? 0 : a % b;
  setX(rd(w), <u64><i64>r);
}
export function i_remuw(w: u32, imm: i64): void {
  const a = <u32>getX(rs1(w)), b = <u32>getX(rs2(w));
  setX(rd(w), sext32(<u64>(b == 0 ? a : a % b)));
}
