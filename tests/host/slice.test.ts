// Slices follow the guest's speed: about a millisecond of wall time each, between 100k and
// 1M instructions per hart, growing at most twofold per run(), and a run() too short to time
// (idle harts, an exit) leaves the size alone.
import { describe, it, expect } from "vitest";
import { nextSlice, MIN_SLICE, MAX_SLICE, SLICE_TARGET_MS } from "../../host-ts/slice.js";

describe("slice sizes", () => {
  it("aim at the target wall time at the speed the last slice ran", () => {
    // 300k instructions in 1 ms is 300 per µs: the target's worth is 300k.
    expect(nextSlice(200_000, 300_000, 1, 1)).toBe(Math.round(300_000 * SLICE_TARGET_MS));
    // Two harts shared the time: each gets half the rate.
    expect(nextSlice(300_000, 600_000, 2, 1)).toBe(Math.round(300_000 * SLICE_TARGET_MS));
  });

  it("grow at most twofold per run and stop at the maximum", () => {
    expect(nextSlice(MIN_SLICE, MIN_SLICE, 1, 0.01)).toBe(2 * MIN_SLICE);
    let slice = MIN_SLICE;
    for (let i = 0; i < 20; i++) slice = nextSlice(slice, slice, 1, 0.01);
    expect(slice).toBe(MAX_SLICE);
  });

  it("shrink at once when the guest slows down, but never below the minimum", () => {
    expect(nextSlice(MAX_SLICE, MAX_SLICE, 1, 20)).toBe(Math.max(MIN_SLICE, Math.round((MAX_SLICE / 20) * SLICE_TARGET_MS)));
    expect(nextSlice(MAX_SLICE, MAX_SLICE, 1, 1000)).toBe(MIN_SLICE);
  });

  it("keep their size after a run too short to time", () => {
    expect(nextSlice(400_000, 10, 1, 0.001)).toBe(400_000);
    expect(nextSlice(400_000, 400_000, 1, 0)).toBe(400_000);
  });
});
