// Console output goes to the page in batches: the machine emits many small chunks per slice,
// and one message per event loop turn of the worker is plenty for a terminal.
export class OutputRelay {
  private chunks: Uint8Array[] = [];
  private scheduled = false;

  constructor(private readonly send: (bytes: Uint8Array) => void) {}

  push(bytes: Uint8Array): void {
    this.chunks.push(bytes.slice()); // the machine may reuse its buffer
    if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => this.flush(), 0);
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.chunks.length === 0) return;
    const bytes = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const c of this.chunks) {
      bytes.set(c, offset);
      offset += c.length;
    }
    this.chunks = [];
    this.send(bytes);
  }
}
