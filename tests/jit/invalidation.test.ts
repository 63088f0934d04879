// Compiled code must follow RAM when someone other than the guest rewrites it: the host's
// RAM views (DMA, loaders, SBI) retire the translations of the pages they cover. A
// two-instruction loop (addi a0, a0, k; j back) is compiled, then patched between runs;
// with the budget exact, 1000 instructions are 500 iterations, so a0 moves by 500 * k.
import { describe, it, expect } from "vitest";
import { Core, RAM_BASE } from "../../host-ts/core.js";
import { coreModule } from "../support/hart.js";

const ADDI_A0_1 = 0x00150513; // addi a0, a0, 1
const ADDI_A0_2 = 0x00250513; // addi a0, a0, 2
const J_BACK_4 = 0xffdff06f; // jal x0, -4

async function loopCore(): Promise<Core> {
  const core = await Core.create(await coreModule(), {
    ramBytes: 1 << 20, harts: 1, mmio: { read: () => 0, write: () => {} }, jit: { threshold: 1, sync: true, batch: 1 },
  });
  const bytes = core.ramView(RAM_BASE, 8)!;
  const code = new DataView(bytes.buffer, bytes.byteOffset, 8);
  code.setUint32(0, ADDI_A0_1, true);
  code.setUint32(4, J_BACK_4, true);
  core.resetHart(0, BigInt(RAM_BASE));
  return core;
}

/** How far a0 moves in exactly 1000 instructions (run() also returns early to compile). */
function step(core: Core): bigint {
  const before = core.getX(0, 10);
  const start = core.getSlot(0, "S_RETIRED");
  for (let done = 0n; done < 1000n; done = core.getSlot(0, "S_RETIRED") - start) core.run(Number(1000n - done));
  return core.getX(0, 10) - before;
}

describe("translated code and host writes", () => {
  it("a loop keeps its exact budget once compiled", async () => {
    const core = await loopCore();
    step(core); // counted, queued, compiled
    expect(core.jit!.stats.blocks).toBeGreaterThan(0);
    expect(step(core)).toBe(500n);
  });

  it("a write through ramView retires the compiled loop", async () => {
    const core = await loopCore();
    step(core);
    expect(step(core)).toBe(500n);
    const word = core.ramView(RAM_BASE, 4)!;
    new DataView(word.buffer, word.byteOffset, 4).setUint32(0, ADDI_A0_2, true);
    expect(step(core)).toBe(1000n);
    expect(step(core)).toBe(1000n); // and the new code compiles in turn
    // Two translations installed: the old loop's (compiled, or this thread's from the code cache) and the new one's.
    expect(core.jit!.stats.blocks + core.jit!.stats.reused).toBeGreaterThan(1);
  });
});
