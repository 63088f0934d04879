// x0 from outside the core: an instruction that names x0 as its destination still writes the
// register file's slot for it (the run loop clears the slot before the next instruction, so
// the hot path has no test for rd = 0). A run that ends right after such an instruction must
// not let that value out: the debugger, snapshots and the host read the saved hart state.
import { describe, it, expect } from "vitest";
import { asm } from "../support/asm.js";
import { Hart, CODE } from "../support/hart.js";

describe("x0 after a run", () => {
  it("reads as zero when the run's last instruction wrote x0's slot", async () => {
    const h = await Hart.create();
    h.load(CODE, [
      asm("jal", { rd: 0, imm: 4 }), // writes the return address to x0's slot
      asm("lui", { rd: 0, imm: 0x12345 }),
    ]);
    h.pc = CODE;
    h.step(1);
    expect(h.pc).toBe(BigInt(CODE + 4));
    expect(h.x(0)).toBe(0n);
    h.step(1);
    expect(h.pc).toBe(BigInt(CODE + 8));
    expect(h.x(0)).toBe(0n);
  });
});
