// An in-memory tree as bytes and back, for machine snapshots and forks (a share that
// lives in memory has no file to point at, like a memory disk). Everything reachable from
// the root is kept: attributes, hard links, symlinks, sparse contents (holes and all-zero
// chunks cost nothing), inode numbers (qid paths) and each directory's readdir cookies,
// so a guest's listing in progress continues where it was. Files unlinked while open are
// not kept (the 9P session reopens files by name after a restore). Link counts are
// recomputed from the entries, and every name is checked: the bytes are input.
import { S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK, S_IFCHR, S_IFBLK, type FsTime } from "./backend.js";
import { MemoryFs, type MemNode, type MemoryFsOptions } from "./memory-backend.js";
import { CHUNK, DirTable, FileData, keyBytes, nameKey } from "./memory-nodes.js";

const MAGIC = "HVM9PFS1";

export function saveMemoryImage(fs: MemoryFs): Uint8Array {
  const { root, nextIno } = fs.exportTree();
  const order: MemNode[] = [];
  const seen = new Set<MemNode>();
  const queue = [root];
  while (queue.length) {
    const n = queue.shift()!;
    if (seen.has(n)) continue;
    seen.add(n);
    order.push(n);
    if (n.dir) for (const e of n.dir.after(0)) queue.push(e.node);
  }
  const w = new Writer();
  w.ascii(MAGIC).f64(nextIno).u32(order.length);
  for (const n of order) {
    w.f64(n.ino).u32(n.mode).u32(n.uid).u32(n.gid).f64(n.rdev).time(n.atime).time(n.mtime).time(n.ctime).u32(n.version);
    if (n.data) {
      // Each chunk without its trailing zeros; an all-zero chunk is a hole.
      const chunks = [...n.data.chunks.entries()].map(([i, c]) => [i, c.subarray(0, lastNonZero(c) + 1)] as const);
      const kept = chunks.filter(([, c]) => c.length > 0).sort((a, b) => a[0] - b[0]);
      w.f64(n.data.size).u32(kept.length);
      for (const [i, c] of kept) w.u32(i).u32(c.length).bytes(c);
    } else if (n.target) {
      w.u32(n.target.length).bytes(n.target);
    } else if (n.dir) {
      const entries = [...n.dir.after(0)];
      w.f64(n.dir.cookieCounter).u32(entries.length);
      for (const e of entries) {
        const name = keyBytes(e.key);
        w.f64(e.cookie).u32(name.length).bytes(name).f64(e.node.ino);
      }
    }
  }
  return w.finish();
}

/** A MemoryFs holding the image's tree (options as for new MemoryFs; limits apply). */
export function loadMemoryImage(bytes: Uint8Array, opts: MemoryFsOptions = {}): MemoryFs {
  const r = new Reader(bytes);
  if (r.ascii(MAGIC.length) !== MAGIC) throw r.bad("not a memory file-system image");
  const nextIno = r.int();
  const count = r.u32();
  const nodes = new Map<number, MemNode>();
  const pending: { dir: MemNode; entries: { key: string; ino: number; cookie: number }[]; next: number }[] = [];
  for (let i = 0; i < count; i++) {
    const n: MemNode = {
      ino: r.int(), mode: r.u32(), uid: r.u32(), gid: r.u32(), nlink: 0, rdev: r.int(),
      atime: r.time(), mtime: r.time(), ctime: r.time(), version: r.u32(), opens: 0,
    };
    if (nodes.has(n.ino) || n.ino < 1 || n.ino >= nextIno) throw r.bad(`inode ${n.ino} repeated or out of range`);
    nodes.set(n.ino, n);
    switch (n.mode & S_IFMT) {
      case S_IFREG: {
        n.data = new FileData();
        n.data.size = r.int();
        const chunks = r.u32();
        for (let c = 0; c < chunks; c++) {
          const idx = r.u32();
          const len = r.u32();
          if (idx * CHUNK + len > n.data.size || n.data.chunks.has(idx) || len === 0 || len > CHUNK) throw r.bad("file chunk out of place");
          n.data.restoreChunk(idx, r.bytes(len));
        }
        break;
      }
      case S_IFLNK:
        n.target = r.bytes(r.u32()).slice();
        if (n.target.length === 0 || n.target.includes(0)) throw r.bad("symlink target");
        break;
      case S_IFDIR: {
        const next = r.int();
        const entries: { key: string; ino: number; cookie: number }[] = [];
        const m = r.u32();
        for (let e = 0; e < m; e++) {
          const cookie = r.int();
          const name = r.bytes(r.u32());
          checkName(name, r);
          entries.push({ key: nameKey(name), cookie, ino: r.int() });
        }
        pending.push({ dir: n, entries, next });
        break;
      }
      case S_IFIFO:
      case S_IFSOCK:
      case S_IFCHR:
      case S_IFBLK:
        break;
      default:
        throw r.bad(`inode ${n.ino} has no file type`);
    }
  }
  if (!r.done) throw r.bad("trailing bytes");
  const root = nodes.get(pending[0]?.dir.ino ?? -1);
  if (!root || count === 0 || [...nodes.values()][0] !== root) throw r.bad("the first inode must be the root directory");
  root.nlink = 2;
  for (const { dir, entries, next } of pending) {
    const linked = entries.map((e) => {
      const child = nodes.get(e.ino);
      if (!child || child === root) throw r.bad(`entry for inode ${e.ino} that is not there`);
      if ((child.mode & S_IFMT) === S_IFDIR) {
        if (child.parent) throw r.bad(`directory ${e.ino} linked twice`);
        child.parent = dir;
        child.nlink += 2;
        dir.nlink++;
      } else {
        child.nlink++;
      }
      return { key: e.key, node: child, cookie: e.cookie };
    });
    try {
      dir.dir = DirTable.restore(linked, next);
    } catch (e) {
      throw r.bad((e as Error).message);
    }
  }
  const fs = new MemoryFs(opts);
  fs.importTree(root, nextIno);
  return fs;
}

function lastNonZero(b: Uint8Array): number {
  let i = b.length - 1;
  while (i >= 0 && b[i] === 0) i--;
  return i;
}

function checkName(name: Uint8Array, r: Reader): void {
  const dots = name.length <= 2 && name.every((b) => b === 0x2e);
  if (name.length === 0 || name.length > 255 || dots || name.includes(0x2f) || name.includes(0)) throw r.bad("invalid name");
}

class Writer {
  private buf = new Uint8Array(1 << 16);
  private dv = new DataView(this.buf.buffer);
  private len = 0;
  private room(n: number): number {
    if (this.len + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
      this.dv = new DataView(next.buffer);
    }
    const at = this.len;
    this.len += n;
    return at;
  }
  u32(v: number): this {
    const at = this.room(4);
    this.dv.setUint32(at, v >>> 0, true);
    return this;
  }
  f64(v: number): this {
    const at = this.room(8);
    this.dv.setFloat64(at, v, true);
    return this;
  }
  time(t: FsTime): this {
    return this.f64(t.sec).u32(t.nsec);
  }
  bytes(b: Uint8Array): this {
    const at = this.room(b.length);
    this.buf.set(b, at);
    return this;
  }
  ascii(s: string): this {
    return this.bytes(Uint8Array.from(s, (c) => c.charCodeAt(0)));
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

class Reader {
  private readonly dv: DataView;
  private pos = 0;
  constructor(private readonly b: Uint8Array) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  bad(why: string): Error {
    return new Error(`bad memory file-system image: ${why} (at byte ${this.pos})`);
  }
  private need(n: number): number {
    if (n < 0 || this.pos + n > this.b.length) throw this.bad("ends early");
    const at = this.pos;
    this.pos += n;
    return at;
  }
  u32(): number {
    return this.dv.getUint32(this.need(4), true);
  }
  /** A non-negative safe integer stored as a double. */
  int(): number {
    const v = this.dv.getFloat64(this.need(8), true);
    if (!Number.isSafeInteger(v) || v < 0) throw this.bad("not a non-negative integer");
    return v;
  }
  time(): FsTime {
    const sec = this.dv.getFloat64(this.need(8), true);
    const nsec = this.u32();
    if (!Number.isSafeInteger(sec) || nsec >= 1e9) throw this.bad("time");
    return { sec, nsec };
  }
  bytes(n: number): Uint8Array {
    const at = this.need(n);
    return this.b.subarray(at, at + n);
  }
  ascii(n: number): string {
    return String.fromCharCode(...this.bytes(n));
  }
  get done(): boolean {
    return this.pos === this.b.length;
  }
}
