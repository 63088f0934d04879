// Building a Machine from a resolved configuration: the engine, then either a fresh boot or
// a saved state (prepare), shared by createMachine, restoreMachine and fork.
import { Machine } from "./machine.js";
import { Vm } from "./vm.js";
import type { ResolvedConfig } from "./config.js";
import { HartvmError } from "./errors.js";
import { describeBytes } from "./limits.js";

export async function assembleMachine(wasm: WebAssembly.Module, coreBuild: () => Promise<string>, resolved: ResolvedConfig, prepare: (vm: Vm) => void): Promise<Machine> {
  let machine: Machine | null = null;
  try {
    const vm = await Vm.create({
      wasm,
      ramBytes: resolved.ramBytes,
      harts: resolved.harts,
      output: (bytes) => machine!.output(bytes),
      log: (line) => machine!.log(line),
      disks: resolved.disks,
      shares: resolved.shares,
      virtioConsole: resolved.virtioConsole ? { output: (bytes) => machine!.hvcOutput(bytes) } : undefined,
      noReboot: resolved.noReboot,
      virtioLegacy: resolved.virtioLegacy,
      jit: resolved.jitThreshold,
      jitSync: resolved.jitSync,
      deterministic: resolved.deterministic ?? undefined,
    }).catch((e: unknown) => {
      if (e instanceof RangeError && /memory/i.test(e.message)) {
        throw new HartvmError("limit", `cannot allocate ${describeBytes(resolved.ramBytes)} of guest RAM here (${e.message})`);
      }
      throw e;
    });
    prepare(vm);
    machine = new Machine(vm, resolved, coreBuild);
    return machine;
  } catch (e) {
    for (const d of resolved.disks) d.backend.close();
    for (const s of resolved.shares) s.backend.close?.();
    throw e;
  }
}
