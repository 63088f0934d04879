#!/bin/sh
# Build tests/gdb/src into tests/gdb/bin/prog.elf, the program the gdb tests debug.
# Needs Debian's gcc-riscv64-unknown-elf. -O0 -g keeps the line table simple for
# step/next; the debug paths are made relative (compiled from tests/gdb with its
# path mapped to "."), and there is no build id, so the output is byte-for-byte
# reproducible; the ELF is committed. Linked with tests/programs/link.ld (0x8000_0000,
# _start first, tohost in its own page).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-riscv64-unknown-elf-gcc}
ARCH="-march=rv64gc_zicsr_zifencei -mabi=lp64d -mcmodel=medany"
CFLAGS="-O0 -g -ffreestanding -fno-builtin -fno-pic -fdebug-prefix-map=$here=."
LDFLAGS="-nostdlib -nostartfiles -static -T $here/../programs/link.ld -Wl,--build-id=none -Wl,--no-relax -Wl,--no-warn-rwx-segments"
mkdir -p "$here/bin"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here"
echo "  CC  prog"
$CC $ARCH $CFLAGS -c src/start.S -o "$tmp/start.o"
$CC $ARCH $CFLAGS -c src/prog.c -o "$tmp/prog.o"
(cd "$tmp" && $CC $ARCH $LDFLAGS -o "$here/bin/prog.elf" start.o prog.o)
