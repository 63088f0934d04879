// Accesses at the edges of the physical address space, of RAM and of the device windows.
// Range checks written as `pa + size <= end` wrap at the top of the 64-bit space: `ld` at
// 0xffff_ffff_ffff_fff8 once "hit" the CLINT (pa + 8 == 0) and read 0, and a store there
// was dropped, where QEMU raises an access fault (checked against qemu-system-riscv64 by
// tests/adversarial/src/address-edges.S).
import { describe, expect, it } from "vitest";
import { asm, sd } from "../support/asm.js";
import { CODE, DATA, Hart, RAM_BASE, RAM_SIZE } from "../support/hart.js";
import { expectMTrap, expectRan } from "../support/checks.js";
import { PageTables } from "../support/pagetable.js";
import { CAUSE, MS, PRIV, PTE, X } from "../support/riscv.js";

const { a0, a1, a2 } = X;
const SENTINEL = 0x5a5a_5a5a_5a5a_5a5an;
const TOP = 1n << 64n;
const RAM_END = RAM_BASE + RAM_SIZE;
const CLINT_BASE = 0x200_0000;
const CLINT_END = CLINT_BASE + 0x1_0000;
const UART = { base: 0x1000_0000, size: 0x100 };

type Access = { name: string; insn: number; size: number; cause: bigint };
const LOAD = (name: string, size: number): Access => ({ name, size, cause: CAUSE.LOAD_ACCESS, insn: asm(name, { rd: a0, rs1: a1, imm: 0 }) });
const STORE = (name: string, size: number): Access => ({ name, size, cause: CAUSE.STORE_ACCESS, insn: asm(name, { rs2: a0, rs1: a1, imm: 0 }) });
const ACCESSES: Access[] = [
  LOAD("ld", 8), LOAD("lw", 4), LOAD("lwu", 4), LOAD("lh", 2), LOAD("lhu", 2), LOAD("lb", 1), LOAD("lbu", 1),
  STORE("sd", 8), STORE("sw", 4), STORE("sh", 2), STORE("sb", 1),
  { name: "lr.d", size: 8, cause: CAUSE.LOAD_ACCESS, insn: asm("lr.d", { rd: a0, rs1: a1 }) },
  { name: "amoadd.d", size: 8, cause: CAUSE.STORE_ACCESS, insn: asm("amoadd.d", { rd: a0, rs1: a1, rs2: a0 }) },
  { name: "amoswap.w", size: 4, cause: CAUSE.STORE_ACCESS, insn: asm("amoswap.w", { rd: a0, rs1: a1, rs2: a0 }) },
  { name: "fld", size: 8, cause: CAUSE.LOAD_ACCESS, insn: asm("fld", { rd: a0, rs1: a1, imm: 0 }) },
  { name: "fsd", size: 8, cause: CAUSE.STORE_ACCESS, insn: asm("fsd", { rs2: a0, rs1: a1, imm: 0 }) },
];

/** Runs one access at addr in M-mode with translation off; x10 and f10 hold SENTINEL before it. */
function run(h: Hart, a: Access, addr: bigint): void {
  h.setX(a1, addr);
  h.setX(a0, SENTINEL);
  h.setF(a0, SENTINEL);
  h.set("S_MSTATUS", h.get("S_MSTATUS") | MS.FS_DIRTY);
  h.exec([a.insn]);
}

describe("the top of the 64-bit physical address space", () => {
  for (const mapped of [false, true]) {
    for (const a of ACCESSES) {
      const addr = TOP - BigInt(a.size); // the last naturally aligned slot
      it(`${a.name} at 0x${addr.toString(16)} raises an access fault${mapped ? " (with a device window mapped)" : ""}`, async () => {
        const h = await Hart.create();
        if (mapped) h.core.setMmioMap([UART]);
        run(h, a, addr);
        expectMTrap(h, a.cause, addr);
        expect([h.x(a0), h.f(a0)], "rd untouched").toEqual([SENTINEL, SENTINEL]);
        expect(h.mmio, "no device saw the access").toEqual([]);
      });
    }
  }

  it("a fetch from the last word or halfword raises an instruction access fault", async () => {
    for (const target of [TOP - 4n, TOP - 2n]) {
      const h = await Hart.create();
      h.setX(a1, target);
      h.exec([asm("jalr", { rd: 0, rs1: a1, imm: 0 })], { steps: 2 });
      expectMTrap(h, CAUSE.FETCH_ACCESS, target, target);
    }
  });

  it("a misaligned load wrapping past the top faults at its first byte", async () => {
    const h = await Hart.create();
    h.core.setMmioMap([UART]);
    run(h, LOAD("ld", 8), TOP - 4n);
    expectMTrap(h, CAUSE.LOAD_ACCESS, TOP - 4n);
    expect(h.x(a0)).toBe(SENTINEL);
    expect(h.mmio).toEqual([]);
  });
});

describe("the edges of RAM and of the CLINT", () => {
  it("the last byte and doubleword of RAM are usable; the first byte past RAM faults", async () => {
    const h = await Hart.create();
    h.write64(RAM_END - 8, 0x1122_3344_5566_7788n);
    h.setX(a1, RAM_END - 8);
    h.exec([asm("ld", { rd: a0, rs1: a1, imm: 0 }), asm("lbu", { rd: a2, rs1: a1, imm: 7 })]);
    expectRan(h, 2);
    expect(h.x(a0)).toBe(0x1122_3344_5566_7788n);
    expect(h.x(a2)).toBe(0x11n);
    for (const a of [LOAD("lb", 1), STORE("sb", 1), LOAD("ld", 8)]) {
      run(h, a, BigInt(RAM_END));
      expectMTrap(h, a.cause, RAM_END);
    }
  });

  it("a load crossing the end of RAM faults where RAM ends", async () => {
    const h = await Hart.create();
    run(h, LOAD("ld", 8), BigInt(RAM_END - 4));
    expectMTrap(h, CAUSE.LOAD_ACCESS, RAM_END);
    expect(h.x(a0)).toBe(SENTINEL);
  });

  it("mtime and the CLINT's last doubleword read; the byte after its window faults", async () => {
    const h = await Hart.create();
    h.mtime = 0x1234n;
    run(h, LOAD("ld", 8), BigInt(CLINT_BASE + 0xbff8));
    expectRan(h, 1);
    expect(h.x(a0)).toBe(0x1234n);
    run(h, LOAD("ld", 8), BigInt(CLINT_END - 8));
    expectRan(h, 1);
    expect(h.x(a0)).toBe(0n);
    for (const a of [LOAD("lb", 1), STORE("sw", 4)]) {
      run(h, a, BigInt(CLINT_END));
      expectMTrap(h, a.cause, CLINT_END);
    }
  });
});

describe("a misaligned store wrapping from the top virtual page into page 0", () => {
  it("checks both pages first: a page fault on page 0 leaves the top page untouched", async () => {
    const h = await Hart.create();
    const pt = new PageTables(h, "sv39");
    pt.map(BigInt(CODE), CODE, PTE.R | PTE.X | PTE.A);
    const top = TOP - 0x1000n; // 0xffff_ffff_ffff_f000, the last Sv39 page
    pt.map(top, DATA, PTE.R | PTE.W | PTE.A | PTE.D);
    h.set("S_SATP", pt.satp);
    h.write64(DATA + 0xff8, 0n);
    h.setX(a1, TOP - 4n);
    h.setX(a0, -1n);
    h.exec([sd(a0, a1)], { priv: PRIV.S });
    expectMTrap(h, CAUSE.STORE_PAGE, 0n);
    expect(h.read64(DATA + 0xff8), "nothing stored in the top page").toBe(0n);
  });
});

