// The messages between the page (UI only) and the worker that runs the machine. Types only:
// both sides import them, neither ships code from here.

/** What the page was asked to start from (its query string), URLs already absolute. */
export interface BootPlan {
  /** Linux Image, Image.gz or ELF; absent: the default guest. */
  kernel?: string;
  initrd?: string;
  append?: string;
  /** Guest RAM, as MachineConfig.memory ("256M", "1G"). */
  memory?: string;
  /** Start from this snapshot instead of booting. */
  snapshot?: string;
}

export type ToWorker =
  | { type: "start"; plan: BootPlan }
  | { type: "input"; data: string | Uint8Array }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "reset" }
  | { type: "snapshot" }
  | { type: "restore"; name: string; bytes: Uint8Array }
  | { type: "add-disk"; name: string; bytes: Uint8Array };

export type MachineState = "loading" | "created" | "running" | "paused" | "stopped";

export interface Download {
  name: string;
  loaded: number;
  /** From Content-Length; null when the server did not say. */
  total: number | null;
  done: boolean;
}

export interface StatusReport {
  state: MachineState;
  /** Instructions retired by every hart since the machine started (or was restored). */
  instructions: number;
  /** Over the last report's interval of running time; 0 while paused. */
  mips: number;
  harts: number;
  /** `instructions`: how many of them ran in compiled code (the rest were interpreted). */
  jit: { blocks: number; bytes: number; compileMs: number; translateMs: number; flushes: number; instructions: number } | null;
}

export type FromWorker =
  | { type: "downloads"; files: Download[] }
  | { type: "output"; bytes: Uint8Array }
  | { type: "state"; state: MachineState; detail: string }
  | { type: "status"; report: StatusReport }
  | { type: "snapshot"; bytes: Uint8Array }
  | { type: "notice"; message: string }
  | { type: "error"; message: string }
  | { type: "exit"; message: string };
