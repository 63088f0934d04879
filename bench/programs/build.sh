#!/bin/sh
# Builds the bare-metal benchmark programs with Debian's gcc-riscv64-unknown-elf.
# Assembled to an object of a fixed name first: a one-step build would record gcc's random
# temporary file name in the symbol table and the committed ELFs would differ on every build.
set -eu
cd "$(dirname "$0")"
mkdir -p bin
obj=$(mktemp -d)
trap 'rm -rf "$obj"' EXIT
flags="-march=rv64gc -mabi=lp64d -nostdlib -static"
for src in src/*.S; do
  name=$(basename "$src" .S)
  riscv64-unknown-elf-gcc $flags -Isrc -c -o "$obj/$name.o" "$src"
  riscv64-unknown-elf-gcc $flags -Wl,--build-id=none -T link.ld -o "bin/$name.elf" "$obj/$name.o"
done
