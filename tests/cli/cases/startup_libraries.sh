# `mica` loads libzip (and libcrypto behind it) only when it reads or writes an
# archive, libedit only for the REPL on a terminal, PCRE2 only for a regex,
# utf8proc only for Unicode operations beyond ASCII and GMP only for BigInteger:
# none is linked, so a run that needs none of them does not map them (start-up
# time and memory). The archive cases and the regex, unicode and BigInteger
# program tests check that those still work; the last run below loads PCRE2,
# utf8proc and GMP.
command -v readelf >/dev/null || exit 0
needed=$(readelf -d "$MICA" | grep NEEDED) || fail "readelf cannot read $MICA"
case "$needed" in
    *libzip*|*libcrypto*|*libedit*|*libpcre2*|*libutf8proc*|*libgmp*) fail "mica links what it should load on demand: $needed" ;;
esac
write_hello
run run hello.mica
expect_status 0
expect_out 'hello 0
'
cat > all.mica <<'EOF'
import std.math.BigInteger;
import std.regex.*;
fun main(args: String[]) {
    println(BigInteger.TWO.pow(100));
    println("Grüße".toUpperCase() + " " + Char.isLetter(233));
    println(new Regex("\\s*,\\s*").split("a , b,c").length);
}
EOF
run run all.mica
expect_status 0
expect_out '1267650600228229401496703205376
GRÜSSE true
3
'
