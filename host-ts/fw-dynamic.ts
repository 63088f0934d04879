// OpenSBI's fw_dynamic convention: a2 points at a struct fw_dynamic_info telling the
// firmware where the next stage is and in which mode to start it (QEMU writes it too).
import type { Core } from "./core.js";

const MAGIC = 0x4942534fn; // "OSBI"
const VERSION = 2n;
const NEXT_MODE_S = 1n;
export const FW_DYNAMIC_INFO_BYTES = 48;

/** Writes the info at `at` (guest physical) for a kernel entered in S-mode at `nextAddr` by hart 0. */
export function writeFwDynamicInfo(core: Core, at: number, nextAddr: number): void {
  const v = core.ramView(at, FW_DYNAMIC_INFO_BYTES);
  if (!v) throw new Error(`fw_dynamic info at 0x${at.toString(16)} is outside RAM`);
  const dv = new DataView(v.buffer, v.byteOffset, FW_DYNAMIC_INFO_BYTES);
  const fields = [MAGIC, VERSION, BigInt(nextAddr), NEXT_MODE_S, 0n /* options */, 0n /* boot hart */];
  fields.forEach((x, i) => dv.setBigUint64(8 * i, x, true));
}
