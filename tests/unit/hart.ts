// Test support: an assembler driven by the encoding table, and a one-hart core that runs
// instruction words placed in RAM.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ENCODINGS } from "../../core-as/isa/encodings.js";
import { Core, RAM_BASE, type LayoutName } from "../../host-ts/core.js";

type Fields = { rd?: number; rs1?: number; rs2?: number; imm?: number; csr?: number };

const byName = new Map(ENCODINGS.map((e) => [e.name, e]));

function fits(v: number, bits: number, signed: boolean): boolean {
  return signed ? v >= -(2 ** (bits - 1)) && v < 2 ** (bits - 1) : v >= 0 && v < 2 ** bits;
}

/** Encodes one 32-bit instruction from the table entry `name` and its operand fields. */
export function asm(name: string, f: Fields = {}): number {
  const e = byName.get(name);
  if (!e || e.width !== 32) throw new Error(`asm: no 32-bit instruction ${name}`);
  const rd = f.rd ?? 0, rs1 = f.rs1 ?? 0, rs2 = f.rs2 ?? 0, imm = f.imm ?? 0;
  let w = e.match | (rd << 7) | (rs1 << 15);
  const need = (bits: number, signed = true) => { if (!fits(imm, bits, signed)) throw new Error(`asm: ${name} immediate ${imm} does not fit`); };
  switch (e.format) {
    case "R": case "AMO": case "SFENCE": w |= rs2 << 20; break;
    case "I": case "F_I": need(12); w |= (imm & 0xfff) << 20; break;
    case "S": case "F_S": need(12); w = e.match | (rs1 << 15) | (rs2 << 20) | ((imm & 0x1f) << 7) | (((imm >> 5) & 0x7f) << 25); break;
    case "B": need(13); w = e.match | (rs1 << 15) | (rs2 << 20) | (((imm >> 11) & 1) << 7) | (((imm >> 1) & 0xf) << 8) | (((imm >> 5) & 0x3f) << 25) | (((imm >> 12) & 1) << 31); break;
    case "U": w = e.match | (rd << 7) | (imm & 0xfffff000); break;
    case "J": need(21); w = e.match | (rd << 7) | (((imm >> 12) & 0xff) << 12) | (((imm >> 11) & 1) << 20) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 20) & 1) << 31); break;
    case "SH6": w |= (imm & 63) << 20; break;
    case "CSR": case "CSRI": w |= (f.csr ?? 0) << 20; break;
    case "NONE": case "FENCE": w = e.match; break;
    default: throw new Error(`asm: format ${e.format} not supported here`);
  }
  return w >>> 0;
}

let module: WebAssembly.Module | null = null;
async function coreModule(): Promise<WebAssembly.Module> {
  module ??= await WebAssembly.compile(readFileSync(join(__dirname, "..", "..", "build", "core.wasm")));
  return module;
}

export const CODE = RAM_BASE; // where programs go
export const TRAP = RAM_BASE + 0x800; // mtvec/stvec: nops

/** A one-hart machine with 1 MiB of RAM and no devices. */
export class Hart {
  private constructor(readonly core: Core) {}

  static async create(): Promise<Hart> {
    const core = await Core.create(await coreModule(), { ramBytes: 2 ** 20, harts: 1, mmio: { read: () => 0, write: () => {} } });
    const h = new Hart(core);
    h.write32(TRAP, new Array(64).fill(asm("addi")));
    h.slot("S_MTVEC", BigInt(TRAP));
    h.slot("S_STVEC", BigInt(TRAP));
    h.allowAllMemory();
    return h;
  }

  /** PMP entry 0 = NAPOT over everything, RWX (as firmware leaves it): S and U may run. */
  allowAllMemory(): void {
    this.core.write64(this.core.slot(0, this.core.layout.S_PMPADDR), (1n << 54n) - 1n);
    this.core.write32(this.core.slot(0, this.core.layout.S_PMPCFG), 0x1f);
  }

  write32(pa: number, words: number[]): void {
    const v = this.core.ramView(pa, words.length * 4)!;
    new Uint32Array(v.buffer, v.byteOffset, words.length).set(words);
  }
  write64(pa: number, value: bigint): void {
    const v = this.core.ramView(pa, 8)!;
    new DataView(v.buffer, v.byteOffset, 8).setBigUint64(0, value, true);
  }
  read64(pa: number): bigint {
    const v = this.core.ramView(pa, 8)!;
    return new DataView(v.buffer, v.byteOffset, 8).getBigUint64(0, true);
  }

  x(r: number, v?: bigint): bigint {
    if (v !== undefined) this.core.setX(0, r, v);
    return this.core.getX(0, r);
  }
  slot(name: LayoutName, v?: bigint): bigint {
    if (v !== undefined) this.core.setSlot(0, name, v);
    return this.core.getSlot(0, name);
  }
  get pc(): bigint { return this.core.getPc(0); }
  get priv(): number { return this.core.getPriv(0); }

  /** Places `words` at CODE, starts there in `priv`, and runs `steps` instructions (default: all of them). */
  run(words: number[], priv = 3, steps = words.length): number {
    this.write32(CODE, words);
    this.core.setPc(0, BigInt(CODE));
    this.core.setPriv(0, priv);
    return this.core.run(steps);
  }
}
