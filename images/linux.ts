// Kernel image formats: Linux RISC-V `Image` (header with text_offset/image_size/magic),
// gzip-compressed Image, and ELF.
import { ImageError, isElf, parseElf, type ElfImage } from "./elf.js";

export type Kernel =
  | { kind: "image"; bytes: Uint8Array; textOffset: number; imageSize: number }
  | { kind: "elf"; elf: ElfImage };

const RISCV_MAGIC2 = 0x05435352; // "RSC\x05"
const RISCV_MAGIC = 0x5643534952n; // "RISCV\0\0\0"

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzips with the platform's DecompressionStream (Node 18+, Deno, browsers). */
export async function gunzip(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  try {
    const stream = new DecompressionStream("gzip");
    const writer = stream.writable.getWriter();
    writer.write(new Uint8Array(bytes)).catch(() => {});
    writer.close().catch(() => {});
    // Reading chunks directly is several times faster on a cold start than Response.arrayBuffer().
    const reader = stream.readable.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
    const out = new Uint8Array(total);
    let offset = 0;
    for (const c of chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  } catch (e) {
    throw new ImageError(`${name}: corrupt gzip data (${(e as Error).message})`);
  }
}

export function parseImageHeader(bytes: Uint8Array, name: string): Kernel {
  if (bytes.length < 64) throw new ImageError(`${name}: truncated kernel image (no Linux Image header)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic2 = dv.getUint32(56, true);
  const magic = dv.getBigUint64(48, true);
  if (magic2 !== RISCV_MAGIC2 && magic !== RISCV_MAGIC) {
    throw new ImageError(`${name}: not a RISC-V Linux Image, Image.gz or ELF (no Image magic)`);
  }
  const textOffset = Number(dv.getBigUint64(8, true));
  const imageSize = Number(dv.getBigUint64(16, true));
  if (imageSize !== 0 && bytes.length > imageSize) throw new ImageError(`${name}: Image header size ${imageSize} is smaller than the file`);
  return { kind: "image", bytes, textOffset: textOffset || 0x20_0000, imageSize: imageSize || bytes.length };
}

/** Recognises the kernel's format (gunzipping when needed). */
export async function parseKernel(raw: Uint8Array, name: string): Promise<Kernel> {
  const bytes = isGzip(raw) ? await gunzip(raw, name) : raw;
  if (isElf(bytes)) return { kind: "elf", elf: parseElf(bytes, name) };
  return parseImageHeader(bytes, name);
}
