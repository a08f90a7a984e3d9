# A compile error: file:line diagnostics, exit 1, and `build` writes nothing.
cp "$CLI/bad/broken.mica" broken.mica
run run broken.mica
expect_status 1
expect_err_starts "broken.mica:3:"
expect_err_has "error:"
[ ! -s out.txt ] || fail "stdout should be empty"
run build -d classes broken.mica
expect_status 1
[ ! -e classes ] || fail "a failed build must not write classes"
