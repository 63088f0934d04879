// Code that runs hundreds of instructions without a jump (an unrolled hash, such as the
// kernel's blake2s_compress) lands once per call, so counting landings alone never makes it
// hot. The run loop probes again after every JIT_MAX_INSNS straight instructions and on
// every new page, and such a probe counts for several landings: a function called fewer
// times than the threshold still gets compiled, piece by piece, and the pieces chain.
import { describe, it, expect } from "vitest";
import { Twin, RAM_BASE } from "./twin.js";
import { asm } from "../support/asm.js";

const CALLER = RAM_BASE + 0x1_0000;
const FUNC = RAM_BASE + 0x1_0800; // its 600 instructions run on into the next page
const FUNC_INSNS = 600;
const RA = 1, S1 = 9;
const THRESHOLD = 64;

/** A branchless body over a0-a7 and t0-t6 whose result depends on every instruction. */
function body(): number[] {
  const regs = [10, 11, 12, 13, 14, 15, 16, 17, 5, 6, 7, 28, 29, 30, 31];
  const out: number[] = [];
  for (let i = 0; i < FUNC_INSNS - 1; i++) {
    const rd = regs[i % regs.length], rs1 = regs[(i * 7 + 3) % regs.length], rs2 = regs[(i * 5 + 1) % regs.length];
    switch (i % 5) {
      case 0: out.push(asm("add", { rd, rs1, rs2 })); break;
      case 1: out.push(asm("xor", { rd, rs1, rs2 })); break;
      case 2: out.push(asm("slli", { rd, rs1, imm: (i % 13) + 1 })); break;
      case 3: out.push(asm("addi", { rd, rs1, imm: i - 300 })); break;
      default: out.push(asm("srli", { rd, rs1, imm: (i % 11) + 1 })); break;
    }
  }
  out.push(asm("jalr", { rd: 0, rs1: RA, imm: 0 })); // ret
  return out;
}

describe("a long straight run called fewer times than the threshold", () => {
  it("is compiled piece by piece and runs as the interpreter does", async () => {
    const twin = await Twin.create({ ramBytes: 1 << 20, threshold: THRESHOLD });
    const caller = [
      asm("jal", { rd: RA, imm: FUNC - CALLER }),
      asm("addi", { rd: S1, rs1: S1, imm: 1 }),
      asm("jal", { rd: 0, imm: -8 }),
    ];
    caller.forEach((w, i) => twin.write32(CALLER + 4 * i, w));
    body().forEach((w, i) => twin.write32(FUNC + 4 * i, w));
    for (let r = 10; r <= 17; r++) twin.setX(r, 0x1234_5678n * BigInt(r));
    twin.setPc(CALLER);
    const calls = 40; // below the threshold: the entry is never compiled
    for (const budget of [1, 5_000, 13, calls * (FUNC_INSNS + 3) - 5_014]) {
      twin.run(budget);
      expect(twin.diff()).toEqual([]);
    }
    expect(twin.cores[1].getX(0, S1)).toBe(BigInt(calls));
    // Probes 128 instructions apart and at the page boundary count 16 landings each, so every
    // piece but the first is hot after four calls and chains to the next; the first 128
    // instructions of each call stay interpreted.
    const compiled = twin.jit.jit!.stats.instructions;
    expect(compiled).toBeGreaterThan((calls - 7) * (FUNC_INSNS - 128)); // four calls count, compiles cut into two or three more
    expect(compiled).toBeLessThanOrEqual(calls * (FUNC_INSNS - 128));
  });
});
