# Hostile archives (bit flips, truncations, entries outside the root, junk) are refused with errors.
build_app_mar
# a bit flip in a class entry's data: CRC mismatch, named
size=$(wc -c <app.mar)
cp app.mar flip.mar
printf '\x00' | dd of=flip.mar bs=1 seek=150 conv=notrunc status=none
run run flip.mar
expect_status 1
expect_err_has "mica: flip.mar: "
# truncations: never a crash, always a message naming the archive
for n in 0 10 30 100 $((size / 2)) $((size - 22)) $((size - 1)); do
    head -c "$n" app.mar >cut.mar
    run run cut.mar
    expect_status 1
    expect_err_has "mica: cut.mar: "
    run verify cut.mar
    expect_status 1
    run disasm cut.mar
    expect_status 1
done
# an entry outside the root, made with zip(1)-free tools: python's zipfile is not
# assumed either, so the name is patched in place ("app/Util.mcl" -> "../Util.mcl.")
cp app.mar up.mar
LC_ALL=C sed -i 's|app/Util\.mcl|../Util.mcl_|g' up.mar
run run up.mar
expect_status 1
expect_err "mica: up.mar: entry '../Util.mcl_': '..' in entry name (outside the archive's root)
"
run run -cp up.mar app.Main
expect_status 1
expect_err_has "up.mar: entry '../Util.mcl_'"
printf 'not a zip' >junk.mar
run run junk.mar
expect_status 1
expect_err_has "mica: junk.mar: not a valid .mar (zip) archive"
