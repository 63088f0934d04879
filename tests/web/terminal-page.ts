// The web page as a user sees it: the terminal's text read from xterm's DOM rows, keys typed
// into it, and the status line's data-* attributes.
import type { Page } from "playwright-core";

const PROMPT_LINE = /^root@hartvm[^\n]*#( |$)/;

export class TerminalPage {
  private commands = 0;

  constructor(readonly page: Page) {}

  /** The terminal's visible rows, as text (xterm's DOM renderer draws one element per row). */
  text(): Promise<string> {
    return this.page.evaluate(() =>
      Array.from(document.querySelectorAll(".xterm-rows > div"), (row) => (row.textContent ?? "").replace(/\u00a0/g, " ").trimEnd()).join("\n").trimEnd());
  }

  async waitForText(test: (text: string) => boolean, what: string, timeoutMs = 120_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const text = await this.text();
      if (test(text)) return text;
      if (Date.now() > end) throw new Error(`no ${what} in the terminal within ${timeoutMs} ms; it shows:\n${text}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The shell's prompt, once the page has told the guest the terminal's size (it does that at a prompt). */
  async waitForSizedPrompt(timeoutMs = 120_000): Promise<string> {
    return this.waitForText((t) => /# stty rows \d+ cols \d+\n[^\n]*#$/.test(t), "prompt after stty", timeoutMs);
  }

  /**
   * Types a command line and returns its output: the lines between the command's echo and
   * the next prompt. A comment with a number of its own ends the line, so the echo is told
   * apart from an earlier run of the same command still on the screen (and is plain ASCII);
   * `tagged: false` leaves it out, for a command the screen cannot show twice.
   */
  async run(command: string, { tagged = true, timeoutMs = 60_000 } = {}): Promise<string> {
    const tag = tagged ? ` #${++this.commands}` : command;
    await this.page.click(".xterm-screen");
    await this.page.keyboard.type(tagged ? command + tag : command);
    await this.page.keyboard.press("Enter");
    const output = (t: string) => {
      const lines = t.split("\n");
      const echoed = lines.findIndex((l) => l.endsWith(tag)); // a long line wraps: its last row ends with the tag
      const prompt = lines.findIndex((l, i) => i > echoed && PROMPT_LINE.test(l));
      return echoed >= 0 && prompt > 0 ? lines.slice(echoed + 1, prompt).join("\n") : null;
    };
    return output(await this.waitForText((t) => output(t) !== null, `output of '${command}'`, timeoutMs))!;
  }

  status(): Promise<{ state?: string; instructions?: string; mips?: string }> {
    return this.page.$eval("#status", (e) => ({ ...(e as HTMLElement).dataset }));
  }

  message(): Promise<{ text: string; kind: string }> {
    return this.page.$eval("#message", (e) => ({ text: e.textContent ?? "", kind: e.className }));
  }
}
