// Comparisons, min/max (RISC-V v2.2 semantics, IEEE 754-2019 minimumNumber/maximumNumber)
// and fclass.
import {
  fflags, FLAG_NV, signMask, defaultNaN, isNaNBits, isSNaNBits,
} from "./common";

@inline function eqImpl(a: u64, b: u64, d: bool): bool {
  if (isNaNBits(a, d) || isNaNBits(b, d)) {
    if (isSNaNBits(a, d) || isSNaNBits(b, d)) fflags |= FLAG_NV;
    return false;
  }
  return a == b || ((a | b) & ~signMask(d)) == 0;
}

@inline function ltImpl(a: u64, b: u64, d: bool): bool {
  if (isNaNBits(a, d) || isNaNBits(b, d)) {
    fflags |= FLAG_NV;
    return false;
  }
  const sA = (a & signMask(d)) != 0, sB = (b & signMask(d)) != 0;
  if (sA != sB) return sA && ((a | b) & ~signMask(d)) != 0;
  return a != b && (sA != (a < b));
}

@inline function leImpl(a: u64, b: u64, d: bool): bool {
  if (isNaNBits(a, d) || isNaNBits(b, d)) {
    fflags |= FLAG_NV;
    return false;
  }
  const sA = (a & signMask(d)) != 0, sB = (b & signMask(d)) != 0;
  if (sA != sB) return sA || ((a | b) & ~signMask(d)) == 0;
  return a == b || (sA != (a < b));
}

/** max: false -> min, true -> max. -0 orders below +0; a single NaN yields the other operand. */
@inline function minMaxImpl(a: u64, b: u64, d: bool, max: bool): u64 {
  const nanA = isNaNBits(a, d), nanB = isNaNBits(b, d);
  if (nanA || nanB) {
    if (isSNaNBits(a, d) || isSNaNBits(b, d)) fflags |= FLAG_NV;
    if (nanA && nanB) return defaultNaN(d);
    return nanA ? b : a;
  }
  const sA = (a & signMask(d)) != 0, sB = (b & signMask(d)) != 0;
  let aLess: bool;                         // a < b in the total order used here
  if (sA != sB) aLess = sA;
  else aLess = a != b && (sA != (a < b));
  return aLess != max ? a : b;
}

@inline function classifyImpl(a: u64, d: bool): u32 {
  const FRAC: u64 = d ? 52 : 23;
  const EMAX: u64 = d ? 0x7ff : 0xff;
  const sign = (a & signMask(d)) != 0;
  const exp = (a >> FRAC) & EMAX;
  const frac = a & ((<u64>1 << FRAC) - 1);
  if (exp == EMAX) {
    if (frac == 0) return sign ? 1 << 0 : 1 << 7;
    return (frac >> (FRAC - 1)) != 0 ? 1 << 9 : 1 << 8;
  }
  if (exp == 0) {
    if (frac == 0) return sign ? 1 << 3 : 1 << 4;
    return sign ? 1 << 2 : 1 << 5;
  }
  return sign ? 1 << 1 : 1 << 6;
}

export function f32_eq(a: u32, b: u32): bool { return eqImpl(<u64>a, <u64>b, false); }
export function f32_lt(a: u32, b: u32): bool { return ltImpl(<u64>a, <u64>b, false); }
export function f32_le(a: u32, b: u32): bool { return leImpl(<u64>a, <u64>b, false); }
export function f64_eq(a: u64, b: u64): bool { return eqImpl(a, b, true); }
export function f64_lt(a: u64, b: u64): bool { return ltImpl(a, b, true); }
export function f64_le(a: u64, b: u64): bool { return leImpl(a, b, true); }

export function f32_min(a: u32, b: u32): u32 { return <u32>minMaxImpl(<u64>a, <u64>b, false, false); }
export function f32_max(a: u32, b: u32): u32 { return <u32>minMaxImpl(<u64>a, <u64>b, false, true); }
export function f64_min(a: u64, b: u64): u64 { return minMaxImpl(a, b, true, false); }
export function f64_max(a: u64, b: u64): u64 { return minMaxImpl(a, b, true, true); }

export function f32_classify(a: u32): u32 { return classifyImpl(<u64>a, false); }
export function f64_classify(a: u64): u32 { return classifyImpl(a, true); }
