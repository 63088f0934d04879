/* probe.S - tells how it was started: where it runs, in which mode, what a0/a1/a2
   held, and what the device tree's /chosen says about the initrd and the command
   line.  Everything is pc-relative, so the same code runs wherever a loader puts it
   (raw binary, Linux Image, uImage, ELF linked anywhere).  Output goes to the
   virt board's UART; the program powers off through sifive_test (exit status 0).

     probe: pc=0x80200000 mode=S hart=0x0 dtb=0x8fe00000
     probe: next=0x80200000 mode=0x1      (M-mode: fw_dynamic info at a2) or next=none
     probe: initrd=0x88200000-0x88200010 "INITRD-CONTENT" or initrd=none
     probe: bootargs="..."                or bootargs=none
     probe: done

   With -DIMAGE_HEADER the code starts with a Linux RISC-V Image header.  The ELF
   builds set their e_entry to `decoy`, which says so and exits with status 7: QEMU
   enters an ELF kernel at its lowest address, not at e_entry. */
#define UART 0x10000000
#define SYSCON 0x100000
#define FDT_MAGIC_LE 0xedfe0dd0 /* 0xd00dfeed as a little-endian word */
#define FW_DYNAMIC_MAGIC 0x4942534f

  .section .text, "ax", @progbits
  .option norvc
  .option norelax
  .globl _head
_head:
#ifdef IMAGE_HEADER
  j start                      /* code0 */
  .word 0                      /* code1 */
  .dword 0x200000              /* text_offset */
  .dword _end - _head          /* image_size */
  .dword 0                     /* flags */
  .word 2                      /* version 0.2 */
  .word 0                      /* res1 */
  .dword 0                     /* res2 */
  .ascii "RISCV\0\0\0"         /* magic (deprecated) */
  .ascii "RSC\x05"             /* magic2 */
  .word 0                      /* res3 */
#endif
start:
  auipc s4, 0                  /* where we run */
  mv s0, a0
  mv s1, a1
  mv s2, a2
  la sp, stack_top
  bnez s0, park                /* one hart reports */

  /* mode: reading mhartid traps in S-mode (to stvec, which is ours) */
  li s3, 0
  la t0, strap
  csrw stvec, t0
  csrr t0, mhartid
  /* s3 = 1 when it trapped */

  la a0, s_pc
  call puts
  mv a0, s4
  call puthex
  la a0, s_mode_m
  beqz s3, 1f
  la a0, s_mode_s
1:call puts
  mv a0, s0
  call puthex
  la a0, s_dtb
  call puts
  mv a0, s1
  call puthex
  call newline

  /* fw_dynamic info (M-mode only: a2 means nothing in S-mode) */
  la a0, s_next
  call puts
  bnez s3, no_next
  ld t0, 0(s2)
  li t1, FW_DYNAMIC_MAGIC
  bne t0, t1, no_next
  ld a0, 16(s2)
  call puthex
  la a0, s_nextmode
  call puts
  ld a0, 24(s2)
  call puthex
  call newline
  j chosen
no_next:
  la a0, s_none
  call puts
  call newline

chosen:
  lwu t0, 0(s1)
  li t1, FDT_MAGIC_LE
  beq t0, t1, 1f
  la a0, s_nodtb
  call puts
  j finish
1:
  /* initrd */
  la a0, s_initrd
  call puts
  la a0, p_initrd_start
  call fdt_prop
  beqz a0, no_initrd
  call fdt_number
  mv s5, a0
  la a0, p_initrd_end
  call fdt_prop
  beqz a0, no_initrd
  call fdt_number
  mv s6, a0
  mv a0, s5
  call puthex
  li a0, '-'
  call putc
  mv a0, s6
  call puthex
  li a0, ' '
  call putc
  mv a0, s5
  sub a1, s6, s5
  call putquoted
  call newline
  j bootargs
no_initrd:
  la a0, s_none
  call puts
  call newline

bootargs:
  la a0, s_bootargs
  call puts
  la a0, p_bootargs
  call fdt_prop
  beqz a0, no_bootargs
  call putquoted
  call newline
  j finish
no_bootargs:
  la a0, s_none
  call puts
  call newline

finish:
  la a0, s_done
  call puts
  li t0, SYSCON
  li t1, 0x5555                /* pass: power off */
  sw t1, 0(t0)
park:
  wfi
  j park

  .balign 4
strap:                         /* S-mode trap: skip the instruction, note it */
  csrr t0, sepc
  addi t0, t0, 4
  csrw sepc, t0
  li s3, 1
  sret

  .globl decoy
decoy:                         /* e_entry of the ELF builds: must not run */
  la sp, stack_top
  la a0, s_wrong
  call puts
  li t0, SYSCON
  li t1, (7 << 16) | 0x3333    /* fail with code 7 */
  sw t1, 0(t0)
  j park

/* ---- the device tree (a1 = s1) ---- */

/* a0 = 4 big-endian bytes at a0 */
be32:
  lbu t0, 0(a0)
  lbu t1, 1(a0)
  lbu t2, 2(a0)
  lbu t3, 3(a0)
  slli t0, t0, 24
  slli t1, t1, 16
  slli t2, t2, 8
  or t0, t0, t1
  or t2, t2, t3
  or a0, t0, t2
  ret

/* a0 = the value of a 4- or 8-byte property (a0 = value, a1 = length) */
fdt_number:
  addi sp, sp, -32
  sd ra, 0(sp)
  sd s7, 8(sp)
  sd s8, 16(sp)
  mv s7, a0
  mv s8, a1
  call be32
  li t0, 8
  bne s8, t0, 1f
  slli s8, a0, 32
  addi a0, s7, 4
  call be32
  or a0, a0, s8
1:ld ra, 0(sp)
  ld s7, 8(sp)
  ld s8, 16(sp)
  addi sp, sp, 32
  ret

/* The first property named a0 in the tree: a0 = its value, a1 = its length; a0 = 0 if none */
fdt_prop:
  addi sp, sp, -64
  sd ra, 0(sp)
  sd s7, 8(sp)                 /* name */
  sd s8, 16(sp)                /* cursor */
  sd s9, 24(sp)                /* strings block */
  sd s10, 32(sp)               /* property length */
  mv s7, a0
  addi a0, s1, 8
  call be32
  add s8, s1, a0
  addi a0, s1, 12
  call be32
  add s9, s1, a0
next_token:
  mv a0, s8
  call be32
  addi s8, s8, 4
  li t0, 1
  beq a0, t0, begin_node
  li t0, 3
  beq a0, t0, prop
  li t0, 2
  beq a0, t0, next_token
  li t0, 4
  beq a0, t0, next_token
  li a0, 0                     /* FDT_END or garbage */
  j prop_out
begin_node:                    /* skip the name and its padding */
  lbu t0, 0(s8)
  addi s8, s8, 1
  bnez t0, begin_node
  addi s8, s8, 3
  andi s8, s8, -4
  j next_token
prop:
  mv a0, s8
  call be32
  mv s10, a0
  addi a0, s8, 4
  call be32
  add a0, s9, a0
  mv a1, s7
  call streq
  addi s8, s8, 8
  beqz a0, 1f
  mv a0, s8
  mv a1, s10
  j prop_out
1:add s8, s8, s10
  addi s8, s8, 3
  andi s8, s8, -4
  j next_token
prop_out:
  ld ra, 0(sp)
  ld s7, 8(sp)
  ld s8, 16(sp)
  ld s9, 24(sp)
  ld s10, 32(sp)
  addi sp, sp, 64
  ret

/* a0 = 1 when the NUL-terminated strings at a0 and a1 are equal */
streq:
  lbu t0, 0(a0)
  lbu t1, 0(a1)
  bne t0, t1, 1f
  beqz t0, 2f
  addi a0, a0, 1
  addi a1, a1, 1
  j streq
1:li a0, 0
  ret
2:li a0, 1
  ret

/* ---- the console ---- */

putc:
  li t0, UART
1:lbu t1, 5(t0)
  andi t1, t1, 0x20
  beqz t1, 1b
  sb a0, 0(t0)
  ret

puts:
  addi sp, sp, -16
  sd ra, 0(sp)
  sd s7, 8(sp)
  mv s7, a0
1:lbu a0, 0(s7)
  beqz a0, 2f
  call putc
  addi s7, s7, 1
  j 1b
2:ld ra, 0(sp)
  ld s7, 8(sp)
  addi sp, sp, 16
  ret

newline:
  li a0, '\n'
  j putc

/* "0x" and a0 in hex, without leading zeros */
puthex:
  addi sp, sp, -32
  sd ra, 0(sp)
  sd s7, 8(sp)
  sd s8, 16(sp)
  mv s7, a0
  li a0, '0'
  call putc
  li a0, 'x'
  call putc
  li s8, 60
1:srl t0, s7, s8               /* skip leading zero digits, keep the last */
  bnez t0, 2f
  beqz s8, 2f
  addi s8, s8, -4
  j 1b
2:srl t0, s7, s8
  andi t0, t0, 15
  la t1, hexdigits
  add t1, t1, t0
  lbu a0, 0(t1)
  call putc
  addi s8, s8, -4
  bgez s8, 2b
  ld ra, 0(sp)
  ld s7, 8(sp)
  ld s8, 16(sp)
  addi sp, sp, 32
  ret

/* a quoted string: at most a1 bytes (and 48) from a0, up to a NUL or a newline */
putquoted:
  addi sp, sp, -32
  sd ra, 0(sp)
  sd s7, 8(sp)
  sd s8, 16(sp)
  mv s7, a0
  li t0, 48
  bleu a1, t0, 1f
  mv a1, t0
1:add s8, a0, a1
  li a0, '"'
  call putc
2:bgeu s7, s8, 3f
  lbu a0, 0(s7)
  beqz a0, 3f
  li t0, '\n'
  beq a0, t0, 3f
  call putc
  addi s7, s7, 1
  j 2b
3:li a0, '"'
  call putc
  ld ra, 0(sp)
  ld s7, 8(sp)
  ld s8, 16(sp)
  addi sp, sp, 32
  ret

hexdigits: .ascii "0123456789abcdef"
s_pc: .asciz "probe: pc="
s_mode_m: .asciz " mode=M hart="
s_mode_s: .asciz " mode=S hart="
s_dtb: .asciz " dtb="
s_next: .asciz "probe: next="
s_nextmode: .asciz " mode="
s_none: .asciz "none"
s_nodtb: .asciz "probe: no device tree at a1\n"
s_initrd: .asciz "probe: initrd="
s_bootargs: .asciz "probe: bootargs="
s_done: .asciz "probe: done\n"
s_wrong: .asciz "probe: WRONG ENTRY (e_entry instead of the lowest address)\n"
p_initrd_start: .asciz "linux,initrd-start"
p_initrd_end: .asciz "linux,initrd-end"
p_bootargs: .asciz "bootargs"

  .balign 16
stack:
  .space 1024
stack_top:
  .globl _end
_end:
