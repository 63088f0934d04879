// Reaching a name inside the shared host directory without ever following a symbolic
// link, and turning host results into the backend's Linux terms.
//
// Two ways, chosen once per share:
// - anchored (Linux with /proc, Node): every directory on the way is opened with
//   O_PATH|O_DIRECTORY|O_NOFOLLOW relative to the previous one's descriptor, through
//   /proc/self/fd/N/NAME (openat(2) by another name, which node:fs lacks). A component that
//   is a symlink fails with ENOTDIR, and once a directory is open, renames or symlink
//   swaps of its ancestors by any process cannot redirect the operation elsewhere.
// - checked paths (elsewhere, e.g. Deno whose node:fs numbers are not OS descriptors):
//   each directory on the way is lstat()ed and must be a real directory, then the full
//   path is used. The guest cannot race this (requests are served one at a time), but a
//   host process that swaps a checked directory for a symlink in between can redirect one
//   operation.
// In both, the last component is used with calls that do not follow it (lstat, unlink,
// rename, O_NOFOLLOW, lchown, lutimes, readlink).
import * as fs from "node:fs";
import { Buffer } from "node:buffer";
import type { FsAttr, FsPath, FsTime } from "../../devices/fs/backend.js";
import * as E from "../../devices/fs/errno.js";

/** O_PATH on Linux (all but alpha, parisc and sparc): an fd that names without opening. */
export const O_PATH = 0o10000000;
const C = fs.constants;

/** A directory reached safely, and names inside it. */
export interface DirRef {
  /** A path naming `name` inside this directory (the name itself is not followed by lstat etc.). */
  child(name: Uint8Array): Buffer;
  /** A path naming the directory itself (follows to it). */
  self(): Buffer;
  release(): void;
}

export class Resolver {
  readonly anchored: boolean;
  private readonly rootFd: number;

  constructor(
    readonly rootPath: string,
    forceChecked = false,
  ) {
    this.rootFd = fs.openSync(rootPath, C.O_RDONLY | C.O_DIRECTORY);
    this.anchored = !forceChecked && this.probeAnchored();
  }

  /** The directory named by `path` (every component a real directory). */
  dir(path: FsPath): DirRef {
    return this.anchored ? this.anchoredDir(path) : this.checkedDir(path);
  }

  /** Run fn with the directory `path` names, releasing it afterwards. */
  inDir<T>(path: FsPath, fn: (d: DirRef) => T): T {
    const d = this.dir(path);
    try {
      return fn(d);
    } finally {
      d.release();
    }
  }

  /** Run fn with the parent directory of `path` and its last name (path must not be empty). */
  atParent<T>(path: FsPath, fn: (d: DirRef, name: Uint8Array) => T): T {
    return this.inDir(path.slice(0, -1), (d) => fn(d, path[path.length - 1]));
  }

  /** A path through a descriptor to the object it refers to (anchored mode only). */
  fdPath(fd: number): string {
    return `/proc/self/fd/${fd}`;
  }

  close(): void {
    fs.closeSync(this.rootFd);
  }

  private probeAnchored(): boolean {
    if (process.platform !== "linux") return false;
    let fd = -1;
    try {
      // Both our own directory and a second descriptor must be seen through /proc as the
      // same inodes fstat reports: the numbers are real descriptors and /proc is there.
      const root = fs.fstatSync(this.rootFd);
      const viaProc = fs.statSync(this.fdPath(this.rootFd));
      if (root.ino !== viaProc.ino || root.dev !== viaProc.dev) return false;
      fd = fs.openSync(`${this.fdPath(this.rootFd)}/.`, O_PATH | C.O_DIRECTORY | C.O_NOFOLLOW);
      const again = fs.fstatSync(fd);
      return again.ino === root.ino && again.dev === root.dev;
    } catch {
      return false;
    } finally {
      if (fd >= 0) fs.closeSync(fd);
    }
  }

  private anchoredDir(path: FsPath): DirRef {
    let fd = this.rootFd;
    try {
      for (const name of path) {
        const next = fs.openSync(joinPath(this.fdPath(fd), name), O_PATH | C.O_DIRECTORY | C.O_NOFOLLOW);
        if (fd !== this.rootFd) fs.closeSync(fd);
        fd = next;
      }
    } catch (e) {
      if (fd !== this.rootFd) fs.closeSync(fd);
      throw hostError(e);
    }
    const own = fd !== this.rootFd;
    const base = this.fdPath(fd);
    return {
      child: (name) => joinPath(base, name),
      self: () => Buffer.from(base),
      release: () => {
        if (own) fs.closeSync(fd);
      },
    };
  }

  private checkedDir(path: FsPath): DirRef {
    let cur: Buffer = Buffer.from(this.rootPath);
    for (const name of path) {
      cur = joinPath(cur, name);
      let st: fs.Stats;
      try {
        st = fs.lstatSync(cur);
      } catch (e) {
        throw hostError(e);
      }
      if (!st.isDirectory()) throw new E.FsError(E.ENOTDIR);
    }
    const base = cur;
    return { child: (name) => joinPath(base, name), self: () => base, release: () => {} };
  }
}

export function joinPath(dir: string | Buffer, name: Uint8Array): Buffer {
  const d = typeof dir === "string" ? Buffer.from(dir) : dir;
  const out = Buffer.allocUnsafe(d.length + 1 + name.length);
  d.copy(out, 0);
  out[d.length] = 0x2f;
  out.set(name, d.length + 1);
  return out;
}

const ERRNO: Record<string, number> = {
  EPERM: E.EPERM, ENOENT: E.ENOENT, EIO: E.EIO, ENXIO: E.ENXIO, EBADF: E.EBADF, EAGAIN: E.EAGAIN,
  EWOULDBLOCK: E.EAGAIN, ENOMEM: E.ENOMEM, EACCES: E.EACCES, EBUSY: E.EBUSY, EEXIST: E.EEXIST,
  EXDEV: E.EXDEV, ENODEV: E.ENODEV, ENOTDIR: E.ENOTDIR, EISDIR: E.EISDIR, EINVAL: E.EINVAL,
  ENFILE: E.ENFILE, EMFILE: E.EMFILE, ETXTBSY: E.ETXTBSY, EFBIG: E.EFBIG, ENOSPC: E.ENOSPC,
  ESPIPE: E.ESPIPE, EROFS: E.EROFS, EMLINK: E.EMLINK, ERANGE: E.ERANGE, ENAMETOOLONG: E.ENAMETOOLONG,
  ENOLCK: E.ENOLCK, ENOSYS: E.ENOSYS, ENOTEMPTY: E.ENOTEMPTY, ELOOP: E.ELOOP, ENODATA: E.ENODATA,
  EOVERFLOW: E.EOVERFLOW, EOPNOTSUPP: E.EOPNOTSUPP, ENOTSUP: E.EOPNOTSUPP, ESTALE: E.ESTALE, EDQUOT: E.EDQUOT,
};

/** A host failure as the Linux errno the guest should see. */
export function hostError(e: unknown): E.FsError {
  if (e instanceof E.FsError) return e;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const errno = code !== undefined ? ERRNO[code] : undefined;
  return new E.FsError(errno ?? E.EIO, e instanceof Error ? e.message : String(e));
}

/** Map node:fs exceptions to FsError. */
export function host<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw hostError(e);
  }
}

const NS = 1_000_000_000n;

function time(ns: bigint): FsTime {
  let sec = ns / NS;
  let nsec = ns % NS;
  if (nsec < 0n) {
    sec -= 1n;
    nsec += NS;
  }
  return { sec: Number(sec), nsec: Number(nsec) };
}

/**
 * qid paths: the inode number, with a small index per (device, top 16 bits of the inode)
 * in the top 16 bits, so files on different file systems under the share never collide.
 */
export class QidPaths {
  private readonly prefixes = new Map<string, bigint>();

  path(dev: bigint, ino: bigint): bigint {
    const key = `${dev}:${ino >> 48n}`;
    let idx = this.prefixes.get(key);
    if (idx === undefined) {
      if (this.prefixes.size >= 0x10000) throw new E.FsError(E.EOVERFLOW, "too many file systems under the share");
      idx = BigInt(this.prefixes.size);
      this.prefixes.set(key, idx);
    }
    return (idx << 48n) | (ino & 0xffff_ffff_ffffn);
  }

  attr(st: fs.BigIntStats): FsAttr {
    return {
      mode: Number(st.mode),
      uid: Number(st.uid),
      gid: Number(st.gid),
      nlink: Number(st.nlink),
      rdev: Number(st.rdev),
      size: Number(st.size),
      blksize: Number(st.blksize),
      blocks: Number(st.blocks),
      atime: time(st.atimeNs),
      mtime: time(st.mtimeNs),
      ctime: time(st.ctimeNs),
      ino: this.path(st.dev, st.ino),
      // As QEMU: changes whenever the file is written or resized.
      version: Number(BigInt.asUintN(32, (st.mtimeNs / NS) ^ (st.size << 8n))),
    };
  }
}
