// Trap delivery: exception delegation, xRET, trap virtualization (TSR/TW/TVM), interrupt
// priority and enables, vectored mode and WFI (privileged architecture 1.12, §3.1.6–3.1.9,
// §3.3, §4.1).
import { describe, it, expect, beforeEach } from "vitest";
import { asm, csrr, csrw, nop } from "../support/asm.js";
import { Hart, CODE, MTVEC, STVEC, Reason, RunState } from "../support/hart.js";
import { expectMTrap, expectSTrap, expectRan } from "../support/checks.js";
import { CSR, MS, IRQ, INT, CAUSE, INTERRUPT, PRIV, X } from "../support/riscv.js";

const { a0, a1 } = X;
const ECALL = asm("ecall");
const MRET = asm("mret");
const SRET = asm("sret");
const WFI = asm("wfi");
const ILLEGAL32 = 0xffff_ffff;
const M_SENTINEL = { cause: 0x77n, epc: 0x1234n, tval: 0x5678n };
const S_SENTINEL = { cause: 0x66n, epc: 0x4321n, tval: 0x8765n };

let h: Hart;
beforeEach(async () => {
  h = await Hart.create();
  h.set("S_MCAUSE", M_SENTINEL.cause);
  h.set("S_MEPC", M_SENTINEL.epc);
  h.set("S_MTVAL", M_SENTINEL.tval);
  h.set("S_SCAUSE", S_SENTINEL.cause);
  h.set("S_SEPC", S_SENTINEL.epc);
  h.set("S_STVAL", S_SENTINEL.tval);
});

const status = () => h.get("S_MSTATUS");
/** mstatus bits of `mask` that are set now. */
const bits = (mask: bigint) => status() & mask;

describe("exception delegation (§3.1.8)", () => {
  it("ecall from U, delegated by medeleg[8], goes to S: scause 8, sepc, SPP=U, SPIE=SIE, SIE=0", () => {
    h.set("S_MEDELEG", 1n << 8n);
    h.set("S_MSTATUS", MS.SIE);
    h.exec([ECALL], { priv: PRIV.U });
    expectSTrap(h, CAUSE.ECALL_U, 0n);
    expect(bits(MS.SPP | MS.SPIE | MS.SIE)).toBe(MS.SPIE);
    expect(h.mtrap).toEqual(M_SENTINEL); // M-mode trap state untouched
  });

  it("ecall from S, delegated by medeleg[9], stays in S with SPP=S and SPIE=0 when SIE was 0", () => {
    h.set("S_MEDELEG", 1n << 9n);
    h.set("S_MSTATUS", MS.SPIE);
    h.exec([nop(), ECALL], { priv: PRIV.S });
    expectSTrap(h, CAUSE.ECALL_S, 0n, CODE + 4);
    expect(bits(MS.SPP | MS.SPIE | MS.SIE)).toBe(MS.SPP);
    expect(h.mtrap).toEqual(M_SENTINEL);
  });

  it("without delegation ecall from U goes to M: mcause 8, MPP=U, MPIE=MIE, MIE=0", () => {
    h.set("S_MSTATUS", MS.MIE | MS.MPP_M);
    h.exec([ECALL], { priv: PRIV.U });
    expectMTrap(h, CAUSE.ECALL_U, 0n);
    expect(bits(MS.MPP | MS.MPIE | MS.MIE)).toBe(MS.MPIE);
    expect(h.strap).toEqual(S_SENTINEL);
  });

  it("ecall from S goes to M with MPP=S when medeleg[9] is clear, even if medeleg[8] is set", () => {
    h.set("S_MEDELEG", 1n << 8n);
    h.exec([ECALL], { priv: PRIV.S });
    expectMTrap(h, CAUSE.ECALL_S, 0n);
    expect(bits(MS.MPP | MS.MPIE | MS.MIE)).toBe(MS.MPP_S);
  });

  it("ecall from M is never delegated, even after writing all ones to medeleg", () => {
    h.setX(a1, -1n);
    h.exec([csrw(CSR.medeleg, a1), ECALL]);
    expectMTrap(h, CAUSE.ECALL_M, 0n, CODE + 4);
    expect(bits(MS.MPP)).toBe(MS.MPP_M);
    expect(h.strap).toEqual(S_SENTINEL);
  });

  it("traps never go to a less privileged mode: a delegated cause raised in M stays in M", () => {
    h.set("S_MEDELEG", 1n << 2n);
    h.exec([ILLEGAL32]);
    expectMTrap(h, CAUSE.ILLEGAL, ILLEGAL32);
    expect(h.strap).toEqual(S_SENTINEL);
  });

  it("a delegated illegal instruction in S goes to S with stval = the instruction bits", () => {
    h.set("S_MEDELEG", 1n << 2n);
    h.exec([ILLEGAL32], { priv: PRIV.S });
    expectSTrap(h, CAUSE.ILLEGAL, ILLEGAL32);
    expect(h.mtrap).toEqual(M_SENTINEL);
  });

  it("an illegal compressed instruction reports its 16 bits in mtval (§3.1.16)", () => {
    h.loadHalves(CODE, [0x4002, 0x0001]); // c.lwsp x0 (reserved), c.nop
    h.pc = CODE;
    h.priv = PRIV.M;
    h.step(1);
    expectMTrap(h, CAUSE.ILLEGAL, 0x4002n);
  });

  it("a compressed FP load with mstatus.FS off reports its own 16 bits, not the next instruction's", () => {
    // The run loop fetches 4 bytes and tags decoded entries with them: the F/D semantics
    // must report only the compressed instruction's half.
    h.loadHalves(CODE, [0x2000, 0x0001]); // c.fld f8, 0(s0); c.nop
    h.set("S_MSTATUS", h.get("S_MSTATUS") & ~MS.FS);
    h.pc = CODE;
    h.priv = PRIV.M;
    h.step(1);
    expectMTrap(h, CAUSE.ILLEGAL, 0x2000n);
  });

  it("ebreak: cause 3, epc = the ebreak itself, mtval = 0 or its address (§3.3.1, §3.1.16)", () => {
    h.exec([nop(), asm("ebreak")]);
    expect(h.mtrap.cause).toBe(CAUSE.BREAKPOINT);
    expect(h.mtrap.epc).toBe(BigInt(CODE + 4));
    expect([0n, BigInt(CODE + 4)]).toContain(h.mtrap.tval);
    h.loadHalves(CODE + 0x40, [0x9002]); // c.ebreak
    h.pc = CODE + 0x40;
    h.step(1);
    expect([h.mtrap.cause, h.mtrap.epc]).toEqual([CAUSE.BREAKPOINT, BigInt(CODE + 0x40)]);
  });
});

describe("xRET (§3.3.2, §3.1.6.1)", () => {
  it("mret to S: pc = mepc, MIE = MPIE, MPIE = 1, MPP = U, MPRV cleared", () => {
    h.set("S_MSTATUS", MS.MPP_S | MS.MPIE | MS.MPRV);
    h.set("S_MEPC", CODE + 0x100);
    h.exec([MRET]);
    expect({ pc: h.pc, priv: h.priv }).toEqual({ pc: BigInt(CODE + 0x100), priv: PRIV.S });
    expect(bits(MS.MIE | MS.MPIE | MS.MPP | MS.MPRV)).toBe(MS.MIE | MS.MPIE);
  });

  it("mret to U with MPIE = 0 leaves MIE = 0 and sets MPIE", () => {
    h.set("S_MSTATUS", MS.MIE);
    h.set("S_MEPC", CODE + 0x102); // bit 1 set: legal with C
    h.exec([MRET]);
    expect({ pc: h.pc, priv: h.priv }).toEqual({ pc: BigInt(CODE + 0x102), priv: PRIV.U });
    expect(bits(MS.MIE | MS.MPIE | MS.MPP)).toBe(MS.MPIE);
  });

  it("mret to M keeps MPRV", () => {
    h.set("S_MSTATUS", MS.MPP_M | MS.MPRV);
    h.set("S_MEPC", CODE + 0x100);
    h.exec([MRET]);
    expect(h.priv).toBe(PRIV.M);
    expect(bits(MS.MPRV | MS.MPP)).toBe(MS.MPRV); // MPP drops to U, MPRV stays
  });

  it("sret to U and to S: SIE = SPIE, SPIE = 1, SPP = U, MPRV cleared", () => {
    h.set("S_MSTATUS", MS.SPIE | MS.MPRV);
    h.set("S_SEPC", CODE + 0x200);
    h.exec([SRET], { priv: PRIV.S });
    expect({ pc: h.pc, priv: h.priv }).toEqual({ pc: BigInt(CODE + 0x200), priv: PRIV.U });
    expect(bits(MS.SIE | MS.SPIE | MS.SPP | MS.MPRV)).toBe(MS.SIE | MS.SPIE);

    h.set("S_MSTATUS", MS.SPP | MS.SIE);
    h.exec([SRET], { priv: PRIV.S });
    expect({ pc: h.pc, priv: h.priv }).toEqual({ pc: BigInt(CODE + 0x200), priv: PRIV.S });
    expect(bits(MS.SIE | MS.SPIE | MS.SPP)).toBe(MS.SPIE);
  });

  it("sret may be executed in M (returns to SPP)", () => {
    h.set("S_MSTATUS", MS.SPP);
    h.set("S_SEPC", CODE + 0x300);
    h.exec([SRET]);
    expect({ pc: h.pc, priv: h.priv }).toEqual({ pc: BigInt(CODE + 0x300), priv: PRIV.S });
  });

  it("mret below M and sret in U are illegal", () => {
    h.set("S_MEPC", CODE + 0x100);
    h.exec([MRET], { priv: PRIV.S });
    expectMTrap(h, CAUSE.ILLEGAL, MRET);
    h.exec([MRET], { priv: PRIV.U });
    expectMTrap(h, CAUSE.ILLEGAL, MRET);
    h.exec([SRET], { priv: PRIV.U });
    expectMTrap(h, CAUSE.ILLEGAL, SRET);
  });
});

describe("trap virtualization (§3.1.6.5)", () => {
  it("TSR=1: sret in S is illegal; in M it still works", () => {
    h.set("S_MSTATUS", MS.TSR | MS.SPP);
    h.set("S_SEPC", CODE + 0x100);
    h.exec([SRET], { priv: PRIV.S });
    expectMTrap(h, CAUSE.ILLEGAL, SRET);
    h.set("S_MSTATUS", MS.TSR | MS.SPP);
    h.exec([SRET]);
    expect({ pc: h.pc, priv: h.priv }).toEqual({ pc: BigInt(CODE + 0x100), priv: PRIV.S });
  });

  it("TW=1: wfi in S is illegal (no interrupt can complete it); TW=0 it waits", () => {
    h.set("S_MSTATUS", MS.TW);
    h.exec([WFI], { priv: PRIV.S });
    expectMTrap(h, CAUSE.ILLEGAL, WFI);
    h.set("S_MSTATUS", 0n);
    expect(h.exec([WFI, nop()], { priv: PRIV.S, steps: 10 })).toBe(Reason.Idle);
    expect({ pc: h.pc, priv: h.priv, state: h.runState }).toEqual({ pc: BigInt(CODE + 4), priv: PRIV.S, state: RunState.Wfi });
  });

  it("TVM=1: satp access and sfence.vma in S are illegal; M is unaffected", () => {
    const readSatp = csrr(a0, CSR.satp);
    const writeSatp = csrw(CSR.satp, 0);
    const sfence = asm("sfence.vma", { rs1: 0, rs2: 0 });
    for (const w of [readSatp, writeSatp, sfence]) {
      h.set("S_MSTATUS", MS.TVM);
      h.exec([w], { priv: PRIV.S });
      expectMTrap(h, CAUSE.ILLEGAL, w);
    }
    for (const w of [readSatp, writeSatp, sfence]) {
      h.set("S_MSTATUS", MS.TVM);
      h.exec([w]);
      expectRan(h, 1);
      h.set("S_MSTATUS", 0n);
      h.exec([w], { priv: PRIV.S });
      expectRan(h, 1, PRIV.S);
    }
  });

  it("sfence.vma in U is always illegal", () => {
    const sfence = asm("sfence.vma", { rs1: 0, rs2: 0 });
    h.exec([sfence], { priv: PRIV.U });
    expectMTrap(h, CAUSE.ILLEGAL, sfence);
  });
});

/** Makes the interrupts in `mask` pending from their sources (lines for M, mip bits for S). */
function pend(mask: bigint): void {
  if (mask & IRQ.MEI) h.meip = true;
  if (mask & IRQ.MSI) h.msip = true;
  if (mask & IRQ.MTI) { h.mtime = 10n; h.mtimecmp = 10n; }
  h.set("S_MIP", mask & (IRQ.SEI | IRQ.SSI | IRQ.STI));
}

const ALL = IRQ.MEI | IRQ.MSI | IRQ.MTI | IRQ.SEI | IRQ.SSI | IRQ.STI;

describe("interrupts (§3.1.9)", () => {
  it("priority among M-mode interrupts: MEI > MSI > MTI > SEI > SSI > STI", async () => {
    const order: [bigint, bigint][] = [[IRQ.MEI, INT.MEI], [IRQ.MSI, INT.MSI], [IRQ.MTI, INT.MTI], [IRQ.SEI, INT.SEI], [IRQ.SSI, INT.SSI], [IRQ.STI, INT.STI]];
    let pending = ALL;
    for (const [bit, code] of order) {
      h = await Hart.create();
      pend(pending);
      h.set("S_MIE", ALL);
      h.set("S_MSTATUS", MS.MIE);
      h.exec([nop()]);
      expectMTrap(h, INTERRUPT | code, 0n, CODE);
      expect(bits(MS.MIE | MS.MPIE | MS.MPP)).toBe(MS.MPIE | MS.MPP_M);
      pending &= ~bit;
    }
  });

  it("priority among delegated interrupts taken in S: SEI > SSI > STI", async () => {
    const order: [bigint, bigint][] = [[IRQ.SEI, INT.SEI], [IRQ.SSI, INT.SSI], [IRQ.STI, INT.STI]];
    let pending = IRQ.SEI | IRQ.SSI | IRQ.STI;
    for (const [bit, code] of order) {
      h = await Hart.create();
      pend(pending);
      h.set("S_MIE", ALL);
      h.set("S_MIDELEG", IRQ.SEI | IRQ.SSI | IRQ.STI);
      h.set("S_MSTATUS", MS.SIE);
      h.exec([nop()], { priv: PRIV.S });
      expectSTrap(h, INTERRUPT | code, 0n, CODE);
      expect(bits(MS.SIE | MS.SPIE | MS.SPP)).toBe(MS.SPIE | MS.SPP);
      pending &= ~bit;
    }
  });

  it("interrupts for M are taken before those for S, whatever their codes", () => {
    pend(IRQ.SEI | IRQ.STI);
    h.set("S_MIE", ALL);
    h.set("S_MIDELEG", IRQ.SEI); // SEI goes to S; STI stays with M
    h.set("S_MSTATUS", MS.SIE);
    h.exec([nop()], { priv: PRIV.S });
    expectMTrap(h, INTERRUPT | INT.STI, 0n);
    expect(h.strap).toEqual(S_SENTINEL);
  });

  it("in M, MIE = 0 masks M interrupts: the instruction runs", () => {
    pend(IRQ.MTI);
    h.set("S_MIE", IRQ.MTI);
    h.set("S_MSTATUS", 0n);
    h.exec([nop(), nop()]);
    expectRan(h, 2);
    expect(h.mtrap).toEqual(M_SENTINEL);
  });

  it("below M, M interrupts are enabled whatever MIE says", () => {
    for (const priv of [PRIV.S, PRIV.U]) {
      pend(IRQ.MTI);
      h.set("S_MIE", IRQ.MTI);
      h.set("S_MSTATUS", 0n);
      h.exec([nop()], { priv });
      expectMTrap(h, INTERRUPT | INT.MTI, 0n);
      expect(bits(MS.MPP)).toBe(BigInt(priv) << 11n);
    }
  });

  it("a delegated interrupt is never taken in M, even with MIE = 1", () => {
    pend(IRQ.SSI);
    h.set("S_MIE", IRQ.SSI);
    h.set("S_MIDELEG", IRQ.SSI);
    h.set("S_MSTATUS", MS.MIE | MS.SIE);
    h.exec([nop(), nop()]);
    expectRan(h, 2);
    expect(h.strap).toEqual(S_SENTINEL);
  });

  it("in S, SIE gates delegated interrupts", () => {
    pend(IRQ.SSI);
    h.set("S_MIE", IRQ.SSI);
    h.set("S_MIDELEG", IRQ.SSI);
    h.set("S_MSTATUS", 0n);
    h.exec([nop(), nop()], { priv: PRIV.S });
    expectRan(h, 2, PRIV.S);
    h.set("S_MSTATUS", MS.SIE);
    h.exec([nop()], { priv: PRIV.S });
    expectSTrap(h, INTERRUPT | INT.SSI, 0n);
    expect(bits(MS.SIE | MS.SPIE | MS.SPP)).toBe(MS.SPIE | MS.SPP);
  });

  it("in U, delegated interrupts are enabled whatever SIE says", () => {
    pend(IRQ.STI);
    h.set("S_MIE", IRQ.STI);
    h.set("S_MIDELEG", IRQ.STI);
    h.set("S_MSTATUS", 0n);
    h.exec([nop()], { priv: PRIV.U });
    expectSTrap(h, INTERRUPT | INT.STI, 0n);
    expect(bits(MS.SPP | MS.SPIE)).toBe(0n);
  });

  it("an interrupt not enabled in mie is not taken", () => {
    pend(ALL);
    h.set("S_MIE", 0n);
    h.set("S_MSTATUS", MS.MIE);
    h.exec([nop(), nop()], { priv: PRIV.U });
    expectRan(h, 2, PRIV.U);
  });

  it("setting MIE with a pending interrupt takes it before the next instruction", () => {
    pend(IRQ.MTI);
    h.set("S_MIE", IRQ.MTI);
    h.exec([asm("csrrsi", { rd: 0, csr: CSR.mstatus, uimm: 8 }), nop(), nop()], { steps: 2 });
    expectMTrap(h, INTERRUPT | INT.MTI, 0n, CODE + 4);
  });

  it("vectored mtvec: interrupts go to BASE + 4 * cause, exceptions to BASE (§3.1.7)", () => {
    pend(IRQ.MTI);
    h.set("S_MIE", IRQ.MTI);
    h.set("S_MTVEC", MTVEC + 1);
    h.set("S_MSTATUS", MS.MIE);
    h.exec([nop()]);
    expectMTrap(h, INTERRUPT | INT.MTI, 0n, CODE, MTVEC + 4 * 7);
    h.set("S_MIE", 0n);
    h.exec([ECALL]);
    expectMTrap(h, CAUSE.ECALL_M, 0n, CODE, MTVEC);
  });

  it("vectored stvec: a delegated SSI goes to BASE + 4, a delegated ecall to BASE", () => {
    pend(IRQ.SSI);
    h.set("S_MIE", IRQ.SSI);
    h.set("S_MIDELEG", IRQ.SSI);
    h.set("S_MEDELEG", 1n << 8n);
    h.set("S_STVEC", STVEC + 1);
    h.exec([nop()], { priv: PRIV.U });
    expectSTrap(h, INTERRUPT | INT.SSI, 0n, CODE, STVEC + 4);
    h.set("S_MIE", 0n);
    h.exec([ECALL], { priv: PRIV.U });
    expectSTrap(h, CAUSE.ECALL_U, 0n, CODE, STVEC);
  });
});

describe("WFI (§3.3.3)", () => {
  it("waits (run returns Idle) until an interrupt enabled in mie is pending, then resumes after it", () => {
    h.set("S_MIE", IRQ.MTI);
    h.set("S_MSTATUS", 0n);
    h.setX(a0, 5n);
    expect(h.exec([WFI, asm("addi", { rd: a0, rs1: a0, imm: 1 }), nop()], { steps: 10 })).toBe(Reason.Idle);
    expect({ pc: h.pc, state: h.runState, a0: h.x(a0) }).toEqual({ pc: BigInt(CODE + 4), state: RunState.Wfi, a0: 5n });
    expect(h.step(10)).toBe(Reason.Idle); // nothing changed: still waiting
    expect(h.pc).toBe(BigInt(CODE + 4));
    pend(IRQ.MTI); // MIE = 0: wakes without taking the interrupt
    expect(h.step(1)).toBe(Reason.Budget);
    expect({ pc: h.pc, state: h.runState, a0: h.x(a0) }).toEqual({ pc: BigInt(CODE + 8), state: RunState.Active, a0: 6n });
    expect(h.mtrap).toEqual(M_SENTINEL);
  });

  it("with the interrupt globally enabled, waking takes it with mepc = the instruction after wfi", () => {
    h.set("S_MIE", IRQ.MTI);
    h.set("S_MSTATUS", MS.MIE);
    expect(h.exec([WFI, nop()], { steps: 3 })).toBe(Reason.Idle);
    pend(IRQ.MTI);
    h.step(1);
    expectMTrap(h, INTERRUPT | INT.MTI, 0n, CODE + 4);
  });

  it("does not wait when an interrupt enabled in mie is already pending, even with MIE = 0", () => {
    pend(IRQ.MSI);
    h.set("S_MIE", IRQ.MSI);
    expect(h.exec([WFI, nop()])).toBe(Reason.Budget);
    expectRan(h, 2);
  });

  it("a pending interrupt not enabled in mie does not wake it", () => {
    h.set("S_MIE", IRQ.MTI);
    expect(h.exec([WFI, nop()], { steps: 5 })).toBe(Reason.Idle);
    pend(IRQ.MSI | IRQ.SSI);
    expect(h.step(5)).toBe(Reason.Idle);
    expect(h.pc).toBe(BigInt(CODE + 4));
  });

  it("wakes on an interrupt delegated to S while waiting in M (unaffected by mideleg)", () => {
    h.set("S_MIE", IRQ.SSI);
    h.set("S_MIDELEG", IRQ.SSI);
    h.set("S_MSTATUS", MS.MIE | MS.SIE);
    expect(h.exec([WFI, nop()], { steps: 5 })).toBe(Reason.Idle);
    h.csrWrite(CSR.mip, IRQ.SSI);
    expect(h.step(1)).toBe(Reason.Budget);
    expectRan(h, 2); // not taken in M: execution just goes on
  });
});
