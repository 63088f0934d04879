// Shared by the fleet tests: a job snapshot of the default guest made once per test file,
// the CLI as users run it, and a real Redis server (Debian's redis-server) on a free port.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { createMachine } from "../../host-ts/api.js";

export const HARTVM = new URL("../../bin/hartvm.js", import.meta.url).pathname;
export const dir = mkdtempSync(join(tmpdir(), "hartvm-fleet-"));
export const removeDir = () => rmSync(dir, { recursive: true, force: true });

/** A snapshot of the default guest at its prompt, in a file (fleets take it with --snapshot). */
export async function promptSnapshot(): Promise<string> {
  const vm = await createMachine();
  vm.start();
  await vm.console.waitFor(/root@hartvm.*# $/, { timeout: 240_000, pause: true });
  const path = join(dir, "prompt.snap");
  writeFileSync(path, await vm.snapshot());
  await vm.stop();
  return path;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** redis-server on 127.0.0.1, nothing saved to disk; resolves once it accepts connections. */
export async function startRedis(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const p = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let log = "";
    p.stdout!.on("data", (b) => { log += b; if (/Ready to accept connections/.test(log)) resolve(); });
    p.on("exit", (code) => reject(new Error(`redis-server exited (${code}): ${log}`)));
    p.on("error", reject);
  });
  return { url: `redis://127.0.0.1:${port}`, stop: () => p.kill("SIGKILL") };
}

export interface Ran { status: number | null; stdout: string; stderr: string }

/** Runs the CLI to its end. */
export function hartvm(args: string[], opts: { timeoutMs?: number } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [HARTVM, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (b) => (stdout += b));
    p.stderr.on("data", (b) => (stderr += b));
    const t = setTimeout(() => p.kill("SIGKILL"), opts.timeoutMs ?? 300_000);
    p.on("error", reject);
    p.on("close", (status) => { clearTimeout(t); resolve({ status, stdout, stderr }); });
  });
}

/** Starts the CLI and leaves it running (a worker); resolves once it printed `ready`. */
export function startHartvm(args: string[], ready: RegExp): Promise<{ child: ChildProcess; stderr: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HARTVM, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr!.on("data", (b) => { err += b; if (ready.test(err)) resolve({ child, stderr: () => err }); });
    child.on("exit", (code) => reject(new Error(`hartvm ${args[0]} exited (${code}): ${err}`)));
  });
}

export const jsonLines = (text: string) => text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
