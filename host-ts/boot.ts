// Putting the images where QEMU's virt machine puts them and setting the harts up to start:
// bare-metal ELFs at their physical addresses in M-mode; Linux with the built-in SBI
// (kernel entered in S-mode) or with firmware at the start of RAM (fw_dynamic convention).
// Run again on every reset, so it only reads its inputs.
import { RAM_BASE, RunState, type Core } from "./core.js";
import type { VirtBoard } from "./board.js";
import { buildDeviceTree, userDeviceTree, type Chosen } from "./device-tree.js";
import { writeFwDynamicInfo, FW_DYNAMIC_INFO_BYTES } from "./fw-dynamic.js";
import { enterSupervisor, prepareHartForBuiltinSbi } from "./sbi.js";
import { ImageError, type ElfImage } from "../images/elf.js";
import type { Kernel } from "../images/linux.js";
import { loadBytes, loadElf } from "../images/load.js";
import { MiB, describeBytes } from "./limits.js";

export interface Firmware { bytes: Uint8Array; elf?: ElfImage; name: string }

export type BootImages =
  | { kind: "bare-metal"; elf: ElfImage; name: string }
  | {
      kind: "linux";
      kernel: Kernel;
      kernelName: string;
      initrd?: Uint8Array;
      bootargs?: string;
      /** M-mode firmware (OpenSBI fw_dynamic/fw_jump, raw or ELF); absent = the built-in SBI. */
      firmware?: Firmware;
      /** A device tree to boot with instead of the generated one (/chosen is still filled in). */
      dtb?: { bytes: Uint8Array; name: string };
    };

export interface BootResult {
  /** The device tree the guest got (Linux boots). */
  dtb: Uint8Array | null;
  /** The host serves SBI calls (the built-in firmware). */
  builtinSbi: boolean;
  /** HTIF tohost/fromhost of a bare-metal program that has them. */
  htif: { tohost: bigint; fromhost: bigint } | null;
}

export interface BootTarget {
  core: Core;
  board: VirtBoard;
  ramBytes: number;
  /** Random bytes for the device tree's rng-seed (seeded in deterministic mode). */
  entropy(bytes: Uint8Array): void;
}

export function boot(t: BootTarget, images: BootImages): BootResult {
  t.board.reset();
  const result = images.kind === "bare-metal" ? bootBareMetal(t, images.elf, images.name) : bootLinux(t, images);
  t.core.flushTlbs();
  return result;
}

function bootBareMetal({ core }: BootTarget, elf: ElfImage, name: string): BootResult {
  loadElf(core, elf, name);
  for (let h = 0; h < core.harts; h++) {
    core.resetHart(h, elf.entry);
    core.setX(h, 10, BigInt(h)); // a0 = hartid, as the riscv-tests and QEMU expect
  }
  core.enableBuiltinSbi(false);
  const tohost = elf.symbols.get("tohost");
  const fromhost = elf.symbols.get("fromhost") ?? 0n;
  core.setHtif(tohost ?? 0n, tohost !== undefined ? fromhost : 0n);
  return { dtb: null, builtinSbi: false, htif: tohost !== undefined ? { tohost, fromhost } : null };
}

function bootLinux(t: BootTarget, spec: Extract<BootImages, { kind: "linux" }>): BootResult {
  const { core, ramBytes } = t;
  const ramEnd = RAM_BASE + ramBytes;
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
    kernelBase = Math.max(kernelBase, alignUp(fwEnd, 2 * MiB)); // QEMU: the next 2 MiB boundary after the firmware
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
    if (kernelEntry + k.imageSize > ramEnd) {
      throw new ImageError(`${spec.kernelName}: the kernel (${k.imageSize} bytes) does not fit in ${describeBytes(ramBytes)} of RAM`);
    }
    loadBytes(core, BigInt(kernelEntry), k.bytes, spec.kernelName);
    kernelEnd = kernelEntry + k.imageSize;
  }
  let initrd: Chosen["initrd"];
  if (spec.initrd) {
    // QEMU: halfway into RAM on small machines, 128 MiB above the kernel otherwise.
    const start = kernelEntry + Math.min(ramBytes / 2, 128 * MiB);
    if (start + spec.initrd.length > ramEnd || start < kernelEnd) {
      throw new ImageError(`initrd (${spec.initrd.length} bytes) does not fit in ${describeBytes(ramBytes)} of RAM above the kernel`);
    }
    loadBytes(core, BigInt(start), spec.initrd, "initrd");
    initrd = { start, end: start + spec.initrd.length };
  }
  const rngSeed = new Uint8Array(32);
  t.entropy(rngSeed);
  const chosen: Chosen = { bootargs: spec.bootargs, initrd, rngSeed };
  const dtb = spec.dtb ? userDeviceTree(spec.dtb.bytes, spec.dtb.name, chosen) : buildDeviceTree(t.board, ramBytes, chosen);
  const dtbAddr = alignDown(Math.min(ramEnd, 0xc000_0000) - dtb.length, 2 * MiB); // QEMU's riscv_load_fdt
  if (dtbAddr < (initrd?.end ?? kernelEnd) + FW_DYNAMIC_INFO_BYTES) {
    throw new ImageError(`the device tree does not fit in ${describeBytes(ramBytes)} of RAM above the kernel and initrd`);
  }
  loadBytes(core, BigInt(dtbAddr), dtb, "device tree");

  for (let h = 0; h < core.harts; h++) core.resetHart(h, firmwareEntry);
  core.setHtif(0n, 0n);
  if (spec.firmware) {
    const info = dtbAddr - 64; // just below the device tree, as QEMU
    writeFwDynamicInfo(core, info, kernelEntry);
    for (let h = 0; h < core.harts; h++) {
      core.setX(h, 10, BigInt(h));
      core.setX(h, 11, BigInt(dtbAddr));
      core.setX(h, 12, BigInt(info));
    }
    core.enableBuiltinSbi(false);
    return { dtb, builtinSbi: false, htif: null };
  }
  for (let h = 0; h < core.harts; h++) {
    prepareHartForBuiltinSbi(core, h);
    core.setRunState(h, RunState.Stopped); // until SBI HSM hart_start
  }
  enterSupervisor(core, 0, BigInt(kernelEntry), 0n, BigInt(dtbAddr));
  core.enableBuiltinSbi(true);
  return { dtb, builtinSbi: true, htif: null };
}

const alignUp = (v: number, a: number) => Math.ceil(v / a) * a;
const alignDown = (v: number, a: number) => Math.floor(v / a) * a;
