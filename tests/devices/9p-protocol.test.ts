// virtio-9p as a virtio device and as a 9P2000.L session: negotiation, fids, walks,
// malformed requests, limits, read-only mode and snapshots (in-memory backend).
import { describe, expect, it } from "vitest";
import { MemoryFs } from "../../devices/fs/memory-backend.js";
import { VirtioP9, VIRTIO_9P_MOUNT_TAG } from "../../devices/virtio/9p/device.js";
import { REG, STATUS_DEVICE_NEEDS_RESET } from "../../devices/virtio/mmio.js";
import { newQueueState, Virtqueue } from "../../devices/virtio/queue.js";
import { Dec, Enc, errnoOf, NOFID, O, P9Client, RLERROR, S, SETATTR, Tmsg } from "./9p-client.js";

const E = { EPERM: 1, ENOENT: 2, EBADF: 9, EEXIST: 17, ENOTDIR: 20, EINVAL: 22, EMFILE: 24, EROFS: 30, ENAMETOOLONG: 36, EPROTO: 71, EMSGSIZE: 90, EOPNOTSUPP: 95 };
const enc = new TextEncoder();

function client(opts: { readonly?: boolean; maxMsize?: number; maxFids?: number; maxOpenFiles?: number; fs?: MemoryFs } = {}) {
  const fs = opts.fs ?? new MemoryFs();
  const c = new P9Client({ backend: fs, tag: "hostshare", readonly: opts.readonly, maxMsize: opts.maxMsize, maxFids: opts.maxFids, maxOpenFiles: opts.maxOpenFiles });
  return { c, fs };
}

describe("virtio-9p device", () => {
  it("is device 9 with the mount tag in its configuration space", () => {
    const { c } = client();
    expect(c.d.r(REG.DeviceID)).toBe(9);
    expect(c.dev.features & VIRTIO_9P_MOUNT_TAG).toBe(VIRTIO_9P_MOUNT_TAG);
    expect(c.d.dev.negotiatedFeatures & VIRTIO_9P_MOUNT_TAG).toBe(VIRTIO_9P_MOUNT_TAG);
    const len = c.d.dev.read(REG.Config, 2);
    expect(len).toBe(9);
    const tag = Array.from({ length: len }, (_, i) => c.d.dev.read(REG.Config + 2 + i, 1));
    expect(String.fromCharCode(...tag)).toBe("hostshare");
    expect(c.d.r(REG.QueueNumMax)).toBe(128);
  });

  it("refuses tags that Linux could not match", () => {
    const backend = new MemoryFs();
    expect(() => new VirtioP9({ backend, tag: "" })).toThrow(/mount tag/);
    expect(() => new VirtioP9({ backend, tag: "x".repeat(256) })).toThrow(/mount tag/);
    expect(() => new VirtioP9({ backend, tag: "a\0b" })).toThrow(/mount tag/);
    expect(() => new VirtioP9({ backend, tag: "t", queueSize: 100 })).toThrow(/power of two/);
  });

  it("puts the device in NEEDS_RESET for a chain that cannot hold a request or a reply", () => {
    const { c } = client();
    c.mount();
    const d = c.d;
    const req = d.mem(0x8001_0000, 16);
    req.set([5, 0, 0, 0, 100]);
    d.publish(d.chain([{ addr: 0x8001_0000, len: 5 }, { addr: 0x8010_0000, len: 64, write: true }]));
    d.notify();
    expect(d.r(REG.Status) & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    expect(d.logs.join()).toMatch(/no 7-byte header/);
    const { c: c2 } = client();
    c2.mount();
    expect(() => c2.raw(new Enc().u32(0).message(Tmsg.clunk, 1), 10)).toThrow();
    expect(c2.d.r(REG.Status) & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    expect(c2.d.logs.join()).toMatch(/cannot hold an Rlerror/);
  });

  it("forgets the session when the driver resets the device", () => {
    const { c } = client();
    c.mount();
    c.walk(0, 1, []);
    c.lcreate(1, "f", O.WRONLY, 0o644);
    expect(c.dev.server.openFiles).toBe(1);
    c.d.init();
    expect(c.dev.server.openFiles).toBe(0);
    expect(errnoOf(() => c.getattr(0))).toBe(E.EBADF);
  });
});

describe("9P2000.L session", () => {
  it("negotiates msize and version as Linux expects", () => {
    const { c } = client({ maxMsize: 256 * 1024 });
    expect(c.version(512 * 1024)).toEqual({ msize: 256 * 1024, version: "9P2000.L" });
    expect(c.version(8192)).toEqual({ msize: 8192, version: "9P2000.L" });
    expect(c.version(8192, "9P2000.u")).toEqual({ msize: 8192, version: "unknown" });
    expect(c.version(8192, "9P2000")).toEqual({ msize: 8192, version: "unknown" });
    expect(c.version(8192, "9P2000.L.ext")).toEqual({ msize: 8192, version: "9P2000.L" });
    expect(errnoOf(() => c.version(1024))).toBe(E.EINVAL);
    expect(() => new VirtioP9({ backend: new MemoryFs(), tag: "t", maxMsize: 1000 })).toThrow(/maxMsize/);
  });

  it("clunks every fid on Tversion", () => {
    const { c } = client();
    c.mount();
    c.walk(0, 1, []);
    c.lopen(1, O.RDONLY);
    c.version();
    expect(errnoOf(() => c.getattr(0))).toBe(E.EBADF);
    expect(c.dev.server.openFiles).toBe(0);
  });

  it("attaches the root and refuses reused, unknown and authenticated fids", () => {
    const { c } = client();
    c.version();
    const root = c.attach(0);
    expect(root.type).toBe(0x80);
    expect(errnoOf(() => c.attach(0))).toBe(E.EINVAL);
    expect(errnoOf(() => c.attach(NOFID))).toBe(E.EBADF);
    expect(errnoOf(() => c.attach(5, { afid: 3 }))).toBe(E.EBADF);
    expect(errnoOf(() => c.getattr(77))).toBe(E.EBADF);
    expect(errnoOf(() => c.walk(77, 78, []))).toBe(E.EBADF);
    expect(errnoOf(() => c.clunk(77))).toBe(E.EBADF);
    c.walk(0, 1, []);
    expect(errnoOf(() => c.walk(0, 1, []))).toBe(E.EINVAL); // newfid in use
    expect(errnoOf(() => c.walk(0, NOFID, []))).toBe(E.EBADF);
    // The owner of created files comes from the attach (n_uname; NONUNAME is nobody).
    c.attach(10, { nUname: 1000 });
    c.walk(10, 11, []);
    c.lcreate(11, "mine", O.WRONLY, 0o644, 100);
    expect(c.getattr(11)).toMatchObject({ uid: 1000, gid: 100 });
    c.attach(12, { nUname: 0xffff_ffff });
    c.mkdir(12, "nobodys");
    c.walkTo(13, "nobodys");
    expect(c.getattr(13).uid).toBe(65534);
  });

  it("walks up to 16 names, clones with none, and replaces a fid walked in place", () => {
    const { c } = client();
    c.mount();
    c.walk(0, 1, []);
    let fid = 1;
    for (let i = 0; i < 17; i++) {
      c.mkdir(fid, `d${i}`);
      c.walk(fid, 100 + i, [`d${i}`]);
      fid = 100 + i;
    }
    const names = Array.from({ length: 16 }, (_, i) => `d${i}`);
    expect(c.walk(0, 2, names).length).toBe(16);
    expect(errnoOf(() => c.walk(0, 3, [...names, "d16"]))).toBe(E.EINVAL);
    c.walk(2, 2, ["d16"]); // in place
    expect(c.getattr(2).qid.path).toBe(c.getattr(116).qid.path);
    c.lopen(2, O.RDONLY);
    expect(errnoOf(() => c.walk(2, 2, ["x"]))).toBe(E.EINVAL); // an open fid cannot move
    c.walk(2, 4, []); // but can be cloned (the clone is not open)
    expect(errnoOf(() => c.read(4, 0, 10))).toBe(E.EBADF);
  });

  it("answers malformed and unknown requests with Rlerror and keeps going", () => {
    const { c } = client();
    c.mount();
    const reply = (bytes: Uint8Array) => {
      const r = new Dec(c.raw(bytes, 64));
      return r.type === RLERROR ? r.u32() : -r.type;
    };
    // Truncated body, size field larger than the buffers, garbage types.
    expect(reply(new Enc().u32(0).message(Tmsg.walk, 3))).toBe(E.EPROTO);
    const lying = new Enc().u32(0).message(Tmsg.clunk, 3);
    new DataView(lying.buffer).setUint32(0, 1000, true);
    expect(reply(lying)).toBe(E.EPROTO);
    const short = new Enc().u32(0).message(Tmsg.clunk, 3);
    new DataView(short.buffer).setUint32(0, 3, true);
    expect(reply(short)).toBe(E.EPROTO);
    expect(reply(new Enc().u32(0).message(200, 3))).toBe(E.EOPNOTSUPP);
    expect(reply(new Enc().u32(0).u8(0).message(112, 3))).toBe(E.EOPNOTSUPP); // legacy Topen
    expect(reply(new Enc().u32(0).u32(NOFID).str("u").str("").message(Tmsg.auth, 3))).toBe(E.EOPNOTSUPP);
    expect(errnoOf(() => c.xattrwalk(0, 5, "user.x"))).toBe(E.EOPNOTSUPP);
    // Twrite whose count claims more data than it carries.
    c.walk(0, 1, []);
    c.lcreate(1, "f", O.RDWR, 0o644);
    expect(errnoOf(() => c.write(1, 0, enc.encode("abc"), {}, 10))).toBe(E.EPROTO);
    // A request larger than msize.
    c.version(8192);
    c.attach(0);
    expect(reply(new Enc().u32(0).u64(0).u32(9000).raw(new Uint8Array(9000)).message(Tmsg.write, 4))).toBe(E.EMSGSIZE);
    // Rflush, and the session still works.
    c.flush(3);
    expect(c.walk(0, 9, []).length).toBe(0);
    expect(c.d.r(REG.Status) & STATUS_DEVICE_NEEDS_RESET).toBe(0);
    expect(c.d.logs).toEqual([]);
    expect(c.d.guardsIntact()).toBe(true);
  });

  it("replies with the request's tag, and EMSGSIZE when the reply buffer is too small", () => {
    const { c } = client();
    c.mount();
    c.walk(0, 1, []);
    c.symlink(1, "l", "t".repeat(3000));
    c.walkTo(2, "l");
    const r = new Dec(c.raw(new Enc().u32(2).message(Tmsg.readlink, 0x1234), 100));
    expect(r.tag).toBe(0x1234);
    expect(r.type).toBe(RLERROR);
    expect(r.u32()).toBe(E.EMSGSIZE);
    expect(c.readlink(2).length).toBe(3000);
  });

  it("limits fids and open files", () => {
    const { c } = client({ maxFids: 10, maxOpenFiles: 3 });
    c.mount();
    for (let i = 1; i < 10; i++) c.walk(0, i, []);
    expect(errnoOf(() => c.walk(0, 10, []))).toBe(E.EMFILE);
    for (let i = 1; i <= 3; i++) c.lopen(i, O.RDONLY);
    expect(errnoOf(() => c.lopen(4, O.RDONLY))).toBe(E.EMFILE);
    expect(errnoOf(() => c.lcreate(4, "x", O.WRONLY, 0o644))).toBe(E.EMFILE);
    c.clunk(1);
    c.lopen(4, O.RDONLY);
  });

  it("refuses every modification with EROFS when read-only, and still serves reads", () => {
    const fs = new MemoryFs();
    fs.writeFile("dir/file", "content");
    fs.symlinkAt("dir/link", "file");
    const { c } = client({ readonly: true, fs });
    c.mount();
    c.walk(0, 1, []);
    c.walkTo(2, "dir/file");
    c.walkTo(3, "dir");
    const checks: [string, () => unknown][] = [
      ["lcreate", () => c.lcreate(1, "new", O.WRONLY, 0o644)],
      ["mkdir", () => c.mkdir(1, "new")],
      ["symlink", () => c.symlink(1, "new", "x")],
      ["mknod", () => c.mknod(1, "new", S.IFREG | 0o644)],
      ["link", () => c.link(1, 2, "new")],
      ["rename", () => c.rename(2, 1, "new")],
      ["renameat", () => c.renameat(3, "file", 3, "new")],
      ["unlinkat", () => c.unlinkat(3, "file")],
      ["setattr mode", () => c.setattr(2, { valid: SETATTR.mode, mode: 0o600 })],
      ["setattr size", () => c.setattr(2, { valid: SETATTR.size, size: 0 })],
      ["setattr times", () => c.setattr(2, { valid: SETATTR.mtime })],
      ["lopen write", () => c.lopen(2, O.WRONLY)],
      ["lopen rdwr", () => c.lopen(2, O.RDWR)],
      ["lopen trunc", () => c.lopen(2, O.RDONLY | O.TRUNC)],
    ];
    for (const [what, fn] of checks) expect([what, errnoOf(fn)]).toEqual([what, E.EROFS]);
    c.walkTo(4, "dir/file");
    expect(errnoOf(() => c.remove(4))).toBe(E.EROFS);
    expect(new TextDecoder().decode(c.readFile("dir/file"))).toBe("content");
    c.walkTo(5, "dir/link");
    expect(c.readlink(5)).toBe("file");
    c.lopen(3, O.RDONLY | O.DIRECTORY);
    expect(c.readdirAll(3).map((e) => e.name).sort()).toEqual([".", "..", "file", "link"]);
    expect(c.statfs(0).type).toBe(0x01021997);
    c.open(6, "dir/file", O.RDONLY);
    c.fsync(6);
    expect(fs.readFile("dir/file").length).toBe(7);
  });

  it("keeps its fids across saveState/loadState (open files reopened by path)", () => {
    const fs = new MemoryFs();
    const { c } = client({ fs });
    c.mount(65536);
    c.walk(0, 1, []);
    c.lcreate(1, "kept", O.RDWR, 0o644);
    c.write(1, 0, enc.encode("before"));
    c.walkTo(2, "kept");
    // The device model's part of a machine snapshot (the transport and guest RAM have their own).
    const state = JSON.parse(JSON.stringify(c.dev.saveState()));
    const { c: c2 } = client({ fs });
    c2.dev.loadState(state);
    c2.msize = 65536;
    expect(c2.dev.server.msize).toBe(65536);
    c2.write(1, 6, enc.encode("+after"));
    expect(new TextDecoder().decode(c2.read(1, 0, 100))).toBe("before+after");
    expect(c2.getattr(2).size).toBe(12);
    // Snapshots are input: a path with '/' or '..' in it is refused.
    const bad = JSON.parse(JSON.stringify(state));
    bad.fids[0].path = ["../etc"];
    expect(() => client({ fs }).c.dev.loadState(bad)).toThrow(/invalid name/);
  });
});

describe("virtio-9p work per host step", () => {
  it("serves whole requests while the transport's budget lasts, and the rest on the next call", () => {
    const { c } = client();
    c.mount();
    const d = c.d;
    // Three Twalk clones made available without a notify, then served by hand with a budget.
    const base = 0x8001_0000;
    for (let i = 0; i < 3; i++) {
      const req = new Enc().u32(0).u32(50 + i).u16(0).message(Tmsg.walk, 40 + i);
      d.mem(base + 0x100 * i, req.length).set(req);
      d.publish(d.chain([{ addr: base + 0x100 * i, len: req.length }, { addr: base + 0x1000 + 0x100 * i, len: 64, write: true }]));
    }
    const q = new Virtqueue(0, d.ram, { ...newQueueState(d.qsize), ready: true, descLo: d.desc, driverLo: d.avail, deviceLo: d.used, lastAvail: 0, usedIdx: d.usedIdx() }, { indirect: false, eventIdx: false });
    q.state.lastAvail = q.state.usedIdx; // everything before was answered
    let spent = { bytes: 0, descriptors: 0 };
    const budget = {
      descriptorsLeft: 3,
      get exhausted() {
        return this.descriptorsLeft <= 0;
      },
      spend(bytes: number, descriptors: number) {
        spent = { bytes: spent.bytes + bytes, descriptors: spent.descriptors + descriptors };
        this.descriptorsLeft -= descriptors;
      },
    };
    c.dev.process(0, q, budget);
    expect(d.takeUsed().length).toBe(2); // the second request overran the budget, the third waits
    expect(spent.descriptors).toBe(4);
    expect(spent.bytes).toBe(2 * (17 + 9)); // each: a 17-byte Twalk in, a 9-byte Rwalk out
    c.dev.process(0, q, { exhausted: false, spend: () => {} });
    expect(d.takeUsed().length).toBe(1);
    for (let i = 0; i < 3; i++) expect(c.getattr(50 + i).qid.type).toBe(0x80);
  });
});
