#!/usr/bin/env bash
# tools/cross-setup.sh ARCH...: installs what cross builds for each ARCH (aarch64,
# s390x) and their runs under qemu-user need on a Debian 12 x86-64 machine (as root):
# the cross compiler, qemu-user, the target's C library and libffi from Debian's
# multiarch archive, and libgc, PCRE2, libzip, utf8proc, GMP and libffi (with their
# own dependencies)
# for the target unpacked into a sysroot, $MICA_SYSROOT or /opt/sysroot-ARCH.
# Multiarch-installing those instead can conflict on version skew between
# architectures; a sysroot cannot. cmake/toolchains/ARCH-linux-gnu.cmake uses it.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: tools/cross-setup.sh aarch64|s390x..." >&2; exit 2; }
debs=() pkgs=(qemu-user)
for arch in "$@"; do
    case $arch in
      aarch64) deb=arm64 ;;
      s390x) deb=s390x ;;
      *) echo "cross-setup: unknown architecture '$arch' (aarch64 or s390x)" >&2; exit 2 ;;
    esac
    debs+=("$deb")
    pkgs+=("gcc-$arch-linux-gnu" "libc6:$deb" "libffi-dev:$deb")
    if ! dpkg --print-foreign-architectures | grep -qx "$deb"; then
        dpkg --add-architecture "$deb"
    fi
done
apt-get update
apt-get install -y "${pkgs[@]}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
for arch in "$@"; do
    deb=${debs[$i]}
    i=$((i + 1))
    sysroot=${MICA_SYSROOT:-/opt/sysroot-$arch}
    mkdir -p "$tmp/$arch" "$sysroot"
    (cd "$tmp/$arch" && apt-get download \
        "libgc1:$deb" "libgc-dev:$deb" "libpcre2-8-0:$deb" "libpcre2-dev:$deb" \
        "libzip4:$deb" "libzip-dev:$deb" "zlib1g:$deb" "zlib1g-dev:$deb" \
        "libbz2-1.0:$deb" "libssl3:$deb" "libffi8:$deb" "libffi-dev:$deb" \
        "libutf8proc2:$deb" "libutf8proc-dev:$deb" "libgmp10:$deb" "libgmp-dev:$deb")
    for f in "$tmp/$arch"/*.deb; do dpkg -x "$f" "$sysroot"; done
    echo "cross-setup: $arch ready (sysroot $sysroot)"
done
