// Sv39/Sv48 walks on page tables crafted in RAM, and PMP matching (priv spec 1.12 §3.7, §4.3–4.4).
// Data accesses run in M-mode with MPRV=1 so they translate with MPP's privilege.
import { describe, it, expect, beforeEach } from "vitest";
import { asm, Hart, TRAP } from "./hart.js";

const V = 1n, R = 2n, W = 4n, X = 8n, U = 16n, A = 64n, D = 128n;
const MPRV = 1n << 17n, SUM = 1n << 18n, MXR = 1n << 19n;
const ROOT = 0x8001_0000, L1 = 0x8001_1000, L0 = 0x8001_2000, ROOT48 = 0x8001_3000;
const ld = asm("ld", { rd: 10, rs1: 11 });
const sd = asm("sd", { rs1: 11, rs2: 12 });
let h: Hart;

const pte = (pa: number, flags: bigint) => (BigInt(pa >>> 12) << 10n) | flags;
const entry = (table: number, index: number) => table + 8 * index;
const satp39 = (8n << 60n) | BigInt(ROOT >>> 12);

/** Loads (or stores) at va with S (or `mpp`) privilege for data; returns mcause or -1n when no trap. */
function access(va: bigint, opts: { store?: boolean; mpp?: bigint; extra?: bigint } = {}): bigint {
  h.slot("S_MCAUSE", 0xdeadn);
  h.slot("S_MSTATUS", MPRV | ((opts.mpp ?? 1n) << 11n) | (opts.extra ?? 0n));
  h.x(11, va);
  h.x(12, 0x5a5a_5a5a_5a5a_5a5an);
  h.run([opts.store ? sd : ld]);
  return h.pc === BigInt(TRAP) ? h.slot("S_MCAUSE") : -1n;
}

beforeEach(async () => {
  h = await Hart.create();
  // VA 0x4000_1000 -> PA 0x8002_0000 (4 KiB), through root[1] -> L1[0] -> L0[1].
  h.write64(entry(ROOT, 1), pte(L1, V));
  h.write64(entry(L1, 0), pte(L0, V));
  h.write64(entry(L0, 1), pte(0x8002_0000, V | R | W));
  h.write64(0x8002_0008, 0x1111_2222_3333_4444n);
  h.slot("S_SATP", satp39);
});

describe("Sv39", () => {
  it("translates a 4 KiB page and sets A on a load, D on a store", () => {
    expect(access(0x4000_1008n)).toBe(-1n);
    expect(h.x(10)).toBe(0x1111_2222_3333_4444n);
    expect(h.read64(entry(L0, 1)) & (A | D)).toBe(A);
    expect(access(0x4000_1010n, { store: true })).toBe(-1n);
    expect(h.read64(0x8002_0010)).toBe(0x5a5a_5a5a_5a5a_5a5an);
    expect(h.read64(entry(L0, 1)) & (A | D)).toBe(A | D);
  });

  it("an invalid PTE, W without R, and a non-canonical address are page faults with mtval = va", () => {
    expect(access(0x4000_2000n)).toBe(13n); // L0[2] is zero
    expect(h.slot("S_MTVAL")).toBe(0x4000_2000n);
    h.write64(entry(L0, 1), pte(0x8002_0000, V | W));
    expect(access(0x4000_1000n)).toBe(13n);
    expect(access(0x4000_1000n, { store: true })).toBe(15n);
    expect(access(0x0000_0080_4000_1000n)).toBe(13n); // bit 39 set, bit 38 clear
    expect(h.slot("S_MTVAL")).toBe(0x0000_0080_4000_1000n);
  });

  it("2 MiB and 1 GiB superpages; a misaligned superpage faults", () => {
    h.write64(0x8000_0100, 0xabcdn);
    h.write64(entry(L1, 1), pte(0x8000_0000, V | R | A)); // VA 0x4020_0000 -> PA 0x8000_0000
    expect(access(0x4020_0100n)).toBe(-1n);
    expect(h.x(10)).toBe(0xabcdn);
    h.write64(entry(ROOT, 2), pte(0x8000_0000, V | R | A)); // VA 0x8000_0000 -> PA 0x8000_0000
    expect(access(0x8000_0100n)).toBe(-1n);
    expect(h.x(10)).toBe(0xabcdn);
    h.write64(entry(L1, 2), pte(0x8000_1000, V | R | A)); // PPN not 2 MiB aligned
    expect(access(0x4040_0000n)).toBe(13n);
  });

  it("U pages from S need SUM; S pages are never accessible from U; MXR reads execute-only pages", () => {
    h.write64(entry(L0, 1), pte(0x8002_0000, V | R | W | U));
    expect(access(0x4000_1008n)).toBe(13n);
    expect(access(0x4000_1008n, { extra: SUM })).toBe(-1n);
    expect(access(0x4000_1008n, { mpp: 0n })).toBe(-1n);
    h.write64(entry(L0, 1), pte(0x8002_0000, V | R | W));
    expect(access(0x4000_1008n, { mpp: 0n })).toBe(13n);
    h.write64(entry(L0, 1), pte(0x8002_0000, V | X));
    h.core.flushTlbs();
    expect(access(0x4000_1008n)).toBe(13n);
    expect(access(0x4000_1008n, { extra: MXR })).toBe(-1n);
  });

  it("fetching from a page without X is an instruction page fault", () => {
    h.write64(entry(L0, 2), pte(0x8002_1000, V | R | A));
    h.slot("S_MSTATUS", 1n << 11n); // MPP = S
    h.slot("S_MEPC", 0x4000_2000n);
    h.run([asm("mret")], 3, 2);
    expect(h.slot("S_MCAUSE")).toBe(12n);
    expect(h.slot("S_MTVAL")).toBe(0x4000_2000n);
  });

  it("SFENCE.VMA makes a changed PTE take effect", () => {
    expect(access(0x4000_1008n)).toBe(-1n);
    h.write64(0x8003_0008, 0x7777n);
    h.write64(entry(L0, 1), pte(0x8003_0000, V | R | W | A | D));
    h.slot("S_MSTATUS", 0n);
    h.run([asm("sfence.vma")]);
    expect(access(0x4000_1008n)).toBe(-1n);
    expect(h.x(10)).toBe(0x7777n);
  });
});

describe("Sv48", () => {
  beforeEach(() => {
    h.write64(entry(ROOT48, 0), pte(ROOT, V)); // the Sv39 tree becomes levels 2..0
    h.slot("S_SATP", (9n << 60n) | BigInt(ROOT48 >>> 12));
  });

  it("walks four levels", () => {
    expect(access(0x4000_1008n)).toBe(-1n);
    expect(h.x(10)).toBe(0x1111_2222_3333_4444n);
  });

  it("maps a 512 GiB superpage and checks canonical addresses at bit 47", () => {
    h.write64(0x8000_0100, 0x4848n);
    h.write64(entry(ROOT48, 1), pte(0, V | R | A)); // VA 0x80_0000_0000 -> PA 0
    expect(access(0x80_8000_0100n)).toBe(-1n);
    expect(h.x(10)).toBe(0x4848n);
    expect(access(0x0001_0000_0000_0000n)).toBe(13n); // bit 48 set, bit 47 clear
  });
});

describe("PMP", () => {
  const cfg = (byte: number, value: number) => h.core.write32(h.core.slot(0, h.core.layout.S_PMPCFG) + byte, value);
  const addr = (i: number, value: bigint) => h.core.write64(h.core.slot(0, h.core.layout.S_PMPADDR) + 8 * i, value);
  const napot = (base: number, size: number) => BigInt(base >>> 2) | BigInt(size / 8 - 1);

  beforeEach(() => {
    h.slot("S_SATP", 0n);
    cfg(0, 0); // no entries: S/U accesses match nothing and fail
  });

  it("denies S/U accesses no entry matches, allows M", () => {
    expect(access(0x8000_4000n, { mpp: 0n })).toBe(5n);
    expect(h.slot("S_MTVAL")).toBe(0x8000_4000n);
    expect(access(0x8000_4000n, { store: true, mpp: 1n })).toBe(7n);
    expect(access(0x8000_4000n, { mpp: 3n })).toBe(-1n);
  });

  it("NAPOT grants exactly its region and permissions", () => {
    addr(0, napot(0x8000_4000, 4096));
    cfg(0, 0x18 | 1); // NAPOT, R
    expect(access(0x8000_4ff8n, { mpp: 0n })).toBe(-1n);
    expect(access(0x8000_4000n, { store: true, mpp: 0n })).toBe(7n);
    expect(access(0x8000_5000n, { mpp: 0n })).toBe(5n);
  });

  it("TOR spans [pmpaddr(i-1), pmpaddr(i)); NA4 is four bytes and a wider access fails", () => {
    addr(0, BigInt(0x8000_6000 >>> 2));
    addr(1, BigInt(0x8000_7000 >>> 2));
    cfg(0, (0x08 | 3) << 8); // entry 1: TOR, RW (entry 0 off, only its address counts)
    expect(access(0x8000_6ff8n, { store: true, mpp: 0n })).toBe(-1n);
    expect(access(0x8000_7000n, { mpp: 0n })).toBe(5n);
    addr(2, BigInt(0x8000_8000 >>> 2));
    cfg(0, ((0x08 | 3) << 8) | ((0x10 | 1) << 16)); // entry 2 NA4 R
    h.x(11, 0x8000_8000n);
    h.slot("S_MSTATUS", MPRV);
    h.run([asm("lw", { rd: 10, rs1: 11 })]);
    expect(h.pc).not.toBe(BigInt(TRAP));
    expect(access(0x8000_8000n, { mpp: 0n })).toBe(5n); // 8 bytes over a 4-byte region
  });

  it("a locked entry binds M-mode and ignores writes; an instruction fetch is checked too", () => {
    addr(0, napot(0x8000_9000, 4096));
    cfg(0, 0x80 | 0x18); // L, NAPOT, no permissions
    expect(access(0x8000_9000n, { mpp: 3n })).toBe(5n);
    h.x(5, 0x1fn);
    h.run([asm("csrrw", { rd: 0, csr: 0x3a0, rs1: 5 }), asm("csrrs", { rd: 6, csr: 0x3a0, rs1: 0 })]);
    expect(h.x(6) & 0xffn).toBe(0x98n);
    h.slot("S_MSTATUS", 0n); // MPP = U
    h.slot("S_MEPC", 0x8000_2000n);
    h.run([asm("mret")], 3, 2);
    expect(h.slot("S_MCAUSE")).toBe(1n);
    expect(h.slot("S_MTVAL")).toBe(0x8000_2000n);
  });
});
