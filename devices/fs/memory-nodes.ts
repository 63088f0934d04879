// The pieces of the in-memory tree: sparse file contents in fixed chunks (so growth and
// holes cost nothing until written) and directories whose listing cookies stay valid while
// entries come and go.
import type { FsTime } from "./backend.js";

export const CHUNK = 64 * 1024;

/** A name's bytes as a map key (one char per byte: exact for any byte string). */
export function nameKey(name: Uint8Array): string {
  let s = "";
  for (let i = 0; i < name.length; i++) s += String.fromCharCode(name[i]);
  return s;
}

export function keyBytes(key: string): Uint8Array {
  const b = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i++) b[i] = key.charCodeAt(i);
  return b;
}

/** Smallest buffer for a chunk whose bytes end at `end`: a power of two from 64 up to CHUNK. */
export function chunkSize(end: number): number {
  if (end >= CHUNK) return CHUNK;
  let n = 64;
  while (n < end) n *= 2;
  return n;
}

/**
 * Sparse file contents in chunks of up to CHUNK bytes; absent chunks, and bytes past a
 * chunk's buffer, read as zeros. A chunk's buffer grows in powers of two, so a small file
 * costs about its size, not a whole chunk.
 */
export class FileData {
  size = 0;
  readonly chunks = new Map<number, Uint8Array>();
  /** Bytes of chunk buffers held. */
  allocated = 0;

  read(offset: number, dst: Uint8Array): number {
    if (offset >= this.size) return 0;
    const n = Math.min(dst.length, this.size - offset);
    let done = 0;
    while (done < n) {
      const pos = offset + done;
      const ci = Math.floor(pos / CHUNK);
      const co = pos - ci * CHUNK;
      const len = Math.min(CHUNK - co, n - done);
      const chunk = this.chunks.get(ci);
      const have = chunk ? Math.max(0, Math.min(len, chunk.length - co)) : 0;
      if (have > 0) dst.set(chunk!.subarray(co, co + have), done);
      dst.fill(0, done + have, done + len);
      done += len;
    }
    return n;
  }

  /** Bytes of new buffer a write of [offset, offset+len) would allocate. */
  growth(offset: number, len: number): number {
    let grow = 0;
    this.pieces(offset, len, (ci, co, n) => {
      grow += Math.max(0, chunkSize(co + n) - (this.chunks.get(ci)?.length ?? 0));
      return true;
    });
    return grow;
  }

  /** How many of `len` bytes at `offset` can be written with at most `budget` new bytes (whole chunks). */
  fits(offset: number, len: number, budget: number): number {
    let fit = 0;
    this.pieces(offset, len, (ci, co, n) => {
      const grow = Math.max(0, chunkSize(co + n) - (this.chunks.get(ci)?.length ?? 0));
      if (grow > budget) return false;
      budget -= grow;
      fit += n;
      return true;
    });
    return fit;
  }

  write(offset: number, src: Uint8Array): void {
    let done = 0;
    this.pieces(offset, src.length, (ci, co, n) => {
      let chunk = this.chunks.get(ci);
      const need = chunkSize(co + n);
      if (!chunk || chunk.length < need) {
        const grown = new Uint8Array(need);
        if (chunk) grown.set(chunk);
        this.allocated += need - (chunk?.length ?? 0);
        this.chunks.set(ci, (chunk = grown));
      }
      chunk.set(src.subarray(done, done + n), co);
      done += n;
      return true;
    });
    if (offset + src.length > this.size) this.size = offset + src.length;
  }

  /** Set the size; bytes past it are dropped (and read as zeros if the file grows again). */
  truncate(size: number): void {
    if (size < this.size) {
      const keep = Math.ceil(size / CHUNK);
      for (const [ci, c] of [...this.chunks]) {
        if (ci >= keep) {
          this.chunks.delete(ci);
          this.allocated -= c.length;
        }
      }
      const tail = this.chunks.get(keep - 1);
      if (tail && size % CHUNK !== 0) tail.fill(0, size % CHUNK);
    }
    this.size = size;
  }

  /** Put a saved chunk back (memory-image.ts). */
  restoreChunk(ci: number, bytes: Uint8Array): void {
    const chunk = new Uint8Array(chunkSize(bytes.length));
    chunk.set(bytes);
    this.allocated += chunk.length - (this.chunks.get(ci)?.length ?? 0);
    this.chunks.set(ci, chunk);
  }

  private pieces(offset: number, len: number, fn: (ci: number, co: number, n: number) => boolean): void {
    let done = 0;
    while (done < len) {
      const pos = offset + done;
      const ci = Math.floor(pos / CHUNK);
      const co = pos - ci * CHUNK;
      const n = Math.min(CHUNK - co, len - done);
      if (!fn(ci, co, n)) return;
      done += n;
    }
  }
}

interface Slot<N> {
  node: N;
  cookie: number;
}

/**
 * A directory's entries. Each entry gets a cookie from a counter when it is added, and the
 * listing is in cookie order, so a cookie handed out by readdir names the same position
 * however many entries are added or removed later. Cookies 1 and 2 are '.' and '..'.
 */
export class DirTable<N> {
  private readonly slots = new Map<string, Slot<N>>();
  private order: { cookie: number; key: string }[] = [];
  private nextCookie = 3;
  private dead = 0;

  get size(): number {
    return this.slots.size;
  }

  get(key: string): N | undefined {
    return this.slots.get(key)?.node;
  }

  set(key: string, node: N): void {
    if (this.slots.has(key)) this.dead++;
    const cookie = this.nextCookie++;
    this.slots.set(key, { node, cookie });
    this.order.push({ cookie, key });
  }

  delete(key: string): void {
    if (this.slots.delete(key)) this.dead++;
    if (this.dead > 64 && this.dead > this.slots.size) this.compact();
  }

  /** Live entries with a cookie above `cookie`, in cookie order. */
  *after(cookie: number): Generator<{ key: string; node: N; cookie: number }> {
    const order = this.order; // compaction replaces the array, never edits it
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (order[mid].cookie <= cookie) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < order.length; i++) {
      const { cookie: c, key } = order[i];
      const slot = this.slots.get(key);
      if (slot && slot.cookie === c) yield { key, node: slot.node, cookie: c };
    }
  }

  keys(): IterableIterator<string> {
    return this.slots.keys();
  }

  /** The next cookie to hand out (saved with the entries, so restored cookies stay valid). */
  get cookieCounter(): number {
    return this.nextCookie;
  }

  /** Rebuild from saved entries (in cookie order, cookies below `next`). */
  static restore<N>(entries: { key: string; node: N; cookie: number }[], next: number): DirTable<N> {
    const t = new DirTable<N>();
    let last = 2;
    for (const e of entries) {
      if (!(e.cookie > last) || e.cookie >= next || t.slots.has(e.key)) throw new Error("directory entries out of order or repeated");
      t.slots.set(e.key, { node: e.node, cookie: e.cookie });
      t.order.push({ cookie: e.cookie, key: e.key });
      last = e.cookie;
    }
    t.nextCookie = next;
    return t;
  }

  private compact(): void {
    this.order = this.order.filter(({ cookie, key }) => this.slots.get(key)?.cookie === cookie);
    this.dead = 0;
  }
}

export function timeFromMs(ms: number): FsTime {
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: Math.round((ms - sec * 1000) * 1e6) };
}
