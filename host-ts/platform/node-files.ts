// Reading inputs by path in Node and Deno (both provide node:fs). Loaded on demand by
// files.ts, so browsers never import it.
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { HartvmError } from "../errors.js";
import { describeBytes } from "../limits.js";

/**
 * Reads a regular file. Anything else (a directory, a FIFO that may never be written, a
 * device such as /dev/zero that never ends) is refused before a byte is read, and a file
 * larger than `maxBytes` is refused rather than read into memory.
 */
export async function readFileInput(path: string | URL, what: string, maxBytes: number): Promise<Uint8Array>;
/** With `ifPresent`, a file that does not exist gives null. */
export async function readFileInput(path: string | URL, what: string, maxBytes: number, ifPresent: true): Promise<Uint8Array | null>;
export async function readFileInput(path: string | URL, what: string, maxBytes: number, ifPresent = false): Promise<Uint8Array | null> {
  const shown = typeof path === "string" ? path : fileURLToPath(path);
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not block; it is refused below anyway.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    if (ifPresent && (e as { code?: string }).code === "ENOENT") return null;
    throw openError(e, what, shown);
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw new HartvmError("io", `${what} '${shown}' is a directory, not a file`);
    if (!st.isFile()) throw new HartvmError("io", `${what} '${shown}' is not a regular file`);
    if (st.size > maxBytes) {
      throw new HartvmError("limit", `${what} '${shown}' is ${st.size} bytes, more than the ${describeBytes(maxBytes)} it may take`);
    }
    const bytes = new Uint8Array(st.size);
    let done = 0;
    while (done < bytes.length) {
      const { bytesRead } = await handle.read(bytes, done, bytes.length - done, done);
      if (bytesRead === 0) break; // the file shrank while we read it
      done += bytesRead;
    }
    return done === bytes.length ? bytes : bytes.subarray(0, done);
  } finally {
    await handle.close();
  }
}

function openError(e: unknown, what: string, shown: string): HartvmError {
  const code = (e as { code?: string }).code;
  const why =
    code === "ENOENT" ? "does not exist" :
    code === "EACCES" || code === "EPERM" ? "cannot be read: permission denied" :
    code === "EISDIR" ? "is a directory, not a file" :
    `cannot be read: ${(e as Error).message}`;
  return new HartvmError("io", `${what} '${shown}' ${why}`);
}
