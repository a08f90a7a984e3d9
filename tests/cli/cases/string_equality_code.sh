# Reference `==` with a String on the left compiles to a call of String.equals (a
# final class: the only method the call can reach, which the VM runs inline); with
# any other type on the left, Object.equals; both null-safe and by content.
cat >eq.mica <<'MICA'
fun s(a: String, b: String): bool { return a == b; }
fun o(a: Object, b: String): bool { return a == b; }
fun main() {
    let n: String = null;
    println("${s("ab", "a" + "b")} ${s("ab", "ac")} ${s(n, "a")} ${s("a", n)} ${s(n, n)}");
    println("${o("ab", "a" + "b")} ${o("ab", "ac")} ${o(n, "a")} ${o(new Object(), "a")}");
}
MICA
run build -d classes eq.mica
expect_status 0
expect_no_err
cls=$(ls classes/*.mcl | head -n 1)
run disasm "$cls"
expect_status 0
sed -n '/ static s(/,/ static o(/p' out.txt >s.txt
sed -n '/ static o(/,/ static main(/p' out.txt >o.txt
grep -q 'invokevirtual .*std/core/String.equals:(Lstd/core/Object;)Z' s.txt ||
    fail "String == String does not call String.equals"
grep -q 'Object.equals' s.txt && fail "String == String calls Object.equals"
grep -q 'invokevirtual .*std/core/Object.equals:(Lstd/core/Object;)Z' o.txt ||
    fail "Object == String does not call Object.equals"
run run eq.mica
expect_status 0
expect_no_err
expect_out "true false false false true
true false false false
"
