// One gdb connection: the remote protocol's commands over a DebugTarget (all-stop mode,
// one thread per hart). Bytes come in through receive() and go out through `send`; the
// transport (TCP in host-ts/platform/node-gdb.ts) is not this file's business.
import {
  PacketReader, encodePacket, latin1, latin1Text, toHex, fromHex, parseHexNumber, le64, fromLe64,
} from "./protocol.js";
import { G_PACKET_REGS, REG_PC } from "./target-xml.js";
import type { DebugTarget, HartAction, StopEvent } from "./target.js";

export interface SessionIo {
  send(bytes: Uint8Array): void;
  /** The session is over (detach, kill, exit): close the connection. */
  close(): void;
}

/** What we accept in one packet (the payload, before encoding), hex: 16 KiB. */
export const PACKET_SIZE = 0x4000;

const SIGINT = 2;
const SIGTRAP = 5;
/** QEMU's single-step flags (qqemu.sstepbits): stepping with interrupts masked is the default. */
const SSTEP_ENABLE = 1, SSTEP_NOIRQ = 2, SSTEP_NOTIMER = 4;
// errno values gdb shows for E replies
const E_FAULT = "E0e";
const E_INVAL = "E16";
const E_NOENT = "E02";
const E_NOSPC = "E1c";

export class GdbSession {
  private readonly reader = new PacketReader();
  private ackMode = true;
  private lastPacket: Uint8Array | null = null;
  /** Packets that arrived while the target runs, handled when it stops (all-stop mode). */
  private readonly inbox: Uint8Array[] = [];
  /** A resume was sent: the stop reply is owed. */
  private awaitingStop = false;
  /** Hart for register and memory commands (Hg), and for s/c (Hc; -1 = all). */
  private gHart = 0;
  private cHart = -1;
  private sstep = SSTEP_ENABLE | SSTEP_NOIRQ | SSTEP_NOTIMER;
  /** Stop-reason features the debugger announced in qSupported. */
  private swbreak = false;
  private hwbreak = false;
  private closed = false;

  constructor(private readonly target: DebugTarget, private readonly io: SessionIo) {
    target.onStop = (event) => this.stopped(event);
    if (target.running) target.halt(); // as QEMU: the machine stops when a debugger connects
    else if (target.lastStop && "hart" in target.lastStop) this.gHart = target.lastStop.hart;
  }

  /** Bytes from the debugger. Never throws: a malformed packet gets an error reply or is ignored. */
  receive(bytes: Uint8Array): void {
    if (this.closed) return;
    for (const ev of this.reader.push(bytes)) {
      switch (ev.kind) {
        case "packet":
          if (this.ackMode) this.io.send(latin1("+"));
          this.inbox.push(ev.data);
          break;
        case "bad-packet":
          if (this.ackMode) this.io.send(latin1("-"));
          break;
        case "nak":
          if (this.ackMode && this.lastPacket) this.io.send(this.lastPacket);
          break;
        case "interrupt":
          if (this.target.running) this.target.interrupt();
          break;
        case "ack":
          break;
      }
    }
    this.drain();
  }

  /** The connection is gone without a detach: the machine runs on, without breakpoints. */
  disconnected(): void {
    if (this.closed) return;
    this.closed = true;
    this.target.onStop = null;
    this.target.detach();
  }

  private drain(): void {
    while (!this.closed && !this.target.running && this.inbox.length > 0) {
      const packet = this.inbox.shift()!;
      let reply: string | null;
      try {
        reply = this.handle(latin1Text(packet), packet);
      } catch {
        reply = E_INVAL; // a bug in a handler must not take the machine down with it
      }
      if (reply !== null) this.reply(reply);
    }
  }

  private reply(payload: string): void {
    if (this.closed) return;
    const bytes = encodePacket(payload);
    this.lastPacket = bytes;
    this.io.send(bytes);
  }

  private stopped(event: StopEvent): void {
    if (event.kind === "exited") {
      // gdb learns the exit code; the connection ends with the machine.
      this.reply(`W${hex2(event.status & 0xff)}`);
      this.finish();
      return;
    }
    this.gHart = event.hart;
    if (this.awaitingStop) {
      this.awaitingStop = false;
      this.reply(this.stopReply(event));
    }
    this.drain();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.target.onStop = null;
    this.io.close();
  }

  private stopReply(event: StopEvent | null): string {
    if (event === null || event.kind === "exited") return event ? `W${hex2(event.status & 0xff)}` : `S${hex2(SIGTRAP)}`;
    const signal = event.kind === "interrupt" ? SIGINT : SIGTRAP;
    let reply = `T${hex2(signal)}thread:${threadId(event.hart)};`;
    const pc = this.target.readRegister(event.hart, REG_PC);
    if (pc !== null) reply += `${hex2(REG_PC)}:${toHex(le64(pc))};`;
    if (event.kind === "breakpoint") {
      if (event.sw && this.swbreak) reply += "swbreak:;";
      else if (event.hw && this.hwbreak) reply += "hwbreak:;";
    }
    return reply;
  }

  /** The reply to one packet, or null when there is none (resumes answer when the target stops; k). */
  private handle(text: string, raw: Uint8Array): string | null {
    const t = this.target;
    switch (text[0]) {
      case "?":
        return this.stopReply(t.lastStop);
      case "g":
        return this.readGeneral();
      case "G":
        return this.writeGeneral(text.slice(1));
      case "p":
        return this.readRegister(text.slice(1));
      case "P":
        return this.writeRegister(text.slice(1));
      case "m":
        return this.readMemory(text.slice(1));
      case "M":
        return this.writeMemoryHex(text.slice(1));
      case "X":
        return this.writeMemoryBinary(raw);
      case "Z":
      case "z":
        return this.breakpoint(text[0] === "Z", text.slice(1));
      case "H":
        return this.setThread(text[1], text.slice(2));
      case "T": {
        const h = parseThread(text.slice(1), t.hartCount);
        return h !== null && h >= 0 ? "OK" : E_NOENT;
      }
      case "c":
      case "s":
      case "C":
      case "S":
        return this.resumeSimple(text);
      case "v":
        return this.handleV(text);
      case "q":
      case "Q":
        return this.handleQuery(text);
      case "k":
        this.target.kill();
        this.finish();
        return null;
      case "D":
        this.reply("OK");
        this.target.detach();
        this.finish();
        return null;
      default:
        return ""; // unknown: the empty reply says "not supported"
    }
  }

  // --- registers ---

  private readGeneral(): string {
    let out = "";
    for (let r = 0; r < G_PACKET_REGS; r++) out += toHex(le64(this.target.readRegister(this.gHart, r) ?? 0n));
    return out;
  }

  private writeGeneral(hex: string): string {
    const bytes = fromHex(hex);
    if (!bytes || bytes.length !== G_PACKET_REGS * 8) return E_INVAL;
    for (let r = 0; r < G_PACKET_REGS; r++) this.target.writeRegister(this.gHart, r, fromLe64(bytes.subarray(8 * r, 8 * r + 8)));
    return "OK";
  }

  private registerBytes(regnum: number): number {
    const info = this.target.registers.find((r) => r.regnum === regnum);
    return info ? info.bits / 8 : 0;
  }

  private readRegister(arg: string): string {
    const n = parseHexNumber(arg);
    const size = n === null ? 0 : this.registerBytes(Number(n));
    if (size === 0) return E_INVAL;
    const v = this.target.readRegister(this.gHart, Number(n));
    if (v === null) return E_INVAL;
    return toHex(le64(v).subarray(0, size));
  }

  private writeRegister(arg: string): string {
    const eq = arg.indexOf("=");
    const n = parseHexNumber(arg.slice(0, eq));
    const size = n === null ? 0 : this.registerBytes(Number(n));
    const bytes = fromHex(arg.slice(eq + 1));
    if (eq < 0 || size === 0 || !bytes || bytes.length !== size) return E_INVAL;
    const padded = new Uint8Array(8);
    padded.set(bytes);
    return this.target.writeRegister(this.gHart, Number(n), fromLe64(padded)) ? "OK" : E_INVAL;
  }

  // --- memory ---

  private readMemory(arg: string): string {
    const range = parseRange(arg);
    if (!range) return E_INVAL;
    const length = Math.min(range.length, PACKET_SIZE / 2);
    const bytes = this.target.readMemory(this.gHart, range.addr, length);
    // A short read is fine for gdb; nothing at all is an error.
    return bytes.length > 0 || length === 0 ? toHex(bytes) : E_FAULT;
  }

  private writeMemoryHex(arg: string): string {
    const colon = arg.indexOf(":");
    const range = colon > 0 ? parseRange(arg.slice(0, colon)) : null;
    const bytes = fromHex(arg.slice(colon + 1));
    if (!range || !bytes || bytes.length !== range.length) return E_INVAL;
    return this.target.writeMemory(this.gHart, range.addr, bytes) ? "OK" : E_FAULT;
  }

  private writeMemoryBinary(raw: Uint8Array): string {
    const colon = raw.indexOf(0x3a);
    const range = colon > 0 ? parseRange(latin1Text(raw.subarray(1, colon))) : null;
    if (!range) return E_INVAL;
    const bytes = raw.subarray(colon + 1);
    if (bytes.length !== range.length) return E_INVAL;
    if (bytes.length === 0) return "OK"; // gdb's probe for X support
    return this.target.writeMemory(this.gHart, range.addr, bytes) ? "OK" : E_FAULT;
  }

  private breakpoint(insert: boolean, arg: string): string {
    const [type, addrText, kindText] = arg.split(/[,;]/);
    const kind = type === "0" ? "sw" : type === "1" ? "hw" : null;
    if (kind === null) return ""; // watchpoints: not supported, gdb falls back to software watchpoints
    const addr = parseHexNumber(addrText ?? "");
    if (addr === null || parseHexNumber(kindText ?? "") === null) return E_INVAL;
    if (!insert) return this.target.removeBreakpoint(kind, addr) ? "OK" : E_INVAL;
    return this.target.addBreakpoint(kind, addr) ? "OK" : E_NOSPC;
  }

  // --- threads ---

  private setThread(op: string | undefined, arg: string): string {
    const h = parseThread(arg, this.target.hartCount);
    if (h === null) return E_NOENT;
    if (op === "g") {
      if (h >= 0) this.gHart = h; // -1 (all) and 0 (any) keep the current one
      return "OK";
    }
    if (op === "c") {
      this.cHart = h;
      return "OK";
    }
    return E_INVAL;
  }

  private threadList(): string {
    return Array.from({ length: this.target.hartCount }, (_, h) => threadId(h)).join(",");
  }

  // --- resuming ---

  private resumeSimple(text: string): string | null {
    // c[addr], s[addr], Csig[;addr], Ssig[;addr]: the signal means nothing to a bare machine.
    let addrText = text.slice(1);
    if (text[0] === "C" || text[0] === "S") {
      const m = /^[0-9a-fA-F]{2}(?:;(.*))?$/.exec(addrText);
      if (!m) return E_INVAL;
      addrText = m[1] ?? "";
    }
    const step = text[0] === "s" || text[0] === "S";
    const hart = this.cHart >= 0 ? this.cHart : this.gHart;
    if (addrText !== "") {
      const addr = parseHexNumber(addrText);
      if (addr === null) return E_INVAL;
      this.target.writeRegister(hart, REG_PC, addr);
    }
    const actions: HartAction[] = [];
    for (let h = 0; h < this.target.hartCount; h++) {
      // s steps one hart with the others held; c runs the Hc thread, or all of them.
      actions.push(step ? (h === hart ? "step" : "stop") : this.cHart < 0 || h === hart ? "continue" : "stop");
    }
    return this.resume(actions);
  }

  private resume(actions: HartAction[]): string | null {
    if (!actions.some((a) => a !== "stop")) return E_INVAL;
    this.awaitingStop = true;
    this.target.resume(actions, { stepTakesInterrupts: (this.sstep & SSTEP_NOIRQ) === 0 });
    if (!this.target.running) {
      // Refused (the machine has exited): nothing will stop, so answer now.
      this.awaitingStop = false;
      return this.stopReply(this.target.lastStop);
    }
    return null;
  }

  private vCont(spec: string): string | null {
    const actions: (HartAction | null)[] = new Array(this.target.hartCount).fill(null);
    for (const part of spec.split(";").slice(1)) {
      const [what, thread] = part.split(":");
      let action: HartAction;
      if (what === "c" || /^C[0-9a-fA-F]{2}$/.test(what)) action = "continue";
      else if (what === "s" || /^S[0-9a-fA-F]{2}$/.test(what)) action = "step";
      else if (what === "t") action = "stop";
      else return E_INVAL; // r (range step) is not offered in vCont?
      const h = thread === undefined ? -1 : parseThread(thread, this.target.hartCount);
      if (h === null) return E_NOENT;
      // The leftmost action that names a thread wins for it.
      for (let i = 0; i < actions.length; i++) if (actions[i] === null && (h < 0 || h === i)) actions[i] = action;
    }
    return this.resume(actions.map((a) => a ?? "stop"));
  }

  private handleV(text: string): string | null {
    if (text === "vCont?") return "vCont;c;C;s;S;t";
    if (text.startsWith("vCont;")) return this.vCont(text);
    if (text.startsWith("vKill")) {
      this.reply("OK");
      this.target.kill();
      this.finish();
      return null;
    }
    return ""; // vMustReplyEmpty, vFile, vRun, ...: not supported
  }

  // --- queries ---

  private handleQuery(text: string): string | null {
    const [name, ...rest] = text.split(":");
    const args = rest.join(":");
    switch (name) {
      case "qSupported": {
        const features = args.split(";");
        this.swbreak = features.includes("swbreak+");
        this.hwbreak = features.includes("hwbreak+");
        return `PacketSize=${PACKET_SIZE.toString(16)};qXfer:features:read+;QStartNoAckMode+;vContSupported+;swbreak+;hwbreak+`;
      }
      case "QStartNoAckMode":
        this.reply("OK");
        this.ackMode = false; // the OK still gets its +; nothing after it does
        return null;
      case "qXfer":
        return this.xfer(args);
      case "qAttached":
        return "1"; // the machine existed before the debugger: detaching leaves it running
      case "qC":
        return `QC${threadId(this.gHart)}`;
      case "qfThreadInfo":
        return `m${this.threadList()}`;
      case "qsThreadInfo":
        return "l";
      case "qSymbol":
        return "OK";
      case "qqemu.sstepbits":
        return `ENABLE=${SSTEP_ENABLE},NOIRQ=${SSTEP_NOIRQ},NOTIMER=${SSTEP_NOTIMER}`;
      case "qqemu.sstep":
        return this.sstep.toString(16);
    }
    if (text.startsWith("qThreadExtraInfo,")) {
      const h = parseThread(text.slice("qThreadExtraInfo,".length), this.target.hartCount);
      if (h === null || h < 0) return E_NOENT;
      return toHex(latin1(this.target.describeHart(h)));
    }
    if (text.startsWith("Qqemu.sstep=")) {
      const v = parseHexNumber(text.slice("Qqemu.sstep=".length));
      if (v === null || v > 7n) return E_INVAL;
      this.sstep = Number(v);
      return "OK";
    }
    return "";
  }

  private xfer(args: string): string {
    // features:read:ANNEX:OFFSET,LENGTH
    const m = /^features:read:([^:]*):([0-9a-fA-F]{1,8}),([0-9a-fA-F]{1,8})$/.exec(args);
    if (!args.startsWith("features:")) return "";
    if (!m) return E_INVAL;
    if (m[1] !== "target.xml") return "E00";
    const doc = this.target.description;
    const offset = parseInt(m[2], 16);
    const length = Math.min(parseInt(m[3], 16), PACKET_SIZE - 16);
    const chunk = doc.slice(offset, offset + length);
    return (offset + length >= doc.length ? "l" : "m") + chunk;
  }
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}

/** gdb thread ids start at 1 (0 = any, -1 = all); hart h is thread h + 1. */
function threadId(hart: number): string {
  return (hart + 1).toString(16);
}

/** A thread id as a hart: -1 for "all" or "any", null when malformed or not a hart. */
function parseThread(text: string, harts: number): number | null {
  if (text === "-1" || text === "0") return -1;
  const id = parseHexNumber(text);
  if (id === null || id < 1n || id > BigInt(harts)) return null;
  return Number(id) - 1;
}

/** "ADDR,LENGTH" in hex; lengths up to 1 MiB. */
function parseRange(text: string): { addr: bigint; length: number } | null {
  const [a, l, extra] = text.split(",");
  const addr = parseHexNumber(a ?? "");
  const length = parseHexNumber(l ?? "");
  if (addr === null || length === null || extra !== undefined || length > 0x10_0000n) return null;
  return { addr, length: Number(length) };
}
