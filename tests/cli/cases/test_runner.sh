# tests/runner.sh itself: a program test passes only when stdout, stderr and the exit
# status are as its comments say; escapes, `...`, args, options and side files.
runner() {
    bash "$SRC/tests/runner.sh" "$MICA" "$1" >out.txt 2>err.txt
    status=$?
}
cat >t.mica <<'EOM'
fun main(args: String[]) {
    println("${args.length} [${args[1]}]");
    println("trailing ");
    let a: int[] = [1];
    println(a[args.length]);
}
// args: one 'two words'
// options: --max-heap=16m
// expect: 2 [two words]
// expect escaped: trailing\x20
// expect error: IndexError: index 2 out of bounds for length 1
// expect error: ...
// expect exit: 1
EOM
runner t.mica
expect_status 0
# each expectation, changed, fails the test
for change in 's/two words\]/two  words]/' 's/trailing\\x20/trailing/' \
              's/length 1$/length 2/' 's/exit: 1/exit: 0/' 's|^// expect error: \.\.\.$||'; do
    sed "$change" t.mica >u.mica
    cmp -s t.mica u.mica && fail "sed '$change' changed nothing"
    runner u.mica
    expect_status 1
done
# no expectation: stdout and stderr must be empty
printf 'fun main() {\n    println("x");\n}\n' >quiet.mica
runner quiet.mica
expect_status 1
# a side file of the old layout is refused
cp t.mica old.mica
touch old.out
runner old.mica
expect_status 1
expect_err_has "side files are not read"
# a misspelt expectation is an error, not a comment
printf 'fun main() {}\n// expect eror: x\n' >typo.mica
runner typo.mica
expect_status 1
expect_err_has "not an expectation"
# output without a final newline, from a file
printf 'fun main() {\n    print("a");\n}\n// expect file: a.txt\n' >nonl.mica
printf 'a' >a.txt
runner nonl.mica
expect_status 0
printf 'a\n' >a.txt
runner nonl.mica
expect_status 1
