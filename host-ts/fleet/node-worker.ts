// A fleet worker thread (piscina runs this module; built as dist/fleet-worker.js): one copy of
// the snapshot, so every guest of this thread shares its decoded RAM until it writes, and one
// CpuScheduler, so they take turns by cpuShare. Several jobs run here at once.
import { threadId } from "node:worker_threads";
import { workerData } from "piscina";
import { CpuScheduler } from "../cpu-scheduler.js";
import { runGuestJob, type GuestJobOptions, type JobOutcome } from "./guest-job.js";
import type { FleetJob } from "./types.js";

export interface FleetWorkerData {
  snapshot: Uint8Array;
  options: Omit<GuestJobOptions, "scheduler" | "worker">;
  quantum?: number;
}

const setup = workerData as FleetWorkerData;
const scheduler = new CpuScheduler({ quantum: setup.quantum });

export default function runFleetJob(job: FleetJob): Promise<JobOutcome> {
  return runGuestJob(setup.snapshot, job, { ...setup.options, scheduler, worker: threadId });
}
