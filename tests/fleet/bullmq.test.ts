// Fleets across processes on BullMQ, with a real Redis (Debian's redis-server): two
// `hartvm worker` processes serve a queue that `hartvm fleet --redis` fills. All 100 jobs
// come back right; a worker killed with SIGKILL while it holds jobs loses none and no job
// completes twice (counted in Redis's own event stream); a job's timeout is reported.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { dir, removeDir, hartvm, jsonLines, promptSnapshot, startRedis, startHartvm } from "./support.js";

const LOCK_MS = 2500;
let redis: { url: string; stop: () => void };
let snapshot: string;
const workers: ChildProcess[] = [];

async function startWorker(queue: string): Promise<ChildProcess> {
  const w = await startHartvm(["worker", "--redis", redis.url, "--queue", queue, "--workers", "1", "--guests", "4", "--snapshot", snapshot, "--lock-ms", String(LOCK_MS)], /worker ready/);
  workers.push(w.child);
  return w.child;
}

function jobFile(name: string, jobs: object[]): string {
  const path = join(dir, name);
  writeFileSync(path, jobs.map((j) => JSON.stringify(j)).join("\n") + "\n");
  return path;
}

/** How many times each job id of `queue` completed, from the queue's event stream. */
async function completions(queue: string): Promise<Map<string, number>> {
  const r = new Redis(redis.url);
  const entries = (await r.xrange(`bull:${queue}:events`, "-", "+")) as [string, string[]][];
  await r.quit();
  const count = new Map<string, number>();
  for (const [, fields] of entries) {
    const f = new Map<string, string>();
    for (let i = 0; i < fields.length; i += 2) f.set(fields[i], fields[i + 1]);
    if (f.get("event") === "completed") count.set(f.get("jobId")!, (count.get(f.get("jobId")!) ?? 0) + 1);
  }
  return count;
}

beforeAll(async () => {
  [redis, snapshot] = await Promise.all([startRedis(), promptSnapshot()]);
}, 300_000);

afterAll(() => {
  for (const w of workers) w.kill("SIGKILL");
  redis?.stop();
  removeDir();
});

describe("hartvm worker and hartvm fleet --redis", () => {
  it("runs 100 jobs on two worker processes, every result right", async () => {
    const queue = "hundred";
    const [a, b] = await Promise.all([startWorker(queue), startWorker(queue)]);
    const jobs = Array.from({ length: 100 }, (_, i) => ({ id: `j${i}`, run: `echo job-${i} $((${i} * 7))` }));
    const r = await hartvm(["fleet", "--redis", redis.url, "--queue", queue, "--jobs", jobFile("hundred.jsonl", jobs)], { timeoutMs: 600_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = jsonLines(r.stdout);
    expect(out).toHaveLength(100);
    expect(new Set(out.map((o) => o.id)).size).toBe(100);
    for (const o of out) {
      const i = Number(o.id.slice(1));
      expect(o).toMatchObject({ status: 0, reason: "exit", output: `job-${i} ${i * 7}\n`, line: i + 1 });
    }
    const runners = new Set(out.map((o) => o.runner));
    expect(runners).toEqual(new Set([`${hostnameOf(out[0].runner)}:${a.pid}`, `${hostnameOf(out[0].runner)}:${b.pid}`]));
    const done = await completions(queue);
    expect(done.size).toBe(100);
    expect([...done.values()].every((n) => n === 1)).toBe(true);
    a.kill("SIGTERM");
    b.kill("SIGTERM");
  }, 600_000);

  it("finishes every job exactly once when a worker is killed with SIGKILL while it holds jobs", async () => {
    const queue = "killed";
    const [victim] = await Promise.all([startWorker(queue), startWorker(queue)]);
    const jobs = Array.from({ length: 24 }, (_, i) => ({ id: `k${i}`, run: `sleep 1; echo k-${i}` }));
    const submit = hartvm(["fleet", "--redis", redis.url, "--queue", queue, "--jobs", jobFile("killed.jsonl", jobs)], { timeoutMs: 600_000 });
    // Kill the victim once it is running jobs (BullMQ records who took each active job).
    const q = new Queue(queue, { connection: new Redis(redis.url, { maxRetriesPerRequest: null }) });
    let held: string[] = [];
    for (let i = 0; i < 600 && held.length === 0; i++) {
      held = (await q.getActive()).filter((j) => j.processedBy?.endsWith(`:${victim.pid}`)).map((j) => j.id!);
      if (held.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(held.length).toBeGreaterThan(0);
    victim.kill("SIGKILL");
    const r = await submit;
    expect(r.status, r.stderr).toBe(0);
    const out = jsonLines(r.stdout);
    expect(out).toHaveLength(24);
    for (const o of out) expect(o).toMatchObject({ status: 0, reason: "exit", output: `k-${o.id.slice(1)}\n` });
    // The jobs the victim held were finished by the other worker.
    const byId = new Map(out.map((o) => [o.line, o]));
    for (const jobId of held) expect(byId.get(Number(jobId.split("-").pop()))!.runner.endsWith(`:${victim.pid}`)).toBe(false);
    const done = await completions(queue);
    expect(done.size).toBe(24);
    expect([...done.values()].every((n) => n === 1)).toBe(true);
    const retried = await Promise.all(held.map((id) => q.getJob(id)));
    for (const j of retried) expect(j!.attemptsStarted).toBeGreaterThanOrEqual(2);
    await q.close();
  }, 600_000);

  it("reports a job that timed out", async () => {
    const queue = "killed"; // the surviving worker
    const r = await hartvm(["fleet", "--redis", redis.url, "--queue", queue, "--jobs", jobFile("slow.jsonl", [{ id: "slow", run: "sleep 60", timeout: 2000 }, { id: "fast", run: "echo fast" }])], { timeoutMs: 300_000 });
    expect(r.status).toBe(1);
    const out = jsonLines(r.stdout);
    expect(out.find((o) => o.id === "slow")).toMatchObject({ status: 124, reason: "timeout" });
    expect(out.find((o) => o.id === "fast")).toMatchObject({ status: 0, output: "fast\n" });
  }, 300_000);
});

const hostnameOf = (runner: string) => runner.slice(0, runner.lastIndexOf(":"));
