/* rv64m: the M extension on RV64: mul/mulh/mulhsu/mulhu with every sign
   combination, mulw, div/divu/rem/remu and their W forms including division
   by zero and signed overflow, and the W forms ignoring the upper 32 bits. */
#include "common.h"

TEST_BEGIN
  /* ---- mul ---- */
  TEST_RR  1, mul, 21, 3, 7
  TEST_RR  2, mul, 1, -1, -1
  TEST_RR  3, mul, 0x8000000000000000, 0x8000000000000000, -1
  TEST_RR  4, mul, 0, 0x100000000, 0x100000000
  TEST_RR  5, mul, 0x236d88fe5618cf00, 0x123456789abcdef0, 0xfedcba9876543210
  TEST_RR  6, mul, -21, -3, 7

  /* ---- mulh (signed x signed) ---- */
  TEST_RR  7, mulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000
  TEST_RR  8, mulh, 0, -1, -1
  TEST_RR  9, mulh, -1, -1, 1
  TEST_RR 10, mulh, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff
  TEST_RR 11, mulh, 0xffeb49923cc09532, 0x123456789abcdef0, 0xfedcba9876543210
  TEST_RR 12, mulh, 0, 5, 7

  /* ---- mulhu (unsigned x unsigned) ---- */
  TEST_RR 13, mulhu, 0xfffffffffffffffe, -1, -1
  TEST_RR 14, mulhu, 1, 0x8000000000000000, 2
  TEST_RR 15, mulhu, 0, -1, 1
  TEST_RR 16, mulhu, 0x121fa00ad77d7422, 0x123456789abcdef0, 0xfedcba9876543210

  /* ---- mulhsu (signed rs1 x unsigned rs2) ---- */
  TEST_RR 17, mulhsu, -1, -1, -1
  TEST_RR 18, mulhsu, 0, 1, -1
  TEST_RR 19, mulhsu, 0xc000000000000000, 0x8000000000000000, 0x8000000000000000
  TEST_RR 20, mulhsu, -1, -2, 0x8000000000000000
  TEST_RR 21, mulhsu, 0x121fa00ad77d7422, 0x123456789abcdef0, 0xfedcba9876543210
  TEST_RR 22, mulhsu, 0xede05ff528828bdd, 0xedcba98765432110, 0xfedcba9876543210

  /* ---- mulw ---- */
  TEST_RR 23, mulw, 0xfffffffffffffffe, 0x7fffffff, 2
  TEST_RR 24, mulw, 15, 0x100000003, 0x100000005
  TEST_RR 25, mulw, 0xffffffff80000000, 0x10000, 0x8000
  TEST_RR 26, mulw, 1, -1, -1

  /* ---- div ---- */
  TEST_RR 27, div, 3, 20, 6
  TEST_RR 28, div, -3, -20, 6
  TEST_RR 29, div, -3, 20, -6
  TEST_RR 30, div, 3, -20, -6
  TEST_RR 31, div, -1, 20, 0                      /* division by zero */
  TEST_RR 32, div, -1, -20, 0
  TEST_RR 33, div, 0x8000000000000000, 0x8000000000000000, -1   /* overflow */
  TEST_RR 34, div, 0, 0, 0x8000000000000000

  /* ---- divu ---- */
  TEST_RR 35, divu, 3, 20, 6
  TEST_RR 36, divu, 0x2aaaaaaaaaaaaaa7, -20, 6
  TEST_RR 37, divu, 0xffffffffffffffff, 20, 0
  TEST_RR 38, divu, 0, 0x8000000000000000, -1
  TEST_RR 39, divu, 1, -1, -1

  /* ---- rem ---- */
  TEST_RR 40, rem, 2, 20, 6
  TEST_RR 41, rem, -2, -20, 6
  TEST_RR 42, rem, 2, 20, -6
  TEST_RR 43, rem, -2, -20, -6
  TEST_RR 44, rem, 20, 20, 0                      /* x % 0 = x */
  TEST_RR 45, rem, -20, -20, 0
  TEST_RR 46, rem, 0, 0x8000000000000000, -1      /* overflow: 0 */

  /* ---- remu ---- */
  TEST_RR 47, remu, 2, 20, 6
  TEST_RR 48, remu, 2, -20, 6
  TEST_RR 49, remu, 20, 20, 0
  TEST_RR 50, remu, -20, -20, 0
  TEST_RR 51, remu, 0x8000000000000000, 0x8000000000000000, -1

  /* ---- divw / divuw ---- */
  TEST_RR 52, divw, -3, -20, 6
  TEST_RR 53, divw, 3, 0xffffffff00000014, 6     /* upper bits ignored */
  TEST_RR 54, divw, -1, 20, 0
  TEST_RR 55, divw, 0xffffffff80000000, 0x80000000, -1   /* overflow */
  TEST_RR 56, divw, 3, 20, 0x100000006
  TEST_RR 57, divw, -1, 20, 0x100000000          /* divisor low word 0 */
  TEST_RR 58, divuw, 0x2aaaaaa7, 0xffffffec, 6
  TEST_RR 59, divuw, -1, 20, 0                    /* 0xffffffff sign-extended */
  TEST_RR 60, divuw, 0xffffffff80000000, 0x80000000, 1
  TEST_RR 61, divuw, 0, 0x80000000, -1
  TEST_RR 62, divuw, -1, 20, 0xffffffff00000000

  /* ---- remw / remuw ---- */
  TEST_RR 63, remw, -2, -20, 6
  TEST_RR 64, remw, 0xffffffff80000001, 0x0000000180000001, 0   /* sext(x[31:0]) */
  TEST_RR 65, remw, 0, 0x80000000, -1             /* overflow: 0 */
  TEST_RR 66, remw, 2, 20, -6
  TEST_RR 67, remuw, 2, 0xffffffec, 6
  TEST_RR 68, remuw, 0xffffffff80000000, 0xf80000000, 0
  TEST_RR 69, remuw, 3, 0x100000007, 0x100000004
  TEST_RR 70, remuw, 0x7fffffff, 0x7fffffff, 0x80000000

  /* ---- register aliasing ---- */
  CASE 71
  li a0, 12
  mul a0, a0, a0
  CHECK a0, 144
  CASE 72
  li a0, -7
  div a0, a0, a0
  CHECK a0, 1
  CASE 73
  li a0, -7
  rem a0, a0, a0
  CHECK a0, 0
  CASE 74                                         /* result to x0 */
  li a1, 5
  div x0, a1, a1
  mul x0, a1, a1
  bnez x0, fail
  CASE 75                                         /* mulh + mul give the 128-bit product */
  li a1, 0xfedcba9876543210
  li a2, 0x0f0f0f0f0f0f0f0f
  mul a3, a1, a2
  mulhu a4, a1, a2
  CHECK a3, 0x78899aabbccddef0
  CHECK a4, 0x0efdecdbcab9a897
TEST_END
