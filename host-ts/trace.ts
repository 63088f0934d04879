// --trace: one line per executed instruction (hart, mode, pc, bits, disassembly).
import type { Core } from "./core.js";
import { RunState } from "./core.js";
import { disassemble } from "./disasm.js";

const PRIV_NAMES = ["U", "S", "?", "M"];

/** The instruction each running hart is about to execute. */
export function traceLine(core: Core, out: (line: string) => void): void {
  for (let h = 0; h < core.harts; h++) {
    if (core.getRunState(h) === RunState.Stopped) continue;
    const pc = core.getPc(h);
    const mode = PRIV_NAMES[core.getPriv(h)] ?? "?";
    const bits = core.peekInstruction(h);
    const text = bits === null ? "<fetch fault>" : disassemble(bits, pc, (x) => core.expandCompressed(x));
    const raw = bits === null ? "        " : (bits & 3) === 3 ? bits.toString(16).padStart(8, "0") : "    " + bits.toString(16).padStart(4, "0");
    out(`hart${h} ${mode} 0x${pc.toString(16).padStart(16, "0")}: ${raw}  ${text}`);
  }
}
