// The ACLINT (SiFive CLINT layout) inside the core: msip per hart, mtimecmp per hart, mtime.
import { SH_MSIP, SH_MTIMECMP, SH_MTIME } from "./layout";
import { hartCount, requestAttention } from "./state";

export const CLINT_BASE: u64 = 0x200_0000;
export const CLINT_SIZE: u64 = 0x1_0000;
const MTIMECMP_OFF: u32 = 0x4000;
const MTIME_OFF: u32 = 0xbff8;

export function clintRead(off: u32, size: u32): u64 {
  let value: u64 = 0;
  let base: u32 = off & ~7;
  if (off < 4 * hartCount) {
    return <u64>load<u32>(SH_MSIP + (off & ~3));
  } else if (off >= MTIMECMP_OFF && off < MTIMECMP_OFF + 8 * hartCount) {
    value = load<u64>(SH_MTIMECMP + (base - MTIMECMP_OFF));
  } else if (base == MTIME_OFF) {
    value = load<u64>(SH_MTIME);
  } else {
    return 0;
  }
  if (size == 8) return value;
  return (value >> (<u64>(off & 4) << 3)) & 0xffff_ffff;
}

export function clintWrite(off: u32, size: u32, v: u64): void {
  if (off < 4 * hartCount) {
    store<u32>(SH_MSIP + (off & ~3), <u32>v & 1);
  } else if (off >= MTIMECMP_OFF && off < MTIMECMP_OFF + 8 * hartCount) {
    const slot = SH_MTIMECMP + ((off & ~7) - MTIMECMP_OFF);
    if (size == 8) store<u64>(slot, v);
    else if (off & 4) store<u32>(slot + 4, <u32>v);
    else store<u32>(slot, <u32>v);
  }
  // mtime follows the host clock; guest writes to it are ignored.
  requestAttention();
}
