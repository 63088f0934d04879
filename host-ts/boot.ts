// Putting the images where QEMU 7.2's virt machine puts them (hw/riscv/boot.c, virt.c) and
// setting the harts up to start. Run again on every reset, so it only reads its inputs.
//
//   firmware   builtin: hartvm's SBI, in the host (QEMU's default OpenSBI ends below 2 MiB);
//              none: nothing; FILE: an ELF at its addresses or raw bytes at RAM's start.
//   kernel     at the first 2 MiB boundary after the firmware (0x8020_0000; with none the
//              start of RAM): an ELF at its addresses and entered at its lowest one, a
//              uImage at its load address and entered at its entry point, a Linux Image or
//              a raw binary at that boundary.
//   initrd     the kernel's entry + min(RAM / 2, 128 MiB); a RAMDISK uImage's payload.
//   DTB        the last 2 MiB boundary that leaves room for it below the end of RAM (or
//              3 GiB); /chosen as QEMU writes it.
//   harts      with firmware (or none) every hart starts in M-mode at the start of RAM with
//              a0 = hart id, a1 = DTB, a2 = fw_dynamic info (next stage: the kernel's entry,
//              S-mode); with the built-in SBI hart 0 enters the kernel in S-mode (a0, a1)
//              and the others wait for SBI HSM.
import { RAM_BASE, RunState, type Core } from "./core.js";
import type { VirtBoard } from "./board.js";
import { buildDeviceTree, userDeviceTree, DTB_ROOM, type Chosen } from "./device-tree.js";
import { writeFwDynamicInfo, FW_DYNAMIC_INFO_BYTES } from "./fw-dynamic.js";
import { enterSupervisor, prepareHartForBuiltinSbi } from "./sbi.js";
import { ImageError, type ElfImage } from "../images/elf.js";
import type { Kernel } from "../images/linux.js";
import { uimageRamdisk } from "../images/uimage.js";
import { elfExtent, Placement } from "../images/load.js";
import { MiB, describeBytes } from "./limits.js";

export interface Firmware { bytes: Uint8Array; elf?: ElfImage; name: string }

/** "builtin": hartvm's SBI; "none": the kernel runs in M-mode; or M-mode firmware (OpenSBI fw_dynamic/fw_jump, U-Boot, ...). */
export type FirmwareMode = "builtin" | "none" | Firmware;

export type BootImages =
  | {
      kind: "kernel";
      firmware: FirmwareMode;
      kernel: Kernel;
      kernelName: string;
      /** Raw bytes or a RAMDISK uImage. */
      initrd?: Uint8Array;
      bootargs?: string;
      /** A device tree to boot with instead of the generated one (/chosen is still filled in). */
      dtb?: { bytes: Uint8Array; name: string };
    }
  /** Shorthand for a program: an ELF with no firmware (`--bios none --kernel prog.elf`). */
  | { kind: "bare-metal"; elf: ElfImage; name: string };

export interface BootResult {
  /** The device tree the guest got. */
  dtb: Uint8Array;
  /** The host serves SBI calls (the built-in firmware). */
  builtinSbi: boolean;
  /** HTIF tohost/fromhost of a program (run with no firmware) that has them. */
  htif: { tohost: bigint; fromhost: bigint } | null;
}

export interface BootTarget {
  core: Core;
  board: VirtBoard;
  ramBytes: number;
  /** Random bytes for the device tree's rng-seed (seeded in deterministic mode). */
  entropy(bytes: Uint8Array): void;
}

/** The kernel's place with QEMU's default firmware, which ends below 2 MiB. */
const BUILTIN_KERNEL_START = RAM_BASE + 2 * MiB;
const KERNEL_ALIGN = 2 * MiB; // QEMU: riscv_calc_kernel_start_addr on RV64
const DTB_ALIGN = 2 * MiB;
const DTB_LIMIT = 0xc000_0000; // 3 GiB: addressable by 32-bit firmware too (riscv_load_fdt)
const INITRD_MAX_OFFSET = 128 * MiB;

export function boot(t: BootTarget, images: BootImages): BootResult {
  t.board.reset();
  const spec = images.kind === "bare-metal"
    ? { kind: "kernel" as const, firmware: "none" as const, kernel: { kind: "elf" as const, elf: images.elf }, kernelName: images.name }
    : images;
  const result = bootKernel(t, spec);
  t.core.flushTlbs();
  return result;
}

function bootKernel(t: BootTarget, spec: Extract<BootImages, { kind: "kernel" }>): BootResult {
  const { core, ramBytes } = t;
  const ramEnd = RAM_BASE + ramBytes;
  const placed = new Placement(core);
  const fw = spec.firmware;

  let kernelStart = BUILTIN_KERNEL_START;
  if (fw === "none") {
    kernelStart = RAM_BASE;
  } else if (fw !== "builtin") {
    let fwEnd: number;
    if (fw.elf) {
      placed.elf(`firmware '${fw.name}'`, fw.elf);
      fwEnd = elfExtent(fw.elf).high;
    } else {
      placed.bytes(`firmware '${fw.name}'`, RAM_BASE, fw.bytes);
      fwEnd = RAM_BASE + fw.bytes.length;
    }
    kernelStart = alignUp(fwEnd, KERNEL_ALIGN);
  }

  const kernel = placeKernel(placed, spec.kernel, spec.kernelName, kernelStart, ramEnd, ramBytes);
  if (fw !== "builtin" && !placed.covers(RAM_BASE)) {
    const what = fw === "none" ? `kernel '${spec.kernelName}'` : `firmware '${fw.name}'`;
    throw new ImageError(`${what} puts nothing at 0x${RAM_BASE.toString(16)}, where the harts start (as on QEMU's virt)`);
  }

  let initrd: Chosen["initrd"];
  if (spec.initrd) {
    const data = uimageRamdisk(spec.initrd) ?? spec.initrd;
    const start = kernel.entry + Math.min(Math.floor(ramBytes / 2), INITRD_MAX_OFFSET);
    if (start + data.length > ramEnd) {
      throw new ImageError(`initrd (${data.length} bytes) does not fit in ${describeBytes(ramBytes)} of RAM above the kernel`);
    }
    placed.bytes("initrd", start, data);
    initrd = { start, end: start + data.length };
  }

  const rngSeed = new Uint8Array(32);
  t.entropy(rngSeed);
  const chosen: Chosen = { bootargs: spec.bootargs, initrd, rngSeed };
  const dtb = spec.dtb ? userDeviceTree(spec.dtb.bytes, spec.dtb.name, chosen) : buildDeviceTree(t.board, ramBytes, chosen);
  const dtbAddr = alignDown(Math.min(ramEnd, DTB_LIMIT) - (dtb.length + DTB_ROOM), DTB_ALIGN);
  // QEMU keeps the fw_dynamic info in its boot ROM; hartvm has none and keeps it just below the DTB.
  const info = dtbAddr - 64;
  if (info < RAM_BASE) throw new ImageError(`the device tree does not fit in ${describeBytes(ramBytes)} of RAM`);
  placed.bytes("the device tree", dtbAddr, dtb, dtb.length + DTB_ROOM);
  placed.bytes("the fw_dynamic info", info, new Uint8Array(FW_DYNAMIC_INFO_BYTES));

  core.setHtif(0n, 0n);
  if (fw === "builtin") {
    for (let h = 0; h < core.harts; h++) {
      core.resetHart(h, BigInt(kernel.entry));
      prepareHartForBuiltinSbi(core, h);
      core.setRunState(h, RunState.Stopped); // until SBI HSM hart_start
    }
    enterSupervisor(core, 0, BigInt(kernel.entry), 0n, BigInt(dtbAddr));
    core.enableBuiltinSbi(true);
    return { dtb, builtinSbi: true, htif: null };
  }

  writeFwDynamicInfo(core, info, kernel.entry);
  for (let h = 0; h < core.harts; h++) {
    core.resetHart(h, BigInt(RAM_BASE)); // QEMU's reset vector jumps to the start of RAM
    core.setX(h, 10, BigInt(h));
    core.setX(h, 11, BigInt(dtbAddr));
    core.setX(h, 12, BigInt(info));
  }
  core.enableBuiltinSbi(false);
  // HTIF is not on QEMU's virt; programs in the riscv-tests style (a `tohost` symbol) get it anyway.
  const elf = fw === "none" && spec.kernel.kind === "elf" ? spec.kernel.elf : null;
  const tohost = elf?.symbols.get("tohost");
  if (tohost === undefined) return { dtb, builtinSbi: false, htif: null };
  const fromhost = elf!.symbols.get("fromhost") ?? 0n;
  core.setHtif(tohost, fromhost);
  return { dtb, builtinSbi: false, htif: { tohost, fromhost } };
}

/** Loads the kernel; its entry (the address QEMU hands on). */
function placeKernel(placed: Placement, k: Kernel, name: string, start: number, ramEnd: number, ramBytes: number): { entry: number } {
  const what = `kernel '${name}'`;
  const tooBig = (bytes: number) => new ImageError(`${what} (${bytes} bytes) does not fit in ${describeBytes(ramBytes)} of RAM at 0x${start.toString(16)}`);
  switch (k.kind) {
    case "elf": {
      placed.elf(what, k.elf);
      return { entry: elfExtent(k.elf).low }; // QEMU enters at the lowest address, not e_entry (FreeBSD has two entries)
    }
    case "uimage":
      placed.bytes(what, k.load, k.data);
      return { entry: k.entry };
    case "image":
      if (start + k.imageSize > ramEnd) throw tooBig(k.imageSize);
      placed.bytes(what, start, k.bytes, k.imageSize);
      return { entry: start };
    case "raw":
      if (start + k.bytes.length > ramEnd) throw tooBig(k.bytes.length);
      placed.bytes(what, start, k.bytes);
      return { entry: start };
  }
}

const alignUp = (v: number, a: number) => Math.ceil(v / a) * a;
const alignDown = (v: number, a: number) => Math.floor(v / a) * a;
