// Shared by the fidelity tests: the probe's files, uImages made to order, and a machine run
// in-process through the public API with its console output collected.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { createMachine, type MachineConfig } from "../../host-ts/api.js";

export const ROOT = join(__dirname, "..", "..");
export const BIN = join(__dirname, "bin");
export const OPENSBI_DIR = "/usr/lib/riscv64-linux-gnu/opensbi/generic";
export const FW_JUMP = join(OPENSBI_DIR, "fw_jump.bin");
export const FW_DYNAMIC = join(OPENSBI_DIR, "fw_dynamic.bin");
export const UBOOT_SMODE = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin";
export const UBOOT_MMODE = "/usr/lib/u-boot/qemu-riscv64/u-boot.bin";

export const bin = (name: string): Uint8Array => new Uint8Array(readFileSync(join(BIN, name)));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  return c >>> 0;
});

/** CRC-32 (IEEE), as U-Boot's image header stores it. */
export function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

export interface UImageOptions {
  load: number;
  entry: number;
  /** 2 kernel (default), 3 ramdisk, 14 kernel_noload, ... */
  type?: number;
  /** 0 none (default), 1 gzip (the payload is compressed here), 3 lzma (payload left as is), ... */
  comp?: number;
  /** Store a wrong header CRC. */
  badHeaderCrc?: boolean;
  /** Claim this many payload bytes instead of the real count. */
  size?: number;
}

/** A legacy U-Boot image around `payload` (what `mkimage -A riscv -O linux` writes). */
export function uimage(payload: Uint8Array, o: UImageOptions): Uint8Array {
  const data = o.comp === 1 ? new Uint8Array(gzipSync(payload)) : payload;
  const out = new Uint8Array(64 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0x27051956);
  dv.setUint32(12, o.size ?? data.length);
  dv.setUint32(16, o.load);
  dv.setUint32(20, o.entry);
  dv.setUint32(24, crc32(data));
  out.set([5 /* linux */, 26 /* riscv */, o.type ?? 2, o.comp ?? 0], 28);
  out.set(new TextEncoder().encode("hartvm test"), 32);
  dv.setUint32(4, crc32(out.subarray(0, 64)) ^ (o.badHeaderCrc ? 0xdeadbeef : 0));
  out.set(data, 64);
  return out;
}

export interface Run { status: number; reason: string; output: string }

/**
 * HARTVM_REFERENCE=qemu runs the same machines on qemu-system-riscv64 instead (a reference
 * check by hand, never in CI: QEMU is not a dependency).
 */
export const ON_QEMU = process.env.HARTVM_REFERENCE === "qemu";

/**
 * Runs a machine to its exit (or `timeoutMs` of running time) and returns what its console
 * printed; `input` is written to the console at once, as a pipe would deliver it.
 */
export async function run(config: MachineConfig, timeoutMs = 10_000, input?: string): Promise<Run> {
  if (ON_QEMU) return runOnQemu(config, timeoutMs, input);
  const vm = await createMachine({ memory: "256M", timeoutMs, ...config });
  let output = "";
  const decoder = new TextDecoder();
  vm.on("output", (b) => { output += decoder.decode(b, { stream: true }); });
  vm.start();
  if (input !== undefined) vm.console.write(input);
  const exit = await vm.exited;
  return { status: exit.status, reason: exit.reason, output };
}

/** The probe's own lines (firmware banners left out). */
export const probeLines = (output: string): string[] => output.split(/\r?\n/).filter((l) => l.startsWith("probe: "));

/** The same machine on QEMU 7.2's virt (kernel, initrd and firmware written to temporary files). */
async function runOnQemu(config: MachineConfig, timeoutMs: number, input?: string): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "hartvm-qemu-"));
  const file = (name: string, v: unknown): string => {
    if (typeof v === "string") return v;
    const path = join(dir, name);
    writeFileSync(path, v as Uint8Array);
    return path;
  };
  const args = ["-M", "virt", "-m", String(config.memory ?? "256M"), "-smp", String(config.harts ?? 1), "-nographic", "-monitor", "none", "-serial", "stdio"];
  args.push("-bios", config.bios === "builtin" || config.bios === undefined ? "default" : file("bios", config.bios));
  if (config.kernel !== undefined) args.push("-kernel", file("kernel", config.kernel));
  if (config.initrd !== undefined) args.push("-initrd", file("initrd", config.initrd));
  if (config.append) args.push("-append", config.append);
  try {
    const r = spawnSync("qemu-system-riscv64", args, { input: input ?? "", timeout: timeoutMs + 2000, encoding: "latin1" });
    const timedOut = r.signal !== null || (r.error as NodeJS.ErrnoException | undefined)?.code === "ETIMEDOUT"; // QEMU exits 0 on SIGTERM
    return { status: timedOut ? 124 : (r.status ?? 1), reason: timedOut ? "timeout" : r.status === 0 ? "poweroff" : "fail", output: r.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
