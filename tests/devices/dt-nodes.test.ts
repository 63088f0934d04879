// All device nodes together in a virt-shaped tree: the DTB must go through dtc, and each
// node must read back as in QEMU 7.2's own tree (docs: /work/shared/reference/qemu-virt.dts).
import { describe, expect, it } from "vitest";
import { decodeFdt, encodeFdt, fdtFind, type FdtNode } from "../../images/fdt.js";
import { Uart16550 } from "../../devices/uart16550.js";
import { Plic } from "../../devices/plic.js";
import { Syscon } from "../../devices/syscon.js";
import { GoldfishRtc } from "../../devices/goldfish-rtc.js";
import { VirtioMmio } from "../../devices/virtio/mmio.js";
import { VirtioBlk } from "../../devices/virtio/blk.js";
import { MemoryBlockBackend } from "../../devices/virtio/block-backend.js";
import { ArrayGuestRam } from "../../devices/device.js";
import { dtcToDts, hasDtc } from "./helpers.js";

const PLIC_PH = 3;
const INTC_PH = 2;
const TEST_PH = 4;

function buildTree(): FdtNode {
  const plic = new Plic({ harts: 1, setContextLine: () => {} });
  const uart = new Uart16550({ irq: plic.irqLine(10), transmit: () => {} });
  const rtc = new GoldfishRtc({ irq: plic.irqLine(11), now: () => 0n, schedule: () => {} });
  const syscon = new Syscon({ onPowerOff: () => {}, onReset: () => {}, onFail: () => {} });
  const ram = new ArrayGuestRam(new Uint8Array(4096));
  const slots = Array.from({ length: 8 }, (_, n) =>
    new VirtioMmio({ ram, irq: plic.irqLine(1 + n), device: n === 0 ? new VirtioBlk({ backend: new MemoryBlockBackend(4096) }) : null, log: () => {} }),
  );
  const base = { plicPhandle: PLIC_PH };
  const sysCtx = { ...base, base: 0x10_0000, size: 0x1000, phandle: TEST_PH };
  const soc: FdtNode[] = [
    rtc.fdtNode({ ...base, base: 0x10_1000, size: 0x1000, irq: 11 }),
    uart.fdtNode({ ...base, base: 0x1000_0000, size: 0x100, irq: 10 }),
    syscon.fdtNode(sysCtx),
    ...slots.map((s, n) => s.fdtNode({ ...base, base: 0x1000_1000 + n * 0x1000, size: 0x1000, irq: 1 + n })).reverse(),
    plic.fdtNode({ ...base, base: 0x0c00_0000, size: 0x60_0000, cpuIntcPhandles: [INTC_PH] }),
  ];
  return {
    name: "",
    props: { "#address-cells": 2, "#size-cells": 2, compatible: "riscv-virtio", model: "riscv-virtio,qemu" },
    children: [
      { name: "chosen", props: { "stdout-path": "/soc/serial@10000000" } },
      ...syscon.rootNodes(sysCtx),
      {
        name: "cpus",
        props: { "#address-cells": 1, "#size-cells": 0, "timebase-frequency": 10_000_000 },
        children: [
          {
            name: "cpu@0",
            props: { phandle: 1, device_type: "cpu", reg: 0, status: "okay", compatible: "riscv", "riscv,isa": "rv64imafdc", "mmu-type": "riscv,sv48" },
            children: [{ name: "interrupt-controller", props: { "#interrupt-cells": 1, "interrupt-controller": true, compatible: "riscv,cpu-intc", phandle: INTC_PH } }],
          },
        ],
      },
      { name: "soc", props: { "#address-cells": 2, "#size-cells": 2, compatible: "simple-bus", ranges: true }, children: soc },
    ],
  };
}

// Node bodies as dtc prints QEMU 7.2's tree (phandles as in the reference: intc 2, plic 3, test 4).
const EXPECTED = [
  `poweroff {
		value = <0x5555>;
		offset = <0x00>;
		regmap = <0x04>;
		compatible = "syscon-poweroff";
	};`,
  `reboot {
		value = <0x7777>;
		offset = <0x00>;
		regmap = <0x04>;
		compatible = "syscon-reboot";
	};`,
  `rtc@101000 {
			interrupts = <0x0b>;
			interrupt-parent = <0x03>;
			reg = <0x00 0x101000 0x00 0x1000>;
			compatible = "google,goldfish-rtc";
		};`,
  `serial@10000000 {
			interrupts = <0x0a>;
			interrupt-parent = <0x03>;
			clock-frequency = "\\08@";
			reg = <0x00 0x10000000 0x00 0x100>;
			compatible = "ns16550a";
		};`,
  `test@100000 {
			phandle = <0x04>;
			reg = <0x00 0x100000 0x00 0x1000>;
			compatible = "sifive,test1\\0sifive,test0\\0syscon";
		};`,
  ...[8, 7, 6, 5, 4, 3, 2, 1].map(
    (n) => `virtio_mmio@1000${n}000 {
			interrupts = <0x0${n}>;
			interrupt-parent = <0x03>;
			reg = <0x00 0x1000${n}000 0x00 0x1000>;
			compatible = "virtio,mmio";
		};`,
  ),
  `plic@c000000 {
			phandle = <0x03>;
			riscv,ndev = <0x60>;
			reg = <0x00 0xc000000 0x00 0x600000>;
			interrupts-extended = <0x02 0x0b 0x02 0x09>;
			interrupt-controller;
			compatible = "sifive,plic-1.0.0\\0riscv,plic0";
			#address-cells = <0x00>;
			#interrupt-cells = <0x01>;
		};`,
];

describe("device tree nodes of all devices", () => {
  const blob = encodeFdt(buildTree());

  it("decode back to the same nodes", () => {
    const root = decodeFdt(blob);
    expect(fdtFind(root, "/soc/serial@10000000")?.props["clock-frequency"]).toBe(0x384000);
    expect(fdtFind(root, "/soc/plic@c000000")?.props["riscv,ndev"]).toBe(0x60);
    expect(fdtFind(root, "/soc/test@100000")?.props.compatible).toEqual(["sifive,test1", "sifive,test0", "syscon"]);
    expect(fdtFind(root, "/reboot")?.props.regmap).toBe(TEST_PH);
    expect(fdtFind(root, "/soc/virtio_mmio@10008000")?.props.interrupts).toBe(8);
    expect(encodeFdt(root)).toEqual(blob);
  });

  it.skipIf(!hasDtc)("match QEMU 7.2's nodes when printed by dtc", () => {
    const r = dtcToDts(blob);
    expect(r.status).toBe(0);
    // QEMU's own tree draws this one warning too (cpu intc without #address-cells).
    const warnings = r.err.split("\n").filter((l) => l && !/\/cpus\/cpu@0\/interrupt-controller: Missing #address-cells/.test(l));
    expect(warnings).toEqual([]);
    for (const node of EXPECTED) expect(r.out).toContain(node);
  });
});
