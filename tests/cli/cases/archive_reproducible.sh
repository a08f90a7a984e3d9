# Building the same archive twice gives the same bytes.
build_app_mar
mv app.mar first.mar
sleep 1
touch "$CLI/app/main.mica" 2>/dev/null
build_app_mar
cmp first.mar app.mar || fail "two builds of the same sources differ"
run build -d classes "$CLI/app"
run build -o a1.mar --main app.Main classes
run build -o a2.mar --main app.Main classes
cmp a1.mar a2.mar || fail "two builds of the same class directory differ"
