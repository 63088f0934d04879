/* rv64c: every RV64C instruction (quadrants 0, 1, 2, incl. c.addi4spn,
   c.addi16sp, c.lwsp/ldsp/swsp/sdsp, c.fld/fsd/fldsp/fsdsp, c.addiw at the
   RV32 c.jal encoding, c.ebreak, c.jalr linking pc + 2), immediate extremes
   and sign extension, HINT encodings executing as no-ops, illegal and
   reserved encodings (mtval = the 16 instruction bits), 32-bit instructions
   at 2-byte aligned addresses and across a 4 KiB page boundary. */
#include "common.h"

TEST_BEGIN
  la sp, c_stack
  la s0, cdata
  .option push
  .option rvc

  /* ---- quadrant 0 ---- */
  CASE 1                                          /* c.addi4spn */
  c.addi4spn a0, sp, 16
  la a1, c_stack + 16
  CHECKR a0, a1
  c.addi4spn a2, sp, 1020
  la a1, c_stack + 1020
  CHECKR a2, a1
  c.addi4spn s1, sp, 4
  la a1, c_stack + 4
  CHECKR s1, a1
  CASE 2                                          /* c.lw sign-extends */
  li a1, 0x89abcdef80000001
  sd a1, 0(s0)
  c.lw a0, 4(s0)
  CHECK a0, 0xffffffff89abcdef
  c.lw a2, 0(s0)
  CHECK a2, 0xffffffff80000001
  CASE 3                                          /* c.lw max offset 124 */
  li a1, 0x7654321
  sw a1, 124(s0)
  c.lw a3, 124(s0)
  CHECK a3, 0x7654321
  CASE 4                                          /* c.ld, offsets 8 and 248 */
  li a1, 0x0123456789abcdef
  sd a1, 8(s0)
  c.ld a4, 8(s0)
  CHECKR a4, a1
  li a1, 0xfedcba9876543210
  sd a1, 248(s0)
  c.ld a5, 248(s0)
  CHECKR a5, a1
  CASE 5                                          /* c.sw */
  li a1, -1
  sd a1, 16(s0)
  li a2, 0x1122334455667788
  c.sw a2, 20(s0)
  ld a3, 16(s0)
  CHECK a3, 0x55667788ffffffff
  CASE 6                                          /* c.sd */
  li a2, 0x0f0e0d0c0b0a0908
  c.sd a2, 24(s0)
  ld a3, 24(s0)
  CHECKR a3, a2
  c.sd a2, 240(s0)
  ld a3, 240(s0)
  CHECKR a3, a2
  CASE 7                                          /* c.fld / c.fsd */
  li a1, 0x400c000000000000
  sd a1, 32(s0)
  c.fld fa0, 32(s0)
  fmv.x.d a0, fa0
  CHECKR a0, a1
  c.fsd fa0, 40(s0)
  ld a2, 40(s0)
  CHECKR a2, a1
  c.fsd fa0, 248(s0)
  c.fld fs1, 248(s0)
  fmv.x.d a3, fs1
  CHECKR a3, a1

  /* ---- quadrant 1 ---- */
  CASE 8                                          /* c.nop */
  li a0, 7
  c.nop
  c.nop
  CHECK a0, 7
  CASE 9                                          /* c.addi */
  li a0, 10
  c.addi a0, -32
  CHECK a0, -22
  c.addi a0, 31
  CHECK a0, 9
  li t0, 0x7fffffffffffffff
  c.addi t0, 1
  CHECK t0, 0x8000000000000000
  CASE 10                                         /* c.addiw */
  li a0, 0x7fffffff
  c.addiw a0, 1
  CHECK a0, 0xffffffff80000000
  li a0, 0x1234567887654321
  c.addiw a0, 0                                   /* sext.w */
  CHECK a0, 0xffffffff87654321
  li t1, 5
  c.addiw t1, -6
  CHECK t1, -1
  CASE 11                                         /* the RV32 c.jal encoding is c.addiw a0, 1 */
  li a0, 0xffffffff
  .hword 0x2505
  CHECK a0, 0
  li a0, 41
  .hword 0x2505
  CHECK a0, 42
  CASE 12                                         /* c.li */
  c.li a0, -32
  CHECK a0, -32
  c.li a0, 31
  CHECK a0, 31
  c.li s11, -1
  CHECK s11, -1
  CASE 13                                         /* c.addi16sp */
  mv s2, sp
  c.addi16sp sp, -512
  addi a1, s2, -512
  CHECKR sp, a1
  c.addi16sp sp, 496
  addi a1, s2, -16
  CHECKR sp, a1
  c.addi16sp sp, 16
  CHECKR sp, s2
  CASE 14                                         /* c.lui */
  c.lui a0, 1
  CHECK a0, 0x1000
  c.lui a0, 0x1f
  CHECK a0, 0x1f000
  c.lui a0, 0xfffe0
  CHECK a0, 0xfffffffffffe0000
  c.lui a0, 0xfffff
  CHECK a0, 0xfffffffffffff000
  c.lui t2, 0x10
  CHECK t2, 0x10000
  CASE 15                                         /* c.srli */
  li a0, 0x8000000000000000
  c.srli a0, 63
  CHECK a0, 1
  li a1, -1
  c.srli a1, 1
  CHECK a1, 0x7fffffffffffffff
  li a2, -1
  c.srli a2, 32
  CHECK a2, 0xffffffff
  CASE 16                                         /* c.srai */
  li a0, 0x8000000000000000
  c.srai a0, 63
  CHECK a0, -1
  li a1, 0x8000000000000000
  c.srai a1, 32
  CHECK a1, 0xffffffff80000000
  li a2, 0x4000000000000000
  c.srai a2, 1
  CHECK a2, 0x2000000000000000
  CASE 17                                         /* c.andi */
  li a0, 0x123456789
  c.andi a0, -32
  CHECK a0, 0x123456780
  li a0, 0x123456789
  c.andi a0, 15
  CHECK a0, 9
  li a0, -1
  c.andi a0, -1
  CHECK a0, -1
  CASE 18                                         /* c.sub / c.xor / c.or / c.and */
  li a0, 5
  li a1, 7
  c.sub a0, a1
  CHECK a0, -2
  li a0, 0xff00ff00ff00ff00
  li a1, 0x0ff00ff00ff00ff0
  mv a2, a0
  c.xor a2, a1
  CHECK a2, 0xf0f0f0f0f0f0f0f0
  mv a2, a0
  c.or a2, a1
  CHECK a2, 0xfff0fff0fff0fff0
  mv a2, a0
  c.and a2, a1
  CHECK a2, 0x0f000f000f000f00
  CASE 19                                         /* c.subw / c.addw */
  li a0, 0x7fffffff
  li a1, 1
  c.addw a0, a1
  CHECK a0, 0xffffffff80000000
  li a0, 0x100000000
  li a1, 1
  c.subw a0, a1
  CHECK a0, -1
  li s1, 0xffffffff80000000
  li a5, 1
  c.subw s1, a5
  CHECK s1, 0x7fffffff
  CASE 20                                         /* c.j forward and backward */
  li a0, 0
  c.j 2f
1:
  addi a0, a0, 1
  c.j 3f
2:
  addi a0, a0, 10
  c.j 1b
3:
  CHECK a0, 11
  CASE 21                                         /* c.beqz / c.bnez both ways */
  li a0, 0
  li s1, 0
  c.beqz s1, 1f
  li a0, 100
1:
  addi a0, a0, 1
  li s1, 1
  c.beqz s1, 1f
  addi a0, a0, 2
1:
  c.bnez s1, 1f
  addi a0, a0, 100
1:
  li s1, 0
  c.bnez s1, 1f
  addi a0, a0, 4
1:
  CHECK a0, 7
  CASE 22                                         /* c.bnez loop (backward) */
  li a5, 8
  li a0, 0
1:
  addi a0, a0, 2
  c.addi a5, -1
  c.bnez a5, 1b
  CHECK a0, 16
  li a4, 1
  li a0, 0
1:
  addi a0, a0, 3
  addi a4, a4, -1
  c.beqz a4, 1b
  CHECK a0, 6

  /* ---- quadrant 2 ---- */
  CASE 23                                         /* c.slli */
  li a0, 1
  c.slli a0, 63
  CHECK a0, 0x8000000000000000
  li a0, 0x1234567
  c.slli a0, 32
  CHECK a0, 0x0123456700000000
  li ra, 3
  c.slli ra, 1
  CHECK ra, 6
  CASE 24                                         /* c.lwsp (sign-extends) / c.swsp */
  li a1, 0x80000000
  c.swsp a1, 252(sp)
  c.lwsp a0, 252(sp)
  CHECK a0, 0xffffffff80000000
  lwu a2, 252(sp)
  CHECK a2, 0x80000000
  li a1, 0x12345678
  c.swsp a1, 0(sp)
  c.lwsp t3, 0(sp)
  CHECK t3, 0x12345678
  CASE 25                                         /* c.ldsp / c.sdsp */
  li a1, 0x0123456789abcdef
  c.sdsp a1, 504(sp)
  c.ldsp a0, 504(sp)
  CHECKR a0, a1
  ld a2, 504(sp)
  CHECKR a2, a1
  c.sdsp a1, 8(sp)
  c.ldsp s5, 8(sp)
  CHECKR s5, a1
  CASE 26                                         /* c.fldsp / c.fsdsp */
  li a1, 0xc01c000000000000
  fmv.d.x ft3, a1
  c.fsdsp ft3, 496(sp)
  c.fldsp ft4, 496(sp)
  fmv.x.d a0, ft4
  CHECKR a0, a1
  ld a2, 496(sp)
  CHECKR a2, a1
  CASE 27                                         /* c.jr */
  la a1, 2f
  c.jr a1
  j fail
2:
  CASE 28                                         /* c.mv */
  li a1, 0x5555aaaa5555aaaa
  c.mv a0, a1
  CHECKR a0, a1
  c.mv t4, a1
  CHECKR t4, a1
  CASE 29                                         /* c.jalr links pc + 2 */
  la a1, 2f
1:
  c.jalr a1
  j fail
2:
  la a2, 1b
  addi a2, a2, 2
  CHECKR ra, a2
  CASE 30                                         /* c.jalr with rs1 == ra: target uses the old ra */
  la ra, 2f
1:
  c.jalr ra
  j fail
2:
  la a2, 1b
  addi a2, a2, 2
  CHECKR ra, a2
  CASE 31                                         /* c.add */
  li a0, 40
  li a1, 2
  c.add a0, a1
  CHECK a0, 42
  li a0, 0x7fffffffffffffff
  li a1, 1
  c.add a0, a1
  CHECK a0, 0x8000000000000000
  CASE 32                                         /* c.ebreak */
  TRAP_CLEAR
  TRAP_SKIP_ON
1:
  c.ebreak
  TRAP_DISARM
  CHECK_TRAP CAUSE_BREAKPOINT
  CHECK_EPC_LABEL 1b
  la a0, 1b
  lhu a0, 0(a0)
  CHECK a0, 0x9002
  CHECK_TRAP_COUNT 1

  /* ---- HINTs execute as no-ops ---- */
  CASE 33
  li a0, 17
  .hword 0x0005                                   /* c.nop with imm != 0 */
  .hword 0x4015                                   /* c.li x0, 5 */
  .hword 0x802a                                   /* c.mv x0, a0 */
  .hword 0x902a                                   /* c.add x0, a0 */
  .hword 0x0002 | (1 << 2)                        /* c.slli x0, 1 */
  .hword 0x0105                                   /* raw c.addi sp, 1 (undone below) */
  addi sp, sp, -1
  bnez x0, fail
  CHECK a0, 17
  la a1, c_stack
  CHECKR sp, a1

  /* ---- illegal / reserved encodings ---- */
  CASE 34                                         /* all zeros */
  TRAP_CLEAR
  TRAP_SKIP_ON
1:
  .hword 0x0000
  TRAP_DISARM
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_EPC_LABEL 1b
  CHECK_TVAL 0
  CASE 35                                         /* c.addi4spn with nzuimm = 0 */
  TRAP_CLEAR
  TRAP_SKIP_ON
  .hword 0x0004
  TRAP_DISARM
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_TVAL 0x0004
  CASE 36                                         /* c.lwsp x0 */
  TRAP_CLEAR
  TRAP_SKIP_ON
  .hword 0x4002
  TRAP_DISARM
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_TVAL 0x4002
  CASE 37                                         /* c.ldsp x0 */
  TRAP_CLEAR
  TRAP_SKIP_ON
  .hword 0x6002
  TRAP_DISARM
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_TVAL 0x6002
  CASE 38                                         /* c.jr x0 */
  TRAP_CLEAR
  TRAP_SKIP_ON
  .hword 0x8002
  TRAP_DISARM
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_TVAL 0x8002
  CASE 39                                         /* c.addi16sp with imm = 0 */
  TRAP_CLEAR
  TRAP_SKIP_ON
  .hword 0x6101
  TRAP_DISARM
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_TVAL 0x6101
  CASE 40                                         /* c.lui with imm = 0 */
  TRAP_CLEAR
  TRAP_SKIP_ON
  .hword 0x6081
  TRAP_DISARM
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_TVAL 0x6081
  CASE 41                                         /* c.addiw with rd = x0 is reserved */
  TRAP_CLEAR
  TRAP_SKIP_ON
  .hword 0x2005
  TRAP_DISARM
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_TVAL 0x2005
  CASE 42                                         /* the trapping instructions did nothing */
  la a1, c_stack
  CHECKR sp, a1

  /* ---- alignment ---- */
  CASE 43                                         /* 32-bit instructions at 2 mod 4 */
  li a0, 0
  c.nop
  .balign 4
  c.nop
  addi a0, a0, 1
  addi a0, a0, 2
  lui a1, 0x1
  CHECK a0, 3
  CHECK a1, 0x1000
  CASE 44                                         /* jalr to a 2-byte aligned target */
  la a1, half_target
  andi a2, a1, 3
  CHECK a2, 2
  li a0, 0
  jalr ra, 0(a1)
  CHECK a0, 44
  CASE 45                                         /* a 32-bit instruction across a page boundary */
  la a1, straddle
  srli a2, a1, 12
  addi a1, a1, 2
  srli a1, a1, 12
  sub a2, a1, a2
  CHECK a2, 1
  li a0, 0
  call straddle
  CHECK a0, 0x123
  CASE 46                                         /* c.j across 2 KiB */
  li a0, 0
  c.j 2f
  .fill 500, 2, 0x0001                            /* c.nop x 500 */
  j fail
2:
  li a0, 46
  c.j 3f
1:
  j fail
3:
  CHECK a0, 46
  .option pop
TEST_END

  .text
  .option push
  .option rvc
  .balign 4
  c.nop
half_target:
  addi a0, zero, 44
  ret

  .balign 4096
  .fill 2047, 2, 0x0001                           /* c.nop up to page end - 2 */
straddle:
  .option norvc
  addi a0, zero, 0x123                            /* bytes 0xffe..0x1001 */
  ret
  .option pop

  .data
  .align 6
cdata:
  .skip 256
  .align 6
  .skip 1024
c_stack:
  .skip 1024
