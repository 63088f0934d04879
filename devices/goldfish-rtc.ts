// Goldfish RTC as on QEMU virt (hw/rtc/goldfish_rtc.c): a 64-bit nanosecond clock read
// as TIME_LOW (which latches the high half) then TIME_HIGH, and one alarm raising the IRQ.
// Guest time = host clock + offset; guest writes to TIME move the offset. The alarm is
// armed by writing ALARM_LOW (after ALARM_HIGH), through the host's single-alarm service.
import type { Device, DeviceState, FdtContext, IrqLine } from "./device.js";
import { fdtName, fdtReg, requireIrq, stateBool, stateNumber, stateString } from "./device.js";
import type { FdtNode } from "../images/fdt.js";

export interface GoldfishRtcOptions {
  irq: IrqLine;
  /** Host clock: nanoseconds since the Unix epoch. */
  now: () => bigint;
  /**
   * Arrange for `callback` to run once the host clock reaches atNs (replacing any alarm
   * this device set before); null cancels.
   */
  schedule: (atNs: bigint | null, callback: () => void) => void;
  name?: string;
}

const TIME_LOW = 0x00;
const TIME_HIGH = 0x04;
const ALARM_LOW = 0x08;
const ALARM_HIGH = 0x0c;
const IRQ_ENABLED = 0x10;
const CLEAR_ALARM = 0x14;
const ALARM_STATUS = 0x18;
const CLEAR_INTERRUPT = 0x1c;

const M32 = 0xffff_ffffn;
const M64 = 0xffff_ffff_ffff_ffffn;

export class GoldfishRtc implements Device {
  readonly name: string;
  private readonly irq: IrqLine;
  private readonly now: () => bigint;
  private readonly schedule: (atNs: bigint | null, callback: () => void) => void;

  private offset = 0n; // guest time - host time
  private alarmNext = 0n; // guest time of the alarm
  private alarmRunning = false;
  private irqEnabled = false;
  private irqPending = false;
  private timeHigh = 0;
  private irqLevel = false;
  /** Bumped whenever the scheduled alarm changes, so a stale callback does nothing. */
  private generation = 0;

  constructor(opts: GoldfishRtcOptions) {
    this.irq = opts.irq;
    this.now = opts.now;
    this.schedule = opts.schedule;
    this.name = opts.name ?? "rtc";
  }

  /** Guest time in ns (64-bit wrap-around). */
  guestTime(): bigint {
    return (this.now() + this.offset) & M64;
  }

  read(offset: number, size: 1 | 2 | 4): number {
    if (size !== 4) return 0;
    switch (offset) {
      case TIME_LOW: {
        const t = this.guestTime();
        this.timeHigh = Number(t >> 32n);
        return Number(t & M32);
      }
      case TIME_HIGH:
        return this.timeHigh;
      case ALARM_LOW:
        return Number(this.alarmNext & M32);
      case ALARM_HIGH:
        return Number(this.alarmNext >> 32n);
      case IRQ_ENABLED:
        return this.irqEnabled ? 1 : 0;
      case ALARM_STATUS:
        return this.alarmRunning ? 1 : 0;
      default:
        return 0;
    }
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    if (size !== 4) return;
    const v = BigInt(value >>> 0);
    switch (offset) {
      case TIME_LOW:
      case TIME_HIGH: {
        const cur = this.guestTime();
        const next = offset === TIME_LOW ? (cur & ~M32 & M64) | v : (cur & M32) | (v << 32n);
        this.offset = (this.offset + next - cur) & M64;
        if (this.alarmRunning) this.armAlarm(); // the alarm is in guest time: re-aim it
        return;
      }
      case ALARM_LOW:
        this.alarmNext = (this.alarmNext & (M32 << 32n)) | v;
        this.armAlarm();
        return;
      case ALARM_HIGH:
        this.alarmNext = (this.alarmNext & M32) | (v << 32n);
        return;
      case IRQ_ENABLED:
        this.irqEnabled = (value & 1) !== 0;
        this.updateIrq();
        return;
      case CLEAR_ALARM:
        this.cancelAlarm();
        return;
      case CLEAR_INTERRUPT:
        this.irqPending = false;
        this.updateIrq();
        return;
    }
  }

  reset(): void {
    this.cancelAlarm();
    this.offset = 0n;
    this.alarmNext = 0n;
    this.irqEnabled = false;
    this.irqPending = false;
    this.timeHigh = 0;
    this.updateIrq();
  }

  saveState(): DeviceState {
    return {
      offset: this.offset.toString(),
      alarmNext: this.alarmNext.toString(),
      alarmRunning: this.alarmRunning,
      irqEnabled: this.irqEnabled,
      irqPending: this.irqPending,
      timeHigh: this.timeHigh,
    };
  }

  loadState(s: DeviceState): void {
    const big = (key: string): bigint => {
      try {
        return BigInt(stateString(s, key)) & M64;
      } catch {
        throw new Error(`bad device state: ${key} is not an integer string`);
      }
    };
    this.offset = big("offset");
    this.alarmNext = big("alarmNext");
    this.irqEnabled = stateBool(s, "irqEnabled");
    this.irqPending = stateBool(s, "irqPending");
    this.timeHigh = stateNumber(s, "timeHigh") >>> 0;
    if (stateBool(s, "alarmRunning")) this.armAlarm();
    else this.cancelAlarm();
    this.irqLevel = !(this.irqEnabled && this.irqPending);
    this.updateIrq();
  }

  fdtNode(ctx: FdtContext): FdtNode {
    return {
      name: fdtName("rtc", ctx.base),
      props: {
        interrupts: requireIrq(ctx, this.name),
        "interrupt-parent": ctx.plicPhandle,
        reg: fdtReg(ctx.base, ctx.size),
        compatible: "google,goldfish-rtc",
      },
    };
  }

  // ---- internals ----

  private armAlarm(): void {
    const gen = ++this.generation;
    if (this.alarmNext <= this.guestTime()) {
      // Already due (QEMU does the same): no timer, the interrupt is pending at once.
      this.alarmRunning = false;
      this.schedule(null, () => {});
      this.irqPending = true;
      this.updateIrq();
      return;
    }
    this.alarmRunning = true;
    this.schedule((this.alarmNext - this.offset) & M64, () => {
      if (gen !== this.generation || !this.alarmRunning) return;
      this.alarmRunning = false;
      this.irqPending = true;
      this.updateIrq();
    });
  }

  private cancelAlarm(): void {
    this.generation++;
    if (this.alarmRunning) this.schedule(null, () => {});
    this.alarmRunning = false;
  }

  private updateIrq(): void {
    const level = this.irqEnabled && this.irqPending;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.irq(level);
    }
  }
}
