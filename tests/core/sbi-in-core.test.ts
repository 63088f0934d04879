// The built-in SBI's frequent calls served inside the core (core-as/sbi.ts): console output
// goes to a buffer the host drains after run(), remote fences drop the TLBs, and neither
// stops the core; everything else (and output that does not fit) still stops it for the
// host (REASON_SBI), with the registers untouched.
import { describe, it, expect, beforeEach } from "vitest";
import { asm, ld } from "../support/asm.js";
import { Hart, CODE, DATA, MTVEC, STVEC, HANDLER, Reason } from "../support/hart.js";
import { PageTables, leaf } from "../support/pagetable.js";
import { RAM_BASE } from "../../host-ts/core.js";
import type { ReasonCode } from "../../host-ts/core.js";
import { PRIV, PTE, X } from "../support/riscv.js";

const ECALL = asm("ecall");
const { a0, a1, a2, a6, a7 } = X;
const EXT_DBCN = 0x4442_434en, EXT_RFENCE = 0x5246_4e43n, EXT_BASE = 0x10n;
const ERR_INVALID_PARAM = BigInt.asUintN(64, -3n);

let h: Hart;
let printed: number[];
beforeEach(async () => {
  h = await Hart.create();
  h.core.enableBuiltinSbi(true);
  printed = [];
  h.core.setSbiConsole((b) => printed.push(...b));
});

/** One SBI call from S-mode with the given registers; returns run()'s reason. */
function call(regs: Record<number, bigint>): ReasonCode {
  for (const [r, v] of Object.entries(regs)) h.setX(Number(r), v);
  return h.exec([ECALL], { priv: PRIV.S });
}

describe("SBI calls served in the core", () => {
  it("legacy putchar: the byte reaches the console sink after run(), a0 = 0, no stop", () => {
    expect(call({ [a7]: 1n, [a0]: 0x41n })).toBe(Reason.Budget);
    expect(call({ [a7]: 1n, [a0]: 0x142n })).toBe(Reason.Budget); // only the low byte
    expect(printed).toEqual([0x41, 0x42]);
    expect(h.x(a0)).toBe(0n);
    expect(h.pc).toBe(BigInt(CODE + 4));
  });

  it("DBCN write_byte and write (from RAM): a0 = 0, a1 = 0 / bytes written", () => {
    call({ [a7]: EXT_DBCN, [a6]: 2n, [a0]: 0x7an, [a1]: 99n });
    expect([h.x(a0), h.x(a1)]).toEqual([0n, 0n]);
    const text = [...new TextEncoder().encode("hello")];
    text.forEach((b, i) => h.write8(DATA + i, b));
    expect(call({ [a7]: EXT_DBCN, [a6]: 0n, [a0]: 5n, [a1]: BigInt(DATA), [a2]: 0n })).toBe(Reason.Budget);
    expect([h.x(a0), h.x(a1)]).toEqual([0n, 5n]);
    expect(printed).toEqual([0x7a, ...text]);
  });

  it("DBCN write of a buffer that runs into a page not brought in yet reads that page's contents", () => {
    // Page 0x20 has never been touched: its bytes are still in the page source (a snapshot's,
    // or zero for a fresh machine). Reading it without bringing it in would print whatever
    // the wasm memory holds there (zeros, or a previous machine's bytes in a recycled memory).
    const page = 0x20;
    const inSource = new Uint8Array(4096);
    inSource.set(new TextEncoder().encode("WXYZ"));
    h.core.setPageSource({ has: (p) => p === page, copy: (p, into) => into.set(inSource) });
    const base = RAM_BASE + page * 4096 - 4;
    [..."abcd"].forEach((c, i) => h.write8(base + i, c.charCodeAt(0)));
    expect(call({ [a7]: EXT_DBCN, [a6]: 0n, [a0]: 8n, [a1]: BigInt(base), [a2]: 0n })).toBe(Reason.Budget);
    expect(String.fromCharCode(...printed)).toBe("abcdWXYZ");
  });

  it("DBCN write from outside RAM, or with base_hi set, goes to the host", () => {
    expect(call({ [a7]: EXT_DBCN, [a6]: 0n, [a0]: 4n, [a1]: 0x1000n, [a2]: 0n })).toBe(Reason.Sbi);
    expect(call({ [a7]: EXT_DBCN, [a6]: 0n, [a0]: 4n, [a1]: BigInt(DATA), [a2]: 1n })).toBe(Reason.Sbi);
    expect(h.x(a0)).toBe(4n); // left for the host
    expect(printed).toEqual([]);
  });

  it("a full buffer sends the call to the host, after what is buffered", () => {
    // li a0, '.'; ecall; j back: one run() of 15000 instructions makes 5000 calls.
    h.setX(a7, 1n);
    const reason = h.exec([asm("addi", { rd: a0, rs1: 0, imm: 0x2e }), ECALL, asm("jal", { rd: 0, imm: -8 })], { priv: PRIV.S, steps: 15_000 });
    expect(reason).toBe(Reason.Sbi);
    expect(printed).toEqual(new Array(4096).fill(0x2e)); // the buffer's size; the next call is the host's
    expect(h.pc).toBe(BigInt(CODE + 8));
    expect(h.x(a0)).toBe(0x2en); // untouched for the host
  });

  it("without a console sink every console call stops the core", () => {
    h.core.setSbiConsole(null);
    expect(call({ [a7]: 1n, [a0]: 0x41n })).toBe(Reason.Sbi);
    expect(printed).toEqual([]);
  });

  it("RFENCE: success for existing harts, invalid param for others; legacy fences too", () => {
    expect(call({ [a7]: EXT_RFENCE, [a6]: 1n, [a0]: 1n, [a1]: 0n })).toBe(Reason.Budget);
    expect([h.x(a0), h.x(a1)]).toEqual([0n, 0n]);
    expect(call({ [a7]: EXT_RFENCE, [a6]: 0n, [a0]: 0n, [a1]: BigInt.asUintN(64, -1n) })).toBe(Reason.Budget);
    expect(h.x(a0)).toBe(0n);
    expect(call({ [a7]: EXT_RFENCE, [a6]: 2n, [a0]: 2n, [a1]: 0n })).toBe(Reason.Budget); // hart 1 of 1
    expect(h.x(a0)).toBe(ERR_INVALID_PARAM);
    for (const eid of [5n, 6n, 7n]) {
      expect(call({ [a7]: eid, [a0]: 0n })).toBe(Reason.Budget);
      expect(h.x(a0)).toBe(0n);
    }
  });

  it("after a remote fence (TLBs dropped mid-run) the hart goes on fetching", () => {
    expect(call({ [a7]: EXT_RFENCE, [a6]: 1n, [a0]: 1n, [a1]: 0n })).toBe(Reason.Budget);
    expect(h.exec([asm("addi", { rd: a0, rs1: 0, imm: 7 })], { priv: PRIV.S })).toBe(Reason.Budget);
    expect(h.x(a0)).toBe(7n);
  });

  it("a remote SFENCE.VMA drops cached translations; a remote FENCE.I has none to drop", () => {
    const pt = new PageTables(h, "sv39");
    for (const page of [CODE, MTVEC, STVEC, HANDLER]) pt.map(BigInt(page), page, PTE.R | PTE.X | PTE.A);
    h.set("S_SATP", pt.satp);
    const V1 = 0x1234_5000n, P1 = DATA, P2 = DATA + 0x1000;
    h.write64(P1, 11n);
    h.write64(P2, 22n);
    const at = pt.map(V1, P1, PTE.R | PTE.W | PTE.A | PTE.D);
    const load = () => {
      h.setX(a1, V1);
      h.exec([ld(a2, a1)], { priv: PRIV.S });
      return h.x(a2);
    };
    expect(load()).toBe(11n);
    h.write64(at, leaf(P2, PTE.R | PTE.W | PTE.A | PTE.D | PTE.V)); // behind the hart's back
    expect(call({ [a7]: EXT_RFENCE, [a6]: 0n, [a0]: 0n, [a1]: BigInt.asUintN(64, -1n) })).toBe(Reason.Budget); // remote FENCE.I
    expect(load()).toBe(11n); // still the cached translation (no fence named it)
    expect(call({ [a7]: EXT_RFENCE, [a6]: 1n, [a0]: 0n, [a1]: BigInt.asUintN(64, -1n) })).toBe(Reason.Budget); // remote SFENCE.VMA
    expect(load()).toBe(22n);
  });

  it("other calls still go to the host", () => {
    expect(call({ [a7]: EXT_BASE, [a6]: 0n, [a0]: 123n })).toBe(Reason.Sbi);
    expect(h.x(a0)).toBe(123n);
    expect(call({ [a7]: EXT_RFENCE, [a6]: 7n, [a0]: 123n })).toBe(Reason.Sbi);
  });
});
