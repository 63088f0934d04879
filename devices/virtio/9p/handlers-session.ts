// Session messages: Tversion, Tattach, Twalk, Tclunk, Tflush.
import { ENOTDIR, EBADF, EINVAL, FsError } from "../../fs/errno.js";
import type { Handler } from "./server.js";
import { MAXWELEM, NOFID, NONUNAME, QTDIR, T, VERSION_9P2000_L, type Qid } from "./protocol.js";

const MIN_MSIZE = 4096;
/** Owner of what a fid attached without a numeric user creates (Linux's "nobody"). */
const NOBODY = 65534;

const version: Handler = (s, { r, tag }) => {
  const msize = r.u32();
  const asked = new TextDecoder().decode(r.str());
  s.resetSession();
  if (msize < MIN_MSIZE) throw new FsError(EINVAL, `msize ${msize} is below ${MIN_MSIZE}`);
  s.msize = Math.min(msize, s.maxMsize);
  // A version we do not speak is answered "unknown"; a dotted extension of ours gets ours.
  const answer = asked === VERSION_9P2000_L || asked.startsWith(VERSION_9P2000_L + ".") ? VERSION_9P2000_L : "unknown";
  return s.reply().u32(s.msize).str(answer).finish(T.version + 1, tag);
};

const attach: Handler = (s, { r, tag }) => {
  const fid = r.u32();
  const afid = r.u32();
  r.str(); // uname
  r.str(); // aname: one export per device
  const nUname = r.u32();
  s.fids.checkFree(fid);
  if (afid !== NOFID) throw new FsError(EBADF, "no authentication fids exist");
  const qid = s.qidOf(s.backend.stat([]));
  s.fids.set(fid, { path: [], qid, uid: nUname === NONUNAME ? NOBODY : nUname, file: null, flags: 0 });
  return s.reply().qid(qid).finish(T.attach + 1, tag);
};

const walk: Handler = (s, { r, tag }) => {
  const fidN = r.u32();
  const newN = r.u32();
  const n = r.u16();
  if (n > MAXWELEM) throw new FsError(EINVAL, `${n} names in one walk`);
  const names: Uint8Array[] = [];
  for (let i = 0; i < n; i++) names.push(s.checkName(r.str()));
  const src = s.fids.get(fidN);
  if (newN !== fidN) s.fids.checkFree(newN);
  else if (src.file && n > 0) throw new FsError(EINVAL, "walking an open fid in place");
  let path = src.path;
  let dir = (src.qid.type & QTDIR) !== 0;
  const qids: Qid[] = [];
  for (const name of names) {
    try {
      if (!dir) throw new FsError(ENOTDIR);
      const next = s.childPath(path, name);
      const qid = s.qidOf(s.backend.stat(next));
      qids.push(qid);
      path = next;
      dir = (qid.type & QTDIR) !== 0;
    } catch (e) {
      if (qids.length === 0) throw e; // the first name failed: an error, not a short walk
      break;
    }
  }
  if (qids.length === names.length) {
    const qid = qids.length ? qids[qids.length - 1] : src.qid;
    if (newN === fidN) {
      src.path = path;
      src.qid = qid;
    } else {
      s.fids.set(newN, { path, qid, uid: src.uid, file: null, flags: 0 });
    }
  }
  const w = s.reply(9 + 13 * qids.length).u16(qids.length);
  for (const q of qids) w.qid(q);
  return w.finish(T.walk + 1, tag);
};

const clunk: Handler = (s, { r, tag }) => {
  const fidN = r.u32();
  const f = s.fids.get(fidN);
  s.fids.delete(fidN);
  s.closeFile(f);
  s.locks.dropFid(fidN);
  return s.reply().finish(T.clunk + 1, tag);
};

// Requests are answered in order before the next is read, so the flushed one is done.
const flush: Handler = (s, { r, tag }) => {
  r.u16(); // oldtag
  return s.reply().finish(T.flush + 1, tag);
};

export const sessionHandlers: [number, Handler][] = [
  [T.version, version],
  [T.attach, attach],
  [T.walk, walk],
  [T.clunk, clunk],
  [T.flush, flush],
];
