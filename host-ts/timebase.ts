/** mtime ticks per second on the virt board (QEMU's timebase-frequency). */
export const TIMEBASE_HZ = 10_000_000;
