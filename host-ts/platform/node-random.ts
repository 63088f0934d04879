// The kernel's CSPRNG for the Node CLI. Node's WebCrypto loads its crypto modules on first
// use, ~5 ms of a CLI start spent before the guest's first instruction (the boot needs 64
// bytes for the device tree's rng-seed); /dev/urandom is the source those modules seed from.
import { closeSync, openSync, readSync } from "node:fs";
import process from "node:process";

/** A filler reading /dev/urandom, or null where there is none (Windows) or it cannot be opened. */
export function kernelRandom(): ((bytes: Uint8Array) => void) | null {
  if (process.platform === "win32") return null;
  let fd: number;
  try {
    fd = openSync("/dev/urandom", "r");
  } catch {
    return null;
  }
  process.once("exit", () => closeSync(fd));
  return (bytes) => {
    for (let at = 0; at < bytes.length;) {
      const n = readSync(fd, bytes, at, bytes.length - at, null);
      if (n <= 0) throw new Error("/dev/urandom gave no bytes");
      at += n;
    }
  };
}
