// Forks of a running guest: each starts where its parent stood, shares its RAM until it
// touches it, and what one fork does (files, a kernel crash, a fork bomb) reaches no other.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createMachine, type Machine } from "../../host-ts/api.js";

const PROMPT = /root@hartvm.*# $/;
let parent: Machine;

beforeAll(async () => {
  parent = await createMachine({ memory: "128M" });
  parent.start();
  await parent.console.waitFor(PROMPT, { timeout: 120_000 });
  await parent.exec("echo from-parent > /tmp/origin");
}, 150_000);

afterAll(async () => { await parent?.stop(); });

describe("fork", () => {
  it("gives machines that continue where the parent stood and leaves the parent running", async () => {
    const child = await parent.fork();
    expect(child.status).toBe("created");
    expect(parent.status).toBe("running");
    child.start();
    expect((await child.exec("cat /tmp/origin")).output).toBe("from-parent\n");
    await child.exec("echo child > /tmp/origin");
    expect((await parent.exec("cat /tmp/origin")).output).toBe("from-parent\n");
    await child.stop();
  }, 60_000);

  it("costs what a fork touches, not its RAM size", async () => {
    const child = await parent.fork();
    child.start();
    await child.exec("echo hi");
    const pages = child.engine.core.pagesPresent();
    expect(pages * 4096, "bytes of guest RAM the fork brought in").toBeLessThan(16 * 2 ** 20);
    expect(pages * 4096).toBeLessThan(parent.engine.core.pagesPresent() * 4096);
    await child.stop();
  }, 60_000);

  it("keeps 20 forks apart: files, a power-off and a fork bomb stay where they happen", async () => {
    const forks = await parent.fork(20);
    forks.forEach((f) => f.start());
    await Promise.all(forks.map((f, i) => f.exec(`echo fork-${i} > /tmp/mine`, { timeout: 120_000 })));
    // Fork 0 powers off at once; fork 1 runs a fork bomb. (The default kernel has no sysrq to crash it with.)
    forks[0].console.write("poweroff -f\n");
    expect(await forks[0].exited).toEqual({ status: 0, reason: "poweroff" });
    forks[1].console.write("b() { b | b & }; b\n");
    const others = forks.slice(2);
    const seen = await Promise.all(others.map((f) => f.exec("cat /tmp/mine; ls /tmp", { timeout: 120_000 })));
    seen.forEach((r, k) => {
      expect(r.output).toContain(`fork-${k + 2}\n`);
      expect(r.output).not.toMatch(/fork-(?!\d)/);
      expect(r.status).toBe(0);
    });
    expect((await parent.exec("cat /tmp/mine 2>/dev/null; echo none")).output).toBe("none\n");
    await Promise.all(forks.map((f) => f.stop()));
  }, 300_000);

  it("gives each fork fresh entropy for virtio-rng", async () => {
    const [a, b] = await parent.fork(2);
    a.start();
    b.start();
    // The kernel's hwrng core may hand out bytes it buffered before the fork: look past them.
    const read = (m: Machine) => m.exec("head -c 4096 /dev/hwrng | tail -c 32 | od -An -tx1");
    const [ra, rb] = await Promise.all([read(a), read(b)]);
    expect(ra.status).toBe(0);
    expect(ra.output).toMatch(/[0-9a-f]{2}/);
    expect(ra.output).not.toBe(rb.output);
    await Promise.all([a.stop(), b.stop()]);
  }, 60_000);
});
