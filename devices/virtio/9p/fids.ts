// The fids of a 9P session: each names a file by its path from the export root (the
// backend resolves it per request, never following links) and may hold an open file.
// Renames rewrite the paths of every fid at or below the renamed name, so fids keep
// naming the same files, as QEMU's server does.
import type { FsFile } from "../../fs/backend.js";
import { EBADF, EINVAL, EMFILE, FsError } from "../../fs/errno.js";
import { NOFID, type Qid } from "./protocol.js";

export interface Fid {
  path: Uint8Array[];
  qid: Qid;
  /** The user the fid was attached as (owner of what it creates). */
  uid: number;
  /** The open file (Tlopen/Tlcreate), or null. */
  file: FsFile | null;
  /** Linux open flags of `file`. */
  flags: number;
}

export function samePath(a: readonly Uint8Array[], b: readonly Uint8Array[], len = b.length): boolean {
  if (a.length < len || b.length < len) return false;
  for (let i = 0; i < len; i++) if (!sameBytes(a[i], b[i])) return false;
  return true;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class FidTable {
  private readonly fids = new Map<number, Fid>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.fids.size;
  }

  /** The fid numbered n; EBADF when the session has none. */
  get(n: number): Fid {
    const f = this.fids.get(n);
    if (!f) throw new FsError(EBADF, `unknown fid ${n}`);
    return f;
  }

  /** Check that n may become a new fid (before any work is done for it). */
  checkFree(n: number): void {
    if (n === NOFID) throw new FsError(EBADF, "NOFID cannot be used as a fid");
    if (this.fids.has(n)) throw new FsError(EINVAL, `fid ${n} is in use`);
    if (this.fids.size >= this.max) throw new FsError(EMFILE, "too many fids");
  }

  set(n: number, fid: Fid): void {
    this.fids.set(n, fid);
  }

  delete(n: number): Fid | undefined {
    const f = this.fids.get(n);
    this.fids.delete(n);
    return f;
  }

  /** The file once at `from` is now at `to`: rewrite the paths at or below it. */
  renamed(from: readonly Uint8Array[], to: readonly Uint8Array[]): void {
    for (const f of this.fids.values()) {
      if (f.path.length >= from.length && samePath(f.path, from, from.length)) {
        f.path = [...to, ...f.path.slice(from.length)];
      }
    }
  }

  values(): IterableIterator<Fid> {
    return this.fids.values();
  }

  entries(): IterableIterator<[number, Fid]> {
    return this.fids.entries();
  }

  clear(): void {
    this.fids.clear();
  }
}
