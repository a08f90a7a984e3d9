#!/bin/bash
# tools/check_library_doc.sh: checks that the library reference (doc/library/*.md)
# has an entry for every public class, method and field of the compiled standard
# library.
#
#   check_library_doc.sh MICA CLASS_DIR DOC_DIR
#
# MICA is the mica command (its `disasm` lists members), CLASS_DIR the compiled
# standard library (build/stdlib), DOC_DIR the reference. A class is documented by
# a level-2 heading naming it in backticks (## `std.util.Random`); each of its
# non-private members by its name in backticks in that section (`nextInt(bound)`,
# `MAX`, `Random.nextInt`); constructors taking arguments are written `init(...)`. A class that is
# an implementation detail is listed instead on a line "- internal: `std.x.Name`".
# Prints every missing entry and exits 1 if there is any.
set -u
mica=$1
classes=$2
docs=$3
if [ ! -x "$mica" ] || [ ! -d "$classes" ] || [ ! -d "$docs" ]; then
    echo "usage: $0 MICA CLASS_DIR DOC_DIR" >&2
    exit 2
fi
all_docs=$(cat "$docs"/*.md)
missing=0
checked=0
while IFS= read -r file; do
    rel=${file#"$classes"/}
    rel=${rel%.mcl}
    case $rel in *'$'*) continue ;; esac
    qname=${rel//\//.}
    checked=$((checked + 1))
    if grep -qF -- "- internal: \`$qname\`" <<<"$all_docs"; then
        continue
    fi
    section=$(awk -v h="\`$qname\`" '
        /^## / { on = index($0, h) > 0; next }
        on { print }' <<<"$all_docs")
    if ! grep -q "^## .*\`$qname\`" <<<"$all_docs"; then
        echo "missing class: $qname (add a section \"## \`$qname\`\" to a file of $docs)"
        missing=$((missing + 1))
        continue
    fi
    names=$("$mica" disasm "$file" | awk '
        /^(Fields|Methods) \(/ { on = 1; next }
        /^[A-Za-z]/ { on = 0 }
        on && /^  [^ ]/ {
            line = $0
            if (line ~ /(^|[ ])private /) next
            sub(/^  /, "", line)
            while (line ~ /^(static|native|abstract|final|synchronized|bridge|synthetic|varargs) /)
                sub(/^[a-z]+ /, "", line)
            name = line
            sub(/[(:].*$/, "", name)
            if (name == "<clinit>" || line == "<init>()V") next
            if (name == "<init>") name = "init"
            print name
        }' | sort -u)
    for n in $names; do
        if ! grep -qE "(\`|\`[A-Za-z]+\.)$n([(\`:<, ]|\$)" <<<"$section"; then
            echo "missing member: $qname.$n (name it in backticks in the \"## \`$qname\`\" section)"
            missing=$((missing + 1))
        fi
    done
done < <(find "$classes" -name '*.mcl' | sort)
if [ "$checked" -eq 0 ]; then
    echo "no classes found under $classes"
    exit 1
fi
if [ "$missing" -gt 0 ]; then
    echo "$missing entries missing from the library reference ($checked classes checked)"
    exit 1
fi
echo "library reference complete: $checked classes"
