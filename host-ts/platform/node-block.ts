// A disk image file as a virtio-blk backend (Node and Deno, through node:fs). Every write
// goes to the file with writeSync, so it is in the file by the time flush() (fsync) or
// close() returns. Only regular files are disks; a writable image is opened once per
// process (a second writer would corrupt it, as QEMU's image locking prevents).
import * as fs from "node:fs";
import { createHash } from "node:crypto";
import type { BlockBackend } from "../../devices/virtio/block-backend.js";
import { HartvmError } from "../errors.js";

export interface FileBlockBackend extends BlockBackend {
  readonly path: string;
  readonly readonly: boolean;
  /** SHA-256 of the whole image as it is now (snapshots refer to files by it). */
  sha256(): string;
}

/** dev:ino of the images open for writing in this process. */
const openForWriting = new Set<string>();

export function openFileBlockBackend(path: string, opts: { readonly?: boolean } = {}): FileBlockBackend {
  const readonly = opts.readonly ?? false;
  let fd: number | null;
  try {
    fd = fs.openSync(path, (readonly ? fs.constants.O_RDONLY : fs.constants.O_RDWR) | fs.constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" :
      code === "EACCES" || code === "EPERM" ? `permission denied${readonly ? "" : " (try readonly=on)"}` :
      code === "EISDIR" ? "is a directory" :
      code === "EROFS" ? "read-only file system (try readonly=on)" :
      (e as Error).message;
    throw new HartvmError("io", `cannot open disk image ${path}: ${why}`);
  }
  const st = fs.fstatSync(fd);
  const key = `${st.dev}:${st.ino}`;
  const refuse = (why: string): never => {
    fs.closeSync(fd!);
    throw new HartvmError("invalid-config", `disk image ${path} ${why}`);
  };
  if (!st.isFile()) refuse("is not a regular file");
  if (!readonly && openForWriting.has(key)) refuse("is already in use by this process (give it once, or add readonly=on)");
  if (!readonly) openForWriting.add(key);
  const size = st.size;

  const open = (): number => {
    if (fd === null) throw new Error(`disk image ${path}: used after close()`);
    return fd;
  };
  const check = (offset: number, len: number): void => {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + len > size) {
      throw new RangeError(`disk image ${path}: access [${offset}, +${len}) outside ${size} bytes`);
    }
  };

  return {
    path,
    size,
    readonly,
    read(offset: number, dst: Uint8Array): void {
      const f = open();
      check(offset, dst.length);
      let done = 0;
      while (done < dst.length) {
        const n = fs.readSync(f, dst, done, dst.length - done, offset + done);
        if (n === 0) {
          dst.fill(0, done); // the file shrank under us: read zeros
          break;
        }
        done += n;
      }
    },
    write(offset: number, src: Uint8Array): void {
      const f = open();
      if (readonly) throw new Error(`disk image ${path}: write to a read-only disk`);
      check(offset, src.length);
      let done = 0;
      while (done < src.length) done += fs.writeSync(f, src, done, src.length - done, offset + done);
    },
    flush(): void {
      const f = open();
      if (!readonly) fs.fsyncSync(f);
    },
    sha256(): string {
      const f = open();
      const hash = createHash("sha256");
      const buf = new Uint8Array(1 << 20);
      for (let at = 0; at < size; ) {
        const n = fs.readSync(f, buf, 0, Math.min(buf.length, size - at), at);
        if (n === 0) break;
        hash.update(buf.subarray(0, n));
        at += n;
      }
      return hash.digest("hex");
    },
    close(): void {
      if (fd === null) return;
      const f = fd;
      fd = null;
      if (!readonly) openForWriting.delete(key);
      try {
        if (!readonly) fs.fsyncSync(f);
      } finally {
        fs.closeSync(f);
      }
    },
  };
}
