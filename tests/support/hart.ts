// A one-hart machine for the core tests: core.wasm behind host-ts/core.ts with RAM and
// no devices. Tests place instruction words in RAM, set registers and CSR slots, run an
// exact number of instructions and read the state back from the hart's save slot.
//
// Between run() calls the hart's state lives in its save slot, so the setters here
// write the slot directly; the ones that change translation state drop the TLBs, as
// Core's API asks of a host. Guest instructions change state through the core's own
// CSR logic (csrRead/csrWrite below execute csrrs/csrrw in M-mode).
import { readFileSync } from "node:fs";
import { Core, RAM_BASE, Reason, RunState, type LayoutName, type ReasonCode } from "../../host-ts/core.js";
import type { JitOptions } from "../../host-ts/jit/tier.js";
import { asm } from "./asm.js";
import { PRIV } from "./riscv.js";

export { RAM_BASE, Reason, RunState };

/** Where tests put things in guest physical memory. */
export const RAM_SIZE = 1 << 20;
export const CODE = RAM_BASE; // programs
export const MTVEC = RAM_BASE + 0x1000; // M trap vector page: every word jumps to itself
export const STVEC = RAM_BASE + 0x2000; // S trap vector page: the same
export const HANDLER = RAM_BASE + 0x3000; // free page for trap handlers a test writes
export const DATA = RAM_BASE + 0x4_0000; // data pages
export const SCRATCH = RAM_BASE + RAM_SIZE - 0x1000; // the harness's own csrr/csrw slot (last RAM page)

/** `jal x0, 0`: an instruction that jumps to itself, so a trap's target stays in pc. */
export const SELF_LOOP = 0x0000_006f;

let compiled: Promise<WebAssembly.Module> | undefined;
/**
 * core.wasm, compiled once per test file (`npm run build` makes it). HARTVM_CORE_WASM
 * names another build to test instead (a debug build, or a deliberately broken one).
 */
export function coreModule(): Promise<WebAssembly.Module> {
  const path = process.env.HARTVM_CORE_WASM ?? new URL("../../build/core.wasm", import.meta.url);
  compiled ??= WebAssembly.compile(readFileSync(path));
  return compiled;
}

export interface HartOptions {
  ramBytes?: number;
  /**
   * "open" (default): PMP entry 15, the lowest-priority one, is NAPOT over all of memory
   * with RWX, as firmware leaves it, so S and U may run. "none": every entry is off.
   */
  pmp?: "open" | "none";
  /** The translation tier, as Core.create takes it (absent: interpret only). */
  jit?: JitOptions;
}

type Num = number | bigint;
const big = (v: Num) => (typeof v === "bigint" ? v : BigInt(v));

/** MMIO accesses the core made (none are mapped unless a test maps some). */
export interface MmioAccess { write: boolean; addr: number; size: number; value: number }

export class Hart {
  private constructor(readonly core: Core, readonly mmio: MmioAccess[]) {}

  static async create(opts: HartOptions = {}): Promise<Hart> {
    const mmio: MmioAccess[] = [];
    const core = await Core.create(await coreModule(), {
      ramBytes: opts.ramBytes ?? RAM_SIZE,
      harts: 1,
      jit: opts.jit,
      mmio: {
        read: (addr, size) => { mmio.push({ write: false, addr, size, value: 0 }); return 0; },
        write: (addr, size, value) => { mmio.push({ write: true, addr, size, value }); },
      },
    });
    const h = new Hart(core, mmio);
    h.fill(MTVEC, 0x1000 / 4, SELF_LOOP);
    h.fill(STVEC, 0x1000 / 4, SELF_LOOP);
    h.set("S_MTVEC", MTVEC);
    h.set("S_STVEC", STVEC);
    if ((opts.pmp ?? "open") === "open") {
      h.setPmpAddr(15, (1n << 54n) - 1n); // NAPOT with all ones: the whole address space
      h.setPmpCfg(15, 0x1f); // NAPOT | X | W | R
    }
    return h;
  }

  get layout() { return this.core.layout; }

  // --- guest physical memory (RAM only) ---

  private view(pa: Num, len: number): DataView {
    const v = this.core.ramView(Number(pa), len);
    if (!v) throw new Error(`harness: 0x${pa.toString(16)}+${len} is outside RAM`);
    return new DataView(v.buffer, v.byteOffset, len);
  }
  write8(pa: Num, v: number): void { this.view(pa, 1).setUint8(0, v); }
  write16(pa: Num, v: number): void { this.view(pa, 2).setUint16(0, v, true); }
  write32(pa: Num, v: number): void { this.view(pa, 4).setUint32(0, v >>> 0, true); }
  write64(pa: Num, v: Num): void { this.view(pa, 8).setBigUint64(0, BigInt.asUintN(64, big(v)), true); }
  read8(pa: Num): number { return this.view(pa, 1).getUint8(0); }
  read16(pa: Num): number { return this.view(pa, 2).getUint16(0, true); }
  read32(pa: Num): number { return this.view(pa, 4).getUint32(0, true); }
  read64(pa: Num): bigint { return this.view(pa, 8).getBigUint64(0, true); }
  fill(pa: Num, words: number, value: number): void {
    for (let i = 0; i < words; i++) this.write32(Number(pa) + 4 * i, value);
  }
  zero(pa: Num, bytes: number): void { this.core.ramView(Number(pa), bytes)!.fill(0); }

  /** Writes 32-bit instruction words at pa. */
  load(pa: Num, words: readonly number[]): void {
    words.forEach((w, i) => this.write32(Number(pa) + 4 * i, w));
  }
  /** Writes 16-bit halves at pa (mixed compressed and 32-bit code, see asm.ts halves()). */
  loadHalves(pa: Num, hs: readonly number[]): void {
    hs.forEach((h, i) => this.write16(Number(pa) + 2 * i, h));
  }

  // --- registers and state slots ---

  x(r: number): bigint { return this.core.getX(0, r); }
  setX(r: number, v: Num): void { this.core.setX(0, r, BigInt.asUintN(64, big(v))); }
  f(r: number): bigint { return this.core.getF(0, r); }
  setF(r: number, v: Num): void { this.core.setF(0, r, BigInt.asUintN(64, big(v))); }
  get pc(): bigint { return this.core.getPc(0); }
  set pc(v: Num) { this.core.setPc(0, BigInt.asUintN(64, big(v))); }
  get priv(): number { return this.core.getPriv(0); }
  /** Sets the privilege and drops the TLBs (exec() sets it without dropping them). */
  set priv(p: number) { this.core.setPriv(0, p); }
  get runState(): number { return this.core.getRunState(0); }

  /** A hart slot by layout name (S_MSTATUS, S_MCAUSE, ...). */
  get(name: LayoutName): bigint { return this.core.getSlot(0, name); }
  /** Sets a slot and drops the TLBs (the slot may hold translation state). */
  set(name: LayoutName, v: Num): void {
    this.core.setSlot(0, name, BigInt.asUintN(64, big(v)));
    this.core.flushTlbs();
  }

  /** PMP entry i's configuration byte and address register, written to the slots directly. */
  setPmpCfg(i: number, cfg: number): void {
    new DataView(this.core.memory.buffer).setUint8(this.core.slot(0, this.layout.S_PMPCFG) + i, cfg);
    this.core.flushTlbs();
  }
  pmpCfg(i: number): number { return new DataView(this.core.memory.buffer).getUint8(this.core.slot(0, this.layout.S_PMPCFG) + i); }
  setPmpAddr(i: number, v: Num): void {
    this.core.write64(this.core.slot(0, this.layout.S_PMPADDR) + 8 * i, big(v));
    this.core.flushTlbs();
  }

  // --- shared interrupt sources ---

  get mtime(): bigint { return this.core.mtime; }
  set mtime(v: Num) { this.core.mtime = big(v); }
  set mtimecmp(v: Num) { this.core.write64(this.layout.SH_MTIMECMP, big(v)); }
  /** CLINT msip of hart 0. */
  set msip(on: boolean) { this.core.write32(this.layout.SH_MSIP, on ? 1 : 0); }
  /** PLIC context lines of hart 0: M-mode (MEIP) and S-mode (SEIP). */
  set meip(on: boolean) { this.core.setExternalInterrupt(0, on); }
  set seip(on: boolean) { this.core.setExternalInterrupt(1, on); }

  // --- running ---

  /** Runs at most n instructions (a trapping one counts); returns run()'s reason. */
  step(n = 1): ReasonCode { return this.core.run(n); }

  /**
   * Places `words` at `at` (default CODE), starts there in privilege `priv` (default M)
   * and runs `steps` instructions (default: as many as there are words). The TLBs are left
   * as they are (the core keeps one set per privilege), so what earlier runs cached stays
   * cached and tests of sfence.vma/satp can see stale translations.
   */
  exec(words: readonly number[], opts: { priv?: number; at?: Num; steps?: number } = {}): ReasonCode {
    const at = opts.at ?? CODE;
    this.load(at, words);
    this.pc = at;
    this.core.write64(this.core.slot(0, this.layout.S_PRIV), BigInt(opts.priv ?? PRIV.M));
    return this.step(opts.steps ?? words.length);
  }

  /** mcause, mepc, mtval. */
  get mtrap() { return { cause: this.get("S_MCAUSE"), epc: this.get("S_MEPC"), tval: this.get("S_MTVAL") }; }
  /** scause, sepc, stval. */
  get strap() { return { cause: this.get("S_SCAUSE"), epc: this.get("S_SEPC"), tval: this.get("S_STVAL") }; }

  /**
   * Runs one instruction at SCRATCH in M-mode and puts pc and privilege back, without
   * touching the TLBs (privilege and pc are written to the slot as the core saved them).
   * It counts as a retired instruction, and must not meet a pending enabled interrupt.
   */
  private scratch(word: number, reg: number, value: bigint): bigint {
    const { layout: L } = this;
    const privSlot = this.core.slot(0, L.S_PRIV), stateSlot = this.core.slot(0, L.S_RUNSTATE);
    const pc = this.pc, priv = this.core.read64(privSlot), state = this.core.read64(stateSlot), saved = this.x(reg);
    const trap = this.mtrap;
    const at = RAM_BASE + this.core.ramSize - 0x1000; // SCRATCH with the default RAM size
    this.write32(at, word);
    this.setX(reg, value);
    this.core.setPc(0, BigInt(at));
    this.core.write64(privSlot, BigInt(PRIV.M));
    this.core.write64(stateSlot, BigInt(RunState.Active));
    this.step(1);
    const after = this.pc, result = this.x(reg);
    this.core.setPc(0, pc);
    this.core.write64(privSlot, priv);
    this.core.write64(stateSlot, state);
    this.setX(reg, saved);
    if (after !== BigInt(at + 4)) {
      const now = this.mtrap;
      throw new Error(`harness: CSR access 0x${word.toString(16)} trapped (mcause ${now.cause}, was ${trap.cause})`);
    }
    return result;
  }

  /** Reads a CSR through the core's own logic (csrrs x31, csr, x0 in M-mode). */
  csrRead(csr: number): bigint {
    return this.scratch(asm("csrrs", { rd: 31, csr, rs1: 0 }), 31, 0n);
  }
  /** Writes a CSR through the core's own logic (csrrw x31, csr, x31 in M-mode); returns the old value. */
  csrWrite(csr: number, v: Num): bigint {
    return this.scratch(asm("csrrw", { rd: 31, csr, rs1: 31 }), 31, BigInt.asUintN(64, big(v)));
  }
}
