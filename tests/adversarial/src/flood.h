/* flood.h - a guest that asks one virtio device for far more work than a host
   step may do: 16 chains, each asking for 2 GiB (two 1 GiB buffers over the
   same top gigabyte of a 2 GiB RAM; virtio-blk: an IN request of 4 Mi
   sectors from sector 0), keeping the queue full until all 16 are used.
   Run with -m 2G (and for blk a 2 GiB drive, read-only is fine) and
   --timeout: done naively this is about 32 GiB of copying in one notify,
   seconds past the deadline; the host must stop at the deadline (exit 124).
   Exits 0 when all 16 complete with the right used length. */
#include "virtio.h"

#define CHAINS 16
#define GIB (1UL << 30)
#define DATA (RAM_BASE + GIB) /* the top gigabyte of 2 GiB */

static struct vdesc ring_desc[256] __attribute__((aligned(4096)));
static u16 ring_avail[3 + 256] __attribute__((aligned(4096)));
static u32 ring_used[2 + 2 * 256 + 1] __attribute__((aligned(4096)));
static u8 headers[CHAINS][16] __attribute__((aligned(16)));
static u8 status[CHAINS];

static int flood(u32 device_id) {
  int slot = virtio_find(device_id);
  CHECK(1, slot >= 0);
  u64 base = VIRTIO_SLOT(slot);
  CHECK(2, virtio_negotiate(base, F_VERSION_1) & S_FEATURES_OK);
  vw(base, V_QUEUE_SEL, 0);
  u32 num = vr(base, V_QUEUE_NUM_MAX);
  if (num > 256) num = 256;
  struct vq q;
  vq_setup(&q, base, 0, num, (u64)ring_desc, (u64)ring_avail, (u64)ring_used);
  virtio_go(base);
  int blk = device_id == ID_BLOCK;
  u32 per_chain = blk ? 4 : 2;
  u32 slots = num / per_chain; /* chains in flight at once */
  u32 submitted = 0, done = 0;
  while (done < CHAINS) {
    while (submitted < CHAINS && submitted - done < slots) {
      u32 c = submitted, d = (c % slots) * per_chain, i = d;
      if (blk) {
        u32 *h = (u32 *)headers[c];
        h[0] = BLK_T_IN;
        h[1] = 0;
        h[2] = 0; /* sector 0 */
        h[3] = 0;
        status[c] = 0xff;
        vq_desc(&q, i, (u64)headers[c], 16, D_NEXT, i + 1);
        i++;
      }
      vq_desc(&q, i, DATA, GIB, D_WRITE | D_NEXT, i + 1);
      i++;
      vq_desc(&q, i, DATA, GIB, D_WRITE | (blk ? D_NEXT : 0), blk ? i + 1 : 0);
      if (blk) {
        i++;
        vq_desc(&q, i, (u64)&status[c], 1, D_WRITE, 0);
      }
      vq_publish(&q, d);
      vq_notify(&q);
      submitted++;
    }
    while (vq_used_idx(&q) == q.used_seen) {
    }
    u32 len = vq_used_len(&q, q.used_seen);
    CHECK(3, len == (blk ? 2 * GIB + 1 : 2 * GIB));
    if (blk) CHECK(4, status[done] == 0);
    q.used_seen++;
    done++;
  }
  CHECK(5, (vr(base, V_STATUS) & S_NEEDS_RESET) == 0);
  return 0;
}
