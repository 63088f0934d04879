// The decoded-instruction cache (core-as/dcache.ts) is indexed by host address and has two
// ways: instructions a way's span apart share a set, the one that ran last sits in the first
// way and the one before it in the second. Whatever shares a set and whichever way holds
// it, an instruction runs as its bits in memory say now.
import { describe, it, expect } from "vitest";
import { asm } from "../support/asm.js";
import { Hart, CODE } from "../support/hart.js";
import { X } from "../support/riscv.js";

const SPAN = 0x8_0000; // a way: 2^18 entries, one per halfword
const { s1, s2, s3, s4, s5, s6 } = X;

/** `addi rd, rd, imm` then `jalr x0, 0(next)`: a block that adds and goes where `next` says. */
const block = (rd: number, imm: number, next: number) => [asm("addi", { rd, rs1: rd, imm }), asm("jalr", { rd: 0, rs1: next, imm: 0 })];

async function hartWith(blocks: { at: number; rd: number; imm: number; next: number }[]): Promise<Hart> {
  const h = await Hart.create({ ramBytes: 4 << 20 });
  for (const b of blocks) h.load(b.at, block(b.rd, b.imm, b.next));
  return h;
}

describe("decoded-instruction cache", () => {
  it("two instructions that share a set take turns without mixing their decodings", async () => {
    const a = CODE + 0x100, b = a + SPAN;
    const h = await hartWith([{ at: a, rd: s1, imm: 3, next: s5 }, { at: b, rd: s2, imm: 5, next: s4 }]);
    h.setX(s4, a);
    h.setX(s5, b);
    h.pc = a;
    h.step(4 * 100); // 100 rounds of a then b
    expect(h.x(s1)).toBe(300n);
    expect(h.x(s2)).toBe(500n);
    expect(h.pc).toBe(BigInt(a));
    // b ran before a: its entry is in the second way now. Its new bits are what runs.
    h.write32(b, asm("addi", { rd: s2, rs1: s2, imm: -7 }));
    h.step(4);
    expect(h.x(s1)).toBe(303n);
    expect(h.x(s2)).toBe(493n);
    // and again with a changed while it waits in the second way (after a, then b ran)
    h.step(2);
    h.write32(a, asm("addi", { rd: s1, rs1: s1, imm: 100 }));
    h.step(2 + 4);
    expect(h.x(s1)).toBe(306n + 100n);
    expect(h.x(s2)).toBe(493n - 2n * 7n);
  });

  it("three instructions that share a set, round after round", async () => {
    const a = CODE + 0x100, b = a + SPAN, c = a + 2 * SPAN;
    const h = await hartWith([
      { at: a, rd: s1, imm: 1, next: s5 }, { at: b, rd: s2, imm: 2, next: s6 }, { at: c, rd: s3, imm: 3, next: s4 },
    ]);
    h.setX(s4, a);
    h.setX(s5, b);
    h.setX(s6, c);
    h.pc = a;
    h.step(6 * 50);
    expect([h.x(s1), h.x(s2), h.x(s3)]).toEqual([50n, 100n, 150n]);
    expect(h.pc).toBe(BigInt(a));
  });

  it("a compressed instruction and the 32-bit one a span away keep apart", async () => {
    const a = CODE + 0x100, b = a + SPAN;
    const h = await Hart.create({ ramBytes: 4 << 20 });
    // c.addi s1, 1 then c.jr s5 at a; at b a 32-bit addi and jalr back
    h.loadHalves(a, [asm("c.addi", { rd: s1, imm: 1 }), asm("c.jr", { rs1: s5 })]);
    h.load(b, block(s2, 9, s4));
    h.setX(s4, a);
    h.setX(s5, b);
    h.pc = a;
    h.step(4 * 30);
    expect(h.x(s1)).toBe(30n);
    expect(h.x(s2)).toBe(270n);
  });
});
