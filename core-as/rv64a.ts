// A: LR/SC with a one-address reservation set, and the AMOs. Harts never run
// concurrently, so a read-modify-write here is atomic by construction.
import { getX, setX, rd, rs1, rs2 } from "./state";
import { S_RESV } from "./layout";
import { amoAddress, lrAddress } from "./mmu";

const AMO_SWAP: u32 = 0, AMO_ADD: u32 = 1, AMO_XOR: u32 = 2, AMO_AND: u32 = 3, AMO_OR: u32 = 4;
const AMO_MIN: u32 = 5, AMO_MAX: u32 = 6, AMO_MINU: u32 = 7, AMO_MAXU: u32 = 8;

/** The new memory value; a and b are sign-extended for .w (so signed compares work) */
// @ts-ignore: decorator
@inline function combine(op: u32, a: u64, b: u64, word: bool): u64 {
  switch (op) {
    case AMO_SWAP: return b;
    case AMO_ADD: return a + b;
    case AMO_XOR: return a ^ b;
    case AMO_AND: return a & b;
    case AMO_OR: return a | b;
    case AMO_MIN: return <i64>a < <i64>b ? a : b;
    case AMO_MAX: return <i64>a > <i64>b ? a : b;
    case AMO_MINU: return word ? (<u32>a < <u32>b ? a : b) : (a < b ? a : b);
    default: return word ? (<u32>a > <u32>b ? a : b) : (a > b ? a : b);
  }
}

function amoW(w: u32, op: u32): void {
  const host = amoAddress(getX(rs1(w)), 4);
  if (host == 0) return;
  const old = <u64><i64>load<i32>(host);
  store<u32>(host, <u32>combine(op, old, <u64><i64><i32>getX(rs2(w)), true));
  setX(rd(w), old);
}

function amoD(w: u32, op: u32): void {
  const host = amoAddress(getX(rs1(w)), 8);
  if (host == 0) return;
  const old = load<u64>(host);
  store<u64>(host, combine(op, old, getX(rs2(w)), false));
  setX(rd(w), old);
}

export function i_lr_w(w: u32, imm: i64): void {
  const host = lrAddress(getX(rs1(w)), 4);
  if (host == 0) return;
  store<u64>(S_RESV, host);
  setX(rd(w), <u64><i64>load<i32>(host));
}
export function i_lr_d(w: u32, imm: i64): void {
  const host = lrAddress(getX(rs1(w)), 8);
  if (host == 0) return;
  store<u64>(S_RESV, host);
  setX(rd(w), load<u64>(host));
}
function sc(w: u32, size: u64): void {
  const host = amoAddress(getX(rs1(w)), size);
  if (host == 0) return;
  const ok = load<u64>(S_RESV) == <u64>host;
  store<u64>(S_RESV, <u64>-1);
  if (ok) {
    if (size == 8) store<u64>(host, getX(rs2(w)));
    else store<u32>(host, <u32>getX(rs2(w)));
  }
  setX(rd(w), ok ? 0 : 1);
}
export function i_sc_w(w: u32, imm: i64): void { sc(w, 4); }
export function i_sc_d(w: u32, imm: i64): void { sc(w, 8); }

export function i_amoswap_w(w: u32, imm: i64): void { amoW(w, AMO_SWAP); }
export function i_amoadd_w(w: u32, imm: i64): void { amoW(w, AMO_ADD); }
export function i_amoxor_w(w: u32, imm: i64): void { amoW(w, AMO_XOR); }
export function i_amoand_w(w: u32, imm: i64): void { amoW(w, AMO_AND); }
export function i_amoor_w(w: u32, imm: i64): void { amoW(w, AMO_OR); }
export function i_amomin_w(w: u32, imm: i64): void { amoW(w, AMO_MIN); }
export function i_amomax_w(w: u32, imm: i64): void { amoW(w, AMO_MAX); }
export function i_amominu_w(w: u32, imm: i64): void { amoW(w, AMO_MINU); }
export function i_amomaxu_w(w: u32, imm: i64): void { amoW(w, AMO_MAXU); }
export function i_amoswap_d(w: u32, imm: i64): void { amoD(w, AMO_SWAP); }
export function i_amoadd_d(w: u32, imm: i64): void { amoD(w, AMO_ADD); }
export function i_amoxor_d(w: u32, imm: i64): void { amoD(w, AMO_XOR); }
export function i_amoand_d(w: u32, imm: i64): void { amoD(w, AMO_AND); }
export function i_amoor_d(w: u32, imm: i64): void { amoD(w, AMO_OR); }
export function i_amomin_d(w: u32, imm: i64): void { amoD(w, AMO_MIN); }
export function i_amomax_d(w: u32, imm: i64): void { amoD(w, AMO_MAX); }
export function i_amominu_d(w: u32, imm: i64): void { amoD(w, AMO_MINU); }
export function i_amomaxu_d(w: u32, imm: i64): void { amoD(w, AMO_MAXU); }
