// Two cores given the same memory and hart state: one interprets, the other compiles every
// block the first time control lands on it (threshold 1 unless told otherwise, synchronous,
// one block per batch) and counts what its translated code runs (the tier's coverage option). Both run
// the same exact budget; afterwards every difference in hart state, watched memory or MMIO
// traffic is reported by name. Used by the differential tests of the translation tier.
import { Core, RAM_BASE, type LayoutName } from "../../host-ts/core.js";
import { coreModule } from "../support/hart.js";

export { RAM_BASE };

/**
 * An MMIO window both cores see: reads return a value made from the address, writes are
 * logged. It drives hart 0's M-mode external interrupt line, so a device access can end
 * a translated block: a write sets the line to bit 0 of the value, and a read at an
 * offset with bit 8 set raises it.
 */
export const MMIO_BASE = 0x1000_0000;
export const MMIO_SIZE = 0x1000;
export const MMIO_IRQ_READ = 0x100;
const mmioValue = (addr: number, size: number) => (Math.imul(addr, 0x9e37_79b1) ^ size) >>> 0;

type Num = number | bigint;
const big = (v: Num) => BigInt.asUintN(64, typeof v === "bigint" ? v : BigInt(v));

export interface TwinOptions {
  ramBytes: number;
  /** Visits before the compiled core compiles a block (default 1: on the first). */
  threshold?: number;
}

export class Twin {
  /** [interpreter, compiled]. */
  readonly cores: [Core, Core];
  /** Each core's MMIO accesses, in order. */
  readonly mmio: [string[], string[]] = [[], []];
  private readonly watched: [number, number][] = [];

  private constructor(cores: [Core, Core]) {
    this.cores = cores;
  }

  static async create(opts: TwinOptions): Promise<Twin> {
    const module = await coreModule();
    const logs: [string[], string[]] = [[], []];
    const cores: Core[] = [];
    const make = (k: 0 | 1) => Core.create(module, {
      ramBytes: opts.ramBytes, harts: 1,
      mmio: {
        read: (addr, size) => {
          logs[k].push(`r${size} ${addr.toString(16)}`);
          if ((addr - MMIO_BASE) & MMIO_IRQ_READ) cores[k].setExternalInterrupt(0, true);
          return mmioValue(addr, size);
        },
        write: (addr, size, value) => {
          logs[k].push(`w${size} ${addr.toString(16)}=${value.toString(16)}`);
          cores[k].setExternalInterrupt(0, (value & 1) !== 0);
        },
      },
      jit: k === 1 ? { threshold: opts.threshold ?? 1, sync: true, batch: 1, coverage: true } : undefined,
    });
    cores.push(await make(0), await make(1));
    const t = new Twin([cores[0], cores[1]]);
    t.mmio[0] = logs[0];
    t.mmio[1] = logs[1];
    for (const c of t.cores) c.setMmioMap([{ base: MMIO_BASE, size: MMIO_SIZE }]);
    return t;
  }

  get jit(): Core { return this.cores[1]; }

  // --- the same change on both cores ---

  writeRam(pa: number, bytes: Uint8Array): void {
    for (const c of this.cores) c.ramView(pa, bytes.length)!.set(bytes);
  }
  write32(pa: number, v: number): void {
    for (const c of this.cores) { const b = c.ramView(pa, 4)!; new DataView(b.buffer, b.byteOffset, 4).setUint32(0, v >>> 0, true); }
  }
  write16(pa: number, v: number): void {
    for (const c of this.cores) { const b = c.ramView(pa, 2)!; new DataView(b.buffer, b.byteOffset, 2).setUint16(0, v, true); }
  }
  write64(pa: number, v: Num): void {
    for (const c of this.cores) { const b = c.ramView(pa, 8)!; new DataView(b.buffer, b.byteOffset, 8).setBigUint64(0, big(v), true); }
  }
  setX(r: number, v: Num): void { for (const c of this.cores) c.setX(0, r, big(v)); }
  setF(r: number, v: Num): void { for (const c of this.cores) c.setF(0, r, big(v)); }
  setPc(v: Num): void { for (const c of this.cores) c.setPc(0, big(v)); }
  /** Sets the privilege (and drops the TLBs, as a host must after editing translation state). */
  setPriv(p: number): void { for (const c of this.cores) c.setPriv(0, p); }
  setSlot(name: LayoutName, v: Num): void {
    for (const c of this.cores) { c.setSlot(0, name, big(v)); c.flushTlbs(); }
  }
  /** PMP entry 15 open over everything (RWX), as firmware leaves it, so S and U may run. */
  openPmp(): void {
    for (const c of this.cores) {
      c.write64(c.slot(0, c.layout.S_PMPADDR) + 8 * 15, (1n << 54n) - 1n);
      new DataView(c.memory.buffer).setUint8(c.slot(0, c.layout.S_PMPCFG) + 15, 0x1f);
      c.flushTlbs();
    }
  }
  /** Every hart register to the values of `regs` (x0 excepted) and every f to `fregs`. */
  setRegisters(regs: readonly bigint[], fregs: readonly bigint[]): void {
    for (let r = 1; r < 32; r++) this.setX(r, regs[r] ?? 0n);
    for (let r = 0; r < 32; r++) this.setF(r, fregs[r] ?? 0n);
  }

  /** A copy of hart 0's state slot (the interpreter's; both agree while diff() is empty). */
  slotImage(): Uint8Array {
    const c = this.cores[0];
    return new Uint8Array(c.memory.buffer, c.slot(0, c.layout.HART), c.layout.HART_SIZE).slice();
  }
  /** Hart 0's whole state slot from an image (slotImage), then the TLBs dropped. */
  loadSlot(image: Uint8Array): void {
    for (const c of this.cores) {
      new Uint8Array(c.memory.buffer).set(image, c.slot(0, c.layout.HART));
      c.flushTlbs();
    }
  }

  /** RAM [pa, pa+len) takes part in diff(). */
  watch(pa: number, len: number): void { this.watched.push([pa, len]); }

  /** Runs exactly `budget` instructions on each core (the compiled one stops early to compile). */
  run(budget: number): void {
    for (const c of this.cores) {
      let left = budget;
      for (let guard = 0; left > 0; guard++) {
        if (guard > budget + 1000) throw new Error("twin: run() makes no progress");
        c.run(left);
        left -= c.lastRunSpent();
      }
      if (left !== 0) throw new Error(`twin: ${-left} instructions over budget`);
    }
  }

  /** Every difference between the two cores, one line each (empty when they agree). */
  diff(): string[] {
    const out: string[] = [];
    const [a, b] = this.cores;
    const L = a.layout;
    if (this.agree()) return out;
    const hex = (v: bigint) => "0x" + v.toString(16);
    for (let r = 1; r < 32; r++) {
      const va = a.getX(0, r), vb = b.getX(0, r);
      if (va !== vb) out.push(`x${r}: interpreter ${hex(va)}, compiled ${hex(vb)}`);
    }
    for (let r = 0; r < 32; r++) {
      const va = a.getF(0, r), vb = b.getF(0, r);
      if (va !== vb) out.push(`f${r}: interpreter ${hex(va)}, compiled ${hex(vb)}`);
    }
    // Every other 8-byte word of the hart slot, named after its layout slot.
    const names = new Map<number, string>();
    for (const [name, at] of Object.entries(L)) if (name.startsWith("S_") && name !== "S_END") names.set(at, name);
    for (let at = L.FREG + 32 * 8; at < L.HART + L.HART_SIZE; at += 8) {
      const va = a.read64(a.slot(0, at)), vb = b.read64(b.slot(0, at));
      if (va === vb) continue;
      let name = names.get(at);
      if (!name) {
        const base = [...names.keys()].filter((k) => k < at).sort((x, y) => y - x)[0];
        name = base !== undefined ? `${names.get(base)}+${at - base}` : `slot+${at - L.HART}`;
      }
      out.push(`${name}: interpreter ${hex(va)}, compiled ${hex(vb)}`);
    }
    for (const [pa, len] of this.watched) {
      const ma = ramBytes(a, pa, len), mb = ramBytes(b, pa, len);
      for (let i = 0; i < len; i++) {
        if (ma[i] !== mb[i]) {
          out.push(`memory 0x${(pa + i).toString(16)}: interpreter 0x${ma[i].toString(16)}, compiled 0x${mb[i].toString(16)}`);
          if (out.length > 40) return out;
        }
      }
    }
    const [la, lb] = this.mmio;
    if (la.join() !== lb.join()) out.push(`mmio: interpreter [${la.join(", ")}], compiled [${lb.join(", ")}]`);
    return out;
  }

  /** The quick check: hart slot, watched memory and MMIO logs byte for byte equal. */
  private agree(): boolean {
    const [a, b] = this.cores;
    const slotA = new Uint8Array(a.memory.buffer, a.slot(0, a.layout.XREG + 8), a.layout.HART_SIZE - 8);
    const slotB = new Uint8Array(b.memory.buffer, b.slot(0, b.layout.XREG + 8), b.layout.HART_SIZE - 8);
    if (!sameBytes(slotA, slotB)) return false;
    for (const [pa, len] of this.watched) if (!sameBytes(ramBytes(a, pa, len), ramBytes(b, pa, len))) return false;
    const [la, lb] = this.mmio;
    return la.length === lb.length && la.every((v, i) => v === lb[i]);
  }

  /** Empties the MMIO logs and lowers the interrupt line. */
  resetDevices(): void {
    this.mmio[0].length = 0;
    this.mmio[1].length = 0;
    for (const c of this.cores) c.setExternalInterrupt(0, false);
  }

  /** What the compiled core's translated code ran (tier coverage). */
  coverage() { return this.jit.jit!.coverage(); }
}

/** RAM bytes read straight from the core's memory (a ramView would count as a write to code). */
function ramBytes(c: Core, pa: number, len: number): Uint8Array {
  return new Uint8Array(c.memory.buffer, c.layout.RAM_OFFSET + (pa - RAM_BASE), len);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  const n = a.length >> 2;
  if ((a.byteOffset & 3) === 0 && (b.byteOffset & 3) === 0) {
    const wa = new Uint32Array(a.buffer, a.byteOffset, n), wb = new Uint32Array(b.buffer, b.byteOffset, n);
    for (let i = 0; i < n; i++) if (wa[i] !== wb[i]) return false;
    for (let i = n << 2; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
