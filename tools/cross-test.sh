#!/usr/bin/env bash
# tools/cross-test.sh: builds Mica for another architecture and runs the program tests
# there, under qemu-user, from .mar archives built on this (x86-64) machine; each run's
# stdout, stderr and exit status must equal the native run's, byte for byte. Each
# archive is also rebuilt on the target and must be byte-identical, and programs that
# do not compile must give the same diagnostics there.
#
#   tools/cross-test.sh [options] ARCH         ARCH: aarch64 or s390x
#     --host-build DIR    native build used for the build's tools and as the reference
#                         (default: build-cross/host; configured and built if needed)
#     --target-build DIR  the cross build (default: build-cross/ARCH)
#     --list FILE         test programs to run, one path under tests/lang a line
#                         (# comments allowed); default: every tests/lang/**/*.mica
#     --jobs N            programs run in parallel (default 2)
#
# Needs the packages of tools/cross-setup.sh ARCH. Exits 0 when every program matches.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# ---- one program (run by the driver below through xargs) ---------------------
if [ "${1:-}" = "--one" ]; then
    shift
    host_mica=$1 target_mica=$2 qemu=$3 libpath=$4 work=$5 rel=$6
    src=$root/tests/lang/$rel
    dir=$(dirname "$src")
    base=$(basename "$src" .mica)
    out=$work/${rel%.mica}
    mkdir -p "$(dirname "$out")"
    target() { LD_LIBRARY_PATH=$libpath "$qemu" -L / "$target_mica" "$@"; }
    opts=() args=()
    [ -f "$dir/$base.opts" ] && mapfile -t opts <"$dir/$base.opts"
    [ -f "$dir/$base.args" ] && mapfile -t args <"$dir/$base.args"
    report() {
        echo "FAIL $rel: $1"
        for f in "$out".host.* ; do
            [ -f "$f" ] || continue
            t=${f/.host./.target.}
            cmp -s "$f" "$t" || { echo "--- ${f##*.} on x86-64 ---"; head -c 2000 "$f";
                                  echo "--- ${f##*.} on the target ---"; head -c 2000 "$t"; }
        done
        exit 1
    }
    # build on the host
    set +e
    (cd "$dir" && "$host_mica" build -o "$out.mar" "$base.mica") \
        >"$out.host.build-out" 2>"$out.host.build-err" </dev/null
    echo $? >"$out.host.build-status"
    (cd "$dir" && target build -o "$out.target.mar" "$base.mica") \
        >"$out.target.build-out" 2>"$out.target.build-err" </dev/null
    echo $? >"$out.target.build-status"
    set -e
    for k in build-out build-err build-status; do
        cmp -s "$out.host.$k" "$out.target.$k" || report "mica build differs ($k)"
    done
    if [ "$(cat "$out.host.build-status")" != 0 ]; then
        echo "ok   $rel (compile error, same diagnostics)"
        exit 0
    fi
    cmp -s "$out.mar" "$out.target.mar" || report "the archive built on the target differs"
    set +e
    (cd "$dir" && "$host_mica" run "${opts[@]}" "$out.mar" "${args[@]}") \
        >"$out.host.stdout" 2>"$out.host.stderr" </dev/null
    echo $? >"$out.host.status"
    (cd "$dir" && target run "${opts[@]}" "$out.mar" "${args[@]}") \
        >"$out.target.stdout" 2>"$out.target.stderr" </dev/null
    echo $? >"$out.target.status"
    set -e
    for k in stdout stderr status; do
        cmp -s "$out.host.$k" "$out.target.$k" || report "$k differs"
    done
    echo "ok   $rel"
    exit 0
fi

# ---- the driver -------------------------------------------------------------------
arch= host_build=$root/build-cross/host target_build= list= jobs=2
while [ $# -gt 0 ]; do
    case $1 in
      --host-build) host_build=$(realpath -m "$2"); shift 2 ;;
      --target-build) target_build=$(realpath -m "$2"); shift 2 ;;
      --list) list=$(realpath "$2"); shift 2 ;;
      --jobs) jobs=$2; shift 2 ;;
      -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      -*) echo "cross-test: unknown option $1" >&2; exit 2 ;;
      *) arch=$1; shift ;;
    esac
done
case $arch in
  aarch64|s390x) ;;
  *) echo "usage: tools/cross-test.sh [options] aarch64|s390x" >&2; exit 2 ;;
esac
target_build=${target_build:-$root/build-cross/$arch}
sysroot=${MICA_SYSROOT:-/opt/sysroot-$arch}
triple=$arch-linux-gnu
libpath=$sysroot/usr/lib/$triple:$sysroot/lib/$triple
qemu=$(command -v "qemu-$arch") || { echo "cross-test: qemu-$arch not found" >&2; exit 2; }

start=$(date +%s)
echo "== host build ($host_build)"
if [ ! -f "$host_build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$host_build" -DMICA_WERROR=ON >/dev/null
fi
cmake --build "$host_build" -j"$jobs" --target mica_cli micac mica_embed >/dev/null
echo "== $arch build ($target_build), build steps with the host's tools"
cmake -S "$root" -B "$target_build" -DMICA_WERROR=ON -DMICA_SYSROOT="$sysroot" \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/$triple.cmake" \
    -DMICA_HOST_TOOLS="$host_build" >/dev/null
cmake --build "$target_build" -j"$jobs" --target mica_cli >/dev/null
built=$(date +%s)

if [ -n "$list" ]; then
    progs=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$list" | grep -v '^$')
else
    progs=$(cd "$root/tests/lang" && find . -name '*.mica' | sed 's|^\./||' | sort)
fi
n=$(echo "$progs" | wc -l)
work=$target_build/cross-test
rm -rf "$work"
mkdir -p "$work"
echo "== $n programs: x86-64 archives run on $arch under $(basename "$qemu")"
set +e
echo "$progs" | xargs -d '\n' -P "$jobs" -n 1 "$0" --one "$host_build/mica" \
    "$target_build/mica" "$qemu" "$libpath" "$work" >"$work/log.txt"
set -e
grep '^ok' "$work/log.txt" | sort >"$work/passed.txt" || true
failed=$(grep -c '^FAIL' "$work/log.txt" || true)
passed=$(wc -l <"$work/passed.txt")
grep -v '^ok' "$work/log.txt" || true
end=$(date +%s)
echo "== $arch: $passed of $n programs identical to x86-64, $failed differ" \
     "(build $((built - start)) s, runs $((end - built)) s)"
[ "$failed" -eq 0 ] && [ "$passed" -eq "$n" ]
