/* pmp: physical memory protection with 16 entries: TOR (incl. entry 0 with
   bottom 0), NA4 and NAPOT (8 bytes, 64 bytes, 4 KiB) regions; S and U
   loads, stores and fetches denied with access faults (causes 5/7/1) and
   mtval = the address; accesses partly inside a region fail; lowest-numbered
   match wins; no matching entry denies S/U; M unaffected by unlocked
   entries; MPRV makes M loads/stores use MPP's permissions; pmpcfg WARL
   (R=0,W=1 reserved); locked entries apply to M, cannot be rewritten, and
   lock pmpaddr[i-1] for TOR. */
#include "common.h"

#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_TOR 0x08
#define PMP_NA4 0x10
#define PMP_NAPOT 0x18
#define PMP_L 0x80

/* SET_PMP i, addr (register holding pmpaddr value), cfg (constant) */
.macro SET_PMP i, areg, cfg
  csrw pmpaddr\i, \areg
  .if \i < 8
    li t5, 0xff << (8 * \i)
    csrc pmpcfg0, t5
    li t5, (\cfg) << (8 * \i)
    csrs pmpcfg0, t5
  .else
    li t5, 0xff << (8 * (\i - 8))
    csrc pmpcfg2, t5
    li t5, (\cfg) << (8 * (\i - 8))
    csrs pmpcfg2, t5
  .endif
  sfence.vma
.endm

/* NAPOT address of a region at label, size bytes (power of two >= 8) */
.macro NAPOT_ADDR reg, label, size
  la \reg, \label
  srli \reg, \reg, 2
  ori \reg, \reg, ((\size) / 8 - 1)
.endm

/* all test entries off; entry 15 = NAPOT everything RWX (background) */
.macro PMP_RESET
  csrw pmpcfg0, zero
  csrw pmpcfg2, zero
  li t5, -1
  csrw pmpaddr15, t5
  li t5, (PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56
  csrw pmpcfg2, t5
  sfence.vma
.endm

/* U_ACCESS mode, snippet, addr: run snippet (a1 = address) in mode */
.macro ACCESS mode, snippet, addr
  la a1, \addr
  TRAP_CLEAR
  RUN_MODE \mode, \snippet
.endm

/* the last trap was an access fault of cause c at address in a1 */
.macro CHECK_FAULT c
  CHECK_TRAP \c
  ld t5, trap_tval
  bne t5, a1, fail
.endm

.macro CHECK_OK
  ld t5, trap_cause
  li t6, CAUSE_ECALL_U
  beq t5, t6, 9981f
  li t6, CAUSE_ECALL_S
  bne t5, t6, fail
9981:
.endm

TEST_BEGIN
  DETECT_QEMU7 s11
  PMP_RESET

  /* ---- CSRs ---- */
  CASE 1                                          /* pmpaddr registers hold addresses */
  li a0, 0x12345678
  csrw pmpaddr3, a0
  csrr a1, pmpaddr3
  CHECKR a0, a1
  li a0, 0x2000000
  csrw pmpaddr14, a0
  csrr a1, pmpaddr14
  CHECKR a0, a1
  CASE 2                                          /* pmpcfg fields read back */
  li a0, (PMP_NAPOT | PMP_R) << 24
  csrw pmpcfg0, a0
  csrr a1, pmpcfg0
  CHECKR a0, a1
  PMP_RESET
  csrr a1, pmpcfg2
  li a2, (PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56
  CHECKR a1, a2

  /* ---- TOR ---- */
  CASE 3                                          /* R-only TOR region: U load ok */
  la a0, pmp_page
  srli a0, a0, 2
  SET_PMP 0, a0, 0
  la a0, pmp_page + 4096
  srli a0, a0, 2
  SET_PMP 1, a0, PMP_TOR | PMP_R
  ACCESS 0, u_load, pmp_page
  CHECK_OK
  ACCESS 0, u_load, pmp_page + 4088
  CHECK_OK
  CASE 4                                          /* U store: cause 7 */
  ACCESS 0, u_store, pmp_page + 8
  CHECK_FAULT CAUSE_STORE_ACCESS
  CHECK_EPC_LABEL u_store
  CASE 5                                          /* S store: cause 7 */
  ACCESS 1, u_store, pmp_page + 4092
  CHECK_FAULT CAUSE_STORE_ACCESS
  CASE 6                                          /* just outside the region: background entry */
  ACCESS 0, u_store, pmp_page + 4096
  CHECK_OK
  ACCESS 0, u_store, pmp_page - 8
  CHECK_OK
  CASE 7                                          /* M is not restricted by unlocked entries */
  la a1, pmp_page
  li a2, 0x55
  TRAP_CLEAR
  sd a2, 0(a1)
  ld a3, 0(a1)
  CHECK a3, 0x55
  CHECK_TRAP_COUNT 0
  CASE 8                                          /* no permissions: U load cause 5 */
  la a0, pmp_page + 4096
  srli a0, a0, 2
  SET_PMP 1, a0, PMP_TOR
  ACCESS 0, u_load, pmp_page + 16
  CHECK_FAULT CAUSE_LOAD_ACCESS
  CHECK_EPC_LABEL u_load
  CASE 9                                          /* a load starting below and ending inside fails */
  ACCESS 0, u_load, pmp_page - 4
  CHECK_TRAP CAUSE_LOAD_ACCESS
  ld t5, trap_tval                                /* mtval: the address, or the first byte inside */
  la t6, pmp_page - 4
  beq t5, t6, 1f
  la t6, pmp_page
  bne t5, t6, fail
1:
  CASE 10                                         /* entry 0 TOR: region [0, pmpaddr0) */
  PMP_RESET
  li a0, 0x80000000 >> 2
  SET_PMP 0, a0, PMP_TOR                          /* everything below RAM: no access */
  li a1, CLINT_MTIME
  TRAP_CLEAR
  RUN_MODE 0, u_load
  CHECK_FAULT CAUSE_LOAD_ACCESS
  SET_PMP 0, a0, PMP_TOR | PMP_R
  li a1, CLINT_MTIME
  TRAP_CLEAR
  RUN_MODE 0, u_load
  CHECK_OK

  /* ---- NA4 ---- */
  CASE 11                                         /* no-permission word */
  PMP_RESET
  la a0, pmp_page + 0x100
  srli a0, a0, 2
  SET_PMP 2, a0, PMP_NA4
  ACCESS 0, u_lw, pmp_page + 0x100
  CHECK_FAULT CAUSE_LOAD_ACCESS
  CASE 12
  ACCESS 0, u_lb, pmp_page + 0x103
  CHECK_FAULT CAUSE_LOAD_ACCESS
  ACCESS 0, u_lw, pmp_page + 0x104
  CHECK_OK
  ACCESS 0, u_lb, pmp_page + 0xff
  CHECK_OK
  CASE 13                                         /* R word: lw ok, sw faults, ld (8 bytes, half outside) faults */
  SET_PMP 2, a0, PMP_NA4 | PMP_R
  ACCESS 0, u_lw, pmp_page + 0x100
  CHECK_OK
  ACCESS 0, u_sw, pmp_page + 0x100
  CHECK_FAULT CAUSE_STORE_ACCESS
  ACCESS 0, u_load, pmp_page + 0x100
  CHECK_TRAP CAUSE_LOAD_ACCESS
  CASE 14                                         /* RW word: sd half outside still faults */
  SET_PMP 2, a0, PMP_NA4 | PMP_R | PMP_W
  ACCESS 0, u_sw, pmp_page + 0x100
  CHECK_OK
  ACCESS 0, u_store, pmp_page + 0x100
  CHECK_TRAP CAUSE_STORE_ACCESS

  /* ---- NAPOT ---- */
  CASE 15                                         /* 64-byte no-access region */
  PMP_RESET
  NAPOT_ADDR a0, pmp_page + 0x200, 64
  SET_PMP 3, a0, PMP_NAPOT
  ACCESS 0, u_lb, pmp_page + 0x200
  CHECK_FAULT CAUSE_LOAD_ACCESS
  ACCESS 0, u_lb, pmp_page + 0x23f
  CHECK_FAULT CAUSE_LOAD_ACCESS
  ACCESS 1, u_store, pmp_page + 0x220
  CHECK_FAULT CAUSE_STORE_ACCESS
  CASE 16                                         /* its neighbours */
  ACCESS 0, u_lb, pmp_page + 0x240
  CHECK_OK
  ACCESS 0, u_lb, pmp_page + 0x1ff
  CHECK_OK
  CASE 17                                         /* 8-byte NAPOT (pmpaddr with no trailing ones) */
  la a0, pmp_page + 0x300
  srli a0, a0, 2
  SET_PMP 4, a0, PMP_NAPOT
  ACCESS 0, u_lb, pmp_page + 0x307
  CHECK_FAULT CAUSE_LOAD_ACCESS
  ACCESS 0, u_lb, pmp_page + 0x308
  CHECK_OK
  ACCESS 0, u_lb, pmp_page + 0x2ff
  CHECK_OK
  CASE 18                                         /* 4 KiB X-only code page: U executes it */
  PMP_RESET
  NAPOT_ADDR a0, pmp_code, 4096
  SET_PMP 5, a0, PMP_NAPOT | PMP_X
  li a0, 0
  la a1, pmp_code
  TRAP_CLEAR
  RUN_MODE 0, u_jump
  CHECK_TRAP CAUSE_ECALL_U
  CHECK a0, 0x77
  CASE 19                                         /* ... but cannot load from it */
  ACCESS 0, u_lw, pmp_code
  CHECK_FAULT CAUSE_LOAD_ACCESS
  CASE 20                                         /* no X: fetch access fault, mtval = mepc = target */
  NAPOT_ADDR a0, pmp_code, 4096
  SET_PMP 5, a0, PMP_NAPOT | PMP_R
  la a1, pmp_code
  TRAP_CLEAR
  RUN_MODE 0, u_jump
  CHECK_FAULT CAUSE_FETCH_ACCESS
  ld t5, trap_epc
  CHECKR t5, a1
  CASE 21                                         /* same from S */
  TRAP_CLEAR
  RUN_MODE 1, u_jump
  CHECK_FAULT CAUSE_FETCH_ACCESS
  CASE 22                                         /* M executes it anyway */
  li a0, 0
  TRAP_CLEAR
  TRAP_EXPECT 1f
  jalr ra, 0(a1)
1:
  CHECK_TRAP CAUSE_ECALL_M
  CHECK a0, 0x77

  /* ---- priority ---- */
  CASE 23                                         /* lower entry allows, higher denies: allowed */
  PMP_RESET
  NAPOT_ADDR a0, pmp_page2, 4096
  SET_PMP 6, a0, PMP_NAPOT | PMP_R | PMP_W
  SET_PMP 7, a0, PMP_NAPOT
  ACCESS 0, u_store, pmp_page2
  CHECK_OK
  CASE 24                                         /* lower entry denies, higher allows: denied */
  SET_PMP 6, a0, PMP_NAPOT
  SET_PMP 7, a0, PMP_NAPOT | PMP_R | PMP_W
  ACCESS 0, u_store, pmp_page2
  CHECK_FAULT CAUSE_STORE_ACCESS
  CASE 25                                         /* a smaller region inside a larger one */
  PMP_RESET
  NAPOT_ADDR a0, pmp_page2 + 0x80, 64
  SET_PMP 8, a0, PMP_NAPOT | PMP_R
  NAPOT_ADDR a0, pmp_page2, 4096
  SET_PMP 9, a0, PMP_NAPOT
  ACCESS 0, u_load, pmp_page2 + 0x80
  CHECK_OK
  ACCESS 0, u_load, pmp_page2 + 0x40
  CHECK_FAULT CAUSE_LOAD_ACCESS
  ACCESS 0, u_store, pmp_page2 + 0x80
  CHECK_FAULT CAUSE_STORE_ACCESS

  /* ---- no matching entry ---- */
  CASE 26                                         /* S/U accesses matching no entry fail */
  csrw pmpcfg0, zero
  csrw pmpcfg2, zero
  li a0, (0x80000000 >> 2) | ((16 << 20) / 8 - 1)   /* 16 MiB of RAM: RWX */
  SET_PMP 14, a0, PMP_NAPOT | PMP_R | PMP_W | PMP_X
  li a1, CLINT_MTIME                              /* outside every entry */
  TRAP_CLEAR
  RUN_MODE 0, u_load
  CHECK_FAULT CAUSE_LOAD_ACCESS
  TRAP_CLEAR
  RUN_MODE 1, u_load
  CHECK_FAULT CAUSE_LOAD_ACCESS
  CASE 27                                         /* M with no matching entry: allowed */
  li a1, CLINT_MTIME
  TRAP_CLEAR
  ld a0, 0(a1)
  CHECK_TRAP_COUNT 0
  ACCESS 0, u_load, pmp_page                      /* inside entry 14 */
  CHECK_OK

  /* ---- MPRV ---- */
  CASE 28                                         /* M load with MPRV = 1, MPP = U uses U permissions */
  PMP_RESET
  NAPOT_ADDR a0, pmp_page2, 4096
  SET_PMP 10, a0, PMP_NAPOT
  la a1, pmp_page2
  TRAP_CLEAR
  TRAP_EXPECT 1f
  li a0, MSTATUS_MPP
  csrc mstatus, a0
  li a0, MSTATUS_MPRV
  csrs mstatus, a0
  ld a2, 0(a1)
  j fail
1:
  li a0, MSTATUS_MPRV
  csrc mstatus, a0
  CHECK_FAULT CAUSE_LOAD_ACCESS
  CASE 29                                         /* MPRV = 1, MPP = M: allowed */
  li a0, MSTATUS_MPP
  csrs mstatus, a0
  li a0, MSTATUS_MPRV
  csrs mstatus, a0
  TRAP_CLEAR
  ld a2, 0(a1)
  li a0, MSTATUS_MPRV
  csrc mstatus, a0
  CHECK_TRAP_COUNT 0
  CASE 30                                         /* MPRV does not apply to fetches */
  li a0, MSTATUS_MPP
  csrc mstatus, a0
  NAPOT_ADDR a0, pmp_code, 4096
  SET_PMP 11, a0, PMP_NAPOT                       /* no X for S/U */
  li a0, MSTATUS_MPRV
  csrs mstatus, a0
  TRAP_CLEAR
  la a1, pmp_code_ret
  jalr ra, 0(a1)                                  /* M fetches it fine */
  li a0, MSTATUS_MPRV
  csrc mstatus, a0
  CHECK_TRAP_COUNT 0

  /* ---- WARL ---- */
  CASE 31                                         /* R = 0, W = 1 is reserved */
  PMP_RESET
  li a0, (PMP_NAPOT | PMP_W) << 8
  csrs pmpcfg0, a0
  csrr a1, pmpcfg0
  srli a1, a1, 8
  andi a1, a1, PMP_R | PMP_W
  li a2, PMP_W
  bne a1, a2, 1f
  beqz s11, fail
  NOTE "pmp case 31: pmpcfg keeps R=0,W=1 (QEMU 7 quirk, tolerated)"
1:
  li a0, (PMP_W | PMP_X) << 16
  csrs pmpcfg0, a0
  csrr a1, pmpcfg0
  srli a1, a1, 16
  andi a1, a1, PMP_R | PMP_W
  li a2, PMP_W
  bne a1, a2, 1f
  beqz s11, fail
1:
  PMP_RESET

  /* ---- locked entries (keep these last: locks hold until reset) ---- */
  CASE 32                                         /* a locked R-only region applies to M */
  NAPOT_ADDR a0, lock_page, 4096
  SET_PMP 6, a0, PMP_L | PMP_NAPOT | PMP_R
  la a1, lock_page
  TRAP_CLEAR
  ld a2, 0(a1)
  CHECK_TRAP_COUNT 0
  TRAP_EXPECT 1f
  sd a2, 0(a1)
  j fail
1:
  CHECK_FAULT CAUSE_STORE_ACCESS
  CASE 33                                         /* ... and to U */
  ACCESS 0, u_store, lock_page + 8
  CHECK_FAULT CAUSE_STORE_ACCESS
  CASE 34                                         /* the locked pmpcfg byte and pmpaddr ignore writes */
  li a0, 0xff << 48
  csrc pmpcfg0, a0
  li a0, (PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 48
  csrs pmpcfg0, a0
  csrr a1, pmpcfg0
  srli a1, a1, 48
  andi a1, a1, 0xff
  CHECK a1, PMP_L | PMP_NAPOT | PMP_R
  csrr a2, pmpaddr6
  csrw pmpaddr6, zero
  csrr a3, pmpaddr6
  CHECKR a2, a3
  la a1, lock_page
  TRAP_CLEAR
  TRAP_EXPECT 1f
  sd a2, 0(a1)
  j fail
1:
  CHECK_FAULT CAUSE_STORE_ACCESS
  CASE 35                                         /* other bytes of the same pmpcfg stay writable */
  li a0, (PMP_NAPOT | PMP_R) << 56
  csrs pmpcfg0, a0
  csrr a1, pmpcfg0
  srli a1, a1, 56
  CHECK a1, PMP_NAPOT | PMP_R
  li a0, 0xff << 56
  csrc pmpcfg0, a0
  CASE 36                                         /* locked TOR entry 9 locks pmpaddr8 too */
  la a0, lock_page2
  srli a0, a0, 2
  csrw pmpaddr8, a0
  la a0, lock_page2 + 4096
  srli a0, a0, 2
  SET_PMP 9, a0, PMP_L | PMP_TOR | PMP_R
  csrr a2, pmpaddr8
  li a3, 0x1000
  csrw pmpaddr8, a3
  csrr a3, pmpaddr8
  CHECKR a2, a3
  la a1, lock_page2 + 16
  TRAP_CLEAR
  TRAP_EXPECT 1f
  sd zero, 0(a1)
  j fail
1:
  CHECK_FAULT CAUSE_STORE_ACCESS
  CASE 37                                         /* locked without X: M fetch fault */
  NAPOT_ADDR a0, pmp_code, 4096
  SET_PMP 10, a0, PMP_L | PMP_NAPOT | PMP_R
  la a1, pmp_code_ret
  TRAP_CLEAR
  TRAP_EXPECT 1f
  jalr ra, 0(a1)
  j fail
1:
  CHECK_FAULT CAUSE_FETCH_ACCESS
  CASE 38                                         /* M can still read it (R) */
  la a1, pmp_code
  TRAP_CLEAR
  lw a2, 0(a1)
  CHECK_TRAP_COUNT 0
TEST_END

  .text
  .option push
  .option norvc
u_load:
  ld a4, 0(a1)
  ecall
u_store:
  sd a2, 0(a1)
  ecall
u_lw:
  lw a4, 0(a1)
  ecall
u_sw:
  sw a2, 0(a1)
  ecall
u_lb:
  lb a4, 0(a1)
  ecall
u_jump:
  jalr ra, 0(a1)
  ecall

  .balign 4096
pmp_code:
  li a0, 0x77
  ecall
pmp_code_ret:
  ret
  .balign 4096
  .option pop

  .data
  .balign 4096
  .skip 4096
pmp_page:
  .skip 4096
pmp_page2:
  .skip 4096
lock_page:
  .skip 4096
lock_page2:
  .skip 4096
  .skip 4096
