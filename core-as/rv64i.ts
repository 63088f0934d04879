// RV64I base integer instructions and Zifencei.
import { getX, setX, rd, rs1, rs2, pc, npc, setNpc, trapped, priv, PRIV_S } from "./state";
import { load8, load16, load32, load64, store8, store16, store32, store64 } from "./mem";
import { raiseException, CAUSE_BREAKPOINT, CAUSE_ECALL_U } from "./trap";
import { sbiEcall } from "./sbi";

// @ts-ignore: decorator
@inline function sext32(v: u64): u64 { return <u64><i64><i32>v; }
// @ts-ignore: decorator
@inline function addr(w: u32, imm: i64): u64 { return getX(rs1(w)) + <u64>imm; }

// @ts-ignore: decorator
@inline export function i_lui(w: u32, imm: i64): void { setX(rd(w), <u64>imm); }
// @ts-ignore: decorator
@inline export function i_auipc(w: u32, imm: i64): void { setX(rd(w), pc + <u64>imm); }
// @ts-ignore: decorator
@inline export function i_jal(w: u32, imm: i64): void {
  setX(rd(w), npc);
  setNpc(pc + <u64>imm);
}
// @ts-ignore: decorator
@inline export function i_jalr(w: u32, imm: i64): void {
  const target = addr(w, imm) & ~(<u64>1);
  setX(rd(w), npc);
  setNpc(target);
}
// @ts-ignore: decorator
@inline export function i_beq(w: u32, imm: i64): void { if (getX(rs1(w)) == getX(rs2(w))) setNpc(pc + <u64>imm); }
// @ts-ignore: decorator
@inline export function i_bne(w: u32, imm: i64): void { if (getX(rs1(w)) != getX(rs2(w))) setNpc(pc + <u64>imm); }
// @ts-ignore: decorator
@inline export function i_blt(w: u32, imm: i64): void { if (<i64>getX(rs1(w)) < <i64>getX(rs2(w))) setNpc(pc + <u64>imm); }
// @ts-ignore: decorator
@inline export function i_bge(w: u32, imm: i64): void { if (<i64>getX(rs1(w)) >= <i64>getX(rs2(w))) setNpc(pc + <u64>imm); }
// @ts-ignore: decorator
@inline export function i_bltu(w: u32, imm: i64): void { if (getX(rs1(w)) < getX(rs2(w))) setNpc(pc + <u64>imm); }
// @ts-ignore: decorator
@inline export function i_bgeu(w: u32, imm: i64): void { if (getX(rs1(w)) >= getX(rs2(w))) setNpc(pc + <u64>imm); }

// @ts-ignore: decorator
@inline export function i_lb(w: u32, imm: i64): void { const v = load8(addr(w, imm)); if (!trapped) setX(rd(w), <u64><i64><i8>v); }
// @ts-ignore: decorator
@inline export function i_lh(w: u32, imm: i64): void { const v = load16(addr(w, imm)); if (!trapped) setX(rd(w), <u64><i64><i16>v); }
// @ts-ignore: decorator
@inline export function i_lw(w: u32, imm: i64): void { const v = load32(addr(w, imm)); if (!trapped) setX(rd(w), sext32(v)); }
// @ts-ignore: decorator
@inline export function i_ld(w: u32, imm: i64): void { const v = load64(addr(w, imm)); if (!trapped) setX(rd(w), v); }
// @ts-ignore: decorator
@inline export function i_lbu(w: u32, imm: i64): void { const v = load8(addr(w, imm)); if (!trapped) setX(rd(w), v); }
// @ts-ignore: decorator
@inline export function i_lhu(w: u32, imm: i64): void { const v = load16(addr(w, imm)); if (!trapped) setX(rd(w), v); }
// @ts-ignore: decorator
@inline export function i_lwu(w: u32, imm: i64): void { const v = load32(addr(w, imm)); if (!trapped) setX(rd(w), v); }
// @ts-ignore: decorator
@inline export function i_sb(w: u32, imm: i64): void { store8(addr(w, imm), getX(rs2(w))); }
// @ts-ignore: decorator
@inline export function i_sh(w: u32, imm: i64): void { store16(addr(w, imm), getX(rs2(w))); }
// @ts-ignore: decorator
@inline export function i_sw(w: u32, imm: i64): void { store32(addr(w, imm), getX(rs2(w))); }
// @ts-ignore: decorator
@inline export function i_sd(w: u32, imm: i64): void { store64(addr(w, imm), getX(rs2(w))); }

// @ts-ignore: decorator
@inline export function i_addi(w: u32, imm: i64): void { setX(rd(w), getX(rs1(w)) + <u64>imm); }
// @ts-ignore: decorator
@inline export function i_slti(w: u32, imm: i64): void { setX(rd(w), <i64>getX(rs1(w)) < imm ? 1 : 0); }
// @ts-ignore: decorator
@inline export function i_sltiu(w: u32, imm: i64): void { setX(rd(w), getX(rs1(w)) < <u64>imm ? 1 : 0); }
// @ts-ignore: decorator
@inline export function i_xori(w: u32, imm: i64): void { setX(rd(w), getX(rs1(w)) ^ <u64>imm); }
// @ts-ignore: decorator
@inline export function i_ori(w: u32, imm: i64): void { setX(rd(w), getX(rs1(w)) | <u64>imm); }
// @ts-ignore: decorator
@inline export function i_andi(w: u32, imm: i64): void { setX(rd(w), getX(rs1(w)) & <u64>imm); }
// @ts-ignore: decorator
@inline export function i_slli(w: u32, imm: i64): void { setX(rd(w), getX(rs1(w)) << <u64>imm); }
// @ts-ignore: decorator
@inline export function i_srli(w: u32, imm: i64): void { setX(rd(w), getX(rs1(w)) >> <u64>imm); }
// @ts-ignore: decorator
@inline export function i_srai(w: u32, imm: i64): void { setX(rd(w), <u64>(<i64>getX(rs1(w)) >> imm)); }

// @ts-ignore: decorator
@inline export function i_add(w: u32, imm: i64): void { setX(rd(w), getX(rs1(w)) + getX(rs2(w))); }
// @ts-ignore: decorator
@inline export function i_sub(w: u32, imm: i64): void { setX(rd(w), getX(rs1(w)) - getX(rs2(w))); }
// @ts-ignore: decorator
@inline export function i_sll(w: u32, imm: i64): void { setX(rd(w), getX(rs1(w)) << (getX(rs2(w)) & 63)); }
// @ts-ignore: decorator
@inline export function i_slt(w: u32, imm: i64): void { setX(rd(w), <i64>getX(rs1(w)) < <i64>getX(rs2(w)) ? 1 : 0); }
// @ts-ignore: decorator
@inline export function i_sltu(w: u32, imm: i64): void { setX(rd(w), getX(rs1(w)) < getX(rs2(w)) ? 1 : 0); }
// @ts-ignore: decorator
@inline export function i_xor(w: u32, imm: i64): void { setX(rd(w), getX(rs1(w)) ^ getX(rs2(w))); }
// @ts-ignore: decorator
@inline export function i_srl(w: u32, imm: i64): void { setX(rd(w), getX(rs1(w)) >> (getX(rs2(w)) & 63)); }
// @ts-ignore: decorator
@inline export function i_sra(w: u32, imm: i64): void { setX(rd(w), <u64>(<i64>getX(rs1(w)) >> <i64>(getX(rs2(w)) & 63))); }
// @ts-ignore: decorator
@inline export function i_or(w: u32, imm: i64): void { setX(rd(w), getX(rs1(w)) | getX(rs2(w))); }
// @ts-ignore: decorator
@inline export function i_and(w: u32, imm: i64): void { setX(rd(w), getX(rs1(w)) & getX(rs2(w))); }

// @ts-ignore: decorator
@inline export function i_addiw(w: u32, imm: i64): void { setX(rd(w), sext32(getX(rs1(w)) + <u64>imm)); }
// @ts-ignore: decorator
@inline export function i_slliw(w: u32, imm: i64): void { setX(rd(w), sext32(<u64>(<u32>getX(rs1(w)) << <u32>imm))); }
// @ts-ignore: decorator
@inline export function i_srliw(w: u32, imm: i64): void { setX(rd(w), sext32(<u64>(<u32>getX(rs1(w)) >> <u32>imm))); }
// @ts-ignore: decorator
@inline export function i_sraiw(w: u32, imm: i64): void { setX(rd(w), <u64><i64>(<i32>getX(rs1(w)) >> <i32>imm)); }
// @ts-ignore: decorator
@inline export function i_addw(w: u32, imm: i64): void { setX(rd(w), sext32(getX(rs1(w)) + getX(rs2(w)))); }
// @ts-ignore: decorator
@inline export function i_subw(w: u32, imm: i64): void { setX(rd(w), sext32(getX(rs1(w)) - getX(rs2(w)))); }
// @ts-ignore: decorator
@inline export function i_sllw(w: u32, imm: i64): void { setX(rd(w), sext32(<u64>(<u32>getX(rs1(w)) << (<u32>getX(rs2(w)) & 31)))); }
// @ts-ignore: decorator
@inline export function i_srlw(w: u32, imm: i64): void { setX(rd(w), sext32(<u64>(<u32>getX(rs1(w)) >> (<u32>getX(rs2(w)) & 31)))); }
// @ts-ignore: decorator
@inline export function i_sraw(w: u32, imm: i64): void { setX(rd(w), <u64><i64>(<i32>getX(rs1(w)) >> (<i32>getX(rs2(w)) & 31))); }

// Harts are interleaved, never concurrent, and decoded code is keyed by its bits:
// neither fence needs to do anything.
// @ts-ignore: decorator
@inline export function i_fence(w: u32, imm: i64): void {}
// @ts-ignore: decorator
@inline export function i_fence_i(w: u32, imm: i64): void {}

export function i_ecall(w: u32, imm: i64): void {
  if (priv == PRIV_S && sbiEcall()) return;
  raiseException(CAUSE_ECALL_U + <u64>priv, 0);
}
export function i_ebreak(w: u32, imm: i64): void { raiseException(CAUSE_BREAKPOINT, pc); }
