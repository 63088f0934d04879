// How long the page's main thread was busy at a stretch, from a Chromium trace: every task it
// ran, with its thread (CPU) time. Thread time, not wall time: on a shared CI machine a short
// task can wait on the CPU for a long while, which is not the page blocking. Tasks that only
// serve the test harness (DevTools protocol messages: playwright's own scripts) are left out.
import type { Browser, Page } from "playwright-core";

interface TraceEvent { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: Record<string, any> }

export interface MainThreadTask { startMs: number; cpuMs: number; wallMs: number }

export async function startTrace(browser: Browser, page: Page): Promise<void> {
  await browser.startTracing(page, { categories: ["toplevel", "devtools.timeline"] });
}

/** The page's main-thread tasks since `url` was committed, longest (in thread time) first. */
export async function stopTrace(browser: Browser, url: string): Promise<MainThreadTask[]> {
  const { traceEvents } = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
  const commit = traceEvents.find((e) => e.name === "CommitLoad" && e.args?.data?.url === url);
  if (!commit) throw new Error(`the trace has no CommitLoad of ${url}`);
  const mainTid = traceEvents.find((e) => e.ph === "M" && e.name === "thread_name" && e.pid === commit.pid && e.args?.name === "CrRendererMain")!.tid;
  const onMain = traceEvents.filter((e) => e.pid === commit.pid && e.tid === mainTid && e.ts >= commit.ts);
  const harness = onMain.filter((e) => e.name === "Receive mojo message" && e.args?.chrome_mojo_event_info?.mojo_interface_tag === "blink.mojom.DevToolsSession");
  return onMain
    .filter((e) => e.name === "ThreadControllerImpl::RunTask" && e.dur !== undefined && e.tdur !== undefined)
    .filter((t) => !harness.some((h) => h.ts >= t.ts && h.ts <= t.ts + t.dur!))
    .map((t) => ({ startMs: (t.ts - commit.ts) / 1000, cpuMs: t.tdur! / 1000, wallMs: t.dur! / 1000 }))
    .sort((a, b) => b.cpuMs - a.cpuMs);
}
