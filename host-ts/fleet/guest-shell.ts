// A fleet job's conversation with the guest's shell on the serial console: each command (or
// file) is one unit typed as `echo B; eval CMD; echo E:$?`, its output read between the two
// markers. Unlike Machine.exec it watches everything the guest prints while the job runs:
// the output limit, the kernel's OOM killer and panics, and the machine's exit end the job
// at once with the reason. The markers are printed by `echo '@@'HVMJ...`, so the terminal's
// echo of the typed line (when on) never looks like them.
import type { Machine, ExitEvent } from "../machine.js";
import type { FleetEndReason, FleetFile } from "./types.js";
import { STATUS } from "./types.js";

/** The guest kernel's words when the OOM killer acts and when it panics. */
const OOM_KILL = /Out of memory: Killed process|invoked oom-killer/;
const PANIC = /Kernel panic - not syncing/;
/** After the OOM killer acts, how long the job's command has to report its status. */
const OOM_GRACE_MS = 2000;
/** Base64 per line of a here-document (what base64(1) itself writes). */
const BASE64_LINE = 76;

export interface Ending {
  reason: FleetEndReason;
  status: number;
  error?: string;
}

let sequence = 0;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export class GuestShell {
  /** Output not consumed yet (before the current command's begin marker: prompts; after it: the command's output). */
  private text = "";
  private readonly decoder = new TextDecoder();
  /** Where the end-marker search resumes, so long outputs are scanned once. */
  private scanFrom = 0;
  private current: { begin: string; end: RegExp; started: boolean; keep: boolean; resolve: (status: number) => void } | null = null;
  private ended: Ending | null = null;
  private onEnd: ((e: Ending) => void) | null = null;
  private oomSeen = false;
  private tail = "";
  private oomTimer: ReturnType<typeof setTimeout> | null = null;
  /** The job's shell ran `exit`: nothing more can be typed to it. */
  shellExited = false;
  /** Output of the commands so far (and of the current one once the job ends early). */
  output = "";

  constructor(private readonly vm: Machine, private readonly outputLimit: number) {
    vm.on("output", (bytes) => this.receive(this.decoder.decode(bytes, { stream: true })));
    void vm.exited.then((e) => this.machineExited(e));
  }

  /** How the job ended early, or null while it has not. */
  get ending(): Ending | null {
    return this.ended;
  }

  /** Ends the job from outside (its deadline). */
  end(e: Ending): void {
    if (this.ended) return;
    this.ended = e;
    if (this.current?.started && this.current.keep) this.output += this.take(this.text.length);
    this.current = null;
    this.onEnd?.(e);
  }

  /** Runs one shell command line; resolves with its status, or with the early ending. */
  command(line: string): Promise<number | Ending> {
    if (line.includes("\n") || line.includes("\r")) return Promise.resolve({ reason: "error", status: STATUS.failed, error: "a job's command is one line (give several as an array)" });
    // `exit` in the command ends the shell: its EXIT trap still reports the status (marker X).
    return this.unit((b, e, x) => `trap "echo ${x}" EXIT; echo ${b}; eval ${quote(line)}; __hvm=$?; trap - EXIT; echo ${e.replace("$?", "$__hvm")}\n`, true);
  }

  /** Writes a file (its directory made first); resolves with the status of doing so. */
  writeFile(path: string, file: FleetFile): Promise<number | Ending> {
    const { bytes, mode } = fileBytes(file);
    const b64 = base64Lines(bytes);
    const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) || "/" : ".";
    const chmod = mode !== undefined ? ` && chmod ${mode.toString(8)} ${quote(path)}` : "";
    // One command line whose here-document follows it: read whole before it runs, so its "> " prompts come before the begin marker.
    return this.unit((b, e) => `echo ${b}; mkdir -p ${quote(dir)} && base64 -d > ${quote(path)} <<'@@HVM_EOF@@'${chmod}; echo ${e}\n${b64}@@HVM_EOF@@\n`, false);
  }

  /** Types one unit and reads its status; `keep`: its output is the job's (a command's, not a file's). */
  private unit(text: (begin: string, end: string, exited: string) => string, keep: boolean): Promise<number | Ending> {
    if (this.ended) return Promise.resolve(this.ended);
    const id = `${(++sequence).toString(36)}`;
    return new Promise((resolve) => {
      this.onEnd = resolve;
      this.current = { begin: `@@HVMJ${id}B@@`, end: new RegExp(`@@HVMJ${id}([EX]):(\\d+)@@\\r?\\n`), started: false, keep, resolve };
      this.scan();
      try {
        this.vm.console.write(text(`'@@'HVMJ${id}B@@`, `'@@'HVMJ${id}E:$?@@`, `'@@'HVMJ${id}X:\\$?@@`));
      } catch {
        this.end({ reason: "guest-exit", status: STATUS.failed, error: "the guest stopped" });
      }
    });
  }

  private receive(chunk: string): void {
    if (this.ended || chunk.length === 0) return;
    const seen = this.tail + chunk;
    this.tail = seen.slice(-64);
    if (PANIC.test(seen)) {
      this.end({ reason: "guest-panic", status: STATUS.failed, error: "the guest kernel panicked" });
      return;
    }
    if (!this.oomSeen && OOM_KILL.test(seen)) {
      this.oomSeen = true;
      this.oomTimer = setTimeout(() => this.end({ reason: "guest-oom", status: STATUS.oomKilled, error: "the guest ran out of memory and its kernel killed a process" }), OOM_GRACE_MS);
    }
    this.text += chunk;
    this.scan();
  }

  private scan(): void {
    const c = this.current;
    if (!c) return;
    if (!c.started) {
      const at = this.text.indexOf(c.begin);
      if (at < 0) {
        if (this.text.length > 4096) this.text = this.text.slice(-256); // prompts and noise before the marker
        return;
      }
      const nl = this.text.indexOf("\n", at);
      if (nl < 0) return;
      this.text = this.text.slice(nl + 1);
      this.scanFrom = 0;
      c.started = true;
    }
    const from = Math.max(0, this.scanFrom - 64);
    const m = c.end.exec(this.text.slice(from));
    const printed = m ? from + m.index : this.text.length;
    if (this.output.length + printed > this.outputLimit) { // a file's unit prints little: base64's complaints
      this.end({ reason: "output-limit", status: STATUS.failed, error: `the job printed more than ${this.outputLimit} characters` });
      return;
    }
    if (!m) {
      this.scanFrom = this.text.length;
      return;
    }
    if (c.keep) this.output += this.take(printed);
    this.text = this.text.slice(printed + m[0].length);
    this.current = null;
    this.onEnd = null;
    if (m[1] === "X") this.shellExited = true;
    c.resolve(Number(m[2]));
  }

  /** The first `n` characters of the pending text, as a job's output (\r\n as \n, within the limit). */
  private take(n: number): string {
    const room = Math.max(0, this.outputLimit - this.output.length);
    return this.text.slice(0, n).replace(/\r\n/g, "\n").slice(0, room);
  }

  private machineExited(e: ExitEvent): void {
    if (this.ended) return;
    if (this.oomSeen) this.end({ reason: "guest-oom", status: STATUS.oomKilled, error: "the guest ran out of memory" });
    else if (e.reason === "error") this.end({ reason: "error", status: STATUS.failed, error: `the machine failed: ${e.error?.message ?? "unknown"}` });
    else if (e.reason !== "stopped") this.end({ reason: "guest-exit", status: e.status || STATUS.failed, error: `the guest exited (${e.reason}, status ${e.status})` });
  }

  /** The job is over: no timers left behind. */
  dispose(): void {
    if (this.oomTimer !== null) clearTimeout(this.oomTimer);
    this.current = null;
    this.onEnd = null;
  }

  /** Whether the OOM killer acted during the job. */
  get sawOom(): boolean {
    return this.oomSeen;
  }
}

function fileBytes(file: FleetFile): { bytes: Uint8Array; mode?: number } {
  if (typeof file === "string") return { bytes: new TextEncoder().encode(file) };
  if (file instanceof Uint8Array) return { bytes: file };
  return { bytes: base64Decode(file.base64), mode: file.mode };
}

function base64Lines(bytes: Uint8Array): string {
  let b64 = "";
  const CHUNK = 3 * 0x2000; // a multiple of 3: no padding inside
  for (let i = 0; i < bytes.length; i += CHUNK) b64 += btoa(String.fromCharCode(...bytes.subarray(i, i + CHUNK)));
  let out = "";
  for (let i = 0; i < b64.length; i += BASE64_LINE) out += b64.slice(i, i + BASE64_LINE) + "\n";
  return out;
}

function base64Decode(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
