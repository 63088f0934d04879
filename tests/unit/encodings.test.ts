// The encoding table: no ambiguous encodings, every entry decodes back to itself in the
// core and in the disassembler, and the layout the core exports is consistent.
import { describe, it, expect, beforeAll } from "vitest";
import { ENCODINGS } from "../../core-as/isa/encodings.js";
import { lookup, disassemble } from "../../host-ts/disasm.js";
import { Hart } from "./hart.js";

let hart: Hart;
beforeAll(async () => { hart = await Hart.create(); });

const overlap = (a: (typeof ENCODINGS)[number], b: (typeof ENCODINGS)[number]) => ((a.match ^ b.match) & a.mask & b.mask) === 0;
const subsumes = (a: (typeof ENCODINGS)[number], b: (typeof ENCODINGS)[number]) => (a.mask & b.mask) === b.mask && a.mask !== b.mask;

/** Deterministic pseudo-random 32-bit values. */
function* rng(seed = 12345) {
  let s = seed >>> 0;
  for (;;) { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; yield s; }
}

describe("encoding table", () => {
  it("has unique names and ids", () => {
    expect(new Set(ENCODINGS.map((e) => e.name)).size).toBe(ENCODINGS.length);
    ENCODINGS.forEach((e, i) => expect(e.id).toBe(i + 1));
  });

  it("no two 32-bit encodings overlap", () => {
    const wide = ENCODINGS.filter((e) => e.width === 32);
    const clashes: string[] = [];
    for (let i = 0; i < wide.length; i++) for (let j = i + 1; j < wide.length; j++) if (overlap(wide[i], wide[j])) clashes.push(`${wide[i].name}/${wide[j].name}`);
    expect(clashes).toEqual([]);
  });

  it("compressed encodings overlap only where one is strictly more specific", () => {
    const c = ENCODINGS.filter((e) => e.width === 16);
    const pairs: string[] = [];
    for (let i = 0; i < c.length; i++) for (let j = i + 1; j < c.length; j++) {
      if (!overlap(c[i], c[j])) continue;
      const [specific, general] = subsumes(c[i], c[j]) ? [c[i], c[j]] : subsumes(c[j], c[i]) ? [c[j], c[i]] : [null, null];
      expect(specific, `${c[i].name}/${c[j].name} overlap without one being more specific`).not.toBeNull();
      pairs.push(`${specific!.name}<${general!.name}`);
    }
    expect(pairs.sort()).toEqual(["c.addi16sp<c.lui", "c.ebreak<c.add", "c.ebreak<c.jalr", "c.jalr<c.add", "c.jr<c.mv"]);
  });

  it("every entry decodes back to itself (core decoder and disassembler)", () => {
    const random = rng();
    for (const e of ENCODINGS) {
      let valid = 0;
      for (let n = 0; n < 40 && valid < 8; n++) {
        const bits = e.width === 32 ? (e.match | (random.next().value! & ~e.mask)) >>> 0 : (e.match | (random.next().value! & ~e.mask & 0xffff)) >>> 0;
        if (lookup(bits) !== e) continue; // a more specific entry owns these bits
        if (e.width === 16) {
          const word = hart.core.expandCompressed(bits);
          if (word === 0) continue; // an operand value the spec reserves
          expect(lookup(word)?.width, `${e.name} expands to a 32-bit instruction`).toBe(32);
          expect(hart.core.decodeOp(bits)).toBe(lookup(word)!.id);
        } else {
          expect(hart.core.decodeOp(bits), `${e.name} 0x${bits.toString(16)}`).toBe(e.id);
        }
        valid++;
      }
      expect(valid, `${e.name}: no valid sample`).toBeGreaterThan(0);
    }
  });

  it("rejects what is not in the table", () => {
    expect(hart.core.decodeOp(0x0000)).toBe(0); // the all-zero halfword is defined illegal
    expect(hart.core.decodeOp(0xffffffff)).toBe(0);
    expect(hart.core.decodeOp(0x8000)).toBe(0); // quadrant 0, funct3 4: reserved
    expect(hart.core.decodeOp(0x0004)).toBe(0); // c.addi4spn a1 with a zero immediate: reserved
  });

  it("disassembles like objdump", () => {
    const pc = 0x8000_0000n;
    const expand = (h: number) => hart.core.expandCompressed(h);
    expect(disassemble(0x00a00513, pc)).toBe("addi a0, zero, 10");
    expect(disassemble(0x30529073, pc)).toBe("csrrw zero, mtvec, t0");
    expect(disassemble(0x00b50463, pc)).toBe("beq a0, a1, 0x80000008");
    expect(disassemble(0xfe5ff06f, pc)).toBe("jal zero, 0x7fffffe4");
    expect(disassemble(0x0005b503, pc)).toBe("ld a0, 0(a1)");
    expect(disassemble(0x0505, pc, expand)).toBe("c.addi a0, a0, 1");
    expect(disassemble(0x8082, pc, expand)).toBe("c.jr zero, 0(ra)");
    expect(disassemble(0x10500073, pc)).toBe("wfi");
  });
});

describe("layout", () => {
  it("regions are ordered and do not overlap", () => {
    const L = hart.core.layout;
    expect(L.S_END).toBeLessThanOrEqual(L.HART + L.HART_SIZE);
    expect(L.HART_SAVE).toBe(L.HART + L.HART_SIZE);
    expect(L.SHARED).toBeGreaterThanOrEqual(L.HART_SAVE + L.HART_SIZE * L.MAX_HARTS);
    expect(L.SHARED_END).toBeLessThanOrEqual(L.TLB_BASE);
    expect(L.TLB_BASE + L.TLB_PER_HART * L.MAX_HARTS).toBeLessThanOrEqual(L.DCACHE);
    expect(L.DCACHE + L.DCACHE_SIZE).toBeLessThanOrEqual(L.RAM_OFFSET);
    expect(L.RAM_OFFSET % 65536).toBe(0);
    for (const slot of ["S_PC", "S_PRIV", "S_MSTATUS", "S_SATP", "S_PMPADDR", "S_RETIRED"] as const) {
      expect(L[slot]).toBeGreaterThanOrEqual(L.HART);
      expect(L[slot]).toBeLessThan(L.S_END);
    }
  });

  it("guest physical 0x8000_0000 is where the host's RAM view starts", () => {
    hart.write64(0x8000_0100, 0x1122_3344_5566_7788n);
    hart.x(11, 0x8000_0100n);
    hart.run([0x0005b503 /* ld a0, 0(a1) */]);
    expect(hart.x(10)).toBe(0x1122_3344_5566_7788n);
    expect(new Uint8Array(hart.core.memory.buffer, hart.core.layout.RAM_OFFSET + 0x100, 1)[0]).toBe(0x88);
  });
});
