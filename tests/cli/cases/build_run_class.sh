# `mica build -d` then `mica run -cp DIR CLASS`, with a class path of several entries.
build_app
run run -cp classes app.Main x "y z"
expect_status 0
expect_out "$APP_OUT"
expect_no_err
run run -cp "nowhere:classes" app/Main x "y z"
expect_status 0
expect_out "$APP_OUT"
run run -cp classes app.Missing
expect_status 1
expect_err_starts "mica: "
