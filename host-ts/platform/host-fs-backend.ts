// A host directory as a 9P backend (Node, and Deno through its node:fs). Every operation
// stays inside the directory: names are resolved by host-fs-resolve.ts without following
// symbolic links, links are created and read verbatim (the guest's kernel resolves them
// in its own namespace), and only regular files and directories are ever opened.
// Files are owned by the user running hartvm; the guest's uid/gid on create are not
// applied (as QEMU's security_model=none). FIFOs and sockets cannot be created (node:fs
// has no mknod): EPERM. Times set by the guest carry microsecond precision (node:fs takes
// seconds as a double).
import * as fs from "node:fs";
import { Buffer } from "node:buffer";
import {
  O_ACCMODE, O_APPEND, O_DIRECTORY, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY,
  S_IFDIR, S_IFLNK, S_IFMT, S_IFREG,
  type FsAttr, type FsBackend, type FsDirEntry, type FsFile, type FsOwner, type FsPath, type FsSetAttr, type FsStatfs, type FsTime,
} from "../../devices/fs/backend.js";
import * as E from "../../devices/fs/errno.js";
import { host, hostError, joinPath, O_PATH, QidPaths, Resolver } from "./host-fs-resolve.js";

const C = fs.constants;
const DOT = Uint8Array.of(0x2e);
const DOTDOT = Uint8Array.of(0x2e, 0x2e);

export interface HostFsOptions {
  /** Refuse every modification (EROFS), whatever the directory's permissions. */
  readonly?: boolean;
  /** "auto" (default) picks anchored resolution where it works; "checked-paths" forces the portable one. */
  resolution?: "auto" | "checked-paths";
}

export interface HostFsBackend extends FsBackend {
  /** The shared directory (its real path). */
  readonly root: string;
  /** "anchored": safe against host processes racing too; "checked-paths": see host-fs-resolve.ts. */
  readonly resolution: "anchored" | "checked-paths";
  close(): void;
}

/** Share a host directory. Throws with a one-line reason when it is not a usable directory. */
export function openHostFsBackend(dir: string, opts: HostFsOptions = {}): HostFsBackend {
  let root: string;
  try {
    root = fs.realpathSync(dir);
    if (!fs.statSync(root).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such directory" : code === "ENOTDIR" ? "not a directory" : code === "EACCES" ? "permission denied" : (e as Error).message;
    throw new Error(`cannot share ${dir}: ${why}`);
  }
  return new HostFs(root, opts.readonly ?? false, opts.resolution === "checked-paths");
}

/** Linux open(2) flags (as 9P carries them) in this host's numbering. */
function hostFlags(linux: number): number {
  const acc = linux & O_ACCMODE;
  let f = acc === O_WRONLY ? C.O_WRONLY : acc === O_RDWR ? C.O_RDWR : C.O_RDONLY;
  if (linux & O_TRUNC) f |= C.O_TRUNC;
  if (linux & O_APPEND) f |= C.O_APPEND;
  if (linux & O_DIRECTORY) f |= C.O_DIRECTORY;
  return f;
}

const isWrite = (flags: number): boolean => (flags & O_ACCMODE) !== O_RDONLY || (flags & O_TRUNC) !== 0;
const secs = (t: FsTime): number => t.sec + t.nsec / 1e9;

class HostFs implements HostFsBackend {
  readonly resolution: "anchored" | "checked-paths";
  private readonly r: Resolver;
  private readonly qids = new QidPaths();
  private readonly rootStat: fs.BigIntStats;

  constructor(
    readonly root: string,
    readonly readonly: boolean,
    checkedPaths: boolean,
  ) {
    this.r = new Resolver(root, checkedPaths);
    this.resolution = this.r.anchored ? "anchored" : "checked-paths";
    this.rootStat = fs.statSync(root, { bigint: true });
    this.qids.attr(this.rootStat); // the root's file system gets prefix 0
  }

  stat(path: FsPath): FsAttr {
    if (path.length === 0) return this.attrOf(this.r.inDir([], (d) => fs.statSync(d.self(), { bigint: true })));
    return this.r.atParent(path, (d, name) => this.attrOf(host(() => fs.lstatSync(d.child(name), { bigint: true }))));
  }

  open(path: FsPath, flags: number): FsFile {
    if (isWrite(flags)) this.writable();
    if (path.length === 0) return this.r.inDir([], (d) => this.openAt(d.self(), flags, path, true));
    return this.r.atParent(path, (d, name) => this.openAt(d.child(name), flags, path, false));
  }

  create(dir: FsPath, name: Uint8Array, flags: number, mode: number, _owner: FsOwner): FsFile {
    this.writable();
    return this.r.inDir(dir, (d) => {
      let fd: number;
      try {
        // O_EXCL: never follows a symlink at the name, never opens what is already there.
        fd = fs.openSync(d.child(name), hostFlags(flags & ~O_TRUNC) | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW | C.O_NOCTTY, mode & 0o7777);
      } catch (e) {
        const err = hostError(e);
        if (err.errno !== E.EEXIST || flags & O_EXCL) throw err;
        return this.openAt(d.child(name), flags, [...dir, name], false);
      }
      try {
        fs.fchmodSync(fd, mode & 0o7777); // the guest already applied its umask; not the host's
      } catch {
        // a file system without permissions (e.g. vfat): keep what it gave
      }
      return new HostFile(this, fd, flags, [...dir, name], false);
    });
  }

  mkdir(dir: FsPath, name: Uint8Array, mode: number, _owner: FsOwner): FsAttr {
    this.writable();
    return this.r.inDir(dir, (d) => {
      const p = d.child(name);
      host(() => fs.mkdirSync(p, mode & 0o7777));
      this.chmodNoFollow(p, mode & 0o7777, true);
      return this.attrOf(host(() => fs.lstatSync(p, { bigint: true })));
    });
  }

  symlink(dir: FsPath, name: Uint8Array, target: Uint8Array, _owner: FsOwner): FsAttr {
    this.writable();
    return this.r.inDir(dir, (d) => {
      const p = d.child(name);
      host(() => fs.symlinkSync(Buffer.from(target), p));
      return this.attrOf(host(() => fs.lstatSync(p, { bigint: true })));
    });
  }

  mknod(dir: FsPath, name: Uint8Array, mode: number, _rdev: number, _owner: FsOwner): FsAttr {
    this.writable();
    const type = mode & S_IFMT;
    if (type !== S_IFREG && type !== 0) throw new E.FsError(E.EPERM, "only regular files can be created with mknod on a host share");
    const f = this.create(dir, name, O_WRONLY | O_EXCL, mode & 0o7777, { uid: 0, gid: 0 });
    try {
      return f.stat();
    } finally {
      f.close();
    }
  }

  link(target: FsPath, dir: FsPath, name: Uint8Array): void {
    this.writable();
    if (target.length === 0) throw new E.FsError(E.EPERM);
    this.r.atParent(target, (from, oldName) =>
      this.r.inDir(dir, (to) => host(() => fs.linkSync(from.child(oldName), to.child(name)))),
    );
  }

  readlink(path: FsPath): Uint8Array {
    if (path.length === 0) throw new E.FsError(E.EINVAL);
    return this.r.atParent(path, (d, name) => new Uint8Array(host(() => fs.readlinkSync(d.child(name), { encoding: "buffer" }))));
  }

  rename(fromDir: FsPath, fromName: Uint8Array, toDir: FsPath, toName: Uint8Array): void {
    this.writable();
    this.r.inDir(fromDir, (from) => this.r.inDir(toDir, (to) => host(() => fs.renameSync(from.child(fromName), to.child(toName)))));
  }

  remove(dir: FsPath, name: Uint8Array, directory: boolean): void {
    this.writable();
    this.r.inDir(dir, (d) => host(() => (directory ? fs.rmdirSync(d.child(name)) : fs.unlinkSync(d.child(name)))));
  }

  setattr(path: FsPath, set: FsSetAttr): void {
    this.writable();
    // The root is reached through its descriptor's /proc link, which must be followed;
    // anything else is named in its parent and must not be.
    const apply = (p: Buffer, isRoot: boolean): void => {
      if (set.size !== undefined) {
        if (isRoot) throw new E.FsError(E.EISDIR);
        this.truncateNoFollow(p, set.size);
      }
      if (set.mode !== undefined) {
        if (isRoot) host(() => fs.chmodSync(p, set.mode!));
        else this.chmodNoFollow(p, set.mode, false);
      }
      if (set.uid !== undefined || set.gid !== undefined) {
        host(() => (isRoot ? fs.chownSync : fs.lchownSync)(p, set.uid ?? -1, set.gid ?? -1));
      }
      if (set.atime !== undefined || set.mtime !== undefined) {
        const cur = host(() => (isRoot ? fs.statSync : fs.lstatSync)(p, { bigint: true }));
        const at = pickTime(set.atime, cur.atimeNs);
        const mt = pickTime(set.mtime, cur.mtimeNs);
        host(() => (isRoot ? fs.utimesSync : fs.lutimesSync)(p, at, mt));
      }
    };
    if (path.length === 0) this.r.inDir([], (d) => apply(d.self(), true));
    else this.r.atParent(path, (d, name) => apply(d.child(name), false));
  }

  statfs(path: FsPath): FsStatfs {
    const dirPath = path.length === 0 ? path : path.slice(0, -1);
    const st = this.r.inDir(dirPath, (d) => host(() => fs.statfsSync(d.self(), { bigint: true })));
    return {
      bsize: Number(st.bsize),
      blocks: Number(st.blocks),
      bfree: Number(st.bfree),
      bavail: Number(st.bavail),
      files: Number(st.files),
      ffree: Number(st.ffree),
      fsid: 0n,
      namelen: 255,
    };
  }

  close(): void {
    this.r.close();
  }

  // ---- shared with HostFile ----

  attrOf(st: fs.BigIntStats): FsAttr {
    return this.qids.attr(st);
  }

  writable(): void {
    if (this.readonly) throw new E.FsError(E.EROFS);
  }

  /** Access to an open directory's entries, its own path given (for '..'). */
  dirAccess(fd: number, path: FsPath): { list: () => Buffer[]; at: (name: Uint8Array) => Buffer; parent: () => FsAttr } {
    if (this.r.anchored) {
      // Through the descriptor: right even after the guest renamed the directory.
      const base = this.r.fdPath(fd);
      const parent = (): FsAttr => {
        const self = host(() => fs.fstatSync(fd, { bigint: true }));
        const isRoot = self.ino === this.rootStat.ino && self.dev === this.rootStat.dev;
        return this.attrOf(isRoot ? self : host(() => fs.lstatSync(`${base}/..`, { bigint: true })));
      };
      return { list: () => host(() => fs.readdirSync(base, { encoding: "buffer" })), at: (name) => joinPath(base, name), parent };
    }
    const parent = (): FsAttr => this.stat(path.length === 0 ? path : path.slice(0, -1));
    // Checked paths hold no descriptors: the reference stays usable after release.
    const d = this.r.inDir(path, (dir) => dir);
    return { list: () => host(() => fs.readdirSync(d.self(), { encoding: "buffer" })), at: (name) => d.child(name), parent };
  }

  // ---- private ----

  /** Open what `p` names: a regular file or directory only, never through a symlink. */
  private openAt(p: Buffer, flags: number, path: FsPath, isRoot: boolean): FsFile {
    // Look before opening: a FIFO would block and a device has side effects when opened.
    const before = host(() => (isRoot ? fs.statSync(p, { bigint: true }) : fs.lstatSync(p, { bigint: true })));
    const type = Number(before.mode) & S_IFMT;
    if (type === S_IFLNK) throw new E.FsError(E.ELOOP);
    if (type === S_IFDIR) {
      if (isWrite(flags)) throw new E.FsError(E.EISDIR);
    } else if (flags & O_DIRECTORY) {
      throw new E.FsError(E.ENOTDIR);
    } else if (type !== S_IFREG) {
      throw new E.FsError(E.ENXIO);
    }
    const extra = (isRoot ? 0 : C.O_NOFOLLOW) | C.O_NONBLOCK | C.O_NOCTTY;
    const fd = host(() => fs.openSync(p, hostFlags(flags) | extra));
    try {
      const st = fs.fstatSync(fd, { bigint: true });
      if (st.ino !== before.ino || st.dev !== before.dev) throw new E.FsError(E.ESTALE, "replaced while being opened");
    } catch (e) {
      fs.closeSync(fd);
      throw hostError(e);
    }
    return new HostFile(this, fd, flags, path, type === S_IFDIR);
  }

  /** chmod without following a final symlink (Linux cannot chmod a link: EOPNOTSUPP). */
  private chmodNoFollow(p: Buffer, mode: number, quiet: boolean): void {
    try {
      if (this.r.anchored) {
        const fd = fs.openSync(p, O_PATH | C.O_NOFOLLOW);
        try {
          if (fs.fstatSync(fd).isSymbolicLink()) throw new E.FsError(E.EOPNOTSUPP);
          fs.chmodSync(this.r.fdPath(fd), mode);
        } finally {
          fs.closeSync(fd);
        }
      } else {
        if (fs.lstatSync(p).isSymbolicLink()) throw new E.FsError(E.EOPNOTSUPP);
        fs.chmodSync(p, mode);
      }
    } catch (e) {
      if (!quiet) throw hostError(e);
    }
  }

  private truncateNoFollow(p: Buffer, size: number): void {
    if (this.r.anchored) {
      const fd = host(() => fs.openSync(p, O_PATH | C.O_NOFOLLOW));
      try {
        checkTruncatable(host(() => fs.fstatSync(fd)));
        host(() => fs.truncateSync(this.r.fdPath(fd), size));
      } finally {
        fs.closeSync(fd);
      }
      return;
    }
    checkTruncatable(host(() => fs.lstatSync(p)));
    const fd = host(() => fs.openSync(p, C.O_WRONLY | C.O_NOFOLLOW | C.O_NONBLOCK | C.O_NOCTTY));
    try {
      host(() => fs.ftruncateSync(fd, size));
    } finally {
      fs.closeSync(fd);
    }
  }
}

function checkTruncatable(st: fs.Stats): void {
  if (st.isDirectory()) throw new E.FsError(E.EISDIR);
  if (!st.isFile()) throw new E.FsError(E.EINVAL);
}

function pickTime(t: FsTime | "now" | undefined, currentNs: bigint): number {
  if (t === "now") return Date.now() / 1000;
  if (t) return secs(t);
  return Number(currentNs) / 1e9;
}

class HostFile implements FsFile {
  private fd: number | null;
  /** Directory listing taken at cookie 0, so later cookies name stable positions. */
  private names: Buffer[] | null = null;

  constructor(
    private readonly fs_: HostFs,
    fd: number,
    private readonly flags: number,
    private readonly path: FsPath,
    private readonly isDir: boolean,
  ) {
    this.fd = fd;
  }

  stat(): FsAttr {
    const fd = this.live();
    return this.fs_.attrOf(host(() => fs.fstatSync(fd, { bigint: true })));
  }

  read(offset: number, dst: Uint8Array): number {
    const fd = this.live();
    if (this.isDir) throw new E.FsError(E.EISDIR);
    let done = 0;
    while (done < dst.length) {
      const n = host(() => fs.readSync(fd, dst, done, dst.length - done, offset + done));
      if (n === 0) break;
      done += n;
    }
    return done;
  }

  write(offset: number, src: Uint8Array): number {
    const fd = this.live();
    this.fs_.writable();
    const append = (this.flags & O_APPEND) !== 0;
    let done = 0;
    while (done < src.length) {
      done += host(() => fs.writeSync(fd, src, done, src.length - done, append ? null : offset + done));
    }
    return done;
  }

  setattr(set: FsSetAttr): void {
    const fd = this.live();
    this.fs_.writable();
    if (set.size !== undefined) {
      if (this.isDir) throw new E.FsError(E.EISDIR);
      host(() => fs.ftruncateSync(fd, set.size));
    }
    if (set.mode !== undefined) host(() => fs.fchmodSync(fd, set.mode!));
    if (set.uid !== undefined || set.gid !== undefined) host(() => fs.fchownSync(fd, set.uid ?? -1, set.gid ?? -1));
    if (set.atime !== undefined || set.mtime !== undefined) {
      const cur = host(() => fs.fstatSync(fd, { bigint: true }));
      host(() => fs.futimesSync(fd, pickTime(set.atime, cur.atimeNs), pickTime(set.mtime, cur.mtimeNs)));
    }
  }

  readdir(cookie: number, emit: (entry: FsDirEntry) => boolean): void {
    const fd = this.live();
    if (!this.isDir) throw new E.FsError(E.ENOTDIR);
    const dir = this.fs_.dirAccess(fd, this.path);
    if (cookie === 0 || this.names === null) this.names = dir.list();
    if (cookie < 1 && !emit({ name: DOT, ino: this.stat().ino, type: S_IFDIR, cookie: 1 })) return;
    if (cookie < 2 && !emit({ name: DOTDOT, ino: dir.parent().ino, type: S_IFDIR, cookie: 2 })) return;
    for (let i = Math.max(cookie, 2) - 2; i < this.names.length; i++) {
      const name = this.names[i];
      let st: fs.BigIntStats;
      try {
        st = fs.lstatSync(dir.at(name), { bigint: true });
      } catch {
        continue; // gone since the listing was taken
      }
      const a = this.fs_.attrOf(st);
      if (!emit({ name: new Uint8Array(name), ino: a.ino, type: a.mode & S_IFMT, cookie: i + 3 })) return;
    }
  }

  sync(dataOnly: boolean): void {
    const fd = this.live();
    host(() => (dataOnly ? fs.fdatasyncSync(fd) : fs.fsyncSync(fd)));
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    fs.closeSync(fd);
  }

  private live(): number {
    if (this.fd === null) throw new E.FsError(E.EBADF);
    return this.fd;
  }
}
