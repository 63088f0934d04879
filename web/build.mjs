// Builds the web page into dist/web/ (or --outdir DIR) with esbuild; `--serve [--port N]`
// then serves it with esbuild's own server (default port 8080) and rebuilds when a source
// changes.
//
// dist/web/ holds index.html, app/ (the page's and the worker's bundles, all at one depth)
// and copies of the files hartvm finds next to its module: build/core.wasm, build/zstd.wasm
// and images/default/. The bundled host code looks them up as new URL("../build/core.wasm",
// import.meta.url), so from app/ they resolve inside dist/web/ wherever it is served.
import * as esbuild from "esbuild";
import { copyFile, mkdir, readdir, rm, stat } from "node:fs/promises";
import { execSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";

const root = fileURLToPath(new URL("..", import.meta.url));

const ASSETS = [
  "build/core.wasm",
  "build/zstd.wasm",
  "images/default/Image.gz",
  "images/default/initramfs.cpio.gz",
  "images/default/manifest.json",
];

const options = {
  absWorkingDir: root,
  entryPoints: { "app/main": "web/main.ts", "app/worker": "web/worker/worker.ts", "index": "web/index.html" },
  bundle: true,
  format: "esm",
  splitting: true, // Node-only modules the host imports on demand stay in chunks a browser never loads
  chunkNames: "app/[name]-[hash]",
  platform: "browser",
  target: "es2022",
  external: ["node:*"],
  alias: { "@bokuweb/zstd-wasm": "./node_modules/@bokuweb/zstd-wasm/dist/web/index.web.js" },
  loader: { ".html": "copy" },
  minify: true,
  logLevel: "warning",
};

function parseArgs(argv) {
  const args = { serve: false, port: 8080, outdir: join(root, "dist", "web") };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--serve") args.serve = true;
    else if (argv[i] === "--port") args.port = Number(argv[++i]);
    else if (argv[i].startsWith("--port=")) args.port = Number(argv[i].slice(7));
    else if (argv[i] === "--outdir") args.outdir = resolve(argv[++i]);
    else throw new Error(`web/build.mjs: unknown argument '${argv[i]}' (takes --serve, --port N and --outdir DIR)`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new Error("web/build.mjs: --port takes a port number");
  return args;
}

/** `npm run web` on a fresh or edited tree: build/core.wasm is made when missing or older than its sources. */
async function ensureCore() {
  const wasm = await stat(join(root, "build/core.wasm")).catch(() => null);
  if (wasm && wasm.mtimeMs >= (await newest(join(root, "core-as")))) return;
  console.log("web/build.mjs: build/core.wasm is missing or older than core-as/: npm run build:core");
  execSync("npm run build:core", { cwd: root, stdio: "inherit" });
}

async function newest(dir) {
  let t = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, await newest(p));
    else if (/\.(ts|js)$/.test(e.name) && !p.includes(`${join("core-as", "gen")}`)) t = Math.max(t, (await stat(p)).mtimeMs);
  }
  return t;
}

async function copyAssets(out) {
  for (const file of ASSETS) {
    await mkdir(join(out, file, ".."), { recursive: true });
    await copyFile(join(root, file), join(out, file));
  }
}

const args = parseArgs(process.argv.slice(2));
const out = args.outdir;
if (args.serve) await ensureCore();
// Only what this script writes goes, so a mistaken --outdir loses nothing else.
for (const made of ["index.html", "app", "build", "images"]) await rm(join(out, made), { recursive: true, force: true });
await copyAssets(out);
if (!args.serve) {
  await esbuild.build({ ...options, outdir: out });
} else {
  const ctx = await esbuild.context({ ...options, outdir: out, sourcemap: "linked" });
  await ctx.rebuild();
  await ctx.watch();
  const { port } = await ctx.serve({ servedir: out, host: "127.0.0.1", port: args.port });
  console.log(`hartvm web page: http://localhost:${port}/  (Ctrl-C stops)`);
}
