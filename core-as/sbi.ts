// The built-in firmware hook: with it on, an ECALL from S-mode is an SBI call that the
// host's firmware (host-ts/sbi.ts) serves instead of a trap to M-mode. The calls a booting
// kernel makes by the thousand are served here without leaving run(): console output
// (legacy putchar, DBCN write and write_byte) into a buffer the host drains after run(),
// and remote fences (RFENCE, legacy fences), which at most have to drop TLBs. Anything else,
// or output that does not fit the buffer, goes to the host as before.
import { requestStop } from "./env";
import { REASON_SBI, SH_CONSOLE, SH_CONSOLE_LEN, CONSOLE_SIZE } from "./layout";
import { getX, setX, hartCount, inRam, ramHost, requestAttention } from "./state";
import { flushHartsTlbs } from "./tlb";

export let sbiEnabled: bool = false;

export function setSbiEnabled(on: bool): void { sbiEnabled = on; }

/** The host drains SH_CONSOLE after every run() (else console calls go to the host). */
let consoleInCore: bool = false;

export function setSbiConsoleInCore(on: bool): void { consoleInCore = on; }

const EXT_RFENCE: u64 = 0x5246_4e43;
const EXT_DBCN: u64 = 0x4442_434e;
const LEGACY_PUTCHAR: u64 = 1;
const LEGACY_FENCE_I: u64 = 5;
const LEGACY_SFENCE_ASID: u64 = 7;
const SBI_SUCCESS: u64 = 0;
const ERR_INVALID_PARAM: u64 = <u64>-3;
const A0: u32 = 10, A1: u32 = 11, A2: u32 = 12, A6: u32 = 16, A7: u32 = 17;

/** True when the call went to the host; the ECALL then completes like an instruction. */
export function sbiEcall(): bool {
  if (!sbiEnabled) return false;
  if (!serveInCore()) requestStop(REASON_SBI);
  return true;
}

/** Serves the call here when it is one of the frequent ones; false leaves it to the host. */
function serveInCore(): bool {
  const eid = getX(A7), fid = getX(A6);
  if (eid == LEGACY_PUTCHAR) {
    if (!consoleTake(0, 1, getX(A0))) return false;
    setX(A0, SBI_SUCCESS);
    return true;
  }
  if (eid >= LEGACY_FENCE_I && eid <= LEGACY_SFENCE_ASID) {
    if (eid != LEGACY_FENCE_I) dropTranslations(); // FENCE.I has nothing to drop (see below)
    setX(A0, SBI_SUCCESS);
    return true;
  }
  if (eid == EXT_DBCN && fid == 2) { // write_byte
    if (!consoleTake(0, 1, getX(A0))) return false;
    setX(A0, SBI_SUCCESS);
    setX(A1, 0);
    return true;
  }
  if (eid == EXT_DBCN && fid == 0) { // write(num_bytes, base_lo, base_hi), from RAM only
    const n = getX(A0), base = getX(A1);
    if (getX(A2) != 0 || n > <u64>CONSOLE_SIZE || !inRam(base, n)) return false;
    const from = ramHost(base);
    if (n > 1) ramHost(base + n - 1); // the buffer (≤ 4 KiB) may run into a second page: bring it in too
    if (!consoleTake(from, <u32>n, 0)) return false;
    setX(A0, SBI_SUCCESS);
    setX(A1, n);
    return true;
  }
  if (eid == EXT_RFENCE && fid <= 6) {
    // A remote FENCE.I has nothing to drop: decoded instructions are checked against their
    // bits and compiled code against writes to its page, as for a local FENCE.I (a no-op).
    // The SFENCE.VMA kinds drop every TLB of every hart.
    setX(A0, hartMaskValid(getX(A0), getX(A1)) ? SBI_SUCCESS : ERR_INVALID_PARAM);
    if (fid != 0) dropTranslations();
    setX(A1, 0);
    return true;
  }
  return false;
}

/** Appends `len` bytes from host address `from` (or, with from = 0, the byte `b`) to the buffer. */
function consoleTake(from: u32, len: u32, b: u64): bool {
  if (!consoleInCore) return false;
  const used = load<u32>(SH_CONSOLE_LEN);
  if (used + len > CONSOLE_SIZE) return false;
  if (from == 0) store<u8>(SH_CONSOLE + used, <u8>b);
  else memory.copy(SH_CONSOLE + used, from, len);
  store<u32>(SH_CONSOLE_LEN, used + len);
  return true;
}

/** An SBI hart mask names only harts that exist (base all ones: every hart). */
function hartMaskValid(mask: u64, base: u64): bool {
  if (base == <u64>-1) return true;
  for (let bit: u64 = 0; bit < 64; bit++) {
    if (((mask >> bit) & 1) != 0 && base + bit >= <u64>hartCount) return false;
  }
  return true;
}

function dropTranslations(): void {
  flushHartsTlbs(hartCount);
  requestAttention(); // the run loop forgets its current code page
}
