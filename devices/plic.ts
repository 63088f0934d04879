// SiFive PLIC as on QEMU virt: sources 1..NDEV (0x60, the reference tree's riscv,ndev),
// 7 priority levels, two contexts per hart (2h = M-mode, 2h+1 = S-mode), level-triggered
// sources behind a gateway: a claimed source is not pending again until it is completed,
// and completion re-samples its level. Like QEMU, a completion is accepted whether or
// not the source is enabled for the completing context.
import type { Device, DeviceState, FdtContext, IrqLine } from "./device.js";
import { fdtName, fdtReg, stateNumber, stateNumbers } from "./device.js";
import type { FdtNode } from "../images/fdt.js";

export interface PlicOptions {
  harts: number;
  /** Called whenever a context's output (its external-interrupt line) changes level. */
  setContextLine: (ctx: number, level: boolean) => void;
  name?: string;
}

/** riscv,ndev of QEMU 7.2's virt tree: sources 1..0x60. */
export const PLIC_NDEV = 0x60;
const NUM_SOURCES = PLIC_NDEV + 1; // including the reserved source 0
const WORDS = Math.ceil(NUM_SOURCES / 32);
const PRIORITY_MASK = 7; // QEMU virt: 7 priority levels, a power of two minus one

const PRIORITY_BASE = 0x0;
const PENDING_BASE = 0x1000;
const ENABLE_BASE = 0x2000;
const ENABLE_STRIDE = 0x80;
const CONTEXT_BASE = 0x200000;
const CONTEXT_STRIDE = 0x1000;
export const PLIC_SIZE = 0x600000;

const IRQ_M_EXT = 11;
const IRQ_S_EXT = 9;

export class Plic implements Device {
  readonly name: string;
  readonly harts: number;
  readonly contexts: number;
  private readonly setContextLine: (ctx: number, level: boolean) => void;

  private priority: number[] = new Array(NUM_SOURCES).fill(0);
  /** Input levels from the devices (wires: kept across reset). */
  private level: number[] = new Array(WORDS).fill(0);
  private pending: number[] = new Array(WORDS).fill(0);
  /** Claimed and not yet completed (the gateway holds further requests). */
  private claimed: number[] = new Array(WORDS).fill(0);
  private enable: number[][];
  private threshold: number[];
  private output: boolean[];

  constructor(opts: PlicOptions) {
    if (!Number.isInteger(opts.harts) || opts.harts < 1 || opts.harts > (PLIC_SIZE - CONTEXT_BASE) / CONTEXT_STRIDE / 2) {
      throw new RangeError(`plic: bad hart count ${opts.harts}`);
    }
    this.harts = opts.harts;
    this.contexts = 2 * opts.harts;
    this.setContextLine = opts.setContextLine;
    this.name = opts.name ?? "plic";
    this.enable = Array.from({ length: this.contexts }, () => new Array(WORDS).fill(0));
    this.threshold = new Array(this.contexts).fill(0);
    this.output = new Array(this.contexts).fill(false);
  }

  /** The interrupt line of `source` (1..0x60), for a device to drive. */
  irqLine(source: number): IrqLine {
    if (!Number.isInteger(source) || source < 1 || source > PLIC_NDEV) {
      throw new RangeError(`plic: no interrupt source ${source} (valid: 1..${PLIC_NDEV})`);
    }
    return (level: boolean) => this.setLevel(source, level);
  }

  setLevel(source: number, level: boolean): void {
    const w = source >>> 5;
    const bit = 1 << (source & 31);
    const old = (this.level[w] & bit) !== 0;
    if (old === level) return;
    if (level) {
      this.level[w] |= bit;
      if (!(this.claimed[w] & bit)) this.pending[w] |= bit;
    } else {
      this.level[w] &= ~bit;
      this.pending[w] &= ~bit;
    }
    this.update();
  }

  read(offset: number, size: 1 | 2 | 4): number {
    if (size !== 4 || offset & 3) return 0;
    if (offset < PENDING_BASE) {
      const src = (offset - PRIORITY_BASE) >>> 2;
      return src < NUM_SOURCES ? this.priority[src] : 0;
    }
    if (offset < ENABLE_BASE) {
      const w = (offset - PENDING_BASE) >>> 2;
      return w < WORDS ? this.pending[w] >>> 0 : 0;
    }
    if (offset < CONTEXT_BASE) {
      const ctx = Math.floor((offset - ENABLE_BASE) / ENABLE_STRIDE);
      const w = ((offset - ENABLE_BASE) % ENABLE_STRIDE) >>> 2;
      return ctx < this.contexts && w < WORDS ? this.enable[ctx][w] >>> 0 : 0;
    }
    const ctx = Math.floor((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
    const reg = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
    if (ctx >= this.contexts) return 0;
    if (reg === 0) return this.threshold[ctx];
    if (reg === 4) return this.claim(ctx);
    return 0;
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    if (size !== 4 || offset & 3) return;
    value >>>= 0;
    if (offset < PENDING_BASE) {
      const src = (offset - PRIORITY_BASE) >>> 2;
      if (src >= 1 && src < NUM_SOURCES) {
        this.priority[src] = value & PRIORITY_MASK;
        this.update();
      }
      return;
    }
    if (offset < ENABLE_BASE) return; // pending bits are read-only
    if (offset < CONTEXT_BASE) {
      const ctx = Math.floor((offset - ENABLE_BASE) / ENABLE_STRIDE);
      const w = ((offset - ENABLE_BASE) % ENABLE_STRIDE) >>> 2;
      if (ctx < this.contexts && w < WORDS) {
        this.enable[ctx][w] = (value & this.validMask(w)) | 0;
        this.update();
      }
      return;
    }
    const ctx = Math.floor((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
    const reg = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
    if (ctx >= this.contexts) return;
    if (reg === 0) {
      this.threshold[ctx] = value & PRIORITY_MASK;
      this.update();
    } else if (reg === 4) {
      this.complete(value);
    }
  }

  reset(): void {
    this.priority.fill(0);
    this.claimed.fill(0);
    for (let w = 0; w < WORDS; w++) this.pending[w] = this.level[w];
    for (const e of this.enable) e.fill(0);
    this.threshold.fill(0);
    this.update();
  }

  saveState(): DeviceState {
    return {
      priority: this.priority.slice(),
      level: this.level.slice(),
      pending: this.pending.slice(),
      claimed: this.claimed.slice(),
      enable: this.enable.map((e) => e.slice()),
      threshold: this.threshold.slice(),
    };
  }

  loadState(s: DeviceState): void {
    if (!Array.isArray(s.enable) || s.enable.length !== this.contexts) {
      throw new Error(`bad device state: plic enable must have ${this.contexts} contexts`);
    }
    this.priority = stateNumbers(s, "priority", NUM_SOURCES).map((p) => p & PRIORITY_MASK);
    this.level = stateNumbers(s, "level", WORDS).map((v, w) => v & this.validMask(w));
    this.pending = stateNumbers(s, "pending", WORDS).map((v, w) => v & this.validMask(w));
    this.claimed = stateNumbers(s, "claimed", WORDS).map((v, w) => v & this.validMask(w));
    this.enable = (s.enable as unknown[]).map((_, ctx) =>
      stateNumbers({ e: (s.enable as unknown[])[ctx] }, "e", WORDS).map((v, w) => v & this.validMask(w)),
    );
    this.threshold = stateNumbers(s, "threshold", this.contexts).map((t) => t & PRIORITY_MASK);
    for (let ctx = 0; ctx < this.contexts; ctx++) {
      const level = this.contextLevel(ctx);
      this.output[ctx] = level;
      this.setContextLine(ctx, level); // drive every line: the receiver may be fresh
    }
  }

  fdtNode(ctx: FdtContext): FdtNode {
    const intc = ctx.cpuIntcPhandles;
    if (!intc || intc.length !== this.harts) {
      throw new Error(`${this.name}: FdtContext.cpuIntcPhandles must list ${this.harts} phandle(s)`);
    }
    return {
      name: fdtName("plic", ctx.base),
      props: {
        phandle: ctx.plicPhandle,
        "riscv,ndev": PLIC_NDEV,
        reg: fdtReg(ctx.base, ctx.size),
        "interrupts-extended": intc.flatMap((ph) => [ph, IRQ_M_EXT, ph, IRQ_S_EXT]),
        "interrupt-controller": true,
        compatible: ["sifive,plic-1.0.0", "riscv,plic0"],
        "#address-cells": 0,
        "#interrupt-cells": 1,
      },
    };
  }

  // ---- internals ----

  /** Bits of word w that name real sources (source 0 and those above NDEV read as zero). */
  private validMask(w: number): number {
    let m = 0xffff_ffff;
    if (w === 0) m &= ~1;
    const top = NUM_SOURCES - w * 32; // sources in this word
    if (top < 32) m &= top <= 0 ? 0 : (1 << top) - 1;
    return m | 0;
  }

  /** Best pending, enabled, unclaimed source above ctx's threshold; 0 if none. */
  private best(ctx: number): number {
    let bestSrc = 0;
    let bestPrio = this.threshold[ctx];
    const en = this.enable[ctx];
    for (let w = 0; w < WORDS; w++) {
      let bits = this.pending[w] & en[w];
      while (bits) {
        const b = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        const src = w * 32 + b;
        if (this.priority[src] > bestPrio) {
          bestPrio = this.priority[src];
          bestSrc = src;
        }
      }
    }
    return bestSrc;
  }

  private contextLevel(ctx: number): boolean {
    return this.best(ctx) !== 0;
  }

  private claim(ctx: number): number {
    const src = this.best(ctx);
    if (src !== 0) {
      const w = src >>> 5;
      const bit = 1 << (src & 31);
      this.pending[w] &= ~bit;
      this.claimed[w] |= bit;
      this.update();
    }
    return src;
  }

  private complete(src: number): void {
    if (src < 1 || src >= NUM_SOURCES) return;
    const w = src >>> 5;
    const bit = 1 << (src & 31);
    if (!(this.claimed[w] & bit)) return;
    this.claimed[w] &= ~bit;
    if (this.level[w] & bit) this.pending[w] |= bit; // the gateway forwards a still-high level
    this.update();
  }

  private update(): void {
    for (let ctx = 0; ctx < this.contexts; ctx++) {
      const level = this.contextLevel(ctx);
      if (level !== this.output[ctx]) {
        this.output[ctx] = level;
        this.setContextLine(ctx, level);
      }
    }
  }
}
