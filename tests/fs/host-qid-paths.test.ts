// qid paths for host files: the inode number, unique across the file systems under a
// share, stable for the same (device, inode).
import { describe, expect, it } from "vitest";
import { QidPaths, hostError } from "../../host-ts/platform/host-fs-resolve.js";

describe("host qid paths", () => {
  it("keep inode numbers on the share's own file system and separate other devices", () => {
    const q = new QidPaths();
    const rootDev = 2049n;
    expect(q.path(rootDev, 12345n)).toBe(12345n); // the first (device, prefix) seen is index 0
    expect(q.path(rootDev, 2n ** 40n)).toBe(2n ** 40n);
    const other = q.path(64769n, 12345n);
    expect(other).not.toBe(12345n);
    expect(other & 0xffff_ffff_ffffn).toBe(12345n);
    expect(q.path(64769n, 12345n)).toBe(other); // stable
    const high = q.path(rootDev, 2n ** 60n + 7n); // inode beyond 48 bits: its own prefix
    expect(high).not.toBe(7n);
    expect(new Set([q.path(rootDev, 7n), high, q.path(64769n, 7n)]).size).toBe(3);
  });

  it("runs out of prefixes with EOVERFLOW rather than colliding", () => {
    const q = new QidPaths();
    for (let d = 0n; d < 0x10000n; d++) q.path(d, 1n);
    expect(() => q.path(0x10000n, 1n)).toThrow(expect.objectContaining({ errno: 75 }));
  });

  it("maps host error codes to Linux errno values", () => {
    const e = (code: string) => hostError(Object.assign(new Error(code), { code })).errno;
    expect([e("ENOENT"), e("ENOTEMPTY"), e("ELOOP"), e("ENOTSUP"), e("EOPNOTSUPP"), e("EWOULDBLOCK"), e("EXDEV")]).toEqual([2, 39, 40, 95, 95, 11, 18]);
    expect(e("ESOMETHINGNEW")).toBe(5);
    expect(hostError(new RangeError("bad position")).errno).toBe(5);
  });
});
