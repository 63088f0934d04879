// Framing of the GDB remote serial protocol (host-ts/gdb/protocol.ts): checksums, escapes,
// run lengths, acknowledgements and the interrupt byte, whatever the chunking.
import { describe, it, expect } from "vitest";
import {
  PacketReader, encodePacket, decodePayload, latin1, latin1Text, fromHex, toHex, parseHexNumber, MAX_PACKET,
  type WireEvent,
} from "../../host-ts/gdb/protocol.js";

const text = (b: Uint8Array) => latin1Text(b);

function events(chunks: (string | Uint8Array)[]): WireEvent[] {
  const r = new PacketReader();
  return chunks.flatMap((c) => r.push(typeof c === "string" ? latin1(c) : c));
}

function packets(evs: WireEvent[]): string[] {
  return evs.flatMap((e) => (e.kind === "packet" ? [text(e.data)] : []));
}

describe("encodePacket", () => {
  it("frames the payload with its modulo-256 checksum in two lower-case hex digits", () => {
    expect(text(encodePacket("OK"))).toBe("$OK#9a");
    expect(text(encodePacket(""))).toBe("$#00");
    expect(text(encodePacket("qSupported"))).toBe("$qSupported#37");
    // 0xff bytes overflow the sum many times: only the low 8 bits count
    const big = "\xff".repeat(300);
    expect(text(encodePacket(big)).slice(-3)).toBe("#" + ((0xff * 300) & 0xff).toString(16).padStart(2, "0"));
  });

  it("escapes #, $, } and * as } followed by the byte xor 0x20, and checksums the escaped form", () => {
    const framed = text(encodePacket(latin1("a#b$c}d*e")));
    expect(framed.slice(0, -3)).toBe("$a}\x03b}\x04c}\x5dd}\x0ae");
    const body = latin1(framed.slice(1, -3));
    const sum = body.reduce((s, b) => (s + b) & 0xff, 0);
    expect(framed.slice(-2)).toBe(sum.toString(16).padStart(2, "0"));
  });

  it("round-trips every byte value through the reader", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const evs = events([encodePacket(all)]);
    expect(evs).toHaveLength(1);
    expect(evs[0]).toEqual({ kind: "packet", data: all });
  });
});

describe("PacketReader", () => {
  it("yields packets, acks, naks and the interrupt byte in order, however the bytes are cut", () => {
    const stream = "+$m80000000,4#55-\x03$?#3f+";
    const whole = events([stream]);
    const byteByByte = events(stream.split(""));
    expect(whole.map((e) => e.kind)).toEqual(["ack", "packet", "nak", "interrupt", "packet", "ack"]);
    expect(byteByByte).toEqual(whole);
    expect(packets(whole)).toEqual(["m80000000,4", "?"]);
  });

  it("takes 0x03 inside a packet as data (binary X payloads), not as an interrupt", () => {
    const evs = events([encodePacket(latin1("X80000000,1:\x03"))]);
    expect(evs.map((e) => e.kind)).toEqual(["packet"]);
    expect(packets(evs)).toEqual(["X80000000,1:\x03"]);
  });

  it("reports a wrong or non-hex checksum as a bad packet and goes on with the next", () => {
    expect(events(["$OK#9b$OK#9a"]).map((e) => e.kind)).toEqual(["bad-packet", "packet"]);
    expect(events(["$OK#zz$OK#9a"]).map((e) => e.kind)).toEqual(["bad-packet", "packet"]);
    expect(events(["$OK#9", "A"]).map((e) => e.kind)).toEqual(["packet"]); // upper-case hex is fine
  });

  it("drops a packet that a new $ interrupts, and noise between packets", () => {
    expect(packets(events(["garbage$trunc$OK#9ajunk\n"]))).toEqual(["OK"]);
  });

  it("refuses packets longer than MAX_PACKET without growing without bound, then recovers", () => {
    const r = new PacketReader();
    const huge = "$" + "a".repeat(MAX_PACKET + 10) + "#00";
    expect(r.push(latin1(huge)).map((e) => e.kind)).toEqual(["bad-packet"]);
    expect(r.push(encodePacket("g")).map((e) => e.kind)).toEqual(["packet"]);
  });

  it("expands run-length encoding: X*n repeats X n-29 more times", () => {
    // '0* ' : ' ' is 32, so three more zeros
    const body = "0* ";
    const sum = latin1(body).reduce((s, b) => (s + b) & 0xff, 0).toString(16).padStart(2, "0");
    expect(packets(events([`$${body}#${sum}`]))).toEqual(["0000"]);
  });
});

describe("decodePayload", () => {
  it("refuses a dangling escape, a run with nothing before it, and a count below 29", () => {
    expect(decodePayload(latin1("ab}"))).toBeNull();
    expect(decodePayload(latin1("*!"))).toBeNull();
    expect(decodePayload(latin1("a*\x10"))).toBeNull();
    expect(text(decodePayload(latin1("a}\x03"))!)).toBe("a#");
  });
});

describe("hex helpers", () => {
  it("convert both ways and refuse what is not hex", () => {
    expect(toHex(Uint8Array.of(0, 0x7f, 0xff))).toBe("007fff");
    expect(fromHex("007fFF")).toEqual(Uint8Array.of(0, 0x7f, 0xff));
    expect(fromHex("0")).toBeNull();
    expect(fromHex("0g")).toBeNull();
    expect(parseHexNumber("ffffffffffffffff")).toBe(0xffff_ffff_ffff_ffffn);
    expect(parseHexNumber("1ffffffffffffffff")).toBeNull();
    expect(parseHexNumber("")).toBeNull();
    expect(parseHexNumber("-1")).toBeNull();
    expect(parseHexNumber("0x10")).toBeNull();
  });
});
