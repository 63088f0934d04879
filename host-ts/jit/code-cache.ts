// Translated code shared by the machines of one thread. A region's function depends only
// on the guest bytes its decoding read (region.ts `reads`), on where in its page the entry
// lies, and on the core build (decoder, layout); never on the machine or on addresses. So
// a compiled WebAssembly.Module serves every machine whose block decodes from the same
// bytes: each instantiates it over its own memory, globals and helpers. Entries are found
// by a hash and then compared byte for byte; nothing is ever used on a hash alone.

/** One translated region: the bytes it was made from and where its function is. */
export interface CachedRegion {
  /** The entry's offset in its 4 KiB page. */
  readonly pageOffset: number;
  /** [start, end) offsets in the page of the bytes the decoding read, sorted, disjoint. */
  readonly ranges: Uint16Array;
  /** Those bytes, range after range. */
  readonly bytes: Uint8Array;
  /** The second half of an instruction straddling the page end that the code expects, or -1. */
  readonly secondHalf: number;
  readonly hash: number;
  /** The compiled module and the index of the region's export (`f<index>`); null until compiled. */
  module: WebAssembly.Module | null;
  index: number;
  /** Estimated memory it keeps alive (its share of the module's code, and the key). */
  cost: number;
  /** Set when the cache dropped it: warm sets forget it. */
  evicted: boolean;
}

const PAGE = 4096;

/**
 * The key of a region decoded at host address `entry` from `memory`, having read the
 * byte ranges `reads` ([start, end) host address pairs, all in the entry's page), and
 * expecting `secondHalf` after the page's last halfword (-1: none).
 */
export function regionKey(memory: Uint8Array, entry: number, reads: readonly number[], secondHalf = -1): CachedRegion {
  const pageStart = entry & ~(PAGE - 1);
  const pairs: [number, number][] = [];
  for (let i = 0; i < reads.length; i += 2) {
    const start = reads[i] - pageStart, end = reads[i + 1] - pageStart;
    if (start < 0 || end > PAGE || end <= start) throw new RangeError("jit: a region read outside its page");
    pairs.push([start, end]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [];
  for (const [s, e] of pairs) {
    const n = merged.length;
    if (n > 0 && s <= merged[n - 1]) merged[n - 1] = Math.max(merged[n - 1], e);
    else merged.push(s, e);
  }
  const ranges = Uint16Array.from(merged);
  let total = 0;
  for (let i = 0; i < ranges.length; i += 2) total += ranges[i + 1] - ranges[i];
  // Zero-padded to whole words for hashOf; keys with the same ranges have the same length.
  const bytes = new Uint8Array((total + 3) & ~3);
  let at = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    bytes.set(memory.subarray(pageStart + ranges[i], pageStart + ranges[i + 1]), at);
    at += ranges[i + 1] - ranges[i];
  }
  const pageOffset = entry & (PAGE - 1);
  return { pageOffset, ranges, bytes, secondHalf, hash: hashOf(pageOffset, ranges, bytes, secondHalf), module: null, index: -1, cost: 0, evicted: false };
}

/**
 * Whether `page` (the 4096 bytes of a page) holds exactly the bytes `r` was made from. A
 * straddling instruction's second half is not on the page: the code checks it as it runs.
 */
export function regionMatches(r: CachedRegion, page: Uint8Array): boolean {
  let at = 0;
  const { ranges, bytes } = r;
  for (let i = 0; i < ranges.length; i += 2) {
    for (let o = ranges[i]; o < ranges[i + 1]; o++) if (page[o] !== bytes[at++]) return false;
  }
  return true;
}

function sameKey(a: CachedRegion, b: CachedRegion): boolean {
  if (a.hash !== b.hash || a.pageOffset !== b.pageOffset || a.secondHalf !== b.secondHalf) return false;
  if (a.ranges.length !== b.ranges.length || a.bytes.length !== b.bytes.length) return false;
  for (let i = 0; i < a.ranges.length; i++) if (a.ranges[i] !== b.ranges[i]) return false;
  for (let i = 0; i < a.bytes.length; i++) if (a.bytes[i] !== b.bytes[i]) return false;
  return true;
}

/**
 * FNV-1a over the page offset, the second half, the ranges and the bytes, a 32-bit word at
 * a time: keys are made where JavaScript still runs cold (a process's first regions), where
 * a call or a step per byte cost ~10 ms of a boot.
 */
function hashOf(pageOffset: number, ranges: Uint16Array, bytes: Uint8Array, secondHalf: number): number {
  let h = Math.imul(0x811c9dc5 ^ pageOffset, 0x01000193);
  h = Math.imul(h ^ (secondHalf + 1), 0x01000193);
  for (let i = 0; i < ranges.length; i++) h = Math.imul(h ^ ranges[i], 0x01000193);
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193);
  return h >>> 0;
}

/** V8 keeps several times a module's wire bytes as machine code and metadata. */
const CODE_PER_WASM_BYTE = 4;
const KEY_OVERHEAD = 96;

export interface CodeCacheStats {
  regions: number;
  bytes: number; // estimated memory kept
  hits: number;
  misses: number;
  evictions: number;
}

/**
 * Compiled regions of one core build (and one translator variant), least recently used
 * dropped first once their estimated memory passes `maxBytes`.
 */
export class CodeCache {
  readonly stats: CodeCacheStats = { regions: 0, bytes: 0, hits: 0, misses: 0, evictions: 0 };
  private readonly byHash = new Map<number, CachedRegion[]>();
  /** Least recently used first (a Set keeps insertion order; a hit re-inserts). */
  private readonly order = new Set<CachedRegion>();

  constructor(public maxBytes: number) {}

  /** The compiled region made from exactly `key`'s bytes, or null. */
  lookup(key: CachedRegion): CachedRegion | null {
    const found = this.byHash.get(key.hash)?.find((r) => sameKey(r, key)) ?? null;
    if (found) {
      this.touch(found);
      this.stats.hits++;
    } else this.stats.misses++;
    return found;
  }

  /** The region was used: it goes last in line for eviction. */
  touch(r: CachedRegion): void {
    if (r.evicted) return;
    this.order.delete(r);
    this.order.add(r);
  }

  /**
   * Records the regions of a freshly compiled module (`keys[i]` is export `f<i>`),
   * `wasmBytes` long. Returns, for each, the cached entry (another's when a sibling
   * compiled the same bytes meanwhile).
   */
  add(module: WebAssembly.Module, keys: CachedRegion[], wasmBytes: number): CachedRegion[] {
    const share = Math.ceil((wasmBytes * CODE_PER_WASM_BYTE) / Math.max(1, keys.length));
    const out = keys.map((key, i) => {
      const list = this.byHash.get(key.hash) ?? [];
      const known = list.find((r) => sameKey(r, key));
      if (known) return known;
      key.module = module;
      key.index = i;
      key.cost = share + key.bytes.length + 2 * key.ranges.length + KEY_OVERHEAD;
      list.push(key);
      this.byHash.set(key.hash, list);
      this.order.add(key);
      this.stats.regions++;
      this.stats.bytes += key.cost;
      return key;
    });
    this.evict();
    return out;
  }

  private evict(): void {
    for (const r of this.order) {
      if (this.stats.bytes <= this.maxBytes) break;
      this.order.delete(r);
      const list = this.byHash.get(r.hash)!;
      list.splice(list.indexOf(r), 1);
      if (list.length === 0) this.byHash.delete(r.hash);
      r.evicted = true;
      r.module = null;
      this.stats.regions--;
      this.stats.bytes -= r.cost;
      this.stats.evictions++;
    }
  }

  /** Drops everything (tests). */
  clear(): void {
    const max = this.maxBytes;
    this.maxBytes = -1;
    this.evict();
    this.maxBytes = max;
  }
}

/** Estimated memory the cache of a thread may keep by default. */
export const DEFAULT_CODE_CACHE_BYTES = 96 * 2 ** 20;

const caches = new WeakMap<object, CodeCache>();

/** This thread's cache for code made by one core build (keyed by its compiled core module). */
export function codeCacheFor(coreModule: object): CodeCache {
  let c = caches.get(coreModule);
  if (!c) caches.set(coreModule, (c = new CodeCache(DEFAULT_CODE_CACHE_BYTES)));
  return c;
}

/**
 * Regions installed by machines of one lineage (the machines restored from one snapshot in
 * this thread, or the forks of one parent), by host address: a new machine of the lineage
 * installs those whose bytes its own pages still hold before it runs (JitTier.warmStart).
 */
export class WarmSet {
  private readonly byHost = new Map<number, CachedRegion>();

  constructor(entries?: Iterable<[number, CachedRegion]>) {
    if (entries) for (const [host, r] of entries) this.add(host, r);
  }

  add(host: number, r: CachedRegion): void {
    if (!r.evicted && r.module) this.byHost.set(host, r);
  }

  get size(): number { return this.byHost.size; }

  /** The live entries; evicted ones are forgotten on the way. */
  *entries(): IterableIterator<[number, CachedRegion]> {
    for (const [host, r] of this.byHost) {
      if (r.evicted) this.byHost.delete(host);
      else yield [host, r];
    }
  }
}
