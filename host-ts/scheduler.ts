// Portable timing: yielding to the event loop and sleeping, in Node, Deno and browsers.

export const now = (): number => performance.now();

const g = globalThis as unknown as { setImmediate?: (cb: () => void) => unknown };

/** Lets timers and I/O run, as cheaply as the runtime allows. */
export function yieldToEventLoop(): Promise<void> {
  if (typeof g.setImmediate === "function") return new Promise((r) => g.setImmediate!(r));
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
