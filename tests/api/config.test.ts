// The API's checks: every limit and every bad input is a HartvmError with a code and the
// same one-line message the CLI prints, before anything runs.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createMachine, HartvmError, type MachineConfig } from "../../host-ts/api.js";

const ROOT = join(__dirname, "..", "..");
const ADD_TEST = join(ROOT, "..", "shared", "riscv-tests", "rv64ui-p-add");
let dir: string;

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), "hartvm-api-")); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rejection(config: MachineConfig): Promise<HartvmError> {
  try {
    const vm = await createMachine(config);
    await vm.stop();
  } catch (e) {
    expect(e).toBeInstanceOf(HartvmError);
    expect((e as Error).message).not.toContain("\n");
    return e as HartvmError;
  }
  throw new Error(`createMachine(${JSON.stringify(config)}) did not fail`);
}

describe("limits, checked once for the CLI and the API", () => {
  it.each([
    ["harts 9", { harts: 9 }, "limit", /harts \(--smp\) must be between 1 and 8, got 9/],
    ["harts 0", { harts: 0 }, "limit", /between 1 and 8, got 0/],
    ["harts 1.5", { harts: 1.5 }, "invalid-config", /whole number/],
    ["memory 3G", { memory: "3G" }, "limit", /above the 2 GiB limit/],
    ["memory 12345K", { memory: "12345K" }, "invalid-config", /multiple of 4 KiB/],
    ["memory lots", { memory: "lots" }, "invalid-config", /invalid memory size/],
    ["8 drives", { drives: Array.from({ length: 8 }, () => new Uint8Array(512)) }, "limit", /at most 7 disks/],
    ["a 120 KB command line", { append: "x".repeat(120 * 1024) }, "limit", /command line \(--append\) is 1229\d\d bytes; RISC-V Linux keeps at most 1023/],
    ["jit -1", { jit: -1 }, "invalid-config", /jit/],
    ["bios none, no kernel", { bios: "none" }, "invalid-config", /needs a kernel/],
    ["timeoutMs 0", { timeoutMs: 0 }, "invalid-config", /timeoutMs/],
    ["a drive that is neither bytes, URL nor path", { drives: [{ data: new Uint8Array(512) } as never] }, "invalid-config", /disk.*expected bytes \(Uint8Array, ArrayBuffer\), a URL or a path, got an object with keys data/],
    ["a kernel given as a number", { kernel: 42 as never, bios: "none" }, "invalid-config", /kernel.*got number/],
  ] as [string, MachineConfig, string, RegExp][])("%s", async (_label, config, code, message) => {
    const e = await rejection(config);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });
});

describe("inputs", () => {
  it("takes a kernel as bytes, as a path and as a file: URL", async () => {
    for (const kernel of [readFileSync(ADD_TEST), ADD_TEST, pathToFileURL(ADD_TEST)]) {
      const vm = await createMachine({ kernel, bios: "none", memory: "16M" });
      vm.start();
      expect(await vm.exited).toEqual({ status: 0, reason: "htif" });
    }
  });

  it("refuses what is not a regular file, without reading it", async () => {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    for (const [kernel, message] of [
      [join(dir, "missing"), /kernel '.*missing' does not exist/],
      [dir, /is a directory/],
      ["/dev/zero", /kernel '\/dev\/zero' is not a regular file/],
      [fifo, /is not a regular file/],
    ] as [string, RegExp][]) {
      const started = performance.now();
      const e = await rejection({ kernel, bios: "none" });
      expect(e.code).toBe("io");
      expect(e.message).toMatch(message);
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });

  it("refuses a kernel larger than guest RAM before reading it", async () => {
    const big = join(dir, "big.bin");
    writeFileSync(big, new Uint8Array(3 * 2 ** 20));
    const e = await rejection({ kernel: big, bios: "none", memory: "2M" });
    expect(e.code).toBe("limit");
    expect(e.message).toMatch(/is 3145728 bytes, more than the 2 MiB it may take/);
  });

  it("says an ELF32 file is 32-bit and a device tree is malformed", async () => {
    const elf32 = readFileSync(ADD_TEST).subarray(0, 52);
    elf32[4] = 1; // ELFCLASS32
    expect((await rejection({ kernel: elf32, bios: "none" })).code).toBe("invalid-image");
    const dtb = await rejection({ dtb: new Uint8Array(100) });
    expect(dtb.code).toBe("invalid-image");
    expect(dtb.message).toMatch(/device tree '\(100 bytes\)': .*bad magic/);
  });

  it("refuses an empty firmware file", async () => {
    const empty = join(dir, "empty.bin");
    writeFileSync(empty, "");
    const e = await rejection({ bios: empty });
    expect(e.code).toBe("invalid-image");
    expect(e.message).toMatch(/firmware '.*empty.bin' is empty/);
  });

  it("refuses character devices as disks and the same writable image twice", async () => {
    expect((await rejection({ drives: ["/dev/null"] })).message).toMatch(/disk image \/dev\/null is not a regular file/);
    const img = join(dir, "disk.img");
    writeFileSync(img, new Uint8Array(1 << 20));
    expect((await rejection({ drives: [img, img] })).message).toMatch(/already in use/);
    const vm = await createMachine({ drives: [img, { file: img, readonly: true }] }); // a read-only second view is fine
    await vm.stop();
  });
});
