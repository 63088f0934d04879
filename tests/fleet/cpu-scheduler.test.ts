// CpuScheduler: machines of one thread take turns by weight. Bare-metal machines that spin
// forever (`j .`) retire instructions as fast as the thread lets them, so the instructions
// each retired in the same stretch of time is the share it got.
import { describe, it, expect, afterEach } from "vitest";
import { createMachine, CpuScheduler, type Machine } from "../../host-ts/api.js";

/** An ELF64 RISC-V executable whose only instruction, at 0x80000000, jumps to itself. */
function spinElf(): Uint8Array {
  const code = new Uint8Array([0x6f, 0x00, 0x00, 0x00]); // jal x0, 0
  const elf = new Uint8Array(64 + 56 + code.length);
  const dv = new DataView(elf.buffer);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]); // ELF, 64-bit, little-endian, version 1
  dv.setUint16(16, 2, true); // ET_EXEC
  dv.setUint16(18, 243, true); // EM_RISCV
  dv.setUint32(20, 1, true);
  dv.setBigUint64(24, 0x8000_0000n, true); // entry
  dv.setBigUint64(32, 64n, true); // program headers follow the header
  dv.setUint16(52, 64, true);
  dv.setUint16(54, 56, true);
  dv.setUint16(56, 1, true);
  dv.setUint32(64, 1, true); // PT_LOAD
  dv.setUint32(68, 5, true); // R+X
  dv.setBigUint64(72, 120n, true); // file offset
  dv.setBigUint64(80, 0x8000_0000n, true);
  dv.setBigUint64(88, 0x8000_0000n, true);
  dv.setBigUint64(96, BigInt(code.length), true);
  dv.setBigUint64(104, BigInt(code.length), true);
  elf.set(code, 120);
  return elf;
}

const machines: Machine[] = [];
afterEach(async () => {
  await Promise.all(machines.splice(0).map((m) => m.stop()));
});

async function spinner(scheduler: CpuScheduler | undefined, cpuShare?: number): Promise<Machine> {
  const m = await createMachine({ kernel: spinElf(), bios: "none", memory: "16M", scheduler, cpuShare });
  machines.push(m);
  return m;
}

/** Instructions each machine retires in `ms` of running side by side. */
async function race(list: Machine[], ms: number): Promise<number[]> {
  for (const m of list) m.start();
  await new Promise((r) => setTimeout(r, 200)); // past the first compiles
  const before = list.map((m) => m.stats().instructions);
  await new Promise((r) => setTimeout(r, ms));
  return list.map((m, i) => m.stats().instructions - before[i]);
}

describe("CpuScheduler", () => {
  it("gives machines instructions in proportion to their cpuShare", async () => {
    const s = new CpuScheduler({ quantum: 200_000 });
    const [a, b] = await race([await spinner(s, 1), await spinner(s, 3)], 1000);
    expect(a).toBeGreaterThan(1_000_000);
    expect(b / a).toBeGreaterThan(2.5);
    expect(b / a).toBeLessThan(3.5);
  }, 30_000);

  it("shares equally between equal shares, three machines", async () => {
    const s = new CpuScheduler({ quantum: 200_000 });
    const counts = await race([await spinner(s), await spinner(s), await spinner(s)], 1000);
    const mean = counts.reduce((x, y) => x + y) / 3;
    for (const n of counts) expect(Math.abs(n - mean) / mean).toBeLessThan(0.15);
  }, 30_000);

  it("keeps the thread's event loop going while machines spin", async () => {
    const s = new CpuScheduler();
    const list = [await spinner(s), await spinner(s, 2), await spinner(s, 4)];
    for (const m of list) m.start();
    const late: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await new Promise((r) => setTimeout(r, 5));
      late.push(performance.now() - t - 5);
    }
    late.sort((x, y) => x - y);
    expect(late[10]).toBeLessThan(40); // a few turns of 8 ms at most
    expect(list.every((m) => m.status === "running")).toBe(true);
  }, 30_000);

  it("lets a machine under a scheduler pause, resume and stop; a stopped machine leaves it", async () => {
    const s = new CpuScheduler();
    const [a, b] = [await spinner(s), await spinner(s)];
    a.start();
    b.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(s.machines).toBe(2);
    await a.pause();
    expect(s.machines).toBe(1);
    const n = a.stats().instructions;
    await new Promise((r) => setTimeout(r, 100));
    expect(a.stats().instructions).toBe(n);
    await a.resume();
    await b.stop();
    expect(s.machines).toBe(1);
    const m = a.stats().instructions;
    await new Promise((r) => setTimeout(r, 100));
    expect(a.stats().instructions).toBeGreaterThan(m);
  }, 30_000);

  it("refuses a share that is not a positive number and a scheduler of the wrong kind", async () => {
    await expect(createMachine({ kernel: spinElf(), bios: "none", memory: "16M", cpuShare: 0 })).rejects.toMatchObject({ code: "invalid-config" });
    await expect(createMachine({ kernel: spinElf(), bios: "none", memory: "16M", scheduler: {} as CpuScheduler })).rejects.toMatchObject({ code: "invalid-config" });
    expect(() => new CpuScheduler({ quantum: 10 })).toThrow(/quantum/);
  });
});
