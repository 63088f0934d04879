// Test programs for the differential test of the translation tier: for each instruction
// kind the translator accepts, a few code variants (register aliasing, x0, immediates at
// their edges, jumps near and across a page) and, for each, operand values at their edges.
// Every variant is a loop that runs its instruction three times, so the instruction runs
// in compiled code from the second time on (or from the first, once the variant's code
// has been compiled by an earlier case).
import { asm, halves, encoding } from "../support/asm.js";
import type { LayoutName } from "../../host-ts/core.js";
import { MMIO_BASE, MMIO_SIZE, MMIO_IRQ_READ, RAM_BASE } from "./twin.js";

export const RAM_SIZE = 4 << 20;
export const RAM_END = RAM_BASE + RAM_SIZE;
/** Trap vectors: pages of `jal x0, 0`, so a trap ends the case where it went. */
export const MTVEC = RAM_BASE + 0x1000;
export const STVEC = RAM_BASE + 0x2000;
/** Sv39 tables for S-mode cases: the RAM gigapage identity-mapped, and a data window. */
export const PT_ROOT = RAM_BASE + 0x3000;
export const PT_L1 = RAM_BASE + 0x4000;
export const PT_L0 = RAM_BASE + 0x5000;
export const CODE = RAM_BASE + 0x1_0000;
export const CODE_END = RAM_BASE + 0x30_0000;
/** Four data pages, and the last page of RAM (accesses that run past its end). */
export const DATA = RAM_BASE + 0x30_0000;
export const DATA_SIZE = 0x4000;
export const LAST_PAGE = RAM_END - 0x1000;
/**
 * The S-mode data window: page 0 read-write, page 1 read-only, page 2 read-write with A
 * and D clear (the hart sets them), page 3 not mapped; pages 4 and 5 map the fourth data
 * page as a user page (VA_USER) and execute-only (VA_XONLY).
 */
export const VA_DATA = 0x4000_0000;
export const VA_USER = VA_DATA + 0x4000;
export const VA_XONLY = VA_DATA + 0x5000;

/**
 * Registers the loop itself uses: instructions under test never name them. Every case ends
 * in a counting loop (at the end of its code, or at the trap vector), so an instruction
 * too many or too few in the budget shows in a register.
 */
export const LOOP = 31; // iterations left
export const END_SPINS = 30; // rounds of the final loop
export const FALL = 29; // counts not-taken branches
export const TAKEN = 28; // counts far branch targets reached
export const TRAP_SPINS = 27; // rounds of the trap vector's loop
export const TLB_PAGE = 26; // the page a primer access touches first (variants with a primed TLB)
export const ITERATIONS = 3;

/** What the trap vectors hold, repeated: a counting loop. */
export const VECTOR_LOOP = [asm("addi", { rd: TRAP_SPINS, rs1: TRAP_SPINS, imm: 1 }), asm("jal", { rd: 0, imm: -4 })];

export type Priv = "M" | "S";
export interface OpCase {
  x?: Record<number, bigint>;
  /** x registers set to the variant's entry address plus this. */
  xFromEntry?: Record<number, bigint>;
  f?: Record<number, bigint>;
  mstatus?: bigint;
  fcsr?: bigint;
  priv?: Priv;
  /** M-mode external interrupts enabled (mie.MEIE, mstatus.MIE): an MMIO access can raise one. */
  irq?: boolean;
  /** Hart slots set last (mip, mie, mideleg, mcounteren, ...). */
  slots?: Partial<Record<LayoutName, bigint>>;
}
export interface Variant {
  label: string;
  /** Code as 16-bit halves; `entry` is its offset from the start of `code`. */
  code: number[];
  entry: number;
  /** Where the entry must sit in its page (page offset), when the variant crosses a page. */
  pageOffset?: number;
  /** Offsets in `code`, besides the entry and the final self-loop, where control lands (jump targets). */
  landings?: number[];
  cases: OpCase[];
  /** The variant reads or writes data memory (restore it between cases). */
  memory?: boolean;
}

const u64 = (v: bigint) => BigInt.asUintN(64, v);
export const X_EDGE: bigint[] = [
  0n, 1n, -1n, 1n << 63n, (1n << 63n) - 1n, 1n << 31n, (1n << 31n) - 1n, 0xffff_ffffn, 0xffff_ffff_8000_0000n,
  31n, 32n, 63n, 64n, 0x0123_4567_89ab_cdefn,
].map(u64);

const box = (s: number) => 0xffff_ffff_0000_0000n | BigInt(s >>> 0);
/** Singles, NaN-boxed unless said otherwise: signed zeros, infinities, NaNs, denormals, halves, integer edges. */
export const F_SINGLE: bigint[] = [
  box(0x3f80_0000), box(0x8000_0000), box(0x7f80_0000), box(0xff80_0000), box(0x7fc0_0000), box(0x7f80_0001),
  box(0x0000_0001), box(0x7f7f_ffff), box(0x4f00_0000), box(0xcf00_0000), box(0x3f00_0000), box(0x3fc0_0000),
  box(0x4020_0000), box(0xbfc0_0000), box(0x5f00_0000), box(0x4f80_0000),
  0x0000_0000_3f80_0000n, // not boxed: reads as the canonical NaN
  0xffff_fffe_3f80_0000n, // not boxed either
];
export const F_DOUBLE: bigint[] = [
  0x3ff0_0000_0000_0000n, 0x8000_0000_0000_0000n, 0x7ff0_0000_0000_0000n, 0xfff0_0000_0000_0000n,
  0x7ff8_0000_0000_0000n, 0x7ff0_0000_0000_0001n, 0x0000_0000_0000_0001n, 0x7fef_ffff_ffff_ffffn,
  0x41e0_0000_0000_0000n, 0xc1e0_0000_0020_0000n, 0x3fe0_0000_0000_0000n, 0x3ff8_0000_0000_0000n,
  0x4004_0000_0000_0000n, 0xbff8_0000_0000_0000n, 0x43e0_0000_0000_0000n, 0xc3e0_0000_0000_0000n,
  0x43f0_0000_0000_0000n, box(0x3f80_0000),
];

const STORE_VALUE = 0x8877_6655_4433_2211n;
const FS_INITIAL = 1n << 13n;
const FS_DIRTY = 3n << 13n;
export const DEFAULT_MSTATUS = FS_INITIAL;

/**
 * The loop's tail, for a body of `bodyBytes` starting at the entry: count down, go round
 * again, then count rounds of the final loop (whose first instruction is 8 bytes from the end).
 */
function tail(bodyBytes: number): number[] {
  return halves(
    asm("addi", { rd: LOOP, rs1: LOOP, imm: -1 }), asm("bne", { rs1: LOOP, rs2: 0, imm: -(bodyBytes + 4) }),
    asm("addi", { rd: END_SPINS, rs1: END_SPINS, imm: 1 }), asm("jal", { rd: 0, imm: -4 }),
  );
}

/** Lays `insns` (32-bit words and 16-bit values) out as halves and appends the loop's tail. */
function loop(insns: number[]): number[] {
  const body = halves(...insns);
  return [...body, ...tail(body.length * 2)];
}

const pairs = (a: bigint[], b: bigint[]) => a.flatMap((x) => b.map((y) => [x, y] as const));
/** A spread of pairs of `vals` (n of them) without taking all of them. */
function somePairs(vals: bigint[], n: number): (readonly [bigint, bigint])[] {
  const out: (readonly [bigint, bigint])[] = [];
  for (let i = 0; i < n; i++) out.push([vals[i % vals.length], vals[(i * 7 + 3) % vals.length]]);
  return out;
}

// --- integer ---

function registerRegister(name: string): Variant[] {
  const enc = (rd: number, rs1: number, rs2: number) => loop([asm(name, { rd, rs1, rs2 })]);
  const v = (label: string, rd: number, rs1: number, rs2: number, cases: OpCase[]): Variant =>
    ({ label, code: enc(rd, rs1, rs2), entry: 0, cases });
  return [
    v("rd, rs1, rs2 distinct", 5, 6, 7, pairs(X_EDGE, X_EDGE).map(([a, b]) => ({ x: { 6: a, 7: b } }))),
    v("rd = rs1", 5, 5, 7, somePairs(X_EDGE, 14).map(([a, b]) => ({ x: { 5: a, 7: b } }))),
    v("rd = rs2", 5, 6, 5, somePairs(X_EDGE, 14).map(([a, b]) => ({ x: { 6: a, 5: b } }))),
    v("rs1 = rs2", 5, 6, 6, X_EDGE.map((a) => ({ x: { 6: a } }))),
    v("rd = rs1 = rs2", 5, 5, 5, X_EDGE.map((a) => ({ x: { 5: a } }))),
    v("rd = x0", 0, 6, 7, somePairs(X_EDGE, 3).map(([a, b]) => ({ x: { 6: a, 7: b } }))),
    v("rs1 = x0", 5, 0, 7, X_EDGE.map((b) => ({ x: { 7: b } }))),
    v("rs2 = x0", 5, 6, 0, X_EDGE.map((a) => ({ x: { 6: a } }))),
  ];
}

function immediates(name: string): number[] {
  const format = encoding(name).format;
  if (format === "SH6") return [0, 1, 31, 32, 63];
  if (format === "SH5") return [0, 1, 31];
  return [0, 1, -1, 2047, -2048, 0x555, -0x556];
}

function registerImmediate(name: string): Variant[] {
  const out: Variant[] = [];
  for (const imm of immediates(name)) {
    const v = (label: string, rd: number, rs1: number, cases: OpCase[]): Variant =>
      ({ label: `${label}, imm ${imm}`, code: loop([asm(name, { rd, rs1, imm })]), entry: 0, cases });
    out.push(
      v("rd, rs1", 5, 6, X_EDGE.map((a) => ({ x: { 6: a } }))),
      v("rd = rs1", 6, 6, X_EDGE.filter((_, i) => i % 3 === 0).map((a) => ({ x: { 6: a } }))),
      v("rd = x0", 0, 6, [{ x: { 6: -1n } }]),
      v("rs1 = x0", 5, 0, [{}]),
    );
  }
  return out;
}

function upper(name: string): Variant[] {
  const out: Variant[] = [];
  for (const imm of [0, 1, 0x7ffff, 0x80000, 0xfffff, 0x12345]) {
    for (const rd of [5, 0]) out.push({ label: `rd x${rd}, imm 0x${imm.toString(16)}`, code: loop([asm(name, { rd, imm })]), entry: 0, cases: [{}] });
    // After a compressed instruction: the pc the code forms is not the region's entry.
    out.push({ label: `after c.addi, imm 0x${imm.toString(16)}`, code: loop([asm("c.addi", { rd: FALL, imm: 1 }), asm(name, { rd: 5, imm })]), entry: 0, cases: [{}] });
  }
  return out;
}

function branches(name: string): Variant[] {
  const taken = asm("addi", { rd: TAKEN, rs1: TAKEN, imm: 1 });
  const fall = asm("addi", { rd: FALL, rs1: FALL, imm: 1 });
  const near = (rs1: number, rs2: number) => loop([asm(name, { rs1, rs2, imm: 8 }), fall]);
  // Entry 8 bytes before a page end; the branch goes to the next page (out of the region).
  const far = [...halves(asm(name, { rs1: 6, rs2: 7, imm: 12 }), fall, asm("jal", { rd: 0, imm: 8 }), taken), ...tail(16)];
  return [
    { label: "near", code: near(6, 7), entry: 0, cases: pairs(X_EDGE, X_EDGE).map(([a, b]) => ({ x: { 6: a, 7: b } })) },
    { label: "rs1 = rs2", code: near(6, 6), entry: 0, cases: [{ x: { 6: 5n } }] },
    { label: "rs1 = x0", code: near(0, 7), entry: 0, cases: X_EDGE.map((b) => ({ x: { 7: b } })) },
    { label: "rs2 = x0", code: near(6, 0), entry: 0, cases: X_EDGE.map((a) => ({ x: { 6: a } })) },
    { label: "to the next page", code: far, entry: 0, pageOffset: 0xff8, landings: [8, 12, 16], cases: somePairs(X_EDGE, 8).map(([a, b]) => ({ x: { 6: a, 7: b } })) },
  ];
}

function jal(): Variant[] {
  const fall = asm("addi", { rd: FALL, rs1: FALL, imm: 1 });
  const out: Variant[] = [];
  for (const rd of [0, 1, 5]) {
    out.push({ label: `near, rd x${rd}`, code: loop([asm("jal", { rd, imm: 8 }), fall]), entry: 0, cases: [{}] });
    out.push({
      label: `to the next page, rd x${rd}`, entry: 0, pageOffset: 0xff8, landings: [8, 12, 16], cases: [{}],
      code: [...halves(asm("jal", { rd, imm: 12 }), fall, asm("jal", { rd: 0, imm: 8 }), asm("addi", { rd: TAKEN, rs1: TAKEN, imm: 1 })), ...tail(16)],
    });
  }
  return out;
}

/**
 * jalr rd, imm(rs1) to the instruction after the next (the harness sets rs1; the loop sets
 * it again for the next round): odd targets lose bit 0, rd = rs1 links after reading rs1.
 */
function jalr(): Variant[] {
  const out: Variant[] = [];
  const fall = asm("addi", { rd: FALL, rs1: FALL, imm: 1 });
  for (const imm of [0, 4, -4, 1, 2045, -2046]) {
    for (const odd of [0, 1]) {
      for (const [rd, rs1] of [[5, 6], [6, 6], [0, 6], [1, 6]]) {
        const code = loop([asm("jalr", { rd, rs1, imm }), fall, asm("auipc", { rd: rs1, imm: 0 }), asm("addi", { rd: rs1, rs1, imm: odd - imm })]);
        out.push({ label: `jalr x${rd}, ${imm}(x${rs1}), target ${odd ? "odd" : "even"}`, code, entry: 0, cases: [{ xFromEntry: { [rs1]: BigInt(odd - imm + 8) } }] });
      }
    }
  }
  // Targets outside RAM: a fetch fault after the jump.
  out.push({ label: "to a target outside RAM", code: loop([asm("jalr", { rd: 5, rs1: 6, imm: 0 })]), entry: 0, cases: [{ x: { 6: 0x1001n } }, { x: { 6: u64(-1n) } }] });
  return out;
}

/**
 * Addresses for an access of `size` bytes: aligned, misaligned, across a page, at the
 * end of RAM and past it, below RAM, MMIO, the top of the address space and 0.
 */
function physicalAddresses(size: number): bigint[] {
  const a = [DATA + 0x100, DATA + 0x101, LAST_PAGE + 0x800, RAM_END - size, RAM_END, RAM_BASE - 8, MMIO_BASE + 8, 0].map(BigInt);
  if (size >= 4) a.push(BigInt(DATA + 0x102));
  if (size === 8) a.push(BigInt(DATA + 0x104));
  if (size > 1) {
    a.push(BigInt(DATA + 0x1000 - size + 1), BigInt(DATA + 0x1000 - (size >> 1)), BigInt(RAM_END - size + 1));
    a.push(BigInt(MMIO_BASE + 0x11), BigInt(MMIO_BASE + MMIO_SIZE - size + 1), u64(-BigInt(size) + 1n));
  }
  a.push(u64(-BigInt(size)));
  return a;
}

/** S-mode addresses in the data window (see VA_DATA) and one beyond Sv39's reach. */
function virtualAddresses(size: number): bigint[] {
  const a = [VA_DATA + 0x100, VA_DATA + 0x2100, VA_DATA + 0x3100, DATA + 0x200].map(BigInt);
  a.push(0x40_0000_0000n); // bit 38 set, the bits above clear: not a valid Sv39 address
  if (size > 1) for (const page of [1, 2, 3]) a.push(BigInt(VA_DATA + page * 0x1000 - size + 1));
  return a;
}

const SIZES: Record<string, number> = {
  lb: 1, lbu: 1, lh: 2, lhu: 2, lw: 4, lwu: 4, ld: 8, sb: 1, sh: 2, sw: 4, sd: 8, flw: 4, fld: 8, fsw: 4, fsd: 8,
};

/** An address and what it takes: privilege (S = through the data window's page tables). */
interface Target { addr: bigint; priv: Priv; irq?: boolean }

function targets(size: number, isStore: boolean): Target[] {
  const out: Target[] = physicalAddresses(size).map((addr) => ({ addr, priv: "M" as Priv }));
  out.push(...virtualAddresses(size).map((addr) => ({ addr, priv: "S" as Priv })));
  // A device access that raises an interrupt: the hart must take it right after the access.
  out.push({ addr: BigInt(MMIO_BASE + (isStore ? 8 : MMIO_IRQ_READ)), priv: "M", irq: true });
  return out;
}

/**
 * Cases reaching each target as imm(base), for a few immediates (S-mode targets with the
 * small ones only); with `primer`, TLB_PAGE holds the target's page for an access before it.
 */
function addressCases(size: number, isStore: boolean, base: number, imms: number[], extra: OpCase = {}, primer = false): Map<number, OpCase[]> {
  const byImm = new Map<number, OpCase[]>();
  for (const imm of imms) {
    const cases: OpCase[] = [];
    for (const t of targets(size, isStore)) {
      if (t.priv === "S" && imm !== 0 && imm !== -1) continue;
      const x: Record<number, bigint> = { ...extra.x, [base]: u64(t.addr - BigInt(imm)) };
      if (primer) x[TLB_PAGE] = t.addr & ~0xfffn;
      cases.push({ ...extra, x, priv: t.priv, irq: t.irq });
    }
    byImm.set(imm, cases);
  }
  return byImm;
}

const IMMS = [0, -1, 2047, -2048];

/** A byte access to TLB_PAGE first, so the access under test finds its page in the TLB. */
const primeLoad = asm("lb", { rd: 0, rs1: TLB_PAGE, imm: 0 });
const primeStore = asm("sb", { rs2: 0, rs1: TLB_PAGE, imm: 0 });

function loads(name: string): Variant[] {
  const size = SIZES[name];
  const out: Variant[] = [];
  for (const [rd, rs1] of [[5, 6], [6, 6], [0, 6]]) {
    for (const [imm, cases] of addressCases(size, false, rs1, IMMS)) {
      out.push({ label: `rd x${rd}, base x${rs1}, imm ${imm}`, code: loop([asm(name, { rd, rs1, imm })]), entry: 0, cases, memory: true });
    }
  }
  for (const [imm, cases] of addressCases(size, false, 6, [0], {}, true)) {
    out.push({ label: `TLB primed, imm ${imm}`, code: loop([primeLoad, asm(name, { rd: 5, rs1: 6, imm })]), entry: 0, cases, memory: true });
  }
  return out;
}

function stores(name: string): Variant[] {
  const size = SIZES[name];
  const out: Variant[] = [];
  for (const [rs1, rs2] of [[6, 7], [6, 6], [6, 0]]) {
    for (const [imm, cases] of addressCases(size, true, rs1, IMMS, { x: { 7: STORE_VALUE } })) {
      out.push({ label: `base x${rs1}, value x${rs2}, imm ${imm}`, code: loop([asm(name, { rs1, rs2, imm })]), entry: 0, cases, memory: true });
    }
  }
  for (const [imm, cases] of addressCases(size, true, 6, [0], { x: { 7: STORE_VALUE } }, true)) {
    out.push({ label: `TLB primed, imm ${imm}`, code: loop([primeStore, asm(name, { rs1: 6, rs2: 7, imm })]), entry: 0, cases, memory: true });
  }
  return out;
}

/** FP loads and stores: the addresses above, and mstatus.FS off (illegal), initial, dirty. */
function fpMemory(name: string): Variant[] {
  const size = SIZES[name];
  const isLoad = name.startsWith("fl");
  const regs = isLoad ? { rd: 5, rs1: 6 } : { rs1: 6, rs2: 7 };
  const values: OpCase = { f: { 7: 0xffff_ffff_c049_0fdbn, 5: 0x1234_5678_9abc_def0n } };
  const out: Variant[] = [];
  for (const [imm, cases] of addressCases(size, !isLoad, 6, IMMS, values)) {
    out.push({ label: `imm ${imm}`, code: loop([asm(name, { ...regs, imm })]), entry: 0, cases, memory: true });
  }
  for (const [imm, cases] of addressCases(size, !isLoad, 6, [0], values, true)) {
    out.push({ label: `TLB primed, imm ${imm}`, code: loop([isLoad ? primeLoad : primeStore, asm(name, { ...regs, imm })]), entry: 0, cases, memory: true });
  }
  const fs = [0n, FS_INITIAL, FS_DIRTY].map((mstatus) => ({ ...values, mstatus, x: { 6: BigInt(DATA + 0x40) } }));
  out.push({ label: "FS off, initial, dirty", code: loop([asm(name, { ...regs, imm: 8 })]), entry: 0, cases: fs, memory: true });
  return out;
}

// --- F and D through the interpreter's semantics ---

/** Which values an F/D instruction's f operands take: by the width it reads. */
function fpInputs(name: string): bigint[] {
  if (name === "fcvt.d.s") return F_SINGLE;
  if (name === "fcvt.s.d") return F_DOUBLE;
  return name.endsWith(".d") || name === "fmv.x.d" ? F_DOUBLE : F_SINGLE;
}

/** Rounding: each static mode, the reserved ones (illegal), and dynamic with frm valid and not. */
const RM_CASES: { rm: number; frm: number }[] = [
  { rm: 0, frm: 0 }, { rm: 1, frm: 0 }, { rm: 2, frm: 0 }, { rm: 3, frm: 0 }, { rm: 4, frm: 0 }, { rm: 5, frm: 0 },
  { rm: 7, frm: 1 }, { rm: 7, frm: 4 }, { rm: 7, frm: 5 }, { rm: 7, frm: 7 },
];
const FFLAGS_SET = 0x1fn; // accrued flags already set: they must stay

function fpOp(name: string): Variant[] {
  const e = encoding(name);
  const vals = fpInputs(name);
  const hasRm = ["FR", "FR1", "R4", "FXF", "FX"].includes(e.format);
  const out: Variant[] = [];
  const variant = (label: string, ops: Record<string, number>, cases: OpCase[]) =>
    out.push({ label, code: loop([asm(name, ops)]), entry: 0, cases });
  const fcsr = (frm: number, flags = 0n) => (BigInt(frm) << 5n) | flags;
  const operands = (rm: number): Record<string, number> => {
    const base: Record<string, number> = { rd: 5, rs1: 6 };
    if (["FR", "FRN", "XFF", "R4"].includes(e.format)) base.rs2 = 7;
    if (e.format === "R4") base.rs3 = 8;
    if (hasRm) base.rm = rm;
    return base;
  };
  // The values: pairs (two f sources), triples (R4), singles, or x values (FX, FXN).
  let valueCases: OpCase[];
  if (e.format === "FX" || e.format === "FXN") valueCases = X_EDGE.map((a) => ({ x: { 6: a } }));
  else if (e.format === "R4") {
    valueCases = [];
    for (let i = 0; i < 40; i++) valueCases.push({ f: { 6: vals[i % vals.length], 7: vals[(i * 5 + 1) % vals.length], 8: vals[(i * 11 + 2) % vals.length] } });
  } else if (["FR", "FRN", "XFF"].includes(e.format)) valueCases = pairs(vals.slice(0, 12), vals.slice(0, 12)).map(([a, b]) => ({ f: { 6: a, 7: b } }));
  else valueCases = vals.map((a) => ({ f: { 6: a } }));
  variant(hasRm ? "dynamic rounding, frm rne" : "values", operands(7), valueCases.map((c) => ({ ...c, fcsr: fcsr(0) })));
  if (hasRm) {
    for (const { rm, frm } of RM_CASES) {
      variant(`rm ${rm}, frm ${frm}`, operands(rm), valueCases.filter((_, i) => i % 9 === 0).map((c) => ({ ...c, fcsr: fcsr(frm, FFLAGS_SET) })));
    }
  }
  // x0 as the destination of an instruction that writes x (x0 must still read as zero
  // afterwards, here by an instruction the interpreter's semantics run too), or as the
  // source of one that reads x; and an x source the block has just written.
  if (["XF", "XFF", "FXF"].includes(e.format)) {
    out.push({ label: "rd = x0", code: loop([asm(name, { ...operands(7), rd: 0 }), asm("fmv.d.x", { rd: 9, rs1: 0 })]), entry: 0, cases: valueCases.slice(0, 4) });
  }
  if (["FX", "FXN"].includes(e.format)) {
    variant("rs1 = x0", { ...operands(7), rs1: 0 }, [{}]);
    out.push({ label: "rs1 written just before", code: loop([asm("xori", { rd: 6, rs1: 6, imm: -1 }), asm(name, operands(7))]), entry: 0, cases: valueCases });
  }
  variant("FS off", operands(7), [{ ...valueCases[0], mstatus: 0n }]);
  return out;
}

// --- A: AMOs, LR and SC, through the interpreter's semantics ---

/** Load/store targets, and the S-mode pages those reach only across a page: read-only, user, execute-only. */
function atomicTargets(size: number, isStore: boolean): Target[] {
  const out = targets(size, isStore);
  for (const addr of [VA_DATA + 0x1100, VA_USER + 0x100, VA_XONLY + 0x100]) out.push({ addr: BigInt(addr), priv: "S" });
  return out;
}

/** Cases with register `reg` at each target; with `primer`, TLB_PAGE holds the target's page. */
function atCases(ts: Target[], reg: number, extra: OpCase = {}, primer = false): OpCase[] {
  return ts.map((t) => {
    const x: Record<number, bigint> = { ...extra.x, [reg]: t.addr };
    if (primer) x[TLB_PAGE] = t.addr & ~0xfffn;
    return { ...extra, x, priv: t.priv, irq: t.irq };
  });
}

/** An aligned word of the data page, physical (M) and through the window (S, and its A/D-clear page). */
const DATA_WORD = BigInt(DATA + 0x100);
const HOMES: Target[] = [
  { addr: DATA_WORD, priv: "M" }, { addr: BigInt(VA_DATA + 0x100), priv: "S" }, { addr: BigInt(VA_DATA + 0x2100), priv: "S" },
];

const mv = (rd: number, rs1: number) => asm("addi", { rd, rs1, imm: 0 });
/** An instruction before the one under test, so a fault there is not at the block's entry. */
const step = asm("addi", { rd: 12, rs1: 12, imm: 1 });

function amos(name: string): Variant[] {
  const size = name.endsWith(".d") ? 8 : 4;
  const store = size === 8 ? "sd" : "sw";
  const amo = (rd: number, rs1: number, rs2: number, bits: { aq?: number; rl?: number } = {}) => asm(name, { rd, rs1, rs2, ...bits });
  const v = (label: string, insns: number[], cases: OpCase[]): Variant => ({ label, code: loop(insns), entry: 0, cases, memory: true });
  const some = X_EDGE.filter((_, i) => i % 3 === 0);
  return [
    // The memory operand stored just before (inline), so both operands sit at their edges:
    // .w results sign-extend into rd, min/max compare signed or not. rs2 = ~x9 is computed
    // in the block, so the block must store it before the call.
    v("memory value stored first", [asm(store, { rs1: 6, rs2: 8, imm: 0 }), asm("xori", { rd: 7, rs1: 9, imm: -1 }), amo(5, 6, 7), asm("xor", { rd: 10, rs1: 5, rs2: 7 })], [
      ...pairs(X_EDGE, X_EDGE).map(([m, b]) => ({ x: { 6: DATA_WORD, 8: m, 9: u64(~b) } })),
      ...somePairs(X_EDGE, 14).map(([m, b]) => ({ x: { 6: BigInt(VA_DATA + 0x100), 8: m, 9: u64(~b) }, priv: "S" as Priv })),
    ]),
    // Misaligned (store/AMO misaligned), outside RAM or on MMIO (access fault), page faults.
    v("each address", [step, amo(5, 6, 7), asm("add", { rd: 10, rs1: 5, rs2: 5 })], atCases(atomicTargets(size, true), 6, { x: { 7: STORE_VALUE } })),
    v("TLB primed", [primeStore, amo(5, 6, 7)], atCases(atomicTargets(size, true), 6, { x: { 7: STORE_VALUE } }, true)),
    // rs1 written by the block just before (its slot must be stored), then overwritten by rd.
    v("rd = rs1, set just before", [mv(6, 9), amo(6, 6, 7), asm("add", { rd: 10, rs1: 6, rs2: 6 })],
      HOMES.flatMap((t) => some.map((b) => ({ x: { 9: t.addr, 7: b }, priv: t.priv })))),
    v("rd = rs2", [amo(7, 6, 7)], HOMES.flatMap((t) => some.map((b) => ({ x: { 6: t.addr, 7: b }, priv: t.priv })))),
    v("rs1 = rs2", [amo(5, 6, 6)], atCases(HOMES, 6)),
    // x0 as destination (its slot takes another word's old value), then as a source the
    // helper reads from its slot.
    v("rd = x0, then rs2 = x0", [amo(0, 8, 7), amo(10, 6, 0), asm("or", { rd: 11, rs1: 10, rs2: 0 })],
      HOMES.map((t) => ({ x: { 6: t.addr, 8: t.addr + 0x40n, 7: X_EDGE[13] }, priv: t.priv }))),
    v("aq and rl", [amo(5, 6, 7, { aq: 1, rl: 1 })], atCases(HOMES, 6, { x: { 7: X_EDGE[5] } })),
  ];
}

/** The same set for lr.w/sc.w (lr.d/sc.d): reservations made, kept, lost and used. */
function reservations(name: string): Variant[] {
  const size = name.endsWith(".d") ? 8 : 4;
  const w = size === 8 ? "d" : "w";
  const lr = (rd: number, rs1: number, bits: { aq?: number; rl?: number } = {}, width = w) => asm(`lr.${width}`, { rd, rs1, ...bits });
  const sc = (rd: number, rs1: number, rs2: number, bits: { aq?: number; rl?: number } = {}, width = w) => asm(`sc.${width}`, { rd, rs1, rs2, ...bits });
  const v = (label: string, insns: number[], cases: OpCase[]): Variant => ({ label, code: loop(insns), entry: 0, cases, memory: true });
  const homes = atCases(HOMES, 6, { x: { 7: STORE_VALUE } });
  const s = (x: Record<number, bigint>, priv: Priv = "S"): OpCase => ({ x: { 7: STORE_VALUE, ...x }, priv });
  return [
    // Success (rd = 0, memory written), at every address: misaligned LR (load misaligned)
    // or SC (store/AMO misaligned), faults, a read-only page (LR reads, SC faults).
    v("lr, then sc to the same address", [step, lr(5, 6), asm("addi", { rd: 7, rs1: 5, imm: 1 }), sc(10, 6, 7), asm("add", { rd: 11, rs1: 10, rs2: 5 })],
      atCases(atomicTargets(size, false), 6)),
    // Failure (rd = 1, memory unchanged), or the fault an SC raises anyway.
    v("sc without a reservation", [step, sc(10, 6, 7), asm("add", { rd: 11, rs1: 10, rs2: 10 })], atCases(atomicTargets(size, true), 6, { x: { 7: STORE_VALUE } })),
    v("TLB primed", [primeLoad, lr(5, 6), sc(10, 6, 7)], atCases(atomicTargets(size, false), 6, { x: { 7: STORE_VALUE } }, true)),
    v("lr, then sc to another address", [lr(5, 6), sc(10, 8, 7)], [
      { x: { 6: DATA_WORD, 8: DATA_WORD + 8n, 7: STORE_VALUE } },
      { x: { 6: DATA_WORD, 8: DATA_WORD + 0x1000n, 7: STORE_VALUE } },
      s({ 6: BigInt(VA_DATA + 0x100), 8: BigInt(VA_DATA + 0x108) }),
      s({ 6: BigInt(VA_DATA + 0x100), 8: BigInt(VA_DATA + 0x2100) }),
      s({ 6: BigInt(VA_DATA + 0x1100), 8: BigInt(VA_DATA + 0x100) }),
      s({ 6: BigInt(VA_DATA + 0x100), 8: DATA_WORD }), // the same physical word: success
      s({ 6: DATA_WORD, 8: BigInt(VA_DATA + 0x1100) }), // read-only: the SC faults
    ]),
    v("lr, sc, sc again", [lr(5, 6), sc(10, 6, 7), sc(11, 6, 8)], atCases(HOMES, 6, { x: { 7: STORE_VALUE, 8: X_EDGE[8] } })),
    // The reservation outlives the block: lr and sc on either side of a taken branch.
    v("lr and sc in different blocks", [lr(5, 6), asm("beq", { rs1: 0, rs2: 0, imm: 8 }), asm("addi", { rd: FALL, rs1: FALL, imm: 1 }), sc(10, 6, 7)],
      homes),
    // A plain (inline) store between keeps the reservation (one hart: nothing else writes).
    v("lr, store, sc", [lr(5, 6), asm(size === 8 ? "sd" : "sw", { rs1: 6, rs2: 8, imm: 0 }), sc(10, 6, 7)], atCases(HOMES, 6, { x: { 7: STORE_VALUE, 8: X_EDGE[5] } })),
    // Memory at its edges: lr.w sign-extends into rd.
    v("value stored first", [asm(size === 8 ? "sd" : "sw", { rs1: 6, rs2: 8, imm: 0 }), lr(5, 6), sc(10, 6, 5), asm("xor", { rd: 11, rs1: 5, rs2: 10 })], [
      ...X_EDGE.map((m) => ({ x: { 6: DATA_WORD, 8: m } })),
      ...X_EDGE.filter((_, i) => i % 2 === 0).map((m) => s({ 6: BigInt(VA_DATA + 0x100), 8: m })),
    ]),
    v("lr rd = x0", [lr(0, 6), sc(10, 6, 7)], homes),
    v("lr rd = rs1, set just before", [mv(6, 9), lr(6, 6), sc(10, 9, 7)], atCases(HOMES, 9, { x: { 7: STORE_VALUE } })),
    v("sc rd = rs2", [lr(5, 6), sc(7, 6, 7)], homes),
    v("sc rd = rs1, set just before", [mv(6, 9), lr(5, 6), sc(6, 6, 7)], atCases(HOMES, 9, { x: { 7: STORE_VALUE } })),
    // x0 as the destination of a failing SC (its slot takes 1), then as a source the helper
    // reads from its slot; and of a succeeding one.
    v("sc rd = x0, then rs2 = x0", [sc(0, 6, 7), lr(10, 6), sc(11, 6, 0)], homes),
    v("lr, sc rd = x0", [lr(5, 6), sc(0, 6, 7), asm("add", { rd: 11, rs1: 5, rs2: 0 })], homes),
    v("aq and rl", [lr(5, 6, { aq: 1, rl: 1 }), sc(10, 6, 7, { aq: 1, rl: 1 })], homes),
    // The reservation is an address: a word LR and a doubleword SC (and the other way round).
    v("lr.w, then sc.d", [lr(5, 6, {}, "w"), sc(10, 6, 7, {}, "d")], homes),
    v("lr.d, then sc.w", [lr(5, 6, {}, "d"), sc(10, 6, 7, {}, "w")], homes),
  ];
}

// --- Zicsr, through the interpreter's semantics ---

const CSR = {
  fflags: 0x001, frm: 0x002, fcsr: 0x003, sstatus: 0x100, sie: 0x104, sscratch: 0x140, sip: 0x144, satp: 0x180,
  mstatus: 0x300, mideleg: 0x303, mie: 0x304, mcountinhibit: 0x320, mscratch: 0x340, mip: 0x344,
  mcycle: 0xb00, minstret: 0xb02, cycle: 0xc00, instret: 0xc02, mhartid: 0xf14,
} as const;
type CsrName = keyof typeof CSR;
/** A scenario's source operand for each CSR instruction that can play it. */
type Sources = Partial<Record<"w" | "s" | "c" | "wi" | "si" | "ci", bigint>>;
const MS = { SIE: 1n << 1n, MIE: 1n << 3n, MPP_S: 1n << 11n, MPRV: 1n << 17n, SUM: 1n << 18n, MXR: 1n << 19n };
const SSI = 1n << 1n; // supervisor software interrupt: mip.SSIP is writable from M (and S, delegated)

/**
 * Straight code around CSR instructions, so they run in the middle of a block: before them
 * ALU work and the write of x6, the register forms' source (x6 = ~x9: the block must store
 * it before the call); after them ALU work reading x5, their destination (it must come back).
 */
function amid(insns: number[], after: number[] = []): number[] {
  return loop([
    asm("addi", { rd: 12, rs1: 12, imm: 7 }), asm("xori", { rd: 6, rs1: 9, imm: -1 }),
    ...insns, ...after,
    asm("add", { rd: 13, rs1: 5, rs2: 12 }), asm("xor", { rd: 14, rs1: 13, rs2: 5 }),
  ]);
}

/** Case x9 for a register form's source `value` (amid's x6 = ~x9). */
const withSource = (c: OpCase, value: bigint): OpCase => ({ ...c, x: { ...c.x, 9: u64(~value) } });

function csrOps(name: string): Variant[] {
  const imm = name.endsWith("i");
  const kind = name[4] as "w" | "s" | "c"; // csrrw, csrrs, csrrc and their immediate forms
  const op = (csr: CsrName, uimm: number, rd = 5) =>
    imm ? asm(name, { rd, csr: CSR[csr], uimm }) : asm(name, { rd, csr: CSR[csr], rs1: 6 });
  /** A read that writes nothing: csrrs/csrrc with x0, csrrsi/csrrci with 0 (csrrw(i) still writes 0). */
  const plainRead = (csr: CsrName) => (imm ? asm(name, { rd: 5, csr: CSR[csr], uimm: 0 }) : asm(name, { rd: 5, csr: CSR[csr], rs1: 0 }));
  const readBack = (csr: CsrName, rd = 10) => asm("csrrs", { rd, csr: CSR[csr], rs1: 0 });
  const out: Variant[] = [];
  /**
   * Code from `make` for each source value: register forms take it from the case (one
   * variant), immediate forms encode it (one variant per value below 32).
   */
  const each = (label: string, values: bigint[], make: (uimm: number) => number[], cases: OpCase[]) => {
    if (imm) {
      for (const value of values.filter((x) => x < 32n)) {
        out.push({ label: `${label}, uimm ${value}`, code: make(Number(value)), entry: 0, cases, memory: true });
      }
    } else {
      out.push({ label, code: make(0), entry: 0, cases: values.flatMap((value) => cases.map((c) => withSource(c, value))), memory: true });
    }
  };
  /** The source this kind takes in a scenario (`w` for csrrw, `si` for csrrsi, ...), if the scenario has one for it. */
  const pick = (by: Sources) => by[imm ? `${kind}i` as const : kind];
  const immValues = [0n, 1n, 0x15n, 31n];

  // Scratch registers at their edges: the CSR set first (csrrw), then the form under test.
  const inits = [0n, u64(-1n), X_EDGE[13], X_EDGE[3]];
  for (const [csr, privs] of [["mscratch", ["M"]], ["sscratch", ["M", "S"]]] as [CsrName, Priv[]][]) {
    const set = asm("csrrw", { rd: 0, csr: CSR[csr], rs1: 8 });
    each(csr, imm ? immValues : X_EDGE, (u) => amid([set, op(csr, u)]), privs.flatMap((priv) => inits.map((init) => ({ x: { 8: init }, priv }))));
  }
  each("mscratch, first in the block", [X_EDGE[4], 0x15n], (u) => loop([op("mscratch", u), asm("add", { rd: 13, rs1: 5, rs2: 5 })]), [{}]);
  // An M-mode CSR from S-mode: illegal instruction (mtval = the instruction).
  for (const csr of ["mscratch", "mstatus", "mcycle"] as CsrName[]) each(`${csr} from S-mode`, [1n], (u) => amid([op(csr, u)]), [{ priv: "S" }]);
  // x0 as destination, then as a source the next CSR instruction reads from its slot.
  const setMscratch = asm("csrrw", { rd: 0, csr: CSR.mscratch, rs1: 8 });
  each("rd = x0, then rs1 = x0", [X_EDGE[6], 0x15n],
    (u) => amid([setMscratch, op("mscratch", u, 0), asm("csrrw", { rd: 10, csr: CSR.sscratch, rs1: 0 })], [readBack("mscratch", 11), asm("add", { rd: 15, rs1: 10, rs2: 11 })]),
    [{ x: { 8: u64(-1n) } }]);
  if (!imm) {
    out.push({
      label: "rd = rs1", entry: 0, cases: X_EDGE.filter((_, i) => i % 3 === 0).map((value) => withSource({ x: { 8: X_EDGE[13] } }, value)),
      code: amid([setMscratch, asm(name, { rd: 6, csr: CSR.mscratch, rs1: 6 })], [asm("add", { rd: 11, rs1: 6, rs2: 12 }), readBack("mscratch")]),
    });
  }

  // FP CSRs: illegal with mstatus.FS off; a write makes FS dirty; frm decides how the
  // fadd.d after rounds (1 + 0.75 ulp), a reserved frm makes it illegal.
  const fpValues = imm ? immValues : [0n, 1n, 0x1fn, 0xe0n, 0xffn, u64(-1n), 0x5an];
  const fpCases = [0n, FS_INITIAL, FS_DIRTY].flatMap((mstatus) => [0n, 0xffn, 0x85n].map((fcsr) =>
    ({ mstatus, fcsr, f: { 7: 0x3ff0_0000_0000_0000n, 8: 0x3ca8_0000_0000_0000n } })));
  for (const csr of ["fflags", "frm", "fcsr"] as CsrName[]) {
    each(csr, fpValues, (u) => amid([op(csr, u)], [asm("fadd.d", { rd: 7, rs1: 7, rs2: 8, rm: 7 }), readBack("fcsr")]), fpCases);
  }

  // Reads that write nothing (legal on read-only CSRs, FS left as it is), counters among
  // them in a straight run, twice: a count one off in either shows. csrrw(i) writes 0.
  const counterRun = (insn: number, csr: CsrName) => loop([
    asm("addi", { rd: 12, rs1: 12, imm: 7 }), asm("slli", { rd: 13, rs1: 12, imm: 3 }), asm("xor", { rd: 14, rs1: 13, rs2: 12 }),
    insn, asm("add", { rd: 15, rs1: 5, rs2: 12 }), asm("sub", { rd: 16, rs1: 15, rs2: 13 }), readBack(csr), asm("add", { rd: 17, rs1: 10, rs2: 5 }),
  ]);
  const readCases: OpCase[] = [
    {}, { slots: { S_RETIRED: 0xffff_ffff_fff0n } }, { mstatus: 0n }, { priv: "S" }, { priv: "S", slots: { S_MCOUNTEREN: 0b101n } },
    { priv: "S", slots: { S_MCOUNTEREN: 0b001n } },
  ];
  for (const csr of ["cycle", "instret", "mcycle", "minstret", "mhartid", "mstatus", "sstatus", "fcsr", "mscratch"] as CsrName[]) {
    out.push({ label: `${csr}, ${imm ? "uimm 0" : "rs1 = x0"}`, code: counterRun(plainRead(csr), csr), entry: 0, cases: readCases });
  }
  // Counter writes, then a read in the same block: the write replaces its own increment.
  const counterValues = imm ? [1n, 31n] : [0n, 1000n, u64(-1n), 1n << 63n];
  for (const csr of ["mcycle", "minstret"] as CsrName[]) {
    each(`${csr} written`, counterValues, (u) => amid([op(csr, u)], [asm("addi", { rd: 12, rs1: 12, imm: 1 }), readBack(csr)]), [{}, { slots: { S_RETIRED: 123_456n } }]);
    each(`${csr} written while inhibited`, counterValues, (u) => amid([asm("csrrwi", { rd: 0, csr: CSR.mcountinhibit, uimm: 5 }), op(csr, u)], [readBack(csr)]), [{}]);
  }
  // A write to a read-only CSR: illegal instruction, mtval = the instruction.
  for (const csr of ["cycle", "instret", "mhartid"] as CsrName[]) {
    each(`${csr} written (read-only)`, imm ? [1n, 31n] : [0n, 1n], (u) => amid([op(csr, u)]), [{}, { priv: "S", slots: { S_MCOUNTEREN: 0b101n } }]);
  }

  // Writes that change how data is translated (SUM, MXR, MPRV): the region must leave
  // after them. With `prime`, a load before the write puts the page in the TLB set in use,
  // so a block that went on would read through a set no longer selected.
  // csrrwi 0 clears SUM, MXR and MPRV (and FS) at once; csrrsi/csrrci reach none of them.
  const FS = FS_INITIAL;
  const MPRV_S = MS.MPRV | MS.MPP_S; // M-mode loads and stores as S
  const translation: { label: string; csr: CsrName; by: Sources; mstatus: bigint; priv: Priv; page: number; prime: boolean }[] = [
    { label: "SUM cleared, user page read after", csr: "sstatus", by: { w: FS, c: MS.SUM, wi: 0n }, mstatus: FS | MS.SUM, priv: "S", page: VA_USER, prime: true },
    { label: "SUM set, user page read after", csr: "sstatus", by: { w: FS | MS.SUM, s: MS.SUM }, mstatus: FS, priv: "S", page: VA_USER, prime: false },
    { label: "MXR cleared, execute-only page read after", csr: "sstatus", by: { w: FS, c: MS.MXR, wi: 0n }, mstatus: FS | MS.MXR, priv: "S", page: VA_XONLY, prime: true },
    { label: "MXR set, execute-only page read after", csr: "sstatus", by: { w: FS | MS.MXR, s: MS.MXR }, mstatus: FS, priv: "S", page: VA_XONLY, prime: false },
    { label: "SUM cleared under MPRV", csr: "mstatus", by: { w: FS | MPRV_S, c: MS.SUM, wi: 0n }, mstatus: FS | MPRV_S | MS.SUM, priv: "M", page: VA_USER, prime: true },
    { label: "MPRV cleared", csr: "mstatus", by: { w: FS | MS.MPP_S, c: MS.MPRV, wi: 0n }, mstatus: FS | MPRV_S, priv: "M", page: VA_DATA, prime: true },
    { label: "MPRV set", csr: "mstatus", by: { w: FS | MPRV_S, s: MS.MPRV }, mstatus: FS | MS.MPP_S, priv: "M", page: VA_DATA, prime: false },
  ];
  for (const t of translation) {
    const value = pick(t.by);
    if (value === undefined) continue;
    const load = asm("ld", { rd: 11, rs1: TLB_PAGE, imm: 0x100 });
    const cases = [{ mstatus: t.mstatus, priv: t.priv, x: { [TLB_PAGE]: BigInt(t.page) } }];
    each(`${t.csr}: ${t.label}`, [value], (u) => amid([...(t.prime ? [load] : []), op(t.csr, u)], [load]), cases);
  }
  // satp: a new root (bare here) and a rewrite of the same value, data read after.
  const satpValue = pick({ w: 0n, s: 0n, c: 0xfn << 60n, wi: 0n });
  if (satpValue !== undefined) {
    each("satp written, data read after", [satpValue], (u) => amid([op("satp", u)], [asm("ld", { rd: 11, rs1: TLB_PAGE, imm: 0x100 })]),
      ["S", "M"].map((priv) => ({ priv: priv as Priv, x: { [TLB_PAGE]: BigInt(priv === "S" ? VA_DATA : DATA) } })));
  }

  // Writes that let a pending interrupt in: it must be taken right after the instruction.
  // csrrwi on mstatus/sstatus writes MIE or SIE alone (FS off).
  const both = (v: bigint, vi = v): Sources => ({ w: v, s: v, wi: vi, si: vi });
  const irq: { label: string; csr: CsrName; by: Sources; c: OpCase }[] = [
    { label: "mie enables a pending interrupt", csr: "mie", by: both(SSI), c: { mstatus: FS_INITIAL | MS.MIE, slots: { S_MIP: SSI } } },
    { label: "mip raises an enabled interrupt", csr: "mip", by: both(SSI), c: { mstatus: FS_INITIAL | MS.MIE, slots: { S_MIE: SSI } } },
    {
      label: "mideleg takes a pending interrupt back to M", csr: "mideleg", by: { w: 0n, c: SSI, wi: 0n, ci: SSI },
      c: { mstatus: FS_INITIAL | MS.MIE, slots: { S_MIE: SSI, S_MIP: SSI, S_MIDELEG: SSI } },
    },
    { label: "mstatus.MIE set", csr: "mstatus", by: both(FS_INITIAL | MS.MIE, MS.MIE), c: { slots: { S_MIE: SSI, S_MIP: SSI } } },
    { label: "sstatus.SIE set", csr: "sstatus", by: both(FS_INITIAL | MS.SIE, MS.SIE), c: { priv: "S", slots: { S_MIE: SSI, S_MIP: SSI, S_MIDELEG: SSI } } },
    { label: "sie enables a pending interrupt", csr: "sie", by: both(SSI), c: { priv: "S", mstatus: FS_INITIAL | MS.SIE, slots: { S_MIP: SSI, S_MIDELEG: SSI } } },
    { label: "sip raises an enabled interrupt", csr: "sip", by: both(SSI), c: { priv: "S", mstatus: FS_INITIAL | MS.SIE, slots: { S_MIE: SSI, S_MIDELEG: SSI } } },
    { label: "sip clears a pending interrupt", csr: "sip", by: { w: 0n, c: SSI, wi: 0n, ci: SSI }, c: { priv: "S", slots: { S_MIE: SSI, S_MIP: SSI, S_MIDELEG: SSI } } },
  ];
  for (const t of irq) {
    const value = pick(t.by);
    if (value === undefined) continue;
    each(`${t.csr}: ${t.label}`, [value], (u) => amid([op(t.csr, u)], [readBack("sscratch", 11)]), [t.c]);
  }
  return out;
}

// --- compressed forms (the translator sees their expansion; the link and next pc are 2 bytes on) ---

function compressed(name: string): Variant[] {
  const fall = asm("c.addi", { rd: FALL, imm: 1 });
  const v = (label: string, insns: number[], cases: OpCase[], memory = false): Variant =>
    ({ label, code: loop(insns), entry: 0, cases, memory });
  const regs = X_EDGE.filter((_, i) => i % 2 === 0).map((a) => ({ x: { 8: a, 9: X_EDGE[3], 5: a, 6: X_EDGE[6] } }));
  const at = (addr: number) => ({ x: { 8: BigInt(addr), 2: BigInt(addr) } });
  const addrs = [DATA + 0x100, DATA + 0xffe, RAM_END - 4, RAM_END, 0].map(at);
  switch (name) {
    case "c.addi4spn": return [v(name, [asm(name, { rd: 8, imm: 1020 })], [{ x: { 2: X_EDGE[5] } }])];
    case "c.lw": case "c.ld": return [v(name, [asm(name, { rd: 9, rs1: 8, imm: 8 })], addrs, true), v(`${name} rd = rs1`, [asm(name, { rd: 8, rs1: 8, imm: 0 })], addrs, true)];
    case "c.fld": return [v(name, [asm(name, { rd: 9, rs1: 8, imm: 8 })], addrs, true)];
    case "c.sw": case "c.sd": case "c.fsd": return [v(name, [asm(name, { rs2: 9, rs1: 8, imm: 8 })], addrs.map((c) => ({ ...c, f: { 9: 0x4009_21fb_5444_2d18n } })), true)];
    case "c.lwsp": case "c.ldsp": case "c.fldsp": return [v(name, [asm(name, { rd: 5, imm: 8 })], addrs, true)];
    case "c.swsp": case "c.sdsp": case "c.fsdsp": return [v(name, [asm(name, { rs2: 5, imm: 8 })], addrs, true)];
    case "c.addi": case "c.addiw": case "c.li": return [-32, -1, 1, 31].map((imm) => v(`${name} ${imm}`, [asm(name, { rd: 5, imm })], regs));
    case "c.addi16sp": return [v(name, [asm(name, { imm: -512 })], [{ x: { 2: X_EDGE[5] } }])];
    case "c.lui": return [1, 31, -32, -1].map((imm) => v(`${name} ${imm}`, [asm(name, { rd: 5, imm })], [{}]));
    case "c.srli": case "c.srai": case "c.slli": return [1, 31, 32, 63].map((imm) => v(`${name} ${imm}`, [asm(name, { rd: name === "c.slli" ? 5 : 8, imm })], regs));
    case "c.andi": return [-32, -1, 0, 31].map((imm) => v(`${name} ${imm}`, [asm(name, { rd: 8, imm })], regs));
    case "c.sub": case "c.xor": case "c.or": case "c.and": case "c.subw": case "c.addw":
      return [v(name, [asm(name, { rd: 8, rs2: 9 })], regs), v(`${name} rd = rs2`, [asm(name, { rd: 8, rs2: 8 })], regs)];
    case "c.mv": case "c.add": return [v(name, [asm(name, { rd: 5, rs2: 6 })], regs)];
    case "c.j": return [v(name, [asm(name, { imm: 4 }), fall], [{}])];
    case "c.beqz": case "c.bnez": return [v(name, [asm(name, { rs1: 8, imm: 4 }), fall], regs)];
    case "c.jr": case "c.jalr": {
      // To the instruction after the next: its address + 1 (bit 0 must go), set again each round.
      const code = loop([asm(name, { rs1: 6 }), fall, asm("auipc", { rd: 6, imm: 0 }), asm("addi", { rd: 6, rs1: 6, imm: 1 })]);
      return [{ label: name, code, entry: 0, cases: [{ xFromEntry: { 6: 5n } }] }];
    }
    default: return [];
  }
}

/** The code variants and cases that exercise one instruction kind (by encoding name). */
export function variantsFor(name: string): Variant[] {
  const e = encoding(name);
  if (e.width === 16) return compressed(name);
  const f = e.format;
  if (name === "lui" || name === "auipc") return upper(name);
  if (name === "jal") return jal();
  if (name === "jalr") return jalr();
  if (name === "fence") return [{ label: "fence", code: loop([asm("fence", {})]), entry: 0, cases: [{}] }];
  if (e.ext === "F" || e.ext === "D") return name in SIZES ? fpMemory(name) : fpOp(name);
  if (name in SIZES) return name.startsWith("l") ? loads(name) : stores(name);
  if (f === "R") return registerRegister(name);
  if (f === "I" || f === "SH6" || f === "SH5") return registerImmediate(name);
  if (f === "B") return branches(name);
  if (e.ext === "A") return f === "LR" || name.startsWith("sc.") ? reservations(name) : amos(name);
  if (e.ext === "Zicsr") return csrOps(name);
  throw new Error(`op-cases: nothing for ${name}`);
}
