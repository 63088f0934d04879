// Bad input to the CLI, as one table: exit status 2 and exactly one clear line on stderr,
// never a crash or a hang. Then guests that misbehave: the host stays in control.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync } from "node:fs";
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

/** A valid RISC-V ELF we can damage in different ways. */
function elfBytes(): Uint8Array {
  return new Uint8Array(readFileSync(ADD_TEST));
}

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), "hartvm-cli-")); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A valid device tree to damage, from --dump-dtb. */
function validDtb(): Uint8Array {
  const f = join(dir, "valid.dtb");
  const r = hartvm("--dump-dtb", f);
  expect(r.status, r.stderr).toBe(0);
  return new Uint8Array(readFileSync(f));
}

function file(name: string, bytes: Uint8Array | string): string {
  const f = join(dir, name);
  writeFileSync(f, bytes);
  return f;
}

interface Case { args: () => string[]; stderr: RegExp; seconds?: number }

/**
 * Every bad input the CLI can meet: exit status 2, exactly one line on stderr that says
 * what is wrong (no stack trace), within a few seconds (no hang on endless or blocking files).
 */
const CASES: Record<string, Case> = {
  "an empty kernel file": { args: () => ["--bios", "none", "--kernel", file("empty-kernel.bin", "")], stderr: /kernel '.*empty-kernel.bin' is empty/ },
  "a truncated ELF": { args: () => ["--bios", "none", "--kernel", file("truncated.elf", elfBytes().subarray(0, 200))], stderr: /truncated ELF/ },
  "an ELF for another machine": {
    args: () => { const b = elfBytes(); new DataView(b.buffer).setUint16(18, 62, true); return ["--bios", "none", "--kernel", file("x86.elf", b)]; },
    stderr: /machine 62, not RISC-V/,
  },
  "a segment outside RAM": { args: () => ["--bios", "none", "--kernel", file("outside.elf", elfWithSegmentsAt(0x4000_0000n))], stderr: /outside guest RAM/ },
  "overlapping ELF segments": { args: () => ["--bios", "none", "--kernel", file("overlap.elf", elfWithOverlap())], stderr: /segments 0 and 1 overlap in memory at 0x/ },
  "an ELF32 file": {
    args: () => { const b = elfBytes().slice(0, 52); b[4] = 1; return ["--bios", "none", "--kernel", file("elf32.elf", b)]; },
    stderr: /a 32-bit ELF \(ELFCLASS32\); hartvm runs RV64 and needs a 64-bit ELF/,
  },
  "a missing kernel": { args: () => ["--bios", "none", "--kernel", join(dir, "nope.elf")], stderr: /kernel '.*nope.elf' does not exist/ },
  "a directory as the kernel": { args: () => ["--bios", "none", "--kernel", dir], stderr: /is a directory/ },
  "/dev/zero as the kernel": { args: () => ["--kernel", "/dev/zero"], stderr: /kernel '\/dev\/zero' is not a regular file/ },
  "a FIFO with no writer as the kernel": { args: () => ["--kernel", fifo()], stderr: /kernel '.*fifo' is not a regular file/ },
  "a kernel larger than RAM": { args: () => ["-m", "4M", "--kernel", file("big.bin", new Uint8Array(5 << 20))], stderr: /is 5242880 bytes, more than the 4 MiB it may take/ },
  "an empty firmware file": { args: () => ["--bios", file("empty.bin", "")], stderr: /firmware '.*empty.bin' is empty/ },
  "an unknown flag": { args: () => ["--frobnicate"], stderr: /unknown flag '--frobnicate'/ },
  "a stray argument": { args: () => ["Image"], stderr: /unexpected argument 'Image'/ },
  "a flag given last without its value": { args: () => ["--timeout", "1", "--kernel"], stderr: /--kernel needs a value/ },
  "-m 0": { args: () => ["-m", "0", "--bios", "none", "--kernel", ADD_TEST], stderr: /greater than zero/ },
  "-m 3G": { args: () => ["-m", "3G"], stderr: /above the 2 GiB limit/ },
  "--smp 0": { args: () => ["--smp", "0"], stderr: /harts \(--smp\) must be between 1 and 8/ },
  "--smp 99": { args: () => ["--smp", "99"], stderr: /harts \(--smp\) must be between 1 and 8/ },
  "--timeout soon": { args: () => ["--timeout", "soon"], stderr: /--timeout needs a positive number/ },
  "--jit fast": { args: () => ["--jit", "fast"], stderr: /--jit takes on, off or a number of visits, got 'fast'/ },
  "--jit -5": { args: () => ["--jit", "-5"], stderr: /--jit takes on, off or a number of visits/ },
  "a 120 KB --append": { args: () => ["--append", "x".repeat(120 * 1024)], stderr: /command line \(--append\) is \d+ bytes; RISC-V Linux keeps at most 1023/ },
  "an empty --dtb": { args: () => ["--dtb", file("empty.dtb", "")], stderr: /device tree '.*empty.dtb': .*shorter than the 40-byte header/ },
  "random bytes as --dtb": { args: () => ["--dtb", file("random.dtb", randomBytes(4096))], stderr: /device tree '.*random.dtb': .*bad magic/ },
  "a truncated --dtb": { args: () => ["--dtb", file("truncated.dtb", validDtb().subarray(0, 200))], stderr: /device tree '.*truncated.dtb': .*totalsize/ },
  "a --dtb with a bad magic": { args: () => { const b = validDtb(); b[0] ^= 0xff; return ["--dtb", file("magic.dtb", b)]; }, stderr: /bad magic/ },
  "a --dtb whose totalsize exceeds the file": {
    args: () => { const b = validDtb(); new DataView(b.buffer).setUint32(4, b.length + 100); return ["--dtb", file("long.dtb", b)]; },
    stderr: /totalsize \d+ exceeds the \d+ bytes given/,
  },
  "--dump-dtb to a directory": { args: () => ["--dump-dtb", dir], stderr: /cannot write the device tree to '.*': it is a directory/ },
  "--dump-dtb into a missing directory": { args: () => ["--dump-dtb", join(dir, "no", "such", "x.dtb")], stderr: /its directory does not exist/ },
  "--drive /dev/null": { args: () => ["--drive", "/dev/null", "--timeout", "1"], stderr: /disk image \/dev\/null is not a regular file/ },
  "--drive /dev/zero": { args: () => ["--drive", "/dev/zero", "--timeout", "1"], stderr: /disk image \/dev\/zero is not a regular file/ },
  "a missing --drive": { args: () => ["--drive", join(dir, "no-such.img")], stderr: /cannot open disk image .*no-such.img: no such file/ },
  "eight --drive options": { args: () => Array.from({ length: 8 }, () => ["--drive", disk()]).flat(), stderr: /at most 7 disks \(--drive\), got 8/ },
  "the same writable image twice": { args: () => ["--drive", disk(), "--drive", disk()], stderr: /already in use by this process/ },
  "an unsupported drive format": { args: () => ["--drive", `${disk()},format=qcow2`], stderr: /unsupported format 'qcow2'/ },
};

describe("bad input: one line, exit 2, quickly", () => {
  it.each(Object.keys(CASES))("%s", (name) => {
    const c = CASES[name];
    const started = performance.now();
    const r = hartvm(...c.args());
    const seconds = (performance.now() - started) / 1000;
    expect(r.status, r.stderr).toBe(2);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^hartvm: /);
    expect(lines[0]).not.toMatch(/\bat .*\(.*:\d+:\d+\)|internal error/);
    expect(lines[0]).toMatch(c.stderr);
    expect(seconds).toBeLessThan(c.seconds ?? 10);
  });
});

describe("guests that misbehave", () => {
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


function elfWithSegmentsAt(paddr: bigint): Uint8Array {
  const bytes = elfBytes();
  const dv = new DataView(bytes.buffer);
  const phoff = Number(dv.getBigUint64(32, true));
  const phentsize = dv.getUint16(54, true);
  for (let i = 0; i < dv.getUint16(56, true); i++) {
    const p = phoff + i * phentsize;
    if (dv.getUint32(p, true) === 1) dv.setBigUint64(p + 24, paddr, true);
  }
  return bytes;
}

/** Two PT_LOAD segments where the second starts inside the first. */
function elfWithOverlap(): Uint8Array {
  const code = new Uint8Array(new Uint32Array([0x0000006f, 0x0000006f, 0x0000006f, 0x0000006f]).buffer);
  const bytes = new Uint8Array(64 + 2 * 56 + code.length);
  const dv = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  dv.setUint16(16, 2, true);
  dv.setUint16(18, 243, true);
  dv.setUint32(20, 1, true);
  dv.setBigUint64(24, 0x8000_0000n, true);
  dv.setBigUint64(32, 64n, true);
  dv.setUint16(52, 64, true);
  dv.setUint16(54, 56, true);
  dv.setUint16(56, 2, true);
  for (const [i, addr] of [[0, 0x8000_0000n], [1, 0x8000_0008n]] as const) {
    const p = 64 + i * 56;
    dv.setUint32(p, 1, true);
    dv.setUint32(p + 4, 5, true);
    dv.setBigUint64(p + 8, 176n, true);
    dv.setBigUint64(p + 16, addr, true);
    dv.setBigUint64(p + 24, addr, true);
    dv.setBigUint64(p + 32, 16n, true);
    dv.setBigUint64(p + 40, 16n, true);
  }
  bytes.set(code, 176);
  return bytes;
}

function fifo(): string {
  const f = join(dir, "fifo");
  if (!existsSync(f)) execFileSync("mkfifo", [f]);
  return f;
}

function disk(): string {
  const f = join(dir, "disk.img");
  if (!existsSync(f)) writeFileSync(f, new Uint8Array(1 << 20));
  return f;
}

function randomBytes(n: number): Uint8Array {
  let x = 0x12345678;
  return Uint8Array.from({ length: n }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 24));
}

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
