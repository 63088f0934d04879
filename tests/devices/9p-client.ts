// A 9P2000.L client for tests: encodes requests by hand (independently of the server's
// codec), puts them on the virtio-9p device's queue through the virtio-mmio transport
// (TestDriver), and decodes replies. Buffers can be split into several descriptors, as
// Linux's zero-copy path does (11-byte reply header, then data pages).
import { VirtioP9, type VirtioP9Options } from "../../devices/virtio/9p/device.js";
import { DESC_F_INDIRECT, DESC_F_NEXT, DESC_F_WRITE, RAM_BASE, RAM_SIZE, TestDriver } from "./virtio-driver.js";

export const Tmsg = {
  statfs: 8, lopen: 12, lcreate: 14, symlink: 16, mknod: 18, rename: 20, readlink: 22, getattr: 24, setattr: 26,
  xattrwalk: 30, xattrcreate: 32, readdir: 40, fsync: 50, lock: 52, getlock: 54, link: 70, mkdir: 72, renameat: 74,
  unlinkat: 76, version: 100, auth: 102, attach: 104, flush: 108, walk: 110, read: 116, write: 118, clunk: 120, remove: 122,
} as const;
export const RLERROR = 7;

export const O = { RDONLY: 0, WRONLY: 1, RDWR: 2, CREAT: 0o100, EXCL: 0o200, TRUNC: 0o1000, APPEND: 0o2000, DIRECTORY: 0o200000, LARGEFILE: 0o100000 };
export const S = { IFDIR: 0o040000, IFREG: 0o100000, IFLNK: 0o120000, IFIFO: 0o010000, IFCHR: 0o020000, IFBLK: 0o060000, IFSOCK: 0o140000 };
export const SETATTR = { mode: 1, uid: 2, gid: 4, size: 8, atime: 0x10, mtime: 0x20, ctime: 0x40, atimeSet: 0x80, mtimeSet: 0x100 };
export const NOFID = 0xffff_ffff;

const enc = new TextEncoder();
const dec = new TextDecoder();
const bytesOf = (s: string | Uint8Array): Uint8Array => (typeof s === "string" ? enc.encode(s) : s);

export class P9Error extends Error {
  constructor(
    readonly errno: number,
    readonly op: string,
  ) {
    super(`${op}: Rlerror ${errno}`);
  }
}

export class Enc {
  private buf = new Uint8Array(256);
  private len = 0;
  private room(n: number): number {
    if (this.len + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    const at = this.len;
    this.len += n;
    return at;
  }
  u8(v: number): this {
    const at = this.room(1); // before reading this.buf: room() may replace it
    this.buf[at] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  u64(v: bigint | number): this {
    const x = BigInt.asUintN(64, BigInt(v));
    return this.u32(Number(x & 0xffff_ffffn)).u32(Number(x >> 32n));
  }
  str(s: string | Uint8Array): this {
    const b = bytesOf(s);
    this.u16(b.length);
    return this.raw(b);
  }
  raw(b: Uint8Array): this {
    const at = this.room(b.length);
    this.buf.set(b, at);
    return this;
  }
  message(type: number, tag: number): Uint8Array {
    const out = new Uint8Array(7 + this.len);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, out.length, true);
    out[4] = type;
    dv.setUint16(5, tag, true);
    out.set(this.buf.subarray(0, this.len), 7);
    return out;
  }
}

export class Dec {
  private readonly dv: DataView;
  pos = 7;
  constructor(readonly b: Uint8Array) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  get size(): number {
    return this.dv.getUint32(0, true);
  }
  get type(): number {
    return this.b[4];
  }
  get tag(): number {
    return this.dv.getUint16(5, true);
  }
  u8(): number {
    return this.b[this.pos++];
  }
  u16(): number {
    const v = this.dv.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(): bigint {
    const v = this.dv.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }
  n64(): number {
    return Number(this.u64());
  }
  bytes(n: number): Uint8Array {
    const v = this.b.slice(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  str(): Uint8Array {
    return this.bytes(this.u16());
  }
  string(): string {
    return dec.decode(this.str());
  }
  qid(): Qid {
    return { type: this.u8(), version: this.u32(), path: this.u64() };
  }
  get done(): boolean {
    return this.pos === this.b.length;
  }
}

export interface Qid {
  type: number;
  version: number;
  path: bigint;
}

export interface Attr {
  valid: bigint;
  qid: Qid;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  atime: [number, number];
  mtime: [number, number];
  ctime: [number, number];
}

export interface Dirent {
  qid: Qid;
  offset: bigint;
  type: number;
  name: string;
}

export interface RpcOpts {
  /** Reply buffer size (default: the negotiated msize). */
  replyLen?: number;
  /** Split the request into descriptors of these sizes (the last takes the rest). */
  reqSplit?: number[];
  /** Split the reply buffer likewise. */
  replySplit?: number[];
  indirect?: boolean;
}

const INDIRECT_AREA = RAM_BASE + 0x8000; // after the rings TestDriver lays out, before its heap
const INDIRECT_END = RAM_BASE + 0x1_0000;
const REQ_AREA = RAM_BASE + 0x1_0000;
const REPLY_AREA = RAM_BASE + 0x10_0000;
const AREA_END = RAM_BASE + RAM_SIZE;

export class P9Client {
  readonly d: TestDriver;
  readonly dev: VirtioP9;
  msize = 8192;
  private nextTag = 1;

  constructor(dev: VirtioP9 | VirtioP9Options) {
    this.dev = dev instanceof VirtioP9 ? dev : new VirtioP9(dev);
    this.d = new TestDriver(this.dev);
    if (this.d.init() === null) throw new Error("virtio-9p refused the features");
  }

  /** Put raw request bytes on the queue; returns the bytes the device wrote back. */
  raw(req: Uint8Array, replyLen: number, opts: RpcOpts = {}): Uint8Array {
    const bufs: { addr: number; len: number; write?: boolean }[] = [];
    place(req.length, REQ_AREA, REPLY_AREA, opts.reqSplit, (addr, off, len) => {
      this.d.mem(addr, len).set(req.subarray(off, off + len));
      bufs.push({ addr, len });
    });
    const replyAt: { addr: number; len: number }[] = [];
    place(replyLen, REPLY_AREA, AREA_END, opts.replySplit, (addr, _off, len) => {
      this.d.mem(addr, Math.min(len, 4096)).fill(0xee); // enough to catch a reply that was not written
      replyAt.push({ addr, len });
      bufs.push({ addr, len, write: true });
    });
    const head = opts.indirect ? this.indirectChain(bufs) : this.d.chain(bufs);
    this.d.publish(head);
    this.d.notify();
    const used = this.d.takeUsed();
    if (used.length !== 1 || used[0].id !== head) throw new Error(`expected one used chain ${head}, got ${JSON.stringify(used)} (logs: ${this.d.logs.join("; ")})`);
    const out = new Uint8Array(used[0].len);
    let pos = 0;
    for (const r of replyAt) {
      if (pos >= out.length) break;
      const n = Math.min(r.len, out.length - pos);
      out.set(this.d.mem(r.addr, n), pos);
      pos += n;
    }
    return out;
  }

  /**
   * An indirect chain whose table lives below the TestDriver's heap (its chain() would put
   * the table where our request bytes are). Requests complete synchronously, so
   * descriptor 0 is free to be the head every time.
   */
  private indirectChain(bufs: { addr: number; len: number; write?: boolean }[]): number {
    if (16 * bufs.length > INDIRECT_END - INDIRECT_AREA) throw new Error("indirect table too large for the test area");
    bufs.forEach((b, i) => {
      const last = i === bufs.length - 1;
      this.d.writeDesc(INDIRECT_AREA, i, b.addr, b.len, (b.write ? DESC_F_WRITE : 0) | (last ? 0 : DESC_F_NEXT), last ? 0 : i + 1);
    });
    this.d.writeDesc(this.d.desc, 0, INDIRECT_AREA, 16 * bufs.length, DESC_F_INDIRECT, 0);
    return 0;
  }

  rpc(type: number, body: Enc, opts: RpcOpts = {}, name = `T${type}`): Dec {
    const tag = this.nextTag;
    this.nextTag = (this.nextTag % 0xfffe) + 1;
    const reply = new Dec(this.raw(body.message(type, tag), opts.replyLen ?? this.msize, opts));
    if (reply.b.length < 7 || reply.size !== reply.b.length) throw new Error(`${name}: reply size ${reply.b.length} vs header ${reply.size}`);
    if (reply.tag !== tag) throw new Error(`${name}: reply tag ${reply.tag}, sent ${tag}`);
    if (reply.type === RLERROR) throw new P9Error(reply.u32(), name);
    if (reply.type !== type + 1) throw new Error(`${name}: reply type ${reply.type}`);
    return reply;
  }

  // ---- messages ----

  version(msize = 131072, version = "9P2000.L"): { msize: number; version: string } {
    const r = this.rpc(Tmsg.version, new Enc().u32(msize).str(version), { replyLen: 64 }, "Tversion");
    const out = { msize: r.u32(), version: r.string() };
    if (out.version === "9P2000.L") this.msize = out.msize;
    return out;
  }

  attach(fid: number, opts: { uname?: string; aname?: string; nUname?: number; afid?: number } = {}): Qid {
    const e = new Enc().u32(fid).u32(opts.afid ?? NOFID).str(opts.uname ?? "root").str(opts.aname ?? "").u32(opts.nUname ?? 0);
    return this.rpc(Tmsg.attach, e, {}, "Tattach").qid();
  }

  /** Tversion + Tattach as fid 0. */
  mount(msize = 131072): Qid {
    this.version(msize);
    return this.attach(0);
  }

  walk(fid: number, newfid: number, names: (string | Uint8Array)[]): Qid[] {
    const e = new Enc().u32(fid).u32(newfid).u16(names.length);
    for (const n of names) e.str(n);
    const r = this.rpc(Tmsg.walk, e, {}, "Twalk");
    const n = r.u16();
    return Array.from({ length: n }, () => r.qid());
  }

  lopen(fid: number, flags: number): { qid: Qid; iounit: number } {
    const r = this.rpc(Tmsg.lopen, new Enc().u32(fid).u32(flags), {}, "Tlopen");
    return { qid: r.qid(), iounit: r.u32() };
  }

  lcreate(fid: number, name: string | Uint8Array, flags: number, mode: number, gid = 0): { qid: Qid; iounit: number } {
    const r = this.rpc(Tmsg.lcreate, new Enc().u32(fid).str(name).u32(flags).u32(mode).u32(gid), {}, "Tlcreate");
    return { qid: r.qid(), iounit: r.u32() };
  }

  read(fid: number, offset: number | bigint, count: number, opts: RpcOpts = {}): Uint8Array {
    const r = this.rpc(Tmsg.read, new Enc().u32(fid).u64(offset).u32(count), opts, "Tread");
    const n = r.u32();
    if (r.b.length !== 11 + n) throw new Error(`Rread count ${n} with ${r.b.length - 11} bytes`);
    return r.bytes(n);
  }

  write(fid: number, offset: number | bigint, data: Uint8Array, opts: RpcOpts = {}, count = data.length): number {
    return this.rpc(Tmsg.write, new Enc().u32(fid).u64(offset).u32(count).raw(data), opts, "Twrite").u32();
  }

  clunk(fid: number): void {
    this.rpc(Tmsg.clunk, new Enc().u32(fid), {}, "Tclunk");
  }

  remove(fid: number): void {
    this.rpc(Tmsg.remove, new Enc().u32(fid), {}, "Tremove");
  }

  readdir(fid: number, offset: bigint | number, count: number, opts: RpcOpts = {}): Dirent[] {
    const r = this.rpc(Tmsg.readdir, new Enc().u32(fid).u64(offset).u32(count), opts, "Treaddir");
    const n = r.u32();
    if (r.b.length !== 11 + n) throw new Error(`Rreaddir count ${n} with ${r.b.length - 11} bytes`);
    const out: Dirent[] = [];
    while (!r.done) out.push({ qid: r.qid(), offset: r.u64(), type: r.u8(), name: r.string() });
    return out;
  }

  /** Every entry of an open directory, continuing from each batch's last offset. */
  readdirAll(fid: number, count = this.msize - 24): Dirent[] {
    const all: Dirent[] = [];
    let off = 0n;
    for (;;) {
      const batch = this.readdir(fid, off, count);
      if (batch.length === 0) return all;
      all.push(...batch);
      off = batch[batch.length - 1].offset;
    }
  }

  getattr(fid: number, mask: bigint = 0x3fffn): Attr {
    const r = this.rpc(Tmsg.getattr, new Enc().u32(fid).u64(mask), {}, "Tgetattr");
    const a: Attr = {
      valid: r.u64(), qid: r.qid(), mode: r.u32(), uid: r.u32(), gid: r.u32(), nlink: r.n64(), rdev: r.n64(), size: r.n64(),
      blksize: r.n64(), blocks: r.n64(),
      atime: [Number(BigInt.asIntN(64, r.u64())), r.n64()],
      mtime: [Number(BigInt.asIntN(64, r.u64())), r.n64()],
      ctime: [Number(BigInt.asIntN(64, r.u64())), r.n64()],
    };
    r.u64(); r.u64(); r.u64(); r.u64(); // btime, gen, data_version
    if (!r.done) throw new Error("Rgetattr has trailing bytes");
    return a;
  }

  setattr(fid: number, s: { valid: number; mode?: number; uid?: number; gid?: number; size?: number | bigint; atime?: [number, number]; mtime?: [number, number] }): void {
    const e = new Enc().u32(fid).u32(s.valid).u32(s.mode ?? 0).u32(s.uid ?? 0).u32(s.gid ?? 0).u64(s.size ?? 0);
    e.u64(s.atime?.[0] ?? 0).u64(s.atime?.[1] ?? 0).u64(s.mtime?.[0] ?? 0).u64(s.mtime?.[1] ?? 0);
    this.rpc(Tmsg.setattr, e, {}, "Tsetattr");
  }

  statfs(fid: number) {
    const r = this.rpc(Tmsg.statfs, new Enc().u32(fid), {}, "Tstatfs");
    return { type: r.u32(), bsize: r.u32(), blocks: r.n64(), bfree: r.n64(), bavail: r.n64(), files: r.n64(), ffree: r.n64(), fsid: r.u64(), namelen: r.u32() };
  }

  mkdir(dfid: number, name: string | Uint8Array, mode = 0o755, gid = 0): Qid {
    return this.rpc(Tmsg.mkdir, new Enc().u32(dfid).str(name).u32(mode).u32(gid), {}, "Tmkdir").qid();
  }

  symlink(dfid: number, name: string | Uint8Array, target: string | Uint8Array, gid = 0): Qid {
    return this.rpc(Tmsg.symlink, new Enc().u32(dfid).str(name).str(target).u32(gid), {}, "Tsymlink").qid();
  }

  mknod(dfid: number, name: string, mode: number, major = 0, minor = 0, gid = 0): Qid {
    return this.rpc(Tmsg.mknod, new Enc().u32(dfid).str(name).u32(mode).u32(major).u32(minor).u32(gid), {}, "Tmknod").qid();
  }

  readlink(fid: number): string {
    return this.rpc(Tmsg.readlink, new Enc().u32(fid), {}, "Treadlink").string();
  }

  rename(fid: number, dfid: number, name: string): void {
    this.rpc(Tmsg.rename, new Enc().u32(fid).u32(dfid).str(name), {}, "Trename");
  }

  renameat(olddir: number, oldname: string, newdir: number, newname: string): void {
    this.rpc(Tmsg.renameat, new Enc().u32(olddir).str(oldname).u32(newdir).str(newname), {}, "Trenameat");
  }

  unlinkat(dirfid: number, name: string | Uint8Array, flags = 0): void {
    this.rpc(Tmsg.unlinkat, new Enc().u32(dirfid).str(name).u32(flags), {}, "Tunlinkat");
  }

  link(dfid: number, fid: number, name: string): void {
    this.rpc(Tmsg.link, new Enc().u32(dfid).u32(fid).str(name), {}, "Tlink");
  }

  fsync(fid: number, datasync = 0): void {
    this.rpc(Tmsg.fsync, new Enc().u32(fid).u32(datasync), {}, "Tfsync");
  }

  lock(fid: number, l: { type: number; flags?: number; start: number; length: number; procId: number; clientId?: string }): number {
    const e = new Enc().u32(fid).u8(l.type).u32(l.flags ?? 0).u64(l.start).u64(l.length).u32(l.procId).str(l.clientId ?? "guest");
    return this.rpc(Tmsg.lock, e, {}, "Tlock").u8();
  }

  getlock(fid: number, l: { type: number; start: number; length: number; procId: number; clientId?: string }) {
    const e = new Enc().u32(fid).u8(l.type).u64(l.start).u64(l.length).u32(l.procId).str(l.clientId ?? "guest");
    const r = this.rpc(Tmsg.getlock, e, {}, "Tgetlock");
    return { type: r.u8(), start: r.n64(), length: r.n64(), procId: r.u32(), clientId: r.string() };
  }

  flush(oldtag: number): void {
    this.rpc(Tmsg.flush, new Enc().u16(oldtag), {}, "Tflush");
  }

  xattrwalk(fid: number, newfid: number, name: string): bigint {
    return this.rpc(Tmsg.xattrwalk, new Enc().u32(fid).u32(newfid).str(name), {}, "Txattrwalk").u64();
  }

  // ---- conveniences ----

  /** Walk from the root fid (0) to `path` ('/'-separated) as newfid. */
  walkTo(newfid: number, path: string): Qid[] {
    const names = path.split("/").filter((p) => p !== "");
    const qids = this.walk(0, newfid, names);
    if (qids.length !== names.length) throw new P9Error(2, `walk to ${path} stopped after ${qids.length}`);
    return qids;
  }

  /** Walk to path and open it. */
  open(newfid: number, path: string, flags: number): { qid: Qid; iounit: number } {
    this.walkTo(newfid, path);
    return this.lopen(newfid, flags);
  }

  /** Whole contents of path (walk, open, read until EOF, clunk) through a scratch fid. */
  readFile(path: string, fid = 9999): Uint8Array {
    this.open(fid, path, O.RDONLY);
    try {
      const parts: Uint8Array[] = [];
      let off = 0;
      for (;;) {
        const b = this.read(fid, off, this.msize - 24);
        if (b.length === 0) break;
        parts.push(b);
        off += b.length;
      }
      const out = new Uint8Array(off);
      let p = 0;
      for (const b of parts) {
        out.set(b, p);
        p += b.length;
      }
      return out;
    } finally {
      this.clunk(fid);
    }
  }
}

/** The errno an operation fails with, or 0 when it succeeds. */
export function errnoOf(fn: () => unknown): number {
  try {
    fn();
    return 0;
  } catch (e) {
    if (e instanceof P9Error) return e.errno;
    throw e;
  }
}

/** Lay `total` bytes out in [from, to) as segments (of `split` sizes, then the rest), 64 bytes apart. */
function place(total: number, from: number, to: number, split: number[] | undefined, put: (addr: number, off: number, len: number) => void): void {
  const sizes: number[] = [];
  let left = total;
  for (const s of split ?? []) {
    if (left <= 0) break;
    const n = Math.min(s, left);
    sizes.push(n);
    left -= n;
  }
  if (left > 0) sizes.push(left);
  let addr = from;
  let off = 0;
  for (const n of sizes) {
    if (addr + n > to) throw new Error(`test buffers do not fit: ${total} bytes in 0x${(to - from).toString(16)}`);
    put(addr, off, n);
    off += n;
    addr += ((n + 63) & ~63) + 64;
  }
}
