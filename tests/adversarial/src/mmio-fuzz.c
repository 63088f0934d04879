/* mmio-fuzz: 200 000 random reads and writes (fixed seed; sizes 1, 2, 4 and
   8 bytes, aligned and not) over every device window of the virt board:
   syscon, goldfish RTC, CLINT, PLIC, UART and the eight virtio-mmio slots,
   plus the unmapped space around them.  Accesses outside a window must raise
   access faults (5/7) and nothing else; the machine must then still work:
   every virtio slot answers its magic and can be reset, the UART's scratch
   register holds a value, mtime advances.  The program ends deliberately
   through the syscon: FAIL with code 42, so exit status 42 means the fuzz ran
   to the end.
   What the fuzz may not write, and why:
   - syscon offset 0 with 0x3333/0x5555/0x7777 in the low half (fail,
     poweroff, reset end or restart the run); the end of the program uses it;
   - virtio ring addresses inside RAM other than an all-zero scratch area (a
     device would otherwise DMA into this program; ring contents are
     virtio-hostile's job).
   RTC time and alarm writes are not tamed: an alarm years ahead must neither
   fire at once nor make the host print a timer warning (stderr is matched).
   The host logs one line per virtio slot the fuzz puts in NEEDS_RESET. */
#include "rt.h"

#define ITERATIONS 200000
#define SCRATCH 0x80200000UL /* 64 KiB of zeros: rings that never hold a request */
#define SCRATCH_SIZE 0x10000UL

struct window {
  u64 base, size;
};
static const struct window windows[] = {
    {SYSCON_BASE, 0x1000},        /* 0 */
    {RTC_BASE, 0x1000},           /* 1 */
    {CLINT_BASE, 0x10000},        /* 2 */
    {PLIC_BASE, 0x600000},        /* 3 */
    {UART_BASE, 0x100},           /* 4 */
    {VIRTIO_SLOT(0), 0x8000},     /* 5: all eight slots (drawn three times as often) */
    {0x00000000, 0x100000},       /* 6: below the syscon: nothing */
    {0x10009000, 0x7000},         /* 7: after the virtio slots: nothing */
};
#define NWINDOWS (sizeof windows / sizeof windows[0])

static u64 seed = 0x9e3779b97f4a7c15UL;

/* An offset in window w, biased towards the registers that do something. */
static u64 pick_offset(int w, u64 r) {
  switch (w) {
    case 3: /* PLIC: priorities, pending, enables of 16 contexts, threshold/claim */
      switch (r & 3) {
        case 0: return (r >> 8) % 0x200;
        case 1: return 0x1000 + (r >> 8) % 0x80;
        case 2: return 0x2000 + 0x80 * ((r >> 8) % 16) + (r >> 16) % 0x10;
        default: return 0x200000 + 0x1000 * ((r >> 8) % 16) + (r >> 16) % 8;
      }
    case 2: /* CLINT: msip, mtimecmp, mtime, anything */
      switch (r & 3) {
        case 0: return (r >> 8) % 0x40;
        case 1: return 0x4000 + (r >> 8) % 0x80;
        case 2: return 0xbff8 + (r >> 8) % 8;
        default: return (r >> 8) % 0x10000;
      }
    case 5: { /* virtio: mostly the live slots (0: disk, 1: rng) and the registers that act */
      static const u16 regs[] = {0x014, 0x020, 0x024, 0x030, 0x038, 0x044, 0x050, 0x064,
                                 0x070, 0x070, 0x080, 0x084, 0x090, 0x094, 0x0a0, 0x0a4};
      u64 slot = (r >> 4) & 3 ? (r >> 6) & 1 : (r >> 6) % 8;
      u64 reg = (r & 3) ? regs[(r >> 12) % 16] : (r >> 12) & 1 ? (r >> 16) % 0x110 : (r >> 16) % 0x1000;
      return 0x1000 * slot + reg;
    }
    default:
      return (r >> 8) % (windows[w].size);
  }
}

/* Values a virtio register write is likely to act on (random ones are mostly
   refused, and a slot in NEEDS_RESET ignores everything but Status = 0). */
static u64 plausible(u64 reg, u64 v, u64 r) {
  static const u8 statuses[] = {0, 0, 1, 3, 0xb, 0xf, 0x4f, 0x80};
  switch (reg) {
    case 0x070: return statuses[(r >> 20) % 8];
    case 0x038: return (r >> 20) & 1 ? 1UL << ((r >> 21) % 10) : (r >> 21) % 300; /* QueueNum */
    case 0x030: case 0x050: case 0x014: case 0x024: return (r >> 20) % 3; /* QueueSel, QueueNotify, *FeaturesSel */
    case 0x044: return (r >> 20) & 1;                                   /* QueueReady */
    case 0x020: return (r >> 20) & 1 ? 1 : v & (3UL << 28);            /* DriverFeatures: VERSION_1, INDIRECT/EVENT_IDX */
    case 0x064: return (r >> 20) & 3;                                   /* InterruptACK */
    default: return v;
  }
}

/* The value a write may carry at this address (see the list at the top). */
static u64 tame(int w, u64 off, int size, u64 v, u64 r) {
  if (w == 0 && off == 0 && size >= 2) {
    u64 low = v & 0xffff;
    if (low == 0x3333 || low == 0x5555 || low == 0x7777) v ^= 1;
  }
  if (w == 5 && size == 4 && (r >> 62) != 0) v = plausible(off & 0xfff, v, r); /* mostly */
  if (w == 5) {
    u64 reg = off & 0xfff;
    int ring_low = reg == 0x080 || reg == 0x090 || reg == 0x0a0;
    int ring_high = reg == 0x084 || reg == 0x094 || reg == 0x0a4;
    if (size == 8 && (ring_low || ring_high)) v = (r & 1) ? SCRATCH + (r >> 8) % SCRATCH_SIZE : (v & 0x7fffffff);
    else if (ring_low) v = (r & 1) ? SCRATCH + (r >> 8) % SCRATCH_SIZE : (v & 0x7fffffff);
    else if (ring_high) v = (r & 2) ? 0 : v;
    /* an 8-byte write lands on the next register too */
    if (size == 8 && (reg == 0x07c || reg == 0x08c || reg == 0x09c)) v &= 0xffffffffUL;
  }
  return v;
}

static void access(u64 addr, int size, int write, u64 v) {
  switch (size | (write << 4)) {
    case 0x01: (void)rd8(addr); break;
    case 0x02: (void)rd16(addr); break;
    case 0x04: (void)rd32(addr); break;
    case 0x08: (void)rd64(addr); break;
    case 0x11: wr8(addr, v); break;
    case 0x12: wr16(addr, v); break;
    case 0x14: wr32(addr, v); break;
    case 0x18: wr64(addr, v); break;
  }
}

int main(void) {
  u64 faults = 0;
  for (u32 i = 0; i < ITERATIONS; i++) {
    u64 r = rand64(&seed), v = rand64(&seed);
    int w = (r >> 56) % (NWINDOWS + 2);
    if (w >= (int)NWINDOWS) w = 5;
    int size = 1 << ((r >> 52) & 3);
    if (w == 5 && (r >> 54 & 3)) size = 4;
    int write = (r >> 50) & 1;
    u64 off = pick_offset(w, r);
    if ((r >> 40 & 15) != 0) off &= ~(u64)(size - 1); /* mostly aligned */
    if (off + size > windows[w].size) off = windows[w].size - size;
    if (write) v = tame(w, off, size, v, r);
    /* a misaligned access may straddle the syscon's register 0 */
    if (write && w == 0 && off < 8 && off != 0) continue;
    expect_trap();
    access(windows[w].base + off, size, write, v);
    disarm_trap();
    if (last_trap.count) {
      CHECK(2, last_trap.cause == (write ? 7 : 5));
      faults++;
    }
  }
  CHECK(3, faults > 0); /* the unmapped windows did fault */

  /* the machine still works */
  for (int n = 0; n < VIRTIO_SLOTS; n++) {
    u64 b = VIRTIO_SLOT(n);
    CHECK(10 + n, rd32(b) == 0x74726976 && rd32(b + 4) == 2);
    wr32(b + 0x70, 0); /* reset */
    CHECK(20 + n, rd32(b + 0x70) == 0);
  }
  wr8(UART_BASE + 3, 0x03); /* LCR: 8N1, DLAB off */
  wr8(UART_BASE + 7, 0x5a);
  CHECK(30, rd8(UART_BASE + 7) == 0x5a);
  u64 t0 = rd64(CLINT_BASE + 0xbff8);
  for (volatile int k = 0; k < 100000; k++) {
  }
  CHECK(31, rd64(CLINT_BASE + 0xbff8) > t0);
  wr32(RTC_BASE + 0x14, 1); /* clear the alarm */

  wr32(SYSCON_BASE, (42 << 16) | 0x3333); /* FAIL(42): the fuzz reached its end */
  return 4;                               /* the syscon write did not end the run */
}
