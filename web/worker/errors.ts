// One clear line for every failure the page shows. hartvm's own errors (HartvmError) already
// say what went wrong in the CLI's words; running out of memory gets a hint, and the
// browser's own failures are put in plain terms.
import { HartvmError } from "../../host-ts/api.js";

const HINT = "The browser could not give the machine that much memory: close other tabs, or ask for less RAM with ?memory=128M.";

/** `doing` says what the page was doing ("Booting", "Restoring disk.snap"). */
export function describeError(e: unknown, doing: string): string {
  if (e instanceof HartvmError) return `${doing} failed: ${e.message}${e.code === "limit" && /cannot allocate/.test(e.message) ? `. ${HINT}` : ""}`;
  if (isOutOfMemory(e)) return `${doing} failed: out of memory (${(e as Error).message}). ${HINT}`;
  return `${doing} failed: ${e instanceof Error ? e.message : String(e)}`;
}

/** V8 and the other engines report a failed allocation of wasm memory or an ArrayBuffer as a RangeError. */
function isOutOfMemory(e: unknown): boolean {
  return e instanceof RangeError && /out of memory|allocation failed|could not allocate|maximum memory size|unable to grow/i.test(e.message);
}
