// A small WebAssembly binary writer: just the sections and instructions the translator
// uses (binary format of the WebAssembly core spec, §5).

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F64 = 0x7c;
const FUNC = 0x60;
const EMPTY = 0x40;

export type ValType = typeof I32 | typeof I64 | typeof F64;
export interface FuncType { params: ValType[]; results: ValType[] }

/** Opcodes, by their names in the text format. */
export const Op = {
  unreachable: 0x00, block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, br_if: 0x0d, br_table: 0x0e,
  return: 0x0f, call: 0x10, call_indirect: 0x11, drop: 0x1a, select: 0x1b,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22, global_get: 0x23, global_set: 0x24,
  i32_load: 0x28, i64_load: 0x29, i32_load16_u: 0x2f, i64_load8_s: 0x30, i64_load8_u: 0x31, i64_load16_s: 0x32,
  i64_load16_u: 0x33, i64_load32_s: 0x34, i64_load32_u: 0x35, i32_store: 0x36, i64_store: 0x37, i64_store8: 0x3c,
  i64_store16: 0x3d, i64_store32: 0x3e,
  i32_const: 0x41, i64_const: 0x42, f64_const: 0x44,
  i32_eqz: 0x45, i32_eq: 0x46, i32_ne: 0x47, i32_lt_s: 0x48, i32_gt_s: 0x4a, i32_le_s: 0x4c,
  i64_eqz: 0x50, i64_eq: 0x51, i64_ne: 0x52, i64_lt_s: 0x53, i64_lt_u: 0x54, i64_gt_s: 0x55, i64_gt_u: 0x56, i64_ge_s: 0x59, i64_ge_u: 0x5a,
  f64_eq: 0x61, f64_ne: 0x62, f64_lt: 0x63, f64_le: 0x65, f64_ge: 0x66,
  i32_add: 0x6a, i32_sub: 0x6b, i32_mul: 0x6c, i32_and: 0x71, i32_or: 0x72, i32_xor: 0x73, i32_shl: 0x74,
  i32_shr_s: 0x75, i32_shr_u: 0x76,
  i64_clz: 0x79, i64_ctz: 0x7a, i64_add: 0x7c, i64_sub: 0x7d, i64_mul: 0x7e, i64_and: 0x83, i64_or: 0x84, i64_xor: 0x85,
  i64_shl: 0x86, i64_shr_s: 0x87, i64_shr_u: 0x88,
  f64_abs: 0x99, f64_sqrt: 0x9f, f64_add: 0xa0, f64_sub: 0xa1, f64_mul: 0xa2, f64_div: 0xa3, f64_min: 0xa4, f64_max: 0xa5,
  i32_wrap_i64: 0xa7, i64_extend_i32_s: 0xac, i64_extend_i32_u: 0xad, f64_convert_i32_s: 0xb7, f64_convert_i32_u: 0xb8, f64_convert_i64_s: 0xb9,
  f32_demote_f64: 0xb6, f64_promote_f32: 0xbb, i32_reinterpret_f32: 0xbc, i64_reinterpret_f64: 0xbd,
  f32_reinterpret_i32: 0xbe, f64_reinterpret_i64: 0xbf, i64_extend32_s: 0xc4,
} as const;

const UTF8 = new TextEncoder();

/**
 * Growable byte buffer with LEB128 writers. The writers most used by the translator write
 * one- and two-byte cases themselves: it runs mostly before V8 has optimised it, where
 * every call costs, and a region's code is mostly opcodes with small operands.
 */
export class Bytes {
  protected buf: Uint8Array;
  length = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
  }

  byte(b: number): this {
    if (this.length === this.buf.length) this.grow();
    this.buf[this.length++] = b;
    return this;
  }
  /** Two bytes: an opcode and a one-byte operand. */
  protected pair(a: number, b: number): this {
    if (this.length + 2 > this.buf.length) this.grow();
    const buf = this.buf;
    buf[this.length] = a;
    buf[this.length + 1] = b;
    this.length += 2;
    return this;
  }
  protected grow(): void {
    const bigger = new Uint8Array(this.buf.length * 2);
    bigger.set(this.buf);
    this.buf = bigger;
  }
  bytes(src: ArrayLike<number>): this {
    let size = this.buf.length;
    while (this.length + src.length > size) size *= 2;
    if (size !== this.buf.length) {
      const bigger = new Uint8Array(size);
      bigger.set(this.buf.subarray(0, this.length));
      this.buf = bigger;
    }
    this.buf.set(src, this.length);
    this.length += src.length;
    return this;
  }
  u32(v: number): this {
    v >>>= 0;
    if (v < 0x80) return this.byte(v);
    do {
      const b = v & 0x7f;
      v >>>= 7;
      this.byte(v !== 0 ? b | 0x80 : b);
    } while (v !== 0);
    return this;
  }
  /** Signed LEB128 of a 64-bit value. */
  s64(v: bigint): this {
    v = BigInt.asIntN(64, v);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }
  /** Signed LEB128 of a safe integer, without BigInt (division by 128 is exact in binary64). */
  sSafe(v: number): this {
    for (;;) {
      const q = Math.floor(v / 128);
      const b = v - 128 * q;
      v = q;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }
  s32(v: number): this {
    v |= 0;
    if (v >= -64 && v < 64) return this.byte(v & 0x7f);
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }
  /** A name (UTF-8 with its length). Every module repeats its import and export names, which are ASCII. */
  name(s: string): this {
    if (!/^[\x00-\x7f]*$/.test(s)) {
      const utf8 = UTF8.encode(s);
      return this.u32(utf8.length).bytes(utf8);
    }
    this.u32(s.length);
    for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i));
    return this;
  }
  /** Appends another buffer prefixed by its length (sections, function bodies). */
  sized(inner: Bytes): this {
    return this.u32(inner.length).bytes(inner.view());
  }
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** A function body: locals and instructions. */
export class FuncBody extends Bytes {
  /** Whether the body calls a function (translated code only calls the core's helpers, through the table its module must import). */
  calls = false;

  /** A region's body is 1-8 KiB: starting at 4 KiB spares most of them four doublings. */
  constructor(capacity = 4096) {
    super(capacity);
  }
  /** byte() written out: the translator's most frequent call, mostly run unoptimised. */
  op(code: number): this {
    if (this.length === this.buf.length) this.grow();
    this.buf[this.length++] = code;
    return this;
  }
  i32(v: number): this {
    if (v >= -64 && v < 64) return this.pair(Op.i32_const, v & 0x7f);
    return this.byte(Op.i32_const).s32(v);
  }
  /** i64.const of a bigint or a safe integer (numbers skip BigInt: 32-bit ones have the same LEB128 as i32). */
  i64(v: bigint | number): this {
    if (typeof v === "number" && v >= -64 && v < 64 && (v | 0) === v) return this.pair(Op.i64_const, v & 0x7f);
    this.byte(Op.i64_const);
    if (typeof v === "bigint") return this.s64(v);
    if ((v | 0) === v) return this.s32(v);
    if (!Number.isSafeInteger(v)) throw new RangeError(`i64 constant ${v} is not an integer`);
    return this.sSafe(v);
  }
  /** f64.const (only values exact in binary64). */
  f64(v: number): this {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, v, true);
    return this.byte(Op.f64_const).bytes(bytes);
  }
  get(local: number): this { return local < 0x80 ? this.pair(Op.local_get, local) : this.byte(Op.local_get).u32(local); }
  set(local: number): this { return local < 0x80 ? this.pair(Op.local_set, local) : this.byte(Op.local_set).u32(local); }
  tee(local: number): this { return local < 0x80 ? this.pair(Op.local_tee, local) : this.byte(Op.local_tee).u32(local); }
  gget(global: number): this { return global < 0x80 ? this.pair(Op.global_get, global) : this.byte(Op.global_get).u32(global); }
  gset(global: number): this { return global < 0x80 ? this.pair(Op.global_set, global) : this.byte(Op.global_set).u32(global); }
  call(func: number): this { this.calls = true; return this.byte(Op.call).u32(func); }
  /** Calls the function of type `type` whose slot in table 0 the stack's top holds. */
  callIndirect(type: number): this { this.calls = true; return this.byte(Op.call_indirect).u32(type).byte(0x00); }
  /** A load or store with its memarg (alignment log2, constant offset). */
  mem(code: number, alignLog2: number, offset: number): this { return this.byte(code).u32(alignLog2).u32(offset); }
  /** `if`/`block`/`loop` with no result, or with one. */
  open(code: typeof Op.if | typeof Op.block | typeof Op.loop, result?: ValType): this {
    return this.byte(code).byte(result ?? EMPTY);
  }
  end(): this { return this.byte(Op.end); }
}

export interface Import {
  module: string;
  name: string;
  kind: "func" | "memory" | "global" | "table";
  type?: number; // func: type index
  valType?: ValType; // global
  mutable?: boolean;
}

/** Assembles a module: types, imports, functions (all exported as f<index>). */
export class ModuleWriter {
  private types: FuncType[] = [];
  private imports: Import[] = [];
  private funcs: { type: number; locals: [number, ValType][]; body: FuncBody }[] = [];
  private importedFuncs = 0;
  private importedGlobals = 0;

  type(t: FuncType): number {
    const key = JSON.stringify(t);
    const i = this.types.findIndex((x) => JSON.stringify(x) === key);
    if (i >= 0) return i;
    this.types.push(t);
    return this.types.length - 1;
  }
  /** Adds an import; returns its index in the function or global index space. */
  import(imp: Import): number {
    this.imports.push(imp);
    if (imp.kind === "func") return this.importedFuncs++;
    if (imp.kind === "global") return this.importedGlobals++;
    return 0;
  }
  /** Adds a function; returns its position among the defined functions (its export is f<n>). */
  func(type: number, locals: [number, ValType][], body: FuncBody): number {
    this.funcs.push({ type, locals, body });
    return this.funcs.length - 1;
  }
  get funcCount(): number { return this.funcs.length; }

  bytes(): Uint8Array {
    const out = new Bytes(1024 + this.funcs.reduce((n, f) => n + f.body.length + 32, 0)).bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const section = (id: number, content: Bytes) => out.byte(id).sized(content);

    const types = new Bytes().u32(this.types.length);
    for (const t of this.types) {
      types.byte(FUNC).u32(t.params.length).bytes(t.params).u32(t.results.length).bytes(t.results);
    }
    section(1, types);

    const imports = new Bytes().u32(this.imports.length);
    for (const imp of this.imports) {
      imports.name(imp.module).name(imp.name);
      if (imp.kind === "func") imports.byte(0x00).u32(imp.type!);
      else if (imp.kind === "memory") imports.byte(0x02).byte(0x00).u32(0);
      else if (imp.kind === "table") imports.byte(0x01).byte(0x70).byte(0x00).u32(0); // funcref, no maximum
      else imports.byte(0x03).byte(imp.valType!).byte(imp.mutable ? 1 : 0);
    }
    section(2, imports);

    const funcs = new Bytes().u32(this.funcs.length);
    for (const f of this.funcs) funcs.u32(f.type);
    section(3, funcs);

    const exports = new Bytes().u32(this.funcs.length);
    this.funcs.forEach((_, i) => exports.name(`f${i}`).byte(0x00).u32(this.importedFuncs + i));
    section(7, exports);

    // Sized up front: the bodies are most of a module, and copying them as buffers double costs.
    const bodies = this.funcs.reduce((n, f) => n + f.body.length + 16 + 2 * f.locals.length, 0);
    const code = new Bytes(bodies + 8).u32(this.funcs.length);
    for (const f of this.funcs) {
      const body = new Bytes(f.body.length + 16 + 2 * f.locals.length).u32(f.locals.length);
      for (const [count, type] of f.locals) body.u32(count).byte(type);
      body.bytes(f.body.view()).byte(Op.end);
      code.sized(body);
    }
    section(10, code);
    return out.view().slice();
  }
}
