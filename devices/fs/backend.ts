// The file-system backend behind the 9P server. Paths are lists of names from the
// export root, never strings: no component is empty, '.', '..', or holds '/' or NUL
// (the server checks), so a backend never parses a path. Every operation works on the
// object the path names itself, without following a symbolic link, in any component.
// Names and link targets are bytes (Linux file names need not be UTF-8).
//
// The interface is synchronous: the virtio device answers a request within the queue
// notification that brought it. A backend with asynchronous storage (a browser's OPFS,
// a remote store) keeps a synchronous cache in front, or the device grows a pending
// state (see devices/virtio/9p/README.md).

export type FsPath = readonly Uint8Array[];

export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;

/** Linux open(2) flags, as 9P2000.L carries them in Tlopen and Tlcreate. */
export const O_ACCMODE = 0o3;
export const O_RDONLY = 0o0;
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_DIRECTORY = 0o200000;

export interface FsTime {
  sec: number;
  nsec: number;
}

export interface FsAttr {
  /** st_mode: file type (S_IFMT) and permission bits. */
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  /** Device number of a character or block device, Linux encoding (major << 8 | minor for small values). */
  rdev: number;
  size: number;
  blksize: number;
  /** 512-byte blocks allocated. */
  blocks: number;
  atime: FsTime;
  mtime: FsTime;
  ctime: FsTime;
  /** Unique and stable per file (inode) within the backend: the qid path. */
  ino: bigint;
  /** Changes when the file's content changes: the qid version. */
  version: number;
}

/** What Tsetattr changes; absent fields stay as they are. */
export interface FsSetAttr {
  /** Permission bits (07777); the type bits are ignored. */
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  atime?: FsTime | "now";
  mtime?: FsTime | "now";
}

export interface FsDirEntry {
  name: Uint8Array;
  ino: bigint;
  /** S_IFMT bits of the entry's type. */
  type: number;
  /** The cookie that continues the listing after this entry. */
  cookie: number;
}

export interface FsStatfs {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  fsid: bigint;
  namelen: number;
}

export interface FsOwner {
  uid: number;
  gid: number;
}

/** An open regular file or directory. Stays usable after its name is unlinked. */
export interface FsFile {
  stat(): FsAttr;
  /** Read into dst from offset; returns the byte count (0 at end of file). */
  read(offset: number, dst: Uint8Array): number;
  /** Write src at offset (at the end when opened with O_APPEND); returns the byte count. */
  write(offset: number, src: Uint8Array): number;
  setattr(set: FsSetAttr): void;
  /**
   * A directory's entries after `cookie` (0 = from the start, '.' and '..' first), in a
   * stable order: a cookie stays valid while entries are added and removed. `emit`
   * returns false when the caller has no room for that entry (it is not consumed).
   */
  readdir(cookie: number, emit: (entry: FsDirEntry) => boolean): void;
  sync(dataOnly: boolean): void;
  close(): void;
}

export interface FsBackend {
  /** The whole backend refuses modification (the server answers EROFS before asking). */
  readonly readonly: boolean;
  /** lstat: the attributes of what the path names (a symbolic link itself). */
  stat(path: FsPath): FsAttr;
  /** Open a regular file or directory; flags are Linux O_* values (O_CREAT never set). */
  open(path: FsPath, flags: number): FsFile;
  /** Create and open a regular file; without O_EXCL an existing regular file is opened. */
  create(dir: FsPath, name: Uint8Array, flags: number, mode: number, owner: FsOwner): FsFile;
  mkdir(dir: FsPath, name: Uint8Array, mode: number, owner: FsOwner): FsAttr;
  symlink(dir: FsPath, name: Uint8Array, target: Uint8Array, owner: FsOwner): FsAttr;
  /** Regular files, FIFOs and sockets (the server refuses device nodes). */
  mknod(dir: FsPath, name: Uint8Array, mode: number, rdev: number, owner: FsOwner): FsAttr;
  /** A new name for an existing non-directory. */
  link(target: FsPath, dir: FsPath, name: Uint8Array): void;
  readlink(path: FsPath): Uint8Array;
  rename(fromDir: FsPath, fromName: Uint8Array, toDir: FsPath, toName: Uint8Array): void;
  /** unlink(2) or, with `directory`, rmdir(2). */
  remove(dir: FsPath, name: Uint8Array, directory: boolean): void;
  setattr(path: FsPath, set: FsSetAttr): void;
  statfs(path: FsPath): FsStatfs;
  /** Release host resources (the machine is going away). */
  close?(): void;
}
