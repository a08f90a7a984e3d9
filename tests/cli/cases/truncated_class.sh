# Every truncation of a class file is refused with an error, never a crash.
build_app
rm -rf broken
cp -r classes broken
head -c 20 classes/app/Main.mcl >broken/app/Main.mcl
run run -cp broken app.Main
expect_status 1
expect_err_starts "mica: "
run disasm broken/app/Main.mcl
expect_status 1
expect_err_starts "mica: "
# every shorter prefix fails cleanly too
size=$(wc -c <classes/app/Main.mcl)
for n in 0 1 4 8 9 $((size / 2)) $((size - 1)); do
    head -c "$n" classes/app/Main.mcl >broken/app/Main.mcl
    run run -cp broken app.Main
    expect_status 1
    expect_err_starts "mica: "
done
