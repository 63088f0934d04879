#!/bin/sh
# Build tests/adversarial/src/*.S and *.c into tests/adversarial/bin/NAME.elf.
# Needs Debian's gcc-riscv64-unknown-elf.  Same conventions as tests/programs:
# fixed flags, no debug info, no build id, objects named NAME.o in a scratch
# directory, so the output is byte-for-byte reproducible; the ELFs are committed.
# Assembly programs use tests/programs/src/common.h; C programs link with
# src/rt.S and src/rt.c (start-up, trap handler, HTIF exit and console).
# Usage: tests/adversarial/build.sh [NAME...]   (default: every program)
# Validation variant for qemu-system-riscv64 -M virt (never commit it):
#   OUT=/tmp/virt EXTRA_CFLAGS=-DQEMU_VIRT tests/adversarial/build.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-riscv64-unknown-elf-gcc}
ARCH="-march=rv64gc_zicsr_zifencei -mabi=lp64d -mcmodel=medany"
CFLAGS="-O2 -ffreestanding -fno-builtin -fno-common -fno-pic -fno-stack-protector -fno-asynchronous-unwind-tables -Wall -Wextra -Werror"
LDFLAGS="-nostdlib -nostartfiles -static -T $here/../programs/link.ld -Wl,--build-id=none -Wl,--no-relax -Wl,--no-warn-rwx-segments"
INC="-I $here/src -I $here/../programs/src"
out=${OUT:-$here/bin}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ $# -eq 0 ]; then
  set -- $(cd "$here/src" && ls *.S *.c | grep -v '^rt\.[Sc]$' | sed 's/\.[Sc]$//')
fi
for name in "$@"; do
  if [ -f "$here/src/$name.c" ]; then
    echo "  CC  $name"
    (cd "$tmp" && $CC $ARCH $INC ${EXTRA_CFLAGS:-} -c "$here/src/rt.S" -o rt.o \
      && $CC $ARCH $INC $CFLAGS ${EXTRA_CFLAGS:-} -c "$here/src/rt.c" -o rtc.o \
      && $CC $ARCH $INC $CFLAGS ${EXTRA_CFLAGS:-} -c "$here/src/$name.c" -o "$name.o" \
      && $CC $ARCH $LDFLAGS -o "$out/$name.elf" rt.o rtc.o "$name.o")
  else
    echo "  AS  $name"
    (cd "$tmp" && $CC $ARCH $INC ${EXTRA_CFLAGS:-} -c "$here/src/$name.S" -o "$name.o" \
      && $CC $ARCH $LDFLAGS -o "$out/$name.elf" "$name.o")
  fi
done
