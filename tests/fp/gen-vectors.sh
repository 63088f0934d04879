#!/bin/sh
# Regenerate tests/fp/vectors.json: the reference results of every RISC-V F/D arithmetic
# instruction on a fixed input set, in all five rounding modes, as computed by QEMU's
# user-mode RISC-V emulation.
#
# Needs Debian's cross compiler and QEMU user emulation:
#   apt-get install gcc-riscv64-linux-gnu qemu-user
# Usage: tests/fp/gen-vectors.sh [random-count [seed]]   (see gen-vectors.c)
# Output is deterministic for a given QEMU version (the generator's randomness is seeded).
set -eu
cd "$(dirname "$0")"
CC=${CC:-riscv64-linux-gnu-gcc}
QEMU=${QEMU:-qemu-riscv64}
OUT=${OUT:-vectors.json}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
"$CC" -O2 -static -Wall -Wextra -o "$tmp/gen-vectors" gen-vectors.c
"$QEMU" "$tmp/gen-vectors" "$@" > "$tmp/cases"
# one case per line, wrapped into a JSON array
{ echo "["; sed '$!s/$/,/' "$tmp/cases"; echo "]"; } > "$OUT"
echo "wrote $OUT ($(wc -l < "$tmp/cases") cases, $("$QEMU" --version | head -n 1))"
