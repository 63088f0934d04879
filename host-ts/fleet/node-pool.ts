// The fleet's worker threads in Node, through piscina: a fixed set of workers, several jobs
// in each at once. A worker that dies (a crash, the thread's heap exhausted, terminate())
// takes only the jobs it was running; each of those runs once more elsewhere.
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import { Piscina } from "piscina";
import { CORE_WASM_URL } from "../assets.js";
import { HartvmError } from "../errors.js";
import { keepFreedHeapMemory } from "../platform/node-heap.js";
import { checkJob } from "./jobs.js";
import { FLEET_DEFAULTS } from "./fleet.js";
import type { JobOutcome } from "./guest-job.js";
import type { FleetWorkerData } from "./node-worker.js";
import { STATUS, type Fleet, type FleetCounters, type FleetJob, type FleetOptions, type FleetResult, type MapOptions } from "./types.js";

/** The worker module, built next to the package's other bundles (dist/ in the sources and in the package). */
export const FLEET_WORKER_URL = new URL("../dist/fleet-worker.js", CORE_WASM_URL);

export function startNodeFleet(snapshot: Uint8Array, options: FleetOptions): Fleet {
  keepFreedHeapMemory(); // glibc's thresholds are the process's: the workers' threads keep their memory too
  return new NodeFleet(snapshot, options);
}

class NodeFleet implements Fleet {
  readonly workers: number;
  readonly guestsPerWorker: number;
  private readonly pool: Piscina<FleetJob, JobOutcome>;
  private closing = false;
  private readonly count: FleetCounters = { completed: 0, running: 0, retried: 0, workersLost: 0 };

  constructor(readonly snapshot: Uint8Array, options: FleetOptions) {
    this.workers = options.workers ?? Math.max(1, availableParallelism());
    this.guestsPerWorker = options.guestsPerWorker ?? FLEET_DEFAULTS.guestsPerWorker;
    const g = options.perGuest ?? {};
    const workerData: FleetWorkerData = {
      snapshot,
      options: {
        cpuShare: g.cpuShare ?? FLEET_DEFAULTS.cpuShare,
        timeout: g.timeout ?? FLEET_DEFAULTS.timeout,
        outputLimit: g.outputLimit ?? FLEET_DEFAULTS.outputLimit,
        jit: g.jit ?? FLEET_DEFAULTS.jitThreshold,
      },
      quantum: options.quantum,
    };
    this.pool = new Piscina({
      filename: fileURLToPath(FLEET_WORKER_URL),
      minThreads: this.workers,
      maxThreads: this.workers,
      concurrentTasksPerWorker: this.guestsPerWorker,
      idleTimeout: Infinity,
      // The guests of a worker run on its event loop: a worker must never block waiting for tasks.
      atomics: "disabled",
      workerData,
      resourceLimits: options.workerHeapMb !== undefined ? { maxOldGenerationSizeMb: options.workerHeapMb } : undefined,
    });
    this.pool.on("workerDestroy", () => { if (!this.closing) this.count.workersLost++; });
    this.pool.on("error", () => {}); // a worker that died with no job: piscina starts another
  }

  async run(job: FleetJob): Promise<FleetResult> {
    if (this.closing) throw new HartvmError("invalid-state", "the fleet is closed");
    const checked = checkJob(job);
    this.count.running++;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const outcome = await this.pool.run(checked);
          return { ...outcome, attempts: attempt };
        } catch (e) {
          if (this.closing) throw new HartvmError("invalid-state", "the fleet closed before the job ended");
          if (attempt >= 2) return lost(checked, attempt, (e as Error).message);
          this.count.retried++;
        }
      }
    } finally {
      this.count.running--;
      this.count.completed++;
    }
  }

  async map(jobs: Iterable<FleetJob> | AsyncIterable<FleetJob>, opts: MapOptions = {}): Promise<FleetResult[]> {
    const concurrency = opts.concurrency ?? this.workers * this.guestsPerWorker;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new HartvmError("invalid-config", `concurrency must be a positive whole number, got ${concurrency}`);
    const it: Iterator<FleetJob> | AsyncIterator<FleetJob> = Symbol.asyncIterator in jobs ? jobs[Symbol.asyncIterator]() : jobs[Symbol.iterator]();
    const results: FleetResult[] = [];
    let next = 0;
    const lane = async () => {
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        const index = next++;
        const result = await this.run(r.value);
        results[index] = result;
        opts.onResult?.(result, index);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    return results;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.pool.close();
  }

  counters(): FleetCounters {
    return { ...this.count };
  }

  /** @internal The worker threads (tests kill one mid-job). */
  get threads(): Worker[] {
    return this.pool.threads;
  }
}

function lost(job: FleetJob, attempts: number, why: string): FleetResult {
  return {
    ...(job.id !== undefined ? { id: job.id } : {}),
    status: STATUS.failed, reason: "worker-lost", output: "", attempts,
    error: `the job's worker died twice (${why})`,
    stats: { wallMs: 0, restoreMs: 0, instructions: 0, pages: 0, worker: -1 },
  };
}
