/*
 * Reference vectors for hartvm's FPU (core-as/fpu/).
 *
 * Built static for riscv64 Linux and run under qemu-riscv64 (see gen-vectors.sh): every
 * case executes the real F/D instruction with inline asm, with the rounding mode set
 * through frm (the instructions use the dynamic rounding mode), fflags cleared before and
 * read after. Prints one JSON object per line:
 *
 *   {"op":"fadd.s","in":["3f800000","33800000"],"rm":0,"res":"3f800000","fl":1}
 *
 * Inputs and results are hex bit patterns: 8 digits for binary32 values and 32-bit integer
 * inputs, 16 for binary64 values, 64-bit integer inputs and every integer register result
 * (fcvt.w[u].* and fmv.x.w results as the sign-extended 64-bit register, as RV64 defines).
 * Operations that ignore the rounding mode are listed once, with "rm":0.
 *
 * After the cases for every operation come round-to-nearest-even cases aimed at the
 * boundaries of hartvm's host-float fast paths (core-as/fpu/fastpath.ts): see gen_edge.
 *
 * Usage: gen-vectors [random-count [seed]]   (default 18 random tuples per operation)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ instructions */

typedef uint64_t (*opfn)(uint64_t a, uint64_t b, uint64_t c, uint64_t rm, uint64_t *fl);

#define PRE  "fsrm %[rm]\n\tfsflags x0\n\t"
#define POST "\n\tfrflags %[fl]"
#define OUTS [r] "=&r"(r), [fl] "=&r"(*fl)
#define CLOB "ft0", "ft1", "ft2", "ft3"

/* binary32 binary op: fd = fs1 op fs2 */
#define S_RR(fn, insn)                                                                   \
  static uint64_t fn(uint64_t a, uint64_t b, uint64_t c, uint64_t rm, uint64_t *fl) {   \
    uint64_t r; (void)c;                                                                 \
    asm volatile(PRE "fmv.w.x ft0, %[a]\n\tfmv.w.x ft1, %[b]\n\t" insn                   \
                 " ft2, ft0, ft1\n\tfmv.x.w %[r], ft2" POST                              \
                 : OUTS : [a] "r"(a), [b] "r"(b), [rm] "r"(rm) : CLOB);                  \
    return r & 0xffffffffu;                                                              \
  }
#define D_RR(fn, insn)                                                                   \
  static uint64_t fn(uint64_t a, uint64_t b, uint64_t c, uint64_t rm, uint64_t *fl) {   \
    uint64_t r; (void)c;                                                                 \
    asm volatile(PRE "fmv.d.x ft0, %[a]\n\tfmv.d.x ft1, %[b]\n\t" insn                   \
                 " ft2, ft0, ft1\n\tfmv.x.d %[r], ft2" POST                              \
                 : OUTS : [a] "r"(a), [b] "r"(b), [rm] "r"(rm) : CLOB);                  \
    return r;                                                                            \
  }
/* fused: fd = fs1, fs2, fs3 */
#define S_RRR(fn, insn)                                                                  \
  static uint64_t fn(uint64_t a, uint64_t b, uint64_t c, uint64_t rm, uint64_t *fl) {   \
    uint64_t r;                                                                          \
    asm volatile(PRE "fmv.w.x ft0, %[a]\n\tfmv.w.x ft1, %[b]\n\tfmv.w.x ft2, %[c]\n\t"   \
                 insn " ft3, ft0, ft1, ft2\n\tfmv.x.w %[r], ft3" POST                    \
                 : OUTS : [a] "r"(a), [b] "r"(b), [c] "r"(c), [rm] "r"(rm) : CLOB);      \
    return r & 0xffffffffu;                                                              \
  }
#define D_RRR(fn, insn)                                                                  \
  static uint64_t fn(uint64_t a, uint64_t b, uint64_t c, uint64_t rm, uint64_t *fl) {   \
    uint64_t r;                                                                          \
    asm volatile(PRE "fmv.d.x ft0, %[a]\n\tfmv.d.x ft1, %[b]\n\tfmv.d.x ft2, %[c]\n\t"   \
                 insn " ft3, ft0, ft1, ft2\n\tfmv.x.d %[r], ft3" POST                    \
                 : OUTS : [a] "r"(a), [b] "r"(b), [c] "r"(c), [rm] "r"(rm) : CLOB);      \
    return r;                                                                            \
  }
/* unary float -> float; mvin/mvout pick the formats */
#define F_F(fn, insn, mvin, mvout, mask)                                                 \
  static uint64_t fn(uint64_t a, uint64_t b, uint64_t c, uint64_t rm, uint64_t *fl) {   \
    uint64_t r; (void)b; (void)c;                                                        \
    asm volatile(PRE mvin " ft0, %[a]\n\t" insn " ft2, ft0\n\t" mvout " %[r], ft2" POST  \
                 : OUTS : [a] "r"(a), [rm] "r"(rm) : CLOB);                              \
    return r & (mask);                                                                   \
  }
/* float -> integer register (compare, classify, convert) */
#define F_X(fn, insn, mvin)                                                              \
  static uint64_t fn(uint64_t a, uint64_t b, uint64_t c, uint64_t rm, uint64_t *fl) {   \
    uint64_t r; (void)b; (void)c;                                                        \
    asm volatile(PRE mvin " ft0, %[a]\n\t" insn " %[r], ft0" POST                        \
                 : OUTS : [a] "r"(a), [rm] "r"(rm) : CLOB);                              \
    return r;                                                                            \
  }
#define FF_X(fn, insn, mvin)                                                             \
  static uint64_t fn(uint64_t a, uint64_t b, uint64_t c, uint64_t rm, uint64_t *fl) {   \
    uint64_t r; (void)c;                                                                 \
    asm volatile(PRE mvin " ft0, %[a]\n\t" mvin " ft1, %[b]\n\t" insn " %[r], ft0, ft1"  \
                 POST : OUTS : [a] "r"(a), [b] "r"(b), [rm] "r"(rm) : CLOB);             \
    return r;                                                                            \
  }
/* integer register -> float */
#define X_F(fn, insn, mvout, mask)                                                       \
  static uint64_t fn(uint64_t a, uint64_t b, uint64_t c, uint64_t rm, uint64_t *fl) {   \
    uint64_t r; (void)b; (void)c;                                                        \
    asm volatile(PRE insn " ft2, %[a]\n\t" mvout " %[r], ft2" POST                       \
                 : OUTS : [a] "r"(a), [rm] "r"(rm) : CLOB);                              \
    return r & (mask);                                                                   \
  }

#define M32 0xffffffffull
#define M64 0xffffffffffffffffull

S_RR(fadd_s, "fadd.s") S_RR(fsub_s, "fsub.s") S_RR(fmul_s, "fmul.s") S_RR(fdiv_s, "fdiv.s")
S_RR(fmin_s, "fmin.s") S_RR(fmax_s, "fmax.s")
D_RR(fadd_d, "fadd.d") D_RR(fsub_d, "fsub.d") D_RR(fmul_d, "fmul.d") D_RR(fdiv_d, "fdiv.d")
D_RR(fmin_d, "fmin.d") D_RR(fmax_d, "fmax.d")
S_RRR(fmadd_s, "fmadd.s") S_RRR(fmsub_s, "fmsub.s") S_RRR(fnmsub_s, "fnmsub.s") S_RRR(fnmadd_s, "fnmadd.s")
D_RRR(fmadd_d, "fmadd.d") D_RRR(fmsub_d, "fmsub.d") D_RRR(fnmsub_d, "fnmsub.d") D_RRR(fnmadd_d, "fnmadd.d")
F_F(fsqrt_s, "fsqrt.s", "fmv.w.x", "fmv.x.w", M32)
F_F(fsqrt_d, "fsqrt.d", "fmv.d.x", "fmv.x.d", M64)
F_F(fcvt_d_s, "fcvt.d.s", "fmv.w.x", "fmv.x.d", M64)
F_F(fcvt_s_d, "fcvt.s.d", "fmv.d.x", "fmv.x.w", M32)
FF_X(feq_s, "feq.s", "fmv.w.x") FF_X(flt_s, "flt.s", "fmv.w.x") FF_X(fle_s, "fle.s", "fmv.w.x")
FF_X(feq_d, "feq.d", "fmv.d.x") FF_X(flt_d, "flt.d", "fmv.d.x") FF_X(fle_d, "fle.d", "fmv.d.x")
F_X(fclass_s, "fclass.s", "fmv.w.x") F_X(fclass_d, "fclass.d", "fmv.d.x")
F_X(fcvt_w_s, "fcvt.w.s", "fmv.w.x") F_X(fcvt_wu_s, "fcvt.wu.s", "fmv.w.x")
F_X(fcvt_l_s, "fcvt.l.s", "fmv.w.x") F_X(fcvt_lu_s, "fcvt.lu.s", "fmv.w.x")
F_X(fcvt_w_d, "fcvt.w.d", "fmv.d.x") F_X(fcvt_wu_d, "fcvt.wu.d", "fmv.d.x")
F_X(fcvt_l_d, "fcvt.l.d", "fmv.d.x") F_X(fcvt_lu_d, "fcvt.lu.d", "fmv.d.x")
X_F(fcvt_s_w, "fcvt.s.w", "fmv.x.w", M32) X_F(fcvt_s_wu, "fcvt.s.wu", "fmv.x.w", M32)
X_F(fcvt_s_l, "fcvt.s.l", "fmv.x.w", M32) X_F(fcvt_s_lu, "fcvt.s.lu", "fmv.x.w", M32)
X_F(fcvt_d_w, "fcvt.d.w", "fmv.x.d", M64) X_F(fcvt_d_wu, "fcvt.d.wu", "fmv.x.d", M64)
X_F(fcvt_d_l, "fcvt.d.l", "fmv.x.d", M64) X_F(fcvt_d_lu, "fcvt.d.lu", "fmv.x.d", M64)

/* ------------------------------------------------------------------ input sets */

static uint64_t f2u(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static uint64_t d2u(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }

/* Special and boundary values. */
static const uint64_t S32[] = {
  0x00000000, 0x80000000,             /* +-0 */
  0x00000001, 0x807fffff,             /* +min subnormal, -max subnormal */
  0x00800000, 0x80800000,             /* +-min normal */
  0x3f800000, 0xbfc00000,             /* 1, -1.5 */
  0x3f7fffff, 0x3f800001,             /* 1-ulp/2, 1+ulp */
  0x33800000, 0x33c00000,             /* 2^-24 (ulp/2 of 1), 1.5 * 2^-24 */
  0x40400000,                         /* 3 */
  0xff7fffff, 0x7f7fffff,             /* -+max */
  0x7f800000, 0xff800000,             /* +-inf */
  0x7fc00000, 0x7f800001, 0xffa00000, /* qNaN, sNaN, -sNaN */
};
#define NS32 (sizeof S32 / sizeof S32[0])
static const uint64_t S64[] = {
  0x0000000000000000, 0x8000000000000000,
  0x0000000000000001, 0x800fffffffffffff,
  0x0010000000000000, 0x8010000000000000,
  0x3ff0000000000000, 0xbff8000000000000,
  0x3fefffffffffffff, 0x3ff0000000000001,
  0x3ca0000000000000, 0x3ca8000000000000, /* 2^-53, 1.5 * 2^-53 */
  0x4008000000000000,
  0xffefffffffffffff, 0x7fefffffffffffff,
  0x7ff0000000000000, 0xfff0000000000000,
  0x7ff8000000000000, 0x7ff0000000000001, 0xfff4000000000000,
};
#define NS64 (sizeof S64 / sizeof S64[0])

/* Small set for the three-operand cross product of the fused ops. */
static const uint64_t T32[] = {
  0x00000000, 0x80000000, 0x00000001, 0x3f800000, 0xbfc00000, 0x3f800001, 0x7f7fffff,
  0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001,
};
static const uint64_t T64[] = {
  0x0000000000000000, 0x8000000000000000, 0x0000000000000001, 0x3ff0000000000000,
  0xbff8000000000000, 0x3ff0000000000001, 0x7fefffffffffffff,
  0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, 0x7ff0000000000001,
};
static const int TALL[] = {0, 1, 2, 3, 4, 6, 7, 9, 10}; /* all but 1+ulp and -inf */
#define NTALL 9
static const int TSMALL[] = {0, 1, 3, 4, 7, 9, 10};     /* +0 -0 1 -1.5 +inf qNaN sNaN */
#define NTSMALL 7

/* Subset of S32/S64 (indices) crossed for the binary arithmetic operations. */
static const int BINIDX[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17, 18};
#define NBIN 18

/* Subset of S32/S64 (indices) crossed for comparisons and min/max. */
static const int CMPIDX[] = {0, 1, 2, 5, 6, 7, 9, 13, 14, 15, 16, 17, 18, 19};
#define NCMP 14

/* ------------------------------------------------------------------ randomness */

static uint64_t rs = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) {
  rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17;
  return rs;
}

/* A random value with an interesting exponent and significand. */
static uint64_t rfloat(int d) {
  const int FRAC = d ? 52 : 23, EMAX = d ? 0x7ff : 0xff, BIAS = d ? 1023 : 127;
  uint64_t sign = rnd() & 1, frac, exp;
  switch (rnd() % 8) {
    case 0: exp = 0; break;                                   /* subnormal */
    case 1: exp = 1 + rnd() % 3; break;                       /* tiny normal */
    case 2: exp = EMAX - 1 - rnd() % 3; break;                /* huge */
    case 3: exp = rnd() % EMAX; break;                        /* anywhere finite */
    default: exp = BIAS - 8 + rnd() % 17; break;              /* near 1 */
  }
  switch (rnd() % 6) {
    case 0: frac = 0; break;
    case 1: frac = (1ull << FRAC) - 1; break;
    case 2: frac = (rnd() % FRAC < 3) ? 1 : (1ull << (rnd() % FRAC)); break;
    case 3: frac = ((1ull << FRAC) - 1) ^ (1ull << (rnd() % FRAC)); break;
    default: frac = rnd() & ((1ull << FRAC) - 1); break;
  }
  if (exp == 0 && frac == 0) frac = rnd() & ((1ull << FRAC) - 1);
  return (sign << (d ? 63 : 31)) | (exp << FRAC) | frac;
}
static int fexp(uint64_t a, int d) { return d ? (int)((a >> 52) & 0x7ff) : (int)((a >> 23) & 0xff); }
static uint64_t fwithexp(uint64_t a, int e, int d) {
  const int FRAC = d ? 52 : 23, EMAX = d ? 0x7ff : 0xff;
  if (e < 1) e = 1;
  if (e > EMAX - 1) e = EMAX - 1;
  return (a & ~((uint64_t)EMAX << FRAC)) | ((uint64_t)e << FRAC);
}

/* A random integer of kind 'w' (32-bit, sign-extended in the register) or 'l'. */
static uint64_t rint_(int wide) {
  int bits = 1 + rnd() % (wide ? 64 : 32);
  uint64_t v = rnd();
  if (bits < 64) v &= (1ull << bits) - 1;
  if (rnd() % 4 == 0) v |= (1ull << (bits - 1)) | 1; /* needs rounding */
  if (rnd() & 1) v = -v;
  return wide ? v : (uint64_t)(int64_t)(int32_t)v;
}

/* ------------------------------------------------------------------ output */

static int nrandom = 18;
static long ncases = 0;

/* kinds: s = binary32 (8 hex), d = binary64 (16), w = 32-bit int (8), l = 64-bit int (16),
   x = integer register result (16) */
static void hex(char kind, uint64_t v) {
  if (kind == 's' || kind == 'w') printf("\"%08llx\"", (unsigned long long)(v & 0xffffffffu));
  else printf("\"%016llx\"", (unsigned long long)v);
}

typedef struct {
  const char *name;
  opfn fn;
  int nin;
  char kin, kout;
  int rmdep; /* depends on the rounding mode */
} op_t;

static int is_zero(char kind, uint64_t v) {
  return kind == 's' ? (v & 0x7fffffff) == 0 : kind == 'd' ? (v & ~(1ull << 63)) == 0 : v == 0;
}

/* One case per rounding mode (one only for operations that ignore it). With adaptive set,
   a result that is exact and nonzero in RNE (hence the same in every mode) is listed once. */
static int rne_only = 0; /* the fast-path boundary cases: round to nearest-even only */

static void emit_(const op_t *op, uint64_t a, uint64_t b, uint64_t c, int adaptive) {
  int rm, nrm = op->rmdep && !rne_only ? 5 : 1;
  for (rm = 0; rm < nrm; rm++) {
    uint64_t fl = 0, r = op->fn(a, b, c, (uint64_t)rm, &fl);
    if (rm == 0 && adaptive && !(fl & 1) && !is_zero(op->kout, r)) nrm = 1;
    printf("{\"op\":\"%s\",\"in\":[", op->name);
    hex(op->kin, a);
    if (op->nin > 1) { putchar(','); hex(op->kin, b); }
    if (op->nin > 2) { putchar(','); hex(op->kin, c); }
    printf("],\"rm\":%d,\"res\":", rm);
    hex(op->kout, r);
    printf(",\"fl\":%u}\n", (unsigned)fl);
    ncases++;
  }
}
static void emit(const op_t *op, uint64_t a, uint64_t b, uint64_t c) { emit_(op, a, b, c, 0); }
static void emit_special(const op_t *op, uint64_t a, uint64_t b, uint64_t c) { emit_(op, a, b, c, 1); }

/* ------------------------------------------------------------------ generators */

static void gen_binary(const op_t *op, int d) {
  const uint64_t *S = d ? S64 : S32;
  int i, j, k;
  for (i = 0; i < NBIN; i++)
    for (j = 0; j < NBIN; j++) emit_special(op, S[BINIDX[i]], S[BINIDX[j]], 0);
  for (k = 0; k < nrandom; k++) {
    uint64_t a = rfloat(d), b = rfloat(d);
    /* operands of similar magnitude exercise cancellation and tiny results */
    if (k % 3 == 0) b = fwithexp(b, fexp(a, d) + (int)(rnd() % 5) - 2, d);
    /* b = +-a nudged by a few ulps: cancellation in add/sub, quotients near 1 */
    if (k % 6 == 1) b = (a ^ ((rnd() & 1) << (d ? 63 : 31))) + (rnd() % 9) - 4;
    emit(op, a, b, 0);
  }
}

static void gen_compare(const op_t *op, int d) {
  const uint64_t *S = d ? S64 : S32;
  int i, j, k;
  for (i = 0; i < NCMP; i++)
    for (j = 0; j < NCMP; j++) emit(op, S[CMPIDX[i]], S[CMPIDX[j]], 0);
  for (k = 0; k < nrandom; k++) {
    uint64_t a = rfloat(d), b = rnd() % 4 == 0 ? a ^ 1 : rfloat(d);
    emit(op, a, b, 0);
  }
}

static void gen_fused(const op_t *op, int d) {
  const uint64_t *T = d ? T64 : T32;
  const int BIAS = d ? 1023 : 127;
  /* fmadd gets the full cross product; the sign-flipping variants a smaller one */
  const int *idx = op->fn == fmadd_s || op->fn == fmadd_d ? TALL : TSMALL;
  int nidx = op->fn == fmadd_s || op->fn == fmadd_d ? NTALL : NTSMALL;
  int i, j, k;
  for (i = 0; i < nidx; i++)
    for (j = 0; j < nidx; j++)
      for (k = 0; k < nidx; k++) emit_special(op, T[idx[i]], T[idx[j]], T[idx[k]]);
  /* products that nearly cancel against the addend */
  for (k = 0; k < 2 * nrandom; k++) {
    uint64_t a = rfloat(d), b = rfloat(d), c = rfloat(d);
    if (k % 2 == 0) {
      int e = fexp(a, d) + fexp(b, d) - BIAS + (int)(rnd() % 5) - 2;
      c = fwithexp(c, e, d);
      if (k % 4 == 0) { /* c = +-(a*b rounded), nudged: massive cancellation */
        if (d) {
          double x, y, z;
          memcpy(&x, &a, 8); memcpy(&y, &b, 8);
          z = x * y;
          memcpy(&c, &z, 8);
        } else {
          float x, y, z;
          uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b, c32;
          memcpy(&x, &a32, 4); memcpy(&y, &b32, 4);
          z = x * y;
          memcpy(&c32, &z, 4);
          c = c32;
        }
        c ^= (rnd() & 1) << (d ? 63 : 31);
        if (k % 8 == 4) c += (rnd() % 5) - 2;
      }
    }
    emit(op, a, b, c);
  }
}

static void gen_unary_float(const op_t *op, int d) {
  const uint64_t *S = d ? S64 : S32;
  size_t n = d ? NS64 : NS32, i;
  int k;
  int is_sqrt = op->fn == fsqrt_s || op->fn == fsqrt_d;
  for (i = 0; i < n; i++) emit_special(op, S[i], 0, 0);
  for (k = 0; k < 2 * nrandom; k++) {
    uint64_t a = rfloat(d);
    if (is_sqrt && k % 4 != 0) a &= d ? ~(1ull << 63) : ~(1ull << 31);
    /* narrowing: exponents around the binary32 subnormal and overflow thresholds */
    if (op->fn == fcvt_s_d && k % 2 == 0)
      a = fwithexp(a, k % 4 == 0 ? 1023 - 155 + (int)(rnd() % 32) : 1023 + 120 + (int)(rnd() % 12), d);
    emit(op, a, 0, 0);
  }
}

/* float -> integer: values around every integer-format limit */
static void gen_to_int(const op_t *op, int d) {
  static const double vals[] = {
    0.0, -0.0, 0.3, -0.3, 0.5, -0.5, 0.7, -0.7, 1.0, -1.0, 1.5, -1.5, 2.5, -2.5, 3.5,
    -0.999999, 123456.5, -123456.5,
    2147483647.0, 2147483647.5, 2147483648.0, 2147483648.5, 2147483646.5,
    -2147483648.0, -2147483648.5, -2147483649.0, -2147483647.5, -2147483648.25,
    4294967295.0, 4294967295.5, 4294967296.0, 4294967294.5,
    9223372036854775807.0, 9223372036854775808.0, -9223372036854775808.0,
    9223372036854774784.0, -9223372036854777856.0,
    18446744073709551616.0, 18446744073709549568.0, 1e30, -1e30,
  };
  size_t i, nv = sizeof vals / sizeof vals[0];
  int k;
  for (i = 0; i < nv; i++) {
    uint64_t a = d ? d2u(vals[i]) : f2u((float)vals[i]);
    emit(op, a, 0, 0);
  }
  if (!d) {
    /* the binary32 neighbours of the limits */
    static const uint32_t more[] = {
      0x4effffff, 0x4f000001, 0xceffffff, 0xcf000001, 0x4f7fffff, 0x4f800001,
      0x5effffff, 0x5f000001, 0xdeffffff, 0xdf000001, 0x5f7fffff, 0x5f800001,
    };
    for (i = 0; i < sizeof more / sizeof more[0]; i++) emit(op, more[i], 0, 0);
  } else {
    static const uint64_t more[] = {
      0x43dfffffffffffff, 0x43e0000000000001, 0xc3dfffffffffffff, 0xc3e0000000000001,
      0x43efffffffffffff, 0x43f0000000000001, 0x41dfffffffffffff, 0xc1e0000000000001,
    };
    for (i = 0; i < sizeof more / sizeof more[0]; i++) emit(op, more[i], 0, 0);
  }
  {
    const uint64_t *S = d ? S64 : S32;
    size_t n = d ? NS64 : NS32;
    for (i = 0; i < n; i++) emit_special(op, S[i], 0, 0);
  }
  for (k = 0; k < nrandom; k++) {
    uint64_t a = rfloat(d);
    /* magnitudes from 2^-2 to 2^65 */
    if (k % 2 == 0) a = fwithexp(a, (d ? 1023 : 127) - 2 + (int)(rnd() % 68), d);
    emit(op, a, 0, 0);
  }
}

/* integer -> float */
static void gen_from_int(const op_t *op, int wide) {
  static const uint64_t vals[] = {
    0, 1, 2, 3, 0xffffffffffffffffull /* -1 */, 0xfffffffffffffffdull /* -3 */,
    16777216, 16777217, 16777219, 16777218, 33554435, 0xfffffffffeffffffull /* -(2^24+1) */,
    0x7fffffff, 0xffffffff80000000ull /* INT32_MIN */, 0x7fffffc0, 0x7fffffbf,
    0xffffffff80000001ull, 0x000000007fffff80ull,
  };
  static const uint64_t wvals[] = {
    0xffffffff, 0x80000000, 0x100000000ull, 0x20000000000001ull, 0x20000000000003ull,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0x8000000000000001ull,
    0xfffffffffffffc00ull, 0xfffffffffffff400ull, 0x7ffffffffffffe00ull, 0x7ffffffffffffdffull,
    0xffffff7fffffffffull, 0xffe0000000000001ull,
  };
  size_t i;
  int k;
  for (i = 0; i < sizeof vals / sizeof vals[0]; i++) emit(op, vals[i], 0, 0);
  for (i = 0; i < sizeof wvals / sizeof wvals[0]; i++)
    emit(op, wide ? wvals[i] : (uint64_t)(int64_t)(int32_t)wvals[i], 0, 0);
  for (k = 0; k < nrandom; k++) emit(op, rint_(wide), 0, 0);
}

static void gen_classify(const op_t *op, int d) {
  const uint64_t *S = d ? S64 : S32;
  size_t n = d ? NS64 : NS32, i;
  for (i = 0; i < n; i++) emit(op, S[i], 0, 0);
  emit(op, d ? 0xfff8000000000000ull : 0xffc00000, 0, 0); /* -qNaN */
  emit(op, d ? 0x7fffffffffffffffull : 0x7fffffff, 0, 0);
  emit(op, d ? 0xffffffffffffffffull : 0xffffffff, 0, 0);
}

/* ------------------------------------------------------------------ fast-path boundaries */

/* Round-to-nearest-even cases where hartvm's fast paths (exact results from the host's
   binary64 arithmetic) must hand over to the softfloat or decide inexactness exactly:
   results at the normal/subnormal boundary, at the overflow threshold and at powers of two,
   exact/inexact boundaries (products, quotients and roots with just enough bits), ties and
   near ties, the operand gates of the fused fast path, and fused binary32 sums that binary64
   rounds onto a binary32 midpoint. Operands are derived from a target result in the
   format's own arithmetic, then nudged by a few ulps. */

static int is_op(const op_t *op, opfn a, opfn b) { return op->fn == a || op->fn == b; }
static double u2d(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
static float u2f(uint64_t u) { float f; uint32_t v = (uint32_t)u; memcpy(&f, &v, 4); return f; }
/* v as a double (binary32 values widened exactly), and back to the format's bits */
static double val(uint64_t v, int d) { return d ? u2d(v) : (double)u2f(v); }
static uint64_t bits_of(double x, int d) { return d ? d2u(x) : f2u((float)x); }
static uint64_t sign_bit(int d) { return d ? 1ull << 63 : 1ull << 31; }
static uint64_t mkf(int d, int exp, uint64_t frac) { return ((uint64_t)exp << (d ? 52 : 23)) | frac; }
static uint64_t rfrac(int d) { return rnd() & (d ? 0xfffffffffffffull : 0x7fffffull); }
/* a few ulps either way (the caller keeps the result finite and of the same sign) */
static uint64_t nudge(uint64_t v) { int k = (int)(rnd() % 7) - 3; return v + (uint64_t)(int64_t)k; }
/* an odd number of exactly n bits (n >= 1) */
static uint64_t odd_bits(int n) { return n == 1 ? 1 : (1ull << (n - 1)) | (rnd() & ((1ull << (n - 1)) - 1)) | 1; }
/* a value x: odd significand of n bits, scaled to an exponent near e (biased) */
static uint64_t with_bits(int d, int n, int e) {
  const int FRAC = d ? 52 : 23;
  uint64_t m = odd_bits(n) << (FRAC + 1 - n); /* leading one at bit FRAC */
  return mkf(d, e, m & ((1ull << FRAC) - 1));
}

/* A target result near a boundary. */
static uint64_t target(int d, int k) {
  const int FRAC = d ? 52 : 23, EMAX = d ? 0x7ff : 0xff, BIAS = d ? 1023 : 127;
  uint64_t t;
  switch (k % 6) {
    case 0: t = mkf(d, 1, 0) + (uint64_t)((int64_t)(rnd() % 7) - 3); break; /* smallest normal, top subnormals */
    case 1: t = mkf(d, EMAX - 1, (1ull << FRAC) - 1) - rnd() % 4; break;   /* largest finite */
    case 2: t = mkf(d, 3 + (int)(rnd() % (EMAX - 6)), 0); break;          /* a power of two */
    case 3: t = mkf(d, d ? 52 + (int)(rnd() % 4) : 1 + (int)(rnd() % 3), rfrac(d)); break; /* where half an ulp turns subnormal */
    case 4: t = mkf(d, BIAS - 4 + (int)(rnd() % 9), rfrac(d)); break;
    default: t = mkf(d, 1 + (int)(rnd() % (EMAX - 2)), rfrac(d)); break;
  }
  return t | ((rnd() & 1) ? sign_bit(d) : 0);
}

static void gen_edge_binary(const op_t *op, int d) {
  const int BIAS = d ? 1023 : 127, FRAC = d ? 52 : 23, EMAX = d ? 0x7ff : 0xff;
  int k;
  for (k = 0; k < 8 * nrandom; k++) {
    uint64_t t = target(d, k), a, b;
    int te = fexp(t, d) ? fexp(t, d) : 1;
    double tv = val(t, d);
    if (is_op(op, fadd_d, fadd_s) || is_op(op, fsub_d, fsub_s)) {
      int sub = is_op(op, fsub_d, fsub_s);
      a = fwithexp(rfloat(d), te + (int)(rnd() % 7) - 3, d);
      if (k % 5 == 4) { /* a tie or near tie: half an ulp of a, a little more or less */
        b = mkf(d, fexp(a, d) > FRAC + 1 ? fexp(a, d) - FRAC - 1 : 1, 0);
        if (rnd() & 1) b = nudge(b);
        if (rnd() & 1) b |= sign_bit(d);
        if (sub) b ^= sign_bit(d);
      } else {
        double av = val(a, d);
        b = bits_of(sub ? av - tv : tv - av, d);
        if (rnd() & 1) b = nudge(b);
      }
    } else if (is_op(op, fmul_d, fmul_s)) {
      if (k % 4 == 3) { /* products with just enough significant bits */
        int n = 1 + (int)(rnd() % FRAC), m = FRAC + 1 - n + (int)(rnd() % 3);
        if (m < 1) m = 1;
        if (m > FRAC + 1) m = FRAC + 1;
        a = with_bits(d, n, BIAS + (int)(rnd() % 9) - 4);
        b = with_bits(d, m, BIAS + (int)(rnd() % 9) - 4);
      } else {
        a = fwithexp(rfloat(d), te / 2 + BIAS / 2 + (int)(rnd() % 5) - 2, d);
        b = bits_of(tv / val(a, d), d);
        if (rnd() & 1) b = nudge(b);
      }
    } else if (is_op(op, fdiv_d, fdiv_s)) {
      if (k % 4 == 3) { /* exact quotients, and their neighbours */
        int n = 1 + (int)(rnd() % (FRAC / 2)), m = 1 + (int)(rnd() % (FRAC / 2));
        uint64_t q = with_bits(d, n, BIAS + (int)(rnd() % 9) - 4);
        b = with_bits(d, m, BIAS + (int)(rnd() % 9) - 4);
        a = bits_of(val(q, d) * val(b, d), d);  /* exact: n + m bits */
        if (rnd() & 1) a = nudge(a);
      } else {
        b = fwithexp(rfloat(d), BIAS + (int)(rnd() % 9) - 4, d);
        a = bits_of(tv * val(b, d), d);
        if (rnd() & 1) a = nudge(a);
      }
    } else { /* sqrt: perfect squares and their neighbours, and tiny, huge and random operands */
      if (k % 2 == 0) {
        uint64_t q = with_bits(d, 1 + (int)(rnd() % ((FRAC + 1) / 2)), BIAS / 2 + 1 + (int)(rnd() % BIAS));
        a = bits_of(val(q, d) * val(q, d), d);
        if (rnd() & 1) a = nudge(a);
      } else {
        a = k % 3 == 0 ? mkf(d, 0, rfrac(d) | 1) : fwithexp(rfloat(d), 1 + (int)(rnd() % (EMAX - 2)), d);
        a &= ~sign_bit(d);
      }
      b = 0;
    }
    if (fexp(a, d) == EMAX) a = t; /* keep operands finite */
    if (fexp(b, d) == EMAX) b = t;
    emit(op, a, b, 0);
  }
}

static void gen_edge_fused(const op_t *op, int d) {
  const int BIAS = d ? 1023 : 127, FRAC = d ? 52 : 23, EMAX = d ? 0x7ff : 0xff;
  /* the product's sign as the instruction computes it, and the addend's */
  const int negp = is_op(op, fnmsub_d, fnmsub_s) || is_op(op, fnmadd_d, fnmadd_s);
  const int negc = is_op(op, fmsub_d, fmsub_s) || is_op(op, fnmadd_d, fnmadd_s);
  int k;
  for (k = 0; k < 8 * nrandom; k++) {
    uint64_t a, b, c, t = target(d, k);
    int te = fexp(t, d) ? fexp(t, d) : 1;
    switch (k % 7) {
      case 0: case 1: { /* c = t - a*b as the format rounds it: the fused result lands near t */
        volatile double p;
        a = fwithexp(rfloat(d), te / 2 + BIAS / 2 + (int)(rnd() % 9) - 4, d);
        b = fwithexp(rfloat(d), te - fexp(a, d) + BIAS + (int)(rnd() % 5) - 2, d);
        p = val(a, d) * val(b, d);
        c = bits_of(val(t, d) - p, d);
        if (rnd() & 1) c = nudge(c);
        break;
      }
      case 2: { /* c plus half its ulp, a little more or less: ties and near ties */
        int h;
        c = fwithexp(rfloat(d), 2 + FRAC + (int)(rnd() % (EMAX - 4 - FRAC)), d);
        h = fexp(c, d) - FRAC - 1;
        a = mkf(d, h, (rnd() % 3 == 0) ? rfrac(d) : (rnd() % 5));
        b = (rnd() & 1) ? mkf(d, BIAS, 0) : nudge(mkf(d, BIAS, 0) + 3);
        if (rnd() & 1) a |= sign_bit(d);
        break;
      }
      case 3: { /* a power of two minus a fraction of the ulp below it */
        int e = 5 + FRAC + (int)(rnd() % (EMAX - 7 - FRAC));
        c = mkf(d, e, 0) | ((rnd() & 1) ? sign_bit(d) : 0);
        if (rnd() & 1) {
          a = mkf(d, e - FRAC - 2 - (int)(rnd() % 3), rfrac(d) >> (rnd() % FRAC));
          b = mkf(d, BIAS, rnd() % 3);
        } else { /* a*b = (1 + eta) half the ulp below c, |eta| < 2^-p: only the product's low part breaks the tie */
          a = mkf(d, BIAS, rfrac(d));
          b = bits_of(1 / val(a, d), d);
          b = fwithexp(b, fexp(b, d) + e - FRAC - 2 - BIAS, d);
        }
        a |= ~c & sign_bit(d); /* the product against the addend */
        break;
      }
      case 4: { /* the fused fast path's gates: product exponents near -900 and 960, addends near 2^991 */
        int es = (rnd() & 1) ? -900 + (int)(rnd() % 7) - 3 : 960 + (int)(rnd() % 7) - 3;
        if (!d) es = (rnd() & 1) ? -140 + (int)(rnd() % 20) : 120 + (int)(rnd() % 16);
        a = fwithexp(rfloat(d), BIAS + es / 2, d);
        b = fwithexp(rfloat(d), BIAS + es - es / 2, d);
        c = (rnd() & 1) ? fwithexp(rfloat(d), EMAX - 36 + (int)(rnd() % 6), d) : rfloat(d);
        break;
      }
      case 5: { /* products with just enough bits against a zero, tiny or equal addend */
        int n = 1 + (int)(rnd() % FRAC), m = FRAC + 1 - n + (int)(rnd() % 3);
        if (m > FRAC + 1) m = FRAC + 1;
        a = with_bits(d, n, BIAS + (int)(rnd() % 9) - 4);
        b = with_bits(d, m, BIAS + (int)(rnd() % 9) - 4);
        c = rnd() % 3 == 0 ? (rnd() & 1) * sign_bit(d) : rnd() % 2 ? mkf(d, 0, rfrac(d)) : a;
        break;
      }
      default: { /* binary32: an inexact binary64 sum that rounds onto a binary32 midpoint;
                    binary64: random operands with a near-cancelling addend */
        if (!d) {
          int i = 1 + (int)(rnd() % 3), j = (rnd() % 4 == 0) ? i + 1 : i;
          c = fwithexp(rfloat(0), 30 + (int)(rnd() % 180), 0);
          a = mkf(0, 127, (uint64_t)i);                                  /* 1 + i 2^-23 */
          b = mkf(0, fexp(c, 0) - 25, (1ull << 23) - 2 * (uint64_t)j);   /* half c's ulp times 1 - j 2^-23 */
          if (rnd() & 1) a |= sign_bit(0);
        } else {
          volatile double p;
          a = rfloat(1);
          b = rfloat(1);
          p = u2d(a) * u2d(b);
          c = d2u(-p);
          if (rnd() & 1) c = nudge(c);
        }
        break;
      }
    }
    if (negp) a ^= sign_bit(d); /* the instruction negates the product (or the addend) itself */
    if (negc) c ^= sign_bit(d);
    if (fexp(a, d) == EMAX) a = t;
    if (fexp(b, d) == EMAX) b = t;
    if (fexp(c, d) == EMAX) c = t;
    emit(op, a, b, c);
  }
}

static void gen_edge(const op_t *op, int d) {
  if (op->nin == 3) gen_edge_fused(op, d);
  else gen_edge_binary(op, d);
}

/* ------------------------------------------------------------------ main */

enum { G_BIN, G_CMP, G_FUSED, G_UNARY, G_TOINT, G_FROMINT, G_CLASS };
typedef struct { op_t op; int gen; int d; } entry_t;

static const entry_t ops[] = {
  {{"fadd.s", fadd_s, 2, 's', 's', 1}, G_BIN, 0},
  {{"fsub.s", fsub_s, 2, 's', 's', 1}, G_BIN, 0},
  {{"fmul.s", fmul_s, 2, 's', 's', 1}, G_BIN, 0},
  {{"fdiv.s", fdiv_s, 2, 's', 's', 1}, G_BIN, 0},
  {{"fsqrt.s", fsqrt_s, 1, 's', 's', 1}, G_UNARY, 0},
  {{"fmadd.s", fmadd_s, 3, 's', 's', 1}, G_FUSED, 0},
  {{"fmsub.s", fmsub_s, 3, 's', 's', 1}, G_FUSED, 0},
  {{"fnmsub.s", fnmsub_s, 3, 's', 's', 1}, G_FUSED, 0},
  {{"fnmadd.s", fnmadd_s, 3, 's', 's', 1}, G_FUSED, 0},
  {{"fmin.s", fmin_s, 2, 's', 's', 0}, G_CMP, 0},
  {{"fmax.s", fmax_s, 2, 's', 's', 0}, G_CMP, 0},
  {{"feq.s", feq_s, 2, 's', 'x', 0}, G_CMP, 0},
  {{"flt.s", flt_s, 2, 's', 'x', 0}, G_CMP, 0},
  {{"fle.s", fle_s, 2, 's', 'x', 0}, G_CMP, 0},
  {{"fclass.s", fclass_s, 1, 's', 'x', 0}, G_CLASS, 0},
  {{"fcvt.w.s", fcvt_w_s, 1, 's', 'x', 1}, G_TOINT, 0},
  {{"fcvt.wu.s", fcvt_wu_s, 1, 's', 'x', 1}, G_TOINT, 0},
  {{"fcvt.l.s", fcvt_l_s, 1, 's', 'x', 1}, G_TOINT, 0},
  {{"fcvt.lu.s", fcvt_lu_s, 1, 's', 'x', 1}, G_TOINT, 0},
  {{"fcvt.s.w", fcvt_s_w, 1, 'w', 's', 1}, G_FROMINT, 0},
  {{"fcvt.s.wu", fcvt_s_wu, 1, 'w', 's', 1}, G_FROMINT, 0},
  {{"fcvt.s.l", fcvt_s_l, 1, 'l', 's', 1}, G_FROMINT, 1},
  {{"fcvt.s.lu", fcvt_s_lu, 1, 'l', 's', 1}, G_FROMINT, 1},
  {{"fcvt.d.s", fcvt_d_s, 1, 's', 'd', 0}, G_UNARY, 0},
  {{"fadd.d", fadd_d, 2, 'd', 'd', 1}, G_BIN, 1},
  {{"fsub.d", fsub_d, 2, 'd', 'd', 1}, G_BIN, 1},
  {{"fmul.d", fmul_d, 2, 'd', 'd', 1}, G_BIN, 1},
  {{"fdiv.d", fdiv_d, 2, 'd', 'd', 1}, G_BIN, 1},
  {{"fsqrt.d", fsqrt_d, 1, 'd', 'd', 1}, G_UNARY, 1},
  {{"fmadd.d", fmadd_d, 3, 'd', 'd', 1}, G_FUSED, 1},
  {{"fmsub.d", fmsub_d, 3, 'd', 'd', 1}, G_FUSED, 1},
  {{"fnmsub.d", fnmsub_d, 3, 'd', 'd', 1}, G_FUSED, 1},
  {{"fnmadd.d", fnmadd_d, 3, 'd', 'd', 1}, G_FUSED, 1},
  {{"fmin.d", fmin_d, 2, 'd', 'd', 0}, G_CMP, 1},
  {{"fmax.d", fmax_d, 2, 'd', 'd', 0}, G_CMP, 1},
  {{"feq.d", feq_d, 2, 'd', 'x', 0}, G_CMP, 1},
  {{"flt.d", flt_d, 2, 'd', 'x', 0}, G_CMP, 1},
  {{"fle.d", fle_d, 2, 'd', 'x', 0}, G_CMP, 1},
  {{"fclass.d", fclass_d, 1, 'd', 'x', 0}, G_CLASS, 1},
  {{"fcvt.w.d", fcvt_w_d, 1, 'd', 'x', 1}, G_TOINT, 1},
  {{"fcvt.wu.d", fcvt_wu_d, 1, 'd', 'x', 1}, G_TOINT, 1},
  {{"fcvt.l.d", fcvt_l_d, 1, 'd', 'x', 1}, G_TOINT, 1},
  {{"fcvt.lu.d", fcvt_lu_d, 1, 'd', 'x', 1}, G_TOINT, 1},
  {{"fcvt.d.w", fcvt_d_w, 1, 'w', 'd', 1}, G_FROMINT, 0},
  {{"fcvt.d.wu", fcvt_d_wu, 1, 'w', 'd', 1}, G_FROMINT, 0},
  {{"fcvt.d.l", fcvt_d_l, 1, 'l', 'd', 1}, G_FROMINT, 1},
  {{"fcvt.d.lu", fcvt_d_lu, 1, 'l', 'd', 1}, G_FROMINT, 1},
  {{"fcvt.s.d", fcvt_s_d, 1, 'd', 's', 1}, G_UNARY, 1},
};

int main(int argc, char **argv) {
  size_t i;
  const char *only = getenv("GEN_ONLY"); /* debugging: restrict to one op name */
  if (argc > 1) nrandom = atoi(argv[1]);
  if (argc > 2) rs = strtoull(argv[2], 0, 0) | 1;
  for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    const entry_t *e = &ops[i];
    if (only && strcmp(only, e->op.name) != 0) continue;
    switch (e->gen) {
      case G_BIN: gen_binary(&e->op, e->d); break;
      case G_CMP: gen_compare(&e->op, e->d); break;
      case G_FUSED: gen_fused(&e->op, e->d); break;
      case G_UNARY: gen_unary_float(&e->op, e->d); break;
      case G_TOINT: gen_to_int(&e->op, e->d); break;
      case G_FROMINT: gen_from_int(&e->op, e->d); break;
      case G_CLASS: gen_classify(&e->op, e->d); break;
    }
  }
  /* after every other case, so that the random sequence above stays the same */
  rne_only = 1;
  for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    const entry_t *e = &ops[i];
    if (only && strcmp(only, e->op.name) != 0) continue;
    if (e->gen == G_BIN || e->gen == G_FUSED || e->op.fn == fsqrt_s || e->op.fn == fsqrt_d) gen_edge(&e->op, e->d);
  }
  fprintf(stderr, "gen-vectors: %ld cases\n", ncases);
  return 0;
}
