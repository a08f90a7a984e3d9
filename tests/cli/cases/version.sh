# `mica --version` prints the version and the class-file version.
run --version
expect_status 0
expect_out 'mica 0.1.0 (class file version 1.0)
'
expect_no_err
