import { describe, expect, it } from "vitest";
import { REG, STATUS_DEVICE_NEEDS_RESET, VIRTIO_F_EVENT_IDX, VIRTIO_F_INDIRECT_DESC, VIRTIO_F_VERSION_1, VIRTIO_MMIO_MAGIC, VIRTIO_MMIO_VENDOR } from "../../devices/virtio/mmio.js";
import {
  VirtioBlk,
  VIRTIO_BLK_F_BLK_SIZE,
  VIRTIO_BLK_F_FLUSH,
  VIRTIO_BLK_F_RO,
  VIRTIO_BLK_F_SEG_MAX,
  VIRTIO_BLK_S_IOERR,
  VIRTIO_BLK_S_OK,
  VIRTIO_BLK_S_UNSUPP,
  VIRTIO_BLK_T_FLUSH,
  VIRTIO_BLK_T_GET_ID,
  VIRTIO_BLK_T_IN,
  VIRTIO_BLK_T_OUT,
} from "../../devices/virtio/blk.js";
import { MemoryBlockBackend } from "../../devices/virtio/block-backend.js";
import { bytesEqual } from "./helpers.js";
import { DESC_F_NEXT, DESC_F_WRITE, RAM_BASE, RAM_SIZE, TestDriver, type Buf } from "./virtio-driver.js";

const DISK_SECTORS = 64;

function pattern(len: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: len }, (_, i) => (i * 7 + seed) & 0xff);
}

class SpyBackend extends MemoryBlockBackend {
  flushes = 0;
  override flush(): void {
    this.flushes++;
  }
}

function setup(opts: { readonly?: boolean; serial?: string; want?: bigint } = {}) {
  const backend = new SpyBackend(pattern(DISK_SECTORS * 512, 1));
  const blk = new VirtioBlk({ backend, readonly: opts.readonly, serial: opts.serial ?? "hartvm-disk-0" });
  const d = new TestDriver(blk);
  const features = d.init(opts.want ?? ~0n);
  return { d, backend, blk, features };
}

interface ReqOpts {
  data?: Uint8Array; // OUT payload
  inLen?: number; // IN / GET_ID data length
  split?: boolean; // split data over two descriptors (and the header over two)
  indirect?: boolean;
}

/** Submit one virtio-blk request and let the device process it. */
function request(d: TestDriver, type: number, sector: number, o: ReqOpts = {}) {
  const hdr = d.alloc(16);
  d.u32(hdr, type);
  d.u32(hdr + 4, 0);
  d.u32(hdr + 8, sector >>> 0);
  d.u32(hdr + 12, Math.floor(sector / 2 ** 32));
  const bufs: Buf[] = o.split ? [{ addr: hdr, len: 8 }, { addr: hdr + 8, len: 8 }] : [{ addr: hdr, len: 16 }];
  let dataAddr = 0;
  const dataLen = o.data?.length ?? o.inLen ?? 0;
  if (dataLen > 0) {
    dataAddr = d.alloc(dataLen);
    if (o.data) d.mem(dataAddr, dataLen).set(o.data);
    else d.mem(dataAddr, dataLen).fill(0xee);
    const write = !o.data;
    if (o.split && dataLen > 1) {
      const half = Math.floor(dataLen / 2) + 3; // deliberately not sector-aligned
      bufs.push({ addr: dataAddr, len: half, write }, { addr: dataAddr + half, len: dataLen - half, write });
    } else {
      bufs.push({ addr: dataAddr, len: dataLen, write });
    }
  }
  const status = d.alloc(1);
  d.mem(status, 1)[0] = 0xff;
  bufs.push({ addr: status, len: 1, write: true });
  const head = d.chain(bufs, { indirect: o.indirect });
  d.publish(head);
  d.notify(0);
  const used = d.takeUsed();
  return {
    head,
    used,
    status: d.mem(status, 1)[0],
    data: dataLen ? d.mem(dataAddr, dataLen).slice() : new Uint8Array(0),
  };
}

describe("virtio-mmio + virtio-blk", () => {
  it("identifies itself like QEMU and offers the expected features", () => {
    const backend = new MemoryBlockBackend(DISK_SECTORS * 512);
    const d = new TestDriver(new VirtioBlk({ backend }));
    expect(d.r(REG.MagicValue)).toBe(VIRTIO_MMIO_MAGIC);
    expect(d.r(REG.Version)).toBe(2);
    expect(d.r(REG.DeviceID)).toBe(2);
    expect(d.r(REG.VendorID)).toBe(VIRTIO_MMIO_VENDOR);
    d.w(REG.DeviceFeaturesSel, 0);
    const lo = BigInt(d.r(REG.DeviceFeatures));
    d.w(REG.DeviceFeaturesSel, 1);
    const hi = BigInt(d.r(REG.DeviceFeatures));
    const f = (hi << 32n) | lo;
    for (const bit of [VIRTIO_F_VERSION_1, VIRTIO_BLK_F_FLUSH, VIRTIO_BLK_F_BLK_SIZE, VIRTIO_BLK_F_SEG_MAX, VIRTIO_F_INDIRECT_DESC, VIRTIO_F_EVENT_IDX]) {
      expect(f & bit).toBe(bit);
    }
    expect(f & VIRTIO_BLK_F_RO).toBe(0n);
    d.w(REG.DeviceFeaturesSel, 2);
    expect(d.r(REG.DeviceFeatures)).toBe(0);
    d.w(REG.QueueSel, 0);
    expect(d.r(REG.QueueNumMax)).toBe(256);
    d.w(REG.QueueSel, 1);
    expect(d.r(REG.QueueNumMax)).toBe(0);
    // config: capacity (u64), seg_max, blk_size
    expect(d.dev.read(0x100, 4)).toBe(DISK_SECTORS);
    expect(d.dev.read(0x104, 4)).toBe(0);
    expect(d.dev.read(0x100 + 12, 4)).toBe(254);
    expect(d.dev.read(0x100 + 20, 4)).toBe(512);
    expect(d.dev.read(0x100 + 20, 2)).toBe(512);
    expect(d.dev.read(0x100 + 21, 1)).toBe(2);
    expect(d.r(REG.ConfigGeneration)).toBe(0);
    expect(d.r(REG.SHMLenLow)).toBe(0xffffffff);
  });

  it("accepts a driver without VIRTIO_F_VERSION_1 (as QEMU 7.2's virtio-mmio), refuses unoffered bits", () => {
    const backend = new MemoryBlockBackend(pattern(DISK_SECTORS * 512, 3));
    const d = new TestDriver(new VirtioBlk({ backend }));
    expect(d.init(~VIRTIO_F_VERSION_1)).not.toBeNull();
    expect(d.r(REG.Status)).toBe(1 | 2 | 4 | 8);
    expect(d.dev.negotiatedFeatures & VIRTIO_F_VERSION_1).toBe(0n);
    const r = request(d, VIRTIO_BLK_T_IN, 2, { inLen: 512 });
    expect(r.status).toBe(VIRTIO_BLK_S_OK);
    expect(bytesEqual(r.data!, pattern(DISK_SECTORS * 512, 3).subarray(1024, 1536))).toBe(true);
    // a driver that asks for more than offered
    d.w(REG.Status, 0);
    d.w(REG.Status, 3);
    d.w(REG.DriverFeaturesSel, 1);
    d.w(REG.DriverFeatures, 1 | 2); // VERSION_1 and bit 33 (not offered)
    d.w(REG.Status, 3 | 8);
    expect(d.r(REG.Status) & 8).toBe(0);
    // and a good driver afterwards
    expect(d.init()).not.toBeNull();
    expect(d.dev.negotiatedFeatures & VIRTIO_F_VERSION_1).toBe(VIRTIO_F_VERSION_1);
    expect(d.r(REG.Status)).toBe(1 | 2 | 4 | 8);
  });

  for (const variant of [{}, { split: true }, { indirect: true }, { split: true, indirect: true }] as ReqOpts[]) {
    it(`reads, writes, flushes and gets the id ${JSON.stringify(variant)}`, () => {
      const { d, backend } = setup();
      // IN: sectors 3..4
      const rd = request(d, VIRTIO_BLK_T_IN, 3, { ...variant, inLen: 1024 });
      expect(rd.status).toBe(VIRTIO_BLK_S_OK);
      expect(bytesEqual(rd.data, backend.bytes.slice(3 * 512, 5 * 512))).toBe(true);
      expect(rd.used).toEqual([{ id: rd.head, len: 1025 }]);
      expect(d.irq.level()).toBe(true);
      expect(d.ackInterrupt()).toBe(1);
      expect(d.irq.level()).toBe(false);
      // OUT: sector 10
      const payload = pattern(512, 99);
      const wr = request(d, VIRTIO_BLK_T_OUT, 10, { ...variant, data: payload });
      expect(wr.status).toBe(VIRTIO_BLK_S_OK);
      expect(wr.used).toEqual([{ id: wr.head, len: 1 }]);
      expect(bytesEqual(backend.bytes.slice(10 * 512, 11 * 512), payload)).toBe(true);
      // read back through the device
      expect(bytesEqual(request(d, VIRTIO_BLK_T_IN, 10, { ...variant, inLen: 512 }).data, payload)).toBe(true);
      // FLUSH
      const fl = request(d, VIRTIO_BLK_T_FLUSH, 0, variant);
      expect(fl.status).toBe(VIRTIO_BLK_S_OK);
      expect(backend.flushes).toBe(1);
      // GET_ID
      const id = request(d, VIRTIO_BLK_T_GET_ID, 0, { ...variant, inLen: 20 });
      expect(id.status).toBe(VIRTIO_BLK_S_OK);
      expect(new TextDecoder().decode(id.data).replace(/\0+$/, "")).toBe("hartvm-disk-0");
      expect(id.data.slice(13)).toEqual(new Uint8Array(7));
      expect(id.used[0].len).toBe(21);
      expect(d.logs).toEqual([]);
      expect(d.guardsIntact()).toBe(true);
    });
  }

  it("answers IOERR out of range or for partial sectors, UNSUPP for unknown types", () => {
    const { d, backend } = setup();
    const before = backend.bytes.slice();
    expect(request(d, VIRTIO_BLK_T_IN, DISK_SECTORS, { inLen: 512 }).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(request(d, VIRTIO_BLK_T_IN, DISK_SECTORS - 1, { inLen: 1024 }).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(request(d, VIRTIO_BLK_T_IN, DISK_SECTORS - 1, { inLen: 512 }).status).toBe(VIRTIO_BLK_S_OK);
    expect(request(d, VIRTIO_BLK_T_IN, 2 ** 40, { inLen: 512 }).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(request(d, VIRTIO_BLK_T_OUT, DISK_SECTORS, { data: pattern(512, 3) }).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(request(d, VIRTIO_BLK_T_OUT, 0, { data: pattern(100, 3) }).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(request(d, VIRTIO_BLK_T_IN, 0, { inLen: 100 }).status).toBe(VIRTIO_BLK_S_IOERR);
    const unsupp = request(d, 11 /* DISCARD, not offered */, 0, { data: new Uint8Array(16) });
    expect(unsupp.status).toBe(VIRTIO_BLK_S_UNSUPP);
    expect(unsupp.used[0].len).toBe(1);
    expect(bytesEqual(backend.bytes, before)).toBe(true);
    expect(d.r(REG.Status) & STATUS_DEVICE_NEEDS_RESET).toBe(0);
  });

  it("is read-only when asked: offers VIRTIO_BLK_F_RO and fails writes with IOERR", () => {
    const { d, backend, features } = setup({ readonly: true });
    expect(features! & VIRTIO_BLK_F_RO).toBe(VIRTIO_BLK_F_RO);
    const before = backend.bytes.slice();
    expect(request(d, VIRTIO_BLK_T_OUT, 0, { data: pattern(512, 5) }).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(bytesEqual(backend.bytes, before)).toBe(true);
    expect(bytesEqual(request(d, VIRTIO_BLK_T_IN, 0, { inLen: 512 }).data, before.slice(0, 512))).toBe(true);
    expect(request(d, VIRTIO_BLK_T_FLUSH, 0).status).toBe(VIRTIO_BLK_S_OK);
    // the backend's own flag is honoured too
    const ro = new VirtioBlk({ backend: new MemoryBlockBackend(512, { readonly: true }) });
    expect(ro.features & VIRTIO_BLK_F_RO).toBe(VIRTIO_BLK_F_RO);
  });

  it("turns backend failures into IOERR with a log line", () => {
    const backend = new MemoryBlockBackend(4096);
    backend.read = () => {
      throw new Error("disk on fire");
    };
    const logs: string[] = [];
    const d = new TestDriver(new VirtioBlk({ backend, log: (m) => logs.push(m) }));
    d.init();
    expect(request(d, VIRTIO_BLK_T_IN, 0, { inLen: 512 }).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(logs).toEqual(["virtio-blk: read failed: disk on fire"]);
  });

  it("honours VIRTQ_AVAIL_F_NO_INTERRUPT without EVENT_IDX", () => {
    const { d } = setup({ want: ~VIRTIO_F_EVENT_IDX });
    d.u16(d.avail, 1); // NO_INTERRUPT
    const r = request(d, VIRTIO_BLK_T_IN, 0, { inLen: 512 });
    expect(r.used).toHaveLength(1);
    expect(d.r(REG.InterruptStatus)).toBe(0);
    expect(d.irq.level()).toBe(false);
    d.u16(d.avail, 0);
    request(d, VIRTIO_BLK_T_IN, 0, { inLen: 512 });
    expect(d.r(REG.InterruptStatus)).toBe(1);
  });

  it("uses used_event / avail_event with VIRTIO_F_EVENT_IDX", () => {
    const { d, features } = setup();
    expect(features! & VIRTIO_F_EVENT_IDX).toBe(VIRTIO_F_EVENT_IDX);
    const usedEvent = d.avail + 4 + 2 * d.qsize;
    const availEvent = d.used + 4 + 8 * d.qsize;
    d.u16(usedEvent, 5); // interrupt only once used idx passes 5
    for (let i = 0; i < 5; i++) {
      request(d, VIRTIO_BLK_T_IN, 0, { inLen: 512 });
      expect(d.r(REG.InterruptStatus)).toBe(0);
      expect(d.u16(availEvent)).toBe(i + 1); // device asks to be notified at the next buffer
    }
    request(d, VIRTIO_BLK_T_IN, 0, { inLen: 512 }); // used idx 5 -> 6 crosses used_event 5
    expect(d.r(REG.InterruptStatus)).toBe(1);
    d.ackInterrupt();
    // several chains in one notify: one interrupt decision
    d.u16(usedEvent, 6);
    const heads = [0, 1, 2].map(() => {
      const h = d.chain([{ addr: d.alloc(16), len: 16 }, { addr: d.alloc(512), len: 512, write: true }, { addr: d.alloc(1), len: 1, write: true }]);
      d.publish(h);
      return h;
    });
    d.notify();
    expect(d.takeUsed().map((u) => u.id)).toEqual(heads);
    expect(d.r(REG.InterruptStatus)).toBe(1);
  });

  it("saves and restores mid-stream", () => {
    const { d, backend } = setup();
    request(d, VIRTIO_BLK_T_IN, 1, { inLen: 512 });
    const state = JSON.parse(JSON.stringify(d.dev.saveState()));
    // a second transport over the same RAM and disk continues where the first left off
    const d2 = new TestDriver(new VirtioBlk({ backend }));
    d2.bytes.set(d.bytes);
    d2.dev.loadState(state);
    d2.qsize = d.qsize;
    d2.availIdx = d.availIdx;
    d2.usedSeen = d.usedSeen;
    expect(d2.irq.level()).toBe(true); // interrupt status 1 was pending
    const r = request(d2, VIRTIO_BLK_T_IN, 2, { inLen: 512 });
    expect(r.status).toBe(VIRTIO_BLK_S_OK);
    expect(bytesEqual(r.data, backend.bytes.slice(1024, 1536))).toBe(true);
    expect(d2.usedIdx()).toBe(2);
  });

  it("is an empty slot with device null", () => {
    const d = new TestDriver(null);
    expect(d.r(REG.MagicValue)).toBe(VIRTIO_MMIO_MAGIC);
    expect(d.r(REG.Version)).toBe(2);
    expect(d.r(REG.DeviceID)).toBe(0);
    d.w(REG.Status, 1);
    expect(d.r(REG.Status)).toBe(0);
    expect(d.dev.fdtNode({ base: 0x1000_1000, size: 0x1000, irq: 1, plicPhandle: 3 })).toEqual({
      name: "virtio_mmio@10001000",
      props: { interrupts: 1, "interrupt-parent": 3, reg: [0, 0x10001000, 0, 0x1000], compatible: "virtio,mmio" },
    });
    expect(JSON.parse(JSON.stringify(d.dev.saveState())).device).toBeNull();
  });
});

describe("virtio driver errors -> DEVICE_NEEDS_RESET", () => {
  const header = (d: TestDriver) => {
    const h = d.alloc(16);
    d.u32(h, VIRTIO_BLK_T_IN);
    return h;
  };

  /** Each case breaks the protocol in one way, then publishes and notifies. */
  const cases: [string, (d: TestDriver) => void, RegExp][] = [
    ["buffer address outside RAM", (d) => {
      d.publish(d.chain([{ addr: header(d), len: 16 }, { addr: 0x1000, len: 512, write: true }, { addr: d.alloc(1), len: 1, write: true }]));
    }, /buffer at 0x1000 \(\+512\) is outside guest RAM/],
    ["buffer straddling the end of RAM", (d) => {
      d.publish(d.chain([{ addr: header(d), len: 16 }, { addr: RAM_BASE + RAM_SIZE - 256, len: 512, write: true }, { addr: d.alloc(1), len: 1, write: true }]));
    }, /outside guest RAM/],
    ["buffer above 4 GiB", (d) => {
      d.publish(d.chain([{ addr: header(d), len: 16 }, { addr: 2 ** 40 + RAM_BASE, len: 512, write: true }, { addr: d.alloc(1), len: 1, write: true }]));
    }, /outside guest RAM/],
    ["chain loop", (d) => {
      const h = header(d);
      d.writeDesc(d.desc, 0, h, 16, DESC_F_NEXT, 1);
      d.writeDesc(d.desc, 1, h, 16, DESC_F_NEXT, 0);
      d.publish(0);
    }, /loops/],
    ["zero-length buffer", (d) => {
      d.publish(d.chain([{ addr: header(d), len: 16 }, { addr: d.alloc(512), len: 0, write: true }, { addr: d.alloc(1), len: 1, write: true }]));
    }, /zero-length buffer/],
    ["avail ring head beyond queue size", (d) => {
      d.publish(d.qsize + 3);
    }, /avail ring entry \d+ is beyond the queue size/],
    ["next index beyond queue size", (d) => {
      d.writeDesc(d.desc, 0, header(d), 16, DESC_F_NEXT, 60000);
      d.publish(0);
    }, /descriptor 60000 is beyond the queue size/],
    ["avail index jumping past the queue size", (d) => {
      d.u16(d.avail + 2, (d.availIdx + d.qsize + 1) & 0xffff);
    }, /avail index moved from 1 to 258, more than the queue size 256/],
    ["readable after writable", (d) => {
      d.publish(d.chain([{ addr: header(d), len: 16 }, { addr: d.alloc(1), len: 1, write: true }, { addr: d.alloc(16), len: 16 }]));
    }, /device-readable buffer after a device-writable one/],
    ["missing request header", (d) => {
      d.publish(d.chain([{ addr: d.alloc(8), len: 8 }, { addr: d.alloc(1), len: 1, write: true }]));
    }, /lacks its 16-byte header/],
    ["missing status byte", (d) => {
      d.publish(d.chain([{ addr: header(d), len: 16 }]));
    }, /lacks its 16-byte header or status byte/],
    ["bad indirect table length", (d) => {
      d.writeDesc(d.desc, 0, d.alloc(64), 20, 4, 0);
      d.publish(0);
    }, /indirect table length 20/],
    ["indirect table outside RAM", (d) => {
      d.writeDesc(d.desc, 0, 0x100, 32, 4, 0);
      d.publish(0);
    }, /indirect table at 0x100 .* outside guest RAM/],
    ["nested indirect", (d) => {
      const t = d.alloc(32);
      d.writeDesc(t, 0, d.alloc(32), 32, 4, 0);
      d.writeDesc(d.desc, 0, t, 16, 4, 0);
      d.publish(0);
    }, /nested indirect/],
    ["indirect table loop", (d) => {
      const t = d.alloc(32);
      d.writeDesc(t, 0, header(d), 16, DESC_F_NEXT, 1);
      d.writeDesc(t, 1, header(d), 16, DESC_F_NEXT | DESC_F_WRITE, 0);
      d.writeDesc(d.desc, 0, t, 32, 4, 0);
      d.publish(0);
    }, /loops/],
    ["descriptor table outside RAM", (d) => {
      d.w(REG.Status, 0);
      d.init();
      // re-point the (not yet ready) queue: reset, then set it up with a bad table
      d.w(REG.Status, 0);
      d.w(REG.Status, 1 | 2);
      d.w(REG.DriverFeaturesSel, 1);
      d.w(REG.DriverFeatures, 1);
      d.w(REG.Status, 1 | 2 | 8);
      d.w(REG.QueueSel, 0);
      d.w(REG.QueueDescLow, RAM_BASE + RAM_SIZE - 16);
      d.w(REG.QueueDriverLow, d.avail);
      d.w(REG.QueueDeviceLow, d.used);
      d.w(REG.QueueReady, 1);
      d.w(REG.Status, 1 | 2 | 8 | 4);
      d.u16(d.avail + 4, 0);
      d.u16(d.avail + 2, 1);
    }, /descriptor table at 0x801ffff0 .* outside guest RAM/],
  ];

  for (const [what, breakIt, re] of cases) {
    it(`${what}: needs reset, one log line, no exception; works again after reset`, () => {
      const { d, backend } = setup();
      // one good request first
      expect(request(d, VIRTIO_BLK_T_IN, 0, { inLen: 512 }).status).toBe(VIRTIO_BLK_S_OK);
      d.ackInterrupt();
      const usedBefore = d.usedIdx();
      const diskBefore = backend.bytes.slice();
      breakIt(d);
      expect(() => d.notify()).not.toThrow();
      expect(d.r(REG.Status) & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
      expect(d.r(REG.InterruptStatus) & 2).toBe(2);
      expect(d.irq.level()).toBe(true);
      expect(d.logs).toHaveLength(1);
      expect(d.logs[0]).toMatch(re);
      expect(d.logs[0]).toMatch(/device needs reset$/);
      // nothing more happens until reset, however often the driver notifies
      d.ackInterrupt();
      request(d, VIRTIO_BLK_T_IN, 0, { inLen: 512 });
      d.notify();
      expect(d.logs).toHaveLength(1);
      expect(d.usedIdx() === usedBefore || what.startsWith("descriptor table")).toBe(true);
      expect(d.r(REG.InterruptStatus)).toBe(0);
      expect(d.r(REG.Status) & 4).toBe(4); // the driver's bits stay; NEEDS_RESET too
      d.w(REG.Status, d.r(REG.Status) & ~STATUS_DEVICE_NEEDS_RESET); // the driver cannot clear it
      expect(d.r(REG.Status) & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
      expect(bytesEqual(backend.bytes, diskBefore)).toBe(true);
      expect(d.guardsIntact()).toBe(true);
      // reset and it works again
      d.w(REG.Status, 0);
      expect(d.r(REG.Status)).toBe(0);
      expect(d.irq.level()).toBe(false);
      expect(d.init()).not.toBeNull();
      const r = request(d, VIRTIO_BLK_T_IN, 2, { inLen: 512 });
      expect(r.status).toBe(VIRTIO_BLK_S_OK);
      expect(bytesEqual(r.data, backend.bytes.slice(1024, 1536))).toBe(true);
      expect(d.logs).toHaveLength(1);
    });
  }

  it("rejects a queue size that is not a power of two at QueueReady", () => {
    const backend = new MemoryBlockBackend(4096);
    const d = new TestDriver(new VirtioBlk({ backend }));
    d.w(REG.Status, 1 | 2);
    d.w(REG.DriverFeaturesSel, 1);
    d.w(REG.DriverFeatures, 1);
    d.w(REG.Status, 1 | 2 | 8);
    d.w(REG.QueueSel, 0);
    d.w(REG.QueueNum, 100);
    d.w(REG.QueueReady, 1);
    expect(d.r(REG.QueueReady)).toBe(0);
    expect(d.r(REG.Status) & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    expect(d.logs).toEqual(["virtio2: queue 0: size 100 is not a power of two in 1..256; device needs reset"]);
  });

  it("catches an exception from a device model", () => {
    const d = new TestDriver({
      deviceId: 42,
      features: 0n,
      queueSizes: [4],
      config: () => new Uint8Array(0),
      process: () => {
        throw new TypeError("oops");
      },
      reset: () => {},
      saveState: () => ({}),
      loadState: () => {},
    });
    d.init();
    d.publish(d.chain([{ addr: d.alloc(4), len: 4 }]));
    expect(() => d.notify()).not.toThrow();
    expect(d.logs).toEqual(["virtio42: internal error: oops; device needs reset"]);
  });
});
