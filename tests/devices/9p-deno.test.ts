// The host-directory backend under Deno (node:fs there): bundled with esbuild and run by
// the `deno` binary from node_modules or PATH. Skipped, saying so, where there is none.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function findDeno(): string | null {
  const local = join(process.cwd(), "node_modules", ".bin", "deno");
  if (existsSync(local)) return local;
  return spawnSync("deno", ["--version"]).status === 0 ? "deno" : null;
}

const deno = findDeno();

describe("9p host backend in Deno", () => {
  it.skipIf(!deno)("resolves through descriptors, confines, and serves files as in Node", () => {
    const dir = mkdtempSync(join(tmpdir(), "hartvm-9p-deno-"));
    const out = join(dir, "check.mjs");
    const esbuild = join(process.cwd(), "node_modules", ".bin", "esbuild");
    const b = spawnSync(esbuild, ["tests/devices/9p-runtime-check.ts", "--bundle", "--platform=node", "--format=esm", `--outfile=${out}`, "--log-level=warning"]);
    expect(b.status, b.stderr.toString()).toBe(0);
    const r = spawnSync(deno!, ["run", "-A", out], { encoding: "utf8" });
    rmSync(dir, { recursive: true, force: true });
    expect(r.stdout).not.toMatch(/FAIL/);
    expect(r.stdout.match(/^PASS/gm)?.length).toBe(18);
    expect(r.stdout).toMatch(/auto: resolution is anchored/);
    expect(r.status).toBe(0);
  });
});
