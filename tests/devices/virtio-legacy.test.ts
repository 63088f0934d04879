// The legacy (version 1) virtio-mmio transport, as QEMU 7.2's with force-legacy=true:
// virtio 1.x §4.2.4 registers, the legacy ring layout (§2.7.2), and what stays the same.
import { describe, expect, it } from "vitest";
import { REG, STATUS_DEVICE_NEEDS_RESET, VIRTIO_F_EVENT_IDX, VIRTIO_F_INDIRECT_DESC, VIRTIO_MMIO_MAGIC, VIRTIO_MMIO_VENDOR } from "../../devices/virtio/mmio.js";
import { VirtioBlk, VIRTIO_BLK_F_BLK_SIZE, VIRTIO_BLK_F_FLUSH, VIRTIO_BLK_F_SEG_MAX, VIRTIO_BLK_S_OK, VIRTIO_BLK_T_IN } from "../../devices/virtio/blk.js";
import { VirtioRng } from "../../devices/virtio/rng.js";
import { MemoryBlockBackend } from "../../devices/virtio/block-backend.js";
import { bytesEqual } from "./helpers.js";
import { RAM_BASE, TestDriver, type Buf } from "./virtio-driver.js";

const SECTORS = 16;
const disk = () => Uint8Array.from({ length: SECTORS * 512 }, (_, i) => (i * 13 + 5) & 0xff);
const S_ACK = 1, S_DRIVER = 2, S_DRIVER_OK = 4;

function legacyBlk(): TestDriver {
  return new TestDriver(new VirtioBlk({ backend: new MemoryBlockBackend(disk()) }), { legacy: true });
}

/** A legacy driver's bring-up (Linux's virtio_mmio for version 1): the queue at `desc`, used ring at QueueAlign. */
function bringUp(d: TestDriver, o: { num?: number; align?: number; pageSize?: number; features?: number } = {}): void {
  const num = o.num ?? 8, align = o.align ?? 4096, pageSize = o.pageSize ?? 4096;
  d.w(REG.GuestPageSize, pageSize);
  d.w(REG.Status, 0);
  d.w(REG.Status, S_ACK);
  d.w(REG.Status, S_ACK | S_DRIVER);
  d.w(REG.DriverFeaturesSel, 0);
  d.w(REG.DriverFeatures, o.features ?? 0);
  d.w(REG.QueueSel, 0);
  d.qsize = num;
  d.desc = RAM_BASE + 0x4000;
  d.avail = d.desc + 16 * num;
  d.used = Math.ceil((d.avail + 6 + 2 * num) / align) * align;
  d.bytes.fill(0, d.off(d.desc), d.off(d.used) + 8 * num + 6);
  d.w(REG.QueueNum, num);
  d.w(REG.QueueAlign, align);
  d.w(REG.QueuePFN, Math.floor(d.desc / pageSize));
  d.availIdx = 0;
  d.usedSeen = 0;
  d.w(REG.Status, S_ACK | S_DRIVER | S_DRIVER_OK);
}

/** Reads `sector` through the queue; the status byte and the data. */
function readSector(d: TestDriver, sector: number, o: { indirect?: boolean } = {}) {
  const hdr = d.alloc(16), data = d.alloc(512), status = d.alloc(1);
  d.u32(hdr, VIRTIO_BLK_T_IN);
  d.u32(hdr + 4, 0);
  d.u32(hdr + 8, sector);
  d.u32(hdr + 12, 0);
  d.mem(status, 1)[0] = 0xff;
  const bufs: Buf[] = [{ addr: hdr, len: 16 }, { addr: data, len: 512, write: true }, { addr: status, len: 1, write: true }];
  d.publish(d.chain(bufs, o));
  d.notify(0);
  return { used: d.takeUsed(), status: d.mem(status, 1)[0], data: d.mem(data, 512).slice() };
}

describe("virtio-mmio version 1 (legacy)", () => {
  it("identifies itself as version 1 and shows 32 feature bits, VERSION_1 not among them", () => {
    const d = legacyBlk();
    expect(d.r(REG.MagicValue)).toBe(VIRTIO_MMIO_MAGIC);
    expect(d.r(REG.Version)).toBe(1);
    expect(d.r(REG.DeviceID)).toBe(2);
    expect(d.r(REG.VendorID)).toBe(VIRTIO_MMIO_VENDOR);
    d.w(REG.DeviceFeaturesSel, 0);
    const want = VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH | VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX;
    expect(BigInt(d.r(REG.DeviceFeatures))).toBe(want);
    d.w(REG.DeviceFeaturesSel, 1);
    expect(d.r(REG.DeviceFeatures)).toBe(0);
    // version 2's registers are not there
    expect(d.r(REG.QueueReady)).toBe(0);
    expect(d.r(REG.ConfigGeneration)).toBe(0);
    expect(d.r(REG.SHMLenLow)).toBe(0);
    expect(new TestDriver(null, { legacy: true }).r(REG.Version)).toBe(1); // an empty slot too
  });

  it("a queue lives from its QueuePFN write, with the legacy ring layout", () => {
    const d = legacyBlk();
    bringUp(d);
    expect(d.r(REG.QueuePFN)).toBe((RAM_BASE + 0x4000) / 4096);
    expect(d.used).toBe(RAM_BASE + 0x5000); // the next 4 KiB boundary after the avail ring
    const r = readSector(d, 3);
    expect(r.status).toBe(VIRTIO_BLK_S_OK);
    expect(r.used).toEqual([{ id: 0, len: 513 }]);
    expect(bytesEqual(r.data, disk().subarray(3 * 512, 4 * 512))).toBe(true);
    expect(d.ackInterrupt()).toBe(1);
    expect(d.logs).toEqual([]);
    expect(d.guardsIntact()).toBe(true);
  });

  it("QueueAlign places the used ring (64 bytes here), GuestPageSize scales QueuePFN (1 KiB pages here)", () => {
    const d = legacyBlk();
    bringUp(d, { num: 4, align: 64, pageSize: 1024 });
    expect(d.used).toBe(RAM_BASE + 0x4000 + 128); // avail at +64, 6 + 2*4 bytes, then the next 64-byte boundary
    expect(d.r(REG.QueuePFN)).toBe((RAM_BASE + 0x4000) / 1024);
    const r = readSector(d, 1);
    expect(r.status).toBe(VIRTIO_BLK_S_OK);
    expect(bytesEqual(r.data, disk().subarray(512, 1024))).toBe(true);
  });

  it("GuestPageSize outlives the driver's resets (Linux writes it once, at probe)", () => {
    const d = legacyBlk();
    d.w(REG.GuestPageSize, 4096);
    d.w(REG.Status, 0); // the virtio core resets the device after the probe
    d.w(REG.QueueSel, 0);
    d.w(REG.QueueNum, 8);
    d.w(REG.QueuePFN, (RAM_BASE + 0x4000) / 4096);
    d.dev.write(REG.Status, 4, S_ACK | S_DRIVER | S_DRIVER_OK);
    d.qsize = 8;
    d.desc = RAM_BASE + 0x4000;
    d.avail = d.desc + 128;
    d.used = RAM_BASE + 0x5000;
    expect(readSector(d, 0).status).toBe(VIRTIO_BLK_S_OK);
  });

  it("features count from the DriverFeatures write: bits not offered are dropped, ring features apply", () => {
    const d = legacyBlk();
    bringUp(d, { features: 0xffff_ffff });
    const offered = VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH | VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX;
    expect(d.dev.negotiatedFeatures).toBe(offered);
    expect(readSector(d, 2, { indirect: true }).status).toBe(VIRTIO_BLK_S_OK);
    // once running, and in the high word, writes change nothing
    d.w(REG.DriverFeatures, 0);
    d.w(REG.DriverFeaturesSel, 1);
    d.w(REG.DriverFeatures, 1);
    expect(d.dev.negotiatedFeatures).toBe(offered);
  });

  it("an indirect descriptor without VIRTIO_F_INDIRECT_DESC still breaks the protocol", () => {
    const d = legacyBlk();
    bringUp(d, { features: 0 });
    readSector(d, 2, { indirect: true });
    expect(d.r(REG.Status) & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    expect(d.logs).toEqual([expect.stringMatching(/VIRTIO_F_INDIRECT_DESC was not negotiated; device needs reset$/)]);
  });

  it("QueuePFN = 0 stops the queue; Status = 0 forgets it", () => {
    const d = legacyBlk();
    bringUp(d);
    d.w(REG.QueuePFN, 0);
    expect(d.r(REG.QueuePFN)).toBe(0);
    expect(readSector(d, 1).used).toEqual([]); // nothing served
    bringUp(d);
    expect(readSector(d, 1).used).toHaveLength(1);
    d.w(REG.Status, 0);
    expect(d.r(REG.QueuePFN)).toBe(0);
    expect(d.r(REG.Status)).toBe(0);
  });

  it("a queue size that is not a power of two within QueueNumMax: device needs reset, one line", () => {
    for (const num of [0, 3, 512]) {
      const d = legacyBlk();
      d.w(REG.QueueSel, 0);
      expect(d.r(REG.QueueNumMax)).toBe(256);
      d.w(REG.QueueNum, num);
      d.w(REG.QueuePFN, (RAM_BASE + 0x4000) / 4096);
      expect(d.r(REG.Status) & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
      expect(d.logs).toEqual([`virtio2: queue 0: size ${num} is not a power of two in 1..256; device needs reset`]);
    }
  });

  it("rings placed above RAM (PFN << 31 reaches past 4 GiB) are refused, nothing outside RAM touched", () => {
    const d = legacyBlk();
    d.w(REG.GuestPageSize, 0x8000_0000); // shift 31
    d.w(REG.Status, S_ACK | S_DRIVER);
    d.w(REG.QueueSel, 0);
    d.w(REG.QueueNum, 8);
    d.w(REG.QueuePFN, 3); // 0x1_8000_0000
    d.w(REG.Status, S_ACK | S_DRIVER | S_DRIVER_OK);
    d.w(REG.QueueNotify, 0);
    expect(d.r(REG.Status) & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    expect(d.logs).toEqual(["virtio2: queue 0: avail ring at 0x180000080 (+22) is outside guest RAM; device needs reset"]);
    expect(d.guardsIntact()).toBe(true);
  });

  it("saves and restores the page size and the queues' PFNs", () => {
    const d = legacyBlk();
    bringUp(d);
    const state = JSON.parse(JSON.stringify(d.dev.saveState()));
    const e = legacyBlk();
    e.dev.loadState(state);
    expect(e.r(REG.QueuePFN)).toBe((RAM_BASE + 0x4000) / 4096);
    // the restored device serves the driver's next request from the same RAM
    e.bytes.set(d.bytes);
    Object.assign(e, { qsize: d.qsize, desc: d.desc, avail: d.avail, used: d.used, availIdx: d.availIdx, usedSeen: d.usedSeen });
    expect(readSector(e, 5).status).toBe(VIRTIO_BLK_S_OK);
  });

  it("virtio-rng works the same over it", () => {
    const d = new TestDriver(new VirtioRng({ fill: (b) => b.fill(0x5a) }), { legacy: true });
    bringUp(d);
    const buf = d.alloc(32);
    d.publish(d.chain([{ addr: buf, len: 32, write: true }]));
    d.notify(0);
    expect(d.takeUsed()).toEqual([{ id: 0, len: 32 }]);
    expect(d.mem(buf, 32).every((b) => b === 0x5a)).toBe(true);
  });

  it("a state saved by one version does not load into the other", () => {
    const legacy = legacyBlk();
    bringUp(legacy);
    const modern = new TestDriver(new VirtioBlk({ backend: new MemoryBlockBackend(disk()) }));
    expect(() => modern.dev.loadState(legacy.dev.saveState())).toThrow("bad device state: saved by a version 1 transport, this one is version 2");
    expect(() => legacyBlk().dev.loadState(modern.dev.saveState())).toThrow("saved by a version 2 transport, this one is version 1");
  });
});
