/* tests/unit/classfile/test_roundtrip.c: builder -> cf_write -> cf_read -> cf_write is
 * byte-identical and preserves every value; builder dedup; queries; disassembly. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"

static const uint8_t sample_code[] = {
    CF_OP_ICONST, 0, 0, 0, 7,         /* 0 */
    CF_OP_STORE, 0, 1,                /* 5 */
    CF_OP_BLOCK, 0, 0,                /* 8 */
    CF_OP_LOAD, 0, 1,                 /* 11 */
    CF_OP_BR_IF, 0, 0,                /* 14 */
    CF_OP_END,                        /* 17 */
    CF_OP_LOAD, 0, 0,                 /* 18 */
    CF_OP_RETURN,                     /* 21 */
};

/* Adds an unknown optional attribute by hand, as a future compiler might. */
static void add_raw_attr(CfClass *c, CfAttr **attrs, uint16_t *n, const char *name,
                         const uint8_t *data, uint32_t len)
{
    CfAttr *v = cf_alloc(c, ((size_t)*n + 1) * sizeof *v);
    ck_assert_ptr_nonnull(v);
    if (*n)
        memcpy(v, *attrs, *n * sizeof *v);
    v[*n].name = cf_cp_utf8z(c, name);
    v[*n].flags = 0;
    v[*n].kind = CF_ATTR_UNKNOWN;
    uint8_t *d = cf_alloc(c, len);
    memcpy(d, data, len);
    v[*n].data = d;
    v[*n].len = len;
    *attrs = v;
    (*n)++;
}

static CfClass *build_sample(void)
{
    CfClass *c = cf_class_new();
    ck_assert_ptr_nonnull(c);
    c->flags = CF_ACC_ABSTRACT;
    c->this_class = cf_cp_class(c, "test/Sample");
    c->super_class = cf_cp_class(c, "std/core/Object");
    ck_assert_int_eq(cf_add_interface(c, "test/Shape"), 0);
    ck_assert_int_eq(cf_add_interface(c, "std/core/Comparable"), 0);
    cf_cp_int(c, 42);
    cf_cp_int(c, INT64_MIN);
    cf_cp_float(c, 1.5);
    cf_cp_float(c, -0.0);
    cf_cp_float(c, NAN);
    cf_cp_string(c, "h\xc3\xa9llo\n", 7);
    cf_cp_string(c, "", 0);
    cf_cp_field(c, "test/Sample", "count", "I");
    cf_cp_method(c, "std/core/String", "length", "()I");
    cf_cp_class(c, "[Lstd/core/String;");

    CfField *f = cf_add_field(c, CF_ACC_STATIC, "count", "I");
    ck_assert_ptr_nonnull(f);
    f = cf_add_field(c, CF_ACC_PRIVATE | CF_ACC_FINAL, "names", "[[Lstd/core/String;");
    ck_assert_ptr_nonnull(f);
    static const uint8_t fdata[] = {1, 2, 3};
    add_raw_attr(c, &f->attrs, &f->nattrs, "Annotation", fdata, sizeof fdata);

    CfMethod *m = cf_add_method(c, CF_ACC_STATIC, "run", "(I)I");
    ck_assert_ptr_nonnull(m);
    uint16_t lt[1] = {cf_cp_utf8z(c, "I")};
    CfLine lines[] = {{0, 3}, {5, 3}, {5, 4}, {8, 5}, {18, 9}, {22, 10}};
    ck_assert_int_eq(cf_set_code(c, m, 2, 1, lt, sample_code, sizeof sample_code, lines, 6), 0);
    static const uint8_t cdata[] = {0xde, 0xad};
    add_raw_attr(c, &m->code->attrs, &m->code->nattrs, "Profile", cdata, sizeof cdata);

    m = cf_add_method(c, CF_ACC_STATIC, "cos", "(F)F");
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(cf_set_native(c, m, "m", "cos"), 0);
    m = cf_add_method(c, CF_ACC_ABSTRACT, "area", "()F");
    ck_assert_ptr_nonnull(m);
    static const uint8_t mdata[] = {9};
    add_raw_attr(c, &m->attrs, &m->nattrs, "Deprecated", mdata, sizeof mdata);
    m = cf_add_method(c, 0, "<init>", "()V");
    static const uint8_t init_code[] = {CF_OP_RETURN};
    ck_assert_int_eq(cf_set_code(c, m, 0, 0, NULL, init_code, 1, NULL, 0), 0);

    ck_assert_int_eq(cf_set_source_file(c, "Sample.mica"), 0);
    add_raw_attr(c, &c->attrs, &c->nattrs, "Extra", (const uint8_t *)"xyz", 3);
    return c;
}

START_TEST(test_write_read_write_identical)
{
    CfClass *c = build_sample();
    CfError err;
    uint8_t *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    ck_assert_msg(cf_write(c, &a, &alen, &err) == 0, "%s", err.msg);
    CfClass *r = cf_read(a, alen, "Sample.mcl", &err);
    ck_assert_msg(r != NULL, "%s", err.msg);
    ck_assert_msg(cf_write(r, &b, &blen, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(alen, blen);
    ck_assert(memcmp(a, b, alen) == 0);

    /* values survive */
    ck_assert_str_eq(cf_this_name(r), "test/Sample");
    ck_assert_str_eq(cf_class_name(r, r->super_class), "std/core/Object");
    ck_assert_uint_eq(r->ninterfaces, 2);
    ck_assert_str_eq(cf_class_name(r, r->interfaces[1]), "std/core/Comparable");
    ck_assert_uint_eq(r->ncp, c->ncp);
    for (uint32_t i = 1; i < c->ncp; i++) {
        ck_assert_uint_eq(r->cp[i].kind, c->cp[i].kind);
        if (c->cp[i].kind == CF_CONST_UTF8) {
            ck_assert_uint_eq(r->cp[i].u.utf8.len, c->cp[i].u.utf8.len);
            ck_assert(memcmp(r->cp[i].u.utf8.s, c->cp[i].u.utf8.s, c->cp[i].u.utf8.len) == 0);
        } else if (c->cp[i].kind == CF_CONST_FLOAT) {
            ck_assert(memcmp(&r->cp[i].u.f, &c->cp[i].u.f, sizeof(double)) == 0);
        } else if (c->cp[i].kind == CF_CONST_INT) {
            ck_assert(r->cp[i].u.i == c->cp[i].u.i);
        }
    }
    ck_assert_uint_eq(r->nfields, 2);
    ck_assert_str_eq(cf_utf8(r, r->fields[1].name), "names");
    ck_assert_uint_eq(r->fields[1].flags, CF_ACC_PRIVATE | CF_ACC_FINAL);
    ck_assert_uint_eq(r->fields[1].nattrs, 1);
    ck_assert_uint_eq(r->fields[1].attrs[0].len, 3);
    ck_assert_uint_eq(r->nmethods, 4);
    const CfMethod *m = &r->methods[0];
    ck_assert_ptr_nonnull(m->code);
    ck_assert_uint_eq(m->code->max_stack, 2);
    ck_assert_uint_eq(m->code->nlocals, 1);
    ck_assert_str_eq(cf_utf8(r, m->code->local_types[0]), "I");
    ck_assert_uint_eq(m->code->code_len, sizeof sample_code);
    ck_assert(memcmp(m->code->code, sample_code, sizeof sample_code) == 0);
    /* the builder kept the last line per pc and dropped the one past the end */
    ck_assert_uint_eq(m->code->nlines, 4);
    ck_assert_uint_eq(cf_line_of(m->code, 0), 3);
    ck_assert_uint_eq(cf_line_of(m->code, 6), 4);
    ck_assert_uint_eq(cf_line_of(m->code, 17), 5);
    ck_assert_uint_eq(cf_line_of(m->code, 21), 9);
    ck_assert_uint_eq(m->code->nattrs, 2);
    ck_assert_uint_eq(m->code->attrs[1].kind, CF_ATTR_UNKNOWN);
    m = &r->methods[1];
    ck_assert(m->flags & CF_ACC_NATIVE);
    ck_assert_ptr_null(m->code);
    ck_assert_str_eq(cf_utf8(r, m->native_lib), "m");
    ck_assert_str_eq(cf_utf8(r, m->native_sym), "cos");
    m = &r->methods[2];
    ck_assert_ptr_null(m->code);
    ck_assert_uint_eq(m->nattrs, 1);
    ck_assert_str_eq(cf_utf8(r, r->source_file), "Sample.mica");
    ck_assert_uint_eq(r->nattrs, 2);
    ck_assert_str_eq(cf_utf8(r, r->attrs[1].name), "Extra");
    ck_assert(memcmp(r->attrs[1].data, "xyz", 3) == 0);

    free(a);
    free(b);
    cf_class_free(r);
    cf_class_free(c);
}
END_TEST

START_TEST(test_builder_dedup)
{
    CfClass *c = cf_class_new();
    uint16_t a = cf_cp_utf8z(c, "hello");
    ck_assert_uint_ne(a, 0);
    ck_assert_uint_eq(cf_cp_utf8(c, "hello", 5), a);
    ck_assert_uint_ne(cf_cp_utf8(c, "hell", 4), a);
    uint16_t k = cf_cp_class(c, "a/B");
    ck_assert_uint_eq(cf_cp_class(c, "a/B"), k);
    ck_assert_uint_eq(cf_cp_int(c, 5), cf_cp_int(c, 5));
    ck_assert_uint_ne(cf_cp_float(c, 0.0), cf_cp_float(c, -0.0));
    ck_assert_uint_eq(cf_cp_float(c, NAN), cf_cp_float(c, NAN));
    uint16_t m = cf_cp_method(c, "a/B", "f", "()V");
    ck_assert_uint_eq(cf_cp_method(c, "a/B", "f", "()V"), m);
    ck_assert_uint_ne(cf_cp_field(c, "a/B", "f", "I"), m);
    ck_assert_uint_ne(cf_cp_string(c, "hello", 5), a);
    ck_assert_uint_eq(c->cp[cf_cp_string(c, "hello", 5)].u.name, a);
    /* fill the pool: the first failing call returns 0 */
    uint16_t last = 0;
    for (int64_t i = 1000; i < 70000; i++) {
        uint16_t idx = cf_cp_int(c, i);
        if (!idx)
            break;
        last = idx;
    }
    ck_assert_uint_eq(last, 65534);
    ck_assert_uint_eq(c->ncp, 65535);
    ck_assert_uint_eq(cf_cp_int(c, -1), 0);
    ck_assert_uint_eq(cf_cp_int(c, 5), cf_cp_int(c, 5));   /* existing still found */
    CfError err;
    uint8_t *buf;
    size_t len;
    c->this_class = k;
    c->super_class = k;
    ck_assert_msg(cf_write(c, &buf, &len, &err) == 0, "%s", err.msg);
    free(buf);
    cf_class_free(c);
}
END_TEST

START_TEST(test_dedup_after_read)
{
    CfClass *c = build_sample();
    CfError err;
    uint8_t *a;
    size_t alen;
    ck_assert_int_eq(cf_write(c, &a, &alen, &err), 0);
    CfClass *r = cf_read(a, alen, NULL, &err);
    ck_assert_ptr_nonnull(r);
    uint16_t n = r->ncp;
    ck_assert_uint_eq(cf_cp_class(r, "test/Sample"), r->this_class);
    ck_assert_uint_eq(r->ncp, n);
    ck_assert_uint_eq(cf_cp_utf8z(r, "brand new"), n);
    ck_assert_ptr_nonnull(cf_add_method(r, CF_ACC_ABSTRACT, "more", "()V"));
    ck_assert_int_eq(cf_add_interface(r, "x/Y"), 0);
    free(a);
    ck_assert_int_eq(cf_write(r, &a, &alen, &err), 0);
    CfClass *r2 = cf_read(a, alen, NULL, &err);
    ck_assert_msg(r2 != NULL, "%s", err.msg);
    ck_assert_uint_eq(r2->nmethods, 5);
    ck_assert_uint_eq(r2->ninterfaces, 3);
    free(a);
    cf_class_free(r2);
    cf_class_free(r);
    cf_class_free(c);
}
END_TEST

START_TEST(test_queries_and_descriptors)
{
    ck_assert(cf_desc_field_ok("I"));
    ck_assert(cf_desc_field_ok("[[Lstd/core/String;"));
    ck_assert(cf_desc_field_ok("L\xc3\xa9t\xc3\xa9;"));
    ck_assert(!cf_desc_field_ok("V"));
    ck_assert(!cf_desc_field_ok("[V"));
    ck_assert(!cf_desc_field_ok("Lstd//String;"));
    ck_assert(!cf_desc_field_ok("Lstd/String"));
    ck_assert(!cf_desc_field_ok("L;"));
    ck_assert(!cf_desc_field_ok("L1a;"));
    ck_assert(!cf_desc_field_ok("II"));
    ck_assert(!cf_desc_field_ok(""));
    char dims[300];
    memset(dims, '[', 255);
    strcpy(dims + 255, "I");
    ck_assert(cf_desc_field_ok(dims));
    memset(dims, '[', 256);
    strcpy(dims + 256, "I");
    ck_assert(!cf_desc_field_ok(dims));
    uint32_t np = 99;
    ck_assert(cf_desc_method_ok("()V", &np));
    ck_assert_uint_eq(np, 0);
    ck_assert(cf_desc_method_ok("(IF[ZLa/B;)La/C;", &np));
    ck_assert_uint_eq(np, 4);
    ck_assert(!cf_desc_method_ok("(V)V", NULL));
    ck_assert(!cf_desc_method_ok("()", NULL));
    ck_assert(!cf_desc_method_ok("(I", NULL));
    ck_assert(!cf_desc_method_ok("()VV", NULL));
    ck_assert(!cf_desc_method_ok("I", NULL));
    ck_assert_uint_eq(cf_desc_field_len("La/B;I", 6, false), 5);
    ck_assert_uint_eq(cf_desc_field_len("V", 1, true), 1);
    ck_assert(cf_class_name_ok("std/core/Object"));
    ck_assert(cf_class_name_ok("$Lambda_1"));
    ck_assert(cf_class_name_ok("[I"));
    ck_assert(!cf_class_name_ok("a/"));
    ck_assert(!cf_class_name_ok("/a"));
    ck_assert(!cf_class_name_ok("a.b"));
    ck_assert(!cf_class_name_ok(""));
    ck_assert(!cf_class_name_ok("[La/B"));
    ck_assert(cf_class_name_ok("a/b1/C$2"));
    ck_assert(cf_class_name_ok("\xC3\xA9t\xC3\xA9/x"));
    ck_assert(!cf_class_name_ok("a//b"));
    ck_assert(!cf_class_name_ok("/"));
    ck_assert(!cf_class_name_ok("1a/b"));
    ck_assert(!cf_class_name_ok("a/1b"));
    ck_assert(!cf_class_name_ok("a/b c"));
    ck_assert(!cf_class_name_ok("a/b;"));
    ck_assert(cf_desc_field_ok("[[Lstd/core/String;"));
    ck_assert(!cf_desc_field_ok("La//B;"));
    ck_assert(!cf_desc_field_ok("La/B/;"));

    CfClass *c = cf_class_new();
    ck_assert_str_eq(cf_this_name(c), "");
    ck_assert_ptr_null(cf_utf8(c, 0));
    ck_assert_ptr_null(cf_utf8(c, 500));
    uint16_t k = cf_cp_class(c, "a/B");
    ck_assert_ptr_null(cf_utf8(c, k));
    ck_assert_str_eq(cf_class_name(c, k), "a/B");
    ck_assert_ptr_null(cf_class_name(c, c->cp[k].u.name));
    ck_assert_uint_eq(cf_line_of(NULL, 3), 0);
    cf_class_free(c);
}
END_TEST

static char *disasm_to_string(const CfClass *c)
{
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    ck_assert_ptr_nonnull(f);
    cf_disasm(c, f);
    fclose(f);
    return text;
}

START_TEST(test_disasm)
{
    CfClass *c = build_sample();
    char *t = disasm_to_string(c);
    ck_assert_msg(strstr(t, "class test/Sample extends std/core/Object implements test/Shape, "
                            "std/core/Comparable") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "source file Sample.mica") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "= Class std/core/String") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "= Method std/core/String.length:()I") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "= Float 1.5") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "= Float -0.0") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "= Int -9223372036854775808") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "= String \"h\xc3\xa9llo\\n\"") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "static run(I)I") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "    0: iconst 7") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "   11:   load 1") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "   17: end") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "locals: 0=I 1:I") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "pc 18: line 9") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "native library \"m\" symbol \"cos\"") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "attribute Extra (3 bytes)") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "private final names: [[Lstd/core/String;") != NULL, "%s", t);
    free(t);

    /* undecodable and truncated code, bad operand indices */
    CfMethod *m = cf_add_method(c, CF_ACC_STATIC, "junk", "()V");
    static const uint8_t junk[] = {0xFF, CF_OP_INVOKEVIRTUAL, 0xFF, 0xF0, CF_OP_LDC, 0, 0,
                                   CF_OP_END, CF_OP_END, CF_OP_BR_TABLE, 0, 1, 0, 0, 0, 2,
                                   CF_OP_ICONST, 1};
    ck_assert_int_eq(cf_set_code(c, m, 0, 0, NULL, junk, sizeof junk, NULL, 0), 0);
    t = disasm_to_string(c);
    ck_assert_msg(strstr(t, "    0: .byte 0xff") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "invokevirtual #65520 // <bad index #65520>") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "br_table [0] default 2") != NULL, "%s", t);
    ck_assert_msg(strstr(t, ".byte 0x11") != NULL, "%s", t);
    free(t);
    cf_class_free(c);
}
END_TEST

START_TEST(test_writer_refuses_inconsistent)
{
    CfClass *c = build_sample();
    CfError err;
    uint8_t *buf = NULL;
    size_t len;
    c->methods[0].nattrs = 0;   /* code without its record */
    ck_assert_int_eq(cf_write(c, &buf, &len, &err), -1);
    ck_assert_ptr_null(buf);
    ck_assert_msg(strstr(err.msg, "method run: has code but no Code attribute record") != NULL,
                  "%s", err.msg);
    cf_class_free(c);
}
END_TEST

static Suite *roundtrip_suite(void)
{
    Suite *s = suite_create("classfile_roundtrip");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_write_read_write_identical);
    tcase_add_test(tc, test_builder_dedup);
    tcase_add_test(tc, test_dedup_after_read);
    tcase_add_test(tc, test_queries_and_descriptors);
    tcase_add_test(tc, test_disasm);
    tcase_add_test(tc, test_writer_refuses_inconsistent);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(roundtrip_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
