// The snapshot every job of a fleet starts from: the guest at its shell prompt, the terminal's
// echo off (echoing a typed command costs the guest ~400 000 instructions through the UART),
// kernel warnings kept off the console (they would land in jobs' output on a loaded host;
// errors such as the OOM killer's and panics still show), paused right after the prompt so
// each restored guest is reading its next command.
import { createMachine, restoreMachine } from "../api.js";
import type { Machine } from "../machine.js";
import type { MachineConfig, Input } from "../config.js";
import { HartvmError } from "../errors.js";
import { parseMemorySize } from "../limits.js";

export interface JobSnapshotOptions {
  guest?: MachineConfig;
  snapshot?: Uint8Array | Input;
  prompt: RegExp;
  memory?: string | number;
  harts?: number;
  bootTimeout: number;
}

export async function makeJobSnapshot(o: JobSnapshotOptions): Promise<Uint8Array> {
  let vm: Machine;
  if (o.snapshot !== undefined) {
    vm = await restoreMachine(o.snapshot);
    const ram = vm.engine.ramBytes;
    const harts = vm.stats().harts;
    const stop = (why: string) => vm.stop().then(() => { throw new HartvmError("invalid-config", why); });
    if (o.memory !== undefined && parseMemorySize(o.memory) !== ram) await stop(`perGuest.memory differs from the snapshot's RAM (${ram} bytes): a snapshot keeps its machine`);
    if (o.harts !== undefined && o.harts !== harts) await stop(`perGuest.harts differs from the snapshot's ${harts} harts: a snapshot keeps its machine`);
    vm.start();
  } else {
    const guest = { ...o.guest };
    if (o.memory !== undefined) guest.memory = o.memory;
    if (o.harts !== undefined) guest.harts = o.harts;
    vm = await createMachine(guest);
    vm.start();
    await vm.console.waitFor(o.prompt, { timeout: o.bootTimeout }).catch(async (e: HartvmError) => {
      await vm.stop();
      throw new HartvmError(e.code, `the fleet's guest did not reach its shell prompt (${o.prompt}): ${e.message}`);
    });
  }
  try {
    const r = await vm.exec("stty -echo; { echo 4 > /proc/sys/kernel/printk; } 2>/dev/null; true", { timeout: 60_000 });
    if (r.status !== 0) throw new HartvmError("invalid-config", `the fleet's guest could not turn its terminal's echo off: ${r.output.trim()}`);
    await vm.console.waitFor(o.prompt, { timeout: 60_000, pause: true });
    return await vm.snapshot();
  } catch (e) {
    if (e instanceof HartvmError && (e.code === "timeout" || e.code === "exited")) {
      throw new HartvmError(e.code, `the fleet's guest does not answer at its shell prompt: ${e.message}`);
    }
    throw e;
  } finally {
    await vm.stop();
  }
}
