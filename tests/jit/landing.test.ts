// Compiled code entered where the interpreter stopped running straight on. The interpreter
// lets an instruction whose destination is x0 write x0's slot and clears the slot before the
// next instruction it runs; translated code reads that slot too (an F/D instruction it hands
// to the interpreter's semantics takes rs1 = x0 from there), so the run loop must clear it
// before it enters compiled code as well. Here an AMO with rd = x0 (never translated, so
// always interpreted) leaves the old memory value in the slot, and the compiled block right
// after it, entered because the AMO's own untranslatable entry ends the straight run, moves
// x0 into f1 and ORs what it got into t6: both cores must see only zeros.
import { describe, it, expect } from "vitest";
import { Twin, RAM_BASE } from "./twin.js";
import { asm } from "../support/asm.js";

const RAM_SIZE = 1 << 20;
const CODE = RAM_BASE + 0x1_0000;
const DATA = RAM_BASE + 0x2_0000;
const FS_DIRTY = 3n << 13n;
const T1 = 6, T2 = 7, T4 = 29, T5 = 30, T6 = 31, F1 = 1;

/** 32-bit instructions as little-endian words at `at`. */
function place(twin: Twin, at: number, words: number[]): void {
  words.forEach((w, i) => twin.write32(at + 4 * i, w));
}

describe("compiled code entered after an interpreted instruction", () => {
  it("sees x0 as zero even when that instruction wrote x0's slot", async () => {
    const twin = await Twin.create({ ramBytes: RAM_SIZE });
    const loop = [
      asm("amoadd.d", { rd: 0, rs1: T2, rs2: T1 }), // interpreted: the old value lands in x0's slot
      asm("fmv.d.x", { rd: F1, rs1: 0 }), // compiled: f1 = x0
      asm("fmv.x.d", { rd: T5, rs1: F1 }),
      asm("or", { rd: T6, rs1: T6, rs2: T5 }), // the last iterations run interpreted: keep what the compiled ones saw
      asm("addi", { rd: T4, rs1: T4, imm: 1 }),
      asm("jal", { rd: 0, imm: -20 }),
    ];
    place(twin, CODE, loop);
    twin.write64(DATA, 0x4045_0000_0000_0000n); // 42.0: what f1 gets when x0's slot is stale
    twin.setX(T1, 1);
    twin.setX(T2, DATA);
    twin.setF(F1, 0x1234n);
    twin.setSlot("S_MSTATUS", FS_DIRTY);
    twin.setPc(CODE);
    twin.watch(DATA, 8);
    twin.run(2000);
    expect(twin.diff()).toEqual([]);
    expect(twin.cores[1].getX(0, T6)).toBe(0n);
    // The loop ran (six instructions an iteration), in compiled code too.
    expect(twin.cores[1].getX(0, T4)).toBeGreaterThan(300n);
    expect(twin.coverage().kinds.get("fmv.d.x") ?? 0).toBeGreaterThan(100);
  });
});
