/* tests/unit/vm/test_format.c: float-to-text conversion (Java's Double.toString). */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../../stdlib/natives/natives.h"

static const char *fmt(double v)
{
    static char buf[64]; /* test-only scratch */
    std_format_double(v, buf, sizeof buf);
    return buf;
}

START_TEST(test_plain_notation)
{
    ck_assert_str_eq(fmt(1.0), "1.0");
    ck_assert_str_eq(fmt(-1.0), "-1.0");
    ck_assert_str_eq(fmt(100.0), "100.0");
    ck_assert_str_eq(fmt(0.1), "0.1");
    ck_assert_str_eq(fmt(0.1 + 0.2), "0.30000000000000004");
    ck_assert_str_eq(fmt(0.001), "0.001");
    ck_assert_str_eq(fmt(3.141592653589793), "3.141592653589793");
    ck_assert_str_eq(fmt(1234567.0), "1234567.0");
    ck_assert_str_eq(fmt(9999999.0), "9999999.0");
    ck_assert_str_eq(fmt(2.5), "2.5");
    ck_assert_str_eq(fmt(-0.0015), "-0.0015");
    ck_assert_str_eq(fmt(123.456), "123.456");
    ck_assert_str_eq(fmt(1.0 / 3.0), "0.3333333333333333");
    ck_assert_str_eq(fmt(2.0 / 3.0), "0.6666666666666666");
}
END_TEST

START_TEST(test_scientific_notation)
{
    ck_assert_str_eq(fmt(1e21), "1.0E21");
    ck_assert_str_eq(fmt(1e-4), "1.0E-4");
    ck_assert_str_eq(fmt(12345678.0), "1.2345678E7");
    ck_assert_str_eq(fmt(1e7), "1.0E7");
    ck_assert_str_eq(fmt(-2.5e-5), "-2.5E-5");
    ck_assert_str_eq(fmt(DBL_MAX), "1.7976931348623157E308");
    ck_assert_str_eq(fmt(1.5e-300), "1.5E-300");
    ck_assert_str_eq(fmt(DBL_MIN), "2.2250738585072014E-308");
    ck_assert_str_eq(fmt(0.00099), "9.9E-4");
}
END_TEST

START_TEST(test_special_values)
{
    ck_assert_str_eq(fmt(NAN), "NaN");
    ck_assert_str_eq(fmt(INFINITY), "Infinity");
    ck_assert_str_eq(fmt(-INFINITY), "-Infinity");
    ck_assert_str_eq(fmt(0.0), "0.0");
    ck_assert_str_eq(fmt(-0.0), "-0.0");
}
END_TEST

START_TEST(test_round_trip)
{
    /* every output reads back to the same double */
    double vals[] = {0.1, 1.0 / 7, 6.02214076e23, 1e-300, 123456.789e10, 5e-324, 0.5e-3,
                     9007199254740993.0, 1.7976931348623157e308, -42.000001};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        ck_assert(strtod(fmt(vals[i]), NULL) == vals[i]);
    /* truncation to a small buffer is NUL-terminated and reports the full length */
    char small[4];
    ck_assert_uint_eq(std_format_double(0.30000000000000004, small, sizeof small), 19);
    ck_assert_str_eq(small, "0.3");
}
END_TEST

static Suite *format_suite(void)
{
    Suite *s = suite_create("vm_format");
    TCase *tc = tcase_create("double");
    tcase_add_test(tc, test_plain_notation);
    tcase_add_test(tc, test_scientific_notation);
    tcase_add_test(tc, test_special_values);
    tcase_add_test(tc, test_round_trip);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(format_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
