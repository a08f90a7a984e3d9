#!/bin/sh
# tools/check_file_cycles.sh: checks that the object files given (one component's
# .c files) call each other in one direction only: no circle of files, where file A
# calls a function file B defines and B, directly or through others, calls A.
# Prints every circle found and exits 1 if there is one.
# Usage: check_file_cycles.sh [nm] file.o...
set -eu
NM=nm
case "${1:-}" in *nm) NM=$1; shift ;; esac
[ $# -gt 0 ] || { echo "usage: $0 [nm] file.o..." >&2; exit 2; }
for o in "$@"; do
    f=$(basename "$o" .o); f=${f%.c}
    "$NM" --defined-only -g "$o" | awk -v f="$f" 'NF == 3 { print "D", f, $3 }'
    "$NM" -u "$o" | awk -v f="$f" '{ print "U", f, $NF }'
done | awk '
$1 == "D" { def[$3] = $2; files[$2] = 1; next }
          { use[NR] = $2 " " $3 }
END {
    for (i in use) {
        split(use[i], p, " ")
        if ((p[2] in def) && def[p[2]] != p[1]) {
            e[p[1], def[p[2]]] = 1
            why[p[1], def[p[2]]] = p[2]
        }
    }
    # transitive closure (a component has a few dozen files)
    for (k in files)
        for (i in files)
            if ((i, k) in e)
                for (j in files)
                    if ((k, j) in e)
                        e[i, j] = 1
    bad = 0
    for (i in files) for (j in files)
        if (i < j && ((i, j) in e) && ((j, i) in e)) {
            printf "circle: %s <-> %s", i, j
            if ((i, j) in why)
                printf " (%s calls %s", i, why[i, j]
            else
                printf " (%s reaches %s", i, j
            if ((j, i) in why)
                printf "; %s calls %s)\n", j, why[j, i]
            else
                printf "; %s reaches %s)\n", j, i
            bad = 1
        }
    exit bad
}'
