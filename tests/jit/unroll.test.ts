// A small loop (a block with one instruction that goes back to the block's start) is
// compiled with its body twice per round, one budget check for both (host-ts/jit/
// translate.ts). Its exits must count what both copies retired: the loop leaves from the
// first copy, from the second, and for the budget, and the interpreter beside it must end
// in the same state whatever the budget and wherever a slice ends.
import { describe, it, expect } from "vitest";
import { Twin, RAM_BASE } from "./twin.js";
import { asm } from "../support/asm.js";

const LOOP = RAM_BASE + 0x1000;
const COUNT = 31, SUM = 9, SPINS = 30;
const BUDGET = 400;

interface Shape { name: string; words: number[]; loopInstructions: (rounds: number) => number }
const shapes: Shape[] = [
  {
    // while (count) { sum += count; count -= 1 }: the block ends in its jump back
    name: "a loop that jumps back from its end",
    words: [
      asm("add", { rd: SUM, rs1: SUM, rs2: COUNT }),
      asm("addi", { rd: COUNT, rs1: COUNT, imm: -1 }),
      asm("beq", { rs1: COUNT, rs2: 0, imm: 8 }), // out, to the spin loop
      asm("jal", { rd: 0, imm: -12 }),
    ],
    loopInstructions: (rounds) => 4 * rounds - 1,
  },
  {
    // do { ... } while (count): the branch back sits inside a block that runs on into the
    // spin loop: the second copy follows the first's three instructions, and either copy
    // leaves into the rest of the block
    name: "a loop that branches back from inside its block",
    words: [
      asm("add", { rd: SUM, rs1: SUM, rs2: COUNT }),
      asm("addi", { rd: COUNT, rs1: COUNT, imm: -1 }),
      asm("bne", { rs1: COUNT, rs2: 0, imm: -8 }),
    ],
    loopInstructions: (rounds) => 3 * rounds,
  },
];

/** The shape's loop at LOOP, then a spin loop counting its rounds in SPINS. */
function writeProgram(twin: Twin, shape: Shape): void {
  const words = [...shape.words, asm("addi", { rd: SPINS, rs1: SPINS, imm: 1 }), asm("jal", { rd: 0, imm: -4 })];
  words.forEach((w, i) => twin.write32(LOOP + 4 * i, w));
}

describe("unrolled loops", () => {
  for (const shape of shapes) {
    for (const rounds of [1, 2, 3, 4, 7, 40]) {
      it(`${shape.name}: ${rounds} rounds end as the interpreter's do, whatever the slices`, async () => {
        for (const budgets of [[BUDGET], [1, BUDGET - 1], [130, 270], [131, 269], [200, 3, 197]]) {
          const twin = await Twin.create({ ramBytes: 1 << 20 });
          writeProgram(twin, shape);
          for (const core of twin.cores) core.setX(0, COUNT, BigInt(rounds));
          twin.setPc(LOOP);
          for (const b of budgets) {
            twin.run(b);
            expect(twin.diff(), `${rounds} rounds, budgets ${budgets}`).toEqual([]);
          }
          const [interpreted] = twin.cores;
          expect(interpreted.getX(0, SUM)).toBe(BigInt((rounds * (rounds + 1)) / 2));
          // the spin loop's 2 instructions a round take the rest, from its addi
          expect(interpreted.getX(0, SPINS)).toBe(BigInt(Math.ceil((BUDGET - shape.loopInstructions(rounds)) / 2)));
        }
      });
    }
  }

  it("runs the loop compiled", async () => {
    const twin = await Twin.create({ ramBytes: 1 << 20 });
    writeProgram(twin, shapes[0]);
    for (const core of twin.cores) core.setX(0, COUNT, 100n);
    twin.setPc(LOOP);
    twin.run(1000);
    expect(twin.diff()).toEqual([]);
    expect(twin.coverage().kinds.get("add") ?? 0).toBeGreaterThan(90);
  });
});
