// `hartvm` on Node: the command line turned into a machine of the public API, the
// terminal wired to its console, its exit status as ours (DESIGN.md §8).
import process from "node:process";
import { writeFile } from "node:fs/promises";
import { parseCommandLine, USAGE, type CliOptions } from "../cli.js";
import { createMachine, VERSION, type Machine, type MachineConfig } from "../api.js";
import { HartvmError, isUserError } from "../errors.js";

const CTRL_A = 0x01;

async function main(argv: string[]): Promise<number> {
  try {
    const options = parseCommandLine(argv);
    if (options.help) { process.stdout.write(USAGE + "\n"); return 0; }
    if (options.version) { process.stdout.write(`hartvm ${VERSION}\n`); return 0; }
    return await run(options);
  } catch (e) {
    if (!isUserError(e)) throw e;
    process.stderr.write(`hartvm: ${e.message}\n`);
    return 2;
  }
}

function machineConfig(o: CliOptions): MachineConfig {
  return {
    kernel: o.kernel,
    initrd: o.initrd,
    append: o.append,
    bios: typeof o.bios === "object" ? o.bios.file : o.bios,
    memory: o.ramBytes,
    harts: o.harts,
    drives: o.drives.map((d) => ({ file: d.file, readonly: d.readonly })),
    dtb: o.dtb,
    jit: o.jit,
    noReboot: o.noReboot,
    timeoutMs: o.timeoutSeconds !== undefined ? o.timeoutSeconds * 1000 : undefined,
    trace: o.trace !== undefined ? { count: o.trace, out: (line) => process.stderr.write(line + "\n") } : undefined,
    log: (line) => process.stderr.write(`hartvm: ${line}\n`),
  };
}

async function run(o: CliOptions): Promise<number> {
  if (o.dumpDtb !== undefined && o.bios === "none") throw new HartvmError("invalid-config", "--dump-dtb needs a Linux boot (the bare-metal boot has no device tree)");
  const machine = await createMachine(machineConfig(o));
  if (o.dumpDtb !== undefined) {
    await writeDeviceTree(o.dumpDtb, machine.deviceTree()!);
    await machine.stop();
    return 0;
  }
  if (o.kernel === undefined && process.stdin.isTTY) process.stderr.write("hartvm: booting the default guest; press Ctrl-A x to quit\n");
  machine.on("output", (bytes) => process.stdout.write(bytes));
  const detach = attachStdin(machine);
  try {
    machine.start();
    const exit = await machine.exited;
    if (exit.reason === "timeout") process.stderr.write(`\nhartvm: timed out after ${o.timeoutSeconds} s\n`);
    if (exit.reason === "error") throw exit.error;
    if (o.jitStats) process.stderr.write(`hartvm: jit ${JSON.stringify(machine.stats().jit ?? "off")}\n`);
    return exit.status;
  } finally {
    detach();
  }
}

async function writeDeviceTree(path: string, dtb: Uint8Array): Promise<void> {
  try {
    await writeFile(path, dtb);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "EISDIR" ? "it is a directory" : code === "ENOENT" ? "its directory does not exist" : code === "EACCES" ? "permission denied" : (e as Error).message;
    throw new HartvmError("io", `cannot write the device tree to '${path}': ${why}`);
  }
}

/** Terminal input to the guest console: raw mode on a TTY (Ctrl-A x quits, Ctrl-A Ctrl-A sends Ctrl-A). */
function attachStdin(machine: Machine): () => void {
  const stdin = process.stdin;
  const tty = stdin.isTTY === true;
  if (tty) stdin.setRawMode(true);
  let escape = false;
  const send = (bytes: Uint8Array) => {
    if (machine.status !== "stopped" && bytes.length > 0) machine.console.write(bytes);
  };
  const onData = (chunk: Buffer) => {
    if (!tty) { send(new Uint8Array(chunk)); return; }
    const out: number[] = [];
    for (const b of chunk) {
      if (escape) {
        escape = false;
        if (b === 0x78 /* x */) { void machine.stop(); return; }
        if (b === CTRL_A) out.push(CTRL_A);
        continue;
      }
      if (b === CTRL_A) escape = true; else out.push(b);
    }
    send(Uint8Array.from(out));
  };
  stdin.on("data", onData);
  stdin.on("error", () => {});
  return () => {
    stdin.off("data", onData);
    if (tty) stdin.setRawMode(false);
    stdin.pause();
  };
}

main(process.argv.slice(2)).then(
  (status) => { process.exitCode = status; process.exit(status); },
  (e) => {
    process.stderr.write(`hartvm: internal error: ${(e as Error)?.stack ?? e}\n`);
    process.exit(70);
  },
);
