// QEMU 7.2's loader rules, format by firmware mode, with the probe (src/probe.S): every
// expected line below is what `qemu-system-riscv64 -M virt -m 256M` prints for the same
// files (`HARTVM_REFERENCE=qemu npx vitest run tests/fidelity/loaders.test.ts` runs this
// table there), except Image.gz, which QEMU loads as raw bytes and cannot boot, and the
// refusals, where QEMU would load the file as raw bytes or jump to zeroed RAM.
import { describe, it, expect } from "vitest";
import { existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { bin, run, probeLines, uimage, FW_JUMP, FW_DYNAMIC, UBOOT_MMODE, ON_QEMU } from "./helpers.js";
import type { MachineConfig } from "../../host-ts/api.js";

const INITRD = new TextEncoder().encode("INITRD-CONTENT\nsecond line\n");
const APPEND = "console=ttyS0 probe";
const MiB = 2 ** 20;
const hex = (n: number) => "0x" + n.toString(16);

type Mode = "builtin" | "none" | "fw_jump" | "fw_dynamic";
type Format = "ELF" | "uImage" | "uImage (gzip)" | "Image" | "Image.gz" | "raw";

const bios = (m: Mode): MachineConfig["bios"] => (m === "fw_jump" ? FW_JUMP : m === "fw_dynamic" ? FW_DYNAMIC : m);

/** Where each mode runs a payload: with none the harts start at RAM's start; fw_jump always jumps to 0x8020_0000. */
const PAYLOAD_AT: Record<Mode, number> = { none: 0x8000_0000, builtin: 0x8060_0000, fw_dynamic: 0x8060_0000, fw_jump: 0x8020_0000 };
const ELF_AT: Record<Mode, string> = { none: "0x80000000", builtin: "0x80400000", fw_dynamic: "0x80400000", fw_jump: "0x80200000" };

/** The kernel file for a format in a mode, and the address the probe must report (its pc) and QEMU hands on (its entry). */
function kernelFor(format: Format, mode: Mode): { kernel: Uint8Array; entry: number; pc: number } {
  const start = mode === "none" ? 0x8000_0000 : 0x8020_0000; // the first 2 MiB boundary after the firmware
  switch (format) {
    case "ELF": {
      const at = Number(ELF_AT[mode]);
      return { kernel: bin(`probe-at-${ELF_AT[mode]}.elf`), entry: at, pc: at };
    }
    case "uImage":
    case "uImage (gzip)": {
      const at = PAYLOAD_AT[mode];
      return { kernel: uimage(bin("probe.bin"), { load: at, entry: at, comp: format === "uImage" ? 0 : 1 }), entry: at, pc: at };
    }
    case "Image":
      return { kernel: bin("probe-image.bin"), entry: start, pc: start + 0x40 }; // the code follows the 64-byte header
    case "Image.gz":
      return { kernel: bin("probe-image.bin.gz"), entry: start, pc: start + 0x40 };
    case "raw":
      return { kernel: bin("probe.bin"), entry: start, pc: start };
  }
}

function expectedLines(mode: Mode, entry: number, pc: number, opts: { initrd?: Uint8Array; append?: string; ramBytes?: number } = {}): string[] {
  const ram = opts.ramBytes ?? 256 * MiB;
  const dtb = mode === "fw_jump" ? 0x8220_0000 : 0x8000_0000 + ram - 2 * MiB; // fw_jump copies it to its FW_JUMP_FDT_ADDR
  const initrdStart = entry + Math.min(ram / 2, 128 * MiB);
  return [
    `probe: pc=${hex(pc)} mode=${mode === "none" ? "M" : "S"} hart=0x0 dtb=${hex(dtb)}`,
    `probe: next=${mode === "none" ? `${hex(entry)} mode=0x1` : "none"}`,
    `probe: initrd=${opts.initrd ? `${hex(initrdStart)}-${hex(initrdStart + opts.initrd.length)} "INITRD-CONTENT"` : "none"}`,
    `probe: bootargs=${opts.append ? JSON.stringify(opts.append) : "none"}`,
    "probe: done",
  ];
}

const MODES: Mode[] = ["builtin", "none", "fw_jump", "fw_dynamic"];
const FORMATS: Format[] = ["ELF", "uImage", "uImage (gzip)", "Image", "Image.gz", "raw"];

describe("loaders: each kernel format under each firmware mode", () => {
  it("Debian's OpenSBI is installed (apt-get install opensbi)", () => {
    expect(existsSync(FW_JUMP) && existsSync(FW_DYNAMIC)).toBe(true);
  });

  for (const mode of MODES) {
    for (const format of FORMATS) {
      it.skipIf(ON_QEMU && format === "Image.gz")(`${format} with --bios ${mode}`, async () => {
        const { kernel, entry, pc } = kernelFor(format, mode);
        const r = await run({ bios: bios(mode), kernel, initrd: INITRD, append: APPEND });
        expect(probeLines(r.output), r.output).toEqual(expectedLines(mode, entry, pc, { initrd: INITRD, append: APPEND }));
        expect(r).toMatchObject({ status: 0, reason: "poweroff" });
      });
    }
  }
});

describe("loaders: the finer rules", () => {
  it("a uImage is entered at its entry point, not its load address", async () => {
    const payload = new Uint8Array(64 + bin("probe.bin").length); // 64 bytes of zeros (illegal instructions) first
    payload.set(bin("probe.bin"), 64);
    const r = await run({ kernel: uimage(payload, { load: 0x8060_0000, entry: 0x8060_0040 }), initrd: INITRD }, 3000);
    expect(probeLines(r.output), r.output).toEqual(expectedLines("builtin", 0x8060_0040, 0x8060_0040, { initrd: INITRD }));
  });

  it("a uImage's CRCs are not checked (QEMU does not check them)", async () => {
    const r = await run({ kernel: uimage(bin("probe.bin"), { load: 0x8020_0000, entry: 0x8020_0000, badHeaderCrc: true }) });
    expect(probeLines(r.output), r.output).toEqual(expectedLines("builtin", 0x8020_0000, 0x8020_0000));
  });

  it("an initrd that is a RAMDISK uImage: its payload, as it is (QEMU's load_ramdisk)", async () => {
    const r = await run({ bios: "none", kernel: bin("probe.bin"), initrd: uimage(INITRD, { load: 0, entry: 0, type: 3 }) });
    expect(probeLines(r.output), r.output).toEqual(expectedLines("none", 0x8000_0000, 0x8000_0000, { initrd: INITRD }));
    const gz = uimage(INITRD, { load: 0, entry: 0, type: 3, comp: 1 }); // not decompressed: the kernel does that
    const r2 = await run({ bios: "none", kernel: bin("probe.bin"), initrd: gz });
    expect(probeLines(r2.output)[2]).toMatch(new RegExp(`^probe: initrd=0x88000000-${hex(0x8800_0000 + gz.length - 64)} "\x1f`));
  });

  it("an initrd goes halfway into RAM on machines under 256 MiB", async () => {
    const r = await run({ bios: "none", kernel: bin("probe.bin"), initrd: INITRD, memory: "64M" });
    expect(probeLines(r.output), r.output).toEqual(expectedLines("none", 0x8000_0000, 0x8000_0000, { initrd: INITRD, ramBytes: 64 * MiB }));
  });

  it("ELF firmware: OpenSBI's fw_dynamic.elf at its addresses, the kernel at the 2 MiB boundary after it", async () => {
    const r = await run({ bios: FW_DYNAMIC.replace(".bin", ".elf"), kernel: bin("probe.bin"), initrd: INITRD });
    expect(probeLines(r.output), r.output).toEqual(expectedLines("fw_dynamic", 0x8020_0000, 0x8020_0000, { initrd: INITRD }));
  });

  it("fw_jump jumps to 0x80200000 whatever was loaded elsewhere (nothing runs, as on QEMU)", async () => {
    const r = await run({ bios: FW_JUMP, kernel: bin("probe-at-0x80400000.elf") }, 1500);
    expect(r.output).toContain("Domain0 Next Address      : 0x0000000080200000");
    expect(probeLines(r.output)).toEqual([]);
    expect(r).toMatchObject({ status: 124, reason: "timeout" });
  });

  // Not on QEMU: its UART takes the first piped byte before U-Boot resets the FIFO, which loses it.
  it.skipIf(ON_QEMU)("M-mode firmware as a raw binary: Debian's M-mode U-Boot as --bios", async () => {
    expect(existsSync(UBOOT_MMODE), `${UBOOT_MMODE} missing: apt-get install u-boot-qemu`).toBe(true);
    const r = await run({ bios: UBOOT_MMODE, kernel: bin("probe.bin") }, 30_000, "\nversion\npoweroff\n");
    expect(r.output).toMatch(/=> version\r?\nU-Boot 20\d\d\.\d\d/);
    expect(r.output).toContain("=> poweroff");
    expect(r).toMatchObject({ status: 0, reason: "poweroff" });
  }, 60_000);
});

describe.skipIf(ON_QEMU)("loaders: refusals, one line saying why", () => {
  const cases: [string, () => MachineConfig, RegExp][] = [
    ["--bios none with an ELF that loads nothing at 0x80000000 (QEMU would run zeroed RAM)",
      () => ({ bios: "none", kernel: bin("probe-at-0x80200000.elf") }), /puts nothing at 0x80000000, where the harts start/],
    ["ELF firmware that puts nothing at 0x80000000", () => ({ bios: bin("probe-at-0x80200000.elf"), kernel: bin("probe.bin") }), /firmware '.*' puts nothing at 0x80000000/],
    ["a uImage compressed with lzma", () => ({ kernel: uimage(bin("probe.bin"), { load: 0x8020_0000, entry: 0x8020_0000, comp: 3 }) }), /compressed with lzma; only uncompressed and gzip/],
    ["a kernel_noload uImage", () => ({ kernel: uimage(bin("probe.bin"), { load: 0, entry: 0, type: 14 }) }), /kernel_noload uImage cannot be placed/],
    ["a firmware uImage as the kernel", () => ({ kernel: uimage(bin("probe.bin"), { load: 0x8020_0000, entry: 0x8020_0000, type: 5 }) }), /a uImage of type 5, not a kernel/],
    ["a truncated uImage", () => ({ kernel: uimage(bin("probe.bin"), { load: 0x8020_0000, entry: 0x8020_0000, size: 1 << 20 }) }), /truncated uImage \(the header says 1048576 bytes of data, the file has 2\d\d\d\)/],
    ["a gzip uImage over 64 MiB", () => ({ kernel: uimage(new Uint8Array(65 * MiB), { load: 0x8020_0000, entry: 0x8020_0000, comp: 1 }) }), /decompresses to more than the 64 MiB a uImage may hold/],
    ["a uImage loaded where the device tree goes", () => ({ kernel: uimage(bin("probe.bin"), { load: 0x8fe0_0000, entry: 0x8fe0_0000 }) }), /the device tree \[0x8fe00000, .*\) overlaps kernel/],
    ["a uImage loaded outside RAM", () => ({ kernel: uimage(bin("probe.bin"), { load: 0x4000_0000, entry: 0x4000_0000 }) }), /lies outside guest RAM/],
    ["a raw kernel over the firmware's end", () => ({ bios: FW_DYNAMIC, kernel: new Uint8Array(255 * MiB) }), /does not fit in 256 MiB of RAM at 0x80200000/],
    ["an initrd over a uImage kernel", () => ({ kernel: uimage(new Uint8Array(9 * MiB), { load: 0x8020_0000, entry: 0x8020_0000 }), initrd: INITRD, memory: "16M" }), /initrd \[0x80a00000, .*\) overlaps kernel/],
    ["gzip data that is neither an Image nor an ELF", () => ({ kernel: new Uint8Array(gzipped("hello")) }), /gzip data that holds neither a Linux Image nor an ELF/],
    ["an empty kernel", () => ({ kernel: new Uint8Array(0) }), /kernel '.*' is empty/],
  ];
  for (const [name, config, message] of cases) {
    it(name, async () => {
      const e = await run(config()).then(() => null, (err: Error & { code?: string }) => err);
      expect(e, "must be refused").not.toBeNull();
      expect(e!.code).toBe("invalid-image");
      expect(e!.message).toMatch(message);
      expect(e!.message.split("\n")).toHaveLength(1);
    });
  }
});

function gzipped(s: string): Uint8Array {
  return new Uint8Array(gzipSync(new TextEncoder().encode(s)));
}
