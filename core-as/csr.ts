// Control and status registers: access rules and WARL behaviour (priv 1.12 ch. 2–4, Sstc).
import {
  S_MSTATUS, S_MEDELEG, S_MIDELEG, S_MIE, S_MIP, S_MTVEC, S_MCOUNTEREN, S_MSCRATCH, S_MEPC,
  S_MCAUSE, S_MTVAL, S_MENVCFG, S_MCOUNTINHIBIT, S_STVEC, S_SCOUNTEREN, S_SSCRATCH, S_SEPC,
  S_SCAUSE, S_STVAL, S_SENVCFG, S_SATP, S_STIMECMP, S_FCSR, S_CYCLE_OFF, S_INSTRET_OFF,
  S_HARTID, SH_MTIME,
} from "./layout";
import { priv, requestAttention, PRIV_M, PRIV_S, PRIV_U } from "./state";
import {
  effectiveMip, MS_SIE, MS_MIE, MS_SPIE, MS_MPIE, MS_SPP, MS_MPP, MS_FS, MS_MPRV, MS_SUM, MS_MXR,
  MS_TVM, MS_TW, MS_TSR, MS_SD, IRQ_SSI, IRQ_STI, IRQ_SEI, IRQ_MSI, IRQ_MTI, IRQ_MEI, ENVCFG_STCE,
} from "./trap";
import { flushTlb, selectTlbs } from "./tlb";
import { retired } from "./counters";
import { pmpCfg, pmpAddr, pmpWriteCfgByte, pmpWriteAddr, pmpRecompute, PMP_ENTRIES } from "./pmp";

/** misa: RV64 with A, C, D, F, I, M, S, U. */
export const MISA: u64 = (<u64>2 << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);

const MSTATUS_WRITABLE: u64 = MS_SIE | MS_MIE | MS_SPIE | MS_MPIE | MS_SPP | MS_MPP | MS_FS | MS_MPRV | MS_SUM | MS_MXR | MS_TVM | MS_TW | MS_TSR;
const SSTATUS_VISIBLE: u64 = MS_SIE | MS_SPIE | MS_SPP | MS_FS | MS_SUM | MS_MXR | MS_SD | (<u64>3 << 32);
const SSTATUS_WRITABLE: u64 = MS_SIE | MS_SPIE | MS_SPP | MS_FS | MS_SUM | MS_MXR;
const XLEN64: u64 = (<u64>2 << 32) | (<u64>2 << 34); // UXL = SXL = 64
const MIE_WRITABLE: u64 = IRQ_SSI | IRQ_MSI | IRQ_STI | IRQ_MTI | IRQ_SEI | IRQ_MEI;
const MIDELEG_WRITABLE: u64 = IRQ_SSI | IRQ_STI | IRQ_SEI;
const MEDELEG_WRITABLE: u64 = 0xb3ff; // causes 0–9, 12, 13, 15 (not ecall from M)
const COUNTER_INHIBIT_CY: u64 = 1;
const COUNTER_INHIBIT_IR: u64 = 4;

/** Value read by the last csrRead. */
export let csrValue: u64 = 0;

export const CSR_FFLAGS: u32 = 0x001;
export const CSR_FRM: u32 = 0x002;
export const CSR_FCSR: u32 = 0x003;

// @ts-ignore: decorator
@inline function fsOff(): bool { return (load<u64>(S_MSTATUS) & MS_FS) == 0; }

/** Whether the running privilege may access counter `index` (cycle, time, instret, hpm). */
function counterAllowed(index: u32): bool {
  if (priv == PRIV_M) return true;
  if (((load<u64>(S_MCOUNTEREN) >> index) & 1) == 0) return false;
  if (priv == PRIV_U && ((load<u64>(S_SCOUNTEREN) >> index) & 1) == 0) return false;
  return true;
}

function counterValue(slot: u32, inhibitBit: u64): u64 {
  if (load<u64>(S_MCOUNTINHIBIT) & inhibitBit) return load<u64>(slot);
  return retired() + load<u64>(slot);
}
function mcycle(): u64 { return counterValue(S_CYCLE_OFF, COUNTER_INHIBIT_CY); }
function minstret(): u64 { return counterValue(S_INSTRET_OFF, COUNTER_INHIBIT_IR); }

/**
 * Checks that the CSR exists and the access is allowed at the current privilege; writes
 * to read-only CSRs are refused. Returns false when the access must raise illegal instruction.
 */
export function csrAccessible(csr: u32, write: bool): bool {
  if (priv < ((csr >> 8) & 3)) return false;
  if (write && (csr >> 10) == 3) return false;
  if (csr >= 1 && csr <= 3) return !fsOff(); // fflags, frm, fcsr (0 would be ustatus: no N extension)
  if (csr >= 0xc00 && csr <= 0xc1f) return counterAllowed(csr & 31);
  if (csr == 0x180) return !(priv == PRIV_S && (load<u64>(S_MSTATUS) & MS_TVM) != 0);
  if (csr == 0x14d) {
    if (priv == PRIV_M) return true;
    return (load<u64>(S_MENVCFG) & ENVCFG_STCE) != 0 && (load<u64>(S_MCOUNTEREN) & 2) != 0;
  }
  return csrRead(csr);
}

/** Reads a CSR into csrValue; false when the CSR does not exist. */
export function csrRead(csr: u32): bool {
  let v: u64 = 0;
  switch (csr) {
    case 0x001: v = load<u64>(S_FCSR) & 0x1f; break;
    case 0x002: v = (load<u64>(S_FCSR) >> 5) & 7; break;
    case 0x003: v = load<u64>(S_FCSR) & 0xff; break;
    case 0xc00: v = mcycle(); break;
    case 0xc01: v = load<u64>(SH_MTIME); break;
    case 0xc02: v = minstret(); break;
    case 0x100: v = readMstatus() & SSTATUS_VISIBLE; break;
    case 0x104: v = load<u64>(S_MIE) & load<u64>(S_MIDELEG); break;
    case 0x105: v = load<u64>(S_STVEC); break;
    case 0x106: v = load<u64>(S_SCOUNTEREN); break;
    case 0x10a: v = load<u64>(S_SENVCFG); break;
    case 0x140: v = load<u64>(S_SSCRATCH); break;
    case 0x141: v = load<u64>(S_SEPC); break;
    case 0x142: v = load<u64>(S_SCAUSE); break;
    case 0x143: v = load<u64>(S_STVAL); break;
    case 0x144: v = effectiveMip() & load<u64>(S_MIDELEG); break;
    case 0x14d: v = load<u64>(S_STIMECMP); break;
    case 0x180: v = load<u64>(S_SATP); break;
    case 0xf11: case 0xf12: case 0xf13: case 0xf15: v = 0; break;
    case 0xf14: v = load<u64>(S_HARTID); break;
    case 0x300: v = readMstatus(); break;
    case 0x301: v = MISA; break;
    case 0x302: v = load<u64>(S_MEDELEG); break;
    case 0x303: v = load<u64>(S_MIDELEG); break;
    case 0x304: v = load<u64>(S_MIE); break;
    case 0x305: v = load<u64>(S_MTVEC); break;
    case 0x306: v = load<u64>(S_MCOUNTEREN); break;
    case 0x30a: v = load<u64>(S_MENVCFG); break;
    case 0x320: v = load<u64>(S_MCOUNTINHIBIT); break;
    case 0x340: v = load<u64>(S_MSCRATCH); break;
    case 0x341: v = load<u64>(S_MEPC); break;
    case 0x342: v = load<u64>(S_MCAUSE); break;
    case 0x343: v = load<u64>(S_MTVAL); break;
    case 0x344: v = effectiveMip(); break;
    case 0xb00: v = mcycle(); break;
    case 0xb02: v = minstret(); break;
    case 0x7a0: case 0x7a1: case 0x7a2: case 0x7a3: v = 0; break; // no triggers (tselect 0, tdata1 type 0)
    default: {
      if ((csr >= 0xc03 && csr <= 0xc1f) || (csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0x323 && csr <= 0x33f)) {
        v = 0; // hpm counters and events: implemented as read-only zero
      } else if (csr >= 0x3a0 && csr <= 0x3af) {
        if (csr & 1) return false; // odd pmpcfg registers do not exist on RV64
        const first = (csr - 0x3a0) * 4;
        for (let i: u32 = 0; i < 8; i++) {
          const e = first + i;
          if (e < PMP_ENTRIES) v |= (<u64>pmpCfg(e)) << (i * 8);
        }
      } else if (csr >= 0x3b0 && csr <= 0x3ef) {
        const e = csr - 0x3b0;
        v = e < PMP_ENTRIES ? pmpAddrRead(e) : 0;
      } else {
        return false;
      }
    }
  }
  csrValue = v;
  return true;
}

/**
 * The value CSRRS/CSRRC modify: the value read, except that in mip only the software-writable
 * SEIP bit takes part, not the external line OR-ed into reads (priv 1.12 §3.1.9).
 */
export function csrModifyBase(csr: u32, read: u64): u64 {
  if (csr == 0x344) return (read & ~IRQ_SEI) | (load<u64>(S_MIP) & IRQ_SEI);
  return read;
}

/** pmpaddr as read: with 4-byte granularity every implemented bit reads back. */
function pmpAddrRead(i: u32): u64 { return pmpAddr(i); }

function readMstatus(): u64 {
  let s = load<u64>(S_MSTATUS) | XLEN64;
  if ((s & MS_FS) == MS_FS) s |= MS_SD;
  return s;
}

function writeMstatus(value: u64, mask: u64): void {
  const old = load<u64>(S_MSTATUS);
  let s = (old & ~mask) | (value & mask);
  if (((s >> 11) & 3) == 2) s &= ~MS_MPP; // MPP = 2 (H) does not exist: WARL to U
  store<u64>(S_MSTATUS, s & MSTATUS_WRITABLE);
  if ((old ^ s) & MS_MXR) flushTlb(); // MXR widens or narrows read permission in every set
  if ((old ^ s) & (MS_MPRV | MS_MPP | MS_SUM)) selectTlbs();
  requestAttention();
}

function writeCounter(offsetSlot: u32, inhibitBit: u64, value: u64): void {
  if (load<u64>(S_MCOUNTINHIBIT) & inhibitBit) { store<u64>(offsetSlot, value); return; }
  // The written value replaces this instruction's own increment.
  store<u64>(offsetSlot, value - (retired() + 1));
}

/** Writes a CSR whose access was already checked. */
export function csrWrite(csr: u32, v: u64): void {
  switch (csr) {
    case 0x001: store<u64>(S_FCSR, (load<u64>(S_FCSR) & ~(<u64>0x1f)) | (v & 0x1f)); dirtyFs(); break;
    case 0x002: store<u64>(S_FCSR, (load<u64>(S_FCSR) & 0x1f) | ((v & 7) << 5)); dirtyFs(); break;
    case 0x003: store<u64>(S_FCSR, v & 0xff); dirtyFs(); break;
    case 0x100: writeMstatus(v, SSTATUS_WRITABLE); break;
    case 0x104: {
      const d = load<u64>(S_MIDELEG);
      store<u64>(S_MIE, (load<u64>(S_MIE) & ~d) | (v & d));
      requestAttention();
      break;
    }
    case 0x105: store<u64>(S_STVEC, tvec(v)); break;
    case 0x106: store<u64>(S_SCOUNTEREN, v & 0xffff_ffff); break;
    case 0x10a: store<u64>(S_SENVCFG, v & 1); break;
    case 0x140: store<u64>(S_SSCRATCH, v); break;
    case 0x141: store<u64>(S_SEPC, v & ~(<u64>1)); break;
    case 0x142: store<u64>(S_SCAUSE, v); break;
    case 0x143: store<u64>(S_STVAL, v); break;
    case 0x144: {
      const m = IRQ_SSI & load<u64>(S_MIDELEG);
      store<u64>(S_MIP, (load<u64>(S_MIP) & ~m) | (v & m));
      requestAttention();
      break;
    }
    case 0x14d: store<u64>(S_STIMECMP, v); requestAttention(); break;
    case 0x180: {
      const mode = v >> 60;
      if (mode != 0 && mode != 8 && mode != 9) break; // unsupported mode: the write has no effect
      store<u64>(S_SATP, v & ((<u64>0xf << 60) | ((<u64>1 << 44) - 1))); // ASID bits are hardwired to 0
      flushTlb();
      requestAttention();
      break;
    }
    case 0x300: writeMstatus(v, MSTATUS_WRITABLE); break;
    case 0x302: store<u64>(S_MEDELEG, v & MEDELEG_WRITABLE); break;
    case 0x303: store<u64>(S_MIDELEG, v & MIDELEG_WRITABLE); requestAttention(); break;
    case 0x304: store<u64>(S_MIE, v & MIE_WRITABLE); requestAttention(); break;
    case 0x305: store<u64>(S_MTVEC, tvec(v)); break;
    case 0x306: store<u64>(S_MCOUNTEREN, v & 0xffff_ffff); break;
    case 0x30a: {
      store<u64>(S_MENVCFG, v & (ENVCFG_STCE | 1));
      requestAttention();
      break;
    }
    case 0x320: {
      const old = load<u64>(S_MCOUNTINHIBIT);
      const now = v & (COUNTER_INHIBIT_CY | COUNTER_INHIBIT_IR);
      freezeOrThaw(old, now, COUNTER_INHIBIT_CY, S_CYCLE_OFF);
      freezeOrThaw(old, now, COUNTER_INHIBIT_IR, S_INSTRET_OFF);
      store<u64>(S_MCOUNTINHIBIT, now);
      break;
    }
    case 0x340: store<u64>(S_MSCRATCH, v); break;
    case 0x341: store<u64>(S_MEPC, v & ~(<u64>1)); break;
    case 0x342: store<u64>(S_MCAUSE, v); break;
    case 0x343: store<u64>(S_MTVAL, v); break;
    case 0x344: {
      // SSIP, STIP (unless Sstc drives it) and the software SEIP bit are writable from M.
      let m = IRQ_SSI | IRQ_SEI;
      if ((load<u64>(S_MENVCFG) & ENVCFG_STCE) == 0) m |= IRQ_STI;
      store<u64>(S_MIP, (load<u64>(S_MIP) & ~m) | (v & m));
      requestAttention();
      break;
    }
    case 0xb00: writeCounter(S_CYCLE_OFF, COUNTER_INHIBIT_CY, v); break;
    case 0xb02: writeCounter(S_INSTRET_OFF, COUNTER_INHIBIT_IR, v); break;
    default: {
      if (csr >= 0x3a0 && csr <= 0x3af) {
        const first = (csr - 0x3a0) * 4;
        for (let i: u32 = 0; i < 8; i++) {
          const e = first + i;
          if (e < PMP_ENTRIES) pmpWriteCfgByte(e, <u32>(v >> (i * 8)) & 0xff);
        }
        pmpChanged();
      } else if (csr >= 0x3b0 && csr <= 0x3bf) {
        pmpWriteAddr(csr - 0x3b0, v);
        pmpChanged();
      }
      // Everything else that reads is WARL-zero or read-only zero: writes are ignored.
    }
  }
}

function pmpChanged(): void {
  pmpRecompute();
  flushTlb();
  requestAttention();
}

/** Inhibiting a counter freezes its value in the offset; releasing it continues from there. */
function freezeOrThaw(old: u64, now: u64, bit: u64, slot: u32): void {
  if ((old & bit) == (now & bit)) return;
  // While inhibited, the offset stores the frozen value itself.
  if (now & bit) store<u64>(slot, retired() + load<u64>(slot));
  else store<u64>(slot, load<u64>(slot) - retired());
}

// @ts-ignore: decorator
@inline function tvec(v: u64): u64 {
  // Modes 0 (direct) and 1 (vectored); reserved modes fall back to direct.
  return (v & 3) >= 2 ? v & ~(<u64>3) : v;
}

// @ts-ignore: decorator
@inline export function dirtyFs(): void {
  store<u64>(S_MSTATUS, load<u64>(S_MSTATUS) | MS_FS);
}

