/*
 * common.h - shared macros and runtime of hartvm's bare-metal test programs.
 *
 * Contract (see tests/programs/README.md):
 *   - linked at 0x8000_0000 (link.ld), entered in M-mode at _start, no firmware;
 *   - ends through HTIF: tohost = 1 means pass, tohost = (n << 1) | 1 means
 *     case n failed (the emulator / QEMU exits with status n);
 *   - -DQEMU_VIRT builds a variant for `qemu-system-riscv64 -M virt` (exit
 *     through sifive_test at 0x10_0000, console on the UART), used only to
 *     validate the parts QEMU's spike machine lacks (rdtime, Sstc, PLIC).
 *
 * Register conventions inside a program:
 *   gp (x3)  the current case number (CASE n sets it; 1..250)
 *   t5, t6   scratch of the CHECK/TRAP/RUN macros and of the FAIL path; never
 *            keep a value in them across a macro.
 *   everything else is free.  The trap handlers preserve every register
 *   (they save what they use in a scratch area found through m/sscratch;
 *   a program that writes those CSRs calls RESTORE_SCRATCH).
 *
 * Case numbers are limited to 1..250 because an exit status is 8 bits wide;
 * 255 means "failure outside any case" (gp was still 0).  Case n is the
 * `CASE n` line, or the numbered test macro (TEST_RR n, ...) in the source.
 *
 * A program looks like:
 *
 *     #include "common.h"
 *     TEST_BEGIN               // _start: traps, PMP entry 0 = allow all, FS=Initial
 *         CASE 1
 *         li a0, 3
 *         CHECK a0, 3          // on mismatch: fail with case 1
 *     TEST_END                 // writes 1 to tohost
 *
 * Traps.  All traps go to m_trap_handler (mtvec, direct mode) unless a program
 * changes mtvec.  It records mcause/mtval/mepc/mstatus in trap_cause/
 * trap_tval/trap_epc/trap_status, counts traps in trap_count, appends mcause
 * to trap_log (16 entries, CHECK_LOG), then:
 *   - if t6 == FAIL_MAGIC and the trap is an ECALL: fail with the case number
 *     in t5 (this is how `fail` works from S- and U-mode);
 *   - interrupts: the interrupt's bit in mie is cleared (interrupts are
 *     one-shot, the program re-enables them), then as below except that
 *     trap_ret == 0 means "resume at mepc";
 *   - trap_ret == 0: an unexpected exception -> fail with the current case;
 *   - trap_ret == TRAP_SKIP (1, TRAP_SKIP_ON): resume after the trapping
 *     instruction (its length is read at mepc, so only for code running at
 *     its physical address), same privilege; stays armed until TRAP_DISARM;
 *   - trap_ret == TRAP_RESUME (2): resume at mepc, same privilege;
 *   - otherwise (TRAP_EXPECT label): one-shot: continue at label in M-mode
 *     (MPP := M) and clear trap_ret.
 * RUN_MODE mode, label runs code in S or U that ends with an ECALL (or any
 * trap) and comes back to M after the macro; CHECK_TRAP/CHECK_TVAL/... then
 * look at the records.
 * The S-mode handler (s_trap_handler, stvec) does the same with
 * s_trap_cause/..., s_trap_ret, except that s_trap_ret == 0 on an exception
 * means "go on to M-mode with an ECALL" (so an unexpected delegated trap
 * still fails, and a label armed with TRAP_EXPECT catches it in M-mode); a
 * label continues in S-mode (SPP := S).
 *
 * DETECT_QEMU7 / NOTE: a few checks tolerate a documented deviation of the
 * reference (QEMU 7.2) only when marchid/mimpid identify QEMU 7.x, and print
 * a note on the console when they do.
 */
#ifndef HARTVM_COMMON_H
#define HARTVM_COMMON_H

#define FAIL_MAGIC 0x7e57fa11dead0001

#define TRAP_SKIP   1
#define TRAP_RESUME 2

#define MSTATUS_SIE   (1 << 1)
#define MSTATUS_MIE   (1 << 3)
#define MSTATUS_SPIE  (1 << 5)
#define MSTATUS_UBE   (1 << 6)
#define MSTATUS_MPIE  (1 << 7)
#define MSTATUS_SPP   (1 << 8)
#define MSTATUS_MPP   (3 << 11)
#define MSTATUS_MPP_S (1 << 11)
#define MSTATUS_FS    (3 << 13)
#define MSTATUS_FS_INITIAL (1 << 13)
#define MSTATUS_FS_CLEAN   (2 << 13)
#define MSTATUS_FS_DIRTY   (3 << 13)
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)
#define MSTATUS_SD    (1 << 63)

#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS     1
#define CAUSE_ILLEGAL          2
#define CAUSE_BREAKPOINT       3
#define CAUSE_MISALIGNED_LOAD  4
#define CAUSE_LOAD_ACCESS      5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS     7
#define CAUSE_ECALL_U          8
#define CAUSE_ECALL_S          9
#define CAUSE_ECALL_M          11
#define CAUSE_FETCH_PAGE       12
#define CAUSE_LOAD_PAGE        13
#define CAUSE_STORE_PAGE       15
#define INTR                   (1 << 63)

#define IRQ_S_SOFT  1
#define IRQ_M_SOFT  3
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7
#define IRQ_S_EXT   9
#define IRQ_M_EXT   11

#define CSR_MENVCFG  0x30a
#define CSR_STIMECMP 0x14d
#define MENVCFG_STCE (1 << 63)

#define CLINT_BASE     0x02000000
#define CLINT_MSIP     0x02000000
#define CLINT_MTIMECMP 0x02004000
#define CLINT_MTIME    0x0200bff8

/* ------------------------------------------------------------------ */
/* cases and checks                                                     */

/* CASE n: start case n (1..250). */
.macro CASE n
  .if (\n) < 1 || (\n) > 250
    .error "case number out of range 1..250"
  .endif
  li gp, \n
.endm

/* CHECK reg, value: fail the current case unless reg == value (64-bit). */
.macro CHECK reg, val
  li t6, \val
  bne \reg, t6, fail
.endm

/* CHECKR a, b: fail unless registers a == b. */
.macro CHECKR a, b
  bne \a, \b, fail
.endm

/* CHECK_CSR csr, value: csr == value */
.macro CHECK_CSR csr, val
  csrr t5, \csr
  CHECK t5, \val
.endm

/* CHECK_CSR_MASK csr, mask, value: (csr & mask) == value */
.macro CHECK_CSR_MASK csr, mask, val
  csrr t5, \csr
  li t6, \mask
  and t5, t5, t6
  CHECK t5, \val
.endm

/* CHECK_FREG fd, value (64-bit bit pattern) */
.macro CHECK_FREG freg, val
  fmv.x.d t5, \freg
  CHECK t5, \val
.endm

/* LOAD_FREG fd, value (64-bit pattern; clobbers t5) */
.macro LOAD_FREG freg, val
  li t5, \val
  fmv.d.x \freg, t5
.endm

/* LOAD_FREG_S fd, value (32-bit pattern, NaN-boxed; clobbers t5) */
.macro LOAD_FREG_S freg, val
  li t5, \val
  fmv.w.x \freg, t5
.endm

/* CHECK_FREG_S fd, value: fd holds a properly NaN-boxed single with bits value */
.macro CHECK_FREG_S freg, val
  fmv.x.d t5, \freg
  CHECK t5, (0xffffffff00000000 | (\val))
.endm

/* TEST_RR n, op, result, a, b:  case n: op a0, a1=a, a2=b; a0 == result.
   Also checks the rd == rs1 and rd == rs2 forms give the same result. */
.macro TEST_RR n, op, res, a, b
  CASE \n
  li a1, \a
  li a2, \b
  \op a0, a1, a2
  CHECK a0, \res
  mv a3, a1
  \op a3, a3, a2
  CHECK a3, \res
  mv a4, a2
  \op a4, a1, a4
  CHECK a4, \res
.endm

/* TEST_RI n, op, result, a, imm: case n: op a0, a1=a, imm; a0 == result. */
.macro TEST_RI n, op, res, a, imm
  CASE \n
  li a1, \a
  \op a0, a1, \imm
  CHECK a0, \res
  \op a1, a1, \imm
  CHECK a1, \res
.endm

/* TEST_BR n, op, a, b, taken: case n: branch op a, b is taken (1) or not (0). */
.macro TEST_BR n, op, a, b, taken
  CASE \n
  li a1, \a
  li a2, \b
  li a0, 0
  \op a1, a2, 9921f
  li a0, 2
9921:
  addi a0, a0, 1
  .if \taken
  CHECK a0, 1
  .else
  CHECK a0, 3
  .endif
.endm

/* FAIL / PASS */
.macro FAIL
  j fail
.endm

/* ------------------------------------------------------------------ */
/* traps                                                                */

/* Expect the next trap to continue (in M-mode) at label. */
.macro TRAP_EXPECT label
  la t6, \label
  la t5, trap_ret
  sd t6, 0(t5)
.endm

/* Skip trapping instructions (stays armed). */
.macro TRAP_SKIP_ON
  li t6, TRAP_SKIP
  la t5, trap_ret
  sd t6, 0(t5)
.endm

.macro TRAP_DISARM
  la t5, trap_ret
  sd zero, 0(t5)
.endm

/* Reset trap records (cause := -1; tval, epc, status, count, log := 0). */
.macro TRAP_CLEAR
  la t5, trap_rec
  li t6, -1
  sd t6, 0(t5)
  sd zero, 8(t5)
  sd zero, 16(t5)
  sd zero, 24(t5)
  sd zero, 32(t5)
  sd zero, 48(t5)
.endm

/* CHECK_LOG i, cause: the i-th trap since TRAP_CLEAR had mcause == cause */
.macro CHECK_LOG i, cause
  la t5, trap_log
  ld t5, ((\i) * 8)(t5)
  CHECK t5, \cause
.endm

.macro S_TRAP_CLEAR
  la t5, s_trap_rec
  li t6, -1
  sd t6, 0(t5)
  sd zero, 8(t5)
  sd zero, 16(t5)
  sd zero, 24(t5)
  sd zero, 32(t5)
.endm

.macro S_TRAP_EXPECT label
  la t6, \label
  la t5, s_trap_ret
  sd t6, 0(t5)
.endm

.macro S_TRAP_SKIP_ON
  li t6, TRAP_SKIP
  la t5, s_trap_ret
  sd t6, 0(t5)
.endm

.macro S_TRAP_DISARM
  la t5, s_trap_ret
  sd zero, 0(t5)
.endm

/* CHECK_TRAP cause: the last M-mode trap had mcause == cause */
.macro CHECK_TRAP cause
  ld t5, trap_cause
  CHECK t5, \cause
.endm

.macro CHECK_TVAL val
  ld t5, trap_tval
  CHECK t5, \val
.endm

/* CHECK_TVAL_LABEL label: mtval == address of label */
.macro CHECK_TVAL_LABEL label
  ld t5, trap_tval
  la t6, \label
  bne t5, t6, fail
.endm

.macro CHECK_EPC_LABEL label
  ld t5, trap_epc
  la t6, \label
  bne t5, t6, fail
.endm

.macro CHECK_TRAP_COUNT n
  ld t5, trap_count
  CHECK t5, \n
.endm

.macro CHECK_S_TRAP cause
  ld t5, s_trap_cause
  CHECK t5, \cause
.endm

.macro CHECK_S_TVAL val
  ld t5, s_trap_tval
  CHECK t5, \val
.endm

.macro CHECK_S_EPC_LABEL label
  ld t5, s_trap_epc
  la t6, \label
  bne t5, t6, fail
.endm

.macro CHECK_S_TRAP_COUNT n
  ld t5, s_trap_count
  CHECK t5, \n
.endm

/* The handlers find their save areas through mscratch / sscratch: a program
   that writes those CSRs must call this before the next trap. */
.macro RESTORE_SCRATCH
  la t6, m_save_area
  csrw mscratch, t6
  la t6, s_save_area
  csrw sscratch, t6
.endm

/* ------------------------------------------------------------------ */
/* privilege changes                                                    */

/* Jump to label in mode (0 = U, 1 = S, 3 = M) with mret.  Clobbers t5, t6.
   MPIE is cleared, so the target runs with xIE as mret leaves it (MIE=0). */
.macro GOTO_MODE mode, label
  li t6, MSTATUS_MPP | MSTATUS_MPIE
  csrc mstatus, t6
  li t6, ((\mode) << 11)
  csrs mstatus, t6
  la t6, \label
  csrw mepc, t6
  mret
.endm

#define GOTO_U(label) GOTO_MODE 0, label
#define GOTO_S(label) GOTO_MODE 1, label

/* RUN_MODE mode, label: run the code at label in mode (0 = U, 1 = S); it
   ends with an ECALL (or any trap) that brings us back to M after the
   macro.  Registers other than t5/t6 pass through both ways. */
.macro RUN_MODE mode, label
  TRAP_EXPECT 9961f
  GOTO_MODE \mode, \label
9961:
.endm


/* PMP entry 0: NAPOT over the whole physical address space, RWX, so that S
   and U can access everything (no PMP entry matching = denied for S/U). */
.macro PMP_ALLOW_ALL
  li t6, -1
  csrw pmpaddr0, t6
  li t6, 0x1f
  csrw pmpcfg0, t6
.endm

/* ------------------------------------------------------------------ */
/* HTIF console (optional output; used to report skipped checks)      */

/* PUTS "string": print on the HTIF console (M-mode only; clobbers a0, t5, t6). */
.macro PUTS str
  .pushsection .rodata.str, "a"
  9901: .asciz "\str"
  .popsection
  la a0, 9901b
  call htif_puts
.endm

/* DETECT_QEMU7 reg: reg = 1 when mvendorid == 0 and marchid == mimpid ==
   0x07xxxx, which is how QEMU 7.x identifies itself; else 0.  Used only to
   tolerate documented deviations of the reference emulator (QEMU 7.2), each
   reported on the console with NOTE.  Clobbers t5, t6. */
.macro DETECT_QEMU7 reg
  csrr \reg, marchid
  csrr t5, mimpid
  csrr t6, mvendorid
  bnez t6, 9911f
  bne \reg, t5, 9911f
  srli \reg, \reg, 16
  addi \reg, \reg, -7
  seqz \reg, \reg
  j 9912f
9911:
  li \reg, 0
9912:
.endm

/* NOTE "text": print "note: text" and a newline (M-mode only; clobbers
   only t5, t6). */
.macro NOTE str
  .pushsection .rodata.str, "a"
  9903: .ascii "note: "
  .ascii "\str"
  .byte 10, 0
  .popsection
  la t6, note_save
  sd a0, 0(t6)
  sd a1, 8(t6)
  sd ra, 16(t6)
  la a0, 9903b
  call htif_puts
  la t6, note_save
  ld a0, 0(t6)
  ld a1, 8(t6)
  ld ra, 16(t6)
.endm

/* ------------------------------------------------------------------ */
/* program begin / end                                                  */

.macro TEST_BEGIN
  .section .text.init, "ax", @progbits
  .option push
  .option norvc
  .globl _start
_start:
  j reset_vector
  .option pop

  .align 2
  .globl m_trap_handler
m_trap_handler:
  /* If this is a FAIL request (ECALL with t6 == FAIL_MAGIC), fail with t5. */
  csrrw t0, mscratch, t0          /* t0 = save area, mscratch = user t0 */
  sd t1, 8(t0)
  sd t2, 16(t0)
  sd t3, 24(t0)
  csrr t1, mscratch
  sd t1, 0(t0)
  csrw mscratch, t0
  li t1, FAIL_MAGIC
  bne t6, t1, 1f
  csrr t1, mcause
  li t2, CAUSE_ECALL_U
  beq t1, t2, fail_with_t5
  li t2, CAUSE_ECALL_S
  beq t1, t2, fail_with_t5
  li t2, CAUSE_ECALL_M
  beq t1, t2, fail_with_t5
1:
  la t1, trap_rec
  csrr t2, mcause
  sd t2, 0(t1)
  csrr t2, mtval
  sd t2, 8(t1)
  csrr t2, mepc
  sd t2, 16(t1)
  csrr t2, mstatus
  sd t2, 24(t1)
  ld t2, 32(t1)
  addi t2, t2, 1
  sd t2, 32(t1)
  ld t2, 48(t1)                   /* append mcause to trap_log */
  li t3, 16
  bgeu t2, t3, 1f
  addi t3, t2, 1
  sd t3, 48(t1)
  slli t2, t2, 3
  add t2, t2, t1
  csrr t3, mcause
  sd t3, 56(t2)
1:
  ld t2, 40(t1)                   /* trap_ret */
  csrr t3, mcause
  bgez t3, 2f
  /* interrupt: disable its enable bit (one-shot) */
  slli t3, t3, 1
  srli t3, t3, 1
  li t1, 1
  sll t1, t1, t3
  csrc mie, t1
  beqz t2, m_trap_resume
  j 3f
2:
  beqz t2, m_trap_unexpected
3:
  li t3, TRAP_SKIP
  beq t2, t3, m_trap_skip
  li t3, TRAP_RESUME
  beq t2, t3, m_trap_resume
  /* one-shot continuation label, in M-mode */
  la t1, trap_ret
  sd zero, 0(t1)
  csrw mepc, t2
  li t1, MSTATUS_MPP
  csrs mstatus, t1
  j m_trap_resume
m_trap_skip:
  csrr t1, mepc
  lhu t2, 0(t1)
  andi t2, t2, 3
  li t3, 3
  addi t1, t1, 2
  bne t2, t3, 4f
  addi t1, t1, 2
4:
  csrw mepc, t1
m_trap_resume:
  csrr t0, mscratch
  ld t1, 8(t0)
  ld t2, 16(t0)
  ld t3, 24(t0)
  ld t0, 0(t0)
  mret
m_trap_unexpected:
  mv t5, gp
fail_with_t5:
  bnez t5, 5f
  li t5, 255
5:
#ifdef QEMU_VIRT
  slli t5, t5, 16
  li t1, 0x3333
  or t5, t5, t1
  li t1, 0x100000
  sw t5, 0(t1)
#else
  slli t5, t5, 1
  ori t5, t5, 1
  la t1, tohost
  sd t5, 0(t1)
#endif
6:
  j 6b

  .align 2
  .globl s_trap_handler
s_trap_handler:
  csrrw t0, sscratch, t0
  sd t1, 8(t0)
  sd t2, 16(t0)
  sd t3, 24(t0)
  csrr t1, sscratch
  sd t1, 0(t0)
  csrw sscratch, t0
  li t1, FAIL_MAGIC
  bne t6, t1, 1f
  ecall                           /* FAIL request: pass it on to M-mode */
1:
  la t1, s_trap_rec
  csrr t2, scause
  sd t2, 0(t1)
  csrr t2, stval
  sd t2, 8(t1)
  csrr t2, sepc
  sd t2, 16(t1)
  csrr t2, sstatus
  sd t2, 24(t1)
  ld t2, 32(t1)
  addi t2, t2, 1
  sd t2, 32(t1)
  ld t2, 40(t1)                   /* s_trap_ret */
  csrr t3, scause
  bgez t3, 2f
  slli t3, t3, 1
  srli t3, t3, 1
  li t1, 1
  sll t1, t1, t3
  csrc sie, t1
  beqz t2, s_trap_resume
  j 3f
2:
  beqz t2, s_trap_to_m
3:
  li t3, TRAP_SKIP
  beq t2, t3, s_trap_skip
  li t3, TRAP_RESUME
  beq t2, t3, s_trap_resume
  la t1, s_trap_ret
  sd zero, 0(t1)
  csrw sepc, t2
  li t1, MSTATUS_SPP
  csrs sstatus, t1
  j s_trap_resume
s_trap_skip:
  csrr t1, sepc
  lhu t2, 0(t1)
  andi t2, t2, 3
  li t3, 3
  addi t1, t1, 2
  bne t2, t3, 4f
  addi t1, t1, 2
4:
  csrw sepc, t1
s_trap_resume:
  csrr t0, sscratch
  ld t1, 8(t0)
  ld t2, 16(t0)
  ld t3, 24(t0)
  ld t0, 0(t0)
  sret
s_trap_to_m:
  csrr t0, sscratch
  ld t1, 8(t0)
  ld t2, 16(t0)
  ld t3, 24(t0)
  ld t0, 0(t0)
  ecall

  /* fail: usable from any mode.  From M-mode the ECALL reaches
     m_trap_handler directly; from S/U it reaches M (possibly via S). */
  .globl fail
fail:
  mv t5, gp
  li t6, FAIL_MAGIC
  ecall
7:
  j 7b

  .globl pass
pass:
#ifdef QEMU_VIRT
  li t5, 0x5555
  li t6, 0x100000
  sw t5, 0(t6)
#else
  li t5, 1
  la t6, tohost
  sd t5, 0(t6)
#endif
8:
  j 8b

  /* htif_puts(a0 = string): M-mode only */
  .globl htif_puts
htif_puts:
  la t6, tohost
1:
  lbu t5, 0(a0)
  beqz t5, 3f
  addi a0, a0, 1
#ifdef QEMU_VIRT
  li a1, 0x10000000
  sb t5, 0(a1)
  j 1b
#endif
  slli t5, t5, 8
  srli t5, t5, 8
  li a1, (1 << 56) | (1 << 48)
  or t5, t5, a1
  sd t5, 0(t6)
2:
  ld t5, 0(t6)
  bnez t5, 2b
  la t5, fromhost
  sd zero, 0(t5)
  j 1b
3:
  ret

reset_vector:
  li gp, 0
  la t0, m_trap_handler
  csrw mtvec, t0
  la t0, m_save_area
  csrw mscratch, t0
  la t0, s_trap_handler
  csrw stvec, t0
  la t0, s_save_area
  csrw sscratch, t0
  csrw mie, zero
  csrw mideleg, zero
  csrw medeleg, zero
  csrw satp, zero
  PMP_ALLOW_ALL
  li t0, MSTATUS_MPP | MSTATUS_FS | MSTATUS_MIE | MSTATUS_SIE | MSTATUS_MPRV
  csrc mstatus, t0
  li t0, MSTATUS_FS_INITIAL
  csrs mstatus, t0
  csrwi fcsr, 0
  TRAP_CLEAR
  S_TRAP_CLEAR
  TRAP_DISARM
  S_TRAP_DISARM
  j test_main

  .text
test_main:
.endm

.macro TEST_END
  j pass

  .data
  .align 6
  .globl trap_rec
trap_rec:
trap_cause:  .dword -1
trap_tval:   .dword 0
trap_epc:    .dword 0
trap_status: .dword 0
trap_count:  .dword 0
trap_ret:    .dword 0
trap_log_n:  .dword 0
trap_log:    .skip 16 * 8
  .align 6
s_trap_rec:
s_trap_cause:  .dword -1
s_trap_tval:   .dword 0
s_trap_epc:    .dword 0
s_trap_status: .dword 0
s_trap_count:  .dword 0
s_trap_ret:    .dword 0
  .align 6
note_save:   .skip 32
m_save_area: .skip 64
s_save_area: .skip 64

  .section .tohost, "aw", @progbits
  .align 6
  .globl tohost
tohost: .dword 0
  .size tohost, 8
  .align 6
  .globl fromhost
fromhost: .dword 0
  .size fromhost, 8
  .text
.endm

#endif
