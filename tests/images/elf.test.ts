// images/elf.ts on files built here byte by byte: what it accepts, the one line it says
// when it refuses, and that hostile symbol tables cost time linear in their size.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ImageError, parseElf } from "../../images/elf.js";
import { loadElf } from "../../images/load.js";

const ROOT = join(__dirname, "..", "..");

interface Seg { paddr: bigint; data?: Uint8Array; memsz: bigint }
interface Sym { nameOff: number; value: bigint }

/** An ELF64 RISC-V executable: PT_LOAD segments, and optionally a symbol table over `strtab`. */
function elf(segs: Seg[], opts: { syms?: Sym[]; strtab?: Uint8Array; entry?: bigint } = {}): Uint8Array {
  const phoff = 64;
  let off = phoff + 56 * segs.length;
  const dataAt = segs.map((s) => {
    const at = off;
    off += s.data?.length ?? 0;
    return at;
  });
  const symtabAt = off;
  const syms = opts.syms ?? [];
  off += 24 * syms.length;
  const strAt = off;
  const strtab = opts.strtab ?? new Uint8Array(0);
  off += strtab.length;
  const shoff = opts.syms ? (off + 7) & ~7 : 0;
  const total = opts.syms ? shoff + 3 * 64 : off;
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  dv.setUint16(16, 2, true); // ET_EXEC
  dv.setUint16(18, 243, true); // EM_RISCV
  dv.setUint32(20, 1, true);
  dv.setBigUint64(24, opts.entry ?? 0x8000_0000n, true);
  dv.setBigUint64(32, BigInt(phoff), true);
  dv.setBigUint64(40, BigInt(shoff), true);
  dv.setUint16(52, 64, true);
  dv.setUint16(54, 56, true);
  dv.setUint16(56, segs.length, true);
  dv.setUint16(58, 64, true);
  dv.setUint16(60, opts.syms ? 3 : 0, true);
  segs.forEach((s, i) => {
    const p = phoff + 56 * i;
    dv.setUint32(p, 1, true); // PT_LOAD
    dv.setUint32(p + 4, 7, true);
    dv.setBigUint64(p + 8, BigInt(dataAt[i]), true);
    dv.setBigUint64(p + 16, s.paddr, true);
    dv.setBigUint64(p + 24, s.paddr, true);
    dv.setBigUint64(p + 32, BigInt(s.data?.length ?? 0), true);
    dv.setBigUint64(p + 40, s.memsz, true);
    if (s.data) b.set(s.data, dataAt[i]);
  });
  syms.forEach((s, i) => {
    dv.setUint32(symtabAt + 24 * i, s.nameOff, true);
    dv.setBigUint64(symtabAt + 24 * i + 8, s.value, true);
  });
  b.set(strtab, strAt);
  if (opts.syms) {
    const sh = (i: number, type: number, offset: number, size: number, link: number) => {
      const s = shoff + 64 * i;
      dv.setUint32(s + 4, type, true);
      dv.setBigUint64(s + 24, BigInt(offset), true);
      dv.setBigUint64(s + 32, BigInt(size), true);
      dv.setUint32(s + 40, link, true);
    };
    sh(1, 2, symtabAt, 24 * syms.length, 2); // SHT_SYMTAB, strings in section 2
    sh(2, 3, strAt, strtab.length, 0); // SHT_STRTAB
  }
  return b;
}

const seg = (paddr: number | bigint, memsz: number | bigint, data?: Uint8Array): Seg => ({ paddr: BigInt(paddr), memsz: BigInt(memsz), data });
const ascii = (s: string) => new TextEncoder().encode(s);

/** parseElf's error message (one line), or "" when it accepts the file. */
function refusal(bytes: Uint8Array): string {
  try {
    parseElf(bytes, "k.elf");
    return "";
  } catch (e) {
    expect(e).toBeInstanceOf(ImageError);
    const msg = (e as Error).message;
    expect(msg).not.toContain("\n");
    return msg;
  }
}

describe("ELF class", () => {
  it("an ELF32 file is reported as 32-bit, however long it is", () => {
    const full = elf([seg(0x8000_0000, 16, new Uint8Array(16))]);
    full[4] = 1; // ELFCLASS32
    const header32 = full.subarray(0, 52); // an ELF32 header is 52 bytes
    for (const bytes of [full, header32, full.subarray(0, 5)]) {
      expect(refusal(bytes)).toBe("k.elf: a 32-bit ELF (ELFCLASS32); hartvm runs RV64 and needs a 64-bit ELF");
    }
  });

  it("an unknown class, and a 64-bit file cut short, are reported as such", () => {
    const bytes = elf([seg(0x8000_0000, 16, new Uint8Array(16))]);
    bytes[4] = 7;
    expect(refusal(bytes)).toBe("k.elf: ELF class 7 is neither 32- nor 64-bit");
    expect(refusal(elf([seg(0x8000_0000, 16)]).subarray(0, 40))).toBe("k.elf: truncated ELF header");
  });
});

describe("overlapping segments (QEMU's loader refuses them)", () => {
  it("refuses two segments that share bytes, in either order, naming both", () => {
    expect(refusal(elf([seg(0x8000_0000, 0x1000), seg(0x8000_0800, 0x1000)]))).toBe("k.elf: segments 0 and 1 overlap in memory at 0x80000800");
    expect(refusal(elf([seg(0x8000_0800, 0x1000), seg(0x8000_0000, 0x1000)]))).toBe("k.elf: segments 0 and 1 overlap in memory at 0x80000800");
    expect(refusal(elf([seg(0x8000_0000, 0x10_0000), seg(0x9000_0000, 8), seg(0x8008_0000, 8)]))).toBe("k.elf: segments 0 and 2 overlap in memory at 0x80080000");
    expect(refusal(elf([seg(0x8000_0000, 8), seg(0x8000_0000, 8)]))).toBe("k.elf: segments 0 and 1 overlap in memory at 0x80000000");
  });

  it("overlap counts memsz (the zeroed tail), not only the file bytes", () => {
    expect(refusal(elf([seg(0x8000_0000, 0x2000, new Uint8Array(16)), seg(0x8000_1000, 16, new Uint8Array(16))]))).toMatch(/overlap in memory at 0x80001000$/);
  });

  it("accepts adjacent segments and ignores empty ones", () => {
    const e = parseElf(elf([seg(0x8000_0000, 0x1000), seg(0x8000_1000, 0x1000), seg(0x8000_0800, 0)]), "k.elf");
    expect(e.segments.map((s) => [s.header, s.paddr])).toEqual([[0, 0x8000_0000n], [1, 0x8000_1000n]]);
  });

  it("refuses a segment that wraps around the end of the address space", () => {
    expect(refusal(elf([seg(0xffff_ffff_ffff_f000n, 0x2000)]))).toBe("k.elf: segment 0 wraps around the end of the address space");
  });

  it("every committed test program and Debian's OpenSBI ELFs still load", () => {
    const dirs = ["tests/programs/bin", "tests/adversarial/bin", "bench/programs/bin"].map((d) => join(ROOT, d)).filter(existsSync);
    const files = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith(".elf")).map((f) => join(d, f)));
    for (const f of ["fw_dynamic.elf", "fw_jump.elf"]) {
      const p = join("/usr/lib/riscv64-linux-gnu/opensbi/generic", f);
      if (existsSync(p)) files.push(p);
    }
    expect(files.length).toBeGreaterThan(15);
    for (const f of files) expect(refusal(new Uint8Array(readFileSync(f))), f).toBe("");
  });
});

describe("symbols", () => {
  // offsets:            0 1      7 8        16 17     24 25  29 30 (no NUL at the end)
  const strtab = ascii("\0tohost\0fromhost\0tohost2\0toho\0tohost");

  it("finds a name exactly: not a prefix, not a longer name; the later duplicate wins", () => {
    const syms = [
      { nameOff: 17, value: 2n },
      { nameOff: 25, value: 3n },
      { nameOff: 1, value: 0x8000_1000n },
      { nameOff: 8, value: 0x8000_1040n },
    ];
    const e = parseElf(elf([seg(0x8000_0000, 16)], { syms, strtab }), "k.elf");
    expect(e.symbols.get("tohost")).toBe(0x8000_1000n);
    expect(e.symbols.get("fromhost")).toBe(0x8000_1040n);
    expect(e.symbols.get("toho")).toBe(3n);
    expect(e.symbols.get("tohost2")).toBe(2n);
    expect(e.symbols.get("to")).toBeUndefined();
    const dup = parseElf(elf([seg(0x8000_0000, 16)], { syms: [...syms, { nameOff: 30, value: 9n }], strtab }), "k.elf");
    expect(dup.symbols.get("tohost"), "a name that ends at the table's end, listed later").toBe(9n);
  });

  it("a hostile table (200 000 names into 1 MiB of string with no NUL) costs linear time", () => {
    const big = new Uint8Array(2 ** 20).fill(0x61);
    const syms = Array.from({ length: 200_000 }, (_, i) => ({ nameOff: 1 + i, value: BigInt(i) }));
    const bytes = elf([seg(0x8000_0000, 16)], { syms, strtab: big });
    const t0 = performance.now();
    const e = parseElf(bytes, "k.elf");
    expect(e.symbols.get("tohost")).toBeUndefined();
    expect(e.symbols.get("a".repeat(2 ** 20 - 5)), "the name at offset 5 runs to the end").toBe(4n);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it("the riscv-tests style tohost of a committed program", () => {
    const e = parseElf(new Uint8Array(readFileSync(join(ROOT, "tests/programs/bin/rv64i.elf"))), "rv64i");
    const tohost = e.symbols.get("tohost")!;
    expect(tohost & 0xfffn).toBe(0n);
    expect(e.segments.some((s) => tohost >= s.paddr && tohost < s.paddr + s.memsz)).toBe(true);
  });
});

describe("loading", () => {
  it("names the program header of a segment that does not fit in RAM", () => {
    const e = parseElf(elf([seg(0x8000_0000, 8, new Uint8Array(8)), seg(0x8000_0000n - 0x1000n, 0, undefined), seg(0x9000_0000, 8, new Uint8Array(8))]), "k.elf");
    const ram = new Uint8Array(0x1000);
    const view = (pa: number, len: number) => (pa >= 0x8000_0000 && pa - 0x8000_0000 + len <= ram.length ? ram.subarray(pa - 0x8000_0000, pa - 0x8000_0000 + len) : null);
    expect(() => loadElf({ ramView: view }, e, "k.elf")).toThrow("k.elf segment 2: [0x90000000, 0x90000008) lies outside guest RAM");
  });
});
