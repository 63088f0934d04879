// F: single-precision floating point (unprivileged spec ch. 11); the semantics are in fp.ts.
import { fpLoad, fpStore, arith, fused, signInject, minMax, compare, classify, toInt, fromInt,
  ADD, SUB, MUL, DIV, SQRT, SGNJ, SGNJN, SGNJX, EQ, LT, LE, W, WU, L, LU } from "./fp";
import { getX, setX, getF, rd, rs1 } from "./state";
import { fpOn, setF32 } from "./fstate";

export function i_flw(w: u32, imm: i64): void { fpLoad<u32>(w, imm); }
export function i_fsw(w: u32, imm: i64): void { fpStore<u32>(w, imm); }
export function i_fadd_s(w: u32, imm: i64): void { arith<u32>(w, ADD); }
export function i_fsub_s(w: u32, imm: i64): void { arith<u32>(w, SUB); }
export function i_fmul_s(w: u32, imm: i64): void { arith<u32>(w, MUL); }
export function i_fdiv_s(w: u32, imm: i64): void { arith<u32>(w, DIV); }
export function i_fsqrt_s(w: u32, imm: i64): void { arith<u32>(w, SQRT); }
export function i_fmadd_s(w: u32, imm: i64): void { fused<u32>(w, false, false); }
export function i_fmsub_s(w: u32, imm: i64): void { fused<u32>(w, false, true); }
export function i_fnmsub_s(w: u32, imm: i64): void { fused<u32>(w, true, false); }
export function i_fnmadd_s(w: u32, imm: i64): void { fused<u32>(w, true, true); }
export function i_fsgnj_s(w: u32, imm: i64): void { signInject<u32>(w, SGNJ); }
export function i_fsgnjn_s(w: u32, imm: i64): void { signInject<u32>(w, SGNJN); }
export function i_fsgnjx_s(w: u32, imm: i64): void { signInject<u32>(w, SGNJX); }
export function i_fmin_s(w: u32, imm: i64): void { minMax<u32>(w, false); }
export function i_fmax_s(w: u32, imm: i64): void { minMax<u32>(w, true); }
export function i_feq_s(w: u32, imm: i64): void { compare<u32>(w, EQ); }
export function i_flt_s(w: u32, imm: i64): void { compare<u32>(w, LT); }
export function i_fle_s(w: u32, imm: i64): void { compare<u32>(w, LE); }
export function i_fclass_s(w: u32, imm: i64): void { classify<u32>(w); }
export function i_fcvt_w_s(w: u32, imm: i64): void { toInt<u32>(w, W); }
export function i_fcvt_wu_s(w: u32, imm: i64): void { toInt<u32>(w, WU); }
export function i_fcvt_l_s(w: u32, imm: i64): void { toInt<u32>(w, L); }
export function i_fcvt_lu_s(w: u32, imm: i64): void { toInt<u32>(w, LU); }
export function i_fcvt_s_w(w: u32, imm: i64): void { fromInt<u32>(w, W); }
export function i_fcvt_s_wu(w: u32, imm: i64): void { fromInt<u32>(w, WU); }
export function i_fcvt_s_l(w: u32, imm: i64): void { fromInt<u32>(w, L); }
export function i_fcvt_s_lu(w: u32, imm: i64): void { fromInt<u32>(w, LU); }

/** fmv.x.w: the low 32 bits travel unchanged (no NaN-box check), sign-extended into x. */
export function i_fmv_x_w(w: u32, imm: i64): void {
  if (!fpOn()) return;
  setX(rd(w), <u64><i64><i32>getF(rs1(w)));
}
export function i_fmv_w_x(w: u32, imm: i64): void {
  if (!fpOn()) return;
  setF32(rd(w), <u32>getX(rs1(w)));
}
