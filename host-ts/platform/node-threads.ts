// The CLI runs its guest on the main thread; the process's other threads are helpers: V8's
// compile workers (TurboFan tiers hot region functions up, about 3.5 ms of CPU each) and
// libuv's pool. With few cores they take the CPU from the guest (with a lower JIT threshold,
// the compile workers left the main thread 68% of a core in the compute suite's
// memcpy-strided phase), which Chrome avoids by running compile jobs at background priority;
// Node leaves them at the main thread's. On Linux, where a thread's nice value is its own,
// this lowers theirs; elsewhere it does nothing.
import { readdirSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import process from "node:process";

/** Puts every thread but the main one `niceness` below it (at most nice 19); returns how many it changed. */
export function yieldHelperThreadsToGuest(niceness = 10): number {
  if (process.platform !== "linux") return 0;
  const target = Math.min(19, getPriority(process.pid) + niceness);
  let tids: string[];
  try {
    tids = readdirSync("/proc/self/task");
  } catch {
    return 0;
  }
  let changed = 0;
  for (const t of tids) {
    const tid = Number(t);
    if (tid === process.pid) continue;
    try {
      setPriority(tid, target);
      changed++;
    } catch {
      // the thread ended since the listing
    }
  }
  return changed;
}
