/* tests/unit/vm/test_sealed.c: the std packages are sealed: a host cannot define
 * a class in them with mica_load_bytes, and the embedded classes stay in use. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mica.h"
#include "vm.h"
#include "vm_asm.h"

static MicaStatus load_class(MicaVM *vm, CfClass *c)
{
    uint8_t *bytes;
    size_t len;
    CfError err;
    ck_assert_msg(cf_write(c, &bytes, &len, &err) == 0, "%s", err.msg);
    MicaStatus st = mica_load_bytes(vm, bytes, len);
    free(bytes);
    cf_class_free(c);
    return st;
}

static void expect_refused(MicaVM *vm, CfClass *c, const char *name)
{
    ck_assert_int_eq(load_class(vm, c), MICA_ERR_LINK);
    char want[256];
    snprintf(want, sizeof want,
             "class %s from bytes from the host: package std is sealed, only the embedded "
             "standard library defines its classes", name);
    ck_assert_str_eq(mica_last_error(vm), want);
}

START_TEST(test_host_cannot_define_std_classes)
{
    MicaVM *vm = NULL;
    ck_assert_int_eq(mica_vm_new(NULL, &vm), MICA_OK);

    CfClass *obj = cf_class_new();
    ck_assert_ptr_nonnull(obj);
    obj->this_class = cf_cp_class(obj, "std/core/Object");
    cf_add_field(obj, 0, "x", "I");
    expect_refused(vm, obj, "std/core/Object");

    CfClass *str = new_class("std/core/String", NULL, CF_ACC_FINAL);
    cf_add_field(str, 0, "p", "Lstd/core/Object;");
    expect_refused(vm, str, "std/core/String");

    expect_refused(vm, new_class("std/core/IndexError", "std/core/Exception", 0),
                   "std/core/IndexError");
    expect_refused(vm, new_class("std/collections/List", NULL, 0), "std/collections/List");
    expect_refused(vm, new_class("std/Backdoor", NULL, 0), "std/Backdoor");

    /* the embedded String is the one in use: a literal's length is right */
    CfClass *m = new_class("Main", NULL, 0);
    Asm a = {0};
    op16(&a, CF_OP_LDC, cf_cp_string(m, "hello", 5));
    op16(&a, CF_OP_INVOKEVIRTUAL, cf_cp_method(m, "std/core/String", "length", "()I"));
    op(&a, CF_OP_RETURN);
    add_code(m, CF_ACC_STATIC, "f", "()I", 2, NULL, 0, &a, NULL, 0);
    ck_assert_int_eq(load_class(vm, m), MICA_OK);
    uint64_t r = 0;
    MicaStatus st;
    vm_call_static(vm, "Main", "f", "()I", NULL, 0, &r, &st);
    ck_assert_int_eq(st, MICA_OK);
    ck_assert_int_eq((int64_t)r, 5);
    mica_vm_free(vm);
}
END_TEST

START_TEST(test_sealed_names)
{
    ck_assert(mica_std_sealed("std/core/String"));
    ck_assert(mica_std_sealed("std/io"));
    ck_assert(mica_std_sealed("std"));
    ck_assert(!mica_std_sealed("stdx/Thing"));
    ck_assert(!mica_std_sealed("app/std/Thing"));
    ck_assert(!mica_std_sealed("Std"));
    ck_assert(!mica_std_sealed(NULL));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vm_sealed");
    TCase *tc = tcase_create("sealed");
    tcase_add_test(tc, test_host_cannot_define_std_classes);
    tcase_add_test(tc, test_sealed_names);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
