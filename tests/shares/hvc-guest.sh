#!/bin/sh
# Guest side of the virtio-console test: sh hvc-guest.sh DEVICE (e.g. /dev/hvc1).
# The host answers every line it receives with the same line upper-cased; the guest
# checks the answer. Prints "HVC-RESULT ok" or "HVC-RESULT fail ...".
D=${1:-/dev/hvc0}
stty -F "$D" raw -echo 2>/dev/null || { echo "HVC-RESULT fail no tty $D"; exit 1; }
exec 4<>"$D"
echo "ping-from-guest" >&4
read -r answer <&4
if [ "$answer" = "PING-FROM-GUEST" ]; then echo "HVC-RESULT ok"; else echo "HVC-RESULT fail got '$answer'"; fi
