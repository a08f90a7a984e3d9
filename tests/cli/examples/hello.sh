# examples/hello.mica prints its greeting.
run run "$SRC/examples/hello.mica"
expect_status 0
expect_out 'Hello, world!
'
expect_no_err
