# Reference `==` with a String on the left compiles to a call of String.equals (a
# final class: the only method the call can reach, which the VM runs inline); with
# any other type on the left, Object.equals; both null-safe and by content. With a
# string literal on either side (and a String on the left), the literal is the
# receiver: no temporaries, no null tests, and still false for null.
cat >eq.mica <<'MICA'
fun s(a: String, b: String): bool { return a == b; }
fun o(a: Object, b: String): bool { return a == b; }
fun k(a: String): String { return "${a == "ab"} ${"ab" == a} ${a != "ab"} ${"ab" != a}"; }
fun ko(a: Object): bool { return a == "ab"; }
fun main() {
    let n: String = null;
    println("${s("ab", "a" + "b")} ${s("ab", "ac")} ${s(n, "a")} ${s("a", n)} ${s(n, n)}");
    println("${o("ab", "a" + "b")} ${o("ab", "ac")} ${o(n, "a")} ${o(new Object(), "a")}");
    println("${k("a" + "b")} ${k("ac")} ${k(n)} ${ko("a" + "b")} ${ko(n)} ${ko(new Object())}");
}
MICA
run build -d classes eq.mica
expect_status 0
expect_no_err
cls=$(ls classes/*.mcl | head -n 1)
run disasm "$cls"
expect_status 0
sed -n '/ static s(/,/ static o(/p' out.txt >s.txt
sed -n '/ static o(/,/ static k(/p' out.txt >o.txt
sed -n '/ static k(/,/ static ko(/p' out.txt >k.txt
sed -n '/ static ko(/,/ static main(/p' out.txt >ko.txt
grep -q 'invokevirtual .*std/core/String.equals:(Lstd/core/Object;)Z' s.txt ||
    fail "String == String does not call String.equals"
grep -q 'Object.equals' s.txt && fail "String == String calls Object.equals"
grep -q 'invokevirtual .*std/core/Object.equals:(Lstd/core/Object;)Z' o.txt ||
    fail "Object == String does not call Object.equals"
[ "$(grep -c 'invokevirtual .*std/core/String.equals' k.txt)" = 4 ] ||
    fail "each literal comparison in k should call String.equals once"
grep -qE ' (store|aeq|if) ' k.txt && fail "a literal comparison stores temporaries or tests null"
[ "$(grep -c ' swap' k.txt)" = 2 ] || fail "a literal on the right is swapped into the receiver"
grep -q 'invokevirtual .*std/core/Object.equals' ko.txt ||
    fail "Object == literal must still call Object.equals (the left may override it)"
run run eq.mica
expect_status 0
expect_no_err
expect_out "true false false false true
true false false false
true true false false false false true true false false true true true false false
"
