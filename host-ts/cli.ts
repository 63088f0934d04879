// Command-line contract (DESIGN.md §8): parsing and validation, free of any runtime's API.

export class UsageError extends Error {}

export interface DriveSpec { file: string; readonly: boolean; format: "raw" }

export interface CliOptions {
  kernel?: string;
  initrd?: string;
  append?: string;
  bios: "builtin" | "none" | { file: string };
  ramBytes: number;
  harts: number;
  drives: DriveSpec[];
  dtb?: string;
  dumpDtb?: string;
  timeoutSeconds?: number;
  noReboot: boolean;
  /** Visits before a block is compiled to wasm; 0 = interpret only; undefined = the machine's default. */
  jit?: number;
  jitStats: boolean;
  trace?: number;
  /** gdb remote stub: where it listens (--gdb tcp:[HOST]:PORT, -s = tcp::1234). */
  gdb?: { host: string; port: number };
  /** -S: hold the machine before its first instruction until gdb resumes it. */
  waitForDebugger: boolean;
  help: boolean;
  version: boolean;
}

export const USAGE = `usage: hartvm [options]
  (no options)              boot the embedded default Linux guest
  --kernel FILE             Linux Image, Image.gz, or ELF
  --initrd FILE             initramfs (cpio, optionally gzip)
  --append "ARGS"           kernel command line
  --bios builtin|none|FILE  firmware (default builtin)
  -m, --memory SIZE         guest RAM, e.g. 256M, 1G (default 256M)
  --smp N                   harts, 1-8 (default 1)
  --drive FILE[,format=raw][,readonly=on]  virtio-blk disk (repeatable)
  --dtb FILE | --dump-dtb FILE
  --timeout SECONDS         stop the guest; exit status 124
  --no-reboot               exit when the guest reboots
  --jit on|off|N            compile hot code to WebAssembly (default on); N = visits
                            before a block is compiled (0 = off)
  --jit-stats               print translation statistics on exit
  --trace N                 print the first N executed instructions
  --gdb tcp:[HOST]:PORT     gdb remote stub (HOST empty = loopback only; PORT 0 = any free)
  -s                        the same as --gdb tcp::1234
  -S                        wait for gdb before the first instruction
  -h, --help | --version`;

const MAX_HARTS = 8;
const MAX_RAM = 2 ** 31;

/** "256M", "1G", "65536K", "134217728" → bytes. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(i?B)?$/i.exec(text.trim());
  if (!m) throw new UsageError(`invalid memory size '${text}' (use e.g. 256M or 1G)`);
  const unit = m[2].toUpperCase();
  // QEMU's -m takes a bare number as MiB.
  const scale = unit === "" ? 2 ** 20 : unit === "K" ? 2 ** 10 : unit === "M" ? 2 ** 20 : unit === "G" ? 2 ** 30 : 2 ** 40;
  const bytes = Math.floor(Number(m[1]) * scale);
  if (bytes <= 0) throw new UsageError(`memory size must be greater than zero, got '${text}'`);
  if (bytes % 4096 !== 0) throw new UsageError(`memory size must be a multiple of 4 KiB, got '${text}'`);
  if (bytes > MAX_RAM) throw new UsageError(`memory size ${text} is above the ${MAX_RAM / 2 ** 30} GiB limit`);
  return bytes;
}

function parseInteger(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} needs a whole number, got '${text}'`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
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

/** QEMU's -gdb device: tcp:[HOST]:PORT (none = no stub). */
function parseGdb(text: string): { host: string; port: number } | undefined {
  if (text === "none") return undefined;
  const m = /^tcp:([^:]*):(\d{1,5})$/.exec(text);
  if (!m || Number(m[2]) > 65535) throw new UsageError(`--gdb takes tcp:[HOST]:PORT (e.g. tcp::1234), got '${text}'`);
  return { host: m[1], port: Number(m[2]) };
}

/** Parses argv (without the program name). Throws UsageError with a one-line reason. */
export function parseCommandLine(argv: readonly string[]): CliOptions {
  const o: CliOptions = { bios: "builtin", ramBytes: 256 * 2 ** 20, harts: 1, drives: [], noReboot: false, jitStats: false, waitForDebugger: false, help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline: string | undefined;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) { inline = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
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
      case "--smp": case "-smp": o.harts = parseInteger("--smp", value(), 1, MAX_HARTS); break;
      case "--drive": case "-drive": o.drives.push(parseDrive(value())); break;
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
      case "--gdb": case "-gdb": o.gdb = parseGdb(value()); break;
      case "-s": o.gdb = { host: "", port: 1234 }; break;
      case "-S": o.waitForDebugger = true; break;
      case "-h": case "--help": o.help = true; break;
      case "--version": o.version = true; break;
      default:
        throw new UsageError(arg.startsWith("-") ? `unknown flag '${arg}' (try --help)` : `unexpected argument '${arg}' (try --help)`);
    }
  }
  if (o.waitForDebugger && !o.gdb) throw new UsageError("-S waits for a debugger: add --gdb tcp::PORT or -s");
  return o;
}
