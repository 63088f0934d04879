/*
 * start.S - entry of the gdb test program: every hart starts here in M-mode
 * with a0 = hartid (hartvm --bios none, as QEMU). Each hart gets a 4 KiB stack;
 * FP is switched on (mstatus.FS = Initial); hart 0 runs main() and exits
 * through HTIF with its return value, the others run secondary(hartid).
 * .bss is not cleared: RAM starts zeroed, and the debugger may set variables
 * there before the first instruction.
 */
	.section .text.init
	.globl _start
_start:
	csrr	t0, mhartid
	la	sp, stacks_end
	slli	t1, t0, 12
	sub	sp, sp, t1
	li	t1, 0x2000
	csrs	mstatus, t1
	bnez	t0, 1f
	call	main
	call	htif_exit
1:	mv	a0, t0
	call	secondary
2:	j	2b

	.section .bss
	.balign	16
stacks:
	.space	4096 * 2
stacks_end:
