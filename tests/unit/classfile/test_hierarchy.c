/* tests/unit/classfile/test_hierarchy.c: the shared class hierarchy over class files
 * (CfHeaders) and the assignability rule every hierarchy uses. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"

typedef struct Blob {
    const char *name;
    uint8_t *bytes;
    size_t len;
} Blob;

typedef struct Set {
    Blob b[8];
    int n;
    int finds;      /* calls to find */
} Set;

static const uint8_t *find(void *ud, const char *name, size_t *len, const char **origin)
{
    Set *s = ud;
    (void)origin;
    s->finds++;
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->b[i].name, name) == 0) {
            *len = s->b[i].len;
            return s->b[i].bytes;
        }
    return NULL;
}

/* Adds class [name] extending [super] (NULL: none) implementing [iface] (or NULL). */
static void add(Set *s, const char *name, const char *super, const char *iface, uint16_t flags,
                const char *field)
{
    CfClass *c = cf_class_new();
    ck_assert_ptr_nonnull(c);
    c->flags = flags;
    c->this_class = cf_cp_class(c, name);
    c->super_class = super ? cf_cp_class(c, super) : 0;
    if (iface)
        ck_assert_int_eq(cf_add_interface(c, iface), 0);
    if (field)
        ck_assert_ptr_nonnull(cf_add_field(c, 0, field, "I"));
    CfError err;
    Blob *b = &s->b[s->n++];
    b->name = name;
    ck_assert_int_eq(cf_write(c, &b->bytes, &b->len, &err), 0);
    cf_class_free(c);
}

static void set_free(Set *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->b[i].bytes);
}

START_TEST(assignable_by_name_rule)
{
    ck_assert_int_eq(cf_assignable_by_name("a/B", "a/B"), 1);
    ck_assert_int_eq(cf_assignable_by_name("[I", "std/core/Object"), 1);
    ck_assert_int_eq(cf_assignable_by_name("[I", "[I"), 1);
    ck_assert_int_eq(cf_assignable_by_name("[I", "[F"), 0);
    ck_assert_int_eq(cf_assignable_by_name("a/B", "[I"), 0);
    ck_assert_int_eq(cf_assignable_by_name("a/B", "a/A"), -1);
}
END_TEST

START_TEST(headers_answer_the_verifier)
{
    Set s = {0};
    add(&s, "std/core/Object", NULL, NULL, 0, NULL);
    add(&s, "a/I", "std/core/Object", NULL, CF_ACC_INTERFACE | CF_ACC_ABSTRACT, NULL);
    add(&s, "a/A", "std/core/Object", "a/I", 0, "x");
    add(&s, "a/B", "a/A", NULL, 0, NULL);
    CfHeaders *hs = cf_headers_new(find, &s);
    ck_assert_ptr_nonnull(hs);
    CfHierarchy h = cf_headers_hierarchy(hs);
    CfError err = {0};
    ck_assert_int_eq(h.assignable(h.ud, "a/B", "a/A", &err), 1);
    ck_assert_int_eq(h.assignable(h.ud, "a/B", "a/I", &err), 1);
    ck_assert_int_eq(h.assignable(h.ud, "a/A", "a/B", &err), 0);
    ck_assert_int_eq(h.is_interface(h.ud, "a/I", &err), 1);
    ck_assert_int_eq(h.is_interface(h.ud, "a/B", &err), 0);
    ck_assert_int_eq(h.assignable(h.ud, "a/Missing", "a/A", &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "a/Missing"));
    /* headers are read once: asking again finds nothing new */
    int finds = s.finds;
    ck_assert_int_eq(h.assignable(h.ud, "a/B", "a/I", &err), 1);
    ck_assert_int_eq(s.finds, finds);
    /* a field is found where it is declared, through the subclass */
    uint16_t flags = 0xFFFF;
    const char *decl = NULL;
    ck_assert_int_eq(h.lookup_field(h.ud, "a/B", "x", "I", &flags, &decl, &err), 1);
    ck_assert_str_eq(decl, "a/A");
    ck_assert_uint_eq(flags, 0);
    ck_assert_int_eq(h.lookup_field(h.ud, "a/B", "x", "F", &flags, &decl, &err), 0);
    cf_headers_free(hs);
    set_free(&s);
}
END_TEST

static Suite *hierarchy_suite(void)
{
    Suite *s = suite_create("hierarchy");
    TCase *tc = tcase_create("headers");
    tcase_add_test(tc, assignable_by_name_rule);
    tcase_add_test(tc, headers_answer_the_verifier);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(hierarchy_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
