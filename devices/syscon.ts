// sifive_test ("syscon") at 0x100000, as on QEMU virt: a 32-bit (or 16-bit) write to
// offset 0 of 0x5555 powers off, 0x7777 resets, and (code << 16) | 0x3333 fails with
// `code`. Everything else reads as zero and is ignored. The poweroff/reboot DT nodes that
// point at it (syscon-poweroff / syscon-reboot) come from rootNodes(): they sit at the root.
import type { Device, DeviceState, FdtContext } from "./device.js";
import { fdtName, fdtReg } from "./device.js";
import type { FdtNode } from "../images/fdt.js";

export interface SysconOptions {
  onPowerOff: () => void;
  onReset: () => void;
  onFail: (code: number) => void;
  name?: string;
}

export const SIFIVE_TEST_FAIL = 0x3333;
export const SIFIVE_TEST_PASS = 0x5555;
export const SIFIVE_TEST_RESET = 0x7777;

export class Syscon implements Device {
  readonly name: string;
  private readonly opts: SysconOptions;

  constructor(opts: SysconOptions) {
    this.opts = opts;
    this.name = opts.name ?? "syscon";
  }

  read(_offset: number, _size: 1 | 2 | 4): number {
    return 0;
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    if (offset !== 0 || size === 1) return;
    const status = value & 0xffff;
    const code = size === 4 ? (value >>> 16) & 0xffff : 0;
    if (status === SIFIVE_TEST_PASS) this.opts.onPowerOff();
    else if (status === SIFIVE_TEST_RESET) this.opts.onReset();
    else if (status === SIFIVE_TEST_FAIL) this.opts.onFail(code);
  }

  reset(): void {}

  saveState(): DeviceState {
    return {};
  }

  loadState(_state: DeviceState): void {}

  /** test@100000; ctx.phandle is required (the poweroff/reboot nodes refer to it). */
  fdtNode(ctx: FdtContext): FdtNode {
    return {
      name: fdtName("test", ctx.base),
      props: {
        phandle: this.phandle(ctx),
        reg: fdtReg(ctx.base, ctx.size),
        compatible: ["sifive,test1", "sifive,test0", "syscon"],
      },
    };
  }

  /** The `poweroff` and `reboot` nodes, for the root of the tree. */
  rootNodes(ctx: FdtContext): FdtNode[] {
    const regmap = this.phandle(ctx);
    const node = (name: string, value: number, compatible: string): FdtNode => ({
      name,
      props: { value, offset: 0, regmap, compatible },
    });
    return [node("poweroff", SIFIVE_TEST_PASS, "syscon-poweroff"), node("reboot", SIFIVE_TEST_RESET, "syscon-reboot")];
  }

  private phandle(ctx: FdtContext): number {
    if (ctx.phandle === undefined) throw new Error(`${this.name}: FdtContext.phandle is required`);
    return ctx.phandle;
  }
}
