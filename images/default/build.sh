#!/bin/bash
# Build the hartvm default guest (RV64GC Linux kernel + busybox initramfs) from
# Debian 12 (bookworm) packages only, and write the artefacts and manifest.json
# next to this script.
#
#   sudo images/default/build.sh            # full rebuild (as root, on Debian 12)
#   NO_APT=1 images/default/build.sh        # skip apt-get install/update (deps present,
#                                           # busybox source already fetchable)
#
# Environment:
#   BUILD=/tmp/hartvm-guest-build   scratch directory (wiped), never inside the repo
#   OUT=<this directory>            where Image.gz, initramfs.cpio.gz, manifest.json go
#   JOBS=2                          make -j
#   SOURCE_DATE_EPOCH=1735689600    fixed timestamp for every artefact (2025-01-01)
#   BUILD_DATE=<now, UTC>           recorded in manifest.json only
#
# Inputs in this directory: kernel.config (fragment over allnoconfig),
# busybox.config (changes over busybox defconfig), rootfs/ (files of the initramfs).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${OUT:-$HERE}
BUILD=${BUILD:-/tmp/hartvm-guest-build}
JOBS=${JOBS:-2}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1735689600}
BUILD_DATE=${BUILD_DATE:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}
CROSS=riscv64-linux-gnu-
KERNEL_CMDLINE="console=ttyS0 earlycon=sbi"
LINUX_TAR=/usr/src/linux-source-6.1.tar.xz

export LC_ALL=C TZ=UTC
umask 022

log() { printf '\n=== %s\n' "$*" >&2; }

case "$BUILD" in
  "$HERE"*|/) echo "BUILD must be outside the repository: $BUILD" >&2; exit 2 ;;
esac

# ---------------------------------------------------------------- 1. build deps
BUILD_DEPS=(
  build-essential dpkg-dev make bc flex bison libssl-dev libelf-dev
  cpio gzip xz-utils bzip2 file
  gcc-riscv64-linux-gnu libc6-dev-riscv64-cross binutils-riscv64-linux-gnu
  linux-source-6.1
)

enable_deb_src() {
  # DESIGN.md section 9: deb-src for bookworm main, same URI as the deb entry.
  if grep -rqsE '^[[:space:]]*(Types:.*deb-src|deb-src[[:space:]])' \
       /etc/apt/sources.list /etc/apt/sources.list.d/; then
    return 0
  fi
  local uri
  uri=$(awk '/^URIs:/ && $2 ~ /debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $2 ~ /debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$uri" ] || uri=http://deb.debian.org/debian
  log "enabling deb-src ($uri bookworm main)"
  cat > /etc/apt/sources.list.d/debsrc.sources <<EOF
Types: deb-src
URIs: $uri
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
}

if [ -z "${NO_APT:-}" ]; then
  [ "$(id -u)" = 0 ] || { echo "run as root (apt-get, mknod), or set NO_APT=1" >&2; exit 2; }
  log "installing build dependencies"
  enable_deb_src
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${BUILD_DEPS[@]}"
fi
[ "$(id -u)" = 0 ] || { echo "must run as root (mknod /dev/console for the initramfs)" >&2; exit 2; }
for t in ${CROSS}gcc dpkg-source cpio gzip; do
  command -v "$t" >/dev/null || { echo "missing $t (install: ${BUILD_DEPS[*]})" >&2; exit 2; }
done
[ -f "$LINUX_TAR" ] || { echo "missing $LINUX_TAR (apt-get install linux-source-6.1)" >&2; exit 2; }

rm -rf "$BUILD"
mkdir -p "$BUILD"

# ---------------------------------------------------------------- 2. sources
log "fetching busybox source (apt-get source)"
( cd "$BUILD" && apt-get source busybox )
BB_DSC=$(ls "$BUILD"/busybox_*.dsc | head -n1)
BB_VERSION=$(awk '/^Version:/ {print $2; exit}' "$BB_DSC")
BB_SRC=$(find "$BUILD" -maxdepth 1 -type d -name 'busybox-*' | head -n1)

log "unpacking $LINUX_TAR"
tar -C "$BUILD" -xf "$LINUX_TAR"
KSRC=$BUILD/linux-source-6.1
KOBJ=$BUILD/linux-build

# ---------------------------------------------------------------- 3. kernel
log "configuring the kernel (allnoconfig + kernel.config, olddefconfig)"
export ARCH=riscv CROSS_COMPILE=$CROSS
export KBUILD_BUILD_TIMESTAMP
KBUILD_BUILD_TIMESTAMP=$(date -u -d "@$SOURCE_DATE_EPOCH" '+%a %b %e %H:%M:%S UTC %Y')
export KBUILD_BUILD_USER=hartvm KBUILD_BUILD_HOST=hartvm KBUILD_BUILD_VERSION=1
make -C "$KSRC" O="$KOBJ" KCONFIG_ALLCONFIG="$HERE/kernel.config" allnoconfig >/dev/null
make -C "$KSRC" O="$KOBJ" olddefconfig >/dev/null

# Every option the fragment asks for must have survived olddefconfig.
bad=0
while IFS= read -r line; do
  case "$line" in
    CONFIG_*=*)
      opt=${line%%=*}
      grep -qxF "$line" "$KOBJ/.config" || {
        echo "kernel.config: $line not honoured: $(grep -E "^$opt=|^# $opt is not set" "$KOBJ/.config" || echo absent)" >&2; bad=1; } ;;
    "# CONFIG_"*" is not set")
      opt=$(echo "$line" | awk '{print $2}')
      ! grep -q "^$opt=" "$KOBJ/.config" || {
        echo "kernel.config: $opt should be off: $(grep "^$opt=" "$KOBJ/.config")" >&2; bad=1; } ;;
  esac
done < "$HERE/kernel.config"
[ "$bad" = 0 ] || { echo "kernel configuration check failed" >&2; exit 1; }

log "building the kernel (make -j$JOBS Image)"
make -C "$KSRC" O="$KOBJ" -j"$JOBS" Image
KRELEASE=$(make -s -C "$KSRC" O="$KOBJ" kernelrelease)
gzip -n -9 < "$KOBJ/arch/riscv/boot/Image" > "$OUT/Image.gz"
unset ARCH CROSS_COMPILE

# ---------------------------------------------------------------- 4. busybox
log "configuring busybox $BB_VERSION (defconfig + busybox.config)"
cd "$BB_SRC"
make defconfig >/dev/null
while IFS= read -r line; do
  case "$line" in
    CONFIG_*=*)                  opt=${line%%=*} ;;
    "# CONFIG_"*" is not set")   opt=$(echo "$line" | awk '{print $2}') ;;
    *) continue ;;
  esac
  sed -i -e "/^$opt=/d" -e "/^# $opt is not set\$/d" .config
  echo "$line" >> .config
done < "$HERE/busybox.config"
{ yes '' || true; } | make oldconfig >/dev/null
for want in 'CONFIG_STATIC=y' 'CONFIG_ASH=y' 'CONFIG_ASH_JOB_CONTROL=y' 'CONFIG_INIT=y' \
            'CONFIG_CTTYHACK=y' 'CONFIG_POWEROFF=y' 'CONFIG_REBOOT=y' 'CONFIG_MDEV=y' 'CONFIG_MOUNT=y'; do
  grep -qxF "$want" .config || { echo "busybox: $want missing" >&2; exit 1; }
done

log "building busybox (static, ${CROSS}gcc)"
make -j"$JOBS" BB_EXTRA_VERSION="Debian $BB_VERSION, hartvm" busybox

# ---------------------------------------------------------------- 5. initramfs
log "assembling the initramfs"
ROOT=$BUILD/rootfs
rm -rf "$ROOT"
make CONFIG_PREFIX="$ROOT" BB_EXTRA_VERSION="Debian $BB_VERSION, hartvm" install >/dev/null
rm -f "$ROOT/linuxrc"
mkdir -p "$ROOT"/{dev,proc,sys,tmp,run,root,mnt,etc/init.d,var,usr/bin,usr/sbin}
ln -s ../run "$ROOT/var/run"
ln -s bin/busybox "$ROOT/init"
mknod -m 600 "$ROOT/dev/console" c 5 1
mknod -m 666 "$ROOT/dev/null" c 1 3
cp -R "$HERE/rootfs/." "$ROOT/"
# Normalise what the checkout may have changed: modes, owners, times.
find "$ROOT" -type d -exec chmod 0755 {} +
find "$ROOT/etc" -type f -exec chmod 0644 {} +
find "$ROOT/usr/share" -type f -exec chmod 0644 {} +
chmod 0755 "$ROOT/bin/busybox" "$ROOT/etc/init.d/rcS" "$ROOT/usr/share/udhcpc/default.script"
chmod 1777 "$ROOT/tmp"
chmod 0700 "$ROOT/root"
find "$ROOT" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
( cd "$ROOT" && find . -mindepth 1 -printf '%P\n' | sort |
    cpio --quiet -o -H newc -R 0:0 --reproducible ) | gzip -n -9 > "$OUT/initramfs.cpio.gz"

# ---------------------------------------------------------------- 6. manifest
log "writing manifest.json"
REPRODUCIBLE_NOTE="Image.gz and initramfs.cpio.gz are byte-identical across clean rebuilds with the same Debian package versions (checked: two builds in different build directories gave the same SHA-256). Only build_date in this manifest changes. Other versions of linux-source-6.1, busybox or the riscv64 cross toolchain give different artefacts."
ver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo unknown; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }
GCC_VERSION=$(${CROSS}gcc -dumpfullversion)
INITRD_RAW=$BUILD/initramfs.cpio
gzip -dc "$OUT/initramfs.cpio.gz" > "$INITRD_RAW"
KIMAGE=$KOBJ/arch/riscv/boot/Image

cat > "$OUT/manifest.json" <<EOF
{
  "name": "hartvm default guest",
  "arch": "riscv64",
  "machine": "QEMU riscv64 virt (and hartvm)",
  "build_date": "$BUILD_DATE",
  "source_date_epoch": $SOURCE_DATE_EPOCH,
  "kernel_cmdline": "$KERNEL_CMDLINE",
  "kernel_release": "$KRELEASE",
  "busybox_banner": "$(strings "$BB_SRC/busybox" | grep -m1 '^BusyBox v')",
  "sources": {
    "linux-source-6.1": "$(ver linux-source-6.1)",
    "busybox": "$BB_VERSION",
    "gcc-riscv64-linux-gnu": "$(ver gcc-riscv64-linux-gnu)",
    "gcc-12-riscv64-linux-gnu": "$(ver gcc-12-riscv64-linux-gnu)",
    "binutils-riscv64-linux-gnu": "$(ver binutils-riscv64-linux-gnu)",
    "libc6-dev-riscv64-cross": "$(ver libc6-dev-riscv64-cross)",
    "riscv64-linux-gnu-gcc": "$GCC_VERSION"
  },
  "artefacts": {
    "Image.gz": {
      "sha256": "$(sha "$OUT/Image.gz")",
      "size": $(size "$OUT/Image.gz"),
      "uncompressed_sha256": "$(sha "$KIMAGE")",
      "uncompressed_size": $(size "$KIMAGE")
    },
    "initramfs.cpio.gz": {
      "sha256": "$(sha "$OUT/initramfs.cpio.gz")",
      "size": $(size "$OUT/initramfs.cpio.gz"),
      "uncompressed_sha256": "$(sha "$INITRD_RAW")",
      "uncompressed_size": $(size "$INITRD_RAW")
    }
  },
  "reproducible": "$REPRODUCIBLE_NOTE"
}
EOF
log "done: $OUT/Image.gz $OUT/initramfs.cpio.gz $OUT/manifest.json"
ls -l "$OUT/Image.gz" "$OUT/initramfs.cpio.gz" "$OUT/manifest.json" >&2
