// A machine's configuration as a program writes it, and its resolution into images and
// engine options: inputs read, formats recognised, every limit checked (limits.ts).
import { HartvmError } from "./errors.js";
import { readInput, inputName, type Input } from "./platform/files.js";
import { hasFileSystem } from "./platform/runtime.js";
import { loadDefaultGuest } from "./assets.js";
import { installFastInflate } from "./platform/inflate.js";
import { checkCommandLine, checkHarts, checkJit, checkVirtioDevices, parseMemorySize } from "./limits.js";
import { DEFAULT_JIT_THRESHOLD } from "./vm.js";
import type { BootImages, Firmware, FirmwareMode } from "./boot.js";
import { parseElf, isElf, ImageError } from "../images/elf.js";
import { parseKernel } from "../images/linux.js";
import { MemoryBlockBackend, type BlockBackend } from "../devices/virtio/block-backend.js";
import type { FsBackend } from "../devices/fs/backend.js";
import { CpuScheduler } from "./cpu-scheduler.js";

export type { Input };

export interface DriveConfig {
  /** A disk image: bytes (a disk in memory), a path (Node, Deno) or a BlockBackend of your own. */
  file: Input | BlockBackend;
  /** Exposed read-only to the guest (and opened read-only). */
  readonly?: boolean;
}

export interface ShareConfig {
  /** The mount tag the guest names: `mount -t 9p -o trans=virtio TAG /mnt` (default "share", then "share1", ...). */
  tag?: string;
  /** A host directory (Node, Deno). */
  path?: string;
  /** Or a file system of your own (e.g. `new MemoryFs()`, which works in browsers too). */
  backend?: FsBackend;
  /** Every modification fails with EROFS. */
  readonly?: boolean;
}

export interface MachineConfig {
  /** ELF, uImage, Linux Image (or Image.gz) or a raw binary, placed as QEMU's virt places them; absent: the embedded default guest (unless bios is "none"). */
  kernel?: Input;
  /** initramfs (cpio, optionally gzip, or a RAMDISK uImage). */
  initrd?: Input;
  /** Kernel command line (appended to the default guest's own). */
  append?: string;
  /** "builtin" (default): hartvm's SBI; "none": the kernel runs in M-mode from the start of RAM; or M-mode firmware, ELF or raw (OpenSBI fw_dynamic/fw_jump, U-Boot). */
  bios?: "builtin" | "none" | Input;
  /** Guest RAM: "256M", "1G", or bytes (default 256 MiB). */
  memory?: string | number;
  /** Harts, 1 to 8 (default 1). */
  harts?: number;
  /** virtio-blk disks, /dev/vda first. */
  drives?: (Input | DriveConfig)[];
  /** Folders shared with the guest over virtio-9p (9P2000.L). */
  shares?: ShareConfig[];
  /**
   * A virtio-console: a second byte channel, apart from the kernel log, as `machine.hvc`
   * (the guest's /dev/hvc0; /dev/hvc1 in the default guest, whose SBI console is hvc0).
   */
  virtioConsole?: boolean;
  /** Boot with this device tree instead of the generated one (/chosen is filled in). */
  dtb?: Input;
  /** Compile hot code to WebAssembly: true (default), false, or visits before a region is compiled. */
  jit?: boolean | number | { threshold?: number; sync?: boolean };
  /** Exit when the guest reboots, instead of restarting it. */
  noReboot?: boolean;
  /**
   * virtio-mmio in the legacy (version 1) register layout, for guests whose drivers know
   * only that one (QEMU's -global virtio-mmio.force-legacy=true, QEMU's own default);
   * default false: version 2.
   */
  virtioLegacy?: boolean;
  /** Running time in ms after which the machine exits with status 124. */
  timeoutMs?: number;
  /** Device events worth a line (a driver broke the virtio protocol, a disk failed). */
  log?: (line: string) => void;
  /** Print the first `count` executed instructions. */
  trace?: { count: number; out: (line: string) => void };
  /** Another core.wasm (bytes, URL, path or a compiled module); default: the package's own. */
  core?: Input | WebAssembly.Module;
  /**
   * Time is the instruction count (QEMU's -icount: each instruction 2^shift ns, default 0),
   * idle time is skipped, the RTC starts at `epoch` (default 2026-01-01T00:00:00Z) and
   * entropy comes from `seed` (default 0): the same inputs give the same output and state.
   */
  deterministic?: boolean | { seed?: number; epoch?: number | string | Date; shift?: number };
  /** Take turns with the other machines of this thread that share this scheduler (fleets). */
  scheduler?: CpuScheduler;
  /** This machine's weight under `scheduler` (default 1): a machine of share 2 retires twice the instructions of one of share 1. */
  cpuShare?: number;
}

/** How a machine shares its thread (MachineConfig, RestoreOptions). */
export interface Scheduling { scheduler?: CpuScheduler; cpuShare: number }

/** Checks scheduler and cpuShare as a configuration gives them. */
export function resolveScheduling(o: { scheduler?: unknown; cpuShare?: unknown }): Scheduling {
  if (o.scheduler !== undefined && !(o.scheduler instanceof CpuScheduler)) throw new HartvmError("invalid-config", "scheduler must be a CpuScheduler");
  const share = o.cpuShare ?? 1;
  if (typeof share !== "number" || !(share > 0 && share <= 1000)) throw new HartvmError("invalid-config", `cpuShare must be a number above 0 and at most 1000, got ${String(share)}`);
  return { scheduler: o.scheduler as CpuScheduler | undefined, cpuShare: share };
}

export type Deterministic = { seed: number; epochMs: number; shift: number };

/** An image as it was given (kept for snapshots, which carry or reference it). */
export interface ImageBytes { bytes: Uint8Array; name: string }

/** What the boot images are made from: enough to make them again (a restored machine that reboots). */
export interface BootSources {
  bios: "builtin" | "none" | ImageBytes;
  /** "default": the embedded default guest's. */
  kernel: ImageBytes | "default";
  initrd: ImageBytes | "default" | null;
  dtb: ImageBytes | null;
  append?: string;
}

export interface OpenDisk {
  backend: BlockBackend;
  readonly: boolean;
  /** A file the guest's writes go to, or a disk in memory. */
  origin: { kind: "file"; path: string } | { kind: "memory" };
}

export interface OpenShare {
  tag: string;
  readonly: boolean;
  backend: FsBackend;
  /** A host directory (snapshots refer to it by path) or a tree in memory (carried in snapshots). */
  origin: { kind: "dir"; path: string } | { kind: "memory" } | { kind: "custom" };
}

export interface ResolvedConfig extends Scheduling {
  ramBytes: number;
  harts: number;
  jitThreshold: number;
  jitSync: boolean;
  sources: BootSources;
  images: BootImages;
  disks: OpenDisk[];
  shares: OpenShare[];
  virtioConsole: boolean;
  noReboot: boolean;
  virtioLegacy: boolean;
  timeoutMs?: number;
  trace?: { count: number; out: (line: string) => void };
  log: (line: string) => void;
  deterministic: Deterministic | null;
}

const DEFAULT_EPOCH_MS = Date.UTC(2026, 0, 1);

export function resolveDeterministic(d: MachineConfig["deterministic"]): Deterministic | null {
  if (d === undefined || d === false) return null;
  const o = d === true ? {} : d;
  if (typeof o !== "object" || o === null) throw new HartvmError("invalid-config", "deterministic takes true or { seed, epoch, shift }");
  const seed = o.seed ?? 0;
  const shift = o.shift ?? 0;
  const epochMs = o.epoch === undefined ? DEFAULT_EPOCH_MS : new Date(o.epoch).getTime();
  if (!Number.isSafeInteger(seed)) throw new HartvmError("invalid-config", `deterministic seed must be a whole number, got ${seed}`);
  if (!Number.isInteger(shift) || shift < 0 || shift > 10) throw new HartvmError("invalid-config", `deterministic shift must be 0 to 10, got ${shift}`);
  if (!Number.isFinite(epochMs) || epochMs < 0) throw new HartvmError("invalid-config", `deterministic epoch is not a date: ${String(o.epoch)}`);
  return { seed, shift, epochMs };
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
  const virtioConsole = config.virtioConsole === true;
  checkVirtioDevices({ disks: drives.length, shares: config.shares?.length ?? 0, consoles: virtioConsole ? 1 : 0 });
  if (config.timeoutMs !== undefined && !(config.timeoutMs > 0)) throw new HartvmError("invalid-config", `timeoutMs must be a positive number, got ${config.timeoutMs}`);
  const deterministic = resolveDeterministic(config.deterministic);
  const scheduling = resolveScheduling(config);
  const [sources] = await Promise.all([readSources(config, ramBytes), installFastInflate()]);
  const images = await bootImagesFrom(sources);
  const disks = await openDisks(drives);
  let shares: OpenShare[];
  try {
    shares = await openShares(config.shares ?? []);
  } catch (e) {
    for (const d of disks) d.backend.close();
    throw e;
  }
  return {
    // Deterministic runs compile in place: when a block becomes compiled must not depend on the host's threads.
    ramBytes, harts, jitThreshold, jitSync: jitObject?.sync === true || deterministic !== null, sources, images, disks, deterministic,
    shares, virtioConsole,
    noReboot: config.noReboot === true, virtioLegacy: config.virtioLegacy === true, timeoutMs: config.timeoutMs, trace: config.trace,
    log: config.log ?? (() => {}), ...scheduling,
  };
}

/** Reads every image the configuration names, as given. */
async function readSources(config: MachineConfig, ramBytes: number): Promise<BootSources> {
  const bios = config.bios ?? "builtin";
  const read = async (input: Input | undefined, what: string, max = ramBytes): Promise<ImageBytes | null> =>
    input === undefined ? null : { bytes: await readInput(input, what, max), name: inputName(input) };
  if (bios === "none" && config.kernel === undefined) throw new HartvmError("invalid-config", "bios 'none' (--bios none) needs a kernel (--kernel FILE)");
  const [kernel, initrd, firmware, dtb] = await Promise.all([
    read(config.kernel, "kernel"),
    read(config.initrd, "initrd"),
    bios === "builtin" || bios === "none" ? null : read(bios, "firmware"),
    read(config.dtb, "device tree", MAX_DTB_BYTES),
  ]);
  const usesDefault = kernel === null;
  return {
    bios: bios === "builtin" || bios === "none" ? bios : firmware!,
    kernel: kernel ?? "default",
    initrd: initrd ?? (usesDefault ? "default" : null),
    dtb,
    append: config.append,
  };
}

/** The boot images (formats recognised, limits checked) from their sources. */
export async function bootImagesFrom(sources: BootSources): Promise<BootImages> {
  const guest = sources.kernel === "default" || sources.initrd === "default" ? await loadDefaultGuest() : null;
  const kernelName = sources.kernel === "default" ? "default guest kernel" : sources.kernel.name;
  const kernel = sources.kernel === "default" ? guest!.kernel : await parseKernel(sources.kernel.bytes, kernelName);
  const initrd = sources.initrd === "default" ? guest!.initrd : sources.initrd?.bytes;
  const firmware: FirmwareMode = typeof sources.bios === "object" ? firmwareOf(sources.bios) : sources.bios;
  const bootargs = sources.kernel === "default" ? [guest!.cmdline, sources.append].filter(Boolean).join(" ") : sources.append;
  if (bootargs !== undefined) checkCommandLine(bootargs);
  return { kind: "kernel", firmware, kernel, kernelName, initrd, bootargs, dtb: sources.dtb ?? undefined };
}

function firmwareOf({ bytes, name }: ImageBytes): Firmware {
  if (bytes.length === 0) throw new ImageError(`firmware '${name}' is empty`);
  // QEMU's riscv_load_firmware: an ELF, else raw bytes at the start of RAM.
  return { bytes, elf: isElf(bytes) ? parseElf(bytes, name) : undefined, name };
}

export async function openShares(configs: ShareConfig[]): Promise<OpenShare[]> {
  const tags = new Set<string>();
  const opened: OpenShare[] = [];
  try {
    for (const [i, c] of configs.entries()) {
      const tag = c.tag ?? (i === 0 ? "share" : `share${i}`);
      if (tags.has(tag)) throw new HartvmError("invalid-config", `share tag '${tag}' is given twice`);
      if (!/^[^\0]{1,255}$/.test(tag) || new TextEncoder().encode(tag).length > 255) throw new HartvmError("invalid-config", `share tag '${tag}' must be 1 to 255 bytes`);
      tags.add(tag);
      const readonly = c.readonly === true;
      if (c.backend) {
        // Loaded here, not with the module: a plain boot has no share. A MemoryFs the caller made is already loaded.
        const { MemoryFs } = await import("../devices/fs/memory-backend.js");
        opened.push({ tag, readonly, backend: c.backend, origin: c.backend instanceof MemoryFs ? { kind: "memory" } : { kind: "custom" } });
      } else if (c.path !== undefined) {
        if (!hasFileSystem) throw new HartvmError("invalid-config", `share '${tag}': this runtime has no file system; pass a backend (e.g. new MemoryFs())`);
        const { openHostFsBackend } = await import("./platform/host-fs-backend.js");
        let backend;
        try {
          backend = openHostFsBackend(c.path, { readonly });
        } catch (e) {
          throw new HartvmError("io", (e as Error).message);
        }
        opened.push({ tag, readonly, backend, origin: { kind: "dir", path: c.path } });
      } else {
        throw new HartvmError("invalid-config", `share '${tag}' needs a path or a backend`);
      }
    }
    return opened;
  } catch (e) {
    for (const s of opened) s.backend.close?.();
    throw e;
  }
}

function isDriveConfig(d: Input | DriveConfig): d is DriveConfig {
  return typeof d === "object" && d !== null && !(d instanceof Uint8Array) && !(d instanceof ArrayBuffer) && !(d instanceof URL) && "file" in d;
}

function isBlockBackend(f: unknown): f is BlockBackend {
  return typeof f === "object" && f !== null && typeof (f as BlockBackend).read === "function" && typeof (f as BlockBackend).size === "number";
}

async function openDisks(drives: DriveConfig[]): Promise<OpenDisk[]> {
  const opened: OpenDisk[] = [];
  try {
    for (const d of drives) {
      const readonly = d.readonly === true;
      opened.push(await openDisk(d.file, readonly));
    }
    return opened;
  } catch (e) {
    for (const o of opened) o.backend.close();
    throw e;
  }
}

export async function openDisk(file: Input | BlockBackend, readonly: boolean): Promise<OpenDisk> {
  const memory = (backend: BlockBackend): OpenDisk => ({ backend, readonly, origin: { kind: "memory" } });
  if (isBlockBackend(file)) return memory(file);
  if (file instanceof Uint8Array || file instanceof ArrayBuffer) return memory(new MemoryBlockBackend(new Uint8Array(file), { readonly }));
  if (typeof file === "string" && hasFileSystem && !/^[a-z][a-z0-9+.-]+:/i.test(file)) {
    const { openFileBlockBackend } = await import("./platform/node-block.js");
    return { backend: openFileBlockBackend(file, { readonly }), readonly, origin: { kind: "file", path: file } };
  }
  // A URL: fetched whole into memory; the guest's writes stay there.
  return memory(new MemoryBlockBackend(await readInput(file, "disk image", 2 ** 31), { readonly }));
}
