/* jit-smc: code rewritten after it ran thousands of times, so the translation tier has
   compiled it (at any threshold up to 3000; the test also runs with --jit 1). After a store
   and fence.i, as the ISA requires, the new code must run: a page holding compiled code
   has to notice the store. The patched function shares its page with the calling loop, so
   the loop's own compiled region is retired too, and case 3 patches a word in the middle
   of a loop body that keeps running. */
#include "common.h"

TEST_BEGIN
  CASE 1
  li s0, 0
  li s1, 3000
1:
  call patched
  add s0, s0, a0
  addi s1, s1, -1
  bnez s1, 1b
  CHECK s0, 3000

  CASE 2
  la t0, patched
  la t1, template
  lw t2, 0(t1)
  sw t2, 0(t0)
  fence.i
  li s0, 0
  li s1, 3000
1:
  call patched
  add s0, s0, a0
  addi s1, s1, -1
  bnez s1, 1b
  CHECK s0, 6000

  CASE 3
  /* Run the loop hot, patch its increment from 1 to 5 from inside the loop (at
     iteration 2000), then let it finish: 2000 * 1 + 1000 * 5 = 7000. */
  la t0, increment
  la t1, template5
  lw s2, 0(t1)
  li s0, 0
  li s1, 3000
1:
  li t3, 1000
  bne s1, t3, 2f
  sw s2, 0(t0)
  fence.i
2:
.option push
.option norvc
increment:
  addi s0, s0, 1
.option pop
  addi s1, s1, -1
  bnez s1, 1b
  CHECK s0, 7000
TEST_END

.option push
.option norvc
patched:
  addi a0, zero, 1
  ret
template:
  addi a0, zero, 2
template5:
  addi s0, s0, 5
.option pop
