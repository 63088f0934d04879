#include "harness.h"
/* Code that runs only a few hundred times, as most of a Linux boot does: 32,768 instructions
   of a pseudo-random mix close to what the kernel's initramfs unpack interprets (ALU ops and
   their 32-bit forms, shifts, loads and stores, on random registers), then the counted branch.
   An interpreter's dispatch cannot predict such a stream (its op sequence is far longer than
   a branch predictor holds), and a VM that compiles code only once it is hot runs all of it
   interpreted; QEMU translates it all on first sight. The same generator (a linear
   congruential one, in the assembler) makes the same program on every build. */
  .altmacro
  .set seed, 20261201

.macro next_random
  .set seed, (seed * 1103515245 + 12345) & 0x7fffffff
.endm

/* A register from x10..x31 (a0-a7, s2-s11, t3-t6): never t0 (the rounds) or s1 (the buffer). */
.macro pick_register name
  next_random
  .set \name, 10 + ((seed >> 8) % 22)
.endm

.macro rr op, d, a, b
  \op x\d, x\a, x\b
.endm
.macro ri op, d, a, imm
  \op x\d, x\a, \imm
.endm
.macro mem op, r, off
  \op x\r, \off(s1)
.endm

/* One instruction, its kind weighted like the unpack phase's interpreted ones. */
.macro random_instruction
  pick_register rd
  pick_register rs
  pick_register rt
  next_random
  .set imm, ((seed >> 4) % 256) - 128
  .set shamt, 1 + ((seed >> 12) % 31)
  .set off, 8 * ((seed >> 20) % 32)
  next_random
  .set kind, (seed >> 8) % 100
  .if kind < 12
    rr add, %rd, %rs, %rt
  .elseif kind < 22
    ri addiw, %rd, %rs, %imm
  .elseif kind < 34
    ri addi, %rd, %rs, %imm
  .elseif kind < 38
    rr addw, %rd, %rs, %rt
  .elseif kind < 40
    rr subw, %rd, %rs, %rt
  .elseif kind < 42
    rr sub, %rd, %rs, %rt
  .elseif kind < 44
    rr xor, %rd, %rs, %rt
  .elseif kind < 46
    rr or, %rd, %rs, %rt
  .elseif kind < 48
    rr and, %rd, %rs, %rt
  .elseif kind < 50
    ri andi, %rd, %rs, %imm
  .elseif kind < 54
    ri slli, %rd, %rs, %shamt
  .elseif kind < 56
    ri srli, %rd, %rs, %shamt
  .elseif kind < 57
    rr sltu, %rd, %rs, %rt
  .elseif kind < 68
    mem ld, %rd, %off
  .elseif kind < 71
    mem lbu, %rd, %off
  .elseif kind < 74
    mem lw, %rd, %off
  .elseif kind < 75
    mem lhu, %rd, %off
  .elseif kind < 86
    mem sd, %rs, %off
  .elseif kind < 88
    mem sw, %rs, %off
  .elseif kind < 89
    mem sh, %rs, %off
  .elseif kind < 90
    mem sb, %rs, %off
  .elseif kind < 95
    ri slliw, %rd, %rs, %(shamt % 32)
  .else
    ri srai, %rd, %rs, %shamt
  .endif
.endm

  .section .text.init
  .globl _start
_start:
  la t0, iterations
  ld t0, 0(t0)
  la s1, buffer
1:
  .rept 32768
  random_instruction
  .endr
  addi t0, t0, -1
  beqz t0, 2f
  j 1b
2:
  BENCH_EXIT
BENCH_DATA(150)
  .bss
  .align 6
buffer: .space 256
