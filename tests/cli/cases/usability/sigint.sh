# Ctrl-C: output so far flushed, "interrupted" with the Mica stack, exit 130.
# Ctrl-C: the output so far is flushed, then "interrupted" and the Mica stack, 130
printf 'fun spin(n: int): int {\n    var s = 0;\n    while (s >= 0) {\n        s = (s + n) %% 1000;\n    }\n    return s;\n}\n\nfun main() {\n    print("working");\n    println(spin(1));\n}\n' >spin.mica
"$MICA" run spin.mica >out.txt 2>err.txt &
pid=$!
# let it get into the loop (a late signal only means a later stop), then interrupt
sleep 1
kill -INT "$pid"
for _ in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
kill -0 "$pid" 2>/dev/null && { kill -9 "$pid"; fail "not stopped by SIGINT"; }
wait "$pid"
status=$?
expect_status 130
expect_out 'working'
expect_err 'interrupted
    at Spin.spin(spin.mica:4)
    at Spin.main(spin.mica:11)
'
