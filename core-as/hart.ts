// Hart switching and reset: the running hart's state lives at HART (fixed addresses);
// the others wait in their HART_SAVE slots.
import {
  HART, HART_SIZE, HART_SAVE, S_PC, S_PRIV, S_RESV, S_MSTATUS, S_HARTID, S_RUNSTATE, S_SATP,
  S_MTVEC, S_MIP, S_MIE, S_MEDELEG, S_MIDELEG, S_FCSR, S_MENVCFG, S_STIMECMP, S_PMPCFG, S_PMPADDR,
  S_RETIRED, S_CYCLE_OFF, S_INSTRET_OFF, S_MCOUNTEREN, S_SCOUNTEREN, S_MCOUNTINHIBIT, S_SENVCFG,
  SH_MTIMECMP, RUN_ACTIVE, MAX_HARTS, XREG,
} from "./layout";
import { pc, priv, setPc, setPriv, setHart, hartIndex, PRIV_M } from "./state";
import { selectHartTlbs, flushTlb } from "./tlb";
import { pmpRecompute } from "./pmp";

// @ts-ignore: decorator
@inline export function slotOf(h: u32): u32 { return HART_SAVE + h * HART_SIZE; }

/** Makes hart h the running one. */
export function loadHart(h: u32): void {
  memory.copy(HART, slotOf(h), HART_SIZE);
  setHart(h);
  setPc(load<u64>(S_PC));
  setPriv(<u32>load<u64>(S_PRIV));
  selectHartTlbs(h);
  pmpRecompute();
}

/**
 * Writes the running hart back to its slot. Its LR reservation does not survive a switch
 * (another hart or a device may write the address meanwhile) unless `keepReservation`.
 */
export function saveHart(keepReservation: bool = false): void {
  store<u64>(S_PC, pc);
  store<u64>(S_PRIV, <u64>priv);
  if (!keepReservation) store<u64>(S_RESV, <u64>-1);
  store<u64>(XREG, 0); // the last instruction may have written x0's slot (state.ts setX)
  memory.copy(slotOf(hartIndex), HART, HART_SIZE);
}

/** Architectural reset of hart h (priv 1.12 §3.4): M-mode, MIE = 0, MPRV = 0, pc = entry. */
export function resetHart(h: u32, entry: u64): void {
  const s = slotOf(h);
  memory.fill(s, 0, HART_SIZE);
  store<u64>(s + (S_PC - HART), entry);
  store<u64>(s + (S_PRIV - HART), <u64>PRIV_M);
  store<u64>(s + (S_HARTID - HART), <u64>h);
  store<u64>(s + (S_RESV - HART), <u64>-1);
  store<u64>(s + (S_RUNSTATE - HART), RUN_ACTIVE);
  store<u64>(s + (S_STIMECMP - HART), <u64>-1);
  store<u64>(SH_MTIMECMP + (h << 3), <u64>-1);
  loadHart(h);
  flushTlb();
  saveHart();
}
