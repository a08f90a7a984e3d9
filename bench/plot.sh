#!/usr/bin/env bash
# bench/plot.sh: render the raw timings of bench/awfy/compare.sh as a plot and a table.
#
#   bench/plot.sh CSV [OUT]      write OUT.svg (gnuplot) and OUT.md (Markdown tables);
#                                OUT defaults to CSV without its .csv
#   bench/plot.sh --table CSV    print the Markdown tables only (no gnuplot needed)
#
# The tables give each benchmark's median seconds per system and its time divided by
# Java's (or the first system's, without Java), with the geometric mean of those ratios
# over the benchmarks both ran; when the file has each run's peak resident memory
# (column peak_mib), a third table gives the largest per benchmark and system. The plot draws the same ratios as bars, one group per
# benchmark, on a log scale. Needs awk, and gnuplot for the SVG (apt-get install gnuplot-nox).
set -euo pipefail
export LC_ALL=C

table_only=0
if [ "${1:-}" = "--table" ]; then table_only=1; shift; fi
[ $# -ge 1 ] && [ $# -le 2 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
csv=$1
[ -r "$csv" ] || { echo "plot.sh: cannot read $csv" >&2; exit 2; }
out=${2:-${csv%.csv}}

# One awk pass: medians per benchmark and system, ratios to the baseline, geomeans.
# mode "md" prints the Markdown; mode "dat" prints a gnuplot data file of the ratios.
summarize() {
    awk -F, -v mode="$1" '
    function median(key,   n, i, j, t, v) {
        n = cnt[key]; if (n == 0) return "";
        for (i = 1; i <= n; i++) v[i] = val[key, i];
        for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t; }
        return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2;
    }
    function fmt(x) { return x >= 10 ? sprintf("%.1f", x) : x >= 0.1 ? sprintf("%.2f", x) : sprintf("%.3f", x); }
    /^#/ { if ($0 ~ /date=/) meta = substr($0, 3); next }
    $1 == "benchmark" { next }
    NF >= 8 {
        b = $1; s = $2;
        if (!(b in bseen)) { bseen[b] = 1; bs[++nb] = b; size[b] = $4 "x" $5 }
        if (!(s in sseen)) { sseen[s] = 1; ss[++ns] = s; lab[s] = $3 }
        maxrun = $6 > maxrun ? $6 : maxrun;
        if ($8 == "ok") { k = b SUBSEP s; val[k, ++cnt[k]] = $7 }
        else failed[b, s] = 1;
        if ($8 == "ok" && $9 != "" && (!((b, s) in peak) || $9 + 0 > peak[b, s])) { peak[b, s] = $9 + 0; npeak++ }
    }
    END {
        if (nb == 0) { print "plot.sh: no timings in the file" > "/dev/stderr"; exit 1 }
        base = ss[1]; for (i = 1; i <= ns; i++) if (ss[i] == "java") base = "java";
        for (i = 1; i <= nb; i++) for (j = 1; j <= ns; j++) med[bs[i], ss[j]] = median(bs[i] SUBSEP ss[j]);
        for (j = 1; j <= ns; j++) {
            s = ss[j]; lsum = 0; n = 0;
            for (i = 1; i <= nb; i++) {
                m = med[bs[i], s]; bm = med[bs[i], base];
                if (m != "" && bm != "" && bm > 0 && m > 0) { r[bs[i], s] = m / bm; lsum += log(m / bm); n++ }
            }
            geo[s] = n ? exp(lsum / n) : ""; geon[s] = n;
        }
        if (mode == "dat") {
            printf "benchmark";
            for (j = 1; j <= ns; j++) printf "\t\"%s\"", lab[ss[j]];
            printf "\n";
            for (i = 1; i <= nb; i++) {
                printf "%s", bs[i];
                for (j = 1; j <= ns; j++) printf "\t%s", ((bs[i], ss[j]) in r) ? r[bs[i], ss[j]] : "?";
                printf "\n";
            }
            printf "geomean";
            for (j = 1; j <= ns; j++) printf "\t%s", geo[ss[j]] != "" ? geo[ss[j]] : "?";
            printf "\n";
            exit 0;
        }
        print "Whole-process wall seconds, median of " maxrun " run" (maxrun > 1 ? "s" : "") ", systems taking turns in one run (" meta ")."
        print "";
        printf "| benchmark | size |"; for (j = 1; j <= ns; j++) printf " %s |", lab[ss[j]]; printf "\n";
        printf "| --- | --- |"; for (j = 1; j <= ns; j++) printf " ---: |"; printf "\n";
        for (i = 1; i <= nb; i++) {
            printf "| %s | %s |", bs[i], size[bs[i]];
            for (j = 1; j <= ns; j++) {
                m = med[bs[i], ss[j]];
                printf " %s |", m != "" ? fmt(m) : ((bs[i], ss[j]) in failed ? "failed" : "-");
            }
            printf "\n";
        }
        printf "| **geomean ÷ %s** | |", lab[base];
        for (j = 1; j <= ns; j++) printf " %s |", geo[ss[j]] != "" ? "**" fmt(geo[ss[j]]) "**" : "-";
        printf "\n\n";
        print "Time ÷ " lab[base] " (lower is faster):";
        print "";
        printf "| benchmark |"; for (j = 1; j <= ns; j++) printf " %s |", lab[ss[j]]; printf "\n";
        printf "| --- |"; for (j = 1; j <= ns; j++) printf " ---: |"; printf "\n";
        for (i = 1; i <= nb; i++) {
            printf "| %s |", bs[i];
            for (j = 1; j <= ns; j++) printf " %s |", ((bs[i], ss[j]) in r) ? fmt(r[bs[i], ss[j]]) : "-";
            printf "\n";
        }
        printf "| **geomean** |";
        for (j = 1; j <= ns; j++) printf " %s |", geo[ss[j]] != "" ? "**" fmt(geo[ss[j]]) "**" : "-";
        printf "\n";
        for (j = 1; j <= ns; j++) if (geon[ss[j]] && geon[ss[j]] < nb)
            printf "\n%s: geomean over the %d benchmark(s) it and %s both ran.\n", lab[ss[j]], geon[ss[j]], lab[base];
        if (npeak) {
            print "";
            print "Peak resident memory, MiB (the largest of the runs):";
            print "";
            printf "| benchmark |"; for (j = 1; j <= ns; j++) printf " %s |", lab[ss[j]]; printf "\n";
            printf "| --- |"; for (j = 1; j <= ns; j++) printf " ---: |"; printf "\n";
            for (i = 1; i <= nb; i++) {
                printf "| %s |", bs[i];
                for (j = 1; j <= ns; j++) printf " %s |", ((bs[i], ss[j]) in peak) ? sprintf("%.1f", peak[bs[i], ss[j]]) : "-";
                printf "\n";
            }
        }
    }' "$csv"
}

if [ $table_only = 1 ]; then summarize md; exit 0; fi

command -v gnuplot >/dev/null || { echo "plot.sh: gnuplot not found (apt-get install gnuplot-nox)" >&2; exit 2; }
summarize md >"$out.md"
dat=$(mktemp)
trap 'rm -f "$dat"' EXIT
summarize dat >"$dat"
meta=$(sed -n 's/^# \(date=.*\)/\1/p' "$csv" | head -n 1)
base=$(awk -F'\t' 'NR == 1 { for (i = 2; i <= NF; i++) if ($i == "\"java\"") { print "java"; exit } gsub(/"/, "", $2); print $2; exit }' "$dat")
nsys=$(awk -F'\t' 'NR == 1 { print NF - 1; exit }' "$dat")
nrow=$(awk 'END { print NR - 1 }' "$dat")
# Columns to draw: every system but the baseline (its bars would all be 1, the dashed line).
cols=$(awk -F'\t' -v b="\"$base\"" 'NR == 1 { for (i = 2; i <= NF; i++) if ($i != b) printf "%d ", i; exit }' "$dat")
# Lowest ratio, rounded down to a power of ten, so no bar is cut off.
ymin=$(awk -F'\t' 'NR > 1 { for (i = 2; i <= NF; i++) if ($i != "?" && $i > 0 && (m == "" || $i < m)) m = $i }
    END { if (m == "" || m > 0.5) m = 0.5; p = 1; while (p > m) p /= 10; print p }' "$dat")
width=$((nrow * (nsys * 14 + 30) + 200)); [ $width -lt 800 ] && width=800

gnuplot <<EOF
set terminal svg size $width,520 dynamic enhanced font "sans,12" background rgb "white"
set output "$out.svg"
set datafile separator "\t"
set datafile missing "?"
set title "Are-We-Fast-Yet: time ÷ $base per benchmark (lower is faster; log scale; dashed line = $base)\n$meta" noenhanced
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set yrange [$ymin:*]
set grid ytics
set ylabel "time ÷ $base"
set xtics out nomirror noenhanced
set key top left horizontal noenhanced
set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 1.5 dt 2 lc rgb "black" front
plot for [i in "$cols"] "$dat" using int(i):xtic(1) title columnheader(int(i))
EOF
cat "$out.md"
echo
echo "Wrote $out.svg and $out.md"
