// Translated code leaves a load or store that misses the TLB to the interpreter: it returns
// that instruction's pc with bit 0 set, and the run loop runs exactly that instruction
// before it looks for compiled code again. An access that always misses (MMIO) at a
// region's entry must not bring control straight back into the region (no progress), and
// the odd pc must never reach the hart's state.
import { describe, it, expect } from "vitest";
import { Twin, RAM_BASE, MMIO_BASE } from "./twin.js";
import { asm } from "../support/asm.js";

const CODE = RAM_BASE + 0x1_0000;
const DATA = RAM_BASE + 0x2_0000;
const T1 = 6, T2 = 7, T4 = 29, T5 = 30;

const loop = [
  asm("lw", { rd: T5, rs1: T1, imm: 0 }), //  0: MMIO, every time
  asm("addi", { rd: T4, rs1: T4, imm: 1 }), //  4
  asm("sd", { rs1: T2, rs2: T4, imm: 0 }), //  8: RAM: misses once, then hits
  asm("jal", { rd: 0, imm: -12 }), // 12: → 0
];

describe("an access that misses the TLB in translated code", () => {
  it("runs in the interpreter, and compiled code takes over after it", async () => {
    const twin = await Twin.create({ ramBytes: 1 << 20 });
    loop.forEach((w, i) => twin.write32(CODE + 4 * i, w));
    twin.setX(T1, MMIO_BASE + 0x10);
    twin.setX(T2, DATA);
    twin.setPc(CODE);
    twin.watch(DATA, 8);
    for (const budget of [1, 7, 4000, 3, 130, 20_000]) {
      twin.run(budget);
      expect(twin.diff()).toEqual([]);
    }
    const reads = twin.mmio[1].length;
    expect(reads).toBeGreaterThan(6000); // a quarter of the 24,141 instructions
    expect(twin.mmio[0].length).toBe(reads);
    // Every round's lw ran in the interpreter; once hot, the rest of the round in compiled
    // code (not near a slice's end, where the budget is too low to enter it).
    const kinds = twin.jit.jit!.coverage().kinds;
    expect(kinds.get("lw")).toBeUndefined();
    expect(kinds.get("addi")).toBeGreaterThan(reads * 0.95);
    expect(kinds.get("sd")).toBe(kinds.get("addi"));
    expect(twin.jit.jit!.stats.instructions).toBe(kinds.get("addi")! + kinds.get("sd")! + kinds.get("jal")!);
  });
});
