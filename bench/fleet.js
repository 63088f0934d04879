#!/usr/bin/env node
// Fleet throughput: jobs per minute and job latency for one fixed job (`uname -a; sha256sum
// /bin/busybox`) in a fresh guest per job, four ways in one run, repetitions interleaved:
//   hartvm-fleet   createFleet from a snapshot at the prompt (worker threads, guests restored per job)
//   hartvm-cold    a hartvm process per job that boots the default guest (as QEMU below)
//   qemu-cold      a qemu-system-riscv64 process per job, cold boot of the same kernel/initramfs
//   qemu-loadvm    a QEMU process per job started with -loadvm from a qcow2 internal snapshot
//                  (one qcow2 per parallel lane: -snapshot hides internal snapshots)
// Rate: jobs/min with `lanes` jobs at once (per-process methods) or the fleet's default
// concurrency; CPU seconds per job (this process's threads, or the reaped children's).
// Latency: an open-loop run at half the measured rate, p50/p99 from arrival to result.
//
//   node bench/fleet.js [--jobs N] [--reps N] [--latency-jobs N] [--workers N] [--guests N]
//                       [--only a,b] [--no-qemu] [--quick] [--job CMD] [--out FILE]
// Needs `npm run build` (dist/); QEMU rows need qemu-system-misc and qemu-utils (qemu-img).
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync, rmSync, copyFileSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { tmpdir, cpus, loadavg } from "node:os";
import { clearWorkloadEnvironment } from "./environment.js";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { createConnection } from "node:net";
import { createFleet } from "../dist/api.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(ROOT, "bin", "hartvm.js");
const GUEST = join(ROOT, "images", "default");
const FIXED_JOB = "uname -a; sha256sum /bin/busybox";
const PROMPT = /root@hartvm:[^\n]*# $/;

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const quick = flag("--quick");
/** --job CMD measures another job (its output is then only required to end with status 0). */
const JOB = option("--job", FIXED_JOB);
const JOBS = Number(option("--jobs", quick ? 4 : 40));
const REPS = Number(option("--reps", quick ? 1 : 3));
const LATENCY_JOBS = Number(option("--latency-jobs", quick ? 0 : 40));
const WORKERS = Number(option("--workers", cpus().length));
const GUESTS = Number(option("--guests", 4));
const LANES = cpus().length;
/** qcow2 copies for qemu-loadvm: one per QEMU running at once (an image is locked by its QEMU). */
const LOADVM_IMAGES = 12;
const outFile = option("--out", join(ROOT, "bench", "results", "fleet.json"));
const qemuBin = flag("--no-qemu") ? null : which("qemu-system-riscv64");
const qemuImg = qemuBin ? which("qemu-img") : null;
const only = option("--only", null)?.split(",");
const tmp = mkdtempSync(join(tmpdir(), "hartvm-fleet-bench-"));
const log = (text) => process.stderr.write(`${text}\n`);

function which(cmd) {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** CPU seconds of this process's threads, and of its children that have ended (/proc: utime, stime, cutime, cstime). */
function cpuSeconds() {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const tick = 100; // USER_HZ
  return { self: (Number(f[11]) + Number(f[12])) / tick, children: (Number(f[13]) + Number(f[14])) / tick };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? null : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/** The job's output is right: uname's line and busybox's hash (checked equal across methods). */
const hashes = new Set();
function checkOutput(out) {
  if (JOB !== FIXED_JOB) return;
  // Kernel messages may come between the lines on a loaded host ("hrtimer: interrupt took ...").
  const m = /^([0-9a-f]{64}) {2}\/bin\/busybox\r?$/m.exec(out);
  if (!m || !/^Linux hartvm .* riscv64 GNU\/Linux\r?$/m.test(out)) throw new Error(`unexpected job output: ${JSON.stringify(out.slice(-300))}`);
  hashes.add(m[1]);
}

// ---- a guest per process (hartvm CLI, QEMU): prompt, the job between markers, poweroff ----

let seq = 0;
/** Starts `cmd`, types the job once the guest is ready, resolves at its result (`resultMs`) and at the process's end (`exited`). */
function processJob(cmd, argv, { waitPrompt }) {
  const id = ++seq;
  const t0 = performance.now();
  const p = spawn(cmd, argv, { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let sent = false;
  let result = null;
  const send = () => {
    sent = true;
    p.stdin.write(`stty -echo; echo '@@'B${id}@@; ${JOB}; echo '@@'E${id}:$?@@\n`);
  };
  const exited = new Promise((resolve, reject) => {
    const killer = setTimeout(() => p.kill("SIGKILL"), 300_000);
    p.on("close", () => {
      clearTimeout(killer);
      if (!result) reject(new Error(`${cmd} ended without a result: ${JSON.stringify(out.slice(-400))}`));
      else resolve(performance.now() - t0);
    });
  });
  const done = new Promise((resolve) => {
    p.stdout.on("data", (b) => {
      out += b;
      if (!sent && waitPrompt && PROMPT.test(out)) send();
      const m = new RegExp(`@@B${id}@@\\r?\\n([\\s\\S]*)@@E${id}:(\\d+)@@`).exec(out);
      if (m && !result) {
        result = { resultMs: performance.now() - t0, output: m[1], status: Number(m[2]) };
        p.stdin.write("poweroff -f\n");
        resolve(result);
      }
    });
    p.stderr.on("data", (b) => (out += b));
  });
  p.stdin.on("error", () => {});
  if (!waitPrompt) send(); // a loaded snapshot sits at its prompt already
  return { done, exited };
}

async function lanes(count, jobs, runOne) {
  let next = 0;
  const latencies = [];
  await Promise.all(Array.from({ length: count }, async () => {
    while (next < jobs) {
      next++;
      latencies.push(await runOne());
    }
  }));
  return latencies;
}

// ---- the methods ----

const image = join(tmp, "Image");
const cmdline = JSON.parse(readFileSync(join(GUEST, "manifest.json"), "utf8")).kernel_cmdline;
const qemuBase = () => ["-M", "virt", "-m", "256M", "-smp", "1", "-display", "none", "-serial", "stdio", "-monitor", "none", "-bios", "default",
  "-kernel", image, "-initrd", join(GUEST, "initramfs.cpio.gz"), "-append", cmdline];

/** `argsOf(slot)`: the process's arguments; `slots` of them can run at once (QEMU's images), each freed when its process ends. */
function perProcess(name, argsOf, opts, slots = Infinity) {
  const free = Array.from({ length: Math.min(slots, 64) }, (_, i) => i);
  const start = () => {
    const slot = free.shift();
    if (slot === undefined) throw new Error(`${name}: more jobs at once than its ${slots} images`);
    const j = processJob(opts.cmd, argsOf(slot), opts);
    j.exited.finally(() => free.push(slot)).catch(() => {});
    return j;
  };
  return {
    name,
    async rep(jobs) {
      return lanes(LANES, jobs, async () => {
        const j = start();
        const r = await j.done;
        checkOutput(r.output);
        await j.exited;
        return r.resultMs;
      });
    },
    async arrival() {
      const j = start();
      const r = await j.done;
      checkOutput(r.output);
      return { wait: j.exited };
    },
  };
}

async function qemuLoadvmImages() {
  const base = join(tmp, "lane0.qcow2");
  spawnSync(qemuImg, ["create", "-f", "qcow2", base, "16M"], { stdio: "ignore" });
  const sock = join(tmp, "mon.sock");
  const p = spawn(qemuBin, [...qemuBase(), "-monitor", `unix:${sock},server,nowait`, "-drive", `if=none,id=d0,format=qcow2,file=${base}`, "-device", "virtio-blk-device,drive=d0"], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  await new Promise((resolve, reject) => {
    p.stdout.on("data", (b) => { out += b; if (PROMPT.test(out)) resolve(); });
    p.on("close", () => reject(new Error(`QEMU ended before its prompt: ${out.slice(-300)}`)));
  });
  p.stdin.write("stty -echo\n");
  await new Promise((r) => setTimeout(r, 500));
  const mon = createConnection(sock);
  let said = "";
  mon.on("data", (b) => (said += b));
  const command = async (text) => {
    said = "";
    mon.write(text + "\n");
    while (!/\r\n\(qemu\) $/.test(said)) await new Promise((r) => setTimeout(r, 50));
    return said;
  };
  while (!said.includes("(qemu)")) await new Promise((r) => setTimeout(r, 50));
  const saved = await command("savevm job");
  if (/Error|error/.test(saved)) throw new Error(`savevm failed: ${saved}`);
  mon.write("quit\n");
  await new Promise((r) => p.on("close", r));
  mon.destroy();
  for (let i = 1; i < LOADVM_IMAGES; i++) copyFileSync(base, join(tmp, `lane${i}.qcow2`));
}

function loadvmArgs(lane) {
  return [...qemuBase(), "-loadvm", "job", "-drive", `if=none,id=d0,format=qcow2,file=${join(tmp, `lane${lane}.qcow2`)}`, "-device", "virtio-blk-device,drive=d0"];
}

async function main() {
  const unsetEnv = clearWorkloadEnvironment();
  writeFileSync(image, gunzipSync(readFileSync(join(GUEST, "Image.gz"))));
  const setup = {};
  const methods = [];

  let t = performance.now();
  const fleet = await createFleet({ workers: WORKERS, guestsPerWorker: GUESTS });
  setup.fleetStartSeconds = (performance.now() - t) / 1000; // boot + snapshot + workers
  await fleet.map(Array.from({ length: WORKERS * GUESTS }, () => ({ run: "true" }))); // workers' first compile of core.wasm
  methods.push({
    name: "hartvm-fleet",
    async rep(jobs) {
      const lat = [];
      await fleet.map(Array.from({ length: jobs }, () => ({ run: JOB })), {
        onResult: (r) => {
          if (r.reason !== "exit" || r.status !== 0) throw new Error(`fleet job failed: ${JSON.stringify(r)}`);
          checkOutput(r.output);
          lat.push(r.stats.wallMs);
        },
      });
      return lat;
    },
    async arrival() {
      const r = await fleet.run({ run: JOB });
      checkOutput(r.output);
      return {};
    },
  });
  methods.push(perProcess("hartvm-cold", () => [CLI], { cmd: process.execPath, waitPrompt: true }));
  if (qemuBin) {
    methods.push(perProcess("qemu-cold", () => qemuBase(), { cmd: qemuBin, waitPrompt: true }));
    if (qemuImg) {
      t = performance.now();
      try {
        await qemuLoadvmImages();
        setup.qemuSavevmSeconds = (performance.now() - t) / 1000;
        methods.push(perProcess("qemu-loadvm", loadvmArgs, { cmd: qemuBin, waitPrompt: false }, LOADVM_IMAGES));
      } catch (e) {
        setup.qemuLoadvmError = e.message;
        log(`qemu-loadvm skipped: ${e.message}`);
      }
    }
  }
  const chosen = methods.filter((m) => !only || only.includes(m.name));
  const results = new Map(chosen.map((m) => [m.name, { reps: [], latencyAtHalfRate: null }]));

  for (let rep = 0; rep < REPS; rep++) {
    for (const m of chosen) { // interleaved: A B C D, A B C D, ...
      const c0 = cpuSeconds();
      const w0 = performance.now();
      const lat = await m.rep(JOBS);
      const wall = (performance.now() - w0) / 1000;
      const c1 = cpuSeconds();
      const cpu = c1.self - c0.self + (c1.children - c0.children);
      const r = { jobs: JOBS, wallSeconds: wall, cpuSeconds: cpu, jobsPerMinute: (JOBS / wall) * 60, cpuMsPerJob: (cpu / JOBS) * 1000, jobLatencyMs: { p50: percentile(lat, 50), p99: percentile(lat, 99) }, loadavg: loadavg()[0] };
      results.get(m.name).reps.push(r);
      log(`${m.name} rep ${rep + 1}: ${r.jobsPerMinute.toFixed(0)} jobs/min, ${r.cpuMsPerJob.toFixed(0)} ms CPU/job, load ${r.loadavg.toFixed(1)}`);
    }
  }

  if (LATENCY_JOBS > 0) {
    for (const m of chosen) {
      const rate = median(results.get(m.name).reps.map((r) => r.jobsPerMinute)) / 2;
      const gap = 60_000 / rate;
      const lat = [];
      const waits = [];
      const start = performance.now();
      await Promise.all(Array.from({ length: LATENCY_JOBS }, async (_, i) => {
        const due = start + i * gap;
        await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        const a = await m.arrival();
        lat.push(performance.now() - due);
        if (a.wait) waits.push(a.wait);
      }));
      await Promise.allSettled(waits);
      results.get(m.name).latencyAtHalfRate = { jobsPerMinute: rate, jobs: LATENCY_JOBS, p50Ms: percentile(lat, 50), p99Ms: percentile(lat, 99) };
      log(`${m.name} at ${rate.toFixed(0)} jobs/min: p50 ${percentile(lat, 50).toFixed(0)} ms, p99 ${percentile(lat, 99).toFixed(0)} ms`);
    }
  }
  await fleet.close();

  if (JOB === FIXED_JOB && hashes.size !== 1) throw new Error(`the methods disagree on busybox's hash: ${[...hashes].join(", ")}`);
  const summary = [...results].map(([name, r]) => ({
    name,
    jobsPerMinute: median(r.reps.map((x) => x.jobsPerMinute)),
    cpuMsPerJob: median(r.reps.map((x) => x.cpuMsPerJob)),
    jobsPerCpuMinute: 60_000 / median(r.reps.map((x) => x.cpuMsPerJob)),
    latencyAtHalfRate: r.latencyAtHalfRate,
    reps: r.reps,
  }));
  const report = {
    date: new Date().toISOString(), job: JOB, quick,
    host: { node: process.version, cpu: cpus()[0]?.model, cores: cpus().length, qemu: qemuBin ? spawnSync(qemuBin, ["--version"], { encoding: "utf8" }).stdout.split("\n")[0] : null, unsetEnv },
    settings: { jobsPerRep: JOBS, reps: REPS, workers: WORKERS, guestsPerWorker: GUESTS, lanes: LANES },
    setup, methods: summary,
  };
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(report, null, 2) + "\n");
  console.log("method          jobs/min (median)  CPU ms/job  jobs per CPU-min  p50 ms @ half rate  p99 ms @ half rate");
  for (const s of summary) {
    const l = s.latencyAtHalfRate;
    console.log(`${s.name.padEnd(16)}${s.jobsPerMinute.toFixed(0).padStart(17)}${s.cpuMsPerJob.toFixed(0).padStart(12)}${s.jobsPerCpuMinute.toFixed(0).padStart(18)}${(l ? l.p50Ms.toFixed(0) : "-").padStart(20)}${(l ? l.p99Ms.toFixed(0) : "-").padStart(20)}`);
  }
  console.log(`(load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores; JSON in ${outFile})`);
}

main()
  .catch((e) => {
    process.stderr.write(`bench/fleet: ${e.stack ?? e}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(tmp, { recursive: true, force: true }));
