// The host-directory backend checked in whatever runtime runs this file (bundled by
// 9p-deno.test.ts and run under Deno): prints PASS/FAIL lines and exits 1 on any FAIL.
import * as fs from "node:fs";
import * as os from "node:os";
import { openHostFsBackend } from "../../host-ts/platform/host-fs-backend.js";
import { P9Client, O, errnoOf, SETATTR } from "./9p-client.js";
const base = fs.mkdtempSync(os.tmpdir() + "/deno9p-");
fs.mkdirSync(base + "/share/d", { recursive: true });
fs.mkdirSync(base + "/outside");
fs.writeFileSync(base + "/outside/secret", "s");
fs.symlinkSync(base + "/outside", base + "/share/abs");
const results: string[] = [];
const ok = (name: string, cond: boolean) => results.push(`${cond ? "PASS" : "FAIL"} ${name}`);
for (const resolution of ["auto", "checked-paths"] as const) {
  const b = openHostFsBackend(base + "/share", { resolution });
  ok(`${resolution}: resolution is ${b.resolution}`, true);
  const c = new P9Client({ backend: b, tag: "t" });
  c.mount();
  c.walk(0, 1, []);
  c.lcreate(1, "f", O.RDWR, 0o640);
  c.write(1, 0, new TextEncoder().encode("deno data"));
  ok("read back", new TextDecoder().decode(c.read(1, 0, 100)) === "deno data");
  ok("mode exact", (fs.lstatSync(base + "/share/f").mode & 0o777) === 0o640);
  c.clunk(1);
  c.walk(0, 2, []);
  c.lopen(2, O.RDONLY | O.DIRECTORY);
  const names = c.readdirAll(2).map((e) => e.name).sort();
  ok("readdir " + names.join(","), names.join(",") === ".,..,abs,d,f");
  c.walkTo(3, "abs");
  ok("open symlink ELOOP", errnoOf(() => c.lopen(3, O.RDONLY)) === 40);
  ok("create over symlink name refused", errnoOf(() => c.lcreate(0, "abs", O.WRONLY | O.TRUNC, 0o644)) !== 0);
  c.walkTo(4, "d");
  fs.renameSync(base + "/share/d", base + "/share/d.real");
  fs.symlinkSync(base + "/outside", base + "/share/d");
  ok("swapped dir refused", errnoOf(() => c.lcreate(4, "planted", O.WRONLY, 0o644)) === 20);
  ok("outside untouched", fs.readdirSync(base + "/outside").join() === "secret");
  c.walkTo(5, "f");
  c.setattr(5, { valid: SETATTR.size | SETATTR.mode, size: 4, mode: 0o600 });
  ok("setattr", fs.lstatSync(base + "/share/f").size === 4 && (fs.lstatSync(base + "/share/f").mode & 0o777) === 0o600);
  c.unlinkat(0, "f");
  fs.rmSync(base + "/share/d");
  fs.renameSync(base + "/share/d.real", base + "/share/d");
  b.close();
}
console.log(results.join("\n"));
if (results.some((r) => r.startsWith("FAIL"))) process.exitCode = 1;
fs.rmSync(base, { recursive: true });
