// Debian's U-Boot (u-boot-qemu, qemu-riscv64_smode/u-boot.bin: a raw S-mode binary) under
// Debian's OpenSBI fw_jump.bin and fw_dynamic.bin, as on QEMU: it reaches its prompt,
// answers `version`, loads the default guest's kernel and initramfs from an ext2 file
// system on a virtio disk and boots them with `booti`, handing Linux the device tree it
// got itself ($fdtcontroladdr). Commands are typed at each prompt, as a person would.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { createMachine } from "../../host-ts/api.js";
import { ROOT, FW_JUMP, FW_DYNAMIC, UBOOT_SMODE } from "./helpers.js";

const DEFAULT = join(ROOT, "images", "default");
const PROMPT = /=> $/;
const SHELL = /root@hartvm.*# $/;
let dir: string;
let disk: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hartvm-uboot-"));
  const files = join(dir, "boot");
  mkdirSync(files);
  // booti takes an uncompressed Image; the initramfs stays gzipped (Linux unpacks it)
  writeFileSync(join(files, "Image"), gunzipSync(readFileSync(join(DEFAULT, "Image.gz"))));
  copyFileSync(join(DEFAULT, "initramfs.cpio.gz"), join(files, "initramfs.cpio.gz"));
  disk = join(dir, "boot.img");
  execFileSync("mke2fs", ["-q", "-t", "ext2", "-F", "-d", files, disk, "16M"]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Debian's U-Boot as an S-mode payload", () => {
  it("its files are installed (apt-get install u-boot-qemu opensbi e2fsprogs)", () => {
    expect([UBOOT_SMODE, FW_JUMP, FW_DYNAMIC].filter((f) => !existsSync(f))).toEqual([]);
  });

  for (const [name, fw] of [["fw_jump.bin", FW_JUMP], ["fw_dynamic.bin", FW_DYNAMIC]] as const) {
    it(`under OpenSBI ${name}: prompt, version, load virtio 0 + booti of the default guest`, async () => {
      const vm = await createMachine({ bios: fw, kernel: UBOOT_SMODE, drives: [{ file: disk, readonly: true }], timeoutMs: 180_000 });
      let out = "";
      vm.on("output", (b) => { out += new TextDecoder().decode(b); });
      vm.start();
      const typed = async (command: string) => {
        await vm.console.waitFor(PROMPT, { timeout: 60_000 });
        vm.console.write(command + "\n");
      };
      await vm.console.waitFor("Hit any key to stop autoboot", { timeout: 60_000 });
      vm.console.write(" ");
      await typed("version");
      await vm.console.waitFor(/U-Boot 2023\.01\S* \(/);
      await typed("load virtio 0 ${kernel_addr_r} Image");
      await vm.console.waitFor(/4129792 bytes read/);
      await typed("load virtio 0 ${ramdisk_addr_r} initramfs.cpio.gz");
      await vm.console.waitFor(/1154254 bytes read/);
      await typed("setenv bootargs console=ttyS0 booted-by=u-boot");
      await typed("booti ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdtcontroladdr}");
      await vm.console.waitFor(SHELL, { timeout: 120_000 });
      const r = await vm.exec("cat /proc/cmdline; uname -r; test -b /dev/vda && echo vda-is-a-disk");
      expect(r.output).toBe("console=ttyS0 booted-by=u-boot\n6.1.192-hartvm\nvda-is-a-disk\n");
      vm.console.write("poweroff\n");
      expect(await vm.exited).toEqual({ status: 0, reason: "poweroff" });
      expect(out).toContain(name === "fw_jump.bin" ? "Firmware Base             : 0x80000000" : "Domain0 Next Mode         : S-mode");
      expect(out).toMatch(/## Flattened Device Tree blob at 8f[0-9a-f]{6}/);
      expect(out).toContain("Starting kernel ...");
    }, 240_000);
  }
});
