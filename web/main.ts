// The page's main thread: the terminal, the controls and the status line. The machine runs
// in a module Web Worker (worker/worker.ts); this thread only draws what it reports.
import type { FromWorker, MachineState, ToWorker, Download } from "./protocol.js";
import { openTerminal } from "./terminal.js";
import { TtySize } from "./tty-size.js";
import { StatusLine, bytes } from "./status.js";
import { bootPlanFrom } from "./params.js";
import { filePicker, dropTargets, readFile, download, type FileUse } from "./files.js";
import "./style.css";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
const send = (message: ToWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer);

let state: MachineState = "loading";
const type = (data: string | Uint8Array) => send({ type: "input", data });
const term = openTerminal($("terminal"), (data) => {
  tty.typed();
  type(data);
});
const tty = new TtySize(term, type, () => state === "running");
const status = new StatusLine($("status"));

function showMessage(text: string, kind: "error" | "notice"): void {
  const m = $("message");
  m.textContent = text;
  m.className = kind;
  m.hidden = false;
}

function showDownloads(files: Download[]): void {
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
  $("progress-text").textContent = `Downloading ${files.filter((f) => !f.done).map((f) => f.name).join(", ")}: ${bytes(loaded)}${known ? ` of ${bytes(total)}` : ""}`;
  // What was fetched, for scripts: the bar itself is gone once everything has arrived.
  Object.assign(box.dataset, { files: files.map((f) => f.name).join(" "), loaded: String(loaded), total: String(total) });
}

function setState(next: MachineState, detail: string): void {
  if (next === "loading" || (state === "loading" && next === "running")) tty.forget();
  state = next;
  status.setState(next, detail);
  const live = next === "running" || next === "paused";
  const pause = $<HTMLButtonElement>("pause");
  pause.disabled = !live;
  pause.textContent = next === "paused" ? "Resume" : "Pause";
  $<HTMLButtonElement>("save").disabled = !live;
  $<HTMLButtonElement>("reset").disabled = next === "loading";
  if (next === "running") tty.check();
}

worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
  switch (data.type) {
    case "output":
      term.write(data.bytes, () => tty.output());
      break;
    case "state":
      setState(data.state, data.detail);
      break;
    case "status":
      status.setReport(data.report);
      break;
    case "downloads":
      showDownloads(data.files);
      break;
    case "snapshot":
      download(data.bytes, `hartvm-${new Date().toISOString().replace(/[:.]/g, "-")}.snapshot`);
      showMessage(`Saved a snapshot (${bytes(data.bytes.length)}). Restore it here, in another tab, or in Node with restoreMachine().`, "notice");
      break;
    case "notice":
    case "exit":
      showMessage(data.message, "notice");
      break;
    case "error":
      $("progress").hidden = true;
      showMessage(data.message, "error");
      break;
  }
};
worker.onerror = (e) => showMessage(`The machine's worker failed: ${e.message || "it could not be loaded"}`, "error");

$("pause").addEventListener("click", () => send({ type: state === "paused" ? "resume" : "pause" }));
$("reset").addEventListener("click", () => send({ type: "reset" }));
$("save").addEventListener("click", () => send({ type: "snapshot" }));

async function useFile(file: File, as: FileUse): Promise<void> {
  try {
    const { name, bytes } = await readFile(file);
    send({ type: as === "restore" ? "restore" : "add-disk", name, bytes }, [bytes.buffer]);
  } catch (e) {
    showMessage(`Reading ${file.name} failed: ${(e as Error).message}`, "error");
  }
}
filePicker($("restore"), $("restore-file"), (f) => void useFile(f, "restore"));
filePicker($("add-disk"), $("disk-file"), (f) => void useFile(f, "disk"));
dropTargets($("drop"), (f, as) => void useFile(f, as));

const { plan, notes } = bootPlanFrom(location);
for (const note of notes) showMessage(note, "notice");
send({ type: "start", plan });
term.focus();
