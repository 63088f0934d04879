// The translator's WebAssembly writer: constants survive LEB128 encoding at their edges,
// and control flow (block/loop/br_table) assembles into modules the engine accepts.
import { describe, it, expect } from "vitest";
import { FuncBody, ModuleWriter, I32, I64, Op } from "../../host-ts/jit/wasm-emitter.js";

function instantiate(w: ModuleWriter): Record<string, Function> {
  return new WebAssembly.Instance(new WebAssembly.Module(w.bytes() as BufferSource)).exports as Record<string, Function>;
}

describe("wasm emitter", () => {
  it("i64 constants, given as numbers or bigints, come back exact", () => {
    const values: (number | bigint)[] = [
      0, 1, -1, 63, 64, -64, -65, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 0x7fff_f000 + 4094,
      -0x8000_0000 - 4094, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2n ** 63n - 1n, -(2n ** 63n), 0x1234_5678_9abc_def0n,
    ];
    const w = new ModuleWriter();
    const type = w.type({ params: [], results: [I64] });
    for (const v of values) w.func(type, [], new FuncBody().i64(v));
    const x = instantiate(w);
    values.forEach((v, i) => expect(x[`f${i}`](), String(v)).toBe(BigInt.asIntN(64, BigInt(v))));
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
