// A running guest as a program controls it: status, start/pause/resume/reset/stop, events,
// the console, exec and statistics (DESIGN.md §10). The engine underneath is vm.ts.
import type { Vm, ExitReason as VmExitReason, ExitInfo } from "./vm.js";
import type { ResolvedConfig } from "./config.js";
import type { JitStats } from "./jit/tier.js";
import type { CoreEvents } from "./core-events.js";
import { MachineConsole } from "./console.js";
import { Emitter } from "./events.js";
import { HartvmError } from "./errors.js";
import { execOnConsole, type ExecOptions, type ExecResult } from "./exec.js";
import type { SnapshotSubject } from "./snapshot/snapshot.js";
import type { RestoreOptions } from "./snapshot/restore.js";

export type MachineStatus = "created" | "running" | "paused" | "stopped";

/** Why a machine ended: the guest powered off, failed, exited through HTIF or rebooted (with noReboot); a timeout; stop(); an internal error. */
export type ExitReason = VmExitReason | "error";

export interface ExitEvent {
  /** As a process exit status: 0 for a clean power-off, 124 for a timeout. */
  status: number;
  reason: ExitReason;
  /** The internal error, when reason is "error". */
  error?: Error;
}

export interface MachineEvents {
  exit: ExitEvent;
  reset: undefined;
  pause: undefined;
  resume: undefined;
  /** Console output, as it comes. */
  output: Uint8Array;
  /** A device event worth a line (a driver broke the virtio protocol, a disk failed). */
  log: string;
}

export interface MachineStats {
  /** Instructions retired by every hart. */
  instructions: number;
  /** Millions of instructions per second of running time. */
  mips: number;
  /** Running time in milliseconds (pauses excluded). */
  wallMs: number;
  harts: number;
  /** What the WebAssembly translation tier did, or null when it is off. */
  jit: JitStats | null;
  /** What the core did (page walks, TLB flushes, decodings, ...): with the profile core build only (bench/core-events.js). */
  events?: CoreEvents;
}

export class Machine {
  /** The serial console (the UART, which Linux calls ttyS0). */
  readonly console: MachineConsole;
  /** The virtio-console (`virtioConsole: true`), a second channel apart from the kernel log; null without one. */
  readonly hvc: MachineConsole | null;
  /** Settles when the machine exits, with the same event as on("exit"). */
  readonly exited: Promise<ExitEvent>;
  private vm: Vm | null;
  private state: MachineStatus = "created";
  private pauseWanted = false;
  private loop: Promise<void> = Promise.resolve();
  private readonly events = new Emitter<MachineEvents>();
  private execChain: Promise<unknown> = Promise.resolve();
  private resolveExited!: (e: ExitEvent) => void;
  private finalStats: MachineStats | null = null;
  private readonly dtb: Uint8Array | null;

  /** @internal Use createMachine(). `coreBuild`: the core's build id, which only snapshots need (assets.ts coreBuildId). */
  constructor(vm: Vm, private readonly config: ResolvedConfig, private readonly coreBuild: () => Promise<string>) {
    this.vm = vm;
    this.dtb = vm.dtb;
    this.console = new MachineConsole((bytes) => this.vm?.feedInput(bytes), () => {
      if (this.state === "running") this.pauseWanted = true;
      return this.loop;
    });
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
    this.hvc = vm.hvc ? new MachineConsole((bytes) => this.vm?.hvc?.write(bytes)) : null;
  }

  get status(): MachineStatus {
    return this.state;
  }

  /** Runs the machine in the background; returns at once. */
  start(): void {
    if (this.state !== "created") throw new HartvmError("invalid-state", `start() needs a created machine; this one is ${this.state}`);
    this.state = "running";
    this.loop = this.runLoop();
  }

  /** Stops the guest at an instruction boundary; resolves once it stands still. */
  async pause(): Promise<void> {
    if (this.state === "stopped") throw new HartvmError("invalid-state", "the machine has stopped");
    if (this.state !== "running") return;
    this.pauseWanted = true;
    this.vm!.wake();
    await this.loop;
  }

  /** Continues a paused machine exactly where it stood. */
  async resume(): Promise<void> {
    if (this.state === "running") return;
    if (this.state !== "paused") throw new HartvmError("invalid-state", `resume() needs a paused machine; this one is ${this.state}`);
    this.pauseWanted = false;
    this.state = "running";
    this.events.emit("resume", undefined);
    this.loop = this.runLoop();
  }

  /** Restarts the guest from its images, as a reset button (QMP system_reset); keeps running or paused. */
  async reset(): Promise<void> {
    if (this.state === "stopped") throw new HartvmError("invalid-state", "the machine has stopped");
    const wasRunning = this.state === "running";
    if (wasRunning) await this.pause();
    if ((this.state as MachineStatus) === "stopped") throw new HartvmError("invalid-state", "the machine has stopped");
    this.vm!.reset();
    this.events.emit("reset", undefined);
    if (wasRunning) await this.resume();
  }

  /** Ends the machine for good and frees it; a running guest is stopped where it is. */
  async stop(): Promise<void> {
    if (this.state === "running") await this.pause();
    if (this.state !== "stopped") this.finish({ status: 0, reason: "stopped" });
  }

  on<K extends keyof MachineEvents>(name: K, listener: (payload: MachineEvents[K]) => void): () => void {
    return this.events.on(name, listener);
  }

  off<K extends keyof MachineEvents>(name: K, listener: (payload: MachineEvents[K]) => void): void {
    this.events.off(name, listener);
  }

  /** Runs a shell command on the console (the guest's shell must be at its prompt); one at a time. */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult> {
    const run = this.execChain.then(() => execOnConsole(this.console, command, opts));
    this.execChain = run.catch(() => {});
    return run;
  }

  /**
   * The machine as bytes (docs/SNAPSHOT.md): restoreMachine() continues it, here or in
   * another runtime. A running machine is paused at an instruction boundary while its state
   * is read, then runs on.
   */
  async snapshot(): Promise<Uint8Array> {
    const [{ writeSnapshot }, coreBuild] = await Promise.all([snapshots(), this.coreBuild()]);
    const resume = await this.holdStill("snapshot()");
    return writeSnapshot(this.subject(coreBuild), resume);
  }

  /**
   * Copies of this machine as it is now, each "created" (start() them): they share its RAM
   * until they touch it, get their own console and entropy, and keep disk writes to
   * themselves. See docs/SNAPSHOT.md for what a fork shares with its parent.
   */
  fork(): Promise<Machine>;
  fork(count: number, options?: RestoreOptions): Promise<Machine[]>;
  async fork(count?: number, options: RestoreOptions = {}): Promise<Machine | Machine[]> {
    const n = count ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new HartvmError("invalid-config", `fork() takes a positive whole number of machines, got ${count}`);
    const [{ freezeState }, { machineFromState }, coreBuild] = await Promise.all([snapshots(), restores(), this.coreBuild()]);
    const resume = await this.holdStill("fork()");
    let state;
    try {
      state = await freezeState(this.subject(coreBuild));
    } finally {
      resume();
    }
    const machines: Machine[] = [];
    for (let i = 0; i < n; i++) machines.push(await machineFromState(state, { overlayDisks: true, log: this.config.log, ...options }));
    return count === undefined ? machines[0] : machines;
  }

  /**
   * SHA-256 of the state the guest can observe (harts, devices, RAM, pending input): two
   * deterministic runs given the same inputs end with the same hash.
   */
  async stateHash(): Promise<string> {
    const [{ stateHash }, coreBuild] = await Promise.all([snapshots(), this.coreBuild()]);
    const resume = await this.holdStill("stateHash()");
    try {
      return await stateHash(this.subject(coreBuild));
    } finally {
      resume();
    }
  }

  /** Pauses a running machine for a moment; returns what lets it run on. */
  private async holdStill(what: string): Promise<() => void> {
    if (this.state === "stopped") throw new HartvmError("invalid-state", `${what} needs a machine that has not stopped`);
    const wasRunning = this.state === "running";
    if (wasRunning) await this.pause();
    if ((this.state as MachineStatus) === "stopped") throw new HartvmError("invalid-state", `the machine stopped before ${what}`);
    return () => { if (wasRunning && this.state === "paused") void this.resume(); };
  }

  private subject(coreBuild: string): SnapshotSubject {
    const c = this.config;
    return {
      vm: this.vm!,
      machine: { ramBytes: c.ramBytes, harts: c.harts, jitThreshold: c.jitThreshold, noReboot: c.noReboot, virtioLegacy: c.virtioLegacy, deterministic: c.deterministic, virtioConsole: c.virtioConsole },
      sources: c.sources,
      disks: c.disks,
      shares: c.shares,
      coreBuild,
    };
  }

  stats(): MachineStats {
    if (this.finalStats) return this.finalStats;
    const vm = this.vm!;
    const instructions = vm.instructions();
    const wallMs = vm.runningMs;
    const jit = vm.core.jit ? { ...vm.core.jit.stats } : null;
    const events = vm.core.events();
    return { instructions, mips: wallMs > 0 ? instructions / wallMs / 1000 : 0, wallMs, harts: vm.core.harts, jit, ...(events ? { events } : {}) };
  }

  /** The device tree the guest booted with (null for bare-metal programs). */
  deviceTree(): Uint8Array | null {
    return this.dtb;
  }

  /** @internal The engine (tests, the gdb stub). */
  get engine(): Vm {
    if (!this.vm) throw new HartvmError("invalid-state", "the machine has stopped");
    return this.vm;
  }

  /** @internal */
  output(bytes: Uint8Array): void {
    this.console.push(bytes);
    this.events.emit("output", bytes);
  }

  /** @internal */
  hvcOutput(bytes: Uint8Array): void {
    this.hvc?.push(bytes);
  }

  /** @internal */
  log(line: string): void {
    this.config.log(line);
    this.events.emit("log", line);
  }

  private async runLoop(): Promise<void> {
    let result: ExitInfo | "paused";
    try {
      result = await this.vm!.run({
        timeoutMs: this.config.timeoutMs,
        trace: this.config.trace?.count,
        traceOut: this.config.trace?.out,
        pauseRequested: () => this.pauseWanted,
        scheduler: this.config.scheduler,
        cpuShare: this.config.cpuShare,
      });
    } catch (e) {
      this.finish({ status: 70, reason: "error", error: e instanceof Error ? e : new Error(String(e)) });
      return;
    }
    if (result === "paused") {
      this.state = "paused";
      this.events.emit("pause", undefined);
    } else {
      this.finish(result);
    }
  }

  private finish(exit: ExitEvent): void {
    if (this.state === "stopped") return;
    this.finalStats = this.stats();
    this.state = "stopped";
    const vm = this.vm!;
    this.vm = null;
    vm.dispose();
    for (const d of [...this.config.disks, ...this.config.shares]) {
      try {
        d.backend.close?.();
      } catch (e) {
        this.log(`closing a disk or share failed: ${(e as Error).message}`); // never replaces the guest's exit status
      }
    }
    const gone = new HartvmError("exited", `the machine stopped (${exit.reason}, status ${exit.status})`);
    this.console.close(gone);
    this.hvc?.close(gone);
    this.resolveExited(exit);
    this.events.emit("exit", exit);
  }
}

// Snapshot code is loaded on first use: a machine that never snapshots, forks or restores
// (most CLI boots) does not parse it, nor the zstd glue and the in-memory file system it brings.
const snapshots = () => import("./snapshot/snapshot.js");
const restores = () => import("./snapshot/restore.js");
