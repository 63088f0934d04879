// Sv39 and Sv48 translation on page tables the tests write into RAM (privileged
// architecture 1.12, §4.3–4.5; the walk is §4.3.2). Page faults go to M (nothing is
// delegated unless a test says so), where mcause/mepc/mtval are read back.
import { describe, it, expect, beforeEach } from "vitest";
import { asm, csrw, csrs, csrc, ld, sd, jr, nop } from "../support/asm.js";
import { Hart, CODE, DATA, HANDLER, STVEC } from "../support/hart.js";
import { PageTables, TablePool, leaf } from "../support/pagetable.js";
import { expectMTrap, expectSTrap, expectRan } from "../support/checks.js";
import { CSR, MS, CAUSE, PRIV, PTE, X } from "../support/riscv.js";

const { a0, a1, a2, a3, t0 } = X;
const P1 = DATA, P2 = DATA + 0x1000, P3 = DATA + 0x2000;
const V1 = 0x0000_0000_1234_5000n; // a 4 KiB page, not RAM if used as a physical address
const RWAD = PTE.R | PTE.W | PTE.A | PTE.D;
const CODE_PAGES = 4; // CODE, MTVEC, STVEC, HANDLER: identity-mapped R X

let h: Hart;
let pt: PageTables;

/** A fresh hart with `mode` tables that identity-map the code pages (with U for U-mode code). */
async function setup(mode: "sv39" | "sv48", user = false, pool?: TablePool): Promise<void> {
  h = await Hart.create();
  pt = new PageTables(h, mode, pool);
  mapCode(pt, user);
  h.set("S_SATP", pt.satp);
}
function mapCode(tables: PageTables, user = false): void {
  for (let i = 0; i < CODE_PAGES; i++) {
    tables.map(BigInt(CODE + i * 0x1000), CODE + i * 0x1000, PTE.R | PTE.X | PTE.A | (user ? PTE.U : 0n));
  }
}

/** Runs `ld a0, 0(a1)` with a1 = va in `priv`. */
function load(va: bigint, priv: number = PRIV.S): void {
  h.setX(a1, va);
  h.setX(a0, 0xdeadn);
  h.exec([ld(a0, a1)], { priv });
}
/** Runs `sd a2, 0(a1)` with a1 = va, a2 = value in `priv`. */
function store(va: bigint, value: bigint, priv: number = PRIV.S): void {
  h.setX(a1, va);
  h.setX(a2, value);
  h.exec([sd(a2, a1)], { priv });
}
/** Jumps to va (jalr) and tries to execute there: two steps. */
function jumpTo(va: bigint, priv: number = PRIV.S): void {
  h.setX(a1, va);
  h.exec([jr(a1)], { priv, steps: 2 });
}

const VALUE = 0x0123_4567_89ab_cdefn;

for (const mode of ["sv39", "sv48"] as const) {
  const levels = mode === "sv39" ? 3 : 4;
  const vaBits = 12 + 9 * levels;

  describe(`${mode}: walks`, () => {
    beforeEach(() => setup(mode));

    it("4 KiB page: loads and stores reach the mapped physical page", () => {
      pt.map(V1, P1, RWAD);
      h.write64(P1 + 0x18, VALUE);
      h.setX(a1, V1);
      h.setX(a2, 0x55n);
      h.exec([ld(a0, a1, 0x18), sd(a2, a1, 0x20)], { priv: PRIV.S });
      expectRan(h, 2, PRIV.S);
      expect(h.x(a0)).toBe(VALUE);
      expect(h.read64(P1 + 0x20)).toBe(0x55n);
    });

    it("a non-identity mapping of code: fetch through the page table", () => {
      const vcode = 0x0000_0000_4000_0000n + 0x7000n;
      pt.map(vcode, P3, PTE.R | PTE.X | PTE.A);
      h.load(P3, [asm("addi", { rd: a0, rs1: 0, imm: 77 }), nop()]);
      h.setX(a1, vcode);
      h.exec([jr(a1)], { priv: PRIV.S, steps: 3 });
      expect(h.x(a0)).toBe(77n);
      expect(h.pc).toBe(vcode + 8n);
    });

    // Superpages: a leaf at level L maps 2^(12 + 9L) bytes; its PA must be aligned to that.
    const superpages: [string, number, bigint, number][] = [
      ["2 MiB", 1, 0x0000_0000_4020_0000n, 0x8000_0000],
      ["1 GiB", 2, 0x0000_0000_c000_0000n, 0x8000_0000],
    ];
    if (mode === "sv48") superpages.push(["512 GiB", 3, 0x0000_0080_0000_0000n, 0]);

    for (const [size, level, va, pa] of superpages) {
      it(`${size} superpage (level ${level}): offset bits come from the VA`, () => {
        pt.map(va, pa, RWAD, level);
        const off = BigInt(DATA - pa) + 0x18n;
        h.write64(DATA + 0x18, VALUE);
        load(va + off);
        expectRan(h, 1, PRIV.S);
        expect(h.x(a0)).toBe(VALUE);
      });

      it(`${size} superpage with a misaligned PPN is a page fault`, () => {
        const misaligned = pa + (level === 3 ? 0x4000_0000 : level === 2 ? 0x20_0000 : 0x1000);
        pt.setPte(va, level, leaf(misaligned, RWAD | PTE.V));
        load(va + 0x18n);
        expectMTrap(h, CAUSE.LOAD_PAGE, va + 0x18n);
        store(va + 0x18n, 1n);
        expectMTrap(h, CAUSE.STORE_PAGE, va + 0x18n);
      });
    }

    it("the upper half: a VA with the top bits copied from bit VA_BITS-1 is canonical", () => {
      const high = BigInt.asUintN(64, -(1n << BigInt(vaBits - 1))) + 0x3000n; // lowest upper-half address + 3 pages
      pt.map(high, P1, RWAD);
      h.write64(P1 + 8, VALUE);
      load(high + 8n);
      expectRan(h, 1, PRIV.S);
      expect(h.x(a0)).toBe(VALUE);
    });

    it(`non-canonical VAs (bits 63..${vaBits} not copies of bit ${vaBits - 1}) fault with tval = VA`, () => {
      pt.map(V1, P1, RWAD);
      for (const bad of [V1 | (1n << BigInt(vaBits - 1)), V1 | (1n << BigInt(vaBits)), V1 | (1n << 63n)]) {
        load(bad);
        expectMTrap(h, CAUSE.LOAD_PAGE, bad);
        store(bad, 1n);
        expectMTrap(h, CAUSE.STORE_PAGE, bad);
        jumpTo(bad);
        expectMTrap(h, CAUSE.FETCH_PAGE, bad, bad);
      }
    });

    it("V = 0 at the leaf or at a pointer is a page fault", () => {
      pt.setPte(V1, 0, leaf(P1, RWAD)); // no V
      load(V1);
      expectMTrap(h, CAUSE.LOAD_PAGE, V1);
      const other = V1 + (1n << 30n) * 7n; // another root/level-2 slot, left invalid
      load(other);
      expectMTrap(h, CAUSE.LOAD_PAGE, other);
      store(other, 1n);
      expectMTrap(h, CAUSE.STORE_PAGE, other);
    });

    it("W without R is reserved: a page fault for every access", () => {
      pt.map(V1, P1, PTE.W | PTE.A | PTE.D);
      load(V1);
      expectMTrap(h, CAUSE.LOAD_PAGE, V1);
      store(V1, 1n);
      expectMTrap(h, CAUSE.STORE_PAGE, V1);
      pt.map(V1, P1, PTE.W | PTE.X | PTE.A | PTE.D);
      h.core.flushTlbs();
      jumpTo(V1);
      expectMTrap(h, CAUSE.FETCH_PAGE, V1, V1);
    });

    it("a pointer PTE at level 0 is a page fault", () => {
      pt.setPte(V1, 0, leaf(P1, PTE.V));
      load(V1);
      expectMTrap(h, CAUSE.LOAD_PAGE, V1);
    });

    it("reserved PTE bits 63..54 set (no Svnapot/Svpbmt) are a page fault (§4.3.2 step 3)", () => {
      for (const bit of [54n, 61n, 63n]) {
        pt.setPte(V1, 0, leaf(P1, RWAD | PTE.V) | (1n << bit));
        h.core.flushTlbs();
        load(V1);
        expectMTrap(h, CAUSE.LOAD_PAGE, V1);
      }
    });

    it("fetch from a page without X: cause 12, mepc = mtval = the target", () => {
      pt.map(V1, P1, RWAD);
      jumpTo(V1 + 0x40n);
      expectMTrap(h, CAUSE.FETCH_PAGE, V1 + 0x40n, V1 + 0x40n);
    });

    it("store to a read-only page: cause 15, memory unchanged; loads work", () => {
      pt.map(V1, P1, PTE.R | PTE.A);
      h.write64(P1, VALUE);
      load(V1);
      expect(h.x(a0)).toBe(VALUE);
      store(V1, 1n);
      expectMTrap(h, CAUSE.STORE_PAGE, V1);
      expect(h.read64(P1)).toBe(VALUE);
    });
  });

  describe(`${mode}: U and S pages, SUM, MXR (§4.3.1, §4.1.1.2)`, () => {
    it("U-mode may access U pages only", async () => {
      await setup(mode, true);
      pt.map(V1, P1, RWAD | PTE.U);
      pt.map(V1 + 0x1000n, P2, RWAD);
      h.write64(P1, VALUE);
      load(V1, PRIV.U);
      expectRan(h, 1, PRIV.U);
      expect(h.x(a0)).toBe(VALUE);
      load(V1 + 0x1000n, PRIV.U);
      expectMTrap(h, CAUSE.LOAD_PAGE, V1 + 0x1000n);
      store(V1 + 0x1000n, 1n, PRIV.U);
      expectMTrap(h, CAUSE.STORE_PAGE, V1 + 0x1000n);
    });

    it("U-mode cannot execute from a page without U", async () => {
      await setup(mode, false);
      h.exec([nop()], { priv: PRIV.U });
      expectMTrap(h, CAUSE.FETCH_PAGE, CODE, CODE);
    });

    it("S-mode: U pages fault unless SUM = 1", async () => {
      await setup(mode);
      pt.map(V1, P1, RWAD | PTE.U);
      h.write64(P1, VALUE);
      load(V1);
      expectMTrap(h, CAUSE.LOAD_PAGE, V1);
      store(V1, 1n);
      expectMTrap(h, CAUSE.STORE_PAGE, V1);
      h.set("S_MSTATUS", MS.SUM);
      load(V1);
      expectRan(h, 1, PRIV.S);
      expect(h.x(a0)).toBe(VALUE);
      store(V1, 2n);
      expectRan(h, 1, PRIV.S);
      expect(h.read64(P1)).toBe(2n);
    });

    it("S-mode never executes from U pages, even with SUM = 1", async () => {
      await setup(mode);
      pt.map(V1, P1, PTE.R | PTE.X | PTE.A | PTE.U);
      h.set("S_MSTATUS", MS.SUM);
      jumpTo(V1);
      expectMTrap(h, CAUSE.FETCH_PAGE, V1, V1);
    });

    it("MXR = 1 makes execute-only pages readable (loads only)", async () => {
      await setup(mode);
      pt.map(V1, P1, PTE.X | PTE.A);
      h.write64(P1, VALUE);
      load(V1);
      expectMTrap(h, CAUSE.LOAD_PAGE, V1);
      h.set("S_MSTATUS", MS.MXR);
      load(V1);
      expectRan(h, 1, PRIV.S);
      expect(h.x(a0)).toBe(VALUE);
      store(V1, 1n);
      expectMTrap(h, CAUSE.STORE_PAGE, V1);
    });
  });

  describe(`${mode}: A and D bits are set by the hardware (§4.3.2 step 7)`, () => {
    beforeEach(() => setup(mode));

    it("a load sets A only; a store sets A and D", () => {
      const at1 = pt.map(V1, P1, PTE.R | PTE.W);
      const at2 = pt.map(V1 + 0x1000n, P2, PTE.R | PTE.W);
      h.write64(P1, VALUE);
      load(V1);
      expect(h.x(a0)).toBe(VALUE);
      expect(h.read64(at1) & (PTE.A | PTE.D)).toBe(PTE.A);
      store(V1 + 0x1000n, 3n);
      expect(h.read64(at2) & (PTE.A | PTE.D)).toBe(PTE.A | PTE.D);
      expect(h.read64(P2)).toBe(3n);
    });

    it("a store after a load of the same page still sets D", () => {
      const at = pt.map(V1, P1, PTE.R | PTE.W);
      h.setX(a1, V1);
      h.setX(a2, 9n);
      h.exec([ld(a0, a1), sd(a2, a1, 8)], { priv: PRIV.S });
      expectRan(h, 2, PRIV.S);
      expect(h.read64(at) & (PTE.A | PTE.D)).toBe(PTE.A | PTE.D);
    });

    it("a fetch sets A", () => {
      const at = pt.map(V1, P1, PTE.R | PTE.X);
      h.write32(P1, nop());
      jumpTo(V1);
      expect(h.pc).toBe(V1 + 4n);
      expect(h.read64(at) & (PTE.A | PTE.D)).toBe(PTE.A);
    });

    it("superpage leaves get their A/D bits set too", () => {
      const at = pt.map(0x0000_0000_4020_0000n, 0x8000_0000, PTE.R | PTE.W, 1);
      store(0x0000_0000_4020_0000n + BigInt(DATA - 0x8000_0000), 4n);
      expectRan(h, 1, PRIV.S);
      expect(h.read64(at) & (PTE.A | PTE.D)).toBe(PTE.A | PTE.D);
      expect(h.read64(DATA)).toBe(4n);
    });

    it("a faulting access does not set A", () => {
      const at = pt.map(V1, P1, PTE.R);
      store(V1, 1n);
      expectMTrap(h, CAUSE.STORE_PAGE, V1);
      expect(h.read64(at) & (PTE.A | PTE.D)).toBe(0n);
    });
  });

  describe(`${mode}: faulting addresses`, () => {
    beforeEach(() => setup(mode));

    it("a delegated page fault reports the VA in stval, with sepc and SPP", () => {
      h.set("S_MEDELEG", (1n << 13n) | (1n << 15n));
      load(V1 + 0x10n);
      expectSTrap(h, CAUSE.LOAD_PAGE, V1 + 0x10n, CODE, STVEC);
      expect(h.get("S_MSTATUS") & MS.SPP).toBe(MS.SPP);
      store(V1 + 0x20n, 1n);
      expectSTrap(h, CAUSE.STORE_PAGE, V1 + 0x20n, CODE, STVEC);
    });

    it("a 32-bit instruction whose second half is on an unmapped page: mepc = its start, mtval = the page boundary (§3.1.16)", () => {
      const end = BigInt(CODE + CODE_PAGES * 0x1000); // first unmapped page
      h.write16(Number(end) - 2, nop() & 0xffff);
      jumpTo(end - 2n);
      expectMTrap(h, CAUSE.FETCH_PAGE, end, end - 2n);
    });

    it("a compressed instruction in the last halfword of a mapped page runs", () => {
      const end = BigInt(CODE + CODE_PAGES * 0x1000);
      h.write16(Number(end) - 2, 0x0001); // c.nop
      jumpTo(end - 2n);
      expect(h.pc).toBe(end); // executed; the next fetch has not happened yet
      expect(h.priv).toBe(PRIV.S);
    });

    it("a misaligned load crossing into an unmapped page: mtval = the VA of the faulting part", () => {
      pt.map(V1, P1, RWAD);
      load(V1 + 0xffcn);
      expectMTrap(h, CAUSE.LOAD_PAGE, V1 + 0x1000n);
    });

    it("a misaligned store crossing into an unmapped page: mtval = the VA of the faulting part", () => {
      pt.map(V1, P1, RWAD);
      store(V1 + 0xffcn, 1n);
      expectMTrap(h, CAUSE.STORE_PAGE, V1 + 0x1000n);
    });
  });

  describe(`${mode}: MPRV (§3.1.6.3)`, () => {
    const MCODE = DATA + 0x8000; // M code at a physical address the tables do not map

    beforeEach(async () => {
      await setup(mode);
      pt.map(V1, P1, RWAD);
      pt.map(V1 + 0x1000n, P2, RWAD | PTE.U);
      h.write64(P1, VALUE);
      h.write64(P2, VALUE + 1n);
    });

    function mload(va: bigint, mstatus: bigint): void {
      h.set("S_MSTATUS", mstatus);
      h.setX(a1, va);
      h.exec([ld(a0, a1)], { at: MCODE });
    }

    it("MPRV = 1, MPP = S: M-mode loads and stores are translated; fetches are not", () => {
      mload(V1, MS.MPRV | MS.MPP_S);
      expectRan(h, 1, PRIV.M, MCODE);
      expect(h.x(a0)).toBe(VALUE);
      h.setX(a2, 42n);
      h.exec([sd(a2, a1, 8)], { at: MCODE });
      expect(h.read64(P1 + 8)).toBe(42n);
    });

    it("MPRV = 1, MPP = S follows SUM for U pages", () => {
      mload(V1 + 0x1000n, MS.MPRV | MS.MPP_S);
      expectMTrap(h, CAUSE.LOAD_PAGE, V1 + 0x1000n, MCODE);
      mload(V1 + 0x1000n, MS.MPRV | MS.MPP_S | MS.SUM);
      expect(h.x(a0)).toBe(VALUE + 1n);
    });

    it("MPRV = 1, MPP = U: accesses are checked as U", () => {
      mload(V1, MS.MPRV);
      expectMTrap(h, CAUSE.LOAD_PAGE, V1, MCODE);
      mload(V1 + 0x1000n, MS.MPRV);
      expect(h.x(a0)).toBe(VALUE + 1n);
    });

    it("MPRV = 1, MPP = M, or MPRV = 0: no translation", () => {
      mload(BigInt(P1), MS.MPRV | MS.MPP_M);
      expect(h.x(a0)).toBe(VALUE);
      mload(V1, MS.MPRV | MS.MPP_M); // V1 as a physical address is not RAM
      expectMTrap(h, CAUSE.LOAD_ACCESS, V1, MCODE);
      mload(V1, MS.MPP_S);
      expectMTrap(h, CAUSE.LOAD_ACCESS, V1, MCODE);
    });
  });

  describe(`${mode}: translation changes take effect`, () => {
    beforeEach(async () => {
      await setup(mode);
      h.write64(P1, VALUE);
      h.write64(P2, VALUE + 1n);
    });

    it("sfence.vma makes a changed PTE visible", () => {
      const at = pt.map(V1, P1, RWAD);
      load(V1);
      expect(h.x(a0)).toBe(VALUE);
      h.write64(at, leaf(P2, RWAD | PTE.V)); // no flush from the host
      h.setX(a1, V1);
      h.exec([asm("sfence.vma", { rs1: 0, rs2: 0 }), ld(a0, a1)], { priv: PRIV.S });
      expect(h.x(a0)).toBe(VALUE + 1n);
    });

    it("sfence.vma with an address makes a downgraded PTE fault", () => {
      const at = pt.map(V1, P1, RWAD);
      store(V1, 5n);
      expectRan(h, 1, PRIV.S);
      h.write64(at, leaf(P1, PTE.R | PTE.A | PTE.V));
      h.setX(a1, V1);
      h.setX(a2, 6n);
      h.exec([asm("sfence.vma", { rs1: a1, rs2: 0 }), sd(a2, a1)], { priv: PRIV.S });
      expectMTrap(h, CAUSE.STORE_PAGE, V1, CODE + 4);
      expect(h.read64(P1)).toBe(5n);
    });

    it("sfence.vma with an address drops that page only: other pages keep their cached translation", () => {
      // Keeping them is what a TLB may do (and what makes the fence cheap); the spec lets a
      // translation whose PTE changed without a fence for its address be either.
      const V2 = V1 + 0x1000n;
      const at1 = pt.map(V1, P1, RWAD);
      const at2 = pt.map(V2, P1, RWAD);
      load(V1);
      load(V2);
      h.write64(at1, leaf(P2, RWAD | PTE.V));
      h.write64(at2, leaf(P2, RWAD | PTE.V));
      h.setX(a1, V1);
      h.setX(a3, V2);
      h.exec([asm("sfence.vma", { rs1: a1, rs2: 0 }), ld(a0, a1), ld(a2, a3)], { priv: PRIV.S });
      expect(h.x(a0)).toBe(VALUE + 1n); // fenced: the new mapping
      expect(h.x(a2)).toBe(VALUE); // not fenced: still the cached one
    });

    // AMOs and LRs keep the translation their walk found, as stores and loads do: a PTE
    // changed without a fence may still be seen either way, and the cached one is what
    // spares the kernel's locks and counters a walk each time.
    it("an AMO caches its page's translation for the stores after it", () => {
      const at = pt.map(V1, P1, RWAD);
      h.write64(P1, 40n);
      h.setX(a1, V1);
      h.setX(a2, 2n);
      h.exec([asm("amoadd.d", { rd: a0, rs1: a1, rs2: a2 })], { priv: PRIV.S });
      expect(h.x(a0)).toBe(40n);
      expect(h.read64(P1)).toBe(42n);
      h.write64(at, leaf(P2, RWAD | PTE.V));
      store(V1 + 8n, 7n);
      expect(h.read64(P1 + 8)).toBe(7n); // the AMO's cached translation
      expect(h.read64(P2 + 8)).toBe(0n);
      h.exec([asm("sfence.vma", { rs1: 0, rs2: 0 })], { priv: PRIV.S });
      store(V1 + 8n, 9n);
      expect(h.read64(P2 + 8)).toBe(9n); // fenced: the new mapping
    });

    it("an LR caches its page's translation for the loads after it", () => {
      const at = pt.map(V1, P1, RWAD);
      h.write64(P1, VALUE);
      h.write64(P2, VALUE + 1n);
      h.setX(a1, V1);
      h.exec([asm("lr.d", { rd: a0, rs1: a1 })], { priv: PRIV.S });
      expect(h.x(a0)).toBe(VALUE);
      h.write64(at, leaf(P2, RWAD | PTE.V));
      load(V1);
      expect(h.x(a0)).toBe(VALUE); // the LR's cached translation
      h.setX(a1, V1);
      h.exec([asm("sfence.vma", { rs1: 0, rs2: 0 }), asm("lr.d", { rd: a0, rs1: a1 })], { priv: PRIV.S });
      expect(h.x(a0)).toBe(VALUE + 1n);
    });

    it("an AMO on a page that only allows reads faults and caches nothing for stores", () => {
      pt.map(V1, P1, PTE.R | PTE.A | PTE.D);
      h.write64(P1, 3n);
      h.setX(a1, V1);
      h.setX(a2, 2n);
      h.exec([asm("amoadd.d", { rd: a0, rs1: a1, rs2: a2 })], { priv: PRIV.S });
      expectMTrap(h, CAUSE.STORE_PAGE, V1, CODE);
      store(V1, 5n);
      expectMTrap(h, CAUSE.STORE_PAGE, V1, CODE);
      expect(h.read64(P1)).toBe(3n);
    });

    it("sfence.vma with an address in a superpage drops every page cached from it", () => {
      // A 2 MiB leaf maps the pages holding P1 and P2; each gets its own cached entry. The
      // leaf turns read-only and the fence names only P1's page: P2's store must fault too.
      const va = 0x0000_0000_4020_0000n;
      const base = DATA - (DATA % 0x20_0000);
      const at = pt.map(va, base, RWAD, 1);
      const v1 = va + BigInt(P1 - base), v2 = va + BigInt(P2 - base);
      store(v1, 5n);
      store(v2, 6n);
      expectRan(h, 1, PRIV.S);
      h.write64(at, leaf(base, PTE.R | PTE.A | PTE.V));
      h.setX(a1, v1);
      h.setX(a3, v2);
      h.setX(a2, 7n);
      h.exec([asm("sfence.vma", { rs1: a1, rs2: 0 }), sd(a2, a3)], { priv: PRIV.S });
      expectMTrap(h, CAUSE.STORE_PAGE, v2, CODE + 4);
      expect(h.read64(P2)).toBe(6n);
    });

    it("sfence.vma makes a changed code mapping visible to the very next fetch", () => {
      const vcode = 0x0000_0000_4000_0000n;
      const at = pt.map(vcode, P1, PTE.R | PTE.X | PTE.A);
      const body = (n: number) => [nop(), asm("sfence.vma", { rs1: 0, rs2: 0 }), asm("addi", { rd: a0, rs1: 0, imm: n }), nop()];
      h.load(P1, body(1));
      h.load(P2, body(2));
      h.pc = vcode;
      h.priv = PRIV.S;
      h.step(1); // runs the first nop of P1: the page is now cached
      h.write64(at, leaf(P2, PTE.R | PTE.X | PTE.A | PTE.V)); // remap the code page behind the hart's back
      h.step(2); // sfence.vma, then the addi: fetched through the new mapping
      expect(h.pc).toBe(vcode + 12n);
      expect(h.x(a0)).toBe(2n);
    });

    it("a satp write switches the code page too (DESIGN.md §5)", () => {
      const vcode = 0x0000_0000_4000_0000n;
      pt.map(vcode, P1, PTE.R | PTE.X | PTE.A);
      const pt2 = new PageTables(h, mode, new TablePool(DATA + 0x2_0000, DATA + 0x3_0000));
      mapCode(pt2);
      pt2.map(vcode, P2, PTE.R | PTE.X | PTE.A);
      const body = (n: number) => [csrw(CSR.satp, a2), asm("addi", { rd: a0, rs1: 0, imm: n }), nop()];
      h.load(P1, body(1));
      h.load(P2, body(2));
      h.setX(a2, pt2.satp);
      h.pc = vcode;
      h.priv = PRIV.S;
      h.step(2);
      expect(h.x(a0)).toBe(2n);
    });

    it("a satp write switches to the new tables (DESIGN.md §5: TLBs are flushed on satp writes)", () => {
      pt.map(V1, P1, RWAD);
      const pool = new TablePool(DATA + 0x2_0000, DATA + 0x3_0000); // a second pool for a second set of tables
      const pt2 = new PageTables(h, mode, pool);
      mapCode(pt2);
      pt2.map(V1, P2, RWAD);
      h.setX(a1, V1);
      h.setX(a2, pt2.satp);
      h.exec([ld(a0, a1), csrw(CSR.satp, a2), ld(a3, a1)], { priv: PRIV.S });
      expectRan(h, 3, PRIV.S);
      expect([h.x(a0), h.x(a3)]).toEqual([VALUE, VALUE + 1n]);
    });

    it("writing satp = Bare from S turns translation off", () => {
      pt.map(V1, P1, RWAD);
      h.setX(a1, V1);
      h.setX(t0, BigInt(P2));
      h.exec([ld(a0, a1), csrw(CSR.satp, 0), ld(a3, t0)], { priv: PRIV.S });
      expectRan(h, 3, PRIV.S);
      expect([h.x(a0), h.x(a3)]).toEqual([VALUE, VALUE + 1n]);
    });

    it("a trap to M leaves S translations behind: M sees physical addresses", () => {
      pt.map(V1, P1, RWAD);
      h.set("S_MTVEC", HANDLER);
      h.load(HANDLER, [ld(a3, a1)]);
      h.setX(a1, V1);
      h.exec([ld(a0, a1), asm("ecall")], { priv: PRIV.S, steps: 3 });
      expect(h.x(a0)).toBe(VALUE);
      expectMTrap(h, CAUSE.LOAD_ACCESS, V1, HANDLER, HANDLER); // V1 is not RAM physically
    });

    it("clearing SUM from S takes away U pages already used", () => {
      pt.map(V1, P1, RWAD | PTE.U);
      h.set("S_MSTATUS", MS.SUM);
      h.setX(a1, V1);
      h.setX(a2, MS.SUM);
      h.exec([ld(a0, a1), csrc(CSR.sstatus, a2), ld(a3, a1)], { priv: PRIV.S });
      expect(h.x(a0)).toBe(VALUE);
      expectMTrap(h, CAUSE.LOAD_PAGE, V1, CODE + 8);
    });

    it("clearing MXR from S takes away execute-only pages already read", () => {
      pt.map(V1, P1, PTE.X | PTE.A);
      h.set("S_MSTATUS", MS.MXR);
      h.setX(a1, V1);
      h.setX(a2, MS.MXR);
      h.exec([ld(a0, a1), csrc(CSR.sstatus, a2), ld(a3, a1)], { priv: PRIV.S });
      expect(h.x(a0)).toBe(VALUE);
      expectMTrap(h, CAUSE.LOAD_PAGE, V1, CODE + 8);
    });

    it("setting and clearing MPRV in M switches data accesses between translated and physical", () => {
      pt.map(V1, P1, RWAD);
      h.set("S_MSTATUS", MS.MPP_S);
      h.setX(a1, V1);
      h.setX(a2, MS.MPRV);
      h.exec([csrs(CSR.mstatus, a2), ld(a0, a1), csrc(CSR.mstatus, a2), ld(a3, a1)], { at: DATA + 0x8000 });
      expect(h.x(a0)).toBe(VALUE);
      expectMTrap(h, CAUSE.LOAD_ACCESS, V1, DATA + 0x800c);
    });

    it("an mret to S with MPRV set: the data TLB follows the new privilege", () => {
      pt.map(V1, P1, RWAD | PTE.U); // a U page: M with MPRV/MPP=U may read it, S (SUM=0) may not
      h.set("S_MEPC", CODE);
      h.load(CODE, [ld(a3, a1)]);
      h.setX(a1, V1);
      // in M with MPRV=1, MPP=U: load (ok), then set MPP=S and mret into S: load must fault
      h.set("S_MSTATUS", MS.MPRV);
      h.setX(a2, MS.MPP_S);
      h.exec([ld(a0, a1), csrs(CSR.mstatus, a2), asm("mret")], { at: DATA + 0x8000, steps: 4 });
      expect(h.x(a0)).toBe(VALUE);
      expectMTrap(h, CAUSE.LOAD_PAGE, V1, CODE);
    });
  });
}

describe("bare and M-mode", () => {
  it("satp = Bare: S-mode addresses are physical", async () => {
    h = await Hart.create();
    h.write64(P1, VALUE);
    load(BigInt(P1));
    expectRan(h, 1, PRIV.S);
    expect(h.x(a0)).toBe(VALUE);
  });

  it("M-mode ignores satp for its own accesses", async () => {
    await setup("sv39");
    h.write64(P1, VALUE);
    load(BigInt(P1), PRIV.M);
    expect(h.x(a0)).toBe(VALUE);
  });
});
