// CSRs: access rules and WARL behaviour, checked by executing CSR instructions
// (privileged architecture 1.12 ch. 2–4, Zicsr in the unprivileged ISA 20191213 ch. 9).
import { describe, it, expect, beforeEach } from "vitest";
import { asm, csrr, csrw, csrs, nop } from "../support/asm.js";
import { Hart, CODE } from "../support/hart.js";
import { expectMTrap, expectRan } from "../support/checks.js";
import { CSR, MS, IRQ, CAUSE, PRIV, PMP, X } from "../support/riscv.js";

const { a0, a1, a2, a3, a4 } = X;
let h: Hart;
beforeEach(async () => { h = await Hart.create(); });

/** Runs `words` at CODE in `priv` and returns a0. */
function run(words: number[], priv: number = PRIV.M): bigint {
  h.exec(words, { priv });
  return h.x(a0);
}

/** Writes v to csr with csrrw (M-mode) and reads it back with csrrs; expects no trap. */
function writeRead(csr: number, v: bigint): bigint {
  h.setX(a1, v);
  const r = run([csrw(csr, a1), csrr(a0, csr)]);
  expectRan(h, 2);
  return r;
}

const SENTINEL = 0x5a5a_5a5an;
/** Expects the instruction at CODE to have raised illegal instruction with mtval = its bits. */
function expectIllegal(word: number, priv: number = PRIV.M): void {
  h.setX(a0, SENTINEL);
  h.exec([word], { priv });
  expectMTrap(h, CAUSE.ILLEGAL, word);
  expect(h.x(a0), "rd is not written").toBe(SENTINEL);
}

describe("misa", () => {
  it("reads RV64 with A, C, D, F, I, M, S, U (MXL = 2)", () => {
    const A = 1n << 0n, C = 1n << 2n, D = 1n << 3n, F = 1n << 5n, I = 1n << 8n, M = 1n << 12n, S = 1n << 18n, U = 1n << 20n;
    expect(run([csrr(a0, CSR.misa)])).toBe((2n << 62n) | A | C | D | F | I | M | S | U);
  });

  it("is read-only WARL: a write does not trap and changes nothing (§3.1.1)", () => {
    const before = run([csrr(a0, CSR.misa)]);
    h.setX(a1, 0n);
    h.setX(a2, -1n);
    run([csrw(CSR.misa, a1), csrr(a3, CSR.misa), csrw(CSR.misa, a2), csrr(a0, CSR.misa)]);
    expectRan(h, 4);
    expect(h.x(a3)).toBe(before);
    expect(h.x(a0)).toBe(before);
  });
});

describe("mstatus and sstatus", () => {
  it("MPP is WARL: 2 (no H-mode) becomes U; S and M stay (§3.1.6.1)", () => {
    expect(writeRead(CSR.mstatus, 2n << 11n) & MS.MPP).toBe(0n);
    expect(writeRead(CSR.mstatus, 1n << 11n) & MS.MPP).toBe(1n << 11n);
    expect(writeRead(CSR.mstatus, 3n << 11n) & MS.MPP).toBe(3n << 11n);
    expect(writeRead(CSR.mstatus, 0n) & MS.MPP).toBe(0n);
  });

  it("SD reads 1 exactly when FS is Dirty (no XS/VS state); UXL = SXL = 64-bit (§3.1.6.6, §3.1.6.2)", () => {
    for (const fs of [0n, 1n, 2n, 3n]) {
      const v = writeRead(CSR.mstatus, fs << 13n);
      expect(v & MS.FS, `FS=${fs}`).toBe(fs << 13n);
      expect(v & MS.SD, `FS=${fs}`).toBe(fs === 3n ? MS.SD : 0n);
      expect((v >> 32n) & 0xfn, `FS=${fs}`).toBe(0xan);
    }
  });

  it("writing all ones sets only the implemented fields", () => {
    // Little-endian only: UBE/SBE/MBE read 0; XS is read-only 0; VS is 0 here (no V; the
    // core's WARL choice); UXL/SXL read 2; SD follows FS = Dirty.
    const v = writeRead(CSR.mstatus, -1n);
    expect(v).toBe(MS.SIE | MS.MIE | MS.SPIE | MS.MPIE | MS.SPP | MS.MPP | MS.FS | MS.MPRV | MS.SUM | MS.MXR |
      MS.TVM | MS.TW | MS.TSR | (2n << 32n) | (2n << 34n) | MS.SD);
  });

  it("sstatus is a restricted view of mstatus (§4.1.1)", () => {
    const all = MS.MIE | MS.MPIE | MS.MPP | MS.MPRV | MS.TVM | MS.TW | MS.TSR | MS.SIE | MS.SPIE | MS.SPP | MS.SUM | MS.MXR | MS.FS_DIRTY;
    h.setX(a1, all);
    const v = run([csrw(CSR.mstatus, a1), csrr(a0, CSR.sstatus)]);
    expect(v).toBe(MS.SIE | MS.SPIE | MS.SPP | MS.FS_DIRTY | MS.SUM | MS.MXR | (2n << 32n) | MS.SD);
  });

  it("writing sstatus changes only its fields of mstatus", () => {
    h.setX(a1, -1n);
    run([csrw(CSR.sstatus, a1), csrr(a0, CSR.mstatus)]);
    expect(h.x(a0)).toBe(MS.SIE | MS.SPIE | MS.SPP | MS.FS | MS.SUM | MS.MXR | (2n << 32n) | (2n << 34n) | MS.SD);
    const mOnly = MS.MIE | MS.MPIE | MS.MPP | MS.MPRV | MS.TVM | MS.TW | MS.TSR;
    h.setX(a1, mOnly | MS.SIE | MS.SUM);
    h.setX(a2, 0n);
    run([csrw(CSR.mstatus, a1), csrw(CSR.sstatus, a2), csrr(a0, CSR.mstatus)]);
    expect(h.x(a0)).toBe(mOnly | (2n << 32n) | (2n << 34n));
  });

  it("sstatus is accessible from S but mstatus is not (§2.1: CSR address bits 9:8)", () => {
    h.set("S_MSTATUS", MS.SUM);
    expect(run([csrr(a0, CSR.sstatus)], PRIV.S)).toBe(MS.SUM | (2n << 32n));
    expectRan(h, 1, PRIV.S);
    expectIllegal(csrr(a0, CSR.mstatus), PRIV.S);
    expectIllegal(csrr(a0, CSR.sstatus), PRIV.U);
  });
});

describe("trap vectors, delegation and interrupt-enable registers", () => {
  it("mtvec/stvec keep direct (0) and vectored (1) modes; reserved modes are not kept (§3.1.7)", () => {
    expect(writeRead(CSR.mtvec, 0x8000_1000n)).toBe(0x8000_1000n);
    expect(writeRead(CSR.mtvec, 0x8000_1001n)).toBe(0x8000_1001n);
    // MODE >= 2 is reserved (WARL): the core's choice is direct mode with the base kept.
    expect(writeRead(CSR.mtvec, 0x8000_1002n)).toBe(0x8000_1000n);
    expect(writeRead(CSR.mtvec, 0x8000_1003n)).toBe(0x8000_1000n);
    expect(writeRead(CSR.stvec, 0x8000_2001n)).toBe(0x8000_2001n);
    expect(writeRead(CSR.stvec, 0x8000_2002n)).toBe(0x8000_2000n);
  });

  it("medeleg: ecall from M (bit 11) is hardwired to 0; the other standard causes delegate (§3.1.8)", () => {
    const v = writeRead(CSR.medeleg, -1n);
    expect(v & (1n << 11n)).toBe(0n);
    const delegable = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 15].reduce((m, c) => m | (1n << BigInt(c)), 0n);
    expect(v & delegable).toBe(delegable);
    expect(v).toBe(delegable); // reserved causes 10 and 14 and the rest read 0
  });

  it("mideleg: only the S-level interrupts SSI, STI, SEI are delegable", () => {
    expect(writeRead(CSR.mideleg, -1n)).toBe(IRQ.SSI | IRQ.STI | IRQ.SEI);
  });

  it("mie: only the six standard interrupt enables exist", () => {
    expect(writeRead(CSR.mie, -1n)).toBe(IRQ.SSI | IRQ.MSI | IRQ.STI | IRQ.MTI | IRQ.SEI | IRQ.MEI);
  });

  it("sie shows and writes only delegated bits of mie (§4.1.3)", () => {
    h.setX(a1, -1n);
    h.setX(a2, 0n);
    h.setX(a3, IRQ.SSI);
    run([
      csrw(CSR.mie, a1),
      csrr(a4, CSR.sie), // nothing delegated: reads 0
      csrw(CSR.sie, a2), // and writes nothing
      csrw(CSR.mideleg, a3), // delegate SSI only
      csrr(a0, CSR.sie),
    ]);
    expect(h.x(a4)).toBe(0n);
    expect(h.x(a0)).toBe(IRQ.SSI);
    run([csrw(CSR.sie, a2), csrr(a0, CSR.mie)]);
    expect(h.x(a0)).toBe(IRQ.MSI | IRQ.STI | IRQ.MTI | IRQ.SEI | IRQ.MEI);
  });

  it("mip: MSIP/MTIP/MEIP are read-only, SSIP/STIP/SEIP writable from M (§3.1.9)", () => {
    expect(writeRead(CSR.mip, -1n)).toBe(IRQ.SSI | IRQ.STI | IRQ.SEI);
    expect(writeRead(CSR.mip, 0n)).toBe(0n);
  });

  it("mip reads the CLINT and PLIC lines", () => {
    h.msip = true;
    h.mtime = 100n;
    h.mtimecmp = 100n; // MTIP: mtime >= mtimecmp
    h.meip = true;
    h.seip = true;
    expect(run([csrr(a0, CSR.mip)])).toBe(IRQ.MSI | IRQ.MTI | IRQ.MEI | IRQ.SEI);
    h.mtimecmp = 101n;
    h.msip = false;
    h.meip = false;
    h.seip = false;
    expect(run([csrr(a0, CSR.mip)])).toBe(0n);
  });

  it("CSRRS/CSRRC on mip use the software SEIP bit, not the external line (§3.1.9)", () => {
    h.seip = true;
    h.setX(a1, IRQ.SSI);
    run([csrs(CSR.mip, a1), csrr(a2, CSR.mip)]);
    expect(h.x(a2)).toBe(IRQ.SSI | IRQ.SEI); // the line is visible in reads
    h.seip = false;
    expect(run([csrr(a0, CSR.mip)])).toBe(IRQ.SSI); // but it was not latched into the register
  });

  it("sip shows only the delegated bits of mip (§4.1.3)", () => {
    h.set("S_MIP", IRQ.SSI | IRQ.STI | IRQ.SEI);
    h.set("S_MIDELEG", IRQ.STI);
    expect(run([csrr(a0, CSR.sip)])).toBe(IRQ.STI);
    h.set("S_MIDELEG", 0n);
    expect(run([csrr(a0, CSR.sip)])).toBe(0n);
  });

  it("sip: only SSIP is writable, and only when delegated (§4.1.3)", () => {
    h.setX(a1, -1n);
    h.setX(a2, IRQ.SSI | IRQ.STI | IRQ.SEI);
    run([csrw(CSR.sip, a1), csrr(a3, CSR.mip), csrw(CSR.mideleg, a2), csrw(CSR.sip, a1), csrr(a0, CSR.mip)]);
    expect(h.x(a3)).toBe(0n);
    expect(h.x(a0)).toBe(IRQ.SSI);
  });
});

describe("satp (§4.1.11)", () => {
  const sv39 = (ppn: bigint) => (8n << 60n) | ppn;

  it("accepts Sv39 and Sv48, and Bare", () => {
    expect(writeRead(CSR.satp, sv39(0x80010n))).toBe(sv39(0x80010n));
    expect(writeRead(CSR.satp, (9n << 60n) | 0x80020n)).toBe((9n << 60n) | 0x80020n);
    expect(writeRead(CSR.satp, 0n)).toBe(0n);
  });

  it("a write with an unsupported MODE has no effect at all", () => {
    writeRead(CSR.satp, sv39(0x80010n));
    for (const mode of [1n, 7n, 10n /* Sv57 */, 11n /* Sv64 */, 15n]) {
      expect(writeRead(CSR.satp, (mode << 60n) | 0x80033n), `MODE ${mode}`).toBe(sv39(0x80010n));
    }
  });

  it("ASID is hardwired to 0 (ASIDLEN = 0 is allowed)", () => {
    expect(writeRead(CSR.satp, sv39(0x80010n) | (0xffffn << 44n))).toBe(sv39(0x80010n));
  });
});

describe("mepc and sepc", () => {
  it("bit 0 is always 0; bit 1 is kept since IALIGN = 16 with C (§3.1.14)", () => {
    expect(writeRead(CSR.mepc, 0x8000_0003n)).toBe(0x8000_0002n);
    expect(writeRead(CSR.mepc, -1n)).toBe(0xffff_ffff_ffff_fffen);
    expect(writeRead(CSR.sepc, 0x8000_0001n)).toBe(0x8000_0000n);
  });
});

describe("PMP CSRs (§3.7.1)", () => {
  it("R=0, W=1 is reserved: the W bit is dropped; the reserved bits 6:5 read 0", () => {
    // byte 0: NAPOT|W (reserved combination), byte 1: NAPOT|W|R, byte 2: TOR|X|0x60
    const v = writeRead(CSR.pmpcfg0, BigInt(PMP.NAPOT | PMP.W) | (BigInt(PMP.NAPOT | PMP.W | PMP.R) << 8n) | (BigInt(PMP.TOR | PMP.X | 0x60) << 16n));
    expect(v & 0xffn).toBe(BigInt(PMP.NAPOT));
    expect((v >> 8n) & 0xffn).toBe(BigInt(PMP.NAPOT | PMP.W | PMP.R));
    expect((v >> 16n) & 0xffn).toBe(BigInt(PMP.TOR | PMP.X));
  });

  it("pmpcfg2 holds entries 8–15", () => {
    const v = writeRead(CSR.pmpcfg2, 0x1f0d_0000_0000_0000n);
    expect(v).toBe(0x1f0d_0000_0000_0000n);
    expect(h.pmpCfg(14)).toBe(0x0d);
    expect(h.pmpCfg(15)).toBe(0x1f);
  });

  it("the odd pmpcfg registers do not exist on RV64: illegal instruction", () => {
    expectIllegal(csrr(a0, CSR.pmpcfg1));
    expectIllegal(csrr(a0, CSR.pmpcfg3));
    h.setX(a1, 0n);
    expectIllegal(asm("csrrw", { rd: a0, csr: 0x3af, rs1: a1 })); // pmpcfg15
  });

  it("pmpaddr holds address bits 55:2 (54 bits); entries past 16 read 0 and ignore writes", () => {
    expect(writeRead(CSR.pmpaddr0 + 3, -1n)).toBe((1n << 54n) - 1n);
    expect(writeRead(CSR.pmpaddr0 + 16, -1n)).toBe(0n);
    expect(writeRead(0x3ef /* pmpaddr63 */, -1n)).toBe(0n);
    expect(writeRead(0x3ae /* pmpcfg14 */, -1n)).toBe(0n);
  });
});

describe("access rules (§2.1, Zicsr §9.1)", () => {
  it("writing a read-only CSR is illegal, mtval = the instruction", () => {
    h.setX(a1, 0n);
    expectIllegal(asm("csrrw", { rd: a0, csr: CSR.mhartid, rs1: a1 }));
    expectIllegal(asm("csrrw", { rd: 0, csr: CSR.mvendorid, rs1: a1 })); // rd = x0 still writes
    expectIllegal(asm("csrrwi", { rd: a0, csr: CSR.marchid, uimm: 0 }));
    expectIllegal(asm("csrrs", { rd: a0, csr: CSR.mimpid, rs1: a1 })); // rs1 != x0 writes, even a zero value
    expectIllegal(asm("csrrci", { rd: a0, csr: CSR.cycle, uimm: 1 }));
  });

  it("csrrs/csrrc with rs1 = x0 and csrrsi/csrrci with uimm = 0 only read, so read-only CSRs allow them", () => {
    h.setX(a0, SENTINEL);
    const words = [
      asm("csrrs", { rd: a0, csr: CSR.mhartid, rs1: 0 }),
      asm("csrrc", { rd: a1, csr: CSR.misa, rs1: 0 }),
      asm("csrrsi", { rd: a2, csr: CSR.mvendorid, uimm: 0 }),
      asm("csrrci", { rd: a3, csr: CSR.mconfigptr, uimm: 0 }),
    ];
    h.setX(a2, SENTINEL);
    h.setX(a3, SENTINEL);
    run(words);
    expectRan(h, 4);
    expect([h.x(a0), h.x(a1) >> 62n, h.x(a2), h.x(a3)]).toEqual([0n, 2n, 0n, 0n]);
  });

  it("CSRs that do not exist are illegal", () => {
    h.set("S_MSTATUS", MS.FS_INITIAL);
    for (const csr of [0x800 /* custom */, 0x7b0 /* dcsr: debug mode only */, 0x004 /* uie: no N */, 0x5c0, 0xfff]) {
      expectIllegal(csrr(a0, csr));
    }
  });

  it("ustatus (0x000) does not exist either (no N extension), whatever FS says", () => {
    // Only 0x001–0x003 (fflags, frm, fcsr) are gated by FS; 0x000 has no CSR behind it.
    h.set("S_MSTATUS", MS.FS_INITIAL);
    expectIllegal(csrr(a0, 0x000));
  });
});

describe("counters (§3.1.11, §4.1.5)", () => {
  function read(csr: number, priv: number, mcounteren: bigint, scounteren: bigint): bigint | "illegal" {
    h.set("S_MCOUNTEREN", mcounteren);
    h.csrWrite(CSR.scounteren, scounteren);
    const w = csrr(a0, csr);
    h.set("S_MCAUSE", 0xffn);
    h.exec([w], { priv });
    if (h.pc === BigInt(CODE + 4) && h.priv === priv) return h.x(a0);
    expectMTrap(h, CAUSE.ILLEGAL, w);
    return "illegal";
  }

  it("M-mode reads every counter whatever mcounteren says", () => {
    h.mtime = 12345n;
    expect(read(CSR.time, PRIV.M, 0n, 0n)).toBe(12345n);
    expect(read(CSR.cycle, PRIV.M, 0n, 0n)).not.toBe("illegal");
    expect(read(CSR.instret, PRIV.M, 0n, 0n)).not.toBe("illegal");
  });

  it("S-mode needs the mcounteren bit (CY=0, TM=1, IR=2, HPMn=n)", () => {
    h.mtime = 777n;
    expect(read(CSR.cycle, PRIV.S, 0n, 0n)).toBe("illegal");
    expect(read(CSR.time, PRIV.S, 0b101n, 7n)).toBe("illegal");
    expect(read(CSR.time, PRIV.S, 0b010n, 0n)).toBe(777n);
    expect(read(CSR.instret, PRIV.S, 0b100n, 0n)).not.toBe("illegal");
    expect(read(CSR.hpmcounter3, PRIV.S, 0b111n, 0n)).toBe("illegal");
    expect(read(CSR.hpmcounter3, PRIV.S, 0b1000n, 0n)).toBe(0n);
  });

  it("U-mode needs both the mcounteren and the scounteren bit", () => {
    h.mtime = 4242n;
    expect(read(CSR.time, PRIV.U, 0b010n, 0n)).toBe("illegal");
    expect(read(CSR.time, PRIV.U, 0n, 0b010n)).toBe("illegal");
    expect(read(CSR.time, PRIV.U, 0b010n, 0b010n)).toBe(4242n);
    expect(read(CSR.cycle, PRIV.U, 0b111n, 0b110n)).toBe("illegal");
    expect(read(CSR.instret, PRIV.U, 0b100n, 0b100n)).not.toBe("illegal");
  });

  it("the M-mode counters and counteren registers are not reachable from S/U", () => {
    h.set("S_MCOUNTEREN", 7n);
    expectIllegal(csrr(a0, CSR.minstret), PRIV.S);
    expectIllegal(csrr(a0, CSR.mcounteren), PRIV.S);
    expectIllegal(csrr(a0, CSR.scounteren), PRIV.U);
  });

  it("minstret counts retired instructions, including the reading one's predecessors", () => {
    run([csrr(a1, CSR.minstret), nop(), nop(), csrr(a2, CSR.minstret), csrr(a3, CSR.instret)]);
    expect(h.x(a2) - h.x(a1)).toBe(3n);
    expect(h.x(a3) - h.x(a1)).toBe(4n);
  });

  it("a value written to minstret is what the next instruction reads: it replaces the increment (Zicsr §9.1)", () => {
    h.setX(a1, 1000n);
    run([csrw(CSR.minstret, a1), csrr(a2, CSR.minstret), csrr(a3, CSR.minstret), csrr(a4, CSR.instret)]);
    expect([h.x(a2), h.x(a3), h.x(a4)]).toEqual([1000n, 1001n, 1002n]);
  });

  it("csrrw on minstret returns the old value and the next instruction reads the new one", () => {
    h.setX(a1, 0n);
    run([nop(), asm("csrrw", { rd: a2, csr: CSR.minstret, rs1: a1 }), csrr(a3, CSR.minstret)]);
    expect(h.x(a2)).toBe(1n); // a fresh hart: one instruction (the nop) retired before
    expect(h.x(a3)).toBe(0n);
  });

  it("mcountinhibit.IR stops minstret; clearing it lets it count again", () => {
    h.setX(a1, 4n);
    run([
      csrw(CSR.mcountinhibit, a1),
      csrr(a3, CSR.minstret),
      nop(), nop(),
      csrr(a4, CSR.minstret),
      csrw(CSR.mcountinhibit, 0),
      csrr(X.t0, CSR.minstret),
      nop(),
      csrr(X.t1, CSR.minstret),
    ]);
    expect(h.x(a4)).toBe(h.x(a3));
    expect(h.x(X.t1) - h.x(X.t0)).toBe(2n);
  });
});

describe("floating-point CSRs (unprivileged §11.2, priv §3.1.6.6)", () => {
  beforeEach(() => h.set("S_MSTATUS", MS.FS_INITIAL));

  it("fflags and frm are fields of fcsr", () => {
    h.setX(a1, 0xffn);
    run([csrw(CSR.fcsr, a1), csrr(a2, CSR.fflags), csrr(a3, CSR.frm), csrr(a0, CSR.fcsr)]);
    expect([h.x(a2), h.x(a3), h.x(a0)]).toEqual([0x1fn, 7n, 0xffn]);
    h.setX(a1, 2n);
    run([csrw(CSR.frm, a1), csrw(CSR.fflags, 0), csrr(a0, CSR.fcsr)]);
    expect(h.x(a0)).toBe(0x40n);
    h.setX(a1, 0x5n);
    run([csrw(CSR.fflags, a1), csrr(a0, CSR.fcsr)]);
    expect(h.x(a0)).toBe(0x45n);
  });

  it("bits above the fields are read-only zero", () => {
    expect(writeRead(CSR.fcsr, -1n)).toBe(0xffn);
    expect(writeRead(CSR.fflags, -1n)).toBe(0x1fn);
    expect(writeRead(CSR.frm, -1n)).toBe(7n);
  });

  it("frm holds the invalid modes 5 and 6; dynamic rounding then traps, static does not", () => {
    expect(writeRead(CSR.frm, 5n)).toBe(5n);
    h.set("S_MSTATUS", MS.FS_INITIAL);
    h.set("S_FCSR", 5n << 5n);
    expectIllegal(asm("fadd.s", { rd: 1, rs1: 2, rs2: 3, rm: 7 }));
    h.set("S_FCSR", 5n << 5n);
    run([asm("fadd.s", { rd: 1, rs1: 2, rs2: 3, rm: 0 })]);
    expectRan(h, 1);
  });

  it("writing fflags/frm/fcsr makes FS Dirty (and SD 1)", () => {
    h.setX(a1, 1n);
    run([csrw(CSR.fflags, a1), csrr(a0, CSR.mstatus)]);
    expect(h.x(a0) & (MS.FS | MS.SD)).toBe(MS.FS_DIRTY | MS.SD);
  });

  it("with FS = Off every F CSR access and F instruction is illegal", () => {
    h.set("S_MSTATUS", 0n);
    expectIllegal(csrr(a0, CSR.fflags));
    expectIllegal(csrr(a0, CSR.frm));
    expectIllegal(csrr(a0, CSR.fcsr));
    expectIllegal(asm("csrrwi", { rd: 0, csr: CSR.fcsr, uimm: 0 }));
    expectIllegal(asm("fadd.d", { rd: 1, rs1: 2, rs2: 3 }));
    expectIllegal(asm("flw", { rd: 1, rs1: 0, imm: 0 }));
    expectIllegal(asm("fmv.x.d", { rd: a0, rs1: 1 }));
  });
});

describe("CSR instruction semantics (Zicsr §9.1)", () => {
  it("csrrw returns the old value; csrrs/csrrc set and clear bits; the immediate forms use uimm", () => {
    h.setX(a1, 0xf0n);
    h.setX(a2, 0x0fn);
    h.setX(a3, 0x30n);
    run([
      csrw(CSR.mscratch, a1),
      asm("csrrs", { rd: a4, csr: CSR.mscratch, rs1: a2 }), // a4 = 0xf0, mscratch = 0xff
      asm("csrrc", { rd: a1, csr: CSR.mscratch, rs1: a3 }), // a1 = 0xff, mscratch = 0xcf
      asm("csrrwi", { rd: a2, csr: CSR.mscratch, uimm: 0x1f }), // a2 = 0xcf, mscratch = 0x1f
      asm("csrrci", { rd: a3, csr: CSR.mscratch, uimm: 3 }), // a3 = 0x1f, mscratch = 0x1c
      asm("csrrsi", { rd: a0, csr: CSR.mscratch, uimm: 0x10 }), // a0 = 0x1c, mscratch = 0x1c
      csrr(X.t0, CSR.mscratch),
    ]);
    expect([h.x(a4), h.x(a1), h.x(a2), h.x(a3), h.x(a0), h.x(X.t0)]).toEqual([0xf0n, 0xffn, 0xcfn, 0x1fn, 0x1cn, 0x1cn]);
  });

  it("rd = rs1 reads the old value and writes the register's old value", () => {
    h.setX(a0, 0x1234n);
    h.csrWrite(CSR.sscratch, 0x5678n);
    run([asm("csrrw", { rd: a0, csr: CSR.sscratch, rs1: a0 })]);
    expect(h.x(a0)).toBe(0x5678n);
    expect(h.csrRead(CSR.sscratch)).toBe(0x1234n);
  });
});
