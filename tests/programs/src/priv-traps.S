/* priv-traps: synchronous traps and privilege transitions: ecall from M/S/U
   (causes 11/9/8), ebreak, mstatus MIE/MPIE/MPP on trap entry, mret/sret
   (MPP/SPP/MPIE/SPIE, MPRV cleared when leaving M), xRET illegal from lower
   modes, medeleg/mideleg delegation to S (scause/sepc/stval/SPP/SPIE), traps
   never going to a lower mode, mtvec/stvec vectored mode, illegal
   instruction mtval = the instruction bits, TSR (sret traps in S), TW (wfi
   traps in S), TVM (satp and sfence.vma trap in S), and mcounteren/
   scounteren gating cycle/time/instret/hpmcounter reads from S and U. */
#include "common.h"

#define MPP_OF(reg) srli reg, reg, 11; andi reg, reg, 3

/* EXPECT_MSTATUS_FIELD reg(trapped mstatus), mask, value */
.macro CHECK_BITS reg, mask, val
  li t5, \mask
  and t5, \reg, t5
  CHECK t5, \val
.endm

TEST_BEGIN
  DETECT_QEMU7 s11

  /* ---- ecall from each mode ---- */
  CASE 1                                          /* from M */
  TRAP_CLEAR
  TRAP_EXPECT 1f
2:
  ecall
  j fail
1:
  CHECK_TRAP CAUSE_ECALL_M
  CHECK_EPC_LABEL 2b
  CHECK_TVAL 0
  ld a0, trap_status
  MPP_OF(a0)
  CHECK a0, 3
  CASE 2                                          /* from S */
  TRAP_CLEAR
  RUN_MODE 1, s_ecall
  CHECK_TRAP CAUSE_ECALL_S
  CHECK_EPC_LABEL s_ecall
  CHECK_TVAL 0
  ld a0, trap_status
  MPP_OF(a0)
  CHECK a0, 1
  CASE 3                                          /* from U */
  TRAP_CLEAR
  RUN_MODE 0, u_ecall
  CHECK_TRAP CAUSE_ECALL_U
  CHECK_EPC_LABEL u_ecall
  CHECK_TVAL 0
  ld a0, trap_status
  MPP_OF(a0)
  CHECK a0, 0
  CASE 4                                          /* ebreak from M: cause 3, mtval 0 or pc */
  TRAP_CLEAR
  TRAP_EXPECT 1f
2:
  ebreak
  j fail
1:
  CHECK_TRAP CAUSE_BREAKPOINT
  CHECK_EPC_LABEL 2b
  ld a0, trap_tval
  beqz a0, 3f
  la a1, 2b
  CHECKR a0, a1
3:
  CASE 5                                          /* ebreak from U */
  TRAP_CLEAR
  RUN_MODE 0, u_ebreak
  CHECK_TRAP CAUSE_BREAKPOINT
  CHECK_EPC_LABEL u_ebreak
  ld a0, trap_status
  MPP_OF(a0)
  CHECK a0, 0

  /* ---- trap entry: MIE -> MPIE ---- */
  CASE 6
  csrw mie, zero
  csrsi mstatus, MSTATUS_MIE
  TRAP_CLEAR
  TRAP_EXPECT 1f
  ecall
  j fail
1:
  ld a0, trap_status
  CHECK_BITS a0, MSTATUS_MIE | MSTATUS_MPIE, MSTATUS_MPIE
  csrr a0, mstatus                                /* the handler's mret restored MIE */
  CHECK_BITS a0, MSTATUS_MIE, MSTATUS_MIE
  CASE 7                                          /* MIE = 0 -> MPIE = 0 */
  csrci mstatus, MSTATUS_MIE
  TRAP_CLEAR
  TRAP_EXPECT 1f
  ecall
  j fail
1:
  ld a0, trap_status
  CHECK_BITS a0, MSTATUS_MIE | MSTATUS_MPIE, 0

  /* ---- mret ---- */
  CASE 8                                          /* mret to M: MIE = MPIE, MPIE = 1, MPP = U */
  li a0, MSTATUS_MPP | MSTATUS_MPIE
  csrs mstatus, a0
  csrci mstatus, MSTATUS_MIE
  la a0, 1f
  csrw mepc, a0
  mret
  j fail
1:
  csrr a0, mstatus
  CHECK_BITS a0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MIE | MSTATUS_MPIE
  csrci mstatus, MSTATUS_MIE
  CASE 9                                          /* mret with MPIE = 0: MIE = 0 */
  li a0, MSTATUS_MPP
  csrs mstatus, a0
  li a0, MSTATUS_MPIE
  csrc mstatus, a0
  csrsi mstatus, MSTATUS_MIE
  la a0, 1f
  csrw mepc, a0
  mret
1:
  csrr a0, mstatus
  CHECK_BITS a0, MSTATUS_MIE | MSTATUS_MPIE, MSTATUS_MPIE
  CASE 10                                         /* mret to S clears MPRV and MPP */
  li a0, MSTATUS_MPRV
  csrs mstatus, a0
  TRAP_CLEAR
  RUN_MODE 1, s_ecall
  CHECK_TRAP CAUSE_ECALL_S
  ld a0, trap_status
  li a1, MSTATUS_MPRV
  and a0, a0, a1
  beqz a0, 1f
  beqz s11, fail
  NOTE "priv-traps case 10: mret to S left MPRV set (QEMU 7 implements priv 1.11 here, tolerated)"
  li a1, MSTATUS_MPRV
  csrc mstatus, a1
1:

  /* ---- sret ---- */
  CASE 11                                         /* S -> U with SPP = U: SIE = SPIE, SPIE = 1, SPP = U */
  li a0, MSTATUS_SPP | MSTATUS_SIE
  csrc mstatus, a0
  li a0, MSTATUS_SPIE
  csrs mstatus, a0
  TRAP_CLEAR
  RUN_MODE 1, s_sret_to_u
  CHECK_TRAP CAUSE_ECALL_U
  CHECK_EPC_LABEL u_ecall
  ld a0, trap_status
  CHECK_BITS a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SIE | MSTATUS_SPIE
  csrci mstatus, MSTATUS_SIE
  CASE 12                                         /* S -> S with SPP = S */
  li a0, MSTATUS_SPP
  csrs mstatus, a0
  li a0, MSTATUS_SPIE
  csrc mstatus, a0
  TRAP_CLEAR
  RUN_MODE 1, s_sret_to_s
  CHECK_TRAP CAUSE_ECALL_S
  CHECK_EPC_LABEL s_ecall
  ld a0, trap_status
  CHECK_BITS a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SPIE
  CASE 13                                         /* sret in M goes to SPP (U) */
  li a0, MSTATUS_SPP
  csrc mstatus, a0
  la a0, u_ecall
  csrw sepc, a0
  TRAP_CLEAR
  TRAP_EXPECT 1f
  sret
  j fail
1:
  CHECK_TRAP CAUSE_ECALL_U
  CASE 14                                         /* sret from S to U clears MPRV */
  li a0, MSTATUS_MPRV
  csrs mstatus, a0
  li a0, MSTATUS_MPP
  csrs mstatus, a0                                /* MPRV with MPP = M: no effect in M */
  TRAP_CLEAR
  TRAP_EXPECT 1f
  li a0, MSTATUS_SPP
  csrc mstatus, a0
  la a0, u_ecall
  csrw sepc, a0
  sret                                            /* from M, to U */
1:
  CHECK_TRAP CAUSE_ECALL_U
  ld a0, trap_status
  li a1, MSTATUS_MPRV
  and a0, a0, a1
  beqz a0, 1f
  beqz s11, fail
  NOTE "priv-traps case 14: sret to U left MPRV set (QEMU 7 implements priv 1.11 here, tolerated)"
  li a1, MSTATUS_MPRV
  csrc mstatus, a1
1:

  /* ---- xRET from a lower mode is illegal ---- */
  CASE 15                                         /* mret in S */
  TRAP_CLEAR
  RUN_MODE 1, s_mret
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_EPC_LABEL s_mret
  CHECK_TVAL 0x30200073
  CASE 16                                         /* mret in U */
  TRAP_CLEAR
  RUN_MODE 0, u_mret
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_TVAL 0x30200073
  CASE 17                                         /* sret in U */
  TRAP_CLEAR
  RUN_MODE 0, u_sret
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_EPC_LABEL u_sret
  CHECK_TVAL 0x10200073

  /* ---- illegal instruction mtval ---- */
  CASE 18
  TRAP_CLEAR
  TRAP_EXPECT 1f
2:
  .word 0x1234500b                                /* custom-0: not implemented */
  j fail
1:
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_EPC_LABEL 2b
  CHECK_TVAL 0x1234500b
  CASE 19                                         /* from U */
  TRAP_CLEAR
  RUN_MODE 0, u_illegal
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_EPC_LABEL u_illegal
  CHECK_TVAL 0xfedcb07b                           /* custom-3 */
  CASE 20                                         /* wfi in U is illegal (S-mode exists) or completes */
  csrw mie, zero
  TRAP_CLEAR
  RUN_MODE 0, u_wfi
  ld a0, trap_cause
  li a1, CAUSE_ECALL_U
  beq a0, a1, 1f
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_TVAL 0x10500073
1:

  /* ---- medeleg ---- */
  CASE 21                                         /* U ecall delegated to S */
  li a0, 1 << CAUSE_ECALL_U
  csrw medeleg, a0
  csrci mstatus, MSTATUS_SIE
  li a0, MSTATUS_SPIE | MSTATUS_SPP
  csrs mstatus, a0
  TRAP_CLEAR
  S_TRAP_CLEAR
  RUN_MODE 0, u_ecall                             /* S handler: records, ECALLs to M */
  CHECK_S_TRAP CAUSE_ECALL_U
  CHECK_S_EPC_LABEL u_ecall
  CHECK_S_TVAL 0
  ld a0, s_trap_status
  CHECK_BITS a0, MSTATUS_SPP | MSTATUS_SPIE, 0    /* SPP = U, SPIE = old SIE = 0 */
  CHECK_TRAP CAUSE_ECALL_S                        /* then the S handler's ecall */
  CHECK_S_TRAP_COUNT 1
  CASE 22                                         /* SIE = 1 before the trap: SPIE = 1, SIE = 0 */
  csrsi mstatus, MSTATUS_SIE
  TRAP_CLEAR
  S_TRAP_CLEAR
  RUN_MODE 0, u_ecall
  CHECK_S_TRAP CAUSE_ECALL_U
  ld a0, s_trap_status
  CHECK_BITS a0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE
  CASE 23                                         /* S ecall is not delegated */
  TRAP_CLEAR
  S_TRAP_CLEAR
  RUN_MODE 1, s_ecall
  CHECK_TRAP CAUSE_ECALL_S
  CHECK_S_TRAP_COUNT 0
  CASE 24                                         /* illegal instruction delegated: from U */
  li a0, (1 << CAUSE_ILLEGAL) | (1 << CAUSE_BREAKPOINT)
  csrw medeleg, a0
  TRAP_CLEAR
  S_TRAP_CLEAR
  RUN_MODE 0, u_illegal
  CHECK_S_TRAP CAUSE_ILLEGAL
  CHECK_S_EPC_LABEL u_illegal
  CHECK_S_TVAL 0xfedcb07b
  ld a0, s_trap_status
  CHECK_BITS a0, MSTATUS_SPP, 0
  CHECK_TRAP CAUSE_ECALL_S
  CASE 25                                         /* ... and from S (SPP = S) */
  TRAP_CLEAR
  S_TRAP_CLEAR
  RUN_MODE 1, s_illegal
  CHECK_S_TRAP CAUSE_ILLEGAL
  CHECK_S_EPC_LABEL s_illegal
  CHECK_S_TVAL 0x1234500b
  ld a0, s_trap_status
  CHECK_BITS a0, MSTATUS_SPP, MSTATUS_SPP
  CASE 26                                         /* breakpoint delegated from S */
  TRAP_CLEAR
  S_TRAP_CLEAR
  RUN_MODE 1, s_ebreak
  CHECK_S_TRAP CAUSE_BREAKPOINT
  CHECK_S_EPC_LABEL s_ebreak
  CASE 27                                         /* traps in M are never delegated */
  TRAP_CLEAR
  S_TRAP_CLEAR
  TRAP_EXPECT 1f
  .word 0x1234500b
  j fail
1:
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_S_TRAP_COUNT 0
  CASE 28                                         /* delegate everything: M ecall still goes to M */
  li a0, -1
  csrw medeleg, a0
  csrr a1, medeleg
  TRAP_CLEAR
  S_TRAP_CLEAR
  TRAP_EXPECT 1f
  ecall
  j fail
1:
  CHECK_TRAP CAUSE_ECALL_M
  CHECK_S_TRAP_COUNT 0
  csrw medeleg, zero
  CASE 29                                         /* medeleg[11] is read-only zero */
  srli a1, a1, CAUSE_ECALL_M
  andi a1, a1, 1
  beqz a1, 1f
  beqz s11, fail
  NOTE "priv-traps case 29: medeleg[11] is writable (QEMU 7 quirk, tolerated)"
1:

  /* ---- mideleg ---- */
  CASE 30                                         /* delegated SSI taken in S */
  li a0, 1 << IRQ_S_SOFT
  csrw mideleg, a0
  csrw mie, a0
  csrs mip, a0
  TRAP_CLEAR
  S_TRAP_CLEAR
  S_TRAP_EXPECT s_after_irq
  RUN_MODE 1, s_enable_sie
  CHECK_S_TRAP INTR | IRQ_S_SOFT
  CHECK_S_EPC_LABEL s_irq_point
  CHECK_TRAP CAUSE_ECALL_S                        /* s_after_irq ends with ecall */
  CHECK_TRAP_COUNT 1
  csrr a0, mie                                    /* the S handler cleared sie.SSIE */
  CHECK_BITS a0, 1 << IRQ_S_SOFT, 0
  CASE 31                                         /* delegated interrupts are not taken in M */
  li a0, 1 << IRQ_S_SOFT
  csrs mie, a0
  csrs mip, a0
  TRAP_CLEAR
  S_TRAP_CLEAR
  csrsi mstatus, MSTATUS_MIE | MSTATUS_SIE
  nop
  nop
  csrci mstatus, MSTATUS_MIE | MSTATUS_SIE
  CHECK_TRAP_COUNT 0
  CHECK_S_TRAP_COUNT 0
  CASE 32                                         /* not delegated: taken in M from S even with MIE = 0 */
  csrw mideleg, zero
  csrci mstatus, MSTATUS_MIE
  TRAP_CLEAR
  S_TRAP_CLEAR
  TRAP_EXPECT 1f
  GOTO_S(s_spin)
1:
  CHECK_TRAP INTR | IRQ_S_SOFT
  ld a0, trap_status
  MPP_OF(a0)
  CHECK a0, 1
  CHECK_S_TRAP_COUNT 0
  li a0, 1 << IRQ_S_SOFT
  csrc mip, a0
  csrw mie, zero
  CASE 33                                         /* sip/sie show only delegated bits */
  li a0, (1 << IRQ_S_SOFT) | (1 << IRQ_S_TIMER)
  csrw mie, a0
  li a0, 1 << IRQ_S_SOFT
  csrs mip, a0
  csrw mideleg, zero
  csrr a1, sie
  CHECK a1, 0
  csrr a1, sip
  CHECK a1, 0
  li a0, 1 << IRQ_S_SOFT
  csrw mideleg, a0
  csrr a1, sie
  CHECK a1, 1 << IRQ_S_SOFT
  csrr a1, sip
  CHECK a1, 1 << IRQ_S_SOFT
  csrc sip, a0                                    /* sip.SSIP is writable when delegated */
  csrr a1, mip
  CHECK_BITS a1, 1 << IRQ_S_SOFT, 0
  csrw mideleg, zero
  csrw mie, zero

  /* ---- vectored mtvec ---- */
  CASE 34                                         /* exceptions use the base */
  la a0, m_vectors
  ori a0, a0, 1
  csrw mtvec, a0
  la a0, vec_hit
  li a1, -1
  sd a1, 0(a0)
  TRAP_CLEAR
  TRAP_EXPECT 1f
  ecall
1:
  CHECK_TRAP CAUSE_ECALL_M
  ld a0, vec_hit
  CHECK a0, 0
  CASE 35                                         /* machine software interrupt: base + 4*3 */
  la a0, vec_hit
  li a1, -1
  sd a1, 0(a0)
  li a0, 1 << IRQ_M_SOFT
  csrw mie, a0
  li a0, CLINT_MSIP
  li a1, 1
  sw a1, 0(a0)
  TRAP_CLEAR
  TRAP_EXPECT 1f
  li a2, 10000000
  csrsi mstatus, MSTATUS_MIE
2:
  addi a2, a2, -1                                 /* waits for the interrupt */
  bnez a2, 2b
  j fail
1:
  csrci mstatus, MSTATUS_MIE
  li a0, CLINT_MSIP
  sw zero, 0(a0)
  CHECK_TRAP INTR | IRQ_M_SOFT
  ld a0, vec_hit
  CHECK a0, 3
  CASE 36                                         /* supervisor software interrupt in M: base + 4*1 */
  la a0, vec_hit
  li a1, -1
  sd a1, 0(a0)
  li a0, 1 << IRQ_S_SOFT
  csrw mie, a0
  csrs mip, a0
  TRAP_CLEAR
  TRAP_EXPECT 1f
  li a2, 10000000
  csrsi mstatus, MSTATUS_MIE
2:
  addi a2, a2, -1
  bnez a2, 2b
  j fail
1:
  csrci mstatus, MSTATUS_MIE
  li a0, 1 << IRQ_S_SOFT
  csrc mip, a0
  CHECK_TRAP INTR | IRQ_S_SOFT
  ld a0, vec_hit
  CHECK a0, 1
  CASE 37                                         /* supervisor timer (mip.STIP written by M): base + 4*5 */
  la a0, vec_hit
  li a1, -1
  sd a1, 0(a0)
  TRAP_CLEAR
  TRAP_SKIP_ON
  csrr a0, CSR_MENVCFG                           /* STCE = 0 so that STIP is writable */
  li a1, MENVCFG_STCE
  csrc CSR_MENVCFG, a1
  TRAP_DISARM
  li a0, 1 << IRQ_S_TIMER
  csrw mie, a0
  csrs mip, a0
  TRAP_CLEAR
  TRAP_EXPECT 1f
  li a2, 10000000
  csrsi mstatus, MSTATUS_MIE
2:
  addi a2, a2, -1
  bnez a2, 2b
  j fail
1:
  csrci mstatus, MSTATUS_MIE
  li a0, 1 << IRQ_S_TIMER
  csrc mip, a0
  CHECK_TRAP INTR | IRQ_S_TIMER
  ld a0, vec_hit
  CHECK a0, 5
  la a0, m_trap_handler
  csrw mtvec, a0
  csrw mie, zero
  CASE 38                                         /* vectored stvec: delegated SSI at base + 4 */
  la a0, s_vectors
  ori a0, a0, 1
  csrw stvec, a0
  la a0, s_vec_hit
  li a1, -1
  sd a1, 0(a0)
  li a0, 1 << IRQ_S_SOFT
  csrw mideleg, a0
  csrw mie, a0
  csrs mip, a0
  TRAP_CLEAR
  S_TRAP_CLEAR
  S_TRAP_EXPECT s_after_irq
  RUN_MODE 1, s_enable_sie
  CHECK_S_TRAP INTR | IRQ_S_SOFT
  ld a0, s_vec_hit
  CHECK a0, 1
  CASE 39                                         /* vectored stvec: exceptions at the base */
  li a0, 1 << CAUSE_ECALL_U
  csrw medeleg, a0
  la a0, s_vec_hit
  li a1, -1
  sd a1, 0(a0)
  S_TRAP_CLEAR
  RUN_MODE 0, u_ecall
  CHECK_S_TRAP CAUSE_ECALL_U
  ld a0, s_vec_hit
  CHECK a0, 0
  csrw medeleg, zero
  csrw mideleg, zero
  csrw mie, zero
  li a0, 1 << IRQ_S_SOFT
  csrc mip, a0
  la a0, s_trap_handler
  csrw stvec, a0

  /* ---- TSR ---- */
  CASE 40                                         /* sret in S traps */
  li a0, MSTATUS_TSR
  csrs mstatus, a0
  TRAP_CLEAR
  RUN_MODE 1, s_sret_to_s
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_EPC_LABEL s_sret_insn
  CHECK_TVAL 0x10200073
  CASE 41                                         /* sret in M still works */
  li a0, MSTATUS_SPP
  csrs mstatus, a0
  la a0, s_ecall
  csrw sepc, a0
  TRAP_CLEAR
  TRAP_EXPECT 1f
  sret
1:
  CHECK_TRAP CAUSE_ECALL_S
  li a0, MSTATUS_TSR
  csrc mstatus, a0
  CASE 42                                         /* TSR = 0: sret in S works */
  TRAP_CLEAR
  RUN_MODE 1, s_sret_to_s
  CHECK_TRAP CAUSE_ECALL_S

  /* ---- TW ---- */
  CASE 43                                         /* wfi in S traps with TW = 1 */
  li a0, MSTATUS_TW
  csrs mstatus, a0
  TRAP_CLEAR
  RUN_MODE 1, s_wfi
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_EPC_LABEL s_wfi
  CHECK_TVAL 0x10500073
  CASE 44                                         /* TW = 0: wfi in S completes (interrupt pending
                                                     and enabled in sie, but SIE = 0) */
  li a0, MSTATUS_TW
  csrc mstatus, a0
  li a0, 1 << IRQ_S_SOFT
  csrw mideleg, a0
  csrw mie, a0
  csrs mip, a0
  csrci mstatus, MSTATUS_SIE
  TRAP_CLEAR
  S_TRAP_CLEAR
  RUN_MODE 1, s_wfi
  CHECK_TRAP CAUSE_ECALL_S
  CHECK_S_TRAP_COUNT 0
  CASE 45                                         /* TW does not affect M */
  li a0, MSTATUS_TW
  csrs mstatus, a0
  TRAP_CLEAR
  wfi                                             /* SSIP pending and enabled: returns */
  CHECK_TRAP_COUNT 0
  li a0, MSTATUS_TW
  csrc mstatus, a0
  li a0, 1 << IRQ_S_SOFT
  csrc mip, a0
  csrw mie, zero
  csrw mideleg, zero

  /* ---- TVM ---- */
  CASE 46                                         /* satp read in S traps */
  li a0, MSTATUS_TVM
  csrs mstatus, a0
  TRAP_CLEAR
  RUN_MODE 1, s_read_satp
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_EPC_LABEL s_read_satp
  CASE 47                                         /* satp write in S traps */
  TRAP_CLEAR
  RUN_MODE 1, s_write_satp
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_EPC_LABEL s_write_satp
  CASE 48                                         /* sfence.vma in S traps */
  TRAP_CLEAR
  RUN_MODE 1, s_sfence
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_EPC_LABEL s_sfence
  CHECK_TVAL 0x12000073
  CASE 49                                         /* M is not affected */
  TRAP_CLEAR
  csrr a0, satp
  csrw satp, zero
  sfence.vma
  CHECK_TRAP_COUNT 0
  li a0, MSTATUS_TVM
  csrc mstatus, a0
  CASE 50                                         /* TVM = 0: all three work in S */
  TRAP_CLEAR
  RUN_MODE 1, s_read_satp
  CHECK_TRAP CAUSE_ECALL_S
  CHECK_TRAP_COUNT 1
  TRAP_CLEAR
  RUN_MODE 1, s_sfence
  CHECK_TRAP CAUSE_ECALL_S
  CHECK_TRAP_COUNT 1
  CASE 51                                         /* sfence.vma in U is illegal */
  TRAP_CLEAR
  RUN_MODE 0, u_sfence
  CHECK_TRAP CAUSE_ILLEGAL

  /* ---- counter enables ---- */
  /* s10 = 1 when the time CSR can be read at all (QEMU's spike machine has
     no rdtime, so there time reads trap even in M) */
  TRAP_CLEAR
  TRAP_SKIP_ON
  csrr a0, time
  TRAP_DISARM
  ld a0, trap_count
  seqz s10, a0
  bnez s10, 1f
  beqz s11, fail
  NOTE "priv-traps cases 52-60: time CSR traps even in M (QEMU spike has no rdtime), time not tested"
1:
  CASE 52                                         /* mcounteren = 0: S reads trap */
  csrw mcounteren, zero
  csrw scounteren, zero
  TRAP_CLEAR
  RUN_MODE 1, s_rdcycle
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_EPC_LABEL s_rdcycle
  TRAP_CLEAR
  RUN_MODE 1, s_rdinstret
  CHECK_TRAP CAUSE_ILLEGAL
  TRAP_CLEAR
  RUN_MODE 1, s_rdhpm3
  CHECK_TRAP CAUSE_ILLEGAL
  beqz s10, 1f
  TRAP_CLEAR
  RUN_MODE 1, s_rdtime
  CHECK_TRAP CAUSE_ILLEGAL
1:
  CASE 53                                         /* mcounteren = 0: U reads trap (even with scounteren) */
  li a0, -1
  csrw scounteren, a0
  TRAP_CLEAR
  RUN_MODE 0, u_rdcycle
  CHECK_TRAP CAUSE_ILLEGAL
  CHECK_EPC_LABEL u_rdcycle
  TRAP_CLEAR
  RUN_MODE 0, u_rdinstret
  CHECK_TRAP CAUSE_ILLEGAL
  beqz s10, 1f
  TRAP_CLEAR
  RUN_MODE 0, u_rdtime
  CHECK_TRAP CAUSE_ILLEGAL
1:
  CASE 54                                         /* each bit gates its own counter in S */
  li a0, 1                                        /* CY only */
  csrw mcounteren, a0
  TRAP_CLEAR
  RUN_MODE 1, s_rdcycle
  CHECK_TRAP CAUSE_ECALL_S
  TRAP_CLEAR
  RUN_MODE 1, s_rdinstret
  CHECK_TRAP CAUSE_ILLEGAL
  li a0, 4                                        /* IR only */
  csrw mcounteren, a0
  TRAP_CLEAR
  RUN_MODE 1, s_rdinstret
  CHECK_TRAP CAUSE_ECALL_S
  TRAP_CLEAR
  RUN_MODE 1, s_rdcycle
  CHECK_TRAP CAUSE_ILLEGAL
  beqz s10, 1f
  TRAP_CLEAR
  RUN_MODE 1, s_rdtime
  CHECK_TRAP CAUSE_ILLEGAL
  li a0, 2                                        /* TM only */
  csrw mcounteren, a0
  TRAP_CLEAR
  RUN_MODE 1, s_rdtime
  CHECK_TRAP CAUSE_ECALL_S
1:
  CASE 55                                         /* hpmcounter3 gated by bit 3 */
  li a0, 8
  csrw mcounteren, a0
  TRAP_CLEAR
  RUN_MODE 1, s_rdhpm3
  CHECK_TRAP CAUSE_ECALL_S
  CASE 56                                         /* mcounteren all, scounteren = 0: S reads, U traps */
  li a0, -1
  csrw mcounteren, a0
  csrw scounteren, zero
  TRAP_CLEAR
  RUN_MODE 1, s_rdcycle
  CHECK_TRAP CAUSE_ECALL_S
  TRAP_CLEAR
  RUN_MODE 1, s_rdinstret
  CHECK_TRAP CAUSE_ECALL_S
  TRAP_CLEAR
  RUN_MODE 0, u_rdcycle
  CHECK_TRAP CAUSE_ILLEGAL
  TRAP_CLEAR
  RUN_MODE 0, u_rdinstret
  CHECK_TRAP CAUSE_ILLEGAL
  beqz s10, 1f
  TRAP_CLEAR
  RUN_MODE 1, s_rdtime
  CHECK_TRAP CAUSE_ECALL_S
  TRAP_CLEAR
  RUN_MODE 0, u_rdtime
  CHECK_TRAP CAUSE_ILLEGAL
1:
  CASE 57                                         /* both enabled: U reads */
  li a0, -1
  csrw scounteren, a0
  TRAP_CLEAR
  RUN_MODE 0, u_rdcycle
  CHECK_TRAP CAUSE_ECALL_U
  TRAP_CLEAR
  RUN_MODE 0, u_rdinstret
  CHECK_TRAP CAUSE_ECALL_U
  beqz s10, 1f
  TRAP_CLEAR
  RUN_MODE 0, u_rdtime
  CHECK_TRAP CAUSE_ECALL_U
1:
  CASE 58                                         /* scounteren bits are per counter */
  li a0, 4
  csrw scounteren, a0
  TRAP_CLEAR
  RUN_MODE 0, u_rdinstret
  CHECK_TRAP CAUSE_ECALL_U
  TRAP_CLEAR
  RUN_MODE 0, u_rdcycle
  CHECK_TRAP CAUSE_ILLEGAL
  CASE 59                                         /* M is never gated */
  csrw mcounteren, zero
  csrw scounteren, zero
  TRAP_CLEAR
  csrr a0, cycle
  csrr a0, instret
  CHECK_TRAP_COUNT 0
  CASE 60                                         /* the trapping read in U has mtval = instruction */
  TRAP_CLEAR
  RUN_MODE 0, u_rdcycle
  CHECK_TRAP CAUSE_ILLEGAL
  la a0, u_rdcycle
  lwu a0, 0(a0)
  ld a1, trap_tval
  CHECKR a0, a1
TEST_END

  .text
  .option push
  .option norvc
/* lower-privilege snippets; each ends in an ECALL (or traps) */
s_ecall:
  ecall
  j fail
u_ecall:
  ecall
  j fail
u_ebreak:
  ebreak
  j fail
s_sret_to_u:
  la t0, u_ecall
  csrw sepc, t0
  li t0, MSTATUS_SPP
  csrc sstatus, t0
  sret
  j fail
s_sret_to_s:
  la t0, s_ecall
  csrw sepc, t0
  li t0, MSTATUS_SPP
  csrs sstatus, t0
s_sret_insn:
  sret
  j fail
s_mret:
  mret
  j fail
u_mret:
  mret
  j fail
u_sret:
  sret
  j fail
u_illegal:
  .word 0xfedcb07b
  j fail
s_illegal:
  .word 0x1234500b
  j fail
s_ebreak:
  ebreak
  j fail
u_wfi:
  wfi
  ecall
s_enable_sie:
  csrsi sstatus, MSTATUS_SIE
s_irq_point:
  j s_irq_point                                   /* the delegated interrupt leaves this loop */
s_after_irq:
  csrci sstatus, MSTATUS_SIE
  ecall
s_spin:
  j s_spin
s_wfi:
  wfi
  ecall
s_read_satp:
  csrr t0, satp
  ecall
s_write_satp:
  csrw satp, zero
  ecall
s_sfence:
  sfence.vma
  ecall
u_sfence:
  sfence.vma
  ecall
s_rdcycle:
  csrr t0, cycle
  ecall
s_rdinstret:
  csrr t0, instret
  ecall
s_rdtime:
  csrr t0, time
  ecall
s_rdhpm3:
  csrr t0, hpmcounter3
  ecall
u_rdcycle:
  csrr t0, cycle
  ecall
u_rdinstret:
  csrr t0, instret
  ecall
u_rdtime:
  csrr t0, time
  ecall

/* vectored trap tables: each entry records its index, then goes to the
   common handler */
.macro VEC_STUB idx, scratch, hit, handler
  csrrw t0, \scratch, t0
  sd t1, 32(t0)
  sd t2, 40(t0)
  la t1, \hit
  li t2, \idx
  sd t2, 0(t1)
  ld t1, 32(t0)
  ld t2, 40(t0)
  csrrw t0, \scratch, t0
  j \handler
.endm

  .balign 256
m_vectors:
  .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
  j m_vec_\i
  .endr
  .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
m_vec_\i:
  VEC_STUB \i, mscratch, vec_hit, m_trap_handler
  .endr

  .balign 256
s_vectors:
  .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
  j s_vec_\i
  .endr
  .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
s_vec_\i:
  VEC_STUB \i, sscratch, s_vec_hit, s_trap_handler
  .endr
  .option pop

  .data
  .align 3
vec_hit:   .dword -1
s_vec_hit: .dword -1
