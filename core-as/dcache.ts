// Where an instruction's decoded entry lives (layout.ts DCACHE). Indexed by where the
// instruction sits (sequential code, sequential entries: few cache misses), by a hash of its
// bits when it has no host address; an entry is valid when its key matches the bits.
import { DCACHE, DCACHE_BITS } from "./layout";

const HASH: u32 = 0x9e37_79b1;

/** The key of fetched bits: compressed instructions are their 16 bits. */
// @ts-ignore: decorator
@inline export function instructionKey(raw: u32): u32 { return (raw & 3) == 3 ? raw : raw & 0xffff; }

/** The entry for the instruction with `key` at host address `at` (0: none). */
// @ts-ignore: decorator
@inline export function decodedEntry(at: u32, key: u32): u32 {
  const slot = at != 0 ? at >> 1 : (key * HASH) >> (32 - DCACHE_BITS);
  return DCACHE + ((slot & ((1 << DCACHE_BITS) - 1)) << 4);
}
