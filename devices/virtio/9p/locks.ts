// POSIX byte-range locks as 9P2000.L's Tlock/Tgetlock describe them: owned by
// (client_id, proc_id), read locks shared, write locks exclusive, an owner's ranges split
// where a new lock or an unlock covers part of them, as fcntl(F_SETLK) does. The Linux
// client already serialises the locks of its own processes; this table makes the answers
// right for any client and drops a fid's locks when the fid is clunked.
import { LOCK_BLOCKED, LOCK_ERROR, LOCK_SUCCESS, LOCK_TYPE_UNLCK, LOCK_TYPE_WRLCK } from "./protocol.js";

export interface LockRange {
  type: number;
  start: bigint;
  /** Exclusive end; TO_EOF for "to end of file" (length 0). */
  end: bigint;
  procId: number;
  clientId: string;
}

/** The end of a lock with length 0: past any offset. */
export const TO_EOF = 1n << 64n;

interface Held extends LockRange {
  fid: number;
}

const sameOwner = (a: LockRange, b: LockRange): boolean => a.procId === b.procId && a.clientId === b.clientId;
const overlaps = (a: LockRange, b: LockRange): boolean => a.start < b.end && b.start < a.end;

export class LockTable {
  private readonly files = new Map<string, Held[]>();
  private count = 0;
  /** Fids that took a lock since they were last dropped (clunks of the others cost nothing). */
  private readonly lockingFids = new Set<number>();

  constructor(private readonly max = 4096) {}

  /** The first lock of another owner that stops `want` (of type read or write), if any. */
  conflict(file: string, want: LockRange): LockRange | undefined {
    for (const h of this.files.get(file) ?? []) {
      if (!sameOwner(h, want) && overlaps(h, want) && (want.type === LOCK_TYPE_WRLCK || h.type === LOCK_TYPE_WRLCK)) return h;
    }
    return undefined;
  }

  /** Set or clear a lock; returns a Rlock status. */
  set(file: string, want: LockRange, fid: number): number {
    if (want.start >= want.end) return LOCK_SUCCESS;
    if (want.type !== LOCK_TYPE_UNLCK && this.conflict(file, want)) return LOCK_BLOCKED;
    const before = this.files.get(file) ?? [];
    const next: Held[] = [];
    for (const h of before) {
      if (!sameOwner(h, want) || !overlaps(h, want)) {
        next.push(h);
        continue;
      }
      if (h.start < want.start) next.push({ ...h, end: want.start });
      if (h.end > want.end) next.push({ ...h, start: want.end });
    }
    if (want.type !== LOCK_TYPE_UNLCK) {
      next.push({ ...want, fid });
      this.lockingFids.add(fid);
    }
    const grown = next.length - before.length;
    if (grown > 0 && this.count + grown > this.max) return LOCK_ERROR;
    this.count += grown;
    if (next.length) this.files.set(file, next);
    else this.files.delete(file);
    return LOCK_SUCCESS;
  }

  /** Forget the locks taken through a fid (it was clunked). */
  dropFid(fid: number): void {
    if (!this.lockingFids.delete(fid)) return;
    for (const [file, list] of this.files) {
      const kept = list.filter((h) => h.fid !== fid);
      this.count -= list.length - kept.length;
      if (kept.length) this.files.set(file, kept);
      else this.files.delete(file);
    }
  }

  clear(): void {
    this.files.clear();
    this.lockingFids.clear();
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }
}
