// A 9P2000.L file server over a pluggable backend, as Linux's 9p client (9pnet_virtio)
// uses it. One request in, one reply out, synchronously: handle() reads a request from
// the device-readable buffers of a virtio chain and writes the reply into its
// device-writable ones (Rread data goes straight from the backend into guest memory).
// Errors are Rlerror with Linux errno values; nothing a guest sends can throw out of
// handle() except a chain too small to hold any request or reply (a driver bug).
import type { Log } from "../../device.js";
import { S_IFDIR, S_IFLNK, S_IFMT, type FsAttr, type FsBackend } from "../../fs/backend.js";
import { EINVAL, EIO, EMSGSIZE, ENAMETOOLONG, EOPNOTSUPP, EROFS, FsError } from "../../fs/errno.js";
import { copyFromBuffers, copyToBuffers, sliceBuffers, VirtioError } from "../queue.js";
import { FidTable, type Fid } from "./fids.js";
import { attrHandlers } from "./handlers-attr.js";
import { ioHandlers } from "./handlers-io.js";
import { nameHandlers } from "./handlers-names.js";
import { sessionHandlers } from "./handlers-session.js";
import { LockTable } from "./locks.js";
import { HEADER_BYTES, IOHDRSZ, PduReader, PduWriter, QTDIR, QTFILE, QTSYMLINK, RLERROR, T, malformed, type Qid } from "./protocol.js";

export interface P9ServerOptions {
  backend: FsBackend;
  /** Refuse every modifying request with EROFS. */
  readonly?: boolean;
  /** Largest message size offered in Rversion (default 512 KiB). */
  maxMsize?: number;
  /** Fids a session may hold (default 65536; Linux holds about one per dentry in use). */
  maxFids?: number;
  /** Files a session may hold open (default 4096): each may be a host file descriptor. */
  maxOpenFiles?: number;
  /** Where unexpected backend failures are reported (one line each, at most 20). */
  log?: Log;
}

/** One decoded request, with the buffers its reply goes to. */
export interface Request {
  type: number;
  tag: number;
  r: PduReader;
  /** Twrite only: the data, as views of the request buffers. */
  payload: Uint8Array[];
  /** The reply's buffers (guest memory) and their total size. */
  out: Uint8Array[];
  outBytes: number;
}

/** A finished reply, or the byte count of one the handler wrote into `out` itself. */
export type Reply = Uint8Array | number;
export type Handler = (s: P9Server, req: Request) => Reply;

const HANDLERS: ReadonlyMap<number, Handler> = new Map([...sessionHandlers, ...ioHandlers, ...nameHandlers, ...attrHandlers]);
const MIN_MSIZE = 4096;
const MAX_NAME = 255;
/** Deepest path a fid may name: keeps each request's host work bounded. */
export const MAX_DEPTH = 1024;
const WRITE_HEADER = HEADER_BYTES + 4 + 8 + 4;
const MAX_LOG_LINES = 20;

export class P9Server {
  readonly backend: FsBackend;
  readonly readonly: boolean;
  readonly maxMsize: number;
  readonly maxOpenFiles: number;
  readonly fids: FidTable;
  readonly locks = new LockTable();
  msize: number;
  openFiles = 0;
  private readonly log: Log;
  private logged = 0;

  constructor(opts: P9ServerOptions) {
    this.backend = opts.backend;
    this.readonly = (opts.readonly ?? false) || opts.backend.readonly;
    const max = opts.maxMsize ?? 512 * 1024;
    if (!Number.isInteger(max) || max < MIN_MSIZE || max > 16 * 1024 * 1024) {
      throw new RangeError(`9p: maxMsize ${max} is not in ${MIN_MSIZE}..16 MiB`);
    }
    this.maxMsize = max;
    this.msize = max;
    this.maxOpenFiles = opts.maxOpenFiles ?? 4096;
    this.fids = new FidTable(opts.maxFids ?? 1 << 16);
    this.log = opts.log ?? (() => {});
  }

  /** Serve one request; returns the number of reply bytes written. */
  handle(readable: Uint8Array[], readableBytes: number, writable: Uint8Array[], writableBytes: number): number {
    if (readableBytes < HEADER_BYTES) throw new VirtioError(`9p: request of ${readableBytes} bytes has no 7-byte header`);
    if (writableBytes < HEADER_BYTES + 4) throw new VirtioError(`9p: reply buffer of ${writableBytes} bytes cannot hold an Rlerror`);
    const head = new Uint8Array(HEADER_BYTES);
    copyFromBuffers(readable, 0, head);
    const hv = new DataView(head.buffer);
    const size = hv.getUint32(0, true);
    const type = head[4];
    const tag = hv.getUint16(5, true);
    let reply: Reply;
    try {
      if (size < HEADER_BYTES || size > readableBytes) throw malformed(`size ${size} with ${readableBytes} bytes present`);
      if (size > this.msize) throw new FsError(EMSGSIZE, `request of ${size} bytes exceeds msize ${this.msize}`);
      const handler = HANDLERS.get(type);
      if (!handler) throw new FsError(EOPNOTSUPP, `message type ${type}`);
      let body: Uint8Array;
      let payload: Uint8Array[] = [];
      if (type === T.write) {
        body = new Uint8Array(Math.min(size, WRITE_HEADER));
        payload = sliceBuffers(readable, WRITE_HEADER, size);
      } else {
        body = new Uint8Array(size);
      }
      copyFromBuffers(readable, 0, body);
      reply = handler(this, { type, tag, r: new PduReader(body), payload, out: writable, outBytes: writableBytes });
    } catch (e) {
      reply = this.lerror(tag, type, e);
    }
    if (typeof reply === "number") return reply;
    if (reply.length > writableBytes) reply = this.lerror(tag, type, new FsError(EMSGSIZE, "reply does not fit the buffers"));
    return copyToBuffers(writable, 0, reply);
  }

  /** Forget the session: clunk every fid (Tversion, device reset). */
  resetSession(): void {
    for (const f of this.fids.values()) this.closeFile(f);
    this.fids.clear();
    this.locks.clear();
    this.msize = this.maxMsize;
  }

  // ---- helpers for the handlers ----

  reply(capacity?: number): PduWriter {
    return new PduWriter(capacity);
  }

  requireWritable(): void {
    if (this.readonly) throw new FsError(EROFS);
  }

  /** A file name from the guest: one path component, never '.', '..', or holding '/' or NUL. */
  checkName(name: Uint8Array): Uint8Array {
    if (name.length === 0) throw new FsError(EINVAL, "empty name");
    if (name.length > MAX_NAME) throw new FsError(ENAMETOOLONG);
    if (name[0] === 0x2e && (name.length === 1 || (name.length === 2 && name[1] === 0x2e))) {
      throw new FsError(EINVAL, "'.' or '..' as a name");
    }
    for (let i = 0; i < name.length; i++) {
      if (name[i] === 0x2f || name[i] === 0) throw new FsError(EINVAL, "'/' or NUL in a name");
    }
    return name.slice();
  }

  childPath(dir: readonly Uint8Array[], name: Uint8Array): Uint8Array[] {
    if (dir.length >= MAX_DEPTH) throw new FsError(ENAMETOOLONG, "path too deep");
    return [...dir, name];
  }

  qidOf(attr: FsAttr): Qid {
    const t = attr.mode & S_IFMT;
    return { type: t === S_IFDIR ? QTDIR : t === S_IFLNK ? QTSYMLINK : QTFILE, version: attr.version >>> 0, path: attr.ino };
  }

  /** What Rlopen/Rlcreate advertise: the largest whole number of pages a read or write can carry. */
  iounit(): number {
    return Math.floor((this.msize - IOHDRSZ) / 4096) * 4096;
  }

  closeFile(f: Fid): void {
    if (!f.file) return;
    const file = f.file;
    f.file = null;
    this.openFiles--;
    try {
      file.close();
    } catch (e) {
      this.note("close", e);
    }
  }

  /** Report an unexpected (non-FsError) failure, a bounded number of times. */
  note(what: string, e: unknown): void {
    if (e instanceof FsError || this.logged >= MAX_LOG_LINES) return;
    this.logged++;
    this.log(`virtio-9p: ${what} failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`);
  }

  private lerror(tag: number, type: number, e: unknown): Uint8Array {
    this.note(`request type ${type}`, e);
    const errno = e instanceof FsError ? e.errno : EIO;
    return this.reply(16).u32(errno).finish(RLERROR, tag);
  }
}
