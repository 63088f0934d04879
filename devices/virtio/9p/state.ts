// A 9P session as plain data, for machine snapshots: each fid's path, qid, owner and
// open mode. Restoring reopens open files by path (without O_TRUNC); one that cannot be
// reopened (removed since, or unlinked while open) stays as a closed fid, so the guest
// gets EBADF on it rather than another file's data. Locks are not kept.
import type { Log } from "../../device.js";
import { O_ACCMODE, O_APPEND, O_DIRECTORY } from "../../fs/backend.js";
import type { Fid } from "./fids.js";
import type { P9Server } from "./server.js";

interface SavedFid {
  fid: number;
  path: string[];
  qid: [number, number, string];
  uid: number;
  open: boolean;
  flags: number;
}

const toLatin1 = (b: Uint8Array): string => String.fromCharCode(...b);
const fromLatin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

export function saveFids(s: P9Server): SavedFid[] {
  return [...s.fids.entries()].map(([fid, f]) => ({
    fid,
    path: f.path.map(toLatin1),
    qid: [f.qid.type, f.qid.version, f.qid.path.toString()],
    uid: f.uid,
    open: f.file !== null,
    flags: f.flags,
  }));
}

export function restoreFids(s: P9Server, raw: unknown, log: Log): void {
  if (!Array.isArray(raw)) throw new Error("bad device state: fids is not an array");
  const saved = raw.map(checkSaved);
  const paths = saved.map((r) =>
    r.path.map((p) => {
      try {
        return s.checkName(fromLatin1(p)); // a snapshot is input too: no '/', '..' or NUL
      } catch {
        throw new Error("bad device state: invalid name in a fid path");
      }
    }),
  );
  s.resetSession();
  for (const [i, r] of saved.entries()) {
    const f: Fid = {
      path: paths[i],
      qid: { type: r.qid[0], version: r.qid[1], path: BigInt(r.qid[2]) },
      uid: r.uid,
      file: null,
      flags: r.flags,
    };
    s.fids.set(r.fid, f);
    if (!r.open) continue;
    try {
      f.file = s.backend.open(f.path, r.flags & (O_ACCMODE | O_APPEND | O_DIRECTORY));
      s.openFiles++;
    } catch (e) {
      log(`virtio-9p: fid ${r.fid} could not be reopened after restore (${e instanceof Error ? e.message : String(e)})`);
    }
  }
}

function checkSaved(v: unknown): SavedFid {
  const o = v as SavedFid;
  const u32 = (x: unknown) => typeof x === "number" && Number.isInteger(x) && x >= 0 && x <= 0xffff_ffff;
  if (
    typeof o !== "object" || o === null || !u32(o.fid) || !u32(o.uid) || !u32(o.flags) || typeof o.open !== "boolean" ||
    !Array.isArray(o.path) || !o.path.every((p) => typeof p === "string" && p.length > 0) ||
    !Array.isArray(o.qid) || o.qid.length !== 3 || !u32(o.qid[0]) || !u32(o.qid[1]) || typeof o.qid[2] !== "string" || !/^\d+$/.test(o.qid[2])
  ) {
    throw new Error("bad device state: malformed fid");
  }
  return o;
}
