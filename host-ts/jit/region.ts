// Finds the region a hot entry point starts: its blocks, decoded with the core's own
// decoder. A region is the set of blocks reachable from the entry through direct branches
// and plain jumps without leaving the entry's page; a block is straight-line code up to a
// jump, an instruction the translator refuses, the page end or maxInsns instructions.
import { ENCODINGS } from "../../core-as/isa/encodings.js";
import { ENDS_BLOCK, HELPER_READS_X, HELPER_WRITES_X, Rule, ruleOf, runsInHelper, translatable } from "./rules.js";

/** What the translator needs from the core (decoder exports and layout). */
export interface TranslatorCore {
  bytes: Uint8Array; // the core's whole linear memory
  expandCompressed(h: number): number;
  decodeOp(bits: number): number;
  decodeImm(word: number): number;
  xreg: number; // address of x0
  freg: number; // address of f0
  mstatus: number; // address of the mstatus slot
  fcsr: number; // address of the fcsr slot
  tlbTagsR: number;
  tlbTagsW: number;
  tlbTagsX: number;
  /**
   * The second half of the 4-byte instruction whose first half is at host address `host`
   * (page offset 0xffe), as the guest last fetched it; -1 when the core has not seen one.
   */
  secondHalf(host: number): number;
  tlbAddend: number;
  tlbEntries: number;
  maxInsns: number;
  /** Where the core lends compiled code the budget (i32) and keeps the data TLB sets' address (u32). */
  jitRemaining: number;
  jitDataTlb: number;
  /** Where a region that runs off its end (no jump) leaves 1 for the run loop (u32). */
  jitStraightExit: number;
}

/** One decoded guest instruction of a region. */
export interface Insn {
  off: number; // byte offset from the block entry
  len: number;
  name: string;
  op: number; // the decoder's op id
  format: string;
  word: number; // the 32-bit form
  raw: number; // the bits as fetched (16 for compressed)
  rd: number;
  rs1: number;
  rs2: number;
  imm: number;
  /** Set on a 4-byte instruction that straddles the page end: its second half, which the code checks before running it. */
  secondHalf?: number;
}

/** A block of a region: its offset from the region's entry and its instructions. */
export interface Block {
  start: number;
  insns: Insn[];
}

/**
 * Limits that keep one region's function quick to compile. V8 tiers hot functions up to
 * TurboFan, whose time grows much faster than a function's size (10 ms to over 100 ms for
 * 5-10 KB bodies); at 8 blocks / 160 instructions that was 0.7-1.5 s of a boot's CPU.
 */
const MAX_BLOCKS = 4;
const MAX_REGION_INSNS = 64;

/**
 * The region entered at host address `entry`: its entry block first. Empty when the
 * entry's first instruction is not translatable. `reads`, when given, receives every byte
 * range the decoding looked at, as [start, end) host address pairs: the region is a
 * function of exactly those bytes, the entry's page offset and the second half of an
 * instruction straddling the page end (Insn.secondHalf), which code-cache.ts keys on.
 */
export function decodeRegion(core: TranslatorCore, entry: number, reads?: number[]): Block[] {
  const pageOffset = entry & 0xfff;
  const inPage = (off: number) => off >= -pageOffset && off < 0x1000 - pageOffset;
  const blocks: Block[] = [];
  const seen = new Set<number>();
  const work = [0];
  let total = 0;
  while (work.length > 0 && blocks.length < MAX_BLOCKS && total < MAX_REGION_INSNS) {
    const start = work.shift()!;
    if (seen.has(start)) continue;
    seen.add(start);
    const insns = decodeBlock(core, entry + start, start, reads);
    if (insns.length === 0) continue; // control leaves the region there
    blocks.push({ start, insns });
    total += insns.length;
    for (const i of insns) {
      // Branches and plain jumps (loops, if/else); calls (jal with a link) start regions of their own.
      const rule = ruleOf(i.name);
      if (rule === Rule.Branch || (rule === Rule.Jal && i.rd === 0)) {
        const target = i.off + i.imm;
        if (inPage(target)) work.push(target);
      }
    }
    const last = insns[insns.length - 1];
    const end = last.off + last.len;
    if (!ENDS_BLOCK.has(last.name) && insns.length === core.maxInsns && inPage(end)) work.push(end);
  }
  return blocks;
}

/**
 * Decodes the block at host address `at` (offsets are counted from `start`, its offset in
 * the region); empty when its first instruction is not translatable. The bytes it reads
 * are contiguous from `at0`; with `reads` their range is appended (see decodeRegion).
 */
export function decodeBlock(core: TranslatorCore, at0: number, start = 0, reads?: number[]): Insn[] {
  const entry = at0 - start;
  const pageEnd = (at0 | 0xfff) + 1;
  const out: Insn[] = [];
  const m = core.bytes;
  let readEnd = at0;
  for (let at = at0; out.length < core.maxInsns && at + 2 <= pageEnd;) {
    const lo = m[at] | (m[at + 1] << 8);
    readEnd = at + 2;
    let word: number;
    let len: number;
    let secondHalf = -1;
    if ((lo & 3) !== 3) {
      word = core.expandCompressed(lo);
      len = 2;
      if (word === 0) break;
    } else if (at + 4 > pageEnd) {
      // Its second half lies in the next page, whichever that is when the code runs.
      secondHalf = core.secondHalf(at);
      if (secondHalf < 0) break;
      word = (lo | (secondHalf << 16)) >>> 0;
      len = 4;
    } else {
      word = (lo | (m[at + 2] << 16) | (m[at + 3] << 24)) >>> 0;
      readEnd = at + 4;
      len = 4;
    }
    const op = core.decodeOp(word);
    if (op === 0) break;
    const { format, name, accepted } = opInfo(op);
    if (!accepted) break;
    out.push({
      off: at - entry, len, name, op, format, word, raw: len === 2 ? lo : word,
      rd: (word >>> 7) & 31, rs1: (word >>> 15) & 31, rs2: (word >>> 20) & 31, imm: core.decodeImm(word),
      ...(secondHalf >= 0 ? { secondHalf } : {}),
    });
    at += len;
    if (ENDS_BLOCK.has(name)) break;
  }
  if (reads && readEnd > at0) reads.push(at0, readEnd);
  return out;
}

const COMPRESSED = ENCODINGS.filter((e) => e.width === 16).sort((a, b) => popcount(b.mask) - popcount(a.mask));
const compressedIds = new Map<number, number>();
function popcount(n: number): number { let c = 0; for (let v = n >>> 0; v; v &= v - 1) c++; return c; }

/** The kind of an instruction for coverage counts: its encoding id as fetched (compressed ones their own). */
export function kindOf(i: Insn): number {
  return i.len === 2 ? compressedId(i.raw) : i.op;
}

/** The encoding id of compressed bits (the most specific entry matching them). */
function compressedId(h: number): number {
  let id = compressedIds.get(h);
  if (id === undefined) {
    id = COMPRESSED.find((e) => (h & e.mask) === e.match)?.id ?? 0;
    compressedIds.set(h, id);
  }
  return id;
}

/** Registers a region reads or writes (for the prologue and the write-backs). */
export function registerUse(insns: Insn[]): { used: number[]; written: number[] } {
  let used = 0; // bit r: x[r]
  let written = 0;
  for (const i of insns) {
    const rule = ruleOf(i.name);
    if (rule === Rule.FpMemory) {
      used |= 1 << i.rs1;
      continue;
    }
    if (rule === Rule.Helper) {
      for (const field of HELPER_READS_X[i.format] ?? []) used |= 1 << i[field];
      if (HELPER_WRITES_X.has(i.format)) { used |= 1 << i.rd; written |= 1 << i.rd; }
      continue;
    }
    const immediate = rule === Rule.AluRI || rule === Rule.Load || rule === Rule.Jalr || i.name === "srliw" || i.name === "sraiw";
    if (rule !== Rule.Lui && rule !== Rule.Auipc && rule !== Rule.Jal && rule !== Rule.Fence) {
      used |= 1 << i.rs1;
      if (!immediate) used |= 1 << i.rs2;
    }
    if (rule !== Rule.Store && rule !== Rule.Branch && rule !== Rule.Fence) {
      used |= 1 << i.rd;
      written |= 1 << i.rd;
    }
  }
  return { used: registers(used), written: registers(written) };
}

/** The registers of a mask, x0 left out (it is always 0), in order. */
function registers(mask: number): number[] {
  const out: number[] = [];
  for (let r = 1; r < 32; r++) if (mask & (1 << r)) out.push(r);
  return out;
}

interface OpInfo {
  format: string;
  /** The name the translator knows it by: "helper" for what runs in the interpreter's semantics (FP loads and stores keep theirs). */
  name: string;
  /** Whether the translator takes it. */
  accepted: boolean;
}
const opInfos: OpInfo[] = [];

/** What decodeBlock needs of a decoder op id (ENCODINGS[op - 1]), worked out once per op. */
function opInfo(op: number): OpInfo {
  let info = opInfos[op];
  if (info === undefined) {
    const { name, format, ext } = ENCODINGS[op - 1];
    const helper = runsInHelper(format, ext);
    info = { format, name: helper && ruleOf(name) !== Rule.FpMemory ? "helper" : name, accepted: helper || translatable(name) };
    opInfos[op] = info;
  }
  return info;
}
