// Random RV64GC programs (tests/jit/random-program.ts) in M, S and U mode, interpreted and
// with every block compiled on its first visit: after the same exact budget the two cores
// must agree on everything (hart state, data and code pages, page tables, MMIO traffic).
//
// CI runs a fixed seed. For long runs:
//   HARTVM_FUZZ_SEED=123 HARTVM_FUZZ_COUNT=500 npx vitest run tests/jit/random.test.ts
// or tests/jit/fuzz.sh --seed 123 --count 500. A failure names its seed; rerun it alone
// with HARTVM_FUZZ_SEED=<seed> HARTVM_FUZZ_COUNT=1.
import { describe, it, expect } from "vitest";
import { createHash } from "node:crypto";
import { Twin } from "./twin.js";
import {
  randomProgram, codePa, type Mode, RAM_SIZE, CODE, CODE_SIZE, START, DATA, DATA_SIZE, PT_ROOT, PT_L1, PT_L0, MTVEC, STVEC,
} from "./random-program.js";

const SEED = Number(process.env.HARTVM_FUZZ_SEED ?? 20261130);
const COUNT = Number(process.env.HARTVM_FUZZ_COUNT ?? 12);
const BUDGET = Number(process.env.HARTVM_FUZZ_BUDGET ?? 20_000);
const MODES: Mode[] = ["M", "S", "U"];
const PRIV = { U: 0, S: 1, M: 3 };

async function setUp(seed: number, mode: Mode): Promise<Twin> {
  const p = randomProgram(seed, mode);
  const twin = await Twin.create({ ramBytes: RAM_SIZE });
  twin.openPmp();
  for (const [at, hs] of p.handlers) hs.forEach((h, i) => twin.write16(at + 2 * i, h));
  for (const page of [PT_ROOT, PT_L1, PT_L0]) twin.writeRam(page, new Uint8Array(0x1000));
  for (const [at, v] of p.tables) twin.write64(at, v);
  twin.writeRam(CODE, new Uint8Array(CODE_SIZE));
  p.code.forEach((h, i) => twin.write16(codePa(START + 2 * i, mode), h));
  twin.writeRam(DATA, p.data);
  for (let r = 1; r < 32; r++) twin.setX(r, p.x[r]);
  for (let r = 0; r < 32; r++) twin.setF(r, p.f[r]);
  twin.setSlot("S_MTVEC", MTVEC);
  twin.setSlot("S_STVEC", STVEC);
  twin.setSlot("S_MEDELEG", p.medeleg);
  twin.setSlot("S_MSTATUS", p.mstatus);
  twin.setSlot("S_FCSR", p.fcsr);
  twin.setSlot("S_MCOUNTEREN", 7n);
  twin.setSlot("S_SCOUNTEREN", 7n);
  twin.setSlot("S_SATP", mode === "M" ? 0n : (8n << 60n) | BigInt(PT_ROOT >>> 12));
  twin.setPc(START);
  twin.setPriv(PRIV[mode]);
  twin.watch(CODE, CODE_SIZE);
  twin.watch(DATA, DATA_SIZE);
  twin.watch(PT_L0, 0x1000);
  return twin;
}

/** A short fingerprint of the interpreter's final state (hart slot and watched memory), for the log. */
function stateHash(twin: Twin): string {
  const c = twin.cores[0];
  const h = createHash("sha256");
  h.update(twin.slotImage());
  for (const [pa, len] of [[CODE, CODE_SIZE], [DATA, DATA_SIZE], [PT_L0, 0x1000]]) {
    h.update(new Uint8Array(c.memory.buffer, c.layout.RAM_OFFSET + (pa - 0x8000_0000), len));
  }
  return h.digest("hex").slice(0, 16);
}

describe("random programs: interpreted and compiled on first visit agree", () => {
  const seeds = Array.from({ length: COUNT }, (_, i) => SEED + i);
  it.each(seeds)("seed %i", async (seed) => {
    const mode = MODES[seed % 3];
    const twin = await setUp(seed, mode);
    twin.run(BUDGET);
    const diff = twin.diff();
    const { entries, kinds } = twin.coverage();
    const compiled = [...kinds.values()].reduce((a, b) => a + b, 0);
    expect(diff, `seed ${seed} (${mode}-mode, state ${stateHash(twin)}) differs`).toEqual([]);
    expect(entries, "entries into compiled code").toBeGreaterThan(0);
    totals.compiled += compiled;
    totals.budget += BUDGET;
  }, 60_000);

  it("ran mostly in compiled code", () => {
    // Instructions started in compiled code against the budget, over all programs (the rest:
    // the first visit of each block, traps, CSR and system instructions, code rewritten).
    expect(totals.compiled / totals.budget).toBeGreaterThan(0.5);
  });
});

const totals = { compiled: 0, budget: 0 };
