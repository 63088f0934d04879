// Physical memory protection (privileged architecture 1.12, §3.7): TOR, NA4 and NAPOT
// matching, priority, M-mode and locking, partial matches, the faults and their mtval.
// Each hart starts with every PMP entry off; entry 15 (lowest priority) gives the code
// pages RWX where a test runs S/U code.
import { describe, it, expect, beforeEach } from "vitest";
import { asm, csrr, csrw, csrs, csrc, ld, jr, nop } from "../support/asm.js";
import { Hart, CODE, DATA, MTVEC } from "../support/hart.js";
import { PageTables } from "../support/pagetable.js";
import { expectMTrap, expectRan } from "../support/checks.js";
import { CSR, MS, CAUSE, PRIV, PMP, PTE, X, napot } from "../support/riscv.js";

const { a0, a1, a2 } = X;
const VALUE = 0x1122_3344_5566_7788n;
const CODE_REGION = 0x1_0000; // CODE .. CODE + 64 KiB: code, trap vectors, handler page

let h: Hart;
beforeEach(async () => {
  h = await Hart.create({ pmp: "none" });
  for (let i = 0; i < 0x100; i += 8) h.write64(DATA + i, VALUE + BigInt(i));
});

function entry(i: number, cfg: number, addr: bigint): void {
  h.setPmpAddr(i, addr);
  h.setPmpCfg(i, cfg);
}
/** Entry 15: the code pages, RWX. */
function codeEntry(): void {
  entry(15, PMP.NAPOT | PMP.R | PMP.W | PMP.X, napot(CODE, CODE_REGION));
}

type Access = "lb" | "lw" | "ld" | "sw" | "sd" | "fetch";
const CAUSE_OF: Record<Access, bigint> = { lb: CAUSE.LOAD_ACCESS, lw: CAUSE.LOAD_ACCESS, ld: CAUSE.LOAD_ACCESS, sw: CAUSE.STORE_ACCESS, sd: CAUSE.STORE_ACCESS, fetch: CAUSE.FETCH_ACCESS };

/** Performs one access at pa in `priv`; returns "ok" or the trap's cause (checking mepc/mtval). */
function access(kind: Access, pa: number, priv: number = PRIV.S): "ok" | bigint {
  h.setX(a1, BigInt(pa));
  h.setX(a2, 0x77n);
  h.set("S_MCAUSE", 0xffn);
  if (kind === "fetch") {
    h.write32(pa, nop());
    h.exec([jr(a1)], { priv, steps: 2 });
    if (h.pc === BigInt(pa + 4) && h.priv === priv) return "ok";
    expectMTrap(h, CAUSE.FETCH_ACCESS, pa, pa);
    return h.mtrap.cause;
  }
  const word = kind.startsWith("s") ? asm(kind, { rs2: a2, rs1: a1, imm: 0 }) : asm(kind, { rd: a0, rs1: a1, imm: 0 });
  h.exec([word], { priv });
  if (h.pc === BigInt(CODE + 4) && h.priv === priv) return "ok";
  expectMTrap(h, CAUSE_OF[kind], pa);
  return h.mtrap.cause;
}

describe("no matching entry", () => {
  it("with every entry off, S and U cannot even fetch; M runs (§3.7.1: no match denies S/U)", () => {
    h.exec([nop()], { priv: PRIV.S });
    expectMTrap(h, CAUSE.FETCH_ACCESS, CODE, CODE);
    h.exec([nop()], { priv: PRIV.U });
    expectMTrap(h, CAUSE.FETCH_ACCESS, CODE, CODE);
    h.exec([nop(), nop()]);
    expectRan(h, 2, PRIV.M);
  });

  it("S/U accesses that match no entry fail with causes 1, 5, 7 and mtval = the address", () => {
    codeEntry();
    for (const priv of [PRIV.S, PRIV.U]) {
      expect(access("ld", DATA, priv)).toBe(CAUSE.LOAD_ACCESS);
      expect(access("sd", DATA + 8, priv)).toBe(CAUSE.STORE_ACCESS);
      expect(access("fetch", DATA + 0x80, priv)).toBe(CAUSE.FETCH_ACCESS);
    }
    expect(h.read64(DATA + 8)).toBe(VALUE + 8n); // the failed store wrote nothing
  });

  it("M-mode accesses that match no entry succeed", () => {
    codeEntry();
    expect(access("ld", DATA, PRIV.M)).toBe("ok");
    expect(h.x(a0)).toBe(VALUE);
    expect(access("sd", DATA, PRIV.M)).toBe("ok");
    expect(access("fetch", DATA + 0x80, PRIV.M)).toBe("ok");
  });
});

describe("address matching (§3.7.1.3)", () => {
  beforeEach(codeEntry);

  it("TOR: [pmpaddr(i-1)*4, pmpaddr(i)*4)", () => {
    entry(0, PMP.OFF, BigInt(DATA + 0x40) >> 2n);
    entry(1, PMP.TOR | PMP.R | PMP.W, BigInt(DATA + 0x80) >> 2n);
    expect(access("ld", DATA + 0x40)).toBe("ok");
    expect(h.x(a0)).toBe(VALUE + 0x40n);
    expect(access("ld", DATA + 0x78)).toBe("ok");
    expect(access("sd", DATA + 0x78)).toBe("ok");
    expect(access("ld", DATA + 0x80)).toBe(CAUSE.LOAD_ACCESS);
    expect(access("ld", DATA + 0x38)).toBe(CAUSE.LOAD_ACCESS);
    // byte-exact bounds
    expect([access("lb", DATA + 0x3f), access("lb", DATA + 0x40), access("lb", DATA + 0x7f), access("lb", DATA + 0x80)])
      .toEqual([CAUSE.LOAD_ACCESS, "ok", "ok", CAUSE.LOAD_ACCESS]);
  });

  it("TOR in entry 0 starts at address 0", () => {
    entry(0, PMP.TOR | PMP.R | PMP.X, BigInt(DATA + 0x80) >> 2n); // covers the code as well
    expect(access("ld", DATA + 0x78)).toBe("ok");
    expect(access("ld", DATA + 0x80)).toBe(CAUSE.LOAD_ACCESS);
    expect(access("sd", DATA)).toBe(CAUSE.STORE_ACCESS); // matched by entry 0, which has no W
  });

  it("TOR with pmpaddr(i-1) >= pmpaddr(i) matches nothing", () => {
    entry(0, PMP.OFF, BigInt(DATA + 0x80) >> 2n);
    entry(1, PMP.TOR | PMP.R | PMP.W, BigInt(DATA) >> 2n);
    expect(access("ld", DATA)).toBe(CAUSE.LOAD_ACCESS);
    expect(access("ld", DATA + 0x40)).toBe(CAUSE.LOAD_ACCESS);
  });

  it("NA4: exactly 4 bytes", () => {
    entry(0, PMP.NA4 | PMP.R, BigInt(DATA + 0x10) >> 2n);
    expect(access("lw", DATA + 0x10)).toBe("ok");
    expect(h.x(a0)).toBe((VALUE + 0x10n) & 0xffff_ffffn);
    expect(access("lw", DATA + 0x14)).toBe(CAUSE.LOAD_ACCESS);
    expect(access("lw", DATA + 0x0c)).toBe(CAUSE.LOAD_ACCESS);
    expect(access("sw", DATA + 0x10)).toBe(CAUSE.STORE_ACCESS);
  });

  for (const [size, base] of [[8, DATA + 0x20], [64, DATA + 0x40], [4096, DATA + 0x1000], [0x1_0000, DATA + 0x1_0000]] as const) {
    it(`NAPOT: ${size} bytes at 0x${base.toString(16)}`, () => {
      entry(0, PMP.NAPOT | PMP.R, napot(base, size));
      expect(access("ld", base)).toBe("ok");
      expect(access("ld", base + size - 8)).toBe("ok");
      expect(access("ld", base + size)).toBe(CAUSE.LOAD_ACCESS);
      expect(access("ld", base - 8)).toBe(CAUSE.LOAD_ACCESS);
      expect(access("lb", base + size - 1)).toBe("ok");
      expect(access("lb", base + size)).toBe(CAUSE.LOAD_ACCESS);
    });
  }

  it("NAPOT encoding: trailing ones give the size (pmpaddr = base/4 | (size/8 - 1))", () => {
    expect(napot(0x8004_0000, 8)).toBe(0x2001_0000n);
    expect(napot(0x8004_0000, 4096)).toBe(0x2001_01ffn);
    expect(napot(0, 1n << 56n)).toBe((1n << 53n) - 1n);
  });
});

describe("permissions and priority", () => {
  beforeEach(codeEntry);

  it("R, W and X are checked per access type", () => {
    entry(0, PMP.NAPOT | PMP.R, napot(DATA, 0x100));
    entry(1, PMP.NAPOT | PMP.X, napot(DATA + 0x100, 0x100));
    entry(2, PMP.NAPOT | PMP.R | PMP.W, napot(DATA + 0x200, 0x100));
    expect([access("ld", DATA), access("sd", DATA), access("fetch", DATA + 0x80)]).toEqual(["ok", CAUSE.STORE_ACCESS, CAUSE.FETCH_ACCESS]);
    expect([access("ld", DATA + 0x100), access("sd", DATA + 0x100), access("fetch", DATA + 0x180)]).toEqual([CAUSE.LOAD_ACCESS, CAUSE.STORE_ACCESS, "ok"]);
    expect([access("ld", DATA + 0x200), access("sd", DATA + 0x200), access("fetch", DATA + 0x280)]).toEqual(["ok", "ok", CAUSE.FETCH_ACCESS]);
  });

  it("the lowest-numbered matching entry decides", () => {
    entry(0, PMP.NAPOT | PMP.R, napot(DATA, 0x1000));
    entry(1, PMP.NAPOT | PMP.R | PMP.W, napot(DATA, 0x1_0000));
    expect(access("sd", DATA)).toBe(CAUSE.STORE_ACCESS);
    expect(access("sd", DATA + 0x1000)).toBe("ok");
  });

  it("U is checked like S", () => {
    entry(0, PMP.NAPOT | PMP.R, napot(DATA, 0x1000));
    expect(access("ld", DATA, PRIV.U)).toBe("ok");
    expect(access("sd", DATA, PRIV.U)).toBe(CAUSE.STORE_ACCESS);
  });
});

describe("partial matches (§3.7.1.4: an entry must match all bytes of an access)", () => {
  beforeEach(codeEntry);

  it("an 8-byte access half inside a 4-byte region fails, even though the region allows it", () => {
    entry(0, PMP.NA4 | PMP.R | PMP.W, BigInt(DATA + 0x14) >> 2n);
    expect(access("lw", DATA + 0x14)).toBe("ok");
    expect(access("ld", DATA + 0x10)).toBe(CAUSE.LOAD_ACCESS);
    expect(access("sd", DATA + 0x10)).toBe(CAUSE.STORE_ACCESS);
  });

  it("the partial match decides even when a later entry covers the whole access", () => {
    entry(0, PMP.NA4 | PMP.R | PMP.W, BigInt(DATA + 0x14) >> 2n);
    entry(1, PMP.NAPOT | PMP.R | PMP.W, napot(DATA, 0x1000));
    expect(access("ld", DATA + 0x08)).toBe("ok");
    expect(access("ld", DATA + 0x10)).toBe(CAUSE.LOAD_ACCESS);
  });

  it("partial matches fail in M-mode too, locked or not", () => {
    entry(0, PMP.NA4 | PMP.R | PMP.W, BigInt(DATA + 0x14) >> 2n);
    expect(access("ld", DATA + 0x10, PRIV.M)).toBe(CAUSE.LOAD_ACCESS);
    expect(access("lw", DATA + 0x14, PRIV.M)).toBe("ok");
    expect(access("ld", DATA + 0x18, PRIV.M)).toBe("ok"); // no match at all
  });
});

describe("M-mode and locked entries (§3.7.1.2)", () => {
  it("an unlocked entry does not restrict M", () => {
    entry(0, PMP.NAPOT, napot(DATA, 0x1000)); // no permissions at all
    expect([access("ld", DATA, PRIV.M), access("sd", DATA, PRIV.M), access("fetch", DATA + 0x80, PRIV.M)]).toEqual(["ok", "ok", "ok"]);
  });

  it("a locked entry binds M: loads, stores and fetches", () => {
    entry(0, PMP.L | PMP.NAPOT | PMP.R, napot(DATA, 0x1000));
    expect(access("ld", DATA, PRIV.M)).toBe("ok");
    expect(access("sd", DATA, PRIV.M)).toBe(CAUSE.STORE_ACCESS);
    expect(access("fetch", DATA + 0x80, PRIV.M)).toBe(CAUSE.FETCH_ACCESS);
  });

  it("a locked entry without X over M's own code stops M at its next fetch", () => {
    entry(0, PMP.L | PMP.NAPOT | PMP.R | PMP.W, napot(CODE, 0x1000)); // MTVEC is the next page: no match, allowed
    h.exec([nop()]);
    expectMTrap(h, CAUSE.FETCH_ACCESS, CODE, CODE, MTVEC);
  });

  it("locking away X on the running code page stops M by the first fetch after sfence.vma (§3.7.2)", () => {
    h.setX(a1, BigInt(PMP.L | PMP.NAPOT | PMP.R));
    h.setX(a2, napot(CODE, 0x1000));
    h.exec([csrw(CSR.pmpaddr0, a2), csrw(CSR.pmpcfg0, a1), asm("sfence.vma", { rs1: 0, rs2: 0 }), nop(), nop()]);
    // The spec guarantees the new setting after the sfence.vma; it may apply from the next fetch.
    const at = h.mtrap.epc;
    expect([BigInt(CODE + 8), BigInt(CODE + 12)]).toContain(at);
    expectMTrap(h, CAUSE.FETCH_ACCESS, at, at, MTVEC);
  });

  it("writes to a locked entry's pmpcfg and pmpaddr are ignored", () => {
    entry(0, PMP.L | PMP.NAPOT | PMP.R, napot(DATA, 0x1000));
    h.setX(a1, 0n);
    h.setX(a2, 0x1234n);
    h.exec([csrw(CSR.pmpcfg0, a1), csrw(CSR.pmpaddr0, a2), csrr(a0, CSR.pmpcfg0), csrr(a1, CSR.pmpaddr0)]);
    expectRan(h, 4);
    expect(h.x(a0) & 0xffn).toBe(BigInt(PMP.L | PMP.NAPOT | PMP.R));
    expect(h.x(a1)).toBe(napot(DATA, 0x1000));
  });

  it("a locked TOR entry also locks pmpaddr(i-1), but not pmpcfg(i-1)", () => {
    entry(0, PMP.OFF, BigInt(DATA) >> 2n);
    entry(1, PMP.L | PMP.TOR | PMP.R, BigInt(DATA + 0x100) >> 2n);
    h.setX(a1, 0x999n);
    h.setX(a2, BigInt(PMP.NA4 | PMP.R)); // new byte for entry 0 (entry 1's byte is locked)
    h.exec([csrw(CSR.pmpaddr0, a1), csrs(CSR.pmpcfg0, a2), csrr(a0, CSR.pmpaddr0), csrr(a1, CSR.pmpcfg0)]);
    expect(h.x(a0)).toBe(BigInt(DATA) >> 2n);
    expect(h.x(a1) & 0xffffn).toBe(BigInt(((PMP.L | PMP.TOR | PMP.R) << 8) | PMP.NA4 | PMP.R));
  });

  it("the L bit locks an entry even with A = OFF", () => {
    entry(3, PMP.L, 0x40n);
    h.setX(a1, 0x80n);
    h.exec([csrw(CSR.pmpaddr0 + 3, a1), csrr(a0, CSR.pmpaddr0 + 3)]);
    expect(h.x(a0)).toBe(0x40n);
  });
});

describe("PMP and the rest of the machine", () => {
  it("MPRV = 1 with MPP = S: M-mode data accesses are checked as S", () => {
    entry(0, PMP.NAPOT | PMP.R, napot(DATA, 0x1000));
    const asS = (kind: Access, pa: number) => {
      h.set("S_MSTATUS", MS.MPRV | MS.MPP_S); // a trap sets MPP = M: put S back each time
      return access(kind, pa, PRIV.M);
    };
    expect(asS("ld", DATA)).toBe("ok");
    expect(asS("sd", DATA)).toBe(CAUSE.STORE_ACCESS);
    expect(asS("ld", DATA + 0x1000)).toBe(CAUSE.LOAD_ACCESS); // no match: denied as for S
    expect(asS("fetch", DATA + 0x1080)).toBe("ok"); // fetches are not affected by MPRV
    h.set("S_MSTATUS", MS.MPRV | MS.MPP_M);
    expect(access("sd", DATA, PRIV.M)).toBe("ok"); // MPP = M: checked as M again
  });

  it("a PMP CSR write takes effect at once, even for an address used just before", () => {
    entry(0, PMP.NAPOT | PMP.R, napot(DATA, 0x1000));
    h.set("S_MSTATUS", MS.MPRV | MS.MPP_S);
    h.setX(a1, BigInt(DATA));
    h.setX(a2, 0xffn); // clears entry 0's byte
    h.exec([ld(a0, a1), csrc(CSR.pmpcfg0, a2), ld(a0, a1)]);
    expectMTrap(h, CAUSE.LOAD_ACCESS, DATA, CODE + 8);
  });

  it("page-table walks are checked as S-mode accesses: a denied PTE read is an access fault of the original type (§4.3.2)", async () => {
    h = await Hart.create({ pmp: "none" });
    codeEntry();
    const pt = new PageTables(h, "sv39"); // tables at RAM_BASE + 64 KiB: outside the code entry
    for (let i = 0; i < 4; i++) pt.map(BigInt(CODE + i * 0x1000), CODE + i * 0x1000, PTE.R | PTE.X | PTE.A);
    const va = 0x1234_5000n;
    pt.map(va, DATA, PTE.R | PTE.W);
    h.write64(DATA, VALUE);
    h.set("S_SATP", pt.satp);
    entry(2, PMP.NAPOT | PMP.R | PMP.W, napot(DATA, 0x1000));

    h.exec([nop()], { priv: PRIV.S }); // even the fetch's walk is denied
    expectMTrap(h, CAUSE.FETCH_ACCESS, CODE, CODE);

    entry(1, PMP.NAPOT | PMP.R, napot(pt.root, 0x1_0000)); // tables readable, not writable
    h.setX(a1, va);
    h.exec([ld(a0, a1)], { priv: PRIV.S });
    expectMTrap(h, CAUSE.LOAD_ACCESS, va); // setting A needs a PTE write, which PMP denies

    entry(1, PMP.NAPOT | PMP.R | PMP.W, napot(pt.root, 0x1_0000));
    h.exec([ld(a0, a1)], { priv: PRIV.S });
    expectRan(h, 1, PRIV.S);
    expect(h.x(a0)).toBe(VALUE);

    entry(2, PMP.NAPOT | PMP.W | PMP.R, napot(DATA + 0x1000, 0x1000)); // the data page itself: denied
    h.exec([ld(a0, a1)], { priv: PRIV.S });
    expectMTrap(h, CAUSE.LOAD_ACCESS, va); // mtval is the virtual address
  });
});
