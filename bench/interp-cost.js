#!/usr/bin/env node
// What one interpreted instruction costs the host, in host instructions: runs a bare-metal
// program with the translation tier off under valgrind's cachegrind, at two round counts,
// and divides the difference in host instructions by the difference in guest instructions
// (start-up and the machine's set-up cancel out). Unlike a timing it is the same on every
// run and every machine of one kind, so a change to the run loop is measured to the
// instruction: this found TurboFan spilling the run loop's locals every instruction
// (113 host instructions per guest instruction, 72 after).
// The branch figures come from cachegrind's simple predictor model: a guide to where
// mispredictions are, not what a real CPU does.
//
//   node bench/interp-cost.js [--program mixed-loop] [--rounds 1000,20000] [--jit off|N] [--json FILE]
// --jit N turns the translation tier on with threshold N: one no code reaches (say 1e9,
// with rounds small enough that no landing count leaves its decoded entry) measures what
// counting landings costs the interpreter.
// Needs valgrind (Debian's package). V8 runs with --no-liftoff, so the loop is measured as
// TurboFan compiles it (the code it runs once warm).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const USAGE = "usage: node bench/interp-cost.js [--program NAME] [--rounds A,B] [--jit off|N] [--json FILE]";

let opts;
try {
  opts = parseArgs({
    options: {
      program: { type: "string", default: "mixed-loop" },
      rounds: { type: "string", default: "1000,20000" },
      jit: { type: "string", default: "off" },
      json: { type: "string" },
      help: { type: "boolean" },
    },
  }).values;
} catch (e) {
  fail(`${e.message}\n${USAGE}`);
}
if (opts.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const elf = join(ROOT, "bench", "programs", "bin", `${opts.program}.elf`);
if (!existsSync(elf)) fail(`no program ${elf}`);
const rounds = opts.rounds.split(",").map(Number);
if (rounds.length !== 2 || !rounds.every((n) => Number.isInteger(n) && n > 0) || rounds[0] >= rounds[1]) {
  fail(`--rounds wants two whole numbers, the first smaller: got '${opts.rounds}'`);
}
if (opts.jit !== "off" && !/^\d+$/.test(opts.jit)) fail(`--jit wants off or a threshold: got '${opts.jit}'`);
if (spawnSync("valgrind", ["--version"]).status !== 0) fail("valgrind is not installed (apt-get install valgrind)");

// The guest run, in a process of its own under valgrind: prints the instructions it retired.
const runner = `
  import { readFileSync } from "node:fs";
  const { patchedElf, runBareMetal } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "bench", "inprocess.js")).href)});
  const wasm = await WebAssembly.compile(readFileSync(${JSON.stringify(join(ROOT, "build", "core.wasm"))}));
  const elf = patchedElf(readFileSync(${JSON.stringify(elf)}), Number(process.argv[1]), "program");
  const r = await runBareMetal(wasm, elf, "program", ${JSON.stringify(opts.jit)});
  console.log(JSON.stringify({ instructions: r.instructions }));`;

const runs = rounds.map((n) => measure(n));
const guest = runs[1].guest - runs[0].guest;
const per = (k) => (runs[1][k] - runs[0][k]) / guest;
const result = {
  program: opts.program,
  rounds,
  jit: opts.jit,
  guestInstructions: guest,
  hostInstructionsPerInstruction: per("host"),
  condMispredictsPerInstruction: per("cond"),
  indirectMispredictsPerInstruction: per("indirect"),
};
console.log(`${opts.program}, translation tier ${opts.jit === "off" ? "off" : `on at threshold ${opts.jit}`}, ${guest} guest instructions between the two runs:`);
console.log(`  ${result.hostInstructionsPerInstruction.toFixed(1)} host instructions per interpreted instruction`);
console.log(`  mispredicts per instruction (cachegrind's model): ${result.condMispredictsPerInstruction.toFixed(3)} conditional, ${result.indirectMispredictsPerInstruction.toFixed(3)} indirect`);
if (opts.json) writeFileSync(opts.json, JSON.stringify(result, null, 1));

function measure(n) {
  const r = spawnSync("valgrind", [
    "--tool=cachegrind", "--cache-sim=no", "--branch-sim=yes", "--cachegrind-out-file=/dev/null",
    process.execPath, "--no-liftoff", "--input-type=module", "-e", runner, String(n),
  ], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) fail(`valgrind run failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  const count = (re) => {
    const m = r.stderr.match(re);
    if (!m) fail(`no ${re} in cachegrind's summary:\n${r.stderr.slice(-2000)}`);
    return Number(m[1].replaceAll(",", ""));
  };
  return {
    guest: JSON.parse(r.stdout.trim().split("\n").pop()).instructions,
    host: count(/I\s+refs:\s+([\d,]+)/),
    cond: count(/Mispredicts:\s+[\d,]+\s+\(\s*([\d,]+) cond/),
    indirect: count(/Mispredicts:\s+[\d,]+\s+\(\s*[\d,]+ cond \+\s*([\d,]+) ind/),
  };
}

function fail(message) {
  process.stderr.write(`interp-cost: ${message}\n`);
  process.exit(2);
}
