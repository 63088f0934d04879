// Time from start to the default guest's shell prompt on this machine, in Chromium (the web
// page, dist/web/) and in Node (the package, dist/api.js), runs interleaved, medians printed.
//   npm run build && node tests/web/measure-prompt.mjs [runs, default 5]
// Node: a fresh process each run, from process start. Chromium: a fresh browser context each
// run (nothing cached) in a running browser, from navigation start to the prompt drawn in
// the terminal; its CPU time is the whole browser's (every process) over that span.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { readFile, readdir } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WEB = join(ROOT, "dist", "web");
const RUNS = Number(process.argv[2] ?? 5);
const PROMPT = "root@hartvm[^\\n]*# $";

function nodeRun() {
  const script = `
    import { createMachine } from ${JSON.stringify(new URL("../../dist/api.js", import.meta.url).href)};
    const vm = await createMachine();
    vm.start();
    await vm.console.waitFor(new RegExp(${JSON.stringify(PROMPT)}), { timeout: 600000 });
    const wallMs = performance.now(); // since the process started
    const { user, system } = process.cpuUsage();
    console.log(JSON.stringify({ wallMs, cpuMs: (user + system) / 1000 }));
    await vm.stop();`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`node run failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

/** CPU time (ms) of a process's descendants (here: the browser's processes), from /proc. */
async function treeCpuMs(rootPid) {
  const tick = 100; // USER_HZ on Linux
  const stats = new Map();
  for (const d of await readdir("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, "utf8");
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(d), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) * (1000 / tick) });
    } catch { /* gone */ }
  }
  let total = 0;
  const walk = (pid) => {
    total += stats.get(pid)?.cpu ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) walk(child);
  };
  walk(rootPid);
  return total - (stats.get(rootPid)?.cpu ?? 0);
}

async function chromiumRun(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
  const page = await context.newPage();
  const cpu0 = await treeCpuMs(process.pid);
  await page.goto(url);
  const handle = await page.waitForFunction((re) => {
    const rows = Array.from(document.querySelectorAll(".xterm-rows > div"), (r) => (r.textContent ?? "").replace(/\u00a0/g, " ").trimEnd()).join("\n").trimEnd() + " ";
    return new RegExp(re).test(rows) ? performance.now() : 0; // since navigation started
  }, PROMPT, { polling: 20, timeout: 600_000 });
  const wallMs = await handle.jsonValue();
  const cpuMs = (await treeCpuMs(process.pid)) - cpu0;
  await context.close();
  return { wallMs, cpuMs };
}

function serve(root) {
  const server = createServer(async (req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url, "http://x").pathname)));
    const body = path.startsWith(root + sep) ? await readFile(path).catch(() => null) : null;
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": path.endsWith(".js") ? "text/javascript" : path.endsWith(".html") ? "text/html" : path.endsWith(".css") ? "text/css" : "application/octet-stream" });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await serve(WEB);
const url = `http://127.0.0.1:${server.address().port}/index.html`;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"], // as tests/support/browser.ts
});
const results = { node: [], chromium: [] };
await chromiumRun(browser, url); // warm the browser itself (first-context costs), not counted
for (let i = 0; i < RUNS; i++) {
  results.node.push(nodeRun());
  results.chromium.push(await chromiumRun(browser, url));
  console.log(`run ${i + 1}: node ${results.node[i].wallMs.toFixed(0)} ms (cpu ${results.node[i].cpuMs.toFixed(0)}), chromium ${results.chromium[i].wallMs.toFixed(0)} ms (cpu ${results.chromium[i].cpuMs.toFixed(0)})`);
}
await browser.close();
server.close();
const m = (k, f) => median(results[k].map((r) => r[f]));
console.log(`medians of ${RUNS}: node ${m("node", "wallMs").toFixed(0)} ms wall, ${m("node", "cpuMs").toFixed(0)} ms cpu; ` +
  `chromium ${m("chromium", "wallMs").toFixed(0)} ms wall, ${m("chromium", "cpuMs").toFixed(0)} ms cpu; ` +
  `chromium/node ${(m("chromium", "wallMs") / m("node", "wallMs")).toFixed(2)}x wall`);
