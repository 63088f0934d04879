// `hartvm` on Node: parse the command line, build the machine, wire the terminal, exit.
import process from "node:process";
import { writeFileSync } from "node:fs";
import { parseCommandLine, UsageError, USAGE, type CliOptions } from "../cli.js";
import { Machine, type LinuxBoot } from "../machine.js";
import { parseElf, ImageError, isElf } from "../../images/elf.js";
import { parseKernel } from "../../images/linux.js";
import { readCoreWasm, readUserFile, defaultGuest } from "./node.js";
import { openFileBlockBackend } from "./node-block.js";
import { startGdbServer } from "./node-gdb.js";
import type { BlockBackend } from "../../devices/virtio/block-backend.js";

const CTRL_A = 0x01;

async function main(argv: string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCommandLine(argv);
  } catch (e) {
    return usageFailure(e);
  }
  if (options.help) { process.stdout.write(USAGE + "\n"); return 0; }
  if (options.version) { process.stdout.write("hartvm 0.1.0\n"); return 0; }
  const disks: BlockBackend[] = [];
  try {
    return await boot(options, disks);
  } catch (e) {
    return usageFailure(e);
  } finally {
    for (const d of disks) d.close();
  }
}

function usageFailure(e: unknown): number {
  if (e instanceof UsageError || e instanceof ImageError || e instanceof RangeError) {
    process.stderr.write(`hartvm: ${(e as Error).message}\n`);
    return 2;
  }
  throw e;
}

async function boot(o: CliOptions, disks: BlockBackend[]): Promise<number> {
  let kernelPath = o.kernel;
  let initrd = o.initrd !== undefined ? readUserFile(o.initrd, "initrd") : undefined;
  let bootargs = o.append;
  if (kernelPath === undefined) {
    if (o.bios === "none") throw new UsageError("--bios none needs --kernel FILE");
    const guest = defaultGuest();
    if (!guest) throw new UsageError("no --kernel given and the embedded default guest is not installed (images/default)");
    kernelPath = guest.kernel;
    initrd ??= readUserFile(guest.initrd, "initrd");
    bootargs = [guest.bootargs, o.append].filter(Boolean).join(" ");
    if (process.stdin.isTTY) process.stderr.write("hartvm: booting the default guest; press Ctrl-A x to quit\n");
  }
  const kernelBytes = readUserFile(kernelPath, "kernel");
  const dtb = o.dtb !== undefined ? readUserFile(o.dtb, "device tree") : undefined;
  for (const d of o.drives) {
    try {
      disks.push(openFileBlockBackend(d.file, { readonly: d.readonly }));
    } catch (e) {
      throw new UsageError(`--drive ${d.file}: ${(e as Error).message}`);
    }
  }
  const machine = await Machine.create({
    wasm: readCoreWasm(),
    ramBytes: o.ramBytes,
    harts: o.harts,
    output: (b) => process.stdout.write(b),
    disks: disks.map((backend, i) => ({ backend, readonly: o.drives[i].readonly })),
    log: (line) => process.stderr.write(`hartvm: ${line}\n`),
    noReboot: o.noReboot,
    jit: o.jit,
  });

  if (o.bios === "none") {
    if (!isElf(kernelBytes)) throw new UsageError(`kernel '${kernelPath}' is not an ELF file (--bios none boots ELF programs in M-mode)`);
    machine.loadBareMetal(parseElf(kernelBytes, kernelPath), kernelPath);
  } else {
    const spec: LinuxBoot = { kernel: await parseKernel(kernelBytes, kernelPath), kernelName: kernelPath, initrd, bootargs, dtb };
    if (typeof o.bios === "object") {
      const fw = readUserFile(o.bios.file, "firmware");
      spec.firmware = { bytes: fw, elf: isElf(fw) ? parseElf(fw, o.bios.file) : undefined, name: o.bios.file };
    }
    machine.loadLinux(spec);
  }
  if (o.dumpDtb !== undefined) {
    if (!machine.dtb) throw new UsageError("--dump-dtb needs a Linux boot (the bare-metal boot has no device tree)");
    writeFileSync(o.dumpDtb, machine.dtb);
    return 0;
  }

  const gdb = o.gdb ? await startGdbServer(machine, { ...o.gdb, waitForDebugger: o.waitForDebugger, log: (line) => process.stderr.write(`hartvm: ${line}\n`) }) : null;
  const stopInput = attachStdin(machine);
  try {
    const exit = await machine.run({
      timeoutMs: o.timeoutSeconds !== undefined ? o.timeoutSeconds * 1000 : undefined,
      trace: o.trace,
      traceOut: (line) => process.stderr.write(line + "\n"),
    });
    if (exit.reason === "timeout") process.stderr.write(`\nhartvm: timed out after ${o.timeoutSeconds} s\n`);
    if (o.jitStats) process.stderr.write(`hartvm: jit ${JSON.stringify(machine.core.jit?.stats ?? "off")}\n`);
    await gdb?.close(exit.status); // gdb learns the exit code before the process ends
    return exit.status;
  } finally {
    stopInput();
  }
}

/** Terminal input to the guest console: raw mode on a TTY (Ctrl-A x quits, Ctrl-A Ctrl-A sends Ctrl-A). */
function attachStdin(machine: Machine): () => void {
  const stdin = process.stdin;
  const tty = stdin.isTTY === true;
  if (tty) stdin.setRawMode(true);
  let escape = false;
  const onData = (chunk: Buffer) => {
    if (!tty) { machine.feedInput(new Uint8Array(chunk)); return; }
    const out: number[] = [];
    for (const b of chunk) {
      if (escape) {
        escape = false;
        if (b === 0x78 /* x */) { machine.requestExit({ status: 0, reason: "stopped" }); return; }
        if (b === CTRL_A) out.push(CTRL_A);
        continue;
      }
      if (b === CTRL_A) escape = true; else out.push(b);
    }
    machine.feedInput(Uint8Array.from(out));
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
