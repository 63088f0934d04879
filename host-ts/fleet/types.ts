// Fleets (docs/FLEET.md): what a job is, what it gives back, how a fleet is configured.
// Portable plain data: the same types travel to worker threads and through BullMQ.
import type { MachineConfig, Input } from "../config.js";

/** A file to put in the guest before the job's commands run: UTF-8 text, bytes, or base64 with a mode. */
export type FleetFile = string | Uint8Array | { base64: string; mode?: number };

export interface FleetJob {
  /** Given back in the result (the CLI's `"id"`). */
  id?: string;
  /** Shell commands: one line, or lines run one after another that stop at the first non-zero status. */
  run: string | string[];
  /** Guest path → contents, written (directories made) before the commands run. */
  files?: Record<string, FleetFile>;
  /** Milliseconds for the whole job, restore included (default perGuest.timeout). */
  timeout?: number;
}

/**
 * How a job ended. "exit": the commands ran, `status` is the last one's. The others end the
 * guest early: "timeout" (status 124), "output-limit" (125: it printed more than outputLimit),
 * "guest-oom" (the guest's kernel killed a process for memory; the command's status, or 137),
 * "guest-panic" (the guest's kernel panicked: 125), "guest-exit" (the guest powered off or
 * rebooted: its exit status, or 125 if that was 0), "worker-lost" (its worker died twice: 125),
 * "error" (the host could not run it, e.g. no memory for another guest: 125, see `error`).
 */
export type FleetEndReason = "exit" | "timeout" | "output-limit" | "guest-oom" | "guest-panic" | "guest-exit" | "worker-lost" | "error";

export interface FleetJobStats {
  /** From the job's start in its worker (restore included) to its end. */
  wallMs: number;
  /** Restoring the snapshot into a new machine. */
  restoreMs: number;
  /** Guest instructions the job retired. */
  instructions: number;
  /** 4 KiB pages of guest RAM the job touched (its memory cost). */
  pages: number;
  /** Worker thread that ran it (this host's numbering). */
  worker: number;
}

export interface FleetResult {
  id?: string;
  status: number;
  reason: FleetEndReason;
  /** What the commands printed (the terminal's \r\n as \n), at most outputLimit bytes. */
  output: string;
  /** 1, or 2 when the first worker died under the job. */
  attempts: number;
  /** A one-line explanation for "error" and the guest-* reasons. */
  error?: string;
  stats: FleetJobStats;
}

export interface PerGuestOptions {
  /** Guest RAM when the fleet boots the guest itself (a given snapshot keeps its own). */
  memory?: string | number;
  /** Harts when the fleet boots the guest itself. */
  harts?: number;
  /** Weight among the guests of one worker (default 1). */
  cpuShare?: number;
  /** Milliseconds a job may take (default 60 000). */
  timeout?: number;
  /** Bytes of output a job may print (default 1 MiB). */
  outputLimit?: number;
  /** As MachineConfig.jit (default: on, threshold 300; see FLEET_DEFAULTS). */
  jit?: MachineConfig["jit"];
}

export interface FleetOptions {
  /** Worker threads (default: the host's cores). */
  workers?: number;
  /** Guests each worker runs at once (default 4). */
  guestsPerWorker?: number;
  /** The guest to boot for the fleet's snapshot (default: the embedded default guest). */
  guest?: MachineConfig;
  /** Or a snapshot (Machine.snapshot()) of a guest at its shell prompt. */
  snapshot?: Uint8Array | Input;
  /** The shell prompt (default /[#$] $/). */
  prompt?: RegExp;
  perGuest?: PerGuestOptions;
  /** Instructions per scheduler turn at cpuShare 1 (CpuScheduler's quantum). */
  quantum?: number;
  /** Each worker thread's JavaScript heap limit in MiB (guest RAM is not in it); a worker past it dies and its jobs run again. */
  workerHeapMb?: number;
  /** Milliseconds the guest may take to boot to its prompt (default 300 000). */
  bootTimeout?: number;
}

export interface MapOptions {
  /** Jobs in flight at once (default: workers × guestsPerWorker). */
  concurrency?: number;
  /** Called with each result as it comes (completion order), with its job's index. */
  onResult?: (result: FleetResult, index: number) => void;
}

export interface FleetCounters {
  completed: number;
  running: number;
  /** Jobs run again because their worker died. */
  retried: number;
  /** Workers that died (and were replaced). */
  workersLost: number;
}

export interface Fleet {
  /** Runs one job in a fresh guest. Never rejects for what happens in the guest: see FleetResult.reason. */
  run(job: FleetJob): Promise<FleetResult>;
  /** Runs jobs, at most `concurrency` at once; results in the jobs' order. */
  map(jobs: Iterable<FleetJob> | AsyncIterable<FleetJob>, opts?: MapOptions): Promise<FleetResult[]>;
  /** Lets running jobs finish, then ends the workers. */
  close(): Promise<void>;
  /** The snapshot every job starts from (save it to start the next fleet faster). */
  readonly snapshot: Uint8Array;
  readonly workers: number;
  readonly guestsPerWorker: number;
  counters(): FleetCounters;
}

/** Exit statuses of the reasons that have no command status of their own. */
export const STATUS = { timeout: 124, failed: 125, oomKilled: 137 } as const;
