// Conversions: float <-> float, float -> integer (saturating, RISC-V table 11.4),
// integer -> float.
import {
  fflags, FLAG_NV, FLAG_NX, RM_RNE, RM_RTZ, RM_RDN, RM_RUP,
  fracBits, expMax, expBias, fracOf, expOf, signOf, signBits, infBits,
  isNaNBits, isSNaNBits, F32_DEFAULT_NAN, F64_DEFAULT_NAN,
  clz64, shiftRightJam64, roundPack, roundPack32,
} from "./common";

// ---- float -> float ----

export function f32_to_f64(a: u32): u64 {
  const x = <u64>a;
  if (isNaNBits(x, false)) {
    if (isSNaNBits(x, false)) fflags |= FLAG_NV;
    return F64_DEFAULT_NAN;
  }
  const sign = <u64>(a >> 31) << 63;
  let exp = <i32>((a >> 23) & 0xff);
  let frac = <u64>(a & 0x7fffff);
  if (exp == 0xff) return sign | 0x7ff0000000000000;
  if (exp == 0) {
    if (frac == 0) return sign;
    const s = clz64(frac) - 40;            // move the leading one to bit 23
    frac = (frac << <u64>s) & 0x7fffff;
    exp = 1 - s;
  }
  return sign | (<u64>(exp + 1023 - 127) << 52) | (frac << 29);
}

export function f64_to_f32(a: u64, rm: u32): u32 {
  if (isNaNBits(a, true)) {
    if (isSNaNBits(a, true)) fflags |= FLAG_NV;
    return F32_DEFAULT_NAN;
  }
  const sign = (a >> 63) != 0;
  let exp = <i32>((a >> 52) & 0x7ff);
  let sig = a & 0x000fffffffffffff;
  if (exp == 0x7ff) return <u32>(signBits(sign, false) | infBits(false));
  if (exp == 0) {
    if (sig == 0) return sign ? 0x80000000 : 0;
    exp = 1;
  } else {
    sig |= 0x0010000000000000;
  }
  // sig << 10 puts the (binary64) leading bit at 62; rebias to binary32
  sig <<= 10;
  const s = clz64(sig) - 1;
  return <u32>roundPack32(sign, exp - 897 - s, sig << <u64>s, rm);
}

// ---- float -> integer ----

/**
 * Convert to a 32- or 64-bit, signed or unsigned integer. Returns the bit pattern (for
 * 32-bit results in the low 32 bits). Out of range and NaN give the saturated value with
 * NV only; in-range inexact results set NX.
 */
@inline function toIntImpl(a: u64, rm: u32, d: bool, is64: bool, signed: bool): u64 {
  const FRAC = fracBits(d);
  const MAXP: u64 = signed ? (is64 ? 0x7fffffffffffffff : 0x7fffffff) : (is64 ? 0xffffffffffffffff : 0xffffffff);
  const MINN: u64 = signed ? (is64 ? 0x8000000000000000 : 0x80000000) : 0;
  const NEG_LIMIT: u64 = signed ? (is64 ? 0x8000000000000000 : 0x80000000) : 0; // largest magnitude allowed when negative
  let exp = expOf(a, d);
  let sig = fracOf(a, d);
  const sign = signOf(a, d);
  if (exp == expMax(d) && sig != 0) {
    fflags |= FLAG_NV;
    return MAXP;
  }
  if (exp == 0) {
    if (sig == 0) return 0;
    exp = 1;
  } else {
    sig |= <u64>1 << <u64>FRAC;
  }
  const E = exp - expBias(d);              // value = sig * 2^(E - FRAC)
  if (E >= 64) {                           // includes infinities
    fflags |= FLAG_NV;
    return sign ? MINN : MAXP;
  }
  const s = sig << <u64>(63 - FRAC);       // value = s * 2^(E - 63)
  let ip: u64;                             // integer part
  let fp: u64;                             // fraction, bit 63 has weight 1/2, jammed
  if (E == 63) {
    ip = s; fp = 0;
  } else if (E >= 0) {
    ip = s >> <u64>(63 - E);
    fp = s << <u64>(E + 1);
  } else {
    ip = 0;
    fp = shiftRightJam64(s, -E - 1);
  }
  let up: bool;
  if (rm == RM_RNE) up = fp > 0x8000000000000000 || (fp == 0x8000000000000000 && (ip & 1) != 0);
  else if (rm == RM_RTZ) up = false;
  else if (rm == RM_RDN) up = sign && fp != 0;
  else if (rm == RM_RUP) up = !sign && fp != 0;
  else up = fp >= 0x8000000000000000;      // RMM
  if (up) ip++;                            // cannot wrap: E == 63 has fp == 0
  if (sign) {
    if (ip > NEG_LIMIT) {
      fflags |= FLAG_NV;
      return MINN;
    }
    if (fp != 0) fflags |= FLAG_NX;
    const r = 0 - ip;
    return is64 ? r : r & 0xffffffff;
  }
  if (ip > MAXP) {
    fflags |= FLAG_NV;
    return MAXP;
  }
  if (fp != 0) fflags |= FLAG_NX;
  return ip;
}

export function f32_to_i32(a: u32, rm: u32): i32 { return <i32>toIntImpl(<u64>a, rm, false, false, true); }
export function f32_to_u32(a: u32, rm: u32): u32 { return <u32>toIntImpl(<u64>a, rm, false, false, false); }
export function f32_to_i64(a: u32, rm: u32): i64 { return <i64>toIntImpl(<u64>a, rm, false, true, true); }
export function f32_to_u64(a: u32, rm: u32): u64 { return toIntImpl(<u64>a, rm, false, true, false); }
export function f64_to_i32(a: u64, rm: u32): i32 { return <i32>toIntImpl(a, rm, true, false, true); }
export function f64_to_u32(a: u64, rm: u32): u32 { return <u32>toIntImpl(a, rm, true, false, false); }
export function f64_to_i64(a: u64, rm: u32): i64 { return <i64>toIntImpl(a, rm, true, true, true); }
export function f64_to_u64(a: u64, rm: u32): u64 { return toIntImpl(a, rm, true, true, false); }

// ---- integer -> float ----

/** Round the magnitude mag (with sign neg) to the format. */
@inline function fromIntImpl(neg: bool, mag: u64, rm: u32, d: bool): u64 {
  if (mag == 0) return 0;
  const s = clz64(mag);
  const m = mag << <u64>s;                 // leading one at bit 63
  return roundPack(neg, expBias(d) + 62 - s, (m >> 1) | (m & 1), rm, d);
}

export function i32_to_f32(v: i32, rm: u32): u32 {
  const neg = v < 0;
  return <u32>fromIntImpl(neg, neg ? <u64>(0 - <i64>v) : <u64>v, rm, false);
}
export function u32_to_f32(v: u32, rm: u32): u32 { return <u32>fromIntImpl(false, <u64>v, rm, false); }
export function i64_to_f32(v: i64, rm: u32): u32 {
  const neg = v < 0;
  return <u32>fromIntImpl(neg, neg ? 0 - <u64>v : <u64>v, rm, false);
}
export function u64_to_f32(v: u64, rm: u32): u32 { return <u32>fromIntImpl(false, v, rm, false); }
export function i32_to_f64(v: i32, rm: u32): u64 {
  const neg = v < 0;
  return fromIntImpl(neg, neg ? <u64>(0 - <i64>v) : <u64>v, rm, true);
}
export function u32_to_f64(v: u32, rm: u32): u64 { return fromIntImpl(false, <u64>v, rm, true); }
export function i64_to_f64(v: i64, rm: u32): u64 {
  const neg = v < 0;
  return fromIntImpl(neg, neg ? 0 - <u64>v : <u64>v, rm, true);
}
export function u64_to_f64(v: u64, rm: u32): u64 { return fromIntImpl(false, v, rm, true); }
