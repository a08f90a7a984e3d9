/* tests/api/test_ffi.c: the libffi binding (vm/native.c) from programs that
 * declare their own natives: link errors, refusal without the capability,
 * marshalling of strings, arrays and Pointers, C callbacks and exceptions
 * thrown inside them. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mica.h"

/* Compiles [src] as main.mica into [vm] (class Main); the diagnostics, if any,
 * fail the test. */
static void compile(MicaVM *vm, const char *src)
{
    MicaStatus st = mica_compile(vm, "main.mica", src, strlen(src));
    ck_assert_msg(st == MICA_OK, "does not compile: %s", mica_last_error(vm));
}

/* Compiles [src] into a fresh VM (natives allowed when [allow]) and runs its
 * main. Returns the status; *[code] gets the System.exit code. */
static MicaStatus run(const char *src, bool allow, MicaVM **vm_out, int *code)
{
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.allow_native = allow;
    MicaVM *vm;
    ck_assert_int_eq(mica_vm_new(&cfg, &vm), MICA_OK);
    compile(vm, src);
    *code = -1;
    *vm_out = vm;
    return mica_run_main(vm, "Main", 0, NULL, code);
}

static void assert_has(const char *text, const char *part)
{
    ck_assert_msg(strstr(text, part) != NULL, "expected \"%s\" in: %s", part, text);
}

START_TEST(test_missing_library_names_both)
{
    MicaVM *vm;
    int code;
    MicaStatus st = run("class N {\n"
                        "  @native(\"mica_no_such_lib_s5\", \"frob\") static fun frob(): int;\n}\n"
                        "fun main() { N.frob(); }\n",
                        true, &vm, &code);
    ck_assert_int_ne(st, MICA_OK);
    assert_has(mica_last_error(vm), "cannot open native library libmica_no_such_lib_s5");
    assert_has(mica_last_error(vm), "symbol frob");
    mica_vm_free(vm);
}
END_TEST

START_TEST(test_missing_symbol_names_both)
{
    MicaVM *vm;
    int code;
    MicaStatus st = run("class N { @native(\"c\", \"no_such_symbol_s5\") static fun f(): int; }\n"
                        "fun main() { N.f(); }\n",
                        true, &vm, &code);
    ck_assert_int_ne(st, MICA_OK);
    assert_has(mica_last_error(vm), "native symbol no_such_symbol_s5 not found in libc");
    mica_vm_free(vm);
}
END_TEST

START_TEST(test_refused_without_capability)
{
    MicaVM *vm;
    int code;
    MicaStatus st = run("class N { @native(\"c\", \"strlen\") static fun len(s: String): int; }\n"
                        "fun main() { N.len(\"x\"); }\n",
                        false, &vm, &code);
    ck_assert_int_ne(st, MICA_OK);
    assert_has(mica_last_error(vm), "run with --allow-native to allow");
    mica_vm_free(vm);
}
END_TEST

START_TEST(test_marshalling)
{
    MicaVM *vm;
    int code;
    MicaStatus st = run(
        "import std.ffi.*;\n"
        "class C {\n"
        "  @native(\"c\", \"strlen\") static fun len(s: String): int;\n"
        "  @native(\"c\", \"malloc\") static fun malloc(n: int): Pointer;\n"
        "  @native(\"c\", \"free\") static fun free(p: Pointer);\n"
        "  @native(\"c\", \"memset\") static fun memset(p: Pointer, c: int, n: int): Pointer;\n"
        "  @native(\"c\", \"memset\") static fun fill(p: byte[], c: int, n: int): Pointer;\n"
        "  @native(\"c\", \"getenv\") static fun getenv(s: String): Pointer;\n"
        "  @native(\"c\", \"strlen\") static fun plen(p: Pointer): int;\n"
        "  @native(\"m\", \"fabs\") static fun fabs(x: float): float;\n"
        "}\n"
        "fun main() {\n"
        "  var ok = 0;\n"
        "  if (C.len(\"h\u00e9llo\") == 6) { ok += 1; }\n"
        "  if (C.getenv(\"MICA_NO_SUCH_VARIABLE_S5\") === null) { ok += 2; }\n"
        "  let p = C.malloc(8);\n"
        "  if (C.memset(p, 65, 7) == p) { ok += 4; }\n"
        "  C.memset(p.offset(7), 0, 1);\n"
        "  if (C.plen(p) == 7 && p.getString(0) == \"AAAAAAA\") { ok += 8; }\n"
        "  C.free(p);\n"
        "  let b = new byte[4];\n"
        "  C.fill(b, 9, 3);\n"
        "  if (b[0] == 9 && b[2] == 9 && b[3] == 0) { ok += 16; }\n"
        "  if (C.fabs(-2.5) == 2.5) { ok += 32; }\n"
        "  System.exit(ok);\n"
        "}\n",
        true, &vm, &code);
    ck_assert_msg(st == MICA_ERR_EXIT, "status %d: %s", st, mica_last_error(vm));
    ck_assert_int_eq(code, 63);
    mica_vm_free(vm);
}
END_TEST

#define QSORT_DECL \
    "class Q {\n" \
    "  @native(\"c\", \"qsort\") static fun qsort(b: int[], n: int, s: int, c: Object);\n" \
    "}\n"

static const char *qsort_src =
    "import std.ffi.*;\n"
    QSORT_DECL
    "class ByValue {\n"
    "  var calls: int = 0;\n"
    "  fun invoke(a: Pointer, b: Pointer): int {\n"
    "    calls++;\n"
    "    if (THROW && calls == 3) { throw new IllegalArgumentError(\"stop at 3\"); }\n"
    "    let x = a.getInt64(0); let y = b.getInt64(0);\n"
    "    return x < y ? -1 : x > y ? 1 : 0;\n"
    "  }\n"
    "}\n"
    "fun main() {\n"
    "  let a: int[] = [50, -3, 7, 1000000000000, 7, 0];\n"
    "  let c = new ByValue();\n"
    "  Q.qsort(a, a.length, 8, c);\n"
    "  var sorted = c.calls > 0;\n"
    "  for (var i = 1; i < a.length; i++) { if (a[i - 1] > a[i]) { sorted = false; } }\n"
    "  System.exit(sorted && a[0] == -3 && a[5] == 1000000000000 ? 7 : 1);\n"
    "}\n";

static char *with(const char *src, const char *value)
{
    const char *at = strstr(src, "THROW");
    size_t n = strlen(src) + strlen(value);
    char *out = malloc(n + 1);
    snprintf(out, n + 1, "%.*s%s%s", (int)(at - src), src, value, at + 5);
    return out;
}

START_TEST(test_callback_qsort)
{
    MicaVM *vm;
    int code;
    char *src = with(qsort_src, "false");
    MicaStatus st = run(src, true, &vm, &code);
    ck_assert_msg(st == MICA_ERR_EXIT, "status %d: %s", st, mica_last_error(vm));
    ck_assert_int_eq(code, 7);
    mica_vm_free(vm);
    free(src);
}
END_TEST

START_TEST(test_callback_exception_reaches_caller)
{
    MicaVM *vm;
    int code;
    char *src = with(qsort_src, "true");
    MicaStatus st = run(src, true, &vm, &code);
    ck_assert_int_eq(st, MICA_ERR_EXCEPTION);
    const char *e = mica_last_error(vm);
    assert_has(e, "IllegalArgumentError: stop at 3");
    assert_has(e, "at ByValue.invoke");
    assert_has(e, "at Q.qsort(native)");
    assert_has(e, "at Main.main");
    mica_vm_free(vm);
    free(src);
}
END_TEST

START_TEST(test_callback_bad_signature)
{
    MicaVM *vm;
    int code;
    MicaStatus st = run(
        QSORT_DECL
        "class NotFn { }\n"
        "class BadFn { fun invoke(a: int[], b: int[]): int { return 0; } }\n"
        "fun main() { let a: int[] = [2, 1]; Q.qsort(a, 2, 8, new BadFn()); }\n",
        true, &vm, &code);
    ck_assert_int_eq(st, MICA_ERR_EXCEPTION);
    assert_has(mica_last_error(vm), "IllegalArgumentError");
    assert_has(mica_last_error(vm), "a callback cannot take [I");
    mica_vm_free(vm);
    st = run(QSORT_DECL
             "class NotFn { }\n"
             "fun main() { let a: int[] = [2, 1]; Q.qsort(a, 2, 8, new NotFn()); }\n",
             true, &vm, &code);
    ck_assert_int_eq(st, MICA_ERR_EXCEPTION);
    assert_has(mica_last_error(vm), "neither a Pointer nor a function value");
    mica_vm_free(vm);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ffi");
    TCase *tc = tcase_create("ffi");
    tcase_add_test(tc, test_missing_library_names_both);
    tcase_add_test(tc, test_missing_symbol_names_both);
    tcase_add_test(tc, test_refused_without_capability);
    tcase_add_test(tc, test_marshalling);
    tcase_add_test(tc, test_callback_qsort);
    tcase_add_test(tc, test_callback_exception_reaches_caller);
    tcase_add_test(tc, test_callback_bad_signature);
    suite_add_tcase(s, tc);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? 1 : 0;
}
