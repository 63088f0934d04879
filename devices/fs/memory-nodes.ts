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

/** Sparse file contents; absent chunks read as zeros. */
export class FileData {
  size = 0;
  readonly chunks = new Map<number, Uint8Array>();

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
      if (chunk) dst.set(chunk.subarray(co, co + len), done);
      else dst.fill(0, done, done + len);
      done += len;
    }
    return n;
  }

  /** How many of the chunks [offset, offset+len) would touch are not allocated yet. */
  missingChunks(offset: number, len: number): number {
    if (len === 0) return 0;
    let missing = 0;
    const last = Math.floor((offset + len - 1) / CHUNK);
    for (let ci = Math.floor(offset / CHUNK); ci <= last; ci++) if (!this.chunks.has(ci)) missing++;
    return missing;
  }

  write(offset: number, src: Uint8Array): void {
    let done = 0;
    while (done < src.length) {
      const pos = offset + done;
      const ci = Math.floor(pos / CHUNK);
      const co = pos - ci * CHUNK;
      const len = Math.min(CHUNK - co, src.length - done);
      let chunk = this.chunks.get(ci);
      if (!chunk) this.chunks.set(ci, (chunk = new Uint8Array(CHUNK)));
      chunk.set(src.subarray(done, done + len), co);
      done += len;
    }
    if (offset + src.length > this.size) this.size = offset + src.length;
  }

  /** Set the size; bytes past it are dropped (and read as zeros if the file grows again). */
  truncate(size: number): void {
    if (size < this.size) {
      const keep = Math.ceil(size / CHUNK);
      for (const ci of [...this.chunks.keys()]) if (ci >= keep) this.chunks.delete(ci);
      const tail = this.chunks.get(keep - 1);
      if (tail && size % CHUNK !== 0) tail.fill(0, size % CHUNK);
    }
    this.size = size;
  }

  get allocated(): number {
    return this.chunks.size * CHUNK;
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

  private compact(): void {
    this.order = this.order.filter(({ cookie, key }) => this.slots.get(key)?.cookie === cookie);
    this.dead = 0;
  }
}

export function timeFromMs(ms: number): FsTime {
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: Math.round((ms - sec * 1000) * 1e6) };
}
