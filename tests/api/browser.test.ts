// The same consumer logic in Chromium, the machine in a module Web Worker.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { serveDirectory } from "../support/static-server.js";
import { launchChromium } from "../support/browser.js";

const ROOT = join(__dirname, "..", "..");
let server: Awaited<ReturnType<typeof serveDirectory>>;
let browser: Browser;

beforeAll(async () => {
  server = await serveDirectory(ROOT);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("in Chromium", () => {
  it("boots the default guest in a Web Worker and runs a command", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${server.url}/examples/browser/index.html`);
    await page.waitForFunction(() => (window as unknown as { exampleResult?: unknown }).exampleResult, undefined, { timeout: 180_000 });
    const data = await page.evaluate(() => (window as unknown as { exampleResult: { result?: Record<string, unknown>; error?: string } }).exampleResult);
    expect(data.error, data.error).toBeUndefined();
    expect(errors).toEqual([]);
    expect(data.result).toMatchObject({ machine: "riscv64", status: 0, stillPaused: true, resumed: "resumed", finalStatus: "stopped" });
    console.log(`Chromium: prompt after ${data.result!.promptMs} ms`);
    await page.close();
  }, 200_000);
});
