// Privileged instructions: xRET, WFI, SFENCE.VMA (priv 1.12 §3.3).
import { S_MSTATUS, S_MEPC, S_SEPC, S_RUNSTATE, RUN_WFI } from "./layout";
import { priv, setPriv, setNpc, insnBits, requestAttention, getX, rs1, PRIV_M, PRIV_S, PRIV_U } from "./state";
import { illegalInstruction, pendingInterrupts, MS_MIE, MS_MPIE, MS_MPP, MS_MPRV, MS_SIE, MS_SPIE, MS_SPP, MS_TSR, MS_TW, MS_TVM } from "./trap";
import { flushTlb, flushTlbPage, selectTlbs } from "./tlb";

export function i_mret(w: u32, imm: i64): void {
  if (priv < PRIV_M) { illegalInstruction(insnBits); return; }
  let s = load<u64>(S_MSTATUS);
  const target = <u32>((s & MS_MPP) >> 11);
  s &= ~(MS_MIE | MS_MPP);
  if (s & MS_MPIE) s |= MS_MIE;
  s |= MS_MPIE;
  if (target != PRIV_M) s &= ~MS_MPRV;
  store<u64>(S_MSTATUS, s);
  setPriv(target);
  setNpc(load<u64>(S_MEPC));
  selectTlbs();
  requestAttention();
}

export function i_sret(w: u32, imm: i64): void {
  const s0 = load<u64>(S_MSTATUS);
  if (priv < PRIV_S || (priv == PRIV_S && (s0 & MS_TSR) != 0)) { illegalInstruction(insnBits); return; }
  let s = s0;
  const target = (s & MS_SPP) != 0 ? PRIV_S : PRIV_U;
  s &= ~(MS_SIE | MS_SPP | MS_MPRV);
  if (s & MS_SPIE) s |= MS_SIE;
  s |= MS_SPIE;
  store<u64>(S_MSTATUS, s);
  setPriv(target);
  setNpc(load<u64>(S_SEPC));
  selectTlbs();
  requestAttention();
}

export function i_wfi(w: u32, imm: i64): void {
  if (priv == PRIV_U || (priv == PRIV_S && (load<u64>(S_MSTATUS) & MS_TW) != 0)) {
    illegalInstruction(insnBits);
    return;
  }
  if (pendingInterrupts() != 0) return;
  store<u64>(S_RUNSTATE, RUN_WFI);
  requestAttention();
}

export function i_sfence_vma(w: u32, imm: i64): void {
  if (priv == PRIV_U || (priv == PRIV_S && (load<u64>(S_MSTATUS) & MS_TVM) != 0)) {
    illegalInstruction(insnBits);
    return;
  }
  // With an address, only that page's translations go (rs2, the ASID, is not kept: any).
  const r = rs1(w);
  if (r != 0) flushTlbPage(getX(r));
  else flushTlb();
  requestAttention(); // the run loop forgets its current code page
}
