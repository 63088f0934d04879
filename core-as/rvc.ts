// C: each compressed instruction expands to the 32-bit instruction it stands for, which
// then decodes through the normal table. Reserved operand values expand to 0 (illegal).
import {
  OP_C_ADDI4SPN, OP_C_FLD, OP_C_LW, OP_C_LD, OP_C_FSD, OP_C_SW, OP_C_SD, OP_C_ADDI, OP_C_ADDIW,
  OP_C_LI, OP_C_ADDI16SP, OP_C_LUI, OP_C_SRLI, OP_C_SRAI, OP_C_ANDI, OP_C_SUB, OP_C_XOR, OP_C_OR,
  OP_C_AND, OP_C_SUBW, OP_C_ADDW, OP_C_J, OP_C_BEQZ, OP_C_BNEZ, OP_C_SLLI, OP_C_FLDSP, OP_C_LWSP,
  OP_C_LDSP, OP_C_JR, OP_C_MV, OP_C_EBREAK, OP_C_JALR, OP_C_ADD, OP_C_FSDSP, OP_C_SWSP, OP_C_SDSP,
} from "./gen/ops";

// @ts-ignore: decorator
@inline function b(h: u32, n: u32): u32 { return (h >> n) & 1; }
// @ts-ignore: decorator
@inline function bits(h: u32, hi: u32, lo: u32): u32 { return (h >> lo) & ((1 << (hi - lo + 1)) - 1); }
/** Sign-extends the low `width` bits. */
// @ts-ignore: decorator
@inline function sx(v: u32, width: u32): i32 { return (<i32>(v << (32 - width))) >> (32 - width); }

// @ts-ignore: decorator
@inline function encI(opcode: u32, rd: u32, f3: u32, rs1: u32, imm: i32): u32 {
  return ((<u32>imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode;
}
// @ts-ignore: decorator
@inline function encR(opcode: u32, rd: u32, f3: u32, rs1: u32, rs2: u32, f7: u32): u32 {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode;
}
// @ts-ignore: decorator
@inline function encS(opcode: u32, f3: u32, rs1: u32, rs2: u32, imm: u32): u32 {
  return (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | opcode;
}
// @ts-ignore: decorator
@inline function encB(f3: u32, rs1: u32, imm: i32): u32 {
  const u = <u32>imm;
  return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3f) << 25) | (rs1 << 15) | (f3 << 12) | (((u >> 1) & 0xf) << 8) | (((u >> 11) & 1) << 7) | 0x63;
}
// @ts-ignore: decorator
@inline function encJ(rd: u32, imm: i32): u32 {
  const u = <u32>imm;
  return (((u >> 20) & 1) << 31) | (((u >> 1) & 0x3ff) << 21) | (((u >> 11) & 1) << 20) | (((u >> 12) & 0xff) << 12) | (rd << 7) | 0x6f;
}

const LOAD: u32 = 0x03, STORE: u32 = 0x23, LOAD_FP: u32 = 0x07, STORE_FP: u32 = 0x27;
const OP_IMM: u32 = 0x13, OP_IMM32: u32 = 0x1b, OP: u32 = 0x33, OP32: u32 = 0x3b;

/** The 32-bit equivalent of compressed instruction h (decoded as op id c), or 0 if reserved. */
export function expandCompressed(c: u32, h: u32): u32 {
  const rdFull = bits(h, 11, 7);
  const rs2Full = bits(h, 6, 2);
  const rdP = bits(h, 4, 2) + 8; // rd' / rs2' in CIW, CL, CS
  const rs1P = bits(h, 9, 7) + 8; // rs1' / rd' in CL, CS, CB, CA
  // Immediates shared by several formats.
  const ciImm = sx((b(h, 12) << 5) | bits(h, 6, 2), 6);
  const clD = (bits(h, 12, 10) << 3) | (bits(h, 6, 5) << 6); // c.ld/c.sd/c.fld/c.fsd
  const clW = (bits(h, 12, 10) << 3) | (b(h, 6) << 2) | (b(h, 5) << 6); // c.lw/c.sw
  switch (c) {
    case OP_C_ADDI4SPN: {
      const imm = (bits(h, 12, 11) << 4) | (bits(h, 10, 7) << 6) | (b(h, 6) << 2) | (b(h, 5) << 3);
      return imm == 0 ? 0 : encI(OP_IMM, rdP, 0, 2, <i32>imm);
    }
    case OP_C_FLD: return encI(LOAD_FP, rdP, 3, rs1P, <i32>clD);
    case OP_C_LW: return encI(LOAD, rdP, 2, rs1P, <i32>clW);
    case OP_C_LD: return encI(LOAD, rdP, 3, rs1P, <i32>clD);
    case OP_C_FSD: return encS(STORE_FP, 3, rs1P, rdP, clD);
    case OP_C_SW: return encS(STORE, 2, rs1P, rdP, clW);
    case OP_C_SD: return encS(STORE, 3, rs1P, rdP, clD);
    case OP_C_ADDI: return encI(OP_IMM, rdFull, 0, rdFull, ciImm);
    case OP_C_ADDIW: return rdFull == 0 ? 0 : encI(OP_IMM32, rdFull, 0, rdFull, ciImm);
    case OP_C_LI: return encI(OP_IMM, rdFull, 0, 0, ciImm);
    case OP_C_ADDI16SP: {
      const imm = sx((b(h, 12) << 9) | (b(h, 6) << 4) | (b(h, 5) << 6) | (bits(h, 4, 3) << 7) | (b(h, 2) << 5), 10);
      return imm == 0 ? 0 : encI(OP_IMM, 2, 0, 2, imm);
    }
    case OP_C_LUI: {
      if (ciImm == 0) return 0;
      return ((<u32>ciImm << 12) & 0xffff_f000) | (rdFull << 7) | 0x37;
    }
    case OP_C_SRLI: return encI(OP_IMM, rs1P, 5, rs1P, <i32>((b(h, 12) << 5) | rs2Full));
    case OP_C_SRAI: return encI(OP_IMM, rs1P, 5, rs1P, <i32>((0x10 << 6) | (b(h, 12) << 5) | rs2Full));
    case OP_C_ANDI: return encI(OP_IMM, rs1P, 7, rs1P, ciImm);
    case OP_C_SUB: return encR(OP, rs1P, 0, rs1P, rdP, 0x20);
    case OP_C_XOR: return encR(OP, rs1P, 4, rs1P, rdP, 0);
    case OP_C_OR: return encR(OP, rs1P, 6, rs1P, rdP, 0);
    case OP_C_AND: return encR(OP, rs1P, 7, rs1P, rdP, 0);
    case OP_C_SUBW: return encR(OP32, rs1P, 0, rs1P, rdP, 0x20);
    case OP_C_ADDW: return encR(OP32, rs1P, 0, rs1P, rdP, 0);
    case OP_C_J: {
      const imm = sx((b(h, 12) << 11) | (b(h, 11) << 4) | (bits(h, 10, 9) << 8) | (b(h, 8) << 10) |
        (b(h, 7) << 6) | (b(h, 6) << 7) | (bits(h, 5, 3) << 1) | (b(h, 2) << 5), 12);
      return encJ(0, imm);
    }
    case OP_C_BEQZ:
    case OP_C_BNEZ: {
      const imm = sx((b(h, 12) << 8) | (bits(h, 11, 10) << 3) | (bits(h, 6, 5) << 6) | (bits(h, 4, 3) << 1) | (b(h, 2) << 5), 9);
      return encB(c == OP_C_BEQZ ? 0 : 1, rs1P, imm);
    }
    case OP_C_SLLI: return encI(OP_IMM, rdFull, 1, rdFull, <i32>((b(h, 12) << 5) | rs2Full));
    case OP_C_FLDSP: return encI(LOAD_FP, rdFull, 3, 2, <i32>((b(h, 12) << 5) | (bits(h, 6, 5) << 3) | (bits(h, 4, 2) << 6)));
    case OP_C_LWSP: return rdFull == 0 ? 0 : encI(LOAD, rdFull, 2, 2, <i32>((b(h, 12) << 5) | (bits(h, 6, 4) << 2) | (bits(h, 3, 2) << 6)));
    case OP_C_LDSP: return rdFull == 0 ? 0 : encI(LOAD, rdFull, 3, 2, <i32>((b(h, 12) << 5) | (bits(h, 6, 5) << 3) | (bits(h, 4, 2) << 6)));
    case OP_C_JR: return rdFull == 0 ? 0 : encI(0x67, 0, 0, rdFull, 0);
    case OP_C_MV: return encR(OP, rdFull, 0, 0, rs2Full, 0);
    case OP_C_EBREAK: return 0x0010_0073;
    case OP_C_JALR: return encI(0x67, 1, 0, rdFull, 0);
    case OP_C_ADD: return encR(OP, rdFull, 0, rdFull, rs2Full, 0);
    case OP_C_FSDSP: return encS(STORE_FP, 3, 2, rs2Full, (bits(h, 12, 10) << 3) | (bits(h, 9, 7) << 6));
    case OP_C_SWSP: return encS(STORE, 2, 2, rs2Full, (bits(h, 12, 9) << 2) | (bits(h, 8, 7) << 6));
    case OP_C_SDSP: return encS(STORE, 3, 2, rs2Full, (bits(h, 12, 10) << 3) | (bits(h, 9, 7) << 6));
    default: return 0;
  }
}
