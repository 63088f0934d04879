#include "harness.h"
/* matmul's inner loop, c[j] += x * b[j] over 256 doubles per round: fld, fld, fmadd.d,
   fsd and the loop (7 instructions per element). b[j] = j/7 - 0.5 and x = 1/3 have full
   53-bit significands, so every product and sum is inexact, as in the compute suite. */
  .section .text.init
  .globl _start
_start:
  li t0, 0x2000              /* mstatus.FS = Initial: the F/D registers are usable */
  csrs mstatus, t0
  la a1, b
  la a3, b_end
  li t0, 0
  li t1, 7
  fcvt.d.w ft3, t1
  li t1, 1
  fcvt.d.w ft4, t1
  li t1, 2
  fcvt.d.w ft5, t1
  fdiv.d ft5, ft4, ft5       /* 0.5 */
init:
  fcvt.d.w ft1, t0
  fdiv.d ft1, ft1, ft3
  fsub.d ft1, ft1, ft5
  fsd ft1, 0(a1)
  addi t0, t0, 1
  addi a1, a1, 8
  bne a1, a3, init
  li t1, 3
  fcvt.d.w ft0, t1
  fdiv.d ft0, ft4, ft0       /* x = 1/3 */
  la t0, iterations
  ld s0, 0(t0)
round:
  la a1, b
  la a2, c
  la a3, b_end
1:
  fld ft1, 0(a1)
  fld ft2, 0(a2)
  fmadd.d ft2, ft0, ft1, ft2
  fsd ft2, 0(a2)
  addi a1, a1, 8
  addi a2, a2, 8
  bne a1, a3, 1b
  addi s0, s0, -1
  bnez s0, round
  BENCH_EXIT
BENCH_DATA(20000)
  .bss
  .align 3
b: .skip 256 * 8
b_end:
c: .skip 256 * 8
