// Portable timing: yielding to the event loop and sleeping, in Node, Deno and browsers.
import { runtime } from "./platform/runtime.js";

export const now = (): number => performance.now();

const g = globalThis as unknown as { setImmediate?: (cb: () => void) => unknown };

/**
 * Browsers clamp a setTimeout(0) nested 5 deep to 4 ms (HTML's timer rules), and the run
 * loop yields every 8 ms: a third of the time would go idle. A message to ourselves is a
 * task without the clamp. Browsers only: a listening port keeps Deno's process alive.
 */
const channel = typeof g.setImmediate !== "function" && runtime === "browser" && typeof MessageChannel === "function" ? new MessageChannel() : null;
const yielded: (() => void)[] = [];
if (channel) channel.port1.onmessage = () => yielded.shift()?.();

/** Lets timers and I/O run, as cheaply as the runtime allows. */
export function yieldToEventLoop(): Promise<void> {
  if (typeof g.setImmediate === "function") return new Promise((r) => g.setImmediate!(r));
  if (channel) {
    return new Promise((r) => {
      yielded.push(r);
      channel.port2.postMessage(null);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}

/** Sleeps up to `ms`, or until wake() is called (input arrived). */
export class Sleeper {
  private wakeUp: (() => void) | null = null;
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, Math.max(0, ms));
      const self = this;
      function done() {
        clearTimeout(t);
        self.wakeUp = null;
        resolve();
      }
      this.wakeUp = done;
    });
  }
  wake(): void {
    this.wakeUp?.();
  }
}
