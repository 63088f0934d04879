// Sv39/Sv48 page tables built in guest RAM from a test (priv 1.12 §4.3–4.5).
import type { Hart } from "./hart.js";
import { RAM_BASE } from "./hart.js";
import { PTE, SATP_MODE } from "./riscv.js";

/** A bump allocator of 4 KiB table pages in RAM (several PageTables may share one). */
export class TablePool {
  constructor(private next: number = RAM_BASE + 0x1_0000, private readonly end: number = RAM_BASE + 0x4_0000) {}
  take(hart: Hart): number {
    if (this.next >= this.end) throw new Error("page-table pool exhausted");
    const page = this.next;
    this.next += 0x1000;
    hart.zero(page, 0x1000);
    return page;
  }
}

/** A leaf PTE for physical address pa (its page number) with the given flag bits. */
export function leaf(pa: bigint | number, flags: bigint): bigint {
  return ((BigInt(pa) >> 12n) << 10n) | flags;
}

export class PageTables {
  readonly root: number;
  readonly levels: number;

  constructor(private readonly hart: Hart, readonly mode: "sv39" | "sv48", private readonly pool = new TablePool()) {
    this.levels = mode === "sv39" ? 3 : 4;
    this.root = pool.take(hart);
  }

  /** satp for these tables (ASID 0). */
  get satp(): bigint {
    return ((this.mode === "sv39" ? SATP_MODE.SV39 : SATP_MODE.SV48) << 60n) | BigInt(this.root >>> 12);
  }

  private index(va: bigint, level: number): bigint {
    return (va >> BigInt(12 + 9 * level)) & 511n;
  }

  /**
   * Physical address of the PTE that maps va at `level` (0 = 4 KiB leaf, 1 = 2 MiB,
   * 2 = 1 GiB, 3 = 512 GiB), creating pointer PTEs (V only) down to it.
   */
  slot(va: bigint, level: number): number {
    if (level < 0 || level >= this.levels) throw new Error(`no level ${level} in ${this.mode}`);
    let table = this.root;
    for (let l = this.levels - 1; l > level; l--) {
      const at = table + Number(this.index(va, l)) * 8;
      let pte = this.hart.read64(at);
      if ((pte & PTE.V) === 0n) {
        const next = this.pool.take(this.hart);
        pte = leaf(next, PTE.V);
        this.hart.write64(at, pte);
      } else if ((pte & (PTE.R | PTE.W | PTE.X)) !== 0n) {
        throw new Error(`va 0x${va.toString(16)} already has a leaf at level ${l}`);
      }
      table = Number(((pte >> 10n) & ((1n << 44n) - 1n)) << 12n);
    }
    return table + Number(this.index(va, level)) * 8;
  }

  /** Maps the page of va at `level` to pa with `flags` (V is added); returns the PTE's address. */
  map(va: bigint, pa: bigint | number, flags: bigint, level = 0): number {
    return this.setPte(va, level, leaf(pa, flags | PTE.V));
  }

  /** Writes a raw PTE value at the slot for va at `level`; returns the PTE's address. */
  setPte(va: bigint, level: number, pte: bigint): number {
    const at = this.slot(va, level);
    this.hart.write64(at, pte);
    return at;
  }

  /** The PTE value at the slot for va at `level`. */
  pte(va: bigint, level = 0): bigint {
    return this.hart.read64(this.slot(va, level));
  }
}
