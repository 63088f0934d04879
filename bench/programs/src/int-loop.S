#include "harness.h"
/* A tight integer loop: adds, xors, shifts and a counted branch (8 instructions per round). */
  .section .text.init
  .globl _start
_start:
  la t0, iterations
  ld t0, 0(t0)
  li t1, 0
  li t2, 7
1:
  add t1, t1, t2
  xor t2, t2, t1
  slli t3, t1, 3
  srli t4, t2, 5
  add t1, t1, t3
  sub t2, t2, t4
  addi t0, t0, -1
  bnez t0, 1b
  BENCH_EXIT
BENCH_DATA(40000000)
