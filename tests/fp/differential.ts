// Test-only: the FPU's exported arithmetic (host-float fast path, softfloat fallback)
// against the softfloat alone, on random operands concentrated where the fast paths must
// decide: results near the smallest normal, the largest finite and powers of two, ties and
// near ties, products, quotients and roots with just enough bits, the fused path's operand
// gates, massive cancellation. Round to nearest-even (the only mode with fast paths).
import { fflags } from "../../core-as/fpu/common";
import * as ops from "../../core-as/fpu/ops";
import * as soft from "../../core-as/fpu/arith";
import { NONE32, NONE64, add32, mul32, div32, sqrt32, mulAdd32, add64, mul64, div64, sqrt64, mulAdd64 } from "../../core-as/fpu/fastpath";

export const OP_ADD: u32 = 0, OP_SUB: u32 = 1, OP_MUL: u32 = 2, OP_DIV: u32 = 3, OP_SQRT: u32 = 4, OP_FMA: u32 = 5;

// the first mismatch, and how often the fast path answered
export let diffA: u64 = 0;
export let diffB: u64 = 0;
export let diffC: u64 = 0;
export let diffGot: u64 = 0;
export let diffWant: u64 = 0;
export let diffGotFlags: u32 = 0;
export let diffWantFlags: u32 = 0;
export let diffFast: u32 = 0;
export let diffFastInexact: u32 = 0;

let state: u64 = 1;
function rnd(): u64 {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}
function below(n: u32): u32 { return <u32>(rnd() % <u64>n); }

// ---- values of either format, as bits in a u64 (binary32 in the low half) ----

let D = true; // the format being generated
function FRAC(): u32 { return D ? 52 : 23; }
function EMAX(): u32 { return D ? 0x7ff : 0xff; }
function BIAS(): u32 { return D ? 1023 : 127; }
function SIGN(): u64 { return D ? 0x8000_0000_0000_0000 : 0x8000_0000; }
function fracMask(): u64 { return (<u64>1 << FRAC()) - 1; }
function make(exp: u32, frac: u64): u64 { return (<u64>exp << FRAC()) | (frac & fracMask()); }
function expOf(x: u64): u32 { return <u32>(x >> FRAC()) & EMAX(); }
function clampExp(e: i32): u32 { return <u32>max(1, min(e, <i32>EMAX() - 1)); }
function withExp(x: u64, e: i32): u64 { return (x & (SIGN() | fracMask())) | (<u64>clampExp(e) << FRAC()); }
function value(x: u64): f64 { return D ? reinterpret<f64>(x) : <f64>reinterpret<f32>(<u32>x); }
function fromValue(v: f64): u64 { return D ? reinterpret<u64>(v) : <u64>reinterpret<u32>(<f32>v); }
function randomSign(x: u64): u64 { return (rnd() & 1) != 0 ? x ^ SIGN() : x; }
function nudge(x: u64): u64 { return x + <u64>(<i64>below(9) - 4); }
function finiteOr(x: u64, other: u64): u64 { return expOf(x) == EMAX() ? other : x; }

function randomFrac(): u64 {
  switch (below(6)) {
    case 0: return 0;
    case 1: return fracMask();
    case 2: return <u64>1 << below(FRAC());
    case 3: return fracMask() ^ (<u64>1 << below(FRAC()));
    case 4: return rnd() >> (rnd() % 64);
    default: return rnd();
  }
}
/** Random finite value: subnormal, tiny, huge, near 1 or anywhere. */
function randomValue(): u64 {
  let e: u32;
  switch (below(8)) {
    case 0: e = 0; break;
    case 1: e = 1 + below(3); break;
    case 2: e = EMAX() - 1 - below(3); break;
    case 3: e = below(EMAX()); break;
    default: e = BIAS() - 8 + below(17); break;
  }
  let frac = randomFrac() & fracMask();
  if (e == 0 && frac == 0) frac = 1;
  return randomSign(make(e, frac));
}
/** An odd significand of n bits at an exponent near e. */
function withBits(n: u32, e: i32): u64 {
  const odd = n == 1 ? <u64>1 : (<u64>1 << (n - 1)) | (rnd() & ((<u64>1 << (n - 1)) - 1)) | 1;
  return randomSign(make(clampExp(e), odd << (FRAC() + 1 - n)));
}
/** A result worth aiming at. */
function target(): u64 {
  let t: u64;
  switch (below(7)) {
    case 0: t = make(1, 0) + <u64>(<i64>below(9) - 4); break;                  // smallest normal, top subnormals
    case 1: t = make(EMAX() - 1, fracMask()) - <u64>below(5); break;           // largest finite
    case 2: t = make(3 + below(EMAX() - 6), 0); break;                         // power of two
    case 3: t = make(D ? 52 + below(5) : 1 + below(4), rnd()); break;          // fused path's smallest results
    case 4: t = make(BIAS() - 4 + below(9), rnd()); break;
    case 5: t = make(1 + below(EMAX() - 2), rnd() & ~(fracMask() >> 2)); break; // few low bits
    default: t = make(1 + below(EMAX() - 2), rnd()); break;
  }
  return randomSign(t);
}

let A: u64 = 0, B: u64 = 0, C: u64 = 0;

function operandsBinary(op: u32): void {
  const t = target();
  const te = <i32>max(expOf(t), 1);
  const tv = value(t);
  const mode = below(4);
  if (op == OP_ADD || op == OP_SUB) {
    A = mode == 0 ? randomValue() : withExp(randomValue(), te + <i32>below(9) - 4);
    if (mode == 1) {                                   // a tie or near tie at A's last place
      const h = <i32>expOf(A) - <i32>FRAC() - 1;
      B = randomSign(make(clampExp(h), below(3) == 0 ? rnd() & 3 : 0));
      if (below(2) == 0) B = nudge(B);
    } else if (mode == 2) {
      B = randomValue();
    } else {
      B = fromValue(tv - value(A));
      if (below(2) == 0) B = nudge(B);
    }
    if (op == OP_SUB) B ^= SIGN();
  } else if (op == OP_MUL) {
    if (mode == 0) {                                   // just enough significant bits
      const n = 1 + below(FRAC());
      A = withBits(n, <i32>BIAS() + <i32>below(41) - 20);
      B = withBits(<u32>min(<i32>FRAC() + 1, <i32>(FRAC() + 1 - n + below(3))), <i32>BIAS() + <i32>below(41) - 20);
    } else if (mode == 1) {
      A = randomValue(); B = randomValue();
    } else {
      A = withExp(randomValue(), te / 2 + <i32>BIAS() / 2 + <i32>below(9) - 4);
      B = fromValue(tv / value(A));
      if (below(2) == 0) B = nudge(B);
    }
  } else if (op == OP_DIV) {
    if (mode == 0) {                                   // exact quotients and their neighbours
      const q = withBits(1 + below(FRAC() / 2), <i32>BIAS() + <i32>below(41) - 20);
      B = withBits(1 + below(FRAC() / 2), <i32>BIAS() + <i32>below(41) - 20);
      A = fromValue(value(q) * value(B));
      if (below(2) == 0) A = nudge(A);
    } else if (mode == 1) {
      A = randomValue(); B = randomValue();
    } else {
      B = withExp(randomValue(), <i32>BIAS() + <i32>below(61) - 30);
      A = fromValue(tv * value(B));
      if (below(2) == 0) A = nudge(A);
    }
  } else {                                             // sqrt: perfect squares and neighbours
    if (mode < 2) {
      const q = withBits(1 + below((FRAC() + 1) / 2), <i32>(BIAS() / 2 + 1 + below(BIAS())));
      A = fromValue(value(q) * value(q));
      if (below(2) == 0) A = nudge(A);
    } else A = randomValue();
    if (below(8) != 0) A &= ~SIGN();
    B = 0;
  }
  A = finiteOr(A, t);
  B = finiteOr(B, t);
  special();
}

function operandsFused(): void {
  const t = target();
  const te = <i32>max(expOf(t), 1);
  switch (below(8)) {
    case 0: case 1: {                                  // C = t - A*B: the fused result lands near t
      A = withExp(randomValue(), te / 2 + <i32>BIAS() / 2 + <i32>below(9) - 4);
      B = withExp(randomValue(), te - <i32>expOf(A) + <i32>BIAS() + <i32>below(5) - 2);
      C = fromValue(value(t) - value(A) * value(B));
      if (below(2) == 0) C = nudge(C);
      break;
    }
    case 2: {                                          // C plus half its last place, a little more or less
      C = withExp(randomValue(), <i32>(FRAC() + 2 + below(EMAX() - 4 - FRAC())));
      A = randomSign(make(expOf(C) - FRAC() - 1, below(3) == 0 ? rnd() : rnd() & 7));
      B = below(2) == 0 ? make(BIAS(), 0) : nudge(make(BIAS(), 3));
      break;
    }
    case 3: {                                          // a power of two minus a fraction of the last place below it
      const e = FRAC() + 5 + below(EMAX() - 7 - FRAC());
      C = randomSign(make(e, 0));
      if (below(2) == 0) {
        A = make(e - FRAC() - 2 - below(3), rnd() >> (rnd() % 64)) | (~C & SIGN());
        B = make(BIAS(), rnd() & 3);
      } else {
        // A*B = (1 + eta) * half the last place below C, |eta| < 2^-p: the binary64 steps
        // see an exact tie at the midpoint below C and only the product's low part breaks it
        A = withExp(randomValue(), <i32>BIAS()) & ~SIGN();
        B = fromValue(1 / value(A));
        B = withExp(B, <i32>expOf(B) + <i32>e - <i32>FRAC() - 2 - <i32>BIAS()) | (~C & SIGN());
      }
      break;
    }
    case 4: {                                          // the fused fast path's operand gates
      let es: i32 = D ? (below(2) == 0 ? -900 : 960) + <i32>below(9) - 4 : (below(2) == 0 ? -150 : 120) + <i32>below(30);
      A = withExp(randomValue(), <i32>BIAS() + es / 2);
      B = withExp(randomValue(), <i32>BIAS() + es - es / 2);
      C = below(2) == 0 ? withExp(randomValue(), <i32>EMAX() - 38 + <i32>below(8)) : randomValue();
      break;
    }
    case 5: {                                          // products with just enough bits
      const n = 1 + below(FRAC());
      A = withBits(n, <i32>BIAS() + <i32>below(41) - 20);
      B = withBits(<u32>min(<i32>FRAC() + 1, <i32>(FRAC() + 1 - n + below(3))), <i32>BIAS() + <i32>below(41) - 20);
      C = below(3) == 0 ? (rnd() & 1) * SIGN() : below(2) == 0 ? randomValue() : A;
      break;
    }
    case 6: {                                          // massive cancellation
      A = randomValue(); B = randomValue();
      C = fromValue(-(value(A) * value(B)));
      if (below(2) == 0) C = nudge(C);
      break;
    }
    default: {
      if (!D) {                                        // binary64 rounds the sum onto a binary32 midpoint
        const i = 1 + below(3), j = below(4) == 0 ? i + 1 : i;
        C = withExp(randomValue(), 30 + <i32>below(180));
        A = randomSign(make(127, i));
        B = make(expOf(C) - 25, (<u64>1 << 23) - 2 * <u64>j);
      } else {
        A = randomValue(); B = randomValue(); C = randomValue();
      }
      break;
    }
  }
  A = finiteOr(A, t);
  B = finiteOr(B, t);
  C = finiteOr(C, t);
  special();
}

const SPECIALS64: StaticArray<u64> = [
  0, 0x8000_0000_0000_0000, 1, 0x000f_ffff_ffff_ffff, 0x7fef_ffff_ffff_ffff, 0xffef_ffff_ffff_ffff,
  0x7ff0_0000_0000_0000, 0xfff0_0000_0000_0000, 0x7ff8_0000_0000_0000, 0x7ff0_0000_0000_0001, 0x7fdf_ffff_ffff_ffff,
];
const SPECIALS32: StaticArray<u64> = [
  0, 0x8000_0000, 1, 0x007f_ffff, 0x7f7f_ffff, 0xff7f_ffff, 0x7f80_0000, 0xff80_0000, 0x7fc0_0000, 0x7f80_0001, 0x7eff_ffff,
];
/** Now and then one operand becomes a zero, the largest finite, an infinity or a NaN. */
function special(): void {
  if (below(16) != 0) return;
  const v = D ? unchecked(SPECIALS64[below(SPECIALS64.length)]) : unchecked(SPECIALS32[below(SPECIALS32.length)]);
  const which = below(3);
  if (which == 0) A = v; else if (which == 1) B = v; else C = v;
}

// ---- the comparison ----

function fast(op: u32, double: bool): bool {
  if (double) {
    const r = op == OP_ADD ? add64(A, B) : op == OP_SUB ? add64(A, B ^ 0x8000_0000_0000_0000) : op == OP_MUL ? mul64(A, B)
      : op == OP_DIV ? div64(A, B) : op == OP_SQRT ? sqrt64(A) : mulAdd64(A, B, C);
    return r != NONE64;
  }
  const a = <u32>A, b = <u32>B, c = <u32>C;
  const r = op == OP_ADD ? add32(a, b) : op == OP_SUB ? add32(a, b ^ 0x8000_0000) : op == OP_MUL ? mul32(a, b)
    : op == OP_DIV ? div32(a, b) : op == OP_SQRT ? sqrt32(a) : mulAdd32(a, b, c);
  return r != NONE32;
}

function exported(op: u32, double: bool): u64 {
  if (double) {
    return op == OP_ADD ? ops.f64_add(A, B, 0) : op == OP_SUB ? ops.f64_sub(A, B, 0) : op == OP_MUL ? ops.f64_mul(A, B, 0)
      : op == OP_DIV ? ops.f64_div(A, B, 0) : op == OP_SQRT ? ops.f64_sqrt(A, 0) : ops.f64_mulAdd(A, B, C, 0);
  }
  const a = <u32>A, b = <u32>B, c = <u32>C;
  return <u64>(op == OP_ADD ? ops.f32_add(a, b, 0) : op == OP_SUB ? ops.f32_sub(a, b, 0) : op == OP_MUL ? ops.f32_mul(a, b, 0)
    : op == OP_DIV ? ops.f32_div(a, b, 0) : op == OP_SQRT ? ops.f32_sqrt(a, 0) : ops.f32_mulAdd(a, b, c, 0));
}

function reference(op: u32, double: bool): u64 {
  if (double) {
    return op == OP_ADD ? soft.f64_add(A, B, 0) : op == OP_SUB ? soft.f64_sub(A, B, 0) : op == OP_MUL ? soft.f64_mul(A, B, 0)
      : op == OP_DIV ? soft.f64_div(A, B, 0) : op == OP_SQRT ? soft.f64_sqrt(A, 0) : soft.f64_mulAdd(A, B, C, 0);
  }
  const a = <u32>A, b = <u32>B, c = <u32>C;
  return <u64>(op == OP_ADD ? soft.f32_add(a, b, 0) : op == OP_SUB ? soft.f32_sub(a, b, 0) : op == OP_MUL ? soft.f32_mul(a, b, 0)
    : op == OP_DIV ? soft.f32_div(a, b, 0) : op == OP_SQRT ? soft.f32_sqrt(a, 0) : soft.f32_mulAdd(a, b, c, 0));
}

/**
 * Compares `n` random cases of operation `op` (OP_*, binary64 when `double`); returns the
 * number of mismatches in result bits or flags (the first one is kept in diff*), and counts
 * in diffFast how many the fast path answered (diffFastInexact: of those, inexact ones).
 */
export function differential(op: u32, double: bool, n: u32, seed: u64): u32 {
  state = seed | 1;
  D = double;
  diffFast = 0;
  diffFastInexact = 0;
  let mismatches: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    if (op == OP_FMA) operandsFused(); else operandsBinary(op);
    if (!double) { A &= 0xffff_ffff; B &= 0xffff_ffff; C &= 0xffff_ffff; }
    fflags = 0;
    if (fast(op, double)) {
      diffFast++;
      if (fflags != 0) diffFastInexact++;
    }
    fflags = 0;
    const got = exported(op, double);
    const gotFlags = fflags;
    fflags = 0;
    const want = reference(op, double);
    const wantFlags = fflags;
    if (got != want || gotFlags != wantFlags) {
      if (mismatches == 0) {
        diffA = A; diffB = B; diffC = C;
        diffGot = got; diffWant = want; diffGotFlags = gotFlags; diffWantFlags = wantFlags;
      }
      mismatches++;
    }
  }
  fflags = 0;
  return mismatches;
}
