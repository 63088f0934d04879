// Runs one workload process and measures it: wall time, CPU time (user + sys, all threads),
// and the moments at which chosen lines appear in its output, each with the process's CPU
// time at that moment. Used for hartvm's CLI and for QEMU alike.
//
// The process runs under bash's `time`, which reports the child's rusage (wait4) after it
// exits: that is the only portable way to get a child's CPU time from Node. Mid-run CPU
// snapshots come from /proc/<pid>/stat (Linux; 10 ms ticks), null elsewhere.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const TIME_TAG = "BENCH-TIME";
const TICKS_PER_SECOND = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in these on Linux

/** user + sys seconds of a running process (all its threads), or null without /proc. */
export function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from 3 (state) on
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime (14, 15)
  } catch {
    return null;
  }
}

/** The pid of the only child of `pid` (the workload under the bash wrapper), or null. */
function childOf(pid) {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    return kids.length === 1 ? Number(kids[0]) : null;
  } catch {
    return null;
  }
}

/**
 * Runs `cmd argv`. `watch` maps event names to regular expressions tested on every output
 * line (stdout and stderr); the first match of each is recorded as
 * { at: seconds since start, cpu: CPU seconds then (or null), line }.
 * `stopAt`: an event name after which the workload is killed (e.g. a shell prompt).
 * `every`: a regular expression; every line matching it is recorded the same way, in order.
 * `probe`: { at: event name, read(pid) } reads something of the live workload at that event
 * (stored as the event's `probe`).
 * `expect`: an event that must have happened, else the run throws.
 * Returns { wall, cpu (whole run), status, events, lines (the `every` matches), out }.
 */
export function measure(cmd, argv, { watch = {}, every, stopAt, expect, probe, timeoutMs = 600_000 } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn("bash", ["-c", `TIMEFORMAT=$'\\n${TIME_TAG} %3R %3U %3S'; time "$@" 2>&1`, "bash", cmd, ...argv], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let workload = null;
    const workloadPid = () => (workload ??= childOf(child.pid));
    const events = {};
    const lines = [];
    let out = "";
    let err = "";
    let partial = "";
    const timer = setTimeout(() => kill(), timeoutMs);
    function kill() {
      const pid = workloadPid();
      if (pid) try { process.kill(pid, "SIGKILL"); } catch { /* already gone */ }
    }
    function snapshot(line) {
      const pid = workloadPid();
      return { at: (performance.now() - t0) / 1000, cpu: pid ? cpuSecondsOf(pid) : null, line };
    }
    function record(name, line) {
      events[name] = snapshot(line);
      if (probe?.at === name) events[name].probe = probe.read(workloadPid());
      if (name === stopAt) kill();
    }
    function onLine(raw) {
      const line = raw.replace(/\r$/, "");
      if (every?.test(line)) lines.push(snapshot(line));
      for (const [name, re] of Object.entries(watch)) if (!events[name] && re.test(line)) record(name, line);
    }
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const complete = (partial + chunk).split("\n");
      partial = complete.pop();
      for (const line of complete) onLine(line);
      // a prompt has no newline after it: test the unfinished line too
      if (stopAt && !events[stopAt] && watch[stopAt].test(partial)) record(stopAt, partial);
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => { err += chunk; });
    child.stdin.on("error", () => {}); // the workload may exit without reading its input
    child.stdin.end();
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      const wall = (performance.now() - t0) / 1000;
      if (partial) onLine(partial);
      const m = err.match(new RegExp(`${TIME_TAG} ([\\d.]+) ([\\d.]+) ([\\d.]+)`));
      const result = { wall, cpu: m ? Number(m[2]) + Number(m[3]) : null, status, events, lines, out };
      if (expect && !events[expect]) {
        reject(new Error(`${cmd} ${argv.join(" ")}: no '${expect}' (status ${status})\n${(out + err).slice(-1500)}`));
      } else resolve(result);
    });
  });
}
