// Assertions shared by the core tests.
import { expect } from "vitest";
import { type Hart, MTVEC, STVEC, CODE } from "./hart.js";
import { PRIV } from "./riscv.js";

type Num = number | bigint;

/** The last instruction trapped to M: mcause/mepc/mtval as given, now in M at the vector. */
export function expectMTrap(h: Hart, cause: bigint, tval: Num, epc: Num = CODE, vector: Num = MTVEC): void {
  expect({ ...h.mtrap, pc: h.pc, priv: h.priv }).toEqual({ cause, epc: BigInt(epc), tval: BigInt(tval), pc: BigInt(vector), priv: PRIV.M });
}

/** The last instruction trapped to S: scause/sepc/stval as given, now in S at the vector. */
export function expectSTrap(h: Hart, cause: bigint, tval: Num, epc: Num = CODE, vector: Num = STVEC): void {
  expect({ ...h.strap, pc: h.pc, priv: h.priv }).toEqual({ cause, epc: BigInt(epc), tval: BigInt(tval), pc: BigInt(vector), priv: PRIV.S });
}

/** n instructions from `at` ran without a trap: pc moved past them, privilege as given. */
export function expectRan(h: Hart, n: number, priv: number = PRIV.M, at: Num = CODE): void {
  expect({ pc: h.pc, priv: h.priv }).toEqual({ pc: BigInt(at) + BigInt(4 * n), priv });
}
