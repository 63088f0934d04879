// Machines from a saved state: restoreMachine's bytes (parsed once, then shared) and fork's
// frozen copy take the same road.
import type { Machine } from "../machine.js";
import type { MachineConfig, OpenDisk, ResolvedConfig } from "../config.js";
import { bootImagesFrom, openDisk, openShares, resolveScheduling, type OpenShare } from "../config.js";
import { loadMemoryImage } from "../../devices/fs/memory-image.js";
import { checkJit } from "../limits.js";
import { assembleMachine } from "../assemble.js";
import { coreBuildId, coreWasmModule } from "../assets.js";
import { HartvmError } from "../errors.js";
import { CowBlockBackend } from "../../devices/virtio/cow-block-backend.js";
import { WarmSet } from "../jit/code-cache.js";
import { readSnapshot, checkDefaultGuest, type SavedDisk, type SnapshotState } from "./snapshot.js";

export interface RestoreOptions {
  /** As MachineConfig.jit (default: what the saved machine used). */
  jit?: MachineConfig["jit"];
  timeoutMs?: number;
  log?: (line: string) => void;
  trace?: MachineConfig["trace"];
  noReboot?: boolean;
  core?: MachineConfig["core"];
  /** Disk image paths by drive index, for files that moved since the snapshot. */
  drives?: (string | undefined)[];
  /** Host directories by share tag, for shares that moved since the snapshot. */
  shares?: Record<string, string>;
  /** The guest's writes to file disks stay in memory instead of reaching the files (forks do this). */
  overlayDisks?: boolean;
  /** Deterministic mode: entropy from this seed from now on (default: the saved generator's state). */
  seed?: number;
  /** As MachineConfig.scheduler and cpuShare. */
  scheduler?: MachineConfig["scheduler"];
  cpuShare?: number;
}

const parsed = new WeakMap<Uint8Array, { coreBuild: string; state: Promise<SnapshotState> }>();

/** Snapshot bytes, checked and decoded once per byte array (restoring it again shares its RAM). */
export function parsedSnapshot(bytes: Uint8Array, coreBuild: string): Promise<SnapshotState> {
  const cached = parsed.get(bytes);
  if (cached?.coreBuild === coreBuild) return cached.state;
  const state = readSnapshot(bytes, { coreBuild });
  parsed.set(bytes, { coreBuild, state });
  state.catch(() => parsed.delete(bytes));
  return state;
}

export async function machineFromState(state: SnapshotState, opts: RestoreOptions, wasm?: WebAssembly.Module): Promise<Machine> {
  wasm ??= await coreWasmModule(opts.core);
  if ((await coreBuildId(wasm)) !== state.coreBuild) throw new HartvmError("invalid-snapshot", "snapshot: made by another core build than this machine's core");
  await checkDefaultGuest(state);
  const scheduling = resolveScheduling(opts);
  const images = await bootImagesFrom(state.sources);
  const disks = await reopenDisks(state.disks, opts);
  let shares: OpenShare[];
  try {
    shares = await openShares(state.shares.map((s) =>
      s.kind === "dir"
        ? { tag: s.tag, readonly: s.readonly, path: opts.shares?.[s.tag] ?? s.path }
        : { tag: s.tag, readonly: s.readonly, backend: loadMemoryImage(s.image, { readonly: s.readonly }) }));
  } catch (e) {
    for (const d of disks) d.backend.close();
    throw e;
  }
  const jitObject = typeof opts.jit === "object" && opts.jit !== null ? opts.jit : null;
  const resolved: ResolvedConfig = {
    ramBytes: state.machine.ramBytes,
    harts: state.machine.harts,
    jitThreshold: opts.jit === undefined ? state.machine.jitThreshold : checkJit(jitObject ? (jitObject.threshold ?? true) : opts.jit, state.machine.jitThreshold),
    jitSync: jitObject?.sync === true || state.machine.deterministic !== null,
    sources: state.sources,
    images,
    disks,
    shares,
    virtioConsole: state.machine.virtioConsole,
    noReboot: opts.noReboot ?? state.machine.noReboot,
    virtioLegacy: state.machine.virtioLegacy,
    timeoutMs: opts.timeoutMs,
    trace: opts.trace,
    log: opts.log ?? (() => {}),
    deterministic: state.machine.deterministic,
    ...scheduling,
  };
  return assembleMachine(wasm, async () => state.coreBuild, resolved, (vm) => {
    vm.core.setPageSource(state.ram);
    try {
      vm.loadState(state.saved, images);
      if (opts.seed !== undefined) vm.reseed(opts.seed);
    } catch (e) {
      throw e instanceof HartvmError ? e : new HartvmError("invalid-snapshot", `snapshot: the saved machine state does not fit this machine (${(e as Error).message})`);
    }
    // Code its parent or siblings made hot runs compiled from the start. Not in
    // deterministic mode: each compile stops run(), so when code gets compiled must depend
    // on the guest's own history alone.
    if (vm.core.jit && resolved.deterministic === null) vm.core.warmJit((state.lineage ??= new WarmSet()));
  });
}

async function reopenDisks(saved: SavedDisk[], opts: RestoreOptions): Promise<OpenDisk[]> {
  const opened: OpenDisk[] = [];
  try {
    for (const [i, d] of saved.entries()) {
      if (d.kind === "memory") {
        opened.push({ backend: new CowBlockBackend(d.blocks, d.size, d.readonly), readonly: d.readonly, origin: { kind: "memory" } });
        continue;
      }
      const path = opts.drives?.[i] ?? d.path;
      const overlay = opts.overlayDisks === true && !d.readonly;
      const file = await openDisk(path, d.readonly || overlay);
      opened.push(file);
      const hash = (file.backend as { sha256?: () => string }).sha256?.();
      if (file.backend.size !== d.size || hash !== d.sha256) {
        throw new HartvmError("invalid-snapshot", `snapshot: disk ${i} (${path}) changed since the snapshot was taken; restore needs the image as it was`);
      }
      if (overlay) {
        const base = file.backend;
        const blocks = { copy: (block: number, into: Uint8Array) => base.read(block * 4096, into.subarray(0, Math.min(4096, base.size - block * 4096))) };
        opened[opened.length - 1] = { backend: new CowBlockBackend(blocks, d.size, false, () => base.close()), readonly: false, origin: { kind: "memory" } };
      }
    }
    return opened;
  } catch (e) {
    for (const o of opened) o.backend.close();
    throw e;
  }
}
