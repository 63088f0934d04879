// The host-directory backend through the virtio-9p device: the shared file-operation
// suite in both resolution modes, plus what only a real directory shows.
import { mkdtempSync, rmSync, statSync, lstatSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openHostFsBackend } from "../../host-ts/platform/host-fs-backend.js";
import { errnoOf, O, P9Client, S } from "./9p-client.js";
import { fileOpsSuite } from "./9p-ops.js";

const root = process.getuid?.() === 0;

function tempShare(): string {
  return mkdtempSync(join(tmpdir(), "hartvm-9p-"));
}

for (const resolution of ["auto", "checked-paths"] as const) {
  fileOpsSuite(`host directory, ${resolution}`, () => {
    const dir = tempShare();
    const backend = openHostFsBackend(dir, { resolution });
    return {
      backend,
      fifos: false,
      chown: root,
      cleanup: () => {
        backend.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
}

describe("host directory backend", () => {
  it("resolves through descriptors on Linux", () => {
    const dir = tempShare();
    const b = openHostFsBackend(dir);
    expect(b.resolution).toBe(process.platform === "linux" ? "anchored" : "checked-paths");
    expect(openHostFsBackend(dir, { resolution: "checked-paths" }).resolution).toBe("checked-paths");
    b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a share that is not a directory, with a reason", () => {
    const dir = tempShare();
    writeFileSync(join(dir, "file"), "x");
    expect(() => openHostFsBackend(join(dir, "file"))).toThrow(/cannot share .*file: not a directory/);
    expect(() => openHostFsBackend(join(dir, "missing"))).toThrow(/no such directory/);
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows the host's files with their inode numbers as qid paths, and writes through", () => {
    const dir = tempShare();
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "host.txt"), "from the host");
    const b = openHostFsBackend(dir);
    const c = new P9Client({ backend: b, tag: "h" });
    c.mount();
    const [sub, file] = c.walkTo(1, "sub/host.txt");
    expect(sub.path).toBe(BigInt(statSync(join(dir, "sub")).ino));
    expect(file.path).toBe(BigInt(statSync(join(dir, "sub", "host.txt")).ino));
    expect(new TextDecoder().decode(c.readFile("sub/host.txt"))).toBe("from the host");
    c.walkTo(2, "sub");
    c.lcreate(2, "guest.txt", O.WRONLY, S.IFREG | 0o664);
    c.write(2, 0, new TextEncoder().encode("from the guest"));
    c.clunk(2);
    expect(readFileSync(join(dir, "sub", "guest.txt"), "utf8")).toBe("from the guest");
    // The guest's mode is applied exactly (not narrowed by this process's umask).
    expect(lstatSync(join(dir, "sub", "guest.txt")).mode & 0o7777).toBe(0o664);
    c.walkTo(3, "sub");
    c.mkdir(3, "gdir", 0o775);
    expect(lstatSync(join(dir, "sub", "gdir")).mode & 0o7777).toBe(0o775);
    c.symlink(3, "glink", "/absolute/target");
    expect(errnoOf(() => c.walkTo(4, "sub/glink/x"))).toBe(2); // a short walk
    b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses to write through a read-only backend even if the server allowed it", () => {
    const dir = tempShare();
    writeFileSync(join(dir, "f"), "keep");
    const b = openHostFsBackend(dir, { readonly: true });
    expect(b.readonly).toBe(true);
    const c = new P9Client({ backend: b, tag: "h" }); // server takes readonly from the backend
    c.mount();
    c.walk(0, 1, []);
    expect(errnoOf(() => c.lcreate(1, "new", O.WRONLY, 0o644))).toBe(30);
    expect(() => b.open([new TextEncoder().encode("f")], O.WRONLY)).toThrow(/errno 30/);
    expect(() => b.remove([], new TextEncoder().encode("f"), false)).toThrow(/errno 30/);
    expect(readFileSync(join(dir, "f"), "utf8")).toBe("keep");
    b.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
