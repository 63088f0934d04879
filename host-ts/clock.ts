// Guest time. mtime follows the host's monotonic clock while the machine runs and stands
// still while it is paused (as QEMU's virtual clock does); the RTC shows the host's wall
// clock. Alarms only mark themselves due: the run loop fires them between slices, so every
// device change happens at an instruction boundary (and never while paused).
import { TIMEBASE_HZ } from "./timebase.js";
import { now } from "./scheduler.js";

export const TICKS_PER_MS = TIMEBASE_HZ / 1000;
/** setTimeout's largest delay; longer alarms re-arm until they are due. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface GuestClock {
  /** The machine starts or resumes with mtime at `mtime`. */
  resume(mtime: bigint): void;
  /** mtime the guest should see now (never below `current`). */
  mtime(current: bigint): bigint;
  /** The RTC's wall clock, ns since the Unix epoch. */
  wallClockNs(): bigint;
  /** One alarm per owner; null cancels. `onDue` wakes the run loop. */
  scheduleAlarm(owner: object, atNs: bigint | null, callback: () => void): void;
  /** Runs the alarms that are due (between slices). */
  fireDueAlarms(): void;
  /** How long the host may sleep, at most `capMs`, before the next alarm. */
  msUntilNextAlarm(capMs: number): number;
  /** Drops every host timer (the machine stopped). */
  dispose(): void;
}

interface Alarm { atNs: bigint; callback: () => void; due: boolean; timer: ReturnType<typeof setTimeout> | null }

export class RealTimeClock implements GuestClock {
  private originMs = 0;
  private readonly alarms = new Map<object, Alarm>();

  constructor(private readonly onDue: () => void) {}

  resume(mtime: bigint): void {
    this.originMs = now() - Number(mtime) / TICKS_PER_MS;
  }

  mtime(current: bigint): bigint {
    const ticks = BigInt(Math.floor((now() - this.originMs) * TICKS_PER_MS));
    return ticks > current ? ticks : current;
  }

  wallClockNs(): bigint {
    return BigInt(Date.now()) * 1_000_000n;
  }

  scheduleAlarm(owner: object, atNs: bigint | null, callback: () => void): void {
    const old = this.alarms.get(owner);
    if (old?.timer) clearTimeout(old.timer);
    this.alarms.delete(owner);
    if (atNs === null) return;
    const alarm: Alarm = { atNs, callback, due: false, timer: null };
    this.alarms.set(owner, alarm);
    this.arm(alarm);
  }

  private arm(alarm: Alarm): void {
    const ms = Number((alarm.atNs - this.wallClockNs()) / 1_000_000n);
    if (ms <= 0) {
      alarm.due = true;
      this.onDue();
      return;
    }
    alarm.timer = setTimeout(() => {
      alarm.timer = null;
      this.arm(alarm);
    }, Math.min(ms, MAX_TIMEOUT_MS));
  }

  fireDueAlarms(): void {
    for (const [owner, alarm] of this.alarms) {
      if (!alarm.due) continue;
      this.alarms.delete(owner);
      alarm.callback();
    }
  }

  msUntilNextAlarm(capMs: number): number {
    let best = capMs;
    const wall = this.wallClockNs();
    for (const alarm of this.alarms.values()) {
      if (alarm.due) return 0;
      best = Math.min(best, Math.max(0, Number((alarm.atNs - wall) / 1_000_000n)));
    }
    return best;
  }

  dispose(): void {
    for (const alarm of this.alarms.values()) if (alarm.timer) clearTimeout(alarm.timer);
    this.alarms.clear();
  }
}
