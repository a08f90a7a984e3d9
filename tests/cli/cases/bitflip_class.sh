# A class file with a corrupted version or magic is refused with an error.
build_app
# byte 5 is the low byte of the major version: 1 -> 3
corrupt 5 3
run run -cp broken app.Main
expect_status 1
expect_err_starts "mica: "
expect_err_has "version"
# byte 0 is the first byte of the magic: 0x4D -> 0x4C
corrupt 0 76
run run -cp broken app.Main
expect_status 1
expect_err_starts "mica: "
run disasm broken/app/Main.mcl
expect_status 1
expect_err_starts "mica: "
