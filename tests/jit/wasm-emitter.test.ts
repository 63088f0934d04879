// The translator's WebAssembly writer: constants survive LEB128 encoding at their edges,
// and control flow (block/loop/br_table) assembles into modules the engine accepts.
import { describe, it, expect } from "vitest";
import { FuncBody, ModuleWriter, I32, I64, Op } from "../../host-ts/jit/wasm-emitter.js";
import { newModule } from "../../host-ts/jit/tier.js";

function instantiate(w: ModuleWriter): Record<string, Function> {
  return new WebAssembly.Instance(new WebAssembly.Module(w.bytes() as BufferSource)).exports as Record<string, Function>;
}

describe("wasm emitter", () => {
  it("i64 constants, given as numbers or bigints, come back exact", () => {
    const values: (number | bigint)[] = [
      0, 1, -1, 63, 64, -64, -65, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 0x7fff_f000 + 4094,
      -0x8000_0000 - 4094, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2n ** 63n - 1n, -(2n ** 63n), 0x1234_5678_9abc_def0n,
      // safe integers past 32 bits at LEB128 group edges (an op id + 256 * a 32-bit word is one)
      2 ** 34 - 1, 2 ** 34, -(2 ** 34), -(2 ** 34) - 1, 2 ** 41, -(2 ** 48) + 1, 2 ** 52 + 1, 0xffff_ffff * 256 + 195,
      ...Array.from({ length: 64 }, (_, k) => (k % 2 ? -1 : 1) * Math.floor(((k * 0x9e37_79b9) % 2 ** 21) * 2 ** (11 + (k % 21)) + k)),
    ];
    const w = new ModuleWriter();
    const type = w.type({ params: [], results: [I64] });
    for (const v of values) w.func(type, [], new FuncBody().i64(v));
    const x = instantiate(w);
    values.forEach((v, i) => expect(x[`f${i}`](), String(v)).toBe(BigInt.asIntN(64, BigInt(v))));
  });

  it("translated modules declare two function types, the blocks' and the helpers', and import no function", () => {
    // V8 compiles a call wrapper for every imported function of every module it compiles;
    // the helpers are called through a table of their own instead (tier.ts), not the core's,
    // which holds every compiled function and grows with them.
    const bytes = newModule().bytes();
    expect(bytes[8]).toBe(1); // the type section comes first
    expect(bytes[10]).toBe(2); // its count (the section is short: one-byte size)
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes as BufferSource));
    expect(imports.filter((i) => i.kind === "function")).toEqual([]);
    expect(imports.filter((i) => i.kind === "table").map((i) => i.name)).toEqual(["helpers"]);
    // A module whose code calls no helper needs neither.
    const plain = WebAssembly.Module.imports(new WebAssembly.Module(newModule(false).bytes() as BufferSource));
    expect(plain.map((i) => i.kind)).toEqual(["memory", "global", "global", "global", "global", "global"]);
  });

  it("translated regions take the entry pc and return the next, and read the data TLB from memory", () => {
    // An imported mutable global costs translated code a chain of loads: the pc crosses as a
    // parameter and a result, the budget and the data TLB base sit at fixed addresses.
    const bytes = newModule().bytes();
    expect([...bytes.subarray(11, 16)]).toEqual([0x60, 1, 0x7e, 1, 0x7e]); // BLOCK_TYPE: (i64) -> i64
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes as BufferSource));
    expect(imports.filter((i) => i.kind === "global").map((i) => i.name)).toEqual(["pc", "trapped", "attention", "remaining", "fetchTlb"]);
  });

  it("refuses an i64 constant that is not an integer", () => {
    expect(() => new FuncBody().i64(0.5)).toThrow(/not an integer/);
    expect(() => new FuncBody().i64(2 ** 60)).toThrow(/not an integer/);
  });

  it("i32 constants and locals at their edges", () => {
    const values = [0, -1, 2 ** 31 - 1, -(2 ** 31), 127, 128, -128, -129];
    const w = new ModuleWriter();
    const type = w.type({ params: [], results: [I32] });
    for (const v of values) w.func(type, [[1, I32]], new FuncBody().i32(v).set(0).get(0));
    const x = instantiate(w);
    values.forEach((v, i) => expect(x[`f${i}`]()).toBe(v));
  });

  it("a br_table dispatch loop, as translated regions use it", () => {
    // f(n): count down n through two alternating blocks; returns how many steps ran.
    const w = new ModuleWriter();
    const type = w.type({ params: [I32], results: [I32] });
    const f = new FuncBody();
    const [N, CUR, STEPS] = [0, 1, 2];
    f.open(Op.block).open(Op.loop).open(Op.block).open(Op.block);
    f.get(CUR).op(Op.br_table).u32(2).u32(0).u32(1).u32(0);
    f.end(); // block 0: go to block 1
    f.get(STEPS).i32(1).op(Op.i32_add).set(STEPS).i32(1).set(CUR).op(Op.br).u32(1);
    f.end(); // block 1: count down, back to block 0 or out
    f.get(STEPS).i32(1).op(Op.i32_add).set(STEPS);
    f.get(N).i32(1).op(Op.i32_sub).tee(N).op(Op.i32_eqz).op(Op.br_if).u32(1);
    f.i32(0).set(CUR).op(Op.br).u32(0);
    f.end().end();
    f.get(STEPS);
    w.func(type, [[2, I32]], f);
    const x = instantiate(w);
    expect(x.f0(5)).toBe(10);
    expect(x.f0(1)).toBe(2);
  });
});
