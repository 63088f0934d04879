// Translated code shared by the machines of a thread (host-ts/jit/code-cache.ts): a machine
// whose hot block holds the same bytes gets another's compiled code, one whose bytes differ
// never does, and a released machine's memory serves the next machine correctly, on the
// loop of loop-program.ts.
import { describe, it, expect } from "vitest";
import { Core, RAM_BASE } from "../../host-ts/core.js";
import { CodeCache, WarmSet, regionKey, codeCacheFor } from "../../host-ts/jit/code-cache.js";
import { coreModule } from "../support/hart.js";
import { writeLoop, step } from "./loop-program.js";


/** Page offsets the tests use, one per test, so that what one test leaves in this thread's cache does not meet another. */
let nextOffset = 0x100;

async function loopCore(k: number, at: number, opts: { sync?: boolean } = {}): Promise<Core> {
  const core = await Core.create(await coreModule(), {
    ramBytes: 1 << 20, harts: 1, mmio: { read: () => 0, write: () => {} }, jit: { threshold: 1, sync: opts.sync ?? true, batch: 1 },
  });
  writeLoop(core, k, at);
  return core;
}

describe("the code cache of a thread", () => {
  it("gives a second machine the first one's code for the same bytes: nothing compiled, same answers", async () => {
    const at = (nextOffset += 0x40);
    const first = await loopCore(3, at);
    step(first);
    expect(step(first)).toBe(1500n);
    expect(first.jit!.stats.blocks).toBeGreaterThan(0);
    const second = await loopCore(3, at);
    step(second);
    expect(step(second)).toBe(1500n);
    expect(second.jit!.stats).toMatchObject({ blocks: 0, modules: 0 });
    expect(second.jit!.stats.reused).toBeGreaterThan(0);
    // It really runs compiled: one visit per 128-instruction turn at most would be counted otherwise.
    first.release();
    second.release();
  });

  it("never installs a lineage's code where the machine's page holds other bytes at that address", async () => {
    const at = (nextOffset += 0x40);
    const parent = await loopCore(1, at);
    step(parent);
    expect(step(parent)).toBe(500n);
    const lineage = parent.jitLineage()!;
    expect(lineage.size).toBeGreaterThan(0);

    // Same address, same bytes: installed before it runs.
    const same = await loopCore(1, at);
    same.warmJit(lineage);
    expect(same.jit!.stats.warmed).toBeGreaterThan(0);
    expect(step(same)).toBe(500n);
    expect(same.jit!.stats).toMatchObject({ blocks: 0, reused: 0 });

    // Same address, another program: nothing installed, and it runs its own code.
    const other = await loopCore(2, at);
    other.warmJit(lineage);
    expect(other.jit!.stats.warmed).toBe(0);
    expect(step(other)).toBe(1000n);
    expect(step(other)).toBe(1000n);
    for (const c of [parent, same, other]) c.release();
  });

  it("checks the bytes, not the hash: a key that collides with a cached one is not served", async () => {
    const at = (nextOffset += 0x40);
    const core = await loopCore(5, at);
    step(core);
    const cache = codeCacheFor(await coreModule());
    const memory = new Uint8Array(core.memory.buffer);
    const host = core.layout.RAM_OFFSET + at;
    const key = regionKey(memory, host, [host, host + 8]);
    expect(cache.lookup(key)?.module).toBeInstanceOf(WebAssembly.Module);
    const forged = { ...key, bytes: key.bytes.slice() };
    forged.bytes[0] ^= 0x80; // other bytes, same hash field
    expect(cache.lookup(forged)).toBeNull();
    core.release();
  });

  it("runs correctly in a released machine's memory, even when the released one's compile lands afterwards", async () => {
    // Both machines bring the loop's page to the same page word, with the loop at different
    // table slots: an install by the released machine would point the new one at a slot it
    // does not have.
    const at = (nextOffset += 0x40);
    const old = await loopCore(13, at + 0x800, { sync: false });
    writeLoop(old, 17, at + 0x900);
    old.jit!.compileNow([RAM_BASE + at + 0x800, RAM_BASE + at + 0x900]); // two table slots
    writeLoop(old, 7, at);
    old.run(1000); // queues the loop; its compile runs in the background
    old.release();

    const next = await loopCore(13, at + 0x800, { sync: false });
    expect(next.memory).toBe(old.memory); // the recycled memory
    next.jit!.compileNow([RAM_BASE + at + 0x800]); // one table slot
    writeLoop(next, 11, at);
    next.jit!.compileNow([RAM_BASE + at]); // the loop, under the page word the old compile was made with
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5)); // the old compile lands meanwhile
    for (let i = 0; i < 5; i++) expect(step(next)).toBe(5500n);
    next.release();
  });
});

describe("CodeCache", () => {
  it("drops the least recently used regions past its byte limit, and warm sets forget them", async () => {
    const core = await loopCore(1, 0x800);
    const memory = new Uint8Array(core.memory.buffer);
    const base = core.layout.RAM_OFFSET;
    const module = new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    const cache = new CodeCache(7000);
    const keys = [0, 1, 2, 3].map((i) => regionKey(memory, base + 0x800 + 8 * i, [base + 0x800 + 8 * i, base + 0x808 + 8 * i]));
    cache.add(module, keys.slice(0, 2), 1000); // about 2100 bytes each (their share of the module's code, and the key)
    const warm = new WarmSet(keys.slice(0, 2).map((k, i) => [base + 8 * i, k]));
    cache.lookup(keys[0]); // keys[1] is now the least recently used
    cache.add(module, keys.slice(2), 1000);
    expect(cache.stats.bytes).toBeLessThanOrEqual(7000);
    expect(keys[1].evicted).toBe(true);
    expect(keys[0].evicted).toBe(false);
    expect(cache.lookup(keys[1])).toBeNull();
    expect([...warm.entries()].map(([, r]) => r)).toEqual([keys[0]]);
    core.release();
  });
});
