// The linear-memory layout (core-as/layout.ts) as core.wasm exports it: consistent, in
// agreement with the source and with host-ts/core.ts, and RAM where the host thinks it is.
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { Reason as HostReason, RunState as HostRunState, RAM_BASE as HOST_RAM_BASE } from "../../host-ts/core.js";
import { asm } from "../support/asm.js";
import { Hart, coreModule, CODE, MTVEC, RAM_BASE, RAM_SIZE } from "../support/hart.js";
import { CAUSE, X } from "../support/riscv.js";

/** Every `export const NAME: type = expr;` of core-as/layout.ts, evaluated in order. */
function layoutSource(): Map<string, number> {
  const text = readFileSync(new URL("../../core-as/layout.ts", import.meta.url), "utf8");
  const values = new Map<string, number>();
  for (const m of text.matchAll(/^export const (\w+): [ui](?:32|64) = ([^;]+);/gm)) {
    const [, name, expr] = m;
    const names = [...values.keys()];
    values.set(name, Number(new Function(...names, `return (${expr});`)(...values.values())));
  }
  return values;
}

let hart: Hart;
let exported: Map<string, number>;
let heapBase: number;
const source = layoutSource();

beforeAll(async () => {
  hart = await Hart.create();
  // The core's own exports, from an instance of our own (heapBase is not part of Core's API).
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
  const inst = await WebAssembly.instantiate(await coreModule(), { env: { memory, mmioRead: () => 0, mmioWrite: () => {}, pageIn: () => {} } });
  exported = new Map();
  // Layout constants are UPPER_CASE; the lower-case globals (pc, trapped, ...) are live state
  // the translation tier imports.
  for (const [name, v] of Object.entries(inst.exports)) {
    if (v instanceof WebAssembly.Global && /^[A-Z][A-Z0-9_]*$/.test(name)) exported.set(name, Number(v.value) >>> 0);
  }
  heapBase = (inst.exports.heapBase as () => number)() >>> 0;
});

describe("layout", () => {
  it("core.wasm exports the values core-as/layout.ts defines, and Core reads the same", () => {
    expect(source.size).toBeGreaterThan(40);
    expect(exported.size).toBeGreaterThan(40);
    for (const [name, v] of exported) {
      expect(source.has(name), `${name} is exported but not in layout.ts`).toBe(true);
      expect(v, name).toBe(source.get(name));
    }
    for (const [name, v] of Object.entries(hart.layout)) expect(v, name).toBe(exported.get(name));
  });

  it("host-ts/core.ts agrees with layout.ts on RAM_BASE, run() reasons and run states", () => {
    expect(HOST_RAM_BASE).toBe(source.get("RAM_BASE"));
    expect(HostReason).toEqual({
      Budget: source.get("REASON_BUDGET"), Idle: source.get("REASON_IDLE"), Htif: source.get("REASON_HTIF"),
      Stop: source.get("REASON_STOP"), Sbi: source.get("REASON_SBI"), Fatal: source.get("REASON_FATAL"),
      Debug: source.get("REASON_DEBUG"),
    });
    expect(HostRunState).toEqual({ Active: source.get("RUN_ACTIVE"), Wfi: source.get("RUN_WFI"), Stopped: source.get("RUN_STOPPED") });
  });

  it("regions are ordered and do not overlap: static data, hart, save slots, shared, TLBs, decode cache, RAM", () => {
    const L = hart.layout;
    const regions: [string, number, number][] = [
      ["static data", 0, heapBase],
      ["running hart", L.HART, L.HART + L.HART_SIZE],
      ["hart save slots", L.HART_SAVE, L.HART_SAVE + L.HART_SIZE * L.MAX_HARTS],
      ["shared", L.SHARED, L.SHARED_END],
      ["TLBs", L.TLB_BASE, L.TLB_BASE + L.TLB_PER_HART * L.MAX_HARTS],
      ["decode cache", L.DCACHE, L.DCACHE + L.DCACHE_SIZE],
      ["RAM", L.RAM_OFFSET, L.RAM_OFFSET + hart.core.ramSize],
    ];
    for (const [name, lo, hi] of regions) expect(hi, name).toBeGreaterThan(lo);
    for (let i = 1; i < regions.length; i++) {
      expect(regions[i][1], `${regions[i][0]} starts after ${regions[i - 1][0]} ends`).toBeGreaterThanOrEqual(regions[i - 1][2]);
    }
    expect(heapBase).toBeLessThanOrEqual(L.HART);
    expect(hart.core.memory.buffer.byteLength).toBeGreaterThanOrEqual(L.RAM_OFFSET + RAM_SIZE);
  });

  it("RAM_OFFSET is page aligned (TLB addends keep the page offset)", () => {
    expect(hart.layout.RAM_OFFSET % 4096).toBe(0);
    expect(hart.layout.RAM_OFFSET % 65536).toBe(0); // and on a wasm page, where memory.grow puts it
  });

  it("hart slots: x, f, then 8-byte CSR slots inside the hart area", () => {
    const L = hart.layout;
    expect(L.XREG).toBe(L.HART);
    expect(L.FREG).toBe(L.XREG + 32 * 8);
    expect(L.S_END).toBeLessThanOrEqual(L.HART + L.HART_SIZE);
    const slots = [...source.keys()].filter((n) => n.startsWith("S_") && n !== "S_END");
    expect(slots.length).toBeGreaterThan(30);
    const seen = new Set<number>();
    for (const n of slots) {
      const at = source.get(n)!;
      expect(at, n).toBeGreaterThanOrEqual(L.FREG + 32 * 8);
      expect(at, n).toBeLessThan(L.S_END);
      expect(at % 8, n).toBe(0);
      expect(seen.has(at), `${n} shares its slot`).toBe(false);
      seen.add(at);
    }
    // Slots wider than 8 bytes: 16 pmpcfg bytes, then 16 pmpaddr registers.
    expect(L.S_PMPADDR).toBeGreaterThanOrEqual(L.S_PMPCFG + 16);
    expect(L.S_PMPADDR + 16 * 8).toBeLessThanOrEqual(L.S_END);
    for (const n of slots) {
      const at = source.get(n)!;
      if (n !== "S_PMPCFG") expect(at >= L.S_PMPCFG && at < L.S_PMPCFG + 16, `${n} inside pmpcfg`).toBe(false);
      if (n !== "S_PMPADDR") expect(at >= L.S_PMPADDR && at < L.S_PMPADDR + 128, `${n} inside pmpaddr`).toBe(false);
    }
  });

  it("shared area: per-hart arrays do not run into each other", () => {
    const L = hart.layout;
    const H = L.MAX_HARTS;
    expect(L.SH_MTIME).toBeGreaterThanOrEqual(L.SHARED);
    expect(L.SH_MTIMECMP).toBeGreaterThanOrEqual(L.SH_MTIME + 8);
    expect(L.SH_MSIP).toBeGreaterThanOrEqual(L.SH_MTIMECMP + 8 * H);
    expect(L.SH_EXT_IRQ).toBeGreaterThanOrEqual(L.SH_MSIP + 4 * H);
    expect(L.SH_TOHOST).toBeGreaterThanOrEqual(L.SH_EXT_IRQ + 4 * 2 * H); // two contexts (M, S) per hart
    expect(L.SH_FROMHOST).toBeGreaterThanOrEqual(L.SH_TOHOST + 8);
    expect(L.SH_SCRATCH).toBeGreaterThanOrEqual(L.SH_FROMHOST + 8);
    expect(L.SH_MMIO_COUNT).toBeGreaterThanOrEqual(L.SH_SCRATCH + 8);
    expect(L.SH_MMIO_MAP).toBeGreaterThanOrEqual(L.SH_MMIO_COUNT + 4);
    expect(L.SH_MMIO_MAP + 8 * L.MMIO_MAX).toBeLessThanOrEqual(L.SHARED_END);
  });
});

describe("RAM is where the host maps it", () => {
  it("a fresh hart starts in M-mode at RAM_BASE, 0x8000_0000 (the virt board's RAM)", () => {
    expect(RAM_BASE).toBe(0x8000_0000);
    expect(hart.pc).toBe(0x8000_0000n);
    expect(hart.priv).toBe(3);
  });

  it("a word the host writes at 0x8000_0000 is what the guest loads there, and the reverse", () => {
    const view = hart.core.ramView(0x8000_0000, 8)!;
    new DataView(view.buffer, view.byteOffset, 8).setBigUint64(0, 0x1122_3344_5566_7788n, true);
    hart.setX(X.a1, 0x8000_0000n);
    hart.setX(X.a2, 0x0bad_cafe_f00d_d00dn);
    hart.setX(X.a3, 0x8000_0000n + BigInt(RAM_SIZE) - 8n); // the last doubleword of RAM
    hart.exec([
      asm("ld", { rd: X.a0, rs1: X.a1, imm: 0 }),
      asm("sd", { rs2: X.a2, rs1: X.a3, imm: 0 }),
    ], { at: CODE + 0x100 });
    expect(hart.x(X.a0)).toBe(0x1122_3344_5566_7788n);
    // the same bytes through every host view: ramView, ram(), and the raw memory at RAM_OFFSET
    expect(hart.read64(0x8000_0000 + RAM_SIZE - 8)).toBe(0x0bad_cafe_f00d_d00dn);
    expect(hart.core.ram()[RAM_SIZE - 1]).toBe(0x0b);
    expect(new Uint8Array(hart.core.memory.buffer)[hart.layout.RAM_OFFSET + RAM_SIZE - 8]).toBe(0x0d);
    expect(new Uint8Array(hart.core.memory.buffer)[hart.layout.RAM_OFFSET]).toBe(0x88);
  });

  it("the guest fetches its first instruction from the word at RAM_BASE", () => {
    const h2 = hart;
    h2.write32(RAM_BASE, asm("addi", { rd: X.t0, rs1: 0, imm: 42 }));
    h2.core.resetHart(0, BigInt(RAM_BASE));
    h2.set("S_MTVEC", MTVEC);
    h2.step(1);
    expect(h2.x(X.t0)).toBe(42n);
    expect(h2.pc).toBe(BigInt(RAM_BASE + 4));
  });

  it("one byte past RAM is not RAM: load access fault in the guest, null view for the host", async () => {
    const h = await Hart.create();
    h.setX(X.a1, BigInt(RAM_BASE + RAM_SIZE));
    h.exec([asm("lb", { rd: X.a0, rs1: X.a1, imm: 0 })]);
    expect(h.mtrap).toEqual({ cause: CAUSE.LOAD_ACCESS, epc: BigInt(CODE), tval: BigInt(RAM_BASE + RAM_SIZE) });
    expect(h.core.ramView(RAM_BASE + RAM_SIZE - 4, 8)).toBeNull();
    expect(h.core.ramView(RAM_BASE - 1, 1)).toBeNull();
    expect(h.core.ramView(RAM_BASE + RAM_SIZE - 8, 8)).not.toBeNull();
  });
});
