// Console output reaches the terminal at most every PACE_MS while it streams (a boot log):
// each write makes xterm lay out and paint its rows again at the next frame, and a guest
// writing every few milliseconds would have the page's main thread draw 60 frames a second.
// Output after a quiet spell (the echo of a key) is written at once.
const PACE_MS = 100;

export class OutputPacer {
  private pending: Uint8Array[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private last = -Infinity;

  constructor(private readonly write: (bytes: Uint8Array) => void) {}

  push(bytes: Uint8Array): void {
    this.pending.push(bytes);
    if (this.timer !== null) return;
    const wait = this.last + PACE_MS - performance.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = null;
    this.last = performance.now();
    const chunks = this.pending;
    this.pending = [];
    if (chunks.length === 1) return this.write(chunks[0]);
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const c of chunks) {
      bytes.set(c, offset);
      offset += c.length;
    }
    this.write(bytes);
  }
}
