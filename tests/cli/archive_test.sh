#!/usr/bin/env bash
# tests/cli/archive_test.sh: command-line tests of .mar archives (spec/archive.md):
# build, run, class paths, requirements, resources, disasm, verify, hostile archives.
#
#   archive_test.sh MICA MKCLASS SOURCE_DIR WORK_DIR CASE
set -u

if [ $# -ne 5 ]; then
    echo "usage: archive_test.sh MICA MKCLASS SOURCE_DIR WORK_DIR CASE" >&2
    exit 2
fi
MICA=$1
MKCLASS=$2
SRC=$3
WORK=$4
CASE=$5
CLI=$SRC/tests/cli

rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK" || exit 1

fail() {
    echo "FAIL [$CASE]: $*" >&2
    echo "--- exit status: $status" >&2
    echo "--- stdout ---" >&2
    cat out.txt >&2
    echo "--- stderr ---" >&2
    cat err.txt >&2
    exit 1
}
run() {
    "$MICA" "$@" >out.txt 2>err.txt
    status=$?
}
expect_status() { [ "$status" -eq "$1" ] || fail "expected exit status $1"; }
expect_out() {
    printf '%s' "$1" >want.txt
    cmp -s want.txt out.txt || fail "stdout differs; expected:
$1"
}
expect_err() {
    printf '%s' "$1" >want.txt
    cmp -s want.txt err.txt || fail "stderr differs; expected:
$1"
}
expect_out_has() { grep -qF -- "$1" out.txt || fail "stdout lacks '$1'"; }
expect_err_has() { grep -qF -- "$1" err.txt || fail "stderr lacks '$1'"; }
expect_no_err() { [ ! -s err.txt ] || fail "stderr should be empty"; }

APP_OUT='app main 2
arg x
arg y z
hello cli
'

build_app_mar() {
    run build -o app.mar "$CLI/app"
    expect_status 0
    expect_no_err
    [ -f app.mar ] || fail "app.mar was not written"
}

case $CASE in
archive_build_run)
    build_app_mar
    if command -v unzip >/dev/null; then # a zip that ordinary tools read (when present)
        unzip -l app.mar >list.txt 2>&1 || fail "unzip cannot list app.mar"
        grep -q "META-INF/MANIFEST" list.txt && grep -q "app/Main.mcl" list.txt &&
            grep -q "app/Util.mcl" list.txt || fail "entries missing: $(cat list.txt)"
        unzip -p app.mar META-INF/MANIFEST >manifest.txt
        printf 'Mica-Archive: 1\nCreated-By: mica 0.1.0\nMain-Class: app.Main\n' >want.txt
        cmp -s want.txt manifest.txt || fail "manifest: $(cat manifest.txt)"
    fi
    run run app.mar x "y z"
    expect_status 0
    expect_out "$APP_OUT"
    expect_no_err
    # from a class directory, with the main class named
    run build -d classes "$CLI/app"
    expect_status 0
    run build -o fromdir.mar --main app.Main classes
    expect_status 0
    run run fromdir.mar x "y z"
    expect_status 0
    expect_out "$APP_OUT"
    # a library archive has no main class
    run build -o lib.mar classes
    expect_status 0
    run run lib.mar
    expect_status 1
    expect_err_has "mica: lib.mar has no main class"
    run build -o bad.mar --main app.Nope classes
    expect_status 1
    expect_err "mica: main class app.Nope is not among the classes built
"
    ;;
archive_reproducible)
    build_app_mar
    mv app.mar first.mar
    sleep 1
    touch "$CLI/app/main.mica" 2>/dev/null
    build_app_mar
    cmp first.mar app.mar || fail "two builds of the same sources differ"
    run build -d classes "$CLI/app"
    run build -o a1.mar --main app.Main classes
    run build -o a2.mar --main app.Main classes
    cmp a1.mar a2.mar || fail "two builds of the same class directory differ"
    ;;
archive_classpath)
    run build -o lib.mar "$CLI/app/util.mica"
    expect_status 0
    mkdir -p src
    cat >src/useutil.mica <<'EOM'
import app.Util;

fun main(args: String[]) {
    println(Util.greet("archive"));
}
EOM
    # compiled against an archive, run from an archive plus a directory
    run build -cp lib.mar -d classes src/useutil.mica
    expect_status 0
    run run -cp lib.mar:classes Useutil
    expect_status 0
    expect_out 'hello archive
'
    expect_no_err
    run run -cp lib.mar src/useutil.mica
    expect_status 0
    expect_out 'hello archive
'
    run run -cp classes Useutil
    expect_status 1
    expect_err_has "app/Util"
    ;;
archive_requires)
    mkdir -p dist
    run build -o dist/lib.mar "$CLI/app/util.mica"
    expect_status 0
    mkdir -p src
    cat >src/useutil.mica <<'EOM'
import app.Util;

fun main(args: String[]) {
    println(Util.greet("requires"));
}
EOM
    run build -cp dist/lib.mar -o dist/app.mar src/useutil.mica
    expect_status 0
    if command -v unzip >/dev/null; then
        unzip -p dist/app.mar META-INF/MANIFEST | grep -qx "Requires: lib.mar" ||
            fail "no Requires line"
    fi
    run run dist/app.mar
    expect_status 0
    expect_out 'hello requires
'
    rm dist/lib.mar
    run run dist/app.mar
    expect_status 1
    expect_err_has "dist/lib.mar: cannot open"
    ;;
archive_resource)
    run build -o res.mar -r "$CLI/resapp/data" "$CLI/resapp/src"
    expect_status 0
    run run res.mar
    expect_status 0
    expect_no_err
    expect_out 'alpha
beta
gamma
bytes: 10 first 65 last 74
exists: true false
missing is null: true
refused: resource ../escape.txt: '"'..'"' in entry name (outside the archive'"'"'s root)
'
    # a class-path directory serves resources too
    run build -d classes "$CLI/resapp/src"
    run run -cp "classes:$CLI/resapp/data" Main
    expect_status 0
    expect_out_has "bytes: 10 first 65 last 74"
    ;;
archive_disasm)
    build_app_mar
    run disasm app.mar
    expect_status 0
    expect_no_err
    expect_out_has "class app/Main"
    expect_out_has "class app/Util"
    run disasm app.mar app.Util
    expect_status 0
    expect_out_has "class app/Util"
    grep -q "class app/Main" out.txt && fail "only app.Util was asked for"
    run disasm app.mar app/Nope
    expect_status 1
    expect_err "mica: app.mar has no class app/Nope
"
    ;;
archive_verify)
    build_app_mar
    run verify app.mar
    expect_status 0
    expect_out '2 classes verified, 0 errors
'
    run build -d classes "$CLI/app"
    run verify classes/app/Main.mcl classes/app/Util.mcl
    expect_status 0
    expect_out '2 classes verified, 0 errors
'
    run verify classes
    expect_status 0
    # two classes that fail verification and one that is fine: both errors listed
    mkdir -p bad
    sed 's/\bMain\b/BadA/g' "$SRC/tests/verify/cases/aaload_on_int_array.mcasm" >a.mcasm
    sed 's/\bMain\b/BadB/g' "$SRC/tests/verify/cases/block_extra_value.mcasm" >b.mcasm
    "$MKCLASS" bad a.mcasm && "$MKCLASS" bad b.mcasm || fail "mkclass failed"
    cp classes/app/Util.mcl bad/ 2>/dev/null
    mkdir -p bad/app && mv bad/Util.mcl bad/app/Util.mcl
    run build -o bad.mar bad
    expect_status 0
    run verify bad.mar
    expect_status 1
    expect_out '3 classes verified, 2 errors
'
    expect_err_has "BadA.main()V @13 aaload: expected [ref-array int], got [[I int]"
    expect_err_has "BadB.main()V @8 end: expected [] on the stack"
    expect_err_has "mica: bad.mar:BadA.mcl: BadA.main()V @13"
    run verify bad/BadA.mcl
    expect_status 1
    expect_err_has "bad/BadA.mcl: BadA.main()V @13 aaload"
    ;;
archive_hostile)
    build_app_mar
    # a bit flip in a class entry's data: CRC mismatch, named
    size=$(wc -c <app.mar)
    cp app.mar flip.mar
    printf '\x00' | dd of=flip.mar bs=1 seek=150 conv=notrunc status=none
    run run flip.mar
    expect_status 1
    expect_err_has "mica: flip.mar: "
    # truncations: never a crash, always a message naming the archive
    for n in 0 10 30 100 $((size / 2)) $((size - 22)) $((size - 1)); do
        head -c "$n" app.mar >cut.mar
        run run cut.mar
        expect_status 1
        expect_err_has "mica: cut.mar: "
        run verify cut.mar
        expect_status 1
        run disasm cut.mar
        expect_status 1
    done
    # an entry outside the root, made with zip(1)-free tools: python's zipfile is not
    # assumed either, so the name is patched in place ("app/Util.mcl" -> "../Util.mcl.")
    cp app.mar up.mar
    LC_ALL=C sed -i 's|app/Util\.mcl|../Util.mcl_|g' up.mar
    run run up.mar
    expect_status 1
    expect_err "mica: up.mar: entry '../Util.mcl_': '..' in entry name (outside the archive's root)
"
    run run -cp up.mar app.Main
    expect_status 1
    expect_err_has "up.mar: entry '../Util.mcl_'"
    printf 'not a zip' >junk.mar
    run run junk.mar
    expect_status 1
    expect_err_has "mica: junk.mar: not a valid .mar (zip) archive"
    ;;
archive_sealed)
    # an archive that carries a std class is refused when that class is wanted
    mkdir -p shadow/std/core
    run build -d classes "$CLI/app"
    cp classes/app/Util.mcl shadow/std/core/String.mcl
    mkdir -p shadow/app && cp classes/app/Main.mcl classes/app/Util.mcl shadow/app/
    run build -o evil.mar --main app.Main shadow
    # the class directory's std/core/String.mcl declares app/Util: the build says so
    expect_status 1
    expect_err_has "declares class app/Util"
    run build -o evil.mar --main app.Main classes
    expect_status 0
    # patch the entry name app/Util.mcl -> std/Util.mcl (same length... 3+1 vs 3+1)
    LC_ALL=C sed -i 's|app/Util\.mcl|std/Util\.mcl|g' evil.mar
    run run -cp evil.mar std.Util
    expect_status 1
    expect_err_has "from evil.mar:std/Util.mcl: package std is sealed"
    ;;
*)
    echo "archive_test.sh: unknown case '$CASE'" >&2
    exit 2
    ;;
esac
exit 0
