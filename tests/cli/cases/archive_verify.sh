# `mica verify` checks every class of an archive and names the bad ones.
build_app_mar
run verify app.mar
expect_status 0
expect_out '2 classes verified, 0 errors
'
run build -d classes "$CLI/app"
run verify classes/app/Main.mcl classes/app/Util.mcl
expect_status 0
expect_out '2 classes verified, 0 errors
'
run verify classes
expect_status 0
# two classes that fail verification and one that is fine: both errors listed
mkdir -p bad
sed 's/\bMain\b/BadA/g' "$SRC/tests/verify/cases/aaload_on_int_array.mcasm" >a.mcasm
sed 's/\bMain\b/BadB/g' "$SRC/tests/verify/cases/block_extra_value.mcasm" >b.mcasm
"$MKCLASS" bad a.mcasm && "$MKCLASS" bad b.mcasm || fail "mkclass failed"
cp classes/app/Util.mcl bad/ 2>/dev/null
mkdir -p bad/app && mv bad/Util.mcl bad/app/Util.mcl
run build -o bad.mar bad
expect_status 0
run verify bad.mar
expect_status 1
expect_out '3 classes verified, 2 errors
'
expect_err_has "BadA.main()V @13 aaload: expected [ref-array int], got [[I int]"
expect_err_has "BadB.main()V @8 end: expected [] on the stack"
expect_err_has "mica: bad.mar:BadA.mcl: BadA.main()V @13"
run verify bad/BadA.mcl
expect_status 1
expect_err_has "bad/BadA.mcl: BadA.main()V @13 aaload"
