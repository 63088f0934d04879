// A snapshot taken while a virtio-blk request is only partly done (device work is bounded per
// host step) finishes that request after the restore, with the right bytes.
import { describe, it, expect } from "vitest";
import { createHash } from "node:crypto";
import { createMachine, restoreMachine } from "../../host-ts/api.js";

describe("a virtio-blk request in flight", () => {
  it("completes after restore", async () => {
    const disk = new Uint8Array(8 * 2 ** 20);
    let x = 12345;
    for (let i = 0; i < disk.length; i++) disk[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    const expected = createHash("md5").update(disk).digest("hex");
    const vm = await createMachine({ drives: [{ file: disk, readonly: true }] });
    vm.start();
    await vm.console.waitFor(/root@hartvm.*# $/, { timeout: 120_000 });
    // O_DIRECT reads of 1 MiB: each request is larger than a host step's device budget.
    vm.console.write("dd if=/dev/vda bs=1M iflag=direct 2>/dev/null | md5sum\n");
    // Catch the machine between steps while the disk has a request half done.
    let snap: Uint8Array | null = null;
    for (let tries = 0; tries < 2000 && !snap; tries++) {
      await vm.pause();
      if (vm.engine.board.virtio.some((v) => v.hasDeferredWork())) snap = await vm.snapshot();
      else await vm.resume();
    }
    expect(snap, "no pause landed inside a request").not.toBeNull();
    await vm.stop();
    const restored = await restoreMachine(snap!);
    restored.start();
    const { match } = await restored.console.waitFor(/([0-9a-f]{32})\s+-/, { timeout: 120_000 });
    expect(match[1]).toBe(expected);
    await restored.stop();
  }, 300_000);
});
