#include "harness.h"
/* Long straight-line code, as in an unrolled hash (the kernel's blake2s_compress runs 2,600
   instructions without a branch, thousands of times during boot): int-loop's six ALU steps
   512 times over, then the counted branch (3,074 instructions per round). Control lands
   only once a round, so a VM that counts visits to decide what to compile sees it as cold. */
  .section .text.init
  .globl _start
_start:
  la t0, iterations
  ld t0, 0(t0)
  li t1, 0
  li t2, 7
1:
  .rept 512
  add t1, t1, t2
  xor t2, t2, t1
  slli t3, t1, 3
  srli t4, t2, 5
  add t1, t1, t3
  sub t2, t2, t4
  .endr
  addi t0, t0, -1
  bnez t0, 1b
  BENCH_EXIT
BENCH_DATA(20000)
