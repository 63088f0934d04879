// However much hot code a guest makes, one translated module stays within what engines
// accept (V8 refuses more than 100,000 exports) and what compiles quickly: the tier splits
// what it has to compile into modules of at most MODULE_MAX_FUNCS functions and lets the
// rest wait, and drops the oldest waiting blocks past PENDING_MAX. The guest here calls
// 131,072 distinct one-instruction functions (`c.jr ra` at every halfword) while the first
// module compiles in the background, so every one of them gets hot and queued meanwhile.
import { describe, it, expect, vi, afterEach } from "vitest";
import { Core, RAM_BASE } from "../../host-ts/core.js";
import { MODULE_MAX_FUNCS, MODULE_MAX_BYTES, PENDING_MAX } from "../../host-ts/jit/tier.js";
import { coreModule } from "../support/hart.js";
import { asm } from "../support/asm.js";

const C_JR_RA = 0x8082;
const DRIVER = RAM_BASE;
const SLOTS = RAM_BASE + 0x1_0000;
const SLOT_COUNT = 131_072;
const T0 = 5, T1 = 6, T2 = 7, RA = 1;

async function makeCore(sync: boolean): Promise<Core> {
  const core = await Core.create(await coreModule(), {
    ramBytes: 1 << 20, harts: 1, mmio: { read: () => 0, write: () => {} }, jit: { threshold: 1, sync, inPlaceMaxBytes: 0, cache: null }, // every block compiled here (in the background unless sync), none from the thread's code cache
  });
  const slots = core.ramView(SLOTS, 2 * SLOT_COUNT)!;
  new Uint16Array(slots.buffer, slots.byteOffset, SLOT_COUNT).fill(C_JR_RA);
  // Calls every slot in turn, round and round: t0 walks from t2 (the first) to t1 (the end).
  const driver = [
    asm("jalr", { rd: RA, rs1: T0, imm: 0 }),
    asm("addi", { rd: T0, rs1: T0, imm: 2 }),
    asm("blt", { rs1: T0, rs2: T1, imm: -8 }),
    asm("addi", { rd: T0, rs1: T2, imm: 0 }),
    asm("jal", { rd: 0, imm: -16 }),
  ];
  const code = core.ramView(DRIVER, 4 * driver.length)!;
  driver.forEach((w, i) => new DataView(code.buffer, code.byteOffset).setUint32(4 * i, w, true));
  core.resetHart(0, BigInt(DRIVER));
  core.setX(0, T0, BigInt(SLOTS));
  core.setX(0, T1, BigInt(SLOTS + 2 * SLOT_COUNT));
  core.setX(0, T2, BigInt(SLOTS));
  return core;
}

/** Export counts and sizes of the modules the tier compiles (both the background and the synchronous way). */
function watchModules(): { exports: number[]; bytes: number[] } {
  const seen = { exports: [] as number[], bytes: [] as number[] };
  const note = (source: unknown) => {
    if (!(source instanceof Uint8Array)) return; // the core itself
    const bytes = source;
    seen.bytes.push(bytes.length);
    seen.exports.push(WebAssembly.Module.exports(new WebAssembly.Module(bytes as BufferSource)).length);
  };
  const instantiate = WebAssembly.instantiate;
  vi.spyOn(WebAssembly, "instantiate").mockImplementation(((source: unknown, imports?: WebAssembly.Imports) => {
    note(source);
    return instantiate(source as BufferSource, imports);
  }) as typeof WebAssembly.instantiate);
  return seen;
}

afterEach(() => { vi.restoreAllMocks(); });

describe("translated modules stay within limits", () => {
  it("hot code queued while a module compiles is split over modules, the oldest dropped past the cap", async () => {
    const seen = watchModules();
    const core = await makeCore(false);
    // No await: the first module cannot finish, so every slot the guest calls (four
    // instructions a call) waits.
    const round = 4n * BigInt(SLOT_COUNT);
    for (let calls = 0; core.getSlot(0, "S_RETIRED") < round && calls < 100_000; calls++) core.run(50_000);
    expect(core.getSlot(0, "S_RETIRED")).toBeGreaterThanOrEqual(round);
    expect(seen.exports).toHaveLength(1);
    expect(core.jit!.stats.dropped).toBeGreaterThan(SLOT_COUNT - PENDING_MAX - 1000);
    // Then the machine runs on as a host runs it, yielding between slices (run() throws if
    // a module failed to compile); the guest keeps making new hot blocks all along.
    for (let turn = 0; turn < 300; turn++) {
      await new Promise((r) => setTimeout(r, 0));
      core.run(10_000);
    }
    expect(core.jit!.stats.modules).toBeGreaterThanOrEqual(PENDING_MAX / MODULE_MAX_FUNCS);
    expect(Math.max(...seen.exports)).toBeLessThanOrEqual(MODULE_MAX_FUNCS);
    expect(Math.max(...seen.bytes)).toBeLessThanOrEqual(MODULE_MAX_BYTES + 64 * 1024);
  }, 120_000);

  it("compileNow splits a list longer than engines allow in one module", async () => {
    const core = await makeCore(true);
    const entries = Array.from({ length: 100_001 }, (_, i) => SLOTS + 2 * i);
    core.jit!.compileNow(entries);
    const stats = core.jit!.stats;
    expect(stats.blocks).toBe(entries.length);
    expect(stats.modules).toBe(Math.ceil(entries.length / MODULE_MAX_FUNCS));
  }, 120_000);
});
