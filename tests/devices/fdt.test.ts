import { describe, expect, it } from "vitest";
import { dtcToDts, hasDtc } from "./helpers.js";
import { cells64, decodeFdt, decodeFdtBlob, encodeFdt, fdtFind, FDT_MAGIC, type FdtNode } from "../../images/fdt.js";

const tree: FdtNode = {
  name: "",
  props: {
    "#address-cells": 2,
    "#size-cells": 2,
    compatible: "riscv-virtio",
    model: "riscv-virtio,qemu",
  },
  children: [
    { name: "chosen", props: { bootargs: "console=ttyS0 earlycon", "stdout-path": "/soc/serial@10000000", "rng-seed": new Uint8Array([1, 2, 3, 4, 5, 6, 7]) } },
    { name: "memory@80000000", props: { device_type: "memory", reg: [...cells64(0x8000_0000), ...cells64(0x1_0000_0000)] } },
    {
      name: "soc",
      props: { "#address-cells": 2, "#size-cells": 2, compatible: "simple-bus", ranges: true },
      children: [
        {
          name: "plic@c000000",
          props: {
            phandle: 3,
            reg: [0, 0xc000000, 0, 0x600000],
            "interrupt-controller": true,
            compatible: ["sifive,plic-1.0.0", "riscv,plic0"],
            "#interrupt-cells": 1,
            "#address-cells": 0,
          },
        },
        { name: "serial@10000000", props: { reg: [0, 0x10000000, 0, 0x100], compatible: "ns16550a", "interrupt-parent": 3, interrupts: 10 } },
      ],
    },
  ],
};

describe("encodeFdt", () => {
  const blob = encodeFdt(tree, { bootCpuId: 1, memReserve: [[0x8000_0000, 0x20_0000]] });
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);

  it("writes a v17 header with consistent block offsets", () => {
    expect(dv.getUint32(0)).toBe(FDT_MAGIC);
    expect(dv.getUint32(4)).toBe(blob.length);
    const offStruct = dv.getUint32(8);
    const offStrings = dv.getUint32(12);
    const offRsv = dv.getUint32(16);
    expect(dv.getUint32(20)).toBe(17);
    expect(dv.getUint32(24)).toBe(16);
    expect(dv.getUint32(28)).toBe(1);
    const sizeStrings = dv.getUint32(32);
    const sizeStruct = dv.getUint32(36);
    expect(offRsv % 8).toBe(0);
    expect(offStruct % 4).toBe(0);
    expect(offRsv).toBeGreaterThanOrEqual(40);
    expect(offStruct).toBe(offRsv + 32); // one entry + terminator
    expect(offStrings).toBe(offStruct + sizeStruct);
    expect(offStrings + sizeStrings).toBe(blob.length);
    // struct block starts with BEGIN_NODE "" and ends with END
    expect(dv.getUint32(offStruct)).toBe(1);
    expect(dv.getUint32(offStruct + 4)).toBe(0);
    expect(dv.getUint32(offStruct + sizeStruct - 4)).toBe(9);
    // reservation entry
    expect(dv.getUint32(offRsv)).toBe(0);
    expect(dv.getUint32(offRsv + 4)).toBe(0x8000_0000);
    expect(dv.getUint32(offRsv + 12)).toBe(0x20_0000);
  });

  it("deduplicates property names in the strings block", () => {
    const offStrings = dv.getUint32(12);
    const strings = new TextDecoder().decode(blob.subarray(offStrings, offStrings + dv.getUint32(32)));
    const names = strings.split("\0").filter((s) => s);
    expect(names.filter((n) => n === "reg")).toHaveLength(1);
    expect(names.filter((n) => n === "compatible")).toHaveLength(1);
    expect(names.filter((n) => n === "#address-cells")).toHaveLength(1);
    expect(new Set(names).size).toBe(names.length);
  });

  it("round-trips through decodeFdt", () => {
    const d = decodeFdtBlob(blob);
    expect(d.bootCpuId).toBe(1);
    expect(d.memReserve).toEqual([[0x8000_0000, 0x20_0000]]);
    expect(d.version).toBe(17);
    const root = d.root;
    expect(root.name).toBe("");
    expect(root.props.compatible).toBe("riscv-virtio");
    expect(root.props["#address-cells"]).toBe(2);
    expect(fdtFind(root, "/memory@80000000")?.props.reg).toEqual([0, 0x8000_0000, 1, 0]);
    expect(fdtFind(root, "/soc")?.props.ranges).toBe(true);
    expect(fdtFind(root, "/soc/plic@c000000")?.props.compatible).toEqual(["sifive,plic-1.0.0", "riscv,plic0"]);
    expect(fdtFind(root, "/soc/plic@c000000")?.props["interrupt-controller"]).toBe(true);
    expect(fdtFind(root, "/chosen")?.props["rng-seed"]).toEqual(new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
    expect(fdtFind(root, "/chosen")?.props.bootargs).toBe("console=ttyS0 earlycon");
    expect(fdtFind(root, "/soc/serial@10000000")?.props.interrupts).toBe(10);
    expect(fdtFind(root, "/nope")).toBeNull();
    // re-encoding the decoded tree gives the same bytes
    expect(encodeFdt(root, { bootCpuId: d.bootCpuId, memReserve: d.memReserve })).toEqual(blob);
    // raw mode keeps bytes
    const raw = decodeFdt(blob, { raw: true });
    expect(raw.props.compatible).toEqual(new TextEncoder().encode("riscv-virtio\0"));
  });

  it("encodes every value kind", () => {
    const b = encodeFdt({ name: "", props: { n: 0xdeadbeef, neg: -1, cells: [1, 2], s: "ab", sl: ["a", "bc"], raw: new Uint8Array([9]), e: true, none: [] } });
    const r = decodeFdt(b, { raw: true });
    expect(Array.from(r.props.n as Uint8Array)).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(Array.from(r.props.neg as Uint8Array)).toEqual([0xff, 0xff, 0xff, 0xff]);
    expect(Array.from(r.props.cells as Uint8Array)).toEqual([0, 0, 0, 1, 0, 0, 0, 2]);
    expect(Array.from(r.props.s as Uint8Array)).toEqual([0x61, 0x62, 0]);
    expect(Array.from(r.props.sl as Uint8Array)).toEqual([0x61, 0, 0x62, 0x63, 0]);
    expect(Array.from(r.props.raw as Uint8Array)).toEqual([9]);
    expect((r.props.e as Uint8Array).length).toBe(0);
    expect((r.props.none as Uint8Array).length).toBe(0);
  });

  it("pads the blob when asked (free space counted in totalsize)", () => {
    const padded = encodeFdt(tree, { padding: 4096 });
    const plain = encodeFdt(tree);
    expect(padded.length).toBe(plain.length + 4096);
    expect(new DataView(padded.buffer).getUint32(4)).toBe(padded.length);
    expect(padded.subarray(plain.length).every((b) => b === 0)).toBe(true);
    expect(encodeFdt(decodeFdt(padded))).toEqual(plain);
    if (hasDtc) expect(dtcToDts(padded).status).toBe(0);
  });

  it("rejects bad input to the encoder", () => {
    expect(() => encodeFdt({ name: "", props: { x: 1.5 } })).toThrow(/not a 32-bit cell/);
    expect(() => encodeFdt({ name: "", props: { x: 2 ** 32 } })).toThrow(/not a 32-bit cell/);
    expect(() => encodeFdt({ name: "", props: { x: "a\0b" } })).toThrow(/NUL/);
    expect(() => encodeFdt({ name: "", props: {}, children: [{ name: "a", props: {} }, { name: "a", props: {} }] })).toThrow(/duplicate/);
    expect(() => encodeFdt({ name: "", props: {}, children: [{ name: "", props: {} }] })).toThrow(/bad node name/);
    expect(() => encodeFdt({ name: "", props: { "bad name": 1 } })).toThrow(/bad property name/);
  });

  it.skipIf(!hasDtc)("is accepted by dtc", () => {
    const r = dtcToDts(blob);
    expect(r.err).toBe("");
    expect(r.status).toBe(0);
    expect(r.out).toContain("/memreserve/\t0x0000000080000000 0x0000000000200000;");
    expect(r.out).toContain('compatible = "sifive,plic-1.0.0\\0riscv,plic0";');
    expect(r.out).toContain("reg = <0x00 0x80000000 0x01 0x00>;");
    expect(r.out).toContain("interrupt-controller;");
    expect(r.out).toContain('bootargs = "console=ttyS0 earlycon";');
  });
});

describe("decodeFdt on corrupt input", () => {
  const good = encodeFdt(tree);
  const mutate = (f: (dv: DataView, b: Uint8Array) => void): Uint8Array => {
    const b = good.slice();
    f(new DataView(b.buffer), b);
    return b;
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ["too short", good.subarray(0, 20), /shorter than the 40-byte header/],
    ["bad magic", mutate((dv) => dv.setUint32(0, 0x12345678)), /bad magic 0x12345678/],
    ["bad version", mutate((dv) => dv.setUint32(20, 15)), /unsupported version 15/],
    ["totalsize too big", mutate((dv) => dv.setUint32(4, good.length + 1)), /totalsize/],
    ["truncated", good.subarray(0, good.length - 8), /totalsize/],
    ["struct outside", mutate((dv) => dv.setUint32(36, 0x100000)), /structure block .* outside/],
    ["strings outside", mutate((dv) => dv.setUint32(12, good.length)), /strings block .* outside|property name offset/],
    ["unknown token", mutate((dv) => dv.setUint32(dv.getUint32(8), 0x77)), /unknown token 0x77/],
    ["no END", mutate((dv) => dv.setUint32(dv.getUint32(8) + dv.getUint32(36) - 4, 4 /* NOP */)), /without FDT_END/],
    ["bad name offset", mutate((dv) => {
      // first property of the root: BEGIN_NODE(4) + name "\0" padded (4) + PROP(4) + len(4) + nameoff
      dv.setUint32(dv.getUint32(8) + 16, 0xffff);
    }), /property name offset 65535 outside/],
    ["property too long", mutate((dv) => dv.setUint32(dv.getUint32(8) + 12, 0x7fffffff)), /runs past the structure block/],
    ["unbalanced END_NODE", mutate((dv) => dv.setUint32(dv.getUint32(8), 2)), /unbalanced FDT_END_NODE/],
  ];
  for (const [what, bytes, re] of cases) {
    it(`rejects ${what}`, () => {
      expect(() => decodeFdt(bytes)).toThrow(re);
      expect(() => decodeFdt(bytes)).toThrow(/^fdt: invalid device tree blob: /);
    });
  }
});
