// Linear-memory layout of the core: every offset, defined once, each from the previous.
// The host reads these through the exported layout() accessor (host-ts/core.ts), and
// tests/layout.test.ts checks both sides agree.

export const MAX_HARTS: u32 = 8;

/** The running hart's state: x, f and CSRs at fixed addresses (constant-offset loads). */
export const HART: u32 = 0x1_0000;
export const HART_SIZE: u32 = 0x400;
export const XREG: u32 = HART;
export const FREG: u32 = HART + 0x100;
// CSR and control slots, 8 bytes each, from HART + 0x200.
export const S_MSTATUS: u32 = HART + 0x200;
export const S_MEDELEG: u32 = S_MSTATUS + 8;
export const S_MIDELEG: u32 = S_MEDELEG + 8;
export const S_MIE: u32 = S_MIDELEG + 8;
export const S_MIP: u32 = S_MIE + 8; // software-writable bits only; lines are OR-ed in
export const S_MTVEC: u32 = S_MIP + 8;
export const S_MCOUNTEREN: u32 = S_MTVEC + 8;
export const S_MSCRATCH: u32 = S_MCOUNTEREN + 8;
export const S_MEPC: u32 = S_MSCRATCH + 8;
export const S_MCAUSE: u32 = S_MEPC + 8;
export const S_MTVAL: u32 = S_MCAUSE + 8;
export const S_MENVCFG: u32 = S_MTVAL + 8;
export const S_MCOUNTINHIBIT: u32 = S_MENVCFG + 8;
export const S_STVEC: u32 = S_MCOUNTINHIBIT + 8;
export const S_SCOUNTEREN: u32 = S_STVEC + 8;
export const S_SSCRATCH: u32 = S_SCOUNTEREN + 8;
export const S_SEPC: u32 = S_SSCRATCH + 8;
export const S_SCAUSE: u32 = S_SEPC + 8;
export const S_STVAL: u32 = S_SCAUSE + 8;
export const S_SENVCFG: u32 = S_STVAL + 8;
export const S_SATP: u32 = S_SENVCFG + 8;
export const S_STIMECMP: u32 = S_SATP + 8;
export const S_FCSR: u32 = S_STIMECMP + 8;
export const S_CYCLE_OFF: u32 = S_FCSR + 8; // mcycle = retired + offset
export const S_INSTRET_OFF: u32 = S_CYCLE_OFF + 8; // minstret = retired + offset
export const S_RETIRED: u32 = S_INSTRET_OFF + 8; // instructions retired before this slice
export const S_PC: u32 = S_RETIRED + 8;
export const S_PRIV: u32 = S_PC + 8;
export const S_HARTID: u32 = S_PRIV + 8;
export const S_RUNSTATE: u32 = S_HARTID + 8; // RUN_* below
export const S_RESV: u32 = S_RUNSTATE + 8; // LR reservation address, or all ones
export const S_PMPCFG: u32 = S_RESV + 8; // 16 bytes
export const S_PMPADDR: u32 = S_PMPCFG + 16; // 16 x 8 bytes
export const S_END: u32 = S_PMPADDR + 128;

/** Saved state of every hart (the running one is copied in and out of HART). */
export const HART_SAVE: u32 = HART + HART_SIZE;
/** State shared by all harts: ACLINT, interrupt lines, HTIF, the MMIO map. */
export const SHARED: u32 = HART_SAVE + HART_SIZE * MAX_HARTS;
export const SH_MTIME: u32 = SHARED;
export const SH_MTIMECMP: u32 = SHARED + 0x40; // u64 per hart
export const SH_MSIP: u32 = SH_MTIMECMP + 8 * MAX_HARTS; // u32 per hart
export const SH_EXT_IRQ: u32 = SH_MSIP + 4 * MAX_HARTS; // u32 per context: 2h = M, 2h+1 = S
export const SH_TOHOST: u32 = SH_EXT_IRQ + 8 * MAX_HARTS; // u64 physical address, 0 = none
export const SH_FROMHOST: u32 = SH_TOHOST + 8;
export const SH_SCRATCH: u32 = SH_FROMHOST + 8; // 64-bit values crossing the boundary
export const SH_MMIO_COUNT: u32 = SH_SCRATCH + 0x40;
export const SH_MMIO_MAP: u32 = SH_MMIO_COUNT + 8; // (base u32, size u32) x MMIO_MAX
export const MMIO_MAX: u32 = 32;
/** Which hart ran last (cpu.ts), so a restored machine goes on with the same hart order. */
export const SH_LAST_HART: u32 = SH_MMIO_MAP + 8 * MMIO_MAX;
/** Snapshots save the harts and the shared area up to here (not the console buffer, drained after every run). */
export const SHARED_STATE_END: u32 = SH_LAST_HART + 8;
/** Console bytes the built-in SBI took in the core (core-as/sbi.ts) and the host has not drained yet. */
export const SH_CONSOLE_LEN: u32 = SHARED_STATE_END; // u32
export const SH_CONSOLE: u32 = SH_CONSOLE_LEN + 8;
export const CONSOLE_SIZE: u32 = 4096;
export const SHARED_END: u32 = SH_CONSOLE + CONSOLE_SIZE;

/**
 * Per-hart TLBs: one set per translation context (U, S, M, and S with SUM set), so privilege
 * changes select a set instead of flushing. A set holds tags then host addends, for read,
 * write and execute. 2048 entries map 8 MiB per kind and context (a guest streaming over
 * a few MiB would otherwise walk its page tables on every page, as QEMU's resizable TLB
 * does not). After the sets comes the fill log: the slots filled since the last flush,
 * so a flush (every satp write, every sfence.vma) rewrites those instead of all the sets.
 */
export const TLB_ENTRIES: u32 = 2048;
export const TLB_BASE: u32 = 0x2_0000;
export const TLB_TAGS_R: u32 = 0;
export const TLB_TAGS_W: u32 = TLB_ENTRIES * 8;
export const TLB_TAGS_X: u32 = TLB_ENTRIES * 16;
export const TLB_ADDEND: u32 = TLB_ENTRIES * 24; // addends follow the tags in the same order
export const TLB_SET_SIZE: u32 = TLB_ENTRIES * 48;
export const TLB_SETS: u32 = 4; // TLB_SET_U, TLB_SET_S, TLB_SET_M, TLB_SET_S_SUM
export const TLB_LOG: u32 = TLB_SET_SIZE * TLB_SETS; // u32 count, then up to TLB_LOG_MAX slot addresses
export const TLB_LOG_MAX: u32 = 1023;
/** The virtual range (lowest, highest byte) of the superpages translated since the last flush. */
export const TLB_SUPER: u32 = TLB_LOG + (TLB_LOG_MAX + 1) * 4;
export const TLB_PER_HART: u32 = TLB_SUPER + 16;

/**
 * Decoded-instruction cache: a set per halfword of the instruction's host address, or by a
 * hash of its bits when it has none (off RAM); each entry holds its bits and is checked.
 * Two ways, each a table of 16-byte entries: the run loop looks in the first (the recent
 * one) and a miss there looks in the second (dcache.ts).
 */
export const DCACHE: u32 = TLB_BASE + TLB_PER_HART * MAX_HARTS;
export const DCACHE_BITS: u32 = 18;
export const DCACHE_WAY: u32 = (1 << DCACHE_BITS) * 16;
export const DCACHE_SIZE: u32 = 2 * DCACHE_WAY;

/**
 * The translation tier (core-as/jit.ts, host-ts/jit/): a map from the host address of a
 * block's first instruction to its compiled function, the queue of blocks that got hot,
 * and one word per RAM page: a write generation (bits 1..31) and "holds compiled code" (bit 0).
 */
export const JIT_MAP: u32 = DCACHE + DCACHE_SIZE;
export const JIT_MAP_BITS: u32 = 15; // sets of two 16-byte entries
export const JIT_MAP_SIZE: u32 = (1 << JIT_MAP_BITS) * 32;
export const JIT_QUEUE: u32 = JIT_MAP + JIT_MAP_SIZE; // u32 count, then host addresses
export const JIT_QUEUE_MAX: u32 = 255;
export const JIT_PAGES: u32 = JIT_QUEUE + (JIT_QUEUE_MAX + 1) * 4;
export const JIT_PAGES_SIZE: u32 = 0x20_0000; // 4 bytes for each page of MAX_RAM (2 GiB)
/**
 * 4-byte instructions that straddle two pages (they start at page offset 0xffe), as the run
 * loop last fetched them: the host address of the first half, then the second half; one
 * entry per page, direct-mapped. The translator decodes a straddling instruction from here,
 * and its code checks the second half against the guest's fetch TLB before running it.
 */
export const JIT_STRADDLE: u32 = JIT_PAGES + JIT_PAGES_SIZE;
export const JIT_STRADDLE_BITS: u32 = 12;
export const JIT_STRADDLE_SIZE: u32 = (1 << JIT_STRADDLE_BITS) * 8;
/**
 * Tests only: how many instructions of each kind (encoding id; 0 = region entries) ran in
 * translated code. Translated code counts here only when the tier is asked to (coverage).
 */
export const JIT_COUNTS: u32 = JIT_STRADDLE + JIT_STRADDLE_SIZE;
export const JIT_COUNTS_SIZE: u32 = 256 * 8;
export const JIT_END: u32 = JIT_COUNTS + JIT_COUNTS_SIZE;
/**
 * One bit per RAM page: something has reached the page. Every page starts absent; the first
 * access asks the host (env.pageIn) to bring it in: from the snapshot a machine was restored
 * from (so a fork costs what it touches), or nothing for a fresh machine, whose RAM is zero.
 * Snapshots read only the pages that were reached: reading the others would fault them in.
 */
export const RAM_PRESENT: u32 = JIT_END;
export const RAM_PRESENT_SIZE: u32 = 0x1_0000; // a bit for each page of MAX_RAM (2 GiB)
/** Function-table index meaning "translation found nothing to compile here". */
export const JIT_NONE: u32 = 0xffff_ffff;
/** The most instructions one pass through a translated block retires (the translator obeys it). */
export const JIT_MAX_INSNS: i32 = 128;

/** The debugger's breakpoints (core-as/debug.ts): virtual addresses, one u64 each. */
export const DEBUG_BREAKPOINTS: u32 = RAM_PRESENT + RAM_PRESENT_SIZE;
export const DEBUG_BREAKPOINTS_MAX: u32 = 64;
export const DEBUG_END: u32 = DEBUG_BREAKPOINTS + DEBUG_BREAKPOINTS_MAX * 8;

/**
 * What translated code reads here rather than through imported globals, which cost it a
 * chain of loads each: the budget while compiled code runs (i32; counters.ts lends it), the
 * data TLB sets of the running hart and privilege (u32; tlb.ts keeps it current), and
 * whether the last region run left by running off its end rather than by a jump (u32; the
 * run loop clears it before each region and reads it after a chain).
 */
export const JIT_REMAINING: u32 = DEBUG_END;
export const JIT_DATA_TLB: u32 = JIT_REMAINING + 4;
export const JIT_STRAIGHT_EXIT: u32 = JIT_DATA_TLB + 4;
export const JIT_SLOTS_END: u32 = JIT_STRAIGHT_EXIT + 4;

/** Guest RAM (physical 0x8000_0000 up) starts here, page-aligned with room to grow below. */
export const RAM_OFFSET: u32 = 0x100_0000;
export const RAM_BASE: u64 = 0x8000_0000;

/** Reasons run() returns. */
export const REASON_BUDGET: i32 = 0;
export const REASON_IDLE: i32 = 1; // every hart waits for an interrupt
export const REASON_HTIF: i32 = 2; // the guest wrote tohost
export const REASON_STOP: i32 = 3; // the host asked to stop (e.g. a device powered off)
export const REASON_SBI: i32 = 4; // an SBI call for the host's firmware
export const REASON_FATAL: i32 = 5;
export const REASON_JIT: i32 = 6; // blocks are waiting to be translated
export const REASON_DEBUG: i32 = 7; // a debugger breakpoint or single step (core-as/debug.ts)

/** Hart run states. */
export const RUN_ACTIVE: u64 = 0;
export const RUN_WFI: u64 = 1;
export const RUN_STOPPED: u64 = 2; // not started (SBI HSM) or stopped
