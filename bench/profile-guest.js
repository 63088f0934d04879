// The command line both profile-build tools share (interp-profile.js, core-events.js): a
// guest as the CLI takes it (the default guest without --kernel), --bios, --jit, --json,
// --help, plus each tool's own options, and a machine made on the profile core build
// (build/core.profile.wasm, which npm run build makes). Bad input exits 2 with one line.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createMachine } from "../dist/api.js";

const PROFILE_CORE = join(dirname(fileURLToPath(import.meta.url)), "..", "build", "core.profile.wasm");

/** Exits 2 after one line on stderr. */
export function refuse(tool, message) {
  process.stderr.write(`${tool}: ${message}\n`);
  process.exit(2);
}

/**
 * Parses the command line: `own` are the tool's own parseArgs options. Returns the values,
 * whether the default guest runs, and the translation tier's setting for createMachine
 * (true, false or a threshold).
 */
export function guestCommandLine(tool, usage, own) {
  let opts;
  try {
    opts = parseArgs({
      options: {
        kernel: { type: "string" }, initrd: { type: "string" }, append: { type: "string" }, bios: { type: "string" },
        jit: { type: "string", default: "on" }, json: { type: "string" }, help: { type: "boolean" }, ...own,
      },
    }).values;
  } catch (e) {
    refuse(tool, `${e.message}\n${usage}`);
  }
  if (opts.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  if (!existsSync(PROFILE_CORE)) refuse(tool, `${PROFILE_CORE} is missing: run npm run build`);
  const jit = opts.jit === "on" ? true : opts.jit === "off" ? false : Number(opts.jit);
  if (jit !== true && jit !== false && !(Number.isInteger(jit) && jit >= 1)) refuse(tool, `--jit takes on, off or a number of visits, got '${opts.jit}'`);
  return { opts, defaultGuest: opts.kernel === undefined, jit };
}

/** The guest the command line names, on the profile core build (not started). */
export function profiledMachine({ opts, defaultGuest, jit }) {
  return createMachine({
    core: PROFILE_CORE, jit,
    ...(defaultGuest ? {} : { kernel: opts.kernel, initrd: opts.initrd, append: opts.append }),
    ...(opts.bios ? { bios: opts.bios } : {}),
  });
}

/**
 * The phases a tool's --mark options name (each ends at the first console line matching
 * its pattern, in order); without one, the default guest's single phase ends at its prompt.
 */
export function phaseMarks(tool, { opts, defaultGuest }) {
  let marks;
  try {
    marks = opts.mark.map((m) => ({ name: m, re: new RegExp(m) }));
  } catch (e) {
    refuse(tool, `--mark: ${e.message}`);
  }
  if (marks.length === 0 && defaultGuest) marks.push({ name: "prompt", re: /root@hartvm:/ });
  return marks;
}
