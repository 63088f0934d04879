// F/D instructions computed in translated code instead of calling the interpreter's
// semantics. Add, sub, mul, div, sqrt and the four fused multiply-adds (binary64, and
// binary32 computed in binary64) use the host's arithmetic for round-to-nearest-even
// results that are finite and normal, with the same proofs as the core's fast paths
// (core-as/fpu/FASTPATH.md): when the code decides a result it is the exact RISC-V result,
// and NX is the only flag it can raise. Sign injections, moves between x and f registers,
// comparisons, minimum and maximum without NaNs and 32-bit integer conversions cannot round
// // or raise a flag in the cases taken. Anything else (another rounding mode, FS off, NaNs,
// infinite, zero or tiny results, near ties) runs the interpreter's semantics, as every F/D
// instruction did before. That call was most of an fmadd.d's cost: bench/'s fmadd-loop ran 3.6x faster with
// it replaced by a bare (unfused, wrong) multiply and add, 1.5x with the code below.
import { FuncBody, I64, F64, Op, type ValType } from "./wasm-emitter.js";
import { ENCODINGS } from "../../core-as/isa/encodings.js";
import type { Insn } from "./region.js";
import { MSTATUS_FS } from "./rules.js";

/** What each inline-computed instruction is: fused (negated product, negated addend) or not. */
interface Arith { kind: "add" | "mul" | "div" | "sqrt" | "fma"; single?: boolean; negA?: boolean; negB?: boolean; negC?: boolean }
const FAST: Record<string, Arith> = {
  "fadd.d": { kind: "add" },
  "fsub.d": { kind: "add", negB: true },
  "fmul.d": { kind: "mul" },
  "fdiv.d": { kind: "div" },
  "fsqrt.d": { kind: "sqrt" },
  "fmadd.d": { kind: "fma" },
  "fmsub.d": { kind: "fma", negC: true },
  "fnmsub.d": { kind: "fma", negA: true },
  "fnmadd.d": { kind: "fma", negA: true, negC: true },
  "fadd.s": { kind: "add", single: true },
  "fsub.s": { kind: "add", single: true, negB: true },
  "fmul.s": { kind: "mul", single: true },
  "fdiv.s": { kind: "div", single: true },
  "fsqrt.s": { kind: "sqrt", single: true },
  "fmadd.s": { kind: "fma", single: true },
  "fmsub.s": { kind: "fma", single: true, negC: true },
  "fnmsub.s": { kind: "fma", single: true, negA: true },
  "fnmadd.s": { kind: "fma", single: true, negA: true, negC: true },
};
/** Bit moves: no rounding, no flags; only FS decides (off: illegal instruction). */
const MOVES = new Set(["fsgnj.d", "fsgnjn.d", "fsgnjx.d", "fmv.x.d", "fmv.d.x"]);
/** Comparisons of two non-NaN operands: the host's IEEE compare, no flag (a NaN can raise NV). */
const COMPARES: Record<string, number> = { "feq.d": Op.f64_eq, "flt.d": Op.f64_lt, "fle.d": Op.f64_le };
/** Minimum and maximum of two non-NaN operands: the host's, -0 below +0 as RISC-V orders them; no flag. */
const MIN_MAX: Record<string, number> = { "fmin.d": Op.f64_min, "fmax.d": Op.f64_max };
/** 32-bit integers to binary64: always exact, so no flag in any valid rounding mode. */
const FROM_INT32: Record<string, number> = { "fcvt.d.w": Op.f64_convert_i32_s, "fcvt.d.wu": Op.f64_convert_i32_u };
/** The instruction's name when translated code computes it inline (a helper's op id), else undefined. */
export function inlineFp(i: Insn): string | undefined {
  const name = ENCODINGS[i.op - 1]?.name; // op ids count from 1, in table order (region.ts)
  if (name === undefined) return undefined;
  if (MOVES.has(name) || name in COMPARES || name in MIN_MAX) return name;
  const rm = (i.word >>> 12) & 7;
  if (name in FROM_INT32) return rm <= 4 || rm === 7 ? name : undefined; // 5 and 6 are reserved: illegal
  if (!(name in FAST)) return undefined;
  return rm === 0 || rm === 7 ? name : undefined; // static RNE, or dynamic (frm checked when it runs)
}

/** Whether instruction `i`, computed inline, needs FP_LOCALS (the arithmetic does, moves do not). */
export function needsFpLocals(i: Insn): boolean {
  const name = inlineFp(i);
  return name !== undefined && name in FAST;
}

/** Locals the arithmetic uses: i64 then f64, appended after the translator's own. */
export const FP_LOCALS: [number, ValType][] = [[7, I64], [13, F64]];

const SIGN = -(2n ** 63n);
const ABS = 2n ** 63n - 1n;
const EXP = 0x7ff0_0000_0000_0000n;
const FRAC = 0x000f_ffff_ffff_ffffn;
const HIDDEN = 0x0010_0000_0000_0000n;
const ADD_LIMIT = 0x7fb0_0000_0000_0000n; // operands below 2^1020: TwoSum cannot overflow
const BOX = -(2n ** 32n); // the upper half of a properly NaN-boxed binary32
const FRM = 7n << 5n;
const NX = 1n;

/** Pushes 1 when mstatus.FS is off (F/D instructions then raise illegal instruction). */
export function fsOff(f: FuncBody, mstatus: number): void {
  f.i32(0).mem(Op.i64_load, 3, mstatus).i64(MSTATUS_FS).op(Op.i64_and).op(Op.i64_eqz);
}

/** mstatus.FS = dirty, as the interpreter marks it whenever an f register or fflags changes. */
export function markFsDirty(f: FuncBody, mstatus: number): void {
  f.i32(0).i32(0).mem(Op.i64_load, 3, mstatus).i64(MSTATUS_FS).op(Op.i64_or).mem(Op.i64_store, 3, mstatus);
}

/** Pushes f register r's 64 bits. */
function loadF(c: FpContext, r: number): FuncBody {
  return c.f.i32(0).mem(Op.i64_load, 3, c.freg + 8 * r);
}

/** f register rd = the 64 bits `value` pushes; FS dirty. */
function setF(c: FpContext, rd: number, value: () => void): void {
  c.f.i32(0);
  value();
  c.f.mem(Op.i64_store, 3, c.freg + 8 * rd);
  markFsDirty(c.f, c.mstatus);
}

export interface FpContext {
  f: FuncBody;
  /** Opens/closes a construct the way the translator counts them (its exits branch by depth). */
  open(code: typeof Op.block | typeof Op.if): void;
  close(): void;
  freg: number;
  fcsr: number;
  mstatus: number;
  /** The first of FP_LOCALS. */
  localBase: number;
  /** Pushes x register r (x0 reads 0) / pops into it (x0 drops), as translated code keeps them. */
  getX(r: number): void;
  setX(r: number): void;
}

/**
 * Emits instruction `i` (inlineFp named it `name`): the inline computation, and `slow`, the
 * interpreter's semantics, for whatever the computation leaves undecided.
 */
export function emitInlineFp(c: FpContext, i: Insn, name: string, slow: () => void): void {
  if (MOVES.has(name) || name in COMPARES || name in MIN_MAX || name in FROM_INT32) { emitExact(c, i, name, slow); return; }
  const { f } = c;
  const op = FAST[name];
  // i64 locals
  const A = c.localBase, B = A + 1, C = A + 2, PH = A + 3, R = A + 4, EA = A + 5, EB = A + 6;
  // f64 locals
  const X = A + 7, Y = X + 1, Z = X + 2, P = X + 3, PL = X + 4, SH = X + 5, SL = X + 6, T = X + 7, TL = X + 8,
    RR = X + 9, E = X + 10, V = X + 11, G = X + 12;
  const freg = (r: number) => loadF(c, r);
  const operand = (r: number, negate: boolean | undefined, local: number) => {
    freg(r);
    if (negate) f.i64(SIGN).op(Op.i64_xor);
    f.set(local);
  };
  const asF64 = (local: number) => f.get(local).op(Op.f64_reinterpret_i64);
  let nested = 0; // constructs open inside the undecided block
  /** Leaves for the interpreter's semantics when the i32 on the stack is nonzero. */
  const slowIf = () => f.op(Op.br_if).u32(nested);
  /** Pushes the exact error of s = RN(a + b) (TwoSum, Knuth): zero iff the sum is exact. Uses V. */
  const twoSumError = (a: number, b: number, s: number) => {
    f.get(s).get(a).op(Op.f64_sub).set(V);
    f.get(a).get(s).get(V).op(Op.f64_sub).op(Op.f64_sub).get(b).get(V).op(Op.f64_sub).op(Op.f64_add);
  };
  /** normal64(bits in `local`): finite and above the smallest normal; otherwise leave. */
  const requireNormal = (local: number) => {
    f.get(local).i64(ABS).op(Op.i64_and).i64(HIDDEN + 1n).op(Op.i64_sub).i64(EXP - (HIDDEN + 1n)).op(Op.i64_ge_u);
    slowIf();
  };

  c.open(Op.block); // done
  c.open(Op.block); // undecided: the interpreter's semantics follow it
  // FS off traps and another rounding mode rounds otherwise: both go the interpreter's way
  fsOff(f, c.mstatus);
  slowIf();
  if (((i.word >>> 12) & 7) === 7) {
    f.i32(0).mem(Op.i64_load, 3, c.fcsr).i64(FRM).op(Op.i64_and).op(Op.i64_eqz).op(Op.i32_eqz);
    slowIf();
  }
  if (op.single) {
    emitSingle(i, op);
  } else {
    emitDouble(i, op);
  }
  // decided: the result (binary32 NaN-boxed), FS dirty, NX when inexact
  setF(c, i.rd, () => {
    f.get(R);
    if (op.single) f.i64(BOX).op(Op.i64_or);
  });
  f.get(G).f64(0).op(Op.f64_ne);
  c.open(Op.if);
  f.i32(0).i32(0).mem(Op.i64_load, 3, c.fcsr).i64(NX).op(Op.i64_or).mem(Op.i64_store, 3, c.fcsr);
  c.close();
  f.op(Op.br).u32(1); // past the interpreter's semantics
  c.close();
  slow();
  c.close();

  /**
   * binary32, computed in binary64 (FASTPATH.md): the operands widened exactly, one binary64
   * operation, rounded to binary32; leaves R (the binary32 bits) and G (nonzero: inexact).
   */
  function emitSingle(i: Insn, op: Arith): void {
    // a boxed binary32, widened; an improperly boxed one reads as the canonical NaN: leave
    const widen = (r: number, negate: boolean | undefined, raw: number, into: number) => {
      freg(r).tee(raw).i64(BOX).op(Op.i64_lt_u);
      slowIf();
      f.get(raw).op(Op.i32_wrap_i64);
      if (negate) f.i32(-(2 ** 31)).op(Op.i32_xor);
      f.op(Op.f32_reinterpret_i32).op(Op.f64_promote_f32).set(into);
    };
    const narrowed = () => f.get(R).op(Op.i32_wrap_i64).op(Op.f32_reinterpret_i32).op(Op.f64_promote_f32);
    widen(i.rs1, op.negA, A, X);
    if (op.kind !== "sqrt") widen(i.rs2, op.negB, B, Y);
    if (op.kind === "fma") widen(i.word >>> 27, op.negC, C, Z);
    // s = the one binary64 operation (for fma the product is exact, the sum rounds once)
    if (op.kind === "add") f.get(X).get(Y).op(Op.f64_add);
    else if (op.kind === "mul") f.get(X).get(Y).op(Op.f64_mul);
    else if (op.kind === "div") f.get(X).get(Y).op(Op.f64_div);
    else if (op.kind === "sqrt") f.get(X).op(Op.f64_sqrt);
    else f.get(X).get(Y).op(Op.f64_mul).tee(P).get(Z).op(Op.f64_add);
    f.tee(SH).op(Op.f32_demote_f64).op(Op.i32_reinterpret_f32).op(Op.i64_extend_i32_u).set(R);
    // finite and above the smallest normal binary32 (no flag but NX can be due)
    f.get(R).i64(0x7fff_ffff).op(Op.i64_and).i64(0x80_0001).op(Op.i64_sub).i64(0x7f80_0000 - 0x80_0001).op(Op.i64_ge_u);
    slowIf();
    if (op.kind === "add" || op.kind === "fma") {
      // TwoSum's error of the binary64 sum (in SL): nonzero iff it was inexact
      if (op.kind === "add") twoSumError(X, Y, SH);
      else twoSumError(P, Z, SH);
      f.set(SL);
      if (op.kind === "fma") {
        // an inexact sum landing exactly on a binary32 midpoint could round the wrong way: leave
        f.get(SL).f64(0).op(Op.f64_ne);
        f.get(SH).op(Op.i64_reinterpret_f64).i64(0x1fff_ffff).op(Op.i64_and).i64(1n << 28n).op(Op.i64_eq);
        f.op(Op.i32_and);
        slowIf();
      }
      f.get(SL).f64(0).op(Op.f64_ne);
      narrowed(); f.get(SH).op(Op.f64_ne).op(Op.i32_or);
    } else if (op.kind === "mul") {
      narrowed(); f.get(SH).op(Op.f64_ne); // the binary64 product of two 24-bit significands is exact
    } else if (op.kind === "div") {
      narrowed(); f.get(Y).op(Op.f64_mul).get(X).op(Op.f64_ne); // x / y = r iff r * y = x (exact product)
    } else {
      narrowed(); narrowed(); f.op(Op.f64_mul).get(X).op(Op.f64_ne); // sqrt x = r iff r * r = x
    }
    f.op(Op.f64_convert_i32_u).set(G);
  }

  /** binary64: leaves R (the result's bits) and G (nonzero: inexact). */
  function emitDouble(i: Insn, op: Arith): void {
    operand(i.rs1, op.negA, A);
    if (op.kind !== "sqrt") operand(i.rs2, op.negB, B);
    /** The odd part of the integer significand of the bits in `local` (finite, nonzero), into `into`. */
    const oddSignificand = (local: number, into: number) => {
      f.get(local).i64(FRAC).op(Op.i64_and);
      f.get(local).i64(FRAC).op(Op.i64_and).i64(HIDDEN).op(Op.i64_or);
      f.get(local).i64(EXP).op(Op.i64_and).op(Op.i64_eqz);
      f.op(Op.select); // the hidden bit only for normal operands
      f.tee(into).get(into).op(Op.i64_ctz).op(Op.i64_shr_u).set(into);
    };
    /**
     * Sets G to 1 when |x| * |y| != |z| (odd significand parts in locals; x * y known to lie
     * within a factor 1 +- 2^-52 of z), else 0: an n-bit times an m-bit odd number has
     * n + m - 1 or n + m bits, so more than z's bits is unequal, and otherwise the product
     * (below 2^54) is compared (FASTPATH.md, div and sqrt).
     */
    const productDiffers = (x: number, y: number, z: number) => {
      f.i64(63).get(z).op(Op.i64_clz).op(Op.i64_add).get(x).op(Op.i64_clz).op(Op.i64_sub).get(y).op(Op.i64_clz).op(Op.i64_sub).i64(0).op(Op.i64_gt_s);
      f.get(x).get(y).op(Op.i64_mul).get(z).op(Op.i64_ne);
      f.op(Op.i32_or).op(Op.f64_convert_i32_u).set(G);
    };
    if (op.kind === "div" || op.kind === "sqrt") {
      asF64(A);
      if (op.kind === "div") f.get(B).op(Op.f64_reinterpret_i64).op(Op.f64_div);
      else f.op(Op.f64_sqrt);
      f.op(Op.i64_reinterpret_f64).set(R);
      requireNormal(R); // also x/0, 0/y, a negative root, infinities and NaNs
      // exact iff r * b == a (division) or r * r == a (root)
      oddSignificand(R, PH);
      oddSignificand(A, EA);
      if (op.kind === "div") {
        oddSignificand(B, EB);
        productDiffers(PH, EB, EA);
      } else productDiffers(PH, PH, EA);
    } else if (op.kind === "add") {
      f.get(A).i64(ABS).op(Op.i64_and).i64(ADD_LIMIT).op(Op.i64_ge_u);
      f.get(B).i64(ABS).op(Op.i64_and).i64(ADD_LIMIT).op(Op.i64_ge_u);
      f.op(Op.i32_or);
      slowIf();
      asF64(A).set(X);
      asF64(B).set(Y);
      f.get(X).get(Y).op(Op.f64_add).tee(SH).op(Op.i64_reinterpret_f64).set(R);
      requireNormal(R);
      twoSumError(X, Y, SH);
      f.set(G);
    } else if (op.kind === "mul") {
      asF64(A).get(B).op(Op.f64_reinterpret_i64).op(Op.f64_mul).op(Op.i64_reinterpret_f64).set(R);
      requireNormal(R); // also when an operand is zero, infinite or NaN
      // exact iff the odd parts of the significands multiply to below 2^53 (an n-bit times an
      // m-bit odd number has n + m - 1 or n + m bits: over 54 together, it is inexact)
      oddSignificand(A, EA);
      oddSignificand(B, EB);
      // G holds 1 when inexact, 0 when exact (the f64 test below serves all three kinds)
      f.i64(128).get(EA).op(Op.i64_clz).op(Op.i64_sub).get(EB).op(Op.i64_clz).op(Op.i64_sub).i64(54).op(Op.i64_gt_u);
      f.get(EA).get(EB).op(Op.i64_mul).i64(1n << 53n).op(Op.i64_ge_u);
      f.op(Op.i32_or).op(Op.f64_convert_i32_u).set(G);
    } else {
      operand(i.word >>> 27, op.negC, C);
      f.get(A).i64(52).op(Op.i64_shr_u).i64(0x7ff).op(Op.i64_and).set(EA);
      f.get(B).i64(52).op(Op.i64_shr_u).i64(0x7ff).op(Op.i64_and).set(EB);
      // A zero factor and a finite other factor and addend: the product is an exact zero and
      // the result is the addend, or a zero whose sign the host's addition picks by the same
      // IEEE 754 rule; nothing is inexact. (A tenth of matmul's multiply-adds: zeros in b.)
      f.get(A).i64(ABS).op(Op.i64_and).op(Op.i64_eqz).get(EB).i64(0x7ff).op(Op.i64_ne).op(Op.i32_and);
      f.get(B).i64(ABS).op(Op.i64_and).op(Op.i64_eqz).get(EA).i64(0x7ff).op(Op.i64_ne).op(Op.i32_and).op(Op.i32_or);
      f.get(C).i64(EXP).op(Op.i64_and).i64(EXP).op(Op.i64_ne).op(Op.i32_and);
      c.open(Op.if);
      asF64(A).get(B).op(Op.f64_reinterpret_i64).op(Op.f64_mul).get(C).op(Op.f64_reinterpret_i64).op(Op.f64_add);
      f.op(Op.i64_reinterpret_f64).set(R);
      f.f64(0).set(G);
      f.op(Op.else);
      nested = 1;
      // a and b normal with 2^-900 <= |a*b| < 2^962, |c| < 2^991 (FASTPATH.md, fused multiply-add)
      f.get(EA).i64(1).op(Op.i64_sub).i64(2046).op(Op.i64_ge_u);
      f.get(EB).i64(1).op(Op.i64_sub).i64(2046).op(Op.i64_ge_u).op(Op.i32_or);
      f.get(EA).get(EB).op(Op.i64_add).i64(2046 - 900).op(Op.i64_sub).i64(1860).op(Op.i64_gt_u).op(Op.i32_or);
      f.get(C).i64(52).op(Op.i64_shr_u).i64(0x7ff).op(Op.i64_and).i64(2013).op(Op.i64_gt_u).op(Op.i32_or);
      slowIf();
      asF64(A).set(X);
      asF64(B).set(Y);
      asF64(C).set(Z);
      // the exact product ph + pl: ph = RN(a*b); pl from the low 64 bits of the integer product
      f.get(X).get(Y).op(Op.f64_mul).tee(P).op(Op.i64_reinterpret_f64).set(PH);
      f.get(A).i64(FRAC).op(Op.i64_and).i64(HIDDEN).op(Op.i64_or);
      f.get(B).i64(FRAC).op(Op.i64_and).i64(HIDDEN).op(Op.i64_or).op(Op.i64_mul);
      f.get(PH).i64(FRAC).op(Op.i64_and).i64(HIDDEN).op(Op.i64_or);
      f.get(PH).i64(52).op(Op.i64_shr_u).i64(0x7ff).op(Op.i64_and).get(EA).op(Op.i64_sub).get(EB).op(Op.i64_sub).i64(1075).op(Op.i64_add);
      f.op(Op.i64_shl).op(Op.i64_sub).op(Op.f64_convert_i64_s);
      f.get(PH).i64(SIGN).op(Op.i64_and).get(EA).get(EB).op(Op.i64_add).i64(1127).op(Op.i64_sub).i64(52).op(Op.i64_shl).op(Op.i64_or);
      f.op(Op.f64_reinterpret_i64).op(Op.f64_mul).set(PL);
      // (sh, sl) = TwoSum(ph, z); (t, tl) = TwoSum(sl, pl); (rr, e) = TwoSum(sh, t)
      const twoSum = (a: number, b: number, s: number, err: number) => {
        f.get(a).get(b).op(Op.f64_add).set(s);
        twoSumError(a, b, s);
        f.set(err);
      };
      twoSum(P, Z, SH, SL);
      twoSum(SL, PL, T, TL);
      twoSum(SH, T, RR, E);
      f.get(RR).op(Op.i64_reinterpret_f64).set(R);
      // half an ulp of r must be a normal number: r at or above 2^-969
      f.get(R).i64(EXP).op(Op.i64_and).i64(54n << 52n).op(Op.i64_lt_u);
      slowIf();
      f.get(E).get(TL).op(Op.f64_add).set(G);
      // inexact: r is right if tl = 0 (the exact value is sh + t, which r is the rounded sum
      // of), or if it is not a power of two and |g| < ulp(r)/2 (ties included: leave)
      f.get(G).f64(0).op(Op.f64_ne);
      f.get(TL).f64(0).op(Op.f64_ne).op(Op.i32_and);
      f.get(R).i64(FRAC).op(Op.i64_and).op(Op.i64_eqz);
      f.get(G).op(Op.f64_abs).get(R).i64(EXP).op(Op.i64_and).i64(53n << 52n).op(Op.i64_sub).op(Op.f64_reinterpret_i64).op(Op.f64_ge);
      f.op(Op.i32_or).op(Op.i32_and);
      slowIf();
      c.close();
      nested = 0;
    }
  }
}

/**
 * The instructions whose result never depends on anything the code must decide: bit moves,
 * comparisons of non-NaN operands, exact conversions. Written as the interpreter writes
 * them, when FS is on (and, for a conversion's dynamic rounding mode, frm is valid).
 */
function emitExact(c: FpContext, i: Insn, name: string, slow: () => void): void {
  const { f } = c;
  const freg = (r: number) => loadF(c, r);
  c.open(Op.block); // done
  c.open(Op.block); // otherwise the interpreter's semantics (FS off: illegal instruction)
  fsOff(f, c.mstatus);
  f.op(Op.br_if).u32(0);
  if (name in COMPARES || name in MIN_MAX) {
    freg(i.rs1).i64(ABS).op(Op.i64_and).i64(EXP).op(Op.i64_gt_u);
    freg(i.rs2).i64(ABS).op(Op.i64_and).i64(EXP).op(Op.i64_gt_u).op(Op.i32_or);
    f.op(Op.br_if).u32(0); // a NaN: NV and the NaN rules are the interpreter's to decide
    if (name in COMPARES) {
      freg(i.rs1).op(Op.f64_reinterpret_i64);
      freg(i.rs2).op(Op.f64_reinterpret_i64);
      f.op(COMPARES[name]).op(Op.i64_extend_i32_u);
      c.setX(i.rd); // no flag: FS stays as it is
    } else {
      setF(c, i.rd, () => {
        freg(i.rs1).op(Op.f64_reinterpret_i64);
        freg(i.rs2).op(Op.f64_reinterpret_i64);
        f.op(MIN_MAX[name]).op(Op.i64_reinterpret_f64);
      });
    }
  } else if (name in FROM_INT32) {
    if (((i.word >>> 12) & 7) === 7) {
      f.i32(0).mem(Op.i64_load, 3, c.fcsr).i64(FRM).op(Op.i64_and).i64(4n << 5n).op(Op.i64_gt_u);
      f.op(Op.br_if).u32(0); // frm 5-7: illegal instruction
    }
    setF(c, i.rd, () => {
      c.getX(i.rs1);
      f.op(Op.i32_wrap_i64).op(FROM_INT32[name]).op(Op.i64_reinterpret_f64);
    });
  } else if (name === "fmv.x.d") {
    freg(i.rs1);
    c.setX(i.rd); // reading an f register leaves FS as it is
  } else {
    setF(c, i.rd, () => {
      if (name === "fmv.d.x") c.getX(i.rs1);
      else {
        freg(i.rs1).i64(ABS).op(Op.i64_and);
        if (name === "fsgnj.d") freg(i.rs2);
        else if (name === "fsgnjn.d") freg(i.rs2).i64(SIGN).op(Op.i64_xor);
        else { freg(i.rs1); freg(i.rs2); f.op(Op.i64_xor); }
        f.i64(SIGN).op(Op.i64_and).op(Op.i64_or);
      }
    });
  }
  f.op(Op.br).u32(1);
  c.close();
  slow();
  c.close();
}
