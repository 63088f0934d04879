/* virtio-progress: requests far larger than one host step's budget must still
   complete, with the right bytes in the right places, and with the interrupts
   the driver asked for, while the guest waits in WFI (so the host must keep
   working for a sleeping guest).  Needs the default 256 MiB of RAM and one
   writable disk of 16 MiB whose 32-bit little-endian word w (at byte 4w) is
   w * 2654435761 (tests/adversarial.test.ts makes it).
   1. one 2 MiB + 4 KiB IN in three buffers with odd boundaries;
   2. 1 MiB OUT, FLUSH, and the same 1 MiB read back;
   3. with VIRTIO_F_EVENT_IDX: 8 chains of 512 KiB and used_event = 7: exactly
      one interrupt, after the eighth;
   4. virtio-rng: 4 chains of 1 MiB, every page filled;
   5. virtio-rng with VIRTQ_AVAIL_F_NO_INTERRUPT: completes, no interrupt.
   Exit status = the failing case (x10 + detail). */
#include "virtio.h"

#define MIB (1UL << 20)
#define BUF1 0x81000000UL
#define BUF2 0x82000000UL
#define BUF3 0x82800000UL
#define BUF4 0x83000000UL
#define RNGBUF 0x84000000UL

static struct vdesc blk_desc[64] __attribute__((aligned(4096)));
static u16 blk_avail[3 + 64] __attribute__((aligned(4096)));
static u32 blk_used[2 + 2 * 64 + 1] __attribute__((aligned(4096)));
static struct vdesc rng_desc[8] __attribute__((aligned(4096)));
static u16 rng_avail[3 + 8] __attribute__((aligned(4096)));
static u32 rng_used[2 + 2 * 8 + 1] __attribute__((aligned(4096)));
static u32 headers[16][4];
static u8 status[16];

static int blk_irq, rng_irq;
static volatile u32 blk_irqs, rng_irqs, other_irqs;
static u64 blk_base, rng_base;

static void on_interrupt(u64 code) {
  if (code != 11) { /* only machine external interrupts are enabled */
    other_irqs++;
    return;
  }
  u32 claim = rd32(PLIC_BASE + 0x200004);
  if (claim == (u32)blk_irq) {
    blk_irqs++;
    vw(blk_base, V_INTERRUPT_ACK, vr(blk_base, V_INTERRUPT_STATUS));
  } else if (claim == (u32)rng_irq) {
    rng_irqs++;
    vw(rng_base, V_INTERRUPT_ACK, vr(rng_base, V_INTERRUPT_STATUS));
  } else if (claim) {
    other_irqs++;
  }
  if (claim) wr32(PLIC_BASE + 0x200004, claim);
}

/* Sleep in WFI until the used index reaches `target`. */
static void wait_used(struct vq *q, u16 target) {
  for (;;) {
    csr_clear(mstatus, 8);
    if (vq_used_idx(q) == target) break;
    __asm__ volatile("wfi");
    csr_set(mstatus, 8); /* the interrupt, if any, is taken here */
  }
  csr_set(mstatus, 8);
}

static inline u32 disk_word(u64 byte_offset) { return (u32)(byte_offset >> 2) * 2654435761u; }

/* The buffer holds the disk's bytes from sector `sector` on. */
static int disk_bytes_at(u64 buf, u64 len, u64 sector) {
  volatile u32 *p = (volatile u32 *)buf;
  for (u64 i = 0; i < len / 4; i++)
    if (p[i] != disk_word(sector * 512 + 4 * i)) return 0;
  return 1;
}

/* A blk request in descriptors from `d` on: header, the given buffers, status. Returns the head. */
static u16 blk_request(struct vq *q, u32 slot, u32 type, u64 sector, const u64 *addr, const u32 *len, int n, int write) {
  u32 d = slot * 5;
  headers[slot][0] = type;
  headers[slot][1] = 0;
  headers[slot][2] = (u32)sector;
  headers[slot][3] = (u32)(sector >> 32);
  status[slot] = 0xff;
  vq_desc(q, d, (u64)headers[slot], 16, D_NEXT, d + 1);
  for (int i = 0; i < n; i++) vq_desc(q, d + 1 + i, addr[i], len[i], (write ? 0 : D_WRITE) | D_NEXT, d + 2 + i);
  vq_desc(q, d + 1 + n, (u64)&status[slot], 1, D_WRITE, 0);
  vq_publish(q, d);
  return d;
}

static void setup_plic(int irq) {
  wr32(PLIC_BASE + 4 * irq, 1);                                           /* priority */
  wr32(PLIC_BASE + 0x2000, rd32(PLIC_BASE + 0x2000) | (1u << irq));      /* enable, context 0 (hart 0, M) */
}

int main(void) {
  struct vq q;
  int slot = virtio_find(ID_BLOCK);
  CHECK(1, slot >= 0);
  blk_base = VIRTIO_SLOT(slot);
  blk_irq = 1 + slot;
  slot = virtio_find(ID_RNG);
  CHECK(2, slot >= 0);
  rng_base = VIRTIO_SLOT(slot);
  rng_irq = 1 + slot;
  irq_hook = on_interrupt;
  wr32(PLIC_BASE + 0x200000, 0); /* threshold */
  setup_plic(blk_irq);
  setup_plic(rng_irq);
  csr_set(mie, 1UL << 11);

  /* 1. one large IN in three odd buffers */
  CHECK(10, virtio_negotiate(blk_base, F_VERSION_1) & S_FEATURES_OK);
  vq_setup(&q, blk_base, 0, 64, (u64)blk_desc, (u64)blk_avail, (u64)blk_used);
  virtio_go(blk_base);
  u64 total = 2 * MIB + 4096;
  u64 a1[3] = {BUF1, BUF1 + 300007, BUF1 + 1000008};
  u32 l1[3] = {300007, 700001, (u32)(total - 1000008)};
  u16 head = blk_request(&q, 0, BLK_T_IN, 100, a1, l1, 3, 0);
  vq_notify(&q);
  wait_used(&q, 1);
  CHECK(11, vq_used_id(&q, 0) == head && vq_used_len(&q, 0) == total + 1);
  CHECK(12, status[0] == 0);
  CHECK(13, disk_bytes_at(BUF1, total, 100));
  CHECK(14, blk_irqs >= 1);

  /* 2. 1 MiB OUT, FLUSH, read back */
  volatile u32 *out = (volatile u32 *)BUF2;
  for (u64 i = 0; i < MIB / 4; i++) out[i] = (u32)i ^ 0xdeadbeef;
  u64 a2[1] = {BUF2};
  u32 l2[1] = {MIB};
  blk_request(&q, 1, BLK_T_OUT, 20000, a2, l2, 1, 1);
  blk_request(&q, 2, BLK_T_FLUSH, 0, a2, l2, 0, 0);
  u64 a3[1] = {BUF3};
  blk_request(&q, 3, BLK_T_IN, 20000, a3, l2, 1, 0);
  vq_notify(&q);
  wait_used(&q, 4);
  CHECK(20, vq_used_len(&q, 1) == 1 && vq_used_len(&q, 2) == 1 && vq_used_len(&q, 3) == MIB + 1);
  CHECK(21, status[1] == 0 && status[2] == 0 && status[3] == 0);
  volatile u32 *back = (volatile u32 *)BUF3;
  for (u64 i = 0; i < MIB / 4; i++) CHECK(22, back[i] == ((u32)i ^ 0xdeadbeef));

  /* 3. EVENT_IDX: one interrupt for eight chains of 512 KiB */
  CHECK(30, virtio_negotiate(blk_base, F_VERSION_1 | F_EVENT_IDX) & S_FEATURES_OK);
  vq_setup(&q, blk_base, 0, 64, (u64)blk_desc, (u64)blk_avail, (u64)blk_used);
  virtio_go(blk_base);
  vq_set_used_event(&q, 7);
  u32 before = blk_irqs;
  for (u32 i = 0; i < 8; i++) {
    u64 a[1] = {BUF4 + i * MIB};
    u32 l[1] = {MIB / 2};
    blk_request(&q, i, BLK_T_IN, 2048 * i + 7, a, l, 1, 0);
  }
  vq_notify(&q);
  wait_used(&q, 8);
  for (u32 i = 0; i < 8; i++) {
    CHECK(31, vq_used_len(&q, i) == MIB / 2 + 1 && status[i] == 0);
    CHECK(32, disk_bytes_at(BUF4 + i * MIB, MIB / 2, 2048 * i + 7));
  }
  CHECK(33, blk_irqs - before == 1);

  /* 4. virtio-rng: 4 chains of 1 MiB */
  CHECK(40, virtio_negotiate(rng_base, F_VERSION_1) & S_FEATURES_OK);
  vq_setup(&q, rng_base, 0, 8, (u64)rng_desc, (u64)rng_avail, (u64)rng_used);
  virtio_go(rng_base);
  memset_((void *)RNGBUF, 0, 4 * MIB);
  for (u32 i = 0; i < 4; i++) {
    vq_desc(&q, i, RNGBUF + i * MIB, MIB, D_WRITE, 0);
    vq_publish(&q, i);
  }
  vq_notify(&q);
  wait_used(&q, 4);
  for (u32 i = 0; i < 4; i++) CHECK(41, vq_used_len(&q, i) == MIB);
  for (u64 page = RNGBUF; page < RNGBUF + 4 * MIB; page += 4096) {
    volatile u64 *p = (volatile u64 *)page;
    u64 any = 0;
    for (int k = 0; k < 512; k++) any |= p[k];
    CHECK(42, any != 0);
  }
  CHECK(43, rng_irqs >= 1);

  /* 5. VIRTQ_AVAIL_F_NO_INTERRUPT: completes (polled), no interrupt */
  CHECK(50, virtio_negotiate(rng_base, F_VERSION_1) & S_FEATURES_OK);
  vq_setup(&q, rng_base, 0, 8, (u64)rng_desc, (u64)rng_avail, (u64)rng_used);
  virtio_go(rng_base);
  q.avail[0] = 1;
  before = rng_irqs;
  for (u32 i = 0; i < 2; i++) {
    vq_desc(&q, i, RNGBUF + i * MIB, MIB, D_WRITE, 0);
    vq_publish(&q, i);
  }
  vq_notify(&q);
  csr_set(mstatus, 8);
  while (vq_used_idx(&q) != 2) {
  }
  CHECK(51, vq_used_len(&q, 0) == MIB && vq_used_len(&q, 1) == MIB);
  CHECK(52, rng_irqs == before);
  CHECK(53, other_irqs == 0);
  csr_clear(mstatus, 8);
  return 0;
}
