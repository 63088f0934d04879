// `hartvm` on Node: the command line turned into a machine of the public API, the
// terminal wired to its console, its exit status as ours (DESIGN.md §8).
import process from "node:process";
import { writeFile } from "node:fs/promises";
import { parseSubcommand, USAGE, type CliOptions } from "../cli.js";
import { createMachine, restoreMachine, VERSION, type Machine, type MachineConfig } from "../api.js";
import { HartvmError, isUserError } from "../errors.js";
import { yieldHelperThreadsToGuest } from "./node-threads.js";
import { keepFreedHeapMemory } from "./node-heap.js";
import { kernelRandom } from "./node-random.js";
import { usePlatformRandom } from "../entropy.js";

const CTRL_A = 0x01;

async function main(argv: string[]): Promise<number> {
  keepFreedHeapMemory();
  try {
    const command = parseSubcommand(argv);
    if (command.command !== "run") return await (await import("./node-fleet-cli.js")).runFleetCommand(command);
    const options = command.options;
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
    shares: o.shares.map((s) => ({ path: s.path, tag: s.tag, readonly: s.readonly })),
    virtioConsole: o.virtconsole !== undefined,
    dtb: o.dtb,
    jit: o.jit,
    noReboot: o.noReboot,
    virtioLegacy: o.virtioLegacy,
    timeoutMs: o.timeoutSeconds !== undefined ? o.timeoutSeconds * 1000 : undefined,
    trace: o.trace !== undefined ? { count: o.trace, out: (line) => process.stderr.write(line + "\n") } : undefined,
    log: (line) => process.stderr.write(`hartvm: ${line}\n`),
    deterministic: o.deterministic,
  };
}

async function openMachine(o: CliOptions): Promise<Machine> {
  if (o.restore === undefined) return createMachine(machineConfig(o));
  const { jit, noReboot, timeoutMs, trace, log } = machineConfig(o);
  return restoreMachine(o.restore, { jit, noReboot: o.given.has("--no-reboot") ? noReboot : undefined, timeoutMs, trace, log });
}

/** --save-at: a snapshot when the console first shows the pattern (and the machine paused there). */
function saveWhenSeen(machine: Machine, save: NonNullable<CliOptions["saveAt"]>): void {
  machine.console.waitFor(save.pattern, { timeout: Infinity, pause: true }).then(
    async () => {
      const bytes = await machine.snapshot();
      await writeFile(save.file, bytes).catch((e: NodeJS.ErrnoException) => {
        throw new HartvmError("io", `cannot write the snapshot to '${save.file}': ${e.code === "EISDIR" ? "it is a directory" : e.code === "ENOENT" ? "its directory does not exist" : e.message}`);
      });
      process.stderr.write(`\nhartvm: saved a snapshot to ${save.file} (${bytes.length} bytes)\n`);
      if (save.exit) await machine.stop();
    },
    () => {}, // the machine stopped first
  ).catch((e) => {
    process.stderr.write(`hartvm: ${(e as Error).message}\n`);
    process.exitCode = 1;
    void machine.stop();
  });
}

async function run(o: CliOptions): Promise<number> {
  if (o.dumpDtb !== undefined && o.bios === "none") throw new HartvmError("invalid-config", "--dump-dtb needs a Linux boot (the bare-metal boot has no device tree)");
  usePlatformRandom(kernelRandom());
  const opening = openMachine(o);
  // Node loads perf_hooks at the first performance.now(), 3-4 ms that would otherwise fall
  // in the guest's first slice; the main thread has longer than that to wait while libuv's
  // threads read the images.
  setImmediate(() => performance.now());
  const machine = await opening;
  if (o.dumpDtb !== undefined) {
    await writeDeviceTree(o.dumpDtb, machine.deviceTree()!);
    await machine.stop();
    return 0;
  }
  if (o.kernel === undefined && process.stdin.isTTY) process.stderr.write("hartvm: booting the default guest; press Ctrl-A x to quit\n");
  machine.on("output", (bytes) => process.stdout.write(bytes));
  if (o.saveAt) saveWhenSeen(machine, o.saveAt);
  const hvc = o.virtconsole && machine.hvc ? await serveConsole(machine.hvc, o.virtconsole.socket) : null;
  // The gdb stub (and node:net) load only when asked for: a plain boot need not parse them.
  const gdb = o.gdb ? await (await import("./node-gdb.js")).startGdbServer(machine.engine, { ...o.gdb, waitForDebugger: o.waitForDebugger, log: (line) => process.stderr.write(`hartvm: ${line}\n`) }) : null;
  // A deterministic run takes piped input whole before it starts: when bytes arrive must not depend on the host.
  if (o.deterministic && !process.stdin.isTTY) machine.console.write(await readAll(process.stdin));
  const detach = o.deterministic && !process.stdin.isTTY ? () => {} : attachStdin(machine);
  try {
    // Every helper thread exists by now (V8's from the start, libuv's since the images were read);
    // the run command starts no worker threads, whose guests must keep their priority.
    yieldHelperThreadsToGuest();
    machine.start();
    const exit = await machine.exited;
    if (exit.reason === "timeout") process.stderr.write(`\nhartvm: timed out after ${o.timeoutSeconds} s\n`);
    if (exit.reason === "error") throw exit.error;
    if (o.jitStats) process.stderr.write(`hartvm: jit ${JSON.stringify(machine.stats().jit ?? "off")}\n`);
    await gdb?.close(exit.status); // gdb learns the exit code before the process ends
    hvc?.close();
    return exit.status === 0 && process.exitCode ? Number(process.exitCode) : exit.status;
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

/** --virtconsole unix:PATH: one client at a time gets the virtio-console; output waits for it (up to 1 MiB). */
async function serveConsole(hvc: NonNullable<Machine["hvc"]>, path: string): Promise<{ close(): void }> {
  const { createServer } = await import("node:net");
  const { rmSync } = await import("node:fs");
  const held: Uint8Array[] = [];
  let heldBytes = 0;
  let client = null as import("node:net").Socket | null;
  void (async () => {
    for await (const chunk of hvc) {
      const c = client;
      if (c && !c.destroyed) c.write(chunk);
      else if (heldBytes + chunk.length <= 2 ** 20) { held.push(chunk); heldBytes += chunk.length; }
    }
  })();
  const server = createServer((socket) => {
    if (client && !client.destroyed) { socket.destroy(); return; }
    client = socket;
    for (const chunk of held.splice(0)) socket.write(chunk);
    heldBytes = 0;
    socket.on("data", (d: Buffer) => { try { hvc.write(new Uint8Array(d)); } catch { socket.destroy(); } });
    socket.on("error", () => {});
  });
  rmSync(path, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e) => reject(new HartvmError("io", `--virtconsole unix:${path}: ${e.message}`)));
    server.listen(path, () => resolve());
  });
  return { close: () => { client?.destroy(); server.close(); rmSync(path, { force: true }); } };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
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
