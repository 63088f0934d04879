// Runs the hartvm CLI as a subprocess with a script on its (piped) console.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(__dirname, "..", "..");
export const CLI = join(ROOT, "bin", "hartvm.js");
export const DEFAULT = join(ROOT, "images", "default");
export const KERNEL = join(DEFAULT, "Image.gz");
export const INITRD = join(DEFAULT, "initramfs.cpio.gz");
export const OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin";

export interface RunResult { status: number | null; stdout: string; stderr: string; seconds: number }

/** Boots with `args`, types `script` (one command per line) and waits for the machine to exit. */
export function hartvm(args: string[], script = "", timeoutSeconds = 120): RunResult {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, "--timeout", String(timeoutSeconds), ...args], {
    cwd: ROOT, input: script, encoding: "utf8", timeout: (timeoutSeconds + 30) * 1000, maxBuffer: 64 * 2 ** 20,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - t0) / 1000 };
}

/** Stdout, and stderr on failure, for assertion messages. */
export function describeRun(r: RunResult): string {
  return `status ${r.status} after ${r.seconds.toFixed(1)} s\n--- stdout (tail)\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-2000)}`;
}
