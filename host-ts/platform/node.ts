// The Node platform layer: the only code that touches node: modules (DESIGN.md §7).
import { readFileSync, statSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../cli.js";

/** The package root: the nearest directory upwards holding hartvm's package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && /"name":\s*"hartvm"/.test(readFileSync(pkg, "utf8"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find the hartvm package root");
    dir = up;
  }
}

export function readCoreWasm(): Uint8Array {
  const path = join(packageRoot(), "build", "core.wasm");
  if (!existsSync(path)) throw new Error(`${path} is missing: run 'npm run build'`);
  return readFileSync(path);
}

/** Reads a user-named file; a missing file or a directory is a usage error (exit 2). */
export function readUserFile(path: string, what: string): Uint8Array {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`${what} '${path}' does not exist`);
  }
  if (st.isDirectory()) throw new UsageError(`${what} '${path}' is a directory, not a file`);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`${what} '${path}' cannot be read: ${(e as Error).message}`);
  }
}

/** The embedded default guest (images/default), if its files are present. */
export function defaultGuest(): { kernel: string; initrd: string; bootargs: string } | null {
  const dir = join(packageRoot(), "images", "default");
  const manifestPath = join(dir, "manifest.json");
  if (!existsSync(manifestPath)) return null;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { kernel_cmdline?: string };
  const kernel = join(dir, "Image.gz");
  const initrd = join(dir, "initramfs.cpio.gz");
  if (!existsSync(kernel) || !existsSync(initrd)) return null;
  return { kernel, initrd, bootargs: manifest.kernel_cmdline ?? "console=ttyS0" };
}
