// The Linux workloads, each run on hartvm's CLI and on QEMU (when installed), interleaved:
// boot to a userspace marker with a realistically sized initramfs, the default guest to its
// shell prompt, and the in-guest compute suite. Phases come from the kernel's own printk
// timestamps (both sides boot with printk.time=1); CPU time per phase from the host.
import { measure } from "./proc.js";
import { row, phaseRows } from "./stats.js";

const STAMP = /^\[\s*(\d+\.\d+)\]/;
/** The kernel timestamp (seconds) of an event's line. */
const kts = (event) => Number(event.line.match(STAMP)[1]);
/** CPU seconds between two snapshots (null when either is unknown). */
const cpuBetween = (from, to) => (from === null || to === null ? null : to - from);

/** earlycon=sbi (the default guest's own setting) prints each line as it happens, so the host sees it then. */
const CONSOLE = "console=ttyS0 earlycon=sbi printk.time=1";

// ---- boot to userspace ----

const BOOT_EVENTS = {
  clock: /\] sched_clock: /,
  unpack: /\] Unpacking initramfs/,
  freed: /\] Freeing initrd memory/,
  run: /\] Run \/bench-marker as init process/,
  user: /^\[\s*[\d.]+\] BENCH-USERSPACE/,
};

/**
 * The phases of one boot, summing to the run's wall and CPU time. The kernel's clock starts
 * when it registers sched_clock; what comes before (process start, firmware, the kernel's
 * early set-up) is the host time at which the kernel stamped that line.
 */
function bootPhases(r) {
  const e = r.events;
  const clockAt = e.user.at - (kts(e.user) - kts(e.clock));
  const k = (a, b) => kts(e[b]) - kts(e[a]);
  const c = (a, b) => cpuBetween(e[a].cpu, e[b].cpu);
  return [
    { name: "start → kernel clock (host, firmware, early kernel)", wall: clockAt, cpu: e.clock.cpu },
    { name: "kernel clock → Unpacking initramfs", wall: k("clock", "unpack"), cpu: c("clock", "unpack") },
    { name: "unpack initramfs (→ Freeing initrd memory)", wall: k("unpack", "freed"), cpu: c("unpack", "freed") },
    { name: "rest of kernel init (→ Run /bench-marker)", wall: k("freed", "run"), cpu: c("freed", "run") },
    { name: "exec marker (→ BENCH-USERSPACE)", wall: k("run", "user"), cpu: c("run", "user") },
    { name: "power off and exit", wall: r.wall - e.user.at, cpu: cpuBetween(e.user.cpu, r.cpu) },
  ];
}

/**
 * Boot `initrd` with rdinit=/bench-marker (synchronous unpack, so the unpack is one phase)
 * until the marker powers the machine off. `fw`: { name, hartvm: CLI args, qemu: QEMU args }.
 */
export async function bootToUserspace(ctx, label, initrd, fw, progress) {
  const append = `${CONSOLE} initramfs_async=0 rdinit=/bench-marker`;
  const runs = { hartvm: [], qemu: [] };
  for (let i = 0; i < ctx.reps; i++) {
    progress(`${label}, ${fw.name}: hartvm ${i + 1}/${ctx.reps}`);
    runs.hartvm.push(await measure(process.execPath, [ctx.cli, "--kernel", ctx.image, "--initrd", initrd, "--append", append,
      "--timeout", "300", "--jit", ctx.jit, ...fw.hartvm], { watch: BOOT_EVENTS, expect: "user" }));
    if (ctx.qemu) {
      progress(`${label}, ${fw.name}: qemu ${i + 1}/${ctx.reps}`);
      runs.qemu.push(await measure(ctx.qemu, [...qemuVirt(ctx, initrd, append), ...fw.qemu], { watch: BOOT_EVENTS, expect: "user" }));
    }
  }
  const r = row(`${label}, ${fw.name}`, "boot", runs.hartvm, runs.qemu, { firmware: fw.name });
  r.phases = phaseRows(runs.hartvm.map(bootPhases), runs.qemu.map(bootPhases));
  return r;
}

// ---- the default guest to its shell prompt ----

const PROMPT_EVENTS = {
  clock: /\] sched_clock: /,
  run: /\] Run \/init as init process/,
  prompt: /root@hartvm:/,
};

function promptPhases(r) {
  const e = r.events;
  return [
    { name: "start → kernel clock (host, firmware, early kernel)", wall: e.run.at - (kts(e.run) - kts(e.clock)), cpu: e.clock.cpu },
    { name: "kernel boot (→ Run /init)", wall: kts(e.run) - kts(e.clock), cpu: cpuBetween(e.clock.cpu, e.run.cpu) },
    { name: "busybox init, rcS, shell (→ prompt)", wall: e.prompt.at - e.run.at, cpu: cpuBetween(e.run.cpu, e.prompt.cpu) },
  ];
}

/**
 * The default guest as `hartvm` boots it (no --kernel; its own command line plus
 * printk.time=1) until the shell prompt appears; QEMU boots the same kernel, initramfs and
 * command line. The workload is killed at the prompt: wall and CPU are taken there.
 * `probe` (optional): { read(pid), samples: [] } reads hartvm's process at each prompt.
 */
export async function defaultGuestPrompt(ctx, guest, fw, progress, probe) {
  const runs = { hartvm: [], qemu: [] };
  const opts = { watch: PROMPT_EVENTS, stopAt: "prompt", expect: "prompt" };
  const atPrompt = (r) => ({ ...r, wall: r.events.prompt.at, cpu: r.events.prompt.cpu });
  for (let i = 0; i < ctx.reps; i++) {
    progress(`default guest to its prompt, ${fw.name}: hartvm ${i + 1}/${ctx.reps}`);
    const h = await measure(process.execPath, [ctx.cli, "--append", "printk.time=1", "--timeout", "300", "--jit", ctx.jit, ...fw.hartvm],
      probe ? { ...opts, probe: { at: "prompt", read: probe.read } } : opts);
    if (probe) probe.samples.push(h.events.prompt.probe);
    runs.hartvm.push(atPrompt(h));
    if (ctx.qemu) {
      progress(`default guest to its prompt, ${fw.name}: qemu ${i + 1}/${ctx.reps}`);
      runs.qemu.push(atPrompt(await measure(ctx.qemu, [...qemuVirt(ctx, guest.initrd, `${guest.cmdline} printk.time=1`), ...fw.qemu], opts)));
    }
  }
  const r = row(`default guest to its prompt, ${fw.name}`, "prompt", runs.hartvm, runs.qemu, { firmware: fw.name });
  r.phases = phaseRows(runs.hartvm.map(promptPhases), runs.qemu.map(promptPhases));
  return r;
}

// ---- the in-guest compute suite ----

/**
 * Per-workload rows: the time the guest measured itself (`BENCH <name> <seconds> ok`) and
 * the host CPU time between that report line and the one before; then the whole run.
 */
export async function computeSuite(ctx, initrd, progress) {
  const append = ctx.quick ? "console=ttyS0 quiet bench.quick=1" : "console=ttyS0 quiet";
  const opts = { watch: { done: /^BENCH-DONE/ }, every: /^BENCH[ -]/, expect: "done", timeoutMs: 900_000 };
  const runs = { hartvm: [], qemu: [] };
  for (let i = 0; i < ctx.reps; i++) {
    progress(`compute suite: hartvm ${i + 1}/${ctx.reps}`);
    runs.hartvm.push(perWorkload(await measure(process.execPath, [ctx.cli, "--kernel", ctx.image, "--initrd", initrd, "--append", append, "--timeout", "900", "--jit", ctx.jit], opts)));
    if (ctx.qemu) {
      progress(`compute suite: qemu ${i + 1}/${ctx.reps}`);
      runs.qemu.push(perWorkload(await measure(ctx.qemu, [...qemuVirt(ctx, initrd, append), "-bios", "default"], opts)));
    }
  }
  const names = Object.keys(runs.hartvm[0]);
  return names.map((n) => row(`compute ${n}`, "compute", runs.hartvm.map((r) => r[n]), runs.qemu.map((r) => r[n])));
}

/** { name: {wall, cpu} } from one suite run, plus "(whole run)". */
function perWorkload(r) {
  const out = {};
  let prevCpu = null;
  for (const l of r.lines) {
    const m = l.line.match(/^BENCH (\S+) ([\d.]+) (\S+)/);
    if (m) {
      if (m[3] !== "ok") throw new Error(`in-guest check failed: ${l.line}`);
      out[m[1]] = { wall: Number(m[2]), cpu: cpuBetween(prevCpu, l.cpu) };
    }
    prevCpu = l.cpu;
  }
  out["(whole run)"] = { wall: r.wall, cpu: r.cpu };
  return out;
}

// ---- QEMU ----

function qemuVirt(ctx, initrd, append) {
  return ["-M", "virt", "-m", "256M", "-smp", "1", "-nographic", "-kernel", ctx.image, "-initrd", initrd, "-append", append];
}
