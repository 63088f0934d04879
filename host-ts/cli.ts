// Command-line contract (DESIGN.md §8): parsing and validation, free of any runtime's API.
// Limits are checked by limits.ts, the same checks the API makes.
import { HartvmError } from "./errors.js";
import { checkHarts, checkVirtioDevices, parseMemorySize } from "./limits.js";
import { parseFleetCommand, type FleetCommand } from "./fleet/cli-args.js";
import { flagsOf } from "./argv.js";

/** A malformed command line (exit status 2). */
export class UsageError extends HartvmError {
  constructor(message: string) {
    super("invalid-config", message);
  }
}

export interface DriveSpec { file: string; readonly: boolean; format: "raw" }
export interface ShareSpec { path: string; tag?: string; readonly: boolean }

export interface CliOptions {
  kernel?: string;
  initrd?: string;
  append?: string;
  bios: "builtin" | "none" | { file: string };
  ramBytes: number;
  harts: number;
  drives: DriveSpec[];
  shares: ShareSpec[];
  /** --virtconsole unix:PATH: a virtio-console served on a Unix socket. */
  virtconsole?: { socket: string };
  dtb?: string;
  dumpDtb?: string;
  timeoutSeconds?: number;
  noReboot: boolean;
  /** virtio-mmio version 1 (--virtio-legacy, QEMU's -global virtio-mmio.force-legacy=true). */
  virtioLegacy: boolean;
  /** Visits before a block is compiled to wasm; 0 = interpret only; undefined = the machine's default. */
  jit?: number;
  jitStats: boolean;
  trace?: number;
  /** Start from this snapshot instead of booting. */
  restore?: string;
  /** Save a snapshot to `file` when the console first prints `pattern`; exit after it when `exit`. */
  saveAt?: { pattern: RegExp; file: string; exit: boolean };
  /** Time is the instruction count, entropy seeded (seed given or 0). */
  deterministic?: { seed: number };
  /** gdb remote stub: where it listens (--gdb tcp:[HOST]:PORT, -s = tcp::1234). */
  gdb?: { host: string; port: number };
  /** -S: hold the machine before its first instruction until gdb resumes it. */
  waitForDebugger: boolean;
  help: boolean;
  version: boolean;
  /** The flags given (by their long name), to refuse combinations that make no sense. */
  given: Set<string>;
}

export const USAGE = `usage: hartvm [options]
  (no options)              boot the embedded default Linux guest
  --kernel FILE             Linux Image, Image.gz, or ELF
  --initrd FILE             initramfs (cpio, optionally gzip)
  --append "ARGS"           kernel command line
  --bios builtin|none|FILE  firmware (default builtin)
  -m, --memory SIZE         guest RAM, e.g. 256M, 1G (default 256M, at most 2G)
  --smp N                   harts, 1-8 (default 1)
  --drive FILE[,format=raw][,readonly=on]  virtio-blk disk (repeatable)
  --share DIR[,tag=T][,readonly=on]        virtio-9p folder (repeatable; tag default share)
  --virtconsole unix:PATH   a virtio-console (/dev/hvc1 in the default guest) on a Unix socket
  --dtb FILE | --dump-dtb FILE
  --timeout SECONDS         stop the guest; exit status 124
  --no-reboot               exit when the guest reboots
  --virtio-legacy           virtio-mmio version 1 (legacy) registers, for guests with only
                            legacy drivers (QEMU: -global virtio-mmio.force-legacy=true)
  --jit on|off|N            compile hot code to WebAssembly (default on); N = visits
                            before a block is compiled (0 = off)
  --jit-stats               print translation statistics on exit
  --trace N                 print the first N executed instructions
  --restore FILE            start from a snapshot instead of booting
  --save-at REGEX FILE      save a snapshot when the console first prints REGEX, and go on
  --save-exit-at REGEX FILE the same, then exit
  --deterministic[=SEED]    time is the instruction count; entropy seeded; fixed RTC epoch
  --gdb tcp:[HOST]:PORT     gdb remote stub (HOST empty = loopback only; PORT 0 = any free)
  -s                        the same as --gdb tcp::1234
  -S                        wait for gdb before the first instruction
  -h, --help | --version
hartvm fleet --jobs FILE.jsonl [--workers N] [--snapshot FILE] [--redis URL]   run jobs, one JSON result per line
hartvm worker --redis URL [--queue NAME]                                      serve fleet jobs from BullMQ
                            (hartvm fleet --help for their options)`;

/** "256M", "1G", "65536K", "134217728" → bytes (a bare number is MiB, as QEMU's -m). */
export const parseSize = parseMemorySize;

function parseInteger(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} needs a whole number, got '${text}'`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function parseShare(text: string): ShareSpec {
  const [path, ...opts] = text.split(",");
  if (!path) throw new UsageError("--share needs a directory");
  const share: ShareSpec = { path, readonly: false };
  for (const opt of opts) {
    const [key, value] = opt.split("=");
    if (key === "tag" && value) { share.tag = value; continue; }
    if (key === "readonly" && (value === "on" || value === "off")) { share.readonly = value === "on"; continue; }
    throw new UsageError(`--share: unknown option '${opt}'`);
  }
  return share;
}

function parseDrive(text: string): DriveSpec {
  const [file, ...opts] = text.split(",");
  if (!file) throw new UsageError("--drive needs a file name");
  const drive: DriveSpec = { file, readonly: false, format: "raw" };
  for (const opt of opts) {
    const [key, value] = opt.split("=");
    if (key === "format" && value === "raw") continue;
    if (key === "format") throw new UsageError(`--drive: unsupported format '${value}' (only raw)`);
    if (key === "readonly" && (value === "on" || value === "off")) { drive.readonly = value === "on"; continue; }
    if (key === "if" && value === "virtio") continue;
    throw new UsageError(`--drive: unknown option '${opt}'`);
  }
  return drive;
}

/** QEMU's -global, for the one property hartvm has: virtio-mmio.force-legacy (true = version 1). */
function parseGlobal(text: string): boolean {
  const m = /^virtio-mmio\.force-legacy=(true|false|on|off)$/.exec(text);
  if (!m) throw new UsageError(`-global: only virtio-mmio.force-legacy=true|false is supported, got '${text}'`);
  return m[1] === "true" || m[1] === "on";
}

/** QEMU's -gdb device: tcp:[HOST]:PORT (none = no stub). */
function parseGdb(text: string): { host: string; port: number } | undefined {
  if (text === "none") return undefined;
  const m = /^tcp:([^:]*):(\d{1,5})$/.exec(text);
  if (!m || Number(m[2]) > 65535) throw new UsageError(`--gdb takes tcp:[HOST]:PORT (e.g. tcp::1234), got '${text}'`);
  return { host: m[1], port: Number(m[2]) };
}

/** Parses argv (without the program name). Throws UsageError with a one-line reason. */
export function parseCommandLine(argv: readonly string[]): CliOptions {
  const o: CliOptions = { bios: "builtin", ramBytes: 256 * 2 ** 20, harts: 1, drives: [], shares: [], noReboot: false, virtioLegacy: false, jitStats: false, waitForDebugger: false, help: false, version: false, given: new Set() };
  for (const { flag: arg, inline, value } of flagsOf(argv, (flag) => new UsageError(`${flag} needs a value`))) {
    o.given.add(arg.replace(/^-+/, "--"));
    switch (arg) {
      case "--kernel": case "-kernel": o.kernel = value(); break;
      case "--initrd": case "-initrd": o.initrd = value(); break;
      case "--append": case "-append": o.append = value(); break;
      case "--bios": case "-bios": {
        const v = value();
        o.bios = v === "builtin" || v === "default" ? "builtin" : v === "none" ? "none" : { file: v };
        break;
      }
      case "-m": case "--memory": o.ramBytes = parseSize(value()); break;
      case "--smp": case "-smp": o.harts = checkHarts(parseInteger("--smp", value(), 0, 1e9)); break;
      case "--drive": case "-drive":
        o.drives.push(parseDrive(value()));
        checkVirtioDevices({ disks: o.drives.length, shares: o.shares.length, consoles: o.virtconsole ? 1 : 0 });
        break;
      case "--share": case "-virtfs":
        o.shares.push(parseShare(value()));
        checkVirtioDevices({ disks: o.drives.length, shares: o.shares.length, consoles: o.virtconsole ? 1 : 0 });
        break;
      case "--virtconsole": {
        const v = value();
        if (!v.startsWith("unix:") || v.length === 5) throw new UsageError(`--virtconsole takes unix:PATH, got '${v}'`);
        o.virtconsole = { socket: v.slice(5) };
        checkVirtioDevices({ disks: o.drives.length, shares: o.shares.length, consoles: 1 });
        break;
      }
      case "--dtb": case "-dtb": o.dtb = value(); break;
      case "--dump-dtb": o.dumpDtb = value(); break;
      case "--timeout": {
        const v = value();
        const n = Number(v);
        if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0)) throw new UsageError(`--timeout needs a positive number of seconds, got '${v}'`);
        o.timeoutSeconds = n;
        break;
      }
      case "--no-reboot": case "-no-reboot": o.noReboot = true; break;
      case "--virtio-legacy": o.virtioLegacy = true; break;
      case "--global": case "-global": o.virtioLegacy = parseGlobal(value()); break;
      case "--jit": {
        const v = value();
        if (v === "on") o.jit = undefined;
        else if (v === "off") o.jit = 0;
        else if (/^\d+$/.test(v)) o.jit = parseInteger("--jit", v, 0, 1e9);
        else throw new UsageError(`--jit takes on, off or a number of visits, got '${v}'`);
        break;
      }
      case "--jit-stats": o.jitStats = true; break;
      case "--trace": o.trace = parseInteger("--trace", value(), 1, 1e9); break;
      case "--restore": case "-loadvm": o.restore = value(); break;
      case "--save-at": case "--save-exit-at": {
        if (o.saveAt) throw new UsageError("give --save-at or --save-exit-at once");
        const source = value();
        let pattern: RegExp;
        try {
          pattern = new RegExp(source);
        } catch (e) {
          throw new UsageError(`${arg}: '${source}' is not a regular expression (${(e as Error).message})`);
        }
        o.saveAt = { pattern, file: value(), exit: arg === "--save-exit-at" };
        break;
      }
      case "--deterministic":
        o.deterministic = { seed: inline === undefined ? 0 : parseInteger("--deterministic", inline, 0, Number.MAX_SAFE_INTEGER) };
        break;
      case "--gdb": case "-gdb": o.gdb = parseGdb(value()); break;
      case "-s": o.gdb = { host: "", port: 1234 }; break;
      case "-S": o.waitForDebugger = true; break;
      case "-h": case "--help": o.help = true; break;
      case "--version": o.version = true; break;
      default:
        throw new UsageError(arg.startsWith("-") ? `unknown flag '${arg}' (try --help)` : `unexpected argument '${arg}' (try --help)`);
    }
  }
  if (o.restore !== undefined) {
    const clash = ["--kernel", "--initrd", "--append", "--bios", "--memory", "--m", "--smp", "--drive", "--share", "--virtconsole", "--dtb", "--dump-dtb", "--deterministic", "--virtio-legacy", "--global"].find((f) => o.given.has(f));
    if (clash) throw new UsageError(`--restore continues the saved machine as it was; ${clash} cannot change it`);
  }
  if (o.waitForDebugger && !o.gdb) throw new UsageError("-S waits for a debugger: add --gdb tcp::PORT or -s");
  return o;
}

/** `hartvm ARGS` runs a machine; `hartvm fleet ...` and `hartvm worker ...` are fleets (fleet/cli-args.ts). */
export type Command = { command: "run"; options: CliOptions } | FleetCommand;

export function parseSubcommand(argv: readonly string[]): Command {
  if (argv[0] === "fleet" || argv[0] === "worker") return parseFleetCommand(argv[0], argv.slice(1));
  return { command: "run", options: parseCommandLine(argv) };
}
