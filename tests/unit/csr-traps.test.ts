// CSR WARL rules, access checks, trap delegation and interrupt priority (priv spec 1.12).
import { describe, it, expect, beforeEach } from "vitest";
import { asm, Hart, CODE, TRAP } from "./hart.js";

const M = 3, S = 1, U = 0;
const csrw = (csr: number, rs1: number) => asm("csrrw", { rd: 0, csr, rs1 });
const csrr = (rd: number, csr: number) => asm("csrrs", { rd, csr, rs1: 0 });
let h: Hart;
beforeEach(async () => { h = await Hart.create(); });

/** Writes `value` to `csr` in M-mode and returns what reads back. */
function roundTrip(csr: number, value: bigint): bigint {
  h.x(5, value);
  h.run([csrw(csr, 5), csrr(6, csr)]);
  return h.x(6);
}

describe("CSR WARL behaviour", () => {
  it("misa is read-only RV64IMAFDCSU", () => {
    const misa = roundTrip(0x301, 0n);
    expect(misa >> 62n).toBe(2n);
    expect(misa & 0x3ffffffn).toBe(0x14112dn);
  });

  it("mstatus: MPP=2 reads as U, SD follows FS=Dirty, UXL/SXL are 64-bit", () => {
    const v = roundTrip(0x300, (2n << 11n) | (3n << 13n));
    expect((v >> 11n) & 3n).toBe(0n);
    expect(v >> 63n).toBe(1n);
    expect((v >> 32n) & 0xfn).toBe(0xan);
  });

  it("sstatus is a restricted view of mstatus", () => {
    h.x(5, (1n << 3n) | (1n << 1n) | (1n << 18n)); // MIE, SIE, SUM
    h.run([csrw(0x300, 5), csrr(6, 0x100)]);
    expect(h.x(6) & (1n << 3n)).toBe(0n); // MIE not visible
    expect(h.x(6) & ((1n << 1n) | (1n << 18n))).toBe((1n << 1n) | (1n << 18n));
  });

  it("mtvec keeps direct and vectored modes, maps reserved modes to direct", () => {
    expect(roundTrip(0x305, 0x8000_0101n)).toBe(0x8000_0101n);
    expect(roundTrip(0x305, 0x8000_0102n)).toBe(0x8000_0100n);
  });

  it("medeleg cannot delegate ECALL from M; mideleg only SSI/STI/SEI", () => {
    expect(roundTrip(0x302, 0xffffn)).toBe(0xb3ffn);
    expect(roundTrip(0x303, 0xfffn)).toBe(0x222n);
  });

  it("satp with an unsupported mode is ignored entirely; ASID is hardwired to 0", () => {
    expect(roundTrip(0x180, (8n << 60n) | (0xffffn << 44n) | 0x1234n)).toBe((8n << 60n) | 0x1234n);
    h.x(5, (10n << 60n) | 0x99n); // Sv57 is not implemented
    h.run([csrw(0x180, 5), csrr(6, 0x180)]);
    expect(h.x(6)).toBe((8n << 60n) | 0x1234n);
  });

  it("mepc clears bit 0; pmpcfg drops W without R; odd pmpcfg does not exist", () => {
    expect(roundTrip(0x341, 0x8000_0003n)).toBe(0x8000_0002n);
    expect(roundTrip(0x3a0, 0x1an) & 0xffn).toBe(0x18n); // NAPOT, W=1 R=0 -> W dropped
    h.run([csrr(6, 0x3a1)]);
    expect(h.slot("S_MCAUSE")).toBe(2n);
  });

  it("writing a read-only CSR is illegal, with mtval = the instruction; csrrs x0 reads it", () => {
    const insn = csrw(0xf14, 5); // mhartid
    h.run([insn]);
    expect(h.slot("S_MCAUSE")).toBe(2n);
    expect(h.slot("S_MTVAL")).toBe(BigInt(insn));
    expect(h.slot("S_MEPC")).toBe(BigInt(CODE));
    h.run([csrr(6, 0xf14)]);
    expect(h.pc).toBe(BigInt(CODE + 4));
  });

  it("counters are gated by mcounteren from S and by scounteren from U", () => {
    h.run([csrr(6, 0xc00)], S);
    expect(h.slot("S_MCAUSE")).toBe(2n);
    h.slot("S_MCOUNTEREN", 7n);
    h.run([csrr(6, 0xc02)], S);
    expect(h.pc).toBe(BigInt(CODE + 4));
    h.run([csrr(6, 0xc02)], U);
    expect(h.pc).toBe(BigInt(TRAP)); // scounteren is 0
  });

  it("fflags/frm/fcsr alias; with FS=Off they are illegal", () => {
    h.run([csrr(6, 0x001)]);
    expect(h.slot("S_MCAUSE")).toBe(2n);
    h.x(5, 0xffn);
    h.slot("S_MSTATUS", 1n << 13n); // FS = Initial
    h.run([csrw(0x003, 5), csrr(6, 0x001), csrr(7, 0x002), csrr(8, 0x300)]);
    expect(h.x(6)).toBe(0x1fn);
    expect(h.x(7)).toBe(7n);
    expect((h.x(8) >> 13n) & 3n).toBe(3n); // writing fcsr dirties FS
  });

  it("a write to minstret replaces that instruction's increment", () => {
    h.x(5, 1000n);
    h.run([asm("csrrw", { rd: 0, csr: 0xb02, rs1: 5 }), asm("addi"), csrr(6, 0xb02)]);
    expect(h.x(6)).toBe(1001n);
  });
});

describe("traps", () => {
  it("ECALL from U delegated to S: scause 8, sepc, SPP=U, SPIE=SIE, SIE=0", () => {
    h.slot("S_MEDELEG", 1n << 8n);
    h.slot("S_MSTATUS", 1n << 1n); // SIE
    h.run([asm("ecall")], U);
    expect(h.priv).toBe(S);
    expect(h.slot("S_SCAUSE")).toBe(8n);
    expect(h.slot("S_SEPC")).toBe(BigInt(CODE));
    const s = h.slot("S_MSTATUS");
    expect(s & (1n << 8n)).toBe(0n);
    expect(s & (1n << 5n)).toBe(1n << 5n);
    expect(s & (1n << 1n)).toBe(0n);
  });

  it("ECALL from M is never delegated; from S undelegated goes to M with MPP=S", () => {
    h.slot("S_MEDELEG", 0xb3ffn);
    h.run([asm("ecall")], M);
    expect(h.slot("S_MCAUSE")).toBe(11n);
    h.slot("S_MEDELEG", 0n);
    h.run([asm("ecall")], S);
    expect(h.priv).toBe(M);
    expect(h.slot("S_MCAUSE")).toBe(9n);
    expect((h.slot("S_MSTATUS") >> 11n) & 3n).toBe(1n);
  });

  it("MRET returns to MPP, sets MIE=MPIE, MPIE=1, MPP=U and clears MPRV when leaving M", () => {
    h.slot("S_MSTATUS", (1n << 11n) | (1n << 7n) | (1n << 17n)); // MPP=S, MPIE, MPRV
    h.slot("S_MEPC", BigInt(CODE + 0x100));
    h.run([asm("mret")]);
    expect(h.priv).toBe(S);
    expect(h.pc).toBe(BigInt(CODE + 0x100));
    const s = h.slot("S_MSTATUS");
    expect(s & (1n << 3n)).toBe(1n << 3n);
    expect(s & (1n << 7n)).toBe(1n << 7n);
    expect((s >> 11n) & 3n).toBe(0n);
    expect(s & (1n << 17n)).toBe(0n);
  });

  it("TSR traps SRET, TW traps WFI, TVM traps satp and SFENCE.VMA in S", () => {
    for (const [bit, insn] of [[22n, asm("sret")], [21n, asm("wfi")], [20n, csrr(6, 0x180)], [20n, asm("sfence.vma")]] as const) {
      h.slot("S_MSTATUS", 1n << bit);
      h.run([insn], S);
      expect(h.slot("S_MCAUSE"), `bit ${bit}`).toBe(2n);
      expect(h.priv).toBe(M);
    }
  });

  it("takes the highest-priority interrupt: MEI > MSI > MTI > SEI > SSI > STI", () => {
    h.core.setExternalInterrupt(0, true); // MEI
    h.core.setExternalInterrupt(1, true); // SEI
    h.slot("S_MIP", 1n << 1n); // SSI
    h.slot("S_MIE", 0xaaan);
    h.core.write32(h.core.layout.SH_MSIP, 1); // MSI
    h.core.write64(h.core.layout.SH_MTIMECMP, 0n); // MTI
    h.run([asm("addi")], S);
    expect(h.slot("S_MCAUSE")).toBe((1n << 63n) | 11n);
    h.core.setExternalInterrupt(0, false);
    h.run([asm("addi")], S);
    expect(h.slot("S_MCAUSE")).toBe((1n << 63n) | 3n);
    h.core.write32(h.core.layout.SH_MSIP, 0);
    h.run([asm("addi")], S);
    expect(h.slot("S_MCAUSE")).toBe((1n << 63n) | 7n);
    h.core.write64(h.core.layout.SH_MTIMECMP, 0xffff_ffff_ffff_ffffn);
    h.slot("S_MIDELEG", 0x222n);
    h.slot("S_MSTATUS", 1n << 1n); // SIE
    h.run([asm("addi")], S);
    expect(h.slot("S_SCAUSE")).toBe((1n << 63n) | 9n);
  });

  it("M-mode interrupts need MIE in M; vectored mtvec applies to interrupts only", () => {
    h.slot("S_MIE", 1n << 3n);
    h.core.write32(h.core.layout.SH_MSIP, 1);
    h.run([asm("addi")], M);
    expect(h.pc).toBe(BigInt(CODE + 4)); // MIE=0: not taken
    h.slot("S_MSTATUS", 1n << 3n);
    h.slot("S_MTVEC", BigInt(TRAP) | 1n);
    h.run([asm("addi")], M);
    expect(h.pc).toBe(BigInt(TRAP + 4 * 3 + 4)); // base + 4*cause, then one instruction there
    h.core.write32(h.core.layout.SH_MSIP, 0);
    h.run([asm("ecall")], M);
    expect(h.pc).toBe(BigInt(TRAP)); // exceptions go to the base
  });

  it("WFI with nothing pending makes run() report idle", () => {
    expect(h.run([asm("wfi"), asm("addi")], M, 2)).toBe(1);
  });
});
