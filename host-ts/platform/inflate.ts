// The runtime's fastest gunzip for boot images (images/gzip.ts uses DecompressionStream
// everywhere else). Loaded on demand, so browsers never import node-inflate.ts.
import { runtime } from "./runtime.js";
import { useInflater } from "../../images/gzip.js";

let installed: Promise<void> | null = null;

/**
 * Installs Node's zlib for every gunzip from now on, in Node and in Deno (its node:zlib);
 * once. Browsers keep DecompressionStream.
 */
export function installFastInflate(): Promise<void> {
  installed ??= runtime !== "browser" ? import("./node-inflate.js").then((m) => useInflater(m.inflate), () => {}) : Promise.resolve();
  return installed;
}
