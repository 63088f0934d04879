// The core's imports (DESIGN.md §2): MMIO and a diagnostic hook. Nothing else crosses
// per instruction. Run-loop stop requests live here too.
import { requestAttention } from "./state";
import { REASON_BUDGET, REASON_HTIF, REASON_STOP, REASON_JIT } from "./layout";

// @ts-ignore: decorator
@external("env", "mmioRead")
export declare function mmioRead(addr: u32, size: u32): u32;
// @ts-ignore: decorator
@external("env", "mmioWrite")
export declare function mmioWrite(addr: u32, size: u32, value: u32): void;

/** Copies RAM page `page` in from the snapshot this machine was restored from (see RAM_PRESENT). */
// @ts-ignore: decorator
@external("env", "pageIn")
export declare function pageIn(page: u32): void;

/** Why the current run() must end early (REASON_BUDGET = no reason). */
export let stopReason: i32 = REASON_BUDGET;

export function requestStop(reason: i32): void {
  // The first reason wins, except that waiting blocks never hide one the host must act on
  // (the host compiles after every run() anyway).
  if (stopReason == REASON_BUDGET || (stopReason == REASON_JIT && reason != REASON_JIT)) stopReason = reason;
  requestAttention();
}

export function clearStop(): void {
  stopReason = REASON_BUDGET;
}

/** The guest stored to tohost: the host handles HTIF after this instruction. */
export function htifWritten(): void {
  requestStop(REASON_HTIF);
}

export const STOP_HOST: i32 = REASON_STOP;
