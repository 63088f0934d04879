// Names in directories: Tmkdir, Tsymlink, Tmknod, Tlink, Trename, Trenameat, Tunlinkat,
// Tremove, Treadlink.
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFMT } from "../../fs/backend.js";
import { EBUSY, EINVAL, ENAMETOOLONG, ENOENT, ENOTDIR, EPERM, FsError } from "../../fs/errno.js";
import type { Fid } from "./fids.js";
import type { Handler, P9Server } from "./server.js";
import { AT_REMOVEDIR, QTDIR, T } from "./protocol.js";

const PATH_MAX = 4096;

function dirFid(s: P9Server, n: number): Fid {
  const f = s.fids.get(n);
  if (!(f.qid.type & QTDIR)) throw new FsError(ENOTDIR);
  return f;
}

/** The directory and name of what a fid names; the export root has neither. */
function parentOf(f: Fid): { dir: Uint8Array[]; name: Uint8Array } {
  if (f.path.length === 0) throw new FsError(EBUSY, "the export root has no name");
  return { dir: f.path.slice(0, -1), name: f.path[f.path.length - 1] };
}

/** Linux's dev_t encoding (new_encode_dev), as st_rdev carries it. */
function makedev(major: number, minor: number): number {
  return (minor & 0xff) + (major & 0xfff) * 0x100 + (minor & ~0xff) * 0x1000;
}

const mkdir: Handler = (s, { r, tag }) => {
  const d = dirFid(s, r.u32());
  const name = s.checkName(r.str());
  const mode = r.u32();
  const gid = r.u32();
  s.requireWritable();
  s.childPath(d.path, name);
  const attr = s.backend.mkdir(d.path, name, mode & 0o7777, { uid: d.uid, gid });
  return s.reply().qid(s.qidOf(attr)).finish(T.mkdir + 1, tag);
};

const symlink: Handler = (s, { r, tag }) => {
  const d = dirFid(s, r.u32());
  const name = s.checkName(r.str());
  const target = r.str().slice();
  const gid = r.u32();
  s.requireWritable();
  if (target.length === 0) throw new FsError(ENOENT, "empty link target");
  if (target.length >= PATH_MAX) throw new FsError(ENAMETOOLONG);
  if (target.includes(0)) throw new FsError(EINVAL, "NUL in link target");
  s.childPath(d.path, name);
  const attr = s.backend.symlink(d.path, name, target, { uid: d.uid, gid });
  return s.reply().qid(s.qidOf(attr)).finish(T.symlink + 1, tag);
};

const mknod: Handler = (s, { r, tag }) => {
  const d = dirFid(s, r.u32());
  const name = s.checkName(r.str());
  const mode = r.u32();
  const major = r.u32();
  const minor = r.u32();
  const gid = r.u32();
  s.requireWritable();
  const type = mode & S_IFMT;
  // Device nodes would give the guest a door into the host's devices: refused.
  if (type === S_IFCHR || type === S_IFBLK) throw new FsError(EPERM, "device nodes are not allowed");
  if (type === S_IFDIR) throw new FsError(EPERM);
  s.childPath(d.path, name);
  const attr = s.backend.mknod(d.path, name, mode & (S_IFMT | 0o7777), makedev(major, minor), { uid: d.uid, gid });
  return s.reply().qid(s.qidOf(attr)).finish(T.mknod + 1, tag);
};

const link: Handler = (s, { r, tag }) => {
  const d = dirFid(s, r.u32());
  const f = s.fids.get(r.u32());
  const name = s.checkName(r.str());
  s.requireWritable();
  if (f.path.length === 0 || f.qid.type & QTDIR) throw new FsError(EPERM, "hard link to a directory");
  s.childPath(d.path, name);
  s.backend.link(f.path, d.path, name);
  return s.reply().finish(T.link + 1, tag);
};

function renameTo(s: P9Server, fromDir: Uint8Array[], fromName: Uint8Array, toDir: Uint8Array[], toName: Uint8Array): void {
  s.requireWritable();
  const to = s.childPath(toDir, toName);
  s.backend.rename(fromDir, fromName, toDir, toName);
  s.fids.renamed([...fromDir, fromName], to);
}

const rename: Handler = (s, { r, tag }) => {
  const f = s.fids.get(r.u32());
  const d = dirFid(s, r.u32());
  const name = s.checkName(r.str());
  const { dir, name: old } = parentOf(f);
  renameTo(s, dir, old, d.path, name);
  return s.reply().finish(T.rename + 1, tag);
};

const renameat: Handler = (s, { r, tag }) => {
  const from = dirFid(s, r.u32());
  const oldName = s.checkName(r.str());
  const to = dirFid(s, r.u32());
  const newName = s.checkName(r.str());
  renameTo(s, from.path, oldName, to.path, newName);
  return s.reply().finish(T.renameat + 1, tag);
};

const unlinkat: Handler = (s, { r, tag }) => {
  const d = dirFid(s, r.u32());
  const name = s.checkName(r.str());
  const flags = r.u32();
  if (flags & ~AT_REMOVEDIR) throw new FsError(EINVAL, `unlinkat flags 0x${flags.toString(16)}`);
  s.requireWritable();
  s.backend.remove(d.path, name, (flags & AT_REMOVEDIR) !== 0);
  return s.reply().finish(T.unlinkat + 1, tag);
};

// Tremove clunks the fid whether or not the removal succeeds.
const remove: Handler = (s, { r, tag }) => {
  const fidN = r.u32();
  const f = s.fids.get(fidN);
  try {
    s.requireWritable();
    const { dir, name } = parentOf(f);
    const directory = (s.backend.stat(f.path).mode & S_IFMT) === S_IFDIR;
    s.backend.remove(dir, name, directory);
  } finally {
    s.fids.delete(fidN);
    s.closeFile(f);
    s.locks.dropFid(fidN);
  }
  return s.reply().finish(T.remove + 1, tag);
};

const readlink: Handler = (s, { r, tag }) => {
  const f = s.fids.get(r.u32());
  const target = s.backend.readlink(f.path);
  return s.reply(9 + target.length).str(target).finish(T.readlink + 1, tag);
};

export const nameHandlers: [number, Handler][] = [
  [T.mkdir, mkdir],
  [T.symlink, symlink],
  [T.mknod, mknod],
  [T.link, link],
  [T.rename, rename],
  [T.renameat, renameat],
  [T.unlinkat, unlinkat],
  [T.remove, remove],
  [T.readlink, readlink],
];
