# An archive's requirements (Requires:) are checked when it runs.
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
