import { describe, expect, it } from "vitest";
import { Plic, PLIC_NDEV } from "../../devices/plic.js";

const PRIO = (src: number) => 4 * src;
const PENDING = 0x1000;
const ENABLE = (ctx: number, word = 0) => 0x2000 + 0x80 * ctx + 4 * word;
const THRESHOLD = (ctx: number) => 0x200000 + 0x1000 * ctx;
const CLAIM = (ctx: number) => 0x200004 + 0x1000 * ctx;

function make(harts = 1) {
  const lines: boolean[] = new Array(2 * harts).fill(false);
  const events: [number, boolean][] = [];
  const plic = new Plic({
    harts,
    setContextLine: (ctx, level) => {
      lines[ctx] = level;
      events.push([ctx, level]);
    },
  });
  const r = (o: number) => plic.read(o, 4);
  const w = (o: number, v: number) => plic.write(o, 4, v);
  return { plic, lines, events, r, w };
}

describe("Plic", () => {
  it("stores priorities (7 levels) for sources 1..0x60; source 0 is reserved", () => {
    const { r, w } = make();
    w(PRIO(1), 5);
    w(PRIO(PLIC_NDEV), 0xff);
    w(PRIO(0), 3);
    expect(r(PRIO(1))).toBe(5);
    expect(r(PRIO(PLIC_NDEV))).toBe(7);
    expect(r(PRIO(0))).toBe(0);
    expect(r(PRIO(PLIC_NDEV + 1))).toBe(0);
    w(ENABLE(0, 0), 0xffffffff);
    w(ENABLE(0, 3), 0xffffffff);
    expect(r(ENABLE(0, 0))).toBe(0xfffffffe);
    expect(r(ENABLE(0, 3))).toBe(0x1); // only source 96 exists in word 3
  });

  it("delivers an enabled source with priority above threshold to its context only", () => {
    const { plic, lines, events, r, w } = make();
    const irq10 = plic.irqLine(10);
    w(ENABLE(1), 1 << 10); // S-mode context of hart 0
    irq10(true);
    expect(r(PENDING)).toBe(1 << 10);
    expect(lines).toEqual([false, false]); // priority 0 never interrupts
    w(PRIO(10), 1);
    expect(lines).toEqual([false, true]);
    expect(events).toEqual([[1, true]]);
    w(THRESHOLD(1), 1);
    expect(r(THRESHOLD(1))).toBe(1);
    expect(lines).toEqual([false, false]);
    expect(r(CLAIM(1))).toBe(0); // not claimable at or below threshold
    w(THRESHOLD(1), 0);
    expect(lines).toEqual([false, true]);
    w(ENABLE(1), 0);
    expect(lines).toEqual([false, false]);
    w(ENABLE(0), 1 << 10);
    expect(lines).toEqual([true, false]);
    expect(events).toEqual([[1, true], [1, false], [1, true], [1, false], [0, true]]);
  });

  it("claims the highest priority first, lowest id on ties, and holds a claimed source until complete", () => {
    const { plic, lines, r, w } = make();
    for (const [src, prio] of [[3, 2], [5, 6], [7, 6], [40, 4]] as const) {
      w(PRIO(src), prio);
      plic.irqLine(src)(true);
    }
    w(ENABLE(0, 0), (1 << 3) | (1 << 5) | (1 << 7));
    w(ENABLE(0, 1), 1 << (40 - 32));
    expect(r(PENDING)).toBe((1 << 3) | (1 << 5) | (1 << 7));
    expect(r(PENDING + 4)).toBe(1 << 8);
    expect(r(CLAIM(0))).toBe(5);
    expect(r(PENDING) & (1 << 5)).toBe(0);
    expect(r(CLAIM(0))).toBe(7);
    expect(r(CLAIM(0))).toBe(40);
    expect(lines[0]).toBe(true);
    expect(r(CLAIM(0))).toBe(3);
    expect(lines[0]).toBe(false);
    expect(r(CLAIM(0))).toBe(0);
    // levels still high: completion makes each pending again (gateway)
    w(CLAIM(0), 7);
    expect(lines[0]).toBe(true);
    expect(r(PENDING) & (1 << 7)).toBe(1 << 7);
    expect(r(CLAIM(0))).toBe(7);
    // a source that went low while claimed is not pending after completion
    plic.irqLine(5)(false);
    w(CLAIM(0), 5);
    expect(r(PENDING) & (1 << 5)).toBe(0);
    // while claimed, level changes do not make it pending
    plic.irqLine(3)(false);
    plic.irqLine(3)(true);
    expect(r(PENDING) & (1 << 3)).toBe(0);
    w(CLAIM(0), 3);
    expect(r(PENDING) & (1 << 3)).toBe(1 << 3);
    // completing an id that is not claimed changes nothing
    w(CLAIM(0), 9);
    w(CLAIM(0), 0);
    w(CLAIM(0), 1000);
  });

  it("drops a pending level-triggered source when its level falls before the claim", () => {
    const { plic, lines, r, w } = make();
    w(PRIO(2), 1);
    w(ENABLE(0), 1 << 2);
    plic.irqLine(2)(true);
    expect(lines[0]).toBe(true);
    plic.irqLine(2)(false);
    expect(lines[0]).toBe(false);
    expect(r(PENDING)).toBe(0);
    expect(r(CLAIM(0))).toBe(0);
  });

  it("gives each hart an M and an S context with their own enables and thresholds", () => {
    const { plic, lines, r, w } = make(2);
    expect(plic.contexts).toBe(4);
    w(PRIO(1), 3);
    w(ENABLE(3), 1 << 1); // hart 1, S-mode
    w(ENABLE(2), 1 << 1); // hart 1, M-mode
    w(THRESHOLD(2), 3);
    plic.irqLine(1)(true);
    expect(lines).toEqual([false, false, false, true]);
    expect(r(CLAIM(3))).toBe(1);
    expect(lines).toEqual([false, false, false, false]);
    expect(r(CLAIM(4))).toBe(0); // no such context
    expect(r(ENABLE(4))).toBe(0);
  });

  it("ignores accesses that are not 32-bit, and writes to pending bits", () => {
    const { plic, r, w } = make();
    plic.write(PRIO(1), 1, 5);
    expect(r(PRIO(1))).toBe(0);
    w(PRIO(1), 5);
    expect(plic.read(PRIO(1), 2)).toBe(0);
    w(PENDING, 0xffffffff);
    expect(r(PENDING)).toBe(0);
  });

  it("rejects lines outside 1..0x60", () => {
    const { plic } = make();
    expect(() => plic.irqLine(0)).toThrow(RangeError);
    expect(() => plic.irqLine(PLIC_NDEV + 1)).toThrow(RangeError);
    expect(() => plic.irqLine(PLIC_NDEV)).not.toThrow();
  });

  it("saves and restores its state, driving the context lines on load", () => {
    const a = make(2);
    a.w(PRIO(10), 2);
    a.w(PRIO(11), 1);
    a.w(ENABLE(1), (1 << 10) | (1 << 11));
    a.w(THRESHOLD(3), 4);
    a.plic.irqLine(10)(true);
    a.plic.irqLine(11)(true);
    expect(a.r(CLAIM(1))).toBe(10);
    const state = JSON.parse(JSON.stringify(a.plic.saveState()));
    const b = make(2);
    b.plic.loadState(state);
    expect(b.events.map(([c]) => c).sort()).toEqual([0, 1, 2, 3]);
    expect(b.lines).toEqual([false, true, false, false]);
    expect(b.r(THRESHOLD(3))).toBe(4);
    expect(b.r(CLAIM(1))).toBe(11);
    b.w(CLAIM(1), 10);
    expect(b.r(CLAIM(1))).toBe(10);
    expect(() => make(1).plic.loadState(state)).toThrow(/bad device state/);
  });

  it("reset clears configuration but keeps input levels", () => {
    const { plic, lines, r, w } = make();
    w(PRIO(4), 1);
    w(ENABLE(0), 1 << 4);
    plic.irqLine(4)(true);
    expect(r(CLAIM(0))).toBe(4);
    plic.reset();
    expect(lines[0]).toBe(false);
    expect(r(PRIO(4))).toBe(0);
    expect(r(PENDING)).toBe(1 << 4);
    w(PRIO(4), 1);
    w(ENABLE(0), 1 << 4);
    expect(lines[0]).toBe(true);
  });

  it("emits QEMU's plic node", () => {
    const { plic } = make(2);
    const ctx = { base: 0x0c00_0000, size: 0x60_0000, plicPhandle: 5, cpuIntcPhandles: [4, 2] };
    expect(plic.fdtNode(ctx)).toEqual({
      name: "plic@c000000",
      props: {
        phandle: 5,
        "riscv,ndev": 0x60,
        reg: [0, 0xc000000, 0, 0x600000],
        "interrupts-extended": [4, 0x0b, 4, 0x09, 2, 0x0b, 2, 0x09],
        "interrupt-controller": true,
        compatible: ["sifive,plic-1.0.0", "riscv,plic0"],
        "#address-cells": 0,
        "#interrupt-cells": 1,
      },
    });
    expect(() => plic.fdtNode({ ...ctx, cpuIntcPhandles: [4] })).toThrow(/cpuIntcPhandles/);
  });
});
