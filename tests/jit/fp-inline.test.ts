// What translated code computes inline (host-ts/jit/fp-inline.ts). Add, sub, mul, div, sqrt
// and the fused multiply-adds against QEMU's results: every vector of tests/fp/vectors.json
// for them, in every rounding mode (those not to nearest-even take the interpreter's way),
// run by a compiled loop that reads each case, computes it and stores result and fflags;
// the loop must also have decided the round-to-nearest cases itself, not handed them all
// on. Those that cannot round or raise a flag in the cases taken (comparisons, minimum and
// maximum, 32-bit integer conversions) against QEMU too; they and the bit moves also
// against the interpreter.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Core, RAM_BASE } from "../../host-ts/core.js";
import { coreModule } from "../support/hart.js";
import { asm, encoding } from "../support/asm.js";
import { FuncBody, ModuleWriter, I64 } from "../../host-ts/jit/wasm-emitter.js";
import { HELPERS } from "../../host-ts/jit/rules.js";

interface Vector { op: string; in: string[]; rm: number; res: string; fl: number }
const vectors = JSON.parse(readFileSync(fileURLToPath(new URL("../fp/vectors.json", import.meta.url)), "utf8")) as Vector[];

const OPS = ["fadd.d", "fsub.d", "fmul.d", "fdiv.d", "fsqrt.d", "fmadd.d", "fmsub.d", "fnmsub.d", "fnmadd.d"];
const OPS_S = OPS.map((op) => op.replace(/\.d$/, ".s"));
const EXACT = ["feq.d", "flt.d", "fle.d", "fmin.d", "fmax.d", "fcvt.d.w", "fcvt.d.wu"];
const TABLE = RAM_BASE + 0x1_0000; // 32 bytes a case: f6, f7, f8, fcsr
const OUT = RAM_BASE + 0x8_0000; // 16 bytes a case: result, fflags
const A0 = 10, A1 = 11, A2 = 12, T0 = 5, T1 = 6;
const FS_INITIAL = 1n << 13n;

function program(op: string): number[] {
  const { format } = encoding(op);
  let compute: number[];
  if (op === "fmv.x.d") compute = [asm(op, { rd: 7, rs1: 6 }), asm("sd", { rs1: A2, rs2: 7, imm: 0 })];
  else if (format === "XFF") compute = [asm(op, { rd: 7, rs1: 6, rs2: 7 }), asm("sd", { rs1: A2, rs2: 7, imm: 0 })];
  else if (op === "fmv.d.x") compute = [asm("ld", { rd: 7, rs1: A0, imm: 0 }), asm(op, { rd: 5, rs1: 7 }), asm("fsd", { rs1: A2, rs2: 5, imm: 0 })];
  else if (format === "FX") compute = [asm("ld", { rd: 7, rs1: A0, imm: 0 }), asm(op, { rd: 5, rs1: 7, rm: 7 }), asm("fsd", { rs1: A2, rs2: 5, imm: 0 })];
  else {
    const operands = { rd: 5, rs1: 6, ...(format === "FR1" ? {} : { rs2: 7 }), ...(format === "R4" ? { rs3: 8 } : {}), ...(format === "FRN" ? {} : { rm: 7 }) }; // dynamic: frm decides
    compute = [asm(op, operands), asm("fsd", { rs1: A2, rs2: 5, imm: 0 })];
  }
  const loop = [
    asm("ld", { rd: T0, rs1: A0, imm: 24 }),
    asm("csrrw", { rd: 0, csr: 0x003, rs1: T0 }), // fcsr: frm for this case, flags cleared
    asm("fld", { rd: 6, rs1: A0, imm: 0 }),
    asm("fld", { rd: 7, rs1: A0, imm: 8 }),
    asm("fld", { rd: 8, rs1: A0, imm: 16 }),
    ...compute,
    asm("csrrs", { rd: T1, csr: 0x001, rs1: 0 }),
    asm("sd", { rs1: A2, rs2: T1, imm: 8 }),
    asm("addi", { rd: A0, rs1: A0, imm: 32 }),
    asm("addi", { rd: A2, rs1: A2, imm: 16 }),
    asm("addi", { rd: A1, rs1: A1, imm: -1 }),
  ];
  return [...loop, asm("bne", { rs1: A1, rs2: 0, imm: -4 * loop.length }), asm("jal", { rd: 0, imm: 0 })];
}

interface Case { in: bigint[]; frm: number }
interface Outcome { results: { res: bigint; fl: number }[]; rounds: number; handedOn: number }

/** `fn` as a wasm function of the helpers' type, which a table can hold (a JavaScript function it cannot). */
function counting(fn: (a: bigint, b: bigint, c: bigint) => bigint): WebAssembly.ExportValue {
  const w = new ModuleWriter();
  const type = w.type({ params: [I64, I64, I64], results: [I64] });
  w.import({ module: "env", name: "fn", kind: "func", type });
  const body = new FuncBody();
  body.get(0).get(1).get(2).call(0);
  w.func(type, [], body);
  return new WebAssembly.Instance(new WebAssembly.Module(w.bytes() as BufferSource), { env: { fn } }).exports.f0;
}

/** Runs the cases through the loop (compiled from its second round on, or interpreted). */
async function run(op: string, cases: Case[], jit: boolean): Promise<Outcome> {
  const core = await Core.create(await coreModule(), {
    ramBytes: 1 << 20, harts: 1, mmio: { read: () => 0, write: () => {} },
    ...(jit ? { jit: { threshold: 2, sync: true, batch: 1, cache: null } } : {}),
  });
  // Calls of the interpreter's semantics from compiled code, by op id: the csrrw of each
  // round counts compiled rounds, the F/D op's own calls count the cases handed on.
  const calls = new Map<number, number>();
  if (jit) {
    // Compiled code calls the interpreter's semantics through the helpers' table (tier.ts):
    // its slot gets a wasm function that counts and calls on.
    const helpers = (core.jit as unknown as { helpers: WebAssembly.Table }).helpers;
    const slot = HELPERS.indexOf("execute");
    // (op id + 256 * word, imm, raw), as core-as/jit-helpers.ts takes them
    const execute = helpers.get(slot) as (opWord: bigint, imm: bigint, raw: bigint) => bigint;
    helpers.set(slot, counting((opWord, imm, raw) => {
      const id = Number(opWord & 0xffn);
      calls.set(id, (calls.get(id) ?? 0) + 1);
      return execute(opWord, imm, raw);
    }));
  }
  const words = program(op);
  const code = core.ramView(RAM_BASE, 4 * words.length)!;
  words.forEach((w, i) => new DataView(code.buffer, code.byteOffset).setUint32(4 * i, w, true));
  const table = core.ramView(TABLE, 32 * cases.length)!;
  const tv = new DataView(table.buffer, table.byteOffset);
  cases.forEach((c, k) => {
    c.in.forEach((v, j) => tv.setBigUint64(32 * k + 8 * j, v, true));
    tv.setBigUint64(32 * k + 24, BigInt(c.frm) << 5n, true);
  });
  core.resetHart(0, BigInt(RAM_BASE));
  core.setSlot(0, "S_MSTATUS", core.getSlot(0, "S_MSTATUS") | FS_INITIAL);
  core.setX(0, A0, BigInt(TABLE));
  core.setX(0, A1, BigInt(cases.length));
  core.setX(0, A2, BigInt(OUT));
  for (let i = 0; i < 1000 && core.getX(0, A1) !== 0n; i++) core.run(10_000);
  expect(core.getX(0, A1)).toBe(0n);
  const out = core.ramView(OUT, 16 * cases.length)!;
  const ov = new DataView(out.buffer, out.byteOffset);
  return {
    results: cases.map((_, k) => ({ res: ov.getBigUint64(16 * k, true), fl: Number(ov.getBigUint64(16 * k + 8, true)) })),
    rounds: calls.get(encoding("csrrw").id) ?? 0,
    handedOn: calls.get(encoding(op).id) ?? 0,
  };
}

/**
 * Ordinary operands (normal, within 2^+-40, either sign): what numeric code computes. With
 * `zeros`, one operand in eight is a signed zero (matrices have them).
 */
function ordinary(count: number, seed: number, zeros = false, single = false): Case[] {
  let s = seed;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
  const value = () => {
    if (single) { // NaN-boxed binary32
      const sign = BigInt(next() & 1) << 31n;
      if (zeros && next() % 8 === 0) return (2n ** 64n - 2n ** 32n) | sign;
      return (2n ** 64n - 2n ** 32n) | sign | (BigInt(127 - 40 + (next() % 81)) << 23n) | BigInt(next() & 0x7fffff);
    }
    const sign = BigInt(next() & 1) << 63n;
    if (zeros && next() % 8 === 0) return sign;
    return sign | (BigInt(1023 - 40 + (next() % 81)) << 52n) | (BigInt(next() & 0xfffff) << 32n) | BigInt(next());
  };
  return Array.from({ length: count }, () => ({ in: [value(), value(), value()], frm: 0 }));
}

describe("inline binary64 arithmetic in translated code", () => {
  it.each([...OPS, ...OPS_S, ...EXACT])("%s matches QEMU on every vector", async (op) => {
    const vs = vectors.filter((v) => v.op === op);
    expect(vs.length).toBeGreaterThan(200);
    // binary32 operands and results live NaN-boxed in the f registers
    const box = /\.s$/.test(op) ? 2n ** 64n - 2n ** 32n : 0n;
    const cases = vs.map((v) => ({ in: [0, 1, 2].map((j) => box | BigInt("0x" + (v.in[j] ?? "0"))), frm: v.rm }));
    const { results, rounds } = await run(op, cases, true);
    expect(rounds).toBeGreaterThan(cases.length * 0.9); // nearly all of them ran compiled
    const wrong = vs.flatMap((v, k) => results[k].res === (box | BigInt("0x" + v.res)) && results[k].fl === v.fl ? [] :
      [`${v.in.join(" ")} rm ${v.rm}: ${results[k].res.toString(16)} fl ${results[k].fl}, QEMU ${v.res} fl ${v.fl}`]);
    expect(wrong).toEqual([]);
  });

  it.each([...OPS, ...OPS_S])("%s on ordinary operands: decided inline, as the interpreter computes it", async (op) => {
    // (roots of positive values: a negative one is NaN and NV, which the interpreter decides)
    const single = op.endsWith(".s");
    const positive = (v: bigint) => v & ~(1n << (single ? 31n : 63n));
    const cases = ordinary(2000, 0x9e3779b9 ^ op.length ^ (single ? 0x55 : 0), false, single)
      .map((c) => (op.startsWith("fsqrt") ? { ...c, in: c.in.map(positive) } : c));
    const [compiled, interpreted] = await Promise.all([run(op, cases, true), run(op, cases, false)]);
    expect(compiled.results).toEqual(interpreted.results);
    expect(compiled.results.some((r) => r.fl === 1)).toBe(true); // inexact results among them
    expect(compiled.rounds).toBeGreaterThan(1900);
    expect(compiled.handedOn).toBeLessThan(compiled.rounds / 100); // near ties and exact zeros only
  });

  it.each(["fsgnj.d", "fsgnjn.d", "fsgnjx.d", "fmv.x.d", "fmv.d.x", ...EXACT])("%s on any bits: inline, as the interpreter computes it", async (op) => {
    let s = 0x12345 + op.length;
    const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
    // any bits: NaNs, infinities, zeros and subnormals move like the rest
    const cases = Array.from({ length: 1000 }, () => ({ in: [0, 1].map(() => (BigInt(next()) << 32n) | BigInt(next())), frm: 0 }));
    const [compiled, interpreted] = await Promise.all([run(op, cases, true), run(op, cases, false)]);
    expect(compiled.results).toEqual(interpreted.results);
    expect(compiled.rounds).toBeGreaterThan(950);
    // only a comparison with a NaN (an all-ones exponent: about 1 in 1000 here) is handed on
    expect(compiled.handedOn).toBeLessThanOrEqual(op in { "feq.d": 1, "flt.d": 1, "fle.d": 1, "fmin.d": 1, "fmax.d": 1 } ? 10 : 0);
  });

  it.each(OPS.filter((op) => encoding(op).format === "R4"))("%s with zero factors and addends: decided inline, as the interpreter computes it", async (op) => {
    const cases = ordinary(2000, 0x2545f491 ^ op.length, true);
    const [compiled, interpreted] = await Promise.all([run(op, cases, true), run(op, cases, false)]);
    expect(compiled.results).toEqual(interpreted.results);
    expect(compiled.rounds).toBeGreaterThan(1900);
    expect(compiled.handedOn).toBeLessThan(compiled.rounds / 50);
  });
});
