// Where an instruction's decoded entry lives (layout.ts DCACHE). Indexed by where the
// instruction sits (sequential code, sequential entries: few cache misses), by a hash of its
// bits when it has no host address; an entry is valid when its tag matches the bits fetched.
// Two ways: the run loop looks only in the first; a miss there finds the instruction in the
// second when it was the one the first held last (cpu.ts fillEntry), so two hot instructions
// a table's span apart (a kernel function and the page of user code that maps onto it) no
// longer take turns being decoded.
import { DCACHE, DCACHE_BITS, DCACHE_WAY } from "./layout";

const HASH: u32 = 0x9e37_79b1;
const SLOT_MASK: u32 = (1 << DCACHE_BITS) - 1;

/** The key of fetched bits: compressed instructions are their 16 bits. */
// @ts-ignore: decorator
@inline export function instructionKey(raw: u32): u32 { return (raw & 3) == 3 ? raw : raw & 0xffff; }

/**
 * The entry for the instruction at host address `at` of a code page (page offset below
 * 0xffe, so the 4 bytes there are the page's). Its tag is those 4 bytes as they are, a
 * compressed instruction's with the next halfword: they change only when the code does,
 * and the run loop compares them without first making a key. Instructions are 2-byte
 * aligned, so the slot (at >> 1) << 4 is at << 3.
 */
// @ts-ignore: decorator
@inline export function entryAt(at: u32): u32 { return DCACHE + ((at << 3) & (SLOT_MASK << 4)); }

/** The entry for an instruction fetched without a host address (across a page end, from outside RAM); its tag is its key. */
// @ts-ignore: decorator
@inline export function entryOfKey(key: u32): u32 { return DCACHE + ((((key * HASH) >> (32 - DCACHE_BITS)) & SLOT_MASK) << 4); }

/** The entry in the second way of the set whose first-way entry is `entry`. */
// @ts-ignore: decorator
@inline export function otherWay(entry: u32): u32 { return entry + DCACHE_WAY; }
