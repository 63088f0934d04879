// The host's half of the translation tier: after each run() it compiles the blocks the
// core queued as hot into one WebAssembly module, puts their functions into the core's
// function table and tells the core where they are (core-as/jit.ts).
import { ModuleWriter, I32, I64, type FuncBody, type ValType } from "./wasm-emitter.js";
import { decodeRegion, type TranslatorCore } from "./region.js";
import { emitRegion, regionLocals, BLOCK_TYPE } from "./translate.js";
import { HELPERS } from "./rules.js";
import { ENCODINGS } from "../../core-as/isa/encodings.js";
import { regionKey, regionMatches, type CachedRegion, type CodeCache, type WarmSet } from "./code-cache.js";

/** Guest physical address of the first RAM byte (the virt board's). */
const RAM_BASE = 0x8000_0000;

/** The core exports the tier uses. */
export interface JitCoreExports {
  table: WebAssembly.Table;
  memory: WebAssembly.Memory;
  pc: WebAssembly.Global;
  trapped: WebAssembly.Global;
  attention: WebAssembly.Global;
  remaining: WebAssembly.Global;
  fetchTlb: WebAssembly.Global;
  jitExecute: Function;
  jitProtect(host: number): number;
  jitInstall(host: number, fn: number, word: number): number;
  jitSecondHalf(host: number): number;
  jitFlush(): void;
  setJitThreshold(n: number, batch: number): void;
  jitRetired(): number;
  expandCompressed(h: number): number;
  decodeOp(bits: number): number;
  decodeImm(word: number): number;
  [name: string]: unknown;
}

export interface JitLayout {
  XREG: number;
  FREG: number;
  S_MSTATUS: number;
  S_FCSR: number;
  JIT_QUEUE: number;
  JIT_NONE: number;
  JIT_MAX_INSNS: number;
  TLB_TAGS_R: number;
  TLB_TAGS_W: number;
  TLB_TAGS_X: number;
  TLB_ADDEND: number;
  JIT_COUNTS: number;
  RAM_OFFSET: number;
  JIT_REMAINING: number;
  JIT_DATA_TLB: number;
  JIT_STRAIGHT_EXIT: number;
}

export interface JitStats {
  blocks: number; // functions compiled
  untranslatable: number; // entries whose first instruction the translator does not handle
  modules: number;
  bytes: number; // WebAssembly bytes generated
  translateMs: number; // guest code to wasm bytes, on the thread that runs the guest
  compileMs: number; // from translation start to installed functions (in the background unless sync)
  inPlaceMs: number; // WebAssembly compiles and instantiations done in place, on the thread that runs the guest
  flushes: number;
  reused: number; // hot blocks installed from the thread's code cache instead of compiled
  warmed: number; // blocks installed before they ran, from the machine's lineage (warmStart)
  dropped: number; // hot blocks dropped unqueued because too many were waiting (they stay interpreted)
  /**
   * Instructions retired in compiled code, all harts, since this core started (a restored
   * machine counts from its restore); the rest of the machine's instructions were interpreted.
   */
  instructions: number;
}

const TABLE_CHUNK = 1024;
/** Table slots for translated code before everything is dropped and translation starts over. */
const TABLE_LIMIT = 32768;
/**
 * What one module holds at most. Engines refuse modules past their own limits (V8: 100,000
 * exports), and however much hot code a guest makes, a smaller module compiles sooner; the
 * blocks that do not fit wait for the next one.
 */
export const MODULE_MAX_FUNCS = 1024;
export const MODULE_MAX_BYTES = 4 << 20;
/**
 * A module this small is compiled on the spot, inside run(): engines validate it in a few
 * milliseconds at most and compile its functions lazily, while a background compile only
 * lands after the host next yields to the event loop and its compile threads get to it,
 * often tens of milliseconds in which a hot loop keeps being interpreted (the compute
 * suite's workloads ran 4-15% faster this way). Larger ones compile in the background.
 */
export const SYNC_COMPILE_MAX_BYTES = 1 << 20;
/** Blocks waiting for a module, at most; the oldest go first (a guest may make hot code faster than it compiles). */
export const PENDING_MAX = 16 * MODULE_MAX_FUNCS;

export interface JitOptions {
  /** Visits to a block before it is compiled (at least 1). */
  threshold: number;
  /**
   * Compile on the spot, inside run(), instead of in the engine's background threads:
   * deterministic, for tests. Browsers refuse synchronous compiles of more than 4 KiB on
   * their main thread, so there it only suits workers.
   */
  sync?: boolean;
  /**
   * Without `sync`: modules up to this many bytes compile in place, larger ones in the
   * background (default SYNC_COMPILE_MAX_BYTES; 0 sends every one to the background).
   */
  inPlaceMaxBytes?: number;
  /** Hot blocks the core collects before it stops to have them compiled (default 32; tests use 1). */
  batch?: number;
  /**
   * Tests only: translated code counts how often it is entered and how many instructions of
   * each kind it runs (see coverage()). Off, the code carries no trace of it.
   */
  coverage?: boolean;
  /** Compiled code shared with the other machines of this thread (code-cache.ts); not with `coverage`. */
  cache?: CodeCache | null;
}

interface Batch {
  hosts: number[];
  words: number[];
  /** The cache keys of the functions, in order (empty without a cache). */
  keys: CachedRegion[];
  bytes: Uint8Array;
  started: number;
}

export class JitTier {
  readonly stats: JitStats;
  private readonly tableBase: number;
  private next: number;
  private readonly imports: WebAssembly.Imports;
  private readonly translator: TranslatorCore;
  private readonly sync: boolean;
  private readonly inPlaceMaxBytes: number;
  private readonly counts: number | undefined;
  /** Blocks drained from the core's queue while a background compile was running. */
  private pending: number[] = [];
  private inFlight = false;
  /** False once this runtime refused a synchronous compile (a browser's main thread). */
  private compileHere = true;
  /** Bumped by flush(): a compile that started before is thrown away. */
  private epoch = 0;
  /** The core's memory, for reading its queue after every run() without allocating. */
  private queue: DataView;
  /** A background compile that failed (a translator bug): reported by the next compileQueued(). */
  private failure: Error | null = null;
  private cache: CodeCache | null;
  /** This machine's instance of each cached module it uses (over its own memory and helpers). */
  private instances = new Map<WebAssembly.Module, WebAssembly.Instance>();
  /** Cached regions installed here, by host address (what a fork starts with). */
  private readonly installed = new Map<number, CachedRegion>();
  /** The lineage this machine shares its installs with (warmStart). */
  private lineage: WarmSet | null = null;
  private readonly reads: number[] = [];
  /** The core's helpers, which translated code calls (call_indirect into this table). */
  private readonly helpers: WebAssembly.Table;

  constructor(private readonly x: JitCoreExports, private readonly layout: JitLayout, opts: JitOptions) {
    this.stats = {
      blocks: 0, untranslatable: 0, modules: 0, bytes: 0, translateMs: 0, compileMs: 0, inPlaceMs: 0, flushes: 0, reused: 0, warmed: 0, dropped: 0,
      get instructions() { return x.jitRetired(); }, // the core counts them (core-as/jit.ts)
    };
    this.queue = new DataView(x.memory.buffer);
    // The core's helpers, in HELPERS' order (translate.ts calls them by it), in a table of
    // their own: a module calls them through it, so it imports no function and V8 compiles
    // no call wrapper for it. Not the core's table, where the compiled functions go: V8 11
    // (Node 20) instantiates a module that imports a table in time proportional to the
    // table's length (~2 ms with 16,000 functions in it, this machine), and that table
    // grows with every compile.
    this.helpers = new WebAssembly.Table({ element: "anyfunc", initial: HELPERS.length });
    HELPERS.forEach((name, i) => this.helpers.set(i, x[`jit${name[0].toUpperCase()}${name.slice(1)}`] as Function));
    this.tableBase = x.table.length;
    this.next = this.tableBase;
    this.sync = opts.sync ?? false;
    this.inPlaceMaxBytes = opts.inPlaceMaxBytes ?? SYNC_COMPILE_MAX_BYTES;
    this.counts = opts.coverage ? layout.JIT_COUNTS : undefined;
    this.cache = opts.coverage ? null : opts.cache ?? null;
    if (this.counts !== undefined) this.resetCoverage();
    const env: Record<string, WebAssembly.ImportValue> = {
      memory: x.memory, pc: x.pc, trapped: x.trapped, attention: x.attention, remaining: x.remaining, fetchTlb: x.fetchTlb, helpers: this.helpers,
    };
    this.imports = { env };
    const tagsW = layout.TLB_TAGS_W;
    this.translator = {
      bytes: new Uint8Array(x.memory.buffer),
      expandCompressed: (h) => x.expandCompressed(h) >>> 0,
      decodeOp: (w) => x.decodeOp(w >>> 0),
      decodeImm: (w) => x.decodeImm(w >>> 0),
      xreg: layout.XREG,
      freg: layout.FREG,
      mstatus: layout.S_MSTATUS,
      fcsr: layout.S_FCSR,
      tlbTagsR: layout.TLB_TAGS_R,
      tlbTagsW: tagsW,
      tlbTagsX: layout.TLB_TAGS_X,
      secondHalf: (host) => x.jitSecondHalf(host),
      tlbAddend: layout.TLB_ADDEND,
      tlbEntries: tagsW / 8,
      maxInsns: layout.JIT_MAX_INSNS,
      jitRemaining: layout.JIT_REMAINING,
      jitDataTlb: layout.JIT_DATA_TLB,
      jitStraightExit: layout.JIT_STRAIGHT_EXIT,
    };
    x.setJitThreshold(opts.threshold, opts.batch ?? 32);
  }

  /** Takes what the core queued and compiles it (now, or in the background); call after every run(). */
  compileQueued(): void {
    if (this.failure) throw new Error(`jit: a translated module failed to compile: ${this.failure.message}`);
    if (this.queue.buffer !== this.x.memory.buffer) this.queue = new DataView(this.x.memory.buffer);
    const view = this.queue;
    const q = this.layout.JIT_QUEUE;
    const count = view.getUint32(q, true);
    for (let i = 0; i < count; i++) this.pending.push(view.getUint32(q + 4 + 4 * i, true));
    view.setUint32(q, 0, true);
    if (this.pending.length > PENDING_MAX) {
      this.stats.dropped += this.pending.length - PENDING_MAX;
      this.pending.splice(0, this.pending.length - PENDING_MAX);
    }
    if (this.sync) {
      while (this.pending.length > 0) this.compileInPlace(this.translate(this.pending));
      return;
    }
    if (this.pending.length === 0 || this.inFlight) return;
    // One module at a time; what it leaves waits for the call after the next run().
    const batch = this.translate(this.pending);
    if (!batch) return;
    if (this.compileHere && batch.bytes.length <= this.inPlaceMaxBytes) {
      try {
        this.compileInPlace(batch);
        return;
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        this.compileHere = false; // only asynchronous compiles here: this batch goes that way
      }
    }
    this.inFlight = true;
    const epoch = this.epoch;
    WebAssembly.instantiate(batch.bytes as BufferSource, this.imports).then(
      ({ module, instance }) => {
        this.inFlight = false;
        // The code is right for its bytes whatever happened here since: other machines may use it.
        if (epoch === this.epoch) this.install(batch, module, instance);
        else this.cache?.add(module, batch.keys, batch.bytes.length);
      },
      (e) => {
        this.inFlight = false;
        this.failure = e instanceof Error ? e : new Error(String(e));
      },
    );
  }

  /**
   * Compiles the regions entered at these guest physical addresses (in RAM) now, in one
   * module, as if each had just got hot: for tests that want code compiled before it first
   * runs, and for hosts that know their hot code in advance.
   */
  compileNow(physical: number[]): void {
    const ramOffset = this.layout.RAM_OFFSET;
    const hosts = physical.map((pa) => {
      const host = ramOffset + (pa - RAM_BASE);
      if (!Number.isSafeInteger(pa) || pa < RAM_BASE || host + 4 > this.x.memory.buffer.byteLength) throw new RangeError(`jit: 0x${pa.toString(16)} is not in RAM`);
      return host;
    });
    while (hosts.length > 0) this.compileInPlace(this.translate(hosts));
  }

  private compileInPlace(batch: Batch | null): void {
    if (!batch) return;
    const started = performance.now();
    const module = new WebAssembly.Module(batch.bytes as BufferSource);
    const instance = new WebAssembly.Instance(module, this.imports);
    this.stats.inPlaceMs += performance.now() - started;
    this.install(batch, module, instance);
  }

  /**
   * Guest code to one module's bytes, from the front of `hosts` for as much as a module
   * holds; what it took leaves `hosts`. The blocks' pages are watched for writes from here on.
   */
  private translate(hosts: number[]): Batch | null {
    const started = performance.now();
    if (this.translator.bytes.buffer !== this.x.memory.buffer) this.translator.bytes = new Uint8Array(this.x.memory.buffer);
    if (this.next + Math.min(hosts.length, MODULE_MAX_FUNCS) > TABLE_LIMIT + this.tableBase) this.flush();
    const funcs: { locals: [number, ValType][]; body: FuncBody }[] = [];
    const batch: Batch = { hosts: [], words: [], keys: [], bytes: new Uint8Array(0), started };
    const reads = this.reads;
    let taken = 0;
    let size = 0;
    // At most a module's worth of entries per call, compiled or installed from the cache (table slots).
    while (taken < hosts.length && taken < MODULE_MAX_FUNCS && size < MODULE_MAX_BYTES) {
      const host = hosts[taken++];
      const word = this.x.jitProtect(host);
      reads.length = 0;
      const region = decodeRegion(this.translator, host, this.cache ? reads : undefined);
      if (region.length === 0) {
        this.x.jitInstall(host, this.layout.JIT_NONE, word);
        this.stats.untranslatable++;
        continue;
      }
      if (this.cache) {
        // Same bytes, same code: another machine's compile will do (read after jitProtect, as the compile's are).
        const straddler = region.flatMap((b) => b.insns).find((i) => i.secondHalf !== undefined);
        const key = regionKey(this.translator.bytes, host, reads, straddler?.secondHalf);
        const hit = this.cache.lookup(key);
        if (hit && this.installCached(host, hit, word)) {
          this.stats.reused++;
          continue;
        }
        batch.keys.push(key);
      }
      const body = emitRegion(this.translator, region, this.counts);
      size += body.length;
      funcs.push({ locals: regionLocals(region), body });
      batch.hosts.push(host);
      batch.words.push(word);
    }
    hosts.splice(0, taken);
    this.stats.translateMs += performance.now() - started;
    if (batch.hosts.length === 0) return null;
    const writer = newModule(funcs.some((f) => f.body.calls));
    for (const f of funcs) writer.func(BLOCK_TYPE, f.locals, f.body);
    batch.bytes = writer.bytes();
    this.stats.bytes += batch.bytes.length;
    return batch;
  }

  private install(batch: Batch, module: WebAssembly.Module, instance: WebAssembly.Instance): void {
    const n = batch.hosts.length;
    const cached = this.cache?.add(module, batch.keys, batch.bytes.length);
    if (cached) this.instances.set(module, instance);
    batch.hosts.forEach((host, i) => {
      if (this.place(host, instance.exports[`f${i}`] as Function, batch.words[i]) && cached) this.remember(host, cached[i]);
    });
    this.stats.blocks += n;
    this.stats.modules++;
    this.stats.compileMs += performance.now() - batch.started;
  }

  /** Puts `fn` in the table and installs it for `host` unless the page moved on past `word`. */
  private place(host: number, fn: Function, word: number): boolean {
    const table = this.x.table;
    if (table.length <= this.next) table.grow(TABLE_CHUNK);
    if (!this.x.jitInstall(host, this.next, word)) return false; // written since: stale
    table.set(this.next++, fn);
    return true;
  }

  /** A cached region installed at `host`: recorded for forks and for the lineage. */
  private remember(host: number, r: CachedRegion): void {
    if (r.module === null) return; // evicted at once (a cache smaller than one module)
    this.installed.set(host, r);
    this.lineage?.add(host, r);
  }

  /**
   * Installs the cached region `r` at `host`, whose bytes the caller has checked after
   * jitProtect gave `word`. False when it cannot (evicted, or this runtime refuses to
   * instantiate in place: then the cache is left alone from now on).
   */
  private installCached(host: number, r: CachedRegion, word: number): boolean {
    const module = r.module;
    if (module === null) return false;
    let instance = this.instances.get(module);
    if (!instance) {
      try {
        instance = new WebAssembly.Instance(module, this.imports);
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        this.cache = null; // a browser's main thread: synchronous instantiation of large modules is refused
        return false;
      }
      this.instances.set(module, instance);
    }
    if (this.next + 1 > TABLE_LIMIT + this.tableBase) return false;
    if (this.place(host, instance.exports[`f${r.index}`] as Function, word)) this.remember(host, r);
    return true;
  }

  /**
   * A machine starting from a saved state installs what its lineage (its parent, its
   * siblings) compiled, where its own pages hold the same bytes, so it does not interpret
   * code they had made hot; from then on it adds its own installs to the lineage.
   * `page(p)` gives RAM page p's bytes as the guest will see them (present or still in the
   * snapshot), or null to skip it.
   */
  warmStart(lineage: WarmSet, page: (p: number) => Uint8Array | null): void {
    this.lineage = lineage;
    if (!this.cache) return;
    const started = performance.now();
    const pages = new Map<number, Uint8Array | null>();
    for (const [host, r] of lineage.entries()) {
      if (this.next + 1 > TABLE_LIMIT + this.tableBase || !this.cache) break;
      const p = Math.floor((host - this.layout.RAM_OFFSET) / 4096);
      if (p < 0 || (host & 0xfff) !== r.pageOffset) continue;
      let bytes = pages.get(p);
      if (bytes === undefined) pages.set(p, (bytes = page(p)));
      if (bytes === null) continue; // not RAM, or nothing there
      // As for a compile: protect first, then read the bytes the code must match.
      const word = this.x.jitProtect(host);
      if (!regionMatches(r, bytes)) continue;
      if (this.installCached(host, r, word)) {
        this.cache?.touch(r);
        this.stats.warmed++;
      }
    }
    this.stats.translateMs += performance.now() - started;
  }

  /** The cached regions installed here, by host address (a fork's lineage starts with them). */
  installedRegions(): IterableIterator<[number, CachedRegion]> {
    return this.installed.entries();
  }

  /**
   * With `coverage`: how many times translated code was entered, and how many instructions
   * of each kind (encoding name as fetched, compressed ones by their own name) it ran; a
   * load or store that misses the TLB counts in the interpreter, which runs it.
   */
  coverage(): { entries: number; kinds: Map<string, number> } {
    if (this.counts === undefined) throw new Error("jit: coverage() needs the coverage option");
    const view = new DataView(this.x.memory.buffer);
    const kinds = new Map<string, number>();
    for (const e of ENCODINGS) {
      const n = Number(view.getBigUint64(this.counts + 8 * e.id, true));
      if (n > 0) kinds.set(e.name, n);
    }
    return { entries: Number(view.getBigUint64(this.counts, true)), kinds };
  }

  resetCoverage(): void {
    if (this.counts !== undefined) new Uint8Array(this.x.memory.buffer, this.counts, 8 * (ENCODINGS.length + 1)).fill(0);
  }

  /** Drops every translation (the table is full, or RAM was replaced wholesale). */
  flush(): void {
    this.x.jitFlush();
    const table = this.x.table;
    for (let i = this.tableBase; i < this.next; i++) table.set(i, null);
    this.next = this.tableBase;
    this.epoch++;
    this.pending = [];
    this.instances.clear();
    this.installed.clear();
    this.stats.flushes++;
  }
}

/**
 * A module with the imports translate.ts numbers (G_*) and the block type first. The core's
 * helpers share one signature (core-as/jit-helpers.ts), HELPER_TYPE; a module whose
 * functions call them (FuncBody.calls) imports the table that holds them (JitTier's).
 */
export function newModule(helpers = true): ModuleWriter {
  const w = new ModuleWriter();
  w.type({ params: [I64], results: [I64] }); // BLOCK_TYPE: entry pc -> next pc
  w.import({ module: "env", name: "memory", kind: "memory" });
  w.import({ module: "env", name: "pc", kind: "global", valType: I64, mutable: true });
  w.import({ module: "env", name: "trapped", kind: "global", valType: I32, mutable: true });
  w.import({ module: "env", name: "attention", kind: "global", valType: I32, mutable: true });
  w.import({ module: "env", name: "remaining", kind: "global", valType: I32, mutable: true });
  w.import({ module: "env", name: "fetchTlb", kind: "global", valType: I32, mutable: true });
  if (!helpers) return w;
  w.type({ params: [I64, I64, I64], results: [I64] }); // HELPER_TYPE
  w.import({ module: "env", name: "helpers", kind: "table" });
  return w;
}
