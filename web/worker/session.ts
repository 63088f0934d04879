// One machine at a time, driven by the page's commands through hartvm's public API. Commands
// run one after another (a reset never overlaps a restore); each failure becomes one line
// for the page, and the machine that was running keeps running.
import { createMachine, restoreMachine, MemoryBlockBackend, type Machine, type MachineConfig, type ExitEvent } from "../../host-ts/api.js";
import type { BootPlan, FromWorker, MachineState, StatusReport } from "../protocol.js";
import type { Downloads } from "./downloads.js";
import { describeError } from "./errors.js";
import { OutputRelay } from "./output-relay.js";

export type Post = (message: FromWorker, transfer?: Transferable[]) => void;

/** Where the current machine came from, so a stopped one can be started again the same way. */
type Origin = { kind: "boot" } | { kind: "snapshot"; source: Uint8Array | string; name: string };

interface Disk {
  name: string;
  /** Its bytes outlive each machine: the guest's writes survive a restart. */
  bytes: Uint8Array;
}

export class Session {
  private machine: Machine | null = null;
  private unwatch: (() => void)[] = [];
  private origin: Origin;
  private readonly disks: Disk[] = [];
  private queue: Promise<void> = Promise.resolve();
  private readonly output: OutputRelay;
  private last = { instructions: 0, wallMs: 0 };

  constructor(private readonly plan: BootPlan, private readonly post: Post, private readonly downloads: Downloads) {
    this.origin = plan.snapshot ? { kind: "snapshot", source: plan.snapshot, name: plan.snapshot } : { kind: "boot" };
    this.output = new OutputRelay((bytes) => post({ type: "output", bytes }, [bytes.buffer]));
  }

  start(): void {
    this.run(this.doing(this.origin), () => this.open(this.origin));
  }

  input(data: string | Uint8Array): void {
    const m = this.machine;
    if (m && m.status !== "stopped") m.console.write(data);
  }

  pause(): void {
    this.run("Pausing", async () => {
      await this.machine?.pause();
      this.report();
    });
  }

  resume(): void {
    this.run("Resuming", async () => {
      await this.machine?.resume();
      this.report();
    });
  }

  /** A reset button: the guest restarts from its images; a machine that has stopped is made again. */
  reset(): void {
    this.run("Resetting", async () => {
      const m = this.machine;
      if (m && m.status !== "stopped") {
        await m.reset();
        this.post({ type: "notice", message: "The machine was reset." });
        this.report();
      } else {
        await this.open(this.origin);
      }
    });
  }

  snapshot(): void {
    this.run("Saving a snapshot", async () => {
      if (!this.machine) throw new Error("there is no machine");
      const bytes = await this.machine.snapshot();
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
      this.post({ type: "snapshot", bytes: own }, [own.buffer]);
    });
  }

  restore(name: string, bytes: Uint8Array): void {
    const origin: Origin = { kind: "snapshot", source: bytes, name };
    this.run(this.doing(origin), async () => {
      await this.open(origin);
      this.origin = origin;
    });
  }

  /**
   * A virtio disk cannot be plugged into a running board: the machine is made again from
   * its boot images with every disk added so far, and boots.
   */
  addDisk(name: string, bytes: Uint8Array): void {
    this.run(`Adding disk ${name}`, async () => {
      this.disks.push({ name, bytes });
      try {
        await this.open({ kind: "boot" });
      } catch (e) {
        this.disks.pop();
        throw e;
      }
      const wasSnapshot = this.origin.kind === "snapshot";
      this.origin = { kind: "boot" };
      const dev = `/dev/vd${String.fromCharCode(96 + this.disks.length)}`;
      this.post({
        type: "notice",
        message: `Disk ${name} is ${dev}. A disk needs a fresh boot, so the machine restarted from ${wasSnapshot ? "the boot images (not the snapshot)" : "its boot images"}.`,
      });
    });
  }

  /** Called once a second: the status line's figures. */
  report(): void {
    const m = this.machine;
    if (!m) return;
    const s = m.stats();
    const ran = s.wallMs - this.last.wallMs;
    const mips = ran > 0 ? (s.instructions - this.last.instructions) / ran / 1000 : 0;
    this.last = { instructions: s.instructions, wallMs: s.wallMs };
    const jit = s.jit && { blocks: s.jit.blocks, bytes: s.jit.bytes, compileMs: s.jit.compileMs, translateMs: s.jit.translateMs, flushes: s.jit.flushes, instructions: s.jit.instructions };
    const report: StatusReport = { state: m.status, instructions: s.instructions, mips, harts: s.harts, jit };
    this.post({ type: "status", report });
  }

  private run(doing: string, job: () => Promise<void>): void {
    this.queue = this.queue.then(job).catch((e) => {
      this.post({ type: "error", message: describeError(e, doing) });
      this.state(this.machine?.status ?? "stopped");
    });
  }

  private doing(origin: Origin): string {
    return origin.kind === "snapshot" ? `Restoring ${origin.name}` : "Booting";
  }

  private config(): MachineConfig {
    const p = this.plan;
    return {
      kernel: p.kernel,
      initrd: p.initrd,
      append: p.append,
      memory: p.memory,
      drives: this.disks.map((d) => ({ file: new MemoryBlockBackend(d.bytes) })),
      log: (line) => this.post({ type: "notice", message: line }),
    };
  }

  /** Makes the next machine while the current one stands paused; swaps them only once it exists. */
  private async open(origin: Origin): Promise<void> {
    this.downloads.begin();
    const old = this.machine;
    const wasRunning = old?.status === "running";
    if (wasRunning) await old!.pause();
    this.state("loading");
    let next: Machine;
    try {
      next = origin.kind === "boot"
        ? await createMachine(this.config())
        : await restoreMachine(origin.source, { log: (line) => this.post({ type: "notice", message: line }) });
    } catch (e) {
      if (wasRunning && old!.status === "paused") await old!.resume();
      throw e;
    } finally {
      this.downloads.end();
    }
    if (old) {
      for (const off of this.unwatch.splice(0)) off();
      await old.stop();
    }
    this.machine = next;
    this.last = { instructions: 0, wallMs: 0 };
    this.unwatch = [
      next.on("output", (bytes) => this.output.push(bytes)),
      next.on("exit", (e) => this.exited(e)),
      next.on("pause", () => this.state("paused")),
      next.on("resume", () => this.state("running")),
    ];
    next.start();
    this.state("running", origin);
    this.report();
  }

  private exited(e: ExitEvent): void {
    this.output.flush();
    const message = e.reason === "error"
      ? describeError(e.error, "The machine")
      : e.reason === "poweroff"
        ? `The guest powered off (status ${e.status}). Reset boots it again.`
        : `The machine stopped (${e.reason}, status ${e.status}). Reset boots it again.`;
    this.post({ type: "exit", message });
    this.state("stopped");
    this.report();
  }

  private state(state: MachineState, origin: Origin = this.origin): void {
    const what = origin.kind === "snapshot" ? `snapshot ${origin.name}` : this.plan.kernel ? `kernel ${this.plan.kernel}` : "the default guest";
    const disks = this.disks.length ? ` with ${this.disks.map((d) => d.name).join(", ")}` : "";
    this.post({ type: "state", state, detail: `${what}${disks}` });
  }
}
