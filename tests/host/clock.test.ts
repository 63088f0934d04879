// Guest time on the host: RTC alarms far in the future neither fire at once nor trip
// setTimeout's 2^31 ms limit (Node warns and fires after 1 ms); mtime stands still while
// the machine does not run.
import { describe, it, expect, vi, afterEach } from "vitest";
import { RealTimeClock, InstructionClock } from "../../host-ts/clock.js";

afterEach(() => { vi.useRealTimers(); });

describe("RealTimeClock alarms", () => {
  it("an alarm 2^32 ms ahead is not due, and no timer longer than 2^31 - 1 ms is asked for", () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const delays: number[] = [];
    const real = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
      delays.push(ms ?? 0);
      return real(fn, ms);
    }) as typeof setTimeout);
    let woken = 0;
    let fired = 0;
    const clock = new RealTimeClock(() => woken++);
    const owner = {};
    const farNs = clock.wallClockNs() + BigInt(2 ** 32) * 1_000_000n;
    clock.scheduleAlarm(owner, farNs, () => fired++);
    vi.advanceTimersByTime(10);
    clock.fireDueAlarms();
    expect(fired).toBe(0);
    expect(woken).toBe(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(clock.msUntilNextAlarm(50)).toBe(50);
    // It re-arms past the limit and fires when its time comes, not before.
    vi.advanceTimersByTime(2 ** 31);
    clock.fireDueAlarms();
    expect(fired).toBe(0);
    vi.advanceTimersByTime(2 ** 32 - 2 ** 31);
    expect(woken).toBe(1);
    clock.fireDueAlarms();
    expect(fired).toBe(1);
    spy.mockRestore();
    clock.dispose();
  });

  it("an alarm already passed is due at once; cancelling drops it", () => {
    let fired = 0;
    const clock = new RealTimeClock(() => {});
    const owner = {};
    clock.scheduleAlarm(owner, clock.wallClockNs() - 1n, () => fired++);
    expect(clock.msUntilNextAlarm(50)).toBe(0);
    clock.scheduleAlarm(owner, null, () => {});
    clock.fireDueAlarms();
    expect(fired).toBe(0);
    clock.dispose();
  });
});

describe("mtime", () => {
  it("follows the host's clock only while running, and never goes back", () => {
    vi.useFakeTimers({ now: 0 });
    const clock = new RealTimeClock(() => {});
    clock.resume(1000n);
    vi.advanceTimersByTime(5);
    expect(clock.mtime(0n)).toBe(1000n + 50_000n); // 5 ms at 10 MHz
    expect(clock.mtime(10n ** 9n)).toBe(10n ** 9n);
  });

  it("in deterministic mode is the instruction count, and jumps to the next event when idle", () => {
    let retired = 0n;
    let mtime = 0n;
    const clock = new InstructionClock({ shift: 0, epochMs: Date.UTC(2026, 0, 1) }, () => retired, () => mtime);
    retired = 1_000_000n;
    expect(clock.mtime(0n)).toBe(10_000n); // 100 instructions a tick
    clock.skipTo(50_000n);
    expect(clock.mtime(0n)).toBe(50_000n);
    mtime = 50_000n;
    expect(clock.wallClockNs()).toBe(BigInt(Date.UTC(2026, 0, 1)) * 1_000_000n + 5_000_000n);
    expect(clock.save()).toEqual({ warp: "40000" });
  });
});
