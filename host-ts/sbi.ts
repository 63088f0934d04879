// The built-in SBI (DESIGN.md §4): an S-mode ECALL stops the core with REASON_SBI and the
// call is served here, on the calling hart's registers. Base, TIME, IPI, RFENCE, HSM,
// SRST, DBCN and the legacy console/timer/shutdown calls (SBI spec v2.0).
import type { Core } from "./core.js";
import { Priv, RunState } from "./core.js";

const SBI_SUCCESS = 0n;
const ERR_FAILED = -1n;
const ERR_NOT_SUPPORTED = -2n;
const ERR_INVALID_PARAM = -3n;
const ERR_INVALID_ADDRESS = -5n;
const ERR_ALREADY_AVAILABLE = -6n;

const EXT_BASE = 0x10n, EXT_TIME = 0x54494d45n, EXT_IPI = 0x735049n, EXT_RFENCE = 0x52464e43n;
const EXT_HSM = 0x48534dn, EXT_SRST = 0x53525354n, EXT_DBCN = 0x4442434en;
const LEGACY_SET_TIMER = 0n, LEGACY_PUTCHAR = 1n, LEGACY_GETCHAR = 2n, LEGACY_CLEAR_IPI = 3n;
const LEGACY_SEND_IPI = 4n, LEGACY_FENCE_I = 5n, LEGACY_SFENCE_VMA = 6n, LEGACY_SFENCE_ASID = 7n, LEGACY_SHUTDOWN = 8n;
const SUPPORTED = new Set([EXT_BASE, EXT_TIME, EXT_IPI, EXT_RFENCE, EXT_HSM, EXT_SRST, EXT_DBCN,
  LEGACY_SET_TIMER, LEGACY_PUTCHAR, LEGACY_GETCHAR, LEGACY_CLEAR_IPI, LEGACY_SEND_IPI, LEGACY_FENCE_I,
  LEGACY_SFENCE_VMA, LEGACY_SFENCE_ASID, LEGACY_SHUTDOWN]);

/** Our SBI implementation id (not one of the registered ids 0–9). */
export const SBI_IMPL_ID = 0x6861_7274n; // "hart"
const SPEC_VERSION = 2n << 24n; // v2.0
const MIP_SSIP = 1n << 1n;
const MSTATUS_SIE = 1n << 1n;

export interface SbiHost {
  console: (bytes: Uint8Array) => void;
  /** Next console input byte, or -1. */
  getchar: () => number;
  shutdown: (failure: boolean) => void;
  reboot: () => void;
}

export class BuiltinSbi {
  constructor(private readonly core: Core, private readonly host: SbiHost) {
    core.setSbiConsole(host.console); // console calls are served in the core, drained after run()
  }

  /** Serves the SBI call hart h made: a7 = extension, a6 = function, a0..a5 arguments. */
  handle(h: number): void {
    const c = this.core;
    const eid = c.getX(h, 17);
    const fid = c.getX(h, 16);
    const a = (i: number) => c.getX(h, 10 + i);
    let error = SBI_SUCCESS;
    let value: bigint | undefined = 0n;
    switch (eid) {
      case EXT_BASE:
        switch (fid) {
          case 0n: value = SPEC_VERSION; break;
          case 1n: value = SBI_IMPL_ID; break;
          case 2n: value = 1n; break;
          case 3n: value = SUPPORTED.has(a(0)) ? 1n : 0n; break;
          case 4n: case 5n: case 6n: value = 0n; break; // mvendorid, marchid, mimpid
          default: error = ERR_NOT_SUPPORTED;
        }
        break;
      case EXT_TIME:
        if (fid === 0n) this.setTimer(h, a(0)); else error = ERR_NOT_SUPPORTED;
        break;
      case EXT_IPI:
        if (fid === 0n) error = this.forHarts(a(0), a(1), (t) => this.raiseSoftware(t));
        else error = ERR_NOT_SUPPORTED;
        break;
      case EXT_RFENCE:
        // Every fence flushes all TLBs; decoded code never goes stale (it is keyed by its bits).
        if (fid <= 6n) error = this.forHarts(a(0), a(1), () => c.flushTlbs());
        else error = ERR_NOT_SUPPORTED;
        break;
      case EXT_HSM:
        [error, value] = this.hsm(h, fid, a(0), a(1), a(2));
        break;
      case EXT_SRST:
        if (fid === 0n && a(0) <= 2n) {
          if (a(0) === 0n) this.host.shutdown(a(1) === 1n); else this.host.reboot();
        } else error = ERR_INVALID_PARAM;
        break;
      case EXT_DBCN:
        [error, value] = this.debugConsole(fid, a(0), a(1), a(2));
        break;
      case LEGACY_SET_TIMER: this.setTimer(h, a(0)); value = undefined; break;
      case LEGACY_PUTCHAR: this.host.console(new Uint8Array([Number(a(0) & 0xffn)])); value = undefined; break;
      case LEGACY_GETCHAR: error = BigInt(this.host.getchar()); value = undefined; break;
      case LEGACY_CLEAR_IPI: c.setSlot(h, "S_MIP", c.getSlot(h, "S_MIP") & ~MIP_SSIP); value = undefined; break;
      case LEGACY_SEND_IPI: this.legacyMask(h, a(0), (t) => this.raiseSoftware(t)); value = undefined; break;
      case LEGACY_FENCE_I: case LEGACY_SFENCE_VMA: case LEGACY_SFENCE_ASID: c.flushTlbs(); value = undefined; break;
      case LEGACY_SHUTDOWN: this.host.shutdown(false); value = undefined; break;
      default: error = ERR_NOT_SUPPORTED;
    }
    c.setX(h, 10, error);
    if (value !== undefined) c.setX(h, 11, value);
  }

  /** Sstc does the work: STIP follows stimecmp (menvcfg.STCE is set at boot). */
  private setTimer(h: number, when: bigint): void {
    this.core.setSlot(h, "S_STIMECMP", when);
  }

  private raiseSoftware(t: number): void {
    this.core.setSlot(t, "S_MIP", this.core.getSlot(t, "S_MIP") | MIP_SSIP);
  }

  /** Applies fn to the harts of an SBI hart mask; base = -1 means all harts. */
  private forHarts(mask: bigint, base: bigint, fn: (h: number) => void): bigint {
    const n = this.core.harts;
    if (base === 0xffff_ffff_ffff_ffffn) {
      for (let h = 0; h < n; h++) fn(h);
      return SBI_SUCCESS;
    }
    for (let bit = 0; bit < 64; bit++) {
      if (((mask >> BigInt(bit)) & 1n) === 0n) continue;
      const h = Number(base) + bit;
      if (h >= n) return ERR_INVALID_PARAM;
      fn(h);
    }
    return SBI_SUCCESS;
  }

  /** Legacy calls pass the hart mask by address (an unsigned long in S-mode memory; 0 = all). */
  private legacyMask(h: number, addr: bigint, fn: (t: number) => void): void {
    if (addr === 0n) { for (let t = 0; t < this.core.harts; t++) fn(t); return; }
    const v = this.core.ramView(Number(addr), 8); // the kernel passes a linear-mapped address = physical in early boot
    const mask = v ? new DataView(v.buffer, v.byteOffset, 8).getBigUint64(0, true) : 0n;
    this.forHarts(mask, 0n, fn);
  }

  private hsm(h: number, fid: bigint, a0: bigint, a1: bigint, a2: bigint): [bigint, bigint] {
    const c = this.core;
    switch (fid) {
      case 0n: { // hart_start(hartid, start_addr, opaque)
        const t = Number(a0);
        if (a0 >= BigInt(c.harts)) return [ERR_INVALID_PARAM, 0n];
        if (c.getRunState(t) !== RunState.Stopped) return [ERR_ALREADY_AVAILABLE, 0n];
        if (!c.ramView(Number(a1), 4)) return [ERR_INVALID_ADDRESS, 0n];
        enterSupervisor(c, t, a1, a0, a2);
        return [SBI_SUCCESS, 0n];
      }
      case 1n: // hart_stop
        c.setRunState(h, RunState.Stopped);
        return [SBI_SUCCESS, 0n];
      case 2n: { // hart_get_status: 0 started, 1 stopped
        if (a0 >= BigInt(c.harts)) return [ERR_INVALID_PARAM, 0n];
        return [SBI_SUCCESS, c.getRunState(Number(a0)) === RunState.Stopped ? 1n : 0n];
      }
      case 3n: // hart_suspend: default retentive suspend behaves as WFI
        if (a0 === 0n) { c.setRunState(h, RunState.Wfi); return [SBI_SUCCESS, 0n]; }
        return [ERR_NOT_SUPPORTED, 0n];
      default:
        return [ERR_NOT_SUPPORTED, 0n];
    }
  }

  private debugConsole(fid: bigint, a0: bigint, a1: bigint, a2: bigint): [bigint, bigint] {
    switch (fid) {
      case 0n: { // write(num_bytes, base_lo, base_hi)
        const view = a2 === 0n ? this.core.ramView(Number(a1), Number(a0)) : null;
        if (!view) return [ERR_INVALID_PARAM, 0n];
        this.host.console(view.slice());
        return [SBI_SUCCESS, a0];
      }
      case 1n: { // read(num_bytes, base_lo, base_hi)
        const view = a2 === 0n ? this.core.ramView(Number(a1), Number(a0)) : null;
        if (!view) return [ERR_INVALID_PARAM, 0n];
        let n = 0;
        for (; n < view.length; n++) {
          const b = this.host.getchar();
          if (b < 0) break;
          view[n] = b;
        }
        return [SBI_SUCCESS, BigInt(n)];
      }
      case 2n: // write_byte
        this.host.console(new Uint8Array([Number(a0 & 0xffn)]));
        return [SBI_SUCCESS, 0n];
      default:
        return [ERR_NOT_SUPPORTED, 0n];
    }
  }
}

/** M-mode state the built-in firmware leaves behind before entering the kernel (what OpenSBI would set). */
export function prepareHartForBuiltinSbi(core: Core, h: number): void {
  core.setSlot(h, "S_MEDELEG", 0xb1ffn); // every exception but ECALL from S/M goes to S
  core.setSlot(h, "S_MIDELEG", 0x222n); // SSI, STI, SEI
  core.setSlot(h, "S_MCOUNTEREN", 0xffff_ffffn);
  // As OpenSBI does: U-mode may read cycle, time and instret (Linux's vDSO clock_gettime reads time).
  core.setSlot(h, "S_SCOUNTEREN", 7n);
  core.setSlot(h, "S_MENVCFG", 1n << 63n); // Sstc: stimecmp drives STIP
  core.setSlot(h, "S_STIMECMP", 0xffff_ffff_ffff_ffffn);
  // PMP entry 0: NAPOT over all of memory, RWX, so S and U may access everything.
  core.write64(core.slot(h, core.layout.S_PMPADDR), (1n << 54n) - 1n);
  core.write32(core.slot(h, core.layout.S_PMPCFG), 0x1f);
}

/** Starts hart t in S-mode at pc with a0 = hartid, a1 = opaque, satp = 0, SIE = 0. */
export function enterSupervisor(c: Core, t: number, pc: bigint, a0: bigint, a1: bigint): void {
  c.setPc(t, pc);
  c.setX(t, 10, a0);
  c.setX(t, 11, a1);
  c.setSlot(t, "S_SATP", 0n);
  c.setSlot(t, "S_MSTATUS", c.getSlot(t, "S_MSTATUS") & ~MSTATUS_SIE);
  c.setPriv(t, Priv.S);
  c.setRunState(t, RunState.Active);
}
