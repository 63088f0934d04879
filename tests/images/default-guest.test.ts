// The default guest as the package carries it: `npm run build` unpacks Image.gz and
// initramfs.cpio.gz next to themselves (scripts/unpack-default-guest.mjs), the loader
// (host-ts/assets.ts) boots the unpacked pair when it is there and the right size, the .gz
// otherwise, and either way the guest is the same guest, down to the digests snapshots
// name it by.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { readDefaultGuestFrom, type DefaultGuest } from "../../host-ts/assets.js";
import { unpackDefaultGuest } from "../../scripts/unpack-default-guest.mjs";

const SOURCE = join(__dirname, "..", "..", "images", "default");
const PACKED = ["manifest.json", "Image.gz", "initramfs.cpio.gz"];
const manifest = JSON.parse(readFileSync(join(SOURCE, "manifest.json"), "utf8"));
const dirs: string[] = [];

/** A directory holding a copy of the default guest's .gz and manifest. */
function packedCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "hartvm-guest-"));
  dirs.push(dir);
  for (const f of PACKED) copyFileSync(join(SOURCE, f), join(dir, f));
  return dir;
}

const load = (dir: string) => readDefaultGuestFrom(pathToFileURL(`${dir}/`));

/** What a machine boots from a loaded guest, and what names it in snapshots. */
async function contents(g: DefaultGuest) {
  const hash = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
  const { bytes, ...kernel } = g.kernel as unknown as { bytes: Uint8Array; kind: string };
  return { kernel: { ...kernel, bytes: hash(bytes) }, initrd: hash(g.initrd), cmdline: g.cmdline, digests: await g.sha256() };
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("unpacking the default guest (build step)", () => {
  it("writes the .gz's contents next to them, as the manifest describes them", () => {
    const dir = packedCopy();
    unpackDefaultGuest(dir);
    expect(readFileSync(join(dir, "Image")).equals(gunzipSync(readFileSync(join(dir, "Image.gz"))))).toBe(true);
    expect(readFileSync(join(dir, "initramfs.cpio")).length).toBe(manifest.artefacts["initramfs.cpio.gz"].uncompressed_size);
  });

  it("refuses a .gz that does not unpack to what the manifest says, and writes nothing", () => {
    const dir = packedCopy();
    const changed = structuredClone(manifest);
    changed.artefacts["Image.gz"].uncompressed_sha256 = "0".repeat(64);
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(changed));
    expect(() => unpackDefaultGuest(dir)).toThrow(/Image\.gz unpacks to 4129792 bytes with SHA-256 [0-9a-f]{64}; manifest\.json says 4129792 bytes, 0{64}/);
    expect(existsSync(join(dir, "Image"))).toBe(false);
    expect(existsSync(join(dir, "Image.tmp"))).toBe(false);
  });
});

describe("loading the default guest", () => {
  it("boots the same guest from the unpacked files as from the .gz, named by the .gz's digests", async () => {
    const packed = await contents(await load(packedCopy()));
    const dir = packedCopy();
    unpackDefaultGuest(dir);
    const unpacked = await contents(await load(dir));
    expect(unpacked).toEqual(packed);
    expect(packed.digests).toEqual({ kernel: manifest.artefacts["Image.gz"].sha256, initrd: manifest.artefacts["initramfs.cpio.gz"].sha256 });
    expect(packed.kernel.kind).toBe("image");
  });

  it("falls back to the .gz when an unpacked file is missing or not the manifest's size", async () => {
    const packed = await contents(await load(packedCopy()));
    const missing = packedCopy();
    unpackDefaultGuest(missing);
    rmSync(join(missing, "initramfs.cpio"));
    expect(await contents(await load(missing))).toEqual(packed);
    const truncated = packedCopy();
    unpackDefaultGuest(truncated);
    writeFileSync(join(truncated, "Image"), readFileSync(join(truncated, "Image")).subarray(0, 4096));
    expect(await contents(await load(truncated))).toEqual(packed);
  });

  it("names unpacked files that are not the manifest's by their own digest, so no snapshot takes them for the default guest", async () => {
    const dir = packedCopy();
    unpackDefaultGuest(dir);
    const initrd = readFileSync(join(dir, "initramfs.cpio"));
    initrd[initrd.length - 1] ^= 1; // same size, other bytes
    writeFileSync(join(dir, "initramfs.cpio"), initrd);
    const digests = await (await load(dir)).sha256();
    expect(digests.kernel).toBe(manifest.artefacts["Image.gz"].sha256);
    expect(digests.initrd).toMatch(/^[0-9a-f]{64}$/);
    expect(digests.initrd).not.toBe(manifest.artefacts["initramfs.cpio.gz"].sha256);
  });
});
