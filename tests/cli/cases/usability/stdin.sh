# A program read from standard input (`-`).
write_hello
"$MICA" - a <hello.mica >out.txt 2>err.txt
status=$?
expect_status 0
expect_out 'hello 1
'
"$MICA" run - <hello.mica >out.txt 2>err.txt
status=$?
expect_out 'hello 0
'
