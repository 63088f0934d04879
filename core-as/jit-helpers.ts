// What translated blocks call in the core: the instructions they hand to the
// interpreter's semantics (a block sets `pc` before calling, so a fault records the right
// epc, and reads `trapped` after) and the M-extension's multiply-high and divide helpers.
// Loads and stores that miss the TLB are no call: the block leaves them to the run loop.
//
// Every one has the same signature, (i64, i64, i64) -> i64, whatever it needs, so a module
// declares one type for them. Modules call them through a table of their own (host-ts/jit/tier.ts
// makes it), not as imports: V8 11 compiles a call wrapper for each imported
// function of every module it compiles (120-450 us, most of a small module's compile; the
// tier compiles its modules one or two regions at a time), and none for a table.
import { XREG } from "./layout";
import { execute } from "./gen/dispatch";
import { mulh, mulhsu, mulhu, div, divu, rem, remu, divw, divuw, remw, remuw } from "./rv64m";

/**
 * Runs one instruction the translator leaves to the interpreter's semantics (F, D, A, Zicsr),
 * decoded at translation time: op id + 256 * its 32-bit form (op ids fit in 8 bits, as
 * isa/gen-decoder.js checks), immediate, bits as fetched.
 * The block has stored the x register it reads and reloads the one it writes.
 */
export function jitExecute(opWord: u64, imm: u64, raw: u64): u64 {
  // x0 is read from its slot (fmv.d.x f, x0), which holds whatever the last instruction to
  // name x0 as its destination wrote there (an interpreted `ret`, an AMO): clear it first,
  // as the run loop does before each instruction it runs.
  store<u64>(XREG, 0);
  execute(<u32>(opWord & 0xff), <u32>(opWord >> 8), <i64>imm, <u32>raw);
  return 0;
}

export function jitMulh(a: u64, b: u64, unused: u64): u64 { return mulh(a, b); }
export function jitMulhsu(a: u64, b: u64, unused: u64): u64 { return mulhsu(a, b); }
export function jitMulhu(a: u64, b: u64, unused: u64): u64 { return mulhu(a, b); }
export function jitDiv(a: u64, b: u64, unused: u64): u64 { return div(a, b); }
export function jitDivu(a: u64, b: u64, unused: u64): u64 { return divu(a, b); }
export function jitRem(a: u64, b: u64, unused: u64): u64 { return rem(a, b); }
export function jitRemu(a: u64, b: u64, unused: u64): u64 { return remu(a, b); }
export function jitDivw(a: u64, b: u64, unused: u64): u64 { return divw(a, b); }
export function jitDivuw(a: u64, b: u64, unused: u64): u64 { return divuw(a, b); }
export function jitRemw(a: u64, b: u64, unused: u64): u64 { return remw(a, b); }
export function jitRemuw(a: u64, b: u64, unused: u64): u64 { return remuw(a, b); }
