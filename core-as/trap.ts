// Exception and interrupt delivery (privileged spec 1.12, §3.1.6–3.1.9, §3.3.1, §4.1).
import {
  S_MSTATUS, S_MEDELEG, S_MIDELEG, S_MIE, S_MIP, S_MTVEC, S_STVEC, S_MEPC, S_MCAUSE, S_MTVAL,
  S_SEPC, S_SCAUSE, S_STVAL, S_RESV, S_MENVCFG, S_STIMECMP,
  SH_MTIME, SH_MTIMECMP, SH_MSIP, SH_EXT_IRQ,
} from "./layout";
import { pc, priv, setNpc, setPriv, setTrapped, hartIndex, PRIV_M, PRIV_S } from "./state";
import { selectTlbs } from "./tlb";
import { countEvent, EV_EXCEPTION, EV_INTERRUPT } from "./events";

export const CAUSE_MISALIGNED_FETCH: u64 = 0;
export const CAUSE_FETCH_ACCESS: u64 = 1;
export const CAUSE_ILLEGAL: u64 = 2;
export const CAUSE_BREAKPOINT: u64 = 3;
export const CAUSE_MISALIGNED_LOAD: u64 = 4;
export const CAUSE_LOAD_ACCESS: u64 = 5;
export const CAUSE_MISALIGNED_STORE: u64 = 6;
export const CAUSE_STORE_ACCESS: u64 = 7;
export const CAUSE_ECALL_U: u64 = 8;
export const CAUSE_FETCH_PAGE: u64 = 12;
export const CAUSE_LOAD_PAGE: u64 = 13;
export const CAUSE_STORE_PAGE: u64 = 15;
const INTERRUPT: u64 = 1 << 63;

// mstatus fields
export const MS_SIE: u64 = 1 << 1;
export const MS_MIE: u64 = 1 << 3;
export const MS_SPIE: u64 = 1 << 5;
export const MS_MPIE: u64 = 1 << 7;
export const MS_SPP: u64 = 1 << 8;
export const MS_MPP_SHIFT: u64 = 11;
export const MS_MPP: u64 = 3 << 11;
export const MS_FS: u64 = 3 << 13;
export const MS_MPRV: u64 = 1 << 17;
export const MS_SUM: u64 = 1 << 18;
export const MS_MXR: u64 = 1 << 19;
export const MS_TVM: u64 = 1 << 20;
export const MS_TW: u64 = 1 << 21;
export const MS_TSR: u64 = 1 << 22;
export const MS_SD: u64 = 1 << 63;

// interrupt bits (mip/mie)
export const IRQ_SSI: u64 = 1 << 1;
export const IRQ_MSI: u64 = 1 << 3;
export const IRQ_STI: u64 = 1 << 5;
export const IRQ_MTI: u64 = 1 << 7;
export const IRQ_SEI: u64 = 1 << 9;
export const IRQ_MEI: u64 = 1 << 11;
export const ENVCFG_STCE: u64 = 1 << 63;

/** Takes a synchronous exception at the current instruction. */
export function raiseException(cause: u64, tval: u64): void {
  takeTrap(cause, tval, false);
}

export function illegalInstruction(insn: u32): void {
  takeTrap(CAUSE_ILLEGAL, <u64>insn, false);
}

function takeTrap(cause: u64, tval: u64, interrupt: bool): void {
  countEvent(interrupt ? EV_INTERRUPT : EV_EXCEPTION);
  const status = load<u64>(S_MSTATUS);
  const deleg = load<u64>(interrupt ? S_MIDELEG : S_MEDELEG);
  const toS = priv <= PRIV_S && ((deleg >> cause) & 1) != 0;
  const code = interrupt ? cause | INTERRUPT : cause;
  if (toS) {
    store<u64>(S_SCAUSE, code);
    store<u64>(S_SEPC, pc);
    store<u64>(S_STVAL, tval);
    let s = status & ~(MS_SPIE | MS_SIE | MS_SPP);
    if (status & MS_SIE) s |= MS_SPIE;
    if (priv == PRIV_S) s |= MS_SPP;
    store<u64>(S_MSTATUS, s);
    const vec = load<u64>(S_STVEC);
    setNpc(vectorTarget(vec, cause, interrupt));
    setPriv(PRIV_S);
  } else {
    store<u64>(S_MCAUSE, code);
    store<u64>(S_MEPC, pc);
    store<u64>(S_MTVAL, tval);
    let s = status & ~(MS_MPIE | MS_MIE | MS_MPP);
    if (status & MS_MIE) s |= MS_MPIE;
    s |= (<u64>priv) << MS_MPP_SHIFT;
    store<u64>(S_MSTATUS, s);
    setNpc(vectorTarget(load<u64>(S_MTVEC), cause, interrupt));
    setPriv(PRIV_M);
  }
  store<u64>(S_RESV, <u64>-1);
  setTrapped(true);
  selectTlbs();
}

// @ts-ignore: decorator
@inline function vectorTarget(tvec: u64, cause: u64, interrupt: bool): u64 {
  const base = tvec & ~(<u64>3);
  return interrupt && (tvec & 1) != 0 ? base + (cause << 2) : base;
}

/** mip as software sees it: the stored bits plus the lines from CLINT, PLIC and Sstc. */
export function effectiveMip(): u64 {
  let mip = load<u64>(S_MIP);
  const mtime = load<u64>(SH_MTIME);
  if (load<u32>(SH_MSIP + (hartIndex << 2)) != 0) mip |= IRQ_MSI;
  if (mtime >= load<u64>(SH_MTIMECMP + (hartIndex << 3))) mip |= IRQ_MTI;
  if (load<u32>(SH_EXT_IRQ + (hartIndex << 3)) != 0) mip |= IRQ_MEI;
  if (load<u32>(SH_EXT_IRQ + (hartIndex << 3) + 4) != 0) mip |= IRQ_SEI;
  if (load<u64>(S_MENVCFG) & ENVCFG_STCE) {
    mip &= ~IRQ_STI;
    if (mtime >= load<u64>(S_STIMECMP)) mip |= IRQ_STI;
  }
  return mip;
}

/** Interrupts pending and enabled in mie, whatever the global enables say (WFI wakes on these). */
export function pendingInterrupts(): u64 {
  return effectiveMip() & load<u64>(S_MIE);
}

/** Takes the highest-priority interrupt that is pending and enabled; true if one was taken. */
export function takePendingInterrupt(): bool {
  const pending = pendingInterrupts();
  if (pending == 0) return false;
  const status = load<u64>(S_MSTATUS);
  const mideleg = load<u64>(S_MIDELEG);
  const mEnabled = priv < PRIV_M || (status & MS_MIE) != 0;
  const sEnabled = priv < PRIV_S || (priv == PRIV_S && (status & MS_SIE) != 0);
  let candidates: u64 = 0;
  if (mEnabled) candidates = pending & ~mideleg;
  if (candidates == 0 && sEnabled) candidates = pending & mideleg;
  if (candidates == 0) return false;
  let cause: u64;
  if (candidates & IRQ_MEI) cause = 11;
  else if (candidates & IRQ_MSI) cause = 3;
  else if (candidates & IRQ_MTI) cause = 7;
  else if (candidates & IRQ_SEI) cause = 9;
  else if (candidates & IRQ_SSI) cause = 1;
  else if (candidates & IRQ_STI) cause = 5;
  else return false;
  takeTrap(cause, 0, true);
  return true;
}
