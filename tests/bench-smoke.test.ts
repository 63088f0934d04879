// The benchmark harness must keep working: one quick run (no speed asserted), its JSON checked.
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TARGETS } from "../bench/targets.js";

interface Side { seconds: number[]; median: number; cpu: { median: number } | null }
interface Row { name: string; kind: string; hartvm: Side; qemu: Side | null; phases?: { name: string; hartvm: Side }[]; instructions?: number }

it("npm run bench -- --quick produces the table and the JSON", () => {
  const dir = mkdtempSync(join(tmpdir(), "hartvm-bench-"));
  try {
    const out = join(dir, "latest.json");
    // A shell's NODE_EXTRA_CA_CERTS (Node reads it at every start) is not the workloads' to pay.
    const r = spawnSync(process.execPath, ["bench/run.js", "--quick", "--no-qemu", "--out", out], {
      cwd: join(__dirname, ".."), encoding: "utf8", timeout: 600_000, env: { ...process.env, NODE_EXTRA_CA_CERTS: "/dev/null" },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^unset for the workloads: NODE_EXTRA_CA_CERTS/m);
    expect(r.stdout).toMatch(/^workload\s+reps\s+hartvm s\s+min\s+max\s+CPU s/m);
    const json = JSON.parse(readFileSync(out, "utf8"));
    expect(json.quick).toBe(true);
    expect(json.host.unsetEnv).toEqual(["NODE_EXTRA_CA_CERTS"]);
    const rows = json.workloads as Row[];
    const byName = (name: string): Row => {
      const w = rows.find((x) => x.name === name);
      if (!w) throw new Error(`no workload '${name}' in ${rows.map((x) => x.name).join(", ")}`);
      return w;
    };
    for (const w of rows) {
      expect(w.hartvm.median, w.name).toBeGreaterThan(0);
      // CPU time beside wall time (Linux: bash's time, /proc); per compute workload it can
      // round to 0 (10 ms ticks), never be missing
      if (w.kind === "compute") expect(w.hartvm.cpu?.median, w.name).toBeGreaterThanOrEqual(0);
      else expect(w.hartvm.cpu?.median, w.name).toBeGreaterThan(0);
      expect(w.qemu).toBeNull();
    }
    // the kernel's own phases account for the whole boot, each one stamped
    const boot = byName("boot to userspace (default initramfs + marker), built-in SBI");
    expect(boot.phases?.map((p) => p.name)).toHaveLength(6);
    const phaseSum = boot.phases!.reduce((s, p) => s + p.hartvm.median, 0);
    expect(phaseSum).toBeCloseTo(boot.hartvm.median, 6);
    expect(boot.phases!.find((p) => p.name.startsWith("unpack initramfs"))!.hartvm.median).toBeGreaterThan(0);
    const prompt = byName("default guest to its prompt, built-in SBI");
    expect(prompt.phases!.reduce((s, p) => s + p.hartvm.median, 0)).toBeCloseTo(prompt.hartvm.median, 6);
    expect(byName("compute matmul").hartvm.median).toBeGreaterThan(0);
    // 8 per round, 5 to set up (la = 2, ld, 2 li) and 4 to exit (li, la = 2, sd to tohost)
    expect(byName("bare-metal int-loop").instructions).toBe(2_000_000 * 8 + 5 + 4);
    // 150 rounds of 32,768 generated instructions, the counted branch and the jump back (not
    // after the last round); 5 to set up, 4 to exit
    expect(byName("bare-metal cold-code").instructions).toBe(150 * 32_770 + 149 + 5 + 4);
    expect(json.hostCost.wasmCompile.median).toBeGreaterThan(0);
    // the default guest's boot compiles code, translated and compiled on the guest's thread
    const jit = json.hostCost.jit;
    expect(jit.regions).toBeGreaterThan(0);
    expect(jit.modules).toBeGreaterThan(0);
    expect(jit.translateMs).toBeGreaterThan(0);
    expect(jit.inPlaceMs).toBeGreaterThan(0);
    expect(jit.translateMs + jit.inPlaceMs).toBeLessThan(jit.toPrompt * 1000);
    // Some of the boot runs compiled, not all of it (firmware and cold kernel paths are interpreted).
    expect(jit.compiledShare).toBeGreaterThan(0);
    expect(jit.compiledShare).toBeLessThan(1);
    expect(r.stdout).toMatch(/translation tier on the guest's thread/);
    const mem = json.hostCost.memory;
    expect(mem.guestRamMiB).toBe(256);
    expect(mem.guestResidentMiB).toBeGreaterThan(1); // the booted kernel touched guest RAM
    expect(mem.guestResidentMiB).toBeLessThanOrEqual(mem.wasmMemoryMiB);
    expect(mem.beyondGuestMiB).toBeCloseTo(mem.rssMiB - mem.guestResidentMiB, 6);
    // Without QEMU only the host-cost targets have a figure; the table says which were not measured.
    const targets = json.targets as { name: string; value: number | null; met: boolean | null }[];
    expect(targets.find((t) => t.name === "wasm compile of core.wasm")?.value).toBeCloseTo(json.hostCost.wasmCompile.median * 1000, 9);
    expect(targets.find((t) => t.name === "boot to userspace, built-in SBI")).toMatchObject({ value: null, met: null });
    expect(r.stdout).toMatch(/^targets \(issue 14/m);
    // Every ratio target finds its row by name: the quick run has all but the OpenSBI ones.
    for (const t of TARGETS.filter((x) => x.ratioOf && !/OpenSBI/.test(x.name))) {
      expect(rows.some((w) => t.ratioOf!(w)), t.name).toBe(true);
    }
    expect(r.stdout).toMatch(/^ {2}boot to userspace, built-in SBI\s+-\s+<= 1\.50x\s+not measured in this run$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("refuses an option it does not know instead of running everything", () => {
  for (const args of [["--bogus"], ["--only", "nope"], ["--reps", "0"], ["--jit", "fast"], ["stray"]]) {
    const r = spawnSync(process.execPath, ["bench/run.js", ...args], { cwd: join(__dirname, ".."), encoding: "utf8", timeout: 30_000 });
    expect(r.status, args.join(" ")).toBe(2);
    expect(r.stderr).toMatch(/^bench: /);
  }
  const help = spawnSync(process.execPath, ["bench/run.js", "--help"], { cwd: join(__dirname, ".."), encoding: "utf8", timeout: 30_000 });
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/^usage: node bench\/run.js/);
});

it("bench/interp-profile.js names the guest functions the interpreter ran", () => {
  const r = spawnSync(process.execPath, ["bench/interp-profile.js", "--top", "5"], { cwd: join(__dirname, ".."), encoding: "utf8", timeout: 300_000 });
  expect(r.status, r.stderr).toBe(0);
  const m = /^([\d.]+) M instructions, ([\d.]+) M interpreted \((\d+)%\), at (\d+) pcs/.exec(r.stdout);
  expect(m, r.stdout).not.toBeNull();
  expect(Number(m![2])).toBeGreaterThan(1);
  expect(Number(m![2])).toBeLessThan(Number(m![1]));
  // Symbols from the default guest's /proc/kallsyms: the top functions are kernel names, not addresses.
  const top = r.stdout.split("functions with the most interpreted instructions")[1].split("\n").slice(1, 6);
  expect(top.filter((l) => /pcs {2}at most +\d+ a pc {2}[a-z_]/.test(l)).length).toBeGreaterThanOrEqual(3);
});

it("bench/core-events.js counts what the core did between console lines (here: to exit)", () => {
  const dir = mkdtempSync(join(tmpdir(), "hartvm-core-events-"));
  try {
    const out = join(dir, "events.json");
    const r = spawnSync(process.execPath, ["bench/core-events.js", "--kernel", "bench/programs/bin/int-loop.elf", "--bios", "none", "--json", out], { cwd: join(__dirname, ".."), encoding: "utf8", timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const { phases } = JSON.parse(readFileSync(out, "utf8"));
    expect(phases.map((p: { until: string }) => p.until)).toEqual(["exit"]);
    const [exit] = phases;
    // 40 million rounds of 8 instructions, 9 of set-up and exit
    expect(exit.instructions).toBe(40_000_000 * 8 + 9);
    // The loop is interpreted until it is hot, then runs compiled; M-mode has no page walks.
    expect(exit.events.interpreted).toBeGreaterThan(1000);
    expect(exit.events.interpreted + exit.compiled).toBe(exit.instructions);
    expect(exit.events.regionEntries).toBeGreaterThan(0);
    expect(exit.events.walks).toBe(0);
    expect(r.stdout).toMatch(/^→ until +exit\n/);
    const bad = spawnSync(process.execPath, ["bench/core-events.js", "--mark", "("], { cwd: join(__dirname, ".."), encoding: "utf8" });
    expect(bad.status).toBe(2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("bench/interp-cost.js counts the host instructions of an interpreted instruction under cachegrind", () => {
  const dir = mkdtempSync(join(tmpdir(), "hartvm-interp-cost-"));
  try {
    const out = join(dir, "cost.json");
    const r = spawnSync(process.execPath, ["bench/interp-cost.js", "--rounds", "100,2000", "--json", out], { cwd: join(__dirname, ".."), encoding: "utf8", timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const cost = JSON.parse(readFileSync(out, "utf8"));
    // mixed-loop retires 965 instructions a round (and 10 of set-up, which cancel out)
    expect(cost.guestInstructions).toBe(1900 * 965);
    // Under 30 host instructions an interpreted instruction is not being counted. The loop
    // costs 71-75 on Node 20 (78-79 with both cores busy: the host loop's timed work grows
    // with wall time), 113 while TurboFan spilled its locals every instruction: 95 catches
    // a return of those spills, or of anything as costly, on the hit path.
    expect(cost.hostInstructionsPerInstruction).toBeGreaterThan(30);
    expect(cost.hostInstructionsPerInstruction).toBeLessThan(95);
    expect(r.stdout).toMatch(/host instructions per interpreted instruction/);
    const bad = spawnSync(process.execPath, ["bench/interp-cost.js", "--rounds", "9,3"], { cwd: join(__dirname, ".."), encoding: "utf8" });
    expect(bad.status).toBe(2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("bench/jit-policy.js replays the default guest's landings under each threshold", () => {
  const dir = mkdtempSync(join(tmpdir(), "hartvm-policy-"));
  try {
    const out = join(dir, "policy.json");
    const r = spawnSync(process.execPath, ["bench/jit-policy.js", "--thresholds", "10000,1000", "--region-us", "700,150", "--json", out], { cwd: join(__dirname, ".."), encoding: "utf8", timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^threshold\s+decay\s+regions\s+interpreted\s+ms @700us\s+ms @150us$/m);
    const json = JSON.parse(readFileSync(out, "utf8"));
    const [high, low] = json.results as { threshold: number; regions: number; interpreted: number; compiled: number; estimates: { ms: number }[] }[];
    expect(json.instructions).toBeGreaterThan(10_000_000); // the default guest to its prompt
    for (const p of [high, low]) expect(p.interpreted + p.compiled).toBe(json.instructions);
    // A lower threshold compiles more entries and leaves fewer instructions interpreted.
    expect(high.regions).toBeGreaterThan(0);
    expect(low.regions).toBeGreaterThan(high.regions);
    expect(low.interpreted).toBeLessThan(high.interpreted);
    // A cheaper region makes every policy's estimate smaller.
    for (const p of [high, low]) expect(p.estimates[1].ms).toBeLessThan(p.estimates[0].ms);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
