// bench/targets.js: what a run says about issue 14's targets, from a result made up here.
import { it, expect } from "vitest";
import { checkTargets, printTargets, TARGETS } from "../bench/targets.js";

const side = (seconds: number[]) => {
  const s = [...seconds].sort((a, b) => a - b);
  return { seconds, median: s[s.length >> 1], min: s[0], max: s[s.length - 1], cpu: null };
};
const row = (name: string, kind: string, hartvm: number[], qemu: number[] | null) => {
  const h = side(hartvm);
  const q = qemu ? side(qemu) : null;
  return { name, kind, hartvm: h, qemu: q, ratio: q ? h.median / q.median : null };
};

const result = {
  workloads: [
    row("boot to userspace (default initramfs + marker), built-in SBI", "boot", [1.2, 1.4, 1.3], [1, 1, 1]),
    row("boot to userspace (default initramfs + marker), OpenSBI fw_dynamic", "boot", [1.6, 1.5, 1.7], [1, 1, 1]),
    row("default guest to its prompt, built-in SBI", "prompt", [1, 1, 1], [1, 1, 1]),
    // no QEMU row for the OpenSBI prompt: not measured
    row("default guest to its prompt, OpenSBI fw_dynamic", "prompt", [1, 1, 1], null),
    row("compute sha256", "compute", [1.1, 1.1, 1.1], [1, 1, 1]),
    row("compute matmul", "compute", [1.6, 1.6, 1.6], [1, 1, 1]),
    row("compute (whole run)", "compute", [1.2, 1.2, 1.2], [1, 1, 1]),
    // hartvm takes 0.8 of QEMU's time: 1.25x its MIPS
    row("bare-metal int-loop", "bare-metal", [0.08, 0.08, 0.08], [0.1, 0.1, 0.1]),
  ],
  hostCost: { wasmCompile: { median: 0.0042 }, memory: { ownMiB: 30 } },
};

const byName = (targets: ReturnType<typeof checkTargets>, name: string) => {
  const t = targets.find((x) => x.name === name);
  if (!t) throw new Error(`no target '${name}'`);
  return t;
};

it("judges each target by the run's medians and shows the per-pair range", () => {
  const t = checkTargets(result);
  expect(t.map((x) => x.name)).toEqual(TARGETS.map((x) => x.name));
  const builtin = byName(t, "boot to userspace, built-in SBI");
  expect(builtin.value).toBeCloseTo(1.3, 9);
  expect(builtin.met).toBe(true);
  expect(builtin.pairs).toEqual({ min: 1.2, max: 1.4 });
  const opensbi = byName(t, "boot to userspace, OpenSBI");
  expect(opensbi.value).toBeCloseTo(1.6, 9);
  expect(opensbi.met).toBe(false);
  expect(byName(t, "default guest to its prompt, OpenSBI")).toMatchObject({ value: null, met: null, pairs: null });
  // "every workload": the slowest one decides
  const slowest = byName(t, "compute suite, slowest workload");
  expect(slowest.workload).toBe("compute matmul");
  expect(slowest.met).toBe(false);
  expect(byName(t, "compute suite, whole run").met).toBe(true);
  const loop = byName(t, "tight loop, hartvm's MIPS ÷ QEMU's");
  expect(loop.value).toBeCloseTo(1.25, 9);
  expect(loop.met).toBe(true);
  const compile = byName(t, "wasm compile of core.wasm");
  expect(compile.value).toBeCloseTo(4.2, 9);
  expect(compile.met).toBe(false);
  const rss = byName(t, "RSS hartvm adds beyond guest RAM and Node");
  expect(rss.value).toBeCloseTo((30 * 2 ** 20) / 1e6, 9);
  expect(rss.met).toBe(true);
});

it("a run without QEMU or host costs measures no target and says so", () => {
  const t = checkTargets({ workloads: [row("compute (whole run)", "compute", [1, 1], null)], hostCost: {} });
  expect(t.every((x) => x.value === null && x.met === null)).toBe(true);
  const lines: string[] = [];
  printTargets(t, (l: string) => lines.push(l));
  expect(lines.filter((l) => l.endsWith("not measured in this run"))).toHaveLength(TARGETS.length);
});

it("prints the verdicts with the miss's size", () => {
  const lines: string[] = [];
  printTargets(checkTargets(result), (l: string) => lines.push(l));
  const text = lines.join("\n");
  expect(text).toMatch(/boot to userspace, OpenSBI\s+1\.60x\s+<= 1\.50x\s+MISSED by 6\.7%\s+\(pairs 1\.50x-1\.70x\)/);
  expect(text).toMatch(/boot to userspace, built-in SBI\s+1\.30x\s+<= 1\.50x\s+met/);
  expect(text).toMatch(/wasm compile of core\.wasm\s+4\.2 ms\s+<= 1\.0 ms\s+MISSED by 3\.2 ms/);
  expect(text).toMatch(/tight loop, hartvm's MIPS ÷ QEMU's\s+1\.25x\s+>= 1\.00x\s+met/);
});
