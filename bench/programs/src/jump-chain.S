#include "harness.h"
/* Region transitions: four parts of 8 instructions (a copy of int-loop's body), each on its
   own 64-byte line and ending in an indirect jump to the next, so a translating VM leaves
   and enters compiled code four times per round (33 instructions). Against int-loop it
   shows what a transition costs. */
  .section .text.init
  .globl _start
_start:
  la t0, iterations
  ld t0, 0(t0)
  li t1, 0
  li t2, 7
  la s1, part1
  la s2, part2
  la s3, part3
  la s4, part0

/* int-loop's six ALU steps; each part then counts itself in a1 (the last one counts rounds) and jumps on */
.macro body
  add t1, t1, t2
  xor t2, t2, t1
  slli t3, t1, 3
  srli t4, t2, 5
  add t1, t1, t3
  sub t2, t2, t4
.endm

part0:
  body
  addi a1, a1, 1
  jr s1
  .align 6
part1:
  body
  addi a1, a1, 1
  jr s2
  .align 6
part2:
  body
  addi a1, a1, 1
  jr s3
  .align 6
part3:
  body
  addi t0, t0, -1
  beqz t0, done
  jr s4
done:
  BENCH_EXIT
BENCH_DATA(5000000)
