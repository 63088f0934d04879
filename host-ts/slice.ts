// How many instructions each hart gets per core.run() in real-time mode.
//
// A run() costs the host a few microseconds (clock, devices, output, the call into the core),
// which is nothing against an interpreted 100k-instruction slice (about 1 ms) but about 10% of
// one that compiled code runs in 30 µs. Timers and input are looked at only between slices, so a
// slice should not outlast about a millisecond: its size follows the speed of the last one.

/**
 * The smallest slice, and the size every machine starts with; and the largest, which a tight
 * compiled loop (6-7 G instructions a second) fills in about 0.6 ms. The largest also bounds
 * a slice that began in fast code and ran into slow: 4 M interpreted instructions take ~40 ms.
 * At 1 M, such a loop spent 3-4% of its time between slices and, in a process that ran it
 * again and again, stalled once for 15-20 ms when V8 optimised the run loop's JavaScript.
 */
export const MIN_SLICE = 100_000;
export const MAX_SLICE = 4_000_000;
/** The wall time a slice aims at. */
export const SLICE_TARGET_MS = 1;

/**
 * The next slice after a run() that spent `spent` instructions over `harts` harts in `ms`
 * milliseconds of wall time. A run too short to time (an exit, idle harts) keeps the size;
 * it grows at most twofold per run, so one fast slice does not make a long one.
 */
export function nextSlice(slice: number, spent: number, harts: number, ms: number): number {
  if (spent < MIN_SLICE / 2 || !(ms > 0)) return slice;
  const wanted = (spent / harts / ms) * SLICE_TARGET_MS;
  return Math.round(Math.max(MIN_SLICE, Math.min(MAX_SLICE, 2 * slice, wanted)));
}
