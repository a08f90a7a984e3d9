# examples/fib.mica with its default and with a given argument.
run run "$SRC/examples/fib.mica"
expect_status 0
expect_out 'fib(30) = 832040
'
run run "$SRC/examples/fib.mica" 20
expect_status 0
expect_out 'fib(20) = 6765
'
expect_no_err
