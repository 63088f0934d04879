// The file-operation tests every 9P backend must pass, driven through the virtio-9p
// device: 9p-memory.test.ts and 9p-host.test.ts run them on each backend.
import { describe, expect, it } from "vitest";
import type { FsBackend } from "../../devices/fs/backend.js";
import { bytesEqual } from "./helpers.js";
import { errnoOf, O, P9Client, S, SETATTR } from "./9p-client.js";

const E = { ENOENT: 2, EBADF: 9, EEXIST: 17, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, EFBIG: 27, ENOTEMPTY: 39, ELOOP: 40, EPERM: 1, EMLINK: 31, EOPNOTSUPP: 95, ENXIO: 6, EBUSY: 16 };
const enc = new TextEncoder();
const dec = new TextDecoder();

export interface BackendUnderTest {
  backend: FsBackend;
  /** Whether FIFOs can be created (node:fs cannot). */
  fifos: boolean;
  /** Whether chown to arbitrary ids works (not as an unprivileged host user). */
  chown: boolean;
  cleanup?: () => void;
}

function pattern(len: number, seed: number): Uint8Array {
  const b = new Uint8Array(len);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

export function fileOpsSuite(name: string, make: () => BackendUnderTest): void {
  describe(`9p file operations (${name})`, () => {
    function mount(msize = 131072) {
      const b = make();
      const c = new P9Client({ backend: b.backend, tag: "share" });
      c.mount(msize);
      return { c, b };
    }

    it("creates, writes, reads back and reports the size", () => {
      const { c, b } = mount();
      c.walk(0, 1, []);
      const { qid, iounit } = c.lcreate(1, "hello.txt", O.RDWR, S.IFREG | 0o640);
      expect(qid.type).toBe(0);
      expect(iounit).toBe(126976); // (msize - 24) rounded down to pages, as QEMU
      expect(c.write(1, 0, enc.encode("hello, world\n"))).toBe(13);
      expect(dec.decode(c.read(1, 7, 100))).toBe("world\n");
      const a = c.getattr(1);
      expect(a.size).toBe(13);
      expect(a.mode).toBe(S.IFREG | 0o640);
      expect(a.qid.path).toBe(qid.path);
      expect(a.nlink).toBe(1);
      c.clunk(1);
      expect(dec.decode(c.readFile("hello.txt"))).toBe("hello, world\n");
      expect(c.d.guardsIntact()).toBe(true);
      b.cleanup?.();
    });

    it("honours O_EXCL, O_TRUNC and O_APPEND, and access modes", () => {
      const { c, b } = mount();
      c.walk(0, 1, []);
      c.lcreate(1, "f", O.WRONLY, 0o644);
      c.write(1, 0, enc.encode("0123456789"));
      c.clunk(1);
      c.walk(0, 2, []);
      expect(errnoOf(() => c.lcreate(2, "f", O.WRONLY | O.CREAT | O.EXCL, 0o644))).toBe(E.EEXIST);
      // Without O_EXCL an existing file is opened (and O_TRUNC empties it).
      c.lcreate(2, "f", O.RDWR | O.CREAT, 0o644);
      expect(dec.decode(c.read(2, 0, 100))).toBe("0123456789");
      c.clunk(2);
      c.open(3, "f", O.WRONLY | O.APPEND);
      expect(c.write(3, 0, enc.encode("AB"))).toBe(2); // offset ignored: appended
      expect(errnoOf(() => c.read(3, 0, 10))).toBe(E.EBADF); // write-only
      c.clunk(3);
      expect(dec.decode(c.readFile("f"))).toBe("0123456789AB");
      c.open(4, "f", O.RDONLY);
      expect(errnoOf(() => c.write(4, 0, enc.encode("x")))).toBe(E.EBADF); // read-only
      expect(errnoOf(() => c.lopen(4, O.RDONLY))).toBe(E.EINVAL); // already open
      c.clunk(4);
      c.open(5, "f", O.WRONLY | O.TRUNC);
      c.clunk(5);
      expect(c.readFile("f").length).toBe(0);
      c.walkTo(6, "f");
      expect(errnoOf(() => c.read(6, 0, 10))).toBe(E.EBADF); // not open
      expect(errnoOf(() => c.lopen(6, O.RDONLY | O.DIRECTORY))).toBe(E.ENOTDIR);
      c.walk(0, 7, []);
      expect(errnoOf(() => c.lopen(7, O.WRONLY))).toBe(E.EISDIR);
      c.lopen(7, O.RDONLY | O.DIRECTORY);
      expect(errnoOf(() => c.read(7, 0, 10))).toBe(E.EISDIR);
      b.cleanup?.();
    });

    it("moves large files in msize pieces through split buffers (Linux's zero-copy layout)", () => {
      const { c, b } = mount(512 * 1024);
      expect(c.msize).toBe(512 * 1024);
      const size = 3 * 1024 * 1024 + 12345;
      const data = pattern(size, 7);
      c.walk(0, 1, []);
      const { iounit } = c.lcreate(1, "big.bin", O.RDWR, 0o644);
      const pages = Array.from({ length: 200 }, () => 4096);
      for (let off = 0; off < size; off += iounit) {
        const piece = data.subarray(off, Math.min(size, off + iounit));
        expect(c.write(1, off, piece, { reqSplit: [23, ...pages], indirect: true })).toBe(piece.length);
      }
      expect(c.getattr(1).size).toBe(size);
      const back = new Uint8Array(size);
      for (let off = 0; off < size; ) {
        const want = Math.min(iounit, size - off);
        const got = c.read(1, off, want, { replyLen: 11 + want, replySplit: [11, ...pages], indirect: true });
        expect(got.length).toBe(want);
        back.set(got, off);
        off += got.length;
      }
      expect(bytesEqual(back, data)).toBe(true);
      // A read never exceeds msize, whatever count says; past the end reads nothing.
      expect(c.read(1, 0, 0xffff_ffff, { replyLen: 600 * 1024 }).length).toBe(512 * 1024 - 11);
      expect(c.read(1, size, 4096).length).toBe(0);
      expect(c.read(1, 2n ** 60n, 4096).length).toBe(0);
      expect(c.read(1, 2 ** 53 - 10, 4096).length).toBe(0);
      expect(errnoOf(() => c.write(1, 2 ** 53 - 2, enc.encode("abc")))).toBe(E.EFBIG);
      expect(errnoOf(() => c.write(1, 2n ** 63n, enc.encode("abc")))).toBe(E.EINVAL); // negative as loff_t
      // Sparse: a write far beyond the end leaves a hole that reads as zeros.
      c.write(1, 64 * 1024 * 1024, enc.encode("end"));
      expect(c.getattr(1).size).toBe(64 * 1024 * 1024 + 3);
      expect(c.read(1, 40 * 1024 * 1024, 4096).every((x) => x === 0)).toBe(true);
      expect(c.d.guardsIntact()).toBe(true);
      b.cleanup?.();
    });

    it("lists a directory of many files exactly once, in small batches", () => {
      const { c, b } = mount();
      c.walk(0, 1, []);
      c.mkdir(1, "many");
      c.walkTo(2, "many");
      const names = new Set<string>();
      for (let i = 0; i < 1500; i++) {
        const n = `file-${i.toString().padStart(4, "0")}-${"x".repeat(i % 40)}`;
        names.add(n);
        c.walk(2, 3, []);
        c.lcreate(3, n, O.WRONLY, 0o644);
        c.clunk(3);
      }
      c.walkTo(4, "many");
      c.lopen(4, O.RDONLY | O.DIRECTORY);
      const all = c.readdirAll(4, 700);
      const seen = all.map((e) => e.name);
      expect(seen.slice(0, 2).sort()).toEqual([".", ".."]);
      expect(new Set(seen.slice(2))).toEqual(names);
      expect(seen.length).toBe(names.size + 2);
      for (const e of all.slice(2)) expect(e.type).toBe(8); // DT_REG
      expect(all[0].type).toBe(4);
      // One reply larger than 64 KiB: the same entries, fewer batches.
      const big = c.readdir(4, 0, c.msize - 24);
      expect(big.reduce((n, e) => n + 24 + e.name.length, 0)).toBeGreaterThan(64 * 1024);
      expect(big.map((e) => e.name)).toEqual(seen.slice(0, big.length));
      expect(c.readdirAll(4).map((e) => e.name)).toEqual(seen);
      b.cleanup?.();
    });

    it("keeps readdir offsets valid while the directory changes", () => {
      const { c, b } = mount();
      c.walk(0, 1, []);
      c.mkdir(1, "d");
      c.walkTo(2, "d");
      const initial: string[] = [];
      for (let i = 0; i < 300; i++) {
        initial.push(`n${i}`);
        c.walk(2, 3, []);
        c.lcreate(3, `n${i}`, O.WRONLY, 0o644);
        c.clunk(3);
      }
      c.walkTo(4, "d");
      c.lopen(4, O.RDONLY | O.DIRECTORY);
      const first = c.readdir(4, 0, 1200);
      expect(first.length).toBeGreaterThan(10);
      expect(first.length).toBeLessThan(200);
      const seenFirst = new Set(first.map((e) => e.name));
      // Change the directory: remove some listed and some unlisted names, add new ones.
      const unlisted = initial.filter((n) => !seenFirst.has(n));
      const removedLater = unlisted.slice(0, 20);
      for (const n of [...first.slice(3, 8).map((e) => e.name), ...removedLater]) c.unlinkat(2, n);
      for (let i = 0; i < 50; i++) {
        c.walk(2, 3, []);
        c.lcreate(3, `new${i}`, O.WRONLY, 0o644);
        c.clunk(3);
      }
      let off = first[first.length - 1].offset;
      const rest: string[] = [];
      for (;;) {
        const batch = c.readdir(4, off, 1200);
        if (batch.length === 0) break;
        rest.push(...batch.map((e) => e.name));
        off = batch[batch.length - 1].offset;
      }
      const listed = [...first.map((e) => e.name), ...rest];
      expect(new Set(listed).size).toBe(listed.length); // nothing twice
      const kept = unlisted.filter((n) => !removedLater.includes(n));
      for (const n of kept) expect(rest).toContain(n); // nothing untouched skipped
      for (const n of removedLater) expect(rest).not.toContain(n);
      // Starting over sees the directory as it is now.
      const now = c.readdirAll(4).map((e) => e.name);
      expect(now.length).toBe(2 + 300 - 25 + 50);
      b.cleanup?.();
    });

    it("makes and removes directories with the right errors", () => {
      const { c, b } = mount();
      c.walk(0, 1, []);
      const q = c.mkdir(1, "dir", 0o750);
      expect(q.type).toBe(0x80);
      expect(errnoOf(() => c.mkdir(1, "dir"))).toBe(E.EEXIST);
      c.walkTo(2, "dir");
      expect(c.getattr(2).mode).toBe(S.IFDIR | 0o750);
      c.walk(2, 3, []);
      c.lcreate(3, "inner", O.WRONLY, 0o644);
      c.clunk(3);
      expect(errnoOf(() => c.unlinkat(1, "dir", 0x200))).toBe(E.ENOTEMPTY);
      expect(errnoOf(() => c.unlinkat(1, "dir", 0))).toBe(E.EISDIR);
      expect(errnoOf(() => c.unlinkat(2, "inner", 0x200))).toBe(E.ENOTDIR);
      expect(errnoOf(() => c.unlinkat(1, "dir", 0x1))).toBe(E.EINVAL);
      expect(errnoOf(() => c.unlinkat(1, "nothing", 0))).toBe(E.ENOENT);
      c.unlinkat(2, "inner");
      c.unlinkat(1, "dir", 0x200);
      expect(errnoOf(() => c.walkTo(4, "dir"))).toBe(E.ENOENT);
      // A walk through a file is ENOTDIR; a partial walk returns the qids it got.
      c.walk(0, 5, []);
      c.lcreate(5, "plain", O.WRONLY, 0o644);
      expect(errnoOf(() => c.walk(0, 6, ["plain", "x"]))).toBe(0);
      expect(c.walk(0, 7, ["plain", "x"]).length).toBe(1);
      expect(errnoOf(() => c.clunk(7))).toBe(E.EBADF); // not created by a short walk
      expect(errnoOf(() => c.walk(0, 8, ["nothing", "x"]))).toBe(E.ENOENT);
      expect(errnoOf(() => c.mkdir(5, "sub"))).toBe(E.ENOTDIR); // fid 5 is the file now
      b.cleanup?.();
    });

    it("stores symlinks verbatim and never follows them", () => {
      const { c, b } = mount();
      c.walk(0, 1, []);
      const q = c.symlink(1, "abs", "/etc/passwd");
      expect(q.type).toBe(0x02);
      c.symlink(1, "rel", "../../outside");
      const qs = c.walkTo(2, "abs");
      expect(qs[0].type).toBe(0x02);
      expect(c.readlink(2)).toBe("/etc/passwd");
      const a = c.getattr(2);
      expect(a.mode & 0o170000).toBe(S.IFLNK);
      expect(a.size).toBe(11);
      expect(errnoOf(() => c.lopen(2, O.RDONLY))).toBe(E.ELOOP);
      expect(errnoOf(() => c.walk(0, 3, ["abs", "x"]))).toBe(0); // short walk: one qid, no fid
      expect(errnoOf(() => c.walk(2, 3, ["x"]))).toBe(E.ENOTDIR);
      c.walkTo(4, "rel");
      expect(c.readlink(4)).toBe("../../outside");
      expect(errnoOf(() => c.symlink(1, "empty", ""))).toBe(E.ENOENT);
      expect(errnoOf(() => c.symlink(1, "nul", "a\0b"))).toBe(E.EINVAL);
      expect(errnoOf(() => c.symlink(1, "abs", "x"))).toBe(E.EEXIST);
      c.walk(0, 5, []);
      c.lcreate(5, "file", O.WRONLY, 0o644);
      expect(errnoOf(() => c.readlink(5))).toBe(E.EINVAL);
      expect(errnoOf(() => c.setattr(2, { valid: SETATTR.mode, mode: 0o600 }))).toBe(E.EOPNOTSUPP);
      b.cleanup?.();
    });

    it("renames files and directories, and fids follow them", () => {
      const { c, b } = mount();
      c.walk(0, 1, []);
      c.mkdir(1, "a");
      c.walkTo(2, "a");
      c.walk(2, 3, []);
      c.lcreate(3, "x", O.WRONLY, 0o644);
      c.write(3, 0, enc.encode("payload"));
      c.clunk(3);
      c.walkTo(4, "a/x"); // an unopened fid below the directory
      c.renameat(1, "a", 1, "b");
      expect(errnoOf(() => c.walkTo(5, "a"))).toBe(E.ENOENT);
      expect(c.getattr(4).size).toBe(7); // fid 4 now names b/x
      c.lopen(4, O.RDONLY);
      expect(dec.decode(c.read(4, 0, 100))).toBe("payload");
      // Trename moves the file a fid names.
      c.walkTo(6, "b/x");
      c.rename(6, 1, "y");
      expect(dec.decode(c.readFile("y"))).toBe("payload");
      expect(c.getattr(6).size).toBe(7);
      // Errors as rename(2) gives them.
      c.mkdir(1, "full");
      c.walkTo(7, "full");
      c.mkdir(7, "child");
      c.mkdir(1, "empty");
      expect(errnoOf(() => c.renameat(1, "b", 7, "child"))).toBe(0); // over an empty directory
      expect(errnoOf(() => c.renameat(1, "empty", 1, "full"))).toBe(E.ENOTEMPTY);
      expect(errnoOf(() => c.renameat(1, "y", 1, "full"))).toBe(E.EISDIR);
      expect(errnoOf(() => c.renameat(1, "full", 1, "y"))).toBe(E.ENOTDIR);
      expect(errnoOf(() => c.renameat(1, "full", 7, "inside"))).toBe(E.EINVAL); // into itself
      expect(errnoOf(() => c.renameat(1, "missing", 1, "z"))).toBe(E.ENOENT);
      expect(errnoOf(() => c.rename(0, 1, "root"))).toBe(E.EBUSY);
      // Over an existing file: it is replaced.
      c.walk(0, 8, []);
      c.lcreate(8, "other", O.WRONLY, 0o644);
      c.clunk(8);
      c.renameat(1, "y", 1, "other");
      expect(dec.decode(c.readFile("other"))).toBe("payload");
      b.cleanup?.();
    });

    it("hard-links files (not directories) and keeps unlinked open files readable", () => {
      const { c, b } = mount();
      c.walk(0, 1, []);
      c.lcreate(1, "orig", O.RDWR, 0o644);
      c.write(1, 0, enc.encode("data"));
      c.walkTo(2, "orig");
      c.link(0, 2, "alias");
      expect(c.getattr(2).nlink).toBe(2);
      c.walkTo(3, "alias");
      expect(c.getattr(3).qid.path).toBe(c.getattr(2).qid.path);
      expect(errnoOf(() => c.link(0, 2, "alias"))).toBe(E.EEXIST);
      c.mkdir(0, "dir");
      c.walkTo(4, "dir");
      expect(errnoOf(() => c.link(0, 4, "dirlink"))).toBe(E.EPERM);
      c.unlinkat(0, "orig");
      c.unlinkat(0, "alias");
      expect(dec.decode(c.read(1, 0, 10))).toBe("data"); // still open
      expect(c.getattr(1).nlink).toBe(0);
      c.write(1, 4, enc.encode("+more"));
      expect(dec.decode(c.read(1, 0, 20))).toBe("data+more");
      c.clunk(1);
      b.cleanup?.();
    });

    it("changes attributes with Tsetattr", () => {
      const { c, b } = mount();
      c.walk(0, 1, []);
      c.lcreate(1, "f", O.RDWR, 0o644);
      c.write(1, 0, pattern(10000, 3));
      c.clunk(1);
      c.walkTo(2, "f");
      c.setattr(2, { valid: SETATTR.mode, mode: 0o4711 });
      expect(c.getattr(2).mode).toBe(S.IFREG | 0o4711);
      c.setattr(2, { valid: SETATTR.size | SETATTR.mtime | SETATTR.ctime, size: 100 });
      expect(c.getattr(2).size).toBe(100);
      c.setattr(2, { valid: SETATTR.size, size: 5000 });
      const grown = c.readFile("f");
      expect(grown.length).toBe(5000);
      expect(bytesEqual(grown.subarray(0, 100), pattern(10000, 3).subarray(0, 100))).toBe(true);
      expect(grown.subarray(100).every((x) => x === 0)).toBe(true);
      c.setattr(2, { valid: SETATTR.atime | SETATTR.atimeSet | SETATTR.mtime | SETATTR.mtimeSet, atime: [1577836800, 123456000], mtime: [946684800, 5000] });
      const a = c.getattr(2);
      expect(a.atime[0]).toBe(1577836800);
      expect(Math.abs(a.atime[1] - 123456000)).toBeLessThan(1000);
      expect(a.mtime[0]).toBe(946684800);
      expect(Math.abs(a.mtime[1] - 5000)).toBeLessThan(1000);
      const before = Date.now() / 1000;
      c.setattr(2, { valid: SETATTR.mtime });
      expect(c.getattr(2).mtime[0]).toBeGreaterThanOrEqual(Math.floor(before) - 1);
      expect(errnoOf(() => c.setattr(2, { valid: SETATTR.atime | SETATTR.atimeSet, atime: [0, 1_000_000_000] }))).toBe(E.EINVAL);
      expect(errnoOf(() => c.setattr(2, { valid: SETATTR.size, size: 2n ** 62n }))).toBe(E.EFBIG);
      c.walk(0, 3, []);
      expect(errnoOf(() => c.setattr(3, { valid: SETATTR.size, size: 0 }))).toBe(E.EISDIR);
      // The export root's own attributes can change too.
      c.setattr(3, { valid: SETATTR.mode, mode: 0o711 });
      expect(c.getattr(3).mode).toBe(S.IFDIR | 0o711);
      c.setattr(3, { valid: SETATTR.mode, mode: 0o755 });
      // ftruncate through an open fid works after the name is gone.
      c.open(4, "f", O.RDWR);
      c.unlinkat(0, "f");
      c.setattr(4, { valid: SETATTR.size, size: 1 });
      expect(c.getattr(4).size).toBe(1);
      b.cleanup?.();
    });

    it("changes ownership where the backend allows it", () => {
      const { c, b } = mount();
      c.walk(0, 1, []);
      c.lcreate(1, "owned", O.WRONLY, 0o644);
      const a = c.getattr(1);
      if (b.chown) {
        c.setattr(1, { valid: SETATTR.uid | SETATTR.gid, uid: 1234, gid: 5678 });
        const after = c.getattr(1);
        expect([after.uid, after.gid]).toEqual([1234, 5678]);
      } else {
        // Changing to the ids it already has always works; others need privilege.
        c.setattr(1, { valid: SETATTR.uid | SETATTR.gid, uid: a.uid, gid: a.gid });
        expect(errnoOf(() => c.setattr(1, { valid: SETATTR.uid, uid: a.uid + 1 }))).toBe(E.EPERM);
      }
      b.cleanup?.();
    });

    it("creates regular files and FIFOs with Tmknod, and refuses devices", () => {
      const { c, b } = mount();
      c.walk(0, 1, []);
      expect(errnoOf(() => c.mknod(1, "null", S.IFCHR | 0o666, 1, 3))).toBe(E.EPERM);
      expect(errnoOf(() => c.mknod(1, "sda", S.IFBLK | 0o660, 8, 0))).toBe(E.EPERM);
      const q = c.mknod(1, "plain", S.IFREG | 0o600);
      expect(q.type).toBe(0);
      c.walkTo(2, "plain");
      expect(c.getattr(2).mode).toBe(S.IFREG | 0o600);
      if (b.fifos) {
        c.mknod(1, "pipe", S.IFIFO | 0o644);
        c.walkTo(3, "pipe");
        expect(c.getattr(3).mode).toBe(S.IFIFO | 0o644);
        expect(errnoOf(() => c.lopen(3, O.RDONLY))).toBe(E.ENXIO); // the client opens FIFOs itself
      } else {
        expect(errnoOf(() => c.mknod(1, "pipe", S.IFIFO | 0o644))).toBe(E.EPERM);
      }
      expect(c.d.logs).toEqual([]);
      b.cleanup?.();
    });

    it("answers statfs, fsync and Tremove", () => {
      const { c, b } = mount();
      const st = c.statfs(0);
      expect(st.type).toBe(0x01021997);
      expect(st.namelen).toBe(255);
      expect(st.bsize).toBeGreaterThan(0);
      expect(st.blocks).toBeGreaterThanOrEqual(st.bfree);
      c.walk(0, 1, []);
      c.lcreate(1, "f", O.WRONLY, 0o644);
      c.fsync(1);
      c.fsync(1, 1);
      c.walk(0, 2, []);
      expect(errnoOf(() => c.fsync(2))).toBe(E.EBADF);
      c.remove(1);
      expect(errnoOf(() => c.walkTo(3, "f"))).toBe(E.ENOENT);
      expect(errnoOf(() => c.clunk(1))).toBe(E.EBADF); // Tremove clunked it
      c.mkdir(0, "d");
      c.walkTo(4, "d");
      c.remove(4);
      expect(errnoOf(() => c.remove(2))).toBe(E.EBUSY); // the root: refused, and clunked anyway
      expect(errnoOf(() => c.clunk(2))).toBe(E.EBADF);
      b.cleanup?.();
    });

    it("handles byte-range locks between owners", () => {
      const { c, b } = mount();
      c.walk(0, 1, []);
      c.lcreate(1, "lk", O.RDWR, 0o644);
      c.open(2, "lk", O.RDWR);
      const WR = 1, RD = 0, UN = 2;
      expect(c.lock(1, { type: WR, start: 0, length: 100, procId: 10 })).toBe(0);
      expect(c.lock(2, { type: WR, start: 50, length: 10, procId: 20 })).toBe(1); // BLOCKED
      expect(c.lock(2, { type: WR, start: 100, length: 0, procId: 20 })).toBe(0); // after it, to EOF
      expect(c.getlock(2, { type: RD, start: 0, length: 0, procId: 20 })).toMatchObject({ type: WR, start: 0, length: 100, procId: 10 });
      expect(c.getlock(1, { type: WR, start: 0, length: 50, procId: 10 }).type).toBe(UN); // own locks never conflict
      expect(c.lock(1, { type: UN, start: 0, length: 60, procId: 10 })).toBe(0); // keeps [60,100)
      expect(c.lock(2, { type: WR, start: 50, length: 10, procId: 20 })).toBe(0);
      expect(c.lock(2, { type: RD, start: 60, length: 10, procId: 20 })).toBe(1); // 10 still writes there
      expect(c.lock(1, { type: RD, start: 60, length: 5, procId: 10 })).toBe(0); // downgrade part of its own
      c.open(3, "lk", O.RDONLY);
      expect(c.lock(3, { type: RD, start: 60, length: 5, procId: 30 })).toBe(0); // read locks share
      expect(c.lock(3, { type: RD, start: 65, length: 5, procId: 30 })).toBe(1); // still written by 10
      c.clunk(1); // drops what proc 10 took through fid 1
      expect(c.lock(3, { type: RD, start: 65, length: 5, procId: 30 })).toBe(0);
      expect(c.getlock(3, { type: WR, start: 0, length: 0, procId: 40 })).toMatchObject({ type: WR, procId: 20 }); // one of 20's
      expect(c.getlock(3, { type: WR, start: 50, length: 10, procId: 40 })).toMatchObject({ type: WR, start: 50, length: 10, procId: 20 });
      expect(errnoOf(() => c.lock(3, { type: 7, start: 0, length: 1, procId: 30 }))).toBe(E.EINVAL);
      b.cleanup?.();
    });

    it("accepts any byte string as a name, except '/', NUL, '.', '..' and more than 255 bytes", () => {
      const { c, b } = mount();
      c.walk(0, 1, []);
      const odd = Uint8Array.of(0x66, 0xff, 0xfe, 0x20, 0x0a, 0x80);
      c.mkdir(1, odd);
      c.walk(0, 2, []);
      c.lopen(2, O.RDONLY | O.DIRECTORY);
      const e = c.readdir(2, 0, 4096).find((d) => d.name !== "." && d.name !== "..");
      expect(e).toBeDefined();
      expect(c.walk(0, 3, [odd]).length).toBe(1);
      for (const bad of ["", ".", "..", "a/b", "a\0b", "/"]) {
        expect(errnoOf(() => c.walk(0, 4, [bad]))).toBe(E.EINVAL);
        expect(errnoOf(() => c.mkdir(1, bad))).toBe(E.EINVAL);
        expect(errnoOf(() => c.unlinkat(1, bad))).toBe(E.EINVAL);
        expect(errnoOf(() => c.renameat(1, bad, 1, "x"))).toBe(E.EINVAL);
      }
      expect(errnoOf(() => c.mkdir(1, "n".repeat(256)))).toBe(36); // ENAMETOOLONG
      c.mkdir(1, "n".repeat(255));
      expect(c.walk(0, 5, ["n".repeat(255)]).length).toBe(1);
      b.cleanup?.();
    });
  });
}
