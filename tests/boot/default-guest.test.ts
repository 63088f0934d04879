// `npx hartvm` with no kernel boots the embedded default guest (images/default); with stdin
// piped, the lines go to its shell, as a user scripting it would do.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hartvm, describeRun } from "./helpers.js";

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), "hartvm-default-")); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the default guest", () => {
  it("answers uname, shows the ISA, keeps a file written to --drive, powers off with 0", () => {
    const image = join(dir, "disk.img");
    execFileSync("mke2fs", ["-q", "-t", "ext2", "-F", image, "8M"]);
    const script = [
      "uname -m",
      "grep ^isa /proc/cpuinfo",
      "date +%s", // clock_gettime through the vDSO reads the time CSR from U-mode
      "mount /dev/vda /mnt",
      "echo kept-after-poweroff > /mnt/note.txt",
      "umount /mnt",
      "poweroff",
    ].join("\n") + "\n";
    const r = hartvm(["--drive", image], script);
    expect(r.status, describeRun(r)).toBe(0);
    expect(r.stdout).toMatch(/^riscv64\r?$/m);
    expect(r.stdout).toMatch(/^isa\s*: rv64imafdc/m);
    expect(r.stdout).toContain("root@hartvm");
    expect(r.stdout).toMatch(/^1[7-9]\d{8}\r?$/m); // seconds since the epoch, not "Illegal instruction"
    const text = execFileSync("debugfs", ["-R", "cat /note.txt", image], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    expect(text).toBe("kept-after-poweroff\n");
  });

  it("reboot restarts the machine; --no-reboot makes it exit", () => {
    const once = hartvm(["--no-reboot"], "reboot\n");
    expect(once.status, describeRun(once)).toBe(0);
    expect(once.stdout.match(/Linux version/g)).toHaveLength(1);
    const twice = hartvm([], "reboot\n", 15);
    expect(twice.status, describeRun(twice)).toBe(124); // it came back up and waited at the prompt
    expect(twice.stdout.match(/Linux version/g)?.length).toBeGreaterThanOrEqual(2);
  });
});
