// Retired-instruction accounting. The run loop counts `remaining` down; a counter read in
// the middle of a slice adds what the slice has retired so far.
import { S_RETIRED } from "./layout";

export let sliceBudget: i32 = 0;
export let remaining: i32 = 0;
/**
 * Budget the current run() has used so far, over all harts (trapping instructions
 * included): a host that drives a hart by exact budgets reads it after run() returns
 * early (to compile, an SBI call, ...).
 */
export let spent: i32 = 0;

export function clearSpent(): void { spent = 0; }

export function startSlice(budget: i32): void {
  sliceBudget = budget;
  remaining = budget;
}

/** Ends the slice early (the current instruction still retires). */
export function endSlice(): void {
  sliceBudget -= remaining - 1;
  remaining = 1;
}

/** Ends the slice after at most `n` more instructions (the slice reports them as all it had). */
export function capSlice(n: i32): void {
  if (remaining <= n) return;
  sliceBudget -= remaining - n;
  remaining = n;
}

// @ts-ignore: decorator
@inline export function retireOne(): void { remaining--; }

/** Instructions this hart retired before the current one. */
export function retired(): u64 {
  return load<u64>(S_RETIRED) + <u64>(sliceBudget - remaining);
}

/** Folds the slice into the hart's total (before switching harts or returning to the host). */
export function closeSlice(): void {
  spent += sliceBudget - remaining;
  store<u64>(S_RETIRED, retired());
  sliceBudget = 0;
  remaining = 0;
}
