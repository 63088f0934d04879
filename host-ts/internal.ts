// Internals for the project's own tools (bench/, scripts): not part of the public API,
// free to change. Bundled as dist/internal.js.
export { parseElf, isElf } from "../images/elf.js";
export { parseKernel, gunzip } from "../images/linux.js";
export { Vm } from "./vm.js";
export { Core, setInterpretedPcHook } from "./core.js";
export { DEFAULT_JIT_THRESHOLD } from "./vm.js";
