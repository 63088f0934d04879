#!/bin/sh
# Build every tests/programs/src/*.S into tests/programs/bin/NAME.elf.
# Needs Debian's gcc-riscv64-unknown-elf.  The flags are fixed (no debug info,
# no build id, objects named NAME.o in a scratch directory, since the linker
# records the object's name) so the output is byte-for-byte reproducible; the
# ELFs are committed.
# Usage: tests/programs/build.sh [NAME...]   (default: every program)
# Validation variant for qemu-system-riscv64 -M virt (never commit it):
#   OUT=/tmp/virt EXTRA_CFLAGS=-DQEMU_VIRT tests/programs/build.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-riscv64-unknown-elf-gcc}
ARCH="-march=rv64gc_zicsr_zifencei -mabi=lp64d -mcmodel=medany"
LDFLAGS="-nostdlib -nostartfiles -static -T $here/link.ld -Wl,--build-id=none -Wl,--no-relax -Wl,--no-warn-rwx-segments"
out=${OUT:-$here/bin}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ $# -eq 0 ]; then
  set -- $(cd "$here/src" && ls *.S | sed 's/\.S$//')
fi
for name in "$@"; do
  echo "  AS  $name"
  (cd "$tmp" && $CC $ARCH -I "$here/src" ${EXTRA_CFLAGS:-} -c "$here/src/$name.S" -o "$name.o" \
    && $CC $ARCH $LDFLAGS -o "$out/$name.elf" "$name.o")
done
