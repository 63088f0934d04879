// The device tree the guest boots with: built once from the board table with /chosen in
// it, QEMU's shape (cpus, memory, soc, chosen). A tree the user supplies (--dtb) is kept as
// given but for /chosen, which the boot fills in as QEMU does.
import { cells64, decodeFdtBlob, encodeFdt, type FdtNode } from "../images/fdt.js";
import { ImageError } from "../images/elf.js";
import { fdtReg } from "../devices/device.js";
import { RAM_BASE } from "./core.js";
import { ISA_STRING, type VirtBoard } from "./board.js";
import { TIMEBASE_HZ } from "./timebase.js";

export interface Chosen {
  bootargs?: string;
  initrd?: { start: number; end: number };
  rngSeed?: Uint8Array;
}

/**
 * Free RAM kept after the blob, which firmware grows the tree into when it edits it in place
 * (OpenSBI's fdt_open_into). As QEMU does, the blob's totalsize counts only its content: Linux
 * checksums totalsize bytes at boot (of_fdt_crc32): 68.5 KB with 64 KiB of padding, 3 KB without.
 */
export const DTB_ROOM = 64 * 1024;
const PHANDLE_DEVICES = 100; // devices take 100 + their row index; hart h's intc 1 + 2h, the cpu node 2 + 2h

export function buildDeviceTree(board: VirtBoard, ramBytes: number, chosen: Chosen): Uint8Array {
  const harts = board.harts;
  const intc = (h: number) => 1 + 2 * h;
  const cpus: FdtNode[] = [];
  for (let h = 0; h < harts; h++) {
    cpus.push({
      name: `cpu@${h}`,
      props: {
        phandle: intc(h) + 1, device_type: "cpu", reg: h, status: "okay", compatible: "riscv",
        "riscv,isa": ISA_STRING, "mmu-type": "riscv,sv48",
      },
      children: [{
        name: "interrupt-controller",
        props: { "#interrupt-cells": 1, "interrupt-controller": true, compatible: "riscv,cpu-intc", phandle: intc(h) },
      }],
    });
  }
  cpus.push({
    name: "cpu-map",
    props: {},
    children: [{
      name: "cluster0",
      props: {},
      children: Array.from({ length: harts }, (_, h) => ({ name: `core${h}`, props: { cpu: intc(h) + 1 } })),
    }],
  });
  const names = board.placed.map((p) => p.row.name);
  const phandleOf = (name: string) => PHANDLE_DEVICES + Math.max(0, names.indexOf(name));
  const { soc, root } = board.deviceNodes({
    plicPhandle: phandleOf("plic"),
    cpuIntcPhandles: Array.from({ length: harts }, (_, h) => intc(h)),
    phandleOf,
  });
  const uart = board.placed.find((p) => p.row.name === "uart0")!.row;
  const tree: FdtNode = {
    name: "",
    props: { "#address-cells": 2, "#size-cells": 2, compatible: "riscv-virtio", model: "riscv-virtio,qemu" },
    children: [
      { name: "chosen", props: { "stdout-path": `/soc/serial@${uart.base.toString(16)}`, ...chosenProps(chosen) } },
      ...root,
      { name: `memory@${RAM_BASE.toString(16)}`, props: { device_type: "memory", reg: fdtReg(RAM_BASE, ramBytes) } },
      { name: "cpus", props: { "#address-cells": 1, "#size-cells": 0, "timebase-frequency": TIMEBASE_HZ }, children: cpus },
      { name: "soc", props: { "#address-cells": 2, "#size-cells": 2, compatible: "simple-bus", ranges: true }, children: soc },
    ],
  };
  return encodeFdt(tree);
}

/** A user's device tree with /chosen filled in; a malformed blob is an image error naming the file. */
export function userDeviceTree(blob: Uint8Array, name: string, chosen: Chosen): Uint8Array {
  let decoded;
  try {
    decoded = decodeFdtBlob(blob);
  } catch (e) {
    throw new ImageError(`device tree '${name}': ${(e as Error).message.replace(/^fdt: /, "")}`);
  }
  const root = decoded.root;
  const children = [...(root.children ?? [])];
  const at = children.findIndex((c) => c.name === "chosen");
  const old = at >= 0 ? children[at] : { name: "chosen", props: {} };
  const node: FdtNode = { ...old, props: { ...old.props, ...chosenProps(chosen) } };
  if (at >= 0) children[at] = node; else children.unshift(node);
  try {
    return encodeFdt({ ...root, children }, { bootCpuId: decoded.bootCpuId, memReserve: decoded.memReserve });
  } catch (e) {
    throw new ImageError(`device tree '${name}': ${(e as Error).message.replace(/^fdt: /, "")}`);
  }
}

/** One cell, as QEMU 7.2 writes the initrd's bounds (qemu_fdt_setprop_cell); two above 4 GiB, which a cell cannot hold. */
function addressCells(addr: number): number | number[] {
  return addr < 2 ** 32 ? addr : cells64(addr);
}

function chosenProps(chosen: Chosen): FdtNode["props"] {
  const props: FdtNode["props"] = {};
  if (chosen.bootargs) props.bootargs = chosen.bootargs; // QEMU leaves an empty command line out
  if (chosen.initrd) {
    props["linux,initrd-start"] = addressCells(chosen.initrd.start);
    props["linux,initrd-end"] = addressCells(chosen.initrd.end);
  }
  if (chosen.rngSeed) props["rng-seed"] = chosen.rngSeed;
  return props;
}
