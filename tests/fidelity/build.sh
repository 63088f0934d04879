#!/bin/sh
# Build the loader probe (src/probe.S) in every form the loaders take, into bin/:
#   probe.bin                raw binary (position-independent)
#   probe-image.bin          Linux RISC-V Image (header first), and probe-image.bin.gz
#   probe-at-ADDR.elf        ELF linked at ADDR (0x80000000, 0x80200000, 0x80400000),
#                            e_entry set to a decoy that must not run
# the other assembly programs src/*.S into bin/NAME.elf (M-mode at 0x80000000),
# and the C programs src/*.c into bin/NAME.elf (M-mode at 0x80000000, the runtime of
# tests/adversarial built with -DQEMU_VIRT: UART output and sifive_test exit, so the
# same ELF runs on hartvm and on qemu-system-riscv64 -M virt).
# uImages are made by the tests from probe.bin (helpers.ts), with the header fields
# each case needs.  Needs Debian's gcc-riscv64-unknown-elf; fixed flags, no build id,
# `gzip -n`: the output is byte-for-byte reproducible and committed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-riscv64-unknown-elf-gcc}
OBJCOPY=${OBJCOPY:-riscv64-unknown-elf-objcopy}
ARCH="-march=rv64gc_zicsr_zifencei -mabi=lp64d -mcmodel=medany"
LDFLAGS="-nostdlib -nostartfiles -static -Wl,-n -Wl,--build-id=none -Wl,--no-relax -Wl,--no-warn-rwx-segments"
out=${OUT:-$here/bin}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
echo "  AS  probe"
$CC $ARCH -c "$here/src/probe.S" -o probe.o
$CC $ARCH -DIMAGE_HEADER -c "$here/src/probe.S" -o probe-image.o
$CC $ARCH $LDFLAGS -Wl,-Ttext=0 -e _head -o probe0.elf probe.o
$CC $ARCH $LDFLAGS -Wl,-Ttext=0 -e _head -o probe-image0.elf probe-image.o
$OBJCOPY -O binary probe0.elf "$out/probe.bin"
$OBJCOPY -O binary probe-image0.elf "$out/probe-image.bin"
gzip -n -9 -c "$out/probe-image.bin" > "$out/probe-image.bin.gz"
for addr in 0x80000000 0x80200000 0x80400000; do
  $CC $ARCH $LDFLAGS -Wl,-Ttext=$addr -e decoy -o "$out/probe-at-$addr.elf" probe.o
done
for src in "$here"/src/*.S; do
  name=$(basename "$src" .S)
  [ "$name" = probe ] && continue
  echo "  AS  $name"
  $CC $ARCH -c "$src" -o "$name.o"
  $CC $ARCH $LDFLAGS -Wl,-Ttext=0x80000000 -o "$out/$name.elf" "$name.o"
done
CFLAGS="-O2 -ffreestanding -fno-builtin -fno-common -fno-pic -fno-stack-protector -fno-asynchronous-unwind-tables -Wall -Wextra -Werror -DQEMU_VIRT"
ADV="$here/../adversarial/src"
INC="-I $ADV -I $here/../programs/src"
CLINK="-nostdlib -nostartfiles -static -T $here/../programs/link.ld -Wl,--build-id=none -Wl,--no-relax -Wl,--no-warn-rwx-segments"
for src in "$here"/src/*.c; do
  name=$(basename "$src" .c)
  echo "  CC  $name"
  $CC $ARCH $INC -DQEMU_VIRT -c "$ADV/rt.S" -o rt.o
  $CC $ARCH $INC $CFLAGS -c "$ADV/rt.c" -o rtc.o
  $CC $ARCH $INC $CFLAGS -c "$src" -o "$name.o"
  $CC $ARCH $CLINK -o "$out/$name.elf" rt.o rtc.o "$name.o"
done
