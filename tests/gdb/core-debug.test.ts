// The core's debugger support (core-as/debug.ts) under the gdb stub: breakpoints that stop
// before the instruction without touching guest memory, also in compiled code; exact
// single steps (traps and, when allowed, interrupts count as the step); held harts; the
// side-effect-free translation and CSR access the stub reads memory and registers with.
import { describe, it, expect } from "vitest";
import { Core, Reason, RunState, RAM_BASE } from "../../host-ts/core.js";
import { asm } from "../support/asm.js";
import { Hart, coreModule, CODE, MTVEC, DATA, SELF_LOOP } from "../support/hart.js";
import { PageTables } from "../support/pagetable.js";
import { CAUSE, CSR, INT, IRQ, MS, PRIV, PTE, X } from "../support/riscv.js";

const addi = (rd: number, rs1: number, imm: number) => asm("addi", { rd, rs1, imm });
const INTERRUPT = 1n << 63n;

/** A core with `harts` harts and every block compiled on its first visit, synchronously. */
async function compilingCore(harts = 1): Promise<Core> {
  return Core.create(await coreModule(), {
    ramBytes: 1 << 20, harts, mmio: { read: () => 0, write: () => {} }, jit: { threshold: 1, sync: true, batch: 1 },
  });
}

function writeWords(core: Core, pa: number, words: readonly number[]): void {
  const v = core.ramView(pa, 4 * words.length)!;
  const dv = new DataView(v.buffer, v.byteOffset, v.length);
  words.forEach((w, i) => dv.setUint32(4 * i, w >>> 0, true));
}

describe("breakpoints", () => {
  it("stop the hart before the instruction at their address, leave guest memory alone, and hold until removed", async () => {
    const h = await Hart.create();
    h.load(CODE, [addi(X.t0, 0, 1), addi(X.t0, X.t0, 1), addi(X.t0, X.t0, 1), SELF_LOOP]);
    const before = h.core.ramView(CODE, 16)!.slice();
    h.pc = CODE;
    expect(h.core.setBreakpoints([BigInt(CODE + 8)])).toBe(1);
    expect(h.step(100)).toBe(Reason.Debug);
    expect(h.pc).toBe(BigInt(CODE + 8));
    expect(h.x(X.t0)).toBe(1n + 1n); // the instruction at the breakpoint has not run
    expect(h.core.takeDebugEvent()).toEqual({ hart: 0, cause: "breakpoint" });
    expect(h.core.takeDebugEvent()).toBeNull();
    expect(h.core.ramView(CODE, 16)).toEqual(before);
    // Resuming at a breakpoint stops again at once: stepping over it is the debugger's job.
    expect(h.step(100)).toBe(Reason.Debug);
    expect(h.x(X.t0)).toBe(2n);
    h.core.setBreakpoints([]);
    expect(h.step(100)).toBe(Reason.Budget);
    expect(h.x(X.t0)).toBe(3n);
    expect(h.pc).toBe(BigInt(CODE + 12));
  });

  it("are seen by the guest's own loads as its original code", async () => {
    const h = await Hart.create();
    h.load(CODE, [addi(X.t0, 0, 5), asm("lw", { rd: X.a0, rs1: X.a1, imm: 0 }), SELF_LOOP]);
    h.setX(X.a1, CODE);
    h.core.setBreakpoints([BigInt(CODE)]);
    h.pc = CODE + 4; // the load reads the word the breakpoint is on
    h.step(1);
    expect(h.x(X.a0)).toBe(BigInt(addi(X.t0, 0, 5)));
  });

  it("stop compiled code: a loop already running as WebAssembly stops at a breakpoint set inside it", async () => {
    const core = await compilingCore();
    const loop = RAM_BASE + 0x2000;
    writeWords(core, loop, [addi(X.t0, X.t0, 1), asm("bne", { rs1: X.t0, rs2: X.t1, imm: -4 }), SELF_LOOP]);
    core.setX(0, X.t1, 1n << 40n);
    core.setPc(0, BigInt(loop));
    for (let i = 0; i < 4; i++) expect(core.run(50_000)).toBe(Reason.Budget);
    expect(core.jit!.stats.blocks).toBeGreaterThan(0);
    const counted = core.getX(0, X.t0);
    expect(counted).toBeGreaterThan(10_000n);
    core.setBreakpoints([BigInt(loop + 4)]);
    expect(core.run(50_000)).toBe(Reason.Debug);
    expect(core.getPc(0)).toBe(BigInt(loop + 4));
    expect(core.getX(0, X.t0)).toBeLessThanOrEqual(counted + 1n);
    // And the next time round, too.
    core.setPc(0, BigInt(loop));
    expect(core.run(50_000)).toBe(Reason.Debug);
    expect(core.getPc(0)).toBe(BigInt(loop + 4));
  });

  it("compare virtual addresses: the same code under another mapping does not stop", async () => {
    const h = await Hart.create();
    const pt = new PageTables(h, "sv39");
    const va = 0x4000_0000n;
    pt.map(va, CODE, PTE.R | PTE.X | PTE.A);
    pt.map(BigInt(CODE), CODE, PTE.R | PTE.X | PTE.A);
    h.load(CODE, [addi(X.t0, 0, 7), SELF_LOOP]);
    h.set("S_SATP", pt.satp);
    h.priv = PRIV.S;
    h.core.setBreakpoints([BigInt(CODE)]); // the physical (identity-mapped) address
    h.pc = va;
    expect(h.step(10)).toBe(Reason.Budget);
    expect(h.x(X.t0)).toBe(7n);
    h.pc = CODE;
    expect(h.step(10)).toBe(Reason.Debug);
  });

  it("fill at most the table (DEBUG_BREAKPOINTS_MAX) and report how many", async () => {
    const h = await Hart.create();
    const max = h.layout.DEBUG_BREAKPOINTS_MAX;
    const addrs = Array.from({ length: max + 3 }, (_, i) => BigInt(CODE + 4 * i));
    expect(h.core.setBreakpoints(addrs)).toBe(max);
  });
});

describe("single step", () => {
  it("runs exactly one instruction of the chosen hart, 4 or 2 bytes, even from a breakpoint", async () => {
    const h = await Hart.create();
    const cAddi = 0x0285; // c.addi t0, 1
    h.loadHalves(CODE, [cAddi, addi(X.t0, X.t0, 10) & 0xffff, addi(X.t0, X.t0, 10) >>> 16, cAddi]);
    h.pc = CODE;
    h.core.setBreakpoints([BigInt(CODE)]);
    h.core.debugControl(0, 0);
    expect(h.step(1000)).toBe(Reason.Debug);
    expect(h.core.takeDebugEvent()).toEqual({ hart: 0, cause: "step" });
    expect(h.pc).toBe(BigInt(CODE + 2));
    expect(h.x(X.t0)).toBe(1n);
    h.core.debugControl(0, 0);
    expect(h.step(1000)).toBe(Reason.Debug);
    expect(h.pc).toBe(BigInt(CODE + 6));
    expect(h.x(X.t0)).toBe(11n);
    expect(h.csrRead(CSR.minstret)).toBeGreaterThanOrEqual(2n);
  });

  it("an exception is the step: it ends at the handler's first instruction, not yet run", async () => {
    const h = await Hart.create();
    h.write32(MTVEC, addi(X.t2, 0, 9));
    h.load(CODE, [asm("ecall"), SELF_LOOP]);
    h.pc = CODE;
    h.core.debugControl(0, 0);
    expect(h.step(1000)).toBe(Reason.Debug);
    expect(h.pc).toBe(BigInt(MTVEC));
    expect(h.mtrap.cause).toBe(CAUSE.ECALL_M);
    expect(h.mtrap.epc).toBe(BigInt(CODE));
    expect(h.x(X.t2)).toBe(0n);
  });

  it("masks interrupts by default (QEMU's NOIRQ), and with them allowed a pending interrupt is the whole step", async () => {
    const h = await Hart.create();
    h.write32(MTVEC, addi(X.t2, 0, 9));
    h.load(CODE, [addi(X.t0, 0, 1), addi(X.t0, X.t0, 1), SELF_LOOP]);
    h.pc = CODE;
    h.set("S_MIE", IRQ.MTI);
    h.set("S_MSTATUS", MS.MIE);
    h.mtimecmp = 0; // pending now
    h.core.debugControl(0, 0);
    expect(h.step(1000)).toBe(Reason.Debug);
    expect(h.pc).toBe(BigInt(CODE + 4));
    expect(h.x(X.t0)).toBe(1n);
    h.core.takeDebugEvent();
    h.core.debugControl(0, 0, true);
    expect(h.step(1000)).toBe(Reason.Debug);
    expect(h.core.takeDebugEvent()).toEqual({ hart: 0, cause: "step" });
    expect(h.pc).toBe(BigInt(MTVEC));
    expect(h.mtrap.cause).toBe(INTERRUPT | INT.MTI);
    expect(h.mtrap.epc).toBe(BigInt(CODE + 4));
    expect(h.x(X.t0)).toBe(1n);
    expect(h.x(X.t2)).toBe(0n);
  });

  it("waits while its hart waits for an interrupt, then runs the instruction after wfi", async () => {
    const h = await Hart.create();
    h.load(CODE, [asm("wfi"), addi(X.t0, 0, 3), SELF_LOOP]);
    h.pc = CODE;
    h.set("S_MIE", IRQ.MTI); // wakes wfi; MIE stays clear, so no trap
    h.mtimecmp = -1n;
    expect(h.step(1)).toBe(Reason.Idle);
    expect(h.runState).toBe(RunState.Wfi);
    h.core.debugControl(0, 0);
    expect(h.step(1000)).toBe(Reason.Idle);
    expect(h.core.takeDebugEvent()).toBeNull();
    h.mtimecmp = 0;
    expect(h.step(1000)).toBe(Reason.Debug);
    expect(h.runState).toBe(RunState.Active);
    expect(h.x(X.t0)).toBe(3n);
    expect(h.pc).toBe(BigInt(CODE + 8));
  });

  it("holds the other harts, and held harts do not run at all", async () => {
    const core = await Core.create(await coreModule(), { ramBytes: 1 << 20, harts: 2, mmio: { read: () => 0, write: () => {} } });
    writeWords(core, CODE, [addi(X.t0, X.t0, 1), asm("jal", { rd: 0, imm: -4 })]);
    for (const hart of [0, 1]) core.resetHart(hart, BigInt(CODE));
    core.debugControl(0b01, -1); // hart 0 held
    expect(core.run(1000)).toBe(Reason.Budget);
    expect(core.getX(0, X.t0)).toBe(0n);
    expect(core.getPc(0)).toBe(BigInt(CODE));
    expect(core.getX(1, X.t0)).toBe(500n);
    core.debugControl(0, 1); // step hart 1; hart 0 stays where it is
    expect(core.run(1000)).toBe(Reason.Debug);
    expect(core.stoppedHart()).toBe(1);
    expect(core.takeDebugEvent()).toEqual({ hart: 1, cause: "step" });
    expect(core.getX(0, X.t0)).toBe(0n);
    expect(core.getX(1, X.t0)).toBe(501n);
    core.debugControl(0, -1);
    expect(core.run(1000)).toBe(Reason.Budget);
    expect(core.getX(0, X.t0)).toBe(500n);
  });
});

describe("what the debugger reads", () => {
  it("translates as the hart fetches now, ignoring permissions and leaving A/D alone", async () => {
    const h = await Hart.create();
    const pt = new PageTables(h, "sv39");
    const va = 0xffff_ffc0_1234_5000n; // high half
    const pte = pt.map(va, DATA, PTE.U | PTE.R); // a user page, no A bit
    pt.map(0x20_0000n, 0x8020_0000n, PTE.R | PTE.W | PTE.A | PTE.D, 1); // a 2 MiB page
    pt.map(0x40_0000n, 0x8030_0000n, PTE.R | PTE.A, 1); // a misaligned one: invalid
    h.set("S_SATP", pt.satp);
    expect(h.core.translate(0, va + 0x123n)).toBe(va + 0x123n); // M-mode: physical
    h.priv = PRIV.S;
    expect(h.core.translate(0, va + 0x123n)).toBe(BigInt(DATA + 0x123));
    expect(h.core.translate(0, 0x2f_fff8n)).toBe(0x802f_fff8n);
    expect(h.core.translate(0, 0x40_0000n)).toBeNull();
    expect(h.core.translate(0, va + 0x1000n)).toBeNull(); // unmapped
    expect(h.core.translate(0, 0x0000_4000_0000_0000n)).toBeNull(); // not canonical
    expect(h.core.translate(0, va)).not.toBeNull();
    expect(h.read64(pte) & PTE.A).toBe(0n);
    expect(h.core.translate(7, va)).toBeNull(); // no such hart
    h.priv = PRIV.M;
    expect(h.core.translate(0, 0x1234n)).toBe(0x1234n);
  });

  it("reads and writes CSRs through the core's own logic, counters included", async () => {
    const h = await Hart.create();
    expect(h.core.readCsr(0, CSR.misa)).toBe(h.csrRead(CSR.misa));
    expect(h.core.readCsr(0, CSR.mstatus)).toBe(h.csrRead(CSR.mstatus));
    expect(h.core.readCsr(0, 0x7c0)).toBeNull();
    expect(h.core.writeCsr(0, CSR.mscratch, 0x1234_5678_9abc_def0n)).toBe(true);
    expect(h.csrRead(CSR.mscratch)).toBe(0x1234_5678_9abc_def0n);
    expect(h.core.writeCsr(0, CSR.minstret, 1000n)).toBe(true);
    expect(h.core.readCsr(0, CSR.minstret)).toBe(1000n);
    expect(h.core.writeCsr(0, CSR.mcycle, 77n)).toBe(true);
    expect(h.core.readCsr(0, CSR.mcycle)).toBe(77n);
    expect(h.core.writeCsr(0, CSR.mhartid, 5n)).toBe(false);
    expect(h.core.writeCsr(0, CSR.cycle, 5n)).toBe(false);
    expect(h.core.writeCsr(0, CSR.mstatus, MS.MPP_S | MS.FS_DIRTY)).toBe(true);
    expect(h.get("S_MSTATUS") & (MS.MPP | MS.FS)).toBe(MS.MPP_S | MS.FS_DIRTY);
  });

  it("keeps the breakpoint table between the JIT's area and RAM", async () => {
    const h = await Hart.create();
    const L = h.layout;
    expect(L.DEBUG_BREAKPOINTS).toBeGreaterThanOrEqual(L.JIT_END);
    expect(L.DEBUG_BREAKPOINTS + 8 * L.DEBUG_BREAKPOINTS_MAX).toBeLessThanOrEqual(L.RAM_OFFSET);
  });
});

describe("compiled harts under the debugger", () => {
  it("a step runs one instruction of a hart whose loop is compiled", async () => {
    const core = await compilingCore();
    const loop = RAM_BASE + 0x3000;
    writeWords(core, loop, [addi(X.t0, X.t0, 1), asm("bne", { rs1: X.t0, rs2: X.t1, imm: -4 }), SELF_LOOP]);
    core.setX(0, X.t1, 1n << 40n);
    core.setPc(0, BigInt(loop));
    core.run(50_000);
    core.run(50_000);
    const t0 = core.getX(0, X.t0);
    const pc = core.getPc(0);
    core.debugControl(0, 0);
    expect(core.run(50_000)).toBe(Reason.Debug);
    expect(core.getPc(0)).toBe(pc === BigInt(loop) ? BigInt(loop + 4) : BigInt(loop));
    expect(core.getX(0, X.t0)).toBe(pc === BigInt(loop) ? t0 + 1n : t0);
  });
});
