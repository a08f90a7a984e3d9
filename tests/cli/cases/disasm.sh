# `mica disasm` prints the classes and methods of a class file.
build_app
run disasm classes/app/Main.mcl
expect_status 0
expect_no_err
expect_out_has "app/Main"
expect_out_has "main"
