/* rt.S - start-up and trap entry of the adversarial C programs.
   Linked at 0x8000_0000 (tests/programs/link.ld), entered in M-mode.  Sets a
   stack, opens PMP (entry 0 NAPOT over everything, RWX), enables the FPU,
   sends every trap to trap_handler() (rt.h) with the registers saved on the
   stack, calls main() and exits with its return value.  exit(code) ends the
   run the riscv-tests way through HTIF tohost ((code << 1) | 1, 1 = pass), or
   with -DQEMU_VIRT through sifive_test at 0x10_0000. */
#define STACK_SIZE 0x10000

  .section .text.init, "ax", @progbits
  .option norvc
  .globl _start
_start:
  la sp, stack_top
  la t0, trap_entry
  csrw mtvec, t0
  li t0, -1
  csrw pmpaddr0, t0
  li t0, 0x1f
  csrw pmpcfg0, t0
  csrw mie, zero
  csrw satp, zero
  li t0, (3 << 13)
  csrc mstatus, t0
  li t0, (1 << 13)                 /* FS = Initial */
  csrs mstatus, t0
  call main
  call exit

  .text
  .balign 4
trap_entry:
  addi sp, sp, -256
  sd x1, 8(sp)
  sd x3, 24(sp)
  sd x4, 32(sp)
  sd x5, 40(sp)
  sd x6, 48(sp)
  sd x7, 56(sp)
  sd x8, 64(sp)
  sd x9, 72(sp)
  sd x10, 80(sp)
  sd x11, 88(sp)
  sd x12, 96(sp)
  sd x13, 104(sp)
  sd x14, 112(sp)
  sd x15, 120(sp)
  sd x16, 128(sp)
  sd x17, 136(sp)
  sd x18, 144(sp)
  sd x19, 152(sp)
  sd x20, 160(sp)
  sd x21, 168(sp)
  sd x22, 176(sp)
  sd x23, 184(sp)
  sd x24, 192(sp)
  sd x25, 200(sp)
  sd x26, 208(sp)
  sd x27, 216(sp)
  sd x28, 224(sp)
  sd x29, 232(sp)
  sd x30, 240(sp)
  sd x31, 248(sp)
  mv a0, sp
  call trap_handler
  ld x1, 8(sp)
  ld x3, 24(sp)
  ld x4, 32(sp)
  ld x5, 40(sp)
  ld x6, 48(sp)
  ld x7, 56(sp)
  ld x8, 64(sp)
  ld x9, 72(sp)
  ld x10, 80(sp)
  ld x11, 88(sp)
  ld x12, 96(sp)
  ld x13, 104(sp)
  ld x14, 112(sp)
  ld x15, 120(sp)
  ld x16, 128(sp)
  ld x17, 136(sp)
  ld x18, 144(sp)
  ld x19, 152(sp)
  ld x20, 160(sp)
  ld x21, 168(sp)
  ld x22, 176(sp)
  ld x23, 184(sp)
  ld x24, 192(sp)
  ld x25, 200(sp)
  ld x26, 208(sp)
  ld x27, 216(sp)
  ld x28, 224(sp)
  ld x29, 232(sp)
  ld x30, 240(sp)
  ld x31, 248(sp)
  addi sp, sp, 256
  mret

  .globl exit
exit:
#ifdef QEMU_VIRT
  li t0, 0x5555
  beqz a0, 1f
  slli t0, a0, 16
  li t1, 0x3333
  or t0, t0, t1
1:
  li t1, 0x100000
  sw t0, 0(t1)
#else
  slli t0, a0, 1
  ori t0, t0, 1
  la t1, tohost
  sd t0, 0(t1)
#endif
2:
  j 2b

  /* htif_putchar(a0): HTIF console write (device 1, command 1) */
  .globl htif_putchar
htif_putchar:
  la t1, tohost
  andi a0, a0, 0xff
  li t0, (1 << 56) | (1 << 48)
  or a0, a0, t0
  sd a0, 0(t1)
1:
  ld t0, 0(t1)
  bnez t0, 1b
  la t1, fromhost
  sd zero, 0(t1)
  ret

  .bss
  .balign 16
stack:
  .skip STACK_SIZE
stack_top:

  .section .tohost, "aw", @progbits
  .balign 64
  .globl tohost
tohost: .dword 0
  .size tohost, 8
  .balign 64
  .globl fromhost
fromhost: .dword 0
  .size fromhost, 8
