// The gdb session (host-ts/gdb/session.ts) over a real machine running tests/gdb/bin/prog.elf,
// driven packet by packet as gdb would: handshake, target description, registers, memory,
// breakpoints, steps, Ctrl-C, threads, exit, kill, and malformed input that must never
// take the host down.
import { describe, it, expect } from "vitest";
import { rig, leHex, fromLeHex } from "./client.js";
import { latin1, toHex } from "../../host-ts/gdb/protocol.js";

const REG_PC = 0x20;
const T = 30_000;

/** The 16 or 32 bits of the instruction at addr, and its length. */
async function insnLength(c: { cmd(t: string): Promise<string> }, addr: bigint): Promise<number> {
  const lo = parseInt((await c.cmd(`m${addr.toString(16)},1`)).slice(0, 2), 16);
  return (lo & 3) === 3 ? 4 : 2;
}

describe("gdb session", () => {
  it("handshake: qSupported, no-ack mode, empty replies for what it does not know, ? while held", async () => {
    const { client: c, target } = await rig();
    const features = await c.cmd("qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;xmlRegisters=riscv");
    expect(features.split(";")).toEqual(expect.arrayContaining(["PacketSize=4000", "qXfer:features:read+", "QStartNoAckMode+", "swbreak+", "hwbreak+"]));
    expect(c.acks).toBe(1);
    expect(await c.cmd("vMustReplyEmpty")).toBe("");
    expect(await c.cmd("QStartNoAckMode")).toBe("OK");
    const acks = c.acks;
    expect(await c.cmd("qFooBar")).toBe("");
    expect(await c.cmd("Y")).toBe("");
    expect(c.acks).toBe(acks); // no more acknowledgements
    expect(await c.cmd("?")).toBe(`T05thread:1;${REG_PC.toString(16)}:${leHex(0x8000_0000n)};`);
    expect(await c.cmd("qAttached")).toBe("1");
    expect(await c.cmd("qC")).toBe("QC1");
    expect(await c.cmd("qfThreadInfo")).toBe("m1");
    expect(await c.cmd("qsThreadInfo")).toBe("l");
    expect(await c.cmd("vCont?")).toBe("vCont;c;C;s;S;t");
    expect(target.running).toBe(false);
    c.send("k");
  }, T);

  it("serves the target description in pieces: gdb's RISC-V features, numbered as gdb numbers them", async () => {
    const { client: c } = await rig();
    let doc = "";
    for (;;) {
      const r = await c.cmd(`qXfer:features:read:target.xml:${doc.length.toString(16)},200`);
      expect(r[0]).toMatch(/[ml]/);
      doc += r.slice(1);
      if (r[0] === "l") break;
    }
    expect(doc.length).toBeGreaterThan(2000);
    expect(doc).toContain("<architecture>riscv:rv64</architecture>");
    const features = [...doc.matchAll(/<feature name="([^"]+)">/g)].map((m) => m[1]);
    expect(features).toEqual(["org.gnu.gdb.riscv.cpu", "org.gnu.gdb.riscv.fpu", "org.gnu.gdb.riscv.csr", "org.gnu.gdb.riscv.virtual"]);
    expect((doc.match(/<feature /g) ?? []).length).toBe((doc.match(/<\/feature>/g) ?? []).length);
    const regs = new Map([...doc.matchAll(/<reg name="([^"]+)" bitsize="(\d+)" regnum="(\d+)"/g)].map((m) => [m[1], { bits: +m[2], num: +m[3] }]));
    expect(regs.get("zero")).toEqual({ bits: 64, num: 0 });
    expect(regs.get("pc")).toEqual({ bits: 64, num: 32 });
    expect(regs.get("ft0")).toEqual({ bits: 64, num: 33 });
    expect(regs.get("ft11")).toEqual({ bits: 64, num: 64 });
    expect(regs.get("fflags")).toEqual({ bits: 32, num: 66 });
    expect(regs.get("fcsr")).toEqual({ bits: 32, num: 68 });
    for (const [name, csr] of [["mstatus", 0x300], ["misa", 0x301], ["satp", 0x180], ["mhartid", 0xf14], ["stimecmp", 0x14d], ["pmpaddr15", 0x3bf], ["minstret", 0xb02]] as const) {
      expect(regs.get(name), name).toEqual({ bits: 64, num: 65 + csr });
    }
    expect(regs.get("priv")).toEqual({ bits: 64, num: 65 + 4096 });
    expect(regs.has("csr1984")).toBe(false); // 0x7c0: not implemented, not described
    const nums = [...regs.values()].map((r) => r.num);
    expect(new Set(nums).size).toBe(nums.length);
    expect(await c.cmd("qXfer:features:read:other.xml:0,100")).toBe("E00");
    c.send("k");
  }, T);

  it("registers: g, p and P for x, pc, f, CSRs and priv; x0 stays zero; read-only CSRs refuse writes", async () => {
    const { client: c, sym } = await rig();
    const g = await c.cmd("g");
    expect(g).toHaveLength(33 * 16);
    expect(fromLeHex(g.slice(32 * 16))).toBe(0x8000_0000n);
    expect(await c.cmd(`P${REG_PC.toString(16)}=${leHex(sym("main"))}`)).toBe("OK");
    expect(fromLeHex(await c.cmd(`p${REG_PC.toString(16)}`))).toBe(sym("main"));
    expect(await c.cmd(`P5=${leHex(0x1234_5678_9abc_def0n)}`)).toBe("OK");
    expect(await c.cmd("p5")).toBe(leHex(0x1234_5678_9abc_def0n));
    expect(await c.cmd(`P0=${leHex(7n)}`)).toBe("OK");
    expect(await c.cmd("p0")).toBe(leHex(0n));
    expect(await c.cmd(`P2b=${leHex(0x4008_0000_0000_0000n)}`)).toBe("OK"); // fa0 = 3.0
    expect(await c.cmd("p2b")).toBe(leHex(0x4008_0000_0000_0000n));
    expect(fromLeHex(await c.cmd(`p${(65 + 0x301).toString(16)}`))).toBe(0x8000_0000_0014_112dn); // misa: RV64 ACDFIMSU
    expect(await c.cmd(`P${(65 + 0x340).toString(16)}=${leHex(0xfeedn)}`)).toBe("OK"); // mscratch
    expect(fromLeHex(await c.cmd(`p${(65 + 0x340).toString(16)}`))).toBe(0xfeedn);
    expect(await c.cmd(`P${(65 + 0xf14).toString(16)}=${leHex(3n)}`)).toMatch(/^E/); // mhartid
    expect(await c.cmd(`P${(65 + 2).toString(16)}=01000000`)).toBe("OK"); // frm, 32 bits wide
    expect(await c.cmd(`p${(65 + 2).toString(16)}`)).toBe("01000000");
    expect(fromLeHex(await c.cmd(`p${(65 + 4096).toString(16)}`))).toBe(3n); // priv: M
    expect(await c.cmd(`P${(65 + 4096).toString(16)}=${leHex(2n)}`)).toMatch(/^E/); // no such privilege
    expect(await c.cmd("p1000")).toMatch(/^E/);
    // jal x0, +4 writes its link to x0's slot; x0 still reads zero after it.
    expect(await c.cmd("M80008000,4:6f004000")).toBe("OK");
    expect(await c.cmd(`P${REG_PC.toString(16)}=${leHex(0x8000_8000n)}`)).toBe("OK");
    expect(await c.cmd("vCont;s:1")).toMatch(/^T05thread:1;20:0480008000000000;/);
    expect(await c.cmd("p0")).toBe(leHex(0n));
    expect((await c.cmd("g")).slice(0, 16)).toBe(leHex(0n));
    const all = await c.cmd("g");
    expect(await c.cmd("G" + all)).toBe("OK");
    expect(await c.cmd("G" + all.slice(2))).toMatch(/^E/);
    c.send("k");
  }, T);

  it("memory: m, M and binary X through the hart's view; unmapped addresses are errors, short reads are short", async () => {
    const { client: c, sym, machine } = await rig();
    const table = sym("table");
    expect(await c.cmd(`m${table.toString(16)},20`)).toBe([3, 1, 4, 1, 5, 9, 2, 6].map((v) => leHex(BigInt(v), 4)).join(""));
    const release = sym("release");
    expect(await c.cmd(`M${release.toString(16)},4:2a000000`)).toBe("OK");
    expect(await c.cmd(`m${release.toString(16)},4`)).toBe("2a000000");
    // Bytes the framing must escape: # $ } * and 0x03.
    const bin = Uint8Array.of(0x23, 0x24, 0x7d, 0x2a, 0x03, 0x00);
    const x = new Uint8Array([...latin1(`X${release.toString(16)},6:`), ...bin]);
    expect(await c.cmd(x)).toBe("OK");
    expect(await c.cmd(`m${release.toString(16)},6`)).toBe(toHex(bin));
    expect(await c.cmd(`X${release.toString(16)},0:`)).toBe("OK");
    expect(await c.cmd("m0,4")).toMatch(/^E/); // no RAM there
    expect(await c.cmd("m10000000,1")).toMatch(/^E/); // the UART: device memory is refused
    expect(await c.cmd("M10000000,1:41")).toMatch(/^E/);
    const end = 0x8000_0000 + machine.core.ramSize;
    expect(await c.cmd(`m${(end - 2).toString(16)},4`)).toHaveLength(4); // two bytes, then RAM ends
    expect(await c.cmd(`M${(end - 2).toString(16)},4:01020304`)).toMatch(/^E/); // all or nothing
    expect(await c.cmd(`m${(end - 2).toString(16)},2`)).toBe("0000");
    c.send("k");
  }, T);

  it("memory goes through the selected hart's current translation (Sv39 in S-mode), page by page", async () => {
    const { client: c, sym } = await rig();
    const pte = (pa: bigint, flags: bigint) => leHex(((pa >> 12n) << 10n) | flags);
    const root = 0x8010_0000n, l1 = 0x8010_1000n, l0 = 0x8010_2000n;
    const table = sym("table");
    // va 0x4000_0000 -> table's page (read-only, A set); va 0x4000_1000 unmapped.
    expect(await c.cmd(`M${(root + 8n).toString(16)},8:${pte(l1, 1n)}`)).toBe("OK");
    expect(await c.cmd(`M${l1.toString(16)},8:${pte(l0, 1n)}`)).toBe("OK");
    expect(await c.cmd(`M${l0.toString(16)},8:${pte(table & ~0xfffn, 0x43n)}`)).toBe("OK");
    const va = 0x4000_0000n + (table & 0xfffn);
    expect(await c.cmd(`m${va.toString(16)},8`)).toMatch(/^E/); // M-mode: physical, nothing there
    expect(await c.cmd(`P${(65 + 0x180).toString(16)}=${leHex((8n << 60n) | (root >> 12n))}`)).toBe("OK");
    expect(await c.cmd(`m${va.toString(16)},8`)).toMatch(/^E/); // satp does not apply to M-mode
    expect(await c.cmd(`P${(65 + 4096).toString(16)}=${leHex(1n)}`)).toBe("OK"); // now S-mode
    expect(await c.cmd(`m${va.toString(16)},8`)).toBe(leHex(3n, 4) + leHex(1n, 4));
    expect(await c.cmd("m40000ffc,8")).toHaveLength(8); // four bytes, then the unmapped page
    expect(await c.cmd("m40001000,4")).toMatch(/^E/);
    // Writes follow the mapping too (the page's missing W does not stop a debugger).
    expect(await c.cmd(`M${va.toString(16)},4:07000000`)).toBe("OK");
    expect(await c.cmd(`P${(65 + 4096).toString(16)}=${leHex(3n)}`)).toBe("OK");
    expect(await c.cmd(`m${table.toString(16)},4`)).toBe("07000000");
    c.send("k");
  }, T);

  it("breakpoints (Z0/Z1) stop before the instruction and say which kind; the guest reads its own code unchanged", async () => {
    const { client: c, sym, run } = await rig();
    await c.cmd("qSupported:swbreak+;hwbreak+");
    const weigh = sym("weigh");
    const original = await c.cmd(`m${weigh.toString(16)},4`);
    expect(await c.cmd(`Z0,${weigh.toString(16)},2`)).toBe("OK");
    expect(await c.cmd(`m${weigh.toString(16)},4`)).toBe(original);
    expect(await c.cmd("vCont;c")).toBe(`T05thread:1;20:${leHex(weigh)};swbreak:;`);
    expect(await c.cmd(`m${sym("code_word").toString(16)},4`)).toBe(original); // what main read from weigh
    expect(await c.cmd(`z0,${weigh.toString(16)},2`)).toBe("OK");
    const leaf = sym("leaf");
    expect(await c.cmd(`Z1,${leaf.toString(16)},2`)).toBe("OK");
    expect(await c.cmd(`M${sym("release").toString(16)},4:01000000`)).toBe("OK");
    expect(await c.cmd("c")).toBe(`T05thread:1;20:${leHex(leaf)};hwbreak:;`);
    expect(fromLeHex(await c.cmd("pa"))).toBe(3n); // a0 = (int)scale(2.0)
    expect(await c.cmd(`z1,${leaf.toString(16)},2`)).toBe("OK");
    expect(await c.cmd(`Z2,${leaf.toString(16)},4`)).toBe(""); // watchpoints: not offered
    c.send("c");
    expect(await c.next()).toBe("Wc5"); // 197, as main returns
    expect(c.closed).toBe(true);
    expect(await run).toEqual({ status: 197, reason: "htif" });
  }, T);

  it("single steps (s, vCont;s) run exactly one instruction; c addr and s addr resume elsewhere", async () => {
    const { client: c, sym } = await rig();
    let pc = 0x8000_0000n;
    for (let i = 0; i < 6; i++) {
      const len = await insnLength(c, pc);
      const reply = await c.cmd(i % 2 ? "s" : "vCont;s:1");
      expect(reply).toMatch(/^T05thread:1;/);
      const now = fromLeHex(await c.cmd("p20"));
      if (i === 0) expect(now).toBe(pc + BigInt(len)); // csrr t0, mhartid
      pc = now;
    }
    // `s addr` steps from addr: scale's first instruction
    const scale = sym("scale");
    expect(await c.cmd(`s${scale.toString(16)}`)).toMatch(/^T05/);
    expect(fromLeHex(await c.cmd("p20"))).toBe(scale + BigInt(await insnLength(c, scale)));
    c.send("k");
  }, T);

  it("Ctrl-C stops a spinning hart with SIGINT, and a breakpoint set then stops its compiled loop", async () => {
    const { client: c, sym, machine, run } = await rig({ jit: 50 });
    c.send("c");
    await new Promise((r) => setTimeout(r, 300));
    expect(c.pending()).toBe(0);
    c.session.receive(Uint8Array.of(0x03));
    const stop = await c.next();
    expect(stop).toMatch(/^T02thread:1;/);
    const spin = sym("spin"), main = sym("main");
    const pc = fromLeHex(await c.cmd("p20"));
    expect(pc >= spin && pc < main).toBe(true);
    expect(machine.core.jit!.stats.blocks).toBeGreaterThan(0);
    const spinsBefore = fromLeHex(await c.cmd(`m${sym("spins").toString(16)},8`));
    expect(spinsBefore).toBeGreaterThan(1000n);
    // The loop body runs compiled: a breakpoint on its first instruction must still stop it.
    expect(await c.cmd(`Z0,${pc.toString(16)},2`)).toBe("OK");
    expect(await c.cmd("c")).toMatch(new RegExp(`^T05thread:1;20:${leHex(pc)};`));
    expect(await c.cmd("c")).toMatch(new RegExp(`^T05thread:1;20:${leHex(pc)};`));
    const spinsAfter = fromLeHex(await c.cmd(`m${sym("spins").toString(16)},8`));
    expect(spinsAfter - spinsBefore).toBeLessThanOrEqual(2n);
    c.send("k");
    expect((await run).reason).toBe("stopped");
  }, T);

  it("one thread per hart: Hg selects the hart, T checks it, qThreadExtraInfo describes it, vCont;c:2 runs only it", async () => {
    const { client: c, sym } = await rig({ harts: 2 });
    expect(await c.cmd("qfThreadInfo")).toBe("m1,2");
    expect(await c.cmd("T2")).toBe("OK");
    expect(await c.cmd("T3")).toMatch(/^E/);
    expect(await c.cmd("Hg3")).toMatch(/^E/);
    expect(Buffer.from(await c.cmd("qThreadExtraInfo,2"), "hex").toString()).toBe("hart 1, M-mode, running");
    const tick = sym("hart_tick");
    expect(await c.cmd(`Z0,${tick.toString(16)},2`)).toBe("OK");
    expect(await c.cmd("vCont;c:2")).toBe(`T05thread:2;20:${leHex(tick)};`);
    expect(await c.cmd("Hg1")).toBe("OK");
    expect(fromLeHex(await c.cmd("p20"))).toBe(0x8000_0000n); // hart 0 was held
    expect(await c.cmd("Hg2")).toBe("OK");
    expect(fromLeHex(await c.cmd("pa"))).toBe(1n); // hart_tick(hartid = 1)
    expect(fromLeHex(await c.cmd(`p${(65 + 0xf14).toString(16)}`))).toBe(1n); // mhartid
    expect(await c.cmd("qC")).toBe("QC2");
    // Step thread 1 while thread 2 is held; thread 2 stays at the breakpoint.
    expect(await c.cmd("vCont;s:1")).toMatch(/^T05thread:1;/);
    expect(fromLeHex(await c.cmd("p20"))).toBe(0x8000_0004n); // csrr t0, mhartid done
    expect(await c.cmd("Hg2")).toBe("OK");
    expect(fromLeHex(await c.cmd("p20"))).toBe(tick);
    // Thread 1 alone runs for a while (scheduler locking); thread 2 does not move meanwhile.
    expect(await c.cmd(`z0,${tick.toString(16)},2`)).toBe("OK");
    const ticks1 = `m${(sym("ticks") + 8n).toString(16)},8`;
    const ticksBefore = await c.cmd(ticks1);
    c.send("vCont;c:1");
    await new Promise((r) => setTimeout(r, 300));
    c.session.receive(Uint8Array.of(0x03));
    expect(await c.next()).toMatch(/^T02thread:1;/);
    expect(await c.cmd(ticks1)).toBe(ticksBefore);
    expect(await c.cmd("Hg2")).toBe("OK");
    expect(fromLeHex(await c.cmd("p20"))).toBe(tick);
    expect(fromLeHex(await c.cmd(`m${sym("spins").toString(16)},8`))).toBeGreaterThan(1000n);
    c.send("k");
  }, T);

  it("malformed packets get an error or an empty reply and the session goes on; random bytes never throw", async () => {
    const { client: c, target } = await rig();
    await c.cmd("QStartNoAckMode");
    const bad = [
      "m", "mzz,1", "m1", "m1,", "m1,zz", "m1,2,3", "m1,fffffffff", "M1,2:zz", "M80000000,2:0", "X1,5:ab", "Xzz", "X",
      "Z9,1,1", "Z0", "Z0,zz,2", "z0,1", "p", "pzz", "P", "Pzz=1", "P5=zz", "P5=01", "H", "Hg", "Hgzz", "Hx1", "Hc99",
      "T", "Tzz", "vCont;q", "vCont;s:zz", "vCont;x:1", "qXfer:features:read:target.xml:zz", "qXfer:features:read",
      "qXfer:features:read:target.xml:0", "qThreadExtraInfo,0", "qThreadExtraInfo,zz", "Qqemu.sstep=zz", "Qqemu.sstep=99",
      "G12", "Gzz", "czz", "sqq", "C", "Szz;zz", "\xff\xfe", "",
    ];
    for (const p of bad) {
      const r = await c.cmd(p).catch(() => `no reply to ${JSON.stringify(p)}`);
      expect(r === "" || /^E[0-9a-f]{2}$/.test(r), `${JSON.stringify(p)} -> ${JSON.stringify(r)}`).toBe(true);
    }
    expect(target.running).toBe(false);
    // Random bytes, with framing characters mixed in, in random chunks.
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const alphabet = latin1("$#}*+-\x03mMXZzpPgGHTvqQck0123456789abcdef,:;=");
    for (let round = 0; round < 200; round++) {
      const bytes = Uint8Array.from({ length: Math.floor(rand() * 64) }, () =>
        rand() < 0.7 ? alphabet[Math.floor(rand() * alphabet.length)] : Math.floor(rand() * 256));
      expect(() => c.session.receive(bytes)).not.toThrow();
    }
    // Whatever state that left, a fresh packet is still understood (no resume in the noise got through unanswered).
    c.session.receive(latin1("#00$"));
    while (target.running) { c.session.receive(Uint8Array.of(0x03)); await new Promise((r) => setTimeout(r, 20)); }
    await new Promise((r) => setTimeout(r, 50));
    while (c.pending() > 0) await c.next();
    expect(await c.cmd("qC")).toMatch(/^QC/);
    c.send("k");
  }, T);

  it("guest time stands still while the debugger holds the machine", async () => {
    const { client: c } = await rig();
    const TIME = (65 + 0xc01).toString(16);
    expect(await c.cmd("vCont;s:1")).toMatch(/^T05/);
    const before = fromLeHex(await c.cmd(`p${TIME}`));
    await new Promise((r) => setTimeout(r, 600));
    expect(await c.cmd("vCont;s:1")).toMatch(/^T05/);
    const after = fromLeHex(await c.cmd(`p${TIME}`));
    // 10 MHz: the 600 ms pause would be 6,000,000 ticks; the steps themselves take far less.
    expect(after - before).toBeLessThan(2_000_000n);
    c.send("k");
  }, T);

  it("D detaches: breakpoints go and the machine runs on to its exit", async () => {
    const { client: c, sym, run } = await rig();
    expect(await c.cmd(`Z0,${sym("weigh").toString(16)},2`)).toBe("OK");
    expect(await c.cmd(`M${sym("release").toString(16)},4:01000000`)).toBe("OK");
    expect(await c.cmd("D")).toBe("OK");
    expect(c.closed).toBe(true);
    expect(await run).toEqual({ status: 197, reason: "htif" });
  }, T);
});
