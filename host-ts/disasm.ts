// Disassembler derived from the encoding table (core-as/isa/encodings.js). Compressed
// instructions print under their own name with the operands of the instruction they expand to.
import { ENCODINGS } from "../core-as/isa/encodings.js";

type Encoding = (typeof ENCODINGS)[number];

const X = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
  "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"];
const F = ["ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
  "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"];
const CSR_NAMES: Record<number, string> = {
  0x001: "fflags", 0x002: "frm", 0x003: "fcsr", 0xc00: "cycle", 0xc01: "time", 0xc02: "instret",
  0x100: "sstatus", 0x104: "sie", 0x105: "stvec", 0x106: "scounteren", 0x10a: "senvcfg", 0x140: "sscratch",
  0x141: "sepc", 0x142: "scause", 0x143: "stval", 0x144: "sip", 0x14d: "stimecmp", 0x180: "satp",
  0xf11: "mvendorid", 0xf12: "marchid", 0xf13: "mimpid", 0xf14: "mhartid", 0xf15: "mconfigptr",
  0x300: "mstatus", 0x301: "misa", 0x302: "medeleg", 0x303: "mideleg", 0x304: "mie", 0x305: "mtvec",
  0x306: "mcounteren", 0x30a: "menvcfg", 0x320: "mcountinhibit", 0x340: "mscratch", 0x341: "mepc",
  0x342: "mcause", 0x343: "mtval", 0x344: "mip", 0x3a0: "pmpcfg0", 0x3a2: "pmpcfg2", 0xb00: "mcycle",
  0xb02: "minstret", 0x7a0: "tselect", 0x7a1: "tdata1", 0x7a2: "tdata2", 0x7a3: "tdata3",
};
for (let i = 0; i < 16; i++) CSR_NAMES[0x3b0 + i] = `pmpaddr${i}`;

const popcount = (n: number) => { let c = 0; for (; n; n &= n - 1) c++; return c; };
const bySpecificity = [...ENCODINGS].sort((a, b) => popcount(b.mask) - popcount(a.mask));

/** The table entry for an instruction's bits (most specific match), or undefined. */
export function lookup(bits: number): Encoding | undefined {
  const compressed = (bits & 3) !== 3;
  const w = compressed ? bits & 0xffff : bits >>> 0;
  return bySpecificity.find((e) => (e.width === 16) === compressed && ((w & e.mask) >>> 0) === e.match);
}

const sext = (v: number, bits: number) => (v << (32 - bits)) >> (32 - bits);
const immI = (w: number) => w >> 20;
const immS = (w: number) => ((w >> 25) << 5) | ((w >>> 7) & 0x1f);
const immB = (w: number) => sext(((w >>> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 0x3f) << 5) | (((w >>> 8) & 0xf) << 1), 13);
const immJ = (w: number) => sext(((w >>> 31) << 20) | (((w >>> 12) & 0xff) << 12) | (((w >>> 20) & 1) << 11) | (((w >>> 21) & 0x3ff) << 1), 21);
const hex = (v: bigint | number) => "0x" + v.toString(16);

function operands(e: Encoding, w: number, pc: bigint): string {
  const rd = (w >>> 7) & 31, rs1 = (w >>> 15) & 31, rs2 = (w >>> 20) & 31, rs3 = w >>> 27;
  const target = (off: number) => hex(BigInt.asUintN(64, pc + BigInt(off)));
  switch (e.format) {
    case "R": return `${X[rd]}, ${X[rs1]}, ${X[rs2]}`;
    case "I":
      if ((w & 0x7f) === 0x03 || (w & 0x7f) === 0x67) return `${X[rd]}, ${immI(w)}(${X[rs1]})`;
      return `${X[rd]}, ${X[rs1]}, ${immI(w)}`;
    case "F_I": return `${F[rd]}, ${immI(w)}(${X[rs1]})`;
    case "S": return `${X[rs2]}, ${immS(w)}(${X[rs1]})`;
    case "F_S": return `${F[rs2]}, ${immS(w)}(${X[rs1]})`;
    case "B": return `${X[rs1]}, ${X[rs2]}, ${target(immB(w))}`;
    case "U": return `${X[rd]}, ${hex(w >>> 12)}`;
    case "J": return `${X[rd]}, ${target(immJ(w))}`;
    case "SH6": return `${X[rd]}, ${X[rs1]}, ${(w >>> 20) & 63}`;
    case "SH5": return `${X[rd]}, ${X[rs1]}, ${(w >>> 20) & 31}`;
    case "CSR": return `${X[rd]}, ${CSR_NAMES[w >>> 20] ?? hex(w >>> 20)}, ${X[rs1]}`;
    case "CSRI": return `${X[rd]}, ${CSR_NAMES[w >>> 20] ?? hex(w >>> 20)}, ${rs1}`;
    case "R4": return `${F[rd]}, ${F[rs1]}, ${F[rs2]}, ${F[rs3]}`;
    case "FR": case "FRN": return `${F[rd]}, ${F[rs1]}, ${F[rs2]}`;
    case "FR1": return `${F[rd]}, ${F[rs1]}`;
    case "FXF": case "XF": return `${X[rd]}, ${F[rs1]}`;
    case "XFF": return `${X[rd]}, ${F[rs1]}, ${F[rs2]}`;
    case "FX": case "FXN": return `${F[rd]}, ${X[rs1]}`;
    case "LR": return `${X[rd]}, (${X[rs1]})`;
    case "AMO": return `${X[rd]}, ${X[rs2]}, (${X[rs1]})`;
    case "SFENCE": return `${X[rs1]}, ${X[rs2]}`;
    default: return "";
  }
}

/**
 * Disassembles one instruction. `expand` turns a compressed instruction into its 32-bit
 * form (the core's own expander, so both agree); without it compressed ones print raw.
 */
export function disassemble(bits: number, pc: bigint, expand?: (h: number) => number): string {
  const e = lookup(bits);
  if (!e) return `unknown ${hex(bits >>> 0)}`;
  if (e.width === 32) return `${e.name} ${operands(e, bits >>> 0, pc)}`.trimEnd();
  const word = expand ? expand(bits & 0xffff) >>> 0 : 0;
  const full = word ? lookup(word) : undefined;
  if (!full) return expand ? `${e.name} (reserved)` : e.name;
  return `${e.name} ${operands(full, word, pc)}`.trimEnd();
}
