# `mica CMD --help` and `mica help CMD` for every command; `-version`.
for c in run build disasm verify test repl; do
    run "$c" --help
    expect_status 0
    expect_no_err
    expect_out_has "usage: mica $c"
done
run help run
expect_status 0
expect_out_has "usage: mica run"
run -version
expect_status 0
expect_out_has "mica "
