// `hartvm fleet` and `hartvm worker` on Node (DESIGN.md §8): jobs from a JSON-lines file run
// by a local fleet or through Redis, one JSON result per job on stdout, a progress bar on a
// terminal's stderr; a worker serves a BullMQ queue until SIGTERM or SIGINT.
import process from "node:process";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { createFleet } from "../api.js";
import { HartvmError } from "../errors.js";
import { checkJob } from "../fleet/jobs.js";
import { FLEET_USAGE, type FleetCliCommon, type FleetCommand } from "../fleet/cli-args.js";
import { STATUS, type Fleet, type FleetJob, type FleetResult } from "../fleet/types.js";
import { Progress } from "./node-progress.js";

type Line = { line: number; job: FleetJob } | { line: number; error: string };

/** Runs a fleet subcommand; resolves with the process's exit status. */
export async function runFleetCommand(c: FleetCommand): Promise<number> {
  switch (c.command) {
    case "fleet-help":
    case "worker-help":
      process.stdout.write(FLEET_USAGE + "\n");
      return 0;
    case "worker":
      return serve(c.options);
    case "fleet":
      return runJobs(c.options);
  }
}

async function startFleet(o: FleetCliCommon): Promise<Fleet> {
  return createFleet({
    workers: o.workers,
    guestsPerWorker: o.guestsPerWorker,
    snapshot: o.snapshot,
    perGuest: { memory: o.ramBytes, harts: o.harts, timeout: o.timeoutMs, outputLimit: o.outputLimit, cpuShare: o.cpuShare },
  });
}

async function checkReadable(path: string): Promise<void> {
  const s = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new HartvmError("io", `cannot read the jobs '${path}': ${e.code === "ENOENT" ? "no such file" : e.message}`);
  });
  if (s.isDirectory()) throw new HartvmError("io", `cannot read the jobs '${path}': it is a directory`);
}

/** The job file's lines, parsed and checked one by one (blank lines skipped). */
async function* readJobLines(path: string): AsyncGenerator<Line> {
  const input = path === "-" ? process.stdin : createReadStream(path);
  const opened = new Promise<void>((resolve, reject) => {
    if (path === "-") resolve();
    input.once("open", () => resolve());
    input.once("error", (e: NodeJS.ErrnoException) => reject(new HartvmError("io", `cannot read the jobs '${path}': ${e.code === "ENOENT" ? "no such file" : e.code === "EISDIR" ? "it is a directory" : e.message}`)));
  });
  await opened;
  let n = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    n++;
    if (text.trim() === "") continue;
    try {
      yield { line: n, job: checkJob(JSON.parse(text)) };
    } catch (e) {
      yield { line: n, error: `line ${n}: ${e instanceof SyntaxError ? "not JSON" : (e as Error).message}` };
    }
  }
}

function printResult(r: FleetResult & { runner?: string }, line: number): void {
  const { id, ...rest } = r;
  process.stdout.write(JSON.stringify({ ...(id !== undefined ? { id } : {}), line, ...rest }) + "\n");
}

const badLine = (line: number, error: string): FleetResult => ({
  status: STATUS.failed, reason: "error", output: "", attempts: 0, error,
  stats: { wallMs: 0, restoreMs: 0, instructions: 0, pages: 0, worker: -1 },
});

async function runJobs(o: Extract<FleetCommand, { command: "fleet" }>["options"]): Promise<number> {
  if (o.jobs !== "-") await checkReadable(o.jobs); // before a fleet is started for nothing
  const progress = new Progress(o.progress && process.stderr.isTTY === true);
  let failures = 0;
  const report = (r: FleetResult, line: number) => {
    if (r.reason !== "exit" || r.status !== 0) failures++;
    printResult(r, line);
    progress.done(r.reason !== "exit" || r.status !== 0);
  };
  /** Good jobs go on; a bad line is answered at once. */
  async function* valid(): AsyncGenerator<{ job: FleetJob; line: number }> {
    for await (const l of readJobLines(o.jobs)) {
      progress.added();
      if ("error" in l) report(badLine(l.line, l.error), l.line);
      else yield l;
    }
    progress.inputEnded();
  }
  try {
    if (o.redis !== undefined) {
      const { submitToQueue } = await import("./node-bullmq.js");
      await submitToQueue({ redis: o.redis, queue: o.queue, jobs: valid(), onResult: report });
    } else {
      progress.note("starting the fleet (booting its guest once)");
      const fleet = await startFleet(o);
      const lines: number[] = [];
      async function* jobs(): AsyncGenerator<FleetJob> {
        for await (const v of valid()) {
          lines.push(v.line);
          yield v.job;
        }
      }
      try {
        await fleet.map(jobs(), { onResult: (r, i) => report(r, lines[i]) });
      } finally {
        await fleet.close();
      }
    }
  } finally {
    progress.end();
  }
  return failures === 0 ? 0 : 1;
}

async function serve(o: Extract<FleetCommand, { command: "worker" }>["options"]): Promise<number> {
  const log = (line: string) => process.stderr.write(`hartvm: ${line}\n`);
  const fleet = await startFleet(o);
  const { serveQueue } = await import("./node-bullmq.js");
  const server = await serveQueue({ redis: o.redis, queue: o.queue, lockMs: o.lockMs, fleet, log });
  log(`worker ready: queue '${o.queue}', ${fleet.workers} threads × ${fleet.guestsPerWorker} guests`);
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  log("worker stopping: finishing the jobs it holds");
  await server.stop();
  await fleet.close();
  return 0;
}
