# Archives on the class path, beside directories.
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
