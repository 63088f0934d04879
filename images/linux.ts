// What a kernel file is, tried in QEMU 7.2's order (hw/riscv/boot.c riscv_load_kernel):
// an ELF, then a uImage, then a raw binary. Between the last two hartvm recognises the
// Linux RISC-V `Image` header, also gzip-compressed (QEMU would load an Image.gz as raw
// bytes and not boot it): an Image is placed exactly where a raw binary goes, so for
// anything QEMU boots the result is the same.
import { ImageError, isElf, parseElf, type ElfImage } from "./elf.js";
import { gunzip, isGzip } from "./gzip.js";
import { isUImage, parseUImageKernel, type UImageKernel } from "./uimage.js";

export { gunzip, isGzip } from "./gzip.js";

export type Kernel =
  | { kind: "elf"; elf: ElfImage }
  | UImageKernel
  | { kind: "image"; bytes: Uint8Array; textOffset: number; imageSize: number }
  | { kind: "raw"; bytes: Uint8Array };

const RISCV_MAGIC2 = 0x05435352; // "RSC\x05"
const RISCV_MAGIC = 0x5643534952n; // "RISCV\0\0\0"
const IMAGE_HEADER_BYTES = 64;

/** Whether `bytes` start with a Linux RISC-V Image header (either magic). */
export function isLinuxImage(bytes: Uint8Array): boolean {
  if (bytes.length < IMAGE_HEADER_BYTES) return false;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return dv.getUint32(56, true) === RISCV_MAGIC2 || dv.getBigUint64(48, true) === RISCV_MAGIC;
}

/** A Linux Image (isLinuxImage is true): its text offset and the size it occupies with its bss. */
export function parseImageHeader(bytes: Uint8Array, name: string): Kernel {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const textOffset = Number(dv.getBigUint64(8, true));
  const imageSize = Number(dv.getBigUint64(16, true));
  if (imageSize !== 0 && bytes.length > imageSize) throw new ImageError(`${name}: Image header size ${imageSize} is smaller than the file`);
  return { kind: "image", bytes, textOffset: textOffset || 0x20_0000, imageSize: imageSize || bytes.length };
}

/** Recognises the kernel's format (gunzipping an Image.gz or a compressed uImage). */
export async function parseKernel(raw: Uint8Array, name: string): Promise<Kernel> {
  if (raw.length === 0) throw new ImageError(`kernel '${name}' is empty`);
  if (isElf(raw)) return { kind: "elf", elf: parseElf(raw, name) };
  if (isUImage(raw)) return parseUImageKernel(raw, name);
  if (isGzip(raw)) {
    // gzip's magic is no instruction a program could start with: this is an Image.gz (or an ELF.gz).
    const bytes = await gunzip(raw, name);
    if (isElf(bytes)) return { kind: "elf", elf: parseElf(bytes, name) };
    if (isLinuxImage(bytes)) return parseImageHeader(bytes, name);
    throw new ImageError(`${name}: gzip data that holds neither a Linux Image nor an ELF`);
  }
  if (isLinuxImage(raw)) return parseImageHeader(raw, name);
  return { kind: "raw", bytes: raw };
}
