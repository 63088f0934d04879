// The translation tier against the interpreter, instruction by instruction: every kind the
// translator accepts runs in a loop (tests/jit/op-cases.ts) on two cores, one interpreting
// and one compiling each block the first time control lands on it, with operands at their
// edges, in M-mode and in S-mode with paging. Both run the same exact budget; the hart
// state (x, f, pc, privilege, every CSR slot, instructions retired), the data pages, the
// page tables and the MMIO traffic must come out the same. And each kind must have run in
// compiled code: the tier's coverage counters say how often it did.
import { describe, it, expect, beforeAll } from "vitest";
import { ENCODINGS } from "../../core-as/isa/encodings.js";
import { translatable, runsInHelper } from "../../host-ts/jit/rules.js";
import type { LayoutName } from "../../host-ts/core.js";
import { Twin } from "./twin.js";
import {
  variantsFor, type OpCase, type Variant, RAM_SIZE, MTVEC, STVEC, PT_ROOT, PT_L1, PT_L0, CODE, CODE_END, DATA,
  DATA_SIZE, LAST_PAGE, VA_DATA, VA_USER, VA_XONLY, LOOP, FALL, TAKEN, END_SPINS, TRAP_SPINS, ITERATIONS, DEFAULT_MSTATUS, VECTOR_LOOP,
} from "./op-cases.js";

/** Every kind the translator accepts: 32-bit encodings, and compressed ones by their expansion. */
const accepted32 = ENCODINGS.filter((e) => e.width === 32 && (translatable(e.name) || runsInHelper(e.format, e.ext)));
const acceptedNames = new Set(accepted32.map((e) => e.name));

const MSTATUS_MIE = 1n << 3n;
const MIE_MEIE = 1n << 11n;
const BUDGET = 200; // a compiled region is entered only with 128 instructions of budget left
const PTE = { V: 1n, R: 2n, W: 4n, X: 8n, U: 16n, A: 64n, D: 128n };
const pte = (pa: number, flags: bigint) => (BigInt(pa >>> 12) << 10n) | flags | PTE.V;

let twin: Twin;
let pristineData: Uint8Array;
let pristineLast: Uint8Array;
let codeAt = CODE;
const kindsRun = new Set<string>();

/** Deterministic bytes (xorshift32), so both cores and every run see the same data. */
function pattern(len: number, seed: number): Uint8Array {
  const out = new Uint8Array(len);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = s & 0xff;
  }
  return out;
}

function writeTables(): void {
  for (const page of [PT_ROOT, PT_L1, PT_L0]) twin.writeRam(page, new Uint8Array(0x1000));
  const rwx = PTE.R | PTE.W | PTE.X | PTE.A | PTE.D;
  twin.write64(PT_ROOT + 8 * 2, pte(0x8000_0000, rwx)); // the RAM gigapage, VA = PA
  twin.write64(PT_ROOT + 8 * (VA_DATA / 2 ** 30), pte(PT_L1, 0n));
  twin.write64(PT_L1, pte(PT_L0, 0n));
  twin.write64(PT_L0 + 0, pte(DATA, PTE.R | PTE.W | PTE.A | PTE.D));
  twin.write64(PT_L0 + 8, pte(DATA + 0x1000, PTE.R | PTE.A)); // read-only
  twin.write64(PT_L0 + 16, pte(DATA + 0x2000, PTE.R | PTE.W)); // A and D clear
  // The fourth data page twice more: as a user page (SUM decides) and execute-only (MXR decides).
  twin.write64(PT_L0 + 8 * ((VA_USER - VA_DATA) >>> 12), pte(DATA + 0x3000, PTE.R | PTE.W | PTE.U | PTE.A | PTE.D));
  twin.write64(PT_L0 + 8 * ((VA_XONLY - VA_DATA) >>> 12), pte(DATA + 0x3000, PTE.X | PTE.A));
}

function restoreMemory(): void {
  twin.writeRam(DATA, pristineData);
  twin.writeRam(LAST_PAGE, pristineLast);
  writeTables();
}

/** Places a variant's code (both cores); returns its entry and where else control lands in it. */
function place(v: Variant): { entry: number; landings: number[] } {
  const bytes = v.code.length * 2;
  let at = codeAt;
  if (v.pageOffset !== undefined) {
    at = at - (at % 0x1000) + v.pageOffset;
    if (at < codeAt) at += 0x1000;
  }
  if (at + bytes > CODE_END) throw new Error("differential: out of code space");
  v.code.forEach((h, i) => twin.write16(at + 2 * i, h));
  codeAt = Math.ceil((at + bytes) / 16) * 16;
  return { entry: at + v.entry, landings: [at + bytes - 8, ...(v.landings ?? []).map((o) => at + o)] };
}

const BASE_X = (r: number) => BigInt.asUintN(64, 0x0101_0101_0101_0101n * BigInt(r) ^ 0xa5a5_0000_0000_5a5an);
const BASE_F = (r: number) => 0xffff_ffff_0000_0000n | BigInt((0x3f80_0000 + r * 0x1_0000) >>> 0);

/** The hart slot every case starts from: registers at BASE_X/BASE_F, the loop counter set. */
let baseSlot: Uint8Array;
const caseSlot = new Uint8Array(0x1000);

function runCase(entry: number, c: OpCase, memory: boolean): string[] {
  const L = twin.jit.layout;
  const image = caseSlot.subarray(0, baseSlot.length);
  image.set(baseSlot);
  const view = new DataView(image.buffer, image.byteOffset, image.length);
  const put = (field: number, v: bigint) => view.setBigUint64(field - L.HART, BigInt.asUintN(64, v), true);
  for (const [r, v] of Object.entries(c.x ?? {})) put(L.XREG + 8 * Number(r), v);
  for (const [r, v] of Object.entries(c.xFromEntry ?? {})) put(L.XREG + 8 * Number(r), BigInt(entry) + v);
  for (const [r, v] of Object.entries(c.f ?? {})) put(L.FREG + 8 * Number(r), v);
  put(L.XREG, 0n);
  put(L.S_MSTATUS, (c.mstatus ?? DEFAULT_MSTATUS) | (c.irq ? MSTATUS_MIE : 0n));
  put(L.S_MIE, c.irq ? MIE_MEIE : 0n);
  put(L.S_FCSR, c.fcsr ?? 0n);
  put(L.S_PC, BigInt(entry));
  put(L.S_PRIV, c.priv === "S" ? 1n : 3n);
  for (const [name, v] of Object.entries(c.slots ?? {})) put(L[name as LayoutName], v);
  if (memory) restoreMemory();
  twin.resetDevices();
  twin.loadSlot(image);
  twin.run(BUDGET);
  return twin.diff();
}

function describeCase(c: OpCase): string {
  const fmt = (o: Record<number, bigint> | undefined, p: string) =>
    Object.entries(o ?? {}).map(([r, v]) => `${p}${r}=0x${v.toString(16)}`).join(" ");
  return [c.priv ?? "M", fmt(c.x, "x"), fmt(c.xFromEntry, "x(entry)+"), fmt(c.f, "f"),
    c.mstatus !== undefined ? `mstatus=0x${c.mstatus.toString(16)}` : "", c.irq ? "interrupts on" : "", c.fcsr !== undefined ? `fcsr=0x${c.fcsr.toString(16)}` : "",
    ...Object.entries(c.slots ?? {}).map(([name, v]) => `${name}=0x${v.toString(16)}`)]
    .filter((s) => s).join(" ");
}

beforeAll(async () => {
  // Only what compileNow() is given runs compiled: landing anywhere else stays interpreted,
  // so a kind's whole set of variants costs one module.
  twin = await Twin.create({ ramBytes: RAM_SIZE, threshold: 0xffff_ffff });
  for (const page of [MTVEC, STVEC]) for (let i = 0; i < 0x1000; i += 8) VECTOR_LOOP.forEach((w, k) => twin.write32(page + i + 4 * k, w));
  twin.openPmp();
  twin.setSlot("S_MTVEC", MTVEC);
  twin.setSlot("S_STVEC", STVEC);
  twin.setSlot("S_SATP", (8n << 60n) | BigInt(PT_ROOT >>> 12));
  pristineData = pattern(DATA_SIZE, 0x1234);
  pristineLast = pattern(0x1000, 0x5678);
  restoreMemory();
  twin.watch(DATA, DATA_SIZE);
  twin.watch(LAST_PAGE, 0x1000);
  twin.watch(PT_L0, 0x1000);
  for (let r = 1; r < 32; r++) twin.setX(r, BASE_X(r));
  for (let r = 0; r < 32; r++) twin.setF(r, BASE_F(r));
  twin.setX(LOOP, BigInt(ITERATIONS));
  for (const r of [TAKEN, FALL, END_SPINS, TRAP_SPINS]) twin.setX(r, 0n);
  baseSlot = twin.slotImage();
});

/** Kinds by name: the accepted 32-bit ones, then the compressed ones that expand to them. */
const kinds = [
  ...accepted32.map((e) => e.name),
  ...ENCODINGS.filter((e) => e.width === 16 && variantsFor(e.name).length > 0).map((e) => e.name),
];

describe("compiled code against the interpreter, per instruction kind", () => {
  it.each(kinds)("%s", (name) => {
    twin.jit.jit!.resetCoverage();
    const failures: string[] = [];
    let cases = 0, failed = 0;
    // Every variant's code is compiled before it first runs, in one module for the kind:
    // entries, the final self-loop, jump targets on the far side of a page, the trap vector.
    const variants = variantsFor(name);
    const placed = variants.map(place);
    twin.jit.jit!.compileNow([MTVEC, ...placed.flatMap((p) => [p.entry, ...p.landings])]);
    for (const [k, v] of variants.entries()) {
      const entry = placed[k].entry;
      for (const c of v.cases) {
        cases++;
        const diff = runCase(entry, c, v.memory ?? false);
        if (diff.length > 0) failed++;
        if (diff.length > 0 && failures.length < 6) failures.push(`${name} [${v.label}] ${describeCase(c)}:\n    ${diff.slice(0, 6).join("\n    ")}`);
      }
    }
    expect(failures, `${failed} of ${cases} cases differ (the first ${failures.length} shown)`).toEqual([]);
    const ran = twin.coverage().kinds.get(name) ?? 0;
    expect(ran, `${name} never ran in compiled code`).toBeGreaterThan(0);
    kindsRun.add(name);
    twin.jit.jit!.flush(); // keep the number of live modules bounded
  });

  it("covers every kind the translator accepts (a new rule needs cases here)", () => {
    for (const name of acceptedNames) expect(kindsRun.has(name), `${name} has no differential cases, or they failed`).toBe(true);
  });
});
