# A source file that does not exist: a one-line error, exit 1.
run run nosuch.mica
expect_status 1
expect_err 'mica: cannot read nosuch.mica: No such file or directory
'
[ ! -s out.txt ] || fail "stdout should be empty"
