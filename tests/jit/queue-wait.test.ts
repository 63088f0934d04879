// The host lengthens slices while compiled code runs fast (host-ts/slice.ts), and a block
// that gets hot inside a long slice must not wait for its end: the core then lets at most
// 100k more instructions run before run() returns, so the host compiles it. A slice that
// queues nothing, or is short anyway, runs its whole budget.
import { describe, it, expect } from "vitest";
import { Core, RAM_BASE } from "../../host-ts/core.js";
import { coreModule } from "../support/hart.js";
import { asm } from "../support/asm.js";

const T0 = 5;
const WAITS_AT_MOST = 100_000;

/** `words` at RAM_BASE, hart 0 starting there, blocks hot after `threshold` landings (null: no tier). */
async function coreRunning(words: number[], threshold: number | null): Promise<Core> {
  const core = await Core.create(await coreModule(), {
    ramBytes: 1 << 20, harts: 1, mmio: { read: () => 0, write: () => {} }, jit: threshold === null ? undefined : { threshold, cache: null },
  });
  const code = core.ramView(RAM_BASE, 4 * words.length)!;
  words.forEach((w, i) => new DataView(code.buffer, code.byteOffset).setUint32(4 * i, w, true));
  core.resetHart(0, BigInt(RAM_BASE));
  return core;
}
const loop = [asm("addi", { rd: T0, rs1: T0, imm: 1 }), asm("jal", { rd: 0, imm: -4 })];

describe("a block queued in a long slice", () => {
  it("is compiled after at most 100k more instructions, not at the slice's end", async () => {
    const core = await coreRunning(loop, 10);
    core.run(4_000_000);
    const spent = core.lastRunSpent();
    expect(spent).toBeGreaterThanOrEqual(WAITS_AT_MOST);
    expect(spent).toBeLessThanOrEqual(WAITS_AT_MOST + 100);
    expect(core.jit!.stats.blocks).toBe(1);
    // Accounting holds: what run() reports spent is what the hart retired.
    expect(core.getSlot(0, "S_RETIRED")).toBe(BigInt(spent));
    expect(2n * core.getX(0, T0) - BigInt(spent)).toBeLessThanOrEqual(1n);
    // The next long slice has nothing queued: it runs all of it, compiled.
    core.run(4_000_000);
    expect(core.lastRunSpent()).toBe(4_000_000);
  });

  it("leaves a short slice and a slice with the tier off alone", async () => {
    const hot = await coreRunning(loop, 10);
    hot.run(50_000);
    expect(hot.lastRunSpent()).toBe(50_000);
    const interpreted = await coreRunning(loop, null);
    interpreted.run(4_000_000);
    expect(interpreted.lastRunSpent()).toBe(4_000_000);
  });
});
