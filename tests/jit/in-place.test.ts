// A small module compiles in place, inside run(): a block that got hot runs compiled from
// the next run() on, without waiting for the host to yield. Where the runtime refuses a
// synchronous compile (a browser's main thread throws RangeError) the tier falls back to
// the background for good, and the guest still gets its code.
import { describe, it, expect, vi, afterEach } from "vitest";
import { Core, RAM_BASE } from "../../host-ts/core.js";
import { coreModule } from "../support/hart.js";
import { asm } from "../support/asm.js";

const T0 = 5;

/** A counted loop at RAM_BASE (addi t0, t0, 1; j back), hot after `threshold` visits. */
async function makeCore(): Promise<Core> {
  const core = await Core.create(await coreModule(), {
    ramBytes: 1 << 20, harts: 1, mmio: { read: () => 0, write: () => {} }, jit: { threshold: 10, cache: null },
  });
  const loop = [asm("addi", { rd: T0, rs1: T0, imm: 1 }), asm("jal", { rd: 0, imm: -4 })];
  const code = core.ramView(RAM_BASE, 4 * loop.length)!;
  loop.forEach((w, i) => new DataView(code.buffer, code.byteOffset).setUint32(4 * i, w, true));
  core.resetHart(0, BigInt(RAM_BASE));
  return core;
}

/** Every round of the loop (addi, jal) counted once, whichever way it ran. */
function expectCounted(core: Core): void {
  const retired = core.getSlot(0, "S_RETIRED");
  expect(retired).toBeGreaterThan(1000n);
  expect(2n * core.getX(0, T0) - retired).toBeGreaterThanOrEqual(0n);
  expect(2n * core.getX(0, T0) - retired).toBeLessThanOrEqual(1n);
}

afterEach(() => { vi.restoreAllMocks(); });

describe("in-place compiles", () => {
  it("a small module is compiled and installed within the run that queued it", async () => {
    const core = await makeCore();
    core.run(1000);
    expect(core.jit!.stats.modules).toBe(1);
    expect(core.jit!.stats.blocks).toBe(1);
    // the compile happened on this thread, and is part of the batch's time to installation
    expect(core.jit!.stats.inPlaceMs).toBeGreaterThan(0);
    expect(core.jit!.stats.inPlaceMs).toBeLessThanOrEqual(core.jit!.stats.compileMs);
    core.run(1000);
    expectCounted(core);
  });

  it("falls back to background compiles where synchronous ones are refused", async () => {
    const core = await makeCore();
    const Module = WebAssembly.Module;
    let refused = 0;
    vi.spyOn(WebAssembly, "Module").mockImplementation(function () {
      refused++;
      throw new RangeError("WebAssembly.Module(): synchronous compile refused");
    } as unknown as typeof WebAssembly.Module);
    core.run(1000);
    expect(refused).toBe(1);
    expect(core.jit!.stats.modules).toBe(0); // on its way in the background
    expect(core.jit!.stats.inPlaceMs).toBe(0);
    vi.restoreAllMocks();
    for (let i = 0; i < 100 && core.jit!.stats.modules === 0; i++) {
      await new Promise((r) => setTimeout(r, 5));
      core.run(1000);
    }
    expect(core.jit!.stats.modules).toBe(1);
    expectCounted(core);
    expect(WebAssembly.Module).toBe(Module);
  });
});
