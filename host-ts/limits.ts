// Every limit of the machine, checked here and nowhere else. The CLI and the API both call
// these, so a user gets the same one-line message whichever way the value arrived.
import { HartvmError } from "./errors.js";

export const MiB = 2 ** 20;
export const GiB = 2 ** 30;

export const LIMITS = {
  /** Harts per machine (core-as/layout.ts MAX_HARTS; a test checks they agree). */
  maxHarts: 8,
  /** RAM lives in a wasm32 memory with the core's state below it. */
  maxRamBytes: 2 * GiB,
  /** virtio-mmio slots on the virt board; the entropy source always takes one. */
  virtioSlots: 8,
  /**
   * The longest kernel command line: RISC-V Linux copies /chosen/bootargs into a buffer of
   * COMMAND_LINE_SIZE (1024, NUL included; arch/riscv/include/uapi/asm/setup.h) and drops
   * the rest silently, so a longer line is a mistake worth stopping.
   */
  maxCommandLine: 1023,
} as const;

const limit = (message: string) => new HartvmError("limit", message);
const invalid = (message: string) => new HartvmError("invalid-config", message);

export function checkHarts(harts: unknown): number {
  if (typeof harts !== "number" || !Number.isInteger(harts)) throw invalid(`harts (--smp) must be a whole number, got ${String(harts)}`);
  if (harts < 1 || harts > LIMITS.maxHarts) throw limit(`harts (--smp) must be between 1 and ${LIMITS.maxHarts}, got ${harts}`);
  return harts;
}

/** "256M", "1G", "65536K", "134217728B", 268435456 (bytes) → bytes. A bare number in a string is MiB, as QEMU's -m. */
export function parseMemorySize(size: string | number): number {
  let bytes: number;
  if (typeof size === "number") {
    bytes = size;
  } else {
    const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(i?B)?$/i.exec(String(size).trim());
    if (!m) throw invalid(`invalid memory size '${size}' (use e.g. 256M or 1G)`);
    const unit = m[2].toUpperCase();
    const scale = unit === "" ? (m[3] ? 1 : MiB) : unit === "K" ? 2 ** 10 : unit === "M" ? MiB : unit === "G" ? GiB : 2 ** 40;
    bytes = Math.floor(Number(m[1]) * scale);
  }
  return checkRamBytes(bytes, String(size));
}

export function checkRamBytes(bytes: number, shown: string = `${bytes} bytes`): number {
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw invalid(`memory size must be greater than zero, got '${shown}'`);
  if (bytes % 4096 !== 0) throw invalid(`memory size must be a multiple of 4 KiB, got '${shown}'`);
  if (bytes > LIMITS.maxRamBytes) throw limit(`memory size ${shown} is above the ${LIMITS.maxRamBytes / GiB} GiB limit`);
  return bytes;
}

/** The virtio devices a configuration asks for, beside the entropy source that every machine has. */
export function checkVirtioDevices(counts: { disks: number; shares?: number; consoles?: number }): void {
  const free = LIMITS.virtioSlots - 1;
  const used = counts.disks + (counts.shares ?? 0) + (counts.consoles ?? 0);
  if (used <= free) return;
  if (!counts.shares && !counts.consoles) throw limit(`at most ${free} disks (--drive), got ${counts.disks}`);
  throw limit(`at most ${free} virtio devices (disks, shares and consoles together), got ${used}`);
}

export function checkCommandLine(append: string): string {
  const bytes = new TextEncoder().encode(append).length;
  if (append.includes("\0")) throw invalid("the kernel command line (--append) contains a NUL character");
  if (bytes > LIMITS.maxCommandLine) {
    throw limit(`the kernel command line (--append) is ${bytes} bytes; RISC-V Linux keeps at most ${LIMITS.maxCommandLine}`);
  }
  return append;
}

/** Visits before a block is compiled: true/undefined = the default, false/0 = interpret only. */
export function checkJit(jit: unknown, defaultThreshold: number): number {
  if (jit === undefined || jit === true) return defaultThreshold;
  if (jit === false) return 0;
  if (typeof jit !== "number" || !Number.isInteger(jit) || jit < 0 || jit > 1e9) {
    throw invalid(`jit (--jit) takes on, off or a number of visits from 0 to 1000000000, got ${String(jit)}`);
  }
  return jit;
}

/** 268435456 → "256 MiB", for messages. */
export function describeBytes(n: number): string {
  if (n >= GiB && n % GiB === 0) return `${n / GiB} GiB`;
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  return `${n} bytes`;
}
