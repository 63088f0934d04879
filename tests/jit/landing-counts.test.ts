// The run loop counts a jump target's landings in its decoded-instruction entry, in a
// two-way cache indexed by host address (instructions 512 KiB apart share a set). A count
// kept there dies with the entry: if other instructions push it out of its set between
// landings, a hot loop head never reaches the threshold and stays interpreted for good
// (the kernel's copy_page_range loop ran 78,804 times per fork-exec workload that way when
// the cache was direct-mapped). So an instruction whose fill drops the entry of one control
// lands on (or of one that did that) counts its landings in the block map, which keeps them.
import { describe, it, expect } from "vitest";
import { Twin, RAM_BASE } from "./twin.js";
import { asm } from "../support/asm.js";

const PAGE_B = RAM_BASE + 0x1_0000;
const DCACHE_PERIOD = 0x8_0000; // a way: DCACHE_BITS = 18 entries, one per halfword
const S1 = 9, S2 = 18;
const THRESHOLD = 100;

describe("landing counts", () => {
  it("reach the threshold when the loop head shares its cache set with code the loop runs", async () => {
    const twin = await Twin.create({ ramBytes: 2 << 20, threshold: THRESHOLD });
    // Four landings a round, each the only way to its code: X → D → C → R → X. X, C and D
    // share a cache set of two ways, and R lies on another page than X, so no region from R
    // reaches X.
    const x = PAGE_B, c = PAGE_B + DCACHE_PERIOD, d = PAGE_B + 2 * DCACHE_PERIOD, r = PAGE_B - 4;
    [
      asm("addi", { rd: S1, rs1: S1, imm: 1 }),
      asm("addi", { rd: S2, rs1: S2, imm: 3 }),
      asm("jal", { rd: 0, imm: d - (x + 8) }),
    ].forEach((w, i) => twin.write32(x + 4 * i, w));
    twin.write32(d, asm("jal", { rd: 0, imm: c - d }));
    twin.write32(c, asm("jal", { rd: 0, imm: r - c }));
    twin.write32(r, asm("jal", { rd: 0, imm: x - r }));
    twin.setPc(x);
    const rounds = 2_000; // 6 instructions a round
    for (const budget of [1, 999, 4_000, rounds * 6 - 5_000]) {
      twin.run(budget);
      expect(twin.diff()).toEqual([]);
    }
    expect(twin.cores[1].getX(0, S1)).toBe(BigInt(rounds));
    // X is hot after THRESHOLD rounds, whoever held its slot in between: from then on its
    // two addi run compiled.
    expect(twin.coverage().kinds.get("addi") ?? 0).toBeGreaterThan(2 * (rounds - 2 * THRESHOLD));
  });
});
