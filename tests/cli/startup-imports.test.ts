// What Node loads before the CLI runs anything: the static import graph of dist/hartvm.js.
// The fleet's libraries (Piscina, BullMQ, ioredis) cost about 250 ms to load on a small
// machine, so they must stay behind the dynamic imports of the fleet commands; an esbuild
// bundle without code splitting hoists them to the top of the file.
import { describe, it, expect } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";

const DIST = join(import.meta.dirname, "../../dist");
const STATIC_IMPORT = /^\s*import\s+(?:[\w*${}\s,]+\s+from\s+)?["']([^"']+)["']/gm;

/** Every module the static imports of `file` reach: local files and packages. */
function staticGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(join(DIST, file), "utf8");
  for (const m of text.matchAll(STATIC_IMPORT)) {
    const spec = m[1];
    if (spec.startsWith("./")) staticGraph(spec.slice(2), seen);
    else seen.add(spec);
  }
  return seen;
}

describe("the CLI's start-up", () => {
  it("loads no fleet library until a fleet command asks for one", () => {
    const graph = staticGraph("hartvm.js");
    expect(graph.size).toBeGreaterThan(1); // the entry imports its chunks
    for (const lib of ["bullmq", "ioredis", "piscina"]) expect(graph.has(lib), lib).toBe(false);
  });

  it("still reaches them through the fleet commands' dynamic imports", () => {
    const reached = new Set<string>();
    const visit = (file: string) => {
      for (const m of staticGraph(file)) {
        if (reached.has(m)) continue;
        reached.add(m);
        if (!m.endsWith(".js") || m.includes("/")) continue; // a package
        for (const d of readFileSync(join(DIST, m), "utf8").matchAll(/import\(["']\.\/([^"']+)["']\)/g)) visit(d[1]);
      }
    };
    visit("hartvm.js");
    for (const lib of ["bullmq", "ioredis", "piscina"]) expect(reached.has(lib), lib).toBe(true);
  });

  it("loads none of Node's crypto modules to make a machine (they cost a start ~5 ms): the seed comes from /dev/urandom", () => {
    const dir = mkdtempSync(join(tmpdir(), "hartvm-startup-"));
    try {
      // Reported at exit: every built-in module the process loaded whose name says crypto.
      const preload = join(dir, "report.cjs");
      writeFileSync(preload, `process.on("exit", () => require("fs").writeSync(2, "CRYPTO " + JSON.stringify(process.moduleLoadList.filter((m) => /crypto/.test(m))) + "\\n"));`);
      const dump = (name: string) => {
        const r = spawnSync(process.execPath, ["-r", preload, join(DIST, "hartvm.js"), "--dump-dtb", join(dir, name)], { encoding: "utf8", timeout: 60_000 });
        expect(r.status, r.stderr).toBe(0);
        return JSON.parse(r.stderr.match(/^CRYPTO (.*)$/m)![1]) as string[];
      };
      expect(dump("a.dtb")).toEqual([]);
      dump("b.dtb");
      // The device tree's rng-seed is random: two machines' trees differ.
      expect(Buffer.compare(readFileSync(join(dir, "a.dtb")), readFileSync(join(dir, "b.dtb")))).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

