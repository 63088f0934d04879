// The one error type the public API throws. `code` says what kind of failure it is, so a
// program (and the CLI's exit status) can tell a bad argument from a broken image.

export type HartvmErrorCode =
  /** A configuration value is malformed or unknown (the CLI exits 2). */
  | "invalid-config"
  /** A value is well-formed but beyond what the machine supports (harts, RAM, disks, ...). */
  | "limit"
  /** A kernel, firmware, initrd, device tree or disk image is not what it claims to be. */
  | "invalid-image"
  /** An input could not be read (missing file, failed fetch, permission). */
  | "io"
  /** A snapshot is corrupt, truncated or from another format, core build or board. */
  | "invalid-snapshot"
  /** The operation does not fit the machine's status (e.g. resume() while running). */
  | "invalid-state"
  /** A wait (waitFor, exec) ran out of time. */
  | "timeout"
  /** The machine exited or was stopped while something waited for it. */
  | "exited";

export class HartvmError extends Error {
  readonly code: HartvmErrorCode;
  constructor(code: HartvmErrorCode, message: string) {
    super(message);
    this.name = "HartvmError";
    this.code = code;
  }
}

/** Errors a user caused (the CLI prints one line and exits 2) rather than states or bugs. */
export function isUserError(e: unknown): e is HartvmError {
  return e instanceof HartvmError && ["invalid-config", "limit", "invalid-image", "io", "invalid-snapshot"].includes(e.code);
}
