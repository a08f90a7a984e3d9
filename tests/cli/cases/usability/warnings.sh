# Warnings: off by default, shown with -W, errors with -Werror.
printf 'fun main() {\n    let unused = 1;\n    println("ok");\n}\n' >w.mica
run run w.mica
expect_status 0
expect_no_err
run run -W w.mica
expect_status 0
expect_out 'ok
'
run build -Werror -d classes w.mica
expect_status 1
[ -e classes ] && fail "-Werror still wrote classes"
expect_err "w.mica:2:9: error: unused variable 'unused'
    let unused = 1;
        ^
help: remove it, or start its name with '_' to keep it
"
