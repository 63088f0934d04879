// gunzip through Node's zlib: one call for the whole buffer on the thread pool, instead of
// DecompressionStream's promise per 16 KiB (a 4 MiB kernel: about 30 ms against 130).
// Installed by inflate.ts in Node and Deno (which has node:zlib), never in browsers.
import { gunzip } from "node:zlib";
import { constants } from "node:buffer";
import { InflateLimit } from "../../images/gzip.js";

const MIN_CHUNK = 1 << 16;
const MAX_CHUNK = 64 << 20;

export function inflate(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const maxOutputLength = Math.min(maxBytes, constants.MAX_LENGTH);
    gunzip(bytes, { chunkSize: chunkFor(bytes, maxOutputLength), maxOutputLength }, (e, out) => {
      if (e) reject((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" ? new InflateLimit(e.message) : e);
      else resolve(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
    });
  });
}

/**
 * Output steps of the size the gzip trailer announces (ISIZE, the length mod 2^32), so the
 * result is one buffer zlib wrote in place: in 1 MiB steps zlib then copied the steps into
 * a fresh buffer on the main thread, whose page faults cost a 4 MiB kernel about 25 ms. A
 * wrong or hostile trailer only changes the step size, bounded both ways.
 */
function chunkFor(bytes: Uint8Array, maxOutputLength: number): number {
  if (bytes.length < 18) return MIN_CHUNK;
  const n = bytes.length;
  const isize = (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
  return Math.max(MIN_CHUNK, Math.min(isize + 64, MAX_CHUNK, maxOutputLength));
}
