// Hostile guests (tests/adversarial/src, built by build.sh, ELFs committed) on the CLI,
// interpreted (--jit off) and with every hot block compiled after one visit (--jit 1):
// each must end with its exit status, within its time, with exactly the log lines the
// devices owe it on stderr, and the host must never crash, hang or throw. Then two
// in-process checks of the run loop: a guest asking for 32 GiB of device work stops at
// its deadline, and the host never sleeps while a device has work the guest waits for.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, ftruncateSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { Vm } from "../../host-ts/vm.js";
import { parseElf } from "../../images/elf.js";
import { MemoryBlockBackend } from "../../devices/virtio/block-backend.js";
import { openFileBlockBackend } from "../../host-ts/platform/node-block.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = join(root, "tests", "adversarial", "bin");
const cli = join(root, "bin", "hartvm.js");
const work = mkdtempSync(join(tmpdir(), "hartvm-adversarial-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const MiB = 2 ** 20;
const GiB = 2 ** 30;

/** A sparse file of `bytes` (zeros). */
function sparseFile(name: string, bytes: number): string {
  const path = join(work, name);
  const fd = openSync(path, "w");
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return path;
}

/** virtio-progress's disk: 32-bit word w is w * 2654435761. */
function patternBytes(bytes: number): Uint8Array {
  const words = new Uint32Array(bytes / 4);
  for (let w = 0; w < words.length; w++) words[w] = Math.imul(w, 2654435761) >>> 0;
  return new Uint8Array(words.buffer);
}

interface Run { status: number | null; signal: string | null; stdout: string; stderr: string; ms: number }

function hartvm(args: string[], limitS: number): Run {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, "--bios", "none", ...args], {
    cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: limitS * 1000, maxBuffer: 64 * MiB,
  });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms };
}

const lines = (s: string) => s.split("\n").filter((l) => l !== "");
const noStackTrace = (r: Run) => expect(r.stderr, "no JS stack trace").not.toMatch(/^\s+at |Error:|TypeError|RangeError/m);

/** The one line the host logs per DEVICE_NEEDS_RESET of virtio-hostile, in its order. */
function hostileLines(dev: string, n: number, max: number, blk: boolean): string[] {
  const q = (m: string) => `hartvm: ${dev}: queue 0: ${m}; device needs reset`;
  const data = blk ? 1 : 0;
  return [
    q(`descriptor table at 0x1000 (+${16 * n}) is outside guest RAM`),
    q(`descriptor table at 0x8ffffff0 (+${16 * n}) is outside guest RAM`),
    q(`descriptor table at 0xfffffffffffffff0 (+${16 * n}) is outside guest RAM`),
    q(`avail ring at 0x40000000 (+${6 + 2 * n}) is outside guest RAM`),
    q(`used ring at 0x8ffffff8 (+${6 + 8 * n}) is outside guest RAM`),
    q(`descriptor ${data}: buffer at 0x40000000 (+512) is outside guest RAM`),
    q(`descriptor ${data}: buffer at 0x8fffff00 (+512) is outside guest RAM`),
    q(`descriptor ${data}: buffer at 0x80000000 (+4294967295) is outside guest RAM`),
    q(`descriptor ${data}: buffer at 0xffffffffffffff00 (+512) is outside guest RAM`),
    q(`descriptor ${data}: zero-length buffer`),
    q(`descriptor chain from head 0 loops (more than ${n} descriptors)`),
    q(`descriptor ${n + 5} is beyond the queue size ${n}`),
    q(`avail ring entry ${n} is beyond the queue size ${n}`),
    q(`avail index moved from 0 to ${n + 1}, more than the queue size ${n}`),
    q(`descriptor 3: device-readable buffer after a device-writable one`),
    q(`descriptor 0: indirect descriptor, but VIRTIO_F_INDIRECT_DESC was not negotiated`),
    q(`descriptor 0: indirect table at 0x1000 (+64) is outside guest RAM`),
    q(`descriptor 0: indirect table at 0x8fffffe0 (+64) is outside guest RAM`),
    q(`descriptor 0: indirect table length 40 is not a non-zero multiple of 16`),
    q(`descriptor 0: indirect table length 0 is not a non-zero multiple of 16`),
    q(`descriptor 0: indirect descriptor with NEXT set`),
    q(`indirect descriptor 0: nested indirect descriptor`),
    q(`descriptor chain from head 0 loops (more than 4 descriptors)`),
    q(`descriptor chain from head 0 is longer than 1024 descriptors`),
    ...[0, 3, 2 * max, 4294967295].map((s) => q(`size ${s} is not a power of two in 1..${max}`)),
    ...(blk ? Array(2).fill(`hartvm: ${dev}: virtio-blk: request (head 0) lacks its 16-byte header or status byte; device needs reset`) : []),
  ];
}

const fuzzLog: Record<string, string> = {};
const startMs: Record<string, number> = {};

for (const jit of ["off", "1"]) {
  describe(`hostile guests, --jit ${jit}`, () => {
    it("address-edges: access faults at the edges of RAM, the CLINT and the 64-bit space", () => {
      const r = hartvm(["--jit", jit, "--kernel", join(bin, "address-edges.elf"), "--timeout", "20"], 40);
      expect(r.status, `failed case ${r.status} of tests/adversarial/src/address-edges.S\n${r.stderr}`).toBe(0);
      expect(r.stderr).toBe("");
    }, 60_000);

    it("virtio-hostile: every broken ring gives NEEDS_RESET and exactly one log line", () => {
      const disk = sparseFile(`hostile-${jit}.img`, MiB);
      const r = hartvm(["--jit", jit, "--kernel", join(bin, "virtio-hostile.elf"), "--drive", `${disk},readonly=on`, "--timeout", "30"], 60);
      noStackTrace(r);
      expect(r.status, `failed case ${r.status} of tests/adversarial/src/virtio-hostile.c\n${r.stderr}`).toBe(0);
      expect(lines(r.stderr)).toEqual([...hostileLines("virtio0", 16, 256, true), ...hostileLines("virtio1", 8, 8, false)]);
      expect(r.ms).toBeLessThan(20_000);
    }, 90_000);

    it("virtio-progress: requests far beyond a step's budget complete, with the right bytes and interrupts", () => {
      const disk = join(work, `progress-${jit}.img`);
      writeFileSync(disk, patternBytes(16 * MiB));
      const r = hartvm(["--jit", jit, "--kernel", join(bin, "virtio-progress.elf"), "--drive", disk, "--timeout", "40"], 60);
      noStackTrace(r);
      expect(r.status, `failed case ${r.status} of tests/adversarial/src/virtio-progress.c\n${r.stderr}`).toBe(0);
      expect(r.stderr).toBe("");
    }, 90_000);

    it("mmio-fuzz: 200 000 random accesses to every device window; the run ends through the syscon (42)", () => {
      const disk = sparseFile(`fuzz-${jit}.img`, MiB);
      const r = hartvm(["--jit", jit, "--kernel", join(bin, "mmio-fuzz.elf"), "--drive", `${disk},readonly=on`, "--timeout", "60"], 90);
      noStackTrace(r);
      expect(r.status, `failed case ${r.status} of tests/adversarial/src/mmio-fuzz.c\n${r.stderr}`).toBe(42);
      const log = lines(r.stderr);
      expect(log.length).toBeGreaterThan(10);
      for (const l of log) expect(l).toMatch(/^hartvm: virtio[01]: .*; device needs reset$/);
      fuzzLog[jit] = r.stderr;
      if (fuzzLog.off !== undefined && fuzzLog["1"] !== undefined) expect(fuzzLog["1"], "same device log with and without the JIT").toBe(fuzzLog.off);
    }, 120_000);

    for (const dev of ["blk", "rng"]) {
      it(`virtio-flood-${dev}: 16 chains of 2 GiB stop at --timeout 2 (exit 124), not seconds later`, () => {
        const drive = ["--drive", `${sparseFile(`flood-${dev}-${jit}.img`, 2 * GiB)},readonly=on`];
        const args = ["--jit", jit, "-m", "2G", "--kernel", join(bin, `virtio-flood-${dev}.elf`), ...drive];
        const start = (startMs[dev] ??= hartvm([...args, "--timeout", "0.01"], 60).ms); // what starting and stopping cost
        const r = hartvm([...args, "--timeout", "2"], 60);
        noStackTrace(r);
        expect(r.status, r.stderr).toBe(124);
        expect(lines(r.stderr)).toEqual(["hartvm: timed out after 2 s"]);
        expect(r.ms - start, "ms of run time, start-up aside").toBeLessThan(2000 + 1000);
      }, 120_000);
    }
  });
}

describe("the run loop and deferred device work (in process)", () => {
  const wasm = () => readFileSync(join(root, "build", "core.wasm"));

  for (const dev of ["blk", "rng"]) {
    it(`virtio-flood-${dev}: run() returns within a few hundred ms of its deadline`, async () => {
      const backend = openFileBlockBackend(sparseFile(`inproc-${dev}.img`, 2 * GiB), { readonly: true });
      const m = await Vm.create({ wasm: wasm(), ramBytes: 2 * GiB, harts: 1, output: () => {}, disks: [{ backend, readonly: true }], jit: 0 });
      m.boot({ kind: "bare-metal", elf: parseElf(readFileSync(join(bin, `virtio-flood-${dev}.elf`)), dev), name: dev });
      const t0 = performance.now();
      const exit = await m.run({ timeoutMs: 500 });
      const over = performance.now() - t0 - 500;
      backend.close();
      expect(exit).toEqual({ status: 124, reason: "timeout" });
      expect(over, "ms past the deadline").toBeLessThan(250);
      expect(m.board.virtio.some((v) => v.hasDeferredWork()), "work was still pending").toBe(true);
    }, 60_000);
  }

  it("virtio-progress: the host never sleeps while a device has deferred work", async () => {
    const backend = new MemoryBlockBackend(patternBytes(16 * MiB));
    const m = await Vm.create({ wasm: wasm(), ramBytes: 256 * MiB, harts: 1, output: () => {}, disks: [{ backend, readonly: false }], jit: 0 });
    m.boot({ kind: "bare-metal", elf: parseElf(readFileSync(join(bin, "virtio-progress.elf")), "virtio-progress"), name: "virtio-progress" });
    let sleeps = 0;
    let sleepsWhileBusy = 0;
    const real = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, "setTimeout").mockImplementation(((fn: () => void, ms?: number, ...rest: unknown[]) => {
      if ((ms ?? 0) > 0) {
        sleeps++;
        if (m.board.virtio.some((v) => v.hasDeferredWork())) sleepsWhileBusy++;
      }
      return real(fn, ms, ...rest);
    }) as typeof setTimeout);
    try {
      const exit = await m.run({ timeoutMs: 60_000 });
      expect(exit, "virtio-progress case").toEqual({ status: 0, reason: "htif" });
    } finally {
      spy.mockRestore();
    }
    expect(sleepsWhileBusy, `of ${sleeps} sleeps`).toBe(0);
  }, 90_000);
});
