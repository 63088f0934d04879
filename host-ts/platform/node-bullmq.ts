// Fleets across hosts on BullMQ (Redis): submitting jobs and collecting their results, and a
// worker process that serves them with a local fleet. A job that was running on a worker
// that died (kill -9, OOM) is found stalled once its lock lapses and runs again on another
// worker; BullMQ completes each job once.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { Queue, QueueEvents, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { HartvmError } from "../errors.js";
import { checkJob } from "../fleet/jobs.js";
import { STATUS, type Fleet, type FleetJob, type FleetResult } from "../fleet/types.js";

/** What a worker sends back: the fleet's result and who ran it. */
export type QueuedResult = FleetResult & { runner: string };

function connect(url: string): Redis {
  if (!/^rediss?:\/\//.test(url)) throw new HartvmError("invalid-config", `--redis takes a URL such as redis://host:6379, got '${url}'`);
  // BullMQ's blocking connections need commands to wait for Redis rather than fail.
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/** Serves jobs from the queue with `fleet` until `stop()` (which lets running jobs finish). */
export async function serveQueue(o: { redis: string; queue: string; lockMs: number; fleet: Fleet; log: (line: string) => void }): Promise<{ stop: () => Promise<void> }> {
  const connection = connect(o.redis);
  const runner = `${hostname()}:${process.pid}`;
  const worker = new Worker<FleetJob, QueuedResult>(
    o.queue,
    async (job: Job<FleetJob>) => {
      let checked: FleetJob;
      try {
        checked = checkJob(job.data);
      } catch (e) {
        return { status: STATUS.failed, reason: "error", output: "", attempts: 0, error: (e as Error).message, stats: { wallMs: 0, restoreMs: 0, instructions: 0, pages: 0, worker: -1 }, runner };
      }
      return { ...(await o.fleet.run(checked)), runner };
    },
    {
      connection,
      concurrency: o.fleet.workers * o.fleet.guestsPerWorker,
      lockDuration: o.lockMs,
      stalledInterval: o.lockMs,
      maxStalledCount: 1, // a job whose worker died runs once more; a second death fails it
      name: runner, // stored on each job it takes (Job.processedBy)
      autorun: true,
    },
  );
  worker.on("error", (e) => o.log(`queue: ${e.message}`));
  await worker.waitUntilReady();
  return {
    stop: async () => {
      await worker.close();
      await connection.quit().catch(() => {});
    },
  };
}

export interface SubmittedJob { job: FleetJob; line: number }

/**
 * Adds jobs to the queue and resolves each one's result through `onResult` as it completes
 * (once per job: duplicate events are dropped). Resolves when every job has a result.
 */
export async function submitToQueue(o: { redis: string; queue: string; jobs: AsyncIterable<SubmittedJob>; onResult: (r: QueuedResult, line: number) => void; onSubmitted?: (count: number) => void }): Promise<void> {
  const connection = connect(o.redis);
  const eventsConnection = connection.duplicate();
  const events = new QueueEvents(o.queue, { connection: eventsConnection });
  const queue = new Queue<FleetJob, QueuedResult>(o.queue, { connection });
  const run = randomUUID();
  const waiting = new Map<string, SubmittedJob>();
  let submitted = 0;
  let allAdded = false;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const settle = (jobId: string, result: QueuedResult) => {
    const s = waiting.get(jobId);
    if (!s) return; // not ours, or already reported
    waiting.delete(jobId);
    o.onResult({ ...(s.job.id !== undefined ? { id: s.job.id } : {}), ...result }, s.line);
    if (allAdded && waiting.size === 0) finish();
  };
  events.on("completed", ({ jobId, returnvalue }) => {
    const r = (typeof returnvalue === "string" ? JSON.parse(returnvalue) : returnvalue) as QueuedResult;
    settle(jobId, r);
  });
  events.on("failed", ({ jobId, failedReason }) => {
    const lostWorker = /stalled/i.test(failedReason);
    settle(jobId, {
      status: STATUS.failed, reason: lostWorker ? "worker-lost" : "error", output: "", attempts: 2, error: failedReason, runner: "",
      stats: { wallMs: 0, restoreMs: 0, instructions: 0, pages: 0, worker: -1 },
    });
  });
  try {
    await events.waitUntilReady();
    for await (const s of o.jobs) {
      const jobId = `${run}-${s.line}`;
      waiting.set(jobId, s);
      await queue.add("job", s.job, { jobId, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } });
      o.onSubmitted?.(++submitted);
    }
    allAdded = true;
    // Jobs that finished before their events could be read (none, normally): ask for their state.
    for (const jobId of [...waiting.keys()]) {
      const job = await queue.getJob(jobId);
      if (job && (await job.isCompleted())) settle(jobId, job.returnvalue);
    }
    if (waiting.size === 0) finish();
    await finished;
  } finally {
    await events.close();
    await queue.close();
    await Promise.all([connection.quit(), eventsConnection.quit()]).catch(() => {});
  }
}
