// Bad input to the CLI: exit status 2 and exactly one clear line on stderr, never a crash.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "bin", "hartvm.js");
const ADD_TEST = join(ROOT, "..", "shared", "riscv-tests", "rv64ui-p-add");
let dir: string;

function hartvm(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

function expectUsageError(args: string[], pattern: RegExp) {
  const r = hartvm(...args);
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^hartvm: /);
  expect(lines[0]).toMatch(pattern);
}

/** A valid RISC-V ELF we can damage in different ways. */
function elfBytes(): Uint8Array {
  return new Uint8Array(readFileSync(ADD_TEST));
}

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), "hartvm-cli-")); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("bad input", () => {
  it("a file that is not an ELF", () => {
    const f = join(dir, "notelf.bin");
    writeFileSync(f, "this is plain text, not a program\n");
    expectUsageError(["--bios", "none", "--kernel", f], /not an ELF/);
  });

  it("a truncated ELF", () => {
    const f = join(dir, "truncated.elf");
    writeFileSync(f, elfBytes().subarray(0, 200));
    expectUsageError(["--bios", "none", "--kernel", f], /truncated ELF/);
  });

  it("an ELF for another machine", () => {
    const bytes = elfBytes();
    new DataView(bytes.buffer).setUint16(18, 62, true); // EM_X86_64
    const f = join(dir, "x86.elf");
    writeFileSync(f, bytes);
    expectUsageError(["--bios", "none", "--kernel", f], /machine 62, not RISC-V/);
  });

  it("a segment outside RAM", () => {
    const bytes = elfBytes();
    const dv = new DataView(bytes.buffer);
    const phoff = Number(dv.getBigUint64(32, true));
    const phentsize = dv.getUint16(54, true);
    for (let i = 0; i < dv.getUint16(56, true); i++) {
      const p = phoff + i * phentsize;
      if (dv.getUint32(p, true) === 1) dv.setBigUint64(p + 24, 0x4000_0000n, true); // paddr below RAM
    }
    const f = join(dir, "outside.elf");
    writeFileSync(f, bytes);
    expectUsageError(["--bios", "none", "--kernel", f], /outside guest RAM/);
  });

  it("a missing kernel file and a directory", () => {
    expectUsageError(["--bios", "none", "--kernel", join(dir, "nope.elf")], /does not exist/);
    expectUsageError(["--bios", "none", "--kernel", dir], /is a directory/);
  });

  it("an unknown flag and bad values", () => {
    expectUsageError(["--frobnicate"], /unknown flag '--frobnicate'/);
    expectUsageError(["-m", "0", "--bios", "none", "--kernel", ADD_TEST], /greater than zero/);
    expectUsageError(["--smp", "0"], /harts \(--smp\) must be between 1 and 8/);
    expectUsageError(["--smp", "99"], /harts \(--smp\) must be between 1 and 8/);
    expectUsageError(["--timeout", "soon"], /--timeout needs a positive number/);
    expectUsageError(["--jit", "fast"], /--jit takes on, off or a number of visits, got 'fast'/);
    expectUsageError(["--jit", "-5"], /--jit takes on, off or a number of visits/);
  });

  it("a program that loops forever ends with --timeout as status 124", () => {
    const f = join(dir, "spin.elf");
    writeFileSync(f, minimalElf(0x8000_0000n, [0x0000006f])); // j .
    const r = hartvm("--bios", "none", "--kernel", f, "--timeout", "1");
    expect(r.status).toBe(124);
    expect(r.stderr).toMatch(/timed out/);
  });

  it("a program that jumps to unmapped memory gets an access fault in the guest, not a host crash", () => {
    // mtvec = 0x8000_0100 (a 'j .' there), then jump to 0x1000_0000_0000; the guest spins in its handler.
    const code = [
      0x00000297, // auipc t0, 0
      0x10028293, // addi t0, t0, 0x100
      0x30529073, // csrw mtvec, t0
      0x0010031b, // addiw t1, zero, 1
      0x02c31313, // slli t1, t1, 44
      0x00030067, // jr t1
    ];
    const words = new Array(0x100 / 4 + 1).fill(0x00000013); // nops up to the handler
    code.forEach((w, i) => (words[i] = w));
    words[0x100 / 4] = 0x0000006f; // handler: j .
    const f = join(dir, "wild-jump.elf");
    writeFileSync(f, minimalElf(0x8000_0000n, words));
    const r = hartvm("--bios", "none", "--kernel", f, "--timeout", "1", "--trace", "8");
    expect(r.status).toBe(124);
    // The trace shows the jump and then the handler at mtvec, in M-mode.
    expect(r.stderr).toMatch(/jalr zero, 0\(t1\)/);
    expect(r.stderr).toMatch(/M 0x0000000080000100: 0000006f  jal zero, 0x80000100/);
  });
});

/** An ELF64 RISC-V executable with one PT_LOAD segment holding `words` at `addr`. */
function minimalElf(addr: bigint, words: number[]): Uint8Array {
  const code = new Uint8Array(new Uint32Array(words).buffer);
  const bytes = new Uint8Array(64 + 56 + code.length);
  const dv = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  dv.setUint16(16, 2, true); // ET_EXEC
  dv.setUint16(18, 243, true); // EM_RISCV
  dv.setUint32(20, 1, true);
  dv.setBigUint64(24, addr, true); // entry
  dv.setBigUint64(32, 64n, true); // phoff
  dv.setUint16(52, 64, true);
  dv.setUint16(54, 56, true);
  dv.setUint16(56, 1, true);
  dv.setUint32(64, 1, true); // PT_LOAD
  dv.setUint32(68, 5, true); // R+X
  dv.setBigUint64(72, 120n, true); // offset
  dv.setBigUint64(80, addr, true);
  dv.setBigUint64(88, addr, true);
  dv.setBigUint64(96, BigInt(code.length), true);
  dv.setBigUint64(104, BigInt(code.length), true);
  bytes.set(code, 120);
  return bytes;
}
