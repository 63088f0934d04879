// Build step: the default guest's Image.gz and initramfs.cpio.gz, unpacked next to them
// (images/default/Image and initramfs.cpio), which the package ships and Node and Deno
// boot (host-ts/assets.ts): inflating the kernel was 35-55 ms of every default-guest
// createMachine(), and npm's tarball compresses the unpacked files about as well as the
// .gz are. Each output is checked against manifest.json's uncompressed size and SHA-256.
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

/** The unpacked name of each artefact in manifest.json. */
export const UNPACKED = { "Image.gz": "Image", "initramfs.cpio.gz": "initramfs.cpio" };

/** Unpacks the artefacts of the guest in `dir`; throws, writing nothing more, when one does not match its manifest. */
export function unpackDefaultGuest(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  for (const [packed, unpacked] of Object.entries(UNPACKED)) {
    const expected = manifest.artefacts?.[packed];
    if (!expected?.uncompressed_sha256 || !expected.uncompressed_size) throw new Error(`${dir}/manifest.json: no uncompressed size and SHA-256 for ${packed}`);
    const bytes = gunzipSync(readFileSync(join(dir, packed)));
    const digest = createHash("sha256").update(bytes).digest("hex");
    if (bytes.length !== expected.uncompressed_size || digest !== expected.uncompressed_sha256) {
      throw new Error(`${dir}/${packed} unpacks to ${bytes.length} bytes with SHA-256 ${digest}; manifest.json says ${expected.uncompressed_size} bytes, ${expected.uncompressed_sha256}`);
    }
    // Whole or not at all: a reader never sees a half-written file under the final name.
    const out = join(dir, unpacked);
    writeFileSync(`${out}.tmp`, bytes);
    renameSync(`${out}.tmp`, out);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  unpackDefaultGuest(process.argv[2] ?? join(fileURLToPath(new URL("..", import.meta.url)), "images", "default"));
}
