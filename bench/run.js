#!/usr/bin/env node
// hartvm's benchmark: the same workloads on hartvm and (when installed) QEMU TCG, several
// repetitions each, printed as a table and written as JSON (schema: bench/README.md).
//
//   npm run bench                    full run
//   npm run bench -- --quick         one short repetition of everything (CI's smoke run)
//   options: --reps N  --no-qemu  --out FILE  --jit on|off|N (hartvm's translation tier, as its CLI flag)
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync, rmSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir, cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { createMachine } from "../dist/api.js";
import { parseElf } from "../dist/internal.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(ROOT, "bin", "hartvm.js");
const KERNEL = join(ROOT, "images", "default", "Image.gz");
const MARKER_INITRD = join(ROOT, "bench", "boot", "marker.cpio.gz");
const SUITE_INITRD = join(ROOT, "bench", "guest", "initramfs.cpio.gz");
const OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin";

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const quick = flag("--quick");
const reps = Number(option("--reps", quick ? 1 : 5));
const outFile = option("--out", join(ROOT, "bench", "results", "latest.json"));
const qemuBin = flag("--no-qemu") ? null : findOnPath("qemu-system-riscv64");
const jit = option("--jit", "on");
if (!/^(on|off|\d+)$/.test(jit)) {
  process.stderr.write(`bench: --jit takes on, off or a number of visits, got '${jit}'\n`);
  process.exit(2);
}
/** The same setting for in-process machines (Machine's `jit` option; undefined = its default). */
const machineJit = jit === "on" ? undefined : jit === "off" ? 0 : Number(jit);
const tmp = mkdtempSync(join(tmpdir(), "hartvm-bench-"));
const progress = (text) => process.stderr.write(`\r\x1b[K${text}`);

function findOnPath(cmd) {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { seconds: xs, median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1] };
};

/** Runs a command, returns wall seconds; throws unless its output contains `expect`. */
function timed(cmd, argv, expect, input = "") {
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { input, encoding: "utf8", maxBuffer: 64 << 20, timeout: 600_000 });
  const seconds = (performance.now() - t0) / 1000;
  const out = (r.stdout ?? "") + (r.stderr ?? "");
  if (!out.includes(expect)) throw new Error(`${cmd} ${argv.join(" ")}: no '${expect}' in its output (status ${r.status})\n${out.slice(-1500)}`);
  return { seconds, out };
}

// ---- (c) bare-metal instruction throughput, in-process ----

// `qemuRounds`: QEMU always runs the full-size program. A --quick-size run takes QEMU less time
// than the jitter of its own start-up (~0.1 s), so the subtraction below would be noise; its
// time is scaled to hartvm's round count instead (the loops are linear in rounds; set-up and
// exit are 9-10 instructions).
const BARE = [
  { name: "int-loop", elf: "bench/programs/bin/int-loop.elf", rounds: quick ? 2_000_000 : 40_000_000, qemuRounds: 40_000_000 },
  { name: "mixed-loop", elf: "bench/programs/bin/mixed-loop.elf", rounds: quick ? 10_000 : 200_000, qemuRounds: 200_000 },
];

/** The ELF's bytes with its `iterations` word set to `rounds`. */
function patchedElf(path, rounds) {
  const bytes = new Uint8Array(readFileSync(path));
  const elf = parseElf(bytes, path);
  const at = elf.symbols.get("iterations");
  const seg = elf.segments.find((s) => at >= s.paddr && at + 8n <= s.paddr + BigInt(s.data.length));
  if (!seg) throw new Error(`${path}: no initialised 'iterations' word`);
  const offset = seg.data.byteOffset + Number(at - seg.paddr);
  new DataView(bytes.buffer).setBigUint64(offset, BigInt(rounds), true);
  return bytes;
}

async function bareMetal(wasm, w) {
  const bytes = patchedElf(join(ROOT, w.elf), w.rounds);
  const seconds = [];
  let instructions = 0;
  for (let i = 0; i < reps; i++) {
    progress(`bare-metal ${w.name}: hartvm ${i + 1}/${reps}`);
    const m = await createMachine({ core: wasm, kernel: bytes, bios: "none", memory: "64M", jit: machineJit ?? true });
    const t0 = performance.now();
    m.start();
    const exit = await m.exited;
    seconds.push((performance.now() - t0) / 1000);
    if (exit.status !== 0) throw new Error(`${w.name} exited with ${exit.status}`);
    instructions = m.stats().instructions;
  }
  const hartvm = stats(seconds);
  hartvm.mips = instructions / hartvm.median / 1e6;
  let qemu = null;
  if (qemuBin) {
    const file = join(tmp, `${w.name}.elf`);
    const base = join(tmp, `${w.name}-1.elf`);
    writeFileSync(file, patchedElf(join(ROOT, w.elf), w.qemuRounds));
    writeFileSync(base, patchedElf(join(ROOT, w.elf), 1));
    const scale = w.rounds / w.qemuRounds;
    const q = (f) => spawnSync(qemuBin, ["-M", "spike", "-bios", "none", "-nographic", "-kernel", f], { stdio: "ignore", timeout: 600_000 });
    const runs = [];
    for (let i = 0; i < reps; i++) {
      progress(`bare-metal ${w.name}: qemu ${i + 1}/${reps}`);
      let t0 = performance.now();
      q(base);
      const startup = performance.now() - t0;
      t0 = performance.now();
      const r = q(file);
      if (r.status !== 0) throw new Error(`qemu ${w.name} exited with ${r.status}`);
      runs.push(Math.max(0.0005, (performance.now() - t0 - startup) / 1000) * scale); // QEMU's own start-up subtracted
    }
    qemu = stats(runs);
    qemu.rounds = w.qemuRounds;
    qemu.mips = instructions / qemu.median / 1e6;
  }
  return { name: `bare-metal ${w.name}`, kind: "bare-metal", instructions, rounds: w.rounds, reps, hartvm, qemu, ratio: qemu ? hartvm.median / qemu.median : null };
}

// ---- (a) boot to a userspace marker and power off; (b) the in-guest compute suite ----

function qemuLinux(image, initrd, append, smp = 1) {
  return [qemuBin, ["-M", "virt", "-m", "256M", "-smp", String(smp), "-nographic", "-bios", "default", "-kernel", image, "-initrd", initrd, "-append", append]];
}

function boot(name, hartvmArgs, initrd, expect, image) {
  const hv = [];
  const qm = [];
  for (let i = 0; i < reps; i++) {
    progress(`${name}: hartvm ${i + 1}/${reps}`);
    hv.push(timed(process.execPath, [CLI, "--kernel", KERNEL, "--initrd", initrd, "--append", "console=ttyS0", "--timeout", "300", "--jit", jit, ...hartvmArgs], expect).seconds);
    if (qemuBin) {
      progress(`${name}: qemu ${i + 1}/${reps}`);
      const [cmd, argv] = qemuLinux(image, initrd, "console=ttyS0");
      qm.push(timed(cmd, argv, expect).seconds);
    }
  }
  const hartvm = stats(hv);
  const qemu = qm.length ? stats(qm) : null;
  return { name, kind: "boot", reps, hartvm, qemu, ratio: qemu ? hartvm.median / qemu.median : null };
}

/** In-guest times from `BENCH <name> <seconds> <ok|FAIL>` lines. */
function guestTimes(out) {
  const times = {};
  for (const m of out.matchAll(/^BENCH (\S+) ([\d.]+) (\S+)/gm)) {
    if (m[3] !== "ok") throw new Error(`in-guest check failed: ${m[0]}`);
    times[m[1]] = Number(m[2]);
  }
  return times;
}

function computeSuite(image) {
  const append = quick ? "console=ttyS0 quiet bench.quick=1" : "console=ttyS0 quiet";
  const runs = { hartvm: [], qemu: [] };
  for (let i = 0; i < reps; i++) {
    progress(`compute suite: hartvm ${i + 1}/${reps}`);
    const h = timed(process.execPath, [CLI, "--kernel", KERNEL, "--initrd", SUITE_INITRD, "--append", append, "--timeout", "900", "--jit", jit], "BENCH-DONE");
    runs.hartvm.push({ wall: h.seconds, guest: guestTimes(h.out) });
    if (qemuBin) {
      progress(`compute suite: qemu ${i + 1}/${reps}`);
      const [cmd, argv] = qemuLinux(image, SUITE_INITRD, append);
      const q = timed(cmd, argv, "BENCH-DONE");
      runs.qemu.push({ wall: q.seconds, guest: guestTimes(q.out) });
    }
  }
  const rows = [];
  const names = Object.keys(runs.hartvm[0].guest);
  for (const n of [...names, "(whole run, wall)"]) {
    const pick = (r) => (n.startsWith("(") ? r.wall : r.guest[n]);
    const hartvm = stats(runs.hartvm.map(pick));
    const qemu = runs.qemu.length ? stats(runs.qemu.map(pick)) : null;
    rows.push({ name: `compute ${n}`, kind: "compute", reps, hartvm, qemu, ratio: qemu ? hartvm.median / qemu.median : null });
  }
  return rows;
}

// ---- (d) host cost: wasm compile time, memory beyond guest RAM ----

async function hostCost(wasmBytes) {
  const compile = [];
  for (let i = 0; i < Math.max(3, reps); i++) {
    const t0 = performance.now();
    await WebAssembly.compile(wasmBytes);
    compile.push((performance.now() - t0) / 1000);
  }
  // RSS beyond guest RAM, measured in a fresh process that boots the marker guest in-process.
  const probe = `
    import { readFileSync } from "node:fs";
    import { createMachine } from ${JSON.stringify(join(ROOT, "dist", "api.js"))};
    const ram = 256 << 20;
    const before = process.memoryUsage().rss;
    const m = await createMachine({ kernel: readFileSync(${JSON.stringify(KERNEL)}), initrd: readFileSync(${JSON.stringify(MARKER_INITRD)}),
      append: "console=ttyS0", memory: ram, timeoutMs: 300000 });
    m.start();
    await m.exited;
    const touched = process.memoryUsage().rss - before;
    console.log(JSON.stringify({ rssMiB: process.memoryUsage().rss / 2 ** 20, rssGrowthMiB: touched / 2 ** 20, guestRamMiB: ram / 2 ** 20 }));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", probe], { encoding: "utf8", timeout: 600_000 });
  if (r.status !== 0) throw new Error(`memory probe failed: ${r.stderr}`);
  const mem = JSON.parse(r.stdout.trim().split("\n").pop());
  return { wasmCompile: stats(compile), ...mem };
}

// ---- main ----

async function main() {
  const wasmBytes = readFileSync(join(ROOT, "build", "core.wasm"));
  const wasm = await WebAssembly.compile(wasmBytes);
  const image = join(tmp, "Image");
  writeFileSync(image, gunzipSync(readFileSync(KERNEL))); // QEMU loads the uncompressed Image
  const workloads = [];
  workloads.push(boot("boot to userspace, built-in SBI", [], MARKER_INITRD, "BENCH-USERSPACE", image));
  if (existsSync(OPENSBI)) workloads.push(boot("boot to userspace, OpenSBI fw_dynamic", ["--bios", OPENSBI], MARKER_INITRD, "BENCH-USERSPACE", image));
  if (existsSync(SUITE_INITRD)) workloads.push(...computeSuite(image));
  for (const w of BARE) workloads.push(await bareMetal(wasm, w));
  const host = await hostCost(wasmBytes);
  progress("");

  const result = {
    date: new Date().toISOString(),
    quick,
    jit,
    host: { node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, qemu: qemuBin ? qemuVersion() : null },
    workloads,
    hostCost: host,
  };
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(result, null, 2) + "\n");
  printTable(result);
  console.log(`\nJSON: ${outFile}`);
}

function qemuVersion() {
  return spawnSync(qemuBin, ["--version"], { encoding: "utf8" }).stdout.split("\n")[0];
}

function printTable(r) {
  const f = (x) => (x === null || x === undefined ? "-" : x.toFixed(3));
  const rows = [["workload", "reps", "hartvm median s", "min", "max", "qemu median s", "hartvm/qemu", "MIPS hartvm", "MIPS qemu"]];
  for (const w of r.workloads) {
    rows.push([w.name, String(w.reps), f(w.hartvm.median), f(w.hartvm.min), f(w.hartvm.max), f(w.qemu?.median),
      w.ratio === null ? "-" : w.ratio.toFixed(2) + "x", w.hartvm.mips ? w.hartvm.mips.toFixed(0) : "-", w.qemu?.mips ? w.qemu.mips.toFixed(0) : "-"]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
  const h = r.hostCost;
  console.log(`\nwasm compile: median ${(h.wasmCompile.median * 1000).toFixed(1)} ms; RSS after a 256 MiB guest booted: ${h.rssMiB.toFixed(0)} MiB (growth ${h.rssGrowthMiB.toFixed(0)} MiB for ${h.guestRamMiB} MiB of guest RAM)`);
  if (!r.host.qemu) console.log("QEMU not installed: no reference figures (apt-get install qemu-system-misc)");
}

main()
  .catch((e) => {
    process.stderr.write(`\nbench: ${e.stack ?? e}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(tmp, { recursive: true, force: true }));
