// Architectural constants the core tests use, written out from the specifications
// (unprivileged ISA 20191213, privileged architecture 1.12), not taken from the core.

/** CSR numbers (priv 1.12 §2.2, tables 2.2–2.5). */
export const CSR = {
  fflags: 0x001, frm: 0x002, fcsr: 0x003,
  cycle: 0xc00, time: 0xc01, instret: 0xc02, hpmcounter3: 0xc03,
  sstatus: 0x100, sie: 0x104, stvec: 0x105, scounteren: 0x106, senvcfg: 0x10a,
  sscratch: 0x140, sepc: 0x141, scause: 0x142, stval: 0x143, sip: 0x144, stimecmp: 0x14d, satp: 0x180,
  mvendorid: 0xf11, marchid: 0xf12, mimpid: 0xf13, mhartid: 0xf14, mconfigptr: 0xf15,
  mstatus: 0x300, misa: 0x301, medeleg: 0x302, mideleg: 0x303, mie: 0x304, mtvec: 0x305,
  mcounteren: 0x306, menvcfg: 0x30a, mcountinhibit: 0x320,
  mscratch: 0x340, mepc: 0x341, mcause: 0x342, mtval: 0x343, mip: 0x344,
  pmpcfg0: 0x3a0, pmpcfg1: 0x3a1, pmpcfg2: 0x3a2, pmpcfg3: 0x3a3, pmpaddr0: 0x3b0,
  mcycle: 0xb00, minstret: 0xb02,
} as const;

/** mstatus fields (priv 1.12 §3.1.6, figure 3.7). */
export const MS = {
  SIE: 1n << 1n, MIE: 1n << 3n, SPIE: 1n << 5n, UBE: 1n << 6n, MPIE: 1n << 7n, SPP: 1n << 8n,
  MPP: 3n << 11n, MPP_S: 1n << 11n, MPP_M: 3n << 11n,
  FS: 3n << 13n, FS_INITIAL: 1n << 13n, FS_CLEAN: 2n << 13n, FS_DIRTY: 3n << 13n,
  MPRV: 1n << 17n, SUM: 1n << 18n, MXR: 1n << 19n, TVM: 1n << 20n, TW: 1n << 21n, TSR: 1n << 22n,
  UXL: 3n << 32n, SXL: 3n << 34n, SD: 1n << 63n,
} as const;

/** mip/mie bits (priv 1.12 §3.1.9). */
export const IRQ = {
  SSI: 1n << 1n, MSI: 1n << 3n, STI: 1n << 5n, MTI: 1n << 7n, SEI: 1n << 9n, MEI: 1n << 11n,
} as const;

/** Interrupt codes (mcause with the interrupt bit clear). */
export const INT = { SSI: 1n, MSI: 3n, STI: 5n, MTI: 7n, SEI: 9n, MEI: 11n } as const;

/** Exception codes (priv 1.12 table 3.6). */
export const CAUSE = {
  MISALIGNED_FETCH: 0n, FETCH_ACCESS: 1n, ILLEGAL: 2n, BREAKPOINT: 3n, MISALIGNED_LOAD: 4n,
  LOAD_ACCESS: 5n, MISALIGNED_STORE: 6n, STORE_ACCESS: 7n, ECALL_U: 8n, ECALL_S: 9n, ECALL_M: 11n,
  FETCH_PAGE: 12n, LOAD_PAGE: 13n, STORE_PAGE: 15n,
} as const;

/** The interrupt bit of mcause/scause on RV64. */
export const INTERRUPT = 1n << 63n;

export const PRIV = { U: 0, S: 1, M: 3 } as const;

/** satp MODE values (priv 1.12 table 4.4). */
export const SATP_MODE = { BARE: 0n, SV39: 8n, SV48: 9n, SV57: 10n } as const;

/** Page-table entry bits (priv 1.12 §4.3.1). */
export const PTE = { V: 1n, R: 2n, W: 4n, X: 8n, U: 16n, G: 32n, A: 64n, D: 128n } as const;

/** pmpcfg byte fields (priv 1.12 §3.7.1). */
export const PMP = {
  R: 1, W: 2, X: 4, OFF: 0, TOR: 1 << 3, NA4: 2 << 3, NAPOT: 3 << 3, L: 0x80,
} as const;

/** pmpaddr value of a NAPOT region of `size` bytes (a power of two, at least 8) at `base`. */
export function napot(base: number | bigint, size: number | bigint): bigint {
  const b = BigInt(base), s = BigInt(size);
  if (s < 8n || (s & (s - 1n)) !== 0n || b % s !== 0n) throw new Error(`napot: bad region ${b}+${s}`);
  return (b >> 2n) | ((s >> 3n) - 1n);
}

/** Integer register numbers by ABI name. */
export const X = {
  zero: 0, ra: 1, sp: 2, gp: 3, tp: 4, t0: 5, t1: 6, t2: 7, s0: 8, s1: 9, a0: 10, a1: 11, a2: 12,
  a3: 13, a4: 14, a5: 15, a6: 16, a7: 17, s2: 18, s3: 19, s4: 20, s5: 21, s6: 22, s7: 23, s8: 24,
  s9: 25, s10: 26, s11: 27, t3: 28, t4: 29, t5: 30, t6: 31,
} as const;
