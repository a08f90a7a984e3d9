/* tests/unit/classfile/test_mem.c: the wrapper for C memory (common/cm_mem.h): its
 * limits, and its failure-injection hook turning each allocation of the class reader
 * and the verifier in turn into their ordinary "out of memory" error, never a crash;
 * MICA_ASSERT's debug form. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"
#include "cm_mem.h"

/* the debug form of the assertions, which release builds (NDEBUG) never compile */
#undef NDEBUG
#include "cm_assert.h"

/* The hook: counts allocations; fails the one numbered [fail_at] (1-based; 0: none). */
typedef struct Inject {
    size_t calls, fail_at;
} Inject;

static bool inject(size_t size, void *ud)
{
    (void)size;
    Inject *in = ud;
    return ++in->calls != in->fail_at;
}

/* A class big enough that the reader's arena takes several chunks: its first is
 * sized from the file, and a thousand small fields take more memory unpacked than
 * that estimate. */
static void sample_bytes(uint8_t **out, size_t *len)
{
    CfClass *c = cf_class_new();
    ck_assert_ptr_nonnull(c);
    c->this_class = cf_cp_class(c, "t/Big");
    c->super_class = cf_cp_class(c, "std/core/Object");
    char text[3000];
    for (int i = 0; i < 1000; i++) {
        if (i < 4) {
            memset(text, 'a' + i % 26, sizeof text);
            snprintf(text, 16, "s%d_", i);
            text[strlen(text)] = 'x';
            ck_assert_uint_ne(cf_cp_string(c, text, sizeof text), 0);
        }
        char name[16];
        snprintf(name, sizeof name, "f%d", i);
        ck_assert_ptr_nonnull(cf_add_field(c, CF_ACC_STATIC, name, "I"));
    }
    static const uint8_t code[] = {CF_OP_ICONST, 0, 0, 0, 1, CF_OP_POP, CF_OP_RETURN};
    CfMethod *m = cf_add_method(c, CF_ACC_STATIC, "main", "()V");
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(cf_set_code(c, m, 1, 0, NULL, code, sizeof code, NULL, 0), 0);
    CfError err;
    ck_assert_int_eq(cf_write(c, out, len, &err), 0);
    cf_class_free(c);
}

START_TEST(test_limits)
{
    MICA_ASSERT(sizeof(void *) >= 4); /* holds: nothing happens */
    ck_assert_ptr_null(cm_malloc(CM_MAX_ALLOC + (size_t)1));
    ck_assert_ptr_null(cm_calloc(SIZE_MAX / 2, 4)); /* n * size overflows */
    ck_assert_ptr_null(cm_realloc(NULL, CM_MAX_ALLOC + (size_t)1));
    char *s = cm_strdup("abc");
    ck_assert_str_eq(s, "abc");
    cm_free(s);
    Inject in = {0, 1};
    cm_set_alloc_hook(inject, &in);
    ck_assert_ptr_null(cm_strdup("refused"));
    ck_assert_ptr_nonnull(s = cm_malloc(8));
    cm_set_alloc_hook(NULL, NULL);
    cm_free(s);
    ck_assert_uint_eq(in.calls, 2);
}
END_TEST

START_TEST(test_reader_allocation_failures)
{
    uint8_t *bytes;
    size_t len;
    sample_bytes(&bytes, &len);
    CfError err;
    /* count the allocations of a read that succeeds */
    Inject in = {0, 0};
    cm_set_alloc_hook(inject, &in);
    CfClass *c = cf_read(bytes, len, "t/Big.mcl", &err);
    cm_set_alloc_hook(NULL, NULL);
    ck_assert_ptr_nonnull(c);
    cf_class_free(c);
    size_t n = in.calls;
    ck_assert_uint_ge(n, 3);
    /* then fail each one in turn: a clean error naming the file, every time */
    for (size_t k = 1; k <= n; k++) {
        in = (Inject){0, k};
        cm_set_alloc_hook(inject, &in);
        c = cf_read(bytes, len, "t/Big.mcl", &err);
        cm_set_alloc_hook(NULL, NULL);
        ck_assert_msg(c == NULL, "allocation %zu of %zu failed but the read succeeded", k, n);
        ck_assert_msg(strstr(err.msg, "t/Big.mcl: ") && strstr(err.msg, "out of memory"),
                      "allocation %zu: %s", k, err.msg);
    }
    free(bytes);
}
END_TEST

START_TEST(test_verifier_allocation_failures)
{
    uint8_t *bytes;
    size_t len;
    sample_bytes(&bytes, &len);
    CfError err;
    CfClass *c = cf_read(bytes, len, "t/Big.mcl", &err);
    ck_assert_ptr_nonnull(c);
    Inject in = {0, 0};
    cm_set_alloc_hook(inject, &in);
    ck_assert_int_eq(cf_verify_class(c, NULL, NULL, &err), 0);
    cm_set_alloc_hook(NULL, NULL);
    size_t n = in.calls;
    ck_assert_uint_ge(n, 1);
    for (size_t k = 1; k <= n; k++) {
        in = (Inject){0, k};
        cm_set_alloc_hook(inject, &in);
        int rc = cf_verify_class(c, NULL, NULL, &err);
        cm_set_alloc_hook(NULL, NULL);
        ck_assert_int_eq(rc, -1);
        ck_assert_msg(strstr(err.msg, "out of memory") != NULL, "allocation %zu: %s", k,
                      err.msg);
    }
    cf_class_free(c);
    free(bytes);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cf_mem");
    TCase *tc = tcase_create("mem");
    tcase_add_test(tc, test_limits);
    tcase_add_test(tc, test_reader_allocation_failures);
    tcase_add_test(tc, test_verifier_allocation_failures);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
