# Unknown commands and options, missing operands: exit 2 with a usage message.
run frobnicate
expect_status 2
expect_err_starts "mica: unknown command 'frobnicate'"
expect_err_has "usage:"
[ ! -s out.txt ] || fail "stdout should be empty"
run
expect_status 2
run run
expect_status 2
expect_err_starts "mica: "
run run --bogus "$CLI/app/main.mica"
expect_status 2
expect_err_starts "mica: unknown option '--bogus'"
run build "$CLI/app/main.mica"
expect_status 2
run build -d
expect_status 2
run disasm
expect_status 2
