// The one table of RISC-V instruction encodings hartvm knows. Decoder, dispatcher,
// disassembler and tests all derive from it (gen-decoder.js, host-ts/disasm.ts).
//
// Each line: name, extension, format, then the fixed bit fields in riscv-opcodes
// notation (hi..lo=value). Every bit not named is an operand. The format says how the
// immediate is formed (formats.js) and how the disassembler prints operands.
// 32-bit formats: R R4 I S B U J SH6 SH5 CSR CSRI AMO LR F_I F_S NONE FENCE
// Compressed formats carry the c. prefix and expand to a 32-bit instruction (rvc.ts).

const TABLE = `
# RV64I
lui         I  U     6..0=0x37
auipc       I  U     6..0=0x17
jal         I  J     6..0=0x6f
jalr        I  I     14..12=0 6..0=0x67
beq         I  B     14..12=0 6..0=0x63
bne         I  B     14..12=1 6..0=0x63
blt         I  B     14..12=4 6..0=0x63
bge         I  B     14..12=5 6..0=0x63
bltu        I  B     14..12=6 6..0=0x63
bgeu        I  B     14..12=7 6..0=0x63
lb          I  I     14..12=0 6..0=0x03
lh          I  I     14..12=1 6..0=0x03
lw          I  I     14..12=2 6..0=0x03
ld          I  I     14..12=3 6..0=0x03
lbu         I  I     14..12=4 6..0=0x03
lhu         I  I     14..12=5 6..0=0x03
lwu         I  I     14..12=6 6..0=0x03
sb          I  S     14..12=0 6..0=0x23
sh          I  S     14..12=1 6..0=0x23
sw          I  S     14..12=2 6..0=0x23
sd          I  S     14..12=3 6..0=0x23
addi        I  I     14..12=0 6..0=0x13
slti        I  I     14..12=2 6..0=0x13
sltiu       I  I     14..12=3 6..0=0x13
xori        I  I     14..12=4 6..0=0x13
ori         I  I     14..12=6 6..0=0x13
andi        I  I     14..12=7 6..0=0x13
slli        I  SH6   31..26=0x00 14..12=1 6..0=0x13
srli        I  SH6   31..26=0x00 14..12=5 6..0=0x13
srai        I  SH6   31..26=0x10 14..12=5 6..0=0x13
add         I  R     31..25=0x00 14..12=0 6..0=0x33
sub         I  R     31..25=0x20 14..12=0 6..0=0x33
sll         I  R     31..25=0x00 14..12=1 6..0=0x33
slt         I  R     31..25=0x00 14..12=2 6..0=0x33
sltu        I  R     31..25=0x00 14..12=3 6..0=0x33
xor         I  R     31..25=0x00 14..12=4 6..0=0x33
srl         I  R     31..25=0x00 14..12=5 6..0=0x33
sra         I  R     31..25=0x20 14..12=5 6..0=0x33
or          I  R     31..25=0x00 14..12=6 6..0=0x33
and         I  R     31..25=0x00 14..12=7 6..0=0x33
fence       I  FENCE 14..12=0 6..0=0x0f
ecall       I  NONE  31..20=0x000 19..15=0 14..12=0 11..7=0 6..0=0x73
ebreak      I  NONE  31..20=0x001 19..15=0 14..12=0 11..7=0 6..0=0x73
addiw       I  I     14..12=0 6..0=0x1b
slliw       I  SH5   31..25=0x00 14..12=1 6..0=0x1b
srliw       I  SH5   31..25=0x00 14..12=5 6..0=0x1b
sraiw       I  SH5   31..25=0x20 14..12=5 6..0=0x1b
addw        I  R     31..25=0x00 14..12=0 6..0=0x3b
subw        I  R     31..25=0x20 14..12=0 6..0=0x3b
sllw        I  R     31..25=0x00 14..12=1 6..0=0x3b
srlw        I  R     31..25=0x00 14..12=5 6..0=0x3b
sraw        I  R     31..25=0x20 14..12=5 6..0=0x3b

# Zifencei
fence.i     Zifencei NONE 14..12=1 6..0=0x0f

# M
mul         M  R     31..25=0x01 14..12=0 6..0=0x33
mulh        M  R     31..25=0x01 14..12=1 6..0=0x33
mulhsu      M  R     31..25=0x01 14..12=2 6..0=0x33
mulhu       M  R     31..25=0x01 14..12=3 6..0=0x33
div         M  R     31..25=0x01 14..12=4 6..0=0x33
divu        M  R     31..25=0x01 14..12=5 6..0=0x33
rem         M  R     31..25=0x01 14..12=6 6..0=0x33
remu        M  R     31..25=0x01 14..12=7 6..0=0x33
mulw        M  R     31..25=0x01 14..12=0 6..0=0x3b
divw        M  R     31..25=0x01 14..12=4 6..0=0x3b
divuw       M  R     31..25=0x01 14..12=5 6..0=0x3b
remw        M  R     31..25=0x01 14..12=6 6..0=0x3b
remuw       M  R     31..25=0x01 14..12=7 6..0=0x3b

# A
lr.w        A  LR    31..27=0x02 24..20=0 14..12=2 6..0=0x2f
sc.w        A  AMO   31..27=0x03 14..12=2 6..0=0x2f
amoswap.w   A  AMO   31..27=0x01 14..12=2 6..0=0x2f
amoadd.w    A  AMO   31..27=0x00 14..12=2 6..0=0x2f
amoxor.w    A  AMO   31..27=0x04 14..12=2 6..0=0x2f
amoand.w    A  AMO   31..27=0x0c 14..12=2 6..0=0x2f
amoor.w     A  AMO   31..27=0x08 14..12=2 6..0=0x2f
amomin.w    A  AMO   31..27=0x10 14..12=2 6..0=0x2f
amomax.w    A  AMO   31..27=0x14 14..12=2 6..0=0x2f
amominu.w   A  AMO   31..27=0x18 14..12=2 6..0=0x2f
amomaxu.w   A  AMO   31..27=0x1c 14..12=2 6..0=0x2f
lr.d        A  LR    31..27=0x02 24..20=0 14..12=3 6..0=0x2f
sc.d        A  AMO   31..27=0x03 14..12=3 6..0=0x2f
amoswap.d   A  AMO   31..27=0x01 14..12=3 6..0=0x2f
amoadd.d    A  AMO   31..27=0x00 14..12=3 6..0=0x2f
amoxor.d    A  AMO   31..27=0x04 14..12=3 6..0=0x2f
amoand.d    A  AMO   31..27=0x0c 14..12=3 6..0=0x2f
amoor.d     A  AMO   31..27=0x08 14..12=3 6..0=0x2f
amomin.d    A  AMO   31..27=0x10 14..12=3 6..0=0x2f
amomax.d    A  AMO   31..27=0x14 14..12=3 6..0=0x2f
amominu.d   A  AMO   31..27=0x18 14..12=3 6..0=0x2f
amomaxu.d   A  AMO   31..27=0x1c 14..12=3 6..0=0x2f

# F
flw         F  F_I   14..12=2 6..0=0x07
fsw         F  F_S   14..12=2 6..0=0x27
fmadd.s     F  R4    26..25=0 6..0=0x43
fmsub.s     F  R4    26..25=0 6..0=0x47
fnmsub.s    F  R4    26..25=0 6..0=0x4b
fnmadd.s    F  R4    26..25=0 6..0=0x4f
fadd.s      F  FR    31..25=0x00 6..0=0x53
fsub.s      F  FR    31..25=0x04 6..0=0x53
fmul.s      F  FR    31..25=0x08 6..0=0x53
fdiv.s      F  FR    31..25=0x0c 6..0=0x53
fsqrt.s     F  FR1   31..25=0x2c 24..20=0 6..0=0x53
fsgnj.s     F  FRN   31..25=0x10 14..12=0 6..0=0x53
fsgnjn.s    F  FRN   31..25=0x10 14..12=1 6..0=0x53
fsgnjx.s    F  FRN   31..25=0x10 14..12=2 6..0=0x53
fmin.s      F  FRN   31..25=0x14 14..12=0 6..0=0x53
fmax.s      F  FRN   31..25=0x14 14..12=1 6..0=0x53
fcvt.w.s    F  FXF   31..25=0x60 24..20=0 6..0=0x53
fcvt.wu.s   F  FXF   31..25=0x60 24..20=1 6..0=0x53
fcvt.l.s    F  FXF   31..25=0x60 24..20=2 6..0=0x53
fcvt.lu.s   F  FXF   31..25=0x60 24..20=3 6..0=0x53
fmv.x.w     F  XF    31..25=0x70 24..20=0 14..12=0 6..0=0x53
fclass.s    F  XF    31..25=0x70 24..20=0 14..12=1 6..0=0x53
feq.s       F  XFF   31..25=0x50 14..12=2 6..0=0x53
flt.s       F  XFF   31..25=0x50 14..12=1 6..0=0x53
fle.s       F  XFF   31..25=0x50 14..12=0 6..0=0x53
fcvt.s.w    F  FX    31..25=0x68 24..20=0 6..0=0x53
fcvt.s.wu   F  FX    31..25=0x68 24..20=1 6..0=0x53
fcvt.s.l    F  FX    31..25=0x68 24..20=2 6..0=0x53
fcvt.s.lu   F  FX    31..25=0x68 24..20=3 6..0=0x53
fmv.w.x     F  FXN   31..25=0x78 24..20=0 14..12=0 6..0=0x53

# D
fld         D  F_I   14..12=3 6..0=0x07
fsd         D  F_S   14..12=3 6..0=0x27
fmadd.d     D  R4    26..25=1 6..0=0x43
fmsub.d     D  R4    26..25=1 6..0=0x47
fnmsub.d    D  R4    26..25=1 6..0=0x4b
fnmadd.d    D  R4    26..25=1 6..0=0x4f
fadd.d      D  FR    31..25=0x01 6..0=0x53
fsub.d      D  FR    31..25=0x05 6..0=0x53
fmul.d      D  FR    31..25=0x09 6..0=0x53
fdiv.d      D  FR    31..25=0x0d 6..0=0x53
fsqrt.d     D  FR1   31..25=0x2d 24..20=0 6..0=0x53
fsgnj.d     D  FRN   31..25=0x11 14..12=0 6..0=0x53
fsgnjn.d    D  FRN   31..25=0x11 14..12=1 6..0=0x53
fsgnjx.d    D  FRN   31..25=0x11 14..12=2 6..0=0x53
fmin.d      D  FRN   31..25=0x15 14..12=0 6..0=0x53
fmax.d      D  FRN   31..25=0x15 14..12=1 6..0=0x53
fcvt.s.d    D  FR1   31..25=0x20 24..20=1 6..0=0x53
fcvt.d.s    D  FR1   31..25=0x21 24..20=0 6..0=0x53
feq.d       D  XFF   31..25=0x51 14..12=2 6..0=0x53
flt.d       D  XFF   31..25=0x51 14..12=1 6..0=0x53
fle.d       D  XFF   31..25=0x51 14..12=0 6..0=0x53
fclass.d    D  XF    31..25=0x71 24..20=0 14..12=1 6..0=0x53
fcvt.w.d    D  FXF   31..25=0x61 24..20=0 6..0=0x53
fcvt.wu.d   D  FXF   31..25=0x61 24..20=1 6..0=0x53
fcvt.l.d    D  FXF   31..25=0x61 24..20=2 6..0=0x53
fcvt.lu.d   D  FXF   31..25=0x61 24..20=3 6..0=0x53
fmv.x.d     D  XF    31..25=0x71 24..20=0 14..12=0 6..0=0x53
fcvt.d.w    D  FX    31..25=0x69 24..20=0 6..0=0x53
fcvt.d.wu   D  FX    31..25=0x69 24..20=1 6..0=0x53
fcvt.d.l    D  FX    31..25=0x69 24..20=2 6..0=0x53
fcvt.d.lu   D  FX    31..25=0x69 24..20=3 6..0=0x53
fmv.d.x     D  FXN   31..25=0x79 24..20=0 14..12=0 6..0=0x53

# Zicsr
csrrw       Zicsr CSR  14..12=1 6..0=0x73
csrrs       Zicsr CSR  14..12=2 6..0=0x73
csrrc       Zicsr CSR  14..12=3 6..0=0x73
csrrwi      Zicsr CSRI 14..12=5 6..0=0x73
csrrsi      Zicsr CSRI 14..12=6 6..0=0x73
csrrci      Zicsr CSRI 14..12=7 6..0=0x73

# Privileged
sret        Priv  NONE 31..20=0x102 19..15=0 14..12=0 11..7=0 6..0=0x73
mret        Priv  NONE 31..20=0x302 19..15=0 14..12=0 11..7=0 6..0=0x73
wfi         Priv  NONE 31..20=0x105 19..15=0 14..12=0 11..7=0 6..0=0x73
sfence.vma  Priv  SFENCE 31..25=0x09 14..12=0 11..7=0 6..0=0x73

# C (RV64C). Where encodings overlap (c.addi16sp in c.lui, c.jr in c.mv, c.ebreak in
# c.jalr in c.add) the more specific entry wins; operand values the spec reserves are
# rejected when expanding (rvc.ts).
c.addi4spn  C  CIW   15..13=0 1..0=0
c.fld       C  CL    15..13=1 1..0=0
c.lw        C  CL    15..13=2 1..0=0
c.ld        C  CL    15..13=3 1..0=0
c.fsd       C  CS    15..13=5 1..0=0
c.sw        C  CS    15..13=6 1..0=0
c.sd        C  CS    15..13=7 1..0=0
c.addi      C  CI    15..13=0 1..0=1
c.addiw     C  CI    15..13=1 1..0=1
c.li        C  CI    15..13=2 1..0=1
c.addi16sp  C  CI    15..13=3 11..7=2 1..0=1
c.lui       C  CI    15..13=3 1..0=1
c.srli      C  CB    15..13=4 11..10=0 1..0=1
c.srai      C  CB    15..13=4 11..10=1 1..0=1
c.andi      C  CB    15..13=4 11..10=2 1..0=1
c.sub       C  CA    15..13=4 12=0 11..10=3 6..5=0 1..0=1
c.xor       C  CA    15..13=4 12=0 11..10=3 6..5=1 1..0=1
c.or        C  CA    15..13=4 12=0 11..10=3 6..5=2 1..0=1
c.and       C  CA    15..13=4 12=0 11..10=3 6..5=3 1..0=1
c.subw      C  CA    15..13=4 12=1 11..10=3 6..5=0 1..0=1
c.addw      C  CA    15..13=4 12=1 11..10=3 6..5=1 1..0=1
c.j         C  CJ    15..13=5 1..0=1
c.beqz      C  CB    15..13=6 1..0=1
c.bnez      C  CB    15..13=7 1..0=1
c.slli      C  CI    15..13=0 1..0=2
c.fldsp     C  CI    15..13=1 1..0=2
c.lwsp      C  CI    15..13=2 1..0=2
c.ldsp      C  CI    15..13=3 1..0=2
c.jr        C  CR    15..12=8 6..2=0 1..0=2
c.mv        C  CR    15..12=8 1..0=2
c.ebreak    C  CR    15..12=9 11..7=0 6..2=0 1..0=2
c.jalr      C  CR    15..12=9 6..2=0 1..0=2
c.add       C  CR    15..12=9 1..0=2
c.fsdsp     C  CSS   15..13=5 1..0=2
c.swsp      C  CSS   15..13=6 1..0=2
c.sdsp      C  CSS   15..13=7 1..0=2
`;

/** @typedef {{ id: number, name: string, ext: string, format: string, match: number, mask: number, width: 16 | 32 }} Encoding */

function parse() {
  /** @type {Encoding[]} */
  const out = [];
  for (const raw of TABLE.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) continue;
    const [name, ext, format, ...fields] = line.split(/\s+/);
    let match = 0;
    let mask = 0;
    for (const field of fields) {
      const m = /^(\d+)(?:\.\.(\d+))?=(0x[0-9a-f]+|\d+)$/i.exec(field);
      if (!m) throw new Error(`encodings: bad field '${field}' in '${name}'`);
      const hi = Number(m[1]);
      const lo = m[2] === undefined ? hi : Number(m[2]);
      const value = Number(m[3]);
      const width = hi - lo + 1;
      if (value >= 2 ** width) throw new Error(`encodings: value too wide in '${name}' ${field}`);
      const fieldMask = (width === 32 ? 0xffffffff : (2 ** width - 1) * 2 ** lo) >>> 0;
      if ((mask & fieldMask) !== 0) throw new Error(`encodings: bits named twice in '${name}'`);
      mask = (mask | fieldMask) >>> 0;
      match = (match | (value * 2 ** lo)) >>> 0;
    }
    out.push({ id: out.length + 1, name, ext, format, match, mask, width: name.startsWith("c.") ? 16 : 32 });
  }
  return out;
}

/** Every encoding; ids start at 1 (0 is "illegal instruction"). */
export const ENCODINGS = parse();
