// The running hart's registers and the few hot values kept in wasm globals.
import { XREG, FREG, MAX_HARTS, RAM_OFFSET, RAM_PRESENT } from "./layout";
import { pageIn } from "./env";

export const PRIV_U: u32 = 0;
export const PRIV_S: u32 = 1;
export const PRIV_M: u32 = 3;

/** Program counter of the instruction being executed, and of the next one. */
export let pc: u64 = 0;
export let npc: u64 = 0;
export let priv: u32 = PRIV_M;
/** Index of the running hart and how many harts the machine has. */
export let hartIndex: u32 = 0;
export let hartCount: u32 = 1;
/** Guest RAM size in bytes (fixed at init). */
export let ramSize: u64 = 0;
/** Set when the current instruction trapped: it must not write its destination. */
export let trapped: bool = false;
/** Something changed that the run loop must look at before the next instruction. */
export let attention: bool = false;

// @ts-ignore: decorator
@inline export function setPc(v: u64): void { pc = v; }
/** probeBelow's value where control landed: the run loop probes whatever the budget. */
export const PROBE_NOW: i32 = i32.MAX_VALUE;
/**
 * The run loop probes the block map for compiled code once `remaining` is down to this
 * (cpu.ts). A global, not a local of the loop: every control transfer sets it (setNpc),
 * and a local live across the dispatch costs a spill and a reload every instruction.
 */
export let probeBelow: i32 = PROBE_NOW;
// @ts-ignore: decorator
@inline export function setProbeBelow(v: i32): void { probeBelow = v; }
/** Control goes to `v` (a jump, a taken branch, a trap, an xRET): a landing, probed there. */
// @ts-ignore: decorator
@inline export function setNpc(v: u64): void { npc = v; probeBelow = PROBE_NOW; }
/** The instruction runs on in sequence to `v` (the run loop's default, before it executes). */
// @ts-ignore: decorator
@inline export function setNpcSequential(v: u64): void { npc = v; }
// @ts-ignore: decorator
@inline export function setPriv(p: u32): void { priv = p; }
// @ts-ignore: decorator
@inline export function setTrapped(v: bool): void { trapped = v; }
// @ts-ignore: decorator
@inline export function requestAttention(): void { attention = true; }
// @ts-ignore: decorator
@inline export function clearAttention(): void { attention = false; }
export function setHart(index: u32): void { hartIndex = index; }
export function configure(harts: u32, ram: u64): void {
  hartCount = harts < 1 ? 1 : harts > MAX_HARTS ? MAX_HARTS : harts;
  ramSize = ram;
}

// @ts-ignore: decorator
@inline export function getX(r: u32): u64 { return load<u64>(XREG + (r << 3)); }
/**
 * Writes to x0 land in its slot: whatever runs an instruction's semantics clears the slot
 * first (the run loop, jitExecute for translated code, the debugger's step), and saveHart
 * before the hart's state is seen from outside.
 */
// @ts-ignore: decorator
@inline export function setX(r: u32, v: u64): void { store<u64>(XREG + (r << 3), v); }
// @ts-ignore: decorator
@inline export function getF(r: u32): u64 { return load<u64>(FREG + (r << 3)); }
// @ts-ignore: decorator
@inline export function setFRaw(r: u32, v: u64): void { store<u64>(FREG + (r << 3), v); }

// Instruction fields (the word is the 32-bit form; compressed ones arrive expanded).
// @ts-ignore: decorator
@inline export function rd(w: u32): u32 { return (w >> 7) & 31; }
// @ts-ignore: decorator
@inline export function rs1(w: u32): u32 { return (w >> 15) & 31; }
// @ts-ignore: decorator
@inline export function rs2(w: u32): u32 { return (w >> 20) & 31; }
// @ts-ignore: decorator
@inline export function rs3(w: u32): u32 { return w >> 27; }
// @ts-ignore: decorator
@inline export function funct3(w: u32): u32 { return (w >> 12) & 7; }

/** RAM pages are brought in on first touch (RAM_PRESENT); off only for the core's own tests. */
export let lazyRam: bool = false;
export function setLazyRam(on: bool): void { lazyRam = on; }

/**
 * Host address of a guest physical address known to be in RAM. Every access to RAM that
 * does not come through a TLB hit goes through here (TLBs are only filled from here), so
 * this is where an absent page is brought in.
 */
// @ts-ignore: decorator
@inline export function ramHost(pa: u64): u32 {
  const offset = <u32>(pa - 0x8000_0000);
  if (lazyRam) ensurePresent(offset >> 12);
  return offset + RAM_OFFSET;
}

function ensurePresent(page: u32): void {
  const at = RAM_PRESENT + (page >> 3);
  const bit: u32 = 1 << (page & 7);
  const bits: u32 = load<u8>(at);
  if (bits & bit) return;
  pageIn(page);
  store<u8>(at, <u8>(bits | bit));
}
// @ts-ignore: decorator
@inline export function inRam(pa: u64, size: u64): bool {
  return pa >= 0x8000_0000 && pa - 0x8000_0000 + size <= ramSize;
}

/** Raw bits of the instruction being executed (16 for compressed): illegal-instruction mtval. */
export let insnBits: u32 = 0;
// @ts-ignore: decorator
@inline export function setInsnBits(v: u32): void { insnBits = v; }
