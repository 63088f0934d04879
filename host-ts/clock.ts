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

/** Deterministic time: what `deterministic` (--deterministic) asks for. */
export interface DeterministicTime {
  /** Each instruction is 2^shift ns of guest time (QEMU's -icount shift=N). */
  shift: number;
  /** The RTC's wall clock at mtime 0, in ms since the Unix epoch. */
  epochMs: number;
}

/**
 * Time as the instruction count (QEMU's -icount): mtime advances 2^shift ns per retired
 * instruction, and when every hart waits the clock jumps to the next timer or alarm instead
 * of waiting for it. The RTC shows `epochMs` plus mtime. Nothing here reads the host's clock,
 * so the same inputs give the same run.
 */
export class InstructionClock implements GuestClock {
  /** Ticks skipped while every hart waited. */
  private warp = 0n;
  private readonly alarms = new Map<object, { atNs: bigint; callback: () => void }>();

  constructor(private readonly time: DeterministicTime, private readonly retired: () => bigint, private readonly currentMtime: () => bigint) {}

  resume(): void {}

  mtime(current: bigint): bigint {
    const ticks = ((this.retired() << BigInt(this.time.shift)) / 100n) + this.warp;
    return ticks > current ? ticks : current;
  }

  wallClockNs(): bigint {
    return BigInt(this.time.epochMs) * 1_000_000n + this.currentMtime() * 100n;
  }

  scheduleAlarm(owner: object, atNs: bigint | null, callback: () => void): void {
    if (atNs === null) this.alarms.delete(owner);
    else this.alarms.set(owner, { atNs, callback });
  }

  fireDueAlarms(): void {
    const wall = this.wallClockNs();
    for (const [owner, alarm] of this.alarms) {
      if (alarm.atNs > wall) continue;
      this.alarms.delete(owner);
      alarm.callback();
    }
  }

  msUntilNextAlarm(capMs: number): number {
    return capMs;
  }

  /** The mtime of the earliest alarm, or null. */
  nextAlarmTicks(): bigint | null {
    let best: bigint | null = null;
    const epochNs = BigInt(this.time.epochMs) * 1_000_000n;
    for (const a of this.alarms.values()) {
      const t = (a.atNs - epochNs + 99n) / 100n;
      if (best === null || t < best) best = t;
    }
    return best;
  }

  /** Every hart waits: guest time jumps to `ticks`. */
  skipTo(ticks: bigint): void {
    const now = this.mtime(0n);
    if (ticks > now) this.warp += ticks - now;
  }

  save(): { warp: string } {
    return { warp: this.warp.toString() };
  }

  load(state: { warp: string }): void {
    this.warp = BigInt(state.warp);
  }

  dispose(): void {
    this.alarms.clear();
  }
}
