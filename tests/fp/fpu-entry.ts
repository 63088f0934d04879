// Test-only AssemblyScript entry: exposes the FPU to tests/fp.test.ts, and its host-float
// fast paths (which answer NONE64/NONE32 when they hand over to the softfloat) on their own.
// (i64 parameters/results become BigInt in JS; this module is never used by the emulator.)
export * from "../../core-as/fpu/index";
export {
  NONE32, NONE64, add32, mul32, div32, sqrt32, mulAdd32, add64, mul64, div64, sqrt64, mulAdd64,
} from "../../core-as/fpu/fastpath";
import { fflags } from "../../core-as/fpu/index";

export function getFlags(): u32 { return fflags; }
export function clearFlags(): void { fflags = 0; }
export {
  differential, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SQRT, OP_FMA,
  diffA, diffB, diffC, diffGot, diffWant, diffGotFlags, diffWantFlags, diffFast, diffFastInexact,
} from "./differential";
