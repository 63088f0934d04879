// The embedding API: what a program in Node, Deno or a browser imports to run a machine.
// Nothing here needs Node-only modules; the caller supplies core.wasm's bytes and images.
export { Machine, exitStatus, type MachineOptions, type LinuxBoot, type RunOptions, type ExitInfo } from "./machine.js";
export { Core, Reason, RunState, Priv, RAM_BASE } from "./core.js";
export { VirtBoard, VIRT, ISA_STRING } from "./board.js";
export { disassemble } from "./disasm.js";
export { TIMEBASE_HZ } from "./timebase.js";
export { parseElf, isElf, ImageError, type ElfImage } from "../images/elf.js";
export { parseKernel, gunzip, isGzip, type Kernel } from "../images/linux.js";
export { encodeFdt, decodeFdt } from "../images/fdt.js";
export { MemoryBlockBackend, type BlockBackend } from "../devices/virtio/block-backend.js";
