// D: double-precision floating point (unprivileged spec ch. 12); the semantics are in fp.ts.
import { fpLoad, fpStore, arith, fused, signInject, minMax, compare, classify, toInt, fromInt,
  ADD, SUB, MUL, DIV, SQRT, SGNJ, SGNJN, SGNJX, EQ, LT, LE, W, WU, L, LU } from "./fp";
import { getX, setX, getF, rd, rs1 } from "./state";
import { fpOn, roundingMode, getF32, setF32, setF64, accrue } from "./fstate";
import { f64_to_f32, f32_to_f64 } from "./fpu/index";

export function i_fld(w: u32, imm: i64): void { fpLoad<u64>(w, imm); }
export function i_fsd(w: u32, imm: i64): void { fpStore<u64>(w, imm); }
export function i_fadd_d(w: u32, imm: i64): void { arith<u64>(w, ADD); }
export function i_fsub_d(w: u32, imm: i64): void { arith<u64>(w, SUB); }
export function i_fmul_d(w: u32, imm: i64): void { arith<u64>(w, MUL); }
export function i_fdiv_d(w: u32, imm: i64): void { arith<u64>(w, DIV); }
export function i_fsqrt_d(w: u32, imm: i64): void { arith<u64>(w, SQRT); }
export function i_fmadd_d(w: u32, imm: i64): void { fused<u64>(w, false, false); }
export function i_fmsub_d(w: u32, imm: i64): void { fused<u64>(w, false, true); }
export function i_fnmsub_d(w: u32, imm: i64): void { fused<u64>(w, true, false); }
export function i_fnmadd_d(w: u32, imm: i64): void { fused<u64>(w, true, true); }
export function i_fsgnj_d(w: u32, imm: i64): void { signInject<u64>(w, SGNJ); }
export function i_fsgnjn_d(w: u32, imm: i64): void { signInject<u64>(w, SGNJN); }
export function i_fsgnjx_d(w: u32, imm: i64): void { signInject<u64>(w, SGNJX); }
export function i_fmin_d(w: u32, imm: i64): void { minMax<u64>(w, false); }
export function i_fmax_d(w: u32, imm: i64): void { minMax<u64>(w, true); }
export function i_feq_d(w: u32, imm: i64): void { compare<u64>(w, EQ); }
export function i_flt_d(w: u32, imm: i64): void { compare<u64>(w, LT); }
export function i_fle_d(w: u32, imm: i64): void { compare<u64>(w, LE); }
export function i_fclass_d(w: u32, imm: i64): void { classify<u64>(w); }
export function i_fcvt_w_d(w: u32, imm: i64): void { toInt<u64>(w, W); }
export function i_fcvt_wu_d(w: u32, imm: i64): void { toInt<u64>(w, WU); }
export function i_fcvt_l_d(w: u32, imm: i64): void { toInt<u64>(w, L); }
export function i_fcvt_lu_d(w: u32, imm: i64): void { toInt<u64>(w, LU); }
export function i_fcvt_d_w(w: u32, imm: i64): void { fromInt<u64>(w, W); }
export function i_fcvt_d_wu(w: u32, imm: i64): void { fromInt<u64>(w, WU); }
export function i_fcvt_d_l(w: u32, imm: i64): void { fromInt<u64>(w, L); }
export function i_fcvt_d_lu(w: u32, imm: i64): void { fromInt<u64>(w, LU); }

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
