// Checking fleet jobs and options as programs and JSON lines give them: one-line reasons.
import { HartvmError } from "../errors.js";
import type { FleetJob, FleetOptions } from "./types.js";

const bad = (why: string) => new HartvmError("invalid-config", why);

/** A job as given (an object from the API or a parsed JSON line), checked; throws HartvmError "invalid-config". */
export function checkJob(raw: unknown): FleetJob {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw bad("a job is an object such as { \"run\": \"uname -m\" }");
  const j = raw as Record<string, unknown>;
  const known = new Set(["id", "run", "files", "timeout"]);
  const unknown = Object.keys(j).find((k) => !known.has(k));
  if (unknown !== undefined) throw bad(`a job has no field '${unknown}' (id, run, files, timeout)`);
  if (j.id !== undefined && typeof j.id !== "string") throw bad("a job's id is a string");
  const lines = typeof j.run === "string" ? [j.run] : j.run;
  if (!Array.isArray(lines) || lines.length === 0 || !lines.every((l) => typeof l === "string")) throw bad("a job's run is a command line or a non-empty array of them");
  if (lines.some((l) => /[\r\n]/.test(l as string))) throw bad("a job's command has a line break: give several lines as an array");
  if (j.timeout !== undefined && !(typeof j.timeout === "number" && j.timeout > 0)) throw bad("a job's timeout is a positive number of milliseconds");
  if (j.files !== undefined) {
    if (typeof j.files !== "object" || j.files === null || Array.isArray(j.files)) throw bad("a job's files map guest paths to contents");
    for (const [path, f] of Object.entries(j.files)) {
      if (path === "" || /[\0\r\n]/.test(path)) throw bad(`a job's file path '${path}' is not usable`);
      const ok = typeof f === "string" || f instanceof Uint8Array || (typeof f === "object" && f !== null && typeof (f as { base64?: unknown }).base64 === "string" && isMode((f as { mode?: unknown }).mode));
      if (!ok) throw bad(`a job's file '${path}' is text, bytes or { base64, mode }`);
      if (typeof f === "object" && f !== null && "base64" in f && !/^[A-Za-z0-9+/]*={0,2}$/.test((f as { base64: string }).base64)) throw bad(`a job's file '${path}' is not valid base64`);
    }
  }
  return j as unknown as FleetJob;
}

const isMode = (m: unknown) => m === undefined || (Number.isInteger(m) && (m as number) >= 0 && (m as number) <= 0o7777);

const positive = (v: unknown, what: string, integer = true): void => {
  if (v === undefined) return;
  if (typeof v !== "number" || !(v > 0) || (integer && !Number.isInteger(v))) throw bad(`${what} must be a positive ${integer ? "whole " : ""}number, got ${String(v)}`);
};

/** Checks the numbers of a fleet's options (the machine's own are checked where machines are made). */
export function checkFleetOptions(o: FleetOptions): void {
  if (typeof o !== "object" || o === null) throw bad("createFleet takes an options object");
  positive(o.workers, "workers");
  positive(o.guestsPerWorker, "guestsPerWorker");
  positive(o.quantum, "quantum");
  positive(o.bootTimeout, "bootTimeout", false);
  positive(o.workerHeapMb, "workerHeapMb");
  if (o.workers !== undefined && o.workers > 256) throw bad(`workers must be at most 256, got ${o.workers}`);
  if (o.guestsPerWorker !== undefined && o.guestsPerWorker > 256) throw bad(`guestsPerWorker must be at most 256, got ${o.guestsPerWorker}`);
  if (o.guest !== undefined && o.snapshot !== undefined) throw bad("give a fleet either guest or snapshot, not both");
  if (o.prompt !== undefined && !(o.prompt instanceof RegExp)) throw bad("prompt is a regular expression");
  const g = o.perGuest ?? {};
  positive(g.timeout, "perGuest.timeout", false);
  positive(g.outputLimit, "perGuest.outputLimit");
  positive(g.cpuShare, "perGuest.cpuShare", false);
}
