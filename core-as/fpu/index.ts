// hartvm FPU: exact IEEE 754 binary32/binary64 arithmetic with RISC-V F/D semantics,
// integer-only (a softfloat). Values travel as raw bit patterns (u32 for binary32, u64
// for binary64); NaN-boxing of binary32 values in 64-bit registers is the caller's job.
//
// fflags accumulates the exception flags (NV 0x10, DZ 0x08, OF 0x04, UF 0x02, NX 0x01);
// rounding modes: 0 RNE, 1 RTZ, 2 RDN, 3 RUP, 4 RMM (already resolved, never 5..7).
//
// Wiring notes:
// - every NaN result is the canonical NaN (0x7fc00000 / 0x7ff8000000000000);
// - fmsub = mulAdd(a, b, c ^ SIGN), fnmsub = mulAdd(a ^ SIGN, b, c),
//   fnmadd = mulAdd(a ^ SIGN, b, c ^ SIGN) (signed zeros and NV come out right);
// - f*_to_u32 / f*_to_i32 return the 32-bit pattern: sign-extend it for fcvt.w[u].*;
// - f*_eq/lt/le return bool; min/max return an operand unchanged (or the canonical NaN);
// - arithmetic in round-to-nearest-even first tries a fast path on the host's binary64
//   operations (fastpath.ts, argued in FASTPATH.md) that answers only when it can
//   prove its result bit-exact with exact flags; the softfloat (arith.ts) does the rest and
//   is exported as soft_* for the tests that compare the two;
// - inside the softfloat the only host float op is Math.sqrt of an exactly representable
//   integer, used as the first estimate of an integer square root that is then corrected.
export {
  fflags,
  FLAG_NV, FLAG_DZ, FLAG_OF, FLAG_UF, FLAG_NX,
  RM_RNE, RM_RTZ, RM_RDN, RM_RUP, RM_RMM,
  F32_DEFAULT_NAN, F64_DEFAULT_NAN,
} from "./common";
export {
  f32_add, f32_sub, f32_mul, f32_div, f32_sqrt, f32_mulAdd,
  f64_add, f64_sub, f64_mul, f64_div, f64_sqrt, f64_mulAdd,
} from "./ops";
export {
  f32_add as soft_f32_add, f32_sub as soft_f32_sub, f32_mul as soft_f32_mul,
  f32_div as soft_f32_div, f32_sqrt as soft_f32_sqrt, f32_mulAdd as soft_f32_mulAdd,
  f64_add as soft_f64_add, f64_sub as soft_f64_sub, f64_mul as soft_f64_mul,
  f64_div as soft_f64_div, f64_sqrt as soft_f64_sqrt, f64_mulAdd as soft_f64_mulAdd,
} from "./arith";
export {
  f32_to_f64, f64_to_f32,
  f32_to_i32, f32_to_u32, f32_to_i64, f32_to_u64,
  f64_to_i32, f64_to_u32, f64_to_i64, f64_to_u64,
  i32_to_f32, u32_to_f32, i64_to_f32, u64_to_f32,
  i32_to_f64, u32_to_f64, i64_to_f64, u64_to_f64,
} from "./convert";
export {
  f32_eq, f32_lt, f32_le, f64_eq, f64_lt, f64_le,
  f32_min, f32_max, f64_min, f64_max,
  f32_classify, f64_classify,
} from "./compare";
