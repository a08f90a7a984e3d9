# Class files, archives and resources one byte over their size limits are refused.
# one byte over the class-file limit (64 MiB): refused whole with its size, never
# parsed from a prefix; at the limit exactly the file is read and parsed
build_app
cp -r classes big
truncate -s 67108865 big/app/Main.mcl
run run -cp big app.Main
expect_status 1
expect_err "mica: big/app/Main.mcl: file size 67108865 exceeds the limit of 67108864 bytes
"
truncate -s 67108864 big/app/Main.mcl
run run -cp big app.Main
expect_status 1
grep -q "file size" err.txt && fail "a file at the limit must be parsed"
expect_err_starts "mica: big/app/Main.mcl: "
# an archive one byte over its limit (300 MiB), on the class path
truncate -s 314572801 big.mar
run run -cp big.mar app.Main
expect_status 1
expect_err_has "big.mar: file size 314572801 exceeds the limit of 314572800 bytes"
# a resource one byte over its limit (64 MiB) in a class-path directory
mkdir -p res
truncate -s 67108865 res/big.txt
printf 'import std.io.*;\nfun main() {\n    try { Resource.text("big.txt"); }\n    catch (e: IOError) { println(e.message); }\n}\n' >res.mica
run run -cp res res.mica
expect_status 0
expect_out "resource big.txt: file size 67108865 exceeds the limit of 67108864 bytes
"
