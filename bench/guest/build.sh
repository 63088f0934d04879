#!/bin/sh
# Builds initramfs.cpio.gz (the compute suite as PID 1, plus /bin/true) with Debian's
# gcc-riscv64-linux-gnu; the archive is reproducible (fixed times, owners, order).
set -eu
cd "$(dirname "$0")"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/proc"
riscv64-linux-gnu-gcc -static -O2 -Wl,--build-id=none -o "$root/init" suite.c
riscv64-linux-gnu-gcc -static -O2 -Wl,--build-id=none -o "$root/bin/true" true.c
riscv64-linux-gnu-strip "$root/init" "$root/bin/true"
find "$root" -exec touch -h -d @1735689600 {} +
(cd "$root" && find . | sort | cpio -o -H newc --owner=0:0 --reproducible 2>/dev/null) | gzip -n -9 > initramfs.cpio.gz
