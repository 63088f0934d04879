#include "harness.h"
/* Loads, stores, branches and calls over a 4 KiB array: each round walks 64 words,
   calling a leaf function that mixes a load, a store and a data-dependent branch. */
  .section .text.init
  .globl _start
_start:
  la sp, stack_top
  la s0, iterations
  ld s0, 0(s0)
  li s2, 0
round:
  la s1, array
  li s3, 64
walk:
  mv a0, s1
  mv a1, s2
  call mix
  mv s2, a0
  addi s1, s1, 8
  addi s3, s3, -1
  bnez s3, walk
  addi s0, s0, -1
  bnez s0, round
  BENCH_EXIT

/* a0 = pointer, a1 = accumulator; returns the new accumulator and updates *a0. */
mix:
  ld t0, 0(a0)
  add t0, t0, a1
  andi t1, t0, 1
  beqz t1, 1f
  xori t0, t0, 0x55
  j 2f
1:
  srli t0, t0, 1
2:
  sd t0, 0(a0)
  add a0, a1, t0
  ret

  .bss
  .align 4
array: .space 4096
  .space 4096
stack_top:
BENCH_DATA(200000)
