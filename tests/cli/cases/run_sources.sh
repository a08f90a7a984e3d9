# `mica run` with several sources, a directory of sources and `--` before arguments.
run run "$CLI/app/main.mica" "$CLI/app/util.mica" x "y z"
expect_status 0
expect_out "$APP_OUT"
expect_no_err
# a directory contributes its .mica files; -- starts the arguments
run run "$CLI/app" -- x "y z"
expect_status 0
expect_out "$APP_OUT"
run run "$CLI/app/" -- x "y z"
expect_status 0
expect_out "$APP_OUT"
