// hartvm's public API: everything a program in Node, Deno or a browser may use. Anything
// not exported here is internal and may change (DESIGN.md §10).
import type { Machine } from "./machine.js";
import { resolveConfig, type MachineConfig, type Input } from "./config.js";
import { coreWasmModule, coreBuildId } from "./assets.js";
import { assembleMachine } from "./assemble.js";
import { readInput } from "./platform/files.js";
import type { RestoreOptions } from "./snapshot/restore.js";

export { Machine } from "./machine.js";
export type { MachineStatus, ExitEvent, ExitReason, MachineEvents, MachineStats } from "./machine.js";
export type { MachineConfig, DriveConfig, ShareConfig, Input } from "./config.js";
export type { FsBackend } from "../devices/fs/backend.js";
export { MemoryFs } from "../devices/fs/memory-backend.js";
export type { MachineConsole, WaitForOptions, WaitForResult } from "./console.js";
export type { ExecOptions, ExecResult } from "./exec.js";
export type { JitStats } from "./jit/tier.js";
export type { CoreEvents, CoreEventName } from "./core-events.js";
export type { RestoreOptions } from "./snapshot/restore.js";
export type { BlockBackend } from "../devices/virtio/block-backend.js";
export { MemoryBlockBackend } from "../devices/virtio/block-backend.js";
export { HartvmError, type HartvmErrorCode } from "./errors.js";
export { LIMITS } from "./limits.js";
export { CORE_WASM_URL, DEFAULT_GUEST_URL } from "./assets.js";

export { VERSION } from "./version.js";

/**
 * A machine in the "created" state, its images loaded: call start() to run it. With no
 * configuration it boots the embedded default guest (Linux + busybox) with the CLI's
 * defaults (256 MiB, one hart, the built-in SBI).
 */
export async function createMachine(config: MachineConfig = {}): Promise<Machine> {
  const [wasm, resolved] = await Promise.all([coreWasmModule(config.core), resolveConfig(config)]);
  return assembleMachine(wasm, () => coreBuildId(wasm), resolved, (vm) => vm.boot(resolved.images));
}

/**
 * A machine that continues where a snapshot (Machine.snapshot()) was taken: "created",
 * start() it. The same bytes may be restored many times; their RAM is then shared until
 * each machine touches it.
 */
export async function restoreMachine(snapshot: Uint8Array | Input, options: RestoreOptions = {}): Promise<Machine> {
  const [wasm, { machineFromState, parsedSnapshot }] = await Promise.all([coreWasmModule(options.core), import("./snapshot/restore.js")]);
  const bytes = snapshot instanceof Uint8Array ? snapshot : await readInput(snapshot, "snapshot", 2 ** 32);
  return machineFromState(await parsedSnapshot(bytes, await coreBuildId(wasm)), options, wasm);
}

// Fleets: machines of one thread taking turns by weight, many guests per worker (docs/FLEET.md).
export { CpuScheduler, type CpuSchedulerOptions } from "./cpu-scheduler.js";
export { createFleet } from "./fleet/fleet.js";
export type { Fleet, FleetOptions, FleetJob, FleetFile, FleetResult, FleetEndReason, FleetJobStats, FleetCounters, PerGuestOptions, MapOptions } from "./fleet/types.js";
