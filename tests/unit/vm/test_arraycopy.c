/* tests/unit/vm/test_arraycopy.c: copying array ranges (vm/arraycopy.c): the fast
 * case the intrinsic runs against an element loop over every small range, when it
 * declines, the full copy's errors, and a call of std.util.Arrays.copy quickened
 * into the intrinsic. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"
#include "mica.h"
#include "ops.h"
#include "vm.h"
#include "vm_asm.h"

static MicaVM *new_vm(void)
{
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.jit_mode = MICA_JIT_OFF; /* the quickened op is looked at below */
    MicaVM *vm = NULL;
    ck_assert_int_eq(mica_vm_new(&cfg, &vm), MICA_OK);
    return vm;
}

static VmArray *new_array(MicaVM *vm, const char *desc, int64_t n)
{
    VmClass *c = vm_resolve_class(vm, desc);
    ck_assert_ptr_nonnull(c);
    VmArray *a = vm_new_array(vm, c, n);
    ck_assert_ptr_nonnull(a);
    return a;
}

static const char *pending_class(MicaVM *vm)
{
    return vm->roots->pending ? vm->roots->pending->cls->name : "(none)";
}

/* Every range of arrays of up to 5 elements, valid or not, one array or two: the
 * fast copy does what an element loop through a temporary does, or declines and
 * leaves both arrays alone exactly when a check fails. */
START_TEST(test_fast_matches_loop)
{
    MicaVM *vm = new_vm();
    const char *descs[] = {"[I", "[B"};
    for (int d = 0; d < 2; d++) {
        bool bytes = d == 1;
        for (int64_t len = 0; len <= 5; len++) {
            for (int64_t sp = -1; sp <= len + 1; sp++) {
                for (int64_t dp = -1; dp <= len + 1; dp++) {
                    for (int64_t n = -1; n <= len + 1; n++) {
                        for (int same = 0; same < 2; same++) {
                            VmArray *a = new_array(vm, descs[d], len);
                            VmArray *b = same ? a : new_array(vm, descs[d], len);
                            int64_t want_a[8] = {0}, want_b[8] = {0}, tmp[8];
                            for (int64_t i = 0; i < len; i++) {
                                want_a[i] = 10 + i;
                                want_b[i] = same ? want_a[i] : 20 + i;
                            }
                            if (same)
                                memcpy(want_b, want_a, sizeof want_a);
                            for (int64_t i = 0; i < len; i++) {
                                if (bytes) {
                                    ((uint8_t *)vm_array_data(a))[i] = (uint8_t)want_a[i];
                                    ((uint8_t *)vm_array_data(b))[i] = (uint8_t)want_b[i];
                                } else {
                                    ((int64_t *)vm_array_data(a))[i] = want_a[i];
                                    ((int64_t *)vm_array_data(b))[i] = want_b[i];
                                }
                            }
                            bool ok = n >= 0 && sp >= 0 && sp + n <= len && dp >= 0 &&
                                      dp + n <= len;
                            if (ok) {
                                for (int64_t i = 0; i < n; i++)
                                    tmp[i] = want_a[sp + i];
                                for (int64_t i = 0; i < n; i++)
                                    want_b[dp + i] = tmp[i];
                                if (same)
                                    memcpy(want_a, want_b, sizeof want_b);
                            }
                            ck_assert_int_eq(vm_array_copy_fast(a, sp, b, dp, n), ok);
                            for (int64_t i = 0; i < len; i++) {
                                int64_t x = bytes ? ((uint8_t *)vm_array_data(a))[i]
                                                  : ((int64_t *)vm_array_data(a))[i];
                                int64_t y = bytes ? ((uint8_t *)vm_array_data(b))[i]
                                                  : ((int64_t *)vm_array_data(b))[i];
                                ck_assert_int_eq(x, want_a[i]);
                                ck_assert_int_eq(y, want_b[i]);
                            }
                        }
                    }
                }
            }
        }
    }
    mica_vm_free(vm);
}
END_TEST

/* References: an Object[] takes anything, a String[] takes a String[]'s elements;
 * from an Object[] into a String[] the fast copy declines and the full copy checks
 * each element, storing those before the first it cannot. */
START_TEST(test_reference_stores)
{
    MicaVM *vm = new_vm();
    VmArray *objs = new_array(vm, "[Lstd/core/Object;", 3);
    VmArray *strs = new_array(vm, "[Lstd/core/String;", 3);
    VmArray *strs2 = new_array(vm, "[Lstd/core/String;", 3);
    VmObject **o = vm_array_data(objs), **s = vm_array_data(strs);
    VmObject *hi = (VmObject *)vm_new_string(vm, "hi", 2);
    s[0] = hi;
    ck_assert(vm_array_copy_fast(strs, 0, objs, 1, 1));
    ck_assert_ptr_eq(o[1], hi);
    ck_assert(vm_array_copy_fast(strs, 0, strs2, 2, 1));
    ck_assert(!vm_array_copy_fast(objs, 0, strs, 0, 3));
    ck_assert_int_eq(vm_array_copy(vm, objs, 0, strs, 0, 3), 0); /* null, hi, null */
    ck_assert_ptr_eq(s[1], hi);
    o[0] = hi;
    o[1] = (VmObject *)objs; /* not a String */
    o[2] = hi;
    s[0] = s[1] = s[2] = NULL;
    ck_assert_int_eq(vm_array_copy(vm, objs, 0, strs, 0, 3), -1);
    ck_assert_str_eq(pending_class(vm), "std/core/ArrayStoreError");
    ck_assert_ptr_eq(s[0], hi);
    ck_assert_ptr_null(s[1]);
    ck_assert_ptr_null(s[2]);
    mica_vm_free(vm);
}
END_TEST

START_TEST(test_errors)
{
    MicaVM *vm = new_vm();
    VmArray *a = new_array(vm, "[I", 4), *b = new_array(vm, "[I", 2);
    vm->roots->pending = NULL;
    ck_assert_int_eq(vm_array_copy(vm, NULL, 0, b, 0, 0), -1);
    ck_assert_str_eq(pending_message(vm), "cannot copy from a null array");
    vm->roots->pending = NULL;
    ck_assert_int_eq(vm_array_copy(vm, a, 0, NULL, 0, 0), -1);
    ck_assert_str_eq(pending_message(vm), "cannot copy into a null array");
    vm->roots->pending = NULL;
    ck_assert_int_eq(vm_array_copy(vm, a, 0, b, 0, -3), -1);
    ck_assert_str_eq(pending_class(vm), "std/core/IllegalArgumentError");
    ck_assert_str_eq(pending_message(vm), "negative length: -3");
    vm->roots->pending = NULL;
    ck_assert_int_eq(vm_array_copy(vm, a, 3, b, 0, 2), -1);
    ck_assert_str_eq(pending_class(vm), "std/core/IndexError");
    ck_assert_str_eq(pending_message(vm), "source from 3, to 5, length 4");
    vm->roots->pending = NULL;
    ck_assert_int_eq(vm_array_copy(vm, a, 0, b, 1, 2), -1);
    ck_assert_str_eq(pending_message(vm), "destination from 1, to 3, length 2");
    vm->roots->pending = NULL;
    ck_assert_int_eq(vm_array_copy(vm, a, INT64_MAX, b, 0, 2), -1);
    ck_assert_str_eq(pending_message(vm),
                     "source from 9223372036854775807, to -9223372036854775807, length 4");
    vm->roots->pending = NULL;
    ck_assert_int_eq(vm_array_copy(vm, a, 4, b, 2, 0), 0);
    mica_vm_free(vm);
}
END_TEST

/* A call of Arrays.copy becomes the intrinsic at its first run; the intrinsic
 * copies, and a failing copy still raises the call's exception. */
START_TEST(test_call_becomes_intrinsic)
{
    MicaVM *vm = new_vm();
    CfClass *c = new_class("Main", NULL, 0);
    const char *desc = "([II[III)V";
    Asm a = {0};
    for (uint16_t i = 0; i < 5; i++)
        op16(&a, CF_OP_LOAD, i);
    op16(&a, CF_OP_INVOKESTATIC, cf_cp_method(c, "std/util/Arrays", "copy", desc));
    op(&a, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "c", desc, 5, NULL, 0, &a, NULL, 0);
    ck_assert_int_eq(load(vm, c), MICA_OK);
    VmArray *x = new_array(vm, "[I", 4);
    int64_t *d = vm_array_data(x);
    for (int i = 0; i < 4; i++)
        d[i] = i + 1;
    uint64_t args[5] = {vm_ref_slot(x), 0, vm_ref_slot(x), 1, 3}, r = 0;
    MicaStatus st;
    vm_call_static(vm, "Main", "c", desc, args, 5, &r, &st);
    ck_assert_int_eq(st, MICA_OK);
    VmMethod *m = vm_find_declared(vm_load_class_if_loaded(vm, "Main"), "c", desc);
    ck_assert_int_eq(m->code[5].op, VM_OP_ACOPY_Q);
    vm_call_static(vm, "Main", "c", desc, args, 5, &r, &st); /* now the intrinsic */
    ck_assert_int_eq(st, MICA_OK);
    ck_assert_int_eq(d[0], 1);
    ck_assert_int_eq(d[1], 1);
    ck_assert_int_eq(d[2], 1);
    ck_assert_int_eq(d[3], 2);
    args[4] = 4;
    vm->roots->pending = NULL;
    vm_call_static(vm, "Main", "c", desc, args, 5, &r, &st);
    ck_assert_int_ne(st, MICA_OK);
    ck_assert_str_eq(pending_message(vm), "destination from 1, to 5, length 4");
    mica_vm_free(vm);
}
END_TEST

static Suite *arraycopy_suite(void)
{
    Suite *s = suite_create("vm_arraycopy");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_fast_matches_loop);
    tcase_add_test(tc, test_reference_stores);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_call_becomes_intrinsic);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(arraycopy_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
