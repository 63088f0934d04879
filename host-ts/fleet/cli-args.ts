// The fleet subcommands' arguments (DESIGN.md §8): `hartvm fleet` runs jobs from a JSON-lines
// file here or through Redis, `hartvm worker` serves them from Redis. Portable parsing only;
// platform/node-fleet-cli.ts runs them.
import { HartvmError } from "../errors.js";
import { checkHarts, parseMemorySize } from "../limits.js";
import { flagsOf } from "../argv.js";

export interface FleetCliCommon {
  workers?: number;
  guestsPerWorker?: number;
  snapshot?: string;
  ramBytes?: number;
  harts?: number;
  timeoutMs?: number;
  outputLimit?: number;
  cpuShare?: number;
  queue: string;
}

export type FleetCommand =
  | { command: "fleet"; options: FleetCliCommon & { jobs: string; redis?: string; progress: boolean } }
  | { command: "worker"; options: FleetCliCommon & { redis: string; lockMs: number } }
  | { command: "fleet-help" | "worker-help" };

export const DEFAULT_QUEUE = "hartvm";
export const DEFAULT_LOCK_MS = 30_000;

export const FLEET_USAGE = `usage: hartvm fleet --jobs FILE.jsonl [options]    one JSON result per job line on stdout
       hartvm worker --redis URL [options]          serve fleet jobs from a BullMQ queue
  --jobs FILE               JSON lines such as {"id": "t1", "run": "uname -m"} ("-": stdin);
                            fields: id, run (a line or an array of lines), files, timeout (ms)
  --workers N               worker threads (default: the host's cores)
  --guests N                guests each worker runs at once (default 4)
  --snapshot FILE           start jobs from this snapshot of a guest at its shell prompt
                            (default: boot the default guest once and snapshot it)
  -m, --memory SIZE         guest RAM when booting (default 256M)
  --smp N                   harts when booting (default 1)
  --timeout SECONDS         per job (default 60)
  --output-limit BYTES      per job (default 1048576)
  --share N                 each guest's CPU weight in its worker (default 1)
  --redis URL               fleet: submit the jobs to this Redis (BullMQ) and collect the results
  --queue NAME              the BullMQ queue (default ${DEFAULT_QUEUE})
  --lock-ms MS              worker: BullMQ lock duration and stalled-job check interval (default 30000);
                            a dead worker's jobs run again elsewhere after about twice this
  --no-progress             fleet: no progress bar on stderr (there is none unless stderr is a terminal)`;

const usage = (why: string) => new HartvmError("invalid-config", why);

function whole(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw usage(`${flag} needs a whole number, got '${text}'`);
  const n = Number(text);
  if (n < min || n > max) throw usage(`${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(n > 0)) throw usage(`${flag} needs a positive number, got '${text}'`);
  return n;
}

/** Parses `hartvm fleet ...` or `hartvm worker ...` (argv after the subcommand). */
export function parseFleetCommand(command: "fleet" | "worker", argv: readonly string[]): FleetCommand {
  const o: FleetCliCommon & { jobs?: string; redis?: string; progress: boolean; lockMs: number } = { queue: DEFAULT_QUEUE, progress: true, lockMs: DEFAULT_LOCK_MS };
  for (const { flag: arg, value } of flagsOf(argv, (flag) => usage(`${flag} needs a value`))) {
    switch (arg) {
      case "--jobs": o.jobs = value(); break;
      case "--workers": o.workers = whole("--workers", value(), 1, 256); break;
      case "--guests": o.guestsPerWorker = whole("--guests", value(), 1, 256); break;
      case "--snapshot": o.snapshot = value(); break;
      case "-m": case "--memory": o.ramBytes = parseMemorySize(value()); break;
      case "--smp": o.harts = checkHarts(whole("--smp", value(), 0, 1e9)); break;
      case "--timeout": o.timeoutMs = positive("--timeout", value()) * 1000; break;
      case "--output-limit": o.outputLimit = whole("--output-limit", value(), 1, 2 ** 30); break;
      case "--share": o.cpuShare = positive("--share", value()); break;
      case "--redis": o.redis = value(); break;
      case "--queue": {
        const q = value();
        if (!/^[A-Za-z0-9_.-]{1,64}$/.test(q)) throw usage(`--queue takes letters, digits, '_', '.' and '-', got '${q}'`);
        o.queue = q;
        break;
      }
      case "--lock-ms": o.lockMs = whole("--lock-ms", value(), 1000, 3_600_000); break;
      case "--no-progress": o.progress = false; break;
      case "-h": case "--help": return { command: command === "fleet" ? "fleet-help" : "worker-help" };
      default:
        throw usage(arg.startsWith("-") ? `${command}: unknown flag '${arg}' (try hartvm ${command} --help)` : `${command}: unexpected argument '${arg}'`);
    }
  }
  if ((o.ramBytes !== undefined || o.harts !== undefined) && o.snapshot !== undefined) throw usage("--snapshot keeps the saved machine's size; -m and --smp cannot change it");
  const { jobs, redis, progress, lockMs, ...common } = o;
  if (command === "worker") {
    if (redis === undefined) throw usage("worker needs --redis URL");
    if (jobs !== undefined) throw usage("worker takes jobs from Redis, not --jobs");
    return { command, options: { ...common, redis, lockMs } };
  }
  if (jobs === undefined) throw usage("fleet needs --jobs FILE.jsonl");
  if (redis !== undefined && (common.workers !== undefined || common.guestsPerWorker !== undefined || common.snapshot !== undefined || common.ramBytes !== undefined || common.harts !== undefined || common.cpuShare !== undefined)) {
    throw usage("with --redis the workers run the guests: give --workers, --guests, --snapshot, -m, --smp and --share to hartvm worker");
  }
  if (argv.includes("--lock-ms") || argv.some((a) => a.startsWith("--lock-ms="))) throw usage("--lock-ms is a worker's flag");
  return { command, options: { ...common, jobs, redis, progress } };
}
