/* priv-interrupts: CLINT mtime/mtimecmp and mip.MTIP, the machine timer
   interrupt, msip and the machine software interrupt, mip.MTIP/MSIP
   read-only, global (mstatus.MIE) and local (mie) enables, wfi waking on a
   pending-but-disabled interrupt (mepc after wfi), interrupt priorities
   when several are pending (MEI > MSI > MTI > SEI > SSI > STI; MEI only when
   a PLIC + UART are present at the virt addresses), M-level interrupts
   taken in S with MIE = 0, S-level interrupts taken in U with SIE = 0,
   delegated SEI, and the Sstc S-mode timer (stimecmp, menvcfg.STCE,
   mcounteren.TM, STIP read-only under STCE). */
#include "common.h"

#define PLIC_PRIO_UART  0x0c000028                /* priority of source 10 */
#define PLIC_ENABLE_M   0x0c002000                /* context 0 (hart 0, M) */
#define PLIC_THRESH_M   0x0c200000
#define PLIC_CLAIM_M    0x0c200004
#define UART_BASE       0x10000000

/* WAIT_PENDING bit: wait (wfi) until mip has bit set.  Uses mie
   temporarily; MIE must be 0.  Unless waiting for MTIP itself, a 1 s
   deadline is armed in mtimecmp (restored afterwards) so that a missing
   interrupt fails the case instead of sleeping forever.
   Clobbers a5, a6, a7, t3, t4. */
.macro WAIT_PENDING bit
  csrr a7, mie
  li a5, 1 << (\bit)
  .if (\bit) != IRQ_M_TIMER
    li t3, CLINT_MTIMECMP
    ld t4, 0(t3)
    li a6, CLINT_MTIME
    ld a6, 0(a6)
    li t5, 10000000
    add a6, a6, t5
    sd a6, 0(t3)
    ori a5, a5, 1 << IRQ_M_TIMER
  .endif
  csrw mie, a5
  li a6, 100000000
9971:
  csrr a5, mip
  srli a5, a5, \bit
  andi a5, a5, 1
  bnez a5, 9972f
  .if (\bit) != IRQ_M_TIMER
    csrr a5, mip
    andi a5, a5, 1 << IRQ_M_TIMER
    bnez a5, fail                                 /* deadline passed */
  .endif
  wfi
  addi a6, a6, -1
  bnez a6, 9971b
  j fail
9972:
  .if (\bit) != IRQ_M_TIMER
    sd t4, 0(t3)
  .endif
  csrw mie, a7
.endm

/* SET_TIMECMP reg: mtimecmp := reg */
.macro SET_TIMECMP reg
  li t5, CLINT_MTIMECMP
  sd \reg, 0(t5)
.endm

TEST_BEGIN
  DETECT_QEMU7 s11
  li s0, CLINT_MTIME
  li s1, CLINT_MTIMECMP
  li s2, CLINT_MSIP
  li a0, -1
  sd a0, 0(s1)
  sw zero, 0(s2)
  csrw mie, zero
  csrw mideleg, zero
  /* menvcfg.STCE = 0 (STIP writable) unless a case sets it */
  TRAP_SKIP_ON
  li a0, MENVCFG_STCE
  csrc CSR_MENVCFG, a0
  TRAP_DISARM

  /* ---- mtime / mtimecmp / MTIP ---- */
  CASE 1                                          /* mtime advances */
  ld a0, 0(s0)
  li a2, 10000000
1:
  ld a1, 0(s0)
  bne a1, a0, 2f
  addi a2, a2, -1
  bnez a2, 1b
  j fail
2:
  bltu a1, a0, fail
  CASE 2                                          /* mtimecmp = -1: MTIP clear */
  csrr a0, mip
  andi a0, a0, 1 << IRQ_M_TIMER
  CHECK a0, 0
  CASE 3                                          /* mtimecmp = 0: MTIP set */
  sd zero, 0(s1)
  WAIT_PENDING IRQ_M_TIMER
  CASE 4                                          /* MTIP is read-only in mip */
  li a0, 1 << IRQ_M_TIMER
  csrc mip, a0
  csrr a1, mip
  andi a1, a1, 1 << IRQ_M_TIMER
  CHECK a1, 1 << IRQ_M_TIMER
  CASE 5                                          /* writing mtimecmp in the future clears MTIP */
  li a0, -1
  sd a0, 0(s1)
  csrr a1, mip
  andi a1, a1, 1 << IRQ_M_TIMER
  CHECK a1, 0
  li a0, 1 << IRQ_M_TIMER
  csrs mip, a0                                    /* and cannot be set by software */
  csrr a1, mip
  andi a1, a1, 1 << IRQ_M_TIMER
  CHECK a1, 0
  CASE 6                                          /* 32-bit halves of mtimecmp */
  li a0, 0x12345678
  sw a0, 0(s1)
  li a0, 0x7fffffff
  sw a0, 4(s1)
  ld a1, 0(s1)
  CHECK a1, 0x7fffffff12345678
  lw a1, 0(s1)
  CHECK a1, 0x12345678
  li a0, -1
  sd a0, 0(s1)

  /* ---- machine timer interrupt ---- */
  CASE 7                                          /* taken with MIE = 1 and mie.MTIE */
  TRAP_CLEAR
  ld a0, 0(s0)
  addi a0, a0, 500                                /* 50 us */
  sd a0, 0(s1)
  li a0, 1 << IRQ_M_TIMER
  csrw mie, a0
  TRAP_EXPECT 1f
  csrsi mstatus, MSTATUS_MIE
  li a2, 100000000
2:
  addi a2, a2, -1
  bnez a2, 2b
  j fail
1:
  csrci mstatus, MSTATUS_MIE
  CHECK_TRAP INTR | IRQ_M_TIMER
  CHECK_TRAP_COUNT 1
  CHECK_TVAL 0
  ld a0, trap_status                              /* MPIE = 1, MPP = M */
  li a1, MSTATUS_MPIE | MSTATUS_MPP
  and a0, a0, a1
  CHECK a0, MSTATUS_MPIE | MSTATUS_MPP
  csrr a0, mie                                    /* the handler disabled MTIE */
  CHECK a0, 0
  ld a0, 0(s0)
  ld a1, 0(s1)
  bltu a0, a1, fail                               /* mtime >= mtimecmp */
  CASE 8                                          /* wfi wakes on a pending but globally disabled interrupt */
  csrci mstatus, MSTATUS_MIE
  TRAP_CLEAR
  ld a0, 0(s0)
  addi a0, a0, 500
  sd a0, 0(s1)
  li a0, 1 << IRQ_M_TIMER
  csrw mie, a0
  li a2, 1000000
1:
  wfi
  csrr a1, mip
  andi a1, a1, 1 << IRQ_M_TIMER
  bnez a1, 2f
  addi a2, a2, -1
  bnez a2, 1b
  j fail
2:
  CHECK_TRAP_COUNT 0
  CASE 9                                          /* ... then enabling MIE takes it at once */
  TRAP_EXPECT 1f
  csrsi mstatus, MSTATUS_MIE
3:
  j fail
1:
  csrci mstatus, MSTATUS_MIE
  CHECK_TRAP INTR | IRQ_M_TIMER
  CHECK_EPC_LABEL 3b
  CASE 10                                         /* wfi with MIE = 1: mepc is the instruction after wfi */
  csrw mie, zero
  ld a0, 0(s0)
  addi a0, a0, 500
  sd a0, 0(s1)
  li a0, 1 << IRQ_M_TIMER
  csrw mie, a0
  TRAP_CLEAR
  TRAP_EXPECT 1f
  csrsi mstatus, MSTATUS_MIE
  .option push
  .option norvc
2:
  wfi
3:
  j 2b
  .option pop
1:
  csrci mstatus, MSTATUS_MIE
  CHECK_TRAP INTR | IRQ_M_TIMER
  ld a0, trap_epc                                 /* 3b, or 2b if wfi returned early */
  la a1, 3b
  beq a0, a1, 4f
  la a1, 2b
  CHECKR a0, a1
4:
  li a0, -1
  sd a0, 0(s1)
  CASE 11                                         /* MTIE = 0: not taken even with MIE = 1 */
  sd zero, 0(s1)
  WAIT_PENDING IRQ_M_TIMER
  csrw mie, zero
  TRAP_CLEAR
  csrsi mstatus, MSTATUS_MIE
  nop
  nop
  csrci mstatus, MSTATUS_MIE
  CHECK_TRAP_COUNT 0
  li a0, -1
  sd a0, 0(s1)

  /* ---- machine software interrupt ---- */
  CASE 12                                         /* msip sets mip.MSIP */
  li a0, 1
  sw a0, 0(s2)
  WAIT_PENDING IRQ_M_SOFT
  lw a0, 0(s2)
  CHECK a0, 1
  CASE 13                                         /* MSIP is read-only in mip */
  li a0, 1 << IRQ_M_SOFT
  csrc mip, a0
  csrr a1, mip
  andi a1, a1, 1 << IRQ_M_SOFT
  CHECK a1, 1 << IRQ_M_SOFT
  CASE 14                                         /* taken */
  li a0, 1 << IRQ_M_SOFT
  csrw mie, a0
  TRAP_CLEAR
  TRAP_EXPECT 1f
  csrsi mstatus, MSTATUS_MIE
3:
  j fail
1:
  csrci mstatus, MSTATUS_MIE
  CHECK_TRAP INTR | IRQ_M_SOFT
  CHECK_EPC_LABEL 3b
  CASE 15                                         /* msip = 0 clears it */
  sw zero, 0(s2)
  lw a0, 0(s2)
  CHECK a0, 0
  csrr a1, mip
  andi a1, a1, 1 << IRQ_M_SOFT
  CHECK a1, 0
  CASE 16                                         /* only bit 0 of msip is writable */
  li a0, 0xfffffffe
  sw a0, 0(s2)
  lw a0, 0(s2)
  CHECK a0, 0
  csrr a1, mip
  andi a1, a1, 1 << IRQ_M_SOFT
  CHECK a1, 0

  /* ---- priorities ---- */
  /* s3 = 1 when a PLIC and a UART are present (QEMU virt layout): the UART's
     transmitter-empty interrupt then drives MEIP */
  TRAP_CLEAR
  TRAP_SKIP_ON
  li a0, PLIC_PRIO_UART
  lw a1, 0(a0)
  TRAP_DISARM
  ld a0, trap_count
  seqz s3, a0
  bnez s3, 1f
  NOTE "priv-interrupts: no PLIC at 0x0c000000, external interrupt (MEI) priority not tested"
1:
  CASE 17                                         /* MEI (if present) > MSI > MTI > SEI > SSI > STI */
  csrw mie, zero
  beqz s3, 1f
  li a0, PLIC_PRIO_UART
  li a1, 1
  sw a1, 0(a0)
  li a0, PLIC_THRESH_M
  sw zero, 0(a0)
  li a0, PLIC_ENABLE_M
  li a1, 1 << 10
  sw a1, 0(a0)
  li a0, UART_BASE
  li a1, 0x02                                     /* IER.ETBEI */
  sb a1, 1(a0)
  WAIT_PENDING IRQ_M_EXT
1:
  li a0, 1
  sw a0, 0(s2)                                    /* MSIP */
  WAIT_PENDING IRQ_M_SOFT
  sd zero, 0(s1)                                  /* MTIP */
  WAIT_PENDING IRQ_M_TIMER
  li a0, (1 << IRQ_S_EXT) | (1 << IRQ_S_SOFT) | (1 << IRQ_S_TIMER)
  csrs mip, a0
  csrr a1, mip
  and a1, a1, a0
  CHECKR a1, a0
  li a0, (1 << IRQ_M_EXT) | (1 << IRQ_M_SOFT) | (1 << IRQ_M_TIMER) | (1 << IRQ_S_EXT) | (1 << IRQ_S_SOFT) | (1 << IRQ_S_TIMER)
  csrw mie, a0
  TRAP_CLEAR
  li a0, TRAP_RESUME
  la a1, trap_ret
  sd a0, 0(a1)
  csrsi mstatus, MSTATUS_MIE                      /* each handler run disables its source in mie */
  nop
  nop
  nop
  nop
  csrci mstatus, MSTATUS_MIE
  TRAP_DISARM
  beqz s11, 4f
  /* QEMU 7.2 takes simultaneous interrupts in a wrong order (lowest cause
     number first); on it check only that every one was taken once */
  la a0, trap_log
  ld a1, trap_log_n
  li a2, 0
5:
  ld a3, 0(a0)
  slli a3, a3, 1
  srli a3, a3, 1
  li a4, 1
  sll a4, a4, a3
  or a2, a2, a4
  addi a0, a0, 8
  addi a1, a1, -1
  bnez a1, 5b
  li a4, (1 << IRQ_M_SOFT) | (1 << IRQ_M_TIMER) | (1 << IRQ_S_EXT) | (1 << IRQ_S_SOFT) | (1 << IRQ_S_TIMER)
  beqz s3, 6f
  li a5, 1 << IRQ_M_EXT
  or a4, a4, a5
6:
  CHECKR a2, a4
  beqz s3, 7f
  li a0, UART_BASE
  sb zero, 1(a0)
  li a0, PLIC_CLAIM_M
  lw a1, 0(a0)
  sw a1, 0(a0)
7:
  NOTE "priv-interrupts case 17: interrupt priority order not checked (QEMU 7 takes them lowest cause first)"
  j 3f
4:
  beqz s3, 2f
  CHECK_TRAP_COUNT 6
  CHECK_LOG 0, INTR | IRQ_M_EXT
  CHECK_LOG 1, INTR | IRQ_M_SOFT
  CHECK_LOG 2, INTR | IRQ_M_TIMER
  CHECK_LOG 3, INTR | IRQ_S_EXT
  CHECK_LOG 4, INTR | IRQ_S_SOFT
  CHECK_LOG 5, INTR | IRQ_S_TIMER
  li a0, UART_BASE                                /* quiet the UART, claim and complete */
  sb zero, 1(a0)
  li a0, PLIC_CLAIM_M
  lw a1, 0(a0)
  sw a1, 0(a0)
  j 3f
2:
  CHECK_TRAP_COUNT 5
  CHECK_LOG 0, INTR | IRQ_M_SOFT
  CHECK_LOG 1, INTR | IRQ_M_TIMER
  CHECK_LOG 2, INTR | IRQ_S_EXT
  CHECK_LOG 3, INTR | IRQ_S_SOFT
  CHECK_LOG 4, INTR | IRQ_S_TIMER
3:
  CASE 18                                         /* SSI > STI */
  sw zero, 0(s2)
  li a0, -1
  sd a0, 0(s1)
  li a0, (1 << IRQ_S_SOFT) | (1 << IRQ_S_TIMER)
  csrs mip, a0
  li a0, (1 << IRQ_S_SOFT) | (1 << IRQ_S_TIMER)
  csrw mie, a0
  TRAP_CLEAR
  li a0, TRAP_RESUME
  la a1, trap_ret
  sd a0, 0(a1)
  csrsi mstatus, MSTATUS_MIE
  nop
  nop
  csrci mstatus, MSTATUS_MIE
  TRAP_DISARM
  CHECK_TRAP_COUNT 2
  CHECK_LOG 0, INTR | IRQ_S_SOFT
  CHECK_LOG 1, INTR | IRQ_S_TIMER
  CASE 19                                         /* MTI > SEI */
  li a0, 1 << IRQ_S_EXT
  csrs mip, a0
  sd zero, 0(s1)
  WAIT_PENDING IRQ_M_TIMER
  li a0, (1 << IRQ_S_EXT) | (1 << IRQ_M_TIMER)
  csrw mie, a0
  TRAP_CLEAR
  li a0, TRAP_RESUME
  la a1, trap_ret
  sd a0, 0(a1)
  csrsi mstatus, MSTATUS_MIE
  nop
  nop
  csrci mstatus, MSTATUS_MIE
  TRAP_DISARM
  CHECK_TRAP_COUNT 2
  CHECK_LOG 0, INTR | IRQ_M_TIMER
  CHECK_LOG 1, INTR | IRQ_S_EXT
  li a0, -1
  sd a0, 0(s1)
  li a0, (1 << IRQ_S_EXT) | (1 << IRQ_S_SOFT) | (1 << IRQ_S_TIMER)
  csrc mip, a0
  csrw mie, zero

  /* ---- interrupts and privilege ---- */
  CASE 20                                         /* M interrupt taken in S even with MIE = 0 */
  csrci mstatus, MSTATUS_MIE
  li a0, 1
  sw a0, 0(s2)
  WAIT_PENDING IRQ_M_SOFT
  li a0, 1 << IRQ_M_SOFT
  csrw mie, a0
  TRAP_CLEAR
  TRAP_EXPECT 1f
  GOTO_S(s_spin)
1:
  sw zero, 0(s2)
  CHECK_TRAP INTR | IRQ_M_SOFT
  ld a0, trap_status
  srli a0, a0, 11
  andi a0, a0, 3
  CHECK a0, 1
  CASE 21                                         /* M interrupt taken in U */
  li a0, 1
  sw a0, 0(s2)
  WAIT_PENDING IRQ_M_SOFT
  li a0, 1 << IRQ_M_SOFT
  csrw mie, a0
  TRAP_CLEAR
  TRAP_EXPECT 1f
  GOTO_U(u_spin)
1:
  sw zero, 0(s2)
  CHECK_TRAP INTR | IRQ_M_SOFT
  ld a0, trap_status
  srli a0, a0, 11
  andi a0, a0, 3
  CHECK a0, 0
  CASE 22                                         /* delegated SSI taken in U with SIE = 0 */
  li a0, 1 << IRQ_S_SOFT
  csrw mideleg, a0
  csrw mie, a0
  csrs mip, a0
  csrci mstatus, MSTATUS_SIE
  TRAP_CLEAR
  S_TRAP_CLEAR
  S_TRAP_EXPECT s_to_m                            /* S handler: record, continue at s_to_m */
  TRAP_EXPECT 1f
  GOTO_U(u_spin)
1:
  CHECK_S_TRAP INTR | IRQ_S_SOFT
  CHECK_S_EPC_LABEL u_spin
  ld a0, s_trap_status
  andi a0, a0, MSTATUS_SPP
  CHECK a0, 0
  CHECK_TRAP CAUSE_ECALL_S
  li a0, 1 << IRQ_S_SOFT
  csrc mip, a0
  CASE 23                                         /* delegated SSI not taken in S with SIE = 0 */
  li a0, 1 << IRQ_S_SOFT
  csrw mie, a0
  csrs mip, a0
  TRAP_CLEAR
  S_TRAP_CLEAR
  TRAP_EXPECT 1f
  GOTO_S(s_wfi_ecall)                             /* wfi returns (pending), ecall */
1:
  CHECK_TRAP CAUSE_ECALL_S
  CHECK_S_TRAP_COUNT 0
  CASE 24                                         /* delegated SEI (software-set SEIP) in S */
  li a0, 1 << IRQ_S_EXT
  csrw mideleg, a0
  csrw mie, a0
  csrs mip, a0
  li a0, 1 << IRQ_S_SOFT
  csrc mip, a0
  TRAP_CLEAR
  S_TRAP_CLEAR
  S_TRAP_EXPECT s_to_m
  TRAP_EXPECT 1f
  GOTO_S(s_enable_sie)
1:
  CHECK_S_TRAP INTR | IRQ_S_EXT
  li a0, 1 << IRQ_S_EXT
  csrc mip, a0
  csrw mideleg, zero
  csrw mie, zero
  csrci mstatus, MSTATUS_SIE

  /* ---- Sstc ---- */
  TRAP_CLEAR
  TRAP_SKIP_ON
  li a0, MENVCFG_STCE
  csrs CSR_MENVCFG, a0
  li a0, -1
  csrw CSR_STIMECMP, a0
  TRAP_DISARM
  ld a0, trap_count
  seqz s4, a0
  bnez s4, 1f
  beqz s11, fail
  NOTE "priv-interrupts cases 25-31: stimecmp traps (QEMU spike has no rdtime for Sstc), Sstc not tested"
  j sstc_done
1:
  CASE 25                                         /* STCE: STIP follows stimecmp */
  csrr a0, mip
  andi a0, a0, 1 << IRQ_S_TIMER
  CHECK a0, 0
  csrw CSR_STIMECMP, zero
  WAIT_PENDING IRQ_S_TIMER
  CASE 26                                         /* STIP is read-only under STCE */
  li a0, 1 << IRQ_S_TIMER
  csrc mip, a0
  csrr a1, mip
  andi a1, a1, 1 << IRQ_S_TIMER
  CHECK a1, 1 << IRQ_S_TIMER
  li a0, -1
  csrw CSR_STIMECMP, a0
  csrr a1, mip
  andi a1, a1, 1 << IRQ_S_TIMER
  CHECK a1, 0
  li a0, 1 << IRQ_S_TIMER
  csrs mip, a0
  csrr a1, mip
  andi a1, a1, 1 << IRQ_S_TIMER
  CHECK a1, 0
  CASE 27                                         /* S-mode timer interrupt programmed from S */
  li a0, 2
  csrw mcounteren, a0                             /* TM: S may access time and stimecmp */
  li a0, 1 << IRQ_S_TIMER
  csrw mideleg, a0
  ld a0, 0(s0)                                    /* 1 s deadline: M timer (fails the case) */
  li a1, 10000000
  add a0, a0, a1
  sd a0, 0(s1)
  li a0, (1 << IRQ_S_TIMER) | (1 << IRQ_M_TIMER)
  csrw mie, a0
  TRAP_CLEAR
  S_TRAP_CLEAR
  S_TRAP_EXPECT s_timer_done
  TRAP_EXPECT 1f
  GOTO_S(s_timer)
1:
  li a0, -1
  sd a0, 0(s1)
  csrw mie, zero
  CHECK_TRAP CAUSE_ECALL_S
  CHECK_S_TRAP INTR | IRQ_S_TIMER
  CHECK_S_TRAP_COUNT 1
  ld a0, s_result                                 /* S saw STIP clear after its stimecmp write */
  CHECK a0, 0
  CASE 28                                         /* stimecmp from S with mcounteren.TM = 0 */
  csrw mcounteren, zero
  TRAP_CLEAR
  TRAP_EXPECT 1f
  GOTO_S(s_read_stimecmp)
1:
  CHECK_TRAP CAUSE_ILLEGAL
  CASE 29                                         /* stimecmp from S with STCE = 0 */
  li a0, 2
  csrw mcounteren, a0
  li a0, MENVCFG_STCE
  csrc CSR_MENVCFG, a0
  TRAP_CLEAR
  TRAP_EXPECT 1f
  GOTO_S(s_read_stimecmp)
1:
  CHECK_TRAP CAUSE_ILLEGAL
  CASE 30                                         /* STCE = 0: STIP is writable again */
  li a0, 1 << IRQ_S_TIMER
  csrs mip, a0
  csrr a1, mip
  andi a1, a1, 1 << IRQ_S_TIMER
  CHECK a1, 1 << IRQ_S_TIMER
  csrc mip, a0
  CASE 31                                         /* stimecmp is readable in M whatever STCE */
  li a0, 0x123456789
  csrw CSR_STIMECMP, a0
  csrr a1, CSR_STIMECMP
  CHECKR a0, a1
  csrw mideleg, zero
  csrw mie, zero
  csrw mcounteren, zero
sstc_done:
TEST_END

  .text
  .option push
  .option norvc
s_spin:
  j s_spin
u_spin:
  j u_spin
s_wfi_ecall:
  wfi
  ecall
s_to_m:
  ecall
s_enable_sie:
  csrsi sstatus, MSTATUS_SIE
1:
  j 1b
s_timer:
  csrr t0, time
  addi t0, t0, 500
  csrw CSR_STIMECMP, t0
  csrsi sstatus, MSTATUS_SIE
1:
  wfi
  j 1b
s_timer_done:                                     /* S handler continues here (in S) */
  csrci sstatus, MSTATUS_SIE
  li t0, -1
  csrw CSR_STIMECMP, t0
  csrr t0, sip
  andi t0, t0, 1 << IRQ_S_TIMER
  la t1, s_result
  sd t0, 0(t1)
  ecall
s_read_stimecmp:
  csrr t0, CSR_STIMECMP
  ecall
  .option pop

  .data
  .align 3
s_result: .dword -1
