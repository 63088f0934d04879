// The arithmetic operations as the FPU exports them: in round-to-nearest-even a fast path
// on the host's binary64 arithmetic (fastpath.ts) answers when it can prove its result;
// everything else, and every other rounding mode, goes to the softfloat (arith.ts).
import { RM_RNE } from "./common";
import * as soft from "./arith";
import { NONE32, NONE64, add32, mul32, div32, sqrt32, mulAdd32, add64, mul64, div64, sqrt64, mulAdd64 } from "./fastpath";

const SIGN32: u32 = 0x8000_0000;
const SIGN64: u64 = 0x8000_0000_0000_0000;

export function f32_add(a: u32, b: u32, rm: u32): u32 {
  if (rm == RM_RNE) { const r = add32(a, b); if (r != NONE32) return r; }
  return soft.f32_add(a, b, rm);
}
/** a - b is a + (-b) (a NaN b never takes the fast path, so its sign does not matter). */
export function f32_sub(a: u32, b: u32, rm: u32): u32 {
  if (rm == RM_RNE) { const r = add32(a, b ^ SIGN32); if (r != NONE32) return r; }
  return soft.f32_sub(a, b, rm);
}
export function f32_mul(a: u32, b: u32, rm: u32): u32 {
  if (rm == RM_RNE) { const r = mul32(a, b); if (r != NONE32) return r; }
  return soft.f32_mul(a, b, rm);
}
export function f32_div(a: u32, b: u32, rm: u32): u32 {
  if (rm == RM_RNE) { const r = div32(a, b); if (r != NONE32) return r; }
  return soft.f32_div(a, b, rm);
}
export function f32_sqrt(a: u32, rm: u32): u32 {
  if (rm == RM_RNE) { const r = sqrt32(a); if (r != NONE32) return r; }
  return soft.f32_sqrt(a, rm);
}
export function f32_mulAdd(a: u32, b: u32, c: u32, rm: u32): u32 {
  if (rm == RM_RNE) { const r = mulAdd32(a, b, c); if (r != NONE32) return r; }
  return soft.f32_mulAdd(a, b, c, rm);
}

export function f64_add(a: u64, b: u64, rm: u32): u64 {
  if (rm == RM_RNE) { const r = add64(a, b); if (r != NONE64) return r; }
  return soft.f64_add(a, b, rm);
}
export function f64_sub(a: u64, b: u64, rm: u32): u64 {
  if (rm == RM_RNE) { const r = add64(a, b ^ SIGN64); if (r != NONE64) return r; }
  return soft.f64_sub(a, b, rm);
}
export function f64_mul(a: u64, b: u64, rm: u32): u64 {
  if (rm == RM_RNE) { const r = mul64(a, b); if (r != NONE64) return r; }
  return soft.f64_mul(a, b, rm);
}
export function f64_div(a: u64, b: u64, rm: u32): u64 {
  if (rm == RM_RNE) { const r = div64(a, b); if (r != NONE64) return r; }
  return soft.f64_div(a, b, rm);
}
export function f64_sqrt(a: u64, rm: u32): u64 {
  if (rm == RM_RNE) { const r = sqrt64(a); if (r != NONE64) return r; }
  return soft.f64_sqrt(a, rm);
}
export function f64_mulAdd(a: u64, b: u64, c: u64, rm: u32): u64 {
  if (rm == RM_RNE) { const r = mulAdd64(a, b, c); if (r != NONE64) return r; }
  return soft.f64_mulAdd(a, b, c, rm);
}
