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

/** A kernel uImage (U-Boot's legacy header) around `data`, loaded and entered at `at`; comp 1 = `data` is gzip. */
export function uimage(data: Uint8Array, at: number, comp = 0): Uint8Array {
  const out = new Uint8Array(64 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0x27051956);
  dv.setUint32(12, data.length);
  dv.setUint32(16, at);
  dv.setUint32(20, at);
  out.set([5 /* linux */, 26 /* riscv */, 2 /* kernel */, comp], 28);
  out.set(data, 64);
  return out; // CRCs left zero: QEMU does not check them, nor does hartvm
}
