/* vm.h - the body of the sv39 and sv48 programs (VM_LEVELS = 3 or 4).
 *
 * Page tables are built in M-mode (physical addresses, bare).  Virtual layout
 * (the Sv39 root; under Sv48 it is the level-2 table behind root4[0], so the
 * same virtual addresses below 512 GiB work in both modes):
 *   0x0_4000_0000  1 GiB, U RWX  -> PA 0x8000_0000  (U-mode alias of the program)
 *   0x0_8000_0000  1 GiB, S RWX  -> PA 0x8000_0000  (identity, S-mode code/data)
 *   0x0_C000_0000  level-1 table:
 *       [0] level-0 table of 4 KiB pages at 0xC000_0000 + n * 4 KiB (see below)
 *       [1] 2 MiB S RW  -> PA 0x8060_0000
 *       [2] 2 MiB with a misaligned PPN (page fault)
 *       [3] 2 MiB S RW with A = D = 0 -> PA 0x8060_0000
 *   0x1_0000_0000  1 GiB, S R    -> PA 0x8000_0000  (non-identity alias)
 *   0x1_4000_0000  1 GiB leaf with a misaligned PPN (page fault)
 *   0x1_8000_0000  invalid (V = 0)
 *   0x1_C000_0000  1 GiB W without R (reserved: page fault)
 *   high half: sv39 0xFFFF_FFC0_0000_0000, sv48 0xFFFF_8000_0000_0000
 *                  1 GiB, S RW -> PA 0x8000_0000
 *   sv48 only: 0x80_0000_0000 512 GiB S RW -> PA 0; 0x100_0000_0000 512 GiB
 *              leaf with a misaligned PPN.
 * 4 KiB pages (VA 0xC000_0000 + n * 4 KiB):
 *   0 tp0 S RW        1 tp1 S R        2 tp2 S X only     3 tp3 U RW
 *   4 tp4 S RW, A=D=0 5 tp5 S RW, D=0  6 invalid          7 W only (reserved)
 *   8 remapped (tp0, then tp1)         9 code page S RX   10 code page S R
 *   11 code page U X  12 V=1 with R=W=X=0 at level 0 (pointer at the last level)
 */

#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_G 0x20
#define PTE_A 0x40
#define PTE_D 0x80

#define U_OFF     0x40000000                      /* U VA = PA - U_OFF */
#define VA_L0     0xC0000000
#define VA_PAGE(n) (VA_L0 + (n) * 0x1000)
#define VA_2M     0xC0200000
#define VA_2M_MIS 0xC0400000
#define VA_2M_AD  0xC0600000
#define PA_2M     0x80600000
#define VA_1G     0x100000000
#define VA_1G_MIS 0x140000000
#define VA_1G_INV 0x180000000
#define VA_1G_WO  0x1C0000000
#if VM_LEVELS == 3
#define SATP_MODE (8 << 60)
#define VA_HIGH   0xFFFFFFC000000000
#define VA_NONCANON1 0x0000008000000000            /* bit 39 set, upper bits clear */
#define VA_NONCANON2 0xFFFFFF7FFFFFF000            /* upper bits set, bit 38 clear */
#else
#define SATP_MODE (9 << 60)
#define VA_HIGH   0xFFFF800000000000
#define VA_NONCANON1 0x0001000000000000            /* bit 48 set */
#define VA_NONCANON2 0xFFFF7FFFFFFFF000            /* upper bits set, bit 47 clear */
#define VA_512G   0x8000000000
#define VA_512G_MIS 0x10000000000
#endif

/* table[index] = PTE(pa in register, flags) */
.macro PTE table, index, pareg, flags
  srli t0, \pareg, 12
  slli t0, t0, 10
  li t1, \flags
  or t0, t0, t1
  la t1, \table
  li t2, (\index) * 8
  add t1, t1, t2
  sd t0, 0(t1)
.endm

.macro PTE_PA table, index, pa, flags
  li t3, \pa
  PTE \table, \index, t3, \flags
.endm

.macro PTE_LABEL table, index, label, flags
  la t3, \label
  PTE \table, \index, t3, \flags
.endm

.macro LOAD_PTE reg, table, index
  la \reg, \table
  ld \reg, ((\index) * 8)(\reg)
.endm

/* run snippet in S (identity) or U (through the U alias) */
.macro RUN_S label
  RUN_MODE 1, \label
.endm

.macro RUN_U label
  TRAP_EXPECT 9991f
  li t6, MSTATUS_MPP | MSTATUS_MPIE
  csrc mstatus, t6
  la t6, \label
  li t5, U_OFF
  sub t6, t6, t5
  csrw mepc, t6
  mret
9991:
.endm

.macro CHECK_OK_S
  CHECK_TRAP CAUSE_ECALL_S
.endm

.macro CHECK_OK_U
  CHECK_TRAP CAUSE_ECALL_U
.endm

/* the last trap: cause c with mtval == a1 */
.macro CHECK_PF c
  CHECK_TRAP \c
  ld t5, trap_tval
  bne t5, a1, fail
.endm

.macro VM_SYNC
  sfence.vma
.endm

TEST_BEGIN
  DETECT_QEMU7 s11

  /* ---- build the tables ---- */
  la a0, vm_tables_start
  la a1, vm_tables_end
1:
  sd zero, 0(a0)
  addi a0, a0, 8
  bltu a0, a1, 1b
  /* root */
  PTE_PA pt_root, 1, 0x80000000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D
  PTE_PA pt_root, 2, 0x80000000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
  PTE_LABEL pt_root, 3, pt_l1, PTE_V
  PTE_PA pt_root, 4, 0x80000000, PTE_V | PTE_R | PTE_A | PTE_D
  PTE_PA pt_root, 5, 0x80200000, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  PTE_PA pt_root, 6, 0x80000000, PTE_R | PTE_W | PTE_A | PTE_D    /* V = 0 */
  PTE_PA pt_root, 7, 0x80000000, PTE_V | PTE_W | PTE_A | PTE_D
  /* level 1 */
  PTE_LABEL pt_l1, 0, pt_l0, PTE_V
  PTE_PA pt_l1, 1, PA_2M, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  PTE_PA pt_l1, 2, PA_2M + 0x1000, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  PTE_PA pt_l1, 3, PA_2M, PTE_V | PTE_R | PTE_W
  /* level 0 */
  PTE_LABEL pt_l0, 0, tp0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  PTE_LABEL pt_l0, 1, tp1, PTE_V | PTE_R | PTE_A
  PTE_LABEL pt_l0, 2, tp2, PTE_V | PTE_X | PTE_A
  PTE_LABEL pt_l0, 3, tp3, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
  PTE_LABEL pt_l0, 4, tp4, PTE_V | PTE_R | PTE_W
  PTE_LABEL pt_l0, 5, tp5, PTE_V | PTE_R | PTE_W | PTE_A
  PTE_LABEL pt_l0, 6, tp0, PTE_R | PTE_W | PTE_A | PTE_D
  PTE_LABEL pt_l0, 7, tp0, PTE_V | PTE_W | PTE_A | PTE_D
  PTE_LABEL pt_l0, 8, tp0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  PTE_LABEL pt_l0, 9, vm_code, PTE_V | PTE_R | PTE_X | PTE_A
  PTE_LABEL pt_l0, 10, vm_code, PTE_V | PTE_R | PTE_A
  PTE_LABEL pt_l0, 11, vm_code, PTE_V | PTE_X | PTE_U | PTE_A
  PTE_LABEL pt_l0, 12, tp0, PTE_V
#if VM_LEVELS == 3
  PTE_PA pt_root, 256, 0x80000000, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  la a0, pt_root
#else
  PTE_LABEL pt_root4, 0, pt_root, PTE_V
  PTE_PA pt_root4, 1, 0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  PTE_PA pt_root4, 2, 0x80000000, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  PTE_LABEL pt_root4, 256, pt_l2hi, PTE_V
  PTE_PA pt_l2hi, 0, 0x80000000, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  la a0, pt_root4
#endif
  /* markers */
  la a1, tp0
  li a2, 0x1111
  sd a2, 0(a1)
  la a1, tp1
  li a2, 0x2222
  sd a2, 0(a1)
  la a1, tp2
  li a2, 0x3333
  sd a2, 0(a1)
  la a1, tp3
  li a2, 0x4444
  sd a2, 0(a1)
  li a1, PA_2M + 0x1238
  li a2, 0x5555
  sd a2, 0(a1)

  CASE 1                                          /* satp */
  srli a0, a0, 12
  li a1, SATP_MODE
  or a0, a0, a1
  csrw satp, a0
  csrr a1, satp
  CHECKR a0, a1
  sfence.vma
  li a0, MSTATUS_SUM | MSTATUS_MXR | MSTATUS_MPRV
  csrc mstatus, a0

  /* ---- basic translation ---- */
  CASE 2                                          /* S runs through the identity map, reads a 4 KiB page */
  li a1, VA_PAGE(0)
  RUN_S s_load
  CHECK_OK_S
  CHECK a4, 0x1111
  CASE 3                                          /* S stores through it; M sees the physical page */
  li a1, VA_PAGE(0) + 8
  li a2, 0xabcd
  RUN_S s_store
  CHECK_OK_S
  ld a0, tp0 + 8
  CHECK a0, 0xabcd
  CASE 4                                          /* U runs at a non-identity alias */
  la a1, tp3 - U_OFF
  li a4, 0
  RUN_U s_load
  CHECK_OK_U
  CHECK a4, 0x4444
  CASE 5                                          /* U page through the 4 KiB map */
  li a1, VA_PAGE(3)
  RUN_U s_load
  CHECK_OK_U
  CHECK a4, 0x4444
  CASE 6                                          /* 2 MiB page */
  li a1, VA_2M + 0x1238
  RUN_S s_load
  CHECK_OK_S
  CHECK a4, 0x5555
  li a1, VA_2M + 0x1ff000
  li a2, 0x5a5a
  RUN_S s_store
  CHECK_OK_S
  li a0, PA_2M + 0x1ff000
  ld a0, 0(a0)
  CHECK a0, 0x5a5a
  CASE 7                                          /* 1 GiB non-identity page */
  la a1, tp1
  li a0, VA_1G - 0x80000000
  add a1, a1, a0
  RUN_S s_load
  CHECK_OK_S
  CHECK a4, 0x2222
  CASE 8                                          /* high half (sign-extended) */
  la a1, tp2
  li a0, VA_HIGH - 0x80000000
  add a1, a1, a0
  RUN_S s_load
  CHECK_OK_S
  CHECK a4, 0x3333
#if VM_LEVELS == 4
  CASE 9                                          /* 512 GiB page */
  la a1, tp1
  li a0, VA_512G
  add a1, a1, a0
  RUN_S s_load
  CHECK_OK_S
  CHECK a4, 0x2222
  li a1, VA_512G + PA_2M + 0x1238
  RUN_S s_load
  CHECK_OK_S
  CHECK a4, 0x5555
#endif
  CASE 10                                         /* fetch through a non-identity 4 KiB page */
  li a1, VA_PAGE(9)
  li a0, 0
  RUN_S s_jump
  CHECK_TRAP CAUSE_ECALL_S
  CHECK a0, 0x99
  CASE 11                                         /* U fetch from a U X-only page */
  li a1, VA_PAGE(11)
  li a0, 0
  RUN_U s_jump
  CHECK_OK_U
  CHECK a0, 0x99

  /* ---- page faults ---- */
  CASE 12                                         /* invalid 4 KiB PTE: load 13, store 15 */
  li a1, VA_PAGE(6)
  RUN_S s_load
  CHECK_PF CAUSE_LOAD_PAGE
  CHECK_EPC_LABEL s_load
  li a1, VA_PAGE(6) + 16
  RUN_S s_store
  CHECK_PF CAUSE_STORE_PAGE
  CASE 13                                         /* invalid 1 GiB PTE; fetch from it: 12 */
  li a1, VA_1G_INV + 0x123
  RUN_S s_load
  CHECK_PF CAUSE_LOAD_PAGE
  li a1, VA_1G_INV + 0x1000
  RUN_S s_jump
  CHECK_PF CAUSE_FETCH_PAGE
  ld t5, trap_epc
  CHECKR t5, a1
  CASE 14                                         /* W without R is reserved */
  li a1, VA_PAGE(7)
  RUN_S s_load
  CHECK_PF CAUSE_LOAD_PAGE
  li a1, VA_PAGE(7) + 8
  RUN_S s_store
  CHECK_PF CAUSE_STORE_PAGE
  li a1, VA_1G_WO
  RUN_S s_store
  CHECK_PF CAUSE_STORE_PAGE
  CASE 15                                         /* read-only page: store 15, AMO 15, load ok */
  li a1, VA_PAGE(1)
  RUN_S s_load
  CHECK_OK_S
  CHECK a4, 0x2222
  li a1, VA_PAGE(1) + 8
  RUN_S s_store
  CHECK_PF CAUSE_STORE_PAGE
  li a1, VA_PAGE(1) + 16
  RUN_S s_amo
  CHECK_PF CAUSE_STORE_PAGE
  la a1, tp1                                      /* read-only 1 GiB alias */
  li a0, VA_1G - 0x80000000
  add a1, a1, a0
  RUN_S s_store
  CHECK_PF CAUSE_STORE_PAGE
  CASE 16                                         /* pointer PTE at the last level */
  li a1, VA_PAGE(12)
  RUN_S s_load
  CHECK_PF CAUSE_LOAD_PAGE
  CASE 17                                         /* misaligned superpages */
  li a1, VA_2M_MIS + 0x40
  RUN_S s_load
  CHECK_PF CAUSE_LOAD_PAGE
  li a1, VA_1G_MIS + 0x80
  RUN_S s_store
  CHECK_PF CAUSE_STORE_PAGE
#if VM_LEVELS == 4
  li a1, VA_512G_MIS + 0x80000000
  RUN_S s_load
  CHECK_PF CAUSE_LOAD_PAGE
#endif
  CASE 18                                         /* non-canonical addresses */
  li a1, VA_NONCANON1
  RUN_S s_load
  CHECK_PF CAUSE_LOAD_PAGE
  li a1, VA_NONCANON2
  RUN_S s_store
  CHECK_PF CAUSE_STORE_PAGE
  li a1, VA_NONCANON1 + 0x1000
  RUN_S s_jump
  CHECK_PF CAUSE_FETCH_PAGE
#if VM_LEVELS == 3
  CASE 19                                         /* 0x80_0000_0000 is not canonical in Sv39 */
  li a1, 0x8080000000
  RUN_S s_load
  CHECK_PF CAUSE_LOAD_PAGE
#endif
  CASE 20                                         /* fetch from a non-X page: 12, stval = va */
  li a1, VA_PAGE(10)
  RUN_S s_jump
  CHECK_PF CAUSE_FETCH_PAGE
  ld t5, trap_epc
  CHECKR t5, a1
  li a1, VA_PAGE(0)
  RUN_S s_jump
  CHECK_PF CAUSE_FETCH_PAGE
  la a1, tp0                                      /* the R-only 1 GiB alias */
  li a0, VA_1G - 0x80000000
  add a1, a1, a0
  RUN_S s_jump
  CHECK_PF CAUSE_FETCH_PAGE
  CASE 21                                         /* X-only page: load faults (MXR = 0), fetch ok */
  li a1, VA_PAGE(2)
  RUN_S s_load
  CHECK_PF CAUSE_LOAD_PAGE
  li a1, VA_PAGE(2)
  RUN_S s_lr
  CHECK_PF CAUSE_LOAD_PAGE
  CASE 22                                         /* MXR = 1: loads from X-only pages succeed */
  li a0, MSTATUS_MXR
  csrs mstatus, a0
  li a1, VA_PAGE(2)
  RUN_S s_load
  CHECK_OK_S
  CHECK a4, 0x3333
  li a1, VA_PAGE(11)                              /* U X-only page from U */
  RUN_U s_load
  CHECK_OK_U
  li a1, VA_PAGE(2) + 8                           /* stores still fault */
  RUN_S s_store
  CHECK_PF CAUSE_STORE_PAGE
  li a0, MSTATUS_MXR
  csrc mstatus, a0

  /* ---- U and S pages ---- */
  CASE 23                                         /* U page from S without SUM */
  li a1, VA_PAGE(3)
  RUN_S s_load
  CHECK_PF CAUSE_LOAD_PAGE
  li a1, VA_PAGE(3) + 8
  RUN_S s_store
  CHECK_PF CAUSE_STORE_PAGE
  CASE 24                                         /* with SUM: loads and stores succeed */
  li a0, MSTATUS_SUM
  csrs mstatus, a0
  li a1, VA_PAGE(3)
  RUN_S s_load
  CHECK_OK_S
  CHECK a4, 0x4444
  li a1, VA_PAGE(3) + 8
  li a2, 0x77
  RUN_S s_store
  CHECK_OK_S
  CASE 25                                         /* ... but S never executes U pages */
  li a1, VA_PAGE(11)
  RUN_S s_jump
  CHECK_PF CAUSE_FETCH_PAGE
  la a1, vm_code - U_OFF                          /* the U alias of the program */
  RUN_S s_jump
  CHECK_PF CAUSE_FETCH_PAGE
  li a0, MSTATUS_SUM
  csrc mstatus, a0
  CASE 26                                         /* S page from U: load, store, fetch */
  li a1, VA_PAGE(0)
  RUN_U s_load
  CHECK_PF CAUSE_LOAD_PAGE
  li a1, VA_PAGE(0) + 8
  RUN_U s_store
  CHECK_PF CAUSE_STORE_PAGE
  li a1, VA_PAGE(9)
  RUN_U s_jump
  CHECK_PF CAUSE_FETCH_PAGE
  la a1, vm_code                                  /* identity (S) mapping of the code */
  RUN_U s_jump
  CHECK_PF CAUSE_FETCH_PAGE
  CASE 27                                         /* SUM does not open S pages to U */
  li a0, MSTATUS_SUM
  csrs mstatus, a0
  li a1, VA_PAGE(0)
  RUN_U s_load
  CHECK_PF CAUSE_LOAD_PAGE
  li a0, MSTATUS_SUM
  csrc mstatus, a0

  /* ---- accessed / dirty ---- */
  CASE 28                                         /* load from A = 0: succeeds, A set, D not */
  li a1, VA_PAGE(4)
  RUN_S s_load
  CHECK_OK_S
  LOAD_PTE a0, pt_l0, 4
  andi a0, a0, PTE_A | PTE_D
  CHECK a0, PTE_A
  CASE 29                                         /* store: D set */
  li a1, VA_PAGE(4) + 8
  RUN_S s_store
  CHECK_OK_S
  LOAD_PTE a0, pt_l0, 4
  andi a0, a0, PTE_A | PTE_D
  CHECK a0, PTE_A | PTE_D
  CASE 30                                         /* store to A = 1, D = 0 */
  li a1, VA_PAGE(5)
  RUN_S s_store
  CHECK_OK_S
  LOAD_PTE a0, pt_l0, 5
  andi a0, a0, PTE_A | PTE_D
  CHECK a0, PTE_A | PTE_D
  CASE 31                                         /* store to A = D = 0 on a 2 MiB page: both set */
  li a1, VA_2M_AD + 0x1238
  RUN_S s_load
  CHECK_OK_S
  CHECK a4, 0x5555
  LOAD_PTE a0, pt_l1, 3
  andi a0, a0, PTE_A | PTE_D
  CHECK a0, PTE_A
  li a1, VA_2M_AD + 0x2000
  RUN_S s_store
  CHECK_OK_S
  LOAD_PTE a0, pt_l1, 3
  andi a0, a0, PTE_A | PTE_D
  CHECK a0, PTE_A | PTE_D
  CASE 32                                         /* a faulting store does not set D */
  PTE_LABEL pt_l0, 5, tp5, PTE_V | PTE_R | PTE_A
  VM_SYNC
  li a1, VA_PAGE(5)
  RUN_S s_store
  CHECK_PF CAUSE_STORE_PAGE
  LOAD_PTE a0, pt_l0, 5
  andi a0, a0, PTE_D
  CHECK a0, 0

  /* ---- sfence.vma ---- */
  CASE 33                                         /* remap a page from M */
  li a1, VA_PAGE(8)
  RUN_S s_load
  CHECK_OK_S
  CHECK a4, 0x1111
  PTE_LABEL pt_l0, 8, tp1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  VM_SYNC
  li a1, VA_PAGE(8)
  RUN_S s_load
  CHECK_OK_S
  CHECK a4, 0x2222
  CASE 34                                         /* S rewrites the PTE and fences that address */
  li a1, VA_PAGE(8)
  la a2, pt_l0 + 8 * 8
  la a3, tp2
  srli a3, a3, 12
  slli a3, a3, 10
  ori a3, a3, PTE_V | PTE_R | PTE_A
  RUN_S s_remap
  CHECK_OK_S
  CHECK a4, 0x3333
  CASE 35                                         /* invalidate from S, sfence, fault */
  li a1, VA_PAGE(8)
  la a2, pt_l0 + 8 * 8
  li a3, 0
  RUN_S s_remap
  CHECK_PF CAUSE_LOAD_PAGE

  /* ---- MPRV ---- */
  CASE 36                                         /* M loads with MPRV = 1, MPP = S translate */
  li a0, MSTATUS_MPP
  csrc mstatus, a0
  li a0, MSTATUS_MPP_S | MSTATUS_MPRV
  csrs mstatus, a0
  li a1, VA_PAGE(1)
  ld a4, 0(a1)
  li a0, MSTATUS_MPRV
  csrc mstatus, a0
  CHECK a4, 0x2222
  CASE 37                                         /* MPRV with MPP = U: S pages fault */
  li a0, MSTATUS_MPP
  csrc mstatus, a0
  li a1, VA_PAGE(0)
  TRAP_CLEAR
  TRAP_EXPECT 1f
  li a0, MSTATUS_MPRV
  csrs mstatus, a0
  ld a4, 0(a1)
  j fail
1:
  li a0, MSTATUS_MPRV
  csrc mstatus, a0
  CHECK_PF CAUSE_LOAD_PAGE

  /* ---- delegation ---- */
  CASE 38                                         /* page fault delegated to S: scause, stval */
  li a0, (1 << CAUSE_LOAD_PAGE) | (1 << CAUSE_STORE_PAGE) | (1 << CAUSE_FETCH_PAGE)
  csrw medeleg, a0
  S_TRAP_CLEAR
  li a1, VA_PAGE(0)
  RUN_U s_load                                    /* S handler records, ecalls to M */
  CHECK_S_TRAP CAUSE_LOAD_PAGE
  CHECK_S_TVAL VA_PAGE(0)
  CHECK_TRAP CAUSE_ECALL_S
  S_TRAP_CLEAR
  li a1, VA_1G_INV
  RUN_S s_jump
  CHECK_S_TRAP CAUSE_FETCH_PAGE
  CHECK_S_TVAL VA_1G_INV
  csrw medeleg, zero

  /* ---- satp = Bare again ---- */
  CASE 39
  csrw satp, zero
  sfence.vma
  la a1, tp0
  RUN_S s_load
  CHECK_OK_S
  CHECK a4, 0x1111
  li a1, VA_PAGE(0)                               /* no translation: unmapped physical address */
  RUN_S s_load
  CHECK_TRAP CAUSE_LOAD_ACCESS
TEST_END

  .text
  .option push
  .option norvc
s_load:
  ld a4, 0(a1)
  ecall
s_store:
  sd a2, 0(a1)
  ecall
s_amo:
  amoadd.d a4, a2, (a1)
  ecall
s_lr:
  lr.d a4, (a1)
  ecall
s_jump:
  jalr ra, 0(a1)
  ecall
s_remap:                                          /* *a2 = a3; sfence.vma a1; a4 = *a1 */
  sd a3, 0(a2)
  sfence.vma a1
  ld a4, 0(a1)
  ecall

  .balign 4096
vm_code:
  li a0, 0x99
  ecall
  .balign 4096
  .option pop

  .bss
  .balign 4096
vm_tables_start:
pt_root:  .skip 4096
pt_l1:    .skip 4096
pt_l0:    .skip 4096
pt_root4: .skip 4096
pt_l2hi:  .skip 4096
tp0: .skip 4096
tp1: .skip 4096
tp2: .skip 4096
tp3: .skip 4096
tp4: .skip 4096
tp5: .skip 4096
vm_tables_end:
