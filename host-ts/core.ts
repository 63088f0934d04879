// Loads core.wasm over one imported memory and gives the host typed access to hart
// state. The layout numbers come from the core's own exports (core-as/layout.ts).

import { JitTier, type JitCoreExports, type JitOptions } from "./jit/tier.js";
import { codeCacheFor, WarmSet } from "./jit/code-cache.js";
import { readCoreEvents, type CoreEvents } from "./core-events.js";

export const RAM_BASE = 0x8000_0000;

/** REASON_* codes of run() (core-as/layout.ts). */
export const Reason = { Budget: 0, Idle: 1, Htif: 2, Stop: 3, Sbi: 4, Fatal: 5, Debug: 7 } as const;
/** run() stopped so queued blocks get compiled; Core.run() handles it and reports Budget. */
const REASON_JIT = 6;
export type ReasonCode = (typeof Reason)[keyof typeof Reason];
export const RunState = { Active: 0, Wfi: 1, Stopped: 2 } as const;
export const Priv = { U: 0, S: 1, M: 3 } as const;

/** Where RAM pages of a restored machine come from until they are first touched. */
export interface PageSource {
  /** Whether page p (4 KiB, from the start of RAM) holds anything but zeros. */
  has(page: number): boolean;
  /** Copies page p into `into` (4096 bytes). */
  copy(page: number, into: Uint8Array): void;
  /** Page p's bytes without copying (not to be kept or written), when the source holds them as such. */
  view?(page: number): Uint8Array;
}

export const PAGE_SIZE = 4096;

export interface MmioHandler {
  read(addr: number, size: number): number;
  write(addr: number, size: number, value: number): void;
}

/** The core's exports, as the host uses them (u32 globals arrive as WebAssembly.Global). */
interface CoreExports {
  heapBase(): number;
  init(harts: number, ramBytes: number): void;
  reset(hart: number): void;
  run(budget: number): number;
  setExternalInterrupt(ctx: number, level: number): void;
  stop(): void;
  enableBuiltinSbi(on: number): void;
  sbiConsoleInCore(on: number): void;
  flushTlbs(): void;
  peekInstructionAt(hart: number): number;
  nextTimerDeadline(): number;
  expandCompressed(h: number): number;
  stoppedHart(): number;
  decodeOp(bits: number): number;
  jitInvalidate(offset: number, len: number): void;
  setLazyRamPaging(on: number): void;
  debugSetBreakpoints(count: number): number;
  debugControl(held: number, step: number, flags: number): void;
  debugTakeEvent(): number;
  debugTranslate(hart: number): number;
  debugCsr(hart: number, csr: number, write: number): number;
  spent: WebAssembly.Global;
  [name: string]: unknown;
}

const LAYOUT_NAMES = [
  "HART", "HART_SIZE", "HART_SAVE", "XREG", "FREG", "S_PC", "S_PRIV", "S_RUNSTATE", "S_MSTATUS",
  "S_MIE", "S_MIP", "S_SATP", "S_PMPCFG", "S_PMPADDR", "S_STIMECMP", "S_MENVCFG", "S_MEDELEG",
  "S_MIDELEG", "S_MCOUNTEREN", "S_SCOUNTEREN", "SH_MTIME", "SH_MTIMECMP", "SH_MSIP", "SH_EXT_IRQ", "SH_TOHOST",
  "SH_FROMHOST", "SH_SCRATCH", "SH_MMIO_COUNT", "SH_MMIO_MAP", "MMIO_MAX", "SH_CONSOLE_LEN", "SH_CONSOLE", "CONSOLE_SIZE", "RAM_OFFSET", "MAX_HARTS",
  "DCACHE", "DCACHE_SIZE", "TLB_BASE", "TLB_PER_HART", "SHARED", "SHARED_END", "S_END", "S_RETIRED",
  "S_MCAUSE", "S_MTVAL", "S_MEPC", "S_SCAUSE", "S_STVAL", "S_SEPC", "S_MTVEC", "S_STVEC", "S_FCSR",
  "JIT_MAP", "JIT_QUEUE", "JIT_PAGES", "JIT_COUNTS", "JIT_END", "JIT_NONE", "JIT_MAX_INSNS",
  "TLB_TAGS_R", "TLB_TAGS_W", "TLB_TAGS_X", "TLB_ADDEND",
  "RAM_PRESENT", "RAM_PRESENT_SIZE", "SH_LAST_HART", "SHARED_STATE_END",
  "DEBUG_BREAKPOINTS", "DEBUG_BREAKPOINTS_MAX", "JIT_REMAINING", "JIT_DATA_TLB", "JIT_STRAIGHT_EXIT",
] as const;
export type LayoutName = (typeof LAYOUT_NAMES)[number];
export type Layout = Record<LayoutName, number>;

const PAGE = 65536;
export const MAX_RAM = 2 ** 31; // RAM lives in a 4 GiB wasm32 memory with the core's state below it

/**
 * Memories of machines that stopped, kept for the next machine of the same size in this
 * thread: the pages they touched are already mapped, and a first touch of a page costs a
 * page fault (about 60 us on the VMs we measured), which forks and fleets would otherwise
 * pay again for every guest. A recycled memory's RAM is stale; every page is brought in
 * through RAM_PRESENT, which fills it (snapshot contents or zeros) before anything reads it.
 */
const recycled = new WeakMap<WebAssembly.Module, Map<number, WebAssembly.Memory[]>>(); // by core build (its decode cache is kept), then size
const RECYCLE_LIMIT = 8;
/** Each core build's layout, once one instance has told it (so a recycled memory of the right size can be picked). */
const layouts = new WeakMap<WebAssembly.Module, Layout>();

/** Where the profile core build (asconfig target "profile") reports each interpreted instruction's pc. */
let interpretedPcHook: ((pcLow: number, pcHigh: number) => void) | null = null;

/** Sets (or, with null, clears) the receiver of the profile core build's interpreted pcs: bench/interp-profile.js. */
export function setInterpretedPcHook(hook: ((pcLow: number, pcHigh: number) => void) | null): void {
  interpretedPcHook = hook;
}

export class Core {
  readonly layout: Layout;
  readonly memory: WebAssembly.Memory;
  readonly harts: number;
  readonly ramSize: number;
  private view!: DataView;
  private bytes!: Uint8Array;

  private constructor(private readonly x: CoreExports, memory: WebAssembly.Memory, layout: Layout, harts: number, ramSize: number) {
    this.memory = memory;
    this.layout = layout;
    this.harts = harts;
    this.ramSize = ramSize;
    this.refreshViews();
  }

  /** `jit`: compile hot blocks to WebAssembly (absent = interpret only; machines turn it on). */
  static async create(wasm: BufferSource | WebAssembly.Module, opts: { ramBytes: number; harts: number; mmio: MmioHandler; jit?: JitOptions }): Promise<Core> {
    const { ramBytes, harts } = opts;
    if (!Number.isInteger(ramBytes) || ramBytes <= 0 || ramBytes % 4096 !== 0 || ramBytes > MAX_RAM) {
      throw new RangeError(`RAM size must be a positive multiple of 4 KiB up to ${MAX_RAM / 2 ** 20} MiB`);
    }
    let core: Core | null = null;
    const module = wasm instanceof WebAssembly.Module ? wasm : await WebAssembly.compile(wasm);
    const known = layouts.get(module);
    const reused = known ? recycled.get(module)?.get(known.RAM_OFFSET + ramBytes)?.pop() ?? null : null;
    const memory = reused ?? new WebAssembly.Memory({ initial: 1, maximum: 65536 });
    const imports = {
      env: {
        memory,
        mmioRead: (addr: number, size: number) => opts.mmio.read(addr >>> 0, size) >>> 0,
        mmioWrite: (addr: number, size: number, value: number) => opts.mmio.write(addr >>> 0, size, value >>> 0),
        pageIn: (page: number) => core!.copyIn(page >>> 0),
        profilePc: (low: number, high: number) => interpretedPcHook?.(low >>> 0, high >>> 0), // the profile build's only
      },
    };
    const instance = await WebAssembly.instantiate(module, imports);
    const x = instance.exports as unknown as CoreExports;
    const layout = {} as Layout;
    for (const name of LAYOUT_NAMES) {
      const g = x[name];
      if (!(g instanceof WebAssembly.Global)) throw new Error(`core.wasm does not export ${name}`);
      layout[name] = Number(g.value) >>> 0;
    }
    if (x.heapBase() > layout.HART) throw new Error("core.wasm static data overlaps the hart state");
    layouts.set(module, layout);
    const needed = layout.RAM_OFFSET + ramBytes;
    if (reused) clearRecycled(memory, layout);
    else memory.grow(Math.ceil(needed / PAGE) - memory.buffer.byteLength / PAGE);
    x.init(harts, ramBytes);
    x.setLazyRamPaging(1);
    core = new Core(x, memory, layout, harts, ramBytes);
    core.recycledMemory = reused !== null;
    core.module = module;
    if (opts.jit) {
      const t = opts.jit.threshold;
      if (!Number.isInteger(t) || t < 1 || t > 0xffff_ffff) throw new RangeError(`the JIT threshold must be a whole number from 1, got ${t}`);
      // Translated code is shared by every machine of this core build in this thread.
      core.jit = new JitTier(x as unknown as JitCoreExports, layout, { cache: codeCacheFor(module), ...opts.jit });
    }
    return core;
  }

  private refreshViews(): void {
    this.view = new DataView(this.memory.buffer);
    this.bytes = new Uint8Array(this.memory.buffer);
  }

  /** The translation tier, when on. */
  jit: JitTier | null = null;

  /** What the core did so far (core-events.ts): the profile build only, else null. */
  events(): CoreEvents | null {
    return readCoreEvents(this.x as Parameters<typeof readCoreEvents>[0]);
  }

  /** Guest RAM as a view (no copy). Whoever writes through it may change code: translations go. */
  ram(): Uint8Array {
    this.jit?.flush();
    for (let p = 0; p < this.ramSize / PAGE_SIZE; p++) this.ensurePresent(p);
    return new Uint8Array(this.memory.buffer, this.layout.RAM_OFFSET, this.ramSize);
  }

  /** Bounds-checked view of guest physical [pa, pa+len), or null. */
  ramView(pa: number, len: number): Uint8Array | null {
    const off = pa - RAM_BASE;
    if (!Number.isSafeInteger(off) || off < 0 || len < 0 || off + len > this.ramSize) return null;
    if (this.jit) this.x.jitInvalidate(off, len); // DMA and loaders write through these views
    if (len > 0) for (let p = Math.floor(off / PAGE_SIZE); p <= Math.floor((off + len - 1) / PAGE_SIZE); p++) this.ensurePresent(p);
    return new Uint8Array(this.memory.buffer, this.layout.RAM_OFFSET + off, len);
  }

  // --- RAM pages, brought in on first touch (core-as/layout.ts RAM_PRESENT) ---

  private pages: PageSource | null = null;

  /** From now on absent pages come from `source` (a snapshot); call before anything runs. */
  setPageSource(source: PageSource): void {
    this.pages = source;
  }

  /** Whether anything has reached page p. */
  isPresent(p: number): boolean {
    return (this.bytes[this.layout.RAM_PRESENT + (p >> 3)] & (1 << (p & 7))) !== 0;
  }

  /**
   * Page p's contents without bringing it in (snapshots): a view into RAM (not to be kept),
   * a copy from the page source, or null for a page that is all zeros because nothing ever
   * reached it (reading such memory would fault it in for nothing).
   */
  readPage(p: number): Uint8Array | null {
    if (this.isPresent(p)) return this.bytes.subarray(this.layout.RAM_OFFSET + p * PAGE_SIZE, this.layout.RAM_OFFSET + (p + 1) * PAGE_SIZE);
    if (!this.pages?.has(p)) return null;
    const copy = new Uint8Array(PAGE_SIZE);
    this.pages.copy(p, copy);
    return copy;
  }

  /**
   * Installs the code `lineage` (a parent's, siblings') compiled wherever this machine's
   * pages hold the same bytes, checking them without bringing pages in; this machine's own
   * installs join the lineage. Call once the page source and the hart state are loaded.
   */
  warmJit(lineage: WarmSet): void {
    const pageCount = this.ramSize / PAGE_SIZE;
    this.jit?.warmStart(lineage, (p) => {
      if (p >= pageCount) return null;
      if (this.isPresent(p)) return this.bytes.subarray(this.layout.RAM_OFFSET + p * PAGE_SIZE, this.layout.RAM_OFFSET + (p + 1) * PAGE_SIZE);
      if (!this.pages?.has(p)) return null; // zeros: no code
      if (this.pages.view) return this.pages.view(p);
      const copy = new Uint8Array(PAGE_SIZE);
      this.pages.copy(p, copy);
      return copy;
    });
  }

  /** The cached translations installed in this machine, by host address (a fork's lineage). */
  jitLineage(): WarmSet | null {
    return this.jit ? new WarmSet(this.jit.installedRegions()) : null;
  }

  /** Pages reached so far (stats: what a fork has cost). */
  pagesPresent(): number {
    let n = 0;
    for (let p = 0; p < this.ramSize / PAGE_SIZE; p++) if (this.isPresent(p)) n++;
    return n;
  }

  private ensurePresent(p: number): void {
    if (this.isPresent(p)) return;
    this.copyIn(p);
    this.bytes[this.layout.RAM_PRESENT + (p >> 3)] |= 1 << (p & 7);
  }

  /** This machine's memory was another's: pages not in the page source must be zeroed, not trusted. */
  private recycledMemory = false;

  /** The core's env.pageIn: copy page p from the source or, in a recycled memory, zero it (the caller marks it present). */
  private copyIn(p: number): void {
    const at = this.layout.RAM_OFFSET + p * PAGE_SIZE;
    const page = this.bytes.subarray(at, at + PAGE_SIZE);
    if (this.pages?.has(p)) this.pages.copy(p, page);
    else if (this.recycledMemory) page.fill(0);
  }

  /** The machine is gone: its memory may serve the next machine of this size. Nothing may use this core after. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.jit?.flush(); // a background compile that lands later must not write into the next machine
    this.jit = null;
    const sizes = recycled.get(this.module!) ?? new Map<number, WebAssembly.Memory[]>();
    const list = sizes.get(this.memory.buffer.byteLength) ?? [];
    if (list.length < RECYCLE_LIMIT) list.push(this.memory);
    sizes.set(this.memory.buffer.byteLength, list);
    recycled.set(this.module!, sizes);
  }

  private released = false;
  private module: WebAssembly.Module | null = null;

  // --- machine state that lives in linear memory (snapshots) ---

  /** Every hart's save slot and the shared area (ACLINT, interrupt lines, HTIF, hart order). */
  saveCoreState(): Uint8Array {
    return this.bytes.slice(this.layout.HART_SAVE, this.layout.SHARED_STATE_END);
  }

  loadCoreState(state: Uint8Array): void {
    const len = this.layout.SHARED_STATE_END - this.layout.HART_SAVE;
    if (state.length !== len) throw new Error(`core state is ${state.length} bytes, expected ${len}`);
    this.bytes.set(state, this.layout.HART_SAVE);
    this.flushTlbs();
  }

  /**
   * Where the built-in SBI's console output goes when the core serves the call itself (it
   * buffers the bytes, run() hands them over); without a sink every call stops the core.
   */
  setSbiConsole(sink: ((bytes: Uint8Array) => void) | null): void {
    this.drainConsole();
    this.sbiConsole = sink;
    this.x.sbiConsoleInCore(sink ? 1 : 0);
  }
  private sbiConsole: ((bytes: Uint8Array) => void) | null = null;

  private drainConsole(): void {
    const n = this.view.getUint32(this.layout.SH_CONSOLE_LEN, true);
    if (n === 0) return;
    const bytes = this.bytes.slice(this.layout.SH_CONSOLE, this.layout.SH_CONSOLE + n);
    this.view.setUint32(this.layout.SH_CONSOLE_LEN, 0, true);
    this.sbiConsole?.(bytes);
  }

  run(budget: number): ReasonCode {
    const reason = this.x.run(budget | 0);
    this.drainConsole();
    if (this.jit) this.jit.compileQueued();
    return (reason === REASON_JIT ? Reason.Budget : reason) as ReasonCode;
  }
  /** Instructions (trapping ones included) the last run() spent, over all harts. */
  lastRunSpent(): number { return this.x.spent.value as number; }
  stop(): void { this.x.stop(); }
  setExternalInterrupt(ctx: number, level: boolean): void { this.x.setExternalInterrupt(ctx, level ? 1 : 0); }
  enableBuiltinSbi(on: boolean): void { this.x.enableBuiltinSbi(on ? 1 : 0); }
  flushTlbs(): void { this.x.flushTlbs(); }
  nextTimerDeadline(): number { return this.x.nextTimerDeadline(); }
  stoppedHart(): number { return this.x.stoppedHart(); }
  expandCompressed(h: number): number { return this.x.expandCompressed(h) >>> 0; }
  decodeOp(bits: number): number { return this.x.decodeOp(bits >>> 0); }
  peekInstruction(hart: number): number | null {
    const w = this.x.peekInstructionAt(hart) >>> 0;
    return w === 0xffffffff ? null : w;
  }

  /** Resets hart h to M-mode at `entry`. */
  resetHart(h: number, entry: bigint): void {
    this.view.setBigUint64(this.layout.SH_SCRATCH, entry, true);
    this.x.reset(h);
  }

  // --- hart state in its save slot (valid between run() calls) ---
  slot(h: number, field: number): number {
    return this.layout.HART_SAVE + h * this.layout.HART_SIZE + (field - this.layout.HART);
  }
  read64(addr: number): bigint { return this.view.getBigUint64(addr, true); }
  write64(addr: number, v: bigint): void { this.view.setBigUint64(addr, BigInt.asUintN(64, v), true); }
  read32(addr: number): number { return this.view.getUint32(addr, true); }
  write32(addr: number, v: number): void { this.view.setUint32(addr, v >>> 0, true); }

  getX(h: number, r: number): bigint { return this.read64(this.slot(h, this.layout.XREG) + 8 * r); }
  setX(h: number, r: number, v: bigint): void { if (r !== 0) this.write64(this.slot(h, this.layout.XREG) + 8 * r, v); }
  getF(h: number, r: number): bigint { return this.read64(this.slot(h, this.layout.FREG) + 8 * r); }
  setF(h: number, r: number, v: bigint): void { this.write64(this.slot(h, this.layout.FREG) + 8 * r, v); }
  getPc(h: number): bigint { return this.read64(this.slot(h, this.layout.S_PC)); }
  setPc(h: number, v: bigint): void { this.write64(this.slot(h, this.layout.S_PC), v); }
  getPriv(h: number): number { return Number(this.read64(this.slot(h, this.layout.S_PRIV))); }
  setPriv(h: number, p: number): void { this.write64(this.slot(h, this.layout.S_PRIV), BigInt(p)); this.flushTlbs(); }
  getRunState(h: number): number { return Number(this.read64(this.slot(h, this.layout.S_RUNSTATE))); }
  setRunState(h: number, s: number): void { this.write64(this.slot(h, this.layout.S_RUNSTATE), BigInt(s)); }
  /** A CSR-like slot of hart h, by its layout name (S_MSTATUS, S_SATP, ...). */
  getSlot(h: number, name: LayoutName): bigint { return this.read64(this.slot(h, this.layout[name])); }
  setSlot(h: number, name: LayoutName, v: bigint): void { this.write64(this.slot(h, this.layout[name]), v); }

  get mtime(): bigint { return this.read64(this.layout.SH_MTIME); }
  set mtime(v: bigint) { this.write64(this.layout.SH_MTIME, v); }

  /** HTIF: the physical address of `tohost` (0n = none) and `fromhost`. */
  setHtif(tohost: bigint, fromhost: bigint): void {
    this.write64(this.layout.SH_TOHOST, tohost);
    this.write64(this.layout.SH_FROMHOST, fromhost);
    this.flushTlbs();
  }

  // --- the debugger (core-as/debug.ts; used by host-ts/gdb/) ---

  /** Makes `addrs` (virtual addresses) the breakpoints; returns how many the core holds. */
  setBreakpoints(addrs: readonly bigint[]): number {
    const n = Math.min(addrs.length, this.layout.DEBUG_BREAKPOINTS_MAX);
    for (let i = 0; i < n; i++) this.write64(this.layout.DEBUG_BREAKPOINTS + 8 * i, addrs[i]);
    return this.x.debugSetBreakpoints(n);
  }
  /**
   * For the next run() calls: harts in the `held` mask stay still; hart `step` (-1: none)
   * runs exactly one instruction first, taking a pending interrupt only if allowed.
   */
  debugControl(held: number, step: number, stepTakesInterrupts = false): void {
    this.x.debugControl(held >>> 0, step | 0, stepTakesInterrupts ? 1 : 0);
  }
  /** The breakpoint hit or step completed since the last call, if any. */
  takeDebugEvent(): { hart: number; cause: "breakpoint" | "step" } | null {
    const e = this.x.debugTakeEvent();
    if (e < 0) return null;
    return { hart: e & 0xff, cause: e >> 8 === 1 ? "breakpoint" : "step" };
  }
  /** The physical address hart h reaches at `va` now (no side effects, permissions ignored), or null. */
  translate(h: number, va: bigint): bigint | null {
    this.write64(this.layout.SH_SCRATCH, va);
    return this.x.debugTranslate(h) ? this.read64(this.layout.SH_SCRATCH) : null;
  }
  /** CSR `csr` of hart h through the core's CSR logic, or null when it does not exist. */
  readCsr(h: number, csr: number): bigint | null {
    return this.x.debugCsr(h, csr, 0) ? this.read64(this.layout.SH_SCRATCH) : null;
  }
  /** Writes a CSR of hart h as the core's CSR logic does; false if absent or read-only. */
  writeCsr(h: number, csr: number, v: bigint): boolean {
    this.write64(this.layout.SH_SCRATCH, v);
    return this.x.debugCsr(h, csr, 1) !== 0;
  }

  /** Declares the MMIO windows the host serves; accesses elsewhere are access faults. */
  setMmioMap(regions: readonly { base: number; size: number }[]): void {
    if (regions.length > this.layout.MMIO_MAX) throw new Error("too many MMIO regions");
    this.write32(this.layout.SH_MMIO_COUNT, regions.length);
    regions.forEach((r, i) => {
      this.write32(this.layout.SH_MMIO_MAP + 8 * i, r.base);
      this.write32(this.layout.SH_MMIO_MAP + 8 * i + 4, r.size);
    });
  }
}

/** What a fresh memory has as zeros and the core counts on: its state, its maps, the present bits. */
function clearRecycled(memory: WebAssembly.Memory, l: Layout): void {
  const bytes = new Uint8Array(memory.buffer);
  bytes.fill(0, l.HART, l.SHARED_STATE_END);
  // Decoded entries count landings toward compiling: another machine's counts must not
  // make this one compile sooner (the entries themselves are checked against their bits).
  bytes.fill(0, l.DCACHE, l.DCACHE + l.DCACHE_SIZE);
  bytes.fill(0, l.JIT_MAP, l.JIT_END);
  bytes.fill(0, l.RAM_PRESENT, l.RAM_PRESENT + l.RAM_PRESENT_SIZE);
  bytes.fill(0, l.DEBUG_BREAKPOINTS, l.DEBUG_BREAKPOINTS + 8 * l.DEBUG_BREAKPOINTS_MAX);
}
