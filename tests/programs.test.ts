// Runs every bare-metal test program in tests/programs/bin on the hartvm CLI.
//
// Each program starts in M-mode with no firmware and ends through HTIF:
// exit status 0 = pass, n = case n failed, 255 = failure outside any case,
// 124 = --timeout (see tests/programs/README.md).  The programs are built by
// tests/programs/build.sh and validated on qemu-system-riscv64 -M spike.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createMachine } from "../host-ts/api.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const binDir = join(root, "tests", "programs", "bin");
const cli = join(root, "bin", "hartvm.js");
const programs = readdirSync(binDir)
  .filter((name) => name.endsWith(".elf"))
  .sort();

const GUEST_TIMEOUT_S = 20;

function tail(text: string, lines = 40): string {
  const all = text.trimEnd().split("\n");
  return all.slice(-lines).join("\n");
}

function verdict(status: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return `killed by ${signal}`;
  if (status === 124) return `timed out after ${GUEST_TIMEOUT_S} s (exit status 124)`;
  if (status === 255) return "failed outside any case (exit status 255)";
  return `failed case ${status} (exit status ${status})`;
}

describe("bare-metal test programs", () => {
  it("finds the built programs", () => {
    expect(programs.length).toBe(15);
  });

  for (const elf of programs) {
    const name = elf.replace(/\.elf$/, "");
    it(name, () => {
      const kernel = relative(root, join(binDir, elf));
      const result = spawnSync(
        process.execPath,
        [cli, "--bios", "none", "--kernel", kernel, "--timeout", String(GUEST_TIMEOUT_S)],
        {
          cwd: root,
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
          timeout: (GUEST_TIMEOUT_S + 30) * 1000,
          maxBuffer: 16 * 1024 * 1024,
        },
      );
      if (result.error) throw result.error;
      const message =
        `${name}: ${verdict(result.status, result.signal)} ` +
        `(case n is "CASE n" or the test macro numbered n in tests/programs/src/${name}.S)\n` +
        `--- stderr ---\n${tail(result.stderr)}\n--- stdout ---\n${tail(result.stdout)}`;
      expect(result.status, message).toBe(0);
    }, (GUEST_TIMEOUT_S + 40) * 1000);
  }
});

// Again in-process with every block compiled, synchronously, on its first visit: the
// programs' traps, CSR side effects and self-modifying code must not notice the JIT.
describe("bare-metal test programs, compiled", () => {
  for (const elf of programs) {
    const name = elf.replace(/\.elf$/, "");
    it(name, async () => {
      const machine = await createMachine({
        kernel: readFileSync(join(binDir, elf)), bios: "none", memory: "64M", timeoutMs: GUEST_TIMEOUT_S * 1000,
        jit: { threshold: 1, sync: true },
      });
      machine.start();
      const exit = await machine.exited;
      expect(exit.status, `${name}: ${verdict(exit.status, null)}`).toBe(0);
      expect(machine.stats().jit!.blocks, "blocks compiled").toBeGreaterThan(0);
    }, (GUEST_TIMEOUT_S + 40) * 1000);
  }
});
