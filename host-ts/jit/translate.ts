// Emits the body of a WebAssembly function `(pc: i64) -> i64` for a region (region.ts) over
// the core's memory and globals. Guest registers live in wasm locals until the function
// returns; a dispatch loop (br_table) moves between the region's blocks, so loops and
// if/else stay in compiled code; conditional branches to blocks outside the region leave.
//
// The code only depends on the page's bytes, never on its virtual address: the entry pc
// is its parameter, so a page mapped at several addresses shares one region.
import { FuncBody, I32, I64, Op, type ValType } from "./wasm-emitter.js";
import { registerUse, kindOf, type Block, type Insn, type TranslatorCore } from "./region.js";
import { inlineFp, needsFpLocals, emitInlineFp, fsOff, markFsDirty, FP_LOCALS, type FpContext } from "./fp-inline.js";
import {
  ALU_RI, ALU_RR, BRANCHES, FP_MEMORY, HELPER_READS_X, HELPER_WRITES_X, HELPERS, LOADS, SHIFT_W,
  STORES, Rule, ruleOf,
} from "./rules.js";

/** Indices of the imports every translated module declares (see tier.ts). */
export const G_PC = 0, G_TRAPPED = 1, G_ATTENTION = 2, G_REMAINING = 3, G_FETCH_TLB = 4;
/**
 * Type index of `(pc: i64) -> i64`, every region's type (tier.ts declares it first): the
 * run loop passes the entry pc and gets the pc to go on at, so neither crosses an imported
 * global (a chain of loads in translated code) on the way in or out.
 */
export const BLOCK_TYPE = 0;
/** Type index of the helpers' `(i64, i64, i64) -> i64` (tier.ts newModule declares it second). */
const HELPER_TYPE = 1;

// Locals: the entry pc (the parameter), x1..x31, then scratch.
const L_BASE = 0;
const L_VA = 32;
const L_NEXT = 33; // the pc an exit leaves to
const L_SLOT = 34;
const L_TLB = 35;
const L_RETIRED = 36; // instructions an exit retires
const L_CURRENT = 37; // the region block the dispatch loop runs next
const L_REMAINING = 38; // the budget, kept here and written to the global around calls
const LOCALS: [number, ValType][] = [[33, I64], [5, I32]]; // 1..33 i64, 34..38 i32
const L_FP = 39; // fp-inline.ts's FP_LOCALS, in functions that compute F/D inline
/** Self-loop blocks up to this long are emitted twice per round (emitRegion). */
const UNROLL_MAX_INSNS = 32;

/** The locals of the function emitRegion makes for `blocks`. */
export function regionLocals(blocks: Block[]): [number, ValType][] {
  const inline = blocks.some((b) => b.insns.some(computesFpInline));
  return inline ? [...LOCALS, ...FP_LOCALS] : LOCALS;
}

/**
 * The function body for a region (from decodeRegion, not empty). With `counts` (the
 * core's JIT_COUNTS, for tests) the code also counts its entries and, per instruction
 * kind, the instructions it starts; without it nothing of that is emitted.
 */
export function emitRegion(core: TranslatorCore, blocks: Block[], counts?: number): FuncBody {
  const f = new FuncBody();
  const count = (kind: number) => {
    if (counts === undefined) return;
    f.i32(0).i32(0).mem(Op.i64_load, 3, counts + 8 * kind).i64(1).op(Op.i64_add).mem(Op.i64_store, 3, counts + 8 * kind);
  };
  const insns = blocks.flatMap((b) => b.insns);
  const { used, written } = registerUse(insns);
  const blockAt = new Map(blocks.map((b, k) => [b.start, k]));
  const hasMemory = insns.some(isAccess);
  const rs = (r: number) => (r === 0 ? f.i64(0) : f.get(r));
  const setRd = (r: number) => (r === 0 ? f.op(Op.drop) : f.set(r));
  const pcAt = (off: number) => { f.get(L_BASE); if (off !== 0) f.i64(off).op(Op.i64_add); };
  // Every exit sets L_NEXT and L_RETIRED and branches out of the function's outer block,
  // after which one shared epilogue writes the registers back: `depth` is how many
  // constructs the branch sits in below that block.
  let depth = 0;
  const exit = (target: () => void, retired: number) => {
    target();
    f.set(L_NEXT).i32(retired).set(L_RETIRED).op(Op.br).u32(depth - 1);
  };
  /** After a fault the helper has already set up the trap; the pc left behind does not matter. */
  const trapExit = (retired: number) => f.i32(retired).set(L_RETIRED).op(Op.br).u32(depth - 1);
  const open = (code: typeof Op.if | typeof Op.block | typeof Op.loop, result?: ValType) => { f.open(code, result); depth++; };
  const close = () => { f.end(); depth--; };
  // Where each block's code can be reached by a plain `br`: a later block through its label
  // (open until that block's code starts), a block that jumps to itself through a loop
  // around its own code. Anything else goes round the dispatch loop (br_table).
  const labelDepth: number[] = [];
  const targets = blocks.map((b) => jumpTargets(b.insns));
  const selfLoops = blocks.map((b, k) => targets[k].includes(b.start));
  const needsDispatch = blocks.some((b, k) => targets[k].some((t) => (blockAt.get(t) ?? blocks.length) < k));
  let dispatchDepth = 0;
  let loopDepth = 0;
  let firstCopyDepth = -1; // while an unrolled loop's first copy is emitted: the depth of the block the second copy follows
  let current = 0; // the block being emitted
  /**
   * Control goes to region offset `target` after `retired` instructions of this block: on
   * to that block while the budget covers a whole block, otherwise out. Offsets outside the
   * region always leave; `straight`: the block runs off its end there, which the run loop
   * hears of (it counts the code that follows as a straight run's, cpu.ts). Attention needs
   * no look here: only the core raises it, never while translated code runs, except inside
   * a helper call, and every call that can raise it is followed by a check that leaves.
   */
  const jump = (target: number, retired: number, straight = false) => {
    const k = blockAt.get(target);
    if (k === current && firstCopyDepth >= 0) {
      // The way back of an unrolled loop's first copy: on into the second copy, whose way
      // back checks the budget for both (the loop head has at least maxInsns of budget, and
      // the first copy's way back and the whole second copy retire at most 2n <= maxInsns).
      f.op(Op.br).u32(depth - firstCopyDepth);
      return;
    }
    if (k === undefined) {
      if (straight) f.i32(0).i32(1).mem(Op.i32_store, 2, core.jitStraightExit);
      return exit(() => pcAt(target), retired);
    }
    f.get(L_REMAINING).i32(retired).op(Op.i32_sub).tee(L_REMAINING).i32(core.maxInsns).op(Op.i32_lt_s);
    open(Op.if);
    exit(() => pcAt(target), 0);
    close();
    if (k > current) f.op(Op.br).u32(depth - labelDepth[k]);
    else if (k === current && selfLoops[k]) f.op(Op.br).u32(depth - loopDepth);
    else f.i32(k).set(L_CURRENT).op(Op.br).u32(depth - dispatchDepth);
  };
  /** The slot of helper `name` in the helpers' table (tier.ts). */
  const helperSlot = (name: string) => HELPERS.indexOf(name);
  /**
   * Calls the core's helper `name` (rules.ts HELPERS) for the block's instruction `index`. It
   * sees the budget in the global as the interpreter would keep it there (counters read it)
   * and may change it.
   */
  const callHelper = (name: string, index: number) => {
    f.get(L_REMAINING);
    if (index !== 0) f.i32(index).op(Op.i32_sub);
    f.gset(G_REMAINING).i32(helperSlot(name)).callIndirect(HELPER_TYPE).gget(G_REMAINING);
    if (index !== 0) f.i32(index).op(Op.i32_add);
    f.set(L_REMAINING);
  };
  /**
   * A slow-path access may have touched a device that wants the run loop's attention (an
   * interrupt line, tohost, a stop): leave right after this instruction, as the interpreter
   * would. Only calls into the core set it, so the check follows the call, never a TLB hit.
   */
  const stopIfAttention = (i: Insn, index: number) => {
    f.gget(G_ATTENTION); open(Op.if);
    exit(() => pcAt(i.off + i.len), index + 1);
    close();
  };
  /** Pushes the tag of L_VA's slot in the TLB kind `kindTags` of the sets `sets` pushes (default: the data TLB). */
  const tlbSlot = (kindTags: number, sets = () => { f.get(L_TLB); }) => {
    f.get(L_VA).i64(9).op(Op.i64_shr_u).op(Op.i32_wrap_i64).i32((core.tlbEntries - 1) << 3).op(Op.i32_and);
    sets();
    f.op(Op.i32_add).tee(L_SLOT).mem(Op.i64_load, 3, kindTags);
  };
  const effectiveAddress = (i: Insn) => {
    rs(i.rs1);
    if (i.imm !== 0) f.i64(i.imm).op(Op.i64_add);
    f.set(L_VA);
  };
  const tagMatches = (size: number) => {
    f.get(L_VA).i64(~0xfff | (size - 1)).op(Op.i64_and).op(Op.i64_eq);
  };
  const hostAddress = (kindTags: number) => {
    f.get(L_VA).get(L_SLOT).mem(Op.i64_load, 3, core.tlbAddend + kindTags).op(Op.i64_add).op(Op.i32_wrap_i64);
  };

  /**
   * Leaves with instruction `index` for the interpreter to run: the pc goes back with bit 0
   * set, and the run loop runs that one instruction before it looks for compiled code again
   * (cpu.ts). Memory accesses that miss the TLB (a page walk, MMIO, a fault, a store to a
   * page holding translated code) go this way, so translated code calls no helper for them:
   * nothing it holds in locals is live across a call there, and no access needs a trap or
   * attention check after it.
   */
  const leave = (i: Insn, index: number) => exit(() => { pcAt(i.off); f.i64(1).op(Op.i64_or); }, index);

  /**
   * An instruction straddling the page end was decoded with the second half the guest last
   * fetched there. Before it runs, the next page must be in the fetch TLB (so mapped and
   * executable now) and hold that half; otherwise control leaves, and the interpreter fetches
   * whatever is there, taking any fault.
   */
  const checkSecondHalf = (i: Insn, secondHalf: number, index: number) => {
    pcAt(i.off + 2); f.set(L_VA);
    tlbSlot(core.tlbTagsX, () => { f.gget(G_FETCH_TLB); });
    f.get(L_VA).op(Op.i64_eq); // a page start: its tag is the address itself
    open(Op.if, I32);
    hostAddress(core.tlbTagsX);
    f.mem(Op.i32_load16_u, 1, 0).i32(secondHalf).op(Op.i32_ne);
    f.op(Op.else).i32(1);
    close();
    open(Op.if);
    leave(i, index);
    close();
  };

  /** Leaves unless rs1 + imm hits the TLB kind `kindTags` (the data TLB) for `size` bytes; then L_SLOT holds its slot. */
  const translateAccess = (i: Insn, index: number, size: number, kindTags: number) => {
    effectiveAddress(i);
    tlbSlot(kindTags);
    tagMatches(size);
    f.op(Op.i32_eqz);
    open(Op.if);
    leave(i, index);
    close();
    if (counts !== undefined) count(kindOf(i));
  };
  /** Pushes the value loaded at rs1 + imm. */
  const loadValue = (i: Insn, index: number, size: number, load: number) => {
    translateAccess(i, index, size, core.tlbTagsR);
    hostAddress(core.tlbTagsR);
    f.mem(load, 0, 0);
  };
  /** Stores the value `value` pushes at rs1 + imm. */
  const storeValue = (i: Insn, index: number, size: number, store: number, value: () => void) => {
    translateAccess(i, index, size, core.tlbTagsW);
    hostAddress(core.tlbTagsW);
    value();
    f.mem(store, 0, 0);
  };
  /**
   * Runs the instruction through the interpreter's semantics (jitExecute): the x registers
   * it reads go to their slots first, the one it writes comes back after. It leaves when
   * the instruction raised attention (a CSR write that changes translation or interrupts).
   */
  const interpret = (i: Insn, index: number) => {
    for (const field of HELPER_READS_X[i.format] ?? []) {
      const r = i[field];
      if (r !== 0) f.i32(0).get(r).mem(Op.i64_store, 3, core.xreg + 8 * r);
    }
    pcAt(i.off); f.gset(G_PC);
    f.i64(i.op + 256 * i.word).i64(i.imm).i64(i.raw); callHelper("execute", index); f.op(Op.drop);
    f.gget(G_TRAPPED); open(Op.if); trapExit(index); close();
    // x0's slot needs no care: jitExecute clears it before each instruction.
    if (HELPER_WRITES_X.has(i.format) && i.rd !== 0) f.i32(0).mem(Op.i64_load, 3, core.xreg + 8 * i.rd).set(i.rd);
    stopIfAttention(i, index);
  };

  const fpContext: FpContext = {
    f, open: (code) => open(code), close, freg: core.freg, fcsr: core.fcsr, mstatus: core.mstatus, localBase: L_FP,
    getX: (r) => rs(r), setX: (r) => setRd(r),
  };

  // Prologue.
  count(0);
  if (hasMemory) f.i32(0).mem(Op.i32_load, 2, core.jitDataTlb).set(L_TLB);
  for (const r of used) f.i32(0).mem(Op.i64_load, 3, core.xreg + 8 * r).set(r);
  f.i32(0).mem(Op.i32_load, 2, core.jitRemaining).set(L_REMAINING);
  f.i32(0).set(L_RETIRED);
  open(Op.block); // leaving: the epilogue follows it
  if (needsDispatch) {
    f.i32(0).set(L_CURRENT);
    open(Op.loop); // dispatch: L_CURRENT says which block runs next
    dispatchDepth = depth;
  }
  for (let k = blocks.length - 1; k >= 0; k--) {
    open(Op.block);
    labelDepth[k] = depth;
  }
  if (needsDispatch) {
    f.get(L_CURRENT).op(Op.br_table).u32(blocks.length);
    for (let k = 0; k < blocks.length; k++) f.u32(k);
    f.u32(0);
  }
  blocks.forEach((block, k) => {
    close(); // the code of `block` follows its label's end
    current = k;
    if (!selfLoops[k]) {
      emitBlockBody(block.insns, 0);
      return;
    }
    open(Op.loop);
    loopDepth = depth;
    const n = block.insns.length;
    const back = loneBackEdge(block);
    if (back >= 0 && n <= UNROLL_MAX_INSNS && 2 * n <= core.maxInsns && !block.insns.some(computesFpInline)) {
      // A small loop's body twice per round: one budget check and one engine stack check
      // for two rounds (the tight integer loop's 8 instructions cost 16 x86 instructions
      // a round, 5 of them those checks). The first copy's way back leads into the second,
      // which follows the first's `back + 1` instructions: its exits count those too. Not
      // where F/D arithmetic is computed inline: its fast path is many times the checks it
      // would save, and twice over it made the compute suite's matmul 10-13% slower.
      open(Op.block);
      firstCopyDepth = depth;
      emitBlockBody(block.insns, 0);
      firstCopyDepth = -1;
      close();
      emitBlockBody(block.insns, back + 1);
    } else {
      emitBlockBody(block.insns, 0);
    }
    close();
  });
  if (needsDispatch) close(); // dispatch loop
  close(); // outer block: the epilogue
  for (const r of written) f.i32(0).get(r).mem(Op.i64_store, 3, core.xreg + 8 * r);
  f.i32(0).get(L_REMAINING).get(L_RETIRED).op(Op.i32_sub).mem(Op.i32_store, 2, core.jitRemaining);
  f.get(L_NEXT); // the result
  return f;

  /** The block's code; `before`: instructions this pass retired before it (an unrolled loop's first copy). */
  function emitBlockBody(insns: Insn[], before: number): void {
    let ended = false;
    const n = insns.length;
    const end = insns[n - 1].off + insns[n - 1].len;
    insns.forEach((i, k) => {
      const index = before + k; // instructions retired before this one since the budget was last taken
      const name = i.name;
      if (i.secondHalf !== undefined) checkSecondHalf(i, i.secondHalf, index);
      // A memory access counts once it hits the TLB (translateAccess): a miss leaves it to the interpreter.
      if (counts !== undefined && !isAccess(i)) count(kindOf(i));
      const rule = ruleOf(name);
      switch (rule) {
        case Rule.AluRR:
        case Rule.AluRI: {
          if (i.rd === 0) return;
          rs(i.rs1);
          if (rule === Rule.AluRR) rs(i.rs2);
          else f.i64(i.imm);
          for (const op of (rule === Rule.AluRR ? ALU_RR : ALU_RI)[name]) f.op(op);
          f.set(i.rd);
          break;
        }
        case Rule.ShiftW:
          if (i.rd === 0) return;
          rs(i.rs1); f.op(Op.i32_wrap_i64);
          if (name === "srliw" || name === "sraiw") f.i32(i.imm & 31);
          else { rs(i.rs2); f.op(Op.i32_wrap_i64); }
          f.op(SHIFT_W[name]).op(Op.i64_extend_i32_s).set(i.rd);
          break;
        case Rule.MHelper:
          if (i.rd === 0) return;
          rs(i.rs1); rs(i.rs2); f.i64(0);
          f.i32(helperSlot(name)).callIndirect(HELPER_TYPE).set(i.rd);
          break;
        case Rule.Lui:
          if (i.rd !== 0) f.i64(i.imm).set(i.rd);
          break;
        case Rule.Auipc:
          if (i.rd !== 0) { pcAt(i.off + i.imm); f.set(i.rd); }
          break;
        case Rule.Helper: {
          const fp = inlineFp(i);
          if (fp !== undefined) emitInlineFp(fpContext, i, fp, () => interpret(i, index));
          else interpret(i, index);
          break;
        }
        case Rule.FpMemory: {
          const [size, box] = FP_MEMORY[name];
          fsOff(f, core.mstatus);
          open(Op.if);
          interpret(i, index); // FS is off: the interpreter raises illegal instruction
          f.op(Op.else);
          if (name === "flw" || name === "fld") {
            const writeF = (value: () => void) => {
              f.i32(0);
              value();
              if (box) f.i64(-(2 ** 32)).op(Op.i64_or);
              f.mem(Op.i64_store, 3, core.freg + 8 * i.rd);
              markFsDirty(f, core.mstatus);
            };
            writeF(() => loadValue(i, index, size, size === 8 ? Op.i64_load : Op.i64_load32_u));
          } else {
            storeValue(i, index, size, size === 8 ? Op.i64_store : Op.i64_store32, () => f.i32(0).mem(Op.i64_load, 3, core.freg + 8 * i.rs2));
          }
          close();
          break;
        }
        case Rule.Fence:
          // Harts interleave only between run() slices, so ordering is already total.
          break;
        case Rule.Load: {
          const [size, load] = LOADS[name];
          loadValue(i, index, size, load);
          setRd(i.rd);
          break;
        }
        case Rule.Store: {
          const [size, store] = STORES[name];
          storeValue(i, index, size, store, () => rs(i.rs2));
          break;
        }
        case Rule.Branch:
          rs(i.rs1); rs(i.rs2); f.op(BRANCHES[name]);
          open(Op.if);
          jump(i.off + i.imm, index + 1);
          close();
          break;
        case Rule.Jal: {
          if (i.rd !== 0) { pcAt(i.off + i.len); f.set(i.rd); }
          const target = i.off + i.imm;
          jump(target, index + 1);
          ended = true;
          break;
        }
        case Rule.Jalr:
          rs(i.rs1); f.i64(i.imm).op(Op.i64_add).i64(-2).op(Op.i64_and).set(L_VA);
          if (i.rd !== 0) { pcAt(i.off + i.len); f.set(i.rd); }
          exit(() => f.get(L_VA), index + 1);
          ended = true;
          break;
        default:
          throw new Error(`translator: no rule for ${name}`);
      }
    });
    if (!ended) jump(end, before + n, true);
  }
}

/** An F/D operation emitted as its inline fast path (fp-inline.ts), not a move or a call. */
function computesFpInline(i: Insn): boolean {
  return i.name === "helper" && needsFpLocals(i);
}

/**
 * The index of the one instruction that goes back to the block's start, or -1 when none
 * or several do: a second copy of the block then always follows that many instructions
 * and one of the first (emitRegion unrolls such loops).
 */
function loneBackEdge(block: Block): number {
  const backs = block.insns.flatMap((i, k) => (isJumpOrBranch(i) && i.off + i.imm === block.start ? [k] : []));
  return backs.length === 1 ? backs[0] : -1;
}

/** Loads and stores through the data TLB (translateAccess). */
function isAccess(i: Insn): boolean {
  const r = ruleOf(i.name);
  return r === Rule.Load || r === Rule.Store || r === Rule.FpMemory;
}

/** A branch or a jal: a jump to a fixed offset. */
function isJumpOrBranch(i: Insn): boolean {
  const r = ruleOf(i.name);
  return r === Rule.Branch || r === Rule.Jal;
}

/**
 * The region offsets a block's code may jump to, as emitBlockBody calls jump(): branch and
 * jal targets, and where it falls through unless it ends in a jump.
 */
function jumpTargets(insns: Insn[]): number[] {
  const targets: number[] = [];
  for (const i of insns) if (isJumpOrBranch(i)) targets.push(i.off + i.imm);
  const last = insns[insns.length - 1];
  if (last.name !== "jal" && last.name !== "jalr") targets.push(last.off + last.len);
  return targets;
}
