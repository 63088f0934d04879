// `npm run web` (web/build.mjs --serve): esbuild's own server gives the page, its bundles and
// the files the bundled host looks up next to them; and the package ships the built page.
import { describe, it, expect } from "vitest";
import { spawn, execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe("npm run web", () => {
  it("builds the page and serves it on the port asked for", async () => {
    const port = await freePort();
    const outdir = mkdtempSync(join(tmpdir(), "hartvm-web-")); // dist/web/ may be in use by the page's tests
    const child = spawn(process.execPath, [join(ROOT, "web", "build.mjs"), "--serve", "--port", String(port), "--outdir", outdir], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    try {
      let out = "";
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (d) => { out += d; if (out.includes(`http://localhost:${port}/`)) resolve(); });
        child.stderr.on("data", (d) => { out += d; });
        child.on("exit", (code) => reject(new Error(`web/build.mjs exited (${code}): ${out}`)));
      });
      const get = async (path: string) => {
        const r = await fetch(`http://127.0.0.1:${port}${path}`);
        return { status: r.status, type: r.headers.get("content-type"), body: new Uint8Array(await r.arrayBuffer()) };
      };
      const index = await get("/");
      expect(index.status).toBe(200);
      expect(new TextDecoder().decode(index.body)).toContain('<script type="module" src="app/main.js">');
      for (const path of ["/app/main.js", "/app/main.css", "/app/worker.js", "/build/core.wasm", "/build/zstd.wasm", "/images/default/manifest.json", "/images/default/Image.gz"]) {
        expect((await get(path)).status, path).toBe(200);
      }
      expect((await get("/build/core.wasm")).body.subarray(0, 4)).toEqual(new Uint8Array([0, 0x61, 0x73, 0x6d]));
    } finally {
      child.kill();
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);

  it("is in the package, under dist/web/", () => {
    const [{ files }] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })) as [{ files: { path: string }[] }];
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["dist/web/index.html", "dist/web/app/main.js", "dist/web/app/worker.js", "dist/web/build/core.wasm",
      "dist/web/images/default/Image.gz", "dist/web/images/default/initramfs.cpio.gz"]));
  });
});
