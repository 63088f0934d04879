#!/bin/sh
# Long runs of the random differential test (tests/jit/random.test.ts):
#   tests/jit/fuzz.sh [--seed N] [--count M] [--budget B]
# Programs N .. N+M-1 (M, S and U mode in turn), each run interpreted and compiled on first
# visit for B instructions. A failure names its seed; rerun it with --seed SEED --count 1.
set -eu
cd "$(dirname "$0")/../.."
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) HARTVM_FUZZ_SEED=$2; shift 2 ;;
    --count) HARTVM_FUZZ_COUNT=$2; shift 2 ;;
    --budget) HARTVM_FUZZ_BUDGET=$2; shift 2 ;;
    *) echo "usage: tests/jit/fuzz.sh [--seed N] [--count M] [--budget B]" >&2; exit 2 ;;
  esac
done
export HARTVM_FUZZ_SEED=${HARTVM_FUZZ_SEED:-$(date +%s)} HARTVM_FUZZ_COUNT=${HARTVM_FUZZ_COUNT:-100} HARTVM_FUZZ_BUDGET=${HARTVM_FUZZ_BUDGET:-20000}
echo "fuzz: seeds $HARTVM_FUZZ_SEED .. $((HARTVM_FUZZ_SEED + HARTVM_FUZZ_COUNT - 1)), budget $HARTVM_FUZZ_BUDGET"
exec npx vitest run tests/jit/random.test.ts
