# examples/nbody.mica, 1000 steps.
run run "$SRC/examples/nbody.mica" 1000
expect_status 0
expect_out '-0.169075164
-0.169087605
'
expect_no_err
