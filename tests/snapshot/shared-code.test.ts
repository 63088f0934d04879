// Machines made from one state share translated code (host-ts/jit/code-cache.ts): the second
// of two machines restored from one snapshot compiles nothing for the work the first did, and
// a fork starts with its parent's compiled code installed; the answers stay the same.
import { describe, it, expect, afterAll } from "vitest";
import { createMachine, restoreMachine, type Machine } from "../../host-ts/api.js";

const PROMPT = /root@hartvm.*# $/;
const WORK = "sha256sum /bin/busybox; ls /bin | md5sum";
const machines: Machine[] = [];

afterAll(async () => { await Promise.all(machines.map((m) => m.stop().catch(() => {}))); });

async function booted(deterministic: boolean): Promise<Machine> {
  const vm = await createMachine({ memory: "128M", deterministic });
  machines.push(vm);
  vm.start();
  await vm.console.waitFor(PROMPT, { timeout: 120_000 });
  return vm;
}

describe("translated code shared between machines of one state", () => {
  it("a second machine restored from a snapshot compiles nothing new for the same work, and answers the same", async () => {
    // Deterministic: both restores run the same instructions, so the same blocks get hot.
    const parent = await booted(true);
    const snap = await parent.snapshot();
    await parent.stop();
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const vm = await restoreMachine(snap);
      machines.push(vm);
      vm.start();
      const r = await vm.exec(WORK, { timeout: 120_000 });
      runs.push({ output: r.output, jit: vm.stats().jit! });
      await vm.stop();
    }
    const [a, b] = runs;
    expect(a.jit.blocks + a.jit.reused).toBeGreaterThan(0);
    expect(b.output).toBe(a.output);
    expect(b.jit).toMatchObject({ blocks: 0, modules: 0, warmed: 0 });
    expect(b.jit.reused).toBe(a.jit.blocks + a.jit.reused);
  }, 300_000);

  it("a fork starts with its parent's compiled code installed and answers as its parent does", async () => {
    const parent = await booted(false);
    const first = await parent.exec(WORK, { timeout: 120_000 });
    const compiled = parent.stats().jit!;
    expect(compiled.blocks + compiled.reused).toBeGreaterThan(0);
    const child = await parent.fork();
    machines.push(child);
    const warmed = child.stats().jit!.warmed;
    expect(warmed).toBeGreaterThan(0);
    expect(warmed).toBeLessThanOrEqual(compiled.blocks + compiled.reused + compiled.warmed);
    child.start();
    const again = await child.exec(WORK, { timeout: 120_000 });
    expect(again.output).toBe(first.output);
    const after = child.stats().jit!;
    // What the parent had hot, the fork did not compile again.
    expect(after.blocks + after.reused).toBeLessThan((compiled.blocks + compiled.reused) / 4);
    await child.stop();
  }, 300_000);
});
