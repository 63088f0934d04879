// A file as a virtio-blk backend (Node only). Every write goes to the file with
// writeSync, so it reaches the file by the time flush() (fsync) or close() returns.
import * as fs from "node:fs";
import type { BlockBackend } from "../../devices/virtio/block-backend.js";

export interface FileBlockBackend extends BlockBackend {
  readonly path: string;
  readonly readonly: boolean;
}

export function openFileBlockBackend(path: string, opts: { readonly?: boolean } = {}): FileBlockBackend {
  const readonly = opts.readonly ?? false;
  let fd: number | null;
  try {
    fd = fs.openSync(path, readonly ? "r" : "r+");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" :
      code === "EACCES" || code === "EPERM" ? `permission denied${readonly ? "" : " (try readonly=on)"}` :
      code === "EISDIR" ? "is a directory" :
      code === "EROFS" ? "read-only file system (try readonly=on)" :
      (e as Error).message;
    throw new Error(`cannot open disk image ${path}: ${why}`);
  }
  const size = fs.fstatSync(fd).size;

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
    close(): void {
      if (fd === null) return;
      const f = fd;
      fd = null;
      try {
        if (!readonly) fs.fsyncSync(f);
      } finally {
        fs.closeSync(f);
      }
    },
  };
}
