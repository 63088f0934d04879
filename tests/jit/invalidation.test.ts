// Compiled code must follow RAM when someone other than the guest rewrites it: the host's
// RAM views (DMA, loaders, SBI) retire the translations of the pages they cover. The loop of
// loop-program.ts is compiled, then patched between runs.
import { describe, it, expect } from "vitest";
import { Core, RAM_BASE } from "../../host-ts/core.js";
import { coreModule } from "../support/hart.js";
import { ADDI_A0, writeLoop, step } from "./loop-program.js";

async function loopCore(): Promise<Core> {
  const core = await Core.create(await coreModule(), {
    ramBytes: 1 << 20, harts: 1, mmio: { read: () => 0, write: () => {} }, jit: { threshold: 1, sync: true, batch: 1 },
  });
  writeLoop(core, 1);
  return core;
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
    new DataView(word.buffer, word.byteOffset, 4).setUint32(0, ADDI_A0(2), true);
    expect(step(core)).toBe(1000n);
    expect(step(core)).toBe(1000n); // and the new code compiles in turn
    // Two translations installed: the old loop's (compiled, or this thread's from the code cache) and the new one's.
    expect(core.jit!.stats.blocks + core.jit!.stats.reused).toBeGreaterThan(1);
  });
});
