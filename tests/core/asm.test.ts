// The test assembler (tests/support/asm.ts) itself: the words below were produced by GNU as
// 2.40 (-march=rv64gc) and printed by objdump -M no-aliases, so the other core tests can
// trust the instructions they build.
import { describe, it, expect } from "vitest";
import { ENCODINGS } from "../../core-as/isa/encodings.js";
import { asm, operands, operandMask, operandNames, lookupTable, halves, type Operands } from "../support/asm.js";
import { X } from "../support/riscv.js";

const { zero, ra, sp, t0, t1, t2, t3, s0, s1, a0, a1, a2, a3, a4, a5 } = X;

/** [GNU source line, word, name, operands]. */
const KNOWN: [string, number, string, Operands][] = [
  ["addi a0,zero,10", 0x00a00513, "addi", { rd: a0, rs1: zero, imm: 10 }],
  ["addi sp,sp,-32", 0xfe010113, "addi", { rd: sp, rs1: sp, imm: -32 }],
  ["sd ra,8(sp)", 0x00113423, "sd", { rs2: ra, rs1: sp, imm: 8 }],
  ["ld ra,8(sp)", 0x00813083, "ld", { rd: ra, rs1: sp, imm: 8 }],
  ["lw a5,-4(s0)", 0xffc42783, "lw", { rd: a5, rs1: s0, imm: -4 }],
  ["lui a0,0x12345", 0x12345537, "lui", { rd: a0, imm: 0x12345 }],
  ["auipc t0,0xfffff", 0xfffff297, "auipc", { rd: t0, imm: 0xfffff }],
  ["beq a0,a1,.+16", 0x00b50863, "beq", { rs1: a0, rs2: a1, imm: 16 }],
  ["bne t0,zero,.-8", 0xfe029ce3, "bne", { rs1: t0, rs2: zero, imm: -8 }],
  ["jal ra,.-4", 0xffdff0ef, "jal", { rd: ra, imm: -4 }],
  ["jalr zero,0(ra)", 0x00008067, "jalr", { rd: zero, rs1: ra, imm: 0 }],
  ["slli a0,a0,63", 0x03f51513, "slli", { rd: a0, rs1: a0, imm: 63 }],
  ["srai a1,a1,1", 0x4015d593, "srai", { rd: a1, rs1: a1, imm: 1 }],
  ["sraiw a2,a3,31", 0x41f6d61b, "sraiw", { rd: a2, rs1: a3, imm: 31 }],
  ["addw a0,a1,a2", 0x00c5853b, "addw", { rd: a0, rs1: a1, rs2: a2 }],
  ["mulhu t1,t2,t3", 0x03c3b333, "mulhu", { rd: t1, rs1: t2, rs2: t3 }],
  ["csrrs a0,mcause,zero", 0x34202573, "csrrs", { rd: a0, csr: 0x342, rs1: zero }],
  ["csrrw zero,mtvec,t0", 0x30529073, "csrrw", { rd: zero, csr: 0x305, rs1: t0 }],
  ["csrrwi zero,mstatus,5", 0x3002d073, "csrrwi", { rd: zero, csr: 0x300, uimm: 5 }],
  ["csrrc a0,sip,a1", 0x1445b573, "csrrc", { rd: a0, csr: 0x144, rs1: a1 }],
  ["amoadd.w a0,a2,(a1)", 0x00c5a52f, "amoadd.w", { rd: a0, rs2: a2, rs1: a1 }],
  ["amoswap.d.aqrl t0,t1,(a0)", 0x0e6532af, "amoswap.d", { rd: t0, rs2: t1, rs1: a0, aq: 1, rl: 1 }],
  ["lr.d t0,(a0)", 0x100532af, "lr.d", { rd: t0, rs1: a0 }],
  ["sc.w a5,a4,(a3)", 0x18e6a7af, "sc.w", { rd: a5, rs2: a4, rs1: a3 }],
  ["fadd.d fa0,fa1,fa2", 0x02c5f553, "fadd.d", { rd: 10, rs1: 11, rs2: 12 }],
  ["fmadd.s ft0,ft1,ft2,ft3,rne", 0x18208043, "fmadd.s", { rd: 0, rs1: 1, rs2: 2, rs3: 3, rm: 0 }],
  ["fld fs0,16(sp)", 0x01013407, "fld", { rd: 8, rs1: sp, imm: 16 }],
  ["fsw fa5,-8(a0)", 0xfef52c27, "fsw", { rs2: 15, rs1: a0, imm: -8 }],
  ["fcvt.w.s a0,fa0,rtz", 0xc0051553, "fcvt.w.s", { rd: a0, rs1: 10, rm: 1 }],
  ["fmv.x.d a0,ft11", 0xe20f8553, "fmv.x.d", { rd: a0, rs1: 31 }],
  ["feq.s a0,fa0,fa1", 0xa0b52553, "feq.s", { rd: a0, rs1: 10, rs2: 11 }],
  ["fence iorw,iorw", 0x0ff0000f, "fence", {}],
  ["fence.i", 0x0000100f, "fence.i", {}],
  ["ecall", 0x00000073, "ecall", {}],
  ["mret", 0x30200073, "mret", {}],
  ["wfi", 0x10500073, "wfi", {}],
  ["sfence.vma a0,a1", 0x12b50073, "sfence.vma", { rs1: a0, rs2: a1 }],
  // RVC
  ["c.addi a0,1", 0x0505, "c.addi", { rd: a0, imm: 1 }],
  ["c.li a0,10", 0x4529, "c.li", { rd: a0, imm: 10 }],
  ["c.addi16sp sp,-64", 0x7139, "c.addi16sp", { imm: -64 }],
  ["c.addi4spn s0,sp,16", 0x0800, "c.addi4spn", { rd: s0, imm: 16 }],
  ["c.lw a0,4(a1)", 0x41c8, "c.lw", { rd: a0, rs1: a1, imm: 4 }],
  ["c.sd s1,8(a0)", 0xe504, "c.sd", { rs2: s1, rs1: a0, imm: 8 }],
  ["c.sdsp ra,24(sp)", 0xec06, "c.sdsp", { rs2: ra, imm: 24 }],
  ["c.ldsp ra,24(sp)", 0x60e2, "c.ldsp", { rd: ra, imm: 24 }],
  ["c.j .-2", 0xbffd, "c.j", { imm: -2 }],
  ["c.beqz a0,.+8", 0xc501, "c.beqz", { rs1: a0, imm: 8 }],
  ["c.jr ra", 0x8082, "c.jr", { rs1: ra }],
  ["c.jalr a5", 0x9782, "c.jalr", { rs1: a5 }],
  ["c.mv a0,a1", 0x852e, "c.mv", { rd: a0, rs2: a1 }],
  ["c.add a0,a1", 0x952e, "c.add", { rd: a0, rs2: a1 }],
  ["c.ebreak", 0x9002, "c.ebreak", {}],
  ["c.lui a5,0x1f", 0x67fd, "c.lui", { rd: a5, imm: 0x1f }],
  ["c.srli s0,3", 0x800d, "c.srli", { rd: s0, imm: 3 }],
  ["c.and a4,a5", 0x8f7d, "c.and", { rd: a4, rs2: a5 }],
];

describe("test assembler", () => {
  it.each(KNOWN)("%s", (_src, word, name, ops) => {
    expect(asm(name, ops)).toBe(word);
    expect(lookupTable(word)?.name).toBe(name);
  });

  it("decodes operands back (operands() inverts asm())", () => {
    for (const [, word, name, ops] of KNOWN) {
      const back = operands(name, word);
      for (const [k, v] of Object.entries(ops)) expect(back[k as keyof Operands], `${name} ${k}`).toBe(v);
    }
  });

  it("operand fields of every entry fill exactly the bits the table leaves free", () => {
    const problems: string[] = [];
    for (const e of ENCODINGS) {
      const full = e.width === 16 ? 0xffff : 0xffffffff;
      const ops = operandMask(e.name);
      if ((ops & e.mask) !== 0) problems.push(`${e.name}: operands overlap fixed bits`);
      // fence.i: the spec reserves its rd/rs1/imm fields ("should be zero"), the table leaves them free.
      if (e.name !== "fence.i" && ((ops | e.mask) >>> 0) !== full) problems.push(`${e.name}: bits neither fixed nor operands`);
    }
    expect(problems).toEqual([]);
  });

  it("rejects operands that do not fit, break alignment, are reserved or are not operands", () => {
    expect(() => asm("addi", { rd: a0, imm: 2048 })).toThrow(/does not fit/);
    expect(() => asm("addi", { rd: a0, imm: -2049 })).toThrow(/does not fit/);
    expect(asm("addi", { rd: a0, imm: -2048 })).toBe(0x80000513);
    expect(() => asm("addi", { rd: 32 })).toThrow(/does not fit/);
    expect(() => asm("beq", { imm: 3 })).toThrow(/multiple of 2/);
    expect(() => asm("beq", { imm: 4096 })).toThrow(/does not fit/);
    expect(() => asm("jal", { imm: 1 << 20 })).toThrow(/does not fit/);
    expect(() => asm("lui", { rd: a0, imm: 1 << 20 })).toThrow(/does not fit/);
    expect(() => asm("slli", { rd: a0, imm: 64 })).toThrow(/does not fit/);
    expect(() => asm("slliw", { rd: a0, imm: 32 })).toThrow(/does not fit/);
    expect(() => asm("csrrw", { csr: 0x1000 })).toThrow(/does not fit/);
    expect(() => asm("csrrwi", { uimm: 32, csr: 0x300 })).toThrow(/does not fit/);
    expect(() => asm("fsqrt.s", { rd: 1, rs1: 2, rs2: 3 })).toThrow(/takes no operand 'rs2'/);
    expect(() => asm("csrrwi", { rs1: 1, csr: 0x300 })).toThrow(/takes no operand 'rs1'/);
    expect(() => asm("ecall", { rd: 1 })).toThrow(/takes no operand/);
    expect(() => asm("nosuch")).toThrow(/no instruction/);
    expect(() => asm("c.lw", { rd: 7, rs1: a1 })).toThrow(/x8–x15/);
    expect(() => asm("c.lw", { rd: a0, rs1: a1, imm: 2 })).toThrow(/multiple of 4/);
    expect(() => asm("c.ld", { rd: a0, rs1: a1, imm: 256 })).toThrow(/does not fit/);
    expect(() => asm("c.addi4spn", { rd: s0, imm: 0 })).toThrow(/reserved/);
    expect(() => asm("c.addi16sp", { imm: 0 })).toThrow(/reserved/);
    expect(() => asm("c.lui", { rd: a0, imm: 0 })).toThrow(/reserved/);
    expect(() => asm("c.lwsp", { rd: 0, imm: 4 })).toThrow(/reserved/);
    expect(() => asm("c.jr", { rs1: 0 })).toThrow(/reserved/);
    expect(() => asm("c.lui", { rd: sp, imm: 1 })).toThrow(/encode as c.addi16sp/);
    expect(() => asm("c.mv", { rd: a0, rs2: 0 })).toThrow(/encode as c.jr/);
    expect(() => asm("c.add", { rd: 0, rs2: 0 })).toThrow(/encode as c.ebreak/);
  });

  it("lists operands by format", () => {
    expect(operandNames("fmadd.d")).toEqual(["rd", "rs1", "rs2", "rs3", "rm"]);
    expect(operandNames("lr.w")).toEqual(["rd", "rs1", "aq", "rl"]);
    expect(operandNames("c.sw")).toEqual(["rs2", "rs1", "imm"]);
    expect(halves(asm("c.addi", { rd: a0, imm: 1 }), 0x00a00513)).toEqual([0x0505, 0x0513, 0x00a0]);
  });
});
