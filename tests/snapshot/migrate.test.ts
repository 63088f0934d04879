// A running guest moves between runtimes: saved in Node, continued in Deno and in Chromium
// (the machine in a Web Worker), and back in Node, each leaving a trace for the next.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { createMachine, restoreMachine } from "../../host-ts/api.js";
import { serveDirectory } from "../support/static-server.js";
import { launchChromium } from "../support/browser.js";

const ROOT = join(__dirname, "..", "..");
const DENO = join(ROOT, "node_modules", ".bin", "deno");
let dir: string;
let fromNode: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hartvm-migrate-"));
  const vm = await createMachine();
  vm.start();
  await vm.console.waitFor(/root@hartvm.*# $/, { timeout: 120_000 });
  await vm.exec("echo node > /tmp/trail");
  fromNode = join(dir, "node.snap");
  writeFileSync(fromNode, await vm.snapshot());
  await vm.stop();
}, 150_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("migration", () => {
  it("Node → Deno → Node", async () => {
    const fromDeno = join(dir, "deno.snap");
    const r = spawnSync(DENO, ["run", `--allow-read=${ROOT},${dir}`, `--allow-write=${dir}`, join(ROOT, "examples", "migrate.mjs"), fromNode, fromDeno, "cat /tmp/trail; echo deno >> /tmp/trail"], {
      encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ output: "node\n", status: 0 });
    const back = await restoreMachine(new Uint8Array(readFileSync(fromDeno)));
    back.start();
    expect((await back.exec("cat /tmp/trail")).output).toBe("node\ndeno\n");
    await back.stop();
  }, 180_000);

  it("Node → Chromium → Node", async () => {
    let browser: Browser | null = null;
    const server = await serveDirectory(ROOT);
    const served = join(ROOT, "dist", "migrate-test.snap");
    try {
      copyFileSync(fromNode, served);
      browser = await launchChromium();
      const page = await browser.newPage();
      await page.goto(`${server.url}/tests/snapshot/browser/index.html?snapshot=/dist/migrate-test.snap&run=${encodeURIComponent("cat /tmp/trail; echo chromium >> /tmp/trail")}`);
      await page.waitForFunction(() => (window as unknown as { migrated?: unknown }).migrated, undefined, { timeout: 120_000 });
      const data = await page.evaluate(() => {
        const m = (window as unknown as { migrated: { result?: unknown; snapshot?: Uint8Array; error?: string } }).migrated;
        let base64: string | null = null;
        if (m.snapshot) {
          let binary = "";
          for (let i = 0; i < m.snapshot.length; i += 0x8000) binary += String.fromCharCode(...m.snapshot.subarray(i, i + 0x8000));
          base64 = btoa(binary);
        }
        return { result: m.result, error: m.error, snapshot: base64 };
      });
      expect(data.error, data.error).toBeUndefined();
      expect(data.result).toEqual({ output: "node\n", status: 0 });
      const back = await restoreMachine(new Uint8Array(Buffer.from(data.snapshot!, "base64")));
      back.start();
      expect((await back.exec("cat /tmp/trail")).output).toBe("node\nchromium\n");
      await back.stop();
    } finally {
      rmSync(served, { force: true });
      await browser?.close();
      await server.close();
    }
  }, 180_000);
});
