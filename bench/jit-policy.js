#!/usr/bin/env node
// What a translation tier's policy would buy, before anyone builds it: boots a guest with
// the tier off on the profile core build (build/core.profile.wasm, which npm run build
// makes), records every landing (an instruction reached by a jump, a taken branch or a
// trap, and the straight run that follows it), then replays that record under each policy:
// compile an entry once its landings reach a threshold (optionally halving the counts every
// 2^decay instructions, so only code that is hot *now* gets there), a compiled entry's runs
// costing compiled time and everything else interpreted time. Per policy it prints the
// regions it would compile, the instructions left interpreted, and an estimate of the guest
// thread's time for each price of a region (--region-us).
//
// The model, checked against the real tier (2026-12-02, the bench's boot row at the default
// threshold, 10,000): 61 regions and 12.3 M instructions interpreted in the initramfs unpack
// against 73 and 12.9 M measured (core-events.js); a region covers its entry's runs only, so
// it overcounts regions where a loop has several landing points.
//
//   node bench/jit-policy.js                       the default guest, to its prompt
//   node bench/jit-policy.js --kernel Image --initrd rd.gz --append "..." --mark 'Unpacking initramfs' --mark 'Freeing initrd'
//   options: --bios FILE  --thresholds 10000,3000,1000  --decay 20 (log2 instructions; repeatable
//            comma list, "none" for no decay)  --region-us 700,150  --interp-ns 10  --compiled-ns 1.5
//            --delay N (instructions from queueing to installed code, default 50000)  --json FILE
import { writeFileSync } from "node:fs";
import { setInterpretedPcHook } from "../dist/internal.js";
import { guestCommandLine, phaseMarks, profiledMachine, refuse } from "./profile-guest.js";

const USAGE = "usage: node bench/jit-policy.js [--kernel F] [--initrd F] [--append S] [--bios F] [--mark REGEX]... [--thresholds N,...] [--decay L,...] [--region-us N,...] [--interp-ns N] [--compiled-ns N] [--delay N] [--json F]";
const command = guestCommandLine("jit-policy", USAGE, {
  mark: { type: "string", multiple: true, default: [] },
  thresholds: { type: "string", default: "10000,3000,1000" },
  decay: { type: "string", default: "none" },
  "region-us": { type: "string", default: "700,300,150" },
  "interp-ns": { type: "string", default: "10" },
  "compiled-ns": { type: "string", default: "1.5" },
  delay: { type: "string", default: "50000" },
});
const { opts } = command;
if (opts.jit !== "on") refuse("jit-policy", "--jit: the record is made with the tier off; policies are given with --thresholds and --decay");
const numbers = (name, text, ok) => {
  const xs = text.split(",").map((x) => (x === "none" ? null : Number(x)));
  if (xs.length === 0 || xs.some((x) => x !== null && !ok(x))) refuse("jit-policy", `--${name} takes a comma list of numbers, got '${text}'`);
  return xs;
};
const thresholds = numbers("thresholds", opts.thresholds, (x) => Number.isInteger(x) && x >= 1);
const decays = numbers("decay", opts.decay, (x) => Number.isInteger(x) && x >= 4 && x <= 40);
const regionUs = numbers("region-us", opts["region-us"], (x) => x >= 0);
const [interpNs] = numbers("interp-ns", opts["interp-ns"], (x) => x > 0);
const [compiledNs] = numbers("compiled-ns", opts["compiled-ns"], (x) => x > 0);
const [delay] = numbers("delay", opts.delay, (x) => Number.isInteger(x) && x >= 0);
const marks = phaseMarks("jit-policy", command);

// The record: landing i at entry ids[i] began a straight run of runs[i] instructions.
const entries = new Map(); // pc -> entry id
let capacity = 1 << 20;
let ids = new Int32Array(capacity);
let runs = new Int32Array(capacity);
let landings = 0;
let previous = -16;
let current = -1;
let run = 0;
function record(id, length) {
  if (landings === capacity) {
    capacity *= 2;
    const grownIds = new Int32Array(capacity), grownRuns = new Int32Array(capacity);
    grownIds.set(ids);
    grownRuns.set(runs);
    ids = grownIds;
    runs = grownRuns;
  }
  ids[landings] = id;
  runs[landings] = length;
  landings++;
}
setInterpretedPcHook((low, high) => {
  const pc = (high & 0xffff) * 2 ** 32 + low;
  const step = pc - previous;
  previous = pc;
  if (step === 2 || step === 4) { // sequential (a jump to the next instruction counts as one too: rare)
    run++;
    return;
  }
  if (current >= 0) record(current, run);
  let id = entries.get(pc);
  if (id === undefined) entries.set(pc, (id = entries.size));
  current = id;
  run = 1;
});

const vm = await profiledMachine({ ...command, jit: false });
vm.start();
const phases = []; // { name, end: landing index }
for (const m of marks) {
  await vm.console.waitFor(m.re, { timeout: 600_000 });
  phases.push({ name: m.name, end: landings });
}
if (marks.length === 0) {
  await vm.exited;
  phases.push({ name: "exit", end: landings });
}
if (vm.status !== "stopped") await vm.stop();
setInterpretedPcHook(null);
// What ran after the last mark, before the machine stopped, is left out.
const replayed = phases[phases.length - 1].end;

/** Replays the record: per phase, instructions interpreted and compiled, regions queued. */
function replay(threshold, decay) {
  const count = new Float64Array(entries.size);
  const epoch = new Float64Array(entries.size);
  const state = new Uint8Array(entries.size); // 0 counting, 1 queued, 2 compiled
  const queue = []; // [ready at instruction, id], in order
  let head = 0;
  let at = 0;
  const out = phases.map((p) => ({ name: p.name, interpreted: 0, compiled: 0, regions: 0 }));
  let phase = 0;
  for (let i = 0; i < replayed; i++) {
    while (phase < phases.length - 1 && i >= phases[phase].end) phase++;
    while (head < queue.length && queue[head][0] <= at) state[queue[head++][1]] = 2;
    const id = ids[i], length = runs[i];
    at += length;
    const p = out[phase];
    if (state[id] === 2) {
      p.compiled += length;
      continue;
    }
    p.interpreted += length;
    if (state[id] === 1) continue;
    // As the run loop counts: one a landing, 16 for each probe after a straight run of 64.
    let c = count[id];
    if (decay !== null) {
      const now = Math.floor(at / 2 ** decay);
      if (now > epoch[id]) {
        c /= 2 ** Math.min(now - epoch[id], 60);
        epoch[id] = now;
      }
    }
    c += 1 + 16 * Math.floor((length - 1) / 64);
    count[id] = c;
    if (c >= threshold) {
      state[id] = 1;
      p.regions++;
      queue.push([at + delay, id]);
    }
  }
  return out;
}

const results = [];
for (const threshold of thresholds) {
  for (const decay of decays) {
    const byPhase = replay(threshold, decay);
    const sum = (k) => byPhase.reduce((s, p) => s + p[k], 0);
    const estimates = regionUs.map((us) => ({ regionUs: us, ms: (sum("interpreted") * interpNs + sum("compiled") * compiledNs) / 1e6 + (sum("regions") * us) / 1e3 }));
    results.push({ threshold, decay, regions: sum("regions"), interpreted: sum("interpreted"), compiled: sum("compiled"), byPhase, estimates });
  }
}

const M = (n) => `${(n / 1e6).toFixed(1)} M`;
const total = results[0].interpreted + results[0].compiled;
console.log(`${M(total)} instructions, ${replayed} landings at ${entries.size} entries; estimates at ${interpNs} ns an interpreted and ${compiledNs} ns a compiled instruction`);
console.log(["threshold", "decay", "regions", "interpreted", ...regionUs.map((us) => `ms @${us}us`), ...(phases.length > 1 ? ["interpreted by phase"] : [])].join("  "));
for (const r of results) {
  console.log([
    String(r.threshold).padStart(9), String(r.decay === null ? "-" : `2^${r.decay}`).padStart(5), String(r.regions).padStart(7), M(r.interpreted).padStart(11),
    ...r.estimates.map((e, i) => e.ms.toFixed(0).padStart(`ms @${regionUs[i]}us`.length)),
    ...(phases.length > 1 ? [r.byPhase.map((p) => `→ ${p.name} ${M(p.interpreted)}`).join(", ")] : []),
  ].join("  "));
}
if (opts.json) writeFileSync(opts.json, JSON.stringify({ instructions: total, landings: replayed, entries: entries.size, interpNs, compiledNs, delay, phases: phases.map((p) => p.name), results }, null, 1));
process.exit(0);
