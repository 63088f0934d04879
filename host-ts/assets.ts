// What the package carries: the core and the embedded default guest, found next to this
// module (host-ts/ in the sources, dist/ in the package: both one level below the root).
// Compiled and read once per process, so many machines share them.
import { readInput, readFileIfPresent } from "./platform/files.js";
import { sha256 } from "./platform/sha256.js";
import { HartvmError } from "./errors.js";
import { parseKernel, type Kernel } from "../images/linux.js";
import { gunzip } from "../images/gzip.js";
import { installFastInflate } from "./platform/inflate.js";

export const CORE_WASM_URL = new URL("../build/core.wasm", import.meta.url);
export const DEFAULT_GUEST_URL = new URL("../images/default/", import.meta.url);

const MAX_CORE_BYTES = 16 * 2 ** 20;
const MAX_GUEST_FILE_BYTES = 64 * 2 ** 20;

let coreModule: Promise<WebAssembly.Module> | null = null;

/** The core's compiled module (the package's own core.wasm unless `source` names another). */
export function coreWasmModule(source?: Uint8Array | ArrayBuffer | URL | string | WebAssembly.Module): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return Promise.resolve(source);
  if (source !== undefined) return compile(source);
  coreModule ??= compile(CORE_WASM_URL).catch((e) => {
    coreModule = null;
    throw e;
  });
  return coreModule;
}

/** Each core module's bytes, and their SHA-256 once asked for: a snapshot only restores on the same core build. */
const coreBytes = new WeakMap<WebAssembly.Module, Uint8Array>();
const buildIds = new WeakMap<WebAssembly.Module, Promise<string>>();

/**
 * The build id of a core module ("unknown" for a module compiled elsewhere), hashed when
 * first asked for: a boot needs none, and in Node hashing loads node:crypto, a few ms of
 * every CLI start.
 */
export function coreBuildId(module: WebAssembly.Module): Promise<string> {
  let id = buildIds.get(module);
  if (!id) {
    const bytes = coreBytes.get(module);
    id = bytes ? sha256(bytes) : Promise.resolve("unknown");
    buildIds.set(module, id);
  }
  return id;
}

async function compile(source: Uint8Array | ArrayBuffer | URL | string): Promise<WebAssembly.Module> {
  const bytes = await readInput(source, "core.wasm", MAX_CORE_BYTES);
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes as BufferSource);
  } catch (e) {
    throw new HartvmError("invalid-image", `core.wasm is not a valid WebAssembly module: ${(e as Error).message}`);
  }
  coreBytes.set(module, bytes);
  return module;
}

export interface DefaultGuest {
  /** Read unpacked (or decompressed) once, shared by every machine that boots it. */
  kernel: Kernel;
  /**
   * The initramfs as a plain cpio archive (unpacked at build, or decompressed here once):
   * inflating it in the guest's kernel was two thirds of the kernel's initramfs unpack, the
   * longest phase of its boot.
   */
  initrd: Uint8Array;
  /** The kernel command line it boots with (manifest.json kernel_cmdline). */
  cmdline: string;
  /**
   * SHA-256 of Image.gz and initramfs.cpio.gz (snapshots refer to them by it), computed on
   * first use: hashing 3.5-6 MB is time a boot that never snapshots need not spend.
   */
  sha256(): Promise<{ kernel: string; initrd: string }>;
}

let defaultGuest: Promise<DefaultGuest> | null = null;

/** The embedded default guest: Linux 6.1 + busybox (images/default/). */
export function loadDefaultGuest(): Promise<DefaultGuest> {
  defaultGuest ??= readDefaultGuest().catch((e) => {
    defaultGuest = null;
    throw e;
  });
  return defaultGuest;
}

async function readDefaultGuest(dir: URL = DEFAULT_GUEST_URL): Promise<DefaultGuest> {
  const file = (name: string) => readInput(new URL(name, dir), `default guest ${name}`, MAX_GUEST_FILE_BYTES);
  const manifestRead = file("manifest.json").then((bytes) => JSON.parse(new TextDecoder().decode(bytes)) as Manifest);
  const [manifest, unpacked] = await Promise.all([manifestRead, readUnpacked(dir, manifestRead)]);
  const contents = unpacked ?? (await readPacked(file));
  let digests: Promise<{ kernel: string; initrd: string }> | null = null;
  return {
    kernel: contents.kernel, initrd: contents.initrd, cmdline: manifest.kernel_cmdline ?? "console=ttyS0",
    sha256: () => (digests ??= contents.digests()),
  };
}

interface Artefact {
  sha256?: string;
  uncompressed_sha256?: string;
  uncompressed_size?: number;
}

interface Manifest {
  kernel_cmdline?: string;
  artefacts?: Record<string, Artefact | undefined>;
}

/** The guest's kernel and initramfs as read, and how to compute the digests that name them. */
type Contents = Pick<DefaultGuest, "kernel" | "initrd"> & { digests(): Promise<{ kernel: string; initrd: string }> };

/**
 * Image and initramfs.cpio, which `npm run build` unpacks next to their .gz
 * (scripts/unpack-default-guest.mjs) and the package ships: reading them costs a boot
 * nothing like inflating the kernel (35-55 ms). Null when either is missing, not a local
 * file (browsers), or not the size manifest.json gives (a checkout not built since the .gz
 * changed): the .gz then.
 */
async function readUnpacked(dir: URL, manifestRead: Promise<Manifest>): Promise<Contents | null> {
  const read = (name: string) => readFileIfPresent(new URL(name, dir), `default guest ${name}`, MAX_GUEST_FILE_BYTES);
  const [kernel, initrd, { artefacts }] = await Promise.all([read("Image"), read("initramfs.cpio"), manifestRead]);
  const image = artefacts?.["Image.gz"], cpio = artefacts?.["initramfs.cpio.gz"];
  if (!kernel || !initrd || kernel.length !== image?.uncompressed_size || initrd.length !== cpio?.uncompressed_size) return null;
  return {
    kernel: await parseKernel(kernel, "default guest Image"),
    initrd,
    // The .gz's digests name the guest in snapshots, whichever form was read: the unpacked
    // bytes stand for them when they are what manifest.json says the .gz unpack to.
    digests: async () => ({ kernel: await unpackedDigest(kernel, image), initrd: await unpackedDigest(initrd, cpio) }),
  };
}

/** Image.gz and initramfs.cpio.gz, inflated here. */
async function readPacked(file: (name: string) => Promise<Uint8Array>): Promise<Contents> {
  const [kernel, initrd] = await Promise.all([file("Image.gz"), file("initramfs.cpio.gz"), installFastInflate()]);
  const [parsed, cpio] = await Promise.all([parseKernel(kernel, "default guest Image.gz"), gunzip(initrd, "default guest initramfs.cpio.gz")]);
  return { kernel: parsed, initrd: cpio, digests: async () => ({ kernel: await sha256(kernel), initrd: await sha256(initrd) }) };
}

/** The .gz's SHA-256 when `bytes` are what it unpacks to, else the bytes' own (another guest). */
async function unpackedDigest(bytes: Uint8Array, artefact: Artefact | undefined): Promise<string> {
  const own = await sha256(bytes);
  return own === artefact?.uncompressed_sha256 && artefact.sha256 ? artefact.sha256 : own;
}

/** Tests: the default guest as read from another directory (a copy with or without its unpacked files). */
export const readDefaultGuestFrom = (dir: URL): Promise<DefaultGuest> => readDefaultGuest(dir);
