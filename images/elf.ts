// ELF64 little-endian RISC-V executables: validated headers, loadable segments by
// physical address, and the symbol table (for HTIF's tohost/fromhost).

import { HartvmError } from "../host-ts/errors.js";

/** An image is not what it claims to be (a HartvmError with code "invalid-image"). */
export class ImageError extends HartvmError {
  constructor(message: string) {
    super("invalid-image", message);
  }
}

export interface ElfSegment {
  paddr: bigint;
  data: Uint8Array; // file bytes (filesz)
  memsz: bigint; // bytes in memory; the rest beyond data is zero
}

export interface ElfImage {
  entry: bigint;
  segments: ElfSegment[];
  symbols: Map<string, bigint>;
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
  if (bytes.length < 64) fail("truncated ELF header");
  if (bytes[4] !== 2) fail("not a 64-bit ELF (hartvm runs RV64)");
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
    segments.push({ paddr, data: bytes.subarray(offset, offset + filesz), memsz });
  }
  if (segments.length === 0) fail("ELF has no loadable segments");

  const symbols = new Map<string, bigint>();
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
      for (let e = symOff; e + 24 <= symOff + symSize; e += 24) {
        const nameOff = dv.getUint32(e, true);
        if (nameOff === 0 || nameOff >= strSize) continue;
        let end = strOff + nameOff;
        while (end < strOff + strSize && bytes[end] !== 0) end++;
        const symName = new TextDecoder().decode(bytes.subarray(strOff + nameOff, end));
        symbols.set(symName, dv.getBigUint64(e + 8, true));
      }
    }
  }
  return { entry, segments, symbols };
}
