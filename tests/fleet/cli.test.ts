// `hartvm fleet` on one host: JSON lines in, one JSON result per job out, bad lines answered
// in place, the exit status says whether every job succeeded; usage errors are status 2.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { dir, removeDir, hartvm, jsonLines, promptSnapshot, HARTVM } from "./support.js";

function run(cmd: string, args: string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    p.stdout.on("data", (b) => (stdout += b));
    p.on("error", reject);
    p.on("close", (status) => resolve({ status, stdout }));
  });
}

let snapshot: string;
beforeAll(async () => { snapshot = await promptSnapshot(); }, 300_000);
afterAll(removeDir);

describe("hartvm fleet", () => {
  it("runs every line of a job file and prints one result per job", async () => {
    const jobs = join(dir, "jobs.jsonl");
    writeFileSync(jobs, [
      `{"id": "t1", "run": "uname -m"}`,
      `{"id": "t2", "run": ["cd /tmp", "pwd", "exit 4", "echo never"]}`,
      ``,
      `not json`,
      `{"id": "t3", "files": {"/root/in.txt": "from the host"}, "run": "cat in.txt"}`,
      `{"id": "t4", "run": "sleep 20", "timeout": 1500}`,
      `{"id": "t5", "run": "true", "colour": "red"}`,
    ].join("\n"));
    const r = await hartvm(["fleet", "--jobs", jobs, "--workers", "2", "--guests", "2", "--snapshot", snapshot]);
    expect(r.status).toBe(1); // not every job succeeded
    const out = jsonLines(r.stdout);
    expect(out).toHaveLength(6);
    const by = (line: number) => out.find((o) => o.line === line);
    expect(by(1)).toMatchObject({ id: "t1", status: 0, reason: "exit", output: "riscv64\n", attempts: 1 });
    expect(by(2)).toMatchObject({ id: "t2", status: 4, reason: "exit", output: "/tmp\n" });
    expect(by(4)).toMatchObject({ status: 125, reason: "error", error: "line 4: not JSON" });
    expect(by(5)).toMatchObject({ id: "t3", status: 0, output: "from the host" });
    expect(by(6)).toMatchObject({ id: "t4", status: 124, reason: "timeout" });
    expect(by(7)).toMatchObject({ status: 125, reason: "error" });
    expect(by(7).error).toMatch(/no field 'colour'/);
    expect(r.stderr).toBe(""); // no progress bar when stderr is not a terminal
  }, 300_000);

  it("exits 0 when every job succeeded", async () => {
    const jobs = join(dir, "ok.jsonl");
    writeFileSync(jobs, Array.from({ length: 4 }, (_, i) => JSON.stringify({ id: `n${i}`, run: `echo ${i}` })).join("\n") + "\n");
    const r = await hartvm(["fleet", "--jobs", jobs, "--workers", "1", "--snapshot", snapshot]);
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout).map((o) => o.output).sort()).toEqual(["0\n", "1\n", "2\n", "3\n"]);
  }, 300_000);

  it("draws a progress bar when stderr is a terminal", async () => {
    const jobs = join(dir, "tty.jsonl");
    writeFileSync(jobs, `{"id": "p1", "run": "echo one"}\n{"id": "p2", "run": "echo two"}\n`);
    // script(1) runs the CLI on a pseudo-terminal: stdout and stderr both arrive on its output.
    const cmd = [process.execPath, HARTVM, "fleet", "--jobs", jobs, "--workers", "1", "--snapshot", snapshot].map((a) => `'${a}'`).join(" ");
    const r = await run("script", ["-qec", cmd, "/dev/null"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\[#+-*\] 2\/2 jobs, 0 failed, \d+ jobs\/min/);
    expect(r.stdout).toMatch(/"id":"p1".*"output":"one\\n"/);
  }, 300_000);

  it("refuses bad command lines with status 2 and one line", async () => {
    for (const args of [
      ["fleet"],
      ["fleet", "--jobs", "x", "--workers", "0"],
      ["fleet", "--jobs", "x", "--redis", "redis://127.0.0.1:1", "--workers", "2"],
      ["fleet", "--jobs", "x", "--snapshot", "s", "-m", "64M"],
      ["worker"],
      ["worker", "--redis", "redis://x", "--jobs", "j"],
      ["worker", "--redis", "redis://x", "--queue", "a b"],
      ["fleet", "--jobs", join(dir, "missing.jsonl"), "--snapshot", snapshot],
      ["fleet", "--bogus"],
    ]) {
      const r = await hartvm(args, { timeoutMs: 60_000 });
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr).toMatch(/^hartvm: /);
    }
    const help = await hartvm(["fleet", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--redis URL/);
  }, 300_000);
});
