# Resources packed into an archive (-r) are read by the program.
run build -o res.mar -r "$CLI/resapp/data" "$CLI/resapp/src"
expect_status 0
run run res.mar
expect_status 0
expect_no_err
expect_out 'alpha
beta
gamma
bytes: 10 first 65 last 74
exists: true false
missing is null: true
refused: resource ../escape.txt: '"'..'"' in entry name (outside the archive'"'"'s root)
'
# a class-path directory serves resources too
run build -d classes "$CLI/resapp/src"
run run -cp "classes:$CLI/resapp/data" Main
expect_status 0
expect_out_has "bytes: 10 first 65 last 74"
