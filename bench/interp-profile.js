#!/usr/bin/env node
// Where the interpreter spends its instructions, by guest function: boots a guest on the
// profile core build (build/core.profile.wasm, which npm run build makes), which reports the pc of every
// instruction it interprets, and prints the functions with the most interpreted
// instructions and how often their pcs ran. A pc interpreted more often than the
// translation tier's threshold is code that should have been compiled and was not (this
// found the kernel's blake2s_compress and copy_page_range loops); below it, warm code.
//
//   node bench/interp-profile.js                       the default guest, to its prompt
//   node bench/interp-profile.js --kernel Image --initrd rd.gz --append "..." --until 'REGEX'
//   node bench/interp-profile.js ... --from 'Unpacking initramfs' --until 'Freeing initrd'   one phase
//   options: --symbols FILE (kallsyms or System.map; the default guest's come from its own
//            /proc/kallsyms)  --bios FILE  --jit on|off|N  --top N  --json FILE
import { readFileSync, writeFileSync } from "node:fs";
import { setInterpretedPcHook, DEFAULT_JIT_THRESHOLD } from "../dist/internal.js";
import { guestCommandLine, profiledMachine } from "./profile-guest.js";

const USAGE = "usage: node bench/interp-profile.js [--kernel F] [--initrd F] [--append S] [--bios F] [--from REGEX] [--until REGEX] [--symbols F] [--jit on|off|N] [--top N] [--json F]";
const command = guestCommandLine("interp-profile", USAGE, {
  from: { type: "string" }, until: { type: "string" }, symbols: { type: "string" }, top: { type: "string", default: "25" },
});
const { opts, defaultGuest, jit } = command;
const until = opts.until !== undefined ? new RegExp(opts.until) : defaultGuest ? /root@hartvm:/ : null;
const threshold = jit === true ? DEFAULT_JIT_THRESHOLD : jit === false ? Infinity : jit;

/**
 * Interpreted executions per pc. Keys keep the pc's low 48 bits (exact in a double; the bits
 * above are copies of bit 47 or 38 in every RISC-V virtual address scheme but Sv57).
 */
const counts = new Map();
const key = (high, low) => (high & 0xffff) * 2 ** 32 + low;
let profiling = opts.from === undefined; // with --from, counting starts at that console line
setInterpretedPcHook((low, high) => {
  if (!profiling) return;
  const pc = key(high, low);
  counts.set(pc, (counts.get(pc) ?? 0) + 1);
});

const vm = await profiledMachine(command);
vm.start();
let before = 0;
if (opts.from !== undefined) {
  await vm.console.waitFor(new RegExp(opts.from), { timeout: 600_000 });
  before = vm.stats().instructions;
  profiling = true;
}
if (until) await vm.console.waitFor(until, { timeout: 600_000 });
else await vm.exited;
profiling = false;
const stats = vm.stats();
const ran = stats.instructions - before; // in the window counted

const symbols = opts.symbols ? readFileSync(opts.symbols, "utf8") : defaultGuest ? (await vm.exec("cat /proc/kallsyms", { timeout: 120_000 })).output : "";
const table = parseSymbols(symbols);
if (vm.status !== "stopped") await vm.stop();

// per function: interpreted instructions, pcs, the most any pc ran interpreted
const byFunction = new Map();
let interpreted = 0;
for (const [pc, n] of counts) {
  interpreted += n;
  const name = symbolOf(table, pc);
  const f = byFunction.get(name) ?? { name, instructions: 0, pcs: 0, maxPerPc: 0 };
  f.instructions += n;
  f.pcs++;
  f.maxPerPc = Math.max(f.maxPerPc, n);
  byFunction.set(name, f);
}
const BUCKETS = [10, 100, 1_000, 3_000, 10_000, 30_000, Infinity];
const byRuns = BUCKETS.map((most) => ({ most, instructions: 0, pcs: 0 }));
for (const n of counts.values()) {
  const b = byRuns.find((x) => n <= x.most);
  b.instructions += n;
  b.pcs++;
}
const top = [...byFunction.values()].sort((a, b) => b.instructions - a.instructions).slice(0, Number(opts.top));
const overThreshold = [...byFunction.values()].filter((f) => f.maxPerPc > threshold).sort((a, b) => b.instructions - a.instructions);

const M = (n) => `${(n / 1e6).toFixed(2)} M`;
console.log(`${M(ran)} instructions, ${M(interpreted)} interpreted (${pct(interpreted, ran)}), at ${counts.size} pcs`);
console.log("\ninterpreted instructions by how often their pc ran interpreted:");
let last = 0;
for (const b of byRuns) {
  console.log(`  ${String(last + 1).padStart(6)} - ${String(b.most === Infinity ? "" : b.most).padEnd(6)} ${M(b.instructions).padStart(9)}  ${pct(b.instructions, interpreted).padStart(4)}  ${b.pcs} pcs`);
  last = b.most;
}
console.log(`\nfunctions with the most interpreted instructions (top ${top.length}):`);
for (const f of top) console.log(`  ${M(f.instructions).padStart(9)} ${pct(f.instructions, interpreted).padStart(4)}  ${String(f.pcs).padStart(5)} pcs  at most ${String(f.maxPerPc).padStart(7)} a pc  ${f.name}`);
if (!Number.isFinite(threshold)) console.log("\nthe translation tier is off: everything ran interpreted");
else if (overThreshold.length === 0) console.log(`\nno pc ran interpreted more than the threshold (${threshold})`);
else console.log(`\nfunctions with a pc interpreted more often than the threshold (${threshold}): ${overThreshold.map((f) => `${f.name} (${f.maxPerPc})`).join(", ")}`);
if (opts.json) writeFileSync(opts.json, JSON.stringify({ instructions: ran, interpreted, pcs: counts.size, threshold: Number.isFinite(threshold) ? threshold : null, byRuns, functions: [...byFunction.values()].sort((a, b) => b.instructions - a.instructions) }, null, 1));
process.exit(0);

function pct(a, b) { return `${b > 0 ? Math.round((a / b) * 100) : 0}%`; }

/** Text symbols of a kallsyms or System.map file ("address type name"), by address. */
function parseSymbols(text) {
  const out = [];
  for (const line of text.split("\n")) {
    const m = /^([0-9a-fA-F]+)\s+([tTwW])\s+(\S+)/.exec(line);
    if (m) {
      const address = BigInt(`0x${m[1]}`);
      out.push([key(Number((address >> 32n) & 0xffffn), Number(address & 0xffffffffn)), m[3]]);
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** The function a pc lies in ("user" below the first kernel symbol, hex buckets with none). */
function symbolOf(syms, pc) {
  if (syms.length === 0) return `0x${(Math.floor(pc / 256) * 256).toString(16)}`;
  if (pc < syms[0][0]) return "(below the kernel: user space or firmware)";
  let lo = 0, hi = syms.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (syms[mid][0] <= pc) lo = mid;
    else hi = mid - 1;
  }
  return syms[lo][1];
}
