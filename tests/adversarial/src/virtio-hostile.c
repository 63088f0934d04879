/* virtio-hostile: a driver that breaks the virtio protocol every way a ring
   can be broken, against the first virtio-blk disk and the entropy device:
   rings and buffers outside RAM, across its end and at the top of the 64-bit
   space, huge and zero lengths, looping chains, indices beyond the queue,
   avail index jumps, bad indirect tables (outside RAM, bad length, nested,
   with NEXT, looping, longer than 1024 descriptors), readable after
   writable, requests without a header, and queue sizes that are zero, not a
   power of two or too large.  Each case must leave the device in
   DEVICE_NEEDS_RESET with a configuration-change interrupt and nothing used;
   after a reset (Status = 0) the device must work again.  Then the requests
   a device must answer with an error status rather than a reset (out of
   range, partial sectors, writes to a read-only disk, unknown types), and
   register writes that must be ignored.
   Run with the default 256 MiB of RAM and one read-only disk of at least
   1 MiB (tests/adversarial.test.ts checks the host's one log line per
   reset).  Exit status = the failing case. */
#include "virtio.h"

#define RAM_END (RAM_BASE + 0x10000000UL)
#define DESC 0x80100000UL
#define AVAIL 0x80101000UL
#define USED 0x80102000UL
#define HDR 0x80103000UL
#define STATUS_BYTE 0x80103100UL
#define BUF 0x80110000UL
#define IND 0x80120000UL /* indirect tables, up to 2000 entries */
#define TOP64 0xfffffffffffffff0UL

extern char _end[];

static u64 base;
static struct vq q;
static int is_blk;

/* A fresh device with queue 0 of (at most) 16 entries set up at DESC/AVAIL/USED. */
static void start_rings(int id, u64 features, u64 desc, u64 avail, u64 used) {
  int slot = virtio_find(id);
  CHECK(240, slot >= 0);
  base = VIRTIO_SLOT(slot);
  is_blk = id == ID_BLOCK;
  CHECK(241, virtio_negotiate(base, F_VERSION_1 | features) & S_FEATURES_OK);
  vw(base, V_QUEUE_SEL, 0);
  u32 num = vr(base, V_QUEUE_NUM_MAX);
  if (num > 16) num = 16;
  memset_((void *)DESC, 0, 0x3000);
  vq_program(&q, base, 0, num, desc, avail, used);
  virtio_go(base);
}

static void start(int id, u64 features) {
  start_rings(id, features, DESC, AVAIL, USED);
  CHECK(242, vr(base, V_STATUS) == (S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK));
}

/* Write a well-formed request into table `t` from entry 0: virtio-blk
   (header, 512-byte IN buffer, status) or virtio-rng (one 64-byte buffer).
   Returns the index of the data buffer's descriptor. */
static u32 good_chain(volatile struct vdesc *t) {
  if (!is_blk) {
    t[0] = (struct vdesc){BUF, 64, D_WRITE, 0};
    return 0;
  }
  volatile u32 *h = (volatile u32 *)HDR;
  h[0] = BLK_T_IN;
  h[1] = 0;
  h[2] = 0;
  h[3] = 0;
  wr8(STATUS_BYTE, 0xff);
  t[0] = (struct vdesc){HDR, 16, D_NEXT, 1};
  t[1] = (struct vdesc){BUF, 512, D_WRITE | D_NEXT, 2};
  t[2] = (struct vdesc){STATUS_BYTE, 1, D_WRITE, 0};
  return 1;
}

static void go(void) {
  vq_publish(&q, 0);
  vq_notify(&q);
}

/* The device broke off: NEEDS_RESET, a configuration-change interrupt, nothing
   used, and a second notify does nothing; then a reset brings it back. */
static void expect_needs_reset(int n) {
  CHECK(n, vr(base, V_STATUS) & S_NEEDS_RESET);
  CHECK(n, vr(base, V_INTERRUPT_STATUS) & INT_CONFIG);
  vq_notify(&q);
  CHECK(n, (vr(base, V_STATUS) & S_NEEDS_RESET) != 0);
  vw(base, V_STATUS, 0);
  CHECK(n, vr(base, V_STATUS) == 0);
  CHECK(n, vr(base, V_INTERRUPT_STATUS) == 0);
}

/* A chain whose data buffer is replaced by (addr, len). */
static void bad_buffer(int n, u64 addr, u32 len) {
  start(is_blk ? ID_BLOCK : ID_RNG, 0);
  u32 d = good_chain(q.desc);
  q.desc[d].addr = addr;
  q.desc[d].len = len;
  go();
  expect_needs_reset(n);
}

/* An indirect descriptor (addr, len, flags) in entry 0 of the ring. */
static void bad_indirect(int n, u64 addr, u32 len, u16 flags) {
  start(is_blk ? ID_BLOCK : ID_RNG, F_INDIRECT_DESC);
  q.desc[0] = (struct vdesc){addr, len, flags, 1};
  go();
  expect_needs_reset(n);
}

/* A queue size the device must refuse at QueueReady. */
static void bad_queue_size(int n, u32 num) {
  int id = is_blk ? ID_BLOCK : ID_RNG;
  base = VIRTIO_SLOT(virtio_find(id));
  CHECK(n, virtio_negotiate(base, F_VERSION_1) & S_FEATURES_OK);
  vw(base, V_QUEUE_SEL, 0);
  vw(base, V_QUEUE_NUM, num);
  vw(base, V_QUEUE_READY, 1);
  CHECK(n, vr(base, V_QUEUE_READY) == 0);
  q.base = base;
  q.index = 0;
  expect_needs_reset(n);
}

/* Every case against one device; case numbers start at `c`. */
static void hostile(int id, int c) {
  is_blk = id == ID_BLOCK;
  int data = is_blk ? 1 : 0; /* index of the data buffer's descriptor */

  /* rings in the wrong places */
  start_rings(id, 0, 0x1000, AVAIL, USED);
  good_chain((volatile struct vdesc *)DESC);
  go();
  expect_needs_reset(c + 0);
  start_rings(id, 0, RAM_END - 16, AVAIL, USED);
  go();
  expect_needs_reset(c + 1);
  start_rings(id, 0, TOP64, AVAIL, USED);
  go();
  expect_needs_reset(c + 2);
  start_rings(id, 0, DESC, 0x40000000, USED); /* DRIVER_OK already looks at the avail ring */
  expect_needs_reset(c + 3);
  start_rings(id, 0, DESC, AVAIL, RAM_END - 8);
  good_chain(q.desc);
  go();
  expect_needs_reset(c + 4);

  /* buffers */
  bad_buffer(c + 5, 0x40000000, 512);
  bad_buffer(c + 6, RAM_END - 256, 512);
  bad_buffer(c + 7, RAM_BASE, 0xffffffff);
  bad_buffer(c + 8, 0xffffffffffffff00UL, 512);
  bad_buffer(c + 9, BUF, 0);

  /* chains */
  u32 last = is_blk ? 2 : 0;
  start(id, 0); /* the last buffer points back at the (writable) data buffer */
  good_chain(q.desc);
  q.desc[last].flags |= D_NEXT;
  q.desc[last].next = data;
  go();
  expect_needs_reset(c + 10);
  start(id, 0); /* next beyond the queue */
  good_chain(q.desc);
  q.desc[data].flags |= D_NEXT;
  q.desc[data].next = q.num + 5;
  go();
  expect_needs_reset(c + 11);
  start(id, 0); /* head beyond the queue */
  good_chain(q.desc);
  vq_publish(&q, q.num);
  vq_notify(&q);
  expect_needs_reset(c + 12);
  start(id, 0); /* avail index jumps by more than the queue size */
  good_chain(q.desc);
  q.avail[1] = q.num + 1;
  vq_notify(&q);
  expect_needs_reset(c + 13);
  start(id, 0); /* a readable buffer after the last writable one */
  good_chain(q.desc);
  q.desc[last].flags |= D_NEXT;
  q.desc[last].next = 3;
  q.desc[3] = (struct vdesc){BUF + 4096, 16, 0, 0};
  go();
  expect_needs_reset(c + 14);

  /* indirect tables */
  start(id, 0); /* not negotiated */
  q.desc[0] = (struct vdesc){IND, 48, D_INDIRECT, 0};
  go();
  expect_needs_reset(c + 15);
  bad_indirect(c + 16, 0x1000, 64, D_INDIRECT);
  bad_indirect(c + 17, RAM_END - 32, 64, D_INDIRECT);
  bad_indirect(c + 18, IND, 40, D_INDIRECT);
  bad_indirect(c + 19, IND, 0, D_INDIRECT);
  good_chain((volatile struct vdesc *)IND);
  bad_indirect(c + 20, IND, 48, D_INDIRECT | D_NEXT);
  volatile struct vdesc *t = (volatile struct vdesc *)IND;
  t[0] = (struct vdesc){IND + 0x1000, 16, D_INDIRECT, 0}; /* nested */
  bad_indirect(c + 21, IND, 16, D_INDIRECT);
  for (u32 i = 0; i < 4; i++) t[i] = (struct vdesc){BUF, 16, D_WRITE | D_NEXT, (u16)((i + 1) % 4)};
  bad_indirect(c + 22, IND, 64, D_INDIRECT); /* a loop inside the table */
  for (u32 i = 0; i < 2000; i++) t[i] = (struct vdesc){BUF, 16, D_WRITE | D_NEXT, (u16)(i + 1)};
  t[1999].flags = D_WRITE;
  bad_indirect(c + 23, IND, 16 * 2000, D_INDIRECT); /* longer than 1024 */

  /* queue sizes */
  u32 max = is_blk ? 256 : 8;
  bad_queue_size(c + 24, 0);
  bad_queue_size(c + 25, 3);
  bad_queue_size(c + 26, max * 2);
  bad_queue_size(c + 27, 0xffffffff);

  if (is_blk) {
    start(id, 0); /* a status byte but no header */
    q.desc[0] = (struct vdesc){STATUS_BYTE, 1, D_WRITE, 0};
    go();
    expect_needs_reset(c + 28);
    start(id, 0); /* a header but nothing writable */
    good_chain(q.desc);
    q.desc[0].flags = 0;
    go();
    expect_needs_reset(c + 29);
  }
}

/* A good request completes with this status byte (virtio-blk) and used length. */
static void expect_served(int n, u8 status, u32 len) {
  u32 spins = 0;
  while (vq_used_idx(&q) == q.used_seen) CHECK(n, ++spins < 100000000);
  CHECK(n, vq_used_id(&q, q.used_seen) == 0);
  CHECK(n, vq_used_len(&q, q.used_seen) == len);
  q.used_seen++;
  if (is_blk) CHECK(n, rd8(STATUS_BYTE) == status);
  CHECK(n, (vr(base, V_STATUS) & S_NEEDS_RESET) == 0);
}

/* Requests that fail with a status, not a reset (virtio-blk), and ignored register writes. */
static void errors_not_resets(int c) {
  is_blk = 1;
  volatile u32 *h = (volatile u32 *)HDR;
  start(ID_BLOCK, 0);
  good_chain(q.desc);
  h[2] = 0xfffffff0; /* sector far beyond the capacity */
  go();
  expect_served(c + 0, 1 /* IOERR */, 1);
  good_chain(q.desc);
  q.desc[1].len = 500; /* not whole sectors */
  go();
  expect_served(c + 1, 1, 1);
  good_chain(q.desc);
  h[0] = BLK_T_OUT; /* a write to the read-only disk */
  q.desc[1].flags = D_NEXT;
  go();
  expect_served(c + 2, 1, 1);
  good_chain(q.desc);
  h[0] = 0x12345; /* unknown type */
  go();
  expect_served(c + 3, 2 /* UNSUPP */, 1);
  good_chain(q.desc); /* and a good one still works */
  go();
  expect_served(c + 4, 0, 513);

  /* register writes that change nothing */
  vw(base, V_QUEUE_NOTIFY, 5); /* no such queue */
  vw(base, V_QUEUE_SEL, 9);
  vw(base, V_QUEUE_NUM, 4);
  vw(base, V_QUEUE_READY, 1);
  vw(base, V_QUEUE_DESC_LOW, 0x1000);
  CHECK(c + 5, vr(base, V_QUEUE_NUM_MAX) == 0);
  CHECK(c + 5, vr(base, V_QUEUE_READY) == 0);
  vw(base, V_QUEUE_SEL, 0);
  vw(base, V_QUEUE_NUM, 2); /* the queue is live: ignored */
  vw(base, V_QUEUE_DESC_LOW, 0x1000);
  vw(base, V_MAGIC, 0);
  vw(base, V_DEVICE_ID, 7);
  vw(base, V_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK | S_NEEDS_RESET);
  CHECK(c + 6, (vr(base, V_STATUS) & S_NEEDS_RESET) == 0); /* the driver cannot set it */
  CHECK(c + 6, vr(base, V_MAGIC) == VIRTIO_MAGIC_VALUE && vr(base, V_DEVICE_ID) == ID_BLOCK);
  good_chain(q.desc);
  go();
  expect_served(c + 7, 0, 513);

  /* features beyond the offer (VIRTIO_F_RING_PACKED, bit 34) are refused; DRIVER_OK
     without FEATURES_OK is ignored (a driver without VERSION_1 is accepted, as QEMU does) */
  vw(base, V_STATUS, 0);
  vw(base, V_STATUS, S_ACKNOWLEDGE | S_DRIVER);
  vw(base, V_DRIVER_FEATURES_SEL, 0);
  vw(base, V_DRIVER_FEATURES, 0);
  vw(base, V_DRIVER_FEATURES_SEL, 1);
  vw(base, V_DRIVER_FEATURES, 1 | 4);
  vw(base, V_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
  CHECK(c + 8, (vr(base, V_STATUS) & S_FEATURES_OK) == 0);
  vw(base, V_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_DRIVER_OK);
  CHECK(c + 9, (vr(base, V_STATUS) & S_DRIVER_OK) == 0);
  vw(base, V_STATUS, 0);
}

int main(void) {
  CHECK(1, (u64)_end <= DESC);
  hostile(ID_BLOCK, 10);
  hostile(ID_RNG, 50);
  errors_not_resets(100);
  return 0;
}
