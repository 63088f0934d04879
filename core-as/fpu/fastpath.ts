// Fast paths on the host's IEEE binary64 arithmetic (wasm f64 ops round to nearest-even,
// keep subnormals, and are deterministic apart from NaN bits) for round-to-nearest-even
// operations whose result is finite and normal. Each returns the exact RISC-V result, with
// NX accrued when it is inexact, or NONE64/NONE32 when it cannot prove that it is right;
// the caller then runs the softfloat. NaN, infinite, zero, tiny and overflowing results
// never take a fast path, so NV, DZ, OF and UF can never be due: only NX is decided here,
// and always exactly (below, each function says how). The argument is in
// FASTPATH.md (this directory).
import { fflags, FLAG_NX } from "./common";

/** Never a fast-path result (a NaN): "use the softfloat". */
export const NONE64: u64 = 0xffff_ffff_ffff_ffff;
export const NONE32: u32 = 0xffff_ffff;

const ABS64: u64 = 0x7fff_ffff_ffff_ffff;
const EXP64: u64 = 0x7ff0_0000_0000_0000;
const FRAC64: u64 = 0x000f_ffff_ffff_ffff;
const HIDDEN64: u64 = 0x0010_0000_0000_0000;
const ABS32: u32 = 0x7fff_ffff;
const EXP32: u32 = 0x7f80_0000;
const MIN_NORMAL32: u32 = 0x0080_0000;
const MIDPOINT_BITS: u64 = 0x1fff_ffff; // the binary64 fraction bits below binary32's precision

// @ts-ignore: decorator
@inline function f(x: u64): f64 { return reinterpret<f64>(x); }
// @ts-ignore: decorator
@inline function bits(x: f64): u64 { return reinterpret<u64>(x); }

/**
 * Finite and above the smallest normal number: no overflow (a round-to-nearest overflow
 * gives infinity) and no underflow (not tiny, since tininess is detected after rounding
 * and rounding with unbounded exponent agrees above 2^-1022).
 */
// @ts-ignore: decorator
@inline function normal64(r: u64): bool {
  return (r & ABS64) - (HIDDEN64 + 1) < EXP64 - (HIDDEN64 + 1);
}
// @ts-ignore: decorator
@inline function normal32(r: u32): bool {
  return (r & ABS32) - (MIN_NORMAL32 + 1) < EXP32 - (MIN_NORMAL32 + 1);
}

/** The integer significand of a finite nonzero binary64 (subnormals have no hidden bit). */
// @ts-ignore: decorator
@inline function significand(x: u64): u64 {
  return (x & EXP64) != 0 ? (x & FRAC64) | HIDDEN64 : x & FRAC64;
}
// @ts-ignore: decorator
@inline function oddPart(s: u64): u64 { return s >> ctz<u64>(s); }
// @ts-ignore: decorator
@inline function bitLength(s: u64): u64 { return 64 - clz<u64>(s); }

/**
 * Whether |x| * |y| == |z| exactly, for finite nonzero binary64 values where x * y is known
 * to be within a factor 1 +- 2^-52 of z (x = RN(z / y), or x = y = RN(sqrt z)): their odd
 * significand parts multiply exactly when the values do, and the power of two left over
 * must then be 1 because of that closeness.
 */
function productIs(x: u64, y: u64, z: u64): bool {
  const ox = oddPart(significand(x)), oy = oddPart(significand(y)), oz = oddPart(significand(z));
  // an n-bit times an m-bit odd number has n + m - 1 or n + m bits
  if (bitLength(ox) + bitLength(oy) - 1 > bitLength(oz)) return false;
  return ox * oy == oz; // < 2^54 here: no wrap
}

/** Whether the real product of two finite nonzero binary64 values is a binary64 value, given that it lies in the normal range. */
function productIsRepresentable(x: u64, y: u64): bool {
  const ox = oddPart(significand(x)), oy = oddPart(significand(y));
  if (bitLength(ox) + bitLength(oy) > 54) return false; // at least 2^53
  return ox * oy < (<u64>1 << 53);
}

// ---- binary64 ----

/** Operands below 2^1020: TwoSum's intermediate values cannot overflow. */
const ADD_LIMIT: u64 = 0x7fb0_0000_0000_0000;

/** x + y; NX from TwoSum's exact error (Knuth), which is zero iff the sum is exact. */
export function add64(a: u64, b: u64): u64 {
  if ((a & ABS64) >= ADD_LIMIT || (b & ABS64) >= ADD_LIMIT) return NONE64;
  const x = f(a), y = f(b);
  const s = x + y;
  const r = bits(s);
  if (!normal64(r)) return NONE64;
  const v = s - x;
  if ((x - (s - v)) + (y - v) != 0) fflags |= FLAG_NX;
  return r;
}

export function mul64(a: u64, b: u64): u64 {
  const r = bits(f(a) * f(b));
  if (!normal64(r)) return NONE64; // also when an operand is zero, infinite or NaN
  if (!productIsRepresentable(a, b)) fflags |= FLAG_NX;
  return r;
}

export function div64(a: u64, b: u64): u64 {
  const r = bits(f(a) / f(b));
  if (!normal64(r)) return NONE64; // also x/0, 0/y, inf and NaN operands
  if (!productIs(r, b, a)) fflags |= FLAG_NX;
  return r;
}

export function sqrt64(a: u64): u64 {
  const r = bits(sqrt<f64>(f(a)));
  if (!normal64(r)) return NONE64; // also negative, zero, infinite and NaN operands
  if (!productIs(r, r, a)) fflags |= FLAG_NX;
  return r;
}

/**
 * a * b + c with one rounding. The product is split exactly into ph + pl (ph = RN(a*b);
 * pl from the low 64 bits of the integer product of the significands), then three TwoSums
 * rewrite a*b + c exactly as r + e + tl with r = RN(sh + t). r is the correctly rounded
 * result when tl = 0 (a*b + c is then sh + t), or when |e + tl| is below half an ulp of r,
 * which RN(e + tl) decides exactly (RN is monotone and half an ulp is a binary64 value);
 * the sum is exact iff RN(e + tl) == 0.
 */
export function mulAdd64(a: u64, b: u64, c: u64): u64 {
  const ea = <i32>(a >> 52) & 0x7ff, eb = <i32>(b >> 52) & 0x7ff, ec = <i32>(c >> 52) & 0x7ff;
  // a and b normal with 2^-900 <= |a*b| < 2^962; |c| < 2^991 (zero and subnormal allowed):
  // the low part of the product is a normal binary64 and no step can overflow
  const es = ea + eb - 2046;
  if (<u32>(ea - 1) >= 2046 || <u32>(eb - 1) >= 2046 || <u32>(es + 900) > 1860 || ec > 2013) return NONE64;
  const x = f(a), y = f(b), z = f(c);
  const ph = x * y;
  const phBits = bits(ph);
  // |a*b| = P * 2^(ea+eb-2150) with P = sa*sb < 2^106; |ph| = M * 2^k * 2^(ea+eb-2150).
  // |P - M*2^k| <= 2^53, so the wrapped 64-bit difference is exact, and so are its
  // conversion and the scaling by a power of two that carries the product's sign.
  const k = <u64>(<i32>(phBits >> 52 & 0x7ff) - ea - eb + 1075);
  const low = ((a & FRAC64) | HIDDEN64) * ((b & FRAC64) | HIDDEN64) - (((phBits & FRAC64) | HIDDEN64) << k);
  const pl = <f64><i64>low * f((phBits & ~ABS64) | (<u64>(ea + eb - 1127) << 52));
  // (sh, sl) = TwoSum(ph, z); (t, tl) = TwoSum(sl, pl); (rr, e) = TwoSum(sh, t)
  const sh = ph + z;
  let v = sh - ph;
  const sl = (ph - (sh - v)) + (z - v);
  const t = sl + pl;
  v = t - sl;
  const tl = (sl - (t - v)) + (pl - v);
  const rr = sh + t;
  v = rr - sh;
  const e = (sh - (rr - v)) + (t - v);
  const r = bits(rr);
  const er = r & EXP64;
  if (er < (<u64>54 << 52)) return NONE64; // below 2^-969 (or zero): half an ulp would be subnormal
  const g = e + tl;
  if (g == 0) return r; // exact
  // a power of two has a closer neighbour below; a near tie needs the exact digits, unless
  // tl = 0: then the exact value is sh + t, which rr is the correctly rounded sum of
  if (tl != 0 && ((r & FRAC64) == 0 || abs<f64>(g) >= f(er - (<u64>53 << 52)))) return NONE64;
  fflags |= FLAG_NX;
  return r;
}

// ---- binary32, computed in binary64 ----
// For +, -, *, / and sqrt of binary32 operands, rounding the binary64 result again to
// binary32 gives the correctly rounded binary32 result: double rounding is innocuous when
// the wider precision has at least 2p + 2 bits (53 >= 2*24 + 2; Figueroa 1995, formally
// proved by Roux 2014). The binary64 step cannot overflow or underflow for binary32 inputs.

// @ts-ignore: decorator
@inline function f32in(a: u32): f64 { return <f64>reinterpret<f32>(a); }
// @ts-ignore: decorator
@inline function f32out(d: f64): u32 { return reinterpret<u32>(<f32>d); }

/** x + y: inexact iff the binary64 sum was (TwoSum error) or binary32 rounding changed it. */
export function add32(a: u32, b: u32): u32 {
  const x = f32in(a), y = f32in(b);
  const s = x + y;
  const r = f32out(s);
  if (!normal32(r)) return NONE32;
  const v = s - x;
  if ((x - (s - v)) + (y - v) != 0 || <f64>reinterpret<f32>(r) != s) fflags |= FLAG_NX;
  return r;
}

/** x * y: the binary64 product of two 24-bit significands is exact. */
export function mul32(a: u32, b: u32): u32 {
  const s = f32in(a) * f32in(b);
  const r = f32out(s);
  if (!normal32(r)) return NONE32;
  if (<f64>reinterpret<f32>(r) != s) fflags |= FLAG_NX;
  return r;
}

/** x / y: exact iff r * y == x, and that binary64 product (24 x 24 bits) is exact. */
export function div32(a: u32, b: u32): u32 {
  const x = f32in(a), y = f32in(b);
  const r = f32out(x / y);
  if (!normal32(r)) return NONE32;
  if (<f64>reinterpret<f32>(r) * y != x) fflags |= FLAG_NX;
  return r;
}

export function sqrt32(a: u32): u32 {
  const x = f32in(a);
  const r = f32out(sqrt<f64>(x));
  if (!normal32(r)) return NONE32;
  const q = <f64>reinterpret<f32>(r);
  if (q * q != x) fflags |= FLAG_NX;
  return r;
}

/**
 * a * b + c: the binary64 product is exact, so s = RN64(a*b + c) is a single rounding and
 * TwoSum gives its error. Rounding s to binary32 is right unless s is inexact and lands
 * exactly on a binary32 midpoint (every midpoint is a binary64 value, so an exact sum
 * strictly on one side of a midpoint cannot round onto the other side of it otherwise).
 */
export function mulAdd32(a: u32, b: u32, c: u32): u32 {
  const p = f32in(a) * f32in(b), z = f32in(c);
  const s = p + z;
  const r = f32out(s);
  if (!normal32(r)) return NONE32; // also any infinite or NaN operand
  const v = s - p;
  const inexact64 = (p - (s - v)) + (z - v) != 0;
  if (inexact64 && (bits(s) & MIDPOINT_BITS) == <u64>1 << 28) return NONE32;
  if (inexact64 || <f64>reinterpret<f32>(r) != s) fflags |= FLAG_NX;
  return r;
}
