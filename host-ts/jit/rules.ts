// What the translator handles and how: RV64IM by instruction name, with the wasm operators
// each one becomes, and how F/D instructions touch the x registers. decodeRegion (region.ts)
// stops a block at anything `translatable` refuses; emitRegion (translate.ts) has a rule
// for everything it accepts.
import { Op } from "./wasm-emitter.js";

/** M-extension helpers (core-as/jit-helpers.ts jitMulh, ...). */
export const M_HELPERS = ["mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu", "divw", "divuw", "remw", "remuw"] as const;

/**
 * The core's helpers (core-as/jit-helpers.ts: jitExecute, jitMulh, ...) in the order tier.ts
 * puts them in the helpers' table: translated code calls helper `name` at slot
 * HELPERS.indexOf(name).
 */
export const HELPERS: readonly string[] = ["execute", ...M_HELPERS];

/**
 * F, D, A and Zicsr run through the interpreter's semantics (jitExecute): the block only
 * has to know which x registers an instruction reads or writes, which its format says.
 * A CSR write that changes what translated code relies on (satp, mstatus, ...) raises
 * attention, after which the block leaves.
 */
export const HELPER_READS_X: Record<string, ("rs1" | "rs2")[]> = {
  F_I: ["rs1"], F_S: ["rs1"], FX: ["rs1"], FXN: ["rs1"], CSR: ["rs1"], LR: ["rs1"], AMO: ["rs1", "rs2"],
};
export const HELPER_WRITES_X = new Set(["XF", "XFF", "FXF", "CSR", "CSRI", "LR", "AMO"]); // rd
export const FP_ONLY = new Set(["FR", "FR1", "FRN", "R4"]);
/**
 * FP loads and stores are translated inline (they are most of an FP loop's instructions):
 * [size, NaN-box the loaded value]. mstatus.FS gates them and a load marks FS dirty, as in
 * core-as/fp.ts; with FS off they take the interpreter's path, which raises the trap.
 */
export const FP_MEMORY: Record<string, [size: number, box: boolean]> = {
  flw: [4, true], fld: [8, false], fsw: [4, false], fsd: [8, false],
};
export const MSTATUS_FS = 3n << 13n;

export const LOADS: Record<string, [size: number, op: number]> = {
  lb: [1, Op.i64_load8_s], lh: [2, Op.i64_load16_s], lw: [4, Op.i64_load32_s], ld: [8, Op.i64_load],
  lbu: [1, Op.i64_load8_u], lhu: [2, Op.i64_load16_u], lwu: [4, Op.i64_load32_u],
};
export const STORES: Record<string, [size: number, op: number]> = {
  sb: [1, Op.i64_store8], sh: [2, Op.i64_store16], sw: [4, Op.i64_store32], sd: [8, Op.i64_store],
};
export const BRANCHES: Record<string, number> = {
  beq: Op.i64_eq, bne: Op.i64_ne, blt: Op.i64_lt_s, bge: Op.i64_ge_s, bltu: Op.i64_lt_u, bgeu: Op.i64_ge_u,
};
export const ALU_RR: Record<string, number[]> = {
  add: [Op.i64_add], sub: [Op.i64_sub], sll: [Op.i64_shl], srl: [Op.i64_shr_u], sra: [Op.i64_shr_s],
  xor: [Op.i64_xor], or: [Op.i64_or], and: [Op.i64_and], mul: [Op.i64_mul],
  slt: [Op.i64_lt_s, Op.i64_extend_i32_u], sltu: [Op.i64_lt_u, Op.i64_extend_i32_u],
  addw: [Op.i64_add, Op.i64_extend32_s], subw: [Op.i64_sub, Op.i64_extend32_s], mulw: [Op.i64_mul, Op.i64_extend32_s],
};
export const ALU_RI: Record<string, number[]> = {
  addi: [Op.i64_add], xori: [Op.i64_xor], ori: [Op.i64_or], andi: [Op.i64_and],
  slti: [Op.i64_lt_s, Op.i64_extend_i32_u], sltiu: [Op.i64_lt_u, Op.i64_extend_i32_u],
  slli: [Op.i64_shl], srli: [Op.i64_shr_u], srai: [Op.i64_shr_s],
  addiw: [Op.i64_add, Op.i64_extend32_s], slliw: [Op.i64_shl, Op.i64_extend32_s],
};
/** 32-bit shifts: done on i32 (whose shift counts wasm masks to 5 bits, as RV64 does). */
export const SHIFT_W: Record<string, number> = {
  sllw: Op.i32_shl, srlw: Op.i32_shr_u, sraw: Op.i32_shr_s, srliw: Op.i32_shr_u, sraiw: Op.i32_shr_s,
};
export const ENDS_BLOCK = new Set(["jal", "jalr"]);

/** Instructions the translator hands to the interpreter's semantics (FP loads and stores it inlines: FP_MEMORY). */
export const runsInHelper = (format: string, ext: string) =>
  ((ext === "F" || ext === "D") && (format in HELPER_READS_X || HELPER_WRITES_X.has(format) || FP_ONLY.has(format))) ||
  ext === "A" || ext === "Zicsr";

/**
 * The rule an instruction name falls under, once looked up: the translator asks for every
 * instruction it decodes and emits, and a chain of membership tests cost it tens of
 * nanoseconds each (more before V8 optimises the translator, which is most of a boot).
 */
export const Rule = {
  None: 0, AluRR: 1, AluRI: 2, ShiftW: 3, MHelper: 4, Lui: 5, Auipc: 6, Jal: 7, Jalr: 8, Fence: 9,
  Load: 10, Store: 11, Branch: 12, Helper: 13, FpMemory: 14,
} as const;
export type RuleId = (typeof Rule)[keyof typeof Rule];

const ruleCache = new Map<string, RuleId>();

/** The rule for an instruction name ("helper": one that runs in the interpreter's semantics). */
export function ruleOf(name: string): RuleId {
  let r = ruleCache.get(name);
  if (r === undefined) {
    r = classify(name);
    ruleCache.set(name, r);
  }
  return r;
}

function classify(name: string): RuleId {
  const own = (table: object) => Object.prototype.hasOwnProperty.call(table, name);
  if (own(ALU_RR)) return Rule.AluRR;
  if (own(ALU_RI)) return Rule.AluRI;
  if (own(SHIFT_W)) return Rule.ShiftW;
  if ((M_HELPERS as readonly string[]).includes(name)) return Rule.MHelper;
  if (own(LOADS)) return Rule.Load;
  if (own(STORES)) return Rule.Store;
  if (own(BRANCHES)) return Rule.Branch;
  if (own(FP_MEMORY)) return Rule.FpMemory;
  switch (name) {
    case "lui": return Rule.Lui;
    case "auipc": return Rule.Auipc;
    case "jal": return Rule.Jal;
    case "jalr": return Rule.Jalr;
    case "fence": return Rule.Fence;
    case "helper": return Rule.Helper;
    default: return Rule.None;
  }
}

/** Integer instructions the translator emits code for. */
export function translatable(name: string): boolean {
  const r = ruleOf(name);
  return r !== Rule.None && r !== Rule.Helper && r !== Rule.FpMemory;
}
