// The one encoding table (core-as/isa/encodings.js): unambiguous, and every entry decodes
// back to itself in the core (decodeOp, expandCompressed) and in the disassembler.
import { describe, it, expect, beforeAll } from "vitest";
import { ENCODINGS } from "../../core-as/isa/encodings.js";
import { lookup, disassemble } from "../../host-ts/disasm.js";
import { asm, operands, compressedReserved, lookupTable, encoding, type Encoding, type Operands } from "../support/asm.js";
import { Hart } from "../support/hart.js";

let hart: Hart;
beforeAll(async () => { hart = await Hart.create(); });

const wide = ENCODINGS.filter((e) => e.width === 32);
const narrow = ENCODINGS.filter((e) => e.width === 16);
const overlap = (a: Encoding, b: Encoding) => ((a.match ^ b.match) & a.mask & b.mask) === 0;
/** a's fixed bits are a strict superset of b's. */
const moreSpecific = (a: Encoding, b: Encoding) => ((a.mask & b.mask) >>> 0) === b.mask && a.mask !== b.mask;

/** xorshift32: the same "random" operands on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

/** Up to n encodings of entry e with random operand bits that no more specific entry claims. */
function samples(e: Encoding, n: number, seed: number, keep: (bits: number) => boolean = () => true): number[] {
  const next = rng(seed);
  const out: number[] = [];
  const free = ~e.mask & (e.width === 16 ? 0xffff : 0xffffffff);
  for (let tries = 0; tries < 2000 && out.length < n; tries++) {
    const bits = (e.match | (next() & free)) >>> 0;
    if (lookupTable(bits) === e && keep(bits)) out.push(bits);
  }
  return out;
}

/**
 * What each compressed instruction stands for (unprivileged ISA 20191213, §16.3–16.8),
 * in terms of its own operands.
 */
const EXPANSION: Record<string, (o: Required<Operands>) => [string, Operands]> = {
  "c.addi4spn": (o) => ["addi", { rd: o.rd, rs1: 2, imm: o.imm }],
  "c.fld": (o) => ["fld", { rd: o.rd, rs1: o.rs1, imm: o.imm }],
  "c.lw": (o) => ["lw", { rd: o.rd, rs1: o.rs1, imm: o.imm }],
  "c.ld": (o) => ["ld", { rd: o.rd, rs1: o.rs1, imm: o.imm }],
  "c.fsd": (o) => ["fsd", { rs2: o.rs2, rs1: o.rs1, imm: o.imm }],
  "c.sw": (o) => ["sw", { rs2: o.rs2, rs1: o.rs1, imm: o.imm }],
  "c.sd": (o) => ["sd", { rs2: o.rs2, rs1: o.rs1, imm: o.imm }],
  "c.addi": (o) => ["addi", { rd: o.rd, rs1: o.rd, imm: o.imm }],
  "c.addiw": (o) => ["addiw", { rd: o.rd, rs1: o.rd, imm: o.imm }],
  "c.li": (o) => ["addi", { rd: o.rd, rs1: 0, imm: o.imm }],
  "c.addi16sp": (o) => ["addi", { rd: 2, rs1: 2, imm: o.imm }],
  "c.lui": (o) => ["lui", { rd: o.rd, imm: o.imm }],
  "c.srli": (o) => ["srli", { rd: o.rd, rs1: o.rd, imm: o.imm }],
  "c.srai": (o) => ["srai", { rd: o.rd, rs1: o.rd, imm: o.imm }],
  "c.andi": (o) => ["andi", { rd: o.rd, rs1: o.rd, imm: o.imm }],
  "c.sub": (o) => ["sub", { rd: o.rd, rs1: o.rd, rs2: o.rs2 }],
  "c.xor": (o) => ["xor", { rd: o.rd, rs1: o.rd, rs2: o.rs2 }],
  "c.or": (o) => ["or", { rd: o.rd, rs1: o.rd, rs2: o.rs2 }],
  "c.and": (o) => ["and", { rd: o.rd, rs1: o.rd, rs2: o.rs2 }],
  "c.subw": (o) => ["subw", { rd: o.rd, rs1: o.rd, rs2: o.rs2 }],
  "c.addw": (o) => ["addw", { rd: o.rd, rs1: o.rd, rs2: o.rs2 }],
  "c.j": (o) => ["jal", { rd: 0, imm: o.imm }],
  "c.beqz": (o) => ["beq", { rs1: o.rs1, rs2: 0, imm: o.imm }],
  "c.bnez": (o) => ["bne", { rs1: o.rs1, rs2: 0, imm: o.imm }],
  "c.slli": (o) => ["slli", { rd: o.rd, rs1: o.rd, imm: o.imm }],
  "c.fldsp": (o) => ["fld", { rd: o.rd, rs1: 2, imm: o.imm }],
  "c.lwsp": (o) => ["lw", { rd: o.rd, rs1: 2, imm: o.imm }],
  "c.ldsp": (o) => ["ld", { rd: o.rd, rs1: 2, imm: o.imm }],
  "c.jr": (o) => ["jalr", { rd: 0, rs1: o.rs1, imm: 0 }],
  "c.mv": (o) => ["add", { rd: o.rd, rs1: 0, rs2: o.rs2 }],
  "c.ebreak": () => ["ebreak", {}],
  "c.jalr": (o) => ["jalr", { rd: 1, rs1: o.rs1, imm: 0 }],
  "c.add": (o) => ["add", { rd: o.rd, rs1: o.rd, rs2: o.rs2 }],
  "c.fsdsp": (o) => ["fsd", { rs2: o.rs2, rs1: 2, imm: o.imm }],
  "c.swsp": (o) => ["sw", { rs2: o.rs2, rs1: 2, imm: o.imm }],
  "c.sdsp": (o) => ["sd", { rs2: o.rs2, rs1: 2, imm: o.imm }],
};

describe("encoding table", () => {
  it("has unique names, ids 1..n in order (0 = illegal) that fit the decoder's 8 bits", () => {
    expect(new Set(ENCODINGS.map((e) => e.name)).size).toBe(ENCODINGS.length);
    ENCODINGS.forEach((e, i) => expect(e.id, e.name).toBe(i + 1));
    expect(ENCODINGS.length).toBeLessThanOrEqual(255);
  });

  it("fixes the length bits: 32-bit entries have bits 1..0 = 11, compressed ones stay in 16 bits and are not 11", () => {
    for (const e of wide) expect([e.name, e.mask & 3, e.match & 3]).toEqual([e.name, 3, 3]);
    for (const e of narrow) {
      expect([e.name, e.mask >>> 16, e.mask & 3]).toEqual([e.name, 0, 3]);
      expect(e.match & 3, e.name).not.toBe(3);
      expect(e.name.startsWith("c."), e.name).toBe(true);
    }
  });

  it("no two 32-bit entries overlap", () => {
    const clashes: string[] = [];
    for (let i = 0; i < wide.length; i++) {
      for (let j = i + 1; j < wide.length; j++) if (overlap(wide[i], wide[j])) clashes.push(`${wide[i].name}/${wide[j].name}`);
    }
    expect(clashes).toEqual([]);
  });

  it("compressed entries overlap only where one is strictly more specific, and only in these pairs", () => {
    const pairs: string[] = [];
    const ambiguous: string[] = [];
    for (let i = 0; i < narrow.length; i++) {
      for (let j = i + 1; j < narrow.length; j++) {
        const [a, b] = [narrow[i], narrow[j]];
        if (!overlap(a, b)) continue;
        if (moreSpecific(a, b)) pairs.push(`${a.name} in ${b.name}`);
        else if (moreSpecific(b, a)) pairs.push(`${b.name} in ${a.name}`);
        else ambiguous.push(`${a.name}/${b.name}`);
      }
    }
    expect(ambiguous).toEqual([]);
    // RVC §16.5–16.6: c.addi16sp is c.lui with rd = 2; c.jr is c.mv with rs2 = 0; c.jalr is
    // c.add with rs2 = 0; c.ebreak is c.jalr (and so c.add) with rs1 = 0.
    expect(pairs.sort()).toEqual([
      "c.addi16sp in c.lui", "c.ebreak in c.add", "c.ebreak in c.jalr", "c.jalr in c.add", "c.jr in c.mv",
    ]);
  });

  it("the disassembler's lookup and the test assembler's agree on random words", () => {
    const next = rng(7);
    for (let i = 0; i < 20000; i++) {
      const w = next();
      expect(lookup(w)?.name, `0x${w.toString(16)}`).toBe(lookupTable(w)?.name);
    }
  });
});

describe("every entry decodes back to itself", () => {
  it.each(wide.map((e) => [e.name, e] as const))("%s", (_n, e) => {
    const ws = samples(e, 8, e.id * 7919);
    expect(ws.length).toBe(8);
    for (const w of ws) {
      const hex = `0x${w.toString(16)}`;
      expect(hart.core.decodeOp(w), hex).toBe(e.id);
      expect(lookup(w), hex).toBe(e);
      // The operands are all the free bits (fence.i's free bits are reserved fields, no operands).
      if (e.name !== "fence.i") expect(asm(e.name, operands(e.name, w)), hex).toBe(w);
      expect(disassemble(w, 0x8000_0000n).split(" ")[0], hex).toBe(e.name);
    }
  });

  it.each(narrow.map((e) => [e.name, e] as const))("%s", (_n, e) => {
    const ws = samples(e, 8, e.id * 7919, (bits) => !compressedReserved(e.name, bits));
    expect(ws.length).toBe(8);
    for (const h of ws) {
      const hex = `0x${h.toString(16)}`;
      const [name, ops] = EXPANSION[e.name](operands(e.name, h) as Required<Operands>);
      const expected = asm(name, ops);
      expect(lookup(h), hex).toBe(e);
      expect(asm(e.name, operands(e.name, h)), hex).toBe(h);
      // The core expands it to exactly the instruction the spec says it stands for...
      expect(hart.core.expandCompressed(h), `${e.name} ${hex}`).toBe(expected);
      // ...and decodes it to that instruction's op (non-zero).
      expect(hart.core.decodeOp(h), hex).toBe(encoding(name).id);
      expect(disassemble(h, 0x8000_0000n, (x) => hart.core.expandCompressed(x)).split(" ")[0], hex).toBe(e.name);
    }
  });
});

describe("illegal and reserved encodings", () => {
  it("the values RVC reserves expand to nothing and decode as illegal (op 0)", () => {
    // §16: c.addi4spn nzuimm = 0, c.addiw rd = 0, c.addi16sp nzimm = 0, c.lui nzimm = 0,
    // c.lwsp/c.ldsp rd = 0, c.jr rs1 = 0.
    const reserved: Record<string, number[]> = {};
    for (const e of narrow) {
      const ws = samples(e, 4, e.id * 104729, (bits) => compressedReserved(e.name, bits));
      // make sure every entry with a reserved value gets tested, even when random bits miss it
      const forced = forceReserved(e);
      if (ws.length || forced.length) reserved[e.name] = [...ws, ...forced];
    }
    expect(Object.keys(reserved).sort()).toEqual(["c.addi16sp", "c.addi4spn", "c.addiw", "c.jr", "c.ldsp", "c.lui", "c.lwsp"]);
    for (const [name, ws] of Object.entries(reserved)) {
      for (const h of ws) {
        expect(hart.core.expandCompressed(h), `${name} 0x${h.toString(16)}`).toBe(0);
        expect(hart.core.decodeOp(h), `${name} 0x${h.toString(16)}`).toBe(0);
      }
    }
  });

  it("words outside the table decode as illegal", () => {
    expect(hart.core.decodeOp(0x0000)).toBe(0); // the all-zero halfword is defined illegal (§16.1)
    expect(hart.core.decodeOp(0xffffffff)).toBe(0);
    expect(hart.core.decodeOp(0x8000)).toBe(0); // quadrant 0, funct3 4: reserved
    expect(hart.core.decodeOp(0x9c41)).toBe(0); // 100 1 11 rd' 10 rs2' 01: reserved (§16.8, after c.subw/c.addw)
    expect(hart.core.decodeOp(0x0000_0033 | (0x7f << 25))).toBe(0); // OP with an unknown funct7
    expect(hart.core.decodeOp(0x0000_0057)).toBe(0); // OP-V: no vector extension
    expect(hart.core.decodeOp(0x0000_7003)).toBe(0); // LOAD funct3 7: reserved (would be ldu on RV128)
    expect(hart.core.decodeOp((asm("slli", { rd: 1, rs1: 1, imm: 1 }) | (1 << 30)) >>> 0)).toBe(0); // slli with funct6 = 0x10
    const next = rng(99);
    for (let i = 0; i < 5000; i++) {
      const w = next();
      expect(hart.core.decodeOp(w) === 0, `0x${w.toString(16)}`).toBe(lookupTable(w) === undefined || (lookupTable(w)!.width === 16 && compressedReserved(lookupTable(w)!.name, w)));
    }
  });
});

/** An encoding of e with each of its reserved operands set to zero, if it has any. */
function forceReserved(e: Encoding): number[] {
  const candidates = [e.match, e.match | 0x0c00 | 0x0070, e.match | 0x1000];
  return candidates.filter((h) => lookupTable(h) === e && compressedReserved(e.name, h));
}

describe("disassembler", () => {
  // objdump -M no-aliases (binutils 2.40) output for the same words, with ", " between
  // operands; compressed ones print their own name with the operands of their expansion.
  const pc = 0x8000_0000n;
  const cases: [number, string][] = [
    [0x00a00513, "addi a0, zero, 10"],
    [0xfe010113, "addi sp, sp, -32"],
    [0x00113423, "sd ra, 8(sp)"],
    [0xffc42783, "lw a5, -4(s0)"],
    [0x12345537, "lui a0, 0x12345"],
    [0xfffff297, "auipc t0, 0xfffff"],
    [0x00b50863, "beq a0, a1, 0x80000010"],
    [0xfe029ce3, "bne t0, zero, 0x7ffffff8"],
    [0xffdff0ef, "jal ra, 0x7ffffffc"],
    [0x00008067, "jalr zero, 0(ra)"],
    [0x00c5853b, "addw a0, a1, a2"],
    [0x34202573, "csrrs a0, mcause, zero"],
    [0x30529073, "csrrw zero, mtvec, t0"],
    [0x3002d073, "csrrwi zero, mstatus, 5"],
    [0x1445b573, "csrrc a0, sip, a1"],
    [0x00c5a52f, "amoadd.w a0, a2, (a1)"],
    [0x100532af, "lr.d t0, (a0)"],
    [0x18e6a7af, "sc.w a5, a4, (a3)"],
    [0x02c5f553, "fadd.d fa0, fa1, fa2"],
    [0x01013407, "fld fs0, 16(sp)"],
    [0xfef52c27, "fsw fa5, -8(a0)"],
    [0xe20f8553, "fmv.x.d a0, ft11"],
    [0xa0b52553, "feq.s a0, fa0, fa1"],
    [0x00000073, "ecall"],
    [0x30200073, "mret"],
    [0x10500073, "wfi"],
    [0x12b50073, "sfence.vma a0, a1"],
    [0x0505, "c.addi a0, a0, 1"],
    [0x4529, "c.li a0, zero, 10"],
    [0x8082, "c.jr zero, 0(ra)"],
    [0x852e, "c.mv a0, zero, a1"],
    [0x9002, "c.ebreak"],
    [0x67fd, "c.lui a5, 0x1f"],
    [0xbffd, "c.j zero, 0x7ffffffe"],
    [0xc501, "c.beqz a0, zero, 0x80000008"],
  ];
  it.each(cases)("0x%s", (w, text) => {
    expect(disassemble(w, pc, (h) => hart.core.expandCompressed(h))).toBe(text);
  });

  it("marks reserved and unknown encodings", () => {
    const expand = (h: number) => hart.core.expandCompressed(h);
    expect(disassemble(0x0000, pc, expand)).toBe("c.addi4spn (reserved)");
    expect(disassemble(0x4002, pc, expand)).toBe("c.lwsp (reserved)");
    expect(disassemble(0xffffffff, pc)).toBe("unknown 0xffffffff");
    expect(disassemble(0x0505, pc)).toBe("c.addi"); // without an expander: the name alone
  });
});
