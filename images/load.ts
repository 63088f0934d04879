// Placing images into guest RAM, with a clear error when something does not fit.
import { ImageError, type ElfImage } from "./elf.js";

export interface PhysicalRam {
  ramView(pa: number, len: number): Uint8Array | null;
}

export function loadBytes(ram: PhysicalRam, pa: bigint, data: Uint8Array, what: string, zeroTo = BigInt(data.length)): void {
  const len = Number(zeroTo);
  const view = pa <= BigInt(Number.MAX_SAFE_INTEGER) ? ram.ramView(Number(pa), len) : null;
  if (!view) {
    throw new ImageError(`${what}: [0x${pa.toString(16)}, 0x${(pa + zeroTo).toString(16)}) lies outside guest RAM`);
  }
  view.set(data);
  view.fill(0, data.length);
}

export function loadElf(ram: PhysicalRam, elf: ElfImage, name: string): void {
  for (const s of elf.segments) loadBytes(ram, s.paddr, s.data, `${name} segment ${s.header}`, s.memsz);
}
