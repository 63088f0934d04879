// D: double-precision floating point (unprivileged spec ch. 12). Arithmetic is exact softfloat
// (fpu/); this file only moves operands, resolves rounding and accrues flags.
import { getX, setX, getF, rd, rs1, rs2, rs3, trapped } from "./state";
import { load64, store64 } from "./mem";
import { fpOn, roundingMode, getF32, setF32, setF64, accrue } from "./fstate";
import {
  f64_add, f64_sub, f64_mul, f64_div, f64_sqrt, f64_mulAdd, f64_eq, f64_lt, f64_le, f64_min, f64_max,
  f64_classify, f64_to_i32, f64_to_u32, f64_to_i64, f64_to_u64, i32_to_f64, u32_to_f64, i64_to_f64, u64_to_f64, f64_to_f32, f32_to_f64,
} from "./fpu/index";

const SIGN: u64 = 0x8000_0000_0000_0000;

// @ts-ignore: decorator
@inline function a(w: u32): u64 { return getF(rs1(w)); }
// @ts-ignore: decorator
@inline function b(w: u32): u64 { return getF(rs2(w)); }
// @ts-ignore: decorator
@inline function c(w: u32): u64 { return getF(rs3(w)); }

export function i_fld(w: u32, imm: i64): void {
  if (!fpOn()) return;
  const v = load64(getX(rs1(w)) + <u64>imm);
  if (!trapped) setF64(rd(w), <u64>v);
}
export function i_fsd(w: u32, imm: i64): void {
  if (!fpOn()) return;
  store64(getX(rs1(w)) + <u64>imm, getF(rs2(w)));
}

function arith(w: u32, op: u32): void {
  if (!fpOn()) return;
  const rm = roundingMode(w);
  if (rm < 0) return;
  const m = <u32>rm;
  let r: u64;
  switch (op) {
    case 0: r = f64_add(a(w), b(w), m); break;
    case 1: r = f64_sub(a(w), b(w), m); break;
    case 2: r = f64_mul(a(w), b(w), m); break;
    case 3: r = f64_div(a(w), b(w), m); break;
    default: r = f64_sqrt(a(w), m); break;
  }
  accrue();
  setF64(rd(w), r);
}
export function i_fadd_d(w: u32, imm: i64): void { arith(w, 0); }
export function i_fsub_d(w: u32, imm: i64): void { arith(w, 1); }
export function i_fmul_d(w: u32, imm: i64): void { arith(w, 2); }
export function i_fdiv_d(w: u32, imm: i64): void { arith(w, 3); }
export function i_fsqrt_d(w: u32, imm: i64): void { arith(w, 4); }

/** Fused multiply-add; the negated forms flip input signs, as the spec defines them. */
function fused(w: u32, negProduct: bool, negAddend: bool): void {
  if (!fpOn()) return;
  const rm = roundingMode(w);
  if (rm < 0) return;
  const x = negProduct ? a(w) ^ SIGN : a(w);
  const z = negAddend ? c(w) ^ SIGN : c(w);
  const r = f64_mulAdd(x, b(w), z, <u32>rm);
  accrue();
  setF64(rd(w), r);
}
export function i_fmadd_d(w: u32, imm: i64): void { fused(w, false, false); }
export function i_fmsub_d(w: u32, imm: i64): void { fused(w, false, true); }
export function i_fnmsub_d(w: u32, imm: i64): void { fused(w, true, false); }
export function i_fnmadd_d(w: u32, imm: i64): void { fused(w, true, true); }

function signInject(w: u32, mode: u32): void {
  if (!fpOn()) return;
  const x = a(w), y = b(w);
  const s = mode == 0 ? y & SIGN : mode == 1 ? ~y & SIGN : (x ^ y) & SIGN;
  setF64(rd(w), (x & ~SIGN) | s);
}
export function i_fsgnj_d(w: u32, imm: i64): void { signInject(w, 0); }
export function i_fsgnjn_d(w: u32, imm: i64): void { signInject(w, 1); }
export function i_fsgnjx_d(w: u32, imm: i64): void { signInject(w, 2); }

export function i_fmin_d(w: u32, imm: i64): void {
  if (!fpOn()) return;
  const r = f64_min(a(w), b(w));
  accrue();
  setF64(rd(w), r);
}
export function i_fmax_d(w: u32, imm: i64): void {
  if (!fpOn()) return;
  const r = f64_max(a(w), b(w));
  accrue();
  setF64(rd(w), r);
}

function compare(w: u32, op: u32): void {
  if (!fpOn()) return;
  const r = op == 0 ? f64_eq(a(w), b(w)) : op == 1 ? f64_lt(a(w), b(w)) : f64_le(a(w), b(w));
  accrue();
  setX(rd(w), r ? 1 : 0);
}
export function i_feq_d(w: u32, imm: i64): void { compare(w, 0); }
export function i_flt_d(w: u32, imm: i64): void { compare(w, 1); }
export function i_fle_d(w: u32, imm: i64): void { compare(w, 2); }

export function i_fclass_d(w: u32, imm: i64): void {
  if (!fpOn()) return;
  setX(rd(w), <u64>f64_classify(a(w)));
}

/** Float to integer: W results are sign-extended to 64 bits (also for the unsigned form). */
function toInt(w: u32, kind: u32): void {
  if (!fpOn()) return;
  const rm = roundingMode(w);
  if (rm < 0) return;
  const m = <u32>rm;
  let r: u64;
  switch (kind) {
    case 0: r = <u64><i64>f64_to_i32(a(w), m); break;
    case 1: r = <u64><i64><i32>f64_to_u32(a(w), m); break;
    case 2: r = <u64>f64_to_i64(a(w), m); break;
    default: r = f64_to_u64(a(w), m); break;
  }
  accrue();
  setX(rd(w), r);
}
export function i_fcvt_w_d(w: u32, imm: i64): void { toInt(w, 0); }
export function i_fcvt_wu_d(w: u32, imm: i64): void { toInt(w, 1); }
export function i_fcvt_l_d(w: u32, imm: i64): void { toInt(w, 2); }
export function i_fcvt_lu_d(w: u32, imm: i64): void { toInt(w, 3); }

function fromInt(w: u32, kind: u32): void {
  if (!fpOn()) return;
  const rm = roundingMode(w);
  if (rm < 0) return;
  const m = <u32>rm;
  const x = getX(rs1(w));
  let r: u64;
  switch (kind) {
    case 0: r = i32_to_f64(<i32>x, m); break;
    case 1: r = u32_to_f64(<u32>x, m); break;
    case 2: r = i64_to_f64(<i64>x, m); break;
    default: r = u64_to_f64(x, m); break;
  }
  accrue();
  setF64(rd(w), r);
}
export function i_fcvt_d_w(w: u32, imm: i64): void { fromInt(w, 0); }
export function i_fcvt_d_wu(w: u32, imm: i64): void { fromInt(w, 1); }
export function i_fcvt_d_l(w: u32, imm: i64): void { fromInt(w, 2); }
export function i_fcvt_d_lu(w: u32, imm: i64): void { fromInt(w, 3); }

export function i_fmv_x_d(w: u32, imm: i64): void {
  if (!fpOn()) return;
  setX(rd(w), getF(rs1(w)));
}
export function i_fmv_d_x(w: u32, imm: i64): void {
  if (!fpOn()) return;
  setF64(rd(w), getX(rs1(w)));
}

export function i_fcvt_s_d(w: u32, imm: i64): void {
  if (!fpOn()) return;
  const rm = roundingMode(w);
  if (rm < 0) return;
  const r = f64_to_f32(getF(rs1(w)), <u32>rm);
  accrue();
  setF32(rd(w), r);
}
export function i_fcvt_d_s(w: u32, imm: i64): void {
  if (!fpOn()) return;
  if (roundingMode(w) < 0) return;
  const r = f32_to_f64(getF32(rs1(w)));
  accrue();
  setF64(rd(w), r);
}
