// Shared pieces of the softfloat: exception flags, rounding modes, 128-bit integer
// helpers, and the single rounding/packing routine every inexact operation ends in.
//
// Internally both formats are handled by the same code, parameterised by `d`
// (true = binary64, false = binary32) and always carried in a u64. Callers pass `d`
// as a literal to @inline functions, so each exported operation is specialised.
//
// Working significand convention ("sig62"): an unsigned u64 whose leading one is at
// bit 62, the bits below the format's precision being round/sticky bits. The pair
// (exp, sig) denotes sig * 2^(exp - bias - 61); packing adds (exp << FRAC) to
// sig >> (62 - FRAC), so the implicit bit carries exp up to the biased exponent.

/** Accumulated IEEE exception flags (fflags layout). Every operation ORs into it. */
export let fflags: u32 = 0;

export const FLAG_NV: u32 = 0x10;
export const FLAG_DZ: u32 = 0x08;
export const FLAG_OF: u32 = 0x04;
export const FLAG_UF: u32 = 0x02;
export const FLAG_NX: u32 = 0x01;

export const RM_RNE: u32 = 0;
export const RM_RTZ: u32 = 1;
export const RM_RDN: u32 = 2;
export const RM_RUP: u32 = 3;
export const RM_RMM: u32 = 4;

export const F32_DEFAULT_NAN: u32 = 0x7fc00000;
export const F64_DEFAULT_NAN: u64 = 0x7ff8000000000000;

// ---- extra return values (module globals; no allocation) ----

/** High 64 bits of the last 128-bit result (mul64To128, shiftRightJam128). */
export let wideHi: u64 = 0;
/** Remainder of the last div128By64. */
export let wideRem: u64 = 0;

// ---- format parameters ----

@inline export function fracBits(d: bool): i32 { return d ? 52 : 23; }
@inline export function expMax(d: bool): i32 { return d ? 0x7ff : 0xff; }
@inline export function expBias(d: bool): i32 { return d ? 1023 : 127; }
@inline export function signMask(d: bool): u64 { return d ? 0x8000000000000000 : 0x80000000; }
@inline export function fracMask(d: bool): u64 { return d ? 0x000fffffffffffff : 0x007fffff; }
@inline export function defaultNaN(d: bool): u64 { return d ? F64_DEFAULT_NAN : <u64>F32_DEFAULT_NAN; }
@inline export function infBits(d: bool): u64 { return d ? 0x7ff0000000000000 : 0x7f800000; }
@inline export function maxFinite(d: bool): u64 { return d ? 0x7fefffffffffffff : 0x7f7fffff; }

@inline export function signOf(a: u64, d: bool): bool { return (a & signMask(d)) != 0; }
@inline export function expOf(a: u64, d: bool): i32 { return <i32>(a >> <u64>fracBits(d)) & expMax(d); }
@inline export function fracOf(a: u64, d: bool): u64 { return a & fracMask(d); }
@inline export function signBits(sign: bool, d: bool): u64 { return sign ? signMask(d) : 0; }

@inline export function isNaNBits(a: u64, d: bool): bool {
  return d ? (a & 0x7fffffffffffffff) > 0x7ff0000000000000 : (a & 0x7fffffff) > 0x7f800000;
}
@inline export function isSNaNBits(a: u64, d: bool): bool {
  return d
    ? (a & 0x7ff8000000000000) == 0x7ff0000000000000 && (a & 0x0007ffffffffffff) != 0
    : (a & 0x7fc00000) == 0x7f800000 && (a & 0x003fffff) != 0;
}
@inline export function isInfBits(a: u64, d: bool): bool {
  return d ? (a & 0x7fffffffffffffff) == 0x7ff0000000000000 : (a & 0x7fffffff) == 0x7f800000;
}
@inline export function isZeroBits(a: u64, d: bool): bool {
  return (a & ~signMask(d)) == 0;
}

/** NaN result of an operation with NaN operand(s): NV for any signaling NaN, canonical NaN. */
@inline export function nanResult2(a: u64, b: u64, d: bool): u64 {
  if (isSNaNBits(a, d) || isSNaNBits(b, d)) fflags |= FLAG_NV;
  return defaultNaN(d);
}

@inline export function invalidResult(d: bool): u64 {
  fflags |= FLAG_NV;
  return defaultNaN(d);
}

// ---- integer helpers ----

@inline export function clz64(a: u64): i32 { return <i32>clz<u64>(a); }

/** a >> n, OR-ing any bits shifted out into bit 0 ("jamming"). n >= 0, any size. */
@inline export function shiftRightJam64(a: u64, n: i32): u64 {
  if (n == 0) return a;
  if (n < 64) return (a >> <u64>n) | <u64>((a << <u64>(64 - n)) != 0);
  return <u64>(a != 0);
}

/** Full 64x64 -> 128 product. Returns the low half; high half in wideHi. */
export function mul64To128(a: u64, b: u64): u64 {
  const a0 = a & 0xffffffff, a1 = a >> 32;
  const b0 = b & 0xffffffff, b1 = b >> 32;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  wideHi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  return (p00 & 0xffffffff) | (mid << 32);
}

/** (hi:lo) >> n with jamming, n >= 0. Returns the low half; high half in wideHi. */
export function shiftRightJam128(hi: u64, lo: u64, n: i32): u64 {
  if (n == 0) { wideHi = hi; return lo; }
  if (n < 64) {
    const s = <u64>n;
    wideHi = hi >> s;
    return (lo >> s) | (hi << (64 - s)) | <u64>((lo << (64 - s)) != 0);
  }
  wideHi = 0;
  if (n == 64) return hi | <u64>(lo != 0);
  if (n < 128) {
    const s = <u64>(n - 64);
    return (hi >> s) | <u64>(((hi << (64 - s)) | lo) != 0);
  }
  return <u64>((hi | lo) != 0);
}

/**
 * floor((u1:u0) / v) for a normalised divisor (bit 63 set) and u1 < v, by two 64/32-bit
 * digit steps (Knuth algorithm D, radix 2^32). Returns the quotient; remainder in wideRem.
 */
export function div128By64(u1: u64, u0: u64, v: u64): u64 {
  const B: u64 = 0x100000000;
  const vn1 = v >> 32, vn0 = v & 0xffffffff;
  const un1 = u0 >> 32, un0 = u0 & 0xffffffff;
  let q1 = u1 / vn1;
  let rhat = u1 - q1 * vn1;
  while (q1 >= B || q1 * vn0 > ((rhat << 32) | un1)) {
    q1--;
    rhat += vn1;
    if (rhat >= B) break;
  }
  const un21 = (u1 << 32) + un1 - q1 * v;
  let q0 = un21 / vn1;
  rhat = un21 - q0 * vn1;
  while (q0 >= B || q0 * vn0 > ((rhat << 32) | un0)) {
    q0--;
    rhat += vn1;
    if (rhat >= B) break;
  }
  wideRem = (un21 << 32) + un0 - q0 * v;
  return (q1 << 32) | q0;
}

// ---- rounding ----

/**
 * Round (sign, exp, sig62) to the format with rounding mode rm, set NX/UF/OF, and pack.
 * sig must have its leading one at bit 62 (exp may be below the normal range, it is
 * then denormalised here). Tininess is detected after rounding, as RISC-V requires.
 */
@inline function roundPackImpl(sign: bool, exp: i32, sig: u64, rm: u32, d: bool): u64 {
  const R: u64 = d ? 10 : 39;               // number of round bits below the precision
  const MASK: u64 = (<u64>1 << R) - 1;
  const HALF: u64 = <u64>1 << (R - 1);
  const EXP_LIMIT: i32 = expMax(d) - 2;     // exp >= this may overflow
  let inc: u64;
  if (rm == RM_RNE || rm == RM_RMM) inc = HALF;
  else if (rm == RM_RTZ) inc = 0;
  else if (rm == RM_RDN) inc = sign ? MASK : 0;
  else inc = sign ? 0 : MASK;
  let roundBits = sig & MASK;
  if (<u32>exp >= <u32>EXP_LIMIT) {
    if (exp < 0) {
      const tiny = exp < -1 || sig + inc < 0x8000000000000000;
      sig = shiftRightJam64(sig, -exp);
      exp = 0;
      roundBits = sig & MASK;
      if (tiny && roundBits != 0) fflags |= FLAG_UF;
    } else if (exp > EXP_LIMIT || sig + inc >= 0x8000000000000000) {
      fflags |= FLAG_OF | FLAG_NX;
      return signBits(sign, d) | (inc == 0 ? maxFinite(d) : infBits(d));
    }
  }
  if (roundBits != 0) fflags |= FLAG_NX;
  sig = (sig + inc) >> R;
  if (rm == RM_RNE && roundBits == HALF) sig &= ~(<u64>1);
  return signBits(sign, d) | ((<u64>exp << <u64>fracBits(d)) + sig);
}

export function roundPack32(sign: bool, exp: i32, sig: u64, rm: u32): u64 {
  return roundPackImpl(sign, exp, sig, rm, false);
}

export function roundPack64(sign: bool, exp: i32, sig: u64, rm: u32): u64 {
  return roundPackImpl(sign, exp, sig, rm, true);
}

@inline export function roundPack(sign: bool, exp: i32, sig: u64, rm: u32, d: bool): u64 {
  return d ? roundPack64(sign, exp, sig, rm) : roundPack32(sign, exp, sig, rm);
}

/** Like roundPack, for any nonzero sig whose leading one is at or below bit 62. */
@inline export function normRoundPack(sign: bool, exp: i32, sig: u64, rm: u32, d: bool): u64 {
  const s = clz64(sig) - 1;
  return roundPack(sign, exp - s, sig << <u64>s, rm, d);
}
