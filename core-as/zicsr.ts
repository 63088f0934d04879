// Zicsr: the six CSR instructions. rd = x0 on csrrw skips the read; rs1 = x0 (or uimm = 0)
// on csrrs/csrrc skips the write, so read-only CSRs can be read with them.
import { getX, setX, rd, rs1, insnBits } from "./state";
import { csrAccessible, csrRead, csrWrite, csrValue, csrModifyBase } from "./csr";
import { illegalInstruction } from "./trap";

const OP_W: u32 = 0, OP_S: u32 = 1, OP_C: u32 = 2;

function csrOp(w: u32, csr: u32, src: u64, op: u32, writes: bool): void {
  if (!csrAccessible(csr, writes)) { illegalInstruction(insnBits); return; }
  csrRead(csr);
  const old = csrValue;
  if (writes) {
    const base = csrModifyBase(csr, old);
    csrWrite(csr, op == OP_W ? src : op == OP_S ? base | src : base & ~src);
  }
  setX(rd(w), old);
}

export function i_csrrw(w: u32, imm: i64): void { csrOp(w, <u32>imm, getX(rs1(w)), OP_W, true); }
export function i_csrrs(w: u32, imm: i64): void { csrOp(w, <u32>imm, getX(rs1(w)), OP_S, rs1(w) != 0); }
export function i_csrrc(w: u32, imm: i64): void { csrOp(w, <u32>imm, getX(rs1(w)), OP_C, rs1(w) != 0); }
export function i_csrrwi(w: u32, imm: i64): void { csrOp(w, <u32>imm, <u64>rs1(w), OP_W, true); }
export function i_csrrsi(w: u32, imm: i64): void { csrOp(w, <u32>imm, <u64>rs1(w), OP_S, rs1(w) != 0); }
export function i_csrrci(w: u32, imm: i64): void { csrOp(w, <u32>imm, <u64>rs1(w), OP_C, rs1(w) != 0); }
