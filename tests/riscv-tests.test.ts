// The riscv-tests suite (built in ../shared/riscv-tests, see its README): every rv64
// u/m/s test in the -p and -v environments must end with HTIF exit 0.
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { createMachine } from "../host-ts/api.js";

const SUITE = join(__dirname, "..", "..", "shared", "riscv-tests");
const GROUPS = ["rv64ui", "rv64um", "rv64ua", "rv64uf", "rv64ud", "rv64uc", "rv64mi", "rv64si"];

const tests = existsSync(SUITE)
  ? readdirSync(SUITE).filter((f) => GROUPS.some((g) => f.startsWith(g + "-p-") || f.startsWith(g + "-v-"))).sort()
  : [];

let wasm: WebAssembly.Module;
beforeAll(async () => {
  wasm = await WebAssembly.compile(readFileSync(join(__dirname, "..", "build", "core.wasm")));
});

describe("riscv-tests", () => {
  it("finds the built suite (244 tests)", () => {
    expect(existsSync(SUITE), `${SUITE} is missing`).toBe(true);
    expect(tests.length).toBe(244);
  });

  // Twice: interpreted only, and with every block compiled the first time control reaches it.
  describe.each([["interpreter", 0], ["jit", 1]])("%s", (_mode, jit) => {
    it.each(tests)("%s", async (name) => {
      const machine = await createMachine({
        core: wasm, kernel: readFileSync(join(SUITE, name)), bios: "none", memory: "64M", timeoutMs: 20_000,
        jit: jit > 0 ? { threshold: jit, sync: true } : false,
      });
      machine.start();
      const exit = await machine.exited;
      expect(exit.reason).toBe("htif");
      expect(exit.status, `failed test case ${exit.status}`).toBe(0);
      if (jit > 0) expect(machine.stats().jit!.blocks, "blocks compiled").toBeGreaterThan(0);
    });
  });
});
