/* rv64f: the F extension on RV64: arithmetic with exact/inexact results and
   every exception flag, fused multiply-add (single rounding, inf*0+qNaN is
   invalid), min/max/compare with NaNs and signed zeros, sign injection,
   fcvt to/from 32/64-bit integers (saturation, NaN, sign-extension of .w/.wu
   results, every rounding mode), fmv.x.w sign extension, NaN boxing (an
   improperly boxed input reads as the canonical NaN; transfers ignore the
   box), fclass, fflags accumulation, frm dynamic rounding and invalid
   rounding modes, mstatus.FS (Off makes FP instructions and fcsr illegal,
   FP writes set Dirty) and SD. */
#include "common.h"

#define QNAN_S 0x7fc00000
#define SNAN_S 0x7f800001
#define INF_S  0x7f800000
#define NINF_S 0xff800000
#define ONE_S  0x3f800000
#define TWO_S  0x40000000
#define THREE_S 0x40400000
#define NONE_S 0xbf800000

#define NV 0x10
#define DZ 0x08
#define OF 0x04
#define UF 0x02
#define NX 0x01

/* binary op: fd = op(a, b) under frm, checks bits and fflags */
.macro FOP2 n, op, res, a, b, flags
  CASE \n
  LOAD_FREG_S f1, \a
  LOAD_FREG_S f2, \b
  csrwi fflags, 0
  \op f3, f1, f2
  CHECK_FREG_S f3, \res
  csrr t5, fflags
  CHECK t5, \flags
.endm

/* unary op */
.macro FOP1 n, op, res, a, flags
  CASE \n
  LOAD_FREG_S f1, \a
  csrwi fflags, 0
  \op f3, f1
  CHECK_FREG_S f3, \res
  csrr t5, fflags
  CHECK t5, \flags
.endm

/* fused: fd = op(a, b, c) */
.macro FOP3 n, op, res, a, b, c, flags
  CASE \n
  LOAD_FREG_S f1, \a
  LOAD_FREG_S f2, \b
  LOAD_FREG_S f4, \c
  csrwi fflags, 0
  \op f3, f1, f2, f4
  CHECK_FREG_S f3, \res
  csrr t5, fflags
  CHECK t5, \flags
.endm

/* compare: integer result */
.macro FCMP n, op, res, a, b, flags
  CASE \n
  LOAD_FREG_S f1, \a
  LOAD_FREG_S f2, \b
  csrwi fflags, 0
  \op a0, f1, f2
  CHECK a0, \res
  csrr t5, fflags
  CHECK t5, \flags
.endm

/* float -> int conversion with rounding mode rm */
.macro FCVT_I n, op, res, a, rm, flags
  CASE \n
  LOAD_FREG_S f1, \a
  csrwi fflags, 0
  \op a0, f1, \rm
  CHECK a0, \res
  csrr t5, fflags
  CHECK t5, \flags
.endm

/* int -> float conversion */
.macro FCVT_F n, op, res, a, flags
  CASE \n
  li a1, \a
  csrwi fflags, 0
  \op f3, a1
  CHECK_FREG_S f3, \res
  csrr t5, fflags
  CHECK t5, \flags
.endm

.macro FCLASS n, a, res
  CASE \n
  LOAD_FREG_S f1, \a
  fclass.s a0, f1
  CHECK a0, \res
.endm

TEST_BEGIN
  csrwi fcsr, 0

  /* ---- arithmetic ---- */
  FOP2  1, fadd.s, THREE_S, ONE_S, TWO_S, 0
  FOP2  2, fsub.s, NONE_S, ONE_S, TWO_S, 0
  FOP2  3, fmul.s, 0x40a00000, TWO_S, 0x40200000, 0            /* 2 * 2.5 = 5 */
  FOP2  4, fdiv.s, 0x3eaaaaab, ONE_S, THREE_S, NX              /* 1/3 */
  FOP1  5, fsqrt.s, TWO_S, 0x40800000, 0                       /* sqrt 4 */
  FOP1  6, fsqrt.s, QNAN_S, NONE_S, NV                         /* sqrt -1 */
  FOP2  7, fdiv.s, INF_S, ONE_S, 0, DZ                         /* 1/0 */
  FOP2  8, fdiv.s, NINF_S, NONE_S, 0, DZ                       /* -1/+0 */
  FOP2  9, fmul.s, INF_S, 0x7f7fffff, TWO_S, OF | NX           /* overflow */
  FOP2 10, fmul.s, 0x00400000, 0x00800001, 0x3f000000, UF | NX /* tiny and inexact */
  FOP2 11, fmul.s, 0x00400000, 0x00800000, 0x3f000000, 0       /* exact subnormal: no UF */
  FOP2 12, fadd.s, QNAN_S, INF_S, NINF_S, NV                   /* inf - inf */
  FOP2 13, fadd.s, QNAN_S, 0x7fc12345, ONE_S, 0                /* qNaN in: canonical NaN out */
  FOP2 14, fadd.s, QNAN_S, SNAN_S, ONE_S, NV                   /* sNaN in: NV */
  FOP2 15, fmul.s, QNAN_S, INF_S, 0, NV                        /* inf * 0 */
  FOP2 16, fdiv.s, QNAN_S, 0, 0, NV                            /* 0 / 0 */
  FOP2 17, fadd.s, 0x80000000, 0x80000000, 0x80000000, 0       /* -0 + -0 = -0 */
  FOP2 18, fadd.s, 0x00000000, 0x00000000, 0x80000000, 0       /* +0 + -0 = +0 (RNE) */
  FOP2 19, fsub.s, 0x00000000, THREE_S, THREE_S, 0             /* x - x = +0 (RNE) */
  FOP2 20, fadd.s, ONE_S, ONE_S, 0x33800000, NX                /* 1 + 2^-24: tie to even */
  FOP2 21, fdiv.s, 0x3f000000, ONE_S, TWO_S, 0

  /* ---- min / max ---- */
  FOP2 22, fmin.s, ONE_S, ONE_S, TWO_S, 0
  FOP2 23, fmax.s, TWO_S, ONE_S, TWO_S, 0
  FOP2 24, fmin.s, 0x80000000, 0x00000000, 0x80000000, 0       /* min(+0, -0) = -0 */
  FOP2 25, fmax.s, 0x00000000, 0x80000000, 0x00000000, 0       /* max(-0, +0) = +0 */
  FOP2 26, fmin.s, ONE_S, QNAN_S, ONE_S, 0                     /* one NaN: the number */
  FOP2 27, fmax.s, ONE_S, ONE_S, 0x7fc00001, 0
  FOP2 28, fmin.s, ONE_S, SNAN_S, ONE_S, NV                    /* sNaN: number and NV */
  FOP2 29, fmax.s, QNAN_S, 0x7fc12345, 0xffc00000, 0           /* both NaN: canonical */
  FOP2 30, fmin.s, QNAN_S, SNAN_S, SNAN_S, NV
  FOP2 31, fmin.s, NINF_S, NINF_S, 0x7f7fffff, 0

  /* ---- compare ---- */
  FCMP 32, feq.s, 1, ONE_S, ONE_S, 0
  FCMP 33, feq.s, 0, QNAN_S, QNAN_S, 0                         /* quiet compare */
  FCMP 34, feq.s, 0, SNAN_S, ONE_S, NV
  FCMP 35, feq.s, 1, 0x80000000, 0x00000000, 0                 /* -0 == +0 */
  FCMP 36, flt.s, 1, ONE_S, TWO_S, 0
  FCMP 37, flt.s, 0, TWO_S, ONE_S, 0
  FCMP 38, flt.s, 0, QNAN_S, ONE_S, NV                         /* signaling compare */
  FCMP 39, flt.s, 0, 0x80000000, 0x00000000, 0
  FCMP 40, fle.s, 1, TWO_S, TWO_S, 0
  FCMP 41, fle.s, 1, 0x80000000, 0x00000000, 0
  FCMP 42, fle.s, 0, ONE_S, QNAN_S, NV
  FCMP 43, flt.s, 1, NINF_S, 0xff7fffff, 0

  /* ---- sign injection ---- */
  FOP2 44, fsgnj.s, NONE_S, ONE_S, 0xc0000000, 0
  FOP2 45, fsgnj.s, ONE_S, NONE_S, TWO_S, 0
  FOP2 46, fsgnjn.s, ONE_S, ONE_S, 0xc0000000, 0
  FOP2 47, fsgnjn.s, NONE_S, ONE_S, TWO_S, 0
  FOP2 48, fsgnjx.s, ONE_S, NONE_S, 0xc0000000, 0
  FOP2 49, fsgnjx.s, NONE_S, NONE_S, TWO_S, 0
  FOP2 50, fsgnj.s, 0xffc00001, 0x7fc00001, NONE_S, 0          /* NaN payload kept, no flags */
  FOP1 51, fneg.s, 0xff800001, SNAN_S, 0                       /* no NV for sign ops */
  FOP1 52, fabs.s, ONE_S, NONE_S, 0

  /* ---- fused multiply-add ---- */
  FOP3 53, fmadd.s, 0x40e00000, TWO_S, THREE_S, ONE_S, 0       /* 2*3+1 = 7 */
  FOP3 54, fmsub.s, 0x40a00000, TWO_S, THREE_S, ONE_S, 0       /* 2*3-1 = 5 */
  FOP3 55, fnmsub.s, 0xc0a00000, TWO_S, THREE_S, ONE_S, 0      /* -(2*3)+1 = -5 */
  FOP3 56, fnmadd.s, 0xc0e00000, TWO_S, THREE_S, ONE_S, 0      /* -(2*3)-1 = -7 */
  FOP3 57, fmadd.s, 0x28800000, 0x3f800001, 0x3f800001, 0xbf800002, 0  /* single rounding */
  FOP3 58, fmadd.s, QNAN_S, INF_S, 0, QNAN_S, NV               /* inf*0 + qNaN: NV */
  FOP3 59, fmadd.s, QNAN_S, ONE_S, ONE_S, QNAN_S, 0
  FOP3 60, fmadd.s, QNAN_S, INF_S, ONE_S, NINF_S, NV           /* inf - inf */
  FOP3 61, fnmadd.s, 0x80000000, 0x00000000, ONE_S, 0x00000000, 0    /* -(0*1 + 0) = -0 */

  /* ---- conversions to integers ---- */
  FCVT_I 62, fcvt.w.s, 2, 0x40200000, rne, NX                  /* 2.5 */
  FCVT_I 63, fcvt.w.s, -2, 0xc0200000, rne, NX
  FCVT_I 64, fcvt.w.s, -2, 0xc0200000, rtz, NX
  FCVT_I 65, fcvt.w.s, -3, 0xc0200000, rdn, NX
  FCVT_I 66, fcvt.w.s, -2, 0xc0200000, rup, NX
  FCVT_I 67, fcvt.w.s, -3, 0xc0200000, rmm, NX
  FCVT_I 68, fcvt.w.s, 3, 0x40200000, rup, NX
  FCVT_I 69, fcvt.w.s, 3, 0x40200000, rmm, NX
  FCVT_I 70, fcvt.w.s, 2, 0x40200000, rdn, NX
  FCVT_I 71, fcvt.w.s, 0x7fffffff, QNAN_S, rtz, NV             /* NaN -> max */
  FCVT_I 72, fcvt.w.s, 0x7fffffff, INF_S, rtz, NV
  FCVT_I 73, fcvt.w.s, 0xffffffff80000000, NINF_S, rtz, NV
  FCVT_I 74, fcvt.w.s, 0x7fffffff, 0x4f32d05e, rtz, NV         /* 3e9 */
  FCVT_I 75, fcvt.w.s, 0xffffffff80000000, 0xcf000000, rtz, 0  /* -2^31 exactly */
  FCVT_I 76, fcvt.wu.s, 0, NONE_S, rtz, NV                     /* negative -> 0, NV */
  FCVT_I 77, fcvt.wu.s, 0, 0xbf000000, rtz, NX                 /* -0.5 rounds to 0: NX only */
  FCVT_I 78, fcvt.wu.s, 0xffffffffee6b2800, 0x4f6e6b28, rtz, 0 /* 4e9: result sign-extended */
  FCVT_I 79, fcvt.wu.s, 0xffffffffffffffff, INF_S, rtz, NV
  FCVT_I 80, fcvt.wu.s, 0xffffffffffffffff, QNAN_S, rtz, NV
  FCVT_I 81, fcvt.l.s, 0x10000000000, 0x53800000, rtz, 0       /* 2^40 */
  FCVT_I 82, fcvt.l.s, 0x7fffffffffffffff, QNAN_S, rtz, NV
  FCVT_I 83, fcvt.l.s, 0x8000000000000000, NINF_S, rtz, NV
  FCVT_I 84, fcvt.l.s, 0x7fffffffffffffff, 0x5f000000, rtz, NV /* 2^63 */
  FCVT_I 85, fcvt.l.s, -1, NONE_S, rtz, 0
  FCVT_I 86, fcvt.lu.s, 0, NONE_S, rtz, NV
  FCVT_I 87, fcvt.lu.s, 0xffffffffffffffff, INF_S, rtz, NV
  FCVT_I 88, fcvt.lu.s, 0x8000000000000000, 0x5f000000, rtz, 0 /* 2^63 */
  FCVT_I 89, fcvt.lu.s, 0, 0x80000000, rtz, 0                  /* -0 */

  /* ---- conversions from integers ---- */
  FCVT_F 90, fcvt.s.w, NONE_S, -1, 0
  FCVT_F 91, fcvt.s.w, 0x40a00000, 0x100000005, 0              /* low 32 bits only */
  FCVT_F 92, fcvt.s.wu, 0x4f800000, 0xffffffff, NX             /* 2^32 - 1 rounds to 2^32 */
  FCVT_F 93, fcvt.s.wu, 0x4f800000, -1, NX
  FCVT_F 94, fcvt.s.l, 0x5f000000, 0x7fffffffffffffff, NX
  FCVT_F 95, fcvt.s.l, 0xdf000000, 0x8000000000000000, 0
  FCVT_F 96, fcvt.s.lu, 0x5f800000, -1, NX
  FCVT_F 97, fcvt.s.w, 0x00000000, 0, 0                         /* +0 */
  FCVT_F 98, fcvt.s.l, 0x4f32d05e, 3000000000, 0

  /* ---- moves and NaN boxing ---- */
  CASE 99                                         /* fmv.x.w sign-extends */
  LOAD_FREG_S f1, NONE_S
  fmv.x.w a0, f1
  CHECK a0, 0xffffffffbf800000
  LOAD_FREG_S f1, ONE_S
  fmv.x.w a0, f1
  CHECK a0, 0x3f800000
  CASE 100                                        /* fmv.w.x NaN-boxes (upper bits of rs1 ignored) */
  li a1, 0x123456783f800000
  fmv.w.x f1, a1
  CHECK_FREG f1, 0xffffffff3f800000
  CASE 101                                        /* improperly boxed input = canonical NaN */
  LOAD_FREG f1, 0x000000003f800000
  LOAD_FREG_S f2, ONE_S
  csrwi fflags, 0
  fadd.s f3, f1, f2
  CHECK_FREG_S f3, QNAN_S
  csrr a0, fflags
  CHECK a0, 0
  CASE 102
  LOAD_FREG f1, 0xfffffffe3f800000                /* one upper bit clear */
  fmul.s f3, f2, f1
  CHECK_FREG_S f3, QNAN_S
  CASE 103                                        /* fclass of an unboxed value: quiet NaN */
  LOAD_FREG f1, 0x00000000ff800000
  fclass.s a0, f1
  CHECK a0, 0x200
  CASE 104                                        /* fsgnj with an unboxed operand */
  LOAD_FREG f1, 0x000000003f800000
  LOAD_FREG_S f2, NONE_S
  fsgnj.s f3, f1, f2
  CHECK_FREG_S f3, 0xffc00000
  LOAD_FREG f2, 0x00000000bf800000                /* unboxed rs2: canonical NaN, sign 0 */
  LOAD_FREG_S f1, ONE_S
  fsgnjn.s f3, f1, f2
  CHECK_FREG_S f3, 0xbf800000
  CASE 105                                        /* fmv.x.w and fsw ignore the box */
  LOAD_FREG f1, 0x12345678bf800000
  fmv.x.w a0, f1
  CHECK a0, 0xffffffffbf800000
  la a1, fdata
  li a2, -1
  sd a2, 0(a1)
  fsw f1, 0(a1)
  ld a0, 0(a1)
  CHECK a0, 0xffffffffbf800000
  CASE 106                                        /* flw NaN-boxes */
  la a1, fdata
  li a2, 0x1111111140400000
  sd a2, 0(a1)
  flw f5, 0(a1)
  CHECK_FREG f5, 0xffffffff40400000
  flw f6, 4(a1)
  CHECK_FREG f6, 0xffffffff11111111
  CASE 107                                        /* fmin with an unboxed operand: the other one */
  LOAD_FREG f1, 0x0000000040000000
  LOAD_FREG_S f2, ONE_S
  fmin.s f3, f1, f2
  CHECK_FREG_S f3, ONE_S
  CASE 108                                        /* fcvt.w.s of an unboxed value: NaN -> max, NV */
  LOAD_FREG f1, 0x0000000040000000
  csrwi fflags, 0
  fcvt.w.s a0, f1, rtz
  CHECK a0, 0x7fffffff
  csrr a0, fflags
  CHECK a0, NV
  CASE 109                                        /* feq with an unboxed operand: 0, quiet */
  LOAD_FREG f1, 0x000000003f800000
  LOAD_FREG_S f2, QNAN_S
  csrwi fflags, 0
  feq.s a0, f1, f2
  CHECK a0, 0
  csrr a0, fflags
  CHECK a0, 0

  /* ---- fclass ---- */
  FCLASS 110, NINF_S, 0x001
  FCLASS 111, NONE_S, 0x002
  FCLASS 112, 0x807fffff, 0x004
  FCLASS 113, 0x80000000, 0x008
  FCLASS 114, 0x00000000, 0x010
  FCLASS 115, 0x00000001, 0x020
  FCLASS 116, ONE_S, 0x040
  FCLASS 117, INF_S, 0x080
  FCLASS 118, SNAN_S, 0x100
  FCLASS 119, QNAN_S, 0x200
  FCLASS 120, 0xffffffff, 0x200

  /* ---- fflags accumulate ---- */
  CASE 121
  csrwi fflags, 0
  LOAD_FREG_S f1, ONE_S
  LOAD_FREG_S f2, THREE_S
  LOAD_FREG_S f0, 0
  fdiv.s f3, f1, f2                               /* NX */
  fdiv.s f3, f1, f0                               /* DZ */
  csrr a0, fflags
  CHECK a0, DZ | NX
  fadd.s f3, f1, f1                               /* exact: flags stay */
  csrr a0, fflags
  CHECK a0, DZ | NX
  LOAD_FREG_S f4, NONE_S
  fsqrt.s f3, f4                                  /* NV */
  csrr a0, fflags
  CHECK a0, NV | DZ | NX
  LOAD_FREG_S f5, 0x7f7fffff
  fmul.s f3, f5, f5                               /* OF | NX */
  csrr a0, fflags
  CHECK a0, 0x1d
  LOAD_FREG_S f5, 0x00800001
  LOAD_FREG_S f6, 0x3f000000
  fmul.s f3, f5, f6                               /* UF | NX */
  csrr a0, fflags
  CHECK a0, 0x1f
  CHECK_CSR fcsr, 0x1f
  csrwi fflags, 0
  CHECK_CSR fflags, 0

  /* ---- frm: dynamic rounding ---- */
  CASE 122
  LOAD_FREG_S f1, 0x40200000                      /* 2.5 */
  LOAD_FREG_S f2, 0xc0200000                      /* -2.5 */
  csrwi frm, 0                                    /* RNE */
  fcvt.w.s a0, f1
  CHECK a0, 2
  csrwi frm, 1                                    /* RTZ */
  fcvt.w.s a0, f1
  CHECK a0, 2
  fcvt.w.s a0, f2
  CHECK a0, -2
  csrwi frm, 2                                    /* RDN */
  fcvt.w.s a0, f1
  CHECK a0, 2
  fcvt.w.s a0, f2
  CHECK a0, -3
  csrwi frm, 3                                    /* RUP */
  fcvt.w.s a0, f1
  CHECK a0, 3
  fcvt.w.s a0, f2
  CHECK a0, -2
  csrwi frm, 4                                    /* RMM */
  fcvt.w.s a0, f1
  CHECK a0, 3
  fcvt.w.s a0, f2
  CHECK a0, -3
  CASE 123                                        /* static rm overrides frm */
  csrwi frm, 3
  fcvt.w.s a0, f2, rdn
  CHECK a0, -3
  fcvt.w.s a0, f1, rtz
  CHECK a0, 2
  CASE 124                                        /* dynamic rounding of fadd: 1 + 2^-24 */
  LOAD_FREG_S f1, ONE_S
  LOAD_FREG_S f2, 0x33800000
  LOAD_FREG_S f4, NONE_S
  LOAD_FREG_S f5, 0xb3800000
  csrwi frm, 0
  fadd.s f3, f1, f2
  CHECK_FREG_S f3, ONE_S
  csrwi frm, 3                                    /* RUP */
  fadd.s f3, f1, f2
  CHECK_FREG_S f3, 0x3f800001
  fadd.s f3, f4, f5
  CHECK_FREG_S f3, NONE_S
  csrwi frm, 2                                    /* RDN */
  fadd.s f3, f1, f2
  CHECK_FREG_S f3, ONE_S
  fadd.s f3, f4, f5
  CHECK_FREG_S f3, 0xbf800001
  csrwi frm, 4                                    /* RMM: tie away from zero */
  fadd.s f3, f1, f2
  CHECK_FREG_S f3, 0x3f800001
  csrwi frm, 1                                    /* RTZ */
  fadd.s f3, f4, f5
  CHECK_FREG_S f3, NONE_S
  CASE 125                                        /* x - x is -0 in RDN */
  csrwi frm, 2
  LOAD_FREG_S f1, THREE_S
  fsub.s f3, f1, f1
  CHECK_FREG_S f3, 0x80000000
  CASE 126                                        /* overflow in RTZ: max finite */
  csrwi frm, 1
  LOAD_FREG_S f1, 0x7f7fffff
  LOAD_FREG_S f2, TWO_S
  fmul.s f3, f1, f2
  CHECK_FREG_S f3, 0x7f7fffff
  csrwi frm, 0
  CASE 127                                        /* fcsr composes frm and fflags */
  csrwi fcsr, 0
  csrwi frm, 3
  csrwi fflags, 5
  CHECK_CSR fcsr, 0x65

  /* ---- invalid rounding modes are illegal ---- */
  CASE 128                                        /* frm = 5..7 with dynamic rm */
  TRAP_CLEAR
  TRAP_EXPECT 1f
  csrwi frm, 5
  LOAD_FREG_S f1, ONE_S
2:
  fadd.s f3, f1, f1
  j fail
1:
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_EPC_LABEL 2b
  CASE 129
  TRAP_CLEAR
  TRAP_EXPECT 1f
  csrwi frm, 7
  fcvt.w.s a0, f1
  j fail
1:
  CHECK_TRAP CAUSE_ILLEGAL
  CASE 130                                        /* frm = 6 with a static rm: fine */
  csrwi frm, 6
  fadd.s f3, f1, f1, rne
  CHECK_FREG_S f3, TWO_S
  csrwi frm, 0
  CASE 131                                        /* static rm = 5 in the instruction */
  TRAP_CLEAR
  TRAP_EXPECT 1f
  .word 0x003150d3                                /* fadd.s f1, f2, f3, rm=5 */
  j fail
1:
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_TVAL 0x003150d3
  CASE 132                                        /* static rm = 6 */
  TRAP_CLEAR
  TRAP_EXPECT 1f
  .word 0x003160d3                                /* fadd.s f1, f2, f3, rm=6 */
  j fail
1:
  CHECK_TRAP CAUSE_ILLEGAL

  /* ---- loads / stores ---- */
  CASE 133
  la a1, fdata
  li a2, 0x40a00000c0e00000
  sd a2, 0(a1)
  flw f1, 0(a1)
  flw f2, 4(a1)
  fadd.s f3, f1, f2                               /* -7 + 5 */
  fsw f3, 8(a1)
  lw a0, 8(a1)
  CHECK a0, 0xffffffffc0000000
  CASE 134                                        /* negative offset */
  addi a3, a1, 16
  flw f1, -16(a3)
  CHECK_FREG_S f1, 0xc0e00000
  fsw f1, -4(a3)
  lwu a0, 12(a1)
  CHECK a0, 0xc0e00000

  /* ---- mstatus.FS and SD ---- */
  CASE 135                                        /* Initial: SD clear */
  li t0, MSTATUS_FS
  csrc mstatus, t0
  li t0, MSTATUS_FS_INITIAL
  csrs mstatus, t0
  csrr a0, mstatus
  bltz a0, fail                                   /* SD */
  CASE 136                                        /* an FP write makes FS Dirty and SD set */
  fadd.s f3, f1, f1
  CHECK_CSR_MASK mstatus, MSTATUS_FS, MSTATUS_FS_DIRTY
  csrr a0, mstatus
  bgez a0, fail
  csrr a0, sstatus                                /* sstatus shows FS and SD too */
  bgez a0, fail
  CHECK_CSR_MASK sstatus, MSTATUS_FS, MSTATUS_FS_DIRTY
  CASE 137                                        /* Clean + fmv.w.x -> Dirty */
  li t0, MSTATUS_FS
  csrc mstatus, t0
  li t0, MSTATUS_FS_CLEAN
  csrs mstatus, t0
  csrr a0, mstatus
  bltz a0, fail
  li a1, 5
  fmv.w.x f7, a1
  CHECK_CSR_MASK mstatus, MSTATUS_FS, MSTATUS_FS_DIRTY
  csrr a0, mstatus
  bgez a0, fail
  CASE 138                                        /* Clean + flw -> Dirty */
  li t0, MSTATUS_FS
  csrc mstatus, t0
  li t0, MSTATUS_FS_CLEAN
  csrs mstatus, t0
  la a1, fdata
  flw f7, 0(a1)
  CHECK_CSR_MASK mstatus, MSTATUS_FS, MSTATUS_FS_DIRTY
  CASE 139                                        /* Clean + fflags write -> Dirty */
  li t0, MSTATUS_FS
  csrc mstatus, t0
  li t0, MSTATUS_FS_CLEAN
  csrs mstatus, t0
  csrwi fflags, 1
  CHECK_CSR_MASK mstatus, MSTATUS_FS, MSTATUS_FS_DIRTY
  CASE 140                                        /* FS = Off: FP instructions are illegal */
  li t0, MSTATUS_FS
  csrc mstatus, t0
  csrr a0, mstatus
  bltz a0, fail
  TRAP_CLEAR
  TRAP_EXPECT 1f
2:
  fadd.s f3, f1, f1
  j fail
1:
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_EPC_LABEL 2b
  la a0, 2b
  lwu a0, 0(a0)
  ld t5, trap_tval                                /* mtval = the instruction */
  CHECKR t5, a0
  CASE 141                                        /* flw with FS = Off */
  TRAP_CLEAR
  TRAP_EXPECT 1f
  la a1, fdata
  flw f3, 0(a1)
  j fail
1:
  CHECK_TRAP CAUSE_ILLEGAL
  CASE 142                                        /* fsw with FS = Off */
  TRAP_CLEAR
  TRAP_EXPECT 1f
  fsw f3, 0(a1)
  j fail
1:
  CHECK_TRAP CAUSE_ILLEGAL
  CASE 143                                        /* fmv.x.w with FS = Off */
  TRAP_CLEAR
  TRAP_EXPECT 1f
  fmv.x.w a0, f3
  j fail
1:
  CHECK_TRAP CAUSE_ILLEGAL
  CASE 144                                        /* fmv.w.x with FS = Off */
  TRAP_CLEAR
  TRAP_EXPECT 1f
  fmv.w.x f3, zero
  j fail
1:
  CHECK_TRAP CAUSE_ILLEGAL
  CASE 145                                        /* fcsr / fflags / frm with FS = Off */
  TRAP_CLEAR
  TRAP_EXPECT 1f
  csrr a0, fcsr
  j fail
1:
  CHECK_TRAP CAUSE_ILLEGAL
  TRAP_CLEAR
  TRAP_EXPECT 1f
  csrwi fflags, 0
  j fail
1:
  CHECK_TRAP CAUSE_ILLEGAL
  TRAP_CLEAR
  TRAP_EXPECT 1f
  csrr a0, frm
  j fail
1:
  CHECK_TRAP CAUSE_ILLEGAL
  CASE 146                                        /* fmadd / fcvt / fclass / feq with FS = Off */
  TRAP_CLEAR
  TRAP_SKIP_ON
  fmadd.s f1, f2, f3, f4
  fcvt.s.w f1, a0
  fclass.s a0, f1
  feq.s a0, f1, f2
  fsqrt.s f1, f2
  TRAP_DISARM
  CHECK_TRAP_COUNT 5
  CHECK_TRAP CAUSE_ILLEGAL
  CASE 147                                        /* still Off (nothing was written) */
  CHECK_CSR_MASK mstatus, MSTATUS_FS, 0
  CASE 148                                        /* FP state survives Off -> Initial */
  li t0, MSTATUS_FS_INITIAL
  csrs mstatus, t0
  CHECK_FREG_S f7, 0xc0e00000                     /* from case 138 */
  CHECK_CSR fflags, 0x1
TEST_END

  .data
  .align 4
fdata:
  .dword 0, 0, 0, 0
