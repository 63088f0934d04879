// Attributes: Tgetattr, Tsetattr, Tstatfs, and the extended-attribute messages (not
// supported: EOPNOTSUPP, which Linux passes on to getxattr/setxattr callers).
import type { FsSetAttr, FsTime } from "../../fs/backend.js";
import { EFBIG, EINVAL, EOPNOTSUPP, FsError } from "../../fs/errno.js";
import type { Handler } from "./server.js";
import { GETATTR_BASIC, SETATTR, T, V9FS_MAGIC, type PduReader } from "./protocol.js";

const NO_ID = 0xffff_ffff;
const MAX_SIZE = BigInt(Number.MAX_SAFE_INTEGER);

const getattr: Handler = (s, { r, tag }) => {
  const f = s.fids.get(r.u32());
  r.u64(); // request_mask: the basic set is always returned
  const a = f.file ? f.file.stat() : s.backend.stat(f.path);
  const w = s.reply(160).u64(GETATTR_BASIC).qid(s.qidOf(a));
  w.u32(a.mode).u32(a.uid).u32(a.gid).u64(a.nlink).u64(a.rdev).u64(a.size);
  // blksize: what one request can carry, so stdio and cp size their I/O to it (as QEMU).
  w.u64(s.iounit()).u64(a.blocks);
  w.i64(a.atime.sec).u64(a.atime.nsec).i64(a.mtime.sec).u64(a.mtime.nsec).i64(a.ctime.sec).u64(a.ctime.nsec);
  w.u64(0).u64(0).u64(0).u64(0); // btime, gen, data_version: not in the valid mask
  return w.finish(T.getattr + 1, tag);
};

function time(r: PduReader): FsTime {
  const sec = BigInt.asIntN(64, r.u64());
  const nsec = r.u64();
  if (nsec >= 1_000_000_000n) throw new FsError(EINVAL, "nanoseconds out of range");
  if (sec > MAX_SIZE || sec < -MAX_SIZE) throw new FsError(EINVAL, "time out of range");
  return { sec: Number(sec), nsec: Number(nsec) };
}

const setattr: Handler = (s, { r, tag }) => {
  const f = s.fids.get(r.u32());
  const valid = r.u32();
  const mode = r.u32();
  const uid = r.u32();
  const gid = r.u32();
  const size = r.u64();
  const atime = time(r);
  const mtime = time(r);
  s.requireWritable();
  const set: FsSetAttr = {};
  if (valid & SETATTR.mode) set.mode = mode & 0o7777;
  if (valid & SETATTR.uid && uid !== NO_ID) set.uid = uid;
  if (valid & SETATTR.gid && gid !== NO_ID) set.gid = gid;
  if (valid & SETATTR.size) {
    if (size > MAX_SIZE) throw new FsError(EFBIG);
    set.size = Number(size);
  }
  if (valid & SETATTR.atime) set.atime = valid & SETATTR.atimeSet ? atime : "now";
  if (valid & SETATTR.mtime) set.mtime = valid & SETATTR.mtimeSet ? mtime : "now";
  if (f.file) f.file.setattr(set);
  else s.backend.setattr(f.path, set);
  return s.reply().finish(T.setattr + 1, tag);
};

const statfs: Handler = (s, { r, tag }) => {
  const f = s.fids.get(r.u32());
  const st = s.backend.statfs(f.path);
  const w = s.reply(80).u32(V9FS_MAGIC).u32(st.bsize);
  w.u64(st.blocks).u64(st.bfree).u64(st.bavail).u64(st.files).u64(st.ffree).u64(st.fsid).u32(st.namelen);
  return w.finish(T.statfs + 1, tag);
};

const xattrwalk: Handler = (s, { r }) => {
  s.fids.get(r.u32());
  throw new FsError(EOPNOTSUPP, "extended attributes");
};

const xattrcreate: Handler = (s, { r }) => {
  s.fids.get(r.u32());
  throw new FsError(EOPNOTSUPP, "extended attributes");
};

export const attrHandlers: [number, Handler][] = [
  [T.getattr, getattr],
  [T.setattr, setattr],
  [T.statfs, statfs],
  [T.xattrwalk, xattrwalk],
  [T.xattrcreate, xattrcreate],
];
