// A machine: the core, the virt board, firmware and the run loop that drives time,
// HTIF, SBI calls, console input, idling, reboot and exit (DESIGN.md §1, §4, §5).
import { Core, Reason, RAM_BASE } from "./core.js";
import { Htif } from "./htif.js";
import { disassemble } from "./disasm.js";
import { now, yieldToEventLoop, Sleeper } from "./scheduler.js";
import { VirtBoard } from "./board.js";
import { BuiltinSbi, prepareHartForBuiltinSbi } from "./sbi.js";
import { TIMEBASE_HZ } from "./timebase.js";
import type { ElfImage } from "../images/elf.js";
import { ImageError } from "../images/elf.js";
import type { Kernel } from "../images/linux.js";
import { loadBytes, loadElf } from "../images/load.js";
import { encodeFdt, decodeFdt, type FdtNode } from "../images/fdt.js";
import type { BlockBackend } from "../devices/virtio/block-backend.js";
import type { GuestRam } from "../devices/device.js";

export { TIMEBASE_HZ };
const TICKS_PER_MS = TIMEBASE_HZ / 1000;
/** Instructions per hart per core.run() call: long enough to amortise the call, short for latency. */
const SLICE = 100_000;
/** How often the loop lets the host's event loop run (input, timers). */
const YIELD_EVERY_MS = 8;
const PRIV_NAMES = ["U", "S", "?", "M"];
const MiB = 2 ** 20;
const FW_DYNAMIC_MAGIC = 0x4942534fn;

export interface MachineOptions {
  wasm: BufferSource | WebAssembly.Module;
  ramBytes: number;
  harts: number;
  /** Guest console output (UART, SBI console, HTIF console). */
  output: (bytes: Uint8Array) => void;
  disks?: { backend: BlockBackend; readonly: boolean }[];
  /** One line per event the user should know about (device errors). */
  log?: (line: string) => void;
  /** Exit instead of restarting when the guest reboots. */
  noReboot?: boolean;
  /**
   * Visits to a block before it is compiled to WebAssembly; 0 interprets everything.
   * Default DEFAULT_JIT_THRESHOLD.
   */
  jit?: number;
  /**
   * Compile each block as soon as it is hot, inside run(), rather than in batches in the
   * background: deterministic and immediate, for tests.
   */
  jitSync?: boolean;
}

/**
 * Compiling a region costs the engine about 0.1-0.2 ms; running it instead of interpreting
 * saves a few ns per visit. At 5000 visits boot code (run a few times) stays interpreted
 * and loops still compile within their first milliseconds. Measured with bench/: 64 made
 * the compute suite 60% slower (fork/exec re-ran kernel paths just often enough to
 * compile); 2000 to 10000 ran it equally fast, and 2000 added ~0.1 s to a boot.
 */
export const DEFAULT_JIT_THRESHOLD = 5000;

export interface LinuxBoot {
  kernel: Kernel;
  kernelName: string;
  initrd?: Uint8Array;
  bootargs?: string;
  /** Firmware image for M-mode (OpenSBI fw_dynamic/fw_jump, raw or ELF); absent = built-in SBI. */
  firmware?: { bytes: Uint8Array; elf?: ElfImage; name: string };
  /** A device tree to boot with instead of the generated one (chosen is still filled in). */
  dtb?: Uint8Array;
}

export interface RunOptions {
  timeoutMs?: number;
  trace?: number;
  traceOut?: (line: string) => void;
}

export type ExitReason = "htif" | "timeout" | "poweroff" | "reboot" | "fail" | "stopped";
export interface ExitInfo { status: number; reason: ExitReason }

export class Machine {
  readonly core: Core;
  readonly board: VirtBoard;
  private htif: Htif | null = null;
  private sbi: BuiltinSbi | null = null;
  private readonly sleeper = new Sleeper();
  private startMs = 0;
  private requestedExit: ExitInfo | null = null;
  private rebootRequested = false;
  private boot: (() => void) | null = null;
  private readonly input: number[] = [];
  private outBuf: number[] = [];
  private rtcTimer: ReturnType<typeof setTimeout> | null = null;
  /** The device tree the last boot used (for --dump-dtb). */
  dtb: Uint8Array | null = null;

  private constructor(core: Core, board: VirtBoard, private readonly opts: MachineOptions) {
    this.core = core;
    this.board = board;
  }

  static async create(opts: MachineOptions): Promise<Machine> {
    let board: VirtBoard | null = null;
    const core = await Core.create(opts.wasm, {
      ramBytes: opts.ramBytes,
      harts: opts.harts,
      mmio: { read: (a, s) => board!.read(a, s), write: (a, s, v) => board!.write(a, s, v) },
      jit: opts.jit === 0 ? undefined : { threshold: opts.jit ?? DEFAULT_JIT_THRESHOLD, sync: opts.jitSync, batch: opts.jitSync ? 1 : undefined },
    });
    const ram: GuestRam = { base: RAM_BASE, size: opts.ramBytes, view: (pa, len) => core.ramView(pa, len) };
    let machine: Machine | null = null;
    board = new VirtBoard({
      harts: opts.harts,
      ramBytes: opts.ramBytes,
      ram,
      setExternalInterrupt: (ctx, level) => core.setExternalInterrupt(ctx, level),
      console: (byte) => machine!.outBuf.push(byte),
      disks: opts.disks ?? [],
      onPowerOff: () => machine!.requestExit({ status: 0, reason: "poweroff" }),
      onReset: () => machine!.requestReboot(),
      onFail: (code) => machine!.requestExit({ status: exitStatus(code), reason: "fail" }),
      nowNs: () => BigInt(Date.now()) * 1_000_000n,
      schedule: (atNs, cb) => machine!.scheduleRtc(atNs, cb),
      log: (line) => (opts.log ?? (() => {}))(line),
    });
    core.setMmioMap(board.mmioRegions());
    machine = new Machine(core, board, opts);
    return machine;
  }

  /** Bare-metal boot (--bios none with an ELF): segments at their physical addresses, every hart at the entry in M-mode. */
  loadBareMetal(elf: ElfImage, name: string): void {
    this.boot = () => {
      loadElf(this.core, elf, name);
      for (let h = 0; h < this.core.harts; h++) {
        this.core.resetHart(h, elf.entry);
        this.core.setX(h, 10, BigInt(h)); // a0 = hartid, as the riscv-tests and QEMU expect
      }
      const tohost = elf.symbols.get("tohost");
      if (tohost !== undefined) {
        const fromhost = elf.symbols.get("fromhost") ?? 0n;
        this.core.setHtif(tohost, fromhost);
        this.htif = new Htif(this.core, tohost, fromhost, (b) => this.opts.output(b));
      }
    };
    this.boot();
  }

  /** Linux boot the QEMU way: firmware at the start of RAM (or the built-in SBI), kernel, initrd and DTB placed as QEMU places them. */
  loadLinux(spec: LinuxBoot): void {
    this.boot = () => this.placeLinux(spec);
    this.boot();
  }

  private placeLinux(spec: LinuxBoot): void {
    const core = this.core;
    const ramEnd = RAM_BASE + this.opts.ramBytes;
    let kernelBase = RAM_BASE + 0x20_0000;
    let firmwareEntry = BigInt(RAM_BASE);
    if (spec.firmware) {
      const fw = spec.firmware;
      let fwEnd: number;
      if (fw.elf) {
        loadElf(core, fw.elf, fw.name);
        firmwareEntry = fw.elf.entry;
        fwEnd = Math.max(...fw.elf.segments.map((s) => Number(s.paddr + s.memsz)));
      } else {
        loadBytes(core, BigInt(RAM_BASE), fw.bytes, fw.name);
        fwEnd = RAM_BASE + fw.bytes.length;
      }
      kernelBase = Math.max(kernelBase, alignUp(fwEnd, 2 * MiB)); // QEMU: next 2 MiB boundary after the firmware
    }
    let kernelEntry: number;
    let kernelEnd: number;
    const k = spec.kernel;
    if (k.kind === "elf") {
      loadElf(core, k.elf, spec.kernelName);
      kernelEntry = Number(k.elf.entry);
      kernelEnd = Math.max(...k.elf.segments.map((s) => Number(s.paddr + s.memsz)));
    } else {
      kernelEntry = spec.firmware ? kernelBase : RAM_BASE + k.textOffset;
      loadBytes(core, BigInt(kernelEntry), k.bytes, spec.kernelName);
      kernelEnd = kernelEntry + k.imageSize;
    }
    if (kernelEnd > ramEnd) throw new ImageError(`${spec.kernelName}: the kernel does not fit in ${this.opts.ramBytes / MiB} MiB of RAM`);
    let initrd: { start: number; end: number } | undefined;
    if (spec.initrd) {
      // QEMU: halfway into RAM on small machines, 128 MiB above the kernel otherwise.
      const start = kernelEntry + Math.min(this.opts.ramBytes / 2, 128 * MiB);
      if (start + spec.initrd.length > ramEnd || start < kernelEnd) {
        throw new ImageError(`initrd (${spec.initrd.length} bytes) does not fit in RAM above the kernel`);
      }
      loadBytes(core, BigInt(start), spec.initrd, "initrd");
      initrd = { start, end: start + spec.initrd.length };
    }
    const seed = new Uint8Array(32);
    globalThis.crypto.getRandomValues(seed);
    const chosen = { bootargs: spec.bootargs, initrd, rngSeed: seed };
    const tree = spec.dtb ? withChosen(decodeFdt(spec.dtb), chosen) : this.board.deviceTree(chosen);
    const dtb = encodeFdt(tree, { padding: 64 * 1024 });
    const dtbAddr = alignDown(Math.min(ramEnd, 0xc000_0000) - dtb.length, 2 * MiB); // QEMU's riscv_load_fdt
    if (dtbAddr < (initrd?.end ?? kernelEnd)) throw new ImageError("the device tree does not fit in RAM above the kernel and initrd");
    loadBytes(core, BigInt(dtbAddr), dtb, "device tree");
    this.dtb = dtb;

    this.board.reset();
    for (let h = 0; h < core.harts; h++) core.resetHart(h, firmwareEntry);
    if (spec.firmware) {
      // fw_dynamic_info (OpenSBI's fw_dynamic convention), just below the DTB.
      const info = dtbAddr - 64;
      const v = core.ramView(info, 48)!;
      const dv = new DataView(v.buffer, v.byteOffset, 48);
      [FW_DYNAMIC_MAGIC, 2n, BigInt(kernelEntry), 1n /* S-mode */, 0n, 0n /* boot hart */].forEach((x, i) => dv.setBigUint64(8 * i, x, true));
      for (let h = 0; h < core.harts; h++) {
        core.setX(h, 10, BigInt(h));
        core.setX(h, 11, BigInt(dtbAddr));
        core.setX(h, 12, BigInt(info));
      }
      core.enableBuiltinSbi(false);
      this.sbi = null;
    } else {
      this.sbi = new BuiltinSbi(core, {
        console: (b) => this.opts.output(b),
        getchar: () => this.input.shift() ?? -1,
        shutdown: (failure) => this.requestExit({ status: failure ? 1 : 0, reason: "poweroff" }),
        reboot: () => this.requestReboot(),
      });
      for (let h = 0; h < core.harts; h++) {
        prepareHartForBuiltinSbi(core, h);
        core.setRunState(h, 2 /* stopped until HSM hart_start */);
      }
      this.sbi.enterSupervisor(0, BigInt(kernelEntry), 0n, BigInt(dtbAddr));
      core.enableBuiltinSbi(true);
    }
    core.flushTlbs();
  }

  /** Console input from the host terminal or pipe; fed to the UART as it has room. */
  feedInput(bytes: Uint8Array): void {
    for (const b of bytes) this.input.push(b);
    this.sleeper.wake();
  }

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

  private scheduleRtc(atNs: bigint | null, cb: () => void): void {
    if (this.rtcTimer !== null) clearTimeout(this.rtcTimer);
    this.rtcTimer = null;
    if (atNs === null) return;
    const ms = Number((atNs - BigInt(Date.now()) * 1_000_000n) / 1_000_000n);
    this.rtcTimer = setTimeout(() => { this.rtcTimer = null; cb(); this.sleeper.wake(); }, Math.max(0, ms));
  }

  /** Asks the run loop to end with this status (a device powered the machine off, Ctrl-A x, ...). */
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

  private syncTime(): void {
    const ticks = BigInt(Math.floor((now() - this.startMs) * TICKS_PER_MS));
    if (ticks > this.core.mtime) this.core.mtime = ticks;
  }

  /** One core.run() and what it leads to; an ExitInfo when the machine is done. */
  private async step(budget: number): Promise<ExitInfo | null> {
    this.syncTime();
    this.pumpInput();
    const reason = this.core.run(budget);
    for (const v of this.board.virtio) v.continueDeferred(); // device work is bounded per step (issue 10)
    this.flushOutput();
    if (this.requestedExit) return this.requestedExit;
    if (this.rebootRequested) {
      this.rebootRequested = false;
      this.boot?.();
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
        if (this.board.virtio.some((v) => v.hasDeferredWork())) return null; // no sleeping while a device works
        const deadline = this.core.nextTimerDeadline();
        const waitMs = Math.min(50, Math.max(0, (deadline - Number(this.core.mtime)) / TICKS_PER_MS));
        if (waitMs > 0) await this.sleeper.sleep(waitMs);
        return null;
      }
      case Reason.Fatal:
        return { status: 1, reason: "fail" };
      default:
        return null;
    }
  }

  async run(opts: RunOptions = {}): Promise<ExitInfo> {
    this.startMs = now() - Number(this.core.mtime) / TICKS_PER_MS;
    let lastYield = now();
    const deadline = opts.timeoutMs !== undefined ? now() + opts.timeoutMs : Infinity;
    let traced = 0;
    try {
      for (;;) {
        let exit: ExitInfo | null;
        if (opts.trace && traced < opts.trace) {
          this.traceLine(opts.traceOut ?? (() => {}));
          traced++;
          exit = await this.step(1);
        } else {
          exit = await this.step(SLICE);
        }
        if (exit) return exit;
        const t = now();
        if (t >= deadline) return { status: 124, reason: "timeout" };
        if (t - lastYield >= YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYield = now();
        }
      }
    } finally {
      if (this.rtcTimer !== null) clearTimeout(this.rtcTimer);
      this.flushOutput();
    }
  }

  private traceLine(out: (line: string) => void): void {
    for (let h = 0; h < this.core.harts; h++) {
      if (this.core.getRunState(h) === 2) continue;
      const pc = this.core.getPc(h);
      const mode = PRIV_NAMES[this.core.getPriv(h)] ?? "?";
      const bits = this.core.peekInstruction(h);
      const text = bits === null ? "<fetch fault>" : disassemble(bits, pc, (x) => this.core.expandCompressed(x));
      const raw = bits === null ? "        " : (bits & 3) === 3 ? bits.toString(16).padStart(8, "0") : "    " + bits.toString(16).padStart(4, "0");
      out(`hart${h} ${mode} 0x${pc.toString(16).padStart(16, "0")}: ${raw}  ${text}`);
    }
  }
}

function withChosen(root: FdtNode, chosen: { bootargs?: string; initrd?: { start: number; end: number } }): FdtNode {
  const children = [...(root.children ?? [])];
  let node = children.find((c) => c.name === "chosen");
  if (!node) children.push((node = { name: "chosen", props: {} }));
  node.props = { ...node.props };
  if (chosen.bootargs !== undefined) node.props.bootargs = chosen.bootargs;
  if (chosen.initrd) {
    node.props["linux,initrd-start"] = [Math.floor(chosen.initrd.start / 2 ** 32), chosen.initrd.start >>> 0];
    node.props["linux,initrd-end"] = [Math.floor(chosen.initrd.end / 2 ** 32), chosen.initrd.end >>> 0];
  }
  return { ...root, children };
}

const alignUp = (v: number, a: number) => Math.ceil(v / a) * a;
const alignDown = (v: number, a: number) => Math.floor(v / a) * a;

/** A guest exit code as a process exit status: 0 stays 0, anything else stays non-zero. */
export function exitStatus(code: number): number {
  if (code === 0) return 0;
  const s = code & 0xff;
  return s === 0 ? 1 : s;
}
