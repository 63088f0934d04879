// The console as a terminal: xterm.js (its DOM renderer, so the text is in the page for
// tests and screen readers), fitted to its element, UTF-8 both ways.
import { Terminal } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";

export function openTerminal(element: HTMLElement, type: (data: string | Uint8Array) => void): Terminal {
  const term = new Terminal({
    cursorBlink: false,
    fontFamily: '"DejaVu Sans Mono", "Liberation Mono", ui-monospace, monospace',
    fontSize: 14,
    scrollback: 10_000,
    theme: { background: "#000000" },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(element);
  fit.fit();
  // Strings from xterm are what the keyboard produced; hartvm encodes them as UTF-8.
  term.onData((data) => type(data));
  // Binary input (some mouse reports) is one byte per character.
  term.onBinary((data) => type(Uint8Array.from(data, (c) => c.charCodeAt(0))));
  let pending = false;
  new ResizeObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      fit.fit();
    });
  }).observe(element);
  return term;
}
