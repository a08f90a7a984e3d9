#!/usr/bin/env bash
# tools/cross-setup.sh ARCH [SYSROOT]: installs what a cross build for ARCH (aarch64 or
# s390x) and its runs under qemu-user need on a Debian 12 x86-64 machine (as root):
# the cross compiler, qemu-user, the target's C library and libffi from Debian's
# multiarch archive, and libgc, PCRE2 and libzip (with their own dependencies)
# unpacked into SYSROOT (default /opt/sysroot-ARCH). Multiarch-installing those
# instead can conflict on version skew between architectures; a sysroot cannot.
set -euo pipefail
arch=${1:?usage: tools/cross-setup.sh aarch64|s390x [SYSROOT]}
case $arch in
  aarch64) deb=arm64 ;;
  s390x) deb=s390x ;;
  *) echo "cross-setup: unknown architecture '$arch' (aarch64 or s390x)" >&2; exit 2 ;;
esac
sysroot=${2:-/opt/sysroot-$arch}

if ! dpkg --print-foreign-architectures | grep -qx "$deb"; then
  dpkg --add-architecture "$deb"
fi
apt-get update
apt-get install -y qemu-user "gcc-$arch-linux-gnu" "libc6:$deb" "libffi-dev:$deb"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download \
  "libgc1:$deb" "libgc-dev:$deb" "libpcre2-8-0:$deb" "libpcre2-dev:$deb" \
  "libzip4:$deb" "libzip-dev:$deb" "zlib1g:$deb" "zlib1g-dev:$deb" \
  "libbz2-1.0:$deb" "libssl3:$deb" "libffi8:$deb" "libffi-dev:$deb")
mkdir -p "$sysroot"
for f in "$tmp"/*.deb; do dpkg -x "$f" "$sysroot"; done
echo "cross-setup: $arch ready (sysroot $sysroot)"
