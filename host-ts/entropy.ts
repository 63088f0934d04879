// Where randomness comes from: the host's CSPRNG, or in deterministic mode a seeded
// generator whose state is part of the machine (saved in snapshots).

export interface Entropy {
  fill(bytes: Uint8Array): void;
  /** The generator's state (null for the host's CSPRNG, which has none to save). */
  save(): string | null;
}

/**
 * The platform's own way to the same CSPRNG, when it has a cheaper one than WebCrypto (the
 * Node CLI: platform/node-random.ts); null: WebCrypto.
 */
let platformRandom: ((bytes: Uint8Array) => void) | null = null;

export function usePlatformRandom(fill: ((bytes: Uint8Array) => void) | null): void {
  platformRandom = fill;
}

/** getRandomValues refuses more than 65536 bytes at a time and views of shared memory. */
export const hostEntropy: Entropy = {
  fill(bytes) {
    if (platformRandom) return platformRandom(bytes);
    const chunk = new Uint8Array(Math.min(bytes.length, 65536));
    for (let at = 0; at < bytes.length; at += chunk.length) {
      const n = Math.min(chunk.length, bytes.length - at);
      globalThis.crypto.getRandomValues(chunk.subarray(0, n));
      bytes.set(chunk.subarray(0, n), at);
    }
  },
  save: () => null,
};

const M64 = (1n << 64n) - 1n;

/** xoshiro256** (Blackman and Vigna), seeded through SplitMix64: reproducible, not secret. */
export class SeededEntropy implements Entropy {
  private s: bigint[];

  constructor(seedOrState: number | string) {
    if (typeof seedOrState === "string") {
      this.s = seedOrState.split(",").map((x) => BigInt(`0x${x}`) & M64);
      if (this.s.length !== 4 || this.s.every((x) => x === 0n)) throw new Error("bad entropy state");
      return;
    }
    let x = BigInt.asUintN(64, BigInt(seedOrState));
    this.s = Array.from({ length: 4 }, () => {
      x = (x + 0x9e3779b97f4a7c15n) & M64;
      let z = x;
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
      return z ^ (z >> 31n);
    });
  }

  private next(): bigint {
    const s = this.s;
    const result = (rotl((s[1] * 5n) & M64, 7n) * 9n) & M64;
    const t = (s[1] << 17n) & M64;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45n);
    return result;
  }

  fill(bytes: Uint8Array): void {
    for (let at = 0; at < bytes.length; at += 8) {
      let v = this.next();
      for (let i = 0; i < 8 && at + i < bytes.length; i++, v >>= 8n) bytes[at + i] = Number(v & 0xffn);
    }
  }

  save(): string {
    return this.s.map((x) => x.toString(16)).join(",");
  }

  load(state: string): void {
    this.s = new SeededEntropy(state).s;
  }
}

const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (64n - k))) & M64;
