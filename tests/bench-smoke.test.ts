// The benchmark harness must keep working: one quick run (no speed asserted), its JSON checked.
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

it("npm run bench -- --quick produces the table and the JSON", () => {
  const dir = mkdtempSync(join(tmpdir(), "hartvm-bench-"));
  try {
    const out = join(dir, "latest.json");
    const r = spawnSync(process.execPath, ["bench/run.js", "--quick", "--no-qemu", "--out", out], {
      cwd: join(__dirname, ".."), encoding: "utf8", timeout: 600_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^workload\s+reps\s+hartvm median s/m);
    const json = JSON.parse(readFileSync(out, "utf8"));
    expect(json.quick).toBe(true);
    const names = json.workloads.map((w: { name: string }) => w.name);
    expect(names).toEqual(expect.arrayContaining(["boot to userspace, built-in SBI", "bare-metal int-loop", "bare-metal mixed-loop"]));
    for (const w of json.workloads) {
      expect(w.hartvm.median).toBeGreaterThan(0);
      expect(w.qemu).toBeNull();
    }
    const bare = json.workloads.find((w: { name: string }) => w.name === "bare-metal int-loop");
    // 8 per round, 5 to set up (la = 2, ld, 2 li) and 4 to exit (li, la = 2, sd to tohost)
    expect(bare.instructions).toBe(2_000_000 * 8 + 5 + 4);
    expect(json.hostCost.wasmCompile.median).toBeGreaterThan(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
