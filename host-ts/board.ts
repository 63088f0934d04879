// QEMU's riscv64 `virt` board as one table (DESIGN.md §3): the same entries create the
// devices, route MMIO and generate the device tree.
import type { Device, FdtContext, GuestRam, Log } from "../devices/device.js";
import { fdtReg } from "../devices/device.js";
import { Uart16550 } from "../devices/uart16550.js";
import { Plic } from "../devices/plic.js";
import { Syscon } from "../devices/syscon.js";
import { GoldfishRtc } from "../devices/goldfish-rtc.js";
import { VirtioMmio } from "../devices/virtio/mmio.js";
import { VirtioBlk } from "../devices/virtio/blk.js";
import { VirtioRng } from "../devices/virtio/rng.js";
import type { BlockBackend } from "../devices/virtio/block-backend.js";
import { cells64, type FdtNode } from "../images/fdt.js";
import type { MmioHandler } from "./core.js";
import { RAM_BASE } from "./core.js";
import { TIMEBASE_HZ } from "./timebase.js";

/** The virt memory map (QEMU 7.2 hw/riscv/virt.c). */
export const VIRT = {
  test: { base: 0x0010_0000, size: 0x1000 },
  rtc: { base: 0x0010_1000, size: 0x1000, irq: 11 },
  clint: { base: 0x0200_0000, size: 0x1_0000 },
  plic: { base: 0x0c00_0000, size: 0x60_0000 },
  uart0: { base: 0x1000_0000, size: 0x100, irq: 10 },
  virtio: { base: 0x1000_1000, size: 0x1000, count: 8, firstIrq: 1 },
  dram: { base: RAM_BASE },
} as const;

export const ISA_STRING = "rv64imafdc_zicntr_zicsr_zifencei_sstc";

export interface BoardOptions {
  harts: number;
  ramBytes: number;
  ram: GuestRam;
  /** PLIC context line changes reach the core's interrupt words. */
  setExternalInterrupt: (ctx: number, level: boolean) => void;
  console: (byte: number) => void;
  disks: { backend: BlockBackend; readonly: boolean }[];
  onPowerOff: () => void;
  onReset: () => void;
  onFail: (code: number) => void;
  /** Host wall clock in ns since the epoch, and a one-shot alarm service for the RTC. */
  nowNs: () => bigint;
  schedule: (atNs: bigint | null, callback: () => void) => void;
  log: Log;
}

interface Mapped { base: number; size: number; device: Device; irq?: number }

const PHANDLE_CPU_INTC = 1; // intc of hart h is PHANDLE_CPU_INTC + 2h, cpu node itself + 2h + 1
const PHANDLE_PLIC = 100;
const PHANDLE_TEST = 101;

export class VirtBoard implements MmioHandler {
  readonly uart: Uart16550;
  readonly plic: Plic;
  readonly syscon: Syscon;
  readonly rtc: GoldfishRtc;
  readonly virtio: VirtioMmio[] = [];
  private readonly map: Mapped[] = [];
  private last: Mapped | null = null;

  constructor(private readonly opts: BoardOptions) {
    if (opts.disks.length > VIRT.virtio.count - 1) throw new Error(`at most ${VIRT.virtio.count - 1} disks`);
    this.plic = new Plic({ harts: opts.harts, setContextLine: opts.setExternalInterrupt });
    this.syscon = new Syscon({ onPowerOff: opts.onPowerOff, onReset: opts.onReset, onFail: opts.onFail });
    this.rtc = new GoldfishRtc({ irq: this.plic.irqLine(VIRT.rtc.irq), now: opts.nowNs, schedule: opts.schedule });
    this.uart = new Uart16550({ irq: this.plic.irqLine(VIRT.uart0.irq), transmit: opts.console });
    this.add(VIRT.test, this.syscon);
    this.add(VIRT.rtc, this.rtc, VIRT.rtc.irq);
    this.add(VIRT.plic, this.plic);
    this.add(VIRT.uart0, this.uart, VIRT.uart0.irq);
    // virtio slots in the order given: disks first, then the entropy source.
    const models = [
      ...opts.disks.map((d) => new VirtioBlk({ backend: d.backend, readonly: d.readonly, log: opts.log })),
      new VirtioRng(),
    ];
    for (let n = 0; n < VIRT.virtio.count; n++) {
      const irq = VIRT.virtio.firstIrq + n;
      const slot = new VirtioMmio({
        ram: opts.ram, irq: this.plic.irqLine(irq), device: models[n] ?? null, log: opts.log, name: `virtio${n}`,
      });
      this.virtio.push(slot);
      this.add({ base: VIRT.virtio.base + n * VIRT.virtio.size, size: VIRT.virtio.size }, slot, irq);
    }
  }

  private add(r: { base: number; size: number }, device: Device, irq?: number): void {
    this.map.push({ base: r.base, size: r.size, device, irq });
  }

  /** The windows the core forwards to read()/write(); the CLINT stays inside the core. */
  mmioRegions(): { base: number; size: number }[] {
    return this.map.map(({ base, size }) => ({ base, size }));
  }

  private find(addr: number): Mapped | null {
    const l = this.last;
    if (l && addr >= l.base && addr < l.base + l.size) return l;
    for (const m of this.map) if (addr >= m.base && addr < m.base + m.size) return (this.last = m);
    return null;
  }

  read(addr: number, size: number): number {
    const m = this.find(addr);
    return m ? m.device.read(addr - m.base, size as 1 | 2 | 4) >>> 0 : 0;
  }

  write(addr: number, size: number, value: number): void {
    const m = this.find(addr);
    if (m) m.device.write(addr - m.base, size as 1 | 2 | 4, value);
  }

  reset(): void {
    for (const m of this.map) m.device.reset();
  }

  /** The device tree, QEMU's shape: cpus, memory, soc with the devices, chosen. */
  deviceTree(chosen: { bootargs?: string; initrd?: { start: number; end: number }; rngSeed?: Uint8Array }): FdtNode {
    const { harts, ramBytes } = this.opts;
    const intc = (h: number) => PHANDLE_CPU_INTC + 2 * h;
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
    const ctx = (m: Mapped, extra: Partial<FdtContext> = {}): FdtContext => ({
      base: m.base, size: m.size, irq: m.irq, plicPhandle: PHANDLE_PLIC, ...extra,
    });
    const soc: FdtNode[] = [];
    const rootExtra: FdtNode[] = [];
    for (const m of this.map) {
      if (m.device === this.syscon) {
        const c = ctx(m, { phandle: PHANDLE_TEST });
        soc.push(this.syscon.fdtNode(c));
        rootExtra.push(...this.syscon.rootNodes(c));
      } else if (m.device === this.plic) {
        soc.push(this.plic.fdtNode(ctx(m, { cpuIntcPhandles: Array.from({ length: harts }, (_, h) => intc(h)) })));
      } else {
        soc.push(m.device.fdtNode(ctx(m)));
      }
    }
    soc.push({
      name: `clint@${VIRT.clint.base.toString(16)}`,
      props: {
        "interrupts-extended": Array.from({ length: harts }, (_, h) => [intc(h), 3, intc(h), 7]).flat(),
        reg: fdtReg(VIRT.clint.base, VIRT.clint.size),
        compatible: ["sifive,clint0", "riscv,clint0"],
      },
    });
    const chosenProps: FdtNode["props"] = { "stdout-path": `/soc/serial@${VIRT.uart0.base.toString(16)}` };
    if (chosen.bootargs !== undefined) chosenProps.bootargs = chosen.bootargs;
    if (chosen.initrd) {
      chosenProps["linux,initrd-start"] = cells64(chosen.initrd.start);
      chosenProps["linux,initrd-end"] = cells64(chosen.initrd.end);
    }
    if (chosen.rngSeed) chosenProps["rng-seed"] = chosen.rngSeed;
    return {
      name: "",
      props: { "#address-cells": 2, "#size-cells": 2, compatible: "riscv-virtio", model: "riscv-virtio,qemu" },
      children: [
        { name: "chosen", props: chosenProps },
        ...rootExtra,
        { name: `memory@${VIRT.dram.base.toString(16)}`, props: { device_type: "memory", reg: fdtReg(VIRT.dram.base, ramBytes) } },
        { name: "cpus", props: { "#address-cells": 1, "#size-cells": 0, "timebase-frequency": TIMEBASE_HZ }, children: cpus },
        {
          name: "soc",
          props: { "#address-cells": 2, "#size-cells": 2, compatible: "simple-bus", ranges: true },
          children: soc,
        },
      ],
    };
  }
}
