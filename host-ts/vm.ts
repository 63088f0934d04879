// The engine behind a Machine: the core, the board, the firmware and the run loop that
// drives time, HTIF, SBI calls, console input, idling, reboot and exit (DESIGN.md §1, §4,
// §5). Internal: programs use the Machine of api.ts, which adds status, events and the
// console on top of this.
import { Core, Reason } from "./core.js";
import { Htif } from "./htif.js";
import { yieldToEventLoop, Sleeper, now } from "./scheduler.js";
import { VirtBoard } from "./board.js";
import { BuiltinSbi } from "./sbi.js";
import { RealTimeClock, InstructionClock, TICKS_PER_MS, type GuestClock, type DeterministicTime } from "./clock.js";
import { hostEntropy, SeededEntropy, type Entropy } from "./entropy.js";
import { boot, type BootImages, type BootResult } from "./boot.js";
import { traceLine } from "./trace.js";
import { checkHarts, checkRamBytes, checkVirtioDevices } from "./limits.js";
import type { BlockBackend } from "../devices/virtio/block-backend.js";
import type { DeviceState, GuestRam } from "../devices/device.js";
import type { VirtioDeviceModel, VirtioMmio } from "../devices/virtio/mmio.js";
import { VirtioBlk } from "../devices/virtio/blk.js";
import { VirtioRng } from "../devices/virtio/rng.js";
import { VirtioConsole } from "../devices/virtio/console.js";
import type { FsBackend } from "../devices/fs/backend.js";
import { RAM_BASE } from "./core.js";
import type { CpuScheduler, SchedulerTicket } from "./cpu-scheduler.js";
import { MIN_SLICE, nextSlice } from "./slice.js";

/** How often the loop lets the host's event loop run (input, timers, the embedder). */
const YIELD_EVERY_MS = 8;
/**
 * In deterministic mode the loop yields every so many steps instead: when the embedder's code
 * gets to run (and its input lands) must not depend on how fast the host is.
 */
const YIELD_EVERY_STEPS = 8;
/** The longest an idle machine sleeps before looking again. */
const IDLE_CAP_MS = 50;

/**
 * A compiled region costs the engine about 2 ms of CPU all told (translation, the module,
 * and V8 tiering it up to TurboFan on its compile threads); running it instead of
 * interpreting saves a few ns per visit. At 10 000 visits boot code (run a few times)
 * stays interpreted and loops still compile within their first milliseconds. Measured in
 * alternating runs: against 5000, 10 000 reached the default guest's prompt 5% sooner with
 * 12% less CPU, and ran the compute suite 4% faster with 10% less CPU (memcpy-strided
 * 0.29 -> 0.12 s; sha256, sort and forkexec 1-4% slower); 64 made the suite 60% slower.
 */
export const DEFAULT_JIT_THRESHOLD = 10_000;

export interface VmOptions {
  wasm: BufferSource | WebAssembly.Module;
  ramBytes: number;
  harts: number;
  /** Guest console output (UART, SBI console, HTIF console). */
  output: (bytes: Uint8Array) => void;
  disks?: { backend: BlockBackend; readonly: boolean }[];
  /** virtio-9p shares, after the disks. */
  shares?: { tag: string; readonly: boolean; backend: FsBackend }[];
  /** A virtio-console after the shares; its output goes here. */
  virtioConsole?: { output: (bytes: Uint8Array) => void };
  /** One line per event the user should know about (device errors). */
  log?: (line: string) => void;
  /** Exit instead of restarting when the guest reboots. */
  noReboot?: boolean;
  /** virtio-mmio in the legacy (version 1) layout (QEMU's -global virtio-mmio.force-legacy=true). */
  virtioLegacy?: boolean;
  /** Visits to a block before it is compiled to WebAssembly; 0 interprets everything. Default DEFAULT_JIT_THRESHOLD. */
  jit?: number;
  /**
   * Compile hot blocks inside run(), 32 at a time (when the core stops to hand them over), rather
   * than in the engine's background threads: the same run compiles at the same points (tests,
   * deterministic mode). One module per block made `--deterministic --jit 1` crawl.
   */
  jitSync?: boolean;
  /**
   * Time as the instruction count and entropy from `seed` (QEMU's -icount): the same inputs
   * give the same run. Default: real time and the host's CSPRNG.
   */
  deterministic?: DeterministicTime & { seed: number };
}

export interface RunOptions {
  /** Running time (not counting pauses) after which the machine exits with status 124. */
  timeoutMs?: number;
  /** Print the first N executed instructions. */
  trace?: number;
  traceOut?: (line: string) => void;
  /** Asked between slices: true ends run() with "paused" at an instruction boundary. */
  pauseRequested?: () => boolean;
  /** Run only while holding this scheduler's turn, with this weight (cpu-scheduler.ts). */
  scheduler?: CpuScheduler;
  cpuShare?: number;
}

/** A turn's last slice still gets this many instructions: compiled regions need 128 to be entered. */
const MIN_TURN_SLICE = 1000;

export type ExitReason = "htif" | "timeout" | "poweroff" | "reboot" | "fail" | "stopped";
export interface ExitInfo { status: number; reason: ExitReason }

/** What the engine holds beside the core's memory: plain data, for snapshots. */
export interface VmState {
  devices: Record<string, DeviceState>;
  /** Console input not yet taken by the UART. */
  input: number[];
  /** How the last boot left the firmware: the host's SBI, HTIF addresses. */
  boot: { builtinSbi: boolean; htif: { tohost: string; fromhost: string } | null };
  runningMs: number;
  /** Deterministic mode: the clock's skipped ticks and the generator's state. */
  deterministic?: { warp: string; entropy: string };
}

export class Vm {
  readonly core: Core;
  readonly board: VirtBoard;
  readonly clock: GuestClock;
  readonly ramBytes: number;
  private htif: Htif | null = null;
  private sbi: BuiltinSbi | null = null;
  private images: BootImages | null = null;
  private readonly sleeper = new Sleeper();
  private requestedExit: ExitInfo | null = null;
  private rebootRequested = false;
  private readonly input: number[] = [];
  private outBuf: number[] = [];
  private traced = 0;
  /** The scheduler's turn while run() is under one. */
  private ticket: SchedulerTicket | null = null;
  /** Milliseconds spent in run(), pauses excluded. */
  runningMs = 0;
  /** The device tree the last boot used. */
  dtb: Uint8Array | null = null;
  /** The virtio-console, when the machine has one. */
  hvc: VirtioConsole | null = null;
  /**
   * The gdb stub's gate (host-ts/gdb/machine-target.ts), asked before every slice: null runs
   * on; a promise holds the machine (guest time and the timeout stand still) until it
   * settles, maybe with an exit.
   */
  debugGate: (() => Promise<ExitInfo | null> | null) | null = null;

  private readonly virtio: VirtioMmio[];

  private constructor(core: Core, board: VirtBoard, clock: GuestClock, private readonly entropy: Entropy, private readonly opts: VmOptions) {
    this.core = core;
    this.board = board;
    this.virtio = board.virtio;
    this.clock = clock;
    this.ramBytes = opts.ramBytes;
  }

  static async create(opts: VmOptions): Promise<Vm> {
    checkHarts(opts.harts);
    checkRamBytes(opts.ramBytes);
    const disks = opts.disks ?? [];
    const shares = opts.shares ?? [];
    checkVirtioDevices({ disks: disks.length, shares: shares.length, consoles: opts.virtioConsole ? 1 : 0 });
    let vm: Vm | null = null;
    let board: VirtBoard | null = null;
    const core = await Core.create(opts.wasm, {
      ramBytes: opts.ramBytes,
      harts: opts.harts,
      mmio: { read: (a, s) => board!.read(a, s), write: (a, s, v) => board!.write(a, s, v) },
      jit: opts.jit === 0 ? undefined : { threshold: opts.jit ?? DEFAULT_JIT_THRESHOLD, sync: opts.jitSync, batch: opts.jitSync ? 32 : undefined },
    });
    const det = opts.deterministic;
    const clock: GuestClock = det
      ? new InstructionClock(det, () => BigInt(vm?.instructions() ?? 0), () => core.mtime)
      : new RealTimeClock(() => vm?.sleeper.wake());
    const entropy: Entropy = det ? new SeededEntropy(det.seed) : hostEntropy;
    const ram: GuestRam = { base: RAM_BASE, size: opts.ramBytes, view: (pa, len) => core.ramView(pa, len) };
    const log = opts.log ?? (() => {});
    const hvc = opts.virtioConsole ? new VirtioConsole({ onOutput: opts.virtioConsole.output }) : null;
    // The 9P server is loaded only for a machine with shares (most boots have none).
    const VirtioP9 = shares.length > 0 ? (await import("../devices/virtio/9p/device.js")).VirtioP9 : null;
    // Slots in the order QEMU's command line would give them: disks, shares, console, then entropy.
    const virtio: VirtioDeviceModel[] = [
      ...disks.map((d) => new VirtioBlk({ backend: d.backend, readonly: d.readonly, log })),
      ...shares.map((s) => new VirtioP9!({ backend: s.backend, tag: s.tag, readonly: s.readonly, log })),
      ...(hvc ? [hvc] : []),
      new VirtioRng({ fill: (b) => entropy.fill(b) }),
    ];
    board = new VirtBoard({
      harts: opts.harts,
      ram,
      setExternalInterrupt: (ctx, level) => core.setExternalInterrupt(ctx, level),
      console: (byte) => vm!.outBuf.push(byte),
      consoleInput: () => vm!.input.shift() ?? -1,
      onPowerOff: () => vm!.requestExit({ status: 0, reason: "poweroff" }),
      onReset: () => vm!.requestReboot(),
      onFail: (code) => vm!.requestExit({ status: exitStatus(code), reason: "fail" }),
      wallClockNs: () => clock.wallClockNs(),
      scheduleAlarm: (atNs, cb) => clock.scheduleAlarm(board!, atNs, cb),
      virtio,
      virtioLegacy: opts.virtioLegacy,
      log,
    });
    core.setMmioMap(board.mmioRegions());
    if (hvc) hvc.attach(board.virtio.find((slot) => slot.device === hvc)!);
    vm = new Vm(core, board, clock, entropy, opts);
    vm.hvc = hvc;
    return vm;
  }

  /** Places the images and sets the harts up; remembered, so a guest reboot boots them again. */
  boot(images: BootImages): BootResult {
    this.images = images;
    return this.applyBoot();
  }

  private applyBoot(): BootResult {
    const r = boot({ core: this.core, board: this.board, ramBytes: this.ramBytes, entropy: (b) => this.entropy.fill(b) }, this.images!);
    this.dtb = r.dtb;
    this.attachFirmware(r);
    return r;
  }

  /** The host's side of the firmware the boot set up: HTIF and the built-in SBI. */
  private attachFirmware(r: Pick<BootResult, "builtinSbi" | "htif">): void {
    this.booted = { builtinSbi: r.builtinSbi, htif: r.htif };
    this.htif = r.htif ? new Htif(this.core, r.htif.tohost, r.htif.fromhost, (b) => this.opts.output(b)) : null;
    this.sbi = r.builtinSbi
      ? new BuiltinSbi(this.core, {
          console: (b) => this.opts.output(b),
          getchar: () => this.input.shift() ?? -1,
          shutdown: (failure) => this.requestExit({ status: failure ? 1 : 0, reason: "poweroff" }),
          reboot: () => this.requestReboot(),
        })
      : null;
  }

  private booted: Pick<BootResult, "builtinSbi" | "htif"> = { builtinSbi: false, htif: null };

  /** Everything but RAM, at an instruction boundary (between run() calls). */
  saveState(): { vm: VmState; core: Uint8Array; dtb: Uint8Array | null } {
    const htif = this.booted.htif;
    return {
      vm: {
        devices: this.board.saveState(),
        input: [...this.input],
        boot: { builtinSbi: this.booted.builtinSbi, htif: htif ? { tohost: htif.tohost.toString(), fromhost: htif.fromhost.toString() } : null },
        runningMs: this.runningMs,
        deterministic: this.clock instanceof InstructionClock ? { warp: this.clock.save().warp, entropy: this.entropy.save()! } : undefined,
      },
      core: this.core.saveCoreState(),
      dtb: this.dtb,
    };
  }

  /**
   * Continues a saved machine: `images` are what it booted from (booted again if the guest
   * reboots); RAM comes separately (Core.setPageSource).
   */
  loadState(s: { vm: VmState; core: Uint8Array; dtb: Uint8Array | null }, images: BootImages): void {
    this.images = images;
    this.core.loadCoreState(s.core);
    this.board.loadState(s.vm.devices);
    this.input.length = 0;
    this.input.push(...s.vm.input.map((b) => b & 0xff));
    const h = s.vm.boot.htif;
    this.attachFirmware({ builtinSbi: s.vm.boot.builtinSbi, htif: h ? { tohost: BigInt(h.tohost), fromhost: BigInt(h.fromhost) } : null });
    this.core.enableBuiltinSbi(s.vm.boot.builtinSbi);
    this.dtb = s.dtb;
    this.runningMs = s.vm.runningMs;
    const det = s.vm.deterministic;
    if (det && this.clock instanceof InstructionClock && this.entropy instanceof SeededEntropy) {
      this.clock.load({ warp: det.warp });
      this.entropy.load(det.entropy);
    }
  }

  /** Restarts the guest from its images (QMP system_reset). */
  reset(): void {
    this.rebootRequested = false;
    this.applyBoot();
  }

  /** Console input; fed to the UART as it has room. */
  feedInput(bytes: Uint8Array): void {
    for (const b of bytes) this.input.push(b);
    this.sleeper.wake();
  }

  /** Wakes the loop from an idle sleep (a pause or stop request, an alarm). */
  wake(): void {
    this.sleeper.wake();
  }

  /** Asks the run loop to end with this status (a device powered the machine off, a stop, ...). */
  requestExit(info: ExitInfo): void {
    this.requestedExit ??= info;
    this.core.stop();
    this.sleeper.wake();
  }

  private requestReboot(): void {
    if (this.opts.noReboot) {
      this.requestExit({ status: 0, reason: "reboot" });
      return;
    }
    this.rebootRequested = true;
    this.core.stop();
  }

  /** Instructions every hart retired. */
  instructions(): number {
    let n = 0n;
    for (let h = 0; h < this.core.harts; h++) n += this.core.getSlot(h, "S_RETIRED");
    return Number(n);
  }

  /**
   * Feeds console input to a UART driver that listens for interrupts, as much as its
   * receiver takes (a driver that polls takes it byte by byte through consoleInput).
   */
  private pumpInput(): void {
    if (this.input.length === 0 || !this.board.uart.listening()) return;
    const room = this.board.uart.rxSpace();
    if (room <= 0) return;
    const chunk = this.input.splice(0, room);
    const taken = this.board.uart.receive(Uint8Array.from(chunk));
    if (taken < chunk.length) this.input.unshift(...chunk.slice(taken));
  }

  private flushOutput(): void {
    if (this.outBuf.length === 0) return;
    const bytes = Uint8Array.from(this.outBuf);
    this.outBuf = [];
    this.opts.output(bytes);
  }

  /** One core.run() and what it leads to; an ExitInfo when the machine is done. */
  private async step(budget: number): Promise<ExitInfo | null> {
    this.core.mtime = this.clock.mtime(this.core.mtime);
    this.clock.fireDueAlarms();
    this.pumpInput();
    const reason = this.core.run(budget);
    // Devices do a bounded amount of work per step (a guest may ask for gigabytes in one notify).
    for (const v of this.virtio) v.continueDeferred();
    this.flushOutput();
    if (this.requestedExit) return this.requestedExit;
    if (this.rebootRequested) {
      this.reset();
      return null;
    }
    switch (reason) {
      case Reason.Htif: {
        const r = this.htif?.handle();
        if (r?.exit !== undefined) return { status: exitStatus(r.exit), reason: "htif" };
        return null;
      }
      case Reason.Sbi:
        this.sbi?.handle(this.core.stoppedHart());
        this.flushOutput();
        return this.requestedExit;
      case Reason.Idle: {
        if (this.input.length > 0 && this.board.uart.listening() && this.board.uart.rxSpace() > 0) return null;
        if (this.virtio.some((v) => v.hasDeferredWork())) return null; // a device is still working for the guest
        if (this.clock instanceof InstructionClock && this.skipIdleTime(this.clock)) return null;
        const deadline = this.core.nextTimerDeadline();
        const ahead = deadline - Number(this.core.mtime);
        // A deadline already passed cannot wake the harts (its interrupt is masked): wait for input.
        const timerMs = ahead > 0 && !(this.clock instanceof InstructionClock) ? ahead / TICKS_PER_MS : IDLE_CAP_MS;
        const waitMs = this.clock.msUntilNextAlarm(Math.min(IDLE_CAP_MS, timerMs));
        if (waitMs > 0) {
          this.ticket?.release(); // an idle machine lets the others run
          await this.sleeper.sleep(waitMs);
        }
        return null;
      }
      case Reason.Fatal:
        return { status: 1, reason: "fail" };
      default:
        return null;
    }
  }

  /** Deterministic mode: entropy from `seed` from now on (a fork that must differ from its siblings). */
  reseed(seed: number): void {
    if (this.entropy instanceof SeededEntropy) this.entropy.load(new SeededEntropy(seed).save());
  }

  /** Deterministic mode: every hart waits, so guest time jumps to the next timer or alarm. False when there is none. */
  private skipIdleTime(clock: InstructionClock): boolean {
    const now = this.core.mtime;
    const timer = this.core.nextTimerDeadline();
    const alarm = clock.nextAlarmTicks();
    let next = timer < 1.8e19 && BigInt(timer) > now ? BigInt(timer) : null;
    if (alarm !== null && alarm > now && (next === null || alarm < next)) next = alarm;
    if (next === null) return false; // nothing but input can wake the guest: wait for it
    clock.skipTo(next);
    return true;
  }

  /**
   * Runs until the machine exits (its ExitInfo) or, between slices, `pauseRequested`
   * answers true ("paused": resume by calling run() again).
   */
  async run(opts: RunOptions = {}): Promise<ExitInfo | "paused"> {
    this.clock.resume(this.core.mtime);
    let started = now();
    let runningBefore = this.runningMs;
    let lastYield = started;
    let steps = 0;
    const deterministic = this.clock instanceof InstructionClock;
    let slice = MIN_SLICE;
    const ticket = (this.ticket = opts.scheduler ? opts.scheduler.join(opts.cpuShare) : null);
    try {
      for (;;) {
        if (this.requestedExit) return this.requestedExit;
        if (opts.pauseRequested?.()) return "paused";
        const held = this.debugGate?.();
        if (held) {
          ticket?.release();
          runningBefore += now() - started;
          const end = await held;
          if (end) return end;
          this.clock.resume(this.core.mtime); // the hold is not guest time
          started = lastYield = now();
          continue;
        }
        if (ticket && !ticket.holding) {
          await ticket.acquire();
          continue; // the world may have changed while waiting for the turn
        }
        const before = ticket ? this.instructions() : 0;
        const stepStart = now();
        let exit: ExitInfo | null;
        const tracing = opts.trace !== undefined && this.traced < opts.trace;
        if (tracing) {
          traceLine(this.core, opts.traceOut ?? (() => {}));
          this.traced++;
          exit = await this.step(1);
        } else {
          exit = await this.step(ticket ? Math.min(slice, Math.max(MIN_TURN_SLICE, Math.ceil(ticket.remaining() / this.core.harts))) : slice);
        }
        if (ticket && ticket.charge(this.instructions() - before)) ticket.release();
        if (exit) return exit;
        const t = now();
        // Deterministic mode keeps fixed slices: where they end decides when interrupts land. A
        // traced single step says nothing about the guest's speed.
        if (!deterministic && !tracing) slice = nextSlice(slice, this.core.lastRunSpent(), this.core.harts, t - stepStart);
        this.runningMs = runningBefore + (t - started);
        if (opts.timeoutMs !== undefined && this.runningMs >= opts.timeoutMs) return { status: 124, reason: "timeout" };
        // Under a scheduler the thread yields between turns (cpu-scheduler.ts).
        if (!ticket && (deterministic ? ++steps % YIELD_EVERY_STEPS === 0 : t - lastYield >= YIELD_EVERY_MS)) {
          await yieldToEventLoop();
          lastYield = now();
        }
      }
    } finally {
      ticket?.leave();
      this.ticket = null;
      this.runningMs = runningBefore + (now() - started);
      this.flushOutput();
    }
  }

  /** The machine is done for good: host timers go, its memory may serve the next machine. */
  dispose(): void {
    this.clock.dispose();
    this.core.release();
  }
}

/** A guest exit code as a process exit status: 0 stays 0, anything else stays non-zero. */
export function exitStatus(code: number): number {
  if (code === 0) return 0;
  const s = code & 0xff;
  return s === 0 ? 1 : s;
}
