// Saving a machine and reading it back (DESIGN.md §6, docs/SNAPSHOT.md). The state is taken
// at an instruction boundary: the core's hart slots and shared area, every device's plain
// state, the engine's own (console input, firmware), RAM with all-zero pages left out, the
// images it boots from and its disks. TLBs, decoded instructions and compiled code are
// caches, rebuilt by the machine that continues.
import { PAGE_SIZE, type PageSource } from "../core.js";
import type { Vm, VmState } from "../vm.js";
import { resolveDeterministic, type BootSources, type Deterministic, type ImageBytes, type OpenDisk, type OpenShare } from "../config.js";
import { MemoryFs } from "../../devices/fs/memory-backend.js";
import { saveMemoryImage } from "../../devices/fs/memory-image.js";
import { loadDefaultGuest } from "../assets.js";
import { HartvmError } from "../errors.js";
import { VERSION } from "../version.js";
import { BOARD_ID } from "../board.js";
import { encodeContainer, decodeContainer, section, type Container } from "./format.js";
import { sha256 } from "../platform/sha256.js";
import { encodePages, CompressedPages, FrozenPages, isZeroPage, type PageReader } from "./pages.js";
import { zstdCompress, zstdDecompress, zstdReady } from "./zstd.js";
import type { WarmSet } from "../jit/code-cache.js";

export interface MachineSettings {
  ramBytes: number;
  harts: number;
  jitThreshold: number;
  noReboot: boolean;
  /** virtio-mmio version 1 (absent in snapshots made before it existed: false). */
  virtioLegacy: boolean;
  deterministic: Deterministic | null;
  virtioConsole: boolean;
}

export type SavedShare =
  | { kind: "dir"; tag: string; readonly: boolean; path: string }
  | { kind: "memory"; tag: string; readonly: boolean; image: Uint8Array };

export type SavedDisk =
  | { kind: "memory"; readonly: boolean; size: number; blocks: PageSource }
  | { kind: "file"; readonly: boolean; size: number; path: string; sha256: string };

/** A machine's state, decoded or captured, ready to make machines from. */
export interface SnapshotState {
  coreBuild: string;
  machine: MachineSettings;
  sources: BootSources;
  /** SHA-256 of the default guest's files, when it boots them. */
  defaultGuest: { kernel: string; initrd: string } | null;
  disks: SavedDisk[];
  shares: SavedShare[];
  saved: { vm: VmState; core: Uint8Array; dtb: Uint8Array | null };
  ram: PageSource;
  /**
   * The translated code the machines made from this state installed (this thread's; a
   * fork's starts with its parent's): each new one installs what still matches its bytes.
   */
  lineage?: WarmSet;
}

/** What a snapshot is taken of. */
export interface SnapshotSubject {
  vm: Vm;
  machine: MachineSettings;
  sources: BootSources;
  disks: OpenDisk[];
  shares: OpenShare[];
  coreBuild: string;
}

type Section = { name: string; bytes: Uint8Array };

const bad = (why: string) => new HartvmError("invalid-snapshot", `snapshot: ${why}`);

// ---- forks: the state copied as it is now, nothing compressed ----

/** The machine's state, copied (RAM and memory disks frozen) so the machine may run on. */
export async function freezeState(s: SnapshotSubject): Promise<SnapshotState> {
  const core = s.vm.core;
  return {
    coreBuild: s.coreBuild,
    machine: s.machine,
    sources: s.sources,
    defaultGuest: await defaultGuestHashes(s.sources),
    disks: s.disks.map((d) => saveDisk(d)),
    shares: s.shares.map(saveShare),
    saved: s.vm.saveState(),
    ram: new FrozenPages(core.ramSize / PAGE_SIZE, (p) => core.readPage(p)),
    lineage: core.jitLineage() ?? undefined,
  };
}

function saveShare(s: OpenShare): SavedShare {
  if (s.origin.kind === "dir") return { kind: "dir", tag: s.tag, readonly: s.readonly, path: s.origin.path };
  if (s.backend instanceof MemoryFs) return { kind: "memory", tag: s.tag, readonly: s.readonly, image: saveMemoryImage(s.backend) };
  throw new HartvmError("invalid-state", `share '${s.tag}' has a file system of its own, which a snapshot cannot carry`);
}

function saveDisk(d: OpenDisk): SavedDisk {
  if (d.origin.kind === "file") return { kind: "file", readonly: d.readonly, size: d.backend.size, path: d.origin.path, sha256: fileHash(d) };
  return { kind: "memory", readonly: d.readonly, size: d.backend.size, blocks: new FrozenPages(pagesOf(d.backend.size), diskReader(d)) };
}

/**
 * SHA-256 of everything the guest can observe: harts and ACLINT, devices, pending input and
 * RAM (not the wall time the host spent). Two deterministic runs with the same inputs agree.
 */
export async function stateHash(s: SnapshotSubject): Promise<string> {
  const saved = s.vm.saveState();
  const { runningMs: _wall, ...vm } = saved.vm;
  const core = s.vm.core;
  const parts: Uint8Array[] = [saved.core, new TextEncoder().encode(JSON.stringify(vm))];
  const index = new Uint32Array(1);
  for (let p = 0; p < core.ramSize / PAGE_SIZE; p++) {
    const page = core.readPage(p);
    if (page === null || isZeroPage(page)) continue;
    index[0] = p;
    parts.push(new Uint8Array(index.buffer.slice(0)), page.slice());
  }
  const all = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of parts) { all.set(x, at); at += x.length; }
  return sha256(all);
}

// ---- snapshots as bytes ----

/**
 * The machine as snapshot bytes. Everything that reads the machine happens before
 * `release()` is called (so the caller may let it run on); hashing comes after.
 */
export async function writeSnapshot(s: SnapshotSubject, release: () => void): Promise<Uint8Array> {
  let header: Record<string, unknown>;
  const sections: Section[] = [];
  try {
    await zstdReady();
    header = encodeState(s, sections);
  } finally {
    release();
  }
  header.defaultGuest = await defaultGuestHashes(s.sources);
  return encodeContainer({ coreBuild: s.coreBuild, board: BOARD_ID, hartvm: VERSION, created: new Date().toISOString(), ...header }, sections);
}

function encodeState(s: SnapshotSubject, sections: Section[]): Record<string, unknown> {
  const add = (name: string, bytes: Uint8Array) => { sections.push({ name, bytes }); return name; };
  const blob = (name: string, bytes: Uint8Array) => ({ size: bytes.length, section: add(name, zstdCompress(bytes)) });
  const image = (what: string, img: ImageBytes | null) => img && { name: img.name, ...blob(`image.${what}`, img.bytes) };
  const saved = s.vm.saveState();
  const core = s.vm.core;
  add("core", saved.core);
  add("vm", new TextEncoder().encode(JSON.stringify(saved.vm)));
  add("ram", encodePages(core.ramSize / PAGE_SIZE, (p) => core.readPage(p)));
  return {
    machine: s.machine,
    dtb: saved.dtb && blob("dtb", saved.dtb),
    images: {
      kernel: s.sources.kernel === "default" ? "default" : image("kernel", s.sources.kernel),
      initrd: s.sources.initrd === "default" ? "default" : image("initrd", s.sources.initrd),
      bios: typeof s.sources.bios === "string" ? s.sources.bios : image("bios", s.sources.bios),
      dtb: image("dtb", s.sources.dtb),
      append: s.sources.append ?? null,
    },
    disks: s.disks.map((d, i) => {
      const base = { readonly: d.readonly, size: d.backend.size };
      if (d.origin.kind === "file") return { kind: "file", path: d.origin.path, sha256: fileHash(d), ...base };
      return { kind: "memory", section: add(`disk.${i}`, encodePages(pagesOf(d.backend.size), diskReader(d))), ...base };
    }),
    shares: s.shares.map((share, i) => {
      const saved = saveShare(share);
      return saved.kind === "dir" ? saved : { kind: "memory", tag: saved.tag, readonly: saved.readonly, ...blob(`share.${i}`, saved.image) };
    }),
  };
}

/** Reads snapshot bytes: every check first (format, core build, board, each section's hash), then the state. */
export async function readSnapshot(bytes: Uint8Array, expect: { coreBuild: string }): Promise<SnapshotState> {
  await zstdReady();
  const c = await decodeContainer(bytes, { coreBuild: expect.coreBuild, board: BOARD_ID });
  const h = c.header as Record<string, unknown>;
  const machine = h.machine as MachineSettings;
  if (!isObject(machine) || !Number.isInteger(machine.ramBytes) || machine.ramBytes <= 0 || machine.ramBytes % PAGE_SIZE !== 0 || !Number.isInteger(machine.harts)) {
    throw bad("the header has no valid machine settings");
  }
  const images = h.images as Record<string, unknown>;
  if (!isObject(images)) throw bad("the header lists no images");
  const kernel = images.kernel === "default" ? "default" : readImage(c, images.kernel, "kernel");
  const bios = images.bios === "builtin" || images.bios === "none" ? images.bios : readImage(c, images.bios, "bios");
  if (kernel === null || bios === null) throw bad("the header names no kernel or firmware");
  const sources: BootSources = {
    kernel,
    bios,
    initrd: images.initrd === "default" ? "default" : readImage(c, images.initrd, "initrd"),
    dtb: readImage(c, images.dtb, "dtb"),
    append: typeof images.append === "string" ? images.append : undefined,
  };
  const disks = (Array.isArray(h.disks) ? h.disks : []).map((raw: unknown, i: number): SavedDisk => {
    const d = raw as Record<string, unknown>;
    if (!isObject(d) || !Number.isSafeInteger(d.size) || typeof d.readonly !== "boolean") throw bad(`disk ${i} is malformed`);
    const size = d.size as number;
    if (d.kind === "file" && typeof d.path === "string" && typeof d.sha256 === "string") return { kind: "file", path: d.path, sha256: d.sha256, size, readonly: d.readonly };
    if (d.kind === "memory" && typeof d.section === "string") {
      return { kind: "memory", size, readonly: d.readonly, blocks: new CompressedPages(section(c, d.section), pagesOf(size), `disk ${i}`) };
    }
    throw bad(`disk ${i} is malformed`);
  });
  const shares = (Array.isArray(h.shares) ? h.shares : []).map((raw: unknown, i: number): SavedShare => {
    const s = raw as Record<string, unknown>;
    if (!isObject(s) || typeof s.tag !== "string" || typeof s.readonly !== "boolean") throw bad(`share ${i} is malformed`);
    if (s.kind === "dir" && typeof s.path === "string") return { kind: "dir", tag: s.tag, readonly: s.readonly, path: s.path };
    if (s.kind === "memory") return { kind: "memory", tag: s.tag, readonly: s.readonly, image: readBlob(c, s, `share ${i}`)! };
    throw bad(`share ${i} is malformed`);
  });
  let vm: VmState;
  try {
    vm = JSON.parse(new TextDecoder().decode(section(c, "vm")));
  } catch {
    throw bad("section 'vm' is not valid JSON");
  }
  if (!isObject(vm) || !isObject(vm.devices) || !Array.isArray(vm.input) || !isObject(vm.boot)) throw bad("section 'vm' is malformed");
  const dg = h.defaultGuest as { kernel?: unknown; initrd?: unknown } | null;
  return {
    coreBuild: expect.coreBuild,
    machine: {
      ramBytes: machine.ramBytes, harts: machine.harts, jitThreshold: machine.jitThreshold, noReboot: machine.noReboot === true,
      virtioLegacy: machine.virtioLegacy === true,
      deterministic: machine.deterministic ? resolveDeterministic({ seed: machine.deterministic.seed, shift: machine.deterministic.shift, epoch: machine.deterministic.epochMs }) : null,
      virtioConsole: machine.virtioConsole === true,
    },
    sources,
    defaultGuest: isObject(dg) ? { kernel: String(dg.kernel), initrd: String(dg.initrd) } : null,
    disks,
    shares,
    saved: { vm, core: section(c, "core"), dtb: readBlob(c, h.dtb, "dtb") },
    ram: new CompressedPages(section(c, "ram"), machine.ramBytes / PAGE_SIZE, "RAM"),
  };
}

function readBlob(c: Container, entry: unknown, what: string): Uint8Array | null {
  if (entry === null || entry === undefined) return null;
  const e = entry as { size?: unknown; section?: unknown };
  if (!Number.isSafeInteger(e.size) || typeof e.section !== "string") throw bad(`'${what}' is malformed`);
  return zstdDecompress(section(c, e.section), e.size as number, `'${what}'`);
}

function readImage(c: Container, entry: unknown, what: string): ImageBytes | null {
  const bytes = readBlob(c, entry, `image ${what}`);
  if (!bytes) return null;
  const name = (entry as { name?: unknown }).name;
  if (typeof name !== "string") throw bad(`image '${what}' has no name`);
  return { name, bytes };
}

/** A snapshot of the default guest refers to this package's files: they must be the same. */
export async function checkDefaultGuest(state: SnapshotState): Promise<void> {
  if (!state.defaultGuest) return;
  const now = await defaultGuestHashes(state.sources);
  if (now?.kernel !== state.defaultGuest.kernel || now?.initrd !== state.defaultGuest.initrd) {
    throw bad("it was made with another default guest than this package's");
  }
}

async function defaultGuestHashes(sources: BootSources): Promise<{ kernel: string; initrd: string } | null> {
  if (sources.kernel !== "default" && sources.initrd !== "default") return null;
  return (await loadDefaultGuest()).sha256();
}

function fileHash(d: OpenDisk): string {
  const hash = (d.backend as { sha256?: () => string }).sha256?.();
  if (!hash) throw new HartvmError("invalid-state", "a disk file cannot be hashed for the snapshot");
  return hash;
}

function diskReader(d: OpenDisk): PageReader {
  const page = new Uint8Array(PAGE_SIZE);
  return (p) => {
    page.fill(0);
    const at = p * PAGE_SIZE;
    d.backend.read(at, page.subarray(0, Math.min(PAGE_SIZE, d.backend.size - at)));
    return page;
  };
}

const pagesOf = (bytes: number) => Math.ceil(bytes / PAGE_SIZE);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
