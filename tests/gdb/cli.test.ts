// The stub's flags, QEMU's spelling: --gdb tcp:[HOST]:PORT, -s (= tcp::1234), -S (wait).
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it, expect } from "vitest";
import { parseCommandLine, UsageError } from "../../host-ts/cli.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("gdb flags", () => {
  it("parse --gdb tcp::PORT, tcp:HOST:PORT, none, -gdb and -s; -S waits", () => {
    expect(parseCommandLine(["--gdb", "tcp::1234"]).gdb).toEqual({ host: "", port: 1234 });
    expect(parseCommandLine(["--gdb=tcp:0.0.0.0:0"]).gdb).toEqual({ host: "0.0.0.0", port: 0 });
    expect(parseCommandLine(["-gdb", "tcp:localhost:9000"]).gdb).toEqual({ host: "localhost", port: 9000 });
    expect(parseCommandLine(["--gdb", "none"]).gdb).toBeUndefined();
    expect(parseCommandLine(["-s"]).gdb).toEqual({ host: "", port: 1234 });
    const o = parseCommandLine(["-s", "-S"]);
    expect(o.waitForDebugger).toBe(true);
    expect(parseCommandLine([]).waitForDebugger).toBe(false);
    expect(parseCommandLine([]).gdb).toBeUndefined();
  });

  it("refuse malformed devices and -S without a stub, with a one-line reason", () => {
    for (const bad of ["tcp:1234", "1234", "tcp::", "tcp::99999", "unix:/tmp/x", "tcp::12a"]) {
      expect(() => parseCommandLine(["--gdb", bad]), bad).toThrow(UsageError);
    }
    expect(() => parseCommandLine(["-S"])).toThrow(/-S waits for a debugger/);
  });

  it("a port already in use is a usage error (exit 2), not a crash", async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const r = spawnSync(process.execPath, [join(root, "bin", "hartvm.js"), "--bios", "none", "--kernel", "tests/gdb/bin/prog.elf", "--gdb", `tcp::${port}`], { cwd: root, encoding: "utf8", timeout: 30_000 });
    server.close();
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`hartvm: --gdb tcp:127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
  });
});
