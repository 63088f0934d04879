// Shared helpers for the device tests (not a test file).
import { spawnSync } from "node:child_process";

export const hasDtc = !spawnSync("dtc", ["--version"]).error;

/** dtc -I dtb -O dts on a blob. */
export function dtcToDts(blob: Uint8Array): { status: number | null; out: string; err: string } {
  const r = spawnSync("dtc", ["-I", "dtb", "-O", "dts", "-o", "-", "-"], { input: blob });
  return { status: r.status, out: r.stdout.toString(), err: r.stderr.toString() };
}

/** An IrqLine that records its level and every change. */
export function irqProbe(): { line: (level: boolean) => void; level: () => boolean; changes: boolean[] } {
  const changes: boolean[] = [];
  let current = false;
  return {
    line: (l: boolean) => {
      changes.push(l);
      current = l;
    },
    level: () => current,
    changes,
  };
}

/** Fast byte-array equality (vitest's toEqual walks typed arrays element by element). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
