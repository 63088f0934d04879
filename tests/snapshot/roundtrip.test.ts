// Snapshots of a running default guest: what the guest left (files, a counting process, a
// half-read pipe) is all there after a restore, the clock goes on from where it was, and the
// same snapshot restored twice in deterministic mode gives the same bytes and state.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createMachine, restoreMachine, type Machine } from "../../host-ts/api.js";

const PROMPT = /root@hartvm.*# $/;
let parent: Machine;
let snapshot: Uint8Array;

beforeAll(async () => {
  parent = await createMachine();
  parent.start();
  await parent.console.waitFor(PROMPT, { timeout: 120_000 });
  await parent.exec("echo kept > /tmp/file; mkfifo /tmp/pipe; (printf 'abcdef' > /tmp/pipe &); exec 3</tmp/pipe; dd bs=1 count=3 <&3 2>/dev/null; echo");
  await parent.exec("(i=0; while true; do i=$((i+1)); echo $i > /tmp/count; sleep 0.05; done) &");
  await parent.exec("sleep 0.3");
  snapshot = await parent.snapshot();
}, 180_000);

afterAll(async () => { await parent?.stop(); });

describe("a snapshot of a running guest", () => {
  it("is small and leaves the parent running", async () => {
    expect(snapshot.length).toBeGreaterThan(1 << 20);
    expect(snapshot.length).toBeLessThan(8 << 20);
    expect(parent.status).toBe("running");
    expect((await parent.exec("cat /tmp/file")).output).toBe("kept\n");
  });

  it("restores files, a running process and a half-read pipe", async () => {
    const vm = await restoreMachine(snapshot);
    expect(vm.status).toBe("created");
    vm.start();
    expect((await vm.exec("cat /tmp/file")).output).toBe("kept\n");
    expect((await vm.exec("cat <&3")).output).toBe("def");
    const first = Number((await vm.exec("cat /tmp/count")).output);
    await vm.exec("sleep 0.3");
    expect(Number((await vm.exec("cat /tmp/count")).output)).toBeGreaterThan(first);
    await vm.stop();
  }, 60_000);

  it("keeps the guest's clock continuous: no jump by the time the snapshot lay around", async () => {
    const uptime = async (m: Machine) => Number((await m.exec("cut -d' ' -f1 /proc/uptime")).output);
    const vm = await restoreMachine(snapshot);
    await new Promise((r) => setTimeout(r, 1500));
    vm.start();
    const t0 = await uptime(vm);
    expect(t0).toBeLessThan((await uptime(parent)) + 1); // not the parent's uptime plus the 1.5 s it lay around
    await vm.exec("sleep 1");
    expect((await uptime(vm)) - t0).toBeGreaterThanOrEqual(1);
    await vm.stop();
  }, 60_000);

  it("restores many times from the same bytes, each machine on its own", async () => {
    const a = await restoreMachine(snapshot);
    const b = await restoreMachine(snapshot);
    a.start();
    b.start();
    await a.exec("echo a > /tmp/who");
    await b.exec("echo b > /tmp/who");
    expect((await a.exec("cat /tmp/who")).output).toBe("a\n");
    expect((await b.exec("cat /tmp/who")).output).toBe("b\n");
    await Promise.all([a.stop(), b.stop()]);
  }, 60_000);
});

describe("deterministic mode", () => {
  async function session(make: () => Promise<Machine>) {
    const vm = await make();
    const out: number[] = [];
    vm.on("output", (b) => out.push(...b));
    if (vm.status === "created") vm.start();
    vm.console.write("head -c 8 /dev/urandom | od -An -tx1; cat /proc/uptime; date +%s\n");
    await vm.console.waitFor(/\d{10}\r\n.*# $/, { timeout: 60_000, pause: true });
    const hash = await vm.stateHash();
    const snap = await vm.snapshot();
    await vm.stop();
    return { text: new TextDecoder().decode(Uint8Array.from(out)), hash, snap };
  }

  it("two boots with the same inputs print the same bytes and end in the same state", async () => {
    // The second boot is slowed down at every output: host timing must not change the run.
    const boot = (slow: boolean) => async () => {
      const vm = await createMachine({ deterministic: { seed: 7 } });
      if (slow) vm.on("output", () => { const until = performance.now() + 5; while (performance.now() < until); });
      vm.start();
      await vm.console.waitFor(PROMPT, { timeout: 120_000, pause: true });
      await vm.resume();
      return vm;
    };
    const [a, b] = [await session(boot(false)), await session(boot(true))];
    expect(a.text).toBe(b.text);
    expect(a.hash).toBe(b.hash);
    expect(a.text).toMatch(/\b1767225\d{3}\b/); // the RTC started at 2026-01-01 (1767225600)
    // The same snapshot restored twice continues identically.
    const [r1, r2] = [await session(() => restoreMachine(a.snap)), await session(() => restoreMachine(a.snap))];
    expect(r1.text).toBe(r2.text);
    expect(r1.hash).toBe(r2.hash);
    expect(r1.text).not.toBe(a.text); // it went on from where it was: new random bytes, later uptime
  }, 300_000);
});
