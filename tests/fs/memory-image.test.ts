// A memory share saved as bytes and loaded again: the same tree, inode numbers, contents,
// links and readdir cookies; a damaged image is refused with a reason.
import { describe, expect, it } from "vitest";
import { MemoryFs } from "../../devices/fs/memory-backend.js";
import { loadMemoryImage, saveMemoryImage } from "../../devices/fs/memory-image.js";
import { O, P9Client, S } from "../devices/9p-client.js";

const enc = new TextEncoder();

function populate(): { fs: MemoryFs; c: P9Client } {
  const fs = new MemoryFs({ now: () => 1_700_000_000_123 });
  const c = new P9Client({ backend: fs, tag: "m" });
  c.mount();
  c.walk(0, 1, []);
  c.mkdir(1, "dir", 0o750);
  c.walkTo(2, "dir");
  for (let i = 0; i < 40; i++) {
    c.walk(2, 3, []);
    c.lcreate(3, `f${i}`, O.WRONLY, 0o600 + (i % 8), 100 + i);
    c.write(3, 0, enc.encode(`content ${i}`));
    c.clunk(3);
  }
  for (let i = 0; i < 40; i += 3) c.unlinkat(2, `f${i}`); // gaps in the cookies
  c.walk(0, 4, []);
  c.lcreate(4, "sparse", O.RDWR, 0o644);
  c.write(4, 5 * 1024 * 1024, enc.encode("tail"));
  c.write(4, 0, new Uint8Array(70000)); // an all-zero chunk: a hole after saving
  c.clunk(4);
  c.symlink(0, "link", "dir/f1");
  c.walkTo(5, "dir/f1");
  c.link(0, 5, "hard");
  c.mknod(0, "pipe", S.IFIFO | 0o640);
  c.walkTo(6, "dir");
  c.mkdir(6, "sub");
  return { fs, c };
}

function describeTree(c: P9Client, path = "", fid = 100): string[] {
  const out: string[] = [];
  c.walk(0, fid, path.split("/").filter(Boolean));
  c.lopen(fid, O.RDONLY | O.DIRECTORY);
  for (const e of c.readdirAll(fid)) {
    out.push(`${path}/${e.name} cookie=${e.offset} qid=${e.qid.path} type=${e.type}`);
    if (e.name === "." || e.name === "..") continue;
    const p = `${path}/${e.name}`;
    c.walkTo(fid + 1, p);
    const a = c.getattr(fid + 1);
    out.push(`  mode=${a.mode.toString(8)} uid=${a.uid} gid=${a.gid} nlink=${a.nlink} size=${a.size} mtime=${a.mtime} v=${a.qid.version}`);
    if (e.type === 4) out.push(...describeTree(c, p, fid + 2));
    else if (e.type === 10) out.push(`  -> ${c.readlink(fid + 1)}`);
    else if (e.type === 8) out.push(`  sha=${Buffer.from(c.readFile(p, fid + 3)).toString("base64").slice(0, 40)}`);
    c.clunk(fid + 1);
  }
  c.clunk(fid);
  return out;
}

describe("memory share images", () => {
  it("restore the same tree, inode numbers, contents, links and readdir cookies", () => {
    const { fs, c } = populate();
    const before = describeTree(c);
    // A listing in progress: the cookie after a few entries of dir.
    c.walkTo(50, "dir");
    c.lopen(50, O.RDONLY | O.DIRECTORY);
    const first = c.readdir(50, 0, 200);
    const rest = c.readdirAll(50).map((e) => e.name).slice(first.length);
    const image = saveMemoryImage(fs);
    expect(image.length).toBeLessThan(8 * 1024); // holes, zero chunks and trailing zeros stay out
    const fs2 = loadMemoryImage(image, { now: () => 1_700_000_000_123 });
    const c2 = new P9Client({ backend: fs2, tag: "m" });
    c2.mount();
    expect(describeTree(c2)).toEqual(before);
    c2.walkTo(50, "dir");
    c2.lopen(50, O.RDONLY | O.DIRECTORY);
    const cont: string[] = [];
    let off = first[first.length - 1].offset;
    for (;;) {
      const b = c2.readdir(50, off, 4096);
      if (!b.length) break;
      cont.push(...b.map((e) => e.name));
      off = b[b.length - 1].offset;
    }
    expect(cont).toEqual(rest);
    expect(fs2.usedBytes).toBeLessThan(fs.usedBytes); // the zeros written became a hole
    // The restored tree keeps working: new inodes do not reuse old numbers.
    c2.walk(0, 60, []);
    const q = c2.lcreate(60, "new", O.WRONLY, 0o644);
    expect(before.some((l) => l.includes(`qid=${q.qid.path} `))).toBe(false);
    expect(saveMemoryImage(loadMemoryImage(image))).toEqual(image);
  });

  it("refuses damaged images with a reason, and images over the limits", () => {
    const { fs } = populate();
    const image = saveMemoryImage(fs);
    expect(() => loadMemoryImage(image.subarray(0, image.length - 1))).toThrow(/bad memory file-system image/);
    const longer = new Uint8Array(image.length + 1);
    longer.set(image);
    expect(() => loadMemoryImage(longer)).toThrow(/trailing bytes/);
    const magic = image.slice();
    magic[0] ^= 1;
    expect(() => loadMemoryImage(magic)).toThrow(/not a memory file-system image/);
    expect(() => loadMemoryImage(image, { capacity: 1024 })).toThrow(/more than 1024/);
    expect(() => loadMemoryImage(image, { maxInodes: 10 })).toThrow(/inodes/);
    // Random damage: always a clean refusal or a loadable tree, never another kind of failure.
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    for (let i = 0; i < 300; i++) {
      const bad = image.slice();
      for (let k = 0; k < 1 + rand(4); k++) bad[8 + rand(Math.min(bad.length - 8, 4000))] = rand(256);
      try {
        const t = loadMemoryImage(bad);
        saveMemoryImage(t);
      } catch (e) {
        expect(String(e)).toMatch(/bad memory file-system image|more than/);
      }
    }
  });
});
