// U-Boot's legacy image ("uImage"): a 64-byte big-endian header, then the payload. Read
// as QEMU 7.2's load_uimage and load_ramdisk read it (hw/core/loader.c): the magic, the
// image type, the compression (none or gzip, gunzipped to at most 64 MiB), the size, the
// load address and the entry point. Like QEMU, neither CRC is checked and the OS and
// architecture bytes are not looked at.
//
// Where QEMU prints why a kernel uImage is unusable and then loads the whole file as a raw
// binary (whose first word is the magic, not an instruction), hartvm stops with that
// reason instead. A ramdisk that is not a RAMDISK uImage is loaded as it is, as QEMU does.
import { ImageError } from "./elf.js";
import { gunzip } from "./gzip.js";

export const UIMAGE_MAGIC = 0x27051956;
export const UIMAGE_HEADER_BYTES = 64;
export const IH_TYPE_KERNEL = 2;
export const IH_TYPE_RAMDISK = 3;
export const IH_TYPE_KERNEL_NOLOAD = 14;
export const IH_COMP_NONE = 0;
export const IH_COMP_GZIP = 1;
/** QEMU's UBOOT_MAX_GUNZIP_BYTES: U-Boot's usual limit, so a larger image fails on real boards too. */
export const UIMAGE_MAX_GUNZIP_BYTES = 64 * 2 ** 20;

const COMPRESSION_NAMES = ["none", "gzip", "bzip2", "lzma", "lzo", "lz4", "zstd"];

export interface UImageHeader {
  headerCrc: number;
  time: number;
  /** Payload bytes after the header. */
  size: number;
  load: number;
  entry: number;
  dataCrc: number;
  os: number;
  arch: number;
  type: number;
  comp: number;
  name: string;
}

/** A kernel uImage, its payload decompressed. */
export interface UImageKernel {
  kind: "uimage";
  load: number;
  entry: number;
  data: Uint8Array;
}

export function isUImage(bytes: Uint8Array): boolean {
  return bytes.length >= UIMAGE_HEADER_BYTES && view(bytes).getUint32(0, false) === UIMAGE_MAGIC;
}

export function parseUImageHeader(bytes: Uint8Array): UImageHeader {
  const dv = view(bytes);
  const nameBytes = bytes.subarray(32, 64);
  const end = nameBytes.indexOf(0);
  return {
    headerCrc: dv.getUint32(4, false),
    time: dv.getUint32(8, false),
    size: dv.getUint32(12, false),
    load: dv.getUint32(16, false),
    entry: dv.getUint32(20, false),
    dataCrc: dv.getUint32(24, false),
    os: bytes[28],
    arch: bytes[29],
    type: bytes[30],
    comp: bytes[31],
    name: new TextDecoder().decode(end >= 0 ? nameBytes.subarray(0, end) : nameBytes),
  };
}

/** A kernel uImage (isUImage is true): payload, load address and entry, or an ImageError saying why not. */
export async function parseUImageKernel(bytes: Uint8Array, name: string): Promise<UImageKernel> {
  const h = parseUImageHeader(bytes);
  if (h.type === IH_TYPE_KERNEL_NOLOAD) {
    throw new ImageError(`${name}: a kernel_noload uImage cannot be placed on this machine (QEMU's virt refuses it too)`);
  }
  if (h.type !== IH_TYPE_KERNEL) throw new ImageError(`${name}: a uImage of type ${h.type}, not a kernel (type ${IH_TYPE_KERNEL})`);
  if (h.comp !== IH_COMP_NONE && h.comp !== IH_COMP_GZIP) {
    const what = COMPRESSION_NAMES[h.comp] ?? `type ${h.comp}`;
    throw new ImageError(`${name}: a uImage compressed with ${what}; only uncompressed and gzip uImages load`);
  }
  const payload = payloadOf(bytes, h);
  if (!payload) throw new ImageError(`${name}: truncated uImage (the header says ${h.size} bytes of data, the file has ${bytes.length - UIMAGE_HEADER_BYTES})`);
  const data = h.comp === IH_COMP_GZIP ? await gunzip(payload, name, UIMAGE_MAX_GUNZIP_BYTES, "the 64 MiB a uImage may hold") : payload;
  return { kind: "uimage", load: h.load, entry: h.entry, data };
}

/** The payload of a RAMDISK uImage, as it is (not decompressed: QEMU leaves that to the kernel); null when `bytes` is not one. */
export function uimageRamdisk(bytes: Uint8Array): Uint8Array | null {
  if (!isUImage(bytes)) return null;
  const h = parseUImageHeader(bytes);
  return h.type === IH_TYPE_RAMDISK ? payloadOf(bytes, h) : null;
}

function payloadOf(bytes: Uint8Array, h: UImageHeader): Uint8Array | null {
  const end = UIMAGE_HEADER_BYTES + h.size;
  return end <= bytes.length ? bytes.subarray(UIMAGE_HEADER_BYTES, end) : null;
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
