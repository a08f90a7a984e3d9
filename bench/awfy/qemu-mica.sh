#!/usr/bin/env bash
# bench/awfy/qemu-mica.sh: runs a cross-built mica under qemu-user, so that compare.sh
# can time it (--mica bench/awfy/qemu-mica.sh). An indicator only: emulation changes
# what is fast, but both tiers pay it alike.
#   QEMU_MICA_ARCH  aarch64 (default) or s390x
#   QEMU_MICA       the target's mica (default: build-cross/ARCH/mica of this checkout,
#                   as tools/cross-test.sh builds it)
#   MICA_SYSROOT    the target's libraries (default /opt/sysroot-ARCH, as
#                   tools/cross-setup.sh unpacks them)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
arch=${QEMU_MICA_ARCH:-aarch64}
mica=${QEMU_MICA:-$root/build-cross/$arch/mica}
sysroot=${MICA_SYSROOT:-/opt/sysroot-$arch}
export LD_LIBRARY_PATH=$sysroot/usr/lib/$arch-linux-gnu:$sysroot/lib/$arch-linux-gnu
exec "qemu-$arch" -L / "$mica" "$@"
