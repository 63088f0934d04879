// The two-instruction loop (addi a0, a0, k; j back) the tier's tests compile and patch. With
// an exact budget, 1000 instructions are 500 iterations, so a0 moves by 500 * k, whichever
// code (interpreted or compiled) runs them.
import { RAM_BASE, type Core } from "../../host-ts/core.js";

export const ADDI_A0 = (k: number) => (((k & 0xfff) << 20) | (10 << 15) | (10 << 7) | 0x13) >>> 0; // addi a0, a0, k
export const J_BACK_4 = 0xffdff06f; // jal x0, -4

/** Writes the loop at RAM offset `at` and starts hart 0 there. */
export function writeLoop(core: Core, k: number, at = 0): void {
  const bytes = core.ramView(RAM_BASE + at, 8)!;
  const code = new DataView(bytes.buffer, bytes.byteOffset, 8);
  code.setUint32(0, ADDI_A0(k), true);
  code.setUint32(4, J_BACK_4, true);
  core.resetHart(0, BigInt(RAM_BASE + at));
}

/** How far a0 moves in exactly 1000 instructions (run() also returns early to compile). */
export function step(core: Core): bigint {
  const before = core.getX(0, 10);
  const start = core.getSlot(0, "S_RETIRED");
  for (let done = 0n; done < 1000n; done = core.getSlot(0, "S_RETIRED") - start) core.run(Number(1000n - done));
  return core.getX(0, 10) - before;
}
