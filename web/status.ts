// The status line: the machine's state and its figures, as text and as data-* attributes
// (data-state, data-instructions, data-mips) for scripts.
import type { MachineState, StatusReport } from "./protocol.js";

export class StatusLine {
  private state: MachineState = "loading";
  private detail = "";
  private report: StatusReport | null = null;

  constructor(private readonly element: HTMLElement) {}

  setState(state: MachineState, detail: string): void {
    this.state = state;
    this.detail = detail;
    this.render();
  }

  setReport(report: StatusReport): void {
    this.report = report;
    this.state = report.state;
    this.render();
  }

  private render(): void {
    const e = this.element;
    e.dataset.state = this.state;
    const parts = [`${this.state}: ${this.detail}`];
    const r = this.report;
    if (r && this.state !== "loading") {
      e.dataset.instructions = String(r.instructions);
      e.dataset.mips = r.mips.toFixed(1);
      parts.push(`${r.harts} hart${r.harts === 1 ? "" : "s"}`);
      parts.push(this.state === "running" ? `${r.mips.toFixed(0)} MIPS` : "0 MIPS");
      parts.push(`${count(r.instructions)} instructions`);
      parts.push(r.jit
        ? `JIT: ${r.jit.blocks} blocks, ${bytes(r.jit.bytes)} of wasm, ${seconds(r.jit.translateMs)} translating, ${seconds(r.jit.compileMs)} compiling${r.jit.flushes ? `, ${r.jit.flushes} flushes` : ""}, ${compiledShare(r.jit.instructions, r.instructions)} of instructions compiled`
        : "JIT off");
    }
    e.textContent = parts.join(" · ");
  }
}

function count(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  return String(n);
}

export function bytes(n: number): string {
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(0)} KiB`;
  return `${n} B`;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`;
}

function compiledShare(compiled: number, all: number): string {
  return all > 0 ? `${((100 * compiled) / all).toFixed(0)}%` : "0%";
}
