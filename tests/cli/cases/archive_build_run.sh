# `mica build -o app.mar` writes a zip with a manifest that `mica run` runs.
build_app_mar
if command -v unzip >/dev/null; then # a zip that ordinary tools read (when present)
    unzip -l app.mar >list.txt 2>&1 || fail "unzip cannot list app.mar"
    grep -q "META-INF/MANIFEST" list.txt && grep -q "app/Main.mcl" list.txt &&
        grep -q "app/Util.mcl" list.txt || fail "entries missing: $(cat list.txt)"
    unzip -p app.mar META-INF/MANIFEST >manifest.txt
    printf 'Mica-Archive: 1\nCreated-By: mica 0.1.0\nMain-Class: app.Main\n' >want.txt
    cmp -s want.txt manifest.txt || fail "manifest: $(cat manifest.txt)"
fi
run run app.mar x "y z"
expect_status 0
expect_out "$APP_OUT"
expect_no_err
# from a class directory, with the main class named
run build -d classes "$CLI/app"
expect_status 0
run build -o fromdir.mar --main app.Main classes
expect_status 0
run run fromdir.mar x "y z"
expect_status 0
expect_out "$APP_OUT"
# a library archive has no main class
run build -o lib.mar classes
expect_status 0
run run lib.mar
expect_status 1
expect_err_has "mica: lib.mar has no main class"
run build -o bad.mar --main app.Nope classes
expect_status 1
expect_err "mica: main class app.Nope is not among the classes built
"
