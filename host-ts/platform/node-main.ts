// `hartvm` on Node: parse the command line, build the machine, wire the terminal, exit.
import process from "node:process";
import { parseCommandLine, UsageError, USAGE, type CliOptions } from "../cli.js";
import { Machine } from "../machine.js";
import { parseElf, ImageError, isElf } from "../../images/elf.js";
import { readCoreWasm, readUserFile } from "./node.js";

async function main(argv: string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCommandLine(argv);
  } catch (e) {
    return usageFailure(e);
  }
  if (options.help) { process.stdout.write(USAGE + "\n"); return 0; }
  if (options.version) { process.stdout.write("hartvm 0.1.0\n"); return 0; }
  try {
    return await boot(options);
  } catch (e) {
    return usageFailure(e);
  }
}

function usageFailure(e: unknown): number {
  if (e instanceof UsageError || e instanceof ImageError || e instanceof RangeError) {
    process.stderr.write(`hartvm: ${(e as Error).message}\n`);
    return 2;
  }
  throw e;
}

async function boot(o: CliOptions): Promise<number> {
  if (o.bios !== "none") {
    throw new UsageError("only --bios none with an ELF --kernel is available in this build (the virt board and Linux boot are not implemented yet)");
  }
  if (!o.kernel) throw new UsageError("--bios none needs --kernel FILE (a bare-metal ELF)");
  const bytes = readUserFile(o.kernel, "kernel");
  if (!isElf(bytes)) throw new UsageError(`kernel '${o.kernel}' is not an ELF file (--bios none boots ELF programs)`);
  const elf = parseElf(bytes, o.kernel);
  const machine = await Machine.create({
    wasm: readCoreWasm(),
    ramBytes: o.ramBytes,
    harts: o.harts,
    output: (b) => process.stdout.write(b),
  });
  machine.loadBareMetal(elf, o.kernel);
  const exit = await machine.run({
    timeoutMs: o.timeoutSeconds !== undefined ? o.timeoutSeconds * 1000 : undefined,
    trace: o.trace,
    traceOut: (line) => process.stderr.write(line + "\n"),
  });
  if (exit.reason === "timeout") process.stderr.write(`hartvm: timed out after ${o.timeoutSeconds} s\n`);
  return exit.status;
}

main(process.argv.slice(2)).then(
  (status) => { process.exitCode = status; },
  (e) => {
    process.stderr.write(`hartvm: internal error: ${(e as Error)?.stack ?? e}\n`);
    process.exitCode = 70;
  },
);
