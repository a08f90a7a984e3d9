#!/usr/bin/env bash
# tools/inline-expectations.sh: turns program tests written the old way, NAME.mica with
# side files (NAME.out, NAME.err, NAME.errhead, NAME.exit, NAME.args, NAME.opts), into
# tests carrying their expectations inline (tests/README.md), and deletes the side files.
#
#   tools/inline-expectations.sh [--git] NAME.mica...
#
# The comments go at the end of the file, so the program's line numbers (and with them
# diagnostics and stack traces) stay as they were. With --git, the side files are
# removed with `git rm`. Converting a test that has no side files changes nothing.
set -euo pipefail

use_git=no
if [ "${1:-}" = "--git" ]; then use_git=yes; shift; fi
[ $# -gt 0 ] || { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

# quote WORD: WORD as the runner's `// args:` parser (xargs) reads it back.
quote() {
    case $1 in
      *\'*) printf '"%s"' "$1" ;;
      *[[:space:]\"\\]*|'') printf "'%s'" "$1" ;;
      *) printf '%s' "$1" ;;
    esac
}

# lines KEYWORD FILE: one `// KEYWORD: LINE` comment per line of FILE; lines that a
# comment cannot hold as they are (trailing blanks, control characters, bytes that
# are not UTF-8) use `// KEYWORD escaped: ...` with backslash escapes.
lines() {
    local kw=$1 file=$2 line
    while IFS= read -r line || [ -n "$line" ]; do
        local utf8=yes
        printf '%s' "$line" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 || utf8=no
        if [[ $utf8 = no || $line =~ [[:space:]]$ || $line =~ [[:cntrl:]] ]]; then
            local esc=${line//\\/\\\\} out='' i c LC_ALL=C
            for ((i = 0; i < ${#esc}; i++)); do
                c=${esc:i:1}
                if [[ $c =~ [[:cntrl:]] || ( $utf8 = no && $c > $'\x7f' ) ]]; then
                    out+=$(printf '\\x%02x' "'$c")
                else
                    out+=$c
                fi
            done
            # trailing blanks as \x20 (tabs are control characters, done above)
            local trail=${out##*[! ]}
            out=${out%"$trail"}${trail// /\\x20}
            printf '// %s escaped: %s\n' "$kw" "$out"
        elif [ -z "$line" ]; then
            printf '// %s:\n' "$kw"
        else
            printf '// %s: %s\n' "$kw" "$line"
        fi
    done <"$file"
}

for src in "$@"; do
    base=${src%.mica}
    [ "$base" != "$src" ] || { echo "inline-expectations: $src is not a .mica file" >&2; exit 2; }
    sides=()
    for ext in opts args out err errhead exit; do
        [ -f "$base.$ext" ] && sides+=("$base.$ext")
    done
    [ ${#sides[@]} -gt 0 ] || continue
    if [ -f "$base.out" ] && [ -s "$base.out" ] && [ "$(tail -c1 "$base.out" | od -An -c | tr -d ' ')" != '\n' ]; then
        echo "inline-expectations: $base.out does not end in a newline: use // expect file:" >&2
        exit 1
    fi
    block=$(
        if [ -f "$base.opts" ]; then
            mapfile -t words <"$base.opts"
            printf '// options:'; for w in "${words[@]}"; do printf ' %s' "$(quote "$w")"; done; echo
        fi
        if [ -f "$base.args" ]; then
            mapfile -t words <"$base.args"
            printf '// args:'; for w in "${words[@]}"; do printf ' %s' "$(quote "$w")"; done; echo
        fi
        [ -f "$base.out" ] && lines expect "$base.out"
        if [ -f "$base.err" ]; then
            lines "expect error" "$base.err"
        elif [ -f "$base.errhead" ]; then
            lines "expect error" "$base.errhead"
            echo "// expect error: ..."
        fi
        if [ -f "$base.exit" ] && [ "$(tr -d '[:space:]' <"$base.exit")" != 0 ]; then
            echo "// expect exit: $(tr -d '[:space:]' <"$base.exit")"
        fi
    )
    # a newline to end the program's last line if it lacks one, then a blank line
    [ -z "$(tail -c1 "$src")" ] || echo >>"$src"
    if [ -n "$block" ]; then printf '\n%s\n' "$block" >>"$src"; fi
    if [ $use_git = yes ]; then
        git rm -q -f -- "${sides[@]}"
    else
        rm -f -- "${sides[@]}"
    fi
done
