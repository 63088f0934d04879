#!/bin/sh
# Guest side of the virtio-9p guest test. Run inside the guest after the host has
# prepared the share (see README.md):
#   sh 9p-guest.sh MOUNTPOINT OUTSIDE [RO_MOUNTPOINT]
# MOUNTPOINT is the read-write share, mounted; OUTSIDE is the host path of a directory
# next to the share that must stay untouched (the host checks it afterwards);
# RO_MOUNTPOINT, if given, is a second share mounted from a readonly=on device.
# Prints "PASS name" / "FAIL name" lines, facts for the host to check ("HOST ..."), and
# last "9P-GUEST-RESULT fails=N".
# FILES (default 2000) and BIG_MB (default 24, at least 4) size the readdir and large-file parts.
M=$1
OUTSIDE=$2
RO=${3:-}
FILES=${FILES:-2000}
BIG_MB=${BIG_MB:-24}
fails=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; fails=$((fails + 1)); }
check() { n=$1; shift; if "$@"; then pass "$n"; else fail "$n"; fi; }
# errmsg NAME PATTERN CMD...: CMD must fail with an error message matching PATTERN
# (a '|'-separated list of alternatives).
errmsg() {
  n=$1; p=$2; shift 2
  if out=$("$@" 2>&1); then fail "$n (succeeded: $out)"; return; fi
  IFS='|'; for alt in $p; do case $out in *"$alt"*) unset IFS; pass "$n"; return ;; esac; done; unset IFS
  fail "$n ($out)"
}
# hartvm refuses device nodes (and, on a host directory, FIFOs) with EPERM; QEMU 7.2
# answers ENXIO for both (it tries to open what it just made).
REFUSED="Operation not permitted|No such device or address"
T=/tmp/9pt
rm -rf $T && mkdir -p $T

cd "$M" || { echo "9P-GUEST-RESULT fails=1"; exit 1; }
mkdir -p work && cd work

# --- create, read, write, append, truncate ---
echo hello > f
check create [ "$(cat f)" = hello ]
echo world >> f
check append [ "$(cat f)" = "$(printf 'hello\nworld')" ]
printf 'XY' | dd of=f bs=1 seek=2 conv=notrunc 2>/dev/null
check overwrite-middle [ "$(head -c 5 f)" = heXYo ]
check size-after-write [ "$(stat -c %s f)" = 12 ]
truncate -s 3 f
check truncate-shrink [ "$(cat f)" = heX ]
truncate -s 5000 f
check truncate-grow [ "$(stat -c %s f)" = 5000 ]
tail -c 4997 f > $T/tail; dd if=/dev/zero of=$T/zero bs=4997 count=1 2>/dev/null
check truncate-grow-zeros cmp -s $T/tail $T/zero
: > f
check truncate-to-zero [ "$(stat -c %s f)" = 0 ]

# --- stat, chmod, times, ownership ---
echo data > s
chmod 640 s
check chmod [ "$(stat -c %a s)" = 640 ]
chmod 4755 s
check chmod-setuid [ "$(stat -c %a s)" = 4755 ]
touch -d '2001-02-03 04:05:06' s
check touch-mtime [ "$(stat -c %Y s)" = "$(date -d '2001-02-03 04:05:06' +%s)" ]
check stat-type [ "$(stat -c %F s)" = "regular file" ]
check stat-dir-type [ "$(stat -c %F .)" = "directory" ]

# --- mkdir, rmdir, rename ---
mkdir -p a/b/c
check mkdir-p [ -d a/b/c ]
errmsg rmdir-nonempty "not empty" rmdir a/b
echo moved > a/b/c/m
mv a/b/c/m a/m2
check rename-file [ "$(cat a/m2)" = moved ] && check rename-source-gone [ ! -e a/b/c/m ]
mv a/b a/bb
check rename-dir [ -d a/bb/c ] && check rename-dir-old-gone [ ! -e a/b ]
echo old > a/over; echo new > a/src; mv a/src a/over
check rename-over-existing [ "$(cat a/over)" = new ]
errmsg rename-dir-into-itself "Invalid argument" mv a a/bb/c/
rmdir a/bb/c
check rmdir [ ! -e a/bb/c ]
rm -r a
check rm-r [ ! -e a ]

# --- symlinks, hard links ---
echo target > tgt
ln -s tgt sl
check symlink [ -L sl ]
check readlink [ "$(readlink sl)" = tgt ]
check read-through-symlink [ "$(cat sl)" = target ]
ln -s /no/such/thing dangling
check dangling-readlink [ "$(readlink dangling)" = /no/such/thing ]
ln tgt hard
check hardlink-count [ "$(stat -c %h tgt)" = 2 ]
check hardlink-same-inode [ "$(stat -c %i tgt)" = "$(stat -c %i hard)" ]
rm tgt
check hardlink-survives [ "$(cat hard)" = target ]

# --- unlinked but open ---
echo still-here > u
exec 3< u
rm u
check read-unlinked-open [ "$(cat <&3)" = still-here ]
exec 3<&-

# --- special files ---
if mkfifo fifo 2>$T/err; then
  check mkfifo [ -p fifo ]
  (echo through-fifo > fifo &) ; check fifo-data [ "$(cat fifo)" = through-fifo ]
else
  echo "INFO mkfifo refused: $(cat $T/err)"
  check mkfifo-refused-cleanly grep -q -e "Operation not permitted" -e "No such device or address" $T/err
fi
errmsg mknod-device-refused "$REFUSED" mknod dev c 1 3

# --- readdir of many files, while it changes ---
mkdir many && cd many
i=0; while [ $i -lt $FILES ]; do : > "file-$i"; i=$((i + 1)); done
check readdir-count [ "$(ls | wc -l)" = $FILES ]
check readdir-names [ "$(ls | sort | md5sum)" = "$(seq 0 $((FILES - 1)) | sed 's/^/file-/' | sort | md5sum)" ]
check find-count [ "$(find . -type f | wc -l)" = $FILES ]
rm -f file-1*
check readdir-after-delete [ "$(ls | wc -l)" = "$(seq 0 $((FILES - 1)) | grep -vc '^1')" ]
cd .. && rm -r many

# --- large files ---
dd if=/dev/urandom of=big bs=1M count=$BIG_MB 2>/dev/null
sum=$(md5sum < big | cut -d' ' -f1)
echo "HOST md5 work/big $sum"
cp big big2
check large-copy cmp -s big big2
check large-size [ "$(stat -c %s big)" = $((BIG_MB * 1048576)) ]
dd if=big of=$T/mid bs=4096 skip=1000 count=10 2>/dev/null
dd if=big2 of=$T/mid2 bs=4096 skip=1000 count=10 2>/dev/null
check large-random-read cmp -s $T/mid $T/mid2
rm big2

# --- locks, statfs, sync ---
check flock flock lockf -c true
check df df "$M" > /dev/null
sync; check sync true

# --- escape attempts: everything resolves in the guest's namespace ---
check dotdot-is-guest [ "$(cd "$M/.." && pwd)" = "$(dirname "$M")" ]
ln -s /etc/passwd evil
check abs-symlink-reads-guest-file grep -q '^root:' evil
ln -s "$OUTSIDE/secret.txt" evil-out
errmsg write-through-host-path "No such file|nonexistent directory" sh -c "echo pwned > evil-out"
ln -s ../../../../../../../../.. up
check relative-symlink-stays-in-guest [ "$(cd up && pwd -P)" = / ]
for l in "$M/abs" "$M/rel"; do
  [ -L "$l" ] && errmsg "preexisting-link-$(basename $l)" "No such file" ls "$l/secret.txt"
done
echo "HOST symlink work/evil /etc/passwd"

# --- a racing rename loop: directories swapped for symlinks while files are created ---
mkdir -p race/a
(
  i=0
  while [ $i -lt 200 ]; do
    mv race/a race/held 2>/dev/null
    ln -s "$OUTSIDE" race/a 2>/dev/null
    rm -f race/a 2>/dev/null
    mv race/held race/a 2>/dev/null
    i=$((i + 1))
  done
) &
racer=$!
i=0; while [ $i -lt 400 ]; do echo x > race/a/f$i 2>/dev/null; i=$((i + 1)); done
wait $racer
check race-survivors [ "$(ls race/a race/held 2>/dev/null | grep -c '^f')" -ge 1 ]
echo "HOST race-dir work/race"

# --- read-only share ---
if [ -n "$RO" ]; then
  check ro-read [ -n "$(ls "$RO")" ]
  errmsg ro-create "Read-only file system" touch "$RO/new"
  errmsg ro-mkdir "Read-only file system" mkdir "$RO/newdir"
  errmsg ro-symlink "Read-only file system" ln -s x "$RO/newlink"
  first=$(ls "$RO" | head -1)
  errmsg ro-unlink "Read-only file system" rm -f "$RO/$first"
  errmsg ro-rename "Read-only file system" mv "$RO/$first" "$RO/renamed"
  errmsg ro-chmod "Read-only file system" chmod 600 "$RO/$first"
  errmsg ro-write "Read-only file system" sh -c "echo x >> '$RO/$first'"
  errmsg ro-truncate "Read-only file system" truncate -s 0 "$RO/$first"
fi

cd /
echo "9P-GUEST-RESULT fails=$fails"
