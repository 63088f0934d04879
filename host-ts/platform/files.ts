// Turning an input (bytes, a URL, or a path in Node and Deno) into bytes, the same way in
// every runtime. Paths go through node-files.ts, imported only when a path is given.
import { HartvmError } from "../errors.js";
import { hasFileSystem } from "./runtime.js";
import { describeBytes } from "../limits.js";

/** Bytes, a URL (fetched; file: URLs are read from disk in Node and Deno), or a file path (Node and Deno). */
export type Input = Uint8Array | ArrayBuffer | URL | string;

const SCHEME = /^[a-z][a-z0-9+.-]+:/i; // two letters at least, so "C:\..." stays a path

/** A string names a URL when it has a scheme, or always in a browser (relative to the page). */
export function inputUrl(input: string | URL): URL | null {
  if (input instanceof URL) return input;
  if (SCHEME.test(input)) return new URL(input);
  if (!hasFileSystem) return new URL(input, (globalThis as unknown as { location?: { href: string } }).location?.href);
  return null;
}

/** A short name for messages: the path or URL as given, or "(N bytes)". */
export function inputName(input: Input): string {
  if (typeof input === "string") return input;
  if (input instanceof URL) return input.href;
  return `(${input.byteLength} bytes)`;
}

/**
 * Reads an input; `what` names it in messages ("kernel", "initrd"); anything larger than
 * `maxBytes` is refused before it is read whole.
 */
export async function readInput(input: Input, what: string, maxBytes: number): Promise<Uint8Array> {
  if (input instanceof Uint8Array) return checkSize(input, what, maxBytes);
  if (input instanceof ArrayBuffer) return checkSize(new Uint8Array(input), what, maxBytes);
  if (typeof input !== "string" && !(input instanceof URL)) {
    throw new HartvmError("invalid-config", `${what}: expected bytes (Uint8Array, ArrayBuffer), a URL or a path, got ${describe(input)}`);
  }
  const url = inputUrl(input);
  if (url === null || url.protocol === "file:") {
    if (!hasFileSystem) throw new HartvmError("io", `${what} '${inputName(input)}': this runtime has no file system; pass bytes or a URL`);
    const { readFileInput } = await import("./node-files.js");
    return readFileInput(url ?? (input as string), what, maxBytes);
  }
  return fetchInput(url, what, maxBytes);
}

/**
 * A file the package may or may not carry: its bytes, or null when it does not exist or is
 * no local file here (a browser, an http: URL). Anything else goes as readInput goes.
 */
export async function readFileIfPresent(input: URL | string, what: string, maxBytes: number): Promise<Uint8Array | null> {
  const url = inputUrl(input);
  if (!hasFileSystem || (url !== null && url.protocol !== "file:")) return null;
  const { readFileInput } = await import("./node-files.js");
  return readFileInput(url ?? (input as string), what, maxBytes, true);
}

async function fetchInput(url: URL, what: string, maxBytes: number): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new HartvmError("io", `${what} '${url.href}' could not be fetched: ${(e as Error).message}`);
  }
  if (!response.ok) throw new HartvmError("io", `${what} '${url.href}' could not be fetched: HTTP ${response.status}`);
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) tooLarge(what, url.href, declared, maxBytes);
  const reader = response.body?.getReader();
  if (!reader) return checkSize(new Uint8Array(await response.arrayBuffer()), what, maxBytes);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      tooLarge(what, url.href, total, maxBytes);
    }
    chunks.push(value);
  }
  return concat(chunks, total);
}

function checkSize(bytes: Uint8Array, what: string, maxBytes: number): Uint8Array {
  if (bytes.length > maxBytes) tooLarge(what, `(${bytes.length} bytes)`, bytes.length, maxBytes);
  return bytes;
}

function tooLarge(what: string, shown: string, size: number, maxBytes: number): never {
  throw new HartvmError("limit", `${what} '${shown}' is ${size} bytes or more, more than the ${describeBytes(maxBytes)} it may take`);
}

export function concat(chunks: Uint8Array[], total = chunks.reduce((n, c) => n + c.length, 0)): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  const name = (value as object).constructor?.name;
  return name && name !== "Object" ? `a ${name}` : `an object with keys ${Object.keys(value as object).join(", ") || "(none)"}`;
}
