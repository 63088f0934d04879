// Direct-mapped TLBs (read, write, execute) per hart, holding the host addend so a hit
// is one compare and one add. Alignment is folded into the tag compare: a misaligned
// address never matches and takes the slow path.
import { TLB_BASE, TLB_PER_HART, TLB_TAGS_R, TLB_TAGS_W, TLB_TAGS_X, TLB_ADDEND, TLB_ENTRIES } from "./layout";

export let tlbBase: u32 = TLB_BASE;

export function selectTlb(hart: u32): void {
  tlbBase = TLB_BASE + hart * TLB_PER_HART;
}

export function flushTlb(): void {
  memory.fill(tlbBase, 0xff, TLB_ADDEND);
}

export function flushAllTlbs(harts: u32): void {
  for (let h: u32 = 0; h < harts; h++) memory.fill(TLB_BASE + h * TLB_PER_HART, 0xff, TLB_ADDEND);
}

// @ts-ignore: decorator
@inline export function tlbIndex(va: u64): u32 { return (<u32>(va >> 12)) & (TLB_ENTRIES - 1); }

/** Host address for an aligned access of `size` bytes at va, or 0 on a miss. */
// @ts-ignore: decorator
@inline export function tlbLookup(kind: u32, va: u64, size: u64): u32 {
  const slot = tlbBase + kind + (tlbIndex(va) << 3);
  if (load<u64>(slot) == (va & (~(<u64>0xfff) | (size - 1)))) {
    return <u32>(va + load<u64>(slot + TLB_ADDEND));
  }
  return 0;
}

export function tlbFill(kind: u32, va: u64, host: u32): void {
  const slot = tlbBase + kind + (tlbIndex(va) << 3);
  const page = va & ~(<u64>0xfff);
  store<u64>(slot, page);
  store<u64>(slot + TLB_ADDEND, (<u64>(host & ~0xfff)) - page);
}

export const KIND_R: u32 = TLB_TAGS_R;
export const KIND_W: u32 = TLB_TAGS_W;
export const KIND_X: u32 = TLB_TAGS_X;
