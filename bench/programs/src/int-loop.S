#include "harness.h"
#include "int-body.h"
/* A tight integer loop: adds, xors, shifts and a counted branch (8 instructions per round). */
  .section .text.init
  .globl _start
_start:
  rounds_and_seeds
1:
  int_steps
  addi t0, t0, -1
  bnez t0, 1b
  BENCH_EXIT
BENCH_DATA(40000000)
