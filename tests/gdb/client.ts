// A minimal gdb-side client for the session tests: packets in, replies out, in process.
import { readFileSync } from "node:fs";
import { GdbSession } from "../../host-ts/gdb/session.js";
import { MachineDebugTarget } from "../../host-ts/gdb/machine-target.js";
import { PacketReader, encodePacket, latin1, latin1Text } from "../../host-ts/gdb/protocol.js";
import { Vm, type ExitInfo } from "../../host-ts/vm.js";
import { parseElf, type ElfImage } from "../../images/elf.js";

export const PROG = new URL("./bin/prog.elf", import.meta.url);

export class TestClient {
  readonly session: GdbSession;
  /** '+' acknowledgements the stub sent. */
  acks = 0;
  closed = false;
  private readonly reader = new PacketReader();
  private readonly replies: string[] = [];
  private waiter: (() => void) | null = null;

  constructor(target: MachineDebugTarget) {
    this.session = new GdbSession(target, {
      send: (bytes) => this.onBytes(bytes),
      close: () => { this.closed = true; this.waiter?.(); },
    });
  }

  private onBytes(bytes: Uint8Array): void {
    for (const ev of this.reader.push(bytes)) {
      if (ev.kind === "ack") this.acks++;
      if (ev.kind === "packet") {
        this.replies.push(latin1Text(ev.data));
        this.waiter?.();
      }
    }
  }

  send(text: string | Uint8Array): void {
    this.session.receive(encodePacket(typeof text === "string" ? latin1(text) : text));
  }

  /** The next reply packet (waiting for the machine when it runs). */
  async next(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length === 0) {
      if (Date.now() > deadline) throw new Error("no reply from the stub");
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 20);
        this.waiter = () => { clearTimeout(t); resolve(); };
      });
      this.waiter = null;
    }
    return this.replies.shift()!;
  }

  async cmd(text: string | Uint8Array): Promise<string> {
    this.send(text);
    return this.next();
  }

  pending(): number { return this.replies.length; }
}

export interface Rig {
  machine: Vm;
  target: MachineDebugTarget;
  client: TestClient;
  elf: ElfImage;
  /** The machine's run, started held at its first instruction (-S). */
  run: Promise<ExitInfo>;
  sym(name: string): bigint;
}

/** The test program on an in-process machine held before its first instruction, with a client attached. */
export async function rig(opts: { harts?: number; jit?: number } = {}): Promise<Rig> {
  const wasm = readFileSync(new URL("../../build/core.wasm", import.meta.url));
  const machine = await Vm.create({ wasm, ramBytes: 16 * 2 ** 20, harts: opts.harts ?? 1, output: () => {}, jit: opts.jit });
  const elf = parseElf(readFileSync(PROG), "prog.elf");
  machine.boot({ kind: "bare-metal", elf, name: "prog.elf" });
  const target = new MachineDebugTarget(machine, { startPaused: true });
  // As node-gdb.ts does: the machine's end is the debugger's exit event.
  const run = machine.run({ timeoutMs: 60_000 }).then((exit) => {
    if (exit === "paused") throw new Error("nothing pauses this machine");
    target.exited(exit.status);
    return exit;
  });
  const client = new TestClient(target);
  const sym = (name: string) => {
    const v = elf.symbols.get(name);
    if (v === undefined) throw new Error(`no symbol ${name}`);
    return v;
  };
  return { machine, target, client, elf, run, sym };
}

/** A 64-bit little-endian register value as the g/p packets carry it. */
export function leHex(v: bigint, bytes = 8): string {
  let s = "";
  for (let i = 0; i < bytes; i++) s += Number((v >> BigInt(8 * i)) & 0xffn).toString(16).padStart(2, "0");
  return s;
}

export function fromLeHex(hex: string): bigint {
  let v = 0n;
  for (let i = hex.length - 2; i >= 0; i -= 2) v = (v << 8n) | BigInt(parseInt(hex.slice(i, i + 2), 16));
  return v;
}
