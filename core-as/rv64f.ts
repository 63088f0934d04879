// F: single-precision floating point (unprivileged spec ch. 11). Arithmetic is exact softfloat
// (fpu/); this file only moves operands, resolves rounding and accrues flags.
import { getX, setX, getF, rd, rs1, rs2, rs3, trapped } from "./state";
import { load32, store32 } from "./mem";
import { fpOn, roundingMode, getF32, setF32, accrue } from "./fstate";
import {
  f32_add, f32_sub, f32_mul, f32_div, f32_sqrt, f32_mulAdd, f32_eq, f32_lt, f32_le, f32_min, f32_max,
  f32_classify, f32_to_i32, f32_to_u32, f32_to_i64, f32_to_u64, i32_to_f32, u32_to_f32, i64_to_f32, u64_to_f32,
} from "./fpu/index";

const SIGN: u32 = 0x8000_0000;

// @ts-ignore: decorator
@inline function a(w: u32): u32 { return getF32(rs1(w)); }
// @ts-ignore: decorator
@inline function b(w: u32): u32 { return getF32(rs2(w)); }
// @ts-ignore: decorator
@inline function c(w: u32): u32 { return getF32(rs3(w)); }

export function i_flw(w: u32, imm: i64): void {
  if (!fpOn()) return;
  const v = load32(getX(rs1(w)) + <u64>imm);
  if (!trapped) setF32(rd(w), <u32>v);
}
export function i_fsw(w: u32, imm: i64): void {
  if (!fpOn()) return;
  store32(getX(rs1(w)) + <u64>imm, getF(rs2(w)));
}

function arith(w: u32, op: u32): void {
  if (!fpOn()) return;
  const rm = roundingMode(w);
  if (rm < 0) return;
  const m = <u32>rm;
  let r: u32;
  switch (op) {
    case 0: r = f32_add(a(w), b(w), m); break;
    case 1: r = f32_sub(a(w), b(w), m); break;
    case 2: r = f32_mul(a(w), b(w), m); break;
    case 3: r = f32_div(a(w), b(w), m); break;
    default: r = f32_sqrt(a(w), m); break;
  }
  accrue();
  setF32(rd(w), r);
}
export function i_fadd_s(w: u32, imm: i64): void { arith(w, 0); }
export function i_fsub_s(w: u32, imm: i64): void { arith(w, 1); }
export function i_fmul_s(w: u32, imm: i64): void { arith(w, 2); }
export function i_fdiv_s(w: u32, imm: i64): void { arith(w, 3); }
export function i_fsqrt_s(w: u32, imm: i64): void { arith(w, 4); }

/** Fused multiply-add; the negated forms flip input signs, as the spec defines them. */
function fused(w: u32, negProduct: bool, negAddend: bool): void {
  if (!fpOn()) return;
  const rm = roundingMode(w);
  if (rm < 0) return;
  const x = negProduct ? a(w) ^ SIGN : a(w);
  const z = negAddend ? c(w) ^ SIGN : c(w);
  const r = f32_mulAdd(x, b(w), z, <u32>rm);
  accrue();
  setF32(rd(w), r);
}
export function i_fmadd_s(w: u32, imm: i64): void { fused(w, false, false); }
export function i_fmsub_s(w: u32, imm: i64): void { fused(w, false, true); }
export function i_fnmsub_s(w: u32, imm: i64): void { fused(w, true, false); }
export function i_fnmadd_s(w: u32, imm: i64): void { fused(w, true, true); }

function signInject(w: u32, mode: u32): void {
  if (!fpOn()) return;
  const x = a(w), y = b(w);
  const s = mode == 0 ? y & SIGN : mode == 1 ? ~y & SIGN : (x ^ y) & SIGN;
  setF32(rd(w), (x & ~SIGN) | s);
}
export function i_fsgnj_s(w: u32, imm: i64): void { signInject(w, 0); }
export function i_fsgnjn_s(w: u32, imm: i64): void { signInject(w, 1); }
export function i_fsgnjx_s(w: u32, imm: i64): void { signInject(w, 2); }

export function i_fmin_s(w: u32, imm: i64): void {
  if (!fpOn()) return;
  const r = f32_min(a(w), b(w));
  accrue();
  setF32(rd(w), r);
}
export function i_fmax_s(w: u32, imm: i64): void {
  if (!fpOn()) return;
  const r = f32_max(a(w), b(w));
  accrue();
  setF32(rd(w), r);
}

function compare(w: u32, op: u32): void {
  if (!fpOn()) return;
  const r = op == 0 ? f32_eq(a(w), b(w)) : op == 1 ? f32_lt(a(w), b(w)) : f32_le(a(w), b(w));
  accrue();
  setX(rd(w), r ? 1 : 0);
}
export function i_feq_s(w: u32, imm: i64): void { compare(w, 0); }
export function i_flt_s(w: u32, imm: i64): void { compare(w, 1); }
export function i_fle_s(w: u32, imm: i64): void { compare(w, 2); }

export function i_fclass_s(w: u32, imm: i64): void {
  if (!fpOn()) return;
  setX(rd(w), <u64>f32_classify(a(w)));
}

/** Float to integer: W results are sign-extended to 64 bits (also for the unsigned form). */
function toInt(w: u32, kind: u32): void {
  if (!fpOn()) return;
  const rm = roundingMode(w);
  if (rm < 0) return;
  const m = <u32>rm;
  let r: u64;
  switch (kind) {
    case 0: r = <u64><i64>f32_to_i32(a(w), m); break;
    case 1: r = <u64><i64><i32>f32_to_u32(a(w), m); break;
    case 2: r = <u64>f32_to_i64(a(w), m); break;
    default: r = f32_to_u64(a(w), m); break;
  }
  accrue();
  setX(rd(w), r);
}
export function i_fcvt_w_s(w: u32, imm: i64): void { toInt(w, 0); }
export function i_fcvt_wu_s(w: u32, imm: i64): void { toInt(w, 1); }
export function i_fcvt_l_s(w: u32, imm: i64): void { toInt(w, 2); }
export function i_fcvt_lu_s(w: u32, imm: i64): void { toInt(w, 3); }

function fromInt(w: u32, kind: u32): void {
  if (!fpOn()) return;
  const rm = roundingMode(w);
  if (rm < 0) return;
  const m = <u32>rm;
  const x = getX(rs1(w));
  let r: u32;
  switch (kind) {
    case 0: r = i32_to_f32(<i32>x, m); break;
    case 1: r = u32_to_f32(<u32>x, m); break;
    case 2: r = i64_to_f32(<i64>x, m); break;
    default: r = u64_to_f32(x, m); break;
  }
  accrue();
  setF32(rd(w), r);
}
export function i_fcvt_s_w(w: u32, imm: i64): void { fromInt(w, 0); }
export function i_fcvt_s_wu(w: u32, imm: i64): void { fromInt(w, 1); }
export function i_fcvt_s_l(w: u32, imm: i64): void { fromInt(w, 2); }
export function i_fcvt_s_lu(w: u32, imm: i64): void { fromInt(w, 3); }

/** Moves: the low 32 bits travel unchanged (no NaN-box check), sign-extended into x. */
export function i_fmv_x_w(w: u32, imm: i64): void {
  if (!fpOn()) return;
  setX(rd(w), <u64><i64><i32>getF(rs1(w)));
}
export function i_fmv_w_x(w: u32, imm: i64): void {
  if (!fpOn()) return;
  setF32(rd(w), <u32>getX(rs1(w)));
}
