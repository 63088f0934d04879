// The page's main thread. The machine runs in a module Web Worker (worker/worker.ts) and
// starts downloading at once; the terminal and the controls (page.ts, with xterm.js) load
// meanwhile, in tasks of their own, and take over the worker's messages when ready.
import type { FromWorker, ToWorker } from "./protocol.js";
import { bootPlanFrom } from "./params.js";
import "@xterm/xterm/css/xterm.css";
import "./style.css";

const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
const early: FromWorker[] = [];
worker.onmessage = ({ data }: MessageEvent<FromWorker>) => early.push(data);
worker.onerror = (e) => early.push({ type: "error", message: `The machine's worker failed: ${e.message || "it could not be loaded"}` });
const { plan, notes } = bootPlanFrom(location);
worker.postMessage({ type: "start", plan } satisfies ToWorker);

const { startPage } = await import("./page.js");
await startPage(worker, early, notes);
