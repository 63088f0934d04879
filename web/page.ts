// The page's user interface: the terminal, the controls and the status line, drawing what
// the machine's worker reports.
import type { Terminal } from "@xterm/xterm";
import type { FromWorker, MachineState, ToWorker, Download } from "./protocol.js";
import { openTerminal } from "./terminal.js";
import { TtySize } from "./tty-size.js";
import { StatusLine, bytes } from "./status.js";
import { OutputPacer } from "./output-pacer.js";
import { filePicker, dropTargets, readFile, download, type FileUse } from "./files.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** A browser task boundary: start-up is cut into pieces that each leave the thread soon. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Takes over the worker's messages; `early` are those that came before the page was ready. */
export async function startPage(worker: Worker, early: FromWorker[], notes: string[]): Promise<void> {
  const page = new Page(worker);
  await nextTask();
  page.wire();
  for (const note of notes) page.showMessage(note, "notice");
  worker.onmessage = ({ data }: MessageEvent<FromWorker>) => page.handle(data);
  worker.onerror = (e) => page.showMessage(`The machine's worker failed: ${e.message || "it could not be loaded"}`, "error");
  for (const data of early.splice(0)) page.handle(data);
  page.term.focus();
}

class Page {
  readonly term: Terminal;
  private readonly tty: TtySize;
  private readonly status = new StatusLine($("status"));
  private readonly output = new OutputPacer((bytes) => this.term.write(bytes, () => this.tty.output()));
  private state: MachineState = "loading";

  constructor(private readonly worker: Worker) {
    const type = (data: string | Uint8Array) => this.send({ type: "input", data });
    this.term = openTerminal($("terminal"), (data) => {
      this.tty.typed();
      type(data);
    });
    this.tty = new TtySize(this.term, type, () => this.state === "running");
  }

  send(message: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  wire(): void {
    $("pause").addEventListener("click", () => this.send({ type: this.state === "paused" ? "resume" : "pause" }));
    $("reset").addEventListener("click", () => {
      this.tty.forget(); // the guest's tty starts over
      this.send({ type: "reset" });
    });
    $("save").addEventListener("click", () => this.send({ type: "snapshot" }));
    filePicker($("restore"), $("restore-file"), (f) => void this.useFile(f, "restore"));
    filePicker($("add-disk"), $("disk-file"), (f) => void this.useFile(f, "disk"));
    dropTargets($("drop"), (f, as) => void this.useFile(f, as));
  }

  handle(data: FromWorker): void {
    switch (data.type) {
      case "output":
        this.output.push(data.bytes);
        break;
      case "state":
        this.setState(data.state, data.detail);
        break;
      case "status":
        this.status.setReport(data.report);
        break;
      case "downloads":
        this.showDownloads(data.files);
        break;
      case "snapshot":
        download(data.bytes, `hartvm-${new Date().toISOString().replace(/[:.]/g, "-")}.snapshot`);
        this.showMessage(`Saved a snapshot (${bytes(data.bytes.length)}). Restore it here, in another tab, or in Node with restoreMachine().`, "notice");
        break;
      case "notice":
      case "exit":
        this.showMessage(data.message, "notice");
        break;
      case "error":
        $("progress").hidden = true;
        this.showMessage(data.message, "error");
        break;
    }
  }

  showMessage(text: string, kind: "error" | "notice"): void {
    const m = $("message");
    m.textContent = text;
    m.className = kind;
    m.hidden = false;
  }

  private setState(next: MachineState, detail: string): void {
    if (next === "loading") this.tty.forget();
    // A new machine (booted, restored, with a new disk) gets a line of its own in the terminal.
    if (this.state === "loading" && next === "running") this.term.write(`\x1b[90m── hartvm: ${detail} ──\x1b[0m\r\n`);
    this.state = next;
    this.status.setState(next, detail);
    const live = next === "running" || next === "paused";
    const pause = $<HTMLButtonElement>("pause");
    pause.disabled = !live;
    pause.textContent = next === "paused" ? "Resume" : "Pause";
    $<HTMLButtonElement>("save").disabled = !live;
    $<HTMLButtonElement>("reset").disabled = next === "loading";
    if (next === "running") this.tty.check(); // resized while paused
  }

  private showDownloads(files: Download[]): void {
    const box = $("progress");
    const bar = $<HTMLProgressElement>("progress-bar");
    const loaded = files.reduce((n, f) => n + f.loaded, 0);
    const known = files.every((f) => f.total !== null);
    const total = files.reduce((n, f) => n + (f.total ?? f.loaded), 0);
    box.hidden = files.every((f) => f.done);
    if (known && total > 0) {
      bar.max = total;
      bar.value = loaded;
    } else {
      bar.removeAttribute("value"); // indeterminate: the server did not say how much
    }
    const pending = files.filter((f) => !f.done).map((f) => f.name).join(", ");
    $("progress-text").textContent = `Downloading ${pending}: ${bytes(loaded)}${known ? ` of ${bytes(total)}` : ""}`;
    // What was fetched, for scripts: the bar itself is gone once everything has arrived.
    Object.assign(box.dataset, { files: files.map((f) => f.name).join(" "), loaded: String(loaded), total: String(total) });
  }

  private async useFile(file: File, as: FileUse): Promise<void> {
    try {
      const { name, bytes } = await readFile(file);
      this.send({ type: as === "restore" ? "restore" : "add-disk", name, bytes }, [bytes.buffer]);
    } catch (e) {
      this.showMessage(`Reading ${file.name} failed: ${(e as Error).message}`, "error");
    }
  }
}
