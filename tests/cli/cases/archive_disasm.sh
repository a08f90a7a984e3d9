# `mica disasm` on classes inside an archive.
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
