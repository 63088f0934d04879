// The snapshot container (docs/SNAPSHOT.md): magic, format version, a JSON header guarded by
// its SHA-256, then sections, each guarded by its SHA-256 in the header. Reading checks all
// of it before anything is used, so a truncated or damaged file gives one clear line.
import { HartvmError } from "../errors.js";
import { sha256 } from "../platform/sha256.js";

export const SNAPSHOT_MAGIC = "HARTVMSS";
export const FORMAT_VERSION = 1;
const FIXED = 48; // magic 8, version 4, header length 4, header SHA-256 32

export interface SectionEntry { name: string; length: number; sha256: string }

export interface SnapshotHeader {
  /** What every reader checks first: the core build and the board must match its own. */
  coreBuild: string;
  board: string;
  hartvm: string;
  created: string;
  sections: SectionEntry[];
  [key: string]: unknown;
}

export interface Container { header: SnapshotHeader; sections: Map<string, Uint8Array> }

const bad = (why: string) => new HartvmError("invalid-snapshot", `snapshot: ${why}`);

export async function encodeContainer(header: Omit<SnapshotHeader, "sections">, sections: { name: string; bytes: Uint8Array }[]): Promise<Uint8Array> {
  const entries: SectionEntry[] = await Promise.all(sections.map(async (s) => ({ name: s.name, length: s.bytes.length, sha256: await sha256(s.bytes) })));
  const json = new TextEncoder().encode(JSON.stringify({ ...header, sections: entries }));
  const total = FIXED + json.length + sections.reduce((n, s) => n + s.bytes.length, 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  out.set(new TextEncoder().encode(SNAPSHOT_MAGIC), 0);
  dv.setUint32(8, FORMAT_VERSION, true);
  dv.setUint32(12, json.length, true);
  out.set(hexBytes(await sha256(json)), 16);
  out.set(json, FIXED);
  let at = FIXED + json.length;
  for (const s of sections) {
    out.set(s.bytes, at);
    at += s.bytes.length;
  }
  return out;
}

export async function decodeContainer(bytes: Uint8Array, expect: { coreBuild: string; board: string }): Promise<Container> {
  if (!(bytes instanceof Uint8Array)) throw bad("expected the bytes of a snapshot (a Uint8Array)");
  if (bytes.length < FIXED) throw bad(`truncated: ${bytes.length} bytes is shorter than the ${FIXED}-byte preamble`);
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== SNAPSHOT_MAGIC) throw bad("not a hartvm snapshot (bad magic)");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(8, true);
  if (version !== FORMAT_VERSION) throw bad(`format version ${version}; this hartvm reads version ${FORMAT_VERSION}`);
  const headerLength = dv.getUint32(12, true);
  if (headerLength > bytes.length - FIXED) throw bad(`truncated: the header needs ${headerLength} bytes, ${bytes.length - FIXED} remain`);
  const json = bytes.subarray(FIXED, FIXED + headerLength);
  if ((await sha256(json)) !== hexString(bytes.subarray(16, 48))) throw bad("the header is corrupt (SHA-256 mismatch)");
  let header: SnapshotHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(json));
  } catch {
    throw bad("the header is not valid JSON");
  }
  if (typeof header !== "object" || header === null || !Array.isArray(header.sections)) throw bad("the header lists no sections");
  if (header.board !== expect.board) throw bad(`made for another board (${String(header.board)}); this hartvm is ${expect.board}`);
  if (header.coreBuild !== expect.coreBuild) {
    throw bad(`made by another core build (${String(header.coreBuild).slice(0, 12)}, hartvm ${String(header.hartvm)}); this core is ${expect.coreBuild.slice(0, 12)}`);
  }
  const sections = new Map<string, Uint8Array>();
  let at = FIXED + headerLength;
  for (const s of header.sections) {
    if (typeof s?.name !== "string" || !Number.isSafeInteger(s.length) || s.length < 0 || typeof s.sha256 !== "string") throw bad("a section entry is malformed");
    if (s.length > bytes.length - at) throw bad(`truncated: section '${s.name}' needs ${s.length} bytes, ${bytes.length - at} remain`);
    const data = bytes.subarray(at, at + s.length);
    if ((await sha256(data)) !== s.sha256) throw bad(`section '${s.name}' is corrupt (SHA-256 mismatch)`);
    sections.set(s.name, data);
    at += s.length;
  }
  if (at !== bytes.length) throw bad(`${bytes.length - at} bytes follow the last section`);
  return { header, sections };
}

/** A section the reader needs; its absence is a clear error. */
export function section(c: Container, name: string): Uint8Array {
  const s = c.sections.get(name);
  if (!s) throw bad(`section '${name}' is missing`);
  return s;
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from({ length: hex.length / 2 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

function hexString(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}
