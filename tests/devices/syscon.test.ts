import { describe, expect, it } from "vitest";
import { Syscon } from "../../devices/syscon.js";

function make() {
  const events: string[] = [];
  const dev = new Syscon({
    onPowerOff: () => events.push("poweroff"),
    onReset: () => events.push("reset"),
    onFail: (code) => events.push(`fail ${code}`),
  });
  return { dev, events };
}

describe("Syscon (sifive_test)", () => {
  it("powers off, resets and fails with a code", () => {
    const { dev, events } = make();
    dev.write(0, 4, 0x5555);
    dev.write(0, 4, 0x7777);
    dev.write(0, 4, (42 << 16) | 0x3333);
    dev.write(0, 4, (0xffff << 16) | 0x3333);
    dev.write(0, 4, 0x3333);
    dev.write(0, 2, 0x5555);
    expect(events).toEqual(["poweroff", "reset", "fail 42", "fail 65535", "fail 0", "poweroff"]);
  });

  it("ignores other values, offsets and byte writes, and reads as zero", () => {
    const { dev, events } = make();
    dev.write(0, 4, 0x1234);
    dev.write(0, 4, 0x0001_5555 + 0x1); // 0x5556
    dev.write(4, 4, 0x5555);
    dev.write(0, 1, 0x55);
    expect(events).toEqual([]);
    expect(dev.read(0, 4)).toBe(0);
    expect(dev.saveState()).toEqual({});
  });

  it("emits test@100000 and the poweroff/reboot nodes", () => {
    const { dev } = make();
    const ctx = { base: 0x10_0000, size: 0x1000, plicPhandle: 3, phandle: 4 };
    expect(dev.fdtNode(ctx)).toEqual({
      name: "test@100000",
      props: { phandle: 4, reg: [0, 0x100000, 0, 0x1000], compatible: ["sifive,test1", "sifive,test0", "syscon"] },
    });
    expect(dev.rootNodes(ctx)).toEqual([
      { name: "poweroff", props: { value: 0x5555, offset: 0, regmap: 4, compatible: "syscon-poweroff" } },
      { name: "reboot", props: { value: 0x7777, offset: 0, regmap: 4, compatible: "syscon-reboot" } },
    ]);
    expect(() => dev.fdtNode({ base: 0x10_0000, size: 0x1000, plicPhandle: 3 })).toThrow(/phandle is required/);
  });
});
