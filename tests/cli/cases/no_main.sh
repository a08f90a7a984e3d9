# A program without a main function is refused with a clear message.
cp "$CLI/nomain/lib.mica" lib.mica
run run lib.mica
expect_status 1
expect_err 'mica: no main function in lib.mica
'
