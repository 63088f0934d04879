// /chosen as QEMU 7.2 writes it, checked against what `qemu-system-riscv64 -M
// virt,dumpdtb=FILE` wrote for the same -m, -smp, -append, -initrd (and -dtb): the initrd's
// bounds as single 32-bit cells (qemu_fdt_setprop_cell), no bootargs for an empty command
// line, a fresh 32-byte rng-seed, stdout-path, and nothing else.
import { describe, it, expect } from "vitest";
import { createMachine, type MachineConfig } from "../../host-ts/api.js";
import { decodeFdtBlob, type FdtNode } from "../../images/fdt.js";
import { bin, FW_DYNAMIC } from "./helpers.js";

async function chosen(config: MachineConfig): Promise<Record<string, Uint8Array>> {
  const vm = await createMachine(config);
  const dtb = vm.deviceTree()!;
  await vm.stop();
  const root = decodeFdtBlob(dtb, { raw: true }).root;
  const node = (root.children ?? []).find((c: FdtNode) => c.name === "chosen")!;
  return node.props as Record<string, Uint8Array>;
}

const be32 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
const text = (s: string) => new TextEncoder().encode(s + "\0");

describe("/chosen as QEMU 7.2 writes it", () => {
  // QEMU: -m 256M -smp 2 -append "console=ttyS0 foo" -initrd (1154254 bytes) gave
  // linux,initrd-start = <0x88200000>, linux,initrd-end = <0x88319cce>.
  it("the initrd's bounds in one cell each, the command line, rng-seed and stdout-path", async () => {
    const initrd = new Uint8Array(1154254);
    const c = await chosen({ memory: "256M", harts: 2, append: "console=ttyS0 foo", kernel: bin("probe-image.bin"), initrd });
    expect(Object.keys(c).sort()).toEqual(["bootargs", "linux,initrd-end", "linux,initrd-start", "rng-seed", "stdout-path"]);
    expect(c["linux,initrd-start"]).toEqual(be32(0x8820_0000));
    expect(c["linux,initrd-end"]).toEqual(be32(0x8831_9cce));
    expect(c.bootargs).toEqual(text("console=ttyS0 foo"));
    expect(c["stdout-path"]).toEqual(text("/soc/serial@10000000"));
    expect(c["rng-seed"]).toHaveLength(32);
  });

  it("no bootargs for an empty command line (QEMU: -append \"\")", async () => {
    const c = await chosen({ bios: "none", kernel: bin("probe.bin"), append: "" });
    expect(Object.keys(c).sort()).toEqual(["rng-seed", "stdout-path"]);
  });

  it("a fresh rng-seed on every boot", async () => {
    const a = await chosen({ kernel: bin("probe.bin") });
    const b = await chosen({ kernel: bin("probe.bin") });
    expect(a["rng-seed"]).not.toEqual(b["rng-seed"]);
  });

  // QEMU: -dtb (its own dump of a 128 MiB machine) -m 128M -bios none -append hello -initrd
  // (100 bytes) gave initrd 0x84000000-0x84000064, bootargs "hello", a new rng-seed.
  it("a user's --dtb gets the same /chosen", async () => {
    const own = await createMachine({ memory: "128M", bios: "none", kernel: bin("probe.bin"), append: "old" });
    const dtb = own.deviceTree()!;
    await own.stop();
    const c = await chosen({ memory: "128M", bios: "none", kernel: bin("probe.bin"), append: "hello", initrd: new Uint8Array(100), dtb });
    expect(c["linux,initrd-start"]).toEqual(be32(0x8400_0000));
    expect(c["linux,initrd-end"]).toEqual(be32(0x8400_0064));
    expect(c.bootargs).toEqual(text("hello"));
    expect(c["rng-seed"]).toHaveLength(32);
  });

  it("firmware boots get the same tree (fw_dynamic: the kernel after it at 0x80200000)", async () => {
    const c = await chosen({ bios: FW_DYNAMIC, kernel: bin("probe.bin"), initrd: new Uint8Array(16) });
    expect(c["linux,initrd-start"]).toEqual(be32(0x8820_0000));
    expect(c["linux,initrd-end"]).toEqual(be32(0x8820_0010));
  });

  // QEMU 7.2 packs the tree before loading it (fdt_pack: totalsize 4222 for -m 256M) and
  // leaves the RAM after it free; Linux checksums totalsize bytes at boot (of_fdt_crc32).
  it("the blob's totalsize is its content, with no padding counted in it", async () => {
    const vm = await createMachine({ bios: "none", kernel: bin("probe.bin") });
    const dtb = vm.deviceTree()!;
    await vm.stop();
    const dv = new DataView(dtb.buffer, dtb.byteOffset, dtb.byteLength);
    const totalsize = dv.getUint32(4), stringsAt = dv.getUint32(12), stringsSize = dv.getUint32(32);
    expect(totalsize).toBe(dtb.length);
    expect(totalsize).toBe(stringsAt + stringsSize);
  });
});
