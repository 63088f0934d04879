import { afterAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openFileBlockBackend } from "../../host-ts/platform/node-block.js";
import { VirtioBlk, VIRTIO_BLK_F_RO } from "../../devices/virtio/blk.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hartvm-blk-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function image(name: string, bytes: Uint8Array): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

describe("openFileBlockBackend", () => {
  it("reads and writes the file; writes are in the file after flush() and close()", () => {
    const p = image("rw.img", Uint8Array.from({ length: 4096 }, (_, i) => i & 0xff));
    const b = openFileBlockBackend(p, { readonly: false });
    expect(b.size).toBe(4096);
    expect(b.readonly).toBe(false);
    const dst = new Uint8Array(16);
    b.read(512, dst);
    expect(Array.from(dst)).toEqual(Array.from({ length: 16 }, (_, i) => i & 0xff));
    b.write(1024, new Uint8Array(512).fill(0xab));
    b.flush();
    expect(fs.readFileSync(p).subarray(1024, 1536).every((x) => x === 0xab)).toBe(true);
    b.write(0, new Uint8Array([1, 2, 3]));
    b.close();
    expect(Array.from(fs.readFileSync(p).subarray(0, 3))).toEqual([1, 2, 3]);
    b.close(); // idempotent
    expect(() => b.read(0, dst)).toThrow(/used after close/);
  });

  it("opens read-only: writes throw, and virtio-blk offers VIRTIO_BLK_F_RO", () => {
    const p = image("ro.img", new Uint8Array(1024).fill(7));
    const b = openFileBlockBackend(p, { readonly: true });
    expect(() => b.write(0, new Uint8Array(1))).toThrow(/read-only/);
    expect(new VirtioBlk({ backend: b }).features & VIRTIO_BLK_F_RO).toBe(VIRTIO_BLK_F_RO);
    b.flush();
    b.close();
    expect(fs.readFileSync(p).every((x) => x === 7)).toBe(true);
  });

  it("refuses accesses outside the file", () => {
    const b = openFileBlockBackend(image("small.img", new Uint8Array(512)));
    expect(() => b.read(256, new Uint8Array(512))).toThrow(RangeError);
    expect(() => b.write(-1, new Uint8Array(1))).toThrow(RangeError);
    b.close();
  });

  it("throws a clear Error for a missing file", () => {
    const missing = path.join(dir, "nope.img");
    expect(() => openFileBlockBackend(missing)).toThrow(`cannot open disk image ${missing}: no such file`);
    expect(() => openFileBlockBackend(dir)).toThrow(/cannot open disk image .*: is a directory/);
  });
});
