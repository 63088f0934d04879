// The in-memory backend on its own: limits, accounting, link counts, and the directory
// cookies readdir hands out.
import { describe, expect, it } from "vitest";
import { O_RDONLY, O_RDWR, O_WRONLY, type FsDirEntry } from "../../devices/fs/backend.js";
import { ENOSPC, FsError } from "../../devices/fs/errno.js";
import { MemoryFs } from "../../devices/fs/memory-backend.js";
import { CHUNK, DirTable } from "../../devices/fs/memory-nodes.js";

const enc = new TextEncoder();
const n = (s: string) => enc.encode(s);
const owner = { uid: 0, gid: 0 };

function errno(fn: () => unknown): number {
  try {
    fn();
    return 0;
  } catch (e) {
    if (e instanceof FsError) return e.errno;
    throw e;
  }
}

function list(fs: MemoryFs, path: string[]): string[] {
  const f = fs.open(path.map(n), O_RDONLY);
  const out: string[] = [];
  f.readdir(0, (e: FsDirEntry) => {
    out.push(new TextDecoder().decode(e.name));
    return true;
  });
  f.close();
  return out;
}

describe("MemoryFs", () => {
  it("writes what fits and then fails with ENOSPC, and gives space back on unlink", () => {
    const fs = new MemoryFs({ capacity: 4 * CHUNK });
    const f = fs.create([], n("a"), O_RDWR, 0o644, owner);
    expect(f.write(0, new Uint8Array(3 * CHUNK))).toBe(3 * CHUNK);
    expect(f.write(3 * CHUNK, new Uint8Array(2 * CHUNK))).toBe(CHUNK); // a short write
    expect(errno(() => f.write(4 * CHUNK, new Uint8Array(10)))).toBe(ENOSPC);
    expect(f.write(100, Uint8Array.of(1, 2, 3))).toBe(3); // rewriting allocated space is fine
    expect(fs.usedBytes).toBe(4 * CHUNK);
    expect(fs.statfs([]).bfree).toBe(0);
    fs.remove([], n("a"), false);
    expect(fs.usedBytes).toBe(4 * CHUNK); // still open
    f.close();
    expect(fs.usedBytes).toBe(0);
  });

  it("keeps holes free: a sparse file costs only what was written, rounded to a power of two", () => {
    const fs = new MemoryFs({ capacity: 2 * CHUNK });
    const f = fs.create([], n("sparse"), O_RDWR, 0o644, owner);
    f.write(2 ** 40, Uint8Array.of(9));
    expect(f.stat().size).toBe(2 ** 40 + 1);
    expect(fs.usedBytes).toBe(64);
    f.write(2 ** 40 + 1000, Uint8Array.of(8)); // the chunk grows to 1024 bytes
    expect(fs.usedBytes).toBe(1024);
    const b = new Uint8Array(8);
    expect(f.read(2 ** 40 - 4, b)).toBe(8);
    expect([...b]).toEqual([0, 0, 0, 0, 9, 0, 0, 0]);
    expect(f.read(2 ** 40 + 998, b)).toBe(3);
    expect([...b.subarray(0, 3)]).toEqual([0, 0, 8]);
    f.setattr({ size: 10 });
    expect(fs.usedBytes).toBe(0);
  });

  it("refuses files larger than its maximum with EFBIG", () => {
    const fs = new MemoryFs();
    const f = fs.create([], n("f"), O_RDWR, 0o644, owner);
    expect(errno(() => f.setattr({ size: 2 ** 47 }))).toBe(27);
    expect(errno(() => f.write(2 ** 47, Uint8Array.of(1)))).toBe(27);
  });

  it("charges small files about their size, so many fit", () => {
    const fs = new MemoryFs({ capacity: 1024 * 1024 });
    for (let i = 0; i < 4000; i++) {
      const f = fs.create([], n(`small${i}`), O_WRONLY, 0o644, owner);
      f.write(0, n(`file number ${i}`));
      f.close();
    }
    expect(fs.usedBytes).toBe(4000 * 64);
    expect(new TextDecoder().decode(fs.readFile("small3999"))).toBe("file number 3999");
  });

  it("limits inodes", () => {
    const fs = new MemoryFs({ maxInodes: 3 }); // the root is one
    fs.mkdir([], n("a"), 0o755, owner);
    fs.symlink([], n("b"), n("a"), owner);
    expect(errno(() => fs.mkdir([], n("c"), 0o755, owner))).toBe(ENOSPC);
    fs.remove([], n("b"), false);
    fs.mkdir([], n("c"), 0o755, owner);
    expect(fs.statfs([]).ffree).toBe(0);
  });

  it("counts directory links as Linux does", () => {
    const fs = new MemoryFs();
    fs.mkdir([], n("a"), 0o755, owner);
    fs.mkdir([], n("b"), 0o755, owner);
    fs.mkdir([n("a")], n("sub"), 0o755, owner);
    expect(fs.stat([]).nlink).toBe(4);
    expect(fs.stat([n("a")]).nlink).toBe(3);
    fs.rename([n("a")], n("sub"), [n("b")], n("sub"));
    expect(fs.stat([n("a")]).nlink).toBe(2);
    expect(fs.stat([n("b")]).nlink).toBe(3);
    fs.mkdir([], n("empty"), 0o755, owner);
    fs.rename([n("b")], n("sub"), [], n("empty")); // replaces an empty directory
    expect(fs.stat([n("b")]).nlink).toBe(2);
    expect(fs.stat([]).nlink).toBe(5); // a, b, empty (now sub) + . and ..
    expect(list(fs, [])).toEqual([".", "..", "a", "b", "empty"]);
    const f = fs.open([n("empty")], O_RDONLY);
    const up: FsDirEntry[] = [];
    f.readdir(1, (e) => (up.push(e), false));
    expect(up[0].ino).toBe(fs.stat([]).ino); // '..' is the parent after the move
    f.close();
    expect(errno(() => fs.open([n("a")], O_WRONLY))).toBe(21);
  });

  it("fills parents when populated from the host", () => {
    const fs = new MemoryFs({ readonly: true });
    fs.writeFile("x/y/z.txt", "hi");
    fs.symlinkAt("x/link", "y/z.txt");
    expect(new TextDecoder().decode(fs.readFile("x/y/z.txt"))).toBe("hi");
    expect(list(fs, ["x"])).toEqual([".", "..", "y", "link"]);
    expect(errno(() => fs.mkdir([], n("no"), 0o755, owner))).toBe(30);
  });
});

describe("DirTable cookies", () => {
  it("name the same position while entries come and go, through compactions", () => {
    const t = new DirTable<number>();
    for (let i = 0; i < 500; i++) t.set(`e${i}`, i);
    const firstTen = [...t.after(2)].slice(0, 10);
    const resumeAt = firstTen[9].cookie;
    for (let i = 0; i < 400; i += 2) t.delete(`e${i}`); // enough to compact
    t.set("late", 1000);
    t.set("e11", 11); // re-added: moves to the end with a new cookie
    const rest = [...t.after(resumeAt)].map((e) => e.key);
    expect(rest[0]).toBe("e13");
    expect(rest).not.toContain("e10");
    expect(rest.filter((k) => k === "e11").length).toBe(1);
    expect(rest.slice(-2)).toEqual(["late", "e11"]);
    expect(t.size).toBe(301); // 500 - 200 removed + 1 new (e11 was replaced, not added)
  });
});
