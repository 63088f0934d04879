#!/bin/sh
# Builds bench-marker.cpio.gz (one file, /bench-marker: the boot benchmark's userspace
# marker) with Debian's gcc-riscv64-linux-gnu and cpio; the archive is reproducible.
# The bench appends it to the default guest's initramfs and boots with rdinit=/bench-marker.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
riscv64-linux-gnu-gcc -static -nostdlib -O2 -fno-pie -no-pie -Wl,--build-id=none -o "$work/bench-marker" bench-marker.c
riscv64-linux-gnu-strip "$work/bench-marker"
touch -d @1735689600 "$work/bench-marker"
(cd "$work" && echo bench-marker | cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -n -9 > bench-marker.cpio.gz
