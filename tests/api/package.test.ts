// The package as users get it: `npm pack`, installed into an empty project, used from Node
// and from Deno (the `deno` npm package, read permission only), and its type declarations
// compiled against a consumer file.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, copyFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const DENO = join(ROOT, "node_modules", ".bin", "deno");
const TSC = join(ROOT, "node_modules", ".bin", "tsc");
let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "hartvm-consumer-"));
  execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", project], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  const tarball = readdirSync(project).find((f) => f.endsWith(".tgz"))!;
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["install", "--silent", "--no-audit", "--no-fund", join(project, tarball)], { cwd: project, stdio: ["ignore", "ignore", "inherit"] });
  for (const f of ["session.mjs", "boot-and-exec.mjs"]) copyFileSync(join(ROOT, "examples", f), join(project, f));
}, 120_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

function expectSession(stdout: string, stderr: string) {
  const result = JSON.parse(stdout.trim().split("\n").pop()!);
  expect(result, stderr).toMatchObject({ machine: "riscv64", status: 0, stillPaused: true, resumed: "resumed", finalStatus: "stopped" });
  expect(result.promptMs).toBeGreaterThan(0);
  return result;
}

describe("the installed package", () => {
  it("runs the example under Node", () => {
    const r = spawnSync(process.execPath, ["boot-and-exec.mjs"], { cwd: project, encoding: "utf8", timeout: 180_000 });
    expect(r.status, r.stderr).toBe(0);
    const result = expectSession(r.stdout, r.stderr);
    console.log(`Node: prompt after ${result.promptMs} ms`);
  }, 200_000);

  it("runs the same example under Deno with read permission only", () => {
    const r = spawnSync(DENO, ["run", `--allow-read=${project}`, "boot-and-exec.mjs"], {
      cwd: project, encoding: "utf8", timeout: 180_000, env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    });
    expect(r.status, r.stderr).toBe(0);
    const result = expectSession(r.stdout, r.stderr);
    console.log(`Deno: prompt after ${result.promptMs} ms`);
  }, 200_000);

  it("ships type declarations a consumer compiles against", () => {
    writeFileSync(join(project, "consumer.ts"), `
import { createMachine, HartvmError, LIMITS, type Machine, type ExitEvent, type MachineStats } from "hartvm";
async function main(): Promise<number> {
  const vm: Machine = await createMachine({ memory: "512M", harts: 2, jit: false, drives: [{ file: new Uint8Array(512), readonly: true }] });
  vm.on("exit", (e: ExitEvent) => console.log(e.status, e.reason));
  vm.start();
  const r = await vm.console.waitFor(/# $/, { timeout: 1000 });
  const { output, status } = await vm.exec("uname -m");
  const s: MachineStats = vm.stats();
  for await (const chunk of vm.console) chunk.byteLength;
  const stream: ReadableStream<Uint8Array> = vm.console.stream();
  await vm.pause(); await vm.resume(); await vm.reset(); await vm.stop();
  try { await createMachine({ harts: LIMITS.maxHarts + 1 }); } catch (e) { if (e instanceof HartvmError) return e.code.length; }
  return output.length + status + s.instructions + r.text.length + (stream ? 1 : 0);
}
void main;
// @ts-expect-error: an unknown option is a type error
void createMachine({ hart: 2 });
`);
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify({
      compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, lib: ["ES2022", "DOM", "DOM.AsyncIterable"], types: [] },
      files: ["consumer.ts"],
    }));
    const r = spawnSync(TSC, ["-p", project], { cwd: project, encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  }, 60_000);
});
