#include "harness.h"
#include "int-body.h"
/* Long straight-line code, as in an unrolled hash (the kernel's blake2s_compress runs 2,600
   instructions without a branch, thousands of times during boot): int-loop's six ALU steps
   512 times over, then the counted branch (3,074 instructions per round). Control lands
   only once a round, so a VM that counts visits to decide what to compile sees it as cold. */
  .section .text.init
  .globl _start
_start:
  rounds_and_seeds
1:
  .rept 512
  int_steps
  .endr
  addi t0, t0, -1
  bnez t0, 1b
  BENCH_EXIT
BENCH_DATA(20000)
