# A class-path file posing as a standard-library class is refused (std is sealed).
# a class-path file named like a library class: the compiler keeps compiling
# against the embedded library and the VM refuses the file, naming it
mkdir -p shadow/std/core
printf 'not a class file' >shadow/std/core/String.mcl
run run -cp shadow "$SRC/examples/hello.mica"
expect_status 1
expect_err "mica: $SRC/examples/hello.mica: Hello.main([Lstd/core/String;)V: local 0: class std/core/String from shadow/std/core/String.mcl: package std is sealed, only the embedded standard library defines its classes
"
