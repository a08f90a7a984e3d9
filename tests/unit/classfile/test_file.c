/* tests/unit/classfile/test_file.c: cf_read_file reads a file whole up to its
 * limit and refuses a longer one whole, naming its size. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classfile.h"

static void make_file(const char *path, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (size_t i = 0; i < n; i++)
        fputc((int)('a' + i % 26), f);
    fclose(f);
}

START_TEST(test_limit_exact_and_one_over)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/mica_cf_file_%ld", (long)getpid());
    uint8_t *data = NULL;
    size_t len = 0;
    CfError err;
    int e = -1;

    make_file(path, 5000); /* past the first 4096-byte read */
    ck_assert_int_eq(cf_read_file(path, 5000, &data, &len, &err, &e), 0);
    ck_assert_uint_eq(len, 5000);
    ck_assert_int_eq(data[4999], 'a' + 4999 % 26);
    ck_assert_int_eq(e, 0);
    free(data);

    ck_assert_int_eq(cf_read_file(path, 4999, &data, &len, &err, &e), -1);
    char want[160];
    snprintf(want, sizeof want, "%s: file size 5000 exceeds the limit of 4999 bytes", path);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(e, 0);

    make_file(path, 0);
    ck_assert_int_eq(cf_read_file(path, 10, &data, &len, &err, NULL), 0);
    ck_assert_uint_eq(len, 0);
    free(data);

    unlink(path);
    ck_assert_int_eq(cf_read_file(path, 10, &data, &len, &err, &e), -1);
    ck_assert_int_ne(e, 0);
    ck_assert_ptr_nonnull(strstr(err.msg, ": cannot open: "));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cf_file");
    TCase *tc = tcase_create("file");
    tcase_add_test(tc, test_limit_exact_and_one_over);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
