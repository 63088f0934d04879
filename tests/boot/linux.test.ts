// Linux 6.1 (images/default) boots to userspace on the virt board, prints a marker and
// powers off: with the built-in SBI, with Debian's OpenSBI, with several harts, and with
// virtio-blk disks the guest changes (checked on the image after exit).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { hartvm, describeRun, uimage, KERNEL, INITRD, OPENSBI } from "./helpers.js";

const MARKER = "echo MARKER-$((6*7))\n";
const linux = ["--kernel", KERNEL, "--initrd", INITRD, "--append", "console=ttyS0"];
let dir: string;

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), "hartvm-boot-")); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ext2Image(name: string): string {
  const path = join(dir, name);
  execFileSync("mke2fs", ["-q", "-t", "ext2", "-F", path, "8M"]);
  return path;
}

function debugfsCat(image: string, file: string): string {
  return execFileSync("debugfs", ["-R", `cat ${file}`, image], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
}

describe("Linux boot", () => {
  it("with the built-in SBI", () => {
    const r = hartvm(linux, MARKER + "poweroff\n");
    expect(r.stdout, describeRun(r)).toContain("MARKER-42");
    expect(r.stdout).toContain("SBI implementation ID=0x68617274");
    expect(r.status, describeRun(r)).toBe(0);
  });

  it("with OpenSBI fw_dynamic.bin", () => {
    expect(existsSync(OPENSBI), `${OPENSBI} missing: apt-get install opensbi`).toBe(true);
    const r = hartvm(["--bios", OPENSBI, ...linux], MARKER + "poweroff\n");
    expect(r.stdout, describeRun(r)).toContain("OpenSBI");
    expect(r.stdout).toContain("MARKER-42");
    expect(r.status, describeRun(r)).toBe(0);
  });

  it("with OpenSBI fw_jump.bin (it moves the DTB to its own address)", () => {
    const r = hartvm(["--bios", OPENSBI.replace("fw_dynamic", "fw_jump"), ...linux], MARKER + "poweroff\n");
    expect(r.stdout, describeRun(r)).toContain("Domain0 Next Address      : 0x0000000080200000");
    expect(r.stdout).toContain("MARKER-42");
    expect(r.status, describeRun(r)).toBe(0);
  });

  it.each([2, 4])("with --smp %i: every hart online", (n) => {
    const r = hartvm(["--smp", String(n), ...linux], "grep -c ^processor /proc/cpuinfo\npoweroff\n");
    expect(r.stdout, describeRun(r)).toMatch(new RegExp(`^${n}\\r?$`, "m"));
    expect(r.stdout).toContain(`smp: Brought up 1 node, ${n} CPUs`);
    expect(r.status, describeRun(r)).toBe(0);
  });

  // The same shell work interpreted only and with every block compiled on first visit
  // (on two harts): the answers must agree, and the second run must really have compiled.
  it("--jit 1 --smp 2 gives the answers --jit off gives", () => {
    const work = [
      "md5sum /bin/busybox",
      "seq 1 300 | sort -rn | md5sum",
      "awk 'BEGIN { s = 0; for (i = 0; i < 30000; i++) s += i * i % 7; print s }'",
      "for i in 1 2 3 4 5; do echo $((i * i)); done | tr '\\n' ,; echo",
      "poweroff",
    ].join("\n") + "\n";
    const answers = (out: string) => out.split("\n").filter((l) => /^[0-9a-f]{32}  |^\d+\r?$|^1,4,9,/.test(l)).join("\n");
    const off = hartvm(["--jit", "off", ...linux], work);
    const on = hartvm(["--jit", "1", "--jit-stats", "--smp", "2", ...linux], work);
    expect(off.status, describeRun(off)).toBe(0);
    expect(on.status, describeRun(on)).toBe(0);
    expect(answers(off.stdout).split("\n").length, describeRun(off)).toBe(4);
    expect(answers(on.stdout)).toBe(answers(off.stdout));
    const blocks = Number(/"blocks":(\d+)/.exec(on.stderr)?.[1] ?? 0);
    expect(blocks, on.stderr).toBeGreaterThan(1000);
  });

  // QEMU's loader order: ELF, uImage, then raw. `mkimage -A riscv -O linux -T kernel -C gzip
  // -a 0x80200000 -e 0x80200000`: QEMU gunzips it; fw_dynamic is told its entry point.
  it("the default guest's kernel as a gzip uImage, with OpenSBI fw_dynamic.bin", () => {
    const image = join(dir, "Image.uimg");
    writeFileSync(image, uimage(gzipSync(gunzipSync(readFileSync(KERNEL))), 0x8020_0000, 1));
    const r = hartvm(["--bios", OPENSBI, "--kernel", image, "--initrd", INITRD, "--append", "console=ttyS0"], MARKER + "poweroff\n");
    expect(r.stdout, describeRun(r)).toContain("Domain0 Next Address      : 0x0000000080200000");
    expect(r.stdout).toContain("MARKER-42");
    expect(r.status, describeRun(r)).toBe(0);
  });

  it("with OpenSBI and --smp 2", () => {
    const r = hartvm(["--bios", OPENSBI, "--smp", "2", ...linux], "grep -c ^processor /proc/cpuinfo\npoweroff\n");
    expect(r.stdout, describeRun(r)).toMatch(/^2\r?$/m);
    expect(r.status, describeRun(r)).toBe(0);
  });

  it("with a virtio-blk ext2 disk the guest writes", () => {
    const image = ext2Image("rw.img");
    const r = hartvm([...linux, "--drive", image],
      "mount /dev/vda /mnt\necho written-by-guest > /mnt/hello.txt\numount /mnt\npoweroff\n");
    expect(r.status, describeRun(r)).toBe(0);
    expect(debugfsCat(image, "/hello.txt")).toBe("written-by-guest\n");
  });

  it("with readonly=on the guest's write fails and the image is unchanged", () => {
    const image = ext2Image("ro.img");
    const before = readFileSync(image);
    const r = hartvm([...linux, "--drive", `${image},readonly=on`],
      "mount /dev/vda /mnt\necho x > /mnt/new.txt || echo WRITE-REFUSED\npoweroff\n");
    expect(r.stdout, describeRun(r)).toContain("WRITE-REFUSED");
    expect(r.status, describeRun(r)).toBe(0);
    expect(readFileSync(image).equals(before)).toBe(true);
  });

  it("--dump-dtb writes a tree dtc reads back without errors", () => {
    const out = join(dir, "virt.dtb");
    const r = hartvm(["--smp", "2", ...linux, "--dump-dtb", out]);
    expect(r.status, describeRun(r)).toBe(0);
    const dts = execFileSync("dtc", ["-I", "dtb", "-O", "dts", out], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(dts).toContain('compatible = "riscv-virtio"');
    expect(dts).toContain("cpu@1");
    expect(dts).toContain('bootargs = "console=ttyS0"');
    expect(dts).toMatch(/linux,initrd-start/);
  });

  it("--dtb boots with a given tree", () => {
    const out = join(dir, "given.dtb");
    expect(hartvm([...linux, "--dump-dtb", out]).status).toBe(0);
    const r = hartvm([...linux, "--dtb", out], MARKER + "poweroff\n");
    expect(r.stdout, describeRun(r)).toContain("MARKER-42");
    expect(r.status).toBe(0);
  });
});

describe("bad boot input", () => {
  function usage(args: string[], pattern: RegExp) {
    const r = hartvm(args);
    expect(r.status, describeRun(r)).toBe(2);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  }

  it("a missing kernel, a corrupt gzip, a truncated uImage, -m 0", () => {
    usage(["--kernel", join(dir, "missing-Image")], /kernel '.*missing-Image' does not exist/);
    const gz = join(dir, "corrupt.gz");
    const good = readFileSync(KERNEL);
    writeFileSync(gz, good.subarray(0, good.length >> 1));
    usage(["--kernel", gz, "--initrd", INITRD], /corrupt gzip/);
    // (a file that is none of ELF, uImage or Image is a raw binary, as on QEMU: no error)
    const truncated = join(dir, "truncated-uImage");
    writeFileSync(truncated, uimage(gunzipSync(good), 0x8020_0000).subarray(0, 1000));
    usage(["--kernel", truncated], /truncated uImage \(the header says \d+ bytes of data, the file has 936\)/);
    usage(["-m", "0", ...linux], /greater than zero/);
  });

  it("--drive with a missing file, --kernel pointing at a directory", () => {
    usage([...linux, "--drive", join(dir, "no-such.img")], /cannot open disk image .*no-such\.img: no such file/);
    usage(["--kernel", dir], /is a directory/);
  });
});
