// A disk whose contents come from somewhere shared (a snapshot's pages, a base image) and
// whose writes stay in memory, 4 KiB block by block: how forks of one machine each get a
// disk of their own without copying it.

import type { BlockBackend } from "./block-backend.js";

const BLOCK = 4096;

/** Read-only contents by 4 KiB block. */
export interface BlockSource {
  copy(block: number, into: Uint8Array): void;
}

export class CowBlockBackend implements BlockBackend {
  private readonly written = new Map<number, Uint8Array>();
  private closed = false;

  /** `onClose` releases what `base` reads from (a file). */
  constructor(private readonly base: BlockSource, readonly size: number, readonly readonly = false, private readonly onClose?: () => void) {}

  read(offset: number, dst: Uint8Array): void {
    this.check(offset, dst.length);
    this.blocks(offset, dst.length, (block, inBlock, at, n) => dst.set(this.block(block).subarray(inBlock, inBlock + n), at));
  }

  write(offset: number, src: Uint8Array): void {
    this.check(offset, src.length);
    if (this.readonly) throw new Error("copy-on-write disk: write to a read-only disk");
    this.blocks(offset, src.length, (block, inBlock, at, n) => {
      let own = this.written.get(block);
      if (!own) this.written.set(block, (own = this.block(block).slice()));
      own.set(src.subarray(at, at + n), inBlock);
    });
  }

  flush(): void {}

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose?.();
  }

  /** Blocks this disk has written (its own memory). */
  get blocksWritten(): number {
    return this.written.size;
  }

  private block(block: number): Uint8Array {
    const own = this.written.get(block);
    if (own) return own;
    const b = new Uint8Array(BLOCK);
    this.base.copy(block, b);
    return b;
  }

  private blocks(offset: number, length: number, fn: (block: number, inBlock: number, at: number, n: number) => void): void {
    for (let at = 0; at < length; ) {
      const pos = offset + at;
      const inBlock = pos % BLOCK;
      const n = Math.min(BLOCK - inBlock, length - at);
      fn(Math.floor(pos / BLOCK), inBlock, at, n);
      at += n;
    }
  }

  private check(offset: number, len: number): void {
    if (this.closed) throw new Error("copy-on-write disk: used after close()");
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + len > this.size) {
      throw new RangeError(`copy-on-write disk: access [${offset}, +${len}) outside ${this.size} bytes`);
    }
  }
}
