#!/usr/bin/env node
// hartvm's benchmark: the same workloads on hartvm and (when installed) QEMU TCG, several
// repetitions each, interleaved, printed as a table and written as JSON (schema: bench/README.md).
//
//   npm run bench                    full run
//   npm run bench -- --quick         one short repetition of everything (CI's smoke run)
//   options: --reps N  --no-qemu  --out FILE  --jit on|off|N (hartvm's translation tier, as its CLI flag)
//            --only boot|prompt|compute|bare-metal|snapshot (repeatable; host cost always runs)
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync, rmSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { tmpdir, cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { bootToUserspace, defaultGuestPrompt, computeSuite } from "./linux.js";
import { BARE, bareMetal } from "./baremetal.js";
import { wasmCompile, jitToPrompt, memory, memoryAtPrompt } from "./hostcost.js";
import { printTable } from "./table.js";
import { checkTargets, printTargets } from "./targets.js";
import { clearWorkloadEnvironment } from "./environment.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DEFAULT_GUEST = join(ROOT, "images", "default");
const MARKER = join(ROOT, "bench", "boot", "bench-marker.cpio.gz");
const SUITE_INITRD = join(ROOT, "bench", "guest", "initramfs.cpio.gz");
const OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin";

const USAGE = "usage: node bench/run.js [--quick] [--reps N] [--no-qemu] [--out FILE] [--jit on|off|N] [--only boot|prompt|compute|bare-metal|snapshot]...";
const KINDS = ["boot", "prompt", "compute", "bare-metal", "snapshot"];
let parsed;
try {
  parsed = parseArgs({
    options: {
      quick: { type: "boolean" }, "no-qemu": { type: "boolean" }, help: { type: "boolean" },
      reps: { type: "string" }, out: { type: "string" }, jit: { type: "string", default: "on" }, only: { type: "string", multiple: true },
    },
  }).values;
} catch (e) {
  process.stderr.write(`bench: ${e.message}\n${USAGE}\n`);
  process.exit(2);
}
if (parsed.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const only = parsed.only ?? [];
for (const k of only) {
  if (!KINDS.includes(k)) {
    process.stderr.write(`bench: --only takes ${KINDS.join(", ")}; got '${k}'\n`);
    process.exit(2);
  }
}
const wanted = (kind) => only.length === 0 || only.includes(kind);
const quick = parsed.quick === true;
const jit = parsed.jit;
if (!/^(on|off|\d+)$/.test(jit)) {
  process.stderr.write(`bench: --jit takes on, off or a number of visits, got '${jit}'\n`);
  process.exit(2);
}
const reps = Number(parsed.reps ?? (quick ? 1 : 5));
if (!Number.isInteger(reps) || reps < 1) {
  process.stderr.write(`bench: --reps takes a whole number from 1, got '${parsed.reps}'\n`);
  process.exit(2);
}
const outFile = parsed.out ?? join(ROOT, "bench", "results", "latest.json");
const progress = (text) => process.stderr.write(`\r\x1b[K${text}`);

function findOnPath(cmd) {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

const FIRMWARE = [
  { name: "built-in SBI", hartvm: [], qemu: ["-bios", "default"] },
  ...(existsSync(OPENSBI) ? [{ name: "OpenSBI fw_dynamic", hartvm: ["--bios", OPENSBI], qemu: ["-bios", OPENSBI] }] : []),
];

async function main() {
  const unsetEnv = clearWorkloadEnvironment();
  const tmp = mkdtempSync(join(tmpdir(), "hartvm-bench-"));
  try {
    const ctx = {
      root: ROOT,
      cli: join(ROOT, "bin", "hartvm.js"),
      kernel: join(DEFAULT_GUEST, "Image.gz"),
      // Both VMs boot the same uncompressed Image in the Linux workloads: QEMU's riscv loader
      // takes no gzip, and hartvm would otherwise inflate Image.gz first (35-55 ms here) for a
      // comparison of the guest's work. The default guest's prompt boots its own Image.gz.
      image: join(tmp, "Image"),
      wasmPath: join(ROOT, "build", "core.wasm"),
      qemu: parsed["no-qemu"] === true ? null : findOnPath("qemu-system-riscv64"),
      reps,
      quick, jit, tmp,
    };
    writeFileSync(ctx.image, gunzipSync(readFileSync(ctx.kernel)));
    // The default guest's initramfs (1.1 MB compressed) with the marker appended: the kernel
    // unpacks concatenated archives in turn; rdinit=/bench-marker runs the marker.
    const realistic = join(tmp, "default-plus-marker.cpio.gz");
    writeFileSync(realistic, Buffer.concat([readFileSync(join(DEFAULT_GUEST, "initramfs.cpio.gz")), readFileSync(MARKER)]));
    // The default guest boots its initramfs as a plain cpio (hartvm decompresses it on the
    // host, host-ts/assets.ts): QEMU gets the same archive.
    const plainInitrd = join(tmp, "default-initramfs.cpio");
    writeFileSync(plainInitrd, gunzipSync(readFileSync(join(DEFAULT_GUEST, "initramfs.cpio.gz"))));
    const guest = {
      initrd: plainInitrd,
      cmdline: JSON.parse(readFileSync(join(DEFAULT_GUEST, "manifest.json"), "utf8")).kernel_cmdline,
    };
    // --quick: every kind of workload once, with the built-in SBI only
    const firmware = quick ? FIRMWARE.slice(0, 1) : FIRMWARE;
    const load = { start: loadavg() };

    const workloads = [];
    if (wanted("boot")) for (const fw of firmware) workloads.push(await bootToUserspace(ctx, "boot to userspace (default initramfs + marker)", realistic, fw, progress));
    // the built-in SBI prompt runs double as the memory probe (host cost)
    const memorySamples = [];
    const probe = { read: memoryAtPrompt, samples: memorySamples };
    if (wanted("prompt")) for (const fw of firmware) workloads.push(await defaultGuestPrompt(ctx, guest, fw, progress, fw === FIRMWARE[0] ? probe : null));
    if (wanted("compute") && existsSync(SUITE_INITRD)) workloads.push(...(await computeSuite(ctx, SUITE_INITRD, progress)));
    if (wanted("bare-metal")) {
      const wasm = await WebAssembly.compile(readFileSync(ctx.wasmPath));
      for (const w of BARE) workloads.push(await bareMetal(ctx, wasm, w, progress));
    }
    // Snapshot, restore and fork costs run in a process of their own (RSS per fork is measured there).
    let snapshot = null;
    if (wanted("snapshot")) {
      progress("snapshot, restore and forks");
      const file = join(tmp, "snapshot.json");
      const r = spawnSync(process.execPath, [join(ROOT, "bench", "snapshot.js"), "--out", file, ...(quick ? ["--quick"] : [])], { encoding: "utf8", timeout: 900_000 });
      if (r.status !== 0) throw new Error(`bench/snapshot.js failed: ${r.stderr}`);
      snapshot = { ...JSON.parse(readFileSync(file, "utf8")), table: r.stdout.split("\n").filter((l) => l && !l.startsWith("JSON:")) };
    }
    const hostCost = { wasmCompile: wasmCompile(ctx, progress), jit: jitToPrompt(ctx, progress), memory: await memory(ctx, memorySamples, progress) };
    load.end = loadavg();
    progress("");

    const result = {
      date: new Date().toISOString(),
      quick,
      jit,
      host: { node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, qemu: ctx.qemu ? qemuVersion(ctx.qemu) : null, load, unsetEnv },
      workloads,
      snapshot,
      hostCost,
    };
    result.targets = checkTargets(result);
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, JSON.stringify(result, null, 2) + "\n");
    printTable(result);
    printTargets(result.targets);
    if (snapshot) console.log(`\n${snapshot.table.join("\n")}`);
    console.log(`\nJSON: ${outFile}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function qemuVersion(qemu) {
  return spawnSync(qemu, ["--version"], { encoding: "utf8" }).stdout.split("\n")[0];
}

main().catch((e) => {
  process.stderr.write(`\nbench: ${e.stack ?? e}\n`);
  process.exitCode = 1;
});
