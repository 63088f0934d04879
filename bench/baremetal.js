// Bare-metal instruction throughput: bench/programs' loops on hartvm (in-process, see
// inprocess.js) and on QEMU's spike board (HTIF exit), interleaved.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { measure } from "./proc.js";
import { row, stats } from "./stats.js";
import { patchedElf, runBareMetal } from "./inprocess.js";

// QEMU's time for a row is that of the program run LENGTHEN times longer minus that of the
// same program with 1 round (QEMU's start-up, ~0.1 s, which jitters by tens of ms), divided
// by LENGTHEN: at the rows' own size (40-190 ms of QEMU loop) the jitter was as large as the
// loop and a repetition could come out below zero. A --quick-size run is scaled from there to
// hartvm's round count (the loops are linear in rounds; set-up and exit are 9-10 instructions).
const LENGTHEN = 8;

export const BARE = [
  { name: "int-loop", elf: "bench/programs/bin/int-loop.elf", rounds: 40_000_000, quickRounds: 2_000_000 },
  { name: "mixed-loop", elf: "bench/programs/bin/mixed-loop.elf", rounds: 200_000, quickRounds: 10_000 },
  { name: "fmadd-loop", elf: "bench/programs/bin/fmadd-loop.elf", rounds: 20_000, quickRounds: 1_000 },
  { name: "jump-chain", elf: "bench/programs/bin/jump-chain.elf", rounds: 5_000_000, quickRounds: 250_000 },
  { name: "straight-run", elf: "bench/programs/bin/straight-run.elf", rounds: 100_000, quickRounds: 5_000 },
  // Code seen only a few hundred times: lengthening the run would warm it, and subtracting
  // the same program with 1 round would take QEMU's translation out, so QEMU's time here is
  // the run at `rounds` minus the start-up of a trivial program (int-loop with 1 round).
  { name: "cold-code", elf: "bench/programs/bin/cold-code.elf", rounds: 150, quickRounds: 150, cold: true },
];

export async function bareMetal(ctx, wasmModule, w, progress) {
  const original = readFileSync(join(ctx.root, w.elf));
  const rounds = ctx.quick ? w.quickRounds : w.rounds;
  const bytes = patchedElf(original, rounds, w.name);
  const hv = [];
  const qm = [];
  let instructions = 0;
  const file = join(ctx.tmp, `${w.name}.elf`);
  const base = join(ctx.tmp, `${w.name}-1.elf`);
  const qemuRounds = w.cold ? w.rounds : w.rounds * LENGTHEN;
  writeFileSync(file, patchedElf(original, qemuRounds, w.name));
  const trivial = w.cold ? BARE.find((b) => b.name === "int-loop") : w;
  const trivialElf = trivial === w ? original : readFileSync(join(ctx.root, trivial.elf));
  writeFileSync(base, patchedElf(trivialElf, 1, trivial.name));
  const scale = rounds / qemuRounds;
  const spike = (f) => measure(ctx.qemu, ["-M", "spike", "-bios", "none", "-nographic", "-kernel", f]);
  const starts = [];
  const fulls = [];
  for (let i = 0; i < ctx.reps; i++) {
    progress(`bare-metal ${w.name}: hartvm ${i + 1}/${ctx.reps}`);
    const r = await runBareMetal(wasmModule, bytes, w.name, ctx.jit);
    hv.push(r);
    instructions = r.instructions;
    if (ctx.qemu) {
      progress(`bare-metal ${w.name}: qemu ${i + 1}/${ctx.reps}`);
      starts.push(await spike(base));
      const full = await spike(file);
      if (full.status !== 0) throw new Error(`qemu ${w.name} exited with ${full.status}`);
      fulls.push(full);
    }
  }
  // Each long run minus QEMU's typical start-up (the median of the 1-round runs: one start-up
  // alone can be off by more than a short loop takes), then scaled to `rounds`.
  const startWall = stats(starts.map((s) => s.wall)).median;
  const startCpu = starts.some((s) => s.cpu === null) ? null : stats(starts.map((s) => s.cpu)).median;
  for (const full of fulls) {
    qm.push({
      wall: Math.max(0.0005, full.wall - startWall) * scale,
      cpu: full.cpu === null || startCpu === null ? null : Math.max(0.0005, full.cpu - startCpu) * scale,
    });
  }
  const r = row(`bare-metal ${w.name}`, "bare-metal", hv, qm, { instructions, rounds });
  r.hartvm.mips = instructions / r.hartvm.median / 1e6;
  if (r.qemu) {
    r.qemu.rounds = qemuRounds;
    r.qemu.mips = instructions / r.qemu.median / 1e6;
  }
  return r;
}
