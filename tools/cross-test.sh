#!/usr/bin/env bash
# tools/cross-test.sh: builds Mica for another architecture and runs the program tests
# there, under qemu-user, from .mar archives built on this (x86-64) machine; each run's
# stdout, stderr and exit status must equal the native run's, byte for byte. Each
# archive is also rebuilt on the target and must be byte-identical, and programs that
# do not compile must give the same diagnostics there. The x86-64 reference runs are
# the interpreter's (MICA_JIT=off); --jit picks the target's tier.
#
#   tools/cross-test.sh [options] ARCH         ARCH: aarch64 or s390x
#     --host-build DIR    native build used for the build's tools and as the reference
#                         (default: build-cross/host; configured and built if needed)
#     --target-build DIR  the cross build (default: build-cross/ARCH)
#     --list FILE         programs to run, one path under tests/ a line (# comments):
#                         lang/FEATURE/NAME.mica, verify/cases/NAME.mcasm (a hand-assembled
#                         case with `; out:` lines), examples/NAME.mica (the repository's
#                         examples) or awfy/NAME/INNER (one AWFY benchmark of bench/awfy,
#                         one iteration of INNER; runtimes in microseconds are not
#                         compared); default: every program test and every such case,
#                         less those of tests/cross/qemu.skip, the examples and the AWFY
#                         suite at the sizes of tests/awfy
#     --check-list FILE   only check that FILE covers every opcode and every std
#                         package that the whole default set covers (no target needed)
#     --jobs N            programs run in parallel (default 2)
#     --jit MODE          the target's tier: MICA_JIT=off|on|always for its runs
#                         (default: the build's default, on where it has a JIT)
#
# Needs the packages of tools/cross-setup.sh ARCH. Exits 0 when every program matches.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# ---- one program (run by the driver below through xargs) ---------------------
if [ "${1:-}" = "--one" ]; then
    shift
    host_mica=$1 target_mica=$2 qemu=$3 libpath=$4 work=$5 mkclass=$6 jit=$7 rel=$8
    src=$root/tests/$rel
    out=$work/${rel%.*}
    mkdir -p "$(dirname "$out")"
    awfy=false
    target() {
        if [ -n "$jit" ]; then
            MICA_JIT=$jit LD_LIBRARY_PATH=$libpath "$qemu" -L / "$target_mica" "$@"
        else
            env -u MICA_JIT LD_LIBRARY_PATH=$libpath "$qemu" -L / "$target_mica" "$@"
        fi
    }
    host() { MICA_JIT=off "$host_mica" "$@"; }
    opts=() args=()
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
    if [ "${rel#awfy/}" != "$rel" ]; then
        # an AWFY benchmark: the whole suite's folder makes the archive
        awfy=true
        name=${rel#awfy/} inner=${rel##*/}
        name=${name%/*}
        dir=$root/bench/awfy
        inputs=(.)
        args=("$name" 1 "$inner")
    elif [ "${rel#examples/}" != "$rel" ]; then
        src=$root/$rel
        dir=$(dirname "$src")
        inputs=("$(basename "$src")")
    elif [ "${rel%.mcasm}" != "$rel" ]; then
        # a hand-assembled case: its classes, assembled here, make the archive
        dir=$out.dir
        rm -rf "$dir" && mkdir -p "$dir/classes"
        "$mkclass" "$dir/classes" "$src" >/dev/null || report "mkclass failed"
        main=$(sed -n 's/^; main: *//p' "$src" | head -1)
        main=${main:-$(sed -n 's/^\.class *//p' "$src" | head -1)}
        inputs=(--main "$main" classes)
    else
        dir=$(dirname "$src")
        base=$(basename "$src" .mica)
        # the test's `// options:` and `// args:` comments (tests/README.md)
        words() { sed -n "s|.*// $1: ||p" "$src" | xargs -r printf '%s\n'; }
        mapfile -t opts < <(words options)
        mapfile -t args < <(words args)
        inputs=("$base.mica")
    fi
    set +e
    (cd "$dir" && host build -o "$out.mar" "${inputs[@]}") \
        >"$out.host.build-out" 2>"$out.host.build-err" </dev/null
    echo $? >"$out.host.build-status"
    (cd "$dir" && target build -o "$out.target.mar" "${inputs[@]}") \
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
    (cd "$dir" && host run "${opts[@]}" "$out.mar" "${args[@]}") \
        >"$out.host.stdout" 2>"$out.host.stderr" </dev/null
    echo $? >"$out.host.status"
    (cd "$dir" && target run "${opts[@]}" "$out.mar" "${args[@]}") \
        >"$out.target.stdout" 2>"$out.target.stderr" </dev/null
    echo $? >"$out.target.status"
    set -e
    if $awfy; then
        for f in "$out".host.stdout "$out".target.stdout; do
            sed -i -E 's/[0-9]+us$/_us/; s/: [0-9]+us /: _us /' "$f"
        done
    fi
    for k in stdout stderr status; do
        cmp -s "$out.host.$k" "$out.target.$k" || report "$k differs"
    done
    echo "ok   $rel"
    exit 0
fi

# The default set: every program test and every runnable hand-assembled case.
all_programs() {
    (cd "$root/tests" && find lang -name '*.mica' | sort
     grep -l '^; out:' verify/cases/*.mcasm | sort)
}

# The examples and the AWFY runs of tests/awfy (NAME:INNER there, awfy/NAME/INNER here).
extra_programs() {
    (cd "$root" && ls examples/*.mica)
    sed -n '/^set(awfy_benchmarks/,/)/p' "$root/tests/awfy/CMakeLists.txt" |
        grep -oE '[A-Za-z]+:[0-9]+' | sed 's|^|awfy/|; s|:|/|'
}

strip_list() { sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$1" | grep -v '^$' || true; }

# The opcodes and std packages that the archives of [programs on stdin] contain, one
# "op NAME" / "pkg NAME" a line (static: instructions and references in the code).
coverage_of() {
    local mica=$1 mkclass=$2 tmp=$3 rel
    while IFS= read -r rel; do
        local src=$root/tests/$rel out=$tmp/${rel%.*}
        mkdir -p "$out"
        if [ "${rel#awfy/}" != "$rel" ] || [ "${rel#examples/}" != "$rel" ]; then
            continue
        elif [ "${rel%.mcasm}" != "$rel" ]; then
            "$mkclass" "$out" "$src" >/dev/null 2>&1 || continue
            for c in "$out"/*.mcl; do "$mica" disasm "$c"; done
        else
            (cd "$(dirname "$src")" && "$mica" build -d "$out" "$(basename "$src")") \
                >/dev/null 2>&1 || continue
            find "$out" -name '*.mcl' -exec "$mica" disasm {} +
        fi
    done | awk '/^ *[0-9]+: /{print "op " $2}
                /= (Class|Method|Field) std\//{split($4, a, "/"); print "pkg " a[2]}' |
        sort -u
}

# ---- the driver -------------------------------------------------------------------
arch= host_build=$root/build-cross/host target_build= list= check= jobs=2 jit=
while [ $# -gt 0 ]; do
    case $1 in
      --host-build) host_build=$(realpath -m "$2"); shift 2 ;;
      --target-build) target_build=$(realpath -m "$2"); shift 2 ;;
      --list) list=$(realpath "$2"); shift 2 ;;
      --check-list) check=$(realpath "$2"); shift 2 ;;
      --jobs) jobs=$2; shift 2 ;;
      --jit) jit=$2; shift 2
             case $jit in off|on|always) ;; *) echo "cross-test: bad --jit '$jit'" >&2; exit 2 ;; esac ;;
      -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      -*) echo "cross-test: unknown option $1" >&2; exit 2 ;;
      *) arch=$1; shift ;;
    esac
done
if [ -n "$check" ]; then
    if [ ! -f "$host_build/CMakeCache.txt" ]; then
        cmake -S "$root" -B "$host_build" -DMICA_WERROR=ON >/dev/null
    fi
    cmake --build "$host_build" -j"$jobs" --target mica_cli mkclass >/dev/null
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    mkclass=$host_build/tests/verify/mkclass
    all_programs | coverage_of "$host_build/mica" "$mkclass" "$tmp/all" >"$tmp/want"
    strip_list "$check" | coverage_of "$host_build/mica" "$mkclass" "$tmp/list" >"$tmp/have"
    missing=$(comm -23 "$tmp/want" "$tmp/have")
    echo "$(basename "$check"): $(grep -c '^op' "$tmp/have") opcodes and" \
         "$(grep -c '^pkg' "$tmp/have") std packages of the whole set's" \
         "$(grep -c '^op' "$tmp/want") and $(grep -c '^pkg' "$tmp/want")"
    if [ -n "$missing" ]; then
        echo "missing: $(echo $missing)"
        exit 1
    fi
    exit 0
fi
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
cmake --build "$host_build" -j"$jobs" --target mica_cli micac mica_embed mkclass >/dev/null
echo "== $arch build ($target_build), build steps with the host's tools"
mkdir -p "$target_build"
cmake -S "$root" -B "$target_build" -DMICA_WERROR=ON -DMICA_SYSROOT="$sysroot" \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/$triple.cmake" \
    -DMICA_HOST_TOOLS="$host_build" >"$target_build/configure.log" 2>&1 ||
    { cat "$target_build/configure.log"; exit 1; }
cmake --build "$target_build" -j"$jobs" --target mica_cli >/dev/null
built=$(date +%s)

if [ -n "$list" ]; then
    progs=$(strip_list "$list")
else
    progs=$(all_programs | grep -vxF -f <(strip_list "$root/tests/cross/qemu.skip"); extra_programs)
fi
n=$(echo "$progs" | wc -l)
work=$target_build/cross-test${jit:+-jit-$jit}
rm -rf "$work"
mkdir -p "$work"
echo "== $n programs: x86-64 archives run on $arch under $(basename "$qemu")${jit:+ (MICA_JIT=$jit)}"
set +e
echo "$progs" | xargs -d '\n' -P "$jobs" -n 1 "$0" --one "$host_build/mica" \
    "$target_build/mica" "$qemu" "$libpath" "$work" "$host_build/tests/verify/mkclass" "$jit" \
    >"$work/log.txt"
set -e
grep '^ok' "$work/log.txt" | sort >"$work/passed.txt" || true
failed=$(grep -c '^FAIL' "$work/log.txt" || true)
passed=$(wc -l <"$work/passed.txt")
grep -v '^ok' "$work/log.txt" || true
end=$(date +%s)
echo "== $arch${jit:+ (MICA_JIT=$jit)}: $passed of $n programs identical to x86-64, $failed differ" \
     "(build $((built - start)) s, runs $((end - built)) s)"
[ "$failed" -eq 0 ] && [ "$passed" -eq "$n" ]
