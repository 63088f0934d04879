// Flattened device tree (DTB) writer: the nodes the board and devices build, and the
// binary encoding (devicetree spec v0.4, version 17 blobs).

/** A property value: string, string list, u32 cells, raw bytes, or empty (true). */
export type FdtValue = string | string[] | number | number[] | Uint8Array | true;

export interface FdtNode {
  name: string; // "uart@10000000"
  props: Record<string, FdtValue>;
  children?: FdtNode[];
}

/** Two cells for a 64-bit value (address or size with #address-cells = 2). */
export function cells64(value: number): number[] {
  return [Math.floor(value / 0x1_0000_0000) >>> 0, value >>> 0];
}

export const FDT_MAGIC = 0xd00dfeed;
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_NOP = 4;
const FDT_END = 9;
const HEADER_SIZE = 40;
const VERSION = 17;
const LAST_COMP_VERSION = 16;

export interface EncodeFdtOptions {
  /** boot_cpuid_phys in the header (default 0). */
  bootCpuId?: number;
  /** Memory reservation block entries: [address, size]. */
  memReserve?: [number, number][];
  /**
   * Free bytes appended after the strings block and counted in totalsize, for software
   * that edits the tree in place (QEMU pads its blob to 1 MiB). Default 0.
   */
  padding?: number;
}

const utf8 = new TextEncoder();

function u32Cell(v: number, where: string): number {
  if (!Number.isInteger(v) || v < -0x8000_0000 || v > 0xffff_ffff) {
    throw new Error(`fdt: ${where}: ${v} is not a 32-bit cell`);
  }
  return v >>> 0;
}

function nulFreeUtf8(s: string, where: string): Uint8Array {
  const b = utf8.encode(s);
  if (b.includes(0)) throw new Error(`fdt: ${where}: string contains NUL`);
  return b;
}

/** The bytes a property value encodes to. */
export function encodeFdtValue(value: FdtValue, where = "property"): Uint8Array {
  if (value === true) return new Uint8Array(0);
  if (value instanceof Uint8Array) return value;
  if (typeof value === "number") value = [value];
  if (typeof value === "string") value = [value];
  if (Array.isArray(value) && value.every((x) => typeof x === "number")) {
    const cells = value as number[];
    const out = new Uint8Array(cells.length * 4);
    const dv = new DataView(out.buffer);
    cells.forEach((c, i) => dv.setUint32(i * 4, u32Cell(c, where)));
    return out;
  }
  if (Array.isArray(value) && value.every((x) => typeof x === "string")) {
    const parts = (value as string[]).map((s) => nulFreeUtf8(s, where));
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length + 1;
    }
    return out;
  }
  throw new Error(`fdt: ${where}: unsupported value`);
}

class ByteWriter {
  buf = new Uint8Array(4096);
  len = 0;
  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }
  u32(v: number): void {
    this.ensure(4);
    new DataView(this.buf.buffer).setUint32(this.len, v >>> 0);
    this.len += 4;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  align4(): void {
    const pad = (4 - (this.len & 3)) & 3;
    this.ensure(pad);
    this.buf.fill(0, this.len, this.len + pad);
    this.len += pad;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

const NODE_NAME_RE = /^[A-Za-z0-9,._+\-]+(@[A-Za-z0-9,._+\-]+)?$/;
const PROP_NAME_RE = /^[A-Za-z0-9,._+?#\-]+$/;

/** Encode a tree as a DTB (version 17, last compatible version 16, big-endian). */
export function encodeFdt(root: FdtNode, opts: EncodeFdtOptions = {}): Uint8Array {
  const struct = new ByteWriter();
  const strings = new ByteWriter();
  const stringOffsets = new Map<string, number>();

  const stringOffset = (name: string): number => {
    let off = stringOffsets.get(name);
    if (off === undefined) {
      off = strings.len;
      strings.bytes(utf8.encode(name));
      strings.bytes(new Uint8Array(1));
      stringOffsets.set(name, off);
    }
    return off;
  };

  const emit = (node: FdtNode, path: string, isRoot: boolean): void => {
    if (!isRoot && !NODE_NAME_RE.test(node.name)) throw new Error(`fdt: bad node name "${node.name}" under ${path}`);
    const here = isRoot ? "/" : path === "/" ? `/${node.name}` : `${path}/${node.name}`;
    struct.u32(FDT_BEGIN_NODE);
    struct.bytes(isRoot ? new Uint8Array(0) : utf8.encode(node.name));
    struct.bytes(new Uint8Array(1));
    struct.align4();
    for (const [name, value] of Object.entries(node.props)) {
      if (!PROP_NAME_RE.test(name)) throw new Error(`fdt: bad property name "${name}" in ${here}`);
      const data = encodeFdtValue(value, `${here}:${name}`);
      struct.u32(FDT_PROP);
      struct.u32(data.length);
      struct.u32(stringOffset(name));
      struct.bytes(data);
      struct.align4();
    }
    const seen = new Set<string>();
    for (const child of node.children ?? []) {
      if (seen.has(child.name)) throw new Error(`fdt: duplicate node ${child.name} in ${here}`);
      seen.add(child.name);
      emit(child, here, false);
    }
    struct.u32(FDT_END_NODE);
  };
  emit(root, "", true);
  struct.u32(FDT_END);

  const reserve = opts.memReserve ?? [];
  const rsvSize = (reserve.length + 1) * 16;
  const offRsv = HEADER_SIZE; // already 8-aligned
  const offStruct = offRsv + rsvSize;
  const offStrings = offStruct + struct.len;
  const padding = opts.padding ?? 0;
  if (!Number.isSafeInteger(padding) || padding < 0) throw new Error(`fdt: bad padding ${padding}`);
  const total = offStrings + strings.len + padding;

  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, FDT_MAGIC);
  dv.setUint32(4, total);
  dv.setUint32(8, offStruct);
  dv.setUint32(12, offStrings);
  dv.setUint32(16, offRsv);
  dv.setUint32(20, VERSION);
  dv.setUint32(24, LAST_COMP_VERSION);
  dv.setUint32(28, u32Cell(opts.bootCpuId ?? 0, "bootCpuId"));
  dv.setUint32(32, strings.len);
  dv.setUint32(36, struct.len);
  reserve.forEach(([addr, size], i) => {
    for (const v of [addr, size]) {
      if (!Number.isSafeInteger(v) || v < 0) throw new Error(`fdt: memReserve entry ${i}: ${v} is not a valid 64-bit value`);
    }
    const [ah, al] = cells64(addr);
    const [sh, sl] = cells64(size);
    const o = offRsv + i * 16;
    dv.setUint32(o, ah);
    dv.setUint32(o + 4, al);
    dv.setUint32(o + 8, sh);
    dv.setUint32(o + 12, sl);
  });
  out.set(struct.result(), offStruct);
  out.set(strings.result(), offStrings);
  return out;
}

export interface DecodedFdt {
  root: FdtNode;
  bootCpuId: number;
  memReserve: [number, number][];
  version: number;
}

export interface DecodeFdtOptions {
  /** Keep every property value as raw bytes (Uint8Array) instead of guessing its type. */
  raw?: boolean;
}

/**
 * Guess a property's type from its bytes, like dtc does: empty => true, printable
 * NUL-terminated strings => string / string[], a multiple of 4 bytes => number (one
 * cell) / number[], anything else => Uint8Array. Re-encoding the result gives the same bytes.
 */
export function guessFdtValue(data: Uint8Array): FdtValue {
  if (data.length === 0) return true;
  if (data[data.length - 1] === 0) {
    let ok = true;
    let start = 0;
    const parts: string[] = [];
    for (let i = 0; i < data.length && ok; i++) {
      const c = data[i];
      if (c === 0) {
        if (i === start) ok = false; // empty string: not a string list
        else parts.push(new TextDecoder("utf-8", { fatal: false }).decode(data.subarray(start, i)));
        start = i + 1;
      } else if (c < 0x20 || c > 0x7e) {
        ok = false;
      }
    }
    if (ok) return parts.length === 1 ? parts[0] : parts;
  }
  if (data.length % 4 === 0) {
    const dv = new DataView(data.buffer, data.byteOffset, data.length);
    const cells: number[] = [];
    for (let i = 0; i < data.length; i += 4) cells.push(dv.getUint32(i));
    return cells.length === 1 ? cells[0] : cells;
  }
  return data.slice();
}

/** Decode a DTB; throws Error("fdt: ...") for anything malformed. */
export function decodeFdtBlob(bytes: Uint8Array, opts: DecodeFdtOptions = {}): DecodedFdt {
  const fail = (why: string): never => {
    throw new Error(`fdt: invalid device tree blob: ${why}`);
  };
  if (bytes.length < HEADER_SIZE) fail(`${bytes.length} bytes is shorter than the 40-byte header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const magic = dv.getUint32(0);
  if (magic !== FDT_MAGIC) fail(`bad magic 0x${magic.toString(16)} (expected 0xd00dfeed)`);
  const total = dv.getUint32(4);
  const offStruct = dv.getUint32(8);
  const offStrings = dv.getUint32(12);
  const offRsv = dv.getUint32(16);
  const version = dv.getUint32(20);
  const lastComp = dv.getUint32(24);
  const bootCpuId = dv.getUint32(28);
  const sizeStrings = dv.getUint32(32);
  const sizeStruct = dv.getUint32(36);
  if (version < 16 || lastComp > 17) fail(`unsupported version ${version} (last compatible ${lastComp})`);
  if (total < HEADER_SIZE || total > bytes.length) fail(`totalsize ${total} exceeds the ${bytes.length} bytes given`);
  const inside = (off: number, len: number, what: string): void => {
    if (off < HEADER_SIZE || off > total || len > total - off) fail(`${what} [${off}, +${len}) lies outside the blob (${total} bytes)`);
  };
  inside(offStruct, sizeStruct, "structure block");
  inside(offStrings, sizeStrings, "strings block");
  if (offStruct % 4 !== 0) fail(`structure block offset ${offStruct} is not 4-aligned`);
  if (offRsv % 8 !== 0) fail(`memory reservation block offset ${offRsv} is not 8-aligned`);

  const memReserve: [number, number][] = [];
  for (let o = offRsv; ; o += 16) {
    inside(o, 16, "memory reservation entry");
    const addr = dv.getUint32(o) * 0x1_0000_0000 + dv.getUint32(o + 4);
    const size = dv.getUint32(o + 8) * 0x1_0000_0000 + dv.getUint32(o + 12);
    if (addr === 0 && size === 0) break;
    memReserve.push([addr, size]);
  }

  const td = new TextDecoder();
  /** The NUL-terminated string at start (which must end before end), and the NUL's index. */
  const cstring = (start: number, end: number, what: string): [string, number] => {
    const nul = bytes.subarray(0, end).indexOf(0, start);
    if (nul < 0) fail(`unterminated ${what} at offset ${start}`);
    return [td.decode(bytes.subarray(start, nul)), nul];
  };
  const structEnd = offStruct + sizeStruct;
  const stringsEnd = offStrings + sizeStrings;
  let p = offStruct;
  const token = (): number => {
    if (p + 4 > structEnd) fail(`structure block ends without FDT_END`);
    const t = dv.getUint32(p);
    p += 4;
    return t;
  };
  const stack: FdtNode[] = [];
  let root: FdtNode | null = null;
  for (;;) {
    const at = p;
    const t = token();
    if (t === FDT_BEGIN_NODE) {
      const [name, nul] = cstring(p, structEnd, "node name");
      p = (nul + 1 + 3) & ~3;
      const node: FdtNode = { name, props: {} };
      if (stack.length === 0) {
        if (root !== null) fail(`second root node at offset ${at}`);
        root = node;
      } else {
        const parent = stack[stack.length - 1];
        (parent.children ??= []).push(node);
      }
      stack.push(node);
    } else if (t === FDT_PROP) {
      if (stack.length === 0) fail(`property outside any node at offset ${at}`);
      const len = token();
      const nameOff = token();
      if (len > structEnd - p) fail(`property at offset ${at} (${len} bytes) runs past the structure block`);
      if (nameOff >= sizeStrings) fail(`property name offset ${nameOff} outside the strings block`);
      const [name] = cstring(offStrings + nameOff, stringsEnd, "property name");
      const data = bytes.slice(p, p + len);
      p = (p + len + 3) & ~3;
      const node = stack[stack.length - 1];
      if (node.children?.length) fail(`property ${name} after a subnode in ${node.name || "/"}`);
      node.props[name] = opts.raw ? data : guessFdtValue(data);
    } else if (t === FDT_END_NODE) {
      if (stack.length === 0) fail(`unbalanced FDT_END_NODE at offset ${at}`);
      stack.pop();
    } else if (t === FDT_NOP) {
      // skip
    } else if (t === FDT_END) {
      if (stack.length !== 0) fail(`FDT_END inside node ${stack[stack.length - 1].name}`);
      break;
    } else {
      fail(`unknown token 0x${t.toString(16)} at offset ${at}`);
    }
  }
  if (root === null) fail("no root node");
  return { root: root!, bootCpuId, memReserve, version };
}

/** Decode a DTB's tree (see decodeFdtBlob for the header fields). */
export function decodeFdt(bytes: Uint8Array, opts: DecodeFdtOptions = {}): FdtNode {
  return decodeFdtBlob(bytes, opts).root;
}

/** Find a node by path ("/soc/serial@10000000"); null when absent. */
export function fdtFind(root: FdtNode, path: string): FdtNode | null {
  let node: FdtNode | undefined = root;
  for (const part of path.split("/").filter((s) => s.length > 0)) {
    node = node?.children?.find((c) => c.name === part);
    if (!node) return null;
  }
  return node ?? null;
}
