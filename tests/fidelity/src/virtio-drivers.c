/* virtio-drivers: what a small teaching kernel's virtio drivers do, on whichever
   virtio-mmio version the machine has.  Version 2: the driver completes feature
   negotiation without VIRTIO_F_VERSION_1 (QEMU accepts that).  Version 1 (legacy):
   GuestPageSize, QueueNum, QueueAlign, QueuePFN and the legacy ring layout.  Then, on
   both: 64 bytes from virtio-rng, sector 0 of the disk read (it must start with
   "HARTVM-VIRTIO-DISK"), sector 1 written with "written over virtio-mmio vN" and read
   back, the used-buffer interrupt status, and a reset that forgets the queue.
   Needs one writable virtio-blk disk and a virtio-rng device (hartvm has one; QEMU:
   -device virtio-rng-device).  Prints one line and powers off through sifive_test;
   a failed check exits with its number (built with -DQEMU_VIRT: the UART, not HTIF). */
#include "virtio.h"

#define V_GUEST_PAGE_SIZE 0x028
#define V_QUEUE_ALIGN 0x03c
#define V_QUEUE_PFN 0x040
#define QSIZE 8
#define SPIN 50000000UL

/* One page per ring area: the legacy layout puts the used ring on the next page. */
static u8 rings[2][2 * 4096] __attribute__((aligned(4096)));
static u8 rng_buf[64];
static u8 sector[512];
static u32 blk_header[4];
static u8 blk_status;

static u32 version;

static const char MARK[] = "HARTVM-VIRTIO-DISK";

static void put_dec(u32 v) {
  if (v >= 10) put_dec(v / 10);
  putchar_('0' + v % 10);
}

/* Brings up queue 0 of the device at `base` in ring area `area`; c is the check number base. */
static void bring_up(struct vq *q, u64 base, int area, int c) {
  u64 ring = (u64)rings[area];
  memset_(rings[area], 0, sizeof rings[area]);
  vw(base, V_STATUS, 0);
  CHECK(c + 0, vr(base, V_STATUS) == 0);
  vw(base, V_STATUS, S_ACKNOWLEDGE);
  vw(base, V_STATUS, S_ACKNOWLEDGE | S_DRIVER);
  vw(base, V_DRIVER_FEATURES_SEL, 0);
  vw(base, V_DRIVER_FEATURES, 0); /* nothing: no VERSION_1, no ring features */
  vw(base, V_DRIVER_FEATURES_SEL, 1);
  vw(base, V_DRIVER_FEATURES, 0);
  vw(base, V_QUEUE_SEL, 0);
  CHECK(c + 1, vr(base, V_QUEUE_NUM_MAX) >= QSIZE);
  q->base = base;
  q->index = 0;
  q->num = QSIZE;
  q->desc = (volatile struct vdesc *)ring;
  q->avail = (volatile u16 *)(ring + 16 * QSIZE);
  q->avail_idx = 0;
  q->used_seen = 0;
  if (version == 1) {
    /* virtio 1.x 4.2.4: no FEATURES_OK; the used ring at the next QueueAlign boundary */
    q->used = (volatile u32 *)(ring + 4096);
    vw(base, V_GUEST_PAGE_SIZE, 4096);
    vw(base, V_QUEUE_NUM, QSIZE);
    vw(base, V_QUEUE_ALIGN, 4096);
    vw(base, V_QUEUE_PFN, (u32)(ring >> 12));
    CHECK(c + 2, vr(base, V_QUEUE_PFN) == (u32)(ring >> 12));
    vw(base, V_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_DRIVER_OK);
    CHECK(c + 3, vr(base, V_STATUS) == (S_ACKNOWLEDGE | S_DRIVER | S_DRIVER_OK));
  } else {
    vw(base, V_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
    CHECK(c + 4, vr(base, V_STATUS) & S_FEATURES_OK); /* accepted without VERSION_1 */
    q->used = (volatile u32 *)(ring + 4096);
    vq_program(q, base, 0, QSIZE, ring, ring + 16 * QSIZE, ring + 4096);
    vw(base, V_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    CHECK(c + 5, vr(base, V_STATUS) == (S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK));
  }
}

/* Publish the chain at head 0, notify, and wait for it to be used; returns the used length. */
static u32 run_chain(struct vq *q, int c) {
  u16 want = q->used_seen + 1;
  vq_publish(q, 0);
  vq_notify(q);
  u64 n = 0;
  while (vq_used_idx(q) != want) CHECK(c, ++n < SPIN);
  q->used_seen = want;
  CHECK(c + 1, vq_used_id(q, want - 1) == 0);
  CHECK(c + 2, vr(q->base, V_INTERRUPT_STATUS) & INT_USED);
  vw(q->base, V_INTERRUPT_ACK, INT_USED);
  CHECK(c + 3, (vr(q->base, V_INTERRUPT_STATUS) & INT_USED) == 0);
  return vq_used_len(q, want - 1);
}

static void blk_io(struct vq *q, u32 type, u64 lba, int c) {
  blk_header[0] = type;
  blk_header[1] = 0;
  blk_header[2] = (u32)lba;
  blk_header[3] = (u32)(lba >> 32);
  blk_status = 0xff;
  vq_desc(q, 0, (u64)blk_header, 16, D_NEXT, 1);
  vq_desc(q, 1, (u64)sector, 512, D_NEXT | (type == BLK_T_IN ? D_WRITE : 0), 2);
  vq_desc(q, 2, (u64)&blk_status, 1, D_WRITE, 0);
  u32 len = run_chain(q, c);
  CHECK(c + 5, blk_status == 0);
  CHECK(c + 6, len == (type == BLK_T_IN ? 513u : 1u));
}

int main(void) {
  int blk = virtio_find(ID_BLOCK), rng = virtio_find(ID_RNG);
  CHECK(2, blk >= 0);
  CHECK(3, rng >= 0);
  u64 blk_base = VIRTIO_SLOT(blk), rng_base = VIRTIO_SLOT(rng);
  version = vr(blk_base, V_VERSION);
  CHECK(4, (version == 1 || version == 2) && vr(rng_base, V_VERSION) == version);
  struct vq q;

  /* virtio-rng: 64 bytes, not all zero */
  bring_up(&q, rng_base, 0, 10);
  memset_(rng_buf, 0, sizeof rng_buf);
  vq_desc(&q, 0, (u64)rng_buf, sizeof rng_buf, D_WRITE, 0);
  CHECK(20, run_chain(&q, 21) == sizeof rng_buf);
  u8 any = 0;
  for (u32 i = 0; i < sizeof rng_buf; i++) any |= rng_buf[i];
  CHECK(26, any != 0);

  /* virtio-blk: read sector 0, write sector 1, read it back */
  bring_up(&q, blk_base, 1, 30);
  blk_io(&q, BLK_T_IN, 0, 40);
  for (u32 i = 0; i < sizeof MARK - 1; i++) CHECK(50, sector[i] == (u8)MARK[i]);
  memset_(sector, 0, sizeof sector);
  const char *w = "written over virtio-mmio v";
  u32 k = 0;
  while (*w) sector[k++] = (u8)*w++;
  sector[k++] = (u8)('0' + version);
  sector[k++] = '\n';
  blk_io(&q, BLK_T_OUT, 1, 60);
  memset_(sector, 0, sizeof sector);
  blk_io(&q, BLK_T_IN, 1, 70);
  CHECK(80, sector[k - 2] == (u8)('0' + version) && sector[0] == 'w');

  /* a reset forgets the queue */
  vw(blk_base, V_STATUS, 0);
  CHECK(90, vr(blk_base, V_STATUS) == 0);
  vw(blk_base, V_QUEUE_SEL, 0);
  if (version == 1) CHECK(91, vr(blk_base, V_QUEUE_PFN) == 0);
  else CHECK(92, vr(blk_base, V_QUEUE_READY) == 0);

  puts_("virtio-drivers: virtio-mmio version ");
  put_dec(version);
  puts_(": rng ok, blk ok\n");
  return 0;
}
