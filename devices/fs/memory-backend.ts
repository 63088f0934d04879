// An in-memory file tree behind the 9P server: works in every runtime (browsers
// included) and backs the unit tests. Inodes carry POSIX attributes, hard links and
// unlinked-but-open files behave as on Linux, file data is sparse, and capacity and inode
// limits turn runaway guests into ENOSPC rather than host memory exhaustion.
import {
  O_ACCMODE, O_APPEND, O_DIRECTORY, O_EXCL, O_RDONLY, O_TRUNC, O_WRONLY,
  S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK,
  type FsAttr, type FsBackend, type FsDirEntry, type FsFile, type FsOwner, type FsPath,
  type FsSetAttr, type FsStatfs, type FsTime,
} from "./backend.js";
import {
  EBADF, EEXIST, EFBIG, EINVAL, EISDIR, ELOOP, EMLINK, ENOENT, ENOSPC, ENOTDIR,
  ENOTEMPTY, ENXIO, EOPNOTSUPP, EPERM, EROFS, FsError,
} from "./errno.js";
import { DirTable, FileData, keyBytes, nameKey, timeFromMs } from "./memory-nodes.js";

export interface MemoryFsOptions {
  /** Bytes of file data the tree may hold (default 512 MiB). */
  capacity?: number;
  /** Inodes the tree may hold (default 1 Mi). */
  maxInodes?: number;
  /** The clock, in milliseconds since the epoch (default Date.now). */
  now?: () => number;
  /** Refuse every modification from the guest (the populate helpers still work). */
  readonly?: boolean;
  /** Root directory permissions and owner (default 0755, 0:0). */
  rootMode?: number;
  rootUid?: number;
  rootGid?: number;
}

/** Largest file size: offsets past it fail with EFBIG. */
export const MEMORY_MAX_FILE_SIZE = 2 ** 46;
const MAX_LINKS = 65000;
const DIR_SIZE = 4096;
const DOT = Uint8Array.of(0x2e);
const DOTDOT = Uint8Array.of(0x2e, 0x2e);

/** @internal One inode of the tree (exported for memory-image.ts). */
export interface MemNode {
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  rdev: number;
  atime: FsTime;
  mtime: FsTime;
  ctime: FsTime;
  version: number;
  /** Open files referring to this node: its storage lives on until the last closes. */
  opens: number;
  data?: FileData;
  dir?: DirTable<MemNode>;
  parent?: MemNode;
  target?: Uint8Array;
}

const typeOf = (n: MemNode): number => n.mode & S_IFMT;
const isDir = (n: MemNode): boolean => typeOf(n) === S_IFDIR;

export class MemoryFs implements FsBackend {
  readonly readonly: boolean;
  readonly capacity: number;
  readonly maxInodes: number;
  private readonly now: () => number;
  private root: MemNode;
  private nextIno = 1;
  private inodes = 0;
  private used = 0;

  constructor(opts: MemoryFsOptions = {}) {
    this.readonly = opts.readonly ?? false;
    this.capacity = opts.capacity ?? 512 * 1024 * 1024;
    this.maxInodes = opts.maxInodes ?? 1 << 20;
    this.now = opts.now ?? Date.now;
    this.root = this.newNode(S_IFDIR | ((opts.rootMode ?? 0o755) & 0o7777), { uid: opts.rootUid ?? 0, gid: opts.rootGid ?? 0 });
    this.root.nlink = 2;
    this.root.dir = new DirTable();
  }

  /** Bytes of file data held now. */
  get usedBytes(): number {
    return this.used;
  }

  /** @internal The tree as it is, for memory-image.ts. */
  exportTree(): { root: MemNode; nextIno: number } {
    return { root: this.root, nextIno: this.nextIno };
  }

  /** @internal Replace the tree (memory-image.ts); limits are checked, counters recomputed. */
  importTree(root: MemNode, nextIno: number): void {
    let inodes = 0;
    let used = 0;
    const seen = new Set<MemNode>([root]);
    const todo = [root]; // iterative: an image may nest directories deeper than the stack
    while (todo.length) {
      const n = todo.pop()!;
      inodes++;
      if (n.data) used += n.data.allocated;
      if (n.dir) {
        for (const e of n.dir.after(0)) {
          if (!seen.has(e.node)) {
            seen.add(e.node);
            todo.push(e.node);
          }
        }
      }
    }
    if (inodes > this.maxInodes) throw new FsError(ENOSPC, `image has ${inodes} inodes, more than ${this.maxInodes}`);
    if (used > this.capacity) throw new FsError(ENOSPC, `image holds ${used} bytes, more than ${this.capacity}`);
    this.root = root;
    this.nextIno = nextIno;
    this.inodes = inodes;
    this.used = used;
  }

  // ---- FsBackend ----

  stat(path: FsPath): FsAttr {
    return this.attr(this.resolve(path));
  }

  open(path: FsPath, flags: number): FsFile {
    const node = this.resolve(path);
    return this.openNode(node, flags);
  }

  create(dir: FsPath, name: Uint8Array, flags: number, mode: number, owner: FsOwner): FsFile {
    this.writable();
    const parent = this.dirAt(dir);
    const key = nameKey(name);
    const existing = parent.dir!.get(key);
    if (existing) {
      if (flags & O_EXCL) throw new FsError(EEXIST);
      return this.openNode(existing, flags);
    }
    const node = this.addChild(parent, key, S_IFREG | (mode & 0o7777), owner);
    node.data = new FileData();
    return this.openNode(node, flags & ~O_TRUNC);
  }

  mkdir(dir: FsPath, name: Uint8Array, mode: number, owner: FsOwner): FsAttr {
    this.writable();
    const parent = this.dirAt(dir);
    const key = nameKey(name);
    if (parent.dir!.get(key)) throw new FsError(EEXIST);
    if (parent.nlink >= MAX_LINKS) throw new FsError(EMLINK);
    const node = this.addChild(parent, key, S_IFDIR | (mode & 0o7777), owner);
    node.dir = new DirTable();
    node.parent = parent;
    node.nlink = 2;
    parent.nlink++;
    return this.attr(node);
  }

  symlink(dir: FsPath, name: Uint8Array, target: Uint8Array, owner: FsOwner): FsAttr {
    this.writable();
    const parent = this.dirAt(dir);
    const key = nameKey(name);
    if (parent.dir!.get(key)) throw new FsError(EEXIST);
    const node = this.addChild(parent, key, S_IFLNK | 0o777, owner);
    node.target = target.slice();
    return this.attr(node);
  }

  mknod(dir: FsPath, name: Uint8Array, mode: number, rdev: number, owner: FsOwner): FsAttr {
    this.writable();
    const type = mode & S_IFMT;
    if (type === S_IFCHR || type === S_IFBLK) throw new FsError(EPERM);
    if (type !== S_IFREG && type !== S_IFIFO && type !== S_IFSOCK && type !== 0) throw new FsError(EINVAL);
    const parent = this.dirAt(dir);
    const key = nameKey(name);
    if (parent.dir!.get(key)) throw new FsError(EEXIST);
    const node = this.addChild(parent, key, (type || S_IFREG) | (mode & 0o7777), owner);
    if (typeOf(node) === S_IFREG) node.data = new FileData();
    node.rdev = rdev;
    return this.attr(node);
  }

  link(target: FsPath, dir: FsPath, name: Uint8Array): void {
    this.writable();
    const node = this.resolve(target);
    const parent = this.dirAt(dir);
    if (isDir(node)) throw new FsError(EPERM);
    const key = nameKey(name);
    if (parent.dir!.get(key)) throw new FsError(EEXIST);
    if (node.nlink >= MAX_LINKS) throw new FsError(EMLINK);
    node.nlink++;
    node.ctime = this.time();
    parent.dir!.set(key, node);
    this.touchDir(parent);
  }

  readlink(path: FsPath): Uint8Array {
    const node = this.resolve(path);
    if (typeOf(node) !== S_IFLNK) throw new FsError(EINVAL);
    return node.target!.slice();
  }

  rename(fromDir: FsPath, fromName: Uint8Array, toDir: FsPath, toName: Uint8Array): void {
    this.writable();
    const src = this.dirAt(fromDir);
    const dst = this.dirAt(toDir);
    const fromKey = nameKey(fromName);
    const toKey = nameKey(toName);
    const node = src.dir!.get(fromKey);
    if (!node) throw new FsError(ENOENT);
    const victim = dst.dir!.get(toKey);
    if (victim === node) return; // same file under both names: nothing to do (rename(2))
    if (isDir(node)) {
      for (let p: MemNode | undefined = dst; p; p = p.parent) {
        if (p === node) throw new FsError(EINVAL); // into its own subtree
      }
      if (victim && !isDir(victim)) throw new FsError(ENOTDIR);
      if (victim && victim.dir!.size > 0) throw new FsError(ENOTEMPTY);
      if (!victim && src !== dst && dst.nlink >= MAX_LINKS) throw new FsError(EMLINK);
    } else if (victim && isDir(victim)) {
      throw new FsError(EISDIR);
    }
    if (victim) this.unlinkNode(dst, toKey, victim);
    src.dir!.delete(fromKey);
    dst.dir!.set(toKey, node);
    if (isDir(node) && src !== dst) {
      src.nlink--;
      dst.nlink++;
      node.parent = dst;
    }
    node.ctime = this.time();
    this.touchDir(src);
    if (dst !== src) this.touchDir(dst);
  }

  remove(dir: FsPath, name: Uint8Array, directory: boolean): void {
    this.writable();
    const parent = this.dirAt(dir);
    const key = nameKey(name);
    const node = parent.dir!.get(key);
    if (!node) throw new FsError(ENOENT);
    if (directory && !isDir(node)) throw new FsError(ENOTDIR);
    if (!directory && isDir(node)) throw new FsError(EISDIR);
    if (directory && node.dir!.size > 0) throw new FsError(ENOTEMPTY);
    this.unlinkNode(parent, key, node);
    this.touchDir(parent);
  }

  setattr(path: FsPath, set: FsSetAttr): void {
    this.writable();
    this.applyAttr(this.resolve(path), set);
  }

  statfs(_path: FsPath): FsStatfs {
    const bsize = 4096;
    const blocks = Math.floor(this.capacity / bsize);
    const free = Math.max(0, Math.floor((this.capacity - this.used) / bsize));
    return {
      bsize,
      blocks,
      bfree: free,
      bavail: free,
      files: this.maxInodes,
      ffree: Math.max(0, this.maxInodes - this.inodes),
      fsid: 0n,
      namelen: 255,
    };
  }

  // ---- populating from the host (UTF-8 paths, '/'-separated; parents are created) ----

  mkdirp(path: string, mode = 0o755): void {
    let node = this.root;
    for (const name of splitPath(path)) {
      const key = nameKey(name);
      let next = node.dir!.get(key);
      if (!next) {
        next = this.addChild(node, key, S_IFDIR | mode, { uid: node.uid, gid: node.gid });
        next.dir = new DirTable();
        next.parent = node;
        next.nlink = 2;
        node.nlink++;
      }
      if (!isDir(next)) throw new FsError(ENOTDIR, `${path}: not a directory`);
      node = next;
    }
  }

  writeFile(path: string, data: Uint8Array | string, mode = 0o644): void {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const { parent, key } = this.hostParent(path);
    let node = parent.dir!.get(key);
    if (!node) {
      node = this.addChild(parent, key, S_IFREG | mode, { uid: parent.uid, gid: parent.gid });
      node.data = new FileData();
    }
    if (typeOf(node) !== S_IFREG) throw new FsError(EINVAL, `${path}: not a regular file`);
    this.resize(node, 0);
    this.ensureSpace(node.data!, 0, bytes.length);
    this.used += node.data!.growth(0, bytes.length);
    node.data!.write(0, bytes);
    node.version++;
  }

  symlinkAt(path: string, target: string): void {
    const { parent, key } = this.hostParent(path);
    if (parent.dir!.get(key)) throw new FsError(EEXIST, `${path}: exists`);
    const node = this.addChild(parent, key, S_IFLNK | 0o777, { uid: parent.uid, gid: parent.gid });
    node.target = new TextEncoder().encode(target);
  }

  readFile(path: string): Uint8Array {
    const node = this.resolve(splitPath(path));
    if (typeOf(node) !== S_IFREG) throw new FsError(EINVAL, `${path}: not a regular file`);
    const out = new Uint8Array(node.data!.size);
    node.data!.read(0, out);
    return out;
  }

  // ---- internals shared with open files ----

  /** @internal */
  fileRead(node: MemNode, offset: number, dst: Uint8Array): number {
    const n = node.data!.read(offset, dst);
    if (n > 0 && cmpTime(node.atime, node.mtime) <= 0) node.atime = this.time(); // relatime
    return n;
  }

  /** @internal */
  fileWrite(node: MemNode, offset: number, src: Uint8Array): number {
    if (src.length === 0) return 0;
    if (offset + src.length > MEMORY_MAX_FILE_SIZE) {
      if (offset >= MEMORY_MAX_FILE_SIZE) throw new FsError(EFBIG);
      src = src.subarray(0, MEMORY_MAX_FILE_SIZE - offset);
    }
    const data = node.data!;
    const len = this.ensureSpace(data, offset, src.length);
    this.used += data.growth(offset, len);
    data.write(offset, src.subarray(0, len));
    node.mtime = node.ctime = this.time();
    node.version = (node.version + 1) >>> 0;
    return len;
  }

  /** @internal */
  applyAttr(node: MemNode, set: FsSetAttr): void {
    this.writable();
    if (set.size !== undefined) {
      if (isDir(node)) throw new FsError(EISDIR);
      if (typeOf(node) !== S_IFREG) throw new FsError(EINVAL);
      if (set.size > MEMORY_MAX_FILE_SIZE) throw new FsError(EFBIG);
    }
    if (set.mode !== undefined && typeOf(node) === S_IFLNK) throw new FsError(EOPNOTSUPP);
    const now = this.time();
    if (set.mode !== undefined) node.mode = (node.mode & S_IFMT) | (set.mode & 0o7777);
    if (set.uid !== undefined) node.uid = set.uid >>> 0;
    if (set.gid !== undefined) node.gid = set.gid >>> 0;
    if (set.size !== undefined) {
      this.resize(node, set.size);
      node.mtime = now;
      node.version = (node.version + 1) >>> 0;
    }
    if (set.atime !== undefined) node.atime = set.atime === "now" ? now : { ...set.atime };
    if (set.mtime !== undefined) node.mtime = set.mtime === "now" ? now : { ...set.mtime };
    node.ctime = now;
  }

  /** @internal */
  attr(n: MemNode): FsAttr {
    const t = typeOf(n);
    const size = t === S_IFREG ? n.data!.size : t === S_IFLNK ? n.target!.length : t === S_IFDIR ? DIR_SIZE : 0;
    const blocks = t === S_IFREG ? Math.ceil(n.data!.allocated / 512) : t === S_IFDIR ? DIR_SIZE / 512 : 0;
    return {
      mode: n.mode,
      uid: n.uid,
      gid: n.gid,
      nlink: n.nlink,
      rdev: n.rdev,
      size,
      blksize: 4096,
      blocks,
      atime: { ...n.atime },
      mtime: { ...n.mtime },
      ctime: { ...n.ctime },
      ino: BigInt(n.ino),
      version: n.version,
    };
  }

  /** @internal */
  entries(node: MemNode, cookie: number, emit: (e: FsDirEntry) => boolean): void {
    if (cookie < 1 && !emit({ name: DOT, ino: BigInt(node.ino), type: S_IFDIR, cookie: 1 })) return;
    if (cookie < 2) {
      const up = node.parent ?? node;
      if (!emit({ name: DOTDOT, ino: BigInt(up.ino), type: S_IFDIR, cookie: 2 })) return;
    }
    for (const e of node.dir!.after(Math.max(cookie, 2))) {
      if (!emit({ name: keyBytes(e.key), ino: BigInt(e.node.ino), type: typeOf(e.node), cookie: e.cookie })) return;
    }
  }

  /** @internal */
  release(node: MemNode): void {
    node.opens--;
    this.maybeFree(node);
  }

  /** @internal */
  writable(): void {
    if (this.readonly) throw new FsError(EROFS);
  }

  // ---- private ----

  private time(): FsTime {
    return timeFromMs(this.now());
  }

  private newNode(mode: number, owner: FsOwner): MemNode {
    if (this.inodes >= this.maxInodes) throw new FsError(ENOSPC);
    this.inodes++;
    const t = this.time();
    return {
      ino: this.nextIno++,
      mode,
      uid: owner.uid >>> 0,
      gid: owner.gid >>> 0,
      nlink: 1,
      rdev: 0,
      atime: t,
      mtime: { ...t },
      ctime: { ...t },
      version: 0,
      opens: 0,
    };
  }

  private addChild(parent: MemNode, key: string, mode: number, owner: FsOwner): MemNode {
    const node = this.newNode(mode, owner);
    parent.dir!.set(key, node);
    this.touchDir(parent);
    return node;
  }

  private touchDir(dir: MemNode): void {
    dir.mtime = dir.ctime = this.time();
  }

  private unlinkNode(parent: MemNode, key: string, node: MemNode): void {
    parent.dir!.delete(key);
    if (isDir(node)) {
      node.nlink = 0;
      parent.nlink--;
    } else {
      node.nlink--;
    }
    node.ctime = this.time();
    this.maybeFree(node);
  }

  private maybeFree(node: MemNode): void {
    if (node.nlink > 0 || node.opens > 0) return;
    if (node.data) {
      this.used -= node.data.allocated;
      node.data.truncate(0);
    }
    this.inodes--;
  }

  private resize(node: MemNode, size: number): void {
    const before = node.data!.allocated;
    node.data!.truncate(size);
    this.used -= before - node.data!.allocated;
  }

  /** How many of `len` bytes at `offset` fit in the remaining capacity; ENOSPC if none. */
  private ensureSpace(data: FileData, offset: number, len: number): number {
    const free = this.capacity - this.used;
    if (data.growth(offset, len) <= free) return len;
    const fits = data.fits(offset, len, free);
    if (fits <= 0) throw new FsError(ENOSPC);
    return fits;
  }

  private resolve(path: FsPath): MemNode {
    let node = this.root;
    for (const name of path) {
      if (!isDir(node)) throw new FsError(ENOTDIR);
      const next = node.dir!.get(nameKey(name));
      if (!next) throw new FsError(ENOENT);
      node = next;
    }
    return node;
  }

  private dirAt(path: FsPath): MemNode {
    const node = this.resolve(path);
    if (!isDir(node)) throw new FsError(ENOTDIR);
    if (node.nlink === 0) throw new FsError(ENOENT);
    return node;
  }

  private openNode(node: MemNode, flags: number): FsFile {
    const t = typeOf(node);
    const acc = flags & O_ACCMODE;
    if (t === S_IFLNK) throw new FsError(ELOOP);
    if (t === S_IFDIR) {
      if (acc !== O_RDONLY || flags & O_TRUNC) throw new FsError(EISDIR);
    } else if (flags & O_DIRECTORY) {
      throw new FsError(ENOTDIR);
    } else if (t !== S_IFREG) {
      throw new FsError(ENXIO);
    }
    if (acc !== O_RDONLY || flags & O_TRUNC) this.writable();
    if (t === S_IFREG && flags & O_TRUNC && node.data!.size > 0) this.applyAttr(node, { size: 0 });
    node.opens++;
    return new MemFile(this, node, flags);
  }

  private hostParent(path: string): { parent: MemNode; key: string } {
    const names = splitPath(path);
    if (names.length === 0) throw new FsError(EINVAL, "empty path");
    const dir = names.slice(0, -1);
    this.mkdirp(dir.map((n) => new TextDecoder().decode(n)).join("/"));
    const parent = this.resolve(dir);
    if (!isDir(parent)) throw new FsError(ENOTDIR, `${path}: parent is not a directory`);
    return { parent, key: nameKey(names[names.length - 1]) };
  }
}

class MemFile implements FsFile {
  private closed = false;

  constructor(
    private readonly fs: MemoryFs,
    private readonly node: MemNode,
    private readonly flags: number,
  ) {}

  stat(): FsAttr {
    return this.fs.attr(this.live());
  }

  read(offset: number, dst: Uint8Array): number {
    const node = this.live();
    if (isDir(node)) throw new FsError(EISDIR);
    if ((this.flags & O_ACCMODE) === O_WRONLY) throw new FsError(EBADF);
    return this.fs.fileRead(node, offset, dst);
  }

  write(offset: number, src: Uint8Array): number {
    const node = this.live();
    if ((this.flags & O_ACCMODE) === O_RDONLY) throw new FsError(EBADF);
    this.fs.writable();
    return this.fs.fileWrite(node, this.flags & O_APPEND ? node.data!.size : offset, src);
  }

  setattr(set: FsSetAttr): void {
    this.fs.applyAttr(this.live(), set);
  }

  readdir(cookie: number, emit: (entry: FsDirEntry) => boolean): void {
    const node = this.live();
    if (!isDir(node)) throw new FsError(ENOTDIR);
    this.fs.entries(node, cookie, emit);
  }

  sync(_dataOnly: boolean): void {
    this.live();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.fs.release(this.node);
  }

  private live(): MemNode {
    if (this.closed) throw new FsError(EBADF);
    return this.node;
  }
}

function splitPath(path: string): Uint8Array[] {
  const enc = new TextEncoder();
  return path.split("/").filter((p) => p !== "" && p !== ".").map((p) => {
    if (p === "..") throw new FsError(EINVAL, `${path}: '..' is not allowed`);
    return enc.encode(p);
  });
}

function cmpTime(a: FsTime, b: FsTime): number {
  return a.sec !== b.sec ? a.sec - b.sec : a.nsec - b.nsec;
}
