// The Node CLI's randomness (host-ts/platform/node-random.ts) comes from /dev/urandom, so a
// start does not load Node's crypto modules; whoever installs it is served by hostEntropy.
import { describe, it, expect, afterEach } from "vitest";
import { kernelRandom } from "../../host-ts/platform/node-random.js";
import { hostEntropy, usePlatformRandom } from "../../host-ts/entropy.js";

afterEach(() => usePlatformRandom(null));

describe("kernelRandom", () => {
  it.skipIf(process.platform === "win32")("fills a buffer of any size with uniformly spread bytes", () => {
    const fill = kernelRandom();
    expect(fill).not.toBeNull();
    const bytes = new Uint8Array(1 << 20);
    fill!(bytes);
    const counts = new Array(256).fill(0);
    for (const b of bytes) counts[b]++;
    // 4,096 expected per value; a uniform source stays within ±10% (about 6 standard deviations).
    expect(Math.min(...counts)).toBeGreaterThan(4096 * 0.9);
    expect(Math.max(...counts)).toBeLessThan(4096 * 1.1);
    const again = new Uint8Array(64);
    fill!(again);
    expect(Buffer.compare(Buffer.from(again), Buffer.from(bytes.subarray(0, 64)))).not.toBe(0);
  });
});

describe("hostEntropy", () => {
  it("takes its bytes from the platform's source once one is installed, from WebCrypto otherwise", () => {
    usePlatformRandom((bytes) => bytes.fill(7));
    const a = new Uint8Array(100_000);
    hostEntropy.fill(a);
    expect(a.every((b) => b === 7)).toBe(true);
    usePlatformRandom(null);
    const b = new Uint8Array(100_000); // more than getRandomValues takes at once
    hostEntropy.fill(b);
    expect(b.some((x) => x !== 7)).toBe(true);
    expect(b.subarray(65_536).some((x) => x !== 0)).toBe(true);
  });
});
