/* int-loop's round, shared by the rows measured against it (jump-chain, straight-run): the
   counted rounds in t0 and the six dependent ALU steps on t1..t4. */
.macro rounds_and_seeds
  la t0, iterations
  ld t0, 0(t0)
  li t1, 0
  li t2, 7
.endm

.macro int_steps
  add t1, t1, t2
  xor t2, t2, t1
  slli t3, t1, 3
  srli t4, t2, 5
  add t1, t1, t3
  sub t2, t2, t4
.endm
