# An archive may not define classes of the sealed std package.
# an archive that carries a std class is refused when that class is wanted
mkdir -p shadow/std/core
run build -d classes "$CLI/app"
cp classes/app/Util.mcl shadow/std/core/String.mcl
mkdir -p shadow/app && cp classes/app/Main.mcl classes/app/Util.mcl shadow/app/
run build -o evil.mar --main app.Main shadow
# the class directory's std/core/String.mcl declares app/Util: the build says so
expect_status 1
expect_err_has "declares class app/Util"
run build -o evil.mar --main app.Main classes
expect_status 0
# patch the entry name app/Util.mcl -> std/Util.mcl (same length... 3+1 vs 3+1)
LC_ALL=C sed -i 's|app/Util\.mcl|std/Util\.mcl|g' evil.mar
run run -cp evil.mar std.Util
expect_status 1
expect_err_has "from evil.mar:std/Util.mcl: package std is sealed"
