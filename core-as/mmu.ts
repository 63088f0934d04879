// Address translation (Sv39/Sv48, bare), PMP checks and the slow paths behind the TLBs.
import {
  S_MSTATUS, S_SATP, SH_TOHOST, SH_MMIO_COUNT, SH_MMIO_MAP,
} from "./layout";
import { priv, trapped, inRam, ramHost, PRIV_M, PRIV_S, PRIV_U } from "./state";
import {
  raiseException, MS_MPRV, MS_SUM, MS_MXR,
  CAUSE_FETCH_ACCESS, CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS,
  CAUSE_FETCH_PAGE, CAUSE_LOAD_PAGE, CAUSE_STORE_PAGE, CAUSE_MISALIGNED_LOAD, CAUSE_MISALIGNED_STORE,
} from "./trap";
import { pmpAllows, pmpPageUniform, PERM_R, PERM_W, PERM_X } from "./pmp";
import { tlbLookup, tlbFill, noteSuperpage, KIND_R, KIND_W, KIND_X } from "./tlb";
import { clintRead, clintWrite, CLINT_BASE, CLINT_SIZE } from "./clint";
import { mmioRead, mmioWrite, htifWritten } from "./env";
import { noteCodeWrite } from "./jit";
import { debugKeepsOutOfTlb } from "./debug"; // DEBUG hook
import { countEvent, EV_WALK, EV_WALK_4K, EV_WALK_SUPER, EV_WALK_FETCH, EV_WALK_LOAD, EV_WALK_STORE, EV_MMIO, EV_MISALIGNED } from "./events";

export const ACC_FETCH: u32 = 0;
export const ACC_LOAD: u32 = 1;
export const ACC_STORE: u32 = 2;

const PTE_V: u64 = 1;
const PTE_R: u64 = 2;
const PTE_W: u64 = 4;
const PTE_X: u64 = 8;
const PTE_U: u64 = 16;
const PTE_A: u64 = 64;
const PTE_D: u64 = 128;
const PPN_MASK: u64 = (<u64>1 << 44) - 1;

/** Results of the last successful translate(). */
let xPa: u64 = 0;
let xPriv: u32 = 0;

// @ts-ignore: decorator
@inline function accessFault(acc: u32): u64 {
  return acc == ACC_FETCH ? CAUSE_FETCH_ACCESS : acc == ACC_LOAD ? CAUSE_LOAD_ACCESS : CAUSE_STORE_ACCESS;
}
// @ts-ignore: decorator
@inline function pageFault(acc: u32): u64 {
  return acc == ACC_FETCH ? CAUSE_FETCH_PAGE : acc == ACC_LOAD ? CAUSE_LOAD_PAGE : CAUSE_STORE_PAGE;
}
// @ts-ignore: decorator
@inline function permOf(acc: u32): u32 { return acc == ACC_FETCH ? PERM_X : acc == ACC_LOAD ? PERM_R : PERM_W; }

/** The privilege data accesses use (MPRV), or the current one for fetches. */
function effectivePriv(acc: u32): u32 {
  if (acc != ACC_FETCH && priv == PRIV_M) {
    const s = load<u64>(S_MSTATUS);
    if (s & MS_MPRV) return <u32>((s >> 11) & 3);
  }
  return priv;
}

/**
 * Translates va for an access; on success sets xPa/xPriv and returns true, otherwise raises
 * the page or access fault (tval = va) and returns false. `update` is false for side-effect
 * free look-ups (tracing): no A/D writes, no traps.
 */
function translate(va: u64, acc: u32, update: bool): bool {
  const p = effectivePriv(acc);
  xPriv = p;
  const satp = load<u64>(S_SATP);
  const mode = <u32>(satp >> 60);
  if (p == PRIV_M || mode == 0) {
    xPa = va;
    return true;
  }
  countEvent(EV_WALK);
  countEvent(acc == ACC_FETCH ? EV_WALK_FETCH : acc == ACC_LOAD ? EV_WALK_LOAD : EV_WALK_STORE);
  const levels: i32 = mode == 8 ? 3 : 4;
  const vaBits = 12 + 9 * levels;
  const top = (<i64>va) >> (vaBits - 1);
  if (top != 0 && top != -1) return fail(pageFault(acc), va, update);
  let table = (satp & PPN_MASK) << 12;
  let pte: u64 = 0;
  let pteAddr: u64 = 0;
  let level = levels - 1;
  for (; ; level--) {
    pteAddr = table + (((va >> (12 + 9 * <u64>level)) & 511) << 3);
    if (!inRam(pteAddr, 8) || !pmpAllows(pteAddr, 8, PERM_R, PRIV_S)) return fail(accessFault(acc), va, update);
    pte = load<u64>(ramHost(pteAddr));
    if ((pte & PTE_V) == 0 || (pte & (PTE_R | PTE_W)) == PTE_W || (pte >> 54) != 0) return fail(pageFault(acc), va, update);
    if (pte & (PTE_R | PTE_X)) break;
    if (level == 0) return fail(pageFault(acc), va, update);
    table = ((pte >> 10) & PPN_MASK) << 12;
  }
  countEvent(level == 0 ? EV_WALK_4K : EV_WALK_SUPER);
  const status = load<u64>(S_MSTATUS);
  if (p == PRIV_U) {
    if ((pte & PTE_U) == 0) return fail(pageFault(acc), va, update);
  } else if (pte & PTE_U) {
    if (acc == ACC_FETCH || (status & MS_SUM) == 0) return fail(pageFault(acc), va, update);
  }
  let ok: bool;
  if (acc == ACC_FETCH) ok = (pte & PTE_X) != 0;
  else if (acc == ACC_LOAD) ok = (pte & PTE_R) != 0 || ((status & MS_MXR) != 0 && (pte & PTE_X) != 0);
  else ok = (pte & PTE_W) != 0;
  if (!ok) return fail(pageFault(acc), va, update);
  const pageBits: u64 = 12 + 9 * <u64>level;
  const ppn = (pte >> 10) & PPN_MASK;
  if (level > 0 && (ppn & ((<u64>1 << (9 * <u64>level)) - 1)) != 0) return fail(pageFault(acc), va, update);
  const needed = acc == ACC_STORE ? PTE_A | PTE_D : PTE_A;
  if ((pte & needed) != needed) {
    if (!update) return false;
    if (!pmpAllows(pteAddr, 8, PERM_W, PRIV_S)) return fail(accessFault(acc), va, update);
    store<u64>(ramHost(pteAddr), pte | needed);
  }
  const offsetMask = (<u64>1 << pageBits) - 1;
  xPa = ((ppn << 12) & ~offsetMask) | (va & offsetMask);
  if (level > 0) noteSuperpage(va & ~offsetMask, va | offsetMask);
  return true;
}

function fail(cause: u64, va: u64, update: bool): bool {
  if (update) raiseException(cause, va);
  return false;
}

/** Translation plus PMP for one aligned access; raises the fault and returns false on failure. */
function translateChecked(va: u64, size: u64, acc: u32): bool {
  if (!translate(va, acc, true)) return false;
  if (!pmpAllows(xPa, size, permOf(acc), xPriv)) {
    raiseException(accessFault(acc), va);
    return false;
  }
  return true;
}

// --- physical access to RAM, the CLINT and host devices ---

// Range checks are written as `pa - base <= len - size` (len >= size here), never as
// `pa + size <= base + len`: at the top of the address space `pa + size` wraps to 0.

/** Whether [pa, pa + size) lies inside one host device window. */
function mmioMapped(pa: u64, size: u64): bool {
  if (pa >= 0x1_0000_0000 || size > 0x1_0000_0000 - pa) return false; // device addresses are 32-bit
  const n = load<u32>(SH_MMIO_COUNT);
  for (let i: u32 = 0; i < n; i++) {
    const base = <u64>load<u32>(SH_MMIO_MAP + i * 8);
    const len = <u64>load<u32>(SH_MMIO_MAP + i * 8 + 4);
    if (pa >= base && len >= size && pa - base <= len - size) return true;
  }
  return false;
}

// @ts-ignore: decorator
@inline function isClint(pa: u64, size: u64): bool {
  return pa >= CLINT_BASE && pa - CLINT_BASE <= CLINT_SIZE - size;
}

// @ts-ignore: decorator
@inline function loadSized(host: u32, size: u64): u64 {
  if (size == 8) return load<u64>(host);
  if (size == 4) return <u64>load<u32>(host);
  if (size == 2) return <u64>load<u16>(host);
  return <u64>load<u8>(host);
}

// @ts-ignore: decorator
@inline function storeSized(host: u32, size: u64, v: u64): void {
  if (size == 8) store<u64>(host, v);
  else if (size == 4) store<u32>(host, <u32>v);
  else if (size == 2) store<u16>(host, <u16>v);
  else store<u8>(host, <u8>v);
}

/** Device (non-RAM) load; raises an access fault at va when nothing is mapped there. */
function ioLoad(pa: u64, size: u64, va: u64, acc: u32): u64 {
  countEvent(EV_MMIO);
  if (isClint(pa, size)) return clintRead(<u32>(pa - CLINT_BASE), <u32>size);
  if (!mmioMapped(pa, size)) {
    raiseException(accessFault(acc), va);
    return 0;
  }
  if (size == 8) return <u64>mmioRead(<u32>pa, 4) | (<u64>mmioRead(<u32>pa + 4, 4) << 32);
  return <u64>mmioRead(<u32>pa, <u32>size);
}

function ioStore(pa: u64, size: u64, v: u64, va: u64): void {
  countEvent(EV_MMIO);
  if (isClint(pa, size)) { clintWrite(<u32>(pa - CLINT_BASE), <u32>size, v); return; }
  if (!mmioMapped(pa, size)) { raiseException(CAUSE_STORE_ACCESS, va); return; }
  if (size == 8) {
    mmioWrite(<u32>pa, 4, <u32>v);
    mmioWrite(<u32>pa + 4, 4, <u32>(v >> 32));
  } else mmioWrite(<u32>pa, <u32>size, <u32>v);
}

// --- the slow paths behind the TLB fast paths ---

export function loadSlow(va: u64, size: u64): u64 {
  if (va & (size - 1)) {
    countEvent(EV_MISALIGNED);
    // Misaligned: emulated byte by byte (as Linux without a misaligned trap handler expects).
    let v: u64 = 0;
    for (let i: u64 = 0; i < size; i++) {
      const b = loadSlow(va + i, 1);
      if (trapped) return 0;
      v |= b << (i << 3);
    }
    return v;
  }
  if (!translateChecked(va, size, ACC_LOAD)) return 0;
  const pa = xPa;
  if (inRam(pa, size)) {
    const host = ramHost(pa);
    cacheTranslation(KIND_R, va, pa, host);
    return loadSized(host, size);
  }
  return ioLoad(pa, size, va, ACC_LOAD);
}

export function storeSlow(va: u64, size: u64, v: u64): void {
  if (va & (size - 1)) {
    countEvent(EV_MISALIGNED);
    // Check both pages first so a fault leaves memory untouched; a fault in the second
    // page reports where that part of the access starts (the page boundary).
    if (!translateChecked(va, 1, ACC_STORE)) return;
    const secondPage = (va + size - 1) & ~(<u64>0xfff); // wraps to page 0 at the top
    if (secondPage != (va & ~(<u64>0xfff)) && !translateChecked(secondPage, 1, ACC_STORE)) return;
    for (let i: u64 = 0; i < size; i++) {
      storeSlow(va + i, 1, v >> (i << 3));
      if (trapped) return;
    }
    return;
  }
  if (!translateChecked(va, size, ACC_STORE)) return;
  const pa = xPa;
  if (inRam(pa, size)) {
    const host = ramHost(pa);
    noteCodeWrite(host);
    storeSized(host, size, v);
    if (htifPage(pa)) {
      if ((pa & ~(<u64>7)) == load<u64>(SH_TOHOST)) htifWritten();
      return;
    }
    cacheTranslation(KIND_W, va, pa, host);
    return;
  }
  ioStore(pa, size, v, va);
}

/**
 * Enters va's translation to RAM host address `host` (physical pa) in the TLB of `kind`,
 * unless PMP decides differently within pa's page: a TLB entry stands for a whole page.
 */
// @ts-ignore: decorator
@inline function cacheTranslation(kind: u32, va: u64, pa: u64, host: u32): void {
  if (pmpPageUniform(pa & ~(<u64>0xfff))) tlbFill(kind, va, host);
}

/** Whether pa is in the HTIF page, which never enters the write TLB: every store to it is seen in storeSlow. */
function htifPage(pa: u64): bool {
  const tohost = load<u64>(SH_TOHOST);
  return tohost != 0 && (pa & ~(<u64>0xfff)) == (tohost & ~(<u64>0xfff));
}

/**
 * Host address of an aligned read-modify-write (AMO, SC) at va, or 0 after raising a fault.
 * A page walk fills the write TLB as a store's does, so the next AMO or store there hits it
 * (the kernel's locks and counters are AMOs: without this, each of them walked).
 */
export function amoAddress(va: u64, size: u64): u32 {
  if (va & (size - 1)) {
    raiseException(CAUSE_MISALIGNED_STORE, va);
    return 0;
  }
  const host = tlbLookup(KIND_W, va, size);
  if (host != 0) return host;
  if (!translateChecked(va, size, ACC_STORE)) return 0;
  if (!pmpAllows(xPa, size, PERM_R, xPriv) || !inRam(xPa, size)) {
    // AMOs are only supported on RAM (as on QEMU virt devices, which are not atomic-capable).
    raiseException(CAUSE_STORE_ACCESS, va);
    return 0;
  }
  const target = ramHost(xPa);
  noteCodeWrite(target);
  if (!htifPage(xPa)) cacheTranslation(KIND_W, va, xPa, target);
  return target;
}

/** Host address for an LR (aligned load that must be in RAM), or 0 after a fault; through the read TLB as a load. */
export function lrAddress(va: u64, size: u64): u32 {
  if (va & (size - 1)) {
    raiseException(CAUSE_MISALIGNED_LOAD, va);
    return 0;
  }
  const host = tlbLookup(KIND_R, va, size);
  if (host != 0) return host;
  if (!translateChecked(va, size, ACC_LOAD)) return 0;
  if (!inRam(xPa, size)) {
    raiseException(CAUSE_LOAD_ACCESS, va);
    return 0;
  }
  const target = ramHost(xPa);
  cacheTranslation(KIND_R, va, xPa, target);
  return target;
}

/** Fetches 16 bits at va (a half of an instruction); fills the instruction TLB. */
function fetch16(va: u64): u32 {
  if (!translateChecked(va, 2, ACC_FETCH)) return 0;
  const pa = xPa;
  if (!inRam(pa, 2)) {
    raiseException(CAUSE_FETCH_ACCESS, va);
    return 0;
  }
  const host = ramHost(pa);
  // DEBUG: a page with a breakpoint stays out, so its fetches reach the run loop's check.
  if (!debugKeepsOutOfTlb(va)) cacheTranslation(KIND_X, va, pa, host);
  return <u32>load<u16>(host);
}

/** Instruction fetch when the fast path missed or the instruction may cross a page. */
export function fetchSlow(va: u64): u32 {
  let h = tlbLookup(KIND_X, va, 2);
  const lo = h != 0 ? <u32>load<u16>(h) : fetch16(va);
  if (trapped || (lo & 3) != 3) return lo;
  h = tlbLookup(KIND_X, va + 2, 2);
  const hi = h != 0 ? <u32>load<u16>(h) : fetch16(va + 2);
  return lo | (hi << 16);
}

/** The instruction at va without side effects (for tracing); -1 when it cannot be read. */
export function peekInstruction(va: u64): i64 {
  let word: u64 = 0;
  for (let i: u64 = 0; i < 2; i++) {
    if (!translate(va + 2 * i, ACC_FETCH, false) || !inRam(xPa, 2)) return -1;
    word |= (<u64>load<u16>(ramHost(xPa))) << (16 * i);
    if (i == 0 && (word & 3) != 3) break;
  }
  return <i64>word;
}
