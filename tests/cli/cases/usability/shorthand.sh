# `mica FILE.mica ARGS` is short for `mica run FILE.mica ARGS`.
write_hello
run hello.mica a b
expect_status 0
expect_out 'hello 2
'
expect_no_err
