// Every instruction the region decoder accepts has an emission rule, and the code emitted
// for it is valid WebAssembly against the imports its module declares: the helpers' table
// only where the body says it calls one (FuncBody.calls; a
// call_indirect without a table does not validate).
import { describe, it, expect } from "vitest";
import { ENCODINGS } from "../../core-as/isa/encodings.js";
import { translatable, runsInHelper, FP_MEMORY } from "../../host-ts/jit/rules.js";
import type { Insn, TranslatorCore } from "../../host-ts/jit/region.js";
import { emitRegion, regionLocals, BLOCK_TYPE } from "../../host-ts/jit/translate.js";
import { newModule } from "../../host-ts/jit/tier.js";

const core: TranslatorCore = {
  bytes: new Uint8Array(0), expandCompressed: () => 0, decodeOp: () => 0, decodeImm: () => 0,
  xreg: 0x10000, freg: 0x10100, mstatus: 0x10200, fcsr: 0x10208, tlbTagsR: 0, tlbTagsW: 2048, tlbTagsX: 4096,
  tlbAddend: 6144, tlbEntries: 256, maxInsns: 128, secondHalf: () => -1, jitRemaining: 0x10300, jitDataTlb: 0x10304, jitStraightExit: 0x10308,
};

const accepted = ENCODINGS.filter((e) => e.width === 32 && (translatable(e.name) || runsInHelper(e.format, e.ext)));

describe("translation rules", () => {
  it("cover RV64IMAFD and Zicsr (the tier's scope)", () => {
    const names = new Set(accepted.map((e) => e.name));
    for (const n of ["addi", "ld", "sd", "beq", "jal", "jalr", "mulh", "divuw", "fld", "fsw", "fmadd.d", "fcvt.w.s", "csrrw", "csrrci", "amoadd.w", "lr.d", "sc.w"]) {
      expect(names.has(n), n).toBe(true);
    }
    for (const n of ["ecall", "ebreak", "mret", "sret", "wfi", "sfence.vma", "fence.i"]) expect(names.has(n), n).toBe(false);
  });

  it.each(accepted.flatMap((e) => [[e.name, e, false], [`${e.name} straddling a page end`, e, true]] as const))("%s emits valid code", (_name, e, straddles) => {
    const fp = runsInHelper(e.format, e.ext) && !(e.name in FP_MEMORY);
    const insn: Insn = {
      off: 0, len: 4, name: fp ? "helper" : e.name, op: e.id, format: e.format, word: e.match, raw: e.match,
      rd: 5, rs1: 6, rs2: 7, imm: e.format === "B" || e.format === "J" ? 8 : 4,
      ...(straddles ? { secondHalf: e.match >>> 16 } : {}),
    };
    const blocks = [{ start: 0, insns: [insn] }];
    const body = emitRegion(core, blocks);
    const w = newModule(body.calls);
    w.func(BLOCK_TYPE, regionLocals(blocks), body);
    expect(WebAssembly.validate(w.bytes() as BufferSource)).toBe(true);
  });

  it("import no function, so V8 compiles no call wrapper for any module, and the helpers' table only where code calls one", () => {
    const insn = (name: string): Insn => {
      const e = ENCODINGS.find((x) => x.name === name)!;
      return { off: 0, len: 4, name, op: e.id, format: e.format, word: e.match, raw: e.match, rd: 5, rs1: 6, rs2: 7, imm: 8 };
    };
    const importKinds = (blocks: { start: number; insns: Insn[] }[]) => {
      const body = emitRegion(core, blocks);
      const w = newModule(body.calls);
      w.func(BLOCK_TYPE, regionLocals(blocks), body);
      return WebAssembly.Module.imports(new WebAssembly.Module(w.bytes() as BufferSource)).map((i) => i.kind);
    };
    const plain = importKinds([{ start: 0, insns: ["addi", "ld", "sd", "mul", "beq"].map(insn) }]);
    expect(plain).not.toContain("function");
    expect(plain).not.toContain("table");
    const calling = importKinds([{ start: 0, insns: [insn("addi"), insn("divu")] }]);
    expect(calling).not.toContain("function");
    expect(calling.filter((k) => k === "table")).toHaveLength(1);
  });
});
