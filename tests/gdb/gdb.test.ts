// End to end: Debian's gdb-multiarch debugs tests/gdb/bin/prog.elf on the hartvm CLI
// (`--bios none --kernel prog.elf -S --gdb tcp::0`), as a user would: breakpoints at
// symbols, finish, next/step/stepi, registers (x, pc, f, CSRs, priv), memory, a register
// set to change the program's result, a hardware breakpoint, Ctrl-C of a spinning loop,
// two harts as two threads, and the exit code. Needs gdb-multiarch (.ci/run installs it).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it, expect, beforeAll } from "vitest";
import { parseElf } from "../../images/elf.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const cli = join(root, "bin", "hartvm.js");
const prog = join(here, "bin", "prog.elf");
const GDB = "gdb-multiarch";
const T = 120_000;

interface Session {
  gdb: string;
  status: number | null;
  stderr: string;
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) res(child.exitCode);
    else child.once("exit", (code) => res(code));
  });
}

/**
 * Runs hartvm with a gdb stub on a free port (held at its first instruction unless
 * `running`), then gdb-multiarch in batch mode once per command list, each after `target
 * remote`. When gdb prints `interruptAfter`, it gets SIGINT a second later (the user's Ctrl-C).
 */
async function debug(commands: string[] | string[][], opts: { harts?: number; interruptAfter?: string; running?: boolean } = {}): Promise<Session> {
  const argv = [cli, "--bios", "none", "--kernel", prog, "--gdb", "tcp::0", "--smp", String(opts.harts ?? 1), "--timeout", "90"];
  if (!opts.running) argv.push("-S");
  const vm = spawn(process.execPath, argv, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  vm.stderr!.setEncoding("utf8");
  vm.stdout!.resume();
  const killer = setTimeout(() => vm.kill("SIGKILL"), T - 10_000);
  const port = await new Promise<number>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no gdb stub announced:\n${stderr}`)), 20_000);
    vm.stderr!.on("data", (d: string) => {
      stderr += d;
      const m = /listening on tcp:127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) { clearTimeout(timer); res(Number(m[1])); }
    });
    vm.once("exit", () => { clearTimeout(timer); rej(new Error(`hartvm exited early:\n${stderr}`)); });
  });
  const lists = typeof commands[0] === "string" ? [commands as string[]] : (commands as string[][]);
  let out = "";
  for (const list of lists) {
    const args = ["-nx", "-batch", prog, "-ex", "set confirm off", "-ex", "set pagination off", "-ex", `target remote 127.0.0.1:${port}`];
    for (const c of list) args.push("-ex", c);
    const gdb = spawn(GDB, args, { cwd: here, stdio: ["ignore", "pipe", "pipe"] });
    let interrupted = false;
    const collect = (d: Buffer) => {
      out += d.toString("utf8");
      if (opts.interruptAfter && !interrupted && out.includes(opts.interruptAfter)) {
        interrupted = true;
        setTimeout(() => gdb.kill("SIGINT"), 1000);
      }
    };
    gdb.stdout!.on("data", collect);
    gdb.stderr!.on("data", collect);
    const gdbKiller = setTimeout(() => gdb.kill("SIGKILL"), T - 20_000);
    await exited(gdb);
    clearTimeout(gdbKiller);
    out += "\n=== gdb exited ===\n";
  }
  // The stub has reported the exit (or the debugger left); hartvm ends on its own.
  const status = await exited(vm);
  clearTimeout(killer);
  return { gdb: out, status, stderr };
}

/** The values a `printf "NAME=%...\n"` printed, by name. */
function printed(out: string): Map<string, string> {
  return new Map([...out.matchAll(/^([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1], m[2].trim()]));
}

const elf = parseElf(readFileSync(prog), "prog.elf");
const sym = (name: string) => elf.symbols.get(name)!;
/** The program's own bytes at a virtual address (its segments are identity-mapped). */
function elfWord(addr: bigint): number {
  const seg = elf.segments.find((s) => addr >= s.paddr && addr + 4n <= s.paddr + BigInt(s.data.length))!;
  const off = Number(addr - seg.paddr);
  return new DataView(seg.data.buffer, seg.data.byteOffset + off, 4).getUint32(0, true);
}

describe("gdb-multiarch on the hartvm gdb stub", () => {
  beforeAll(() => {
    const probe = spawnSync(GDB, ["--version"], { encoding: "utf8" });
    if (probe.error || probe.status !== 0) throw new Error(`${GDB} is needed for these tests (apt-get install gdb-multiarch)`);
  });

  it("breaks at symbols, finishes, steps, reads x/pc/f/CSR/priv registers and memory, changes the result through a register", async () => {
    const s = await debug([
      'printf "PC0=%#lx\\n", $pc',
      'printf "MISA=%#lx\\n", $misa',
      'printf "PRIV=%d\\n", $priv',
      "set var release = 1",
      "break scale",
      "continue",
      "finish",
      'printf "FA0=%.2f\\n", $fa0.double',
      "tbreak *weigh",
      "break weigh",
      "continue",
      'printf "CODE_WORD=%#x\\n", code_word',
      'printf "A0=%d\\n", $a0',
      "set $a0 = 1",
      "continue",
      'printf "N=%d\\n", n',
      "next",
      "next",
      'printf "LINE_PC=%#lx\\n", $pc',
      "stepi",
      'printf "STEPI_PC=%#lx\\n", $pc',
      "x/8dw &table",
      'printf "TABLE5=%d\\n", table[5]',
      'printf "MSTATUS=%#lx\\n", $mstatus',
      'printf "MHARTID=%d\\n", $mhartid',
      "info registers sp",
      "hbreak leaf",
      "delete 2",
      "continue",
      'printf "LEAF_V=%d\\n", v',
      "continue",
    ]);
    const v = printed(s.gdb);
    const ctx = `--- gdb ---\n${s.gdb}\n--- hartvm ---\n${s.stderr}`;
    expect(v.get("PC0"), ctx).toBe("0x80000000");
    expect(v.get("MISA"), ctx).toBe("0x800000000014112d");
    expect(v.get("PRIV"), ctx).toBe("3");
    expect(s.gdb, ctx).toMatch(/Breakpoint 1, scale \(x=2\) at src\/prog\.c:\d+/);
    expect(s.gdb, ctx).toMatch(/Value returned is \$\d+ = 3/);
    expect(v.get("FA0"), ctx).toBe("3.00");
    expect(s.gdb, ctx).toMatch(/Temporary breakpoint 2, .*weigh/);
    // main read weigh's first word while a breakpoint sat on it: the original instruction.
    expect(v.get("CODE_WORD"), ctx).toBe("0x" + elfWord(sym("weigh")).toString(16));
    expect(v.get("A0"), ctx).toBe("2");
    expect(s.gdb, ctx).toMatch(/Breakpoint 3, weigh \(n=1\) at src\/prog\.c:\d+/);
    expect(v.get("N"), ctx).toBe("1");
    expect(s.gdb, ctx).toMatch(/^\d+\s+for \(int i = 0; i < 8; i\+\+\)$/m);
    expect(s.gdb, ctx).toMatch(/^\d+\s+sum \+= table\[i\] \* \(i \+ n\);$/m);
    const linePc = BigInt(v.get("LINE_PC")!), stepiPc = BigInt(v.get("STEPI_PC")!);
    expect(stepiPc - linePc === 2n || stepiPc - linePc === 4n, ctx).toBe(true);
    expect(s.gdb, ctx).toMatch(/<table>:\s+3\s+1\s+4\s+1\s*\n.*<table\+16>:\s+5\s+9\s+2\s+6/);
    expect(v.get("TABLE5"), ctx).toBe("9");
    expect(BigInt(v.get("MSTATUS")!) & 0x6000n, ctx).not.toBe(0n); // FS on (start.S)
    expect(v.get("MHARTID"), ctx).toBe("0");
    expect(s.gdb, ctx).toMatch(/^sp\s+0x8000/m);
    expect(s.gdb, ctx).toMatch(/Hardware assisted breakpoint 4 at 0x[0-9a-f]+: file src\/prog\.c/);
    expect(s.gdb, ctx).toMatch(/Breakpoint 4, leaf \(v=3\)/);
    expect(v.get("LEAF_V"), ctx).toBe("3");
    // weigh(1) = 162, + leaf(3) = 166 = 0246 (gdb prints exit codes in octal)
    expect(s.gdb, ctx).toMatch(/exited with code 0246\]/);
    expect(s.status, ctx).toBe(166);
  }, T);

  it("Ctrl-C interrupts a spinning loop; a breakpoint on the (compiled) loop then stops it each time round", async () => {
    const s = await debug([
      'echo SPINNING\\n',
      "continue",
      "bt 1",
      'printf "SPINS1=%lu\\n", spins',
      "break *$pc",
      "continue",
      'printf "SPINS2=%lu\\n", spins',
      "continue",
      'printf "SPINS3=%lu\\n", spins',
      "delete",
      "set var release = 1",
      "continue",
    ], { interruptAfter: "SPINNING" });
    const v = printed(s.gdb);
    const ctx = `--- gdb ---\n${s.gdb}\n--- hartvm ---\n${s.stderr}`;
    expect(s.gdb, ctx).toMatch(/received signal SIGINT, Interrupt\./);
    expect(s.gdb, ctx).toMatch(/#0\s+.*spin \(\) at src\/prog\.c/);
    const s1 = BigInt(v.get("SPINS1")!), s2 = BigInt(v.get("SPINS2")!), s3 = BigInt(v.get("SPINS3")!);
    expect(s1, ctx).toBeGreaterThan(10_000n); // it ran long enough to be compiled
    expect(s2 - s1 <= 1n && s3 - s2 === 1n, ctx).toBe(true); // one iteration per stop
    expect(s.gdb, ctx).toMatch(/exited with code 0305\]/);
    expect(s.status, ctx).toBe(197);
  }, T);

  it("two harts are two threads: info threads, a breakpoint hit by the second hart, thread switch", async () => {
    const s = await debug([
      "info threads",
      "break hart_tick",
      "continue",
      'printf "HIT_HARTID=%d\\n", $mhartid',
      'printf "HIT_ARG=%d\\n", hartid',
      "info threads",
      "thread 1",
      'printf "T1_HARTID=%d\\n", $mhartid',
      "thread 2",
      'printf "T2_HARTID=%d\\n", $mhartid',
      "delete",
      "set var release = 1",
      "continue",
    ], { harts: 2 });
    const v = printed(s.gdb);
    const ctx = `--- gdb ---\n${s.gdb}\n--- hartvm ---\n${s.stderr}`;
    expect(s.gdb, ctx).toMatch(/\* 1\s+Thread 1 \(hart 0, M-mode, running\)/);
    expect(s.gdb, ctx).toMatch(/ 2\s+Thread 2 \(hart 1, M-mode, running\)/);
    expect(s.gdb, ctx).toMatch(/Thread 2 hit Breakpoint 1, hart_tick \(hartid=1\)/);
    expect(v.get("HIT_HARTID"), ctx).toBe("1");
    expect(v.get("HIT_ARG"), ctx).toBe("1");
    expect(s.gdb, ctx).toMatch(/\* 2\s+Thread 2 \(hart 1, M-mode, running\) hart_tick/);
    expect(s.gdb, ctx).toMatch(/Switching to thread 1 \(Thread 1\)/);
    expect(v.get("T1_HARTID"), ctx).toBe("0");
    expect(v.get("T2_HARTID"), ctx).toBe("1");
    expect(s.gdb, ctx).toMatch(/exited with code 0305\]/);
    expect(s.status, ctx).toBe(197);
  }, T);

  it("attaches to a running machine (which stops), detaches (it runs on), and attaches again", async () => {
    const s = await debug([
      ["info threads", 'printf "SPINS1=%lu\\n", spins', "detach"],
      ['printf "SPINS2=%lu\\n", spins', "bt 1", "set var release = 1", "continue"],
    ], { running: true });
    const v = printed(s.gdb);
    const ctx = `--- gdb ---\n${s.gdb}\n--- hartvm ---\n${s.stderr}`;
    expect(s.gdb, ctx).toMatch(/\* 1\s+Thread 1 \(hart 0, M-mode, running\)/);
    expect(s.gdb, ctx).toMatch(/\[Inferior 1 \(Remote target\) detached\]/);
    expect(BigInt(v.get("SPINS2")!) > BigInt(v.get("SPINS1")!), ctx).toBe(true); // it ran between the sessions
    expect(s.gdb, ctx).toMatch(/#0\s+.*spin \(\) at src\/prog\.c/);
    expect(s.gdb, ctx).toMatch(/exited with code 0305\]/);
    expect(s.status, ctx).toBe(197);
  }, T);
});
