// Random RV64GC programs for the differential test of the translation tier: a loop over a
// few hundred random instruction slots, run in M, S or U mode (S and U through Sv39 page
// tables), with trap handlers that step over whatever faults. The programs only have to
// be deterministic: the test runs each on an interpreting core and on a core that compiles
// every block on its first visit, and compares everything afterwards.
//
// Memory (physical; S and U map every page at the same virtual address):
//   MTVEC  M-mode handler            STVEC  S-mode handler (delegated traps from S and U)
//   PT_*   page tables               CODE   the program (writable: stores may rewrite it),
//          from START, near a page end: it runs on into the next page, which S and U map to
//          a physical page that is not the next one (codePa)
//   DATA   five data pages: read-write, read-only, read-write with A/D clear, not mapped,
//          user (reachable from S only with SUM)
import { ENCODINGS } from "../../core-as/isa/encodings.js";
import { asm, halves, encoding } from "../support/asm.js";
import { MMIO_BASE, RAM_BASE } from "./twin.js";
import { X_EDGE, F_SINGLE, F_DOUBLE } from "./op-cases.js";

export const RAM_SIZE = 2 << 20;
export const MTVEC = RAM_BASE;
export const STVEC = RAM_BASE + 0x1000;
export const PT_ROOT = RAM_BASE + 0x2000;
export const PT_L1 = RAM_BASE + 0x3000;
export const PT_L0 = RAM_BASE + 0x4000;
export const CODE = RAM_BASE + 0x1_0000;
export const CODE_SIZE = 0x4000;
/** Where the program starts (virtual; physical in M-mode). */
export const START = CODE + 0xe00;

/** The physical address of the program's virtual address va: S and U swap code pages 1 and 3. */
export function codePa(va: number, mode: Mode): number {
  if (mode === "M") return va;
  const page = Math.floor((va - CODE) / 0x1000);
  return va + (page === 1 ? 0x2000 : page === 3 ? -0x2000 : 0);
}
export const DATA = RAM_BASE + 0x2_0000;
export const DATA_SIZE = 0x5000;

/**
 * Registers the scaffolding owns; random instructions only write x1..x23 (and x0).
 * x24 counts traps, x25/x26 are the handlers' scratch (x26 also counts the final loop),
 * x27/x29/x30 are base addresses, x28 is where a fetch fault resumes (the loop's tail),
 * x31 counts the rounds left.
 */
const R = { traps: 24, t0: 25, t1: 26, mmio: 27, resume: 28, base0: 29, base1: 30, rounds: 31 } as const;
const DEST_MAX = 23;

export type Mode = "M" | "S" | "U";

export interface RandomProgram {
  mode: Mode;
  /** The program as 16-bit halves at START (virtual; see codePa). */
  code: number[];
  x: bigint[];
  f: bigint[];
  mstatus: bigint;
  fcsr: bigint;
  medeleg: bigint;
  /** The handlers, the page tables (S, U) and the data, as (address, 16-bit halves) and (address, bytes). */
  handlers: [number, number[]][];
  tables: [number, bigint][];
  data: Uint8Array;
}

/** A small seeded generator (xorshift128+ folded to 32 bits): same seed, same program. */
export class Rng {
  private s0: bigint;
  private s1: bigint;
  constructor(seed: number) {
    this.s0 = BigInt.asUintN(64, BigInt(seed) * 0x9e37_79b9_7f4a_7c15n + 1n);
    this.s1 = BigInt.asUintN(64, this.s0 * 0xbf58_476d_1ce4_e5b9n + 7n);
    for (let i = 0; i < 8; i++) this.next64();
  }
  next64(): bigint {
    let x = this.s0;
    const y = this.s1;
    this.s0 = y;
    x = BigInt.asUintN(64, x ^ (x << 23n));
    this.s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return BigInt.asUintN(64, this.s1 + y);
  }
  /** 0 <= n < bound. */
  int(bound: number): number { return Number(this.next64() >> 11n) % bound; }
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  chance(p: number): boolean { return this.int(1 << 20) < p * (1 << 20); }
}

const byFormat = (pred: (e: (typeof ENCODINGS)[number]) => boolean) => ENCODINGS.filter(pred).map((e) => e.name);
const ALU_R = byFormat((e) => e.width === 32 && e.format === "R" && (e.ext === "I" || e.ext === "M"));
const ALU_I = ["addi", "slti", "sltiu", "xori", "ori", "andi", "addiw"];
const SHIFT6 = ["slli", "srli", "srai"];
const SHIFT5 = ["slliw", "srliw", "sraiw"];
const LOADS = ["lb", "lh", "lw", "ld", "lbu", "lhu", "lwu"];
const STORES = ["sb", "sh", "sw", "sd"];
const BRANCHES = ["beq", "bne", "blt", "bge", "bltu", "bgeu"];
const AMOS = byFormat((e) => e.format === "AMO" || e.format === "LR");
const FP_OPS = byFormat((e) => e.width === 32 && (e.ext === "F" || e.ext === "D") && !["F_I", "F_S"].includes(e.format));
const FP_MEM = ["flw", "fld", "fsw", "fsd"];
/** CSRs a program may touch freely: scratch registers, FP state, counters (read-only ones trap on writes). */
const CSRS = [0x340, 0x140, 0x001, 0x002, 0x003, 0xc00, 0xc01, 0xc02, 0xb00, 0xb02];
const SSTATUS = 0x100;
const SSTATUS_BITS = [1 << 18, 1 << 19, 3 << 13]; // SUM, MXR, FS

/** Generates one program of `slots` four-byte slots. */
export function randomProgram(seed: number, mode: Mode, slots = 256): RandomProgram {
  const rng = new Rng(seed);
  const code: number[] = []; // halves
  const slotCount = slots;
  const tailSlot = slotCount; // the loop's tail follows the random slots
  const rd = () => (rng.chance(0.05) ? 0 : rng.range(1, DEST_MAX));
  const rs = () => rng.int(32);
  const rm = () => (rng.chance(0.9) ? rng.pick([0, 1, 2, 3, 4, 7]) : rng.pick([5, 6]));
  const smallImm = () => (rng.chance(0.5) ? rng.range(-16, 16) : rng.range(-2048, 2047));
  const memBase = () => {
    const r = rng.int(20);
    return r < 9 ? R.base0 : r < 15 ? R.base1 : r < 17 ? R.mmio : rs();
  };
  const memImm = (size: number) => {
    const r = rng.int(4);
    if (r === 0) return rng.range(-2048, 2047);
    if (r === 1) return rng.range(-64, 63) * size; // aligned
    if (r === 2) return rng.range(-64, 63) * size + rng.range(1, size); // misaligned
    return rng.pick([2047, -2048, 2047 - size + 1, -2048 + size - 1]);
  };
  /** Byte offset from slot `from` to a later slot (at most `reach` bytes on, at most the tail). */
  const forward = (from: number, reach: number) => {
    const to = Math.min(tailSlot, from + 1 + rng.int(Math.max(1, Math.min(reach / 4, 24))));
    return (to - from) * 4;
  };
  const word = (w: number) => code.push(...halves(w));
  let storedToCode = false;

  // Before the page boundary (see START): a jump to the last slot of the page, which flows
  // straight on into the next page; random code jumping past it aside, every round crosses.
  const boundary = (CODE + 0x1000 - START) / 4;
  for (let slot = 0; slot < slotCount; slot++) {
    if (slot === boundary - 2) {
      word(asm("jal", { rd: 0, imm: 4 }));
      word(asm("addi", { rd: rd(), rs1: rs(), imm: smallImm() }));
      slot++;
      continue;
    }
    const kind = rng.int(100);
    if (kind < 18) word(asm(rng.pick(ALU_R), { rd: rd(), rs1: rs(), rs2: rs() }));
    else if (kind < 30) word(asm(rng.pick(ALU_I), { rd: rd(), rs1: rs(), imm: smallImm() }));
    else if (kind < 34) {
      const name = rng.chance(0.5) ? rng.pick(SHIFT6) : rng.pick(SHIFT5);
      word(asm(name, { rd: rd(), rs1: rs(), imm: rng.int(name.endsWith("w") ? 32 : 64) }));
    } else if (kind < 36) word(asm(rng.pick(["lui", "auipc"]), { rd: rd(), imm: rng.int(1 << 20) }));
    else if (kind < 46) word(asm(rng.pick(LOADS), { rd: rd(), rs1: memBase(), imm: memImm(8) }));
    else if (kind < 53) word(asm(rng.pick(STORES), { rs1: memBase(), rs2: rs(), imm: memImm(8) }));
    else if (kind < 57) {
      const name = rng.pick(FP_MEM);
      word(asm(name, name.startsWith("fl") ? { rd: rng.int(32), rs1: memBase(), imm: memImm(8) } : { rs2: rng.int(32), rs1: memBase(), imm: memImm(8) }));
    } else if (kind < 65) word(fpOp(rng, rd, rs, rm));
    else if (kind < 71) word(asm(rng.pick(BRANCHES), { rs1: rs(), rs2: rs(), imm: forward(slot, 4000) }));
    else if (kind < 73) word(asm("jal", { rd: rng.pick([0, 1, rd()]), imm: forward(slot, 4000) }));
    else if (kind < 75 && slot + 1 < slotCount) {
      // auipc x22, 0 then jalr to a later slot (bit 0 set at times: it must be dropped).
      const target = forward(slot + 1, 400) + 4 + (rng.chance(0.3) ? 1 : 0);
      word(asm("auipc", { rd: 22, imm: 0 }));
      word(asm("jalr", { rd: rng.pick([0, 1, 22, rd()]), rs1: 22, imm: target }));
      slot++;
    } else if (kind < 76) word(asm("jalr", { rd: rd(), rs1: rng.int(24), imm: smallImm() })); // usually a fetch fault
    else if (kind < 86) {
      code.push(compressedInsn(rng, slot, tailSlot, 0), compressedInsn(rng, slot, tailSlot, 2));
    } else if (kind < 89) {
      const name = rng.pick(AMOS);
      const ops: Record<string, number> = { rd: rd(), rs1: rng.chance(0.8) ? rng.pick([R.base0, R.base1]) : rs(), aq: rng.int(2), rl: rng.int(2) };
      if (encoding(name).format === "AMO") ops.rs2 = rs();
      word(asm(name, ops));
    } else if (kind < 92) {
      const csr = rng.pick(CSRS);
      const name = rng.pick(["csrrw", "csrrs", "csrrc", "csrrwi", "csrrsi", "csrrci"]);
      word(name.endsWith("i") ? asm(name, { rd: rd(), csr, uimm: rng.int(32) }) : asm(name, { rd: rd(), csr, rs1: rs() }));
    } else if (kind < 93 && slot + 1 < slotCount) {
      // sstatus: set or clear SUM, MXR or FS (U-mode: illegal).
      word(asm("lui", { rd: 21, imm: rng.pick(SSTATUS_BITS) >>> 12 }));
      word(asm(rng.pick(["csrrs", "csrrc"]), { rd: rd(), csr: SSTATUS, rs1: 21 }));
      slot++;
    } else if (kind < 96) {
      word(rng.pick([asm("ecall"), asm("ebreak"), asm("fence", {}), asm("fence.i"), asm("sfence.vma", { rs1: 0, rs2: 0 })]));
    } else if (kind < 98 && slot + 3 < slotCount && !storedToCode && rng.chance(0.3)) {
      // A store into a later slot of the program (never the tail): compiled code there must
      // go. One per program at most: every round retires the page's code.
      storedToCode = true;
      word(asm("auipc", { rd: 22, imm: 0 }));
      const to = Math.min(slotCount - 2, slot + 2 + rng.int(40));
      word(asm(rng.pick(["sw", "sh", "sd"]), { rs1: 22, rs2: rs(), imm: (to - slot) * 4 }));
      slot++;
    } else {
      // Illegal (zero), or any 32-bit encoding but a jump or branch (they could loop forever).
      let w = rng.chance(0.3) ? 0 : Number(rng.next64() & 0xffff_ffffn) | 3;
      if ([0x63, 0x67, 0x6f].includes(w & 0x7f)) w ^= 0x10;
      code.push(w & 0xffff, w >>> 16);
    }
  }
  // The tail (R.resume points at it): another round, or the final counting loop.
  code.push(...halves(
    asm("addi", { rd: R.rounds, rs1: R.rounds, imm: -1 }),
    asm("beq", { rs1: R.rounds, rs2: 0, imm: 8 }),
    asm("jal", { rd: 0, imm: -(slotCount * 4 + 8) }),
    asm("addi", { rd: R.t1, rs1: R.t1, imm: 1 }),
    asm("jal", { rd: 0, imm: -4 }),
  ));

  const x: bigint[] = [0n];
  for (let r = 1; r <= DEST_MAX; r++) x.push(rng.chance(0.5) ? rng.pick(X_EDGE) : rng.next64());
  const dataPage = (n: number) => BigInt(DATA + n * 0x1000);
  x[R.traps] = 0n;
  x[R.t0] = 0n;
  x[R.t1] = 0n;
  x[R.mmio] = mode === "M" ? BigInt(MMIO_BASE + 0x800) : dataPage(4);
  x[R.resume] = BigInt(START + tailSlot * 4);
  x[R.base0] = dataPage(0) + 0x800n;
  x[R.base1] = dataPage(2);
  x[R.rounds] = 24n;
  const f: bigint[] = [];
  for (let r = 0; r < 32; r++) f.push(rng.chance(0.7) ? rng.pick(rng.chance(0.5) ? F_SINGLE : F_DOUBLE) : rng.next64());
  const data = new Uint8Array(DATA_SIZE);
  for (let i = 0; i < data.length; i += 8) new DataView(data.buffer).setBigUint64(i, rng.next64(), true);

  const sum = mode === "S" && rng.chance(0.5) ? 1n << 18n : 0n;
  return {
    mode, code, x, f, data,
    mstatus: (1n << 13n) | sum, // FS initial
    fcsr: BigInt(rng.int(256)),
    // From S and U, these go to the S handler: illegal, breakpoint, page faults.
    medeleg: mode === "M" ? 0n : (1n << 2n) | (1n << 3n) | (1n << 12n) | (1n << 13n) | (1n << 15n),
    handlers: [[MTVEC, handler("m")], [STVEC, handler("s")]],
    tables: mode === "M" ? [] : pageTables(mode),
  };
}

function fpOp(rng: Rng, rd: () => number, rs: () => number, rm: () => number): number {
  const name = rng.pick(FP_OPS);
  const e = encoding(name);
  const f = () => rng.int(32);
  const xDest = ["XF", "XFF", "FXF"].includes(e.format);
  const xSrc = ["FX", "FXN"].includes(e.format);
  const ops: Record<string, number> = { rd: xDest ? rd() : f(), rs1: xSrc ? rs() : f() };
  if (["FR", "FRN", "XFF", "R4"].includes(e.format)) ops.rs2 = f();
  if (e.format === "R4") ops.rs3 = f();
  if (["FR", "FR1", "R4", "FXF", "FX"].includes(e.format)) ops.rm = rm();
  return asm(name, ops);
}

/** One random compressed instruction for the half at `half` (0 or 2) of slot `slot`. */
function compressedInsn(rng: Rng, slot: number, tailSlot: number, half: number): number {
  const p = () => rng.range(8, 15);
  const d = () => rng.range(1, 23);
  const toSlot = () => {
    const to = Math.min(tailSlot, slot + 1 + rng.int(8));
    return (to - slot) * 4 - half;
  };
  for (;;) {
    const name = rng.pick([
      "c.addi", "c.li", "c.lui", "c.srli", "c.srai", "c.andi", "c.sub", "c.xor", "c.or", "c.and", "c.subw", "c.addw",
      "c.mv", "c.add", "c.slli", "c.addiw", "c.lw", "c.ld", "c.sw", "c.sd", "c.fld", "c.fsd", "c.lwsp", "c.ldsp",
      "c.swsp", "c.sdsp", "c.fldsp", "c.fsdsp", "c.beqz", "c.bnez", "c.j", "c.jr", "c.jalr", "c.addi4spn", "c.addi16sp", "c.ebreak",
    ]);
    try {
      switch (name) {
        case "c.addi": case "c.li": return asm(name, { rd: d(), imm: rng.range(-32, 31) });
        case "c.addiw": return asm(name, { rd: d(), imm: rng.range(-32, 31) });
        case "c.lui": { const rd = d(); return asm(name, { rd: rd === 2 ? 3 : rd, imm: rng.pick([1, 31, -32, -1, rng.range(1, 31)]) }); }
        case "c.srli": case "c.srai": return asm(name, { rd: p(), imm: rng.range(1, 63) });
        case "c.slli": return asm(name, { rd: d(), imm: rng.range(1, 63) });
        case "c.andi": return asm(name, { rd: p(), imm: rng.range(-32, 31) });
        case "c.sub": case "c.xor": case "c.or": case "c.and": case "c.subw": case "c.addw": return asm(name, { rd: p(), rs2: p() });
        case "c.mv": case "c.add": return asm(name, { rd: d(), rs2: rng.range(1, 31) });
        case "c.lw": return asm(name, { rd: p(), rs1: p(), imm: rng.int(32) * 4 });
        case "c.ld": case "c.fld": return asm(name, { rd: p(), rs1: p(), imm: rng.int(32) * 8 });
        case "c.sw": return asm(name, { rs2: p(), rs1: p(), imm: rng.int(32) * 4 });
        case "c.sd": case "c.fsd": return asm(name, { rs2: p(), rs1: p(), imm: rng.int(32) * 8 });
        case "c.lwsp": return asm(name, { rd: d(), imm: rng.int(64) * 4 });
        case "c.ldsp": return asm(name, { rd: d(), imm: rng.int(64) * 8 });
        case "c.fldsp": return asm(name, { rd: rng.int(32), imm: rng.int(64) * 8 });
        case "c.swsp": return asm(name, { rs2: rng.int(32), imm: rng.int(64) * 4 });
        case "c.sdsp": case "c.fsdsp": return asm(name, { rs2: rng.int(32), imm: rng.int(64) * 8 });
        case "c.beqz": case "c.bnez": return asm(name, { rs1: p(), imm: toSlot() });
        case "c.j": return asm(name, { imm: toSlot() });
        case "c.jr": case "c.jalr": return asm(name, { rs1: rng.range(1, 23) }); // usually a fetch fault
        case "c.addi4spn": return asm(name, { rd: p(), imm: rng.range(1, 255) * 4 });
        case "c.addi16sp": return asm(name, { imm: rng.pick([-512, -16, 16, 496]) });
        case "c.ebreak": return asm(name, {});
      }
    } catch {
      // An operand the encoding reserves (c.lui with imm 0 and the like): pick again.
    }
  }
}

/**
 * A trap handler that counts the trap and goes on: after a fetch fault at the loop's tail
 * (x28), after anything else at the next 4-byte slot (programs are laid out in slots).
 */
function handler(level: "m" | "s"): number[] {
  const cause = level === "m" ? 0x342 : 0x142, epc = level === "m" ? 0x341 : 0x141;
  const ret = level === "m" ? "mret" : "sret";
  return halves(
    asm("addi", { rd: R.traps, rs1: R.traps, imm: 1 }),
    asm("csrrs", { rd: R.t0, csr: cause, rs1: 0 }),
    asm("addi", { rd: R.t1, rs1: 0, imm: 1 }),
    asm("beq", { rs1: R.t0, rs2: R.t1, imm: 28 }), // fetch access fault
    asm("addi", { rd: R.t1, rs1: 0, imm: 12 }),
    asm("beq", { rs1: R.t0, rs2: R.t1, imm: 20 }), // fetch page fault
    asm("csrrs", { rd: R.t0, csr: epc, rs1: 0 }),
    asm("addi", { rd: R.t0, rs1: R.t0, imm: 4 }),
    asm("csrrw", { rd: 0, csr: epc, rs1: R.t0 }),
    asm(ret),
    asm("csrrw", { rd: 0, csr: epc, rs1: R.resume }),
    asm(ret),
  );
}

const PTE = { V: 1n, R: 2n, W: 4n, X: 8n, U: 16n, A: 64n, D: 128n };

/** Sv39 tables: handlers, code and data pages identity-mapped (VA = PA), with the data pages' rights. */
function pageTables(mode: Mode): [number, bigint][] {
  const user = mode === "U" ? PTE.U : 0n;
  const pte = (pa: number, flags: bigint) => (BigInt(pa >>> 12) << 10n) | flags | PTE.V;
  const out: [number, bigint][] = [];
  const vpn = (va: number, level: number) => Math.floor(va / 2 ** (12 + 9 * level)) % 512;
  out.push([PT_ROOT + 8 * vpn(RAM_BASE, 2), pte(PT_L1, 0n)]);
  out.push([PT_L1 + 8 * vpn(RAM_BASE, 1), pte(PT_L0, 0n)]);
  const leafTo = (va: number, pa: number, flags: bigint) => out.push([PT_L0 + 8 * vpn(va, 0), pte(pa, flags)]);
  const leaf = (va: number, flags: bigint) => leafTo(va, va, flags);
  const ad = PTE.A | PTE.D;
  leaf(MTVEC, PTE.R | PTE.X | ad); // not reached from S/U (M runs bare), mapped all the same
  leaf(STVEC, PTE.R | PTE.X | ad);
  for (let p = 0; p < CODE_SIZE; p += 0x1000) leafTo(CODE + p, codePa(CODE + p, mode), PTE.R | PTE.W | PTE.X | ad | user);
  leaf(DATA, PTE.R | PTE.W | ad | user);
  leaf(DATA + 0x1000, PTE.R | PTE.A | user);
  leaf(DATA + 0x2000, PTE.R | PTE.W | user);
  // DATA + 0x3000 stays unmapped
  leaf(DATA + 0x4000, PTE.R | PTE.W | ad | PTE.U);
  return out;
}
