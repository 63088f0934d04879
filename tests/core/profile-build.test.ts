// The profile core build (asconfig target "profile") reports every instruction the
// interpreter runs, by pc, for bench/interp-profile.js; the release build has neither the
// call nor the import, so it costs the run loop nothing.
import { describe, it, expect, afterEach } from "vitest";
import { readFileSync } from "node:fs";
import { Core, RAM_BASE, setInterpretedPcHook } from "../../host-ts/core.js";
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
});
