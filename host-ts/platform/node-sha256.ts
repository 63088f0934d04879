// node:crypto's SHA-256 (Node, and Deno's node:crypto): loaded by sha256.ts, never in browsers.
import { createHash } from "node:crypto";

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
