// The one interface every memory-mapped device implements (DESIGN.md §9).
// Offsets are relative to the device's window; accesses are 1, 2 or 4 bytes
// (the core splits 8-byte MMIO into two 4-byte accesses, low half first).
import { cells64, type FdtNode } from "../images/fdt.js";

export type DeviceState = Record<string, unknown>;

export interface Device {
  /** Short name used in log lines, e.g. "uart0". */
  readonly name: string;
  read(offset: number, size: 1 | 2 | 4): number;
  write(offset: number, size: 1 | 2 | 4, value: number): void;
  reset(): void;
  /** Plain, JSON-serialisable state (no typed arrays of guest RAM). */
  saveState(): DeviceState;
  loadState(state: DeviceState): void;
  /** The device's node for the flattened device tree. */
  fdtNode(ctx: FdtContext): FdtNode;
  /** Nodes the device needs at the root of the tree (syscon's poweroff and reboot). */
  rootNodes?(ctx: FdtContext): FdtNode[];
}

/** What the board tells a device when it emits its DT node. */
export interface FdtContext {
  base: number;
  size: number;
  /** PLIC source number, if the device has one. */
  irq?: number;
  /** phandle of the interrupt controller (the PLIC). */
  plicPhandle: number;
  /**
   * phandle the board assigns to this node, for nodes other nodes refer to
   * (sifive_test: the `regmap` of the poweroff/reboot nodes). The PLIC uses plicPhandle.
   */
  phandle?: number;
  /** phandles of each hart's `riscv,cpu-intc` node, hart 0 first (needed by the PLIC). */
  cpuIntcPhandles?: number[];
}

/** An interrupt line into the PLIC: level-triggered, as on QEMU virt. */
export type IrqLine = (level: boolean) => void;

/** Guest physical RAM as seen by DMA-capable devices. Every access is bounds-checked. */
export interface GuestRam {
  readonly base: number; // guest physical address of the first byte (0x8000_0000)
  readonly size: number; // bytes
  /** A view of [pa, pa+len) or null when any part lies outside RAM. */
  view(pa: number, len: number): Uint8Array | null;
}

/** A device's logger: one line per event the user should know about. */
export type Log = (message: string) => void;

/** GuestRam over a plain Uint8Array (tests, loaders, anything that owns its bytes). */
export class ArrayGuestRam implements GuestRam {
  readonly size: number;
  constructor(
    readonly bytes: Uint8Array,
    readonly base: number = 0x8000_0000,
  ) {
    this.size = bytes.length;
  }
  view(pa: number, len: number): Uint8Array | null {
    return boundedView(this.bytes, this.base, pa, len);
  }
}

/**
 * The bounds check every GuestRam implementation needs: a view of [pa, pa+len) of `bytes`
 * (which holds guest RAM starting at guest physical `base`), or null when any part of the
 * range is outside, or pa/len are not non-negative safe integers.
 */
export function boundedView(bytes: Uint8Array, base: number, pa: number, len: number): Uint8Array | null {
  if (!Number.isSafeInteger(pa) || !Number.isSafeInteger(len) || len < 0) return null;
  const off = pa - base;
  if (off < 0 || off > bytes.length || len > bytes.length - off) return null;
  return bytes.subarray(off, off + len);
}

/** `reg` for #address-cells = #size-cells = 2. */
export function fdtReg(base: number, size: number): number[] {
  return [...cells64(base), ...cells64(size)];
}

/** Node unit-address form used by QEMU: lower-case hex, no leading zeros. */
export function fdtName(prefix: string, base: number): string {
  return `${prefix}@${base.toString(16)}`;
}

/** The PLIC source a device's DT node must name; a clear error when the board forgot it. */
export function requireIrq(ctx: FdtContext, who: string): number {
  if (ctx.irq === undefined) throw new Error(`${who}: FdtContext.irq is required`);
  return ctx.irq;
}

/** Read a state field with a type check, for loadState implementations. */
export function stateNumber(state: DeviceState, key: string): number {
  const v = state[key];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`bad device state: ${key} is not a number`);
  return v;
}

export function stateBool(state: DeviceState, key: string): boolean {
  const v = state[key];
  if (typeof v !== "boolean") throw new Error(`bad device state: ${key} is not a boolean`);
  return v;
}

export function stateNumbers(state: DeviceState, key: string, length?: number): number[] {
  const v = state[key];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "number" && Number.isFinite(x)) || (length !== undefined && v.length !== length)) {
    throw new Error(`bad device state: ${key} is not a number array${length !== undefined ? ` of length ${length}` : ""}`);
  }
  return v.slice() as number[];
}

export function stateString(state: DeviceState, key: string): string {
  const v = state[key];
  if (typeof v !== "string") throw new Error(`bad device state: ${key} is not a string`);
  return v;
}
