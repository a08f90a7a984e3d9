#!/usr/bin/env bash
# tests/fuzz/campaign.sh: one fuzzing campaign over every fuzz target.
#
#   tests/fuzz/campaign.sh MINUTES [BUILD_DIR]
#
# Builds (or reuses) a clang libFuzzer build in BUILD_DIR (default: build-fuzz at the
# repository root), makes the seed corpora from the test programs (make_corpus.sh),
# then runs each target for MINUTES minutes, one after the other on one core (nice),
# starting from the seeds, the kept corpus tests/fuzz/corpus/<target>/ and the
# regression inputs tests/fuzz/regressions/<target>/. Prints per target the executions,
# the coverage and the findings. Then the kept corpus is remade: the inputs (old kept
# ones and this campaign's) that add coverage beyond the generated seeds, minimized by
# libFuzzer's merge, each at most KEEP_MAX_BYTES (default 4096) - so
# tests/fuzz/corpus/<target>/ holds only what the seeds do not already cover (commit
# it: the corpus grows campaign by campaign, and CTest replays it);
# a crash, timeout or out-of-memory input is left in BUILD_DIR/fuzz-findings/<target>/:
# fix it, then keep it as tests/fuzz/regressions/<target>/<name>. Exits 1 if any
# target found something. Record the figures in tests/fuzz/README.md.
set -uo pipefail
minutes=${1:?usage: campaign.sh MINUTES [BUILD_DIR]}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${2:-$root/build-fuzz}
case $build in /*) ;; *) build=$PWD/$build ;; esac
targets=(reader verify run compile)
declare -A seeds=([reader]=classes [verify]=classes [run]=classes [compile]=sources)

if ! command -v clang >/dev/null; then
    echo "campaign.sh: clang is needed (apt-get install clang)" >&2
    exit 2
fi
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DMICA_FUZZ=ON >/dev/null &&
    cmake --build "$build" -j2 --target mica_cli $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null ||
    { echo "campaign.sh: the fuzz build failed" >&2; exit 2; }
corpus=$build/fuzz-seeds
bash "$root/tests/fuzz/make_corpus.sh" "$build/mica" "$root" "$corpus" || exit 2

keep_max=${KEEP_MAX_BYTES:-4096}
seconds=$(awk -v m="$minutes" 'BEGIN { s = int(m * 60); print (s < 1 ? 1 : s) }')
found_any=0
printf '%-8s %12s %8s %8s %9s\n' target executions exec/s cov findings
for t in "${targets[@]}"; do
    work=$build/fuzz-work/$t findings=$build/fuzz-findings/$t keep=$root/tests/fuzz/corpus/$t
    rm -rf "$work"
    mkdir -p "$work" "$findings" "$keep"
    dirs=("$work" "$corpus/${seeds[$t]}" "$keep")
    [ "$t" = run ] && dirs+=("$corpus/archives")
    [ -d "$root/tests/fuzz/regressions/$t" ] && dirs+=("$root/tests/fuzz/regressions/$t")
    log=$build/fuzz-$t.log
    if [ ! -x "$build/tests/fuzz/fuzz_$t" ]; then
        echo "campaign.sh: $build/tests/fuzz/fuzz_$t was not built" >&2
        exit 2
    fi
    ASAN_OPTIONS=detect_leaks=0 nice "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1 \
        -artifact_prefix="$findings/" "${dirs[@]}" >"$log" 2>&1
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    n=$(find "$findings" -type f | wc -l)
    [ "$n" -gt 0 ] && found_any=1
    printf '%-8s %12s %8s %8s %9s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$n"
    # keep what adds coverage beyond the seeds: merge the seeds into an empty directory
    # (their coverage, minimized), then the kept and new inputs on top; what the second
    # merge added is the new kept corpus
    merged=$build/fuzz-merge/$t
    rm -rf "$merged" && mkdir -p "$merged/all" "$merged/small"
    seed_dirs=("$corpus/${seeds[$t]}")
    [ "$t" = run ] && seed_dirs+=("$corpus/archives")
    merge() {
        nice "$build/tests/fuzz/fuzz_$t" -merge=1 -timeout=10 -rss_limit_mb=2048 \
            -detect_leaks=0 "$merged/all" "$@" >>"$log" 2>&1
    }
    # inputs over the size limit are left out (a -max_len would cut them, seeds too)
    find "$keep" "$work" -type f -size -"$((keep_max + 1))"c -exec cp {} "$merged/small/" \;
    if merge "${seed_dirs[@]}" && ls "$merged/all" | sort >"$merged/seeds.txt" &&
        merge "$merged/small"; then
        ls "$merged/all" | sort | comm -13 "$merged/seeds.txt" - >"$merged/new.txt"
        find "$keep" -type f -delete
        while IFS= read -r f; do cp "$merged/all/$f" "$keep/$f"; done <"$merged/new.txt"
        printf '%-8s kept corpus: %s inputs, %s bytes\n' "$t" "$(wc -l <"$merged/new.txt")" \
            "$(find "$keep" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"
    else
        echo "campaign.sh: merging the corpus of $t failed (see $log); it is unchanged" >&2
    fi
done
if [ "$found_any" -ne 0 ]; then
    echo "findings: $build/fuzz-findings/ (logs: $build/fuzz-TARGET.log)"
fi
exit "$found_any"
