# A file that is neither a source nor an archive is refused with an explanation.
printf 'println("hi");\n' >hello.txt
run run hello.txt
expect_status 1
expect_err 'mica: hello.txt is not a Mica source file: sources end in .mica (or start with a #! line), archives in .mar; anything else names a class
'
run hello.txt
expect_status 1
expect_err 'mica: hello.txt is not a Mica source file: sources end in .mica (or start with a #! line), archives in .mar; anything else names a class
'
