// The RV64GC register set as gdb knows it: remote register numbers and the target
// description (qXfer:features:read:target.xml), with gdb's own feature names so that
// gdb-multiarch recognises the registers (org.gnu.gdb.riscv.cpu / .fpu / .csr / .virtual).
//
// Numbering follows gdb's internal RISC-V numbers: x0-x31 = 0-31, pc = 32, f0-f31 = 33-64,
// CSR n = 65 + n, the privilege level ("priv") = 65 + 4096.

export const REG_PC = 32;
export const REG_F0 = 33;
export const REG_CSR0 = 65;
export const REG_PRIV = REG_CSR0 + 4096;
/** Registers in the `g` packet: x0-x31 and pc (the rest is read with `p`, as on QEMU). */
export const G_PACKET_REGS = 33;

export interface RegisterInfo {
  regnum: number;
  name: string;
  bits: number;
}

const X_NAMES = [
  "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
  "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
];
const F_NAMES = [
  "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
  "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
];
const X_TYPES: Record<string, string> = { ra: "code_ptr", sp: "data_ptr", gp: "data_ptr", tp: "data_ptr" };

/** The floating-point CSRs live in the fpu feature (gdb looks for them there), 32 bits wide. */
const FP_CSRS = [0x001, 0x002, 0x003];

const CSR_NAMES: Record<number, string> = {
  0x001: "fflags", 0x002: "frm", 0x003: "fcsr",
  0xc00: "cycle", 0xc01: "time", 0xc02: "instret",
  0x100: "sstatus", 0x104: "sie", 0x105: "stvec", 0x106: "scounteren", 0x10a: "senvcfg",
  0x140: "sscratch", 0x141: "sepc", 0x142: "scause", 0x143: "stval", 0x144: "sip", 0x14d: "stimecmp",
  0x180: "satp",
  0xf11: "mvendorid", 0xf12: "marchid", 0xf13: "mimpid", 0xf14: "mhartid", 0xf15: "mconfigptr",
  0x300: "mstatus", 0x301: "misa", 0x302: "medeleg", 0x303: "mideleg", 0x304: "mie", 0x305: "mtvec",
  0x306: "mcounteren", 0x30a: "menvcfg", 0x320: "mcountinhibit",
  0x340: "mscratch", 0x341: "mepc", 0x342: "mcause", 0x343: "mtval", 0x344: "mip",
  0xb00: "mcycle", 0xb02: "minstret",
  0x7a0: "tselect", 0x7a1: "tdata1", 0x7a2: "tdata2", 0x7a3: "tdata3",
};

/** The architectural name of CSR n (gdb's own alias `csrN` when it has none). */
export function csrName(n: number): string {
  const known = CSR_NAMES[n];
  if (known) return known;
  if (n >= 0xc03 && n <= 0xc1f) return `hpmcounter${n - 0xc00}`;
  if (n >= 0xb03 && n <= 0xb1f) return `mhpmcounter${n - 0xb00}`;
  if (n >= 0x323 && n <= 0x33f) return `mhpmevent${n - 0x320}`;
  if (n >= 0x3a0 && n <= 0x3af) return `pmpcfg${n - 0x3a0}`;
  if (n >= 0x3b0 && n <= 0x3ef) return `pmpaddr${n - 0x3b0}`;
  return `csr${n}`;
}

/** Every register of a hart whose CSRs are `csrs` (the numbers the core implements). */
export function registerSet(csrs: readonly number[]): RegisterInfo[] {
  const regs: RegisterInfo[] = [];
  X_NAMES.forEach((name, i) => regs.push({ regnum: i, name, bits: 64 }));
  regs.push({ regnum: REG_PC, name: "pc", bits: 64 });
  F_NAMES.forEach((name, i) => regs.push({ regnum: REG_F0 + i, name, bits: 64 }));
  for (const n of [...csrs].sort((a, b) => a - b)) {
    regs.push({ regnum: REG_CSR0 + n, name: csrName(n), bits: FP_CSRS.includes(n) ? 32 : 64 });
  }
  regs.push({ regnum: REG_PRIV, name: "priv", bits: 64 });
  return regs;
}

/** The target description document gdb reads with qXfer:features:read:target.xml. */
export function targetXml(regs: readonly RegisterInfo[]): string {
  const line = (r: RegisterInfo, type: string) =>
    `    <reg name="${r.name}" bitsize="${r.bits}" regnum="${r.regnum}" type="${type}"/>\n`;
  let cpu = "", fpu = "", csr = "", virt = "";
  for (const r of regs) {
    if (r.regnum < REG_PC) cpu += line(r, X_TYPES[r.name] ?? "int");
    else if (r.regnum === REG_PC) cpu += line(r, "code_ptr");
    else if (r.regnum < REG_CSR0) fpu += line(r, "riscv_double");
    else if (r.regnum === REG_PRIV) virt += line(r, "int");
    else if (FP_CSRS.includes(r.regnum - REG_CSR0)) fpu += line(r, "int");
    else csr += line(r, "int");
  }
  return (
    `<?xml version="1.0"?>\n<!DOCTYPE target SYSTEM "gdb-target.dtd">\n<target version="1.0">\n` +
    `  <architecture>riscv:rv64</architecture>\n` +
    `  <feature name="org.gnu.gdb.riscv.cpu">\n${cpu}  </feature>\n` +
    `  <feature name="org.gnu.gdb.riscv.fpu">\n` +
    // An f register holds a double or a NaN-boxed single: gdb shows both readings.
    `    <union id="riscv_double">\n      <field name="float" type="ieee_single"/>\n      <field name="double" type="ieee_double"/>\n    </union>\n` +
    `${fpu}  </feature>\n` +
    `  <feature name="org.gnu.gdb.riscv.csr">\n${csr}  </feature>\n` +
    `  <feature name="org.gnu.gdb.riscv.virtual">\n${virt}  </feature>\n` +
    `</target>\n`
  );
}
