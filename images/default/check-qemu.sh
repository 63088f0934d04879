#!/bin/bash
# Smoke-test the default guest on QEMU (the reference for hartvm's board).
#
#   images/default/check-qemu.sh [IMAGE]
#
# IMAGE is the uncompressed kernel Image (default: Image.gz from this directory,
# unpacked to a temporary file). Needs qemu-system-misc, opensbi and e2fsprogs
# (mke2fs -d). Every scenario prints PASS/FAIL; the logs stay in $T (printed).
#
# Input is typed only after the kernel has opened the console (see README.md: QEMU
# loses input that arrives earlier: OpenSBI and the 8250 probe read and clear the
# receive FIFO, and -nographic's mux holds short piped input until more arrives).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T=$(mktemp -d /tmp/hartvm-qemu-check.XXXXXX)
INITRD=$HERE/initramfs.cpio.gz
APPEND=${APPEND:-$(sed -n 's/.*"kernel_cmdline": "\(.*\)".*/\1/p' "$HERE/manifest.json" 2>/dev/null)}
APPEND=${APPEND:-console=ttyS0}
PROMPT='root@hartvm:'
TMO=${TMO:-120}

if [ $# -ge 1 ]; then KERNEL=$1; else KERNEL=$T/Image; gzip -dc "$HERE/Image.gz" > "$KERNEL"; fi
OPENSBI=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
[ -f "$OPENSBI" ] || OPENSBI=/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin

fails=0
now() { date +%s.%N; }
count() { grep -a -o -- "$1" "$OUT" 2>/dev/null | wc -l; }

# wait_for PATTERN N: until PATTERN has appeared N times in the log (or QEMU ended)
wait_for() {
  local deadline=$(( $(date +%s) + TMO ))
  while [ "$(count "$1")" -lt "$2" ]; do
    kill -0 "$QPID" 2>/dev/null || return 1
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.02
  done
}

# start NAME QEMU-ARGS...: boot in the background, console on a FIFO and $T/NAME.log
start() {
  NAME=$1; shift
  OUT=$T/$NAME.log
  rm -f "$T/in"; mkfifo "$T/in"
  T0=$(now)
  timeout "$TMO" qemu-system-riscv64 -M virt -m 256M -nographic \
    -kernel "$KERNEL" -initrd "$INITRD" -append "$APPEND" "$@" < "$T/in" > "$OUT" 2>&1 &
  QPID=$!
  exec 3> "$T/in"
}

send() { printf '%s\n' "$@" >&3; }

finish() {  # wait for QEMU to exit; sets RC and T_END
  wait "$QPID"; RC=$?
  T_END=$(now)
  exec 3>&-
}

result() {  # result NAME OK DETAIL
  if [ "$2" = 1 ]; then echo "PASS $1 $3"; else echo "FAIL $1 $3 (log: $OUT)"; fails=$((fails+1)); fi
}

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# 1. default firmware, 2 harts: uname, cpuinfo, poweroff
basic() {
  local name=$1; shift
  start "$name" "$@"
  wait_for "$PROMPT" 1; local tp=$(now)
  send 'uname -m' 'cat /proc/cpuinfo' 'poweroff'
  finish
  local ok=0
  grep -aq '^riscv64' "$OUT" && [ "$(grep -ac '^processor' "$OUT")" = "$HARTS" ] \
    && grep -aq 'reboot: Power down' "$OUT" && [ "$RC" = 0 ] && ok=1
  result "$name" $ok "prompt $(secs "$T0" "$tp")s, total $(secs "$T0" "$T_END")s, rc=$RC"
}

HARTS=2 basic qemu-default-smp2 -smp 2 -bios default
HARTS=2 basic debian-opensbi-smp2 -smp 2 -bios "$OPENSBI"
HARTS=1 basic qemu-default-smp1 -smp 1 -bios default

# 2. type-ahead: the whole input arrives as soon as the kernel has opened the console,
#    before init and the shell run (what a pipe into hartvm looks like to the guest);
#    every line must still reach the shell, one command at a time.
start typeahead -smp 1 -bios default
wait_for 'Run /init as init process' 1
send 'uname -m' 'read x; echo "GOT-$x"' 'this line is read by read' 'echo TA-DONE' 'poweroff'
finish
ok=0; grep -aq '^riscv64' "$OUT" && grep -aq '^GOT-this line is read by read' "$OUT" \
  && grep -aq '^TA-DONE' "$OUT" && grep -aq 'reboot: Power down' "$OUT" && ok=1
result typeahead $ok "rc=$RC"

# 3. job control on the console
start jobctl -smp 1 -bios default
wait_for "$PROMPT" 1
send 'sleep 30 &' 'jobs' 'kill %1' 'tty' 'echo JC-$?' 'poweroff'
finish
ok=0; grep -aq '^\[1\]+ *Running *sleep 30' "$OUT" && grep -aq '^/dev/ttyS0' "$OUT" \
  && ! grep -aq 'job control turned off' "$OUT" && ok=1
result jobctl $ok "rc=$RC"

# 4. virtio-blk ext2 disk: mount, read, write; check the write on the host
DISK=$T/disk.img
mkdir -p "$T/diskroot"; echo hello-from-host > "$T/diskroot/host.txt"
mke2fs -q -t ext2 -d "$T/diskroot" -F "$DISK" 8M
start virtio-blk -smp 1 -bios default -drive file="$DISK",format=raw,if=none,id=d0 -device virtio-blk-device,drive=d0
wait_for "$PROMPT" 1
send 'mount -t ext2 /dev/vda /mnt && cat /mnt/host.txt && echo written-by-guest > /mnt/guest.txt && umount /mnt && echo BLK-OK' 'poweroff'
finish
ok=0; grep -aq '^hello-from-host' "$OUT" && grep -aq '^BLK-OK' "$OUT" \
  && debugfs -R 'cat /guest.txt' "$DISK" 2>/dev/null | grep -q written-by-guest && ok=1
result virtio-blk $ok "rc=$RC"

# 5. reboot restarts the machine (second boot reaches the prompt), then poweroff
start reboot -smp 1 -bios default
wait_for "$PROMPT" 1
send 'reboot'
ok=0
if wait_for 'Run /init as init process' 2; then
  # the prompt of the second boot: after the second "Run /init" line
  deadline=$(( $(date +%s) + TMO ))
  until awk '/Run \/init as init process/ {n++} n >= 2' "$OUT" | grep -aq "$PROMPT"; do
    [ "$(date +%s)" -lt "$deadline" ] && kill -0 "$QPID" 2>/dev/null || break
    sleep 0.02
  done
  send 'poweroff'
fi
finish
[ "$(count 'Run /init as init process')" = 2 ] && grep -aq 'reboot: Power down' "$OUT" && [ "$RC" = 0 ] && ok=1
result reboot $ok "rc=$RC"

echo "logs in $T"
exit $(( fails > 0 ))
