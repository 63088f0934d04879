import { describe, expect, it } from "vitest";
import { GoldfishRtc } from "../../devices/goldfish-rtc.js";
import { irqProbe } from "./helpers.js";

const TIME_LOW = 0x00, TIME_HIGH = 0x04, ALARM_LOW = 0x08, ALARM_HIGH = 0x0c, IRQ_ENABLED = 0x10;
const CLEAR_ALARM = 0x14, ALARM_STATUS = 0x18, CLEAR_INTERRUPT = 0x1c;

function make(start = 1_700_000_000_123_456_789n) {
  const clock = { t: start };
  const alarm: { at: bigint | null; cb: (() => void) | null; calls: number } = { at: null, cb: null, calls: 0 };
  const irq = irqProbe();
  const rtc = new GoldfishRtc({
    irq: irq.line,
    now: () => clock.t,
    schedule: (at, cb) => {
      alarm.calls++;
      alarm.at = at;
      alarm.cb = at === null ? null : cb;
    },
  });
  const r = (o: number) => rtc.read(o, 4);
  const w = (o: number, v: number) => rtc.write(o, 4, v);
  const time = () => {
    const lo = BigInt(r(TIME_LOW));
    return (BigInt(r(TIME_HIGH)) << 32n) | lo;
  };
  /** Advance the clock, firing the alarm if it is due. */
  const advance = (ns: bigint) => {
    clock.t += ns;
    if (alarm.cb && alarm.at !== null && clock.t >= alarm.at) {
      const cb = alarm.cb;
      alarm.cb = null;
      alarm.at = null;
      cb();
    }
  };
  const setAlarm = (t: bigint) => {
    w(ALARM_HIGH, Number(t >> 32n));
    w(ALARM_LOW, Number(t & 0xffffffffn));
  };
  return { rtc, clock, alarm, irq, r, w, time, advance, setAlarm };
}

describe("GoldfishRtc", () => {
  it("reads host time in ns, latching TIME_HIGH on a TIME_LOW read", () => {
    const { clock, r, time } = make();
    expect(time()).toBe(clock.t);
    const lo = r(TIME_LOW);
    const hi = r(TIME_HIGH);
    clock.t += 1n << 32n; // time moves on: TIME_HIGH still shows the latched half
    expect(r(TIME_HIGH)).toBe(hi);
    expect((BigInt(hi) << 32n) | BigInt(lo)).toBe(clock.t - (1n << 32n));
  });

  it("lets the guest set the time (an offset from the host clock)", () => {
    const { clock, w, time, rtc } = make();
    const target = 1_000_000_000_000_000_000n;
    w(TIME_HIGH, Number(target >> 32n));
    w(TIME_LOW, Number(target & 0xffffffffn));
    expect(time()).toBe(target);
    clock.t += 5000n;
    expect(time()).toBe(target + 5000n);
    expect(rtc.guestTime()).toBe(target + 5000n);
  });

  it("raises the IRQ when the alarm fires, if enabled, until CLEAR_INTERRUPT", () => {
    const { clock, alarm, irq, r, w, advance, setAlarm } = make();
    w(IRQ_ENABLED, 1);
    expect(r(IRQ_ENABLED)).toBe(1);
    const at = clock.t + 1_000_000n;
    setAlarm(at);
    expect(r(ALARM_STATUS)).toBe(1);
    expect(alarm.at).toBe(at);
    expect(BigInt(r(ALARM_LOW)) | (BigInt(r(ALARM_HIGH)) << 32n)).toBe(at);
    advance(999_999n);
    expect(irq.level()).toBe(false);
    advance(1n);
    expect(irq.level()).toBe(true);
    expect(r(ALARM_STATUS)).toBe(0);
    w(CLEAR_INTERRUPT, 1);
    expect(irq.level()).toBe(false);
    expect(irq.changes).toEqual([true, false]);
  });

  it("keeps the interrupt pending while disabled and shows it when enabled", () => {
    const { clock, irq, w, advance, setAlarm } = make();
    setAlarm(clock.t + 10n);
    advance(10n);
    expect(irq.level()).toBe(false);
    w(IRQ_ENABLED, 1);
    expect(irq.level()).toBe(true);
    w(IRQ_ENABLED, 0);
    expect(irq.level()).toBe(false);
  });

  it("fires at once for an alarm in the past, and CLEAR_ALARM cancels a pending one", () => {
    const { clock, alarm, irq, r, w, advance, setAlarm } = make();
    w(IRQ_ENABLED, 1);
    setAlarm(clock.t - 1n);
    expect(irq.level()).toBe(true);
    expect(r(ALARM_STATUS)).toBe(0);
    w(CLEAR_INTERRUPT, 1);
    setAlarm(clock.t + 100n);
    expect(r(ALARM_STATUS)).toBe(1);
    w(CLEAR_ALARM, 1);
    expect(r(ALARM_STATUS)).toBe(0);
    expect(alarm.at).toBeNull();
    advance(1000n);
    expect(irq.level()).toBe(false);
  });

  it("aims the alarm in guest time when the guest has moved the clock", () => {
    const { clock, alarm, irq, w, time, advance, setAlarm } = make();
    w(IRQ_ENABLED, 1);
    w(TIME_HIGH, 0);
    w(TIME_LOW, 1000); // guest clock far behind the host
    expect(time()).toBe(1000n);
    setAlarm(1500n);
    expect(alarm.at).toBe(clock.t + 500n);
    advance(499n);
    expect(irq.level()).toBe(false);
    advance(1n);
    expect(irq.level()).toBe(true);
  });

  it("ignores a stale alarm callback", () => {
    const { clock, alarm, irq, w, setAlarm } = make();
    w(IRQ_ENABLED, 1);
    setAlarm(clock.t + 100n);
    const stale = alarm.cb!;
    setAlarm(clock.t + 200n);
    stale();
    expect(irq.level()).toBe(false);
  });

  it("saves and restores (re-arming a running alarm)", () => {
    const a = make();
    a.w(IRQ_ENABLED, 1);
    a.w(TIME_LOW, 5);
    const at = a.rtc.guestTime() + 300n;
    a.setAlarm(at);
    const state = JSON.parse(JSON.stringify(a.rtc.saveState()));
    const b = make(a.clock.t);
    b.rtc.loadState(state);
    expect(b.time()).toBe(a.time());
    expect(b.r(ALARM_STATUS)).toBe(1);
    b.advance(300n);
    expect(b.irq.level()).toBe(true);
    expect(() => b.rtc.loadState({ ...state, offset: "x" })).toThrow(/bad device state/);
  });

  it("emits QEMU's rtc node", () => {
    const { rtc } = make();
    expect(rtc.fdtNode({ base: 0x10_1000, size: 0x1000, irq: 11, plicPhandle: 3 })).toEqual({
      name: "rtc@101000",
      props: { interrupts: 11, "interrupt-parent": 3, reg: [0, 0x101000, 0, 0x1000], compatible: "google,goldfish-rtc" },
    });
  });
});
