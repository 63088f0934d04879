// Node's gunzip for boot images (host-ts/platform/node-inflate.ts) sizes its output steps
// from the gzip trailer. The trailer only sizes the steps: several members and a limit
// below the announced size still give the exact bytes or the limit's error, and a trailer
// that lies is corrupt data (zlib checks it), never a giant allocation.
import { describe, it, expect } from "vitest";
import { gzipSync } from "node:zlib";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { inflate } from "../../host-ts/platform/node-inflate.js";
import { InflateLimit } from "../../images/gzip.js";

function data(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; out[i] = (x >>> 24) & (i % 7 === 0 ? 0xff : 0x0f); }
  return out;
}

/** `gz` with its trailer's ISIZE set to `isize`. */
function withIsize(gz: Uint8Array, isize: number): Uint8Array {
  const copy = gz.slice();
  new DataView(copy.buffer).setUint32(copy.length - 4, isize >>> 0, true);
  return copy;
}

describe("Node's inflater for boot images", () => {
  const plain = data(3 << 20);
  const gz = new Uint8Array(gzipSync(plain));

  it("gives the exact bytes, and rejects a trailer that under- or overstates the size as corrupt", async () => {
    const out = await inflate(gz, 1 << 30);
    expect(out.length).toBe(plain.length);
    expect(Buffer.compare(out, plain)).toBe(0);
    for (const isize of [100, 0, plain.length * 3, 0xffff_ffff]) {
      const e = await inflate(withIsize(gz, isize), 1 << 30).then(() => null, (x: Error) => x);
      expect(e, `ISIZE ${isize}`).toBeInstanceOf(Error);
      expect(e, `ISIZE ${isize}`).not.toBeInstanceOf(InflateLimit);
      expect(e!.message, `ISIZE ${isize}`).toMatch(/length/);
    }
  });

  it("reads every member of a multi-member file", async () => {
    const second = data(70_000).map((b) => b ^ 0x55);
    const tail = gzipSync(second);
    const both = new Uint8Array(gz.length + tail.length);
    both.set(gz);
    both.set(tail, gz.length);
    const out = await inflate(both, 1 << 30);
    expect(out.length).toBe(plain.length + second.length);
    expect(Buffer.compare(out.subarray(0, plain.length), plain)).toBe(0);
    expect(Buffer.compare(out.subarray(plain.length), second)).toBe(0);
  });

  it("stops at the limit whatever the trailer says", async () => {
    await expect(inflate(gz, 1 << 20)).rejects.toBeInstanceOf(InflateLimit);
    await expect(inflate(withIsize(gz, 1000), 1 << 20)).rejects.toBeInstanceOf(InflateLimit);
    await expect(inflate(withIsize(gz, 0xffff_ffff), 1 << 20)).rejects.toBeInstanceOf(InflateLimit);
  });

  it("behaves the same under Deno, which boots through it too (node:zlib)", () => {
    const deno = join(__dirname, "..", "..", "node_modules", ".bin", "deno");
    const r = spawnSync(deno, ["run", "--quiet", "--sloppy-imports", `--allow-read=${join(__dirname, "..", "..")}`, join(__dirname, "deno-inflate.ts")], {
      encoding: "utf8", timeout: 60_000, env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split("\n").pop()!)).toEqual({ exact: true, limit: "InflateLimit", corrupt: "error" });
  }, 70_000);
});
