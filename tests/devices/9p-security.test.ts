// Nothing the guest sends reaches outside the shared directory: not '..', not symlinks
// that were there, not symlinks it makes, not its own renames, not a host process
// swapping a directory or file for a symlink between the server's check and its use.
// Each scenario runs against a share next to an "outside" tree whose every byte, mode,
// time and link count must be unchanged afterwards, and nothing may appear beside them.
import * as fsMod from "node:fs";
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { syncBuiltinESMExports } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openHostFsBackend, type HostFsBackend } from "../../host-ts/platform/host-fs-backend.js";
import { errnoOf, O, P9Client, S, SETATTR } from "./9p-client.js";

const { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, renameSync, rmSync, readdirSync, lstatSync, readFileSync, readlinkSync } = fsMod;
const E = { ENOENT: 2, EEXIST: 17, ENOTDIR: 20, EINVAL: 22, ELOOP: 40, EOPNOTSUPP: 95, ENXIO: 6, EPERM: 1, ESTALE: 116 };

interface Scene {
  base: string;
  share: string;
  outside: string;
  backend: HostFsBackend;
  c: P9Client;
  before: string;
}

/** Every entry under dir (not following links): name, type, mode, size, mtime, nlink, content hash. */
function snapshot(dir: string): string {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      let what = `${rel}${name} mode=${st.mode.toString(8)} nlink=${st.nlink} mtime=${st.mtimeMs} uid=${st.uid}`;
      if (st.isFile()) what += ` sha=${createHash("sha256").update(readFileSync(p)).digest("hex")}`;
      if (st.isSymbolicLink()) what += ` -> ${readlinkSync(p)}`;
      out.push(what);
      if (st.isDirectory()) walk(p, `${rel}${name}/`);
    }
  };
  walk(dir, "");
  return out.join("\n");
}

const scenes: Scene[] = [];

function scene(resolution: "auto" | "checked-paths"): Scene {
  const base = mkdtempSync(join(tmpdir(), "hartvm-9p-sec-"));
  const outside = join(base, "outside");
  const share = join(base, "share");
  mkdirSync(join(outside, "dir", "c"), { recursive: true });
  writeFileSync(join(outside, "secret.txt"), "the host's secret");
  writeFileSync(join(outside, "dir", "c", "file"), "outside c/file");
  mkdirSync(join(share, "d"), { recursive: true });
  mkdirSync(join(share, "a", "b", "c"), { recursive: true });
  writeFileSync(join(share, "a", "b", "c", "file"), "inside c/file");
  writeFileSync(join(share, "d", "file"), "inside d/file");
  symlinkSync(outside, join(share, "abs"));
  symlinkSync(join(outside, "secret.txt"), join(share, "absfile"));
  symlinkSync("../outside", join(share, "rel"));
  symlinkSync("../outside/secret.txt", join(share, "relfile"));
  symlinkSync("..", join(share, "dotdot"));
  const backend = openHostFsBackend(share, { resolution });
  const c = new P9Client({ backend, tag: "sec" });
  c.mount();
  const s = { base, share, outside, backend, c, before: snapshot(outside) };
  scenes.push(s);
  return s;
}

afterEach(() => {
  for (const s of scenes.splice(0)) {
    s.backend.close();
    rmSync(s.base, { recursive: true, force: true });
  }
});

function untouched(s: Scene): void {
  expect(snapshot(s.outside)).toBe(s.before);
  expect(readdirSync(s.base).sort()).toEqual(["outside", "share"]);
  expect(s.c.d.logs).toEqual([]);
}

/** Replace fs.<name> for the backend (it imports node:fs as a namespace) until restored. */
function hook<K extends "openSync" | "lstatSync">(name: K, wrap: (orig: (typeof fsMod)[K]) => (typeof fsMod)[K]): () => void {
  const def = (fsMod as unknown as { default: typeof fsMod }).default;
  const orig = def[name];
  (def as Record<string, unknown>)[name] = wrap(orig);
  syncBuiltinESMExports();
  return () => {
    (def as Record<string, unknown>)[name] = orig;
    syncBuiltinESMExports();
  };
}

for (const resolution of ["auto", "checked-paths"] as const) {
  describe(`9p share confinement (${resolution} resolution)`, () => {
    it("refuses '..', '.', '/' and NUL in every name the guest sends", () => {
      const s = scene(resolution);
      const { c } = s;
      c.walk(0, 1, []);
      for (const bad of ["..", ".", "../outside", "/", "/etc", "a/../..", "x\0y"]) {
        expect(errnoOf(() => c.walk(0, 2, [bad]))).toBe(E.EINVAL);
        expect(errnoOf(() => c.walk(0, 2, ["d", bad]))).toBe(E.EINVAL);
        expect(errnoOf(() => c.lcreate(1, bad, O.WRONLY, 0o644))).toBe(E.EINVAL);
        expect(errnoOf(() => c.mkdir(1, bad))).toBe(E.EINVAL);
        expect(errnoOf(() => c.symlink(1, bad, "t"))).toBe(E.EINVAL);
        expect(errnoOf(() => c.mknod(1, bad, S.IFREG | 0o644))).toBe(E.EINVAL);
        expect(errnoOf(() => c.unlinkat(0, bad))).toBe(E.EINVAL);
        expect(errnoOf(() => c.renameat(0, "d", 0, bad))).toBe(E.EINVAL);
        expect(errnoOf(() => c.renameat(0, bad, 0, "z"))).toBe(E.EINVAL);
      }
      c.walkTo(3, "d/file");
      expect(errnoOf(() => c.link(0, 3, "../outside/hard"))).toBe(E.EINVAL);
      expect(errnoOf(() => c.rename(3, 0, "../../x"))).toBe(E.EINVAL);
      untouched(s);
    });

    it("never walks or opens through symlinks that were already in the share", () => {
      const s = scene(resolution);
      const { c } = s;
      for (const link of ["abs", "rel", "dotdot"]) {
        const qids = c.walk(0, 10, [link, "secret.txt"]); // a short walk: the link's own qid only
        expect(qids.length).toBe(1);
        expect(qids[0].type).toBe(0x02);
        expect(errnoOf(() => c.clunk(10))).toBe(9);
        c.walk(0, 11, [link]);
        expect(errnoOf(() => c.walk(11, 12, ["secret.txt"]))).toBe(E.ENOTDIR);
        expect(errnoOf(() => c.lopen(11, O.RDONLY))).toBe(E.ELOOP);
        expect(errnoOf(() => c.lopen(11, O.RDONLY | O.DIRECTORY))).toBe(E.ELOOP);
        expect(errnoOf(() => c.lcreate(11, "planted", O.WRONLY, 0o644))).toBe(E.ENOTDIR);
        expect(errnoOf(() => c.mkdir(11, "planted"))).toBe(E.ENOTDIR);
        c.clunk(11);
      }
      for (const link of ["absfile", "relfile"]) {
        c.walk(0, 20, [link]);
        expect(errnoOf(() => c.lopen(20, O.RDONLY))).toBe(E.ELOOP);
        expect(errnoOf(() => c.lopen(20, O.RDWR | O.TRUNC))).toBe(E.ELOOP);
        expect(c.getattr(20).mode & 0o170000).toBe(S.IFLNK); // the link, not its target
        expect(c.readlink(20)).toMatch(/outside\/secret\.txt$/);
        c.clunk(20);
      }
      untouched(s);
    });

    it("does not act on a symlink's target through create, setattr, link, rename or unlink", () => {
      const s = scene(resolution);
      const { c } = s;
      c.walk(0, 1, []);
      // Create over an existing link name, with and without O_EXCL, with O_TRUNC.
      expect(errnoOf(() => c.lcreate(1, "absfile", O.WRONLY | O.TRUNC, 0o644))).toBe(E.ELOOP);
      expect(errnoOf(() => c.lcreate(1, "relfile", O.WRONLY | O.CREAT | O.EXCL, 0o644))).toBe(E.EEXIST);
      expect(errnoOf(() => c.mkdir(1, "abs"))).toBe(E.EEXIST);
      expect(errnoOf(() => c.symlink(1, "abs", "x"))).toBe(E.EEXIST);
      expect(errnoOf(() => c.mknod(1, "absfile", S.IFREG | 0o644))).toBe(E.EEXIST);
      // Attributes of a link fid change the link or nothing.
      c.walkTo(2, "absfile");
      expect(errnoOf(() => c.setattr(2, { valid: SETATTR.mode, mode: 0o777 }))).toBe(E.EOPNOTSUPP);
      expect(errnoOf(() => c.setattr(2, { valid: SETATTR.size, size: 0 }))).toBe(E.EINVAL);
      c.setattr(2, { valid: SETATTR.atime | SETATTR.atimeSet | SETATTR.mtime | SETATTR.mtimeSet, atime: [1000, 0], mtime: [1000, 0] });
      expect(lstatSync(join(s.share, "absfile")).mtimeMs).toBe(1_000_000);
      const st = c.getattr(2);
      c.setattr(2, { valid: SETATTR.uid | SETATTR.gid, uid: st.uid, gid: st.gid }); // lchown: the link itself
      // A hard link to a link is a link.
      c.link(0, 2, "hard");
      expect(lstatSync(join(s.share, "hard")).isSymbolicLink()).toBe(true);
      // Rename and unlink move and remove links, never targets.
      c.renameat(0, "absfile", 0, "moved");
      expect(lstatSync(join(s.share, "moved")).isSymbolicLink()).toBe(true);
      c.unlinkat(0, "relfile");
      c.unlinkat(0, "moved");
      c.unlinkat(0, "hard");
      expect(errnoOf(() => c.unlinkat(0, "abs", 0x200))).toBe(E.ENOTDIR); // rmdir of a link to a dir
      c.unlinkat(0, "abs");
      untouched(s);
    });

    it("gives symlinks the guest creates no more power than the ones it found", () => {
      const s = scene(resolution);
      const { c } = s;
      c.walk(0, 1, []);
      c.symlink(1, "evil", join(s.outside, "secret.txt"));
      c.symlink(1, "evildir", s.outside);
      c.symlink(1, "up", "../../..");
      expect(readlinkSync(join(s.share, "evil"))).toBe(join(s.outside, "secret.txt")); // stored verbatim
      c.walkTo(2, "evil");
      expect(errnoOf(() => c.lopen(2, O.RDWR))).toBe(E.ELOOP);
      expect(errnoOf(() => c.setattr(2, { valid: SETATTR.size, size: 0 }))).toBe(E.EINVAL);
      expect(errnoOf(() => c.lcreate(1, "evil", O.WRONLY | O.TRUNC, 0o600))).toBe(E.ELOOP);
      for (const dir of ["evildir", "up"]) {
        c.walk(0, 3, [dir]);
        expect(errnoOf(() => c.lcreate(3, "planted", O.WRONLY, 0o644))).toBe(E.ENOTDIR);
        expect(errnoOf(() => c.mkdir(3, "planted"))).toBe(E.ENOTDIR);
        expect(errnoOf(() => c.symlink(3, "planted", "x"))).toBe(E.ENOTDIR);
        expect(errnoOf(() => c.renameat(0, "d", 3, "d"))).toBe(E.ENOTDIR);
        expect(errnoOf(() => c.unlinkat(3, "secret.txt"))).toBe(E.ENOTDIR);
        expect(errnoOf(() => c.walk(3, 4, ["secret.txt"]))).toBe(E.ENOTDIR);
        c.clunk(3);
      }
      untouched(s);
    });

    it("keeps fids on their files when the guest renames and plants a symlink where they were", () => {
      const s = scene(resolution);
      const { c } = s;
      c.walkTo(1, "d/file");
      c.walkTo(2, "d");
      c.renameat(0, "d", 0, "d2");
      c.symlink(0, "d", s.outside); // the old name now points outside
      c.lopen(1, O.RDWR);
      expect(new TextDecoder().decode(c.read(1, 0, 100))).toBe("inside d/file");
      c.write(1, 0, new TextEncoder().encode("INSIDE"));
      c.lcreate(2, "new", O.WRONLY, 0o644); // fid 2 followed the rename to d2
      expect(readFileSync(join(s.share, "d2", "file"), "utf8")).toBe("INSIDE d/file");
      expect(lstatSync(join(s.share, "d2", "new")).isFile()).toBe(true);
      untouched(s);
    });

    it("fails cleanly when a host process swaps a directory on a fid's path for a symlink", () => {
      const s = scene(resolution);
      const { c } = s;
      c.walkTo(1, "a/b/c/file");
      c.walkTo(2, "a/b/c");
      c.walkTo(3, "a/b");
      c.open(4, "a/b", O.RDONLY | O.DIRECTORY); // opened before the swap
      // The host moves a/b away and puts a symlink to a look-alike tree outside there.
      renameSync(join(s.share, "a", "b"), join(s.share, "a", "b.real"));
      symlinkSync(join(s.outside, "dir"), join(s.share, "a", "b"));
      expect(errnoOf(() => c.getattr(1))).toBe(E.ENOTDIR);
      expect(errnoOf(() => c.lopen(1, O.RDONLY))).toBe(E.ENOTDIR);
      expect(errnoOf(() => c.setattr(1, { valid: SETATTR.size, size: 0 }))).toBe(E.ENOTDIR);
      expect(errnoOf(() => c.lcreate(2, "planted", O.WRONLY, 0o644))).toBe(E.ENOTDIR);
      expect(errnoOf(() => c.unlinkat(2, "file"))).toBe(E.ENOTDIR);
      expect(errnoOf(() => c.walk(3, 5, ["c"]))).toBe(E.ENOTDIR);
      expect(errnoOf(() => c.lopen(3, O.RDONLY))).toBe(E.ELOOP); // a/b itself is the link now
      expect(c.getattr(3).mode & 0o170000).toBe(S.IFLNK);
      const listed = errnoOf(() => c.readdirAll(4));
      if (listed === 0) expect(c.readdirAll(4).map((e) => e.name).sort()).toEqual([".", "..", "c"]); // b.real, by descriptor
      else expect(listed).toBe(E.ENOTDIR);
      untouched(s);
    });

    it("refuses to open FIFOs and devices it finds (without blocking)", () => {
      const s = scene(resolution);
      if (spawnSync("mkfifo", [join(s.share, "fifo")]).status !== 0) return;
      const { c } = s;
      c.walkTo(1, "fifo");
      expect(errnoOf(() => c.lopen(1, O.RDONLY))).toBe(E.ENXIO);
      expect(errnoOf(() => c.lopen(1, O.WRONLY))).toBe(E.ENXIO);
      expect(errnoOf(() => c.mknod(0, "null", S.IFCHR | 0o666, 1, 3))).toBe(E.EPERM);
      expect(errnoOf(() => c.mknod(0, "disk", S.IFBLK | 0o666, 8, 0))).toBe(E.EPERM);
      untouched(s);
    });

    it("refuses a file swapped for a symlink or another file between its check and its open", () => {
      const s = scene(resolution);
      const { c } = s;
      c.walkTo(1, "d/file");
      const target = join(s.share, "d", "file");
      let swap: (() => void) | null = () => {
        renameSync(target, join(s.share, "d", "file.real"));
        symlinkSync(join(s.outside, "secret.txt"), target);
      };
      const restore = hook("lstatSync", (orig) =>
        ((p: fsMod.PathLike, o?: never) => {
          const r = orig(p, o);
          if (swap && String(p).endsWith("/file")) {
            swap();
            swap = null;
          }
          return r;
        }) as typeof orig,
      );
      try {
        expect(errnoOf(() => c.lopen(1, O.RDWR | O.TRUNC))).toBe(E.ELOOP); // O_NOFOLLOW at open
        rmSync(target);
        writeFileSync(join(s.share, "d", "other"), "other");
        swap = () => renameSync(join(s.share, "d", "other"), target);
        writeFileSync(target, "first");
        expect(errnoOf(() => c.lopen(1, O.RDONLY))).toBe(E.ESTALE); // not the file that was checked
      } finally {
        restore();
      }
      untouched(s);
    });
  });
}

describe("9p share confinement against races inside one operation (anchored resolution)", () => {
  it("does not follow a directory swapped for a symlink after it was checked, mid-walk", () => {
    const s = scene("auto");
    if (s.backend.resolution !== "anchored") return;
    const { c } = s;
    c.walkTo(1, "a/b/c");
    // Swap a/b for a symlink to the outside look-alike the moment the server has opened a.
    let armed = true;
    const restore = hook("openSync", (orig) =>
      ((p: fsMod.PathLike, flags: fsMod.OpenMode, mode?: fsMod.Mode) => {
        const fd = orig(p, flags, mode);
        if (armed && String(p).endsWith("/a")) {
          armed = false;
          renameSync(join(s.share, "a", "b"), join(s.share, "a", "b.real"));
          symlinkSync(join(s.outside, "dir"), join(s.share, "a", "b"));
        }
        return fd;
      }) as typeof orig,
    );
    try {
      expect(errnoOf(() => c.lcreate(1, "planted", O.WRONLY, 0o644))).toBe(E.ENOTDIR);
      expect(armed).toBe(false);
    } finally {
      restore();
    }
    untouched(s);
  });

  it("keeps working inside a directory that is renamed after the server opened it", () => {
    const s = scene("auto");
    if (s.backend.resolution !== "anchored") return;
    const { c } = s;
    c.walkTo(1, "a/b/c");
    // Rename a/b within the share and plant a symlink to the outside in its place, right
    // after the server has opened b: the operation lands in the real b, now b.moved.
    let armed = true;
    const restore = hook("openSync", (orig) =>
      ((p: fsMod.PathLike, flags: fsMod.OpenMode, mode?: fsMod.Mode) => {
        const fd = orig(p, flags, mode);
        if (armed && String(p).endsWith("/b")) {
          armed = false;
          renameSync(join(s.share, "a", "b"), join(s.share, "a", "b.moved"));
          symlinkSync(join(s.outside, "dir"), join(s.share, "a", "b"));
        }
        return fd;
      }) as typeof orig,
    );
    try {
      c.lcreate(1, "created", O.WRONLY, 0o644);
      expect(armed).toBe(false);
    } finally {
      restore();
    }
    expect(lstatSync(join(s.share, "a", "b.moved", "c", "created")).isFile()).toBe(true);
    untouched(s);
  });
});
