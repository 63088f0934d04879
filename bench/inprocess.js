// The part of bench/ that uses hartvm's public API (dist/api.js) instead of its CLI:
// bare-metal programs run in this process, so that the run time excludes start-up and the
// retired-instruction count gives MIPS. (bench/snapshot.js uses the API too.)
import { createMachine } from "../dist/api.js";
import { parseElf } from "../dist/internal.js";

/** The ELF's bytes with its `iterations` word set to `rounds`. */
export function patchedElf(bytes, rounds, what) {
  const copy = new Uint8Array(bytes);
  const elf = parseElf(copy, what);
  const at = elf.symbols.get("iterations");
  const seg = elf.segments.find((s) => at >= s.paddr && at + 8n <= s.paddr + BigInt(s.data.length));
  if (!seg) throw new Error(`${what}: no initialised 'iterations' word`);
  const offset = seg.data.byteOffset + Number(at - seg.paddr);
  new DataView(copy.buffer).setBigUint64(offset, BigInt(rounds), true);
  return copy;
}

/**
 * Runs the ELF once on a fresh 64 MiB, 1-hart machine. `jit`: the CLI's --jit value.
 * Returns { wall, cpu (this process, all threads: includes background compiles), instructions }.
 */
export async function runBareMetal(wasmModule, elfBytes, what, jit) {
  const m = await createMachine({
    core: wasmModule, kernel: elfBytes, bios: "none", memory: "64M",
    jit: jit === "on" ? true : jit === "off" ? false : Number(jit),
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  m.start();
  const exit = await m.exited;
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (exit.status !== 0) throw new Error(`${what} exited with ${exit.status}`);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6, instructions: m.stats().instructions };
}
