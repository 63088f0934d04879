// F and D semantics, written once: generic over the operand width (u32 = binary32,
// u64 = binary64). Arithmetic is exact softfloat (fpu/); these functions move operands,
// resolve rounding, NaN-box and accrue flags. rv64f.ts and rv64d.ts name the instructions.
import { getX, setX, getF, rd, rs1, rs2, rs3, trapped } from "./state";
import { load32, load64, store32, store64 } from "./mem";
import { fpOn, roundingMode, getF32, setF32, setF64, accrue } from "./fstate";
import {
  f32_add, f32_sub, f32_mul, f32_div, f32_sqrt, f32_mulAdd, f32_eq, f32_lt, f32_le, f32_min, f32_max,
  f32_classify, f32_to_i32, f32_to_u32, f32_to_i64, f32_to_u64, i32_to_f32, u32_to_f32, i64_to_f32, u64_to_f32,
  f64_add, f64_sub, f64_mul, f64_div, f64_sqrt, f64_mulAdd, f64_eq, f64_lt, f64_le, f64_min, f64_max,
  f64_classify, f64_to_i32, f64_to_u32, f64_to_i64, f64_to_u64, i32_to_f64, u32_to_f64, i64_to_f64, u64_to_f64,
} from "./fpu/index";

// @ts-ignore: decorator
@inline function single<T>(): bool { return sizeof<T>() == 4; }
// @ts-ignore: decorator
@inline function sign<T>(): T { return single<T>() ? <T>0x8000_0000 : <T>0x8000_0000_0000_0000; }
/** Operand r: binary32 values are unboxed (improperly boxed ones read as the canonical NaN). */
// @ts-ignore: decorator
@inline function get<T>(r: u32): T { return single<T>() ? <T>getF32(r) : <T>getF(r); }
// @ts-ignore: decorator
@inline function set<T>(r: u32, v: T): void { if (single<T>()) setF32(r, <u32>v); else setF64(r, <u64>v); }

export function fpLoad<T>(w: u32, imm: i64): void {
  if (!fpOn()) return;
  const va = getX(rs1(w)) + <u64>imm;
  const v = single<T>() ? load32(va) : load64(va);
  if (!trapped) set<T>(rd(w), <T>v);
}

/** Stores move the low bits unchanged (no NaN-box check). */
export function fpStore<T>(w: u32, imm: i64): void {
  if (!fpOn()) return;
  const va = getX(rs1(w)) + <u64>imm;
  if (single<T>()) store32(va, getF(rs2(w))); else store64(va, getF(rs2(w)));
}

export const ADD: u32 = 0, SUB: u32 = 1, MUL: u32 = 2, DIV: u32 = 3, SQRT: u32 = 4;

export function arith<T>(w: u32, op: u32): void {
  if (!fpOn()) return;
  const rm = roundingMode(w);
  if (rm < 0) return;
  const m = <u32>rm;
  const a = get<T>(rs1(w)), b = get<T>(rs2(w));
  let r: T;
  if (single<T>()) {
    const x = <u32>a, y = <u32>b;
    r = <T>(op == ADD ? f32_add(x, y, m) : op == SUB ? f32_sub(x, y, m) : op == MUL ? f32_mul(x, y, m) : op == DIV ? f32_div(x, y, m) : f32_sqrt(x, m));
  } else {
    const x = <u64>a, y = <u64>b;
    r = <T>(op == ADD ? f64_add(x, y, m) : op == SUB ? f64_sub(x, y, m) : op == MUL ? f64_mul(x, y, m) : op == DIV ? f64_div(x, y, m) : f64_sqrt(x, m));
  }
  accrue();
  set<T>(rd(w), r);
}

/** Fused multiply-add; the negated forms flip input signs, as the spec defines them. */
export function fused<T>(w: u32, negProduct: bool, negAddend: bool): void {
  if (!fpOn()) return;
  const rm = roundingMode(w);
  if (rm < 0) return;
  const a = negProduct ? get<T>(rs1(w)) ^ sign<T>() : get<T>(rs1(w));
  const c = negAddend ? get<T>(rs3(w)) ^ sign<T>() : get<T>(rs3(w));
  const b = get<T>(rs2(w));
  const r = single<T>() ? <T>f32_mulAdd(<u32>a, <u32>b, <u32>c, <u32>rm) : <T>f64_mulAdd(<u64>a, <u64>b, <u64>c, <u32>rm);
  accrue();
  set<T>(rd(w), r);
}

export const SGNJ: u32 = 0, SGNJN: u32 = 1, SGNJX: u32 = 2;

export function signInject<T>(w: u32, mode: u32): void {
  if (!fpOn()) return;
  const x = get<T>(rs1(w)), y = get<T>(rs2(w));
  const s = mode == SGNJ ? y & sign<T>() : mode == SGNJN ? ~y & sign<T>() : (x ^ y) & sign<T>();
  set<T>(rd(w), (x & ~sign<T>()) | s);
}

export function minMax<T>(w: u32, max: bool): void {
  if (!fpOn()) return;
  const a = get<T>(rs1(w)), b = get<T>(rs2(w));
  let r: T;
  if (single<T>()) r = <T>(max ? f32_max(<u32>a, <u32>b) : f32_min(<u32>a, <u32>b));
  else r = <T>(max ? f64_max(<u64>a, <u64>b) : f64_min(<u64>a, <u64>b));
  accrue();
  set<T>(rd(w), r);
}

export const EQ: u32 = 0, LT: u32 = 1, LE: u32 = 2;

export function compare<T>(w: u32, op: u32): void {
  if (!fpOn()) return;
  const a = get<T>(rs1(w)), b = get<T>(rs2(w));
  let r: bool;
  if (single<T>()) r = op == EQ ? f32_eq(<u32>a, <u32>b) : op == LT ? f32_lt(<u32>a, <u32>b) : f32_le(<u32>a, <u32>b);
  else r = op == EQ ? f64_eq(<u64>a, <u64>b) : op == LT ? f64_lt(<u64>a, <u64>b) : f64_le(<u64>a, <u64>b);
  accrue();
  setX(rd(w), r ? 1 : 0);
}

export function classify<T>(w: u32): void {
  if (!fpOn()) return;
  const a = get<T>(rs1(w));
  setX(rd(w), <u64>(single<T>() ? f32_classify(<u32>a) : f64_classify(<u64>a)));
}

export const W: u32 = 0, WU: u32 = 1, L: u32 = 2, LU: u32 = 3;

/** Float to integer: W results are sign-extended to 64 bits (also for the unsigned form). */
export function toInt<T>(w: u32, kind: u32): void {
  if (!fpOn()) return;
  const rm = roundingMode(w);
  if (rm < 0) return;
  const m = <u32>rm;
  const a = get<T>(rs1(w));
  let r: u64;
  if (single<T>()) {
    const x = <u32>a;
    r = kind == W ? <u64><i64>f32_to_i32(x, m) : kind == WU ? <u64><i64><i32>f32_to_u32(x, m) : kind == L ? <u64>f32_to_i64(x, m) : f32_to_u64(x, m);
  } else {
    const x = <u64>a;
    r = kind == W ? <u64><i64>f64_to_i32(x, m) : kind == WU ? <u64><i64><i32>f64_to_u32(x, m) : kind == L ? <u64>f64_to_i64(x, m) : f64_to_u64(x, m);
  }
  accrue();
  setX(rd(w), r);
}

export function fromInt<T>(w: u32, kind: u32): void {
  if (!fpOn()) return;
  const rm = roundingMode(w);
  if (rm < 0) return;
  const m = <u32>rm;
  const x = getX(rs1(w));
  let r: T;
  if (single<T>()) {
    r = <T>(kind == W ? i32_to_f32(<i32>x, m) : kind == WU ? u32_to_f32(<u32>x, m) : kind == L ? i64_to_f32(<i64>x, m) : u64_to_f32(x, m));
  } else {
    r = <T>(kind == W ? i32_to_f64(<i32>x, m) : kind == WU ? u32_to_f64(<u32>x, m) : kind == L ? i64_to_f64(<i64>x, m) : u64_to_f64(x, m));
  }
  accrue();
  set<T>(rd(w), r);
}
