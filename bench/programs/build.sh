#!/bin/sh
# Builds the bare-metal benchmark programs with Debian's gcc-riscv64-unknown-elf.
set -eu
cd "$(dirname "$0")"
mkdir -p bin
for src in src/*.S; do
  name=$(basename "$src" .S)
  riscv64-unknown-elf-gcc -march=rv64gc -mabi=lp64d -nostdlib -static -Wl,--build-id=none \
    -T link.ld -Isrc -o "bin/$name.elf" "$src"
done
