// A machine's configuration as a program writes it, and its resolution into images and
// engine options: inputs read, formats recognised, every limit checked (limits.ts).
import { HartvmError } from "./errors.js";
import { readInput, inputName, type Input } from "./platform/files.js";
import { hasFileSystem } from "./platform/runtime.js";
import { loadDefaultGuest } from "./assets.js";
import { checkCommandLine, checkHarts, checkJit, checkVirtioDevices, parseMemorySize } from "./limits.js";
import { DEFAULT_JIT_THRESHOLD } from "./vm.js";
import type { BootImages, Firmware } from "./boot.js";
import { parseElf, isElf, ImageError } from "../images/elf.js";
import { parseKernel } from "../images/linux.js";
import { MemoryBlockBackend, type BlockBackend } from "../devices/virtio/block-backend.js";

export type { Input };

export interface DriveConfig {
  /** A disk image: bytes (a disk in memory), a path (Node, Deno) or a BlockBackend of your own. */
  file: Input | BlockBackend;
  /** Exposed read-only to the guest (and opened read-only). */
  readonly?: boolean;
}

export interface MachineConfig {
  /** Linux Image, Image.gz or ELF; absent: the embedded default guest (unless bios is "none"). */
  kernel?: Input;
  /** initramfs (cpio, optionally gzip). */
  initrd?: Input;
  /** Kernel command line (appended to the default guest's own). */
  append?: string;
  /** "builtin" (default): hartvm's SBI; "none": the kernel (an ELF) runs in M-mode; or M-mode firmware (OpenSBI fw_dynamic/fw_jump). */
  bios?: "builtin" | "none" | Input;
  /** Guest RAM: "256M", "1G", or bytes (default 256 MiB). */
  memory?: string | number;
  /** Harts, 1 to 8 (default 1). */
  harts?: number;
  /** virtio-blk disks, /dev/vda first. */
  drives?: (Input | DriveConfig)[];
  /** Boot with this device tree instead of the generated one (/chosen is filled in). */
  dtb?: Input;
  /** Compile hot code to WebAssembly: true (default), false, or visits before a region is compiled. */
  jit?: boolean | number | { threshold?: number; sync?: boolean };
  /** Exit when the guest reboots, instead of restarting it. */
  noReboot?: boolean;
  /** Running time in ms after which the machine exits with status 124. */
  timeoutMs?: number;
  /** Device events worth a line (a driver broke the virtio protocol, a disk failed). */
  log?: (line: string) => void;
  /** Print the first `count` executed instructions. */
  trace?: { count: number; out: (line: string) => void };
  /** Another core.wasm (bytes, URL, path or a compiled module); default: the package's own. */
  core?: Input | WebAssembly.Module;
}

export interface ResolvedConfig {
  ramBytes: number;
  harts: number;
  jitThreshold: number;
  jitSync: boolean;
  images: BootImages;
  disks: { backend: BlockBackend; readonly: boolean }[];
  noReboot: boolean;
  timeoutMs?: number;
  trace?: { count: number; out: (line: string) => void };
  log: (line: string) => void;
}

const DEFAULT_MEMORY = "256M";
const MAX_DTB_BYTES = 2 * 2 ** 20;

/** Reads and checks everything a configuration names. Disks it opened are closed again if it fails. */
export async function resolveConfig(config: MachineConfig): Promise<ResolvedConfig> {
  if (config === null || typeof config !== "object") throw new HartvmError("invalid-config", "the machine configuration must be an object");
  const ramBytes = parseMemorySize(config.memory ?? DEFAULT_MEMORY);
  const harts = checkHarts(config.harts ?? 1);
  const jitObject = typeof config.jit === "object" && config.jit !== null ? config.jit : null;
  const jitThreshold = checkJit(jitObject ? (jitObject.threshold ?? true) : config.jit, DEFAULT_JIT_THRESHOLD);
  const drives = (config.drives ?? []).map((d) => (isDriveConfig(d) ? d : { file: d }));
  checkVirtioDevices({ disks: drives.length });
  if (config.timeoutMs !== undefined && !(config.timeoutMs > 0)) throw new HartvmError("invalid-config", `timeoutMs must be a positive number, got ${config.timeoutMs}`);
  const bios = config.bios ?? "builtin";
  const images = await resolveImages(config, bios, ramBytes);
  const disks = await openDisks(drives);
  return {
    ramBytes, harts, jitThreshold, jitSync: jitObject?.sync === true, images, disks,
    noReboot: config.noReboot === true, timeoutMs: config.timeoutMs, trace: config.trace,
    log: config.log ?? (() => {}),
  };
}

async function resolveImages(config: MachineConfig, bios: NonNullable<MachineConfig["bios"]>, ramBytes: number): Promise<BootImages> {
  if (bios === "none") {
    if (config.kernel === undefined) throw new HartvmError("invalid-config", "bios 'none' (--bios none) needs a kernel (--kernel FILE)");
    const bytes = await readInput(config.kernel, "kernel", ramBytes);
    const name = inputName(config.kernel);
    if (!isElf(bytes)) throw new ImageError(`kernel '${name}' is not an ELF file (--bios none boots ELF programs in M-mode)`);
    return { kind: "bare-metal", elf: parseElf(bytes, name), name };
  }
  const guest = config.kernel === undefined ? await loadDefaultGuest() : null;
  const kernelName = config.kernel === undefined ? "default guest Image.gz" : inputName(config.kernel);
  const [kernel, initrd, firmware, dtb] = await Promise.all([
    guest ? guest.kernel : readInput(config.kernel!, "kernel", ramBytes).then((b) => parseKernel(b, kernelName)),
    config.initrd !== undefined ? readInput(config.initrd, "initrd", ramBytes) : guest?.initrd,
    bios === "builtin" ? undefined : readFirmware(bios, ramBytes),
    config.dtb !== undefined ? readInput(config.dtb, "device tree", MAX_DTB_BYTES).then((bytes) => ({ bytes, name: inputName(config.dtb!) })) : undefined,
  ]);
  const bootargs = guest ? [guest.cmdline, config.append].filter(Boolean).join(" ") : config.append;
  if (bootargs !== undefined) checkCommandLine(bootargs);
  return { kind: "linux", kernel, kernelName, initrd, bootargs, firmware, dtb };
}

async function readFirmware(bios: Input, ramBytes: number): Promise<Firmware> {
  const name = inputName(bios);
  const bytes = await readInput(bios, "firmware", ramBytes);
  if (bytes.length === 0) throw new ImageError(`firmware '${name}' is empty`);
  return { bytes, elf: isElf(bytes) ? parseElf(bytes, name) : undefined, name };
}

function isDriveConfig(d: Input | DriveConfig): d is DriveConfig {
  return typeof d === "object" && d !== null && !(d instanceof Uint8Array) && !(d instanceof ArrayBuffer) && !(d instanceof URL) && "file" in d;
}

function isBlockBackend(f: unknown): f is BlockBackend {
  return typeof f === "object" && f !== null && typeof (f as BlockBackend).read === "function" && typeof (f as BlockBackend).size === "number";
}

async function openDisks(drives: DriveConfig[]): Promise<{ backend: BlockBackend; readonly: boolean }[]> {
  const opened: { backend: BlockBackend; readonly: boolean }[] = [];
  try {
    for (const d of drives) {
      const readonly = d.readonly === true;
      opened.push({ backend: await openDisk(d.file, readonly), readonly });
    }
    return opened;
  } catch (e) {
    for (const o of opened) o.backend.close();
    throw e;
  }
}

async function openDisk(file: Input | BlockBackend, readonly: boolean): Promise<BlockBackend> {
  if (isBlockBackend(file)) return file;
  if (file instanceof Uint8Array || file instanceof ArrayBuffer) return new MemoryBlockBackend(new Uint8Array(file), { readonly });
  if (typeof file === "string" && hasFileSystem && !/^[a-z][a-z0-9+.-]+:/i.test(file)) {
    const { openFileBlockBackend } = await import("./platform/node-block.js");
    return openFileBlockBackend(file, { readonly });
  }
  // A URL: fetched whole into memory; the guest's writes stay there.
  const bytes = await readInput(file, "disk image", 2 ** 31);
  return new MemoryBlockBackend(bytes, { readonly });
}
