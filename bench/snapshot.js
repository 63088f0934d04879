#!/usr/bin/env node
// Snapshot, restore and fork costs of the default guest at its prompt (256 MiB), in one
// run: snapshot size and time; restore → the answer to `echo hi`; extra RSS per live fork;
// guests restored to a shell prompt per minute (one process per core). Prints a table and
// writes bench/results/snapshot.json. Usage: node bench/snapshot.js [--quick] [--out FILE]
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawn } from "node:child_process";
import { cpus } from "node:os";
import { createMachine, restoreMachine } from "../dist/api.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const out = args.includes("--out") ? args[args.indexOf("--out") + 1] : join(ROOT, "bench", "results", "snapshot.json");
const REPS = quick ? 2 : 5;
const FORKS = quick ? 10 : 100;
const THROUGHPUT_S = quick ? 3 : 20;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const stats = (xs) => ({ values: xs, median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

async function guestAtPrompt() {
  const vm = await createMachine();
  vm.start();
  await vm.console.waitFor(/root@hartvm.*# $/, { timeout: 300_000 });
  await vm.exec("echo hi");
  return vm;
}

/** A child process restoring the snapshot again and again for `seconds`; prints how many reached the prompt. */
const WORKER = `
  import { readFileSync } from "node:fs";
  import { restoreMachine } from ${JSON.stringify(join(ROOT, "dist", "api.js"))};
  const bytes = new Uint8Array(readFileSync(process.argv[1]));
  const until = performance.now() + Number(process.argv[2]) * 1000;
  let n = 0;
  while (performance.now() < until) {
    const vm = await restoreMachine(bytes);
    vm.start();
    const r = await vm.exec("echo ready");
    if (r.output === "ready\\n") n++;
    await vm.stop();
  }
  console.log(n);`;

async function main() {
  const parent = await guestAtPrompt();
  // Snapshot: size and time (the parent runs on between them).
  const snapMs = [];
  let snap;
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    snap = await parent.snapshot();
    snapMs.push(performance.now() - t);
  }
  await parent.stop();

  // Restore → echo: each time from a fresh copy of the bytes (checked and decoded anew), and again from the same bytes.
  const restoreCold = [], restoreWarm = [], restoreCpu = [];
  for (let i = 0; i < REPS; i++) {
    for (const [bytes, into] of [[snap.slice(), restoreCold], [snap, restoreWarm]]) {
      const c = cpuMs();
      const t = performance.now();
      const vm = await restoreMachine(bytes);
      vm.start();
      const r = await vm.exec("echo hi");
      into.push(performance.now() - t);
      if (into === restoreCold) restoreCpu.push(cpuMs() - c);
      if (r.output !== "hi\n") throw new Error(`echo answered ${JSON.stringify(r)}`);
      await vm.stop();
    }
  }

  // Forks alive at once, each answering echo: RSS per fork.
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const live = [];
  for (let i = 0; i < FORKS; i++) {
    const vm = await restoreMachine(snap);
    vm.start();
    const r = await vm.exec("echo hi");
    if (r.output !== "hi\n") throw new Error(`fork ${i} answered ${JSON.stringify(r)}`);
    await vm.pause();
    live.push(vm);
  }
  global.gc?.();
  const rssPerFork = (process.memoryUsage().rss - rssBefore) / FORKS / 2 ** 20;
  await Promise.all(live.map((vm) => vm.stop()));

  // Guests to a prompt per minute: one process per core, each restoring in a loop.
  const file = join(ROOT, "bench", "results", ".snapshot-bench.snap");
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, snap);
  const workers = cpus().length;
  const counts = await Promise.all(Array.from({ length: workers }, () => new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--input-type=module", "-e", WORKER, file, String(THROUGHPUT_S)], { stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    p.stdout.on("data", (d) => (text += d));
    p.on("exit", (code) => (code === 0 ? resolve(Number(text.trim())) : reject(new Error(`worker exited ${code}`))));
  })));
  const perMinute = (counts.reduce((a, b) => a + b, 0) / THROUGHPUT_S) * 60;

  const result = {
    date: new Date().toISOString(), quick, host: { node: process.version, cpu: cpus()[0]?.model, cores: workers },
    guest: "default guest at its prompt, 256 MiB",
    snapshotBytes: snap.length,
    snapshotMs: stats(snapMs),
    restoreToEchoMs: { fromNewBytes: stats(restoreCold), fromSameBytes: stats(restoreWarm), cpuMsFromNewBytes: stats(restoreCpu) },
    forks: { count: FORKS, extraRssMiBPerFork: rssPerFork },
    guestsPerMinute: { value: perMinute, processes: workers, seconds: THROUGHPUT_S },
    targets: { restoreToEchoMs: 50, snapshotBytes: 8 * 2 ** 20, snapshotMs: 300, extraRssMiBPerFork: 8, guestsPerMinute: 1000 },
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
  const row = (name, value, target, unit, ok) => console.log(`${name.padEnd(44)} ${value.padStart(12)} ${unit.padEnd(6)} target ${target.padStart(7)}  ${ok ? "met" : "MISSED"}`);
  console.log(`snapshot workloads (${REPS} reps, medians; ${result.host.cpu}, ${workers} cores)`);
  row("snapshot size", (snap.length / 2 ** 20).toFixed(2), "≤ 8", "MiB", snap.length <= 8 * 2 ** 20);
  row("snapshot time", median(snapMs).toFixed(0), "≤ 300", "ms", median(snapMs) <= 300);
  row("restore → echo hi (new bytes)", median(restoreCold).toFixed(1), "≤ 50", "ms", median(restoreCold) <= 50);
  row("restore → echo hi (same bytes again)", median(restoreWarm).toFixed(1), "≤ 50", "ms", median(restoreWarm) <= 50);
  row(`extra RSS per live fork (${FORKS} forks)`, rssPerFork.toFixed(2), "≤ 8", "MiB", rssPerFork <= 8);
  row(`guests to a prompt per minute (${workers} procs)`, perMinute.toFixed(0), "≥ 1000", "/min", perMinute >= 1000);
  console.log(`JSON: ${out}`);
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
