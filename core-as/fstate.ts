// Floating-point state shared by F and D: FS gating, rounding-mode resolution,
// NaN-boxing, and folding the FPU's exception flags into fcsr.
import { S_MSTATUS, S_FCSR } from "./layout";
import { getF, setFRaw, insnBits, funct3 } from "./state";
import { illegalInstruction, MS_FS } from "./trap";
// The FPU accumulates its flags in a module global that is read and cleared here.
import * as fpu from "./fpu/common";

const BOX: u64 = 0xffff_ffff_0000_0000;
export const CANONICAL_NAN32: u32 = 0x7fc0_0000;

/** False (after raising illegal instruction) when mstatus.FS is Off. */
// @ts-ignore: decorator
@inline export function fpOn(): bool {
  if ((load<u64>(S_MSTATUS) & MS_FS) != 0) return true;
  illegalInstruction(insnBits);
  return false;
}

/** The instruction's rounding mode (dynamic resolved through frm), or -1 after raising illegal. */
// @ts-ignore: decorator
@inline export function roundingMode(w: u32): i32 {
  let rm = funct3(w);
  if (rm == 7) rm = <u32>(load<u64>(S_FCSR) >> 5) & 7;
  if (rm > 4) {
    illegalInstruction(insnBits);
    return -1;
  }
  return <i32>rm;
}

/** A single-precision operand: anything not properly NaN-boxed reads as the canonical NaN. */
// @ts-ignore: decorator
@inline export function getF32(r: u32): u32 {
  const v = getF(r);
  return (v & BOX) == BOX ? <u32>v : CANONICAL_NAN32;
}
// @ts-ignore: decorator
@inline export function setF32(r: u32, v: u32): void {
  setFRaw(r, BOX | <u64>v);
  markDirty();
}
// @ts-ignore: decorator
@inline export function setF64(r: u32, v: u64): void {
  setFRaw(r, v);
  markDirty();
}
// @ts-ignore: decorator
@inline export function markDirty(): void {
  store<u64>(S_MSTATUS, load<u64>(S_MSTATUS) | MS_FS);
}

/** Accrues the flags the last FPU operation raised. */
// @ts-ignore: decorator
@inline export function accrue(): void {
  const f = fpu.fflags;
  if (f != 0) {
    store<u64>(S_FCSR, load<u64>(S_FCSR) | <u64>f);
    fpu.fflags = 0;
    markDirty();
  }
}
