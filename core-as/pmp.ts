// Physical memory protection: 16 entries, TOR/NA4/NAPOT, 4-byte granularity (priv 1.12 §3.7).
import { S_PMPCFG, S_PMPADDR } from "./layout";
import { PRIV_M } from "./state";

export const PMP_ENTRIES: u32 = 16;
const PMP_R: u32 = 1;
const PMP_W: u32 = 2;
const PMP_X: u32 = 4;
const PMP_L: u32 = 0x80;
const ADDR_MASK: u64 = (<u64>1 << 54) - 1;

/** True when at least one entry is switched on (recomputed on every PMP CSR write). */
let anyActive: bool = false;
let lo: u64 = 0;
let hi: u64 = 0;

export function pmpRecompute(): void {
  anyActive = false;
  for (let i: u32 = 0; i < PMP_ENTRIES; i++) if ((load<u8>(S_PMPCFG + i) & 0x18) != 0) anyActive = true;
}

export function pmpCfg(i: u32): u32 { return load<u8>(S_PMPCFG + i); }
export function pmpAddr(i: u32): u64 { return load<u64>(S_PMPADDR + (i << 3)); }

/** Sets lo/hi to entry i's range; false when the entry is off. */
function range(i: u32): bool {
  const cfg = pmpCfg(i);
  const mode = (cfg >> 3) & 3;
  if (mode == 0) return false;
  const addr = pmpAddr(i);
  if (mode == 1) {
    lo = i == 0 ? 0 : pmpAddr(i - 1) << 2;
    hi = addr << 2;
  } else if (mode == 2) {
    lo = addr << 2;
    hi = lo + 4;
  } else {
    const ones = ctz(~addr);
    if (ones >= 54) { lo = 0; hi = <u64>-1; return true; }
    lo = (addr & ~((<u64>1 << ones) - 1)) << 2;
    hi = lo + (<u64>1 << (ones + 3));
  }
  return true;
}

/** Whether an access of `size` bytes at pa with the given kind (1 R, 2 W, 4 X) is allowed. */
export function pmpAllows(pa: u64, size: u64, perm: u32, privilege: u32): bool {
  if (!anyActive) return privilege == PRIV_M;
  const last = pa + size - 1;
  for (let i: u32 = 0; i < PMP_ENTRIES; i++) {
    if (!range(i)) continue;
    const inside = pa >= lo && (hi == <u64>-1 || last < hi);
    if (inside) {
      const cfg = pmpCfg(i);
      if (privilege == PRIV_M && (cfg & PMP_L) == 0) return true;
      return (cfg & perm) != 0;
    }
    if (pa < hi && last >= lo) return false; // partly inside: always fails
  }
  return privilege == PRIV_M;
}

/** Whether one decision holds for every byte of the 4 KiB page (so a TLB entry may cache it). */
export function pmpPageUniform(page: u64): bool {
  if (!anyActive) return true;
  const last = page + 0xfff;
  for (let i: u32 = 0; i < PMP_ENTRIES; i++) {
    if (!range(i)) continue;
    if (page < hi && last >= lo) return page >= lo && (hi == <u64>-1 || last < hi);
  }
  return true;
}

/** Whether entry i is locked against writes (its own L bit, or the next entry's L with TOR). */
export function pmpAddrLocked(i: u32): bool {
  if (pmpCfg(i) & PMP_L) return true;
  if (i + 1 < PMP_ENTRIES) {
    const next = pmpCfg(i + 1);
    return (next & PMP_L) != 0 && ((next >> 3) & 3) == 1;
  }
  return false;
}

export function pmpWriteCfgByte(i: u32, value: u32): void {
  if (pmpCfg(i) & PMP_L) return;
  let v = value & 0x9f; // bits 5..6 are reserved (WARL zero)
  if ((v & (PMP_R | PMP_W)) == PMP_W) v &= ~PMP_W; // W without R is reserved: drop W
  store<u8>(S_PMPCFG + i, <u8>v);
}

export function pmpWriteAddr(i: u32, value: u64): void {
  if (pmpAddrLocked(i)) return;
  store<u64>(S_PMPADDR + (i << 3), value & ADDR_MASK);
}

export const PERM_R: u32 = PMP_R;
export const PERM_W: u32 = PMP_W;
export const PERM_X: u32 = PMP_X;
