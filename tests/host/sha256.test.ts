// The platform's SHA-256 (host-ts/platform/sha256.ts): node:crypto here, WebCrypto in
// browsers; snapshots and the default guest's identity depend on both giving the same hex.
import { describe, expect, it } from "vitest";
import { sha256 } from "../../host-ts/platform/sha256.js";

const webCrypto = async (bytes: Uint8Array) =>
  [...new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", bytes as unknown as ArrayBuffer))].map((b) => b.toString(16).padStart(2, "0")).join("");

describe("sha256", () => {
  it("gives FIPS 180-2's digests", async () => {
    expect(await sha256(new TextEncoder().encode("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(await sha256(new Uint8Array(0))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("agrees with WebCrypto on views into larger buffers and on megabytes", async () => {
    const big = new Uint8Array(3 << 20).map((_, i) => (i * 2654435761) >>> 24);
    const view = big.subarray(12345, 12345 + 100_000);
    expect(await sha256(view)).toBe(await webCrypto(view.slice()));
    expect(await sha256(big)).toBe(await webCrypto(big));
  });
});
