// Storage behind a virtio-blk device. Offsets and lengths are in bytes; callers keep
// every access inside [0, size). The file-backed implementation lives in
// host-ts/platform/node-block.ts (devices/ must not import Node modules).

export interface BlockBackend {
  /** Size in bytes. */
  readonly size: number;
  /** When true the device is exposed read-only (VIRTIO_BLK_F_RO). */
  readonly readonly?: boolean;
  read(offset: number, dst: Uint8Array): void;
  write(offset: number, src: Uint8Array): void;
  /** Make every completed write durable. */
  flush(): void;
  close(): void;
}

/** A disk held in memory (tests, browsers, scratch disks). */
export class MemoryBlockBackend implements BlockBackend {
  readonly bytes: Uint8Array;
  readonly readonly: boolean;
  private closed = false;

  /** A zeroed disk of `size` bytes, or one over the given bytes (not copied). */
  constructor(sizeOrBytes: number | Uint8Array, opts: { readonly?: boolean } = {}) {
    this.bytes = typeof sizeOrBytes === "number" ? new Uint8Array(sizeOrBytes) : sizeOrBytes;
    this.readonly = opts.readonly ?? false;
  }

  get size(): number {
    return this.bytes.length;
  }

  read(offset: number, dst: Uint8Array): void {
    this.check(offset, dst.length);
    dst.set(this.bytes.subarray(offset, offset + dst.length));
  }

  write(offset: number, src: Uint8Array): void {
    this.check(offset, src.length);
    if (this.readonly) throw new Error("memory disk: write to a read-only disk");
    this.bytes.set(src, offset);
  }

  flush(): void {}

  close(): void {
    this.closed = true;
  }

  private check(offset: number, len: number): void {
    if (this.closed) throw new Error("memory disk: used after close()");
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + len > this.bytes.length) {
      throw new RangeError(`memory disk: access [${offset}, +${len}) outside ${this.bytes.length} bytes`);
    }
  }
}
