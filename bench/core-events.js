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
import { writeFileSync } from "node:fs";
import { guestCommandLine, phaseMarks, profiledMachine } from "./profile-guest.js";

const USAGE = "usage: node bench/core-events.js [--kernel F] [--initrd F] [--append S] [--bios F] [--mark REGEX]... [--jit on|off|N] [--json F]";
const command = guestCommandLine("core-events", USAGE, { mark: { type: "string", multiple: true, default: [] } });
const { opts } = command;
const marks = phaseMarks("core-events", command);

const vm = await profiledMachine(command);
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
