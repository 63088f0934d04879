// The public API in Node, in-process: the default guest from the package, status and
// events, the console, exec, exact pause/resume, reset and stop.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createMachine, HartvmError, type Machine, type ExitEvent } from "../../host-ts/api.js";

const PROMPT = /root@hartvm.*# $/;

describe("a machine of the default guest", () => {
  let vm: Machine;
  const events: string[] = [];
  let exit: ExitEvent | null = null;

  beforeAll(async () => {
    vm = await createMachine();
    for (const name of ["pause", "resume", "reset"] as const) vm.on(name, () => events.push(name));
    vm.on("exit", (e) => { exit = e; events.push("exit"); });
    expect(vm.status).toBe("created");
    vm.start();
    expect(vm.status).toBe("running");
    await vm.console.waitFor(PROMPT, { timeout: 120_000 });
  }, 150_000);

  afterAll(async () => { await vm?.stop(); });

  it("runs commands with exec and gives their output and status", async () => {
    expect(await vm.exec("uname -m")).toEqual({ output: "riscv64\n", status: 0 });
    expect(await vm.exec("echo 'a b'; false")).toEqual({ output: "a b\n", status: 1 });
    expect((await vm.exec("sh -c 'exit 7'")).status).toBe(7);
    const [one, two] = await Promise.all([vm.exec("echo one"), vm.exec("echo two")]);
    expect([one.output, two.output]).toEqual(["one\n", "two\n"]);
  });

  it("takes typed input and shows output as an async iterable", async () => {
    const it = vm.console[Symbol.asyncIterator]();
    vm.console.write("echo itera''ble\n");
    let seen = "";
    const decoder = new TextDecoder();
    while (!seen.includes("iterable\r\n")) seen += decoder.decode((await it.next()).value);
    await it.return!();
    await vm.console.waitFor(PROMPT);
  });

  it("pauses exactly: no instruction runs while paused, and the guest goes on after", async () => {
    await vm.pause();
    expect(vm.status).toBe("paused");
    const before = vm.stats().instructions;
    await new Promise((r) => setTimeout(r, 200));
    expect(vm.stats().instructions).toBe(before);
    await vm.resume();
    expect(vm.status).toBe("running");
    expect((await vm.exec("echo back")).output).toBe("back\n");
    expect(vm.stats().instructions).toBeGreaterThan(before);
    expect(events).toEqual(expect.arrayContaining(["pause", "resume"]));
  });

  it("reports statistics", () => {
    const s = vm.stats();
    expect(s.instructions).toBeGreaterThan(1e7);
    expect(s.mips).toBeGreaterThan(1);
    expect(s.wallMs).toBeGreaterThan(100);
    expect(s.harts).toBe(1);
    expect(s.jit?.blocks).toBeGreaterThan(0);
  });

  it("resets to a fresh boot", async () => {
    await vm.exec("echo before-reset > /tmp/mark");
    await vm.reset();
    expect(events).toContain("reset");
    await vm.console.waitFor(/Linux version/, { timeout: 60_000 });
    await vm.console.waitFor(PROMPT, { timeout: 120_000 });
    expect((await vm.exec("cat /tmp/mark 2>/dev/null; echo end")).output).toBe("end\n");
  }, 150_000);

  it("stops for good", async () => {
    await vm.stop();
    expect(vm.status).toBe("stopped");
    expect(exit).toEqual({ status: 0, reason: "stopped" });
    expect(await vm.exited).toEqual({ status: 0, reason: "stopped" });
    await expect(vm.exec("true")).rejects.toMatchObject({ code: "exited" });
    expect(() => vm.start()).toThrow(HartvmError);
    await expect(vm.resume()).rejects.toMatchObject({ code: "invalid-state" });
  });
});

describe("a guest that powers off", () => {
  it("exits with status 0 and its output reaches the console", async () => {
    const vm = await createMachine();
    const chunks: Uint8Array[] = [];
    vm.on("output", (b) => chunks.push(b));
    vm.start();
    await vm.console.waitFor(PROMPT, { timeout: 120_000 });
    vm.console.write("poweroff -f\n");
    expect(await vm.exited).toEqual({ status: 0, reason: "poweroff" });
    expect(Buffer.concat(chunks).toString()).toMatch(/reboot: Power down/);
    expect(vm.status).toBe("stopped");
    await expect(vm.console.waitFor(/never/)).rejects.toMatchObject({ code: "exited" });
  }, 120_000);

  it("times out with status 124", async () => {
    const vm = await createMachine({ timeoutMs: 300 });
    vm.start();
    expect(await vm.exited).toEqual({ status: 124, reason: "timeout" });
  }, 60_000);
});

describe("waitFor", () => {
  it("rejects on timeout, without stopping the machine", async () => {
    const vm = await createMachine();
    vm.start();
    await expect(vm.console.waitFor(/this text never appears/, { timeout: 200 })).rejects.toMatchObject({ code: "timeout" });
    expect(vm.status).toBe("running");
    await vm.stop();
  }, 60_000);
});
