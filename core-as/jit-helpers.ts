// What translated blocks import from the core: the memory slow paths (a block sets `pc`
// before calling them, so a fault records the right epc, and reads `trapped` after) and
// the M-extension arithmetic that wasm has no single instruction for.
import { loadSlow, storeSlow } from "./mmu";

export function jitLoad(va: u64, size: u32): u64 { return loadSlow(va, <u64>size); }
export function jitStore(va: u64, size: u32, v: u64): void { storeSlow(va, <u64>size, v); }
