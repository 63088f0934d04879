// createFleet end to end: the default guest booted once, snapshotted at its prompt, and jobs
// in fresh guests restored from it in two worker threads. Uses the built worker
// (dist/fleet-worker.js): `npm run build` first (npm test does).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Worker } from "node:worker_threads";
import { createFleet, type Fleet, type FleetResult } from "../../host-ts/api.js";

const threads = (f: Fleet) => (f as unknown as { threads: Worker[] }).threads;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let fleet: Fleet;

beforeAll(async () => {
  fleet = await createFleet({ workers: 2, guestsPerWorker: 3, perGuest: { timeout: 60_000, outputLimit: 20_000 } });
}, 300_000);

afterAll(async () => { await fleet?.close(); });

describe("a fleet of the default guest", () => {
  it("runs a command in a fresh guest and gives its output, status and costs", async () => {
    const r = await fleet.run({ id: "t1", run: "uname -m" });
    expect(r).toMatchObject({ id: "t1", status: 0, reason: "exit", output: "riscv64\n", attempts: 1 });
    expect(r.stats.instructions).toBeGreaterThan(10_000);
    expect(r.stats.pages).toBeGreaterThan(10);
    expect(r.stats.wallMs).toBeGreaterThanOrEqual(r.stats.restoreMs);
  }, 60_000);

  it("puts files in first, runs lines in order and stops at the first that fails", async () => {
    const bin = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff);
    const r = await fleet.run({
      files: { "/tmp/in/a.txt": "hello 'quoted' world\n", "/tmp/bin": bin, "/tmp/run.sh": { base64: btoa("#!/bin/sh\necho script $1\n"), mode: 0o755 } },
      run: ["cat /tmp/in/a.txt", "od -An -tu1 -w300 /tmp/bin | tr -s ' ' '\\n' | awk 'NF{s+=$1} END{print s}'", "/tmp/run.sh ok", "false", "echo never"],
    });
    const sum = bin.reduce((a, b) => a + b, 0);
    expect(r).toMatchObject({ status: 1, reason: "exit", output: `hello 'quoted' world\n${sum}\nscript ok\n` });
  }, 60_000);

  it("starts every job in a guest of its own", async () => {
    const a = await fleet.run({ run: "echo mine > /tmp/left; cat /tmp/left" });
    const b = await fleet.run({ run: "cat /tmp/left 2>&1 || echo absent" });
    expect(a.output).toBe("mine\n");
    expect(b.output).toMatch(/No such file.*\nabsent\n$/);
  }, 60_000);

  it("maps many jobs over both workers, results in the jobs' order", async () => {
    const seen: number[] = [];
    const jobs = Array.from({ length: 12 }, (_, i) => ({ id: `sq${i}`, run: `echo $((${i} * ${i}))` }));
    const results = await fleet.map(jobs, { concurrency: 6, onResult: (_r, i) => seen.push(i) });
    expect(results.map((r) => r.output)).toEqual(jobs.map((_, i) => `${i * i}\n`));
    expect(results.map((r) => r.id)).toEqual(jobs.map((j) => j.id));
    expect(seen.sort((x, y) => x - y)).toEqual(jobs.map((_, i) => i));
    expect(new Set(results.map((r) => r.stats.worker)).size).toBe(2);
  }, 120_000);

  it("stops a guest at its timeout without holding up the jobs beside it", async () => {
    const hung = Array.from({ length: 4 }, () => fleet.run({ run: "while :; do :; done", timeout: 8000 }));
    await sleep(200);
    const t0 = performance.now();
    const quick = await fleet.run({ run: "echo quick" });
    const quickDone = performance.now() - t0;
    const ends = await Promise.all(hung);
    expect(quick).toMatchObject({ status: 0, output: "quick\n" });
    for (const e of ends) {
      expect(e).toMatchObject({ status: 124, reason: "timeout" });
      expect(e.stats.wallMs).toBeGreaterThanOrEqual(8000);
      expect(e.stats.wallMs).toBeLessThan(12_000);
    }
    expect(quickDone).toBeLessThan(7800); // done while the hung ones still spun
  }, 60_000);

  it("ends a job that prints more than its output limit", async () => {
    const r = await fleet.run({ run: "yes hartvm" });
    expect(r).toMatchObject({ status: 125, reason: "output-limit" });
    expect(r.output.length).toBeLessThanOrEqual(20_000);
    expect(r.output.startsWith("hartvm\nhartvm\n")).toBe(true);
  }, 60_000);

  it("reports a guest that powers itself off", async () => {
    const r = await fleet.run({ run: "echo bye; poweroff -f" });
    expect(r).toMatchObject({ reason: "guest-exit", status: 125 });
  }, 60_000);

  it("refuses a malformed job", async () => {
    await expect(fleet.run({ run: "a\nb" })).rejects.toMatchObject({ code: "invalid-config" });
    await expect(fleet.run({ run: [] } as never)).rejects.toMatchObject({ code: "invalid-config" });
    await expect(fleet.run({ run: "x", color: 1 } as never)).rejects.toMatchObject({ code: "invalid-config" });
  });

  it("loses only a dead worker's jobs, and runs each of them once more", async () => {
    const jobs = Array.from({ length: 6 }, (_, i) => fleet.run({ id: `k${i}`, run: `sleep 2; echo done-${i}` }));
    await sleep(1000);
    const before = fleet.counters();
    await threads(fleet)[0].terminate();
    const results: FleetResult[] = await Promise.all(jobs);
    results.forEach((r, i) => expect(r).toMatchObject({ status: 0, reason: "exit", output: `done-${i}\n` }));
    const again = results.filter((r) => r.attempts === 2).length;
    expect(again).toBeGreaterThanOrEqual(1);
    expect(again).toBeLessThanOrEqual(3); // at most one worker's share
    expect(fleet.counters().retried - before.retried).toBe(again);
    expect(fleet.counters().workersLost - before.workersLost).toBe(1);
    expect((await fleet.run({ run: "echo still" })).output).toBe("still\n");
  }, 120_000);

  it("starts a fleet from a snapshot it made, and refuses a machine size the snapshot does not have", async () => {
    const again = await createFleet({ workers: 1, snapshot: fleet.snapshot });
    try {
      expect((await again.run({ run: "uname -m" })).output).toBe("riscv64\n");
    } finally {
      await again.close();
    }
    await expect(createFleet({ workers: 1, snapshot: fleet.snapshot, perGuest: { memory: "64M" } })).rejects.toMatchObject({ code: "invalid-config" });
  }, 120_000);
});

describe("a fleet whose workers have a small heap", () => {
  it("reports a job whose worker ran out of memory twice, and goes on with new workers", async () => {
    const f = await createFleet({ workers: 1, guestsPerWorker: 2, snapshot: fleet.snapshot, workerHeapMb: 48 });
    try {
      // 40 MiB of file to type into the guest: more than the worker's heap holds.
      const hog = await f.run({ id: "hog", files: { "/tmp/big": "x".repeat(40 << 20) }, run: "wc -c /tmp/big" });
      expect(hog).toMatchObject({ id: "hog", reason: "worker-lost", status: 125, attempts: 2 });
      expect(hog.error).toMatch(/worker died twice/);
      expect(f.counters()).toMatchObject({ retried: 1, workersLost: 2 });
      expect((await f.run({ run: "echo after" })).output).toBe("after\n");
    } finally {
      await f.close();
    }
  }, 300_000);
});

describe("a fleet of small guests", () => {
  let small: Fleet;
  beforeAll(async () => {
    small = await createFleet({ workers: 1, guestsPerWorker: 2, perGuest: { memory: "64M", timeout: 60_000 } });
  }, 300_000);
  afterAll(async () => { await small?.close(); });

  it("reports a job whose guest ran out of memory", async () => {
    const r = await small.run({ run: "sh -c 'x=x; while :; do x=$x$x; done'; echo after $?" });
    expect(r.reason).toBe("guest-oom");
    expect(r.status).toBe(0); // the shell went on: "after 137"
    expect(r.output).toMatch(/after 137/);
    expect((await small.run({ run: "free -m | grep -c Mem" })).output).toBe("1\n");
  }, 120_000);

  it("reports a guest whose kernel panicked", async () => {
    const r = await small.run({ run: "echo 1 > /proc/sys/vm/panic_on_oom && sh -c 'x=x; while :; do x=$x$x; done'" });
    expect(r).toMatchObject({ reason: "guest-panic", status: 125 });
  }, 120_000);
});
