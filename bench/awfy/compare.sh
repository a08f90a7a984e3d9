#!/usr/bin/env bash
# bench/awfy/compare.sh: time Mica's Are-We-Fast-Yet ports against the suite's own Java,
# Lua (lua5.4, luajit -joff, luajit) and C++ ports, side by side in one run.
#
#   bench/awfy/compare.sh AWFY_CHECKOUT [options]
#
# AWFY_CHECKOUT is a clone of https://github.com/smarr/are-we-fast-yet (its
# benchmarks/{Java,Lua,C++} folders are used as published). Every system runs the same
# benchmark at the same size, whole process, taking turns round-robin: for each benchmark,
# run 1 of every system, then run 2 of every system, ... The median of the runs is
# reported. A run that exits non-zero (a wrong result, a crash, the time-out) is recorded
# as failed and left out of the medians.
#
# Options:
#   -s, --systems LIST     comma-separated, from: mica-interp, mica-jit, java, lua54,
#                          luajit-joff, luajit, cpp (default: all that are available;
#                          mica-jit only when the mica binary accepts --jit)
#   -b, --benchmarks LIST  comma-separated names, each optionally NAME:ITERATIONS:INNER
#                          (default: all fourteen at the standard sizes)
#   -n, --runs N           runs per benchmark and system, the median is reported (default 3)
#   -q, --quick            small sizes and one run each, for trying the runner out
#                          (results are not saved unless --csv is given)
#       --mica PATH        the mica binary (default: build/mica of this repository)
#       --csv FILE         where to save the raw timings (default for full-size runs:
#                          bench/results/awfy-DATE-MACHINE-COMMIT.csv)
#       --no-save          do not save the raw timings
#       --machine NAME     the machine's name in the file name (default: hostname-Ncpu)
#       --timeout SECONDS  a run taking longer fails (default 600)
#   -h, --help
#
# Needs bash, awk, a JDK (javac, java), lua5.4, luajit and g++; a missing one is skipped
# with a note unless it was asked for with --systems. The saved CSV renders as an SVG
# plot and a Markdown table with bench/plot.sh.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "compare.sh: $*" >&2; exit 2; }

all_systems="mica-interp mica-jit java lua54 luajit-joff luajit cpp"
standard="Bounce:10:1500 List:12:1500 Mandelbrot:5:500 NBody:15:250000 Permute:12:1000
Queens:10:1000 Sieve:5:3000 Storage:3:1000 Towers:10:600 CD:3:250 DeltaBlue:5:12000
Havlak:2:1500 Json:3:100 Richards:4:100"
# Quick sizes: one iteration, inner counts the ports can verify (Mandelbrot, NBody, CD and
# Havlak know their result only for certain sizes).
quick="Bounce:1:100 List:1:100 Mandelbrot:1:1 NBody:1:1 Permute:1:100 Queens:1:100
Sieve:1:100 Storage:1:100 Towers:1:100 CD:1:10 DeltaBlue:1:100 Havlak:1:1 Json:1:1
Richards:1:1"

awfy=""; systems=""; benches=""; runs=""; is_quick=0; mica="$root/build/mica"
csv=""; save=1; machine=""; timeout_s=600
while [ $# -gt 0 ]; do
    case $1 in
        -s|--systems) systems=${2:?}; shift ;;
        --systems=*) systems=${1#*=} ;;
        -b|--benchmarks) benches=${2:?}; shift ;;
        --benchmarks=*) benches=${1#*=} ;;
        -n|--runs) runs=${2:?}; shift ;;
        --runs=*) runs=${1#*=} ;;
        -q|--quick) is_quick=1 ;;
        --mica) mica=${2:?}; shift ;;
        --mica=*) mica=${1#*=} ;;
        --csv) csv=${2:?}; shift ;;
        --csv=*) csv=${1#*=} ;;
        --no-save) save=0 ;;
        --machine) machine=${2:?}; shift ;;
        --machine=*) machine=${1#*=} ;;
        --timeout) timeout_s=${2:?}; shift ;;
        --timeout=*) timeout_s=${1#*=} ;;
        -h|--help) usage; exit 0 ;;
        -*) die "unknown option $1 (see --help)" ;;
        *) [ -z "$awfy" ] || die "one checkout only (got '$awfy' and '$1')"; awfy=$1 ;;
    esac
    shift
done
[ -n "$awfy" ] || { usage >&2; exit 2; }
awfy=$(cd "$awfy" 2>/dev/null && pwd) || die "no such directory: $awfy"
[ -d "$awfy/benchmarks/Java/src" ] && [ -d "$awfy/benchmarks/Lua" ] && [ -d "$awfy/benchmarks/C++/src" ] ||
    die "$awfy does not look like an Are-We-Fast-Yet checkout (no benchmarks/{Java,Lua,C++})"
[ -n "$runs" ] || { [ $is_quick = 1 ] && runs=1 || runs=3; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs takes a positive number, not '$runs'"
[[ $timeout_s =~ ^[1-9][0-9]*$ ]] || die "--timeout takes a number of seconds, not '$timeout_s'"
[ -x "$mica" ] || die "no mica binary at $mica (build it, or pass --mica PATH)"

# Benchmarks: NAME or NAME:ITERATIONS:INNER; a bare NAME takes the mode's size.
defaults=$standard; [ $is_quick = 1 ] && defaults=$quick
bench_list=()
if [ -z "$benches" ]; then
    for b in $defaults; do bench_list+=("$b"); done
else
    for b in ${benches//,/ }; do
        if [[ $b =~ ^[A-Za-z]+:[0-9]+:[0-9]+$ ]]; then bench_list+=("$b"); continue; fi
        found=""
        for d in $defaults; do [ "${d%%:*}" = "$b" ] && found=$d; done
        [ -n "$found" ] || die "unknown benchmark '$b' (known: $(echo $defaults | sed 's/:[0-9]*:[0-9]*//g'))"
        bench_list+=("$found")
    done
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM   # so that the EXIT trap cleans up

explicit=0; [ -n "$systems" ] && explicit=1
[ -n "$systems" ] || systems=${all_systems// /,}
sys_list=()
skip() {  # system, reason: fatal when the system was asked for by name
    [ $explicit = 1 ] && die "$1: $2"
    echo "note: skipping $1: $2" >&2
}
for s in ${systems//,/ }; do
    case " $all_systems " in *" $s "*) ;; *) die "unknown system '$s' (known: $all_systems)" ;; esac
done

# ---- build every system's programs --------------------------------------------------------
echo "Building ..." >&2
jit_flag=0
"$mica" build -d "$work/mica" "$here" >"$work/log" 2>&1 || { cat "$work/log" >&2; die "mica build failed"; }
# Does this mica accept --jit? (Run a one-iteration benchmark each way.)
if "$mica" run --jit=off -cp "$work/mica" Harness Sieve 1 1 >/dev/null 2>&1; then jit_flag=1; fi
have() { command -v "$1" >/dev/null 2>&1; }
for s in ${systems//,/ }; do
    case $s in
        mica-interp) sys_list+=("$s") ;;
        mica-jit)
            if [ $jit_flag = 0 ]; then skip "$s" "this mica has no --jit option"
            elif ! "$mica" run --jit=on -cp "$work/mica" Harness Sieve 1 1 >/dev/null 2>&1; then
                skip "$s" "mica run --jit=on fails"
            else sys_list+=("$s"); fi ;;
        java)
            if ! have javac || ! have java; then skip "$s" "no javac/java"; continue; fi
            mkdir -p "$work/java"
            (cd "$awfy/benchmarks/Java" && javac -nowarn -d "$work/java" $(find src -name '*.java')) \
                >"$work/log" 2>&1 || { cat "$work/log" >&2; die "javac failed"; }
            sys_list+=("$s") ;;
        lua54) if have lua5.4; then sys_list+=("$s"); else skip "$s" "no lua5.4"; fi ;;
        luajit-joff|luajit) if have luajit; then sys_list+=("$s"); else skip "$s" "no luajit"; fi ;;
        cpp)
            if ! have g++; then skip "$s" "no g++"; continue; fi
            # The flags of the suite's C++ build.sh, with g++ and -O2.
            (cd "$awfy/benchmarks/C++" && g++ -O2 -ffp-contract=off -std=c++17 src/harness.cpp \
                src/deltablue.cpp src/memory/object_tracker.cpp src/richards.cpp -o "$work/awfy-cpp") \
                >"$work/log" 2>&1 || { cat "$work/log" >&2; die "g++ failed"; }
            sys_list+=("$s") ;;
    esac
done
[ ${#sys_list[@]} -gt 0 ] || die "no system to run"

label() {
    case $1 in
        mica-interp) [ $jit_flag = 1 ] && echo "mica --jit=off" || echo "mica" ;;
        mica-jit) echo "mica --jit=on" ;;
        java) echo "java" ;;
        lua54) echo "lua5.4" ;;
        luajit-joff) echo "luajit -joff" ;;
        luajit) echo "luajit" ;;
        cpp) echo "c++ -O2" ;;
    esac
}

# Peak resident memory of each run too, when GNU time is there (apt-get install time).
memtime=""; [ -x /usr/bin/time ] && memtime=/usr/bin/time

# run_one SYSTEM NAME ITERATIONS INNER: runs it, prints "SECONDS STATUS PEAK_MIB" (the
# peak resident memory, "-" when not measured).
run_one() {
    local s=$1 dir=$root cmd=()
    case $s in
        mica-interp) cmd=("$mica" run); [ $jit_flag = 1 ] && cmd+=(--jit=off)
                     cmd+=(-cp "$work/mica" Harness) ;;
        mica-jit) cmd=("$mica" run --jit=on -cp "$work/mica" Harness) ;;
        java) cmd=(java -cp "$work/java" Harness) ;;
        lua54) dir=$awfy/benchmarks/Lua; cmd=(lua5.4 harness.lua) ;;
        luajit-joff) dir=$awfy/benchmarks/Lua; cmd=(luajit -joff harness.lua) ;;
        luajit) dir=$awfy/benchmarks/Lua; cmd=(luajit harness.lua) ;;
        cpp) cmd=("$work/awfy-cpp") ;;
    esac
    local t0 t1 rc=0 wrap=()
    rm -f "$work/rss"
    [ -z "$memtime" ] || wrap=("$memtime" -f %M -o "$work/rss")
    t0=${EPOCHREALTIME/[.,]/}
    (cd "$dir" && exec timeout "$timeout_s" "${wrap[@]}" "${cmd[@]}" "$2" "$3" "$4") >"$work/out" 2>&1 || rc=$?
    t1=${EPOCHREALTIME/[.,]/}
    local kib; kib=$(tail -n 1 "$work/rss" 2>/dev/null || true)
    [[ $kib =~ ^[0-9]+$ ]] || kib=""
    local status=ok
    if [ $rc = 124 ]; then status=timeout
    elif [ $rc != 0 ]; then status=failed; fi
    if [ $status != ok ]; then
        { echo "$s $2 $3 $4: $status (exit $rc)"; tail -n 5 "$work/out"; } >>"$work/failures"
    fi
    awk -v a="$t0" -v b="$t1" -v st="$status" -v k="$kib" \
        'BEGIN { printf "%.6f %s %s\n", (b - a) / 1e6, st, k == "" ? "-" : sprintf("%.1f", k / 1024) }'
}

# ---- run, round-robin ---------------------------------------------------------------------
commit=$(git -C "$root" rev-parse --short=10 HEAD 2>/dev/null || echo unknown)
if [ "$commit" != unknown ] && [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    commit="$commit-dirty"
fi
[ -n "$machine" ] || machine="$(hostname -s 2>/dev/null || uname -n)-$(nproc 2>/dev/null || echo 1)cpu"
machine=${machine//[^A-Za-z0-9._-]/_}
stamp=$(date -u +%Y-%m-%dT%H%MZ)
raw=$work/raw.csv
{
    echo "# Are-We-Fast-Yet, whole-process wall seconds, systems taking turns round-robin"
    echo "# date=$stamp machine=$machine commit=$commit runs=$runs mode=$([ $is_quick = 1 ] && echo quick || echo standard)"
    echo "# cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null | tr ',' ' ')"
    echo "# mica=$("$mica" --version 2>/dev/null | head -n 1 | tr ',' ' ')"
    for s in "${sys_list[@]}"; do
        case $s in
            java) v=$(java -version 2>&1 | head -n 1) ;;
            lua54) v=$(lua5.4 -v 2>&1 | head -n 1) ;;
            luajit*) v=$(luajit -v 2>&1 | head -n 1) ;;
            cpp) v=$(g++ --version | head -n 1) ;;
            *) continue ;;
        esac
        echo "# $s=$(echo "$v" | tr ',' ' ')"
    done
    echo "benchmark,system,label,iterations,inner,run,seconds,status,peak_mib"
} >"$raw"

# Where the raw timings are saved; rows are appended as they are measured, so an
# interrupted run keeps what it measured.
if [ $save = 1 ] && { [ -n "$csv" ] || [ $is_quick = 0 ]; }; then
    [ -n "$csv" ] || { mkdir -p "$root/bench/results"; csv="$root/bench/results/awfy-$stamp-$machine-$commit.csv"; }
    cp "$raw" "$csv" || die "cannot write $csv"
    echo "Raw timings go to $csv" >&2
else
    csv=""
fi

echo "Running ${#bench_list[@]} benchmarks x ${#sys_list[@]} systems x $runs runs ..." >&2
for b in "${bench_list[@]}"; do
    IFS=: read -r name iters inner <<<"$b"
    for ((r = 1; r <= runs; r++)); do
        for s in "${sys_list[@]}"; do
            read -r secs status mib < <(run_one "$s" "$name" "$iters" "$inner")
            [ "$mib" != - ] || mib=""
            row="$name,$s,$(label "$s"),$iters,$inner,$r,$secs,$status,$mib"
            echo "$row" >>"$raw"
            [ -z "$csv" ] || echo "$row" >>"$csv"
            printf '  %-10s %-14s run %d: %8.3f s %s\n' "$name" "$(label "$s")" "$r" "$secs" \
                "$([ "$status" = ok ] || echo "($status)")" >&2
        done
    done
done

if [ -s "$work/failures" ]; then
    echo "Failed runs (left out of the medians):" >&2
    cat "$work/failures" >&2
fi

# ---- report -------------------------------------------------------------------------------
echo
bash "$root/bench/plot.sh" --table "$raw"

if [ -n "$csv" ]; then
    echo
    echo "Raw timings: $csv (plot and table: bench/plot.sh $csv)"
fi
