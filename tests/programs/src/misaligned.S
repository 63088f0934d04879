/* misaligned: ordinary loads and stores at every misaligned offset succeed
   with the right values (lh/lhu/lw/lwu/ld, sh/sw/sd, flw/fld/fsw/fsd,
   compressed c.lw/c.ld/c.sw/c.sd/c.fld/c.fsd), in M, S and U; across a
   4 KiB boundary (physical) and, under Sv39, across two virtual pages mapped
   to non-adjacent physical pages in reverse order; a misaligned access
   running into an unmapped page raises a page fault whose stval is an
   address in the part that faulted (QEMU: the start of the unmapped page;
   never the original address, which lies in the mapped part). */
#include "common.h"

#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_A 0x40
#define PTE_D 0x80
#define VA0 0xC0000000

/* LDCHK n, insn, offset, expected: insn a0, offset(s0) == expected */
.macro LDCHK n, insn, off, val
  CASE \n
  \insn a0, \off(s0)
  CHECK a0, \val
.endm

/* STCHK n, store, offset, value, dword0, dword1: store into a zeroed 16-byte
   buffer at s1, then check both dwords */
.macro STCHK n, insn, off, val, d0, d1
  CASE \n
  sd zero, 0(s1)
  sd zero, 8(s1)
  li a1, \val
  \insn a1, \off(s1)
  ld a2, 0(s1)
  CHECK a2, \d0
  ld a2, 8(s1)
  CHECK a2, \d1
.endm

TEST_BEGIN
  la s0, ldbuf                                    /* bytes 0x80, 0x81, ..., 0x9f */
  la s1, stbuf

  /* ---- loads, every offset ---- */
  LDCHK  1, lh,  1, 0xffffffffffff8281
  LDCHK  2, lhu, 1, 0x8281
  LDCHK  3, lh,  3, 0xffffffffffff8483
  LDCHK  4, lhu, 7, 0x8887
  LDCHK  5, lw,  1, 0xffffffff84838281
  LDCHK  6, lwu, 1, 0x84838281
  LDCHK  7, lw,  2, 0xffffffff85848382
  LDCHK  8, lw,  3, 0xffffffff86858483
  LDCHK  9, lwu, 5, 0x88878685
  LDCHK 10, lw,  6, 0xffffffff89888786
  LDCHK 11, lwu, 7, 0x8a898887
  LDCHK 12, ld,  1, 0x8887868584838281
  LDCHK 13, ld,  2, 0x8988878685848382
  LDCHK 14, ld,  3, 0x8a89888786858483
  LDCHK 15, ld,  4, 0x8b8a898887868584
  LDCHK 16, ld,  5, 0x8c8b8a8988878685
  LDCHK 17, ld,  6, 0x8d8c8b8a89888786
  LDCHK 18, ld,  7, 0x8e8d8c8b8a898887
  LDCHK 19, ld,  9, 0x908f8e8d8c8b8a89
  LDCHK 20, lw, 15, 0xffffffff9291908f
  CASE 21                                         /* positive value, no sign extension */
  la a1, posbuf
  lw a0, 1(a1)
  CHECK a0, 0x04030201
  lh a0, 3(a1)
  CHECK a0, 0x0403
  ld a0, 1(a1)
  CHECK a0, 0x0807060504030201

  /* ---- stores, every offset ---- */
  STCHK 22, sh, 1, 0x1234, 0x0000000000123400, 0
  STCHK 23, sh, 7, 0xabcd, 0xcd00000000000000, 0xab
  STCHK 24, sw, 1, 0x12345678, 0x0000001234567800, 0
  STCHK 25, sw, 2, 0x12345678, 0x0000123456780000, 0
  STCHK 26, sw, 3, 0x12345678, 0x0012345678000000, 0
  STCHK 27, sw, 5, 0x12345678, 0x3456780000000000, 0x12
  STCHK 28, sw, 6, 0x12345678, 0x5678000000000000, 0x1234
  STCHK 29, sw, 7, 0x12345678, 0x7800000000000000, 0x123456
  STCHK 30, sd, 1, 0x0102030405060708, 0x0203040506070800, 0x01
  STCHK 31, sd, 2, 0x0102030405060708, 0x0304050607080000, 0x0102
  STCHK 32, sd, 3, 0x0102030405060708, 0x0405060708000000, 0x010203
  STCHK 33, sd, 4, 0x0102030405060708, 0x0506070800000000, 0x01020304
  STCHK 34, sd, 5, 0x0102030405060708, 0x0607080000000000, 0x0102030405
  STCHK 35, sd, 6, 0x0102030405060708, 0x0708000000000000, 0x010203040506
  STCHK 36, sd, 7, 0x0102030405060708, 0x0800000000000000, 0x01020304050607
  CASE 37                                         /* store then load back at the same odd address */
  li a1, 0xfedcba9876543210
  sd a1, 3(s1)
  ld a0, 3(s1)
  CHECKR a0, a1
  lw a0, 5(s1)
  CHECK a0, 0xffffffffba987654

  /* ---- floating point ---- */
  CASE 38
  flw fa0, 1(s0)
  fmv.x.d a0, fa0
  CHECK a0, 0xffffffff84838281
  fld fa1, 3(s0)
  fmv.x.d a0, fa1
  CHECK a0, 0x8a89888786858483
  CASE 39
  sd zero, 0(s1)
  sd zero, 8(s1)
  li a1, 0x3f800000
  fmv.w.x fa2, a1
  fsw fa2, 5(s1)
  ld a2, 0(s1)
  CHECK a2, 0x8000000000000000
  ld a2, 8(s1)
  CHECK a2, 0x3f
  lwu a2, 5(s1)
  CHECK a2, 0x3f800000
  li a1, 0x400921fb54442d18
  fmv.d.x fa3, a1
  fsd fa3, 7(s1)
  ld a2, 7(s1)
  CHECKR a2, a1

  /* ---- compressed ---- */
  CASE 40
  .option push
  .option rvc
  addi a3, s0, 1
  c.lw a0, 0(a3)
  CHECK a0, 0xffffffff84838281
  c.ld a0, 8(a3)
  CHECK a0, 0x908f8e8d8c8b8a89
  addi a4, s1, 3
  li a1, 0x1122334455667788
  c.sd a1, 0(a4)
  ld a0, 3(s1)
  CHECKR a0, a1
  li a1, 0xcafef00d
  c.sw a1, 4(a4)
  lwu a0, 7(s1)
  CHECK a0, 0xcafef00d
  c.fld fa0, 0(a3)
  fmv.x.d a0, fa0
  CHECK a0, 0x8887868584838281
  c.fsd fa0, 0(a4)
  ld a0, 3(s1)
  CHECK a0, 0x8887868584838281
  CASE 41                                         /* sp-relative compressed */
  addi sp, s0, 3
  c.lwsp a0, 0(sp)
  CHECK a0, 0xffffffff86858483
  c.ldsp a0, 8(sp)
  CHECK a0, 0x9291908f8e8d8c8b
  .option pop

  /* ---- across a 4 KiB boundary (physical) ---- */
  la s2, page_b                                   /* page_a (bytes 0xa0..) is just below page_b */
  CASE 42
  lw a0, -2(s2)
  CHECK a0, 0x01009f9e
  ld a0, -5(s2)
  CHECK a0, 0x0201009f9e9d9c9b
  CASE 43
  li a1, 0x0102030405060708
  sd a1, -3(s2)
  ld a0, -3(s2)
  CHECKR a0, a1
  lbu a0, -1(s2)
  CHECK a0, 0x06
  lbu a0, 0(s2)
  CHECK a0, 0x05

  /* ---- in S and U (bare) ---- */
  CASE 44
  addi a1, s0, 5
  TRAP_CLEAR
  RUN_MODE 1, x_load
  CHECK_TRAP CAUSE_ECALL_S
  CHECK a4, 0x8c8b8a8988878685
  CASE 45
  addi a1, s1, 1
  li a2, 0x0f0e0d0c0b0a0908
  TRAP_CLEAR
  RUN_MODE 0, x_store
  CHECK_TRAP CAUSE_ECALL_U
  ld a0, 1(s1)
  CHECKR a0, a2
  addi a1, s0, 2
  TRAP_CLEAR
  RUN_MODE 0, x_load
  CHECK_TRAP CAUSE_ECALL_U
  CHECK a4, 0x8988878685848382

  /* ---- across virtual pages (Sv39) ---- */
  /* VA0 -> page_b, VA0 + 4K -> page_a (reversed), VA0 + 8K unmapped */
  la a0, vm_start
  la a1, vm_end
1:
  sd zero, 0(a0)
  addi a0, a0, 8
  bltu a0, a1, 1b
  la a0, pt_root
  li a1, (0x80000000 >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
  sd a1, 2 * 8(a0)
  la a1, pt_l1
  srli a1, a1, 12
  slli a1, a1, 10
  ori a1, a1, PTE_V
  sd a1, 3 * 8(a0)
  la a0, pt_l1
  la a1, pt_l0
  srli a1, a1, 12
  slli a1, a1, 10
  ori a1, a1, PTE_V
  sd a1, 0(a0)
  la a0, pt_l0
  la a1, page_b
  srli a1, a1, 12
  slli a1, a1, 10
  ori a1, a1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sd a1, 0(a0)
  la a1, page_a
  srli a1, a1, 12
  slli a1, a1, 10
  ori a1, a1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sd a1, 8(a0)
  la a0, pt_root
  srli a0, a0, 12
  li a1, 8 << 60
  or a0, a0, a1
  csrw satp, a0
  sfence.vma
  /* refill the two pages with their patterns (case 43 wrote into them) */
  la a0, page_a
  li a1, 0xa0
  li a2, 4096
1:
  sb a1, 0(a0)
  addi a1, a1, 1
  addi a0, a0, 1
  addi a2, a2, -1
  bnez a2, 1b
  la a0, page_b
  li a1, 0x00
  li a2, 4096
1:
  sb a1, 0(a0)
  addi a1, a1, 1
  addi a0, a0, 1
  addi a2, a2, -1
  bnez a2, 1b
  CASE 46                                         /* ld across: last bytes of page_b, first of page_a */
  li a1, VA0 + 4096 - 3
  TRAP_CLEAR
  RUN_MODE 1, x_load
  CHECK_TRAP CAUSE_ECALL_S
  CHECK a4, 0xa4a3a2a1a0fffefd
  CASE 47                                         /* lw across */
  li a1, VA0 + 4096 - 1
  RUN_MODE 1, x_lw
  CHECK_TRAP CAUSE_ECALL_S
  CHECK a4, 0xffffffffa2a1a0ff
  CASE 48                                         /* sd across */
  li a1, VA0 + 4096 - 5
  li a2, 0x1122334455667788
  RUN_MODE 1, x_store
  CHECK_TRAP CAUSE_ECALL_S
  la a0, page_b + 4096 - 5                        /* physical: 5 bytes at the end of page_b */
  lbu a3, 0(a0)
  CHECK a3, 0x88
  lbu a3, 4(a0)
  CHECK a3, 0x44
  la a0, page_a                                   /* and 3 at the start of page_a */
  lbu a3, 0(a0)
  CHECK a3, 0x33
  lbu a3, 2(a0)
  CHECK a3, 0x11
  lbu a3, 3(a0)
  CHECK a3, 0xa3
  la a0, page_b + 4090                            /* the byte before is untouched */
  lbu a3, 0(a0)
  CHECK a3, 0xfa
  CASE 49                                         /* load back across */
  li a1, VA0 + 4096 - 5
  RUN_MODE 1, x_load
  CHECK_TRAP CAUSE_ECALL_S
  CHECK a4, 0x1122334455667788
  CASE 50                                         /* running into an unmapped page: load page fault */
  li a1, VA0 + 8192 - 2
  TRAP_CLEAR
  RUN_MODE 1, x_load
  CHECK_TRAP CAUSE_LOAD_PAGE
  ld a0, trap_tval                                /* an address in the part that faulted */
  li a2, VA0 + 8192
  bltu a0, a2, fail
  addi a2, a1, 8
  bgeu a0, a2, fail
  CASE 51                                         /* ... store page fault */
  li a1, VA0 + 8192 - 4
  TRAP_CLEAR
  RUN_MODE 1, x_store
  CHECK_TRAP CAUSE_STORE_PAGE
  ld a0, trap_tval                                /* an address in the part that faulted */
  li a2, VA0 + 8192
  bltu a0, a2, fail
  addi a2, a1, 8
  bgeu a0, a2, fail
  csrw satp, zero
  sfence.vma
TEST_END

  .text
  .option push
  .option norvc
x_load:
  ld a4, 0(a1)
  ecall
x_lw:
  lw a4, 0(a1)
  ecall
x_store:
  sd a2, 0(a1)
  ecall
  .option pop

  .data
  .align 4
ldbuf:
  .byte 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87
  .byte 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f
  .byte 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97
  .byte 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f
posbuf:
  .byte 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0, 0, 0, 0, 0, 0
stbuf:
  .dword 0, 0, 0, 0

  .balign 4096
page_a:
  .set i, 0
  .rept 4096
  .byte (0xa0 + i) & 0xff
  .set i, i + 1
  .endr
page_b:
  .set i, 0
  .rept 4096
  .byte i & 0xff
  .set i, i + 1
  .endr

  .bss
  .balign 4096
vm_start:
pt_root: .skip 4096
pt_l1:   .skip 4096
pt_l0:   .skip 4096
vm_end:
