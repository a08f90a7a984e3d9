#!/usr/bin/env bash
# tests/tools/bench/bench_test.sh SOURCE_DIR WORK CASE: the benchmark report scripts on fixed
# input (no benchmark is run, nothing is timed).
#   plot_table   bench/plot.sh --table renders sample.csv as sample.md (medians, failed
#                runs left out, ratios to java, geomeans)
#   plot_svg     bench/plot.sh writes an SVG naming every benchmark and system (needs gnuplot)
#   plot_memory  with each run's peak memory (column peak_mib), a third table gives the
#                largest per benchmark and system; failed runs and empty cells left out
#   compare_args bench/awfy/compare.sh rejects a folder that is no AWFY checkout, an unknown
#                benchmark or system, with exit status 2 and a message
set -u
src=$1; work=$2; case=$3
here=$src/tests/tools/bench
rm -rf "$work" && mkdir -p "$work" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }
case $case in
    plot_table)
        bash "$src/bench/plot.sh" --table "$here/sample.csv" >"$work/out.md" || fail "plot.sh exited $?"
        diff -u "$here/sample.md" "$work/out.md" || fail "table differs" ;;
    plot_svg)
        command -v gnuplot >/dev/null || { echo "gnuplot not installed"; exit 77; }
        cp "$here/sample.csv" "$work/r.csv"
        bash "$src/bench/plot.sh" "$work/r.csv" >/dev/null || fail "plot.sh exited $?"
        [ -s "$work/r.svg" ] && [ -s "$work/r.md" ] || fail "no r.svg / r.md"
        grep -q '<svg' "$work/r.svg" || fail "not an SVG"
        for w in Bounce Sieve 'mica --jit=off' lua5.4 'commit=0123456789'; do
            grep -qF "$w" "$work/r.svg" || fail "SVG does not mention $w"
        done
        diff -u "$here/sample.md" "$work/r.md" || fail "r.md differs" ;;
    plot_memory)
        {
            echo "# date=2026-11-30T0300Z machine=m-2cpu commit=0123456789 runs=2 mode=standard"
            echo "benchmark,system,label,iterations,inner,run,seconds,status,peak_mib"
            echo "Sieve,mica-interp,mica --jit=off,5,3000,1,10.0,ok,3.4"
            echo "Sieve,luajit,luajit,5,3000,1,2.0,ok,2.9"
            echo "Sieve,mica-interp,mica --jit=off,5,3000,2,11.0,ok,3.6"
            echo "Sieve,luajit,luajit,5,3000,2,2.0,failed,99.0"
            echo "List,mica-interp,mica --jit=off,12,1500,1,30.0,ok,"
            echo "List,luajit,luajit,12,1500,1,9.0,ok,12.25"
        } >"$work/m.csv"
        bash "$src/bench/plot.sh" --table "$work/m.csv" >"$work/out.md" || fail "plot.sh exited $?"
        grep -qF "Peak resident memory, MiB" "$work/out.md" || fail "no memory table"
        grep -qxF "| Sieve | 3.6 | 2.9 |" "$work/out.md" || { cat "$work/out.md"; fail "Sieve's row"; }
        grep -qxF "| List | - | 12.2 |" "$work/out.md" || { cat "$work/out.md"; fail "List's row"; }
        bash "$src/bench/plot.sh" --table "$here/sample.csv" | grep -qF "Peak resident" &&
            fail "a memory table without memory figures"
        ;;
    compare_args)
        mkdir -p "$work/notawfy"
        expect() {  # STATUS MESSAGE-PART ARGS...
            local want=$1 msg=$2; shift 2
            bash "$src/bench/awfy/compare.sh" "$@" >"$work/out" 2>"$work/err"; local rc=$?
            [ $rc = "$want" ] || fail "compare.sh $*: exit $rc, wanted $want"
            grep -qF -- "$msg" "$work/err" || { cat "$work/err"; fail "compare.sh $*: no '$msg'"; }
        }
        mkdir -p "$work/fake/benchmarks/Java/src" "$work/fake/benchmarks/Lua" "$work/fake/benchmarks/C++/src"
        expect 2 "does not look like an Are-We-Fast-Yet checkout" "$work/notawfy"
        expect 2 "no such directory" "$work/missing"
        expect 2 "unknown benchmark 'Nope'" "$work/fake" -b Nope --mica /bin/true
        expect 2 "unknown system 'cobol'" "$work/fake" -s cobol --mica /bin/true
        expect 2 "--runs takes a positive number" "$work/fake" -n 0
        expect 2 "unknown option --frobnicate" "$work/fake" --frobnicate
        bash "$src/bench/awfy/compare.sh" --help | grep -qF "compare.sh AWFY_CHECKOUT" || fail "--help" ;;
    *) fail "unknown case $case" ;;
esac
echo "ok: $case"
