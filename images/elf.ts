// ELF64 little-endian RISC-V executables: validated headers, loadable segments by
// physical address, and the symbol table (for HTIF's tohost/fromhost). Whatever the
// file says, parsing costs time linear in its size and fails with one line saying why:
// segments that overlap in memory are refused, as QEMU's loader refuses them.

import { HartvmError } from "../host-ts/errors.js";

/** An image is not what it claims to be (a HartvmError with code "invalid-image"). */
export class ImageError extends HartvmError {
  constructor(message: string) {
    super("invalid-image", message);
  }
}

export interface ElfSegment {
  /** Its program header's index (for messages). */
  header: number;
  paddr: bigint;
  data: Uint8Array; // file bytes (filesz)
  memsz: bigint; // bytes in memory; the rest beyond data is zero
}

export interface ElfImage {
  entry: bigint;
  segments: ElfSegment[];
  /** The symbol table (get(name) gives a symbol's value). */
  symbols: ElfSymbols;
}

/**
 * An ELF symbol table read on demand: get(name) is one pass over the entries comparing
 * bytes, so a table of millions of long or unterminated names costs no more than its size.
 * When a name appears twice, the later entry wins (globals follow locals).
 */
export class ElfSymbols {
  static readonly none = new ElfSymbols(new Uint8Array(0), 0, 0, 0, 0);

  constructor(
    private readonly bytes: Uint8Array,
    private readonly symOff: number,
    private readonly symSize: number,
    private readonly strOff: number,
    private readonly strSize: number,
  ) {}

  get(name: string): bigint | undefined {
    const want = new TextEncoder().encode(name);
    const { bytes, strOff, strSize } = this;
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let found: bigint | undefined;
    for (let e = this.symOff; e + 24 <= this.symOff + this.symSize; e += 24) {
      const nameOff = dv.getUint32(e, true);
      if (nameOff === 0 || nameOff + want.length > strSize) continue;
      const at = strOff + nameOff;
      if (nameOff + want.length < strSize && bytes[at + want.length] !== 0) continue; // longer name
      let k = 0;
      while (k < want.length && bytes[at + k] === want[k]) k++;
      if (k === want.length) found = dv.getBigUint64(e + 8, true);
    }
    return found;
  }
}

const EM_RISCV = 243;
const PT_LOAD = 1;
const SHT_SYMTAB = 2;

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

export function parseElf(bytes: Uint8Array, name = "image"): ElfImage {
  const fail = (why: string): never => { throw new ImageError(`${name}: ${why}`); };
  if (!isElf(bytes)) fail("not an ELF file");
  if (bytes[4] === 1) fail("a 32-bit ELF (ELFCLASS32); hartvm runs RV64 and needs a 64-bit ELF");
  if (bytes.length > 4 && bytes[4] !== 2) fail(`ELF class ${bytes[4]} is neither 32- nor 64-bit`);
  if (bytes.length < 64) fail("truncated ELF header");
  if (bytes[5] !== 1) fail("not a little-endian ELF");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const machine = dv.getUint16(18, true);
  if (machine !== EM_RISCV) fail(`ELF is for machine ${machine}, not RISC-V (243)`);
  const type = dv.getUint16(16, true);
  if (type !== 2 && type !== 3) fail("ELF is not an executable");
  const entry = dv.getBigUint64(24, true);
  const phoff = Number(dv.getBigUint64(32, true));
  const shoff = Number(dv.getBigUint64(40, true));
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  const shentsize = dv.getUint16(58, true);
  const shnum = dv.getUint16(60, true);
  const within = (off: number, len: number) => Number.isSafeInteger(off) && off >= 0 && len >= 0 && off + len <= bytes.length;
  if (phnum === 0) fail("ELF has no program headers");
  if (phentsize < 56 || !within(phoff, phentsize * phnum)) fail("truncated ELF: program headers outside the file");

  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (dv.getUint32(p, true) !== PT_LOAD) continue;
    const offset = Number(dv.getBigUint64(p + 8, true));
    const paddr = dv.getBigUint64(p + 24, true);
    const filesz = Number(dv.getBigUint64(p + 32, true));
    const memsz = dv.getBigUint64(p + 40, true);
    if (BigInt(filesz) > memsz) fail(`segment ${i} has file size larger than memory size`);
    if (!within(offset, filesz)) fail(`truncated ELF: segment ${i} extends past the end of the file`);
    if (memsz === 0n) continue;
    if (paddr + memsz > 1n << 64n) fail(`segment ${i} wraps around the end of the address space`);
    segments.push({ header: i, paddr, data: bytes.subarray(offset, offset + filesz), memsz });
  }
  if (segments.length === 0) fail("ELF has no loadable segments");
  const byAddress = [...segments].sort((a, b) => (a.paddr < b.paddr ? -1 : a.paddr > b.paddr ? 1 : 0));
  for (let k = 1; k < byAddress.length; k++) {
    const a = byAddress[k - 1], b = byAddress[k];
    if (b.paddr < a.paddr + a.memsz) {
      fail(`segments ${Math.min(a.header, b.header)} and ${Math.max(a.header, b.header)} overlap in memory at 0x${b.paddr.toString(16)}`);
    }
  }

  let symbols = ElfSymbols.none;
  if (shoff !== 0 && shnum !== 0 && shentsize >= 64 && within(shoff, shentsize * shnum)) {
    for (let i = 0; i < shnum; i++) {
      const s = shoff + i * shentsize;
      if (dv.getUint32(s + 4, true) !== SHT_SYMTAB) continue;
      const symOff = Number(dv.getBigUint64(s + 24, true));
      const symSize = Number(dv.getBigUint64(s + 32, true));
      const link = dv.getUint32(s + 40, true);
      if (link >= shnum || !within(symOff, symSize)) continue;
      const str = shoff + link * shentsize;
      const strOff = Number(dv.getBigUint64(str + 24, true));
      const strSize = Number(dv.getBigUint64(str + 32, true));
      if (!within(strOff, strSize)) continue;
      symbols = new ElfSymbols(bytes, symOff, symSize, strOff, strSize);
      break; // an ELF file has at most one SHT_SYMTAB (gABI)
    }
  }
  return { entry, segments, symbols };
}

