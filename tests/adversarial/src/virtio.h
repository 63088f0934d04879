/* virtio.h - just enough of a virtio-mmio (version 2) driver for the
   adversarial programs: find a device, negotiate, lay out one split queue and
   put descriptor chains on it (virtio 1.x 2.7, 4.2.2).  Nothing here checks
   what the device does: the programs do. */
#ifndef VIRTIO_H
#define VIRTIO_H
#include "rt.h"

#define VIRTIO_MAGIC_VALUE 0x74726976
enum {
  V_MAGIC = 0x000, V_VERSION = 0x004, V_DEVICE_ID = 0x008, V_VENDOR_ID = 0x00c,
  V_DEVICE_FEATURES = 0x010, V_DEVICE_FEATURES_SEL = 0x014,
  V_DRIVER_FEATURES = 0x020, V_DRIVER_FEATURES_SEL = 0x024,
  V_QUEUE_SEL = 0x030, V_QUEUE_NUM_MAX = 0x034, V_QUEUE_NUM = 0x038, V_QUEUE_READY = 0x044,
  V_QUEUE_NOTIFY = 0x050, V_INTERRUPT_STATUS = 0x060, V_INTERRUPT_ACK = 0x064, V_STATUS = 0x070,
  V_QUEUE_DESC_LOW = 0x080, V_QUEUE_DESC_HIGH = 0x084, V_QUEUE_DRIVER_LOW = 0x090,
  V_QUEUE_DRIVER_HIGH = 0x094, V_QUEUE_DEVICE_LOW = 0x0a0, V_QUEUE_DEVICE_HIGH = 0x0a4,
  V_CONFIG_GENERATION = 0x0fc, V_CONFIG = 0x100,
};
#define S_ACKNOWLEDGE 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8
#define S_NEEDS_RESET 0x40
#define INT_USED 1
#define INT_CONFIG 2

#define F_INDIRECT_DESC (1UL << 28)
#define F_EVENT_IDX (1UL << 29)
#define F_VERSION_1 (1UL << 32)

#define D_NEXT 1
#define D_WRITE 2
#define D_INDIRECT 4

#define ID_BLOCK 2
#define ID_RNG 4

#define BLK_T_IN 0
#define BLK_T_OUT 1
#define BLK_T_FLUSH 4

struct vdesc {
  u64 addr;
  u32 len;
  u16 flags, next;
};

struct vq {
  u64 base;       /* the transport's MMIO window */
  u32 index, num; /* queue index and QueueNum */
  volatile struct vdesc *desc;
  volatile u16 *avail; /* flags, idx, ring[num], used_event */
  volatile u32 *used;  /* flags|idx, then (id, len) pairs; avail_event after */
  u16 avail_idx, used_seen;
};

static inline u32 vr(u64 base, u32 off) { return rd32(base + off); }
static inline void vw(u64 base, u32 off, u32 v) { wr32(base + off, v); }

/* The slot holding the first device with this ID, or -1. */
static inline int virtio_find(u32 device_id) {
  for (int n = 0; n < VIRTIO_SLOTS; n++) {
    u64 b = VIRTIO_SLOT(n);
    if (vr(b, V_MAGIC) == VIRTIO_MAGIC_VALUE && vr(b, V_DEVICE_ID) == device_id) return n;
  }
  return -1;
}

static inline u64 virtio_device_features(u64 base) {
  vw(base, V_DEVICE_FEATURES_SEL, 1);
  u64 hi = vr(base, V_DEVICE_FEATURES);
  vw(base, V_DEVICE_FEATURES_SEL, 0);
  return (hi << 32) | vr(base, V_DEVICE_FEATURES);
}

/* Reset and negotiate `want & offered`; returns the Status register afterwards
   (FEATURES_OK set when accepted).  DRIVER_OK is left to virtio_go(). */
static inline u32 virtio_negotiate(u64 base, u64 want) {
  vw(base, V_STATUS, 0);
  vw(base, V_STATUS, S_ACKNOWLEDGE);
  vw(base, V_STATUS, S_ACKNOWLEDGE | S_DRIVER);
  u64 f = virtio_device_features(base) & want;
  vw(base, V_DRIVER_FEATURES_SEL, 0);
  vw(base, V_DRIVER_FEATURES, (u32)f);
  vw(base, V_DRIVER_FEATURES_SEL, 1);
  vw(base, V_DRIVER_FEATURES, (u32)(f >> 32));
  vw(base, V_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
  return vr(base, V_STATUS);
}

static inline void virtio_go(u64 base) {
  vw(base, V_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

/* Program queue q's registers with these ring addresses and set QueueReady
   (the rings are left as they are: they may lie outside RAM on purpose). */
static inline void vq_program(struct vq *q, u64 base, u32 index, u32 num, u64 desc, u64 avail, u64 used) {
  q->base = base;
  q->index = index;
  q->num = num;
  q->desc = (volatile struct vdesc *)desc;
  q->avail = (volatile u16 *)avail;
  q->used = (volatile u32 *)used;
  q->avail_idx = 0;
  q->used_seen = 0;
  vw(base, V_QUEUE_SEL, index);
  vw(base, V_QUEUE_NUM, num);
  vw(base, V_QUEUE_DESC_LOW, (u32)desc);
  vw(base, V_QUEUE_DESC_HIGH, (u32)(desc >> 32));
  vw(base, V_QUEUE_DRIVER_LOW, (u32)avail);
  vw(base, V_QUEUE_DRIVER_HIGH, (u32)(avail >> 32));
  vw(base, V_QUEUE_DEVICE_LOW, (u32)used);
  vw(base, V_QUEUE_DEVICE_HIGH, (u32)(used >> 32));
  vw(base, V_QUEUE_READY, 1);
}

/* vq_program() over rings in RAM, zeroed first. */
static inline void vq_setup(struct vq *q, u64 base, u32 index, u32 num, u64 desc, u64 avail, u64 used) {
  memset_((void *)desc, 0, 16UL * num);
  memset_((void *)avail, 0, 6 + 2UL * num);
  memset_((void *)used, 0, 6 + 8UL * num);
  vq_program(q, base, index, num, desc, avail, used);
}

static inline void vq_desc(struct vq *q, u32 i, u64 addr, u32 len, u16 flags, u16 next) {
  q->desc[i].addr = addr;
  q->desc[i].len = len;
  q->desc[i].flags = flags;
  q->desc[i].next = next;
}

/* Make the chain at head available (the index is published after the entry). */
static inline void vq_publish(struct vq *q, u16 head) {
  q->avail[2 + q->avail_idx % q->num] = head;
  fence();
  q->avail_idx++;
  q->avail[1] = q->avail_idx;
  fence();
}

static inline void vq_notify(struct vq *q) { vw(q->base, V_QUEUE_NOTIFY, q->index); }

static inline u16 vq_used_idx(struct vq *q) {
  fence();
  return (u16)(q->used[0] >> 16);
}

/* Used ring entry i (mod num): id and len. */
static inline u32 vq_used_id(struct vq *q, u16 i) { return q->used[1 + 2 * (i % q->num)]; }
static inline u32 vq_used_len(struct vq *q, u16 i) { return q->used[2 + 2 * (i % q->num)]; }

/* used_event (avail ring's last field) and avail_event (used ring's last field). */
static inline void vq_set_used_event(struct vq *q, u16 v) { q->avail[2 + q->num] = v; fence(); }
static inline u16 vq_avail_event(struct vq *q) { fence(); return *(volatile u16 *)((u64)q->used + 4 + 8UL * q->num); }

#endif
