// add, sub, mul, div, sqrt and fused multiply-add for binary32/binary64.
import {
  fflags, FLAG_NV, FLAG_DZ, RM_RDN,
  fracBits, expMax, expBias, fracOf, expOf, signOf, signBits, defaultNaN, infBits,
  isNaNBits, isSNaNBits, isInfBits, isZeroBits, nanResult2, invalidResult,
  clz64, shiftRightJam64, shiftRightJam128, mul64To128, div128By64, wideHi, wideRem,
  roundPack32, roundPack64, normRoundPack,
} from "./common";

// ---- unpacking of finite nonzero operands (module globals as extra return values) ----

let uExp: i32 = 0;
let uSig: u64 = 0;

/** Unpack a finite nonzero value: uSig with the leading one at bit FRAC, uExp biased (may be <= 0). */
@inline function unpackNormal(a: u64, d: bool): void {
  let exp = expOf(a, d);
  let sig = fracOf(a, d);
  if (exp == 0) {
    const s = clz64(sig) - (63 - fracBits(d));
    sig <<= <u64>s;
    exp = 1 - s;
  } else {
    sig |= <u64>1 << <u64>fracBits(d);
  }
  uExp = exp;
  uSig = sig;
}

@inline function packZero(sign: bool, d: bool): u64 { return signBits(sign, d); }
@inline function packInf(sign: bool, d: bool): u64 { return signBits(sign, d) | infBits(d); }

// ---- add / sub ----

@inline function addImpl(a: u64, b: u64, rm: u32, d: bool, negB: bool): u64 {
  const FRAC = fracBits(d);
  const EMAX = expMax(d);
  const signA = signOf(a, d);
  const signB = signOf(b, d) != negB;
  let expA = expOf(a, d), expB = expOf(b, d);
  let sigA = fracOf(a, d), sigB = fracOf(b, d);
  if (expA == EMAX || expB == EMAX) {
    if ((expA == EMAX && sigA != 0) || (expB == EMAX && sigB != 0)) return nanResult2(a, b, d);
    if (expA == EMAX) {
      if (expB == EMAX && signA != signB) return invalidResult(d);
      return packInf(signA, d);
    }
    return packInf(signB, d);
  }
  if (expA == 0) expA = 1; else sigA |= <u64>1 << <u64>FRAC;
  if (expB == 0) expB = 1; else sigB |= <u64>1 << <u64>FRAC;
  // leading one at bit 61: (exp, sig) is then directly in sig62 scale, with headroom for a carry
  const SH = <u64>(61 - FRAC);
  sigA <<= SH;
  sigB <<= SH;
  let exp: i32;
  if (expA >= expB) {
    sigB = shiftRightJam64(sigB, expA - expB);
    exp = expA;
  } else {
    sigA = shiftRightJam64(sigA, expB - expA);
    exp = expB;
  }
  let sig: u64;
  let sign: bool;
  if (signA == signB) {
    sig = sigA + sigB;
    sign = signA;
    if (sig == 0) return packZero(sign, d);
  } else if (sigA > sigB) {
    sig = sigA - sigB;
    sign = signA;
  } else if (sigB > sigA) {
    sig = sigB - sigA;
    sign = signB;
  } else {
    return packZero(rm == RM_RDN, d);
  }
  return normRoundPack(sign, exp, sig, rm, d);
}

export function f32_add(a: u32, b: u32, rm: u32): u32 { return <u32>addImpl(<u64>a, <u64>b, rm, false, false); }
export function f32_sub(a: u32, b: u32, rm: u32): u32 { return <u32>addImpl(<u64>a, <u64>b, rm, false, true); }
export function f64_add(a: u64, b: u64, rm: u32): u64 { return addImpl(a, b, rm, true, false); }
export function f64_sub(a: u64, b: u64, rm: u32): u64 { return addImpl(a, b, rm, true, true); }

// ---- mul ----

@inline function mulImpl(a: u64, b: u64, rm: u32, d: bool): u64 {
  const EMAX = expMax(d);
  const sign = signOf(a, d) != signOf(b, d);
  const expA = expOf(a, d), expB = expOf(b, d);
  if (expA == EMAX || expB == EMAX) {
    if (isNaNBits(a, d) || isNaNBits(b, d)) return nanResult2(a, b, d);
    if (isZeroBits(a, d) || isZeroBits(b, d)) return invalidResult(d);
    return packInf(sign, d);
  }
  if (isZeroBits(a, d) || isZeroBits(b, d)) return packZero(sign, d);
  unpackNormal(a, d);
  const eA = uExp, sA = uSig;
  unpackNormal(b, d);
  const eB = uExp, sB = uSig;
  if (!d) {
    // 24x24-bit product, exact in a u64; leading one at bit 46 or 47
    const p = sA * sB;
    const s = clz64(p) - 1;
    return roundPack32(sign, eA + eB - 127 + 15 - s, p << <u64>s, rm);
  }
  let lo = mul64To128(sA << 10, sB << 11);
  let hi = wideHi;                          // leading one at bit 61 or 62
  let exp = eA + eB - 1023;
  if (hi < 0x4000000000000000) {
    hi = (hi << 1) | (lo >> 63);
    lo <<= 1;
    exp--;
  }
  return roundPack64(sign, exp, hi | <u64>(lo != 0), rm);
}

export function f32_mul(a: u32, b: u32, rm: u32): u32 { return <u32>mulImpl(<u64>a, <u64>b, rm, false); }
export function f64_mul(a: u64, b: u64, rm: u32): u64 { return mulImpl(a, b, rm, true); }

// ---- div ----

@inline function divImpl(a: u64, b: u64, rm: u32, d: bool): u64 {
  const EMAX = expMax(d);
  const sign = signOf(a, d) != signOf(b, d);
  const expA = expOf(a, d), expB = expOf(b, d);
  if (expA == EMAX || expB == EMAX) {
    if (isNaNBits(a, d) || isNaNBits(b, d)) return nanResult2(a, b, d);
    if (expA == EMAX) {
      if (expB == EMAX) return invalidResult(d);     // inf / inf
      return packInf(sign, d);
    }
    return packZero(sign, d);                        // finite / inf
  }
  if (isZeroBits(b, d)) {
    if (isZeroBits(a, d)) return invalidResult(d);  // 0 / 0
    fflags |= FLAG_DZ;
    return packInf(sign, d);
  }
  if (isZeroBits(a, d)) return packZero(sign, d);
  unpackNormal(a, d);
  const eA = uExp, sA = uSig;
  unpackNormal(b, d);
  const eB = uExp, sB = uSig;
  if (!d) {
    const num = sA << 39;                  // < 2^63
    const q = num / sB;                    // leading one at bit 38 or 39
    const r = num - q * sB;
    const s = clz64(q) - 1;
    return roundPack32(sign, eA - eB + 149 - s, (q << <u64>s) | <u64>(r != 0), rm);
  }
  const nA = sA << 11, nB = sB << 11;      // both with the leading one at bit 63
  let q: u64;
  let exp: i32;
  if (nA < nB) {
    q = div128By64(nA, 0, nB);             // floor(nA * 2^64 / nB), in [2^63, 2^64)
    exp = eA - eB + 1021;
  } else {
    q = div128By64(nA >> 1, nA << 63, nB); // floor(nA * 2^63 / nB), in [2^63, 2^64)
    exp = eA - eB + 1022;
  }
  const sig = (q >> 1) | (q & 1) | <u64>(wideRem != 0);
  return roundPack64(sign, exp, sig, rm);
}

export function f32_div(a: u32, b: u32, rm: u32): u32 { return <u32>divImpl(<u64>a, <u64>b, rm, false); }
export function f64_div(a: u64, b: u64, rm: u32): u64 { return divImpl(a, b, rm, true); }

// ---- sqrt ----
// The integer square root starts from the hardware f64 sqrt of an exactly representable
// integer (only as an estimate) and is then corrected with exact integer arithmetic, so
// the result never depends on host floating-point rounding.

@inline function sqrtImpl(a: u64, rm: u32, d: bool): u64 {
  const EMAX = expMax(d);
  const exp = expOf(a, d);
  const sign = signOf(a, d);
  if (exp == EMAX) {
    if (fracOf(a, d) != 0) return nanResult2(a, a, d);
    if (sign) return invalidResult(d);
    return a;                                        // +inf
  }
  if (isZeroBits(a, d)) return a;                    // sqrt(+-0) = +-0
  if (sign) return invalidResult(d);
  unpackNormal(a, d);
  const E = uExp - expBias(d);                       // unbiased exponent
  const sig = uSig;
  if (!d) {
    // value = sig * 2^(E-23); M = sig << k with E - 23 - k even, M in [2^60, 2^62)
    const k: i32 = (E & 1) != 0 ? 38 : 37;
    const M = sig << <u64>k;
    let r = <u64>Math.sqrt(<f64>M);                  // M exact in f64; r off by at most 1
    while (r * r > M) r--;
    while ((r + 1) * (r + 1) <= M) r++;
    const sig62 = (r << 32) | <u64>(r * r != M);     // r has its leading one at bit 30
    return roundPack32(false, 127 + 29 + ((E - 23 - k) >> 1), sig62, rm);
  }
  // value = sig * 2^(E-52); M = sig << k = Mhi * 2^64 with E - 52 - k even, M in [2^122, 2^124)
  const k: i32 = (E & 1) != 0 ? 71 : 70;
  const Mhi = sig << <u64>(k - 64);                  // 59 or 60 bits, exact in f64
  let r = <u64>(Math.sqrt(<f64>Mhi) * 4294967296.0); // |r - sqrt(M)| < 2^9 + 1
  // one Newton step on the exact remainder: r += (M - r^2) / (2r)
  let lo = mul64To128(r, r);
  let hi = wideHi;
  const remLo = 0 - lo;
  const remHi = Mhi - hi - <u64>(lo != 0);
  const num = <i64>((remHi << 48) | (remLo >> 16)); // (M - r^2) >> 16, |.| < 2^57
  r = <u64>(<i64>r + num / <i64>(r >> 15));
  // exact correction to floor(sqrt(M))
  while (true) {
    lo = mul64To128(r, r);
    hi = wideHi;
    if (hi > Mhi || (hi == Mhi && lo != 0)) { r--; continue; }
    break;
  }
  while (true) {
    const r1 = r + 1;
    const lo1 = mul64To128(r1, r1);
    const hi1 = wideHi;
    if (hi1 < Mhi || (hi1 == Mhi && lo1 == 0)) { r = r1; lo = lo1; hi = hi1; continue; }
    break;
  }
  const exact = hi == Mhi && lo == 0;
  const sig62 = (r << 1) | <u64>!exact;              // r has its leading one at bit 61
  return roundPack64(false, 1023 + 60 + ((E - 52 - k) >> 1), sig62, rm);
}

export function f32_sqrt(a: u32, rm: u32): u32 { return <u32>sqrtImpl(<u64>a, rm, false); }
export function f64_sqrt(a: u64, rm: u32): u64 { return sqrtImpl(a, rm, true); }

// ---- fused multiply-add: a * b + c with one rounding ----

@inline function mulAddImpl(a: u64, b: u64, c: u64, rm: u32, d: bool): u64 {
  const signP = signOf(a, d) != signOf(b, d);
  const signC = signOf(c, d);
  const zeroA = isZeroBits(a, d), zeroB = isZeroBits(b, d), zeroC = isZeroBits(c, d);
  const infA = isInfBits(a, d), infB = isInfBits(b, d), infC = isInfBits(c, d);
  if (isNaNBits(a, d) || isNaNBits(b, d) || isNaNBits(c, d)) {
    // inf * 0 + NaN is invalid even for a quiet NaN addend (RISC-V, SoftFloat, QEMU)
    if (isSNaNBits(a, d) || isSNaNBits(b, d) || isSNaNBits(c, d) ||
        (infA && zeroB) || (zeroA && infB)) fflags |= FLAG_NV;
    return defaultNaN(d);
  }
  if (infA || infB) {
    if (zeroA || zeroB) return invalidResult(d);
    if (infC && signC != signP) return invalidResult(d);
    return packInf(signP, d);
  }
  if (infC) return c;
  if (zeroA || zeroB) {
    if (zeroC) return packZero(signP == signC ? signP : rm == RM_RDN, d);
    return c;
  }
  unpackNormal(a, d);
  const eA = uExp, sA = uSig;
  unpackNormal(b, d);
  const eB = uExp, sB = uSig;
  if (!d) {
    // both terms as V * 2^(e - 127 - 60) with V's leading one at bit 60 or 61
    let x = (sA * sB) << 14;
    const eX = eA + eB - 127;
    if (zeroC) return normRoundPack(signP, eX + 1, x, rm, d);
    unpackNormal(c, d);
    const eC = uExp;
    let y = uSig << 37;
    let e: i32;
    if (eX >= eC) { y = shiftRightJam64(y, eX - eC); e = eX; }
    else { x = shiftRightJam64(x, eC - eX); e = eC; }
    let sig: u64;
    let sign: bool;
    if (signP == signC) { sig = x + y; sign = signP; }
    else if (x > y) { sig = x - y; sign = signP; }
    else if (y > x) { sig = y - x; sign = signC; }
    else return packZero(rm == RM_RDN, d);
    return normRoundPack(sign, e + 1, sig, rm, d);
  }
  // binary64: both terms as 128-bit V * 2^(e - 1023 - 124) with V's leading one at
  // bit 124 or 125 (the product is exact: 106 bits)
  let xLo = mul64To128(sA << 10, sB << 10);
  let xHi = wideHi;
  const eX = eA + eB - 1023;
  let hi: u64, lo: u64;
  let sign: bool;
  let e: i32;
  if (zeroC) {
    hi = xHi; lo = xLo; sign = signP; e = eX;
  } else {
    unpackNormal(c, d);
    const eC = uExp;
    let yHi = uSig << 8;
    let yLo: u64 = 0;
    if (eX >= eC) {
      yLo = shiftRightJam128(yHi, yLo, eX - eC); yHi = wideHi; e = eX;
    } else {
      xLo = shiftRightJam128(xHi, xLo, eC - eX); xHi = wideHi; e = eC;
    }
    if (signP == signC) {
      lo = xLo + yLo;
      hi = xHi + yHi + <u64>(lo < xLo);
      sign = signP;
    } else if (xHi > yHi || (xHi == yHi && xLo > yLo)) {
      lo = xLo - yLo;
      hi = xHi - yHi - <u64>(xLo < yLo);
      sign = signP;
    } else if (yHi > xHi || yLo > xLo) {
      lo = yLo - xLo;
      hi = yHi - xHi - <u64>(yLo < xLo);
      sign = signC;
    } else {
      return packZero(rm == RM_RDN, d);
    }
  }
  // normalise the 128-bit sum to a leading one at bit 126
  let s: i32;
  if (hi != 0) s = clz64(hi) - 1;
  else s = 63 + clz64(lo);
  if (s > 0) {
    if (s < 64) {
      hi = (hi << <u64>s) | (lo >> <u64>(64 - s));
      lo <<= <u64>s;
    } else {
      hi = lo << <u64>(s - 64);
      lo = 0;
    }
  }
  return roundPack64(sign, e - s + 1, hi | <u64>(lo != 0), rm);
}

export function f32_mulAdd(a: u32, b: u32, c: u32, rm: u32): u32 {
  return <u32>mulAddImpl(<u64>a, <u64>b, <u64>c, rm, false);
}
export function f64_mulAdd(a: u64, b: u64, c: u64, rm: u32): u64 {
  return mulAddImpl(a, b, c, rm, true);
}
