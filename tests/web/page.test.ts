// The web page (web/, built into dist/web/) in Debian's Chromium, headless: it boots the
// default guest in its worker, takes typing, tells the guest the terminal's size, pauses,
// and moves snapshots between the page and Node both ways; every error reaches the page.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { existsSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { restoreMachine, createMachine, HartvmError } from "../../host-ts/api.js";
import { launchChromium } from "../support/browser.js";
import { serveWeb, type WebServer } from "./web-server.js";
import { TerminalPage } from "./terminal-page.js";
import { startTrace, stopTrace } from "./main-thread.js";

const ROOT = join(__dirname, "..", "..");
const WEB = join(ROOT, "dist", "web");
const VIEWPORT = { width: 1100, height: 700 };
/** `UPDATE_SCREENSHOT=1 npx vitest run tests/web` rewrites the README's picture. */
const SCREENSHOT = join(ROOT, "docs", "web-page.png");

let server: WebServer;
let browser: Browser;
let page: Page;
let term: TerminalPage;

async function openPage(query = ""): Promise<{ page: Page; term: TerminalPage; errors: string[] }> {
  const p = await browser.newPage({ viewport: VIEWPORT, acceptDownloads: true });
  const errors: string[] = [];
  p.on("pageerror", (e) => errors.push(String(e)));
  await p.goto(`${server.url}/index.html${query}`);
  return { page: p, term: new TerminalPage(p), errors };
}

beforeAll(async () => {
  if (!existsSync(join(WEB, "app", "worker.js"))) throw new Error("dist/web/ is not built: npm run build (or npm run build:web)");
  server = await serveWeb(WEB);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the web page in Chromium", () => {
  it("boots the default guest to the prompt without blocking its main thread", async () => {
    page = await browser.newPage({ viewport: VIEWPORT, acceptDownloads: true });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    // Long tasks as the page itself sees them (wall time), for the log.
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(Math.round(e.duration)))).observe({ type: "longtask", buffered: true });
    });
    term = new TerminalPage(page);
    const url = `${server.url}/index.html`;
    await startTrace(browser, page);
    const started = Date.now();
    await page.goto(url);
    await term.waitForSizedPrompt();
    const promptMs = Date.now() - started;
    const tasks = await stopTrace(browser, url);
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    console.log(`Chromium: prompt ${promptMs} ms after navigation; main thread: ${tasks.length} tasks, longest ${tasks[0].cpuMs.toFixed(1)} ms of CPU ` +
      `(${tasks[0].wallMs.toFixed(0)} ms wall); Long Tasks API (wall, includes waiting for a CPU): [${longTasks.join(", ")}] ms`);
    expect(tasks[0].cpuMs, "the main thread's longest task during boot").toBeLessThan(50);
    expect(errors).toEqual([]);

    // The progress bar followed every download the boot needed, to the last byte.
    const progress = await page.$eval("#progress", (e) => {
      const { hidden, dataset: d } = e as HTMLElement;
      return { hidden, files: d.files ?? "", loaded: d.loaded, total: d.total };
    });
    const sizes = await Promise.all(["Image.gz", "initramfs.cpio.gz"].map(async (f) => (await readFile(join(WEB, "images", "default", f))).length));
    expect(progress.hidden).toBe(true);
    expect(progress.files.split(" ")).toEqual(expect.arrayContaining(["core.wasm", "Image.gz", "initramfs.cpio.gz"]));
    expect(Number(progress.loaded)).toBe(Number(progress.total));
    expect(Number(progress.loaded)).toBeGreaterThan(sizes[0] + sizes[1]);
    expect((await term.status()).state).toBe("running");
  }, 150_000);

  it("runs what is typed: uname -m shows riscv64", async () => {
    expect(await term.run("uname -m", { tagged: false })).toBe("riscv64"); // the first command: no other echo to mistake it for
    if (process.env.UPDATE_SCREENSHOT) {
      mkdirSync(join(ROOT, "docs"), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
    }
  });

  it("is UTF-8 both ways", async () => {
    expect(await term.run("printf '\\342\\234\\223 caf\\303\\251\\n'")).toBe("✓ café");
    // Typed input arrives as UTF-8 (busybox's line editor, built without Unicode, echoes it as '?').
    expect(await term.run("echo 'λ→✓' | od -An -tx1 | tr -d ' '")).toBe("cebbe28692e29c930a");
  });

  it("tells the guest the terminal's size, and again after a resize", async () => {
    const rows = () => page.$$eval(".xterm-rows > div", (r) => r.length);
    const told = () => page.$eval(".xterm", (e) => (e as HTMLElement).dataset.ttySize);
    expect(await told()).toMatch(/^\d+x\d+$/);
    const [r1, c1] = (await told())!.split("x");
    expect(Number(r1)).toBe(await rows());
    expect(await term.run("stty size")).toBe(`${r1} ${c1}`);

    await page.setViewportSize({ width: 800, height: 500 });
    try {
      await page.waitForFunction((before) => (document.querySelector(".xterm") as HTMLElement).dataset.ttySize !== before, `${r1}x${c1}`);
      const [r2, c2] = (await told())!.split("x");
      expect(Number(c2)).toBeLessThan(Number(c1));
      expect(Number(r2)).toBe(await rows());
      expect(await term.run("stty size")).toBe(`${r2} ${c2}`);
    } finally {
      await page.setViewportSize(VIEWPORT);
    }
  });

  it("pause stops the instruction counter and the MIPS figure; resume goes on", async () => {
    await page.click("#pause");
    await page.waitForSelector("#status[data-state=paused]");
    await page.waitForTimeout(1100); // one status report after the pause
    const paused = await term.status();
    await page.waitForTimeout(2100);
    const later = await term.status();
    expect(later.state).toBe("paused");
    expect(later.instructions).toBe(paused.instructions);
    expect(later.mips).toBe("0.0");
    expect(await page.textContent("#pause")).toBe("Resume");

    await page.click("#pause");
    await page.waitForSelector("#status[data-state=running]");
    expect(await term.run("echo resumed")).toBe("resumed");
    await page.waitForFunction((n) => Number((document.getElementById("status") as HTMLElement).dataset.instructions) > n, Number(later.instructions));
  });

  let nodeSnapshot: Uint8Array;

  it("saves a snapshot that Node restores, and Node's snapshot of it back", async () => {
    expect(await term.run("MARK=chromium-$((6*7))")).toBe("");
    const downloading = page.waitForEvent("download");
    await page.click("#save");
    const saved = await downloading;
    expect(saved.suggestedFilename()).toMatch(/^hartvm-.*\.snapshot$/);
    const bytes = new Uint8Array(await readFile((await saved.path())!));

    const vm = await restoreMachine(bytes);
    vm.start();
    expect(await vm.exec("echo $MARK")).toEqual({ output: "chromium-42\n", status: 0 });
    await vm.exec("NODEMARK=node-$((6*9))");
    nodeSnapshot = await vm.snapshot();
    await vm.stop();
    server.add("/extra/node.snapshot", nodeSnapshot);
  });

  it("restores a snapshot made in Node dropped on the page", async () => {
    await page.evaluate(async () => {
      const file = new File([await (await fetch("/extra/node.snapshot")).blob()], "node.snapshot");
      const data = new DataTransfer();
      data.items.add(file);
      document.body.dispatchEvent(new DragEvent("dragenter", { dataTransfer: data, bubbles: true }));
      const zone = document.querySelector("[data-drop=restore]")!;
      zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await term.waitForText((t) => t.endsWith("── hartvm: snapshot node.snapshot ──"), "the restored machine's line");
    expect(await page.$eval("#drop", (e) => (e as HTMLElement).hidden)).toBe(true);
    expect(await term.run("echo $MARK $NODEMARK")).toBe("chromium-42 node-54");
  });

  it("starts from ?snapshot=URL", async () => {
    const other = await openPage("?snapshot=/extra/node.snapshot");
    await other.term.waitForText((t) => t.includes("── hartvm: snapshot"), "the restored machine's line");
    expect(await other.term.run("echo $NODEMARK")).toBe("node-54");
    expect(other.errors).toEqual([]);
    await other.page.close();
  });

  it("says why a file is not a snapshot, and the machine runs on", async () => {
    const junk = new TextEncoder().encode("this is not a snapshot\n".repeat(100));
    const expected = await restoreMachine(junk).then(() => "restored?", (e: HartvmError) => e.message);
    await page.setInputFiles("#restore-file", { name: "junk.bin", mimeType: "application/octet-stream", buffer: Buffer.from(junk) });
    await page.waitForSelector("#message.error");
    expect(await term.message()).toEqual({ text: `Restoring junk.bin failed: ${expected}`, kind: "error" });
    expect(await term.run("echo still $NODEMARK")).toBe("still node-54");
  });

  it("says when an image cannot be fetched, or is too large", async () => {
    const missing = await openPage("?kernel=missing/Image");
    await missing.page.waitForSelector("#message.error");
    const expected = await createMachine({ kernel: `${server.url}/missing/Image` }).then(() => "created?", (e: HartvmError) => e.message);
    expect(expected).toMatch(/could not be fetched: HTTP 404/);
    expect(await missing.term.message()).toEqual({ text: `Booting failed: ${expected}`, kind: "error" });
    await missing.page.close();

    // Refused once the response says how large it is: the progress bar goes with the error.
    const large = await openPage("?memory=1M&kernel=images/default/Image.gz");
    await large.page.waitForSelector("#message.error");
    const tooLarge = await createMachine({ memory: "1M", kernel: `${server.url}/images/default/Image.gz` }).then(() => "created?", (e: HartvmError) => e.message);
    expect(tooLarge).toMatch(/more than the 1 MiB it may take/);
    expect(await large.term.message()).toEqual({ text: `Booting failed: ${tooLarge}`, kind: "error" });
    expect(await large.page.$eval("#progress", (e) => (e as HTMLElement).hidden)).toBe(true);
    await large.page.close();
  });

  it("adds a disk by booting again with it; what the guest wrote survives reset and power-off", async () => {
    const disk = new Uint8Array(1 << 20);
    disk.set(new TextEncoder().encode("hartvm-disk-marker"));
    await page.setInputFiles("#disk-file", { name: "data.img", mimeType: "application/octet-stream", buffer: Buffer.from(disk) });
    await term.waitForText((t) => t.includes("── hartvm: the default guest with data.img ──"), "the new machine's line");
    expect((await term.message()).text).toMatch(/^Disk data\.img is \/dev\/vda\./);
    await term.waitForSizedPrompt();
    expect(await term.run("head -c 18 /dev/vda; echo")).toBe("hartvm-disk-marker");
    expect(await term.run("printf written | dd of=/dev/vda bs=512 seek=8 conv=notrunc 2>/dev/null && sync; echo $?")).toBe("0");

    await page.click("#reset");
    await page.waitForFunction(() => document.getElementById("message")!.textContent === "The machine was reset.");
    await term.waitForSizedPrompt();
    expect(await term.run("dd if=/dev/vda bs=512 skip=8 count=1 2>/dev/null | head -c 7; echo")).toBe("written");

    // After a power-off the machine is gone: Reset makes it again, with the same disk.
    await page.click(".xterm-screen");
    await page.keyboard.type("poweroff");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#status[data-state=stopped]");
    expect(await term.message()).toEqual({ text: "The guest powered off (status 0). Reset boots it again.", kind: "notice" });
    expect(await page.isDisabled("#pause")).toBe(true);
    await page.click("#reset");
    // The new machine's line in the terminal scrolls away as soon as its kernel has printed
    // a screenful, which can happen between two looks at the screen: the status line stays.
    await page.waitForFunction(() => document.getElementById("status")!.textContent!.startsWith("running: the default guest with data.img"));
    await term.waitForSizedPrompt();
    expect(await term.run("dd if=/dev/vda bs=512 skip=8 count=1 2>/dev/null | head -c 7; echo")).toBe("written");
  }, 200_000);
});

describe("the web page when the browser has little memory", () => {
  it("says it could not allocate the guest's RAM, and what to do", async () => {
    // V8 may give a wasm memory at most 64 MiB here: the default 256 MiB guest cannot fit.
    const small = await launchChromium(["--js-flags=--wasm-max-mem-pages=1024"]);
    try {
      const p = await small.newPage();
      await p.goto(`${server.url}/index.html`);
      await p.waitForSelector("#message.error", { timeout: 60_000 });
      const text = await p.textContent("#message");
      expect(text).toMatch(/^Booting failed: cannot allocate 256 MiB of guest RAM here \(.*\)\. The browser could not give the machine that much memory: .*\?memory=128M\.$/);
    } finally {
      await small.close();
    }
  });
});
