// Virtio as QEMU 7.2's virt does it, seen by guest drivers: src/virtio-drivers.c (a
// teaching-kernel style driver) over version 2 without VIRTIO_F_VERSION_1 and over the
// legacy version 1 transport; the default guest's Linux over version 1. The C program
// gives the same line on qemu-system-riscv64 (version 1 is QEMU's default there; version
// 2 with -global virtio-mmio.force-legacy=false).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMachine, restoreMachine } from "../../host-ts/api.js";
import { spawnSync } from "node:child_process";
import { BIN, ROOT, run } from "./helpers.js";

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), "hartvm-virtio-")); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function diskImage(name: string): string {
  const path = join(dir, name);
  const bytes = new Uint8Array(1 << 20);
  bytes.set(new TextEncoder().encode("HARTVM-VIRTIO-DISK"));
  writeFileSync(path, bytes);
  return path;
}

const sector1 = (path: string) => new TextDecoder().decode(readFileSync(path).subarray(512, 512 + 28));

describe("virtio drivers as QEMU takes them", () => {
  it("version 2: a driver that does not negotiate VIRTIO_F_VERSION_1 reads, writes and gets entropy", async () => {
    const disk = diskImage("v2.img");
    const r = await run({ bios: "none", kernel: join(BIN, "virtio-drivers.elf"), drives: [disk] });
    expect(r.output).toBe("virtio-drivers: virtio-mmio version 2: rng ok, blk ok\n");
    expect(r).toMatchObject({ status: 0, reason: "poweroff" });
    expect(sector1(disk)).toBe("written over virtio-mmio v2\n");
  });

  it("version 1 (virtioLegacy): a legacy-only driver (GuestPageSize, QueuePFN, QueueAlign) does the same", async () => {
    const disk = diskImage("v1.img");
    const r = await run({ bios: "none", kernel: join(BIN, "virtio-drivers.elf"), drives: [disk], virtioLegacy: true });
    expect(r.output).toBe("virtio-drivers: virtio-mmio version 1: rng ok, blk ok\n");
    expect(r).toMatchObject({ status: 0, reason: "poweroff" });
    expect(sector1(disk)).toBe("written over virtio-mmio v1\n");
  });

  it("the CLI: --virtio-legacy and QEMU's -global virtio-mmio.force-legacy=true|false", () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "hartvm.js"), "--timeout", "20", "--bios", "none", "--kernel", join(BIN, "virtio-drivers.elf"), ...args], { encoding: "utf8" });
    for (const [args, version] of [[["--virtio-legacy"], 1], [["-global", "virtio-mmio.force-legacy=true"], 1], [["-global", "virtio-mmio.force-legacy=false"], 2]] as const) {
      const r = cli("--drive", diskImage(`cli-${args.join("")}.img`), ...args);
      expect(r.stdout, r.stderr).toBe(`virtio-drivers: virtio-mmio version ${version}: rng ok, blk ok\n`);
      expect(r.status).toBe(0);
    }
    const bad = cli("-global", "virtio-blk.num-queues=2");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("hartvm: -global: only virtio-mmio.force-legacy=true|false is supported, got 'virtio-blk.num-queues=2'\n");
  });

  it("version 1: the default guest's Linux uses a disk and the entropy device through it, and a snapshot keeps it", async () => {
    const disk = join(dir, "linux.img");
    writeFileSync(disk, new Uint8Array(4 << 20));
    const vm = await createMachine({ drives: [disk], virtioLegacy: true, timeoutMs: 120_000 });
    vm.start();
    await vm.console.waitFor(/root@hartvm.*# $/, { timeout: 120_000 });
    // /sys/.../features: one character per feature bit; bit 32 (VERSION_1) is off on a legacy device
    const features = await vm.exec("cut -c33 /sys/bus/virtio/devices/virtio0/features /sys/bus/virtio/devices/virtio1/features");
    expect(features.output.trim().split(/\s+/)).toEqual(["0", "0"]);
    const io = await vm.exec("echo legacy-ok | dd of=/dev/vda bs=512 count=1 conv=sync 2>/dev/null && sync && head -c 9 /dev/vda && head -c 8 /dev/hwrng | wc -c");
    expect(io.output).toMatch(/^legacy-ok\s*8\s*$/);
    const snap = await vm.snapshot();
    await vm.stop();
    const again = await restoreMachine(snap, { timeoutMs: 60_000 });
    again.start();
    const after = await again.exec("head -c 9 /dev/vda; echo; head -c 8 /dev/hwrng | wc -c");
    expect(after.output).toMatch(/^legacy-ok\s*8\s*$/);
    await again.stop();
  }, 240_000);
});
