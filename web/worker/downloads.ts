// Download progress for everything the machine fetches. hartvm reads its own files (core.wasm,
// the default guest) and every URL input with fetch(); wrapping this worker's fetch lets one
// progress bar cover them all without the page knowing which files a machine needs.
import type { Download } from "../protocol.js";

const REPORT_EVERY_MS = 50;

export interface Downloads {
  /** A new machine's files: the bar starts from zero. */
  begin(): void;
  /** The machine is made, or failed: a download that will not finish (refused, cancelled) is over too. */
  end(): void;
}

/** Installs the counting fetch. */
export function trackDownloads(report: (files: Download[]) => void): Downloads {
  const plainFetch = globalThis.fetch.bind(globalThis);
  const files = new Map<number, Download>();
  let nextId = 0;
  let lastReport = 0;
  const publish = (force: boolean) => {
    const t = performance.now();
    if (!force && t - lastReport < REPORT_EVERY_MS) return;
    lastReport = t;
    report([...files.values()].map((f) => ({ ...f })));
  };

  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const response = await plainFetch(input, init);
    if (!response.ok || !response.body) return response;
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    const declared = Number(response.headers.get("content-length"));
    const file: Download = {
      name: decodeURIComponent(url.pathname.split("/").pop() || url.host),
      loaded: 0,
      total: Number.isFinite(declared) && declared > 0 ? declared : null,
      done: false,
    };
    const id = nextId++;
    files.set(id, file);
    publish(true);
    const counted = response.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        file.loaded += chunk.byteLength;
        publish(false);
        controller.enqueue(chunk);
      },
      flush() {
        file.done = true;
        publish(true);
      },
    }));
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return {
    begin: () => files.clear(),
    end: () => {
      for (const f of files.values()) f.done = true;
      publish(true);
    },
  };
}
