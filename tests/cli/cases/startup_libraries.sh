# `mica` loads libzip (and libcrypto behind it) only when it reads or writes an
# archive, and libedit only for the REPL on a terminal: none is linked, so a run
# that needs none of them does not map them (start-up memory). The archive cases
# check that archives still work.
command -v readelf >/dev/null || exit 0
needed=$(readelf -d "$MICA" | grep NEEDED) || fail "readelf cannot read $MICA"
case "$needed" in
    *libzip*|*libcrypto*|*libedit*) fail "mica links what it should load on demand: $needed" ;;
esac
write_hello
run run hello.mica
expect_status 0
expect_out 'hello 0
'
