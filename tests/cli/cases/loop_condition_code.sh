# A loop's condition `a && b` compiles to a test and branch out of the loop per
# operand: no if/else computing the bool first (what `mica disasm` shows), and the
# operands still run in order, the second only when the first holds.
cat >loop.mica <<'MICA'
fun f(k: int): bool { println("f ${k}"); return k < 2; }
fun main() {
    var k = 0;
    while (f(k) && k < 5) { k += 1; }
    println(k);
}
MICA
run build -d classes loop.mica
expect_status 0
expect_no_err
cls=$(ls classes/*.mcl | head -n 1)
run disasm "$cls"
expect_status 0
sed -n '/main(/,/^$/p' out.txt >main.txt
grep -q 'br_if' main.txt || fail "no br_if in main"
grep -qE '^ +[0-9]+: +(if|else)\b' main.txt && fail "the condition computes a bool with if/else"
[ "$(grep -c 'br_if' main.txt)" -ge 2 ] || fail "one br_if per operand expected"
run run loop.mica
expect_status 0
expect_no_err
expect_out "f 0
f 1
f 2
2
"
