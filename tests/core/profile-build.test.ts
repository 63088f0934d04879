// The profile core build (asconfig target "profile") reports every instruction the
// interpreter runs, by pc, for bench/interp-profile.js, and counts what the core does
// (core-as/events.ts) for bench/core-events.js; the release build has neither the call nor
// the import nor the counting, so it costs the run loop nothing.
import { describe, it, expect, afterEach } from "vitest";
import { readFileSync } from "node:fs";
import { Core, RAM_BASE, setInterpretedPcHook } from "../../host-ts/core.js";
import { CORE_EVENT_NAMES } from "../../host-ts/core-events.js";
import { asm } from "../support/asm.js";

const build = (name: string) => new WebAssembly.Module(readFileSync(new URL(`../../build/${name}`, import.meta.url)));
const T0 = 5, T1 = 6;

afterEach(() => setInterpretedPcHook(null));

describe("the profile core build", () => {
  it("reports each interpreted instruction's pc, and the release build imports no such hook", async () => {
    expect(WebAssembly.Module.imports(build("core.wasm")).map((i) => i.name)).not.toContain("profilePc");
    const core = await Core.create(build("core.profile.wasm"), { ramBytes: 1 << 20, harts: 1, mmio: { read: () => 0, write: () => {} } });
    const loop = [
      asm("addi", { rd: T0, rs1: T0, imm: 1 }), // RAM_BASE
      asm("c.addi", { rd: T1, imm: 2 }), // RAM_BASE + 4 (compressed)
      asm("jal", { rd: 0, imm: -6 }), // RAM_BASE + 6
    ];
    const code = core.ramView(RAM_BASE, 10)!;
    const dv = new DataView(code.buffer, code.byteOffset, 10);
    dv.setUint32(0, loop[0], true);
    dv.setUint16(4, loop[1], true);
    dv.setUint32(6, loop[2], true);
    core.resetHart(0, BigInt(RAM_BASE));
    const seen = new Map<string, number>();
    setInterpretedPcHook((low, high) => {
      const pc = ((BigInt(high) << 32n) | BigInt(low)).toString(16);
      seen.set(pc, (seen.get(pc) ?? 0) + 1);
    });
    core.run(3 * 100 + 1);
    expect(Object.fromEntries(seen)).toEqual({ "80000000": 101, "80000004": 100, "80000006": 100 });
    expect(core.getX(0, T0)).toBe(101n);
  });

  it("counts what the core did; the release build counts nothing", async () => {
    const mmio = { read: () => 0, write: () => {} };
    const release = await Core.create(build("core.wasm"), { ramBytes: 1 << 20, harts: 1, mmio });
    expect(release.events()).toBeNull();
    const core = await Core.create(build("core.profile.wasm"), { ramBytes: 1 << 20, harts: 1, mmio });
    expect(Object.keys(core.events()!)).toEqual([...CORE_EVENT_NAMES]);
    // 50 rounds of addi, c.addi, jal back; then an illegal instruction (all zeros) traps to mtvec = 0 (not RAM).
    const code = core.ramView(RAM_BASE, 14)!;
    const dv = new DataView(code.buffer, code.byteOffset, 14);
    dv.setUint32(0, asm("addi", { rd: T0, rs1: T0, imm: 1 }), true);
    dv.setUint16(4, asm("c.addi", { rd: T1, imm: 2 }), true);
    dv.setUint32(6, asm("bge", { rs1: T0, rs2: T1, imm: -6 }), true); // T0 < T1 from the first round: falls through
    dv.setUint32(10, 0, true);
    core.resetHart(0, BigInt(RAM_BASE));
    core.run(4);
    const e = core.events()!;
    expect(e.interpreted).toBe(4);
    expect(e.decodes).toBe(3); // addi, c.addi, bge: an empty entry already decodes the zero word (illegal)
    expect(e.exceptions).toBe(1);
    expect(e.walks).toBe(0); // M-mode: no paging
    expect(e.regionEntries).toBe(0);
  });
});
