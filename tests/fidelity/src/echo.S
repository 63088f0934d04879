/* echo.S - a console that polls: the UART's receive interrupt is never enabled.
   It first sets the UART up as U-Boot does (FIFOs enabled and cleared, which loses
   anything the host had pushed into them), says "echo: ready", then echoes every
   byte it reads, letters in upper case, until an EOT (0x04); then it prints how
   many bytes it echoed and powers off through sifive_test (exit status 0).
   M-mode, hart 0 (the others wait), linked at 0x80000000; runs on hartvm and on
   qemu-system-riscv64 -M virt -bios none. */
#define UART 0x10000000
#define SYSCON 0x100000
#define RBR 0
#define IER 1
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5

  .section .text, "ax", @progbits
  .option norelax
  .globl _start
_start:
  bnez a0, park
  la sp, stack_top
  /* a while of work before the driver exists (a bootloader's early setup) */
  li t0, 200000
1:addi t0, t0, -1
  bnez t0, 1b
  li s0, UART
  sb zero, IER(s0)             /* no interrupts: this driver polls */
  li t0, 0x83
  sb t0, LCR(s0)               /* DLAB: divisor 1 */
  li t0, 1
  sb t0, 0(s0)
  sb zero, 1(s0)
  li t0, 0x03
  sb t0, LCR(s0)               /* 8N1 */
  sb t0, MCR(s0)               /* DTR, RTS */
  li t0, 0x07
  sb t0, FCR(s0)               /* FIFOs on, both cleared */
  la a0, s_ready
  call puts
  li s1, 0                     /* bytes echoed */
loop:
  call getc
  li t0, 4
  beq a0, t0, done
  addi s1, s1, 1
  li t0, 'a'
  bltu a0, t0, 2f
  li t0, 'z'
  bgtu a0, t0, 2f
  addi a0, a0, 'A' - 'a'
2:call putc
  j loop
done:
  la a0, s_count
  call puts
  mv a0, s1
  call putdec
  la a0, s_bytes
  call puts
  li t0, SYSCON
  li t1, 0x5555
  sw t1, 0(t0)
park:
  wfi
  j park

getc:
  li t0, UART
1:lbu t1, LSR(t0)
  andi t1, t1, 1               /* data ready */
  beqz t1, 1b
  lbu a0, RBR(t0)
  ret

putc:
  li t0, UART
1:lbu t1, LSR(t0)
  andi t1, t1, 0x20            /* THR empty */
  beqz t1, 1b
  sb a0, 0(t0)
  ret

puts:
  addi sp, sp, -16
  sd ra, 0(sp)
  sd s2, 8(sp)
  mv s2, a0
1:lbu a0, 0(s2)
  beqz a0, 2f
  call putc
  addi s2, s2, 1
  j 1b
2:ld ra, 0(sp)
  ld s2, 8(sp)
  addi sp, sp, 16
  ret

/* a0 in decimal */
putdec:
  addi sp, sp, -32
  sd ra, 0(sp)
  sd s2, 8(sp)
  li t0, 10
  remu s2, a0, t0
  divu a0, a0, t0
  beqz a0, 1f
  call putdec
1:addi a0, s2, '0'
  call putc
  ld ra, 0(sp)
  ld s2, 8(sp)
  addi sp, sp, 32
  ret

s_ready: .asciz "echo: ready\n"
s_count: .asciz "\necho: "
s_bytes: .asciz " bytes\n"

  .balign 16
  .space 1024
stack_top:
