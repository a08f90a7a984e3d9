/* tests/unit/classfile/test_dlib.c: a library loaded on first use
 * (common/cm_dlib.h): the table filled from the first file name that has every
 * function, and a clear reason when no file has them or the table does not
 * match the list. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cm_dlib.h"

#define MATH_FUNCS(X) X(cos) X(sqrt)

typedef struct Math {
#define MATH_MEMBER(name) double (*name)(double);
    MATH_FUNCS(MATH_MEMBER)
#undef MATH_MEMBER
} Math;

static const char *const math_symbols[] = {MATH_FUNCS(CM_DLIB_NAME) NULL};

START_TEST(first_name_with_every_function)
{
    static const char *const names[] = {"libmica-no-such-library.so.1", "libm.so.6", NULL};
    CmDlib d = {.what = "libm", .names = names, .symbols = math_symbols};
    Math t;
    ck_assert(cm_dlib_open(&d, &t, sizeof t));
    ck_assert(d.loaded);
    ck_assert_str_eq(d.error, "");
    ck_assert(t.sqrt(16.0) == 4.0);
    ck_assert(t.cos(0.0) == 1.0);
}
END_TEST

START_TEST(a_missing_function_is_named)
{
    static const char *const names[] = {"libm.so.6", NULL};
    static const char *const symbols[] = {"sqrt", "mica_no_such_function", NULL};
    CmDlib d = {.what = "libm", .names = names, .symbols = symbols};
    Math t;
    ck_assert(!cm_dlib_open(&d, &t, sizeof t));
    ck_assert(!d.loaded);
    ck_assert_str_eq(d.error, "cannot load libm: libm.so.6 has no mica_no_such_function");
    ck_assert(t.sqrt == NULL);
}
END_TEST

START_TEST(no_file_gives_the_loader_reason)
{
    static const char *const names[] = {"libmica-no-such-library.so.1", NULL};
    CmDlib d = {.what = "Nothing", .names = names, .symbols = math_symbols};
    Math t;
    ck_assert(!cm_dlib_open(&d, &t, sizeof t));
    ck_assert(strncmp(d.error, "cannot load Nothing: libmica-no-such-library.so.1", 49) == 0);
}
END_TEST

START_TEST(a_table_of_another_size_is_refused)
{
    static const char *const names[] = {"libm.so.6", NULL};
    CmDlib d = {.what = "libm", .names = names, .symbols = math_symbols};
    double (*one[1])(double);
    ck_assert(!cm_dlib_open(&d, one, sizeof one));
    ck_assert_str_eq(d.error, "cannot load libm: 2 functions for a table of 8 bytes");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dlib");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, first_name_with_every_function);
    tcase_add_test(tc, a_missing_function_is_named);
    tcase_add_test(tc, no_file_gives_the_loader_reason);
    tcase_add_test(tc, a_table_of_another_size_is_refused);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
