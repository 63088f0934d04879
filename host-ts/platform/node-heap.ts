// glibc's malloc hands freed memory back to the kernel as soon as the top of a heap holds more
// than its trim threshold (128 KiB until it adapts), and serves any block over 128 KiB with a
// fresh mmap. V8's compile workers allocate and free tens of MB of zone memory during a boot,
// so the same memory is faulted in again and again: ~4,500 page faults a boot, ~16 µs each on
// a VM host. glibc adapts on its own once an mmapped block of up to 32 MiB is freed: blocks
// up to that size come from the heap from then on, and up to twice it stays mapped. Freeing
// one untouched 4 MiB block at start-up gets there before the boot rather than never.
import process from "node:process";

const BLOCK = 4 << 20;

/** On Linux, frees one untouched BLOCK-sized block (soon after this returns) so glibc keeps freed memory mapped. */
export function keepFreedHeapMemory(): void {
  if (process.platform !== "linux") return;
  const block = new ArrayBuffer(BLOCK); // calloc'd by mmap: never touched, so it costs no faults
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(block, [block]); // the unread message owns the memory now...
  port1.close(); // ...and frees it when the ports' handles close, on the next turn of the loop
  port2.close();
}
