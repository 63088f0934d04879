// Guest RAM (and in-memory disks) in a snapshot: 4 KiB pages in chunks of 16; all-zero pages
// are left out and each chunk's other pages are one zstd frame. Reading is lazy: a chunk is
// decompressed when one of its pages is first wanted, and kept, so every machine restored
// from the same snapshot in this process shares it.
import { PAGE_SIZE, type PageSource } from "../core.js";
import { HartvmError } from "../errors.js";
import { zstdCompress, zstdDecompress } from "./zstd.js";

export const CHUNK_PAGES = 16;
const HEADER = 12; // page count, chunk pages, chunk count
const ENTRY = 16; // chunk index, page mask, frame offset, frame length

const bad = (what: string, why: string) => new HartvmError("invalid-snapshot", `snapshot: ${what}: ${why}`);

/** Whether a 4 KiB page is all zeros. */
export function isZeroPage(page: Uint8Array): boolean {
  const words = new Int32Array(page.buffer, page.byteOffset, PAGE_SIZE / 4);
  for (let i = 0; i < words.length; i += 8) {
    if ((words[i] | words[i + 1] | words[i + 2] | words[i + 3] | words[i + 4] | words[i + 5] | words[i + 6] | words[i + 7]) !== 0) return false;
  }
  return true;
}

/** A page's 4096 bytes (a view where it lies, not to be kept, or a copy), or null for a page known to be zero. */
export type PageReader = (page: number) => Uint8Array | null;

/** Encodes `pageCount` pages. */
export function encodePages(pageCount: number, read: PageReader): Uint8Array {
  const entries: number[][] = [];
  const frames: Uint8Array[] = [];
  let offset = 0;
  const chunk = new Uint8Array(CHUNK_PAGES * PAGE_SIZE);
  for (let c = 0; c * CHUNK_PAGES < pageCount; c++) {
    let mask = 0;
    let n = 0;
    for (let i = 0; i < CHUNK_PAGES && c * CHUNK_PAGES + i < pageCount; i++) {
      const page = read(c * CHUNK_PAGES + i);
      if (page === null || isZeroPage(page)) continue;
      mask |= 1 << i;
      chunk.set(page, n++ * PAGE_SIZE);
    }
    if (n === 0) continue;
    const frame = zstdCompress(chunk.subarray(0, n * PAGE_SIZE));
    entries.push([c, mask, offset, frame.length]);
    frames.push(frame);
    offset += frame.length;
  }
  const out = new Uint8Array(HEADER + ENTRY * entries.length + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, pageCount, true);
  dv.setUint32(4, CHUNK_PAGES, true);
  dv.setUint32(8, entries.length, true);
  entries.forEach((e, i) => e.forEach((v, j) => dv.setUint32(HEADER + ENTRY * i + 4 * j, v, true)));
  let at = HEADER + ENTRY * entries.length;
  for (const f of frames) {
    out.set(f, at);
    at += f.length;
  }
  return out;
}

/** The pages of an encoded section, decompressed chunk by chunk on demand. */
export class CompressedPages implements PageSource {
  readonly pageCount: number;
  private readonly entryOf: Int32Array; // chunk index -> entry, or -1
  private readonly masks: number[] = [];
  private readonly frames: Uint8Array[] = [];
  private readonly chunks: (Uint8Array | null)[] = [];

  constructor(bytes: Uint8Array, expectedPages: number, private readonly what: string) {
    if (bytes.length < HEADER) throw bad(what, "truncated page index");
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pageCount = dv.getUint32(0, true);
    if (this.pageCount !== expectedPages) throw bad(what, `holds ${this.pageCount} pages, expected ${expectedPages}`);
    if (dv.getUint32(4, true) !== CHUNK_PAGES) throw bad(what, `chunks of ${dv.getUint32(4, true)} pages, expected ${CHUNK_PAGES}`);
    const count = dv.getUint32(8, true);
    const chunkCount = Math.ceil(this.pageCount / CHUNK_PAGES);
    if (count > chunkCount || HEADER + ENTRY * count > bytes.length) throw bad(what, "the page index is larger than the section");
    this.entryOf = new Int32Array(chunkCount).fill(-1);
    const data = HEADER + ENTRY * count;
    let expectedOffset = 0;
    for (let i = 0; i < count; i++) {
      const [c, mask, offset, length] = [0, 4, 8, 12].map((o) => dv.getUint32(HEADER + ENTRY * i + o, true));
      const lastMask = c === chunkCount - 1 && this.pageCount % CHUNK_PAGES !== 0 ? (1 << (this.pageCount % CHUNK_PAGES)) - 1 : 0xffff;
      if (c >= chunkCount || this.entryOf[c] !== -1 || mask === 0 || (mask & ~lastMask) !== 0) throw bad(what, `page index entry ${i} is malformed`);
      if (offset !== expectedOffset || length > bytes.length - data - offset) throw bad(what, `page index entry ${i} points outside the section`);
      expectedOffset += length;
      this.entryOf[c] = i;
      this.masks.push(mask);
      this.frames.push(bytes.subarray(data + offset, data + offset + length));
      this.chunks.push(null);
    }
    if (data + expectedOffset !== bytes.length) throw bad(what, "bytes follow the last chunk");
  }

  has(page: number): boolean {
    const e = this.entryOf[Math.floor(page / CHUNK_PAGES)];
    return e !== undefined && e >= 0 && (this.masks[e] & (1 << page % CHUNK_PAGES)) !== 0;
  }

  copy(page: number, into: Uint8Array): void {
    if (this.has(page)) into.set(this.view(page));
    else into.fill(0);
  }

  /** Page p's bytes in its decompressed chunk (p must be one `has` answers true for). */
  view(page: number): Uint8Array {
    const e = this.entryOf[Math.floor(page / CHUNK_PAGES)];
    const mask = this.masks[e];
    const chunk = (this.chunks[e] ??= zstdDecompress(this.frames[e], popcount(mask) * PAGE_SIZE, `${this.what} chunk ${e}`));
    const index = popcount(mask & ((1 << (page % CHUNK_PAGES)) - 1));
    return chunk.subarray(index * PAGE_SIZE, (index + 1) * PAGE_SIZE);
  }
}

/** A copy of pages taken now (a fork's RAM while its parent runs on), all-zero pages left out. */
export class FrozenPages implements PageSource {
  private readonly index = new Map<number, number>();
  private readonly data: Uint8Array;

  constructor(readonly pageCount: number, read: PageReader) {
    const kept: Uint8Array[] = [];
    for (let p = 0; p < pageCount; p++) {
      const page = read(p);
      if (page === null || isZeroPage(page)) continue;
      this.index.set(p, kept.length);
      kept.push(page.slice());
    }
    this.data = new Uint8Array(kept.length * PAGE_SIZE);
    kept.forEach((k, i) => this.data.set(k, i * PAGE_SIZE));
  }

  has(page: number): boolean {
    return this.index.has(page);
  }

  copy(page: number, into: Uint8Array): void {
    if (this.has(page)) into.set(this.view(page));
    else into.fill(0);
  }

  /** Page p's bytes (p must be one `has` answers true for). */
  view(page: number): Uint8Array {
    const i = this.index.get(page)!;
    return this.data.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE);
  }
}

function popcount(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}
