// One fleet job in a fresh guest: restore the fleet's snapshot (RAM shared with the other
// guests of this thread until touched), put the files in, run the commands, stop the guest.
// Whatever the guest does ends in a result, never in an exception. Portable: it runs in a
// worker thread in Node, and could in a Web Worker.
import { restoreMachine } from "../api.js";
import type { Machine } from "../machine.js";
import type { CpuScheduler } from "../cpu-scheduler.js";
import type { MachineConfig } from "../config.js";
import { now } from "../scheduler.js";
import { GuestShell, type Ending } from "./guest-shell.js";
import { STATUS, type FleetJob, type FleetResult } from "./types.js";

export interface GuestJobOptions {
  scheduler?: CpuScheduler;
  cpuShare: number;
  /** Default milliseconds for a job (FleetJob.timeout overrides). */
  timeout: number;
  outputLimit: number;
  jit?: MachineConfig["jit"];
  /** The worker's number, for the stats. */
  worker: number;
}

export type JobOutcome = Omit<FleetResult, "attempts">;

export async function runGuestJob(snapshot: Uint8Array, job: FleetJob, o: GuestJobOptions): Promise<JobOutcome> {
  const started = now();
  const timeout = job.timeout ?? o.timeout;
  const stats = { wallMs: 0, restoreMs: 0, instructions: 0, pages: 0, worker: o.worker };
  const result = (e: Ending, output: string): JobOutcome => {
    stats.wallMs = now() - started;
    return { ...(job.id !== undefined ? { id: job.id } : {}), status: e.status, reason: e.reason, output, ...(e.error ? { error: e.error } : {}), stats };
  };
  let vm: Machine;
  try {
    vm = await restoreMachine(snapshot, { scheduler: o.scheduler, cpuShare: o.cpuShare, jit: o.jit, noReboot: true });
  } catch (e) {
    return result({ reason: "error", status: STATUS.failed, error: `cannot start a guest: ${(e as Error).message}` }, "");
  }
  stats.restoreMs = now() - started;
  const shell = new GuestShell(vm, o.outputLimit);
  const deadline = setTimeout(() => shell.end({ reason: "timeout", status: STATUS.timeout, error: `the job did not finish within ${timeout} ms` }), Math.max(0, timeout - stats.restoreMs));
  let retiredBefore = 0;
  try {
    retiredBefore = vm.stats().instructions;
    vm.start();
    const ending = await runSteps(shell, job);
    stats.instructions = vm.stats().instructions - retiredBefore;
    stats.pages = vm.status === "stopped" ? 0 : vm.engine.core.pagesPresent();
    return result(ending, shell.output);
  } catch (e) {
    return result({ reason: "error", status: STATUS.failed, error: `the job failed on the host: ${(e as Error).message}` }, shell.output);
  } finally {
    clearTimeout(deadline);
    shell.dispose();
    await vm.stop().catch(() => {});
  }
}

/** Files, then commands; the first early ending or non-zero status ends the job. */
async function runSteps(shell: GuestShell, job: FleetJob): Promise<Ending> {
  for (const [path, file] of Object.entries(job.files ?? {})) {
    const r = await shell.writeFile(path, file);
    if (typeof r !== "number") return r;
    if (r !== 0) return { reason: "error", status: STATUS.failed, error: `could not write ${path} in the guest (status ${r})` };
  }
  const lines = typeof job.run === "string" ? [job.run] : job.run;
  let status = 0;
  for (const line of lines) {
    const r = await shell.command(line);
    if (typeof r !== "number") return r;
    status = r;
    if (status !== 0 || shell.shellExited) break;
  }
  if (shell.ending) return shell.ending;
  return shell.sawOom ? { reason: "guest-oom", status, error: "the guest ran out of memory and its kernel killed a process" } : { reason: "exit", status };
}
