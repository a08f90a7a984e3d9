/* tests/unit/vm/test_strings.c: String.equals and substring as intrinsics
 * (vm/object.c vm_string_equals and vm_new_ascii_string, vm/link.c, vm/interp.c):
 * the comparison on every kind of pair, the ASCII substring's code-point fields,
 * calls of String.equals and substring quickened into their intrinsics, which
 * give the native's results and, out of range, its exception; and which natives
 * take the plain direct call (vm/native.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"
#include "mica.h"
#include "ops.h"
#include "vm.h"
#include "link.h"
#include "vm_asm.h"

static MicaVM *new_vm(void)
{
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.jit_mode = MICA_JIT_OFF; /* the quickened ops are looked at below */
    MicaVM *vm = NULL;
    ck_assert_int_eq(mica_vm_new(&cfg, &vm), MICA_OK);
    return vm;
}

static VmString *str(MicaVM *vm, const char *s)
{
    VmString *r = vm_new_string(vm, s, strlen(s));
    ck_assert_ptr_nonnull(r);
    return r;
}

START_TEST(test_equals_pairs)
{
    MicaVM *vm = new_vm();
    VmString *a = str(vm, "abc"), *b = str(vm, "abc"), *e1 = str(vm, ""), *e2 = str(vm, "");
    ck_assert(vm_string_equals(a, a));
    ck_assert(vm_string_equals(a, b));
    ck_assert(vm_string_equals(e1, e2));
    ck_assert(!vm_string_equals(a, NULL));
    ck_assert(!vm_string_equals(a, str(vm, "abd")));
    ck_assert(!vm_string_equals(a, str(vm, "ab")));
    ck_assert(!vm_string_equals(a, str(vm, "abcd")));
    ck_assert(!vm_string_equals(e1, a));
    /* bytes past 0x7f, and a NUL inside: every byte counts */
    ck_assert(vm_string_equals(str(vm, "h\xc3\xa9"), str(vm, "h\xc3\xa9")));
    ck_assert(!vm_string_equals(str(vm, "h\xc3\xa9"), str(vm, "h\xc3\xa8")));
    VmString *n1 = vm_new_string(vm, "a\0b", 3), *n2 = vm_new_string(vm, "a\0c", 3);
    ck_assert(!vm_string_equals(n1, n2));
    /* another class with the same first words is not a String */
    VmClass *oc = vm_resolve_class(vm, "std/core/Object");
    ck_assert_ptr_nonnull(oc);
    VmObject *o = vm_new_object(vm, oc);
    ck_assert_ptr_nonnull(o);
    ck_assert(!vm_string_equals(e1, o));
    mica_vm_free(vm);
}
END_TEST

START_TEST(test_ascii_string)
{
    MicaVM *vm = new_vm();
    VmString *s = vm_new_ascii_string(vm, "hello", 3);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(s->length, 3);
    ck_assert(s->cp_known && s->ascii);
    ck_assert_int_eq(s->cp_length, 3);
    ck_assert_str_eq(s->bytes, "hel"); /* NUL-terminated */
    ck_assert(!s->hashed);
    ck_assert(vm_string_equals(s, str(vm, "hel")));
    VmString *z = vm_new_ascii_string(vm, "x", 0);
    ck_assert_ptr_nonnull(z);
    ck_assert_int_eq(z->length, 0);
    ck_assert_int_eq(z->cp_length, 0);
    mica_vm_free(vm);
}
END_TEST

/* Main.e(String, Object): a.equals(b); Main.s(String, int, int): a.substring(b, c). */
static void load_main(MicaVM *vm)
{
    CfClass *c = new_class("Main", NULL, 0);
    Asm a = {0};
    op16(&a, CF_OP_LOAD, 0);
    op16(&a, CF_OP_LOAD, 1);
    op16(&a, CF_OP_INVOKEVIRTUAL,
         cf_cp_method(c, "std/core/String", "equals", "(Lstd/core/Object;)Z"));
    op(&a, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "e", "(Lstd/core/String;Lstd/core/Object;)Z", 2, NULL, 0, &a,
             NULL, 0);
    Asm b = {0};
    for (uint16_t i = 0; i < 3; i++)
        op16(&b, CF_OP_LOAD, i);
    op16(&b, CF_OP_INVOKEVIRTUAL,
         cf_cp_method(c, "std/core/String", "substring", "(II)Lstd/core/String;"));
    op(&b, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "s", "(Lstd/core/String;II)Lstd/core/String;", 3, NULL, 0, &b,
             NULL, 0);
    ck_assert_int_eq(load(vm, c), MICA_OK);
}

static bool call_e(MicaVM *vm, void *a, void *b)
{
    uint64_t args[2] = {vm_ref_slot(a), vm_ref_slot(b)}, r = 7;
    MicaStatus st;
    vm_call_static(vm, "Main", "e", "(Lstd/core/String;Lstd/core/Object;)Z", args, 2, &r, &st);
    ck_assert_int_eq(st, MICA_OK);
    ck_assert(r == 0 || r == 1);
    return r == 1;
}

static VmString *call_s(MicaVM *vm, VmString *a, int64_t from, int64_t to, MicaStatus *st)
{
    uint64_t args[3] = {vm_ref_slot(a), (uint64_t)from, (uint64_t)to}, r = 0;
    vm->roots->pending = NULL;
    vm_call_static(vm, "Main", "s", "(Lstd/core/String;II)Lstd/core/String;", args, 3, &r, st);
    return vm_slot_ref(r);
}

START_TEST(test_calls_become_intrinsics)
{
    MicaVM *vm = new_vm();
    load_main(vm);
    VmString *a = str(vm, "hello"), *u = str(vm, "h\xc3\xa9llo");
    MicaStatus st;
    ck_assert(!call_e(vm, a, u)); /* resolves the call */
    VmClass *mc = vm_load_class_if_loaded(vm, "Main");
    VmMethod *e = vm_find_declared(mc, "e", "(Lstd/core/String;Lstd/core/Object;)Z");
    ck_assert_int_eq(e->code[2].op, VM_OP_STREQ_Q);
    ck_assert(call_e(vm, a, a));
    ck_assert(call_e(vm, a, str(vm, "hello")));
    ck_assert(!call_e(vm, a, str(vm, "hellp")));
    ck_assert(!call_e(vm, a, NULL));
    ck_assert(call_e(vm, u, str(vm, "h\xc3\xa9llo")));
    /* a null receiver: the call's NullError */
    uint64_t args[2] = {0, vm_ref_slot(a)}, r = 0;
    vm_call_static(vm, "Main", "e", "(Lstd/core/String;Lstd/core/Object;)Z", args, 2, &r, &st);
    ck_assert_int_ne(st, MICA_OK);
    ck_assert_str_eq(pending_message(vm), "cannot call method equals on null");

    /* the first call is the native's: it counts the code points */
    VmString *s = call_s(vm, a, 1, 3, &st);
    ck_assert_int_eq(st, MICA_OK);
    ck_assert_str_eq(s->bytes, "el");
    VmMethod *sm = vm_find_declared(mc, "s", "(Lstd/core/String;II)Lstd/core/String;");
    ck_assert_int_eq(sm->code[3].op, VM_OP_SUBSTR_Q);
    s = call_s(vm, a, 4, 5, &st);
    ck_assert_int_eq(st, MICA_OK);
    ck_assert_str_eq(s->bytes, "o");
    ck_assert(s->cp_known && s->ascii && s->cp_length == 1);
    ck_assert_ptr_eq(call_s(vm, a, 0, 5, &st), a); /* the whole: itself */
    s = call_s(vm, a, 5, 5, &st);
    ck_assert_int_eq(st, MICA_OK);
    ck_assert_int_eq(s->length, 0);
    const int64_t bad[][2] = {{-1, 2}, {2, 6}, {3, 2}, {-2, -1}, {0, INT64_MIN}};
    const char *msg[] = {"begin -1, end 2, length 5", "begin 2, end 6, length 5",
                         "begin 3, end 2, length 5", "begin -2, end -1, length 5",
                         "begin 0, end -9223372036854775808, length 5"};
    for (int k = 0; k < 5; k++) {
        ck_assert_ptr_null(call_s(vm, a, bad[k][0], bad[k][1], &st));
        ck_assert_int_ne(st, MICA_OK);
        ck_assert_str_eq(pending_message(vm), msg[k]);
    }
    /* not ASCII: the native, by code points */
    s = call_s(vm, u, 1, 3, &st);
    ck_assert_int_eq(st, MICA_OK);
    ck_assert_str_eq(s->bytes, "\xc3\xa9l");
    mica_vm_free(vm);
}
END_TEST

static const VmNative *bound(MicaVM *vm, const char *cls, const char *name, const char *desc)
{
    MicaStatus st;
    VmClass *c = vm_load_class(vm, cls, &st);
    ck_assert_ptr_nonnull(c);
    VmMethod *m = vm_find_method(c, name, desc);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(vm_prepare(vm, m), 0);
    ck_assert_ptr_nonnull(m->native);
    return m->native;
}

/* A shape whose argument slots are the C arguments is plain (both tiers call it
 * without converting them); a bool or byte argument, a C string or a host
 * function is not. */
START_TEST(test_plain_natives)
{
    MicaVM *vm = new_vm();
    const VmNative *n = bound(vm, "std/core/String", "startsWith", "(Lstd/core/String;)Z");
    ck_assert(n->plain && n->mica && n->shape);
    n = bound(vm, "std/core/Math", "pow", "(FF)F");
    ck_assert(n->plain && !n->mica);
    n = bound(vm, "std/core/String", "ofFloat", "(F)Lstd/core/String;");
    ck_assert(n->plain);
    n = bound(vm, "std/math/BigInteger", "toIntOf", "([BZ)I");
    ck_assert(n->shape && !n->plain);
    mica_vm_free(vm);
}
END_TEST

static Suite *strings_suite(void)
{
    Suite *s = suite_create("vm_strings");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_equals_pairs);
    tcase_add_test(tc, test_ascii_string);
    tcase_add_test(tc, test_calls_become_intrinsics);
    tcase_add_test(tc, test_plain_natives);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(strings_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
