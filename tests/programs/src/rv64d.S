/* rv64d: the D extension on RV64: double arithmetic and every exception
   flag, fused multiply-add (single rounding, inf*0+qNaN invalid), min/max/
   compare with NaNs and signed zeros, sign injection, fcvt between double and
   32/64-bit integers (saturation, NaN, sign extension of .w/.wu results,
   rounding modes), fcvt.s.d / fcvt.d.s (rounding, overflow, NaN
   canonicalisation, NaN-boxing check of the single input), fmv.x.d/fmv.d.x,
   fld/fsd, fclass.d, frm dynamic rounding, NaN boxing of single results in
   64-bit registers, and FS = Off / Dirty for D instructions. */
#include "common.h"

#define QNAN_D 0x7ff8000000000000
#define SNAN_D 0x7ff0000000000001
#define INF_D  0x7ff0000000000000
#define NINF_D 0xfff0000000000000
#define ONE_D  0x3ff0000000000000
#define TWO_D  0x4000000000000000
#define THREE_D 0x4008000000000000
#define NONE_D 0xbff0000000000000
#define MAX_D  0x7fefffffffffffff
#define NZERO_D 0x8000000000000000

#define NV 0x10
#define DZ 0x08
#define OF 0x04
#define UF 0x02
#define NX 0x01

.macro DOP2 n, op, res, a, b, flags
  CASE \n
  LOAD_FREG f1, \a
  LOAD_FREG f2, \b
  csrwi fflags, 0
  \op f3, f1, f2
  CHECK_FREG f3, \res
  csrr t5, fflags
  CHECK t5, \flags
.endm

.macro DOP1 n, op, res, a, flags
  CASE \n
  LOAD_FREG f1, \a
  csrwi fflags, 0
  \op f3, f1
  CHECK_FREG f3, \res
  csrr t5, fflags
  CHECK t5, \flags
.endm

.macro DOP3 n, op, res, a, b, c, flags
  CASE \n
  LOAD_FREG f1, \a
  LOAD_FREG f2, \b
  LOAD_FREG f4, \c
  csrwi fflags, 0
  \op f3, f1, f2, f4
  CHECK_FREG f3, \res
  csrr t5, fflags
  CHECK t5, \flags
.endm

.macro DCMP n, op, res, a, b, flags
  CASE \n
  LOAD_FREG f1, \a
  LOAD_FREG f2, \b
  csrwi fflags, 0
  \op a0, f1, f2
  CHECK a0, \res
  csrr t5, fflags
  CHECK t5, \flags
.endm

.macro DCVT_I n, op, res, a, rm, flags
  CASE \n
  LOAD_FREG f1, \a
  csrwi fflags, 0
  \op a0, f1, \rm
  CHECK a0, \res
  csrr t5, fflags
  CHECK t5, \flags
.endm

.macro DCVT_F n, op, res, a, flags
  CASE \n
  li a1, \a
  csrwi fflags, 0
  \op f3, a1
  CHECK_FREG f3, \res
  csrr t5, fflags
  CHECK t5, \flags
.endm

.macro DCLASS n, a, res
  CASE \n
  LOAD_FREG f1, \a
  fclass.d a0, f1
  CHECK a0, \res
.endm

TEST_BEGIN
  csrwi fcsr, 0

  /* ---- arithmetic ---- */
  DOP2  1, fadd.d, THREE_D, ONE_D, TWO_D, 0
  DOP2  2, fsub.d, NONE_D, ONE_D, TWO_D, 0
  DOP2  3, fmul.d, 0x4014000000000000, TWO_D, 0x4004000000000000, 0   /* 2 * 2.5 = 5 */
  DOP2  4, fdiv.d, 0x3fd5555555555555, ONE_D, THREE_D, NX             /* 1/3 */
  DOP1  5, fsqrt.d, TWO_D, 0x4010000000000000, 0
  DOP1  6, fsqrt.d, QNAN_D, NONE_D, NV
  DOP1  7, fsqrt.d, NZERO_D, NZERO_D, 0                              /* sqrt(-0) = -0 */
  DOP2  8, fdiv.d, INF_D, ONE_D, 0, DZ
  DOP2  9, fdiv.d, NINF_D, ONE_D, NZERO_D, DZ
  DOP2 10, fmul.d, INF_D, MAX_D, TWO_D, OF | NX
  DOP2 11, fmul.d, 0x0008000000000000, 0x0010000000000001, 0x3fe0000000000000, UF | NX
  DOP2 12, fmul.d, 0x0008000000000000, 0x0010000000000000, 0x3fe0000000000000, 0
  DOP2 13, fadd.d, QNAN_D, INF_D, NINF_D, NV
  DOP2 14, fadd.d, QNAN_D, 0x7ff8000000012345, ONE_D, 0
  DOP2 15, fadd.d, QNAN_D, SNAN_D, ONE_D, NV
  DOP2 16, fmul.d, QNAN_D, INF_D, 0, NV
  DOP2 17, fdiv.d, QNAN_D, 0, 0, NV
  DOP2 18, fadd.d, NZERO_D, NZERO_D, NZERO_D, 0
  DOP2 19, fadd.d, 0, 0, NZERO_D, 0
  DOP2 20, fadd.d, ONE_D, ONE_D, 0x3ca0000000000000, NX              /* 1 + 2^-53: tie to even */
  DOP2 21, fadd.d, 0x0000000000000002, 0x0000000000000001, 0x0000000000000001, 0 /* subnormals */

  /* ---- min / max ---- */
  DOP2 22, fmin.d, ONE_D, ONE_D, TWO_D, 0
  DOP2 23, fmax.d, TWO_D, ONE_D, TWO_D, 0
  DOP2 24, fmin.d, NZERO_D, 0, NZERO_D, 0
  DOP2 25, fmax.d, 0, NZERO_D, 0, 0
  DOP2 26, fmin.d, ONE_D, QNAN_D, ONE_D, 0
  DOP2 27, fmax.d, ONE_D, SNAN_D, ONE_D, NV
  DOP2 28, fmax.d, QNAN_D, 0x7ff8000000000001, 0xfff8000000000000, 0
  DOP2 29, fmin.d, QNAN_D, SNAN_D, QNAN_D, NV

  /* ---- compare ---- */
  DCMP 30, feq.d, 1, ONE_D, ONE_D, 0
  DCMP 31, feq.d, 0, QNAN_D, QNAN_D, 0
  DCMP 32, feq.d, 0, SNAN_D, ONE_D, NV
  DCMP 33, feq.d, 1, NZERO_D, 0, 0
  DCMP 34, flt.d, 1, ONE_D, TWO_D, 0
  DCMP 35, flt.d, 0, QNAN_D, ONE_D, NV
  DCMP 36, fle.d, 1, TWO_D, TWO_D, 0
  DCMP 37, fle.d, 0, ONE_D, QNAN_D, NV
  DCMP 38, flt.d, 1, NINF_D, 0xffefffffffffffff, 0
  DCMP 39, fle.d, 0, TWO_D, ONE_D, 0

  /* ---- sign injection ---- */
  DOP2 40, fsgnj.d, NONE_D, ONE_D, 0xc000000000000000, 0
  DOP2 41, fsgnjn.d, ONE_D, ONE_D, 0xc000000000000000, 0
  DOP2 42, fsgnjx.d, ONE_D, NONE_D, 0xc000000000000000, 0
  DOP2 43, fsgnjx.d, NONE_D, NONE_D, TWO_D, 0
  DOP1 44, fneg.d, 0xfff0000000000001, SNAN_D, 0
  DOP1 45, fabs.d, ONE_D, NONE_D, 0
  DOP2 46, fsgnj.d, 0x7ff8000000000001, 0xfff8000000000001, ONE_D, 0

  /* ---- fused multiply-add ---- */
  DOP3 47, fmadd.d, 0x401c000000000000, TWO_D, THREE_D, ONE_D, 0     /* 7 */
  DOP3 48, fmsub.d, 0x4014000000000000, TWO_D, THREE_D, ONE_D, 0     /* 5 */
  DOP3 49, fnmsub.d, 0xc014000000000000, TWO_D, THREE_D, ONE_D, 0    /* -5 */
  DOP3 50, fnmadd.d, 0xc01c000000000000, TWO_D, THREE_D, ONE_D, 0    /* -7 */
  DOP3 51, fmadd.d, 0x3970000000000000, 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000002, 0
  DOP3 52, fmadd.d, QNAN_D, INF_D, 0, QNAN_D, NV
  DOP3 53, fmsub.d, QNAN_D, INF_D, ONE_D, INF_D, NV

  /* ---- double -> integer ---- */
  DCVT_I 54, fcvt.w.d, 2, 0x4004000000000000, rne, NX                /* 2.5 */
  DCVT_I 55, fcvt.w.d, -3, 0xc004000000000000, rdn, NX
  DCVT_I 56, fcvt.w.d, -2, 0xc004000000000000, rup, NX
  DCVT_I 57, fcvt.w.d, -3, 0xc004000000000000, rmm, NX
  DCVT_I 58, fcvt.w.d, -2, 0xc004000000000000, rtz, NX
  DCVT_I 59, fcvt.w.d, 0xffffffff80000000, 0xc1e65a0bc0000000, rtz, NV   /* -3e9 */
  DCVT_I 60, fcvt.w.d, 0x7fffffff, QNAN_D, rtz, NV
  DCVT_I 61, fcvt.w.d, 0x7fffffff, 0x41dfffffffc00000, rtz, 0        /* 2^31 - 1 */
  DCVT_I 62, fcvt.wu.d, 0xffffffffee6b2800, 0x41edcd6500000000, rtz, 0   /* 4e9 sign-extended */
  DCVT_I 63, fcvt.wu.d, 0, NONE_D, rtz, NV
  DCVT_I 64, fcvt.wu.d, 0xffffffffffffffff, 0x41f0000000000000, rtz, NV  /* 2^32 */
  DCVT_I 65, fcvt.l.d, 0x7fffffffffffffff, 0x43e02207973f6440, rtz, NV   /* 9.3e18 */
  DCVT_I 66, fcvt.l.d, 0x8000000000000000, 0xc3e0000000000000, rtz, 0    /* -2^63 exactly */
  DCVT_I 67, fcvt.l.d, 0x8000000000000000, NINF_D, rtz, NV
  DCVT_I 68, fcvt.l.d, 0x7fffffffffffffff, SNAN_D, rtz, NV
  DCVT_I 69, fcvt.lu.d, 0x81103cb9fb220000, 0x43e02207973f6440, rtz, 0   /* 9.3e18 */
  DCVT_I 70, fcvt.lu.d, 0, 0xbfe0000000000000, rtz, NX                   /* -0.5 -> 0 */
  DCVT_I 71, fcvt.lu.d, 0xffffffffffffffff, INF_D, rtz, NV
  DCVT_I 72, fcvt.l.d, -2, 0xbff8000000000000, rne, NX                   /* -1.5: tie to even */

  /* ---- integer -> double ---- */
  DCVT_F 73, fcvt.d.w, NONE_D, -1, 0
  DCVT_F 74, fcvt.d.w, 0x4014000000000000, 0x7700000005, 0           /* low 32 bits */
  DCVT_F 75, fcvt.d.wu, 0x41efffffffe00000, 0xffffffff, 0
  DCVT_F 76, fcvt.d.wu, 0x41efffffffe00000, -1, 0
  DCVT_F 77, fcvt.d.l, 0x43e0000000000000, 0x7fffffffffffffff, NX
  DCVT_F 78, fcvt.d.l, 0xc3e0000000000000, 0x8000000000000000, 0
  DCVT_F 79, fcvt.d.lu, 0x43f0000000000000, -1, NX
  DCVT_F 80, fcvt.d.l, 0, 0, 0

  /* ---- double <-> single ---- */
  CASE 81                                         /* fcvt.s.d rounds (RNE) */
  LOAD_FREG f1, 0x3fd5555555555555
  csrwi fflags, 0
  fcvt.s.d f3, f1
  CHECK_FREG f3, 0xffffffff3eaaaaab               /* NaN-boxed single */
  CHECK_CSR fflags, NX
  CASE 82                                         /* fcvt.s.d overflow */
  LOAD_FREG f1, 0x7e37e43c8800759c                /* 1e300 */
  csrwi fflags, 0
  fcvt.s.d f3, f1
  CHECK_FREG f3, 0xffffffff7f800000
  CHECK_CSR fflags, OF | NX
  CASE 83                                         /* fcvt.s.d of a qNaN: canonical single NaN */
  LOAD_FREG f1, 0x7ff8000000000123
  csrwi fflags, 0
  fcvt.s.d f3, f1
  CHECK_FREG f3, 0xffffffff7fc00000
  CHECK_CSR fflags, 0
  CASE 84                                         /* ... of an sNaN: NV */
  LOAD_FREG f1, SNAN_D
  csrwi fflags, 0
  fcvt.s.d f3, f1
  CHECK_FREG f3, 0xffffffff7fc00000
  CHECK_CSR fflags, NV
  CASE 85                                         /* exact */
  LOAD_FREG f1, 0x47efffffe0000000                /* FLT_MAX */
  csrwi fflags, 0
  fcvt.s.d f3, f1
  CHECK_FREG f3, 0xffffffff7f7fffff
  CHECK_CSR fflags, 0
  CASE 86                                         /* fcvt.s.d with RDN */
  LOAD_FREG f1, 0x3fd5555555555555
  fcvt.s.d f3, f1, rdn
  CHECK_FREG f3, 0xffffffff3eaaaaaa
  CASE 87                                         /* fcvt.d.s is exact */
  LOAD_FREG_S f1, 0x3dcccccd                      /* 0.1f */
  csrwi fflags, 0
  fcvt.d.s f3, f1
  CHECK_FREG f3, 0x3fb99999a0000000
  CHECK_CSR fflags, 0
  CASE 88                                         /* fcvt.d.s of an improperly boxed single */
  LOAD_FREG f1, 0x000000003f800000
  csrwi fflags, 0
  fcvt.d.s f3, f1
  CHECK_FREG f3, QNAN_D
  CHECK_CSR fflags, 0
  CASE 89                                         /* fcvt.d.s of a single sNaN */
  LOAD_FREG_S f1, 0x7f800001
  csrwi fflags, 0
  fcvt.d.s f3, f1
  CHECK_FREG f3, QNAN_D
  CHECK_CSR fflags, NV
  CASE 90                                         /* fcvt.d.s of -inf and subnormal */
  LOAD_FREG_S f1, 0xff800000
  fcvt.d.s f3, f1
  CHECK_FREG f3, NINF_D
  LOAD_FREG_S f1, 0x00000001                      /* 2^-149 */
  fcvt.d.s f3, f1
  CHECK_FREG f3, 0x36a0000000000000
  CASE 91                                         /* a double register used as single: not boxed */
  LOAD_FREG f1, ONE_D
  LOAD_FREG_S f2, 0x3f800000
  fadd.s f3, f1, f2
  CHECK_FREG f3, 0xffffffff7fc00000

  /* ---- moves ---- */
  CASE 92
  li a1, 0x0123456789abcdef
  fmv.d.x f5, a1
  fmv.x.d a0, f5
  CHECKR a0, a1
  CASE 93                                         /* fmv.d.x/fmv.x.d keep a NaN payload */
  li a1, 0x7ff0000000000123
  fmv.d.x f5, a1
  fsgnj.d f6, f5, f5
  fmv.x.d a0, f6
  CHECKR a0, a1
  CASE 94                                         /* fmv.x.w of a double: low word sign-extended */
  LOAD_FREG f1, 0x4000000080000000
  fmv.x.w a0, f1
  CHECK a0, 0xffffffff80000000

  /* ---- fld / fsd ---- */
  CASE 95
  la a1, ddata
  li a2, 0x400c000000000000                       /* 3.5 */
  sd a2, 0(a1)
  fld f1, 0(a1)
  fadd.d f2, f1, f1
  fsd f2, 8(a1)
  ld a0, 8(a1)
  CHECK a0, 0x401c000000000000
  CASE 96
  addi a3, a1, 16
  fld f4, -8(a3)
  fsd f4, 16(a1)
  ld a0, 16(a1)
  CHECK a0, 0x401c000000000000
  CASE 97                                         /* fsd of a boxed single stores all 64 bits */
  LOAD_FREG_S f1, 0x40400000
  fsd f1, 0(a1)
  ld a0, 0(a1)
  CHECK a0, 0xffffffff40400000
  CASE 98                                         /* fld of a non-boxed value then flw */
  li a2, 0x000000003f800000
  sd a2, 0(a1)
  fld f1, 0(a1)
  fclass.s a0, f1
  CHECK a0, 0x200
  flw f1, 0(a1)
  fclass.s a0, f1
  CHECK a0, 0x40

  /* ---- fclass.d ---- */
  DCLASS  99, NINF_D, 0x001
  DCLASS 100, NONE_D, 0x002
  DCLASS 101, 0x800fffffffffffff, 0x004
  DCLASS 102, NZERO_D, 0x008
  DCLASS 103, 0, 0x010
  DCLASS 104, 1, 0x020
  DCLASS 105, ONE_D, 0x040
  DCLASS 106, INF_D, 0x080
  DCLASS 107, SNAN_D, 0x100
  DCLASS 108, QNAN_D, 0x200

  /* ---- dynamic rounding ---- */
  CASE 109                                        /* 1 + 2^-53 */
  LOAD_FREG f1, ONE_D
  LOAD_FREG f2, 0x3ca0000000000000
  csrwi frm, 3                                    /* RUP */
  fadd.d f3, f1, f2
  CHECK_FREG f3, 0x3ff0000000000001
  csrwi frm, 2                                    /* RDN */
  fadd.d f3, f1, f2
  CHECK_FREG f3, ONE_D
  csrwi frm, 4                                    /* RMM */
  fadd.d f3, f1, f2
  CHECK_FREG f3, 0x3ff0000000000001
  csrwi frm, 1                                    /* RTZ */
  fadd.d f3, f1, f2
  CHECK_FREG f3, ONE_D
  csrwi frm, 0
  fadd.d f3, f1, f2
  CHECK_FREG f3, ONE_D
  CASE 110                                        /* fcvt.w.d with dynamic rm */
  LOAD_FREG f1, 0xc004000000000000                /* -2.5 */
  csrwi frm, 2
  fcvt.w.d a0, f1
  CHECK a0, -3
  csrwi frm, 3
  fcvt.w.d a0, f1
  CHECK a0, -2
  csrwi frm, 0
  fcvt.w.d a0, f1
  CHECK a0, -2
  CASE 111                                        /* invalid frm: illegal */
  TRAP_CLEAR
  TRAP_EXPECT 1f
  csrwi frm, 5
  fmul.d f3, f1, f1
  j fail
1:
  CHECK_TRAP CAUSE_ILLEGAL
  csrwi frm, 0
  CASE 112                                        /* fflags accumulate */
  csrwi fflags, 0
  LOAD_FREG f1, ONE_D
  LOAD_FREG f2, THREE_D
  LOAD_FREG f4, 0
  fdiv.d f3, f1, f2
  fdiv.d f3, f1, f4
  LOAD_FREG f5, NONE_D
  fsqrt.d f3, f5
  CHECK_CSR fflags, NV | DZ | NX

  /* ---- FS ---- */
  CASE 113                                        /* Clean + fld -> Dirty, SD */
  li t0, MSTATUS_FS
  csrc mstatus, t0
  li t0, MSTATUS_FS_CLEAN
  csrs mstatus, t0
  csrr a0, mstatus
  bltz a0, fail
  la a1, ddata
  fld f1, 0(a1)
  CHECK_CSR_MASK mstatus, MSTATUS_FS, MSTATUS_FS_DIRTY
  csrr a0, mstatus
  bgez a0, fail
  CASE 114                                        /* Clean + fcvt.d.w -> Dirty */
  li t0, MSTATUS_FS
  csrc mstatus, t0
  li t0, MSTATUS_FS_CLEAN
  csrs mstatus, t0
  fcvt.d.w f1, zero
  CHECK_CSR_MASK mstatus, MSTATUS_FS, MSTATUS_FS_DIRTY
  CASE 115                                        /* Off: D instructions are illegal */
  li t0, MSTATUS_FS
  csrc mstatus, t0
  TRAP_CLEAR
  TRAP_SKIP_ON
  la a1, ddata
  fld f1, 0(a1)
  fsd f1, 0(a1)
  fadd.d f1, f2, f3
  fmv.x.d a0, f1
  fmv.d.x f1, a0
  fcvt.d.s f1, f2
  fcvt.s.d f1, f2
  fcvt.l.d a0, f1
  fclass.d a0, f1
  fmadd.d f1, f2, f3, f4
  TRAP_DISARM
  CHECK_TRAP_COUNT 10
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_LOG 0, CAUSE_ILLEGAL
  CHECK_LOG 9, CAUSE_ILLEGAL
  CHECK_CSR_MASK mstatus, MSTATUS_FS, 0
  li t0, MSTATUS_FS_INITIAL
  csrs mstatus, t0
TEST_END

  .data
  .align 4
ddata:
  .dword 0, 0, 0, 0
