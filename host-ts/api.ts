// hartvm's public API: everything a program in Node, Deno or a browser may use. Anything
// not exported here is internal and may change (DESIGN.md §10).
import { Machine } from "./machine.js";
import { Vm } from "./vm.js";
import { resolveConfig, type MachineConfig } from "./config.js";
import { coreWasmModule } from "./assets.js";
import { HartvmError } from "./errors.js";
import { describeBytes } from "./limits.js";

export { Machine } from "./machine.js";
export type { MachineStatus, ExitEvent, ExitReason, MachineEvents, MachineStats } from "./machine.js";
export type { MachineConfig, DriveConfig, Input } from "./config.js";
export type { MachineConsole, WaitForOptions, WaitForResult } from "./console.js";
export type { ExecOptions, ExecResult } from "./exec.js";
export type { JitStats } from "./jit/tier.js";
export type { BlockBackend } from "../devices/virtio/block-backend.js";
export { MemoryBlockBackend } from "../devices/virtio/block-backend.js";
export { HartvmError, type HartvmErrorCode } from "./errors.js";
export { LIMITS } from "./limits.js";
export { CORE_WASM_URL, DEFAULT_GUEST_URL } from "./assets.js";

export const VERSION = "0.2.0";

/**
 * A machine in the "created" state, its images loaded: call start() to run it. With no
 * configuration it boots the embedded default guest (Linux + busybox) with the CLI's
 * defaults (256 MiB, one hart, the built-in SBI).
 */
export async function createMachine(config: MachineConfig = {}): Promise<Machine> {
  const [wasm, resolved] = await Promise.all([coreWasmModule(config.core), resolveConfig(config)]);
  let machine: Machine | null = null;
  try {
    const vm = await Vm.create({
      wasm,
      ramBytes: resolved.ramBytes,
      harts: resolved.harts,
      output: (bytes) => machine!.output(bytes),
      log: (line) => machine!.log(line),
      disks: resolved.disks,
      noReboot: resolved.noReboot,
      jit: resolved.jitThreshold,
      jitSync: resolved.jitSync,
    }).catch((e: unknown) => {
      if (e instanceof RangeError && /memory/i.test(e.message)) {
        throw new HartvmError("limit", `cannot allocate ${describeBytes(resolved.ramBytes)} of guest RAM here (${e.message})`);
      }
      throw e;
    });
    vm.boot(resolved.images);
    machine = new Machine(vm, resolved);
    return machine;
  } catch (e) {
    for (const d of resolved.disks) d.backend.close();
    throw e;
  }
}
