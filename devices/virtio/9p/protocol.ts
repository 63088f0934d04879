// 9P2000.L wire format: message numbers, the constants Linux's client uses, and a
// bounds-checked reader and growable writer for little-endian PDUs
// (size[4] type[1] tag[2] body).
import { EPROTO, FsError } from "../../fs/errno.js";

export const VERSION_9P2000_L = "9P2000.L";
export const NOTAG = 0xffff;
export const NOFID = 0xffff_ffff;
export const NONUNAME = 0xffff_ffff;
export const HEADER_BYTES = 7;
/** Header room Linux's client reserves for a read or write (P9_IOHDRSZ). */
export const IOHDRSZ = 24;
/** At most this many names in one Twalk (MAXWELEM). */
export const MAXWELEM = 16;
export const V9FS_MAGIC = 0x01021997;

export const T = {
  statfs: 8,
  lopen: 12,
  lcreate: 14,
  symlink: 16,
  mknod: 18,
  rename: 20,
  readlink: 22,
  getattr: 24,
  setattr: 26,
  xattrwalk: 30,
  xattrcreate: 32,
  readdir: 40,
  fsync: 50,
  lock: 52,
  getlock: 54,
  link: 70,
  mkdir: 72,
  renameat: 74,
  unlinkat: 76,
  version: 100,
  auth: 102,
  attach: 104,
  flush: 108,
  walk: 110,
  read: 116,
  write: 118,
  clunk: 120,
  remove: 122,
} as const;
export const RLERROR = 7;

/** Qid types. */
export const QTDIR = 0x80;
export const QTSYMLINK = 0x02;
export const QTFILE = 0x00;

/** Tgetattr request_mask / Rgetattr valid bits. */
export const GETATTR_BASIC = 0x7ff;

/** Tsetattr valid bits. */
export const SETATTR = {
  mode: 0x1,
  uid: 0x2,
  gid: 0x4,
  size: 0x8,
  atime: 0x10,
  mtime: 0x20,
  ctime: 0x40,
  atimeSet: 0x80,
  mtimeSet: 0x100,
} as const;

export const AT_REMOVEDIR = 0x200;

export const LOCK_TYPE_RDLCK = 0;
export const LOCK_TYPE_WRLCK = 1;
export const LOCK_TYPE_UNLCK = 2;
export const LOCK_SUCCESS = 0;
export const LOCK_BLOCKED = 1;
export const LOCK_ERROR = 2;

export interface Qid {
  type: number;
  version: number;
  path: bigint;
}

/** A malformed request: answered with Rlerror(EPROTO). */
export function malformed(what: string): FsError {
  return new FsError(EPROTO, `malformed request: ${what}`);
}

export class PduReader {
  private readonly dv: DataView;
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = HEADER_BYTES,
  ) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
  }

  private need(n: number): number {
    const at = this.pos;
    if (at + n > this.buf.length) throw malformed("message ends early");
    this.pos += n;
    return at;
  }

  u8(): number {
    return this.buf[this.need(1)];
  }
  u16(): number {
    return this.dv.getUint16(this.need(2), true);
  }
  u32(): number {
    return this.dv.getUint32(this.need(4), true);
  }
  u64(): bigint {
    return this.dv.getBigUint64(this.need(8), true);
  }
  /** A u64 that must be a safe integer (offsets, sizes, times). */
  u64n(): number {
    const v = this.u64();
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : Number.POSITIVE_INFINITY;
  }
  /** A string as its raw bytes (a view into the request). */
  str(): Uint8Array {
    const len = this.u16();
    const at = this.need(len);
    return this.buf.subarray(at, at + len);
  }
}

export class PduWriter {
  private buf: Uint8Array;
  private dv: DataView;
  len = HEADER_BYTES;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(Math.max(capacity, HEADER_BYTES));
    this.dv = new DataView(this.buf.buffer);
  }

  private room(n: number): number {
    const at = this.len;
    if (at + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, at + n));
      next.set(this.buf.subarray(0, at));
      this.buf = next;
      this.dv = new DataView(next.buffer);
    }
    this.len += n;
    return at;
  }

  // room() may replace buf and dv: always call it before reading them.
  u8(v: number): this {
    const at = this.room(1);
    this.buf[at] = v;
    return this;
  }
  u16(v: number): this {
    const at = this.room(2);
    this.dv.setUint16(at, v, true);
    return this;
  }
  u32(v: number): this {
    const at = this.room(4);
    this.dv.setUint32(at, v >>> 0, true);
    return this;
  }
  u64(v: bigint | number): this {
    const at = this.room(8);
    this.dv.setBigUint64(at, BigInt.asUintN(64, BigInt(v)), true);
    return this;
  }
  /** Signed 64-bit (times before 1970). */
  i64(v: number): this {
    const at = this.room(8);
    this.dv.setBigInt64(at, BigInt(Math.trunc(v)), true);
    return this;
  }
  str(s: Uint8Array | string): this {
    const b = typeof s === "string" ? new TextEncoder().encode(s) : s;
    this.u16(b.length);
    return this.bytes(b);
  }
  qid(q: Qid): this {
    return this.u8(q.type).u32(q.version).u64(q.path);
  }
  bytes(b: Uint8Array): this {
    const at = this.room(b.length);
    this.buf.set(b, at);
    return this;
  }

  /** Overwrite a u32 written earlier (a count known only at the end). */
  patchU32(at: number, v: number): void {
    this.dv.setUint32(at, v >>> 0, true);
  }

  /** The finished message: header filled in; `trailing` bytes follow it outside this buffer. */
  finish(type: number, tag: number, trailing = 0): Uint8Array {
    this.dv.setUint32(0, this.len + trailing, true);
    this.buf[4] = type;
    this.dv.setUint16(5, tag, true);
    return this.buf.subarray(0, this.len);
  }
}

/** Size in bytes of one Rreaddir entry: qid[13] offset[8] type[1] name[s]. */
export function direntSize(nameBytes: number): number {
  return 13 + 8 + 1 + 2 + nameBytes;
}
