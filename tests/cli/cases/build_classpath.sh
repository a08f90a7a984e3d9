# A program compiled against classes built earlier, found through -cp.
# a program compiled against classes built earlier, found through -cp
build_app
mkdir -p src
cat >src/useutil.mica <<'EOF'
import app.Util;

fun main(args: String[]) {
    println(Util.greet("class path"));
}
EOF
run run -cp classes src/useutil.mica
expect_status 0
expect_out 'hello class path
'
run build -cp classes -d out src/useutil.mica
expect_status 0
[ -f out/Useutil.mcl ] || fail "out/Useutil.mcl was not written"
run run -cp out:classes Useutil
expect_status 0
expect_out 'hello class path
'
