// The host's half of the translation tier: after each run() it compiles the blocks the
// core queued as hot into one WebAssembly module, puts their functions into the core's
// function table and tells the core where they are (core-as/jit.ts).
import { ModuleWriter, I32, I64 } from "./wasm-emitter.js";
import { decodeBlock, emitBlock, LOCALS, M_HELPERS, type TranslatorCore } from "./translate.js";

/** The core exports the tier uses. */
export interface JitCoreExports {
  table: WebAssembly.Table;
  memory: WebAssembly.Memory;
  pc: WebAssembly.Global;
  trapped: WebAssembly.Global;
  attention: WebAssembly.Global;
  remaining: WebAssembly.Global;
  jitLoad: Function;
  jitStore: Function;
  jitInstall(host: number, fn: number): void;
  jitFlush(): void;
  setJitThreshold(n: number): void;
  expandCompressed(h: number): number;
  decodeOp(bits: number): number;
  decodeImm(word: number): number;
  [name: string]: unknown;
}

export interface JitLayout {
  XREG: number;
  JIT_QUEUE: number;
  JIT_DATA_TLB: number;
  TLB_TAGS_R: number;
  TLB_TAGS_W: number;
  TLB_ADDEND: number;
}

export interface JitStats {
  blocks: number; // functions compiled
  untranslatable: number; // entries whose first instruction the translator does not handle
  modules: number;
  compileMs: number;
  flushes: number;
}

const JIT_NONE = 0xffff_ffff;
/** Must match JIT_MAX_INSNS in core-as/jit.ts: the run loop enters a block only with this much budget left. */
const MAX_INSNS = 128;
const TABLE_CHUNK = 1024;
/** Table slots for translated code before everything is dropped and translation starts over. */
const TABLE_LIMIT = 32768;

export class JitTier {
  readonly stats: JitStats = { blocks: 0, untranslatable: 0, modules: 0, compileMs: 0, flushes: 0 };
  private readonly tableBase: number;
  private next: number;
  private readonly imports: WebAssembly.Imports;
  private readonly translator: TranslatorCore;

  constructor(private readonly x: JitCoreExports, private readonly layout: JitLayout, threshold: number) {
    this.tableBase = x.table.length;
    this.next = this.tableBase;
    const env: Record<string, WebAssembly.ImportValue> = {
      memory: x.memory, pc: x.pc, trapped: x.trapped, attention: x.attention, remaining: x.remaining,
      load: x.jitLoad, store: x.jitStore,
    };
    for (const m of M_HELPERS) env[m] = x[`jit${m[0].toUpperCase()}${m.slice(1)}`] as Function;
    this.imports = { env };
    const tagsW = layout.TLB_TAGS_W;
    this.translator = {
      bytes: new Uint8Array(x.memory.buffer),
      expandCompressed: (h) => x.expandCompressed(h) >>> 0,
      decodeOp: (w) => x.decodeOp(w >>> 0),
      decodeImm: (w) => x.decodeImm(w >>> 0),
      xreg: layout.XREG,
      dataTlb: layout.JIT_DATA_TLB,
      tlbTagsR: layout.TLB_TAGS_R,
      tlbTagsW: tagsW,
      tlbAddend: layout.TLB_ADDEND,
      tlbEntries: tagsW / 8,
      maxInsns: MAX_INSNS,
    };
    x.setJitThreshold(threshold);
  }

  /** Compiles what the core queued; call after every run(). */
  compileQueued(): void {
    const view = new DataView(this.x.memory.buffer);
    const q = this.layout.JIT_QUEUE;
    const count = view.getUint32(q, true);
    if (count === 0) return;
    view.setUint32(q, 0, true);
    const started = performance.now();
    if (this.translator.bytes.buffer !== this.x.memory.buffer) this.translator.bytes = new Uint8Array(this.x.memory.buffer);

    if (this.next + count > TABLE_LIMIT + this.tableBase) this.flush();
    const writer = newModule();
    const entries: number[] = [];
    for (let i = 0; i < count; i++) {
      const host = view.getUint32(q + 4 + 4 * i, true);
      const insns = decodeBlock(this.translator, host);
      if (insns.length === 0) {
        this.x.jitInstall(host, JIT_NONE);
        this.stats.untranslatable++;
        continue;
      }
      writer.func(BLOCK_TYPE, LOCALS, emitBlock(this.translator, insns));
      entries.push(host);
    }
    if (entries.length > 0) {
      const module = new WebAssembly.Module(writer.bytes() as BufferSource);
      const instance = new WebAssembly.Instance(module, this.imports);
      const table = this.x.table;
      if (table.length < this.next + entries.length) table.grow(Math.max(TABLE_CHUNK, this.next + entries.length - table.length));
      entries.forEach((host, i) => {
        const index = this.next++;
        table.set(index, instance.exports[`f${i}`] as Function);
        this.x.jitInstall(host, index);
      });
      this.stats.blocks += entries.length;
      this.stats.modules++;
    }
    this.stats.compileMs += performance.now() - started;
  }

  /** Drops every translation (the table is full, or RAM was replaced wholesale). */
  flush(): void {
    this.x.jitFlush();
    const table = this.x.table;
    for (let i = this.tableBase; i < this.next; i++) table.set(i, null);
    this.next = this.tableBase;
    this.stats.flushes++;
  }
}

const BLOCK_TYPE = 0;

/** A module with the imports translate.ts numbers (G_*, F_*, M_HELPERS) and the block type first. */
function newModule(): ModuleWriter {
  const w = new ModuleWriter();
  w.type({ params: [], results: [] }); // BLOCK_TYPE
  const load = w.type({ params: [I64, I32], results: [I64] });
  const store = w.type({ params: [I64, I32, I64], results: [] });
  const binary = w.type({ params: [I64, I64], results: [I64] });
  w.import({ module: "env", name: "memory", kind: "memory" });
  w.import({ module: "env", name: "pc", kind: "global", valType: I64, mutable: true });
  w.import({ module: "env", name: "trapped", kind: "global", valType: I32, mutable: true });
  w.import({ module: "env", name: "attention", kind: "global", valType: I32, mutable: true });
  w.import({ module: "env", name: "remaining", kind: "global", valType: I32, mutable: true });
  w.import({ module: "env", name: "load", kind: "func", type: load });
  w.import({ module: "env", name: "store", kind: "func", type: store });
  for (const m of M_HELPERS) w.import({ module: "env", name: m, kind: "func", type: binary });
  return w;
}
