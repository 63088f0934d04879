#!/usr/bin/env node
// Host side of the 9p and console guest tests, for checking the guest scripts by hand:
//   node tests/guest-pending/run-guest.mjs qemu      # the reference (qemu-system-riscv64)
//   node tests/guest-pending/run-guest.mjs hartvm    # once --share exists (9p part only)
// Prepares a share (with symlinks that point outside it), an "outside" directory that
// must stay untouched, and a read-only share holding the guest scripts; boots the
// default guest; types the commands; answers the console; then checks, from the host,
// what the guest reported and what it left behind. Exit status 0 when all is well.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

const mode = process.argv[2] ?? "qemu";
const here = path.dirname(new URL(import.meta.url).pathname);
const repo = path.resolve(here, "../..");
const img = path.join(repo, "images/default");
const base = fs.mkdtempSync(path.join(os.tmpdir(), "hartvm-guest-9p-"));
const share = path.join(base, "share");
const ro = path.join(base, "ro");
const outside = path.join(base, "outside");
fs.mkdirSync(share);
fs.mkdirSync(ro);
fs.mkdirSync(path.join(outside, "dir"), { recursive: true });
fs.writeFileSync(path.join(outside, "secret.txt"), "host secret\n");
fs.symlinkSync(outside, path.join(share, "abs"));
fs.symlinkSync("../outside", path.join(share, "rel"));
for (const f of ["9p-guest.sh", "hvc-guest.sh"]) fs.copyFileSync(path.join(here, f), path.join(ro, f));
fs.writeFileSync(path.join(ro, "readme.txt"), "read-only share\n");

const snapshot = (dir) => {
  const out = [];
  const walk = (d, rel) => {
    for (const n of fs.readdirSync(d).sort()) {
      const p = path.join(d, n);
      const st = fs.lstatSync(p);
      out.push(`${rel}${n} ${st.mode} ${st.size} ${st.mtimeMs} ${st.isFile() ? createHash("md5").update(fs.readFileSync(p)).digest("hex") : ""}`);
      if (st.isDirectory()) walk(p, `${rel}${n}/`);
    }
  };
  walk(dir, "");
  return out.join("\n");
};
const outsideBefore = snapshot(outside);
const roBefore = snapshot(ro);

const hvc = mode === "qemu" ? "/dev/hvc1" : "/dev/hvc1"; // hvc0 is the SBI console with the default kernel
const commands = [
  "mkdir -p /mnt /ro",
  "mount -t 9p -o trans=virtio share /mnt && mount -t 9p -o trans=virtio ro /ro && echo MOUNTS-OK",
  `sh /ro/9p-guest.sh /mnt ${outside} /ro 2>&1`,
  mode === "qemu" ? `sh /ro/hvc-guest.sh ${hvc}` : "",
  "umount /mnt /ro; poweroff",
].filter(Boolean);

let vm;
let consoleServer = null;
if (mode === "qemu") {
  const kernel = path.join(base, "Image");
  fs.writeFileSync(kernel, (await import("node:zlib")).gunzipSync(fs.readFileSync(path.join(img, "Image.gz"))));
  const sock = path.join(base, "hvc.sock");
  consoleServer = net.createServer((c) => {
    let buf = "";
    c.on("data", (d) => {
      buf += d.toString("latin1");
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        c.write(line.toUpperCase() + "\n");
      }
    });
  });
  await new Promise((r) => consoleServer.listen(sock, r));
  const append = JSON.parse(fs.readFileSync(path.join(img, "manifest.json"), "utf8")).kernel_cmdline;
  vm = spawn("qemu-system-riscv64", [
    "-M", "virt", "-m", "256M", "-nographic", "-kernel", kernel, "-initrd", path.join(img, "initramfs.cpio.gz"), "-append", append,
    "-fsdev", `local,id=f0,path=${share},security_model=none`, "-device", "virtio-9p-device,fsdev=f0,mount_tag=share",
    "-fsdev", `local,id=f1,path=${ro},security_model=none,readonly=on`, "-device", "virtio-9p-device,fsdev=f1,mount_tag=ro",
    "-device", "virtio-serial-device", "-chardev", `socket,id=c0,path=${sock}`, "-device", "virtconsole,chardev=c0",
  ], { stdio: ["pipe", "pipe", "inherit"] });
} else {
  vm = spawn(process.execPath, [path.join(repo, "bin/hartvm.js"), "--share", `${share},tag=share`, "--share", `${ro},tag=ro,readonly=on`, "--timeout", "900"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
}

let log = "";
let typed = false;
vm.stdout.on("data", (d) => {
  log += d.toString("latin1");
  process.stdout.write(d);
  if (!typed && log.includes("root@hartvm:")) {
    typed = true;
    vm.stdin.write(commands.join("\n") + "\n");
  }
});
const timer = setTimeout(() => vm.kill(), 900_000);
await new Promise((r) => vm.on("exit", r));
clearTimeout(timer);
consoleServer?.close();

const problems = [];
const result = /9P-GUEST-RESULT fails=(\d+)/.exec(log);
if (!log.includes("MOUNTS-OK")) problems.push("the shares did not mount");
if (!result) problems.push("the guest script did not finish");
else if (result[1] !== "0") problems.push(`the guest reported ${result[1]} failure(s): ${[...log.matchAll(/FAIL [^\r\n]*/g)].map((m) => m[0]).join("; ")}`);
for (const m of log.matchAll(/HOST md5 (\S+) (\w+)/g)) {
  const got = createHash("md5").update(fs.readFileSync(path.join(share, m[1]))).digest("hex");
  if (got !== m[2]) problems.push(`${m[1]}: guest md5 ${m[2]}, host ${got}`);
}
for (const m of log.matchAll(/HOST symlink (\S+) (\S+)/g)) {
  const p = path.join(share, m[1]);
  if (!fs.lstatSync(p).isSymbolicLink() || fs.readlinkSync(p) !== m[2]) problems.push(`${m[1]} is not a symlink to ${m[2]} on the host`);
}
if (snapshot(outside) !== outsideBefore) problems.push("the outside directory changed");
if (snapshot(ro) !== roBefore) problems.push("the read-only share changed");
if (fs.readdirSync(base).some((n) => !["share", "ro", "outside", "Image", "hvc.sock"].includes(n))) problems.push(`new entries next to the share: ${fs.readdirSync(base)}`);
if (mode === "qemu" && !log.includes("HVC-RESULT ok")) problems.push("the console echo failed");
console.log(problems.length ? `\nPROBLEMS:\n- ${problems.join("\n- ")}` : `\nALL CHECKS PASSED (${mode})`);
fs.rmSync(base, { recursive: true, force: true });
process.exit(problems.length ? 1 : 0);
