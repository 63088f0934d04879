// Placing images into guest RAM, with a clear error when something does not fit: outside
// RAM, or on top of another image (QEMU refuses overlapping images too: "rom: requested
// regions overlap").
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

/** The lowest and the highest (exclusive) address an ELF's segments occupy. */
export function elfExtent(elf: ElfImage): { low: number; high: number } {
  let low = Infinity, high = 0;
  for (const s of elf.segments) {
    low = Math.min(low, Number(s.paddr));
    high = Math.max(high, Number(s.paddr + s.memsz));
  }
  return { low, high };
}

interface Region { start: number; end: number; what: string }

/** Images placed so far in one boot: each new one is checked against RAM and the others. */
export class Placement {
  private readonly regions: Region[] = [];

  constructor(private readonly ram: PhysicalRam) {}

  /** Writes `data` at `pa`, zero-filled up to `size` bytes. */
  bytes(what: string, pa: number, data: Uint8Array, size = data.length): void {
    this.claim(what, pa, size);
    loadBytes(this.ram, BigInt(pa), data, what, BigInt(size));
  }

  /** Every loadable segment of an ELF at its physical address. */
  elf(name: string, elf: ElfImage): void {
    for (const s of elf.segments) this.bytes(`${name} segment ${s.header}`, Number(s.paddr), s.data, Number(s.memsz));
  }

  /** Whether a placed image covers `pa`. */
  covers(pa: number): boolean {
    return this.regions.some((r) => pa >= r.start && pa < r.end);
  }

  private claim(what: string, start: number, size: number): void {
    if (size === 0) return;
    const end = start + size;
    for (const r of this.regions) {
      if (start < r.end && r.start < end) {
        throw new ImageError(`${what} [${hex(start)}, ${hex(end)}) overlaps ${r.what} [${hex(r.start)}, ${hex(r.end)})`);
      }
    }
    this.regions.push({ start, end, what });
  }
}

const hex = (n: number) => "0x" + n.toString(16);
