/* tests/unit/classfile/test_members.c: the verifier's member rules (access, static
 * versus instance, final fields) through the CfHierarchy lookups, the class-header
 * flag rules, and the reader's refusal of forged counts. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"

/* ---- a hierarchy where class Other declares a few members -------------------- */

static int h_assignable(void *ud, const char *from, const char *to, CfError *err)
{
    return !strcmp(from, to) || !strcmp(to, "std/core/Object");
}

static int h_is_interface(void *ud, const char *name, CfError *err)
{
    return 0;
}

static int h_field(void *ud, const char *owner, const char *name, const char *desc,
                   uint16_t *flags, const char **declaring, CfError *err)
{
    if (strcmp(owner, "Other") || strcmp(desc, "I"))
        return 0;
    *declaring = "Other";
    if (!strcmp(name, "priv"))
        *flags = CF_ACC_PRIVATE;
    else if (!strcmp(name, "stat"))
        *flags = CF_ACC_STATIC;
    else if (!strcmp(name, "fin"))
        *flags = CF_ACC_FINAL;
    else if (!strcmp(name, "open"))
        *flags = 0;
    else
        return 0;
    return 1;
}

static int h_method(void *ud, const char *owner, const char *name, const char *desc,
                    uint16_t *flags, const char **declaring, CfError *err)
{
    if (!strcmp(owner, "Broken")) {
        snprintf(err->msg, sizeof err->msg, "class Broken is broken");
        return -1;
    }
    if (strcmp(owner, "Other"))
        return 0;
    *declaring = "Other";
    if (!strcmp(name, "inst"))
        *flags = 0;
    else if (!strcmp(name, "hidden"))
        *flags = CF_ACC_PRIVATE | CF_ACC_STATIC;
    else
        return 0;
    return 1;
}

static const CfHierarchy hier = {NULL, h_assignable, h_is_interface, h_field, h_method, NULL};
static const CfHierarchy bare = {NULL, h_assignable, h_is_interface, NULL, NULL, NULL};

typedef struct Code {
    uint8_t b[64];
    uint32_t n;
} Code;

static void op(Code *k, uint8_t o)
{
    k->b[k->n++] = o;
}

static void op16(Code *k, uint8_t o, uint16_t v)
{
    op(k, o);
    op(k, (uint8_t)(v >> 8));
    op(k, (uint8_t)v);
}

static CfClass *new_main(uint16_t flags)
{
    CfClass *c = cf_class_new();
    ck_assert_ptr_nonnull(c);
    c->flags = flags;
    c->this_class = cf_cp_class(c, "Main");
    c->super_class = cf_cp_class(c, "std/core/Object");
    return c;
}

static void add(CfClass *c, uint16_t flags, const char *name, const char *desc, const Code *k)
{
    CfMethod *m = cf_add_method(c, flags, name, desc);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(cf_set_code(c, m, 4, 0, NULL, k->b, k->n, NULL, 0), 0);
}

/* Verifies [c] with [h]; returns the message ("" when accepted) and frees [c]. */
static const char *verify(CfClass *c, const CfHierarchy *h)
{
    static CfError err;
    if (cf_verify_class(c, h, NULL, &err) == 0)
        err.msg[0] = 0;
    cf_class_free(c);
    return err.msg;
}

/* main() { getstatic/getfield etc. of Other.NAME:I } */
static const char *field_use(uint8_t opc, const char *name, const CfHierarchy *h)
{
    CfClass *c = new_main(0);
    Code k = {0};
    if (opc == CF_OP_GETFIELD || opc == CF_OP_PUTFIELD)
        op(&k, CF_OP_ACONST_NULL);
    if (opc == CF_OP_PUTFIELD || opc == CF_OP_PUTSTATIC)
        op16(&k, CF_OP_ICONST, 0), op(&k, 0), op(&k, 0);
    op16(&k, opc, cf_cp_field(c, "Other", name, "I"));
    if (opc == CF_OP_GETFIELD || opc == CF_OP_GETSTATIC)
        op(&k, CF_OP_POP);
    op(&k, CF_OP_RETURN);
    add(c, CF_ACC_STATIC, "main", "()V", &k);
    return verify(c, h);
}

START_TEST(private_field_of_other_class)
{
    ck_assert_str_eq(field_use(CF_OP_GETFIELD, "priv", &hier),
                     "Main.main()V @1 getfield: field Other.priv:I is private to Other");
}
END_TEST

START_TEST(static_versus_instance_field)
{
    ck_assert_str_eq(field_use(CF_OP_GETFIELD, "stat", &hier),
                     "Main.main()V @1 getfield: field Other.stat:I is static, expected an "
                     "instance one");
    ck_assert_str_eq(field_use(CF_OP_GETSTATIC, "open", &hier),
                     "Main.main()V @0 getstatic: field Other.open:I is an instance member, "
                     "expected a static one");
    ck_assert_str_eq(field_use(CF_OP_GETSTATIC, "stat", &hier), "");
    ck_assert_str_eq(field_use(CF_OP_GETFIELD, "open", &hier), "");
}
END_TEST

START_TEST(final_field_store)
{
    ck_assert_str_eq(field_use(CF_OP_PUTFIELD, "fin", &hier),
                     "Main.main()V @6 putfield: field Other.fin:I is final: only "
                     "Other.<init> may assign it");
    ck_assert_str_eq(field_use(CF_OP_GETFIELD, "fin", &hier), "");
}
END_TEST

/* Without lookups (or for members the hierarchy does not know) resolution decides. */
START_TEST(unknown_members_left_to_resolution)
{
    ck_assert_str_eq(field_use(CF_OP_GETFIELD, "priv", &bare), "");
    ck_assert_str_eq(field_use(CF_OP_GETFIELD, "missing", &hier), "");
}
END_TEST

START_TEST(method_rules)
{
    CfClass *c = new_main(0);
    Code k = {0};
    op16(&k, CF_OP_INVOKESTATIC, cf_cp_method(c, "Other", "hidden", "()V"));
    op(&k, CF_OP_RETURN);
    add(c, CF_ACC_STATIC, "main", "()V", &k);
    ck_assert_str_eq(verify(c, &hier),
                     "Main.main()V @0 invokestatic: method Other.hidden()V is private to Other");
    c = new_main(0);
    k.n = 0;
    op16(&k, CF_OP_INVOKESTATIC, cf_cp_method(c, "Broken", "f", "()V"));
    op(&k, CF_OP_RETURN);
    add(c, CF_ACC_STATIC, "main", "()V", &k);
    ck_assert_str_eq(verify(c, &hier), "Main.main()V @0 invokestatic: class Broken is broken");
}
END_TEST

/* Members of the class itself are checked even without hierarchy lookups. */
START_TEST(own_members_without_lookups)
{
    CfClass *c = new_main(0);
    ck_assert_ptr_nonnull(cf_add_field(c, CF_ACC_FINAL | CF_ACC_STATIC, "k", "I"));
    Code k = {0};
    op16(&k, CF_OP_ICONST, 0), op(&k, 0), op(&k, 1);
    op16(&k, CF_OP_PUTSTATIC, cf_cp_field(c, "Main", "k", "I"));
    op(&k, CF_OP_RETURN);
    add(c, CF_ACC_STATIC, "<clinit>", "()V", &k);
    add(c, CF_ACC_STATIC, "main", "()V", &k);
    ck_assert_str_eq(verify(c, &bare), "Main.main()V @5 putstatic: field Main.k:I is final: "
                                       "only Main.<clinit> may assign it");
}
END_TEST

START_TEST(header_flag_rules)
{
    CfClass *c = new_main(CF_ACC_ABSTRACT);
    ck_assert_ptr_nonnull(cf_add_method(c, CF_ACC_ABSTRACT | CF_ACC_STATIC, "f", "()V"));
    ck_assert_str_eq(verify(c, &bare), "Main.f()V: an abstract method may not be static");
    c = new_main(CF_ACC_INTERFACE | CF_ACC_ABSTRACT);
    ck_assert_ptr_nonnull(cf_add_field(c, 0, "x", "I"));
    ck_assert_str_eq(verify(c, &bare),
                     "Main: field x: an interface may declare only static fields");
    c = new_main(CF_ACC_INTERFACE | CF_ACC_ABSTRACT);
    c->super_class = cf_cp_class(c, "std/core/String");
    ck_assert_str_eq(verify(c, &bare), "Main: the superclass of an interface must be "
                                       "std/core/Object, not std/core/String");
}
END_TEST

/* A forged count is refused against the bytes left, before anything is allocated. */
START_TEST(reader_forged_counts)
{
    static const uint8_t cp_count[] = {'M', 'I', 'C', 'A', 0, 1, 0, 0, 0xFF, 0xFF, 1};
    CfError err;
    ck_assert_ptr_null(cf_read(cp_count, sizeof cp_count, "f.mcl", &err));
    ck_assert_str_eq(err.msg, "f.mcl: offset 0xa: constant pool count 65534 needs at least "
                              "196602 bytes, 1 left");
    static const uint8_t utf8_len[] = {'M', 'I', 'C', 'A', 0, 1, 0, 0, 0, 2,
                                       1,   0xFF, 0xFF, 0xFF, 0xFF, 'a'};
    ck_assert_ptr_null(cf_read(utf8_len, sizeof utf8_len, "f.mcl", &err));
    ck_assert_str_eq(err.msg, "f.mcl: offset 0xa: constant #1: Utf8 length 4294967295 exceeds "
                              "the limit of 16777216 bytes");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("members");
    TCase *t = tcase_create("rules");
    tcase_add_test(t, private_field_of_other_class);
    tcase_add_test(t, static_versus_instance_field);
    tcase_add_test(t, final_field_store);
    tcase_add_test(t, unknown_members_left_to_resolution);
    tcase_add_test(t, method_rules);
    tcase_add_test(t, own_members_without_lookups);
    tcase_add_test(t, header_flag_rules);
    tcase_add_test(t, reader_forged_counts);
    suite_add_tcase(s, t);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
