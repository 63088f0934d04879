// virtio-mmio transport (virtio 1.x §4.2.2), as QEMU 7.2's virtio-mmio-bus slots: version 2
// by default, or the legacy version 1 layout (§4.2.4; QEMU's force-legacy=true, which is
// QEMU's own default) with `legacy`. A device model plugs in through VirtioDeviceModel;
// `device: null` is an empty slot (DeviceID 0), which the driver skips.
//
// Version 2 offers VIRTIO_F_VERSION_1 and, like QEMU, also accepts a driver that does not
// take it: the rings and the devices work the same for it. Accepting a feature that was not
// offered still leaves FEATURES_OK clear. Version 1 has no FEATURES_OK: the driver's
// features count from its write (bits not offered are dropped, as QEMU drops them), and a
// queue lives from its QueuePFN write at GuestPageSize granularity, its used ring at the
// next QueueAlign boundary after the avail ring (§2.7.2 legacy layout).
//
// When the driver breaks the protocol the transport sets DEVICE_NEEDS_RESET, raises a
// configuration-change interrupt, logs one line and does nothing more with the queues
// until the driver resets the device (Status = 0). No exception escapes.
//
// Work is bounded per host step (budget.ts): a notify does what is left of the step's
// budget; whatever the guest asked beyond it waits, as plain data on the queues, for
// continueDeferred(), which the run loop calls after every core slice (and it must not
// let the machine idle while hasDeferredWork() is true).
import type { Device, DeviceState, FdtContext, GuestRam, IrqLine, Log } from "../device.js";
import { fdtName, fdtReg, requireIrq, stateBool, stateNumber } from "../device.js";
import type { FdtNode } from "../../images/fdt.js";
import { newQueueState, Virtqueue, VirtioError, type Job, type QueueState, type RingFeatures } from "./queue.js";
import { WorkBudget } from "./budget.js";

export const VIRTIO_MMIO_MAGIC = 0x74726976; // "virt"
export const VIRTIO_MMIO_VENDOR = 0x554d4551; // "QEMU"

export const VIRTIO_F_INDIRECT_DESC = 1n << 28n;
export const VIRTIO_F_EVENT_IDX = 1n << 29n;
export const VIRTIO_F_VERSION_1 = 1n << 32n;
/** Features the transport offers for every device. */
export const TRANSPORT_FEATURES = VIRTIO_F_VERSION_1 | VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX;

export const STATUS_ACKNOWLEDGE = 1;
export const STATUS_DRIVER = 2;
export const STATUS_DRIVER_OK = 4;
export const STATUS_FEATURES_OK = 8;
export const STATUS_DEVICE_NEEDS_RESET = 0x40;
export const STATUS_FAILED = 0x80;

export const INT_USED_BUFFER = 1;
export const INT_CONFIG_CHANGE = 2;

// Register offsets
export const REG = {
  MagicValue: 0x000,
  Version: 0x004,
  DeviceID: 0x008,
  VendorID: 0x00c,
  DeviceFeatures: 0x010,
  DeviceFeaturesSel: 0x014,
  DriverFeatures: 0x020,
  DriverFeaturesSel: 0x024,
  QueueSel: 0x030,
  GuestPageSize: 0x028, // legacy
  QueueNumMax: 0x034,
  QueueNum: 0x038,
  QueueAlign: 0x03c, // legacy
  QueuePFN: 0x040, // legacy
  QueueReady: 0x044,
  QueueNotify: 0x050,
  InterruptStatus: 0x060,
  InterruptACK: 0x064,
  Status: 0x070,
  QueueDescLow: 0x080,
  QueueDescHigh: 0x084,
  QueueDriverLow: 0x090,
  QueueDriverHigh: 0x094,
  QueueDeviceLow: 0x0a0,
  QueueDeviceHigh: 0x0a4,
  SHMSel: 0x0ac,
  SHMLenLow: 0x0b0,
  SHMLenHigh: 0x0b4,
  SHMBaseLow: 0x0b8,
  SHMBaseHigh: 0x0bc,
  ConfigGeneration: 0x0fc,
  Config: 0x100,
} as const;

/** The device-specific half of a virtio device. */
export interface VirtioDeviceModel {
  /** Virtio device ID (1 net, 2 block, 3 console, 4 entropy, 9 9p). */
  readonly deviceId: number;
  /** Device feature bits; the transport adds TRANSPORT_FEATURES. */
  readonly features: bigint;
  /** QueueNumMax of each queue (powers of two); the length is the number of queues. */
  readonly queueSizes: readonly number[];
  /** The configuration space as it is now (little-endian fields). */
  config(): Uint8Array;
  /** A driver write into the configuration space; ignored when absent. */
  writeConfig?(offset: number, size: 1 | 2 | 4, value: number): void;
  /** Told the accepted features when the driver sets FEATURES_OK. */
  setDriverFeatures?(features: bigint): void;
  /**
   * Handle the buffers the driver made available on a queue (queue.current() and
   * complete(), or pop() and push()), spending the budget on the work done and stopping
   * once it is exhausted: the transport calls again in a later step, and anything the
   * device must remember in between lives in queue.state.job. Throw VirtioError when
   * the driver broke the protocol (the transport then sets DEVICE_NEEDS_RESET); any
   * other exception is treated the same way.
   */
  process(queueIndex: number, queue: Virtqueue, budget: WorkBudget): void;
  reset(): void;
  saveState(): DeviceState;
  loadState(state: DeviceState): void;
}

export interface VirtioMmioOptions {
  ram: GuestRam;
  irq: IrqLine;
  /** The device in this slot, or null for an empty slot. */
  device: VirtioDeviceModel | null;
  /** Where the one line about a driver error goes. */
  log: Log;
  name?: string;
  /** The legacy (version 1) register layout (QEMU's -global virtio-mmio.force-legacy=true). */
  legacy?: boolean;
}

const U32 = 0xffff_ffffn;
/** A legacy queue's used-ring alignment until the driver writes QueueAlign (QEMU's VIRTIO_PCI_VRING_ALIGN). */
const LEGACY_DEFAULT_ALIGN = 4096;

/** A legacy queue's location as the driver wrote it. */
interface LegacyQueue { pfn: number; align: number }

export class VirtioMmio implements Device {
  readonly name: string;
  readonly device: VirtioDeviceModel | null;
  private readonly ram: GuestRam;
  private readonly irq: IrqLine;
  private readonly log: Log;
  private readonly offered: bigint;
  readonly legacy: boolean;

  private status = 0;
  private deviceFeaturesSel = 0;
  private driverFeaturesSel = 0;
  private driverFeatures = 0n;
  private queueSel = 0;
  private interruptStatus = 0;
  private configGeneration = 0;
  private irqLevel = false;
  private ringFeatures: RingFeatures = { indirect: false, eventIdx: false };
  private queues: Virtqueue[] = [];
  /** Legacy: log2 of GuestPageSize (QEMU keeps it across the driver's resets) and each queue's PFN and alignment. */
  private pageShift = 0;
  private legacyQueues: LegacyQueue[] = [];
  /** What is left of this host step's work (refilled by continueDeferred). */
  private readonly credit = new WorkBudget();

  constructor(opts: VirtioMmioOptions) {
    this.ram = opts.ram;
    this.irq = opts.irq;
    this.device = opts.device;
    this.log = opts.log;
    this.name = opts.name ?? (opts.device ? `virtio${opts.device.deviceId}` : "virtio-empty");
    this.legacy = opts.legacy === true;
    // Version 1 shows 32 feature bits; VERSION_1 (bit 32) is not among them.
    this.offered = opts.device ? (opts.device.features | TRANSPORT_FEATURES) & (this.legacy ? U32 : ~0n) : 0n;
    this.resetTransport();
  }

  /** Features the driver accepted (valid once FEATURES_OK is set; legacy: as written). */
  get negotiatedFeatures(): bigint {
    return this.legacy || this.status & STATUS_FEATURES_OK ? this.driverFeatures : 0n;
  }

  /** Current Status register (tests, debugging). */
  get deviceStatus(): number {
    return this.status;
  }

  /**
   * Process a queue now, within what is left of this step's budget (also for device
   * models whose work arrives from the host side).
   */
  processQueue(index: number): void {
    if (!this.active()) return;
    const q = this.queues[index];
    if (!q || !q.state.ready) return;
    try {
      this.device!.process(index, q, this.credit);
      q.state.pending = this.credit.exhausted; // it stopped for lack of budget: continue later
      if (q.shouldInterrupt()) this.raise(INT_USED_BUFFER);
    } catch (e) {
      q.state.pending = false;
      this.fail(e);
    }
  }

  /** Whether work the guest asked for waits for continueDeferred(). */
  hasDeferredWork(): boolean {
    return this.active() && this.queues.some((q) => q.state.ready && q.state.pending);
  }

  /**
   * A new host step: refill the work budget and continue what earlier steps left. The
   * run loop calls this after every core slice; one call costs at most one step's budget.
   */
  continueDeferred(): void {
    this.credit.refill();
    if (!this.active()) return;
    for (let i = 0; i < this.queues.length && !this.credit.exhausted; i++) {
      if (this.queues[i].state.pending) this.processQueue(i);
    }
  }

  /** The device's configuration changed: bump ConfigGeneration and tell the driver. */
  notifyConfigChange(): void {
    this.configGeneration = (this.configGeneration + 1) >>> 0;
    if (this.status & STATUS_DRIVER_OK) this.raise(INT_CONFIG_CHANGE);
  }

  /** Put the device in DEVICE_NEEDS_RESET (once), with one log line. */
  fail(reason: unknown): void {
    if (this.status & STATUS_DEVICE_NEEDS_RESET) return;
    const msg = reason instanceof VirtioError ? reason.message : `internal error: ${reason instanceof Error ? reason.message : String(reason)}`;
    this.status |= STATUS_DEVICE_NEEDS_RESET;
    this.log(`${this.name}: ${msg}; device needs reset`);
    this.raise(INT_CONFIG_CHANGE);
  }

  read(offset: number, size: 1 | 2 | 4): number {
    if (offset >= REG.Config) return this.readConfig(offset - REG.Config, size);
    if (size !== 4 || offset & 3) return 0;
    switch (offset) {
      case REG.MagicValue:
        return VIRTIO_MMIO_MAGIC;
      case REG.Version:
        return this.legacy ? 1 : 2;
      case REG.DeviceID:
        return this.device?.deviceId ?? 0;
      case REG.VendorID:
        return VIRTIO_MMIO_VENDOR;
    }
    if (!this.device) return 0;
    if (this.legacy) return this.readLegacy(offset);
    switch (offset) {
      case REG.DeviceFeatures:
        return this.deviceFeaturesSel < 2 ? Number((this.offered >> BigInt(32 * this.deviceFeaturesSel)) & U32) : 0;
      case REG.QueueNumMax:
        return this.device.queueSizes[this.queueSel] ?? 0;
      case REG.QueueReady:
        return this.queues[this.queueSel]?.state.ready ? 1 : 0;
      case REG.InterruptStatus:
        return this.interruptStatus;
      case REG.Status:
        return this.status;
      case REG.SHMLenLow:
      case REG.SHMLenHigh:
      case REG.SHMBaseLow:
      case REG.SHMBaseHigh:
        return 0xffff_ffff; // no shared memory regions
      case REG.ConfigGeneration:
        return this.configGeneration;
      default:
        return 0;
    }
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    if (!this.device) return;
    if (offset >= REG.Config) {
      if (!(this.status & STATUS_DEVICE_NEEDS_RESET)) this.device.writeConfig?.(offset - REG.Config, size, value);
      return;
    }
    if (size !== 4 || offset & 3) return;
    value >>>= 0;
    switch (offset) { // the same in both layouts
      case REG.QueueNotify:
        this.processQueue(value & 0xffff);
        return;
      case REG.InterruptACK:
        this.interruptStatus &= ~value;
        this.updateIrq();
        return;
      case REG.Status:
        this.writeStatus(value & 0xff);
        return;
    }
    if (this.legacy) {
      this.writeLegacy(offset, value);
      return;
    }
    const q = this.queues[this.queueSel];
    const qs = q?.state;
    const ringWritable = qs !== undefined && !qs.ready;
    switch (offset) {
      case REG.DeviceFeaturesSel:
        this.deviceFeaturesSel = value;
        return;
      case REG.DriverFeaturesSel:
        this.driverFeaturesSel = value;
        return;
      case REG.DriverFeatures:
        if (this.status & STATUS_FEATURES_OK || this.driverFeaturesSel > 1) return;
        {
          const shift = BigInt(32 * this.driverFeaturesSel);
          this.driverFeatures = (this.driverFeatures & ~(U32 << shift)) | (BigInt(value) << shift);
        }
        return;
      case REG.QueueSel:
        this.queueSel = value;
        return;
      case REG.QueueNum:
        if (ringWritable) qs.num = value;
        return;
      case REG.QueueReady:
        if (!qs) return;
        if (value & 1) {
          if (qs.ready) return;
          const max = this.device.queueSizes[this.queueSel];
          if (qs.num < 1 || qs.num > max || (qs.num & (qs.num - 1)) !== 0) {
            this.fail(new VirtioError(`queue ${this.queueSel}: size ${qs.num} is not a power of two in 1..${max}`));
            return;
          }
          qs.lastAvail = 0;
          qs.usedIdx = 0;
          qs.signalledUsed = 0;
          qs.dirty = false;
          qs.pending = false;
          qs.job = null;
          qs.ready = true;
        } else {
          qs.ready = false;
        }
        return;
      case REG.QueueDescLow:
        if (ringWritable) qs.descLo = value;
        return;
      case REG.QueueDescHigh:
        if (ringWritable) qs.descHi = value;
        return;
      case REG.QueueDriverLow:
        if (ringWritable) qs.driverLo = value;
        return;
      case REG.QueueDriverHigh:
        if (ringWritable) qs.driverHi = value;
        return;
      case REG.QueueDeviceLow:
        if (ringWritable) qs.deviceLo = value;
        return;
      case REG.QueueDeviceHigh:
        if (ringWritable) qs.deviceHi = value;
        return;
    }
  }

  reset(): void {
    this.pageShift = 0;
    this.resetTransport();
  }

  saveState(): DeviceState {
    return {
      status: this.status,
      deviceFeaturesSel: this.deviceFeaturesSel,
      driverFeaturesSel: this.driverFeaturesSel,
      driverFeatures: this.driverFeatures.toString(),
      queueSel: this.queueSel,
      interruptStatus: this.interruptStatus,
      configGeneration: this.configGeneration,
      queues: this.queues.map((q) => ({ ...q.state, job: q.state.job ? { ...q.state.job } : null })),
      device: this.device ? this.device.saveState() : null,
      ...(this.legacy ? { legacy: true, pageShift: this.pageShift, legacyQueues: this.legacyQueues.map((l) => ({ ...l })) } : {}),
    };
  }

  loadState(s: DeviceState): void {
    const savedLegacy = s.legacy === undefined ? false : stateBool(s, "legacy");
    if (savedLegacy !== this.legacy) throw new Error(`bad device state: saved by a version ${savedLegacy ? 1 : 2} transport, this one is version ${this.legacy ? 1 : 2}`);
    this.status = stateNumber(s, "status") & 0xff;
    this.deviceFeaturesSel = stateNumber(s, "deviceFeaturesSel") >>> 0;
    this.driverFeaturesSel = stateNumber(s, "driverFeaturesSel") >>> 0;
    if (typeof s.driverFeatures !== "string" || !/^\d+$/.test(s.driverFeatures)) {
      throw new Error("bad device state: driverFeatures is not an integer string");
    }
    this.driverFeatures = BigInt(s.driverFeatures);
    this.queueSel = stateNumber(s, "queueSel") >>> 0;
    this.interruptStatus = stateNumber(s, "interruptStatus") & 3;
    this.configGeneration = stateNumber(s, "configGeneration") >>> 0;
    const qs = s.queues;
    const sizes = this.device?.queueSizes ?? [];
    if (!Array.isArray(qs) || qs.length !== sizes.length) throw new Error(`bad device state: expected ${sizes.length} queue(s)`);
    this.ringFeatures = this.ringFeaturesOf(this.negotiatedFeatures);
    this.queues = qs.map((raw, i) => {
      const r = raw as DeviceState;
      const st: QueueState = {
        num: stateNumber(r, "num") >>> 0,
        ready: stateBool(r, "ready"),
        descLo: stateNumber(r, "descLo") >>> 0,
        descHi: stateNumber(r, "descHi") >>> 0,
        driverLo: stateNumber(r, "driverLo") >>> 0,
        driverHi: stateNumber(r, "driverHi") >>> 0,
        deviceLo: stateNumber(r, "deviceLo") >>> 0,
        deviceHi: stateNumber(r, "deviceHi") >>> 0,
        lastAvail: stateNumber(r, "lastAvail") & 0xffff,
        usedIdx: stateNumber(r, "usedIdx") & 0xffff,
        signalledUsed: stateNumber(r, "signalledUsed") & 0xffff,
        dirty: stateBool(r, "dirty"),
        pending: r.pending === undefined ? false : stateBool(r, "pending"),
        job: jobOf(r.job, i),
      };
      if (st.ready && (st.num < 1 || st.num > sizes[i] || (st.num & (st.num - 1)) !== 0)) {
        throw new Error(`bad device state: queue ${i} size ${st.num}`);
      }
      if (st.job && st.job.head >= st.num) throw new Error(`bad device state: queue ${i} job head ${st.job.head}`);
      return new Virtqueue(i, this.ram, st, this.ringFeatures);
    });
    if (this.legacy) this.loadLegacyState(s, sizes.length);
    if (this.device) {
      if (typeof s.device !== "object" || s.device === null) throw new Error("bad device state: device state missing");
      this.device.loadState(s.device as DeviceState);
    }
    this.irqLevel = this.interruptStatus === 0;
    this.updateIrq();
  }

  fdtNode(ctx: FdtContext): FdtNode {
    return {
      name: fdtName("virtio_mmio", ctx.base),
      props: {
        interrupts: requireIrq(ctx, this.name),
        "interrupt-parent": ctx.plicPhandle,
        reg: fdtReg(ctx.base, ctx.size),
        compatible: "virtio,mmio",
      },
    };
  }

  // ---- internals ----

  /** A device that is running: DRIVER_OK, and not waiting for a reset. */
  private active(): boolean {
    return this.device !== null && (this.status & STATUS_DRIVER_OK) !== 0 && (this.status & STATUS_DEVICE_NEEDS_RESET) === 0;
  }

  private resetTransport(): void {
    this.status = 0;
    this.deviceFeaturesSel = 0;
    this.driverFeaturesSel = 0;
    this.driverFeatures = 0n;
    this.queueSel = 0;
    this.interruptStatus = 0;
    this.ringFeatures = { indirect: false, eventIdx: false };
    this.queues = (this.device?.queueSizes ?? []).map((max, i) => new Virtqueue(i, this.ram, newQueueState(max), this.ringFeatures));
    this.legacyQueues = this.queues.map(() => ({ pfn: 0, align: LEGACY_DEFAULT_ALIGN }));
    this.device?.reset();
    this.updateIrq();
  }

  private ringFeaturesOf(f: bigint): RingFeatures {
    return { indirect: (f & VIRTIO_F_INDIRECT_DESC) !== 0n, eventIdx: (f & VIRTIO_F_EVENT_IDX) !== 0n };
  }

  private writeStatus(value: number): void {
    if (value === 0) {
      this.resetTransport();
      return;
    }
    const device = this.device!;
    const before = this.status;
    // DEVICE_NEEDS_RESET belongs to the device; the driver cannot clear bits but by reset.
    let next = (value & ~STATUS_DEVICE_NEEDS_RESET) | (before & STATUS_DEVICE_NEEDS_RESET);
    if (!this.legacy && next & STATUS_FEATURES_OK && !(before & STATUS_FEATURES_OK)) {
      const f = this.driverFeatures;
      // Without VERSION_1 too (QEMU's virtio-mmio takes such a driver; nothing here depends on it).
      if ((f & ~this.offered) !== 0n) {
        next &= ~STATUS_FEATURES_OK; // refused: the driver sees FEATURES_OK clear
      } else {
        this.acceptFeatures(device, f);
      }
    }
    if (!this.legacy && next & STATUS_DRIVER_OK && !(next & STATUS_FEATURES_OK)) next &= ~STATUS_DRIVER_OK;
    this.status = next;
    if (next & STATUS_DRIVER_OK && !(before & STATUS_DRIVER_OK)) {
      for (let i = 0; i < this.queues.length; i++) this.processQueue(i);
    }
  }

  private acceptFeatures(device: VirtioDeviceModel, f: bigint): void {
    const rf = this.ringFeaturesOf(f);
    this.ringFeatures.indirect = rf.indirect; // shared with every Virtqueue
    this.ringFeatures.eventIdx = rf.eventIdx;
    device.setDriverFeatures?.(f);
  }

  // ---- the legacy (version 1) registers ----

  private readLegacy(offset: number): number {
    switch (offset) {
      case REG.DeviceFeatures:
        return this.deviceFeaturesSel === 0 ? Number(this.offered & U32) : 0;
      case REG.QueueNumMax:
        return this.device!.queueSizes[this.queueSel] ?? 0;
      case REG.QueuePFN:
        return this.legacyQueues[this.queueSel]?.pfn ?? 0;
      case REG.InterruptStatus:
        return this.interruptStatus;
      case REG.Status:
        return this.status;
      default:
        return 0; // write-only, version 2 only, or no register
    }
  }

  private writeLegacy(offset: number, value: number): void {
    const device = this.device!;
    const i = this.queueSel;
    const lq = this.legacyQueues[i];
    switch (offset) {
      case REG.DeviceFeaturesSel:
        this.deviceFeaturesSel = value;
        return;
      case REG.DriverFeaturesSel:
        this.driverFeaturesSel = value;
        return;
      case REG.DriverFeatures:
        // Only the low 32 bits exist; once the driver is running its features stay as they are.
        if (this.driverFeaturesSel !== 0 || this.status & STATUS_DRIVER_OK) return;
        this.driverFeatures = BigInt(value) & this.offered;
        this.acceptFeatures(device, this.driverFeatures);
        return;
      case REG.GuestPageSize: {
        const shift = value === 0 ? 32 : 31 - Math.clz32(value & -value); // QEMU: ctz32, 0 above 31
        this.pageShift = shift > 31 ? 0 : shift;
        return;
      }
      case REG.QueueSel:
        this.queueSel = value;
        return;
      case REG.QueueNum:
        if (!lq) return;
        this.queues[i].state.num = value;
        this.placeLegacyQueue(i);
        return;
      case REG.QueueAlign:
        if (!lq || value === 0) return; // QEMU ignores a zero alignment
        lq.align = value;
        this.placeLegacyQueue(i);
        return;
      case REG.QueuePFN:
        if (!lq) return;
        lq.pfn = value;
        this.placeLegacyQueue(i);
        return;
    }
  }

  /**
   * A legacy queue after a write to its QueueNum, QueueAlign or QueuePFN: live while its
   * PFN is not zero (the driver writes zero when it stops using it), rings laid out from
   * there. Going live starts it from the beginning, as QueueReady does in version 2.
   */
  private placeLegacyQueue(i: number): void {
    const st = this.queues[i].state;
    const { pfn, align } = this.legacyQueues[i];
    if (pfn === 0) {
      st.ready = false;
      st.pending = false;
      st.job = null;
      return;
    }
    const max = this.device!.queueSizes[i];
    if (st.num < 1 || st.num > max || (st.num & (st.num - 1)) !== 0) {
      this.fail(new VirtioError(`queue ${i}: size ${st.num} is not a power of two in 1..${max}`));
      return;
    }
    const desc = BigInt(pfn) << BigInt(this.pageShift);
    const avail = desc + 16n * BigInt(st.num);
    const usedUnaligned = avail + 6n + 2n * BigInt(st.num); // flags, idx, ring[num], used_event
    const a = BigInt(align);
    const used = ((usedUnaligned + a - 1n) / a) * a;
    [st.descLo, st.descHi] = halves(desc);
    [st.driverLo, st.driverHi] = halves(avail);
    [st.deviceLo, st.deviceHi] = halves(used);
    if (!st.ready) {
      st.lastAvail = 0;
      st.usedIdx = 0;
      st.signalledUsed = 0;
      st.dirty = false;
      st.pending = false;
      st.job = null;
      st.ready = true;
    }
  }

  private loadLegacyState(s: DeviceState, queues: number): void {
    // Absent from snapshots of machines made before the legacy transport existed: defaults.
    this.pageShift = s.pageShift === undefined ? 0 : stateNumber(s, "pageShift") & 31;
    const raw = s.legacyQueues === undefined ? [] : s.legacyQueues;
    if (!Array.isArray(raw)) throw new Error("bad device state: legacyQueues is not a list");
    this.legacyQueues = Array.from({ length: queues }, (_, i) => {
      const q = raw[i] as DeviceState | undefined;
      return q === undefined ? { pfn: 0, align: LEGACY_DEFAULT_ALIGN } : { pfn: stateNumber(q, "pfn") >>> 0, align: stateNumber(q, "align") >>> 0 || LEGACY_DEFAULT_ALIGN };
    });
  }

  private readConfig(offset: number, size: 1 | 2 | 4): number {
    if (!this.device) return 0;
    const cfg = this.device.config();
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + (cfg[offset + i] ?? 0);
    return v >>> 0;
  }

  private raise(bits: number): void {
    this.interruptStatus |= bits;
    this.updateIrq();
  }

  private updateIrq(): void {
    const level = this.interruptStatus !== 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.irq(level);
    }
  }
}

/** The low and high 32 bits of an address (a legacy ring can lie above 4 GiB: PFN << up to 31). */
function halves(addr: bigint): [number, number] {
  return [Number(addr & U32), Number((addr >> 32n) & U32)];
}

/** A saved Job: null, or an object of finite numbers with an integer head. */
function jobOf(raw: unknown, queue: number): Job | null {
  if (raw === undefined || raw === null) return null;
  const bad = () => new Error(`bad device state: queue ${queue} job is not a record of numbers`);
  if (typeof raw !== "object" || Array.isArray(raw)) throw bad();
  const job = { ...(raw as Record<string, unknown>) };
  if (!Object.values(job).every((v) => typeof v === "number" && Number.isFinite(v))) throw bad();
  if (!Number.isInteger(job.head) || (job.head as number) < 0) throw bad();
  return job as Job;
}
