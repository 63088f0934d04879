// QEMU's riscv64 `virt` board as one table (DESIGN.md §3). A device is one row: where it
// sits, its interrupt, the access sizes it takes and how to build it; the same rows route
// MMIO and produce the device tree, so adding a device is one row and one file.
import type { Device, DeviceState, FdtContext, GuestRam, IrqLine, Log } from "../devices/device.js";
import { fdtReg } from "../devices/device.js";
import { Uart16550 } from "../devices/uart16550.js";
import { Plic } from "../devices/plic.js";
import { Syscon } from "../devices/syscon.js";
import { GoldfishRtc } from "../devices/goldfish-rtc.js";
import { VirtioMmio, type VirtioDeviceModel } from "../devices/virtio/mmio.js";
import type { FdtNode } from "../images/fdt.js";
import type { MmioHandler } from "./core.js";

export const ISA_STRING = "rv64imafdc_zicntr_zicsr_zifencei_sstc";
/** Names this board in snapshots: one made for another board (or table) is refused. */
export const BOARD_ID = "riscv-virt-1";
export const VIRTIO_SLOTS = 8;

/** What the machine gives the board's devices. */
export interface BoardHost {
  harts: number;
  ram: GuestRam;
  /** A PLIC context output changed: ctx 2h is hart h's M-mode line, 2h+1 its S-mode line. */
  setExternalInterrupt(ctx: number, level: boolean): void;
  /** A byte the UART transmitted. */
  console(byte: number): void;
  /** The next console input byte for a guest that polls the UART, or -1. */
  consoleInput?(): number;
  onPowerOff(): void;
  onReset(): void;
  onFail(code: number): void;
  /** The wall clock the RTC shows (ns since the Unix epoch), and its one-shot alarm. */
  wallClockNs(): bigint;
  scheduleAlarm(atNs: bigint | null, callback: () => void): void;
  /** The virtio device models, in slot order (the first at 0x1000_1000). */
  virtio: readonly VirtioDeviceModel[];
  /** virtio-mmio in the legacy (version 1) layout, QEMU's force-legacy=true. */
  virtioLegacy?: boolean;
  log: Log;
}

export interface BoardRow {
  name: string;
  base: number;
  size: number;
  /** PLIC source number. */
  irq?: number;
  /** Access sizes the device takes; others read as 0 and are not written. */
  access: { min: 1 | 2 | 4; max: 1 | 2 | 4 };
  /** The device the host serves; absent for devices that live inside the core. */
  create?(host: BoardHost, irq: IrqLine): Device;
  /** The device-tree node of a device inside the core. */
  fdtNode?(ctx: FdtContext, harts: number): FdtNode;
}

/** QEMU 7.2 hw/riscv/virt.c: addresses and interrupts. */
export const VIRT_BOARD: readonly BoardRow[] = [
  {
    name: "test", base: 0x0010_0000, size: 0x1000, access: { min: 1, max: 4 },
    create: (h) => new Syscon({ onPowerOff: h.onPowerOff, onReset: h.onReset, onFail: h.onFail }),
  },
  {
    name: "rtc", base: 0x0010_1000, size: 0x1000, irq: 11, access: { min: 4, max: 4 },
    create: (h, irq) => new GoldfishRtc({ irq, now: h.wallClockNs, schedule: h.scheduleAlarm }),
  },
  { name: "clint", base: 0x0200_0000, size: 0x1_0000, access: { min: 4, max: 4 }, fdtNode: clintNode },
  {
    name: "plic", base: 0x0c00_0000, size: 0x60_0000, access: { min: 4, max: 4 },
    create: (h) => new Plic({ harts: h.harts, setContextLine: h.setExternalInterrupt }),
  },
  {
    name: "uart0", base: 0x1000_0000, size: 0x100, irq: 10, access: { min: 1, max: 4 },
    create: (h, irq) => new Uart16550({ irq, transmit: h.console, pollInput: h.consoleInput }),
  },
  ...Array.from({ length: VIRTIO_SLOTS }, (_, n): BoardRow => ({
    name: `virtio${n}`, base: 0x1000_1000 + n * 0x1000, size: 0x1000, irq: 1 + n, access: { min: 1, max: 4 },
    create: (h, irq) => new VirtioMmio({ ram: h.ram, irq, device: h.virtio[n] ?? null, log: h.log, name: `virtio${n}`, legacy: h.virtioLegacy }),
  })),
];

function clintNode(ctx: FdtContext, harts: number): FdtNode {
  const intc = ctx.cpuIntcPhandles!;
  return {
    name: `clint@${ctx.base.toString(16)}`,
    props: {
      "interrupts-extended": Array.from({ length: harts }, (_, h) => [intc[h], 3, intc[h], 7]).flat(),
      reg: fdtReg(ctx.base, ctx.size),
      compatible: ["sifive,clint0", "riscv,clint0"],
    },
  };
}

interface Placed { row: BoardRow; device: Device }

/** The devices of one machine, built from VIRT_BOARD. */
export class VirtBoard implements MmioHandler {
  readonly harts: number;
  readonly placed: readonly Placed[];
  private readonly rows: readonly BoardRow[];
  private readonly byName = new Map<string, Device>();
  private last: Placed | null = null;

  constructor(host: BoardHost, rows: readonly BoardRow[] = VIRT_BOARD) {
    this.harts = host.harts;
    let plic: Plic | null = null;
    // Lines are bound when they first move, so rows may precede the PLIC in the table.
    const line = (source: number): IrqLine => (level) => plic!.setLevel(source, level);
    const placed: Placed[] = [];
    for (const row of rows) {
      if (!row.create) continue;
      const device = row.create(host, row.irq !== undefined ? line(row.irq) : () => {});
      if (device instanceof Plic) plic = device;
      placed.push({ row, device });
      this.byName.set(row.name, device);
    }
    if (!plic) throw new Error("board: the table has no PLIC");
    this.placed = placed;
    this.rows = rows;
  }

  device<T extends Device>(name: string): T {
    const d = this.byName.get(name);
    if (!d) throw new Error(`board: no device ${name}`);
    return d as T;
  }

  get uart(): Uart16550 { return this.device("uart0"); }
  get virtio(): VirtioMmio[] { return this.placed.filter((p) => p.device instanceof VirtioMmio).map((p) => p.device as VirtioMmio); }

  /** The windows the core forwards to read()/write(); devices inside the core are not among them. */
  mmioRegions(): { base: number; size: number }[] {
    return this.placed.map(({ row }) => ({ base: row.base, size: row.size }));
  }

  private find(addr: number): Placed | null {
    const l = this.last;
    if (l && addr >= l.row.base && addr < l.row.base + l.row.size) return l;
    for (const p of this.placed) if (addr >= p.row.base && addr < p.row.base + p.row.size) return (this.last = p);
    return null;
  }

  read(addr: number, size: number): number {
    const p = this.find(addr);
    if (!p || size < p.row.access.min || size > p.row.access.max) return 0;
    return p.device.read(addr - p.row.base, size as 1 | 2 | 4) >>> 0;
  }

  write(addr: number, size: number, value: number): void {
    const p = this.find(addr);
    if (!p || size < p.row.access.min || size > p.row.access.max) return;
    p.device.write(addr - p.row.base, size as 1 | 2 | 4, value);
  }

  reset(): void {
    for (const p of this.placed) p.device.reset();
  }

  /** Every device's state, by row name (plain data). */
  saveState(): Record<string, DeviceState> {
    return Object.fromEntries(this.placed.map((p) => [p.row.name, p.device.saveState()]));
  }

  loadState(state: Record<string, DeviceState>): void {
    for (const p of this.placed) {
      const s = state[p.row.name];
      if (typeof s !== "object" || s === null) throw new Error(`device state for ${p.row.name} is missing`);
      p.device.loadState(s);
    }
  }

  /** The DT nodes of every row, in table order (the soc node's children) and those that go at the root. */
  deviceNodes(ctx: { plicPhandle: number; cpuIntcPhandles: number[]; phandleOf: (name: string) => number }): { soc: FdtNode[]; root: FdtNode[] } {
    const soc: FdtNode[] = [];
    const root: FdtNode[] = [];
    for (const row of this.rows) {
      const c: FdtContext = {
        base: row.base, size: row.size, irq: row.irq, plicPhandle: ctx.plicPhandle,
        phandle: ctx.phandleOf(row.name), cpuIntcPhandles: ctx.cpuIntcPhandles,
      };
      if (row.fdtNode) { soc.push(row.fdtNode(c, this.harts)); continue; }
      const device = this.byName.get(row.name);
      if (!device) continue;
      soc.push(device.fdtNode(c));
      if (device.rootNodes) root.push(...device.rootNodes(c));
    }
    return { soc, root };
  }
}
