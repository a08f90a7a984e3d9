#!/usr/bin/env bash
# tests/tools/profile/profile_test.sh MICA SOURCE_DIR WORK CASE: mica run --profile.
# hot.mica spends its time in spin (hundreds of milliseconds of CPU, so hundreds of
# samples at 1 kHz); the checks need only a few samples, none of them a duration.
#   folded  --profile=FILE: folded stacks "Hot.main;Hot.work;Hot.spin N", spin first by
#           self time in the summary on stderr, the program's output unchanged
#   svg     --profile=FILE.svg: a flame graph naming the methods
#   default --profile alone writes mica-profile.folded in the current directory
set -u
mica=$1; src=$2; work=$3; case=$4
prog=$src/tests/tools/profile/hot.mica
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }
case $case in
    folded)
        "$mica" run --profile=p.folded "$prog" >out 2>err || { cat err; fail "exit $?"; }
        "$mica" run "$prog" >plain || fail "plain run"
        cmp -s out plain || fail "the profiled run printed something else"
        [ -s p.folded ] || fail "no folded stacks"
        # folded stacks: frames joined by ';', the count after the line's last space
        # (a frame name may hold spaces, e.g. the bucket for time outside Mica code)
        grep -Evq '^[^;].* [0-9]+$' p.folded && { cat p.folded; fail "not folded-stack lines"; }
        grep -q '^Hot\.main;Hot\.work;Hot\.spin [0-9]*$' p.folded || { cat p.folded; fail "no main;work;spin stack"; }
        grep -q 'samples of 1 ms CPU time, folded stacks in p.folded' err || { cat err; fail "no summary"; }
        first=$(sed -n '/by self time/{n;p;q}' err)
        case $first in *Hot.spin) ;; *) cat err; fail "spin is not first by self time" ;; esac
        grep -A4 'by total time' err | grep -q 'Hot.main$' || { cat err; fail "main not in the total list"; } ;;
    svg)
        "$mica" run --profile=flame.svg "$prog" >out 2>err || { cat err; fail "exit $?"; }
        grep -q '<svg' flame.svg || fail "not an SVG"
        grep -q 'Hot.spin' flame.svg || fail "spin not in the flame graph" ;;
    default)
        "$mica" run --profile "$prog" >out 2>err || { cat err; fail "exit $?"; }
        [ -s mica-profile.folded ] || fail "no mica-profile.folded" ;;
    *) fail "unknown case $case" ;;
esac
echo "ok: $case"
