// stats().jit.instructions: what compiled code retired, counted by the core around its chain
// of compiled blocks. With coverage on, translated code also counts every instruction it
// starts; in a program that never traps the two must agree exactly, whichever way control
// leaves compiled code (a branch out of the region, the budget running low, a slice that
// ends mid-chain), and the count must not include what the interpreter ran.
import { describe, it, expect } from "vitest";
import { Twin, RAM_BASE } from "./twin.js";
import { asm } from "../support/asm.js";

const CODE = RAM_BASE + 0x1_0000;
const DATA = RAM_BASE + 0x2_0000;
const FS_DIRTY = 3n << 13n;
const T2 = 7, T4 = 29, T5 = 30, T6 = 31, F1 = 1;

const loop = [
  asm("addi", { rd: T4, rs1: T4, imm: 1 }), //  0
  asm("andi", { rd: T5, rs1: T4, imm: 3 }), //  4
  asm("beq", { rs1: T5, rs2: 0, imm: 12 }), //  8: → 20
  asm("sd", { rs1: T2, rs2: T4, imm: 0 }), // 12
  asm("jal", { rd: 0, imm: 8 }), // 16: → 24
  asm("ld", { rd: T6, rs1: T2, imm: 0 }), // 20
  asm("fcvt.d.l", { rd: F1, rs1: T4 }), // 24: run by the interpreter's semantics from compiled code
  asm("jal", { rd: 0, imm: -28 }), // 28: → 0
];

async function twinWithLoop(threshold: number): Promise<Twin> {
  const twin = await Twin.create({ ramBytes: 1 << 20, threshold });
  loop.forEach((w, i) => twin.write32(CODE + 4 * i, w));
  twin.setX(T2, DATA);
  twin.setSlot("S_MSTATUS", FS_DIRTY);
  twin.setPc(CODE);
  twin.watch(DATA, 8);
  return twin;
}

/** Instructions translated code started, from its coverage counters. */
function started(twin: Twin): number {
  let n = 0;
  for (const v of twin.coverage().kinds.values()) n += v;
  return n;
}

describe("instructions retired in compiled code", () => {
  it("are what translated code ran, not what the interpreter ran", async () => {
    const twin = await twinWithLoop(20);
    twin.run(50_000);
    expect(twin.diff()).toEqual([]);
    const compiled = twin.jit.jit!.stats.instructions;
    expect(compiled).toBe(started(twin));
    // The landings before the threshold ran interpreted; nearly everything after, compiled.
    expect(compiled).toBeGreaterThan(45_000);
    expect(compiled).toBeLessThan(50_000);
  });

  it("agree with the coverage counters over many short slices", async () => {
    const twin = await twinWithLoop(1);
    // Budgets that are not multiples of the loop, and some below a region's length, so
    // compiled code often leaves because the budget runs low.
    for (const budget of [137, 5, 300, 64, 129, 1000, 3, 250]) for (let i = 0; i < 20; i++) twin.run(budget);
    expect(twin.diff()).toEqual([]);
    const compiled = twin.jit.jit!.stats.instructions;
    expect(compiled).toBeGreaterThan(0);
    expect(compiled).toBe(started(twin));
    expect(compiled).toBeLessThan(Number(twin.jit.getSlot(0, "S_RETIRED")));
  });
});
