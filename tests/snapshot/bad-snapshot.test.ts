// Damaged, truncated or foreign snapshots: one clear error (HartvmError "invalid-snapshot",
// one line) and never a crash, whatever part of the file is hurt.
import { describe, it, expect, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMachine, restoreMachine, HartvmError } from "../../host-ts/api.js";
import { sha256 } from "../../host-ts/platform/sha256.js";

const ROOT = join(__dirname, "..", "..");
const PROG = join(ROOT, "tests", "programs", "bin", "rv64i.elf");
let good: Uint8Array;

beforeAll(async () => {
  // A small machine: a bare-metal program paused mid-run, with a disk in memory.
  const vm = await createMachine({ kernel: PROG, bios: "none", memory: "16M", drives: [new Uint8Array(64 * 1024).fill(7)] });
  good = await vm.snapshot();
  await vm.stop();
});

async function refusal(bytes: Uint8Array): Promise<HartvmError> {
  try {
    const vm = await restoreMachine(bytes);
    await vm.stop();
  } catch (e) {
    expect(e).toBeInstanceOf(HartvmError);
    expect((e as HartvmError).code).toBe("invalid-snapshot");
    expect((e as Error).message).not.toContain("\n");
    return e as HartvmError;
  }
  throw new Error("the snapshot was accepted");
}

function header(bytes: Uint8Array): { json: Record<string, unknown>; length: number } {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  return { json: JSON.parse(new TextDecoder().decode(bytes.subarray(48, 48 + length))), length };
}

/** The snapshot with its header replaced (and re-hashed), as a foreign but well-formed file. */
async function withHeader(bytes: Uint8Array, edit: (h: Record<string, unknown>) => void): Promise<Uint8Array> {
  const { json, length } = header(bytes);
  edit(json);
  const text = new TextEncoder().encode(JSON.stringify(json));
  const out = new Uint8Array(48 + text.length + bytes.length - 48 - length);
  out.set(bytes.subarray(0, 16));
  new DataView(out.buffer).setUint32(12, text.length, true);
  const digest = await sha256(text);
  out.set(Uint8Array.from({ length: 32 }, (_, i) => parseInt(digest.slice(2 * i, 2 * i + 2), 16)), 16);
  out.set(text, 48);
  out.set(bytes.subarray(48 + length), 48 + text.length);
  return out;
}

describe("bad snapshots", () => {
  it("the good one restores", async () => {
    const vm = await restoreMachine(good);
    vm.start();
    expect((await vm.exited).reason).toBe("htif");
  });

  it("truncated anywhere", async () => {
    for (const n of [0, 7, 47, 48, 100, Math.floor(good.length / 2), good.length - 1]) {
      expect((await refusal(good.slice(0, n))).message).toMatch(/truncated|bad magic|not a hartvm snapshot|header/);
    }
  });

  it("wrong magic, another format version, extra bytes", async () => {
    const magic = good.slice();
    magic[0] ^= 0xff;
    expect((await refusal(magic)).message).toMatch(/not a hartvm snapshot \(bad magic\)/);
    const version = good.slice();
    new DataView(version.buffer).setUint32(8, 2, true);
    expect((await refusal(version)).message).toMatch(/format version 2; this hartvm reads version 1/);
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    expect((await refusal(longer)).message).toMatch(/3 bytes follow the last section/);
  });

  it("a bit flip in the header or in any section names what is hurt", async () => {
    const flip = (at: number) => { const b = good.slice(); b[at] ^= 0x10; return b; };
    expect((await refusal(flip(60))).message).toMatch(/the header is corrupt/);
    const { json, length } = header(good);
    let at = 48 + length;
    const sections = json.sections as { name: string; length: number }[];
    expect(sections.map((s) => s.name)).toEqual(expect.arrayContaining(["core", "vm", "ram", "image.kernel", "disk.0"]));
    for (const s of sections) {
      for (const offset of [0, s.length >> 1, s.length - 1]) {
        expect((await refusal(flip(at + offset))).message).toBe(`snapshot: section '${s.name}' is corrupt (SHA-256 mismatch)`);
      }
      at += s.length;
    }
  });

  it("another core build or board, and a well-formed header that lies", async () => {
    expect((await refusal(await withHeader(good, (h) => { h.coreBuild = "0".repeat(64); }))).message).toMatch(/made by another core build/);
    expect((await refusal(await withHeader(good, (h) => { h.board = "sifive-u"; }))).message).toMatch(/made for another board \(sifive-u\)/);
    expect((await refusal(await withHeader(good, (h) => { (h.machine as { ramBytes: number }).ramBytes = 12345; }))).message).toMatch(/machine settings/);
    expect((await refusal(await withHeader(good, (h) => { (h.sections as { length: number }[])[0].length += 1; }))).message).toMatch(/corrupt|truncated|follow/);
    expect((await refusal(await withHeader(good, (h) => { delete h.images; }))).message).toMatch(/lists no images/);
  });

  it("the CLI says it in one line and exits 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "hartvm-badsnap-"));
    const file = join(dir, "bad.snap");
    writeFileSync(file, good.slice(0, 1000));
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "hartvm.js"), "--restore", file], { encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^hartvm: snapshot: truncated/);
  });
});
