// How much work a virtio device may do in one host step. A guest can ask for
// gigabytes in one notify (16 chains of 2 GiB reads, or one chain of 1024 overlapping
// buffers); the device does at most one step's worth, keeps the rest as plain data on
// the queue, and the run loop continues it between core slices (VirtioMmio's
// continueDeferred), so a deadline or an exit request is never more than one slice away.
//
// The numbers: on the reference machine (2 shared cores, Node 20) one step of 256 KiB
// costs a median 0.25 ms of CPU for virtio-rng (getRandomValues and a copy) and 0.6 ms
// for virtio-blk reading a sparse file (tests/adversarial's flood programs, guest RAM
// already touched); a descriptor costs a ring walk and usually one system call (a few
// µs), so 64 of them stay near 0.2 ms. A guest that waits for its I/O in WFI still gets
// the device's full speed, as the idle run loop continues the work step after step; a
// guest that keeps the CPU busy gets 256 KiB per core slice. Linux's requests (at most
// seg_max = 254 segments, typically 4-512 KiB) mostly complete within their notify.

/** Bytes a device may move (to or from guest RAM) per host step. */
export const STEP_BYTES = 256 * 1024;
/** Descriptors a device may handle per host step (walking a chain, or one I/O call on a buffer). */
export const STEP_DESCRIPTORS = 64;

/**
 * What is left of this step's work. It may end a little below zero: by one chain's
 * descriptors (at most MAX_CHAIN, as a chain is walked whole) or a GET_ID's 20 bytes.
 */
export class WorkBudget {
  bytes = STEP_BYTES;
  descriptors = STEP_DESCRIPTORS;

  get exhausted(): boolean {
    return this.bytes <= 0 || this.descriptors <= 0;
  }

  /** Count work done: bytes moved and descriptors handled. */
  spend(bytes: number, descriptors: number): void {
    this.bytes -= bytes;
    this.descriptors -= descriptors;
  }

  /** Spend everything that is left (one operation whose cost is not in bytes, e.g. fsync). */
  spendAll(): void {
    this.bytes = Math.min(this.bytes, 0);
    this.descriptors = Math.min(this.descriptors, 0);
  }

  /** A new host step. */
  refill(): void {
    this.bytes = STEP_BYTES;
    this.descriptors = STEP_DESCRIPTORS;
  }
}
