// What translated blocks import from the core: the memory slow paths (a block sets `pc`
// before calling them, so a fault records the right epc, and reads `trapped` after) and
// the instructions they hand back to the interpreter's semantics.
import { loadSlow, storeSlow } from "./mmu";
import { XREG } from "./layout";
import { execute } from "./gen/dispatch";

export function jitLoad(va: u64, size: u32): u64 { return loadSlow(va, <u64>size); }
export function jitStore(va: u64, size: u32, v: u64): void { storeSlow(va, <u64>size, v); }

/**
 * Runs one instruction the translator leaves to the interpreter's semantics (F, D, A, Zicsr),
 * decoded at translation time: op id, 32-bit form, immediate, bits as fetched. The block
 * has stored the x register it reads and reloads the one it writes.
 */
export function jitExecute(op: u32, word: u32, imm: i32, raw: u32): void {
  // x0 is read from its slot (fmv.d.x f, x0), which holds whatever the last instruction to
  // name x0 as its destination wrote there (an interpreted `ret`, an AMO): clear it first,
  // as the run loop does before each instruction it runs.
  store<u64>(XREG, 0);
  execute(op, word, <i64>imm, raw);
}
