// The CLI's guest runs on the main thread, and the process's helper threads (V8's compile
// workers, libuv's pool) must not take the CPU from it: on Linux the CLI lowers their
// priority by 10 (nice, at most 19) before the guest starts (host-ts/platform/node-threads.ts).
import { describe, it, expect } from "vitest";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { getPriority } from "node:os";

const CLI = join(import.meta.dirname, "../../dist/hartvm.js");

/** The nice value of every thread of process `pid`, by thread id. */
function niceValues(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // from field 3 (state) on
    out.set(Number(t), Number(fields[16])); // field 19: nice
  }
  return out;
}

describe("the CLI's threads", () => {
  it.skipIf(process.platform !== "linux")("run the guest at the process's priority and every helper 10 below it", async () => {
    const child = spawn(process.execPath, [CLI, "--timeout", "20"], { stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => { output += d; });
    try {
      // The guest is running once the kernel prints; the priorities are set before it starts.
      for (let waited = 0; !output.includes("Linux version") && waited < 15_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      expect(output).toContain("Linux version");
      const nice = niceValues(child.pid!);
      const main = nice.get(child.pid!)!;
      expect(main).toBe(getPriority(process.pid)); // as this process runs: unchanged
      const helpers = [...nice].filter(([tid]) => tid !== child.pid);
      expect(helpers.length).toBeGreaterThan(3); // V8's workers at least
      for (const [tid, value] of helpers) expect(value, `thread ${tid}`).toBe(Math.min(19, main + 10));
    } finally {
      child.kill("SIGKILL");
    }
  }, 30_000);
});
