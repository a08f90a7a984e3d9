/* tests/unit/vm/test_fmod.c: the float remainder the VM computes itself (vm/fmod.c)
 * against the C library's fmod, bit for bit: signed zeros, infinities, NaNs,
 * subnormals, the largest and smallest magnitudes, and 200,000 pseudo-random pairs
 * (any bit patterns, and pairs of close exponents where the division runs long). */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"


/* The same result as libm: the same bits, or both NaN (a NaN's payload is the
 * hardware's, the same for both when one operand is NaN, but not a promise). */
static void check_pair(double x, double y)
{
    double want = fmod(x, y), got = vm_fmod(x, y);
    if (isnan(want)) {
        ck_assert_msg(isnan(got), "fmod(%a, %a): %a, want NaN", x, y, got);
        return;
    }
    ck_assert_msg(vm_float_slot(got) == vm_float_slot(want), "fmod(%a, %a): %a, want %a", x, y,
                  got, want);
}

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

START_TEST(test_fmod_special)
{
    static const double v[] = {0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 3.0, -3.0, 7.5, 0.1, 1e-300,
                               5e-324, -5e-324, 2.2250738585072014e-308,
                               2.2250738585072009e-308, 1e308, 1.7976931348623157e308,
                               -1.7976931348623157e308, 6.0221e23, 9007199254740993.0,
                               INFINITY, -INFINITY, NAN, -NAN};
    size_t n = sizeof v / sizeof v[0];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            check_pair(v[i], v[j]);
    /* a few by value */
    ck_assert(vm_fmod(7.5, 2.0) == 1.5);
    ck_assert(vm_fmod(-7.5, 2.0) == -1.5);
    ck_assert(vm_float_slot(vm_fmod(-4.0, 2.0)) == vm_float_slot(-0.0));
    ck_assert(vm_fmod(5e-324, 1.0) == 5e-324);
    ck_assert(isnan(vm_fmod(1.0, 0.0)) && isnan(vm_fmod(INFINITY, 1.0)));
    ck_assert(vm_fmod(1.0, INFINITY) == 1.0);
}
END_TEST

START_TEST(test_fmod_random)
{
    uint64_t s = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < 100000; i++) {
        uint64_t a = next(&s), b = next(&s);
        check_pair(vm_slot_float(a), vm_slot_float(b));
        /* exponents within 60 of each other, some of them subnormal */
        uint64_t e = (a >> 52 & 0x7ff) % 2046;
        uint64_t f = e + (b >> 58) > 60 ? e + (b >> 58) - 60 : e;
        uint64_t y = (b & ((UINT64_C(1) << 52) - 1)) | (f % 2046) << 52 | (b & UINT64_C(1) << 63);
        uint64_t x = (a & ~(UINT64_C(0x7ff) << 52)) | e << 52;
        check_pair(vm_slot_float(x), vm_slot_float(y));
    }
}
END_TEST

static Suite *fmod_suite(void)
{
    Suite *s = suite_create("fmod");
    TCase *tc = tcase_create("fmod");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_fmod_special);
    tcase_add_test(tc, test_fmod_random);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(fmod_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
