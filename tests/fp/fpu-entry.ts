// Test-only AssemblyScript entry: exposes the FPU to tests/fp.test.ts.
// (i64 parameters/results become BigInt in JS; this module is never used by the emulator.)
export * from "../../core-as/fpu/index";
import { fflags } from "../../core-as/fpu/index";

export function getFlags(): u32 { return fflags; }
export function clearFlags(): void { fflags = 0; }
