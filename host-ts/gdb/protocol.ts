// GDB remote serial protocol framing: `$payload#cc` packets with a modulo-256 checksum,
// `}` escapes (byte ^ 0x20), run-length encoding (`*`), `+`/`-` acknowledgements and the
// out-of-band interrupt byte 0x03. Bytes in, events out; nothing here knows any command.

export type WireEvent =
  | { kind: "packet"; data: Uint8Array } // decoded payload (escapes and run lengths undone)
  | { kind: "bad-packet" } // checksum mismatch or malformed: the sender should resend
  | { kind: "ack" }
  | { kind: "nak" }
  | { kind: "interrupt" };

const DOLLAR = 0x24;
const HASH = 0x23;
const ESCAPE = 0x7d;
const STAR = 0x2a;
const PLUS = 0x2b;
const MINUS = 0x2d;
const CTRL_C = 0x03;

/** The largest payload accepted; longer packets are dropped (answered with `-`). */
export const MAX_PACKET = 0x10000;

/** Splits a byte stream into protocol events; feed it whatever arrives, in any chunks. */
export class PacketReader {
  private state: "idle" | "payload" | "check1" | "check2" = "idle";
  private buf = new Uint8Array(256);
  private len = 0;
  private overflow = false;
  private sum = 0;
  private check = 0;

  push(bytes: Uint8Array): WireEvent[] {
    const events: WireEvent[] = [];
    for (const b of bytes) {
      switch (this.state) {
        case "idle":
          if (b === DOLLAR) this.start();
          else if (b === PLUS) events.push({ kind: "ack" });
          else if (b === MINUS) events.push({ kind: "nak" });
          else if (b === CTRL_C) events.push({ kind: "interrupt" });
          break; // anything else between packets is noise
        case "payload":
          if (b === HASH) this.state = "check1";
          else if (b === DOLLAR) this.start(); // a new packet starts: the broken one is gone
          else this.append(b);
          break;
        case "check1": {
          const d = hexDigit(b);
          if (d < 0) { this.state = "idle"; events.push({ kind: "bad-packet" }); break; }
          this.check = d << 4;
          this.state = "check2";
          break;
        }
        case "check2": {
          const d = hexDigit(b);
          this.state = "idle";
          const data = d >= 0 && !this.overflow && (this.check | d) === (this.sum & 0xff) ? decodePayload(this.buf.subarray(0, this.len)) : null;
          events.push(data ? { kind: "packet", data } : { kind: "bad-packet" });
          break;
        }
      }
    }
    return events;
  }

  private start(): void {
    this.state = "payload";
    this.len = 0;
    this.sum = 0;
    this.overflow = false;
  }

  private append(b: number): void {
    this.sum += b;
    if (this.len >= MAX_PACKET) { this.overflow = true; return; }
    if (this.len === this.buf.length) {
      const grown = new Uint8Array(Math.min(this.buf.length * 2, MAX_PACKET));
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf[this.len++] = b;
  }
}

/** Undoes `}` escapes and `*` run lengths; null when malformed (dangling escape, run with nothing before it). */
export function decodePayload(raw: Uint8Array): Uint8Array | null {
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i];
    if (b === ESCAPE) {
      if (++i >= raw.length) return null;
      out.push(raw[i] ^ 0x20);
    } else if (b === STAR) {
      if (++i >= raw.length || out.length === 0) return null;
      const n = raw[i] - 29; // the count byte is n + 29, printable by construction
      if (n < 0) return null;
      const last = out[out.length - 1];
      for (let k = 0; k < n; k++) out.push(last);
      if (out.length > MAX_PACKET * 4) return null;
    } else {
      out.push(b);
    }
  }
  return Uint8Array.from(out);
}

/** `$payload#cc` with `#`, `$`, `}` and `*` escaped (no run-length encoding). */
export function encodePacket(payload: string | Uint8Array): Uint8Array {
  const bytes = typeof payload === "string" ? latin1(payload) : payload;
  const out: number[] = [DOLLAR];
  let sum = 0;
  for (const b of bytes) {
    if (b === HASH || b === DOLLAR || b === ESCAPE || b === STAR) {
      out.push(ESCAPE, b ^ 0x20);
      sum += ESCAPE + (b ^ 0x20);
    } else {
      out.push(b);
      sum += b;
    }
  }
  out.push(HASH, HEX.charCodeAt((sum >> 4) & 15), HEX.charCodeAt(sum & 15));
  return Uint8Array.from(out);
}

const HEX = "0123456789abcdef";

export function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** Characters 0-255 as bytes (the protocol is 8-bit clean; commands are ASCII). */
export function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

export function latin1Text(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
}

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += HEX[b >> 4] + HEX[b & 15];
  return s;
}

/** Hex pairs to bytes; null on an odd length or a non-hex character. */
export function fromHex(text: string): Uint8Array | null {
  if (text.length % 2 !== 0) return null;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexDigit(text.charCodeAt(2 * i)), lo = hexDigit(text.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return null;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** A hex number of at most 16 digits (addresses, lengths, register numbers), or null. */
export function parseHexNumber(text: string): bigint | null {
  if (!/^[0-9a-fA-F]{1,16}$/.test(text)) return null;
  return BigInt("0x" + text);
}

/** A 64-bit value as 8 little-endian bytes (RISC-V registers in g/p packets). */
export function le64(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
  return out;
}

export function fromLe64(bytes: Uint8Array): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
}
