// A one-line progress bar on a terminal's stderr for `hartvm fleet` (nothing when it is not one).
import process from "node:process";

const WIDTH = 30;
const EVERY_MS = 100;

export class Progress {
  private total = 0;
  private finished = 0;
  private failed = 0;
  private inputDone = false;
  private readonly started = performance.now();
  private last = 0;
  private text = "";

  constructor(private readonly on: boolean) {}

  added(): void { this.total++; this.draw(); }
  inputEnded(): void { this.inputDone = true; this.draw(true); }
  done(failed: boolean): void {
    this.finished++;
    if (failed) this.failed++;
    this.draw();
  }
  note(text: string): void {
    this.text = text;
    this.draw(true);
  }

  end(): void {
    if (!this.on) return;
    this.draw(true);
    process.stderr.write("\n");
  }

  private draw(now = false): void {
    if (!this.on) return;
    const t = performance.now();
    if (!now && t - this.last < EVERY_MS) return;
    this.last = t;
    const filled = this.total === 0 ? 0 : Math.round((WIDTH * this.finished) / this.total);
    const rate = this.finished > 0 ? Math.round((this.finished / (t - this.started)) * 60_000) : 0;
    const of = `${this.total}${this.inputDone ? "" : "+"}`;
    const line = this.finished === 0 && this.text ? this.text : `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${this.finished}/${of} jobs, ${this.failed} failed, ${rate} jobs/min`;
    process.stderr.write(`\r\x1b[K${line}`);
  }
}
