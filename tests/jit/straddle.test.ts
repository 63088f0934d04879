// A 4-byte instruction that starts at a page's last halfword straddles two pages. Translated
// code runs it from the second half the guest last fetched, checked against the fetch TLB
// each time (host-ts/jit/translate.ts): a loop through a page boundary stays compiled, and a
// second page that is rewritten, remapped or no longer executable is seen at once. Every
// step here runs on a compiling hart and an interpreting one, which must agree.
import { describe, it, expect } from "vitest";
import { asm } from "../support/asm.js";
import { Hart, RAM_BASE } from "../support/hart.js";
import { PageTables } from "../support/pagetable.js";
import { PRIV, PTE, X } from "../support/riscv.js";

const { a0, a1, a2 } = X;
const A = RAM_BASE + 0x8000; // the loop's first page
const B = A + 0x1000; // its second page
const B2 = A + 0x2000; // another second page, for remapping
const V0 = 0x4000_0000n; // where paging puts them
const V1 = V0 + 0x1000n;
const addiA2 = (k: number) => asm("addi", { rd: a2, rs1: a2, imm: k });

/**
 * The loop (4 instructions, 3 of them in A): addi a0,1; c.addi a1,1; addi a2,k across the
 * boundary; then in the second page j back. B2 holds the same second page with another k.
 */
function writeLoop(h: Hart): void {
  h.write32(A + 0xff8, asm("addi", { rd: a0, rs1: a0, imm: 1 }));
  h.write16(A + 0xffc, asm("c.addi", { rd: a1, imm: 1 }));
  h.write16(A + 0xffe, addiA2(3) & 0xffff);
  for (const [page, k] of [[B, 3], [B2, 7]]) {
    h.write16(page, addiA2(k) >>> 16);
    h.write32(page + 2, asm("jal", { rd: 0, imm: -10 }));
  }
}

/** Runs exactly 1000 instructions (run() also returns early to compile). */
function run1000(h: Hart): void {
  const start = h.get("S_RETIRED");
  for (let done = 0n; done < 1000n; done = h.get("S_RETIRED") - start) h.step(Number(1000n - done));
}

/**
 * A compiling hart and an interpreting one, set up alike. Threshold 2: the translator knows
 * a straddling instruction's second half once the interpreter has fetched it, in the first pass.
 */
async function pair(setup: (h: Hart) => void): Promise<[Hart, Hart]> {
  const harts = [await Hart.create({ jit: { threshold: 2, sync: true, batch: 1, coverage: true } }), await Hart.create()];
  for (const h of harts) { writeLoop(h); setup(h); }
  return harts as [Hart, Hart];
}

/** Runs both; they must agree on registers, pc and trap state. Returns the deltas of a0..a2 and the compiled kinds. */
function stepBoth([jit, plain]: [Hart, Hart]) {
  const before = [a0, a1, a2].map((r) => jit.x(r));
  jit.core.jit!.resetCoverage();
  run1000(jit);
  run1000(plain);
  for (let r = 1; r < 32; r++) expect(jit.x(r), `x${r}`).toBe(plain.x(r));
  expect(jit.pc).toBe(plain.pc);
  expect(jit.mtrap).toEqual(plain.mtrap);
  const kinds = jit.core.jit!.coverage().kinds;
  return { deltas: [a0, a1, a2].map((r, i) => jit.x(r) - before[i]), addi: kinds.get("addi") ?? 0, caddi: kinds.get("c.addi") ?? 0 };
}

describe("an instruction straddling two pages in compiled code", () => {
  it("runs compiled inside a loop, and a rewritten second half is seen at once", async () => {
    const harts = await pair((h) => { h.pc = A + 0xff8; });
    for (let i = 0; i < 3; i++) stepBoth(harts); // counted, compiled
    let s = stepBoth(harts);
    expect(s.deltas).toEqual([250n, 250n, 750n]);
    // Both addis of each compiled pass ran compiled, the straddling one too.
    expect(s.caddi).toBeGreaterThan(200);
    expect(s.addi).toBe(2 * s.caddi);
    // The host rewrites the second half only (addi a2, 5): the first page is untouched.
    for (const h of harts) h.write16(B, addiA2(5) >>> 16);
    s = stepBoth(harts);
    expect(s.deltas).toEqual([250n, 250n, 1250n]);
  });

  it("follows the second page's mapping, and faults when it is no longer executable", async () => {
    const tables: PageTables[] = [];
    const harts = await pair((h) => {
      const pt = new PageTables(h, "sv39");
      pt.map(V0, A, PTE.R | PTE.X | PTE.A);
      pt.map(V1, B, PTE.R | PTE.X | PTE.A);
      tables.push(pt);
      h.set("S_SATP", pt.satp);
      h.priv = PRIV.S;
      h.pc = V0 + 0xff8n;
    });
    for (let i = 0; i < 3; i++) stepBoth(harts);
    let s = stepBoth(harts);
    expect(s.deltas).toEqual([250n, 250n, 750n]);
    expect(s.addi).toBe(2 * s.caddi);
    // The same first page, another second page (addi a2, 7 there).
    harts.forEach((h, i) => { tables[i].map(V1, B2, PTE.R | PTE.X | PTE.A); h.core.flushTlbs(); });
    s = stepBoth(harts);
    expect(s.deltas).toEqual([250n, 250n, 1750n]);
    // Readable but not executable: fetching the second half faults (to M, nothing is delegated).
    harts.forEach((h, i) => { tables[i].map(V1, B, PTE.R | PTE.A); h.core.flushTlbs(); });
    s = stepBoth(harts);
    expect(harts[0].mtrap.cause).toBe(12n); // instruction page fault
    expect(harts[0].mtrap.epc).toBe(V0 + 0xffen);
    expect(s.deltas[2]).toBe(0n);
  });
});
