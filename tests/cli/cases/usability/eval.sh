# `mica run -e CODE` and `mica -e CODE`: statements, arguments, a whole program, errors.
run run -e 'println(1 + 2);'
expect_status 0
expect_out '3
'
run -e 'println(args[0]);' x
expect_out 'x
'
run -e 'fun main() { println("whole"); }'
expect_out 'whole
'
run -e 'let x: int = "a";'
expect_status 1
expect_err '-e:2:14: error: type mismatch: expected int, found String
let x: int = "a";
             ^
'
