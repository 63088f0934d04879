// A small assembler for the core tests, built on the encoding table
// (core-as/isa/encodings.js): the table gives each instruction's fixed bits and its
// format; this file places the operands of each format where the specifications put
// them (unprivileged ISA 20191213 §2.2–2.3 for the 32-bit formats, §16.2 for RVC).
//
//   asm("addi", { rd: 10, rs1: 0, imm: 5 })           0x00500513
//   asm("csrrw", { rd: 1, csr: 0x300, rs1: 2 })        0x300110f3
//   asm("c.addi", { rd: 10, imm: 1 })                  0x0505 (16 bits)
//
// Immediates are the values an assembler takes: byte offsets for branches, jumps and
// memory; the 20-bit upper value for lui/auipc (and the 6-bit one for c.lui). An
// operand that does not fit its field, breaks the field's alignment, is zero where
// the spec reserves zero (RVC), or is not an operand of the instruction throws.
import { ENCODINGS } from "../../core-as/isa/encodings.js";

export type Encoding = (typeof ENCODINGS)[number];

/** Operand names: registers, immediate, CSR number, and the few single-purpose fields. */
export interface Operands {
  rd?: number; rs1?: number; rs2?: number; rs3?: number;
  imm?: number; csr?: number; uimm?: number; rm?: number;
  aq?: number; rl?: number; pred?: number; succ?: number; fm?: number;
}
export type OperandName = keyof Operands;

export const byName: ReadonlyMap<string, Encoding> = new Map(ENCODINGS.map((e) => [e.name, e]));

/** One entry of the table by name (throws if unknown). */
export function encoding(name: string): Encoding {
  const e = byName.get(name);
  if (!e) throw new Error(`asm: no instruction '${name}' in the encoding table`);
  return e;
}

// --- immediates scattered over instruction bits, in the specs' own notation ---

/**
 * Instruction bits `start, start-1, ...` hold the immediate bits listed in `spec`, written
 * as in the specs' encoding figures: "12|10:5" is imm[12] then imm[10] down to imm[5].
 */
type Part = readonly [start: number, spec: string];
interface ImmLayout { parts: readonly Part[]; signed: boolean | "either"; nz?: boolean }

function expand(spec: string): number[] {
  const out: number[] = [];
  for (const tok of spec.split("|")) {
    const m = /^(\d+)(?::(\d+))?$/.exec(tok);
    if (!m) throw new Error(`asm: bad immediate spec '${spec}'`);
    const hi = Number(m[1]), lo = m[2] === undefined ? hi : Number(m[2]);
    for (let b = hi; b >= lo; b--) out.push(b);
  }
  return out;
}

/** (instruction bit, immediate bit) pairs of a layout. */
function placements(layout: ImmLayout): [number, number][] {
  const out: [number, number][] = [];
  for (const [start, spec] of layout.parts) expand(spec).forEach((immBit, k) => out.push([start - k, immBit]));
  return out;
}

function immMask(layout: ImmLayout): number {
  let m = 0;
  for (const [at] of placements(layout)) m |= 1 << at;
  return m >>> 0;
}

function encodeImm(what: string, layout: ImmLayout, imm: number): number {
  if (!Number.isInteger(imm)) throw new Error(`${what}: immediate ${imm} is not an integer`);
  const pl = placements(layout);
  const used = new Set(pl.map(([, b]) => b));
  const top = Math.max(...used);
  const lo = layout.signed === false ? 0 : -(2 ** top);
  const hi = layout.signed === true ? 2 ** top - 1 : 2 ** (top + 1) - 1;
  if (imm < lo || imm > hi) throw new Error(`${what}: immediate ${imm} does not fit [${lo}, ${hi}]`);
  for (let b = 0; b < top; b++) {
    if (!used.has(b) && Math.floor(imm / 2 ** b) % 2 !== 0) throw new Error(`${what}: immediate ${imm} is not a multiple of ${2 ** (b + 1)}`);
  }
  if (layout.nz && imm === 0) throw new Error(`${what}: a zero immediate is reserved`);
  const bitsOf = BigInt.asUintN(top + 1, BigInt(imm));
  let w = 0;
  for (const [at, b] of pl) if ((bitsOf >> BigInt(b)) & 1n) w |= 1 << at;
  return w >>> 0;
}

function decodeImm(layout: ImmLayout, w: number): number {
  const pl = placements(layout);
  const top = Math.max(...pl.map(([, b]) => b));
  let v = 0;
  for (const [at, b] of pl) if ((w >>> at) & 1) v += 2 ** b;
  if (layout.signed === true && v >= 2 ** top) v -= 2 ** (top + 1);
  return v;
}

// --- 32-bit formats ---

/** Plain fields: [lowest bit, width]. */
const FIELDS: Record<Exclude<OperandName, "imm">, readonly [number, number]> = {
  rd: [7, 5], rs1: [15, 5], rs2: [20, 5], rs3: [27, 5], rm: [12, 3], aq: [26, 1], rl: [25, 1],
  csr: [20, 12], uimm: [15, 5], pred: [24, 4], succ: [20, 4], fm: [28, 4],
};

const IMM32: Record<string, ImmLayout> = {
  I: { parts: [[31, "11:0"]], signed: true },
  S: { parts: [[31, "11:5"], [11, "4:0"]], signed: true },
  B: { parts: [[31, "12|10:5"], [11, "4:1|11"]], signed: true },
  U: { parts: [[31, "19:0"]], signed: "either" },
  J: { parts: [[31, "20|10:1|11|19:12"]], signed: true },
  SH6: { parts: [[25, "5:0"]], signed: false },
  SH5: { parts: [[24, "4:0"]], signed: false },
};

/** Operands of each 32-bit format, and which immediate layout it uses. */
const FORMAT32: Record<string, { ops: readonly OperandName[]; imm?: ImmLayout }> = {
  R: { ops: ["rd", "rs1", "rs2"] },
  R4: { ops: ["rd", "rs1", "rs2", "rs3", "rm"] },
  I: { ops: ["rd", "rs1", "imm"], imm: IMM32.I },
  F_I: { ops: ["rd", "rs1", "imm"], imm: IMM32.I },
  S: { ops: ["rs1", "rs2", "imm"], imm: IMM32.S },
  F_S: { ops: ["rs1", "rs2", "imm"], imm: IMM32.S },
  B: { ops: ["rs1", "rs2", "imm"], imm: IMM32.B },
  U: { ops: ["rd", "imm"], imm: IMM32.U },
  J: { ops: ["rd", "imm"], imm: IMM32.J },
  SH6: { ops: ["rd", "rs1", "imm"], imm: IMM32.SH6 },
  SH5: { ops: ["rd", "rs1", "imm"], imm: IMM32.SH5 },
  CSR: { ops: ["rd", "rs1", "csr"] },
  CSRI: { ops: ["rd", "uimm", "csr"] },
  FR: { ops: ["rd", "rs1", "rs2", "rm"] },
  FR1: { ops: ["rd", "rs1", "rm"] },
  FRN: { ops: ["rd", "rs1", "rs2"] },
  FXF: { ops: ["rd", "rs1", "rm"] },
  XF: { ops: ["rd", "rs1"] },
  XFF: { ops: ["rd", "rs1", "rs2"] },
  FX: { ops: ["rd", "rs1", "rm"] },
  FXN: { ops: ["rd", "rs1"] },
  AMO: { ops: ["rd", "rs1", "rs2", "aq", "rl"] },
  LR: { ops: ["rd", "rs1", "aq", "rl"] },
  NONE: { ops: [] },
  FENCE: { ops: ["rd", "rs1", "pred", "succ", "fm"] },
  SFENCE: { ops: ["rs1", "rs2"] },
};

/** Defaults for operands left out: 0, except dynamic rounding and a full fence (as GNU as). */
const DEFAULTS: Partial<Record<OperandName, number>> = { rm: 7, pred: 15, succ: 15 };

// --- RVC (unprivileged §16.3–16.7): operands of each compressed instruction ---

/** A register field: its lowest bit, whether it is a 3-bit x8–x15 field, zero reserved. */
interface CReg { lo: number; prime: boolean; nz?: boolean }
interface CForm { regs: Partial<Record<"rd" | "rs1" | "rs2", CReg>>; imm?: ImmLayout }

const HI: CReg = { lo: 7, prime: false }; // bits 11..7
const HI_NZ: CReg = { lo: 7, prime: false, nz: true };
const LO: CReg = { lo: 2, prime: false }; // bits 6..2
const P_HI: CReg = { lo: 7, prime: true }; // bits 9..7
const P_LO: CReg = { lo: 2, prime: true }; // bits 4..2
const CI_S: ImmLayout = { parts: [[12, "5"], [6, "4:0"]], signed: true };
const CI_U: ImmLayout = { parts: [[12, "5"], [6, "4:0"]], signed: false };
const CL_D: ImmLayout = { parts: [[12, "5:3"], [6, "7:6"]], signed: false };
const CL_W: ImmLayout = { parts: [[12, "5:3"], [6, "2|6"]], signed: false };
const SP_D: ImmLayout = { parts: [[12, "5"], [6, "4:3|8:6"]], signed: false };
const SS_D: ImmLayout = { parts: [[12, "5:3|8:6"]], signed: false };

const CFORMS: Record<string, CForm> = {
  "c.addi4spn": { regs: { rd: P_LO }, imm: { parts: [[12, "5:4|9:6|2|3"]], signed: false, nz: true } },
  "c.fld": { regs: { rd: P_LO, rs1: P_HI }, imm: CL_D },
  "c.lw": { regs: { rd: P_LO, rs1: P_HI }, imm: CL_W },
  "c.ld": { regs: { rd: P_LO, rs1: P_HI }, imm: CL_D },
  "c.fsd": { regs: { rs2: P_LO, rs1: P_HI }, imm: CL_D },
  "c.sw": { regs: { rs2: P_LO, rs1: P_HI }, imm: CL_W },
  "c.sd": { regs: { rs2: P_LO, rs1: P_HI }, imm: CL_D },
  "c.addi": { regs: { rd: HI }, imm: CI_S },
  "c.addiw": { regs: { rd: HI_NZ }, imm: CI_S },
  "c.li": { regs: { rd: HI }, imm: CI_S },
  "c.addi16sp": { regs: {}, imm: { parts: [[12, "9"], [6, "4|6|8:7|5"]], signed: true, nz: true } },
  "c.lui": { regs: { rd: HI }, imm: { ...CI_S, nz: true } }, // imm = nzimm[17:12]
  "c.srli": { regs: { rd: P_HI }, imm: CI_U },
  "c.srai": { regs: { rd: P_HI }, imm: CI_U },
  "c.andi": { regs: { rd: P_HI }, imm: CI_S },
  "c.sub": { regs: { rd: P_HI, rs2: P_LO } },
  "c.xor": { regs: { rd: P_HI, rs2: P_LO } },
  "c.or": { regs: { rd: P_HI, rs2: P_LO } },
  "c.and": { regs: { rd: P_HI, rs2: P_LO } },
  "c.subw": { regs: { rd: P_HI, rs2: P_LO } },
  "c.addw": { regs: { rd: P_HI, rs2: P_LO } },
  "c.j": { regs: {}, imm: { parts: [[12, "11|4|9:8|10|6|7|3:1|5"]], signed: true } },
  "c.beqz": { regs: { rs1: P_HI }, imm: { parts: [[12, "8|4:3"], [6, "7:6|2:1|5"]], signed: true } },
  "c.bnez": { regs: { rs1: P_HI }, imm: { parts: [[12, "8|4:3"], [6, "7:6|2:1|5"]], signed: true } },
  "c.slli": { regs: { rd: HI }, imm: CI_U },
  "c.fldsp": { regs: { rd: HI }, imm: SP_D },
  "c.lwsp": { regs: { rd: HI_NZ }, imm: { parts: [[12, "5"], [6, "4:2|7:6"]], signed: false } },
  "c.ldsp": { regs: { rd: HI_NZ }, imm: SP_D },
  "c.jr": { regs: { rs1: HI_NZ } },
  "c.mv": { regs: { rd: HI, rs2: LO } },
  "c.ebreak": { regs: {} },
  "c.jalr": { regs: { rs1: HI } },
  "c.add": { regs: { rd: HI, rs2: LO } },
  "c.fsdsp": { regs: { rs2: LO }, imm: SS_D },
  "c.swsp": { regs: { rs2: LO }, imm: { parts: [[12, "5:2|7:6"]], signed: false } },
  "c.sdsp": { regs: { rs2: LO }, imm: SS_D },
};

function cForm(e: Encoding): CForm {
  const f = CFORMS[e.name];
  if (!f) throw new Error(`asm: no operand layout for ${e.name}`);
  return f;
}

/** The operand names an instruction takes. */
export function operandNames(name: string): OperandName[] {
  const e = encoding(name);
  if (e.width === 16) {
    const f = cForm(e);
    return [...(Object.keys(f.regs) as OperandName[]), ...(f.imm ? (["imm"] as const) : [])];
  }
  const f = FORMAT32[e.format];
  if (!f) throw new Error(`asm: unknown format ${e.format} of ${name}`);
  return [...f.ops];
}

/** The instruction bits its operands occupy (for checking the table leaves them free). */
export function operandMask(name: string): number {
  const e = encoding(name);
  let m = 0;
  if (e.width === 16) {
    const f = cForm(e);
    for (const r of Object.values(f.regs)) m |= (r.prime ? 7 : 31) << r.lo;
    if (f.imm) m |= immMask(f.imm);
    return m >>> 0;
  }
  const f = FORMAT32[e.format];
  for (const op of f.ops) {
    if (op === "imm") m |= immMask(f.imm!);
    else m |= ((2 ** FIELDS[op][1] - 1) << FIELDS[op][0]);
  }
  return m >>> 0;
}

function checkNames(e: Encoding, ops: Operands): void {
  const allowed = new Set(operandNames(e.name));
  for (const k of Object.keys(ops) as OperandName[]) {
    if (ops[k] !== undefined && !allowed.has(k)) throw new Error(`asm: ${e.name} (${e.format}) takes no operand '${k}'`);
  }
}

function field(what: string, v: number, width: number): number {
  if (!Number.isInteger(v) || v < 0 || v >= 2 ** width) throw new Error(`${what}: ${v} does not fit ${width} bits`);
  return v;
}

/** Encodes one instruction: a 32-bit word, or a 16-bit value for a c.* entry. */
export function asm(name: string, ops: Operands = {}): number {
  const e = encoding(name);
  checkNames(e, ops);
  return e.width === 16 ? asm16(e, ops) : asm32(e, ops);
}

function asm32(e: Encoding, ops: Operands): number {
  const f = FORMAT32[e.format];
  let w = e.match;
  for (const op of f.ops) {
    const v = ops[op] ?? DEFAULTS[op] ?? 0;
    if (op === "imm") w |= encodeImm(`asm ${e.name}`, f.imm!, v);
    else w |= field(`asm ${e.name} ${op}`, v, FIELDS[op][1]) << FIELDS[op][0];
  }
  w >>>= 0;
  if (((w & e.mask) >>> 0) !== e.match) throw new Error(`asm: ${e.name} operands overwrite fixed bits`);
  return w;
}

function asm16(e: Encoding, ops: Operands): number {
  const f = cForm(e);
  let h = e.match;
  for (const [name, r] of Object.entries(f.regs) as [keyof CForm["regs"], CReg][]) {
    const v = ops[name] ?? 0;
    const what = `asm ${e.name} ${name}`;
    if (r.prime) {
      if (!Number.isInteger(v) || v < 8 || v > 15) throw new Error(`${what}: x${v} is not one of x8–x15`);
      h |= (v - 8) << r.lo;
    } else {
      field(what, v, 5);
      if (r.nz && v === 0) throw new Error(`${what}: x0 is reserved here`);
      h |= v << r.lo;
    }
  }
  if (f.imm) h |= encodeImm(`asm ${e.name}`, f.imm, ops.imm ?? 0);
  h >>>= 0;
  // A value that lands on a more specific entry (c.mv with rs2 = 0 is c.jr) is not this one.
  const owner = lookupTable(h);
  if (owner !== e) throw new Error(`asm: these operands make ${e.name} encode as ${owner?.name ?? "nothing"}`);
  return h;
}

/** The operands encoded in `bits` for entry `name` (the inverse of asm). */
export function operands(name: string, bits: number): Operands {
  const e = encoding(name);
  const out: Operands = {};
  if (e.width === 16) {
    const f = cForm(e);
    for (const [n, r] of Object.entries(f.regs) as [keyof CForm["regs"], CReg][]) {
      out[n] = r.prime ? ((bits >>> r.lo) & 7) + 8 : (bits >>> r.lo) & 31;
    }
    if (f.imm) out.imm = decodeImm(f.imm, bits);
    return out;
  }
  const f = FORMAT32[e.format];
  for (const op of f.ops) {
    if (op === "imm") out.imm = decodeImm(f.imm!, bits >>> 0);
    else out[op] = (bits >>> FIELDS[op][0]) & (2 ** FIELDS[op][1] - 1);
  }
  return out;
}

/** Whether compressed `bits` of entry `name` use an operand value the spec reserves (RVC §16). */
export function compressedReserved(name: string, bits: number): boolean {
  const e = encoding(name);
  const f = cForm(e);
  for (const r of Object.values(f.regs)) {
    if (r.nz && ((bits >>> r.lo) & 31) === 0) return true;
  }
  return f.imm?.nz === true && decodeImm(f.imm, bits) === 0;
}

const popcount = (n: number) => { let c = 0; for (let v = n >>> 0; v; v &= v - 1) c++; return c; };

/** The most specific table entry matching `bits` (independent of host-ts/disasm.ts). */
export function lookupTable(bits: number): Encoding | undefined {
  const compressed = (bits & 3) !== 3;
  const w = compressed ? bits & 0xffff : bits >>> 0;
  let best: Encoding | undefined;
  for (const e of ENCODINGS) {
    if ((e.width === 16) !== compressed || ((w & e.mask) >>> 0) !== e.match) continue;
    if (!best || popcount(e.mask) > popcount(best.mask)) best = e;
  }
  return best;
}

/** Encodes a list of instructions as little-endian 16-bit halves (for mixed 16/32-bit code). */
export function halves(...insns: number[]): number[] {
  const out: number[] = [];
  for (const i of insns) {
    if ((i & 3) === 3) out.push(i & 0xffff, i >>> 16);
    else out.push(i & 0xffff);
  }
  return out;
}

// --- a few pseudo-instructions the tests use often (unprivileged ISA chapter 25) ---

export const nop = (): number => asm("addi", { rd: 0, rs1: 0, imm: 0 });
export const li = (rd: number, imm: number): number => asm("addi", { rd, rs1: 0, imm });
export const csrr = (rd: number, csr: number): number => asm("csrrs", { rd, csr, rs1: 0 });
export const csrw = (csr: number, rs1: number): number => asm("csrrw", { rd: 0, csr, rs1 });
export const csrs = (csr: number, rs1: number): number => asm("csrrs", { rd: 0, csr, rs1 });
export const csrc = (csr: number, rs1: number): number => asm("csrrc", { rd: 0, csr, rs1 });
export const ld = (rd: number, rs1: number, imm = 0): number => asm("ld", { rd, rs1, imm });
export const sd = (rs2: number, rs1: number, imm = 0): number => asm("sd", { rs2, rs1, imm });
export const jr = (rs1: number): number => asm("jalr", { rd: 0, rs1, imm: 0 });
