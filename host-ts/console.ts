// The machine's console as a program sees it: write input, read output as an async
// iterable or a ReadableStream, and wait for text the way expect does (each match consumes
// the output up to its end, so consecutive waits see consecutive output).
import { HartvmError } from "./errors.js";

export interface WaitForOptions {
  /** Milliseconds before the wait rejects with code "timeout" (default 30000; Infinity waits forever). */
  timeout?: number;
  signal?: AbortSignal;
  /**
   * Pause the machine at the instruction boundary right after the output that matched
   * (before the guest runs on): a point that does not depend on the host's timing.
   */
  pause?: boolean;
}

export interface WaitForResult {
  /** The match, with its groups. */
  match: RegExpExecArray;
  /** The output consumed by this wait: what came before the match, and the match. */
  text: string;
  /** What came before the match. */
  before: string;
}

interface Waiter {
  pattern: RegExp;
  pause: boolean;
  resolve: (r: WaitForResult) => void;
  reject: (e: Error) => void;
}

/** Unconsumed output kept for waitFor; older text is dropped beyond this. */
const MAX_PENDING_CHARS = 1 << 20;
const DEFAULT_TIMEOUT_MS = 30_000;

export class MachineConsole implements AsyncIterable<Uint8Array> {
  private pending = "";
  private readonly decoder = new TextDecoder();
  private readonly waiters = new Set<Waiter>();
  private readonly readers = new Set<(chunk: Uint8Array | null) => void>();
  private closed: HartvmError | null = null;

  /** @internal `pauseNow` asks the machine to stop before its next instruction; settles once it stands still. */
  constructor(private readonly send: (bytes: Uint8Array) => void, private readonly pauseNow: () => Promise<void> = async () => {}) {}

  /** Types into the console (UTF-8 for strings). */
  write(data: string | Uint8Array): void {
    if (this.closed) throw this.closed;
    this.send(typeof data === "string" ? new TextEncoder().encode(data) : data.slice());
  }

  /**
   * Resolves when the output not yet consumed by an earlier wait matches `pattern`; the
   * output up to the end of the match is consumed. Rejects on timeout and when the machine
   * exits first.
   */
  waitFor(pattern: RegExp | string, opts: WaitForOptions = {}): Promise<WaitForResult> {
    const re = typeof pattern === "string" ? new RegExp(escapeRegExp(pattern)) : new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ""));
    const found = this.take(re);
    if (found) return opts.pause ? this.pauseNow().then(() => found) : Promise.resolve(found);
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => {
      const timeoutMs = opts.timeout ?? DEFAULT_TIMEOUT_MS;
      let timer: ReturnType<typeof setTimeout> | null = null;
      const done = () => {
        this.waiters.delete(waiter);
        if (timer !== null) clearTimeout(timer);
        opts.signal?.removeEventListener("abort", onAbort);
      };
      const waiter: Waiter = {
        pattern: re,
        pause: opts.pause === true,
        resolve: (r) => { done(); if (waiter.pause) void this.pauseNow().then(() => resolve(r)); else resolve(r); },
        reject: (e) => { done(); reject(e); },
      };
      const onAbort = () => waiter.reject(opts.signal!.reason instanceof Error ? opts.signal!.reason : new HartvmError("timeout", "waitFor was aborted"));
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => waiter.reject(new HartvmError("timeout", `no ${re} on the console within ${timeoutMs} ms`)), timeoutMs);
      }
      opts.signal?.addEventListener("abort", onAbort);
      this.waiters.add(waiter);
    });
  }

  /** Marks everything printed so far as consumed: the next waitFor sees only new output. */
  skip(): void {
    this.pending = "";
  }

  /** Output from now on, chunk by chunk, until the machine stops. */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const queue: (Uint8Array | null)[] = [];
    let wake: (() => void) | null = null;
    const reader = (chunk: Uint8Array | null) => {
      queue.push(chunk);
      wake?.();
    };
    if (this.closed) queue.push(null); else this.readers.add(reader);
    const finish = (): IteratorResult<Uint8Array> => {
      this.readers.delete(reader);
      return { done: true, value: undefined };
    };
    return {
      next: async () => {
        while (queue.length === 0) await new Promise<void>((r) => (wake = r));
        wake = null;
        const chunk = queue.shift()!;
        return chunk === null ? finish() : { done: false, value: chunk };
      },
      return: async () => finish(),
    };
  }

  /** Output from now on as a web ReadableStream. */
  stream(): ReadableStream<Uint8Array> {
    const it = this[Symbol.asyncIterator]();
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        const r = await it.next();
        if (r.done) controller.close(); else controller.enqueue(r.value);
      },
      async cancel() { await it.return?.(); },
    });
  }

  /** @internal Guest output arrives. */
  push(bytes: Uint8Array): void {
    for (const reader of this.readers) reader(bytes);
    this.pending += this.decoder.decode(bytes, { stream: true });
    if (this.pending.length > MAX_PENDING_CHARS) this.pending = this.pending.slice(-MAX_PENDING_CHARS);
    for (const waiter of [...this.waiters]) {
      const found = this.take(waiter.pattern);
      if (found) waiter.resolve(found);
    }
  }

  /** @internal The machine stopped: readers end, waiters reject. */
  close(error: HartvmError): void {
    if (this.closed) return;
    this.closed = error;
    for (const reader of this.readers) reader(null);
    this.readers.clear();
    for (const waiter of [...this.waiters]) waiter.reject(error);
  }

  /** @internal The machine runs again (a reset after an exit). */
  reopen(): void {
    this.closed = null;
  }

  private take(re: RegExp): WaitForResult | null {
    const match = re.exec(this.pending);
    if (!match) return null;
    const end = match.index + match[0].length;
    const text = this.pending.slice(0, end);
    this.pending = this.pending.slice(end);
    return { match, text, before: text.slice(0, match.index) };
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
