// gunzip through Node's zlib: one call for the whole buffer, in 1 MiB steps on the thread
// pool, instead of DecompressionStream's promise per 16 KiB (a 4 MiB kernel: about 30 ms
// against 130). Installed by inflate.ts in Node only.
import { gunzip } from "node:zlib";
import { constants } from "node:buffer";
import { InflateLimit } from "../../images/gzip.js";

export function inflate(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    gunzip(bytes, { chunkSize: 1 << 20, maxOutputLength: Math.min(maxBytes, constants.MAX_LENGTH) }, (e, out) => {
      if (e) reject((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" ? new InflateLimit(e.message) : e);
      else resolve(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
    });
  });
}
