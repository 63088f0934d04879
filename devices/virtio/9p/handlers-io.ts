// Open files: Tlopen, Tlcreate, Tread, Twrite, Treaddir, Tfsync, Tlock, Tgetlock.
import { O_ACCMODE, O_APPEND, O_DIRECTORY, O_EXCL, O_RDONLY, O_TRUNC, O_WRONLY, S_IFDIR, S_IFLNK } from "../../fs/backend.js";
import { EBADF, EFBIG, EINVAL, EISDIR, EMFILE, ENOTDIR, FsError } from "../../fs/errno.js";
import { copyToBuffers, sliceBuffers } from "../queue.js";
import type { Fid } from "./fids.js";
import { TO_EOF } from "./locks.js";
import type { Handler, P9Server } from "./server.js";
import {
  direntSize, HEADER_BYTES, LOCK_TYPE_RDLCK, LOCK_TYPE_UNLCK, LOCK_TYPE_WRLCK, malformed, QTDIR, QTFILE, QTSYMLINK, T,
  type PduReader,
} from "./protocol.js";

/** The open(2) flags a backend acts on; the rest (O_NOCTTY, O_LARGEFILE, ...) are the client's. */
const OPEN_FLAGS = O_ACCMODE | O_TRUNC | O_APPEND | O_DIRECTORY;
const MAX_OFFSET = BigInt(Number.MAX_SAFE_INTEGER);
const SIGNED_LIMIT = 1n << 63n;

function openedFid(s: P9Server, n: number): Fid & { file: NonNullable<Fid["file"]> } {
  const f = s.fids.get(n);
  if (!f.file) throw new FsError(EBADF, `fid ${n} is not open`);
  return f as Fid & { file: NonNullable<Fid["file"]> };
}

/** A file offset: negative as a signed 64-bit value is EINVAL; past 2^53 is "beyond any file". */
function offsetOf(v: bigint): number {
  if (v >= SIGNED_LIMIT) throw new FsError(EINVAL, "negative offset");
  return v > MAX_OFFSET ? Number.POSITIVE_INFINITY : Number(v);
}

/** Makes `file` the fid's open file (closed again if it cannot even be stat'ed); its qid. */
function holdOpen(s: P9Server, f: Fid, file: NonNullable<Fid["file"]>, flags: number) {
  let qid;
  try {
    qid = s.qidOf(file.stat());
  } catch (e) {
    file.close();
    throw e;
  }
  f.file = file;
  f.flags = flags;
  f.qid = qid;
  s.openFiles++;
  return qid;
}

const lopen: Handler = (s, { r, tag }) => {
  const f = s.fids.get(r.u32());
  const flags = r.u32();
  if (f.file) throw new FsError(EINVAL, "fid already open");
  if ((flags & O_ACCMODE) !== O_RDONLY || flags & O_TRUNC) {
    if (f.qid.type & QTDIR) throw new FsError(EISDIR);
    s.requireWritable();
  }
  if (s.openFiles >= s.maxOpenFiles) throw new FsError(EMFILE);
  const qid = holdOpen(s, f, s.backend.open(f.path, flags & OPEN_FLAGS), flags);
  return s.reply().qid(qid).u32(qid.type & QTDIR ? 0 : s.iounit()).finish(T.lopen + 1, tag);
};

const lcreate: Handler = (s, { r, tag }) => {
  const f = s.fids.get(r.u32());
  const name = s.checkName(r.str());
  const flags = r.u32();
  const mode = r.u32();
  const gid = r.u32();
  s.requireWritable();
  if (!(f.qid.type & QTDIR)) throw new FsError(ENOTDIR);
  if (f.file) throw new FsError(EINVAL, "fid already open");
  if (s.openFiles >= s.maxOpenFiles) throw new FsError(EMFILE);
  const path = s.childPath(f.path, name);
  const file = s.backend.create(f.path, name, flags & (OPEN_FLAGS | O_EXCL) & ~O_DIRECTORY, mode & 0o7777, { uid: f.uid, gid });
  const qid = holdOpen(s, f, file, flags);
  f.path = path;
  return s.reply().qid(qid).u32(s.iounit()).finish(T.lcreate + 1, tag);
};

const read: Handler = (s, { r, tag, out, outBytes }) => {
  const f = openedFid(s, r.u32());
  const offset = offsetOf(r.u64());
  const count = r.u32();
  if (f.qid.type & QTDIR) throw new FsError(EISDIR);
  if ((f.flags & O_ACCMODE) === O_WRONLY) throw new FsError(EBADF, "not open for reading");
  const head = HEADER_BYTES + 4;
  // Nothing lies past 2^53 (JavaScript offsets stop there): read up to it, no further.
  const max = Math.max(0, Math.min(count, s.msize - head, outBytes - head, Number.MAX_SAFE_INTEGER - offset));
  let total = 0;
  if (offset !== Number.POSITIVE_INFINITY) {
    for (const seg of sliceBuffers(out, head, head + max)) {
      let n: number;
      try {
        n = f.file.read(offset + total, seg);
      } catch (e) {
        if (total === 0) throw e;
        break; // report what was read, as read(2) does
      }
      total += n;
      if (n < seg.length) break;
    }
  }
  copyToBuffers(out, 0, s.reply(head).u32(total).finish(T.read + 1, tag, total));
  return head + total;
};

const write: Handler = (s, { r, tag, payload }) => {
  const f = openedFid(s, r.u32());
  const offset = offsetOf(r.u64());
  const count = r.u32();
  let present = 0;
  for (const p of payload) present += p.length;
  if (count > present) throw malformed(`Twrite count ${count} with ${present} bytes of data`);
  if ((f.flags & O_ACCMODE) === O_RDONLY) throw new FsError(EBADF, "not open for writing");
  s.requireWritable();
  if (count > 0 && !(offset + count <= Number.MAX_SAFE_INTEGER)) throw new FsError(EFBIG, "write beyond 2^53 bytes");
  let total = 0;
  for (const seg of sliceBuffers(payload, 0, count)) {
    let n: number;
    try {
      n = f.file.write(offset + total, seg);
    } catch (e) {
      if (total === 0) throw e;
      break; // a short write, as write(2) reports it
    }
    total += n;
    if (n < seg.length) break;
  }
  return s.reply().u32(total).finish(T.write + 1, tag);
};

const readdir: Handler = (s, { r, tag, outBytes }) => {
  const f = openedFid(s, r.u32());
  const cookie = r.u64();
  const count = r.u32();
  if (!(f.qid.type & QTDIR)) throw new FsError(ENOTDIR);
  const head = HEADER_BYTES + 4;
  const max = Math.min(count, s.msize - head, outBytes - head);
  const w = s.reply(head + Math.min(max, 64 * 1024)).u32(0);
  let used = 0;
  if (cookie <= MAX_OFFSET) {
    f.file.readdir(Number(cookie), (e) => {
      const size = direntSize(e.name.length);
      if (used + size > max) return false;
      const qtype = e.type === S_IFDIR ? QTDIR : e.type === S_IFLNK ? QTSYMLINK : QTFILE;
      w.qid({ type: qtype, version: 0, path: e.ino }).u64(e.cookie).u8(e.type >>> 12).str(e.name);
      used += size;
      return true;
    });
  }
  w.patchU32(HEADER_BYTES, used);
  return w.finish(T.readdir + 1, tag);
};

const fsync: Handler = (s, { r, tag }) => {
  const f = openedFid(s, r.u32());
  const datasync = r.u32();
  f.file.sync(datasync !== 0);
  return s.reply().finish(T.fsync + 1, tag);
};

function lockRequest(r: PduReader, withFlags: boolean) {
  const type = r.u8();
  if (withFlags) r.u32(); // flags: blocking is the client's business (it retries on BLOCKED)
  const start = r.u64();
  const length = r.u64();
  const procId = r.u32();
  const clientId = latin1(r.str());
  if (type !== LOCK_TYPE_RDLCK && type !== LOCK_TYPE_WRLCK && type !== LOCK_TYPE_UNLCK) throw new FsError(EINVAL, `lock type ${type}`);
  if (start >= SIGNED_LIMIT || length >= SIGNED_LIMIT) throw new FsError(EINVAL, "negative lock range");
  const end = length === 0n ? TO_EOF : start + length;
  return { type, start, end, procId, clientId, length };
}

const lock: Handler = (s, { r, tag }) => {
  const fidN = r.u32();
  const f = openedFid(s, fidN);
  const req = lockRequest(r, true);
  const status = s.locks.set(f.qid.path.toString(), req, fidN);
  return s.reply().u8(status).finish(T.lock + 1, tag);
};

const getlock: Handler = (s, { r, tag }) => {
  const f = openedFid(s, r.u32());
  const req = lockRequest(r, false);
  if (req.type === LOCK_TYPE_UNLCK) throw new FsError(EINVAL, "F_GETLK with F_UNLCK");
  const held = s.locks.conflict(f.qid.path.toString(), req);
  const w = s.reply();
  if (held) {
    w.u8(held.type).u64(held.start).u64(held.end === TO_EOF ? 0n : held.end - held.start).u32(held.procId);
    w.str(fromLatin1(held.clientId));
  } else {
    w.u8(LOCK_TYPE_UNLCK).u64(req.start).u64(req.length).u32(req.procId).str(fromLatin1(req.clientId));
  }
  return w.finish(T.getlock + 1, tag);
};

function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

function fromLatin1(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

export const ioHandlers: [number, Handler][] = [
  [T.lopen, lopen],
  [T.lcreate, lcreate],
  [T.read, read],
  [T.write, write],
  [T.readdir, readdir],
  [T.fsync, fsync],
  [T.lock, lock],
  [T.getlock, getlock],
];
