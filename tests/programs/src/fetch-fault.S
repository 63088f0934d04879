/* fetch-fault: jumping to physical addresses with nothing there
   (0x1_0000_0000, 0x40_0000_0000, 0x0) raises an instruction access fault
   (cause 1) with mtval = mepc = the target, after the jump itself retired
   (link register written); from M, S and U, by jal/jalr/c.jr/mret, and
   delegated to S; loads, stores, AMOs and LR from such addresses raise
   access faults 5/7; under Sv39 an instruction crossing into an unmapped
   page raises a fetch page fault with mepc = the instruction and mtval =
   the start of the unmapped page. */
#include "common.h"

#define NOWHERE1 0x100000000
#define NOWHERE2 0x4000000000
#define NOWHERE3 0x0

#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_A 0x40
#define PTE_D 0x80
#define VA_CODE 0xC0000000

/* FETCH_FAULT_M n, addr: jalr from M to addr */
.macro FETCH_FAULT_M n, addr
  CASE \n
  li a1, \addr
  TRAP_CLEAR
  TRAP_EXPECT 9931f
  li ra, 0
9932:
  jalr ra, 0(a1)
  j fail
9931:
  CHECK_TRAP CAUSE_FETCH_ACCESS
  CHECK_TVAL \addr
  ld t5, trap_epc
  CHECKR t5, a1
  la t5, 9932b + 4                                /* jalr retired: link written */
  CHECKR ra, t5
  ld t5, trap_status
  srli t5, t5, 11
  andi t5, t5, 3
  CHECK t5, 3
.endm

/* ACCESS_FAULT n, addr, cause, insn: run insn (a1 = addr) in M */
.macro ACCESS_FAULT n, addr, cause, insn:vararg
  CASE \n
  li a1, \addr
  TRAP_CLEAR
  TRAP_EXPECT 9941f
  \insn
  j fail
9941:
  CHECK_TRAP \cause
  CHECK_TVAL \addr
.endm

TEST_BEGIN
  DETECT_QEMU7 s11
  FETCH_FAULT_M 1, NOWHERE1
  FETCH_FAULT_M 2, NOWHERE2
  FETCH_FAULT_M 3, NOWHERE3
  FETCH_FAULT_M 4, NOWHERE1 + 0x1232
  CASE 5                                          /* c.jr */
  li a1, NOWHERE1 + 0x10
  TRAP_CLEAR
  TRAP_EXPECT 1f
  .option push
  .option rvc
  c.jr a1
  .option pop
  j fail
1:
  CHECK_TRAP CAUSE_FETCH_ACCESS
  CHECK_TVAL NOWHERE1 + 0x10
  CASE 6                                          /* mret to nowhere (in U) */
  li a1, NOWHERE2 + 0x100
  csrw mepc, a1
  li a0, MSTATUS_MPP
  csrc mstatus, a0
  TRAP_CLEAR
  TRAP_EXPECT 1f
  mret
1:
  CHECK_TRAP CAUSE_FETCH_ACCESS
  CHECK_TVAL NOWHERE2 + 0x100
  ld t5, trap_epc
  CHECKR t5, a1
  ld t5, trap_status
  srli t5, t5, 11
  andi t5, t5, 3
  CHECK t5, 0
  CASE 7                                          /* from S */
  li a1, NOWHERE1
  TRAP_CLEAR
  RUN_MODE 1, x_jump
  CHECK_TRAP CAUSE_FETCH_ACCESS
  CHECK_TVAL NOWHERE1
  ld t5, trap_status
  srli t5, t5, 11
  andi t5, t5, 3
  CHECK t5, 1
  CASE 8                                          /* from U */
  li a1, NOWHERE3 + 0x40
  TRAP_CLEAR
  RUN_MODE 0, x_jump
  CHECK_TRAP CAUSE_FETCH_ACCESS
  CHECK_TVAL NOWHERE3 + 0x40
  ld t5, trap_epc
  CHECKR t5, a1
  CASE 9                                          /* delegated to S */
  li a0, 1 << CAUSE_FETCH_ACCESS
  csrw medeleg, a0
  li a1, NOWHERE2 + 0x2000
  TRAP_CLEAR
  S_TRAP_CLEAR
  RUN_MODE 0, x_jump                              /* S handler records and ECALLs to M */
  CHECK_S_TRAP CAUSE_FETCH_ACCESS
  CHECK_S_TVAL NOWHERE2 + 0x2000
  ld t5, s_trap_epc
  CHECKR t5, a1
  CHECK_TRAP CAUSE_ECALL_S
  csrw medeleg, zero
  CASE 10                                         /* the handler can resume normally afterwards */
  li a1, NOWHERE1
  TRAP_CLEAR
  TRAP_EXPECT 1f
  jalr ra, 0(a1)
1:
  TRAP_CLEAR
  li a0, 5
  addi a0, a0, 5
  CHECK a0, 10
  CHECK_TRAP_COUNT 0

  /* ---- data accesses to nothing ---- */
  ACCESS_FAULT 11, NOWHERE1, CAUSE_LOAD_ACCESS, ld a0, 0(a1)
  ACCESS_FAULT 12, NOWHERE2 + 4, CAUSE_LOAD_ACCESS, lw a0, 0(a1)
  ACCESS_FAULT 13, NOWHERE1 + 8, CAUSE_STORE_ACCESS, sd a0, 0(a1)
  ACCESS_FAULT 14, NOWHERE3 + 3, CAUSE_STORE_ACCESS, sb a0, 0(a1)
  CASE 15                                         /* AMO: store/AMO access fault */
  li a1, NOWHERE1 + 16
  TRAP_CLEAR
  TRAP_EXPECT 1f
  amoadd.d a0, a0, (a1)
  j fail
1:
  CHECK_TVAL NOWHERE1 + 16
  ld t5, trap_cause
  li t6, CAUSE_STORE_ACCESS
  beq t5, t6, 2f
  beqz s11, fail
  li t6, CAUSE_LOAD_ACCESS
  bne t5, t6, fail
  NOTE "fetch-fault case 15: AMO access fault reported as cause 5, not 7 (QEMU 7 quirk, tolerated)"
2:
  ACCESS_FAULT 16, NOWHERE1 + 24, CAUSE_LOAD_ACCESS, lr.d a0, (a1)
  ACCESS_FAULT 17, NOWHERE2, CAUSE_LOAD_ACCESS, fld fa0, 0(a1)
  ACCESS_FAULT 18, NOWHERE2, CAUSE_STORE_ACCESS, fsd fa0, 0(a1)
  CASE 19                                         /* from U: load fault */
  li a1, NOWHERE1 + 0x30
  TRAP_CLEAR
  RUN_MODE 0, x_load
  CHECK_TRAP CAUSE_LOAD_ACCESS
  CHECK_TVAL NOWHERE1 + 0x30
  CHECK_EPC_LABEL x_load

  /* ---- an instruction crossing into an unmapped page (Sv39) ---- */
  la a0, vm_start
  la a1, vm_end
1:
  sd zero, 0(a0)
  addi a0, a0, 8
  bltu a0, a1, 1b
  la a0, pt_root
  li a1, (0x80000000 >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
  sd a1, 2 * 8(a0)                                /* identity for the S code */
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
  la a0, pt_l0                                    /* VA_CODE -> cross_page, VA_CODE + 4K unmapped */
  la a1, cross_page
  srli a1, a1, 12
  slli a1, a1, 10
  ori a1, a1, PTE_V | PTE_R | PTE_X | PTE_A
  sd a1, 0(a0)
  la a1, cross_page2                              /* VA_CODE + 8K -> cross_page2, + 12K unmapped */
  srli a1, a1, 12
  slli a1, a1, 10
  ori a1, a1, PTE_V | PTE_R | PTE_X | PTE_A
  sd a1, 2 * 8(a0)
  la a0, pt_root
  srli a0, a0, 12
  li a1, 8 << 60
  or a0, a0, a1
  csrw satp, a0
  sfence.vma
  CASE 20                                         /* 32-bit instruction at page end - 2 */
  li a1, VA_CODE + 0xffe
  TRAP_CLEAR
  RUN_MODE 1, x_jump
  CHECK_TRAP CAUSE_FETCH_PAGE
  ld t5, trap_epc
  CHECKR t5, a1
  CHECK_TVAL VA_CODE + 0x1000
  CASE 21                                         /* 16-bit ones up to the end run; the next fetch faults */
  li a1, VA_CODE + 0x2ffa
  li a0, 0
  TRAP_CLEAR
  RUN_MODE 1, x_jump
  CHECK_TRAP CAUSE_FETCH_PAGE
  CHECK_TVAL VA_CODE + 0x3000
  ld t5, trap_epc
  li t6, VA_CODE + 0x3000
  CHECKR t5, t6
  CHECK a0, 3                                     /* the three c.addi ran */
  csrw satp, zero
  sfence.vma
TEST_END

  .text
  .option push
  .option norvc
x_jump:
  jalr ra, 0(a1)
  ecall
x_load:
  ld a0, 0(a1)
  ecall

  .balign 4096
cross_page:
  .option rvc
  .fill 2047, 2, 0x0001                           /* c.nop */
  .option norvc
  .hword 0x0513                                   /* 0xffe: first half of a 32-bit addi */
  .balign 4096
cross_page2:
  .option rvc
  .fill 2045, 2, 0x0001
  c.addi a0, 1                                    /* 0xffa */
  c.addi a0, 1                                    /* 0xffc */
  c.addi a0, 1                                    /* 0xffe */
  .option norvc
  .balign 4096
  .option pop

  .bss
  .balign 4096
vm_start:
pt_root: .skip 4096
pt_l1:   .skip 4096
pt_l0:   .skip 4096
vm_end:
