// exec(): a shell command typed on the console, its output and exit status read back
// between two markers. The markers are printed by `echo '@@'HVM...`, so the terminal's echo
// of the command line (which shows the quotes) never looks like them.
import type { MachineConsole } from "./console.js";
import { HartvmError } from "./errors.js";

export interface ExecOptions {
  /** Milliseconds before exec rejects with code "timeout" and interrupts the command with Ctrl-C (default 30000). */
  timeout?: number;
}

export interface ExecResult {
  /** What the command printed (the terminal's \r\n as \n). */
  output: string;
  /** Its exit status ($?). */
  status: number;
}

let sequence = 0;

/** Runs `command` in the shell on the console; the shell must be at its prompt (or about to read). */
export async function execOnConsole(console: MachineConsole, command: string, opts: ExecOptions = {}): Promise<ExecResult> {
  if (command.includes("\n") || command.includes("\r")) throw new HartvmError("invalid-config", "exec takes one line; join commands with ';' or '&&'");
  const id = `${(++sequence).toString(36)}`;
  const deadline = performance.now() + (opts.timeout ?? 30_000);
  const remaining = () => Math.max(0, deadline - performance.now());
  const quoted = `'${command.replace(/'/g, `'\\''`)}'`;
  console.skip();
  console.write(`echo '@@'HVM_B${id}@@; eval ${quoted}; echo '@@'HVM_E${id}:$?@@\n`);
  try {
    await console.waitFor(new RegExp(`@@HVM_B${id}@@\\r?\\n`), { timeout: remaining() });
    const end = await console.waitFor(new RegExp(`@@HVM_E${id}:(\\d+)@@\\r?\\n`), { timeout: remaining() });
    return { output: end.before.replace(/\r\n/g, "\n"), status: Number(end.match[1]) };
  } catch (e) {
    if (e instanceof HartvmError && e.code === "timeout") {
      try { console.write("\x03"); } catch { /* the machine is gone */ }
      throw new HartvmError("timeout", `exec '${command}' did not finish within ${opts.timeout ?? 30_000} ms`);
    }
    throw e;
  }
}
