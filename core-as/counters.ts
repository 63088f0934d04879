// Retired-instruction accounting. The run loop counts `remaining` down; a counter read in
// the middle of a slice adds what the slice has retired so far.
import { S_RETIRED, JIT_REMAINING } from "./layout";

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

/**
 * Compiled code keeps the budget in linear memory while a chain of blocks runs (one load
 * for it, where the imported global is a chain of them); helpers it calls still see the
 * global, which it writes around each call.
 */
// @ts-ignore: decorator
@inline export function lendBudget(): void { store<i32>(JIT_REMAINING, remaining); }
// @ts-ignore: decorator
@inline export function takeBudgetBack(): void { remaining = load<i32>(JIT_REMAINING); }
// @ts-ignore: decorator
@inline export function lentBudget(): i32 { return load<i32>(JIT_REMAINING); }

/** Instructions the current slice has retired so far (capping or ending it keeps this). */
// @ts-ignore: decorator
@inline export function sliceRetired(): i32 { return sliceBudget - remaining; }

/** Instructions this hart retired before the current one. */
export function retired(): u64 {
  return load<u64>(S_RETIRED) + <u64>sliceRetired();
}

/** Folds the slice into the hart's total (before switching harts or returning to the host). */
export function closeSlice(): void {
  spent += sliceRetired();
  store<u64>(S_RETIRED, retired());
  sliceBudget = 0;
  remaining = 0;
}
