/* tests/api/api_test.c: the embedding API as a host sees it: only <mica.h>,
 * linked against libmica.so. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mica.h>

static const char CALC[] =
    "class Point {\n"
    "    var x: int;\n"
    "    var y: int;\n"
    "    init(x: int, y: int) { this.x = x; this.y = y; }\n"
    "    fun sum(): int { return x + y; }\n"
    "}\n"
    "class Host {\n"
    "    @native(\"host\", \"twice\") static fun twice(a: int): int;\n"
    "    @native(\"host\", \"greet\") static fun greet(s: String): String;\n"
    "    @native(\"host\", \"fail\") static fun fail(s: String): int;\n"
    "    @native(\"host\", \"nested\") static fun nested(i: int): int;\n"
    "}\n"
    "class Calc { static var counter: int = 0; static var big: int[] = new int[0]; }\n"
    "fun hold(n: int): int { Calc.big = new int[n]; return Calc.big.length; }\n"
    "fun viaHost(i: int): int { try { return Host.nested(i); } catch (e: IndexError) { return -1; } }\n"
    "fun add(a: int, b: int): int { return a + b; }\n"
    "fun half(f: float): float { return f / 2.0; }\n"
    "fun callTwice(a: int): int { Calc.counter = Calc.counter + 1; return Host.twice(a) + 1; }\n"
    "fun hello(s: String): String { return Host.greet(s + \"!\"); }\n"
    "fun boom(i: int): int { let a = new int[2]; return a[i]; }\n"
    "fun catchHost(): String {\n"
    "    try { Host.fail(\"no\"); return \"not thrown\"; }\n"
    "    catch (e: IllegalArgumentError) { return \"caught \" + e.message; }\n"
    "}\n"
    "fun spin(): int { var i = 0; while (i >= 0) { i = i + 1; } return i; }\n"
    "fun alloc(n: int): int { var keep = new int[0]; var i = 0;\n"
    "    while (i < n) { keep = new int[1000]; i = i + 1; } return keep.length; }\n"
    "fun say(s: String) { println(s); System.eprintln(\"err:\" + s); }\n"
    "fun fib(n: int): int {\n"
    "    if (n < 2) { return n; }\n"
    "    return fib(n - 1) + fib(n - 2);\n"
    "}\n"
    "fun readIt(p: String): String { return std.io.File.readText(p); }\n"
    "fun wrap(e: int): int {\n"
    "    try { return boom(e); } catch (x: IndexError) { throw new IllegalStateError(\"wrapped\", x); }\n"
    "}\n";

static MicaVM *new_vm(unsigned caps)
{
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.caps = caps;
    MicaVM *vm = NULL;
    ck_assert_int_eq(mica_vm_new(&cfg, &vm), MICA_OK);
    return vm;
}

static MicaStatus host_twice(MicaVM *vm, void *ctx, const MicaValue *a, size_t n,
                             MicaValue *ret)
{
    (*(int *)ctx)++;
    ck_assert_uint_eq(n, 1);
    *ret = mica_int(a[0].as.i * 2);
    return MICA_OK;
}

static MicaStatus host_greet(MicaVM *vm, void *ctx, const MicaValue *a, size_t n,
                             MicaValue *ret)
{
    const char *s;
    size_t len;
    if (mica_string_utf8(vm, a[0], &s, &len) != MICA_OK)
        return MICA_ERR_INVALID;
    char buf[256];
    snprintf(buf, sizeof buf, "hello %.*s", (int)len, s);
    return mica_new_string(vm, buf, strlen(buf), ret);
}

static MicaStatus host_fail(MicaVM *vm, void *ctx, const MicaValue *a, size_t n, MicaValue *ret)
{
    mica_vm_free(vm); /* misuse while running: refused, not a crash */
    return mica_throw(vm, "IllegalArgumentError", "host says %d", 42);
}

static int twice_calls;

/* host -> Mica (boom) -> exception back to the host, re-raised into Mica */
static MicaStatus host_nested(MicaVM *vm, void *ctx, const MicaValue *a, size_t n,
                              MicaValue *ret)
{
    MicaMethod *m;
    MicaStatus st = mica_find_method(vm, "Calc", a[0].as.i < 0 ? "callTwice" : "boom", "(I)I", &m);
    if (st != MICA_OK)
        return st;
    MicaValue arg = mica_int(a[0].as.i < 0 ? -a[0].as.i : a[0].as.i);
    st = mica_call(vm, m, &arg, 1, ret); /* Mica -> host -> Mica (-> host for callTwice) */
    return st;
}

static void register_host(MicaVM *vm)
{
    MicaNative t[] = {
        {"twice", "(I)I", host_twice, &twice_calls},
        {"greet", "(Lstd/core/String;)Lstd/core/String;", host_greet, NULL},
        {"fail", "(Lstd/core/String;)I", host_fail, NULL},
        {"nested", "(I)I", host_nested, NULL},
    };
    ck_assert_int_eq(mica_register_natives(vm, "Host", t, 4), MICA_OK);
}

static MicaVM *calc_vm(unsigned caps)
{
    MicaVM *vm = new_vm(caps);
    register_host(vm);
    MicaStatus st = mica_compile(vm, "calc.mica", CALC, strlen(CALC));
    ck_assert_msg(st == MICA_OK, "%s", mica_last_error(vm));
    return vm;
}

START_TEST(version)
{
    ck_assert_str_eq(mica_version(), MICA_VERSION_STRING);
    ck_assert_int_eq(mica_version_number(), MICA_VERSION_NUMBER);
    ck_assert_str_eq(mica_status_name(MICA_ERR_LINK), "MICA_ERR_LINK");
}
END_TEST

START_TEST(call_values)
{
    MicaVM *vm = calc_vm(0);
    MicaMethod *add, *half;
    ck_assert_int_eq(mica_find_method(vm, "Calc", "add", "(II)I", &add), MICA_OK);
    ck_assert_int_eq(mica_find_method(vm, "Calc", "half", NULL, &half), MICA_OK);
    MicaValue args[2] = {mica_int(40), mica_int(2)}, r;
    ck_assert_int_eq(mica_call(vm, add, args, 2, &r), MICA_OK);
    ck_assert_int_eq(r.type, MICA_T_INT);
    ck_assert_int_eq(r.as.i, 42);
    MicaValue f = mica_float(5.0);
    ck_assert_int_eq(mica_call(vm, half, &f, 1, &r), MICA_OK);
    ck_assert(r.type == MICA_T_FLOAT && r.as.f == 2.5);
    /* wrong type, wrong count: MICA_ERR_INVALID naming the problem */
    ck_assert_int_eq(mica_call(vm, half, args, 1, &r), MICA_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(mica_last_error(vm), "expected float"));
    ck_assert_int_eq(mica_call(vm, add, args, 1, &r), MICA_ERR_INVALID);
    ck_assert_int_eq(mica_error(vm)->status, MICA_ERR_INVALID);
    /* the next call that succeeds clears the error */
    ck_assert_int_eq(mica_call(vm, add, args, 2, &r), MICA_OK);
    ck_assert_int_eq(mica_error(vm)->status, MICA_OK);
    ck_assert_str_eq(mica_last_error(vm), "");
    mica_vm_free(vm);
}
END_TEST

START_TEST(objects_fields_arrays)
{
    MicaVM *vm = calc_vm(0);
    MicaScope sc = mica_scope_begin(vm);
    MicaValue args[2] = {mica_int(3), mica_int(4)}, p, r;
    ck_assert_int_eq(mica_new_object(vm, "Point", "(II)V", args, 2, &p), MICA_OK);
    MicaMethod *sum;
    ck_assert_int_eq(mica_find_method(vm, "Point", "sum", "()I", &sum), MICA_OK);
    ck_assert_int_eq(mica_call(vm, sum, &p, 1, &r), MICA_OK);
    ck_assert_int_eq(r.as.i, 7);
    MicaField *fx;
    ck_assert_int_eq(mica_find_field(vm, "Point", "x", &fx), MICA_OK);
    ck_assert_int_eq(mica_set_field(vm, p, fx, mica_int(10)), MICA_OK);
    ck_assert_int_eq(mica_get_field(vm, p, fx, &r), MICA_OK);
    ck_assert_int_eq(r.as.i, 10);
    ck_assert_int_eq(mica_set_field(vm, p, fx, mica_float(1)), MICA_ERR_INVALID);
    MicaField *counter;
    ck_assert_int_eq(mica_find_field(vm, "Calc", "counter", &counter), MICA_OK);
    ck_assert_int_eq(mica_get_field(vm, mica_null(), counter, &r), MICA_OK);
    ck_assert_int_eq(r.as.i, 0);
    const char *cn;
    ck_assert_int_eq(mica_class_name(vm, p, &cn), MICA_OK);
    ck_assert_str_eq(cn, "Point");
    MicaValue arr, s, e;
    ck_assert_int_eq(mica_new_array(vm, "[Lstd/core/String;", 3, &arr), MICA_OK);
    ck_assert_int_eq(mica_new_string(vm, "héllo", strlen("héllo"), &s), MICA_OK);
    ck_assert_int_eq(mica_array_set(vm, arr, 1, s), MICA_OK);
    ck_assert_int_eq(mica_array_set(vm, arr, 0, p), MICA_ERR_INVALID); /* a Point is no String */
    ck_assert_int_eq(mica_array_set(vm, arr, 3, s), MICA_ERR_INVALID);
    ck_assert_int_eq(mica_array_get(vm, arr, 1, &e), MICA_OK);
    const char *bytes;
    size_t n;
    ck_assert_int_eq(mica_string_utf8(vm, e, &bytes, &n), MICA_OK);
    ck_assert_str_eq(bytes, "héllo");
    ck_assert_int_eq(mica_new_string(vm, "\xff", 1, &s), MICA_ERR_INVALID);
    int64_t len;
    ck_assert_int_eq(mica_array_length(vm, arr, &len), MICA_OK);
    ck_assert_int_eq(len, 3);
    bool yes;
    ck_assert_int_eq(mica_instance_of(vm, p, "Point", &yes), MICA_OK);
    ck_assert(yes);
    ck_assert_int_eq(mica_scope_end(vm, sc), MICA_OK);
    mica_vm_free(vm);
}
END_TEST

START_TEST(handles_checked)
{
    MicaVM *vm = calc_vm(0), *other = new_vm(0);
    MicaScope sc = mica_scope_begin(vm);
    MicaValue s, g, r;
    ck_assert_int_eq(mica_new_string(vm, "abc", 3, &s), MICA_OK);
    ck_assert_int_eq(mica_ref(vm, s, &g), MICA_OK);
    ck_assert_int_eq(mica_scope_end(vm, sc), MICA_OK);
    const char *b;
    /* the local is stale now, the global still works */
    ck_assert_int_eq(mica_string_utf8(vm, s, &b, NULL), MICA_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(mica_last_error(vm), "stale"));
    mica_run_main(vm, "Calc", 0, NULL, NULL); /* allocates, may collect */
    for (int i = 0; i < 3; i++) {
        MicaMethod *alloc;
        ck_assert_int_eq(mica_find_method(vm, "Calc", "alloc", "(I)I", &alloc), MICA_OK);
        MicaValue n = mica_int(20000);
        ck_assert_int_eq(mica_call(vm, alloc, &n, 1, &r), MICA_OK);
    }
    ck_assert_int_eq(mica_string_utf8(vm, g, &b, NULL), MICA_OK);
    ck_assert_str_eq(b, "abc");
    /* another VM's handle, a forged one */
    ck_assert_int_eq(mica_string_utf8(other, g, &b, NULL), MICA_ERR_INVALID);
    MicaValue forged = {MICA_T_REF, {.ref = 0x123456789ull}};
    ck_assert_int_eq(mica_string_utf8(vm, forged, &b, NULL), MICA_ERR_INVALID);
    ck_assert_int_eq(mica_unref(vm, g), MICA_OK);
    ck_assert_int_eq(mica_unref(vm, g), MICA_ERR_INVALID);
    ck_assert_int_eq(mica_string_utf8(vm, g, &b, NULL), MICA_ERR_INVALID);
    ck_assert_int_eq(mica_scope_end(vm, sc + 100), MICA_ERR_INVALID);
    mica_vm_free(other);
    mica_vm_free(vm);
}
END_TEST

START_TEST(host_functions)
{
    MicaVM *vm = calc_vm(0);
    MicaMethod *m;
    MicaValue a = mica_int(20), r;
    twice_calls = 0;
    ck_assert_int_eq(mica_find_method(vm, "Calc", "callTwice", "(I)I", &m), MICA_OK);
    ck_assert_int_eq(mica_call(vm, m, &a, 1, &r), MICA_OK);
    ck_assert_int_eq(r.as.i, 41);
    ck_assert_int_eq(twice_calls, 1);
    MicaValue s;
    ck_assert_int_eq(mica_new_string(vm, "world", 5, &s), MICA_OK);
    ck_assert_int_eq(mica_find_method(vm, "Calc", "hello", NULL, &m), MICA_OK);
    ck_assert_int_eq(mica_call(vm, m, &s, 1, &r), MICA_OK);
    const char *b;
    ck_assert_int_eq(mica_string_utf8(vm, r, &b, NULL), MICA_OK);
    ck_assert_str_eq(b, "hello world!");
    ck_assert_int_eq(mica_find_method(vm, "Calc", "catchHost", NULL, &m), MICA_OK);
    ck_assert_int_eq(mica_call(vm, m, NULL, 0, &r), MICA_OK);
    ck_assert_int_eq(mica_string_utf8(vm, r, &b, NULL), MICA_OK);
    ck_assert_str_eq(b, "caught host says 42");
    /* re-entrant: Mica -> host -> Mica -> host */
    ck_assert_int_eq(mica_find_method(vm, "Calc", "viaHost", NULL, &m), MICA_OK);
    a = mica_int(-5);
    twice_calls = 0;
    ck_assert_int_eq(mica_call(vm, m, &a, 1, &r), MICA_OK);
    ck_assert_int_eq(r.as.i, 11);
    ck_assert_int_eq(twice_calls, 1);
    /* an exception from the nested call, re-raised by the host function, caught in Mica */
    a = mica_int(9);
    ck_assert_int_eq(mica_call(vm, m, &a, 1, &r), MICA_OK);
    ck_assert_int_eq(r.as.i, -1);
    /* mica_throw outside a host function is misuse */
    ck_assert_int_eq(mica_throw(vm, "IllegalArgumentError", "x"), MICA_ERR_INVALID);
    mica_vm_free(vm);
}
END_TEST

START_TEST(host_mistyped)
{
    MicaVM *vm = new_vm(0);
    MicaNative t[] = {
        {"twice", "(F)F", host_twice, NULL},
        {"greet", "(Lstd/core/String;)Lstd/core/String;", host_greet, NULL},
        {"fail", "(Lstd/core/String;)I", host_fail, NULL},
        {"nested", "(I)I", host_nested, NULL},
    };
    ck_assert_int_eq(mica_register_natives(vm, "Host", t, 4), MICA_OK);
    ck_assert_int_eq(mica_compile(vm, "calc.mica", CALC, strlen(CALC)), MICA_OK);
    MicaClass *c;
    ck_assert_int_eq(mica_find_class(vm, "Host", &c), MICA_ERR_LINK);
    const char *msg = mica_last_error(vm);
    ck_assert_msg(strstr(msg, "registered as (F)F") && strstr(msg, "declared as Host.twice(I)I"),
                  "%s", msg);
    mica_vm_free(vm);
    /* a table entry the class does not declare */
    vm = new_vm(0);
    MicaNative u[] = {
        {"twice", "(I)I", host_twice, NULL},
        {"greet", "(Lstd/core/String;)Lstd/core/String;", host_greet, NULL},
        {"fail", "(Lstd/core/String;)I", host_fail, NULL},
        {"nested", "(I)I", host_nested, NULL},
        {"tripple", "(I)I", host_twice, NULL},
    };
    ck_assert_int_eq(mica_register_natives(vm, "Host", u, 5), MICA_OK);
    ck_assert_int_eq(mica_compile(vm, "calc.mica", CALC, strlen(CALC)), MICA_OK);
    ck_assert_int_eq(mica_find_class(vm, "Host", &c), MICA_ERR_LINK);
    ck_assert_ptr_nonnull(strstr(mica_last_error(vm), "tripple"));
    /* its link failed: too late to register */
    ck_assert_int_eq(mica_register_natives(vm, "Host", t, 1), MICA_ERR_INVALID);
    MicaNative bad = {"x", "(I", host_twice, NULL};
    ck_assert_int_eq(mica_register_natives(vm, "Other", &bad, 1), MICA_ERR_INVALID);
    mica_vm_free(vm);
}
END_TEST

START_TEST(errors_structured)
{
    MicaVM *vm = calc_vm(0);
    MicaMethod *m;
    ck_assert_int_eq(mica_find_method(vm, "Calc", "wrap", NULL, &m), MICA_OK);
    MicaValue a = mica_int(5);
    ck_assert_int_eq(mica_call(vm, m, &a, 1, NULL), MICA_ERR_EXCEPTION);
    const MicaError *e = mica_error(vm);
    ck_assert_int_eq(e->status, MICA_ERR_EXCEPTION);
    ck_assert_str_eq(e->exception, "std.core.IllegalStateError");
    ck_assert_str_eq(e->detail, "wrapped");
    ck_assert_uint_ge(e->nframes, 1);
    ck_assert_str_eq(e->frames[0].cls, "Calc");
    ck_assert_str_eq(e->frames[0].method, "wrap");
    ck_assert_str_eq(e->frames[0].file, "calc.mica");
    ck_assert_int_gt(e->frames[0].line, 0);
    ck_assert_ptr_nonnull(e->cause);
    ck_assert_str_eq(e->cause->exception, "std.core.IndexError");
    ck_assert_str_eq(e->cause->frames[0].method, "boom");
    ck_assert_ptr_nonnull(strstr(e->message, "Caused by: IndexError"));
    /* compile errors: structured diagnostics */
    const char *bad = "fun f(): int {\n  return \"s\";\n}\n";
    ck_assert_int_eq(mica_compile(vm, "bad.mica", bad, strlen(bad)), MICA_ERR_COMPILE);
    e = mica_error(vm);
    ck_assert_uint_ge(e->ndiags, 1);
    ck_assert_str_eq(e->diags[0].file, "bad.mica");
    ck_assert_int_eq(e->diags[0].line, 2);
    ck_assert_int_gt(e->diags[0].column, 0);
    ck_assert_ptr_nonnull(e->diags[0].message);
    /* invalid use is described, not the previous failure */
    ck_assert_int_eq(mica_find_method(vm, NULL, "x", NULL, &m), MICA_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(mica_last_error(vm), "mica_find_method"));
    ck_assert_int_eq(mica_find_method(vm, "Nope", "x", NULL, &m), MICA_ERR_LINK);
    ck_assert_ptr_nonnull(strstr(mica_last_error(vm), "Nope"));
    ck_assert_int_eq(mica_error(NULL)->status, MICA_ERR_INVALID);
    mica_vm_free(vm);
}
END_TEST

typedef struct Captured {
    char out[256], err[256];
} Captured;

static void capture(void *ud, int stream, const char *b, size_t n)
{
    Captured *c = ud;
    char *d = stream == 1 ? c->out : c->err;
    strncat(d, b, n < 255 - strlen(d) ? n : 255 - strlen(d));
}

START_TEST(capabilities_and_output)
{
    Captured cap = {{0}, {0}};
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.write = capture;
    cfg.write_ud = &cap;
    MicaVM *vm;
    ck_assert_int_eq(mica_vm_new(&cfg, &vm), MICA_OK);
    register_host(vm);
    ck_assert_int_eq(mica_compile(vm, "calc.mica", CALC, strlen(CALC)), MICA_OK);
    MicaMethod *say, *rd;
    MicaValue s;
    ck_assert_int_eq(mica_find_method(vm, "Calc", "say", NULL, &say), MICA_OK);
    ck_assert_int_eq(mica_new_string(vm, "hi", 2, &s), MICA_OK);
    ck_assert_int_eq(mica_call(vm, say, &s, 1, NULL), MICA_OK);
    ck_assert_str_eq(cap.out, "hi\n");
    ck_assert_str_eq(cap.err, "err:hi\n");
    /* no capability: reading a file is denied, with the way to grant it */
    ck_assert_int_eq(mica_find_method(vm, "Calc", "readIt", NULL, &rd), MICA_OK);
    ck_assert_int_eq(mica_new_string(vm, "/etc/hostname", 13, &s), MICA_OK);
    ck_assert_int_eq(mica_call(vm, rd, &s, 1, NULL), MICA_ERR_EXCEPTION);
    ck_assert_str_eq(mica_error(vm)->exception, "std.core.CapabilityError");
    ck_assert_ptr_nonnull(strstr(mica_error(vm)->detail, "MICA_CAP_READ"));
    mica_vm_free(vm);
    /* READ granted only under a directory */
    const char *dirs[] = {MICA_TEST_DIR};
    mica_config_init(&cfg);
    cfg.caps = MICA_CAP_READ;
    cfg.read_dirs = dirs;
    cfg.nread_dirs = 1;
    ck_assert_int_eq(mica_vm_new(&cfg, &vm), MICA_OK);
    register_host(vm);
    ck_assert_int_eq(mica_compile(vm, "calc.mica", CALC, strlen(CALC)), MICA_OK);
    ck_assert_int_eq(mica_find_method(vm, "Calc", "readIt", NULL, &rd), MICA_OK);
    ck_assert_int_eq(mica_new_string(vm, "/etc/hostname", 13, &s), MICA_OK);
    ck_assert_int_eq(mica_call(vm, rd, &s, 1, NULL), MICA_ERR_EXCEPTION);
    ck_assert_str_eq(mica_error(vm)->exception, "std.core.CapabilityError");
    const char *mine = MICA_TEST_DIR "/api_test.c";
    ck_assert_int_eq(mica_new_string(vm, mine, strlen(mine), &s), MICA_OK);
    MicaValue r;
    ck_assert_int_eq(mica_call(vm, rd, &s, 1, &r), MICA_OK);
    const char *b;
    ck_assert_int_eq(mica_string_utf8(vm, r, &b, NULL), MICA_OK);
    ck_assert_ptr_nonnull(strstr(b, "tests/api/api_test.c"));
    mica_vm_free(vm);
}
END_TEST

static int finalized;

static void fin(void *p)
{
    finalized += *(int *)p;
}

/* Makes a foreign object in a frame of its own and forgets it. */
static __attribute__((noinline)) void make_garbage(MicaVM *vm, int *data)
{
    MicaScope sc = mica_scope_begin(vm);
    MicaValue f;
    for (int i = 0; i < 50; i++)
        ck_assert_int_eq(mica_foreign_new(vm, "Point", data, fin, &f), MICA_OK);
    ck_assert_int_eq(mica_scope_end(vm, sc), MICA_OK);
}

/* Overwrites dead stack below the caller, where conservative scanning could
 * still see the forgotten object. */
static __attribute__((noinline)) void clear_stack(void)
{
    volatile char buf[16384];
    memset((char *)buf, 0, sizeof buf);
}

START_TEST(foreign_objects)
{
    MicaVM *vm = calc_vm(0);
    static int one = 1, hundred = 100;
    finalized = 0;
    make_garbage(vm, &one);
    clear_stack();
    MicaScope sc = mica_scope_begin(vm);
    MicaValue f, g;
    ck_assert_int_eq(mica_foreign_new(vm, "Point", &one, NULL, &f), MICA_OK);
    ck_assert_int_eq(mica_foreign_new(vm, "Point", &hundred, fin, &g), MICA_OK);
    void *d;
    ck_assert_int_eq(mica_foreign_data(vm, f, &d), MICA_OK);
    ck_assert_ptr_eq(d, &one);
    MicaValue p, args[2] = {mica_int(1), mica_int(2)};
    ck_assert_int_eq(mica_new_object(vm, "Point", "(II)V", args, 2, &p), MICA_OK);
    ck_assert_int_eq(mica_foreign_data(vm, p, &d), MICA_ERR_INVALID);
    MicaValue keep;
    ck_assert_int_eq(mica_ref(vm, g, &keep), MICA_OK);
    ck_assert_int_eq(mica_scope_end(vm, sc), MICA_OK);
    /* the fifty are garbage now: churn until the collector finalizes some */
    MicaMethod *alloc;
    ck_assert_int_eq(mica_find_method(vm, "Calc", "alloc", "(I)I", &alloc), MICA_OK);
    for (int i = 0; i < 200 && finalized == 0; i++) {
        MicaValue n = mica_int(2000);
        ck_assert_int_eq(mica_call(vm, alloc, &n, 1, NULL), MICA_OK);
    }
    /* conservative scanning may keep a few alive, not all fifty */
    ck_assert_int_gt(finalized, 0);
    ck_assert_int_lt(finalized, 100);
    /* g is still held: finalized with its VM, like the rest, exactly once each */
    mica_vm_free(vm);
    ck_assert_int_eq(finalized, 150);
}
END_TEST

START_TEST(limits_and_interrupt)
{
    MicaVM *vm = calc_vm(0);
    MicaMethod *spin, *alloc;
    ck_assert_int_eq(mica_find_method(vm, "Calc", "spin", NULL, &spin), MICA_OK);
    MicaLimits l = {0, 100000, 0, 0};
    ck_assert_int_eq(mica_set_limits(vm, &l), MICA_OK);
    ck_assert_int_eq(mica_call(vm, spin, NULL, 0, NULL), MICA_ERR_LIMIT);
    l.max_steps = 0;
    l.max_heap_bytes = 1 << 20;
    ck_assert_int_eq(mica_set_limits(vm, &l), MICA_OK);
    mica_interrupt(vm);
    ck_assert_int_eq(mica_call(vm, spin, NULL, 0, NULL), MICA_ERR_INTERRUPTED);
    /* the heap cap: a program keeping little never trips it */
    ck_assert_int_eq(mica_find_method(vm, "Calc", "alloc", "(I)I", &alloc), MICA_OK);
    MicaValue n = mica_int(5000);
    ck_assert_int_eq(mica_call(vm, alloc, &n, 1, NULL), MICA_OK);
    MicaStats st;
    ck_assert_int_eq(mica_stats(vm, &st), MICA_OK);
    ck_assert_uint_le(st.heap_bytes, (size_t)1 << 20);
    ck_assert_uint_gt(st.classes_loaded, 5);
    mica_vm_free(vm);
}
END_TEST

static void *spinner_interrupt(void *arg)
{
    usleep(50000);
    mica_interrupt(arg);
    return NULL;
}

START_TEST(heap_cap_per_vm)
{
    /* one VM holds 48 MB; another, capped at 8 MB, allocates freely while
     * keeping little: only its own objects count */
    MicaVM *fat = calc_vm(0), *lean;
    MicaMethod *hold, *alloc;
    ck_assert_int_eq(mica_find_method(fat, "Calc", "hold", NULL, &hold), MICA_OK);
    MicaValue n = mica_int(6 << 20), r;
    ck_assert_int_eq(mica_call(fat, hold, &n, 1, &r), MICA_OK);
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.max_heap_bytes = 8u << 20;
    ck_assert_int_eq(mica_vm_new(&cfg, &lean), MICA_OK);
    register_host(lean);
    ck_assert_int_eq(mica_compile(lean, "calc.mica", CALC, strlen(CALC)), MICA_OK);
    ck_assert_int_eq(mica_find_method(lean, "Calc", "alloc", "(I)I", &alloc), MICA_OK);
    n = mica_int(5000); /* 40 MB allocated in all, 8 KB kept */
    ck_assert_msg(mica_call(lean, alloc, &n, 1, &r) == MICA_OK, "%s", mica_last_error(lean));
    /* and the cap still holds for what it keeps itself */
    ck_assert_int_eq(mica_find_method(lean, "Calc", "hold", NULL, &hold), MICA_OK);
    n = mica_int(2 << 20); /* 16 MB */
    ck_assert_int_eq(mica_call(lean, hold, &n, 1, &r), MICA_ERR_EXCEPTION);
    ck_assert_str_eq(mica_error(lean)->exception, "std.core.OutOfMemoryError");
    mica_vm_free(lean);
    mica_vm_free(fat);
}
END_TEST

START_TEST(interrupt_from_thread)
{
    MicaVM *vm = calc_vm(0);
    MicaMethod *spin;
    ck_assert_int_eq(mica_find_method(vm, "Calc", "spin", NULL, &spin), MICA_OK);
    pthread_t t;
    pthread_create(&t, NULL, spinner_interrupt, vm);
    ck_assert_int_eq(mica_call(vm, spin, NULL, 0, NULL), MICA_ERR_INTERRUPTED);
    pthread_join(t, NULL);
    mica_vm_free(vm);
}
END_TEST

/* Each thread: its own VM, a heap cap, allocation-heavy work, calls. */
static void *worker(void *arg)
{
    long *ok = arg;
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.max_heap_bytes = 4u << 20;
    for (int round = 0; round < 3; round++) {
        MicaVM *vm;
        if (mica_vm_new(&cfg, &vm) != MICA_OK)
            return NULL;
        register_host(vm);
        if (mica_compile(vm, "calc.mica", CALC, strlen(CALC)) != MICA_OK)
            return NULL;
        MicaMethod *alloc, *add;
        if (mica_find_method(vm, "Calc", "alloc", "(I)I", &alloc) != MICA_OK ||
            mica_find_method(vm, "Calc", "add", "(II)I", &add) != MICA_OK)
            return NULL;
        MicaValue n = mica_int(3000), r;
        for (int i = 0; i < 5; i++)
            if (mica_call(vm, alloc, &n, 1, &r) != MICA_OK || r.as.i != 1000)
                return NULL;
        MicaValue a[2] = {mica_int(round), mica_int(1)};
        if (mica_call(vm, add, a, 2, &r) != MICA_OK || r.as.i != round + 1)
            return NULL;
        mica_vm_free(vm);
    }
    *ok = 1;
    return NULL;
}

START_TEST(threads_many_vms)
{
    enum { N = 4 };
    pthread_t t[N];
    long ok[N] = {0};
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, worker, &ok[i]), 0);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(ok[i], 1);
}
END_TEST

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, res = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2)
            res = 0;
        fclose(f);
    }
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}

START_TEST(thousands_of_vms)
{
    long base = 0;
    for (int i = 0; i < 3000; i++) {
        MicaVM *vm;
        ck_assert_int_eq(mica_vm_new(NULL, &vm), MICA_OK);
        MicaMethod *m;
        ck_assert_int_eq(mica_find_method(vm, "std.core.Math", "abs", "(I)I", &m), MICA_OK);
        MicaValue a = mica_int(-3), r;
        ck_assert_int_eq(mica_call(vm, m, &a, 1, &r), MICA_OK);
        ck_assert_int_eq(r.as.i, 3);
        mica_vm_free(vm);
        if (i == 500)
            base = rss_kb();
    }
    long end = rss_kb();
#ifndef MICA_TEST_SANITIZED
    /* flat: the last 2500 VMs added less than 16 MiB */
    ck_assert_msg(end - base < 16 * 1024, "RSS grew from %ld to %ld KiB", base, end);
#else
    (void)base;
    (void)end;
#endif
}
END_TEST

typedef struct HookCount {
    int calls, returns, lines, throws;
    int max_line, min_line;
    MicaVM *vm;
    int stop_after;
} HookCount;

static void on_hook(void *ud, const MicaHookEvent *ev)
{
    HookCount *h = ud;
    switch (ev->event) {
    case MICA_HOOK_CALL:
        if (strcmp(ev->method, "fib") == 0)
            h->calls++;
        break;
    case MICA_HOOK_RETURN:
        if (strcmp(ev->method, "fib") == 0)
            h->returns++;
        break;
    case MICA_HOOK_LINE:
        if (strcmp(ev->method, "fib") == 0) {
            h->lines++;
            if (ev->line > h->max_line)
                h->max_line = ev->line;
            if (!h->min_line || ev->line < h->min_line)
                h->min_line = ev->line;
        }
        break;
    case MICA_HOOK_THROW:
        h->throws++;
        break;
    }
    if (h->stop_after && h->lines >= h->stop_after)
        mica_interrupt(h->vm);
}

START_TEST(hooks)
{
    MicaVM *vm = calc_vm(0);
    MicaMethod *fib, *boom;
    ck_assert_int_eq(mica_find_method(vm, "Calc", "fib", "(I)I", &fib), MICA_OK);
    ck_assert_int_eq(mica_find_method(vm, "Calc", "boom", NULL, &boom), MICA_OK);
    MicaValue n = mica_int(15), r;
    /* hot first, so that compiled code exists: hooks must still see every call */
    for (int i = 0; i < 20; i++)
        ck_assert_int_eq(mica_call(vm, fib, &n, 1, &r), MICA_OK);
    HookCount h = {0};
    h.vm = vm;
    ck_assert_int_eq(mica_set_hook(vm, MICA_HOOK_CALL | MICA_HOOK_RETURN | MICA_HOOK_LINE |
                                           MICA_HOOK_THROW, on_hook, &h),
                     MICA_OK);
    ck_assert_int_eq(mica_call(vm, fib, &n, 1, &r), MICA_OK);
    ck_assert_int_eq(r.as.i, 610);
    ck_assert_int_eq(h.calls, 1973);   /* fib(15) makes 1973 calls */
    ck_assert_int_eq(h.returns, 1973);
    ck_assert_int_ge(h.lines, 1973);
    ck_assert_int_gt(h.min_line, 0);
    ck_assert_int_gt(h.max_line, h.min_line);
    MicaValue i = mica_int(7);
    ck_assert_int_eq(mica_call(vm, boom, &i, 1, NULL), MICA_ERR_EXCEPTION);
    ck_assert_int_eq(h.throws, 1);
    /* a hook may stop the program */
    h.stop_after = h.lines + 100;
    MicaValue big = mica_int(40);
    ck_assert_int_eq(mica_call(vm, fib, &big, 1, &r), MICA_ERR_INTERRUPTED);
    /* off again: no more events */
    ck_assert_int_eq(mica_set_hook(vm, 0, NULL, NULL), MICA_OK);
    int before = h.calls;
    ck_assert_int_eq(mica_call(vm, fib, &n, 1, &r), MICA_OK);
    ck_assert_int_eq(h.calls, before);
    ck_assert_int_eq(mica_set_hook(vm, 0x100, on_hook, NULL), MICA_ERR_INVALID);
    MicaStats st;
    ck_assert_int_eq(mica_stats(vm, &st), MICA_OK);
    ck_assert_uint_ge(st.jit_code_bytes, st.jit_compiled); /* any JIT figures add up */
    mica_vm_free(vm);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("api");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, version);
    tcase_add_test(tc, call_values);
    tcase_add_test(tc, objects_fields_arrays);
    tcase_add_test(tc, handles_checked);
    tcase_add_test(tc, host_functions);
    tcase_add_test(tc, host_mistyped);
    tcase_add_test(tc, errors_structured);
    tcase_add_test(tc, capabilities_and_output);
    tcase_add_test(tc, foreign_objects);
    tcase_add_test(tc, limits_and_interrupt);
    tcase_add_test(tc, interrupt_from_thread);
    tcase_add_test(tc, heap_cap_per_vm);
    tcase_add_test(tc, threads_many_vms);
    tcase_add_test(tc, thousands_of_vms);
    tcase_add_test(tc, hooks);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
