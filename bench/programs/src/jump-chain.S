#include "harness.h"
#include "int-body.h"
/* Region transitions: four parts of 8 instructions (a copy of int-loop's body), each on its
   own 64-byte line and ending in an indirect jump to the next, so a translating VM leaves
   and enters compiled code four times per round (33 instructions). Against int-loop it
   shows what a transition costs. */
  .section .text.init
  .globl _start
_start:
  rounds_and_seeds
  la s1, part1
  la s2, part2
  la s3, part3
  la s4, part0

/* Each part: int-loop's six ALU steps, then it counts itself in a1 (the last one counts rounds) and jumps on. */

part0:
  int_steps
  addi a1, a1, 1
  jr s1
  .align 6
part1:
  int_steps
  addi a1, a1, 1
  jr s2
  .align 6
part2:
  int_steps
  addi a1, a1, 1
  jr s3
  .align 6
part3:
  int_steps
  addi t0, t0, -1
  beqz t0, done
  jr s4
done:
  BENCH_EXIT
BENCH_DATA(5000000)
