// Compiled blocks running back to back: after a block leaves, the run loop finds the next
// compiled block without going through the interpreter (jitChain). A block that leaves for
// its own virtual page gets the next block's host address from its own, without the fetch
// TLB; one that leaves for another page looks the page up. Here parts of a loop, each its
// own region, jump to each other indirectly, within a page and across a page boundary,
// and the compiled core must end exactly where the interpreter does.
import { describe, it, expect } from "vitest";
import { Twin, RAM_BASE } from "./twin.js";
import { asm, jr } from "../support/asm.js";

const RAM_SIZE = 1 << 20;
const CODE = RAM_BASE + 0x1_0000;
const T0 = 5, T1 = 6, T2 = 7, T3 = 28, T4 = 29, A1 = 11;
const S = [9, 18, 19, 20]; // s1..s4: each part's successor

/** A part: a few dependent ALU steps, a count of the parts run, then a jump to the next part. */
function part(successor: number, salt: number): number[] {
  return [
    asm("add", { rd: T1, rs1: T1, rs2: T2 }),
    asm("xori", { rd: T2, rs1: T2, imm: salt }),
    asm("slli", { rd: T3, rs1: T1, imm: 3 }),
    asm("srli", { rd: T4, rs1: T2, imm: 5 }),
    asm("add", { rd: T1, rs1: T1, rs2: T3 }),
    asm("sub", { rd: T2, rs1: T2, rs2: T4 }),
    asm("addi", { rd: A1, rs1: A1, imm: 1 }),
    jr(successor),
  ];
}

/** The parts at `starts` (virtual addresses; `physical` gives where each lies in RAM). */
async function chainedParts(starts: number[], physical = (va: number) => va, setup = (_twin: Twin) => {}) {
  const twin = await Twin.create({ ramBytes: RAM_SIZE, threshold: 2 });
  setup(twin);
  starts.forEach((at, k) => {
    part(S[k], 0x11 * (k + 1)).forEach((w, i) => twin.write32(physical(at) + 4 * i, w));
    twin.setX(S[(k + starts.length - 1) % starts.length], at); // the part before this one jumps here
  });
  twin.setX(T0, 0);
  twin.setX(T2, 7);
  twin.setPc(starts[0]);
  return twin;
}

describe("compiled blocks chained without the interpreter", () => {
  it("within one page: each part reached at its own address", async () => {
    // Parts at offsets that are not each other's mirror images: a wrong host offset lands mid-part.
    const twin = await chainedParts([CODE + 0x40, CODE + 0x100, CODE + 0x84, CODE + 0x3c0]);
    twin.run(40_000);
    expect(twin.diff()).toEqual([]);
    // Nearly every part ran compiled, entered from another compiled part.
    const { entries } = twin.coverage();
    expect(entries).toBeGreaterThan(4500);
    expect(twin.cores[1].getX(0, A1)).toBe(5000n);
  });

  it("across page boundaries, where the next page is looked up", async () => {
    const twin = await chainedParts([CODE + 0xfc0, CODE + 0x1040, CODE + 0x20, CODE + 0x1f80]);
    twin.run(40_000);
    expect(twin.diff()).toEqual([]);
    expect(twin.coverage().entries).toBeGreaterThan(4500);
  });

  it("across virtual pages whose physical pages are not neighbours (Sv39, S-mode)", async () => {
    // Virtual pages 0 and 1 of VA map to physical pages 1 and 0 of CODE, page 2 to page 2.
    // Part 0 ends 0x40 before virtual page 1, where part 1 starts; had the chain taken the
    // two pages as neighbours, it would have landed on part 2's physical address.
    const VA = 0x4000_0000;
    const PT_ROOT = RAM_BASE + 0x4_0000, PT_L1 = PT_ROOT + 0x1000, PT_L0 = PT_ROOT + 0x2000;
    const pages = [CODE + 0x1000, CODE, CODE + 0x2000];
    const physical = (va: number) => pages[(va - VA) >>> 12] + ((va - VA) & 0xfff);
    const twin = await chainedParts([VA + 0xfc0, VA + 0x1040, VA + 0x2040, VA + 0x1f80], physical, (t) => {
      const pte = (pa: number, flags: bigint) => (BigInt(pa >>> 12) << 10n) | flags | 1n;
      const X_A = 8n | 64n; // execute, accessed
      for (const page of [PT_ROOT, PT_L1, PT_L0]) t.writeRam(page, new Uint8Array(0x1000));
      t.write64(PT_ROOT + 8 * (VA / 2 ** 30), pte(PT_L1, 0n));
      t.write64(PT_L1, pte(PT_L0, 0n));
      pages.forEach((pa, i) => t.write64(PT_L0 + 8 * i, pte(pa, X_A)));
      t.openPmp();
      t.setSlot("S_SATP", (8n << 60n) | BigInt(PT_ROOT >>> 12));
      t.setPriv(1);
    });
    expect(physical(VA + 0xfc0) + 0x80).toBe(physical(VA + 0x2040)); // the trap the test sets
    twin.run(40_000);
    expect(twin.diff()).toEqual([]);
    expect(twin.coverage().entries).toBeGreaterThan(4500);
    expect(twin.cores[1].getX(0, A1)).toBe(5000n);
  });
});
