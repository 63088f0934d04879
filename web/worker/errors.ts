// One clear line for every failure the page shows. hartvm's own errors (HartvmError) already
// say what went wrong in the CLI's words; the browser's own failures are put in plain terms.
import { HartvmError } from "../../host-ts/api.js";

/** `doing` says what the page was doing ("Booting", "Restoring disk.snap"). */
export function describeError(e: unknown, doing: string): string {
  if (e instanceof HartvmError) return `${doing} failed: ${e.message}`;
  if (isOutOfMemory(e)) {
    return `${doing} failed: out of memory (${(e as Error).message}). The browser could not give the machine its RAM: close other tabs, or ask for less with ?memory=128M.`;
  }
  const message = e instanceof Error ? e.message : String(e);
  return `${doing} failed: ${message}`;
}

/** V8 and the other engines report a failed allocation of wasm memory or an ArrayBuffer as a RangeError. */
export function isOutOfMemory(e: unknown): boolean {
  return e instanceof RangeError && /out of memory|allocation failed|could not allocate|maximum memory size|unable to grow|memory\.grow/i.test(e.message);
}
