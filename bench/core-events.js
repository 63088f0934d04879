#!/usr/bin/env node
// What the core did, phase by phase: boots a guest on the profile core build
// (build/core.profile.wasm, which npm run build makes), which counts page walks (by leaf
// size and access), TLB flushes, decodings, traps, entries into and exits from compiled
// code, block-map probes and device accesses (core-as/events.ts), and prints the counts
// between console lines. Timings on a shared host move by tens of percent; these counts
// do not, and they show costs a timing cannot tell apart (every AMO walking the page
// table; two hot instructions taking turns in one decoded entry).
//
//   node bench/core-events.js                          the default guest, to its prompt
//   node bench/core-events.js --kernel Image --initrd rd.gz --append "..." \
//        --mark 'Unpacking initramfs' --mark 'Freeing initrd memory'
//   options: --bios FILE  --jit on|off|N  --json FILE  (--mark REGEX: a phase ends at the
//            first console line matching it, in order; without one, at the prompt or exit)
import { existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createMachine } from "../dist/api.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PROFILE_CORE = join(ROOT, "build", "core.profile.wasm");
const USAGE = "usage: node bench/core-events.js [--kernel F] [--initrd F] [--append S] [--bios F] [--mark REGEX]... [--jit on|off|N] [--json F]";

let opts;
try {
  opts = parseArgs({
    options: {
      kernel: { type: "string" }, initrd: { type: "string" }, append: { type: "string" }, bios: { type: "string" },
      mark: { type: "string", multiple: true, default: [] }, jit: { type: "string", default: "on" }, json: { type: "string" },
      help: { type: "boolean" },
    },
  }).values;
} catch (e) {
  process.stderr.write(`core-events: ${e.message}\n${USAGE}\n`);
  process.exit(2);
}
if (opts.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!existsSync(PROFILE_CORE)) {
  process.stderr.write(`core-events: ${PROFILE_CORE} is missing: run npm run build\n`);
  process.exit(2);
}
let marks;
try {
  marks = opts.mark.map((m) => ({ name: m, re: new RegExp(m) }));
} catch (e) {
  process.stderr.write(`core-events: --mark: ${e.message}\n`);
  process.exit(2);
}
const defaultGuest = opts.kernel === undefined;
if (marks.length === 0 && defaultGuest) marks.push({ name: "prompt", re: /root@hartvm:/ });
const jit = opts.jit === "on" ? true : opts.jit === "off" ? false : Number(opts.jit);
if (jit !== true && jit !== false && !(Number.isInteger(jit) && jit >= 1)) {
  process.stderr.write(`core-events: --jit takes on, off or a number of visits, got '${opts.jit}'\n`);
  process.exit(2);
}

const vm = await createMachine({
  core: PROFILE_CORE, jit,
  ...(defaultGuest ? {} : { kernel: opts.kernel, initrd: opts.initrd, append: opts.append }),
  ...(opts.bios ? { bios: opts.bios } : {}),
});
const started = performance.now();
const snapshot = (name) => {
  const s = vm.stats();
  return { name, ms: performance.now() - started, instructions: s.instructions, compiled: s.jit?.instructions ?? 0, events: s.events };
};
const points = [snapshot("start")];
vm.start();
for (const m of marks) {
  await vm.console.waitFor(m.re, { timeout: 600_000 });
  points.push(snapshot(m.name));
}
if (marks.length === 0) {
  await vm.exited;
  points.push(snapshot("exit"));
}
if (!points[0].events) throw new Error("the profile core build counted no events");

const phases = points.slice(1).map((p, i) => {
  const before = points[i];
  const events = Object.fromEntries(Object.entries(p.events).map(([k, v]) => [k, v - before.events[k]]));
  return { until: p.name, ms: p.ms - before.ms, instructions: p.instructions - before.instructions, compiled: p.compiled - before.compiled, events };
});

const fmt = (n) => n.toLocaleString("en-US");
const width = Math.max(14, ...phases.map((p) => p.until.length + 2));
const col = (s) => String(s).padStart(width);
const rows = [
  ["→ until", phases.map((p) => p.until)],
  ["wall ms", phases.map((p) => p.ms.toFixed(0))],
  ["instructions", phases.map((p) => fmt(p.instructions))],
  ["compiled %", phases.map((p) => (p.instructions > 0 ? (100 * p.compiled / p.instructions).toFixed(1) : "-"))],
  ...Object.keys(phases[0].events).map((k) => [k, phases.map((p) => fmt(p.events[k]))]),
];
for (const [label, cells] of rows) console.log(label.padEnd(16) + cells.map(col).join(""));
if (opts.json) writeFileSync(opts.json, JSON.stringify({ phases }, null, 1));
process.exit(0);
