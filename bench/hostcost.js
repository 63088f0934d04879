// What hartvm costs the host besides guest time: compiling core.wasm, the translation
// tier's work on the guest's thread, and the memory a process holds beyond the guest's RAM.
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { measure } from "./proc.js";
import { stats } from "./stats.js";

/**
 * WebAssembly.compile of core.wasm, each in a fresh Node process (within one process V8
 * reuses a module compiled from the same bytes, which would time a cache hit). CPU time
 * includes V8's background compile threads.
 */
export function wasmCompile(ctx, progress) {
  const script = `
    import { readFileSync } from "node:fs";
    const bytes = readFileSync(${JSON.stringify(ctx.wasmPath)});
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await WebAssembly.compile(bytes);
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    console.log(JSON.stringify({ wall, cpu: (cpu.user + cpu.system) / 1e6 }));`;
  const runs = [];
  for (let i = 0; i < Math.max(3, ctx.reps); i++) {
    progress(`host cost: wasm compile ${i + 1}`);
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`wasm compile probe failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout));
  }
  const out = stats(runs.map((r) => r.wall));
  out.cpu = stats(runs.map((r) => r.cpu));
  out.bytes = readFileSync(ctx.wasmPath).length;
  return out;
}

/**
 * The translation tier's cost on the thread that runs the guest, from createMachine() of the
 * default guest to its shell prompt, each in a fresh Node process (the translator's
 * JavaScript starts cold there, as in every CLI run): translating guest code to wasm, and
 * compiling and instantiating modules in place; with the regions and modules that took, the
 * share of the guest's instructions that ran in compiled code, and the time to the prompt.
 * Null with the tier off.
 */
export function jitToPrompt(ctx, progress) {
  if (ctx.jit === "off") return null;
  const jit = ctx.jit === "on" ? true : Number(ctx.jit);
  const script = `
    const { createMachine } = await import(${JSON.stringify(pathToFileURL(join(ctx.root, "dist", "api.js")).href)});
    const t0 = performance.now();
    const vm = await createMachine({ jit: ${JSON.stringify(jit)} });
    vm.start();
    await vm.console.waitFor(/root@hartvm:/, { timeout: 120000 });
    const wall = (performance.now() - t0) / 1000;
    const s = vm.stats();
    console.log(JSON.stringify({ wall, jit: s.jit, instructions: s.instructions }));
    process.exit(0);`;
  const runs = [];
  for (let i = 0; i < Math.max(3, ctx.reps); i++) {
    progress(`host cost: translation tier to the prompt ${i + 1}`);
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 300_000 });
    if (r.status !== 0) throw new Error(`translation tier probe failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout.trim().split("\n").pop()));
  }
  const med = (f) => stats(runs.map(f)).median;
  return {
    toPrompt: med((r) => r.wall),
    translateMs: med((r) => r.jit.translateMs),
    inPlaceMs: med((r) => r.jit.inPlaceMs),
    regions: med((r) => r.jit.blocks),
    modules: med((r) => r.jit.modules),
    compiledShare: med((r) => r.jit.instructions / r.instructions),
    reps: runs.length,
  };
}

const MIB = 1024; // smaps and status count kB

/** RSS, peak RSS and the resident part of the wasm linear memory (guest RAM lives there), MiB. */
function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"))[1]);
  // The linear memory is the largest anonymous read-write mapping (V8 reserves it with guard
  // regions around, which are not readable and not resident).
  let linear = { size: 0, rss: 0 };
  let cur = null;
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const head = line.match(/^[0-9a-f]+-[0-9a-f]+ (\S+) \S+ \S+ \S+\s*(.*)$/);
    if (head) {
      cur = head[1] === "rw-p" && head[2] === "" ? { size: 0, rss: 0 } : null;
      continue;
    }
    const field = cur && line.match(/^(Size|Rss):\s+(\d+) kB/);
    if (field) {
      cur[field[1] === "Size" ? "size" : "rss"] = Number(field[2]);
      if (field[1] === "Rss" && cur.size > linear.size) linear = cur;
    }
  }
  return { rss: kb("VmRSS") / MIB, peak: kb("VmHWM") / MIB, linearSize: linear.size / MIB, linearResident: linear.rss / MIB };
}

/** What `memory` reads of a hartvm process at the default guest's prompt (null without /proc). */
export function memoryAtPrompt(pid) {
  try {
    const m = memoryOf(pid);
    return { ...m, beyond: m.rss - m.linearResident };
  } catch {
    return null;
  }
}

/**
 * The memory of hartvm's CLI running the default guest (256 MiB of RAM, the CLI's default),
 * read at its shell prompt (the process idles there until it is killed): RSS, the resident
 * guest memory, and what lies beyond it; for scale, the RSS of a Node process that does
 * nothing. `samples`: memoryAtPrompt() readings taken by the prompt workload; without any,
 * this boots for its own. Linux only (/proc); null elsewhere.
 */
export async function memory(ctx, samples, progress) {
  const runs = [...samples];
  for (let i = 0; samples.length === 0 && i < Math.min(3, ctx.reps); i++) {
    progress(`host cost: memory ${i + 1}`);
    const r = await measure(process.execPath, [ctx.cli, "--timeout", "300", "--jit", ctx.jit], {
      watch: { prompt: /root@hartvm:/ }, stopAt: "prompt", expect: "prompt", probe: { at: "prompt", read: memoryAtPrompt },
    });
    runs.push(r.events.prompt.probe);
  }
  if (runs.some((r) => !r)) return null;
  const node = spawnSync(process.execPath, ["-e", "console.log(process.memoryUsage().rss)"], { encoding: "utf8" });
  const nodeBaselineMiB = Number(node.stdout) / 2 ** 20;
  const med = (key) => stats(runs.map((r) => r[key])).median;
  return {
    guestRamMiB: 256,
    rssMiB: med("rss"),
    peakRssMiB: med("peak"),
    wasmMemoryMiB: med("linearSize"),
    guestResidentMiB: med("linearResident"),
    beyondGuestMiB: med("beyond"),
    nodeBaselineMiB,
    ownMiB: med("beyond") - nodeBaselineMiB,
  };
}
