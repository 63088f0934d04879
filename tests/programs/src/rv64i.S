/* rv64i: the RV64I base ISA: every ALU op (register, immediate, W forms),
   shifts by 63/31 and the shift-amount masking, lui/auipc, every branch
   both ways, jal/jalr (link, offsets, bit 0 cleared, rd == rs1), loads with
   sign/zero extension, stores of each width, x0, fence, fence.i with
   self-modifying code. */
#include "common.h"

TEST_BEGIN
  /* ---- register-register ALU ---- */
  TEST_RR  1, add, 0, 0, 0
  TEST_RR  2, add, 0x8000000000000000, 0x7fffffffffffffff, 1
  TEST_RR  3, add, -2, -1, -1
  TEST_RR  4, sub, -1, 0, 1
  TEST_RR  5, sub, 0x7fffffffffffffff, 0x8000000000000000, 1
  TEST_RR  6, sll, 0x8000000000000000, 1, 63
  TEST_RR  7, sll, 8, 1, 67                       /* shamt = rs2[5:0] */
  TEST_RR  8, sll, 0xffffffff00000000, -1, 32
  TEST_RR  9, slt, 1, -1, 1
  TEST_RR 10, slt, 0, 1, -1
  TEST_RR 11, sltu, 0, -1, 1
  TEST_RR 12, sltu, 1, 1, -1
  TEST_RR 13, xor, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0
  TEST_RR 14, srl, 1, 0x8000000000000000, 63
  TEST_RR 15, srl, 0x7fffffffffffffff, -1, 1
  TEST_RR 16, sra, -1, 0x8000000000000000, 63
  TEST_RR 17, sra, 0xc000000000000000, 0x8000000000000000, 1
  TEST_RR 18, sra, -2, -4, 65
  TEST_RR 19, or, 0xfff0fff0fff0fff0, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0
  TEST_RR 20, and, 0x0f000f000f000f00, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0
  TEST_RR 21, addw, 0xffffffff80000000, 0x7fffffff, 1
  TEST_RR 22, addw, 0, 0xffffffff, 1
  TEST_RR 23, addw, 0x23456789, 0x123456789, 0
  TEST_RR 24, subw, -1, 0, 1
  TEST_RR 25, subw, 0x7fffffff, 0xffffffff80000000, 1
  TEST_RR 26, sllw, 0xffffffff80000000, 1, 31
  TEST_RR 27, sllw, 2, 1, 33                      /* shamt = rs2[4:0] */
  TEST_RR 28, srlw, 1, 0xffffffff80000000, 31
  TEST_RR 29, srlw, -1, -1, 0
  TEST_RR 30, srlw, 0x40000000, 0xffffffff80000000, 1
  TEST_RR 31, sraw, -1, 0xffffffff80000000, 31
  TEST_RR 32, sraw, 0xffffffffc0000000, 0x0000000080000000, 1
  TEST_RR 33, sraw, 0x7fffffff, 0x7fffffff, 32

  /* ---- register-immediate ALU ---- */
  TEST_RI 34, addi, 0x8000000000000000, 0x7fffffffffffffff, 1
  TEST_RI 35, addi, -2048, 0, -2048
  TEST_RI 36, addi, 2048, 1, 2047
  TEST_RI 37, slti, 1, -5, -4
  TEST_RI 38, slti, 0, 5, -4
  TEST_RI 39, sltiu, 1, 0, -1                     /* imm sign-extended, then unsigned */
  TEST_RI 40, sltiu, 0, -1, -1
  TEST_RI 41, xori, 0xffffffffff00ff00, 0x00ff00ff, -1
  TEST_RI 42, ori, 0xff00ff0f, 0xff00ff00, 0x70f
  TEST_RI 43, ori, 0xfffffffffffff800, 0, -2048
  TEST_RI 44, andi, 0x700, 0xff00ff00, 0x70f
  TEST_RI 45, andi, 0xfffffffffffff800, -1, -2048
  TEST_RI 46, slli, 0x8000000000000000, 1, 63
  TEST_RI 47, slli, 0x8000000080000000, 0x0000000100000001, 31
  TEST_RI 48, srli, 1, 0x8000000000000000, 63
  TEST_RI 49, srli, 0x00000000ffffffff, -1, 32
  TEST_RI 50, srai, -1, 0x8000000000000000, 63
  TEST_RI 51, srai, 1, 0x7fffffffffffffff, 62
  TEST_RI 52, addiw, 0xffffffff80000000, 0x7fffffff, 1
  TEST_RI 53, addiw, -1, 0xffffffff00000005, -6
  TEST_RI 54, addiw, 0x23456780, 0x123456780, 0
  TEST_RI 55, addiw, 0xffffffff80000000, 0x80000000, 0
  TEST_RI 56, slliw, 0xffffffff80000000, 1, 31
  TEST_RI 57, slliw, 0xffffffffc0000000, 0xffffffff00000003, 30
  TEST_RI 58, srliw, 1, 0xffffffff80000000, 31
  TEST_RI 59, srliw, -1, -1, 0
  TEST_RI 60, srliw, 0x08000000, 0x0000000180000000, 4
  TEST_RI 61, sraiw, -1, 0xffffffff80000000, 31
  TEST_RI 62, sraiw, 0xfffffffff8000000, 0x80000000, 4
  TEST_RI 63, sraiw, 0, 0x17fffffff, 31

  /* ---- lui / auipc ---- */
  CASE 64
  lui a0, 0x80000
  CHECK a0, 0xffffffff80000000
  CASE 65
  lui a0, 0x7ffff
  CHECK a0, 0x7ffff000
  CASE 66
  lui a0, 0xfffff
  CHECK a0, 0xfffffffffffff000
  CASE 67
1:
  auipc a0, 0
  la a1, 1b
  CHECKR a0, a1
  CASE 68
1:
  auipc a0, 1
  la a1, 1b
  li a2, 0x1000
  add a1, a1, a2
  CHECKR a0, a1
  CASE 69
1:
  auipc a0, 0xfffff                               /* -0x1000 */
  la a1, 1b
  li a2, -0x1000
  add a1, a1, a2
  CHECKR a0, a1
  CASE 70
1:
  auipc a0, 0x80000                               /* -0x8000_0000, sign-extended */
  la a1, 1b
  li a2, 0xffffffff80000000
  add a1, a1, a2
  CHECKR a0, a1

  /* ---- x0 ---- */
  CASE 71
  li a0, 5
  addi x0, x0, 5
  lui x0, 0x12345
  add x0, a0, a0
  mv a0, x0
  CHECK a0, 0
  bnez x0, fail

  /* ---- branches ---- */
  TEST_BR  72, beq, 0, 0, 1
  TEST_BR  73, beq, 1, 0, 0
  TEST_BR  74, beq, -1, -1, 1
  TEST_BR  75, bne, 1, 0, 1
  TEST_BR  76, bne, 3, 3, 0
  TEST_BR  77, blt, -1, 1, 1
  TEST_BR  78, blt, 1, -1, 0
  TEST_BR  79, blt, 1, 1, 0
  TEST_BR  80, bge, 1, -1, 1
  TEST_BR  81, bge, 1, 1, 1
  TEST_BR  82, bge, -1, 1, 0
  TEST_BR  83, bltu, 1, -1, 1
  TEST_BR  84, bltu, -1, 1, 0
  TEST_BR  85, bltu, 0, 0, 0
  TEST_BR  86, bgeu, -1, 1, 1
  TEST_BR  87, bgeu, 1, -1, 0
  TEST_BR  88, bgeu, 5, 5, 1
  CASE 89                                         /* backward taken branch */
  li a1, 10
  li a0, 0
1:
  addi a0, a0, 3
  addi a1, a1, -1
  bnez a1, 1b
  CHECK a0, 30

  /* ---- jal / jalr ---- */
  CASE 90
  li ra, 0
  jal ra, 2f
1:
  j fail
2:
  la a1, 1b
  CHECKR ra, a1
  CASE 91
  jal a5, 2f
1:
  j fail
2:
  la a1, 1b
  CHECKR a5, a1
  CASE 92                                         /* jalr: link and target */
  la a1, 2f
  jalr ra, 0(a1)
1:
  j fail
2:
  la a2, 1b
  CHECKR ra, a2
  CASE 93                                         /* positive offset */
  la a1, 2f
  addi a1, a1, -8
  jalr ra, 8(a1)
  j fail
2:
  CASE 94                                         /* bit 0 of the target is cleared */
  la a1, 2f
  ori a1, a1, 1
  jalr ra, 0(a1)
  j fail
  .align 2
2:
  CASE 95                                         /* rd == rs1: target uses the old value */
  la a1, 2f
  jalr a1, 0(a1)
1:
  j fail
2:
  la a2, 1b
  CHECKR a1, a2
  CASE 96                                         /* negative offset */
  la a1, 2f
  addi a1, a1, 16
  jalr ra, -16(a1)
  j fail
2:
  CASE 97                                         /* odd sum, bit 0 cleared */
  la a1, 2f
  addi a1, a1, 2
  jalr t0, -1(a1)
  j fail
  .align 2
2:
  CASE 98                                         /* jalr x0 (no link) */
  li ra, 77
  la a1, 2f
  jalr x0, 0(a1)
  j fail
2:
  CHECK ra, 77
  CASE 99                                         /* call / ret */
  li a0, 0
  call subroutine
  CHECK a0, 99

  /* ---- loads ---- */
  la s0, ldata
  CASE 100
  lb a0, 0(s0)
  CHECK a0, 0xffffffffffffff88
  CASE 101
  lbu a0, 0(s0)
  CHECK a0, 0x88
  CASE 102
  lb a0, 8(s0)
  CHECK a0, 0xffffffffffffffef
  lb a1, 15(s0)
  CHECK a1, 0x01
  CASE 103
  lh a0, 0(s0)
  CHECK a0, 0xffffffffffff9788
  CASE 104
  lhu a0, 0(s0)
  CHECK a0, 0x9788
  CASE 105
  lh a0, 14(s0)
  CHECK a0, 0x0123
  CASE 106
  lw a0, 0(s0)
  CHECK a0, 0xffffffffb5a69788
  CASE 107
  lwu a0, 0(s0)
  CHECK a0, 0xb5a69788
  CASE 108
  lw a0, 12(s0)
  CHECK a0, 0x01234567
  CASE 109
  ld a0, 0(s0)
  CHECK a0, 0xf1e2d3c4b5a69788
  CASE 110
  ld a0, 8(s0)
  CHECK a0, 0x0123456789abcdef
  CASE 111
  addi a1, s0, 8
  lb a0, -1(a1)
  CHECK a0, 0xfffffffffffffff1
  lbu a0, -1(a1)
  CHECK a0, 0xf1
  CASE 112
  lhu a0, 6(s0)
  CHECK a0, 0xf1e2
  lh a0, 6(s0)
  CHECK a0, 0xfffffffffffff1e2
  CASE 113
  lwu a0, 4(s0)
  CHECK a0, 0xf1e2d3c4
  lw a0, 4(s0)
  CHECK a0, 0xfffffffff1e2d3c4
  CASE 114                                        /* ld with negative offset */
  addi a1, s0, 16
  ld a0, -8(a1)
  CHECK a0, 0x0123456789abcdef
  CASE 115                                        /* load into x0 has no effect */
  lw x0, 0(s0)
  ld x0, 8(s0)
  bnez x0, fail

  /* ---- stores ---- */
  la s1, sdata
  li a0, -1
  sd a0, 0(s1)
  sd a0, 8(s1)
  CASE 116
  li a0, 0x123
  sb a0, 1(s1)
  ld a1, 0(s1)
  CHECK a1, 0xffffffffffff23ff
  CASE 117
  li a0, 0x12345678
  sh a0, 2(s1)
  ld a1, 0(s1)
  CHECK a1, 0xffffffff567823ff
  CASE 118
  li a0, 0x0123456789abcdef
  sw a0, 4(s1)
  ld a1, 0(s1)
  CHECK a1, 0x89abcdef567823ff
  CASE 119
  li a0, 0x0123456789abcdef
  sd a0, 8(s1)
  ld a1, 8(s1)
  CHECK a1, 0x0123456789abcdef
  CASE 120
  addi a2, s1, 16
  li a0, 0x1122334455667788
  sd a0, -16(a2)
  ld a1, 0(s1)
  CHECK a1, 0x1122334455667788
  CASE 121
  li a0, 0x80000000
  sw a0, 0(s1)
  lw a1, 0(s1)
  CHECK a1, 0xffffffff80000000
  lwu a1, 0(s1)
  CHECK a1, 0x80000000
  ld a1, 0(s1)
  CHECK a1, 0x1122334480000000
  CASE 122
  li a0, 0x8000
  sh a0, 6(s1)
  lh a1, 6(s1)
  CHECK a1, 0xffffffffffff8000
  lhu a1, 6(s1)
  CHECK a1, 0x8000
  CASE 123
  li a0, 0x80
  sb a0, 7(s1)
  lb a1, 7(s1)
  CHECK a1, 0xffffffffffffff80
  ld a1, 0(s1)
  CHECK a1, 0x8000334480000000
  CASE 124                                        /* store of x0 */
  sd x0, 8(s1)
  ld a1, 8(s1)
  CHECK a1, 0

  /* ---- fences ---- */
  CASE 125
  fence
  fence rw, rw
  fence r, r
  fence w, w
  fence.tso
  fence iorw, iorw
  li a0, 1
  CHECK a0, 1

  /* ---- fence.i with self-modifying code ---- */
  CASE 126
  call smc_func
  CHECK a0, 1
  la a1, smc_func
  li a2, 0x02a00513                               /* addi a0, zero, 42 */
  sw a2, 0(a1)
  fence.i
  call smc_func
  CHECK a0, 42
  CASE 127
  la a1, smc_func
  li a2, 0xff900513                               /* addi a0, zero, -7 */
  sw a2, 0(a1)
  fence.i
  call smc_func
  CHECK a0, -7
  CASE 128                                        /* replace in a loop body */
  li s2, 0
  li s3, 0
2:
  call smc_func2
  add s2, s2, a0
  bnez s3, 3f
  la a1, smc_func2
  li a2, 0x06400513                               /* addi a0, zero, 100 */
  sw a2, 0(a1)
  fence.i
  li s3, 1
  j 2b
3:
  CHECK s2, 103

  /* ---- long branches ---- */
  CASE 129
  li a0, 0
  beqz a0, 1f
  j fail
  .skip 4000
1:
  bnez a0, fail
  CASE 130
  j 2f
1:
  li a0, 130
  j 3f
  .skip 3000
2:
  beqz zero, 1b
  j fail
3:
  CHECK a0, 130
  CASE 131                                        /* jal with a long range */
  jal ra, far_target
  CHECK a0, 0x5a

  /* ---- misc ---- */
  CASE 132                                        /* sext.w / zext via shifts */
  li a1, 0x00000000fedcba98
  sext.w a0, a1
  CHECK a0, 0xfffffffffedcba98
  slli a0, a0, 32
  srli a0, a0, 32
  CHECK a0, 0xfedcba98
  CASE 133                                        /* seqz / snez / neg / not */
  li a1, 0
  seqz a0, a1
  CHECK a0, 1
  snez a0, a1
  CHECK a0, 0
  li a1, 5
  neg a0, a1
  CHECK a0, -5
  not a0, a1
  CHECK a0, -6
  negw a0, a1
  CHECK a0, -5
  CASE 134                                        /* sltu with x0 (snez) */
  li a1, 0x8000000000000000
  sltu a0, x0, a1
  CHECK a0, 1
  CASE 135                                        /* all 31 registers hold values */
  li x1, 1
  li x2, 2
  li x4, 4
  li x5, 5
  li x6, 6
  li x7, 7
  li x8, 8
  li x9, 9
  li x10, 10
  li x11, 11
  li x12, 12
  li x13, 13
  li x14, 14
  li x15, 15
  li x16, 16
  li x17, 17
  li x18, 18
  li x19, 19
  li x20, 20
  li x21, 21
  li x22, 22
  li x23, 23
  li x24, 24
  li x25, 25
  li x26, 26
  li x27, 27
  li x28, 28
  li x29, 29
  add x1, x1, x2
  add x1, x1, x4
  add x1, x1, x5
  add x1, x1, x6
  add x1, x1, x7
  add x1, x1, x8
  add x1, x1, x9
  add x1, x1, x10
  add x1, x1, x11
  add x1, x1, x12
  add x1, x1, x13
  add x1, x1, x14
  add x1, x1, x15
  add x1, x1, x16
  add x1, x1, x17
  add x1, x1, x18
  add x1, x1, x19
  add x1, x1, x20
  add x1, x1, x21
  add x1, x1, x22
  add x1, x1, x23
  add x1, x1, x24
  add x1, x1, x25
  add x1, x1, x26
  add x1, x1, x27
  add x1, x1, x28
  add x1, x1, x29
  CHECK x1, 432                                   /* 1+2+4+...+29 = 435 - 3 */
  CHECK x29, 29
  CHECK x2, 2
TEST_END

  .text
subroutine:
  li a0, 99
  ret

  .option push
  .option norvc
  .align 2
smc_func:
  addi a0, zero, 1
  ret
smc_func2:
  addi a0, zero, 3
  ret
  .option pop

  .skip 100000
far_target:
  li a0, 0x5a
  ret

  .data
  .align 4
ldata:
  .dword 0xf1e2d3c4b5a69788
  .dword 0x0123456789abcdef
sdata:
  .dword 0, 0
