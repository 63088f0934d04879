// gzip through the platform's DecompressionStream (Node 18+, Deno, browsers): no Node
// module, and the output is bounded so a small file cannot claim gigabytes of memory.
import { ImageError } from "./elf.js";

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * A runtime's own whole-buffer gunzip, faster than DecompressionStream's chunk-by-chunk
 * promises (Node: host-ts/platform/node-inflate.ts). It fails with InflateLimit past
 * `maxBytes` of output and with any other error on corrupt data.
 */
export type Inflater = (bytes: Uint8Array, maxBytes: number) => Promise<Uint8Array>;
export class InflateLimit extends Error {}

let inflater: Inflater | null = null;

/** Installs the runtime's inflater for every gunzip from now on. */
export function useInflater(f: Inflater): void {
  inflater = f;
}

/**
 * Gunzips `bytes`; more than `maxBytes` of output is an error naming `limitWhat` (the
 * stream is cancelled there, so the limit is also what it costs).
 */
export async function gunzip(bytes: Uint8Array, name: string, maxBytes = Infinity, limitWhat = "the limit"): Promise<Uint8Array> {
  if (inflater) {
    try {
      return await inflater(bytes, maxBytes);
    } catch (e) {
      if (e instanceof InflateLimit) throw new ImageError(`${name}: decompresses to more than ${limitWhat} (${maxBytes} bytes)`);
      throw new ImageError(`${name}: corrupt gzip data (${(e as Error).message})`);
    }
  }
  const stream = new DecompressionStream("gzip");
  const writer = stream.writable.getWriter();
  writer.write(new Uint8Array(bytes)).catch(() => {});
  writer.close().catch(() => {});
  // Reading chunks directly is several times faster on a cold start than Response.arrayBuffer().
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        reader.cancel().catch(() => {});
        throw new ImageError(`${name}: decompresses to more than ${limitWhat} (${maxBytes} bytes)`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof ImageError) throw e;
    throw new ImageError(`${name}: corrupt gzip data (${(e as Error).message})`);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
