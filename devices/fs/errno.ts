// Linux errno values: what a 9P2000.L server puts in Rlerror, whatever the host's own
// numbering. Backends throw FsError with one of these.

export const EPERM = 1;
export const ENOENT = 2;
export const EIO = 5;
export const ENXIO = 6;
export const EBADF = 9;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EBUSY = 16;
export const EEXIST = 17;
export const EXDEV = 18;
export const ENODEV = 19;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const ENFILE = 23;
export const EMFILE = 24;
export const ETXTBSY = 26;
export const EFBIG = 27;
export const ENOSPC = 28;
export const ESPIPE = 29;
export const EROFS = 30;
export const EMLINK = 31;
export const ERANGE = 34;
export const ENAMETOOLONG = 36;
export const ENOLCK = 37;
export const ENOSYS = 38;
export const ENOTEMPTY = 39;
export const ELOOP = 40;
export const ENODATA = 61;
export const EPROTO = 71;
export const EOVERFLOW = 75;
export const EMSGSIZE = 90;
export const EOPNOTSUPP = 95;
export const ESTALE = 116;
export const EDQUOT = 122;

/** A file-system operation failed with a Linux errno. */
export class FsError extends Error {
  constructor(
    readonly errno: number,
    message?: string,
  ) {
    super(message ?? `errno ${errno}`);
    this.name = "FsError";
  }
}

/** The errno for any exception a backend let escape (EIO when it is not an FsError). */
export function errnoOf(e: unknown): number {
  return e instanceof FsError ? e.errno : EIO;
}
