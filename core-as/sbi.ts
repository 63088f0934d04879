// The built-in firmware hook: with it on, an ECALL from S-mode is an SBI call that the
// host's firmware (host-ts/sbi.ts) serves instead of a trap to M-mode.
import { requestStop } from "./env";
import { REASON_SBI } from "./layout";

export let sbiEnabled: bool = false;

export function setSbiEnabled(on: bool): void { sbiEnabled = on; }

/** True when the call went to the host; the ECALL then completes like an instruction. */
export function sbiEcall(): bool {
  if (!sbiEnabled) return false;
  requestStop(REASON_SBI);
  return true;
}
