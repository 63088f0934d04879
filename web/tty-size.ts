// The guest's idea of the terminal's size. A serial line carries bytes only (the 16550 UART
// has no window-size channel, unlike virtio-console), so the page tells the guest's tty the
// way one does on a serial console: it types `stty rows R cols C` when the shell sits at its
// prompt, with nothing typed on the line, and the size differs from what it last told.
import type { Terminal } from "@xterm/xterm";

const PROMPT_END = /[#$%>] $/;

export class TtySize {
  private told = "";
  private typedSinceOutput = false;
  /** Until the new machine writes something, the cursor line is the old machine's. */
  private outputSinceForget = false;

  constructor(private readonly term: Terminal, private readonly type: (text: string) => void, private readonly running: () => boolean) {
    term.onResize(() => this.check());
  }

  /** A new machine (booted, restored, reset) knows nothing of the terminal yet. */
  forget(): void {
    this.told = "";
    this.outputSinceForget = false;
    this.show();
  }

  typed(): void {
    this.typedSinceOutput = true;
  }

  /** After output has been written to the terminal. */
  output(): void {
    this.typedSinceOutput = false;
    this.outputSinceForget = true;
    this.check();
  }

  check(): void {
    const { rows, cols } = this.term;
    const size = `${rows}x${cols}`;
    if (size === this.told || this.typedSinceOutput || !this.outputSinceForget || !this.running() || !this.atPrompt()) return;
    this.told = size;
    this.type(`stty rows ${rows} cols ${cols}\r`);
    this.show();
  }

  private atPrompt(): boolean {
    const b = this.term.buffer.active;
    const line = b.getLine(b.baseY + b.cursorY)?.translateToString(false, 0, b.cursorX) ?? "";
    return PROMPT_END.test(line);
  }

  /** What the guest was told, for tests and curious users (data-tty-size on the terminal). */
  private show(): void {
    if (this.term.element) this.term.element.dataset.ttySize = this.told;
  }
}
