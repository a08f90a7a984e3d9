/* tests/unit/classfile/test_reader.c: cf_read on hand-assembled class files: malformed
 * variants fail with precise messages, every truncation and bit flip is handled. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"
#include "cm_mem.h"

typedef struct Buf {
    uint8_t b[8192];
    size_t n;
} Buf;

static void b8(Buf *b, uint8_t v) { b->b[b->n++] = v; }
static void b16(Buf *b, uint16_t v) { b8(b, (uint8_t)(v >> 8)); b8(b, (uint8_t)v); }
static void b32(Buf *b, uint32_t v) { b16(b, (uint16_t)(v >> 16)); b16(b, (uint16_t)v); }
static void b64(Buf *b, uint64_t v) { b32(b, (uint32_t)(v >> 32)); b32(b, (uint32_t)v); }
static void bytes(Buf *b, const void *p, size_t n) { memcpy(b->b + b->n, p, n); b->n += n; }

static void utf8n(Buf *b, const char *s, size_t n)
{
    b8(b, CF_CONST_UTF8);
    b32(b, (uint32_t)n);
    bytes(b, s, n);
}

static void utf8(Buf *b, const char *s) { utf8n(b, s, strlen(s)); }

static void attr(Buf *b, uint16_t name, uint16_t flags, const Buf *payload, uint32_t len_adj)
{
    b16(b, name);
    b16(b, flags);
    b32(b, (uint32_t)payload->n + len_adj);
    bytes(b, payload->b, payload->n);
}

enum {
    V_OK, V_EXTRA_OPT, V_NATIVE_OK, V_BAD_MAGIC, V_VERSION2, V_CP_ZERO, V_CP_HUGE, V_BAD_TAG,
    V_UTF8_OVERLONG, V_UTF8_OVERLONG3, V_UTF8_SURR, V_UTF8_BIG, V_UTF8_F5, V_UTF8_NUL,
    V_UTF8_TRUNC, V_UTF8_CONT, V_UTF8_HUGE_LEN, V_UTF8_LEN_REMAIN, V_CLASS_RANGE, V_CLASS_KIND,
    V_CLASS_BADNAME, V_FIELD_METHODDESC, V_METHOD_FIELDDESC, V_METHOD_BADNAME, V_STRING_KIND,
    V_THIS_UTF8, V_SUPER_ZERO, V_SUPER_ARRAY, V_IFACE_KIND, V_IFACE_HUGE, V_FIELD_HUGE,
    V_FIELD_BADDESC, V_METHOD_HUGE_ATTRS, V_TRAILING, V_REQ_UNKNOWN, V_RESERVED_FLAGS,
    V_ABSTRACT_CODE, V_NO_CODE, V_NATIVE_NO_ATTR, V_NATIVE_ON_PLAIN, V_DUP_CODE,
    V_ATTR_LEN_LONG, V_ATTR_LEN_SHORT, V_ATTR_LEN_EXCEEDS, V_CODE_LEN, V_CODE_LIMIT,
    V_LINES_ORDER, V_LINES_PC, V_LOCAL_BADDESC, V_CODE_NOT_REQ, V_ATTR_NAME_KIND, V_EMPTY,
    V_UTF8_NUL_LATE, V_UTF8_OVERLONG_LATE,
};

/* The valid class file, altered as [v] says. Constant pool:
 *  1 "test/Foo"  2 Class #1  3 "std/core/Object"  4 Class #3  5 "Code"  6 "run"  7 "()V"
 *  8 "x"  9 "I"  10 Int 42  11 Float 1.5  12 String #8  13 Field #2.#8:#9
 *  14 Method #2.#6:#7  15 "LineNumbers"  16 "SourceFile"  17 "Foo.mica"  18 "Extra"
 *  19 "Native"  20 the variant slot ("ok") */
static void make(Buf *b, int v)
{
    b->n = 0;
    if (v == V_EMPTY)
        return;
    b32(b, v == V_BAD_MAGIC ? 0xCAFEBABEu : CF_MAGIC);
    b16(b, v == V_VERSION2 ? 2 : 1);
    b16(b, 0);
    if (v == V_CP_ZERO) {
        b16(b, 0);
        return;
    }
    if (v == V_CP_HUGE) {
        b16(b, 65535);
        utf8(b, "a");
        return;
    }
    b16(b, 21);
    utf8(b, v == V_CLASS_BADNAME ? "test//Foo" : "test/Foo");
    b8(b, CF_CONST_CLASS), b16(b, 1);
    utf8(b, v == V_SUPER_ARRAY ? "[I" : "std/core/Object");
    b8(b, CF_CONST_CLASS), b16(b, 3);
    utf8(b, "Code");
    utf8(b, v == V_METHOD_BADNAME ? "1run" : "run");
    utf8(b, "()V");
    utf8(b, "x");
    utf8(b, "I");
    b8(b, CF_CONST_INT), b64(b, 42);
    b8(b, CF_CONST_FLOAT), b64(b, 0x3FF8000000000000ull);
    b8(b, CF_CONST_STRING), b16(b, v == V_STRING_KIND ? 4 : 8);
    b8(b, CF_CONST_FIELD), b16(b, 2), b16(b, 8), b16(b, v == V_FIELD_METHODDESC ? 7 : 9);
    b8(b, CF_CONST_METHOD), b16(b, 2), b16(b, 6), b16(b, v == V_METHOD_FIELDDESC ? 9 : 7);
    utf8(b, "LineNumbers");
    utf8(b, "SourceFile");
    utf8(b, "Foo.mica");
    utf8(b, "Extra");
    utf8(b, "Native");
    switch (v) {   /* slot #20 */
    case V_BAD_TAG: b8(b, 42); b16(b, 0); break;
    case V_UTF8_OVERLONG: utf8n(b, "\xC0\x80", 2); break;
    case V_UTF8_OVERLONG3: utf8n(b, "a\xE0\x80\x80", 4); break;
    case V_UTF8_SURR: utf8n(b, "\xED\xA0\x80", 3); break;
    case V_UTF8_BIG: utf8n(b, "\xF4\x90\x80\x80", 4); break;
    case V_UTF8_F5: utf8n(b, "\xF5\x80\x80\x80", 4); break;
    case V_UTF8_NUL: utf8n(b, "a\0b", 3); break;
    /* past the first eight-byte words the checker skips as plain ASCII */
    case V_UTF8_NUL_LATE: utf8n(b, "abcdefghijklmnopq\0rstuvwxyz", 27); break;
    case V_UTF8_OVERLONG_LATE: utf8n(b, "abcdefgh\xC3\xA9ijklmnop\xC0\x80xyz", 23); break;
    case V_UTF8_TRUNC: utf8n(b, "\xE2\x82", 2); break;
    case V_UTF8_CONT: utf8n(b, "\x80", 1); break;
    case V_UTF8_HUGE_LEN: b8(b, CF_CONST_UTF8); b32(b, 0xFFFFFFF0u); return;
    case V_UTF8_LEN_REMAIN: b8(b, CF_CONST_UTF8); b32(b, 1000000); return;
    case V_CLASS_RANGE: b8(b, CF_CONST_CLASS); b16(b, 99); break;
    case V_CLASS_KIND: b8(b, CF_CONST_CLASS); b16(b, 10); break;
    default: utf8(b, "\xC3\xA9t\xC3\xA9 \xF0\x9F\x98\x80 ok"); break;
    }
    b16(b, 0);                                       /* class flags */
    b16(b, v == V_THIS_UTF8 ? 1 : 2);
    b16(b, v == V_SUPER_ZERO ? 0 : 4);
    if (v == V_IFACE_KIND) {
        b16(b, 1);
        b16(b, 9);
    } else {
        b16(b, v == V_IFACE_HUGE ? 60000 : 0);
    }
    /* one field: x I */
    b16(b, v == V_FIELD_HUGE ? 65535 : 1);
    b16(b, CF_ACC_STATIC), b16(b, 8), b16(b, v == V_FIELD_BADDESC ? 7 : 9), b16(b, 0);
    /* one method: static run()V */
    b16(b, 1);
    uint16_t mflags = CF_ACC_STATIC;
    if (v == V_ABSTRACT_CODE)
        mflags |= CF_ACC_ABSTRACT;
    if (v == V_NATIVE_NO_ATTR || v == V_NATIVE_OK)
        mflags |= CF_ACC_NATIVE;
    b16(b, mflags), b16(b, 6), b16(b, 7);
    Buf lines = {.n = 0}, code = {.n = 0}, nat = {.n = 0};
    b32(&lines, v == V_LINES_ORDER ? 2 : 1);
    b32(&lines, v == V_LINES_PC ? 5 : 0), b32(&lines, 1);
    if (v == V_LINES_ORDER)
        b32(&lines, 0), b32(&lines, 2);
    b16(&code, 1);                                   /* max_stack */
    b16(&code, 1), b16(&code, v == V_LOCAL_BADDESC ? 7 : 9);
    b32(&code, v == V_CODE_LEN ? 70000 : v == V_CODE_LIMIT ? 0x7FFFFFFF : 1);
    b8(&code, CF_OP_RETURN);
    b16(&code, 1);
    attr(&code, 15, 0, &lines, 0);
    if (v == V_ATTR_LEN_LONG)
        b8(&code, 0);
    b16(&nat, 17), b16(&nat, 6);
    uint16_t cflags = v == V_CODE_NOT_REQ ? 0 : CF_ATTR_REQUIRED;
    if (v == V_NATIVE_OK || v == V_NATIVE_ON_PLAIN) {
        b16(b, v == V_NATIVE_ON_PLAIN ? 2 : 1);
        if (v == V_NATIVE_ON_PLAIN)
            attr(b, 5, cflags, &code, 0);
        attr(b, 19, CF_ATTR_REQUIRED, &nat, 0);
    } else if (v == V_NO_CODE || v == V_NATIVE_NO_ATTR) {
        b16(b, 0);
    } else if (v == V_METHOD_HUGE_ATTRS) {
        b16(b, 65535);
    } else {
        b16(b, v == V_DUP_CODE ? 2 : 1);
        attr(b, 5, cflags, &code, v == V_ATTR_LEN_SHORT ? (uint32_t)-1 : 0);
        if (v == V_DUP_CODE)
            attr(b, 5, cflags, &code, 0);
    }
    /* class attributes: SourceFile, maybe Extra */
    Buf sf = {.n = 0}, extra = {.n = 0};
    b16(&sf, 17);
    bytes(&extra, "xyz", 3);
    bool with_extra = v == V_EXTRA_OPT || v == V_REQ_UNKNOWN || v == V_RESERVED_FLAGS ||
                      v == V_ATTR_NAME_KIND;
    b16(b, with_extra ? 2 : 1);
    attr(b, 16, 0, &sf, v == V_ATTR_LEN_EXCEEDS ? 1000 : 0);
    if (with_extra)
        attr(b, v == V_ATTR_NAME_KIND ? 10 : 18,
             v == V_REQ_UNKNOWN ? CF_ATTR_REQUIRED : v == V_RESERVED_FLAGS ? 2 : 0, &extra, 0);
    if (v == V_TRAILING)
        b8(b, 0);
}

static const struct {
    int v;
    const char *expect;
} bad_cases[] = {
    {V_BAD_MAGIC, "Foo.mcl: offset 0x0: bad magic 0xcafebabe"},
    {V_VERSION2, "unsupported class file version 2.0 (this VM supports 1.x)"},
    {V_CP_ZERO, "constant pool count 0"},
    {V_CP_HUGE, "constant pool count 65534 needs at least 196602 bytes"},
    {V_BAD_TAG, "constant #20: bad tag 42"},
    {V_UTF8_OVERLONG, "constant #20: invalid UTF-8 (overlong encoding)"},
    {V_UTF8_OVERLONG3, "invalid UTF-8 (overlong encoding) at byte 1"},
    {V_UTF8_SURR, "invalid UTF-8 (surrogate code point)"},
    {V_UTF8_BIG, "invalid UTF-8 (code point above U+10FFFF)"},
    {V_UTF8_F5, "invalid UTF-8 (code point above U+10FFFF)"},
    {V_UTF8_NUL, "invalid UTF-8 (NUL byte) at byte 1"},
    {V_UTF8_NUL_LATE, "invalid UTF-8 (NUL byte) at byte 17 of the string"},
    {V_UTF8_OVERLONG_LATE, "invalid UTF-8 (overlong encoding) at byte 18 of the string"},
    {V_UTF8_TRUNC, "invalid UTF-8 (truncated multi-byte sequence)"},
    {V_UTF8_CONT, "invalid UTF-8 (unexpected continuation byte)"},
    {V_UTF8_HUGE_LEN, "Utf8 length 4294967280 exceeds the limit"},
    {V_UTF8_LEN_REMAIN, "Utf8 length 1000000 exceeds remaining"},
    {V_CLASS_RANGE, "constant #20 (Class): class name #99 out of range (constant pool has 21"},
    {V_CLASS_KIND, "class name #10 is Int, expected Utf8"},
    {V_CLASS_BADNAME, "constant #2 (Class): invalid class name \"test//Foo\""},
    {V_FIELD_METHODDESC, "constant #13 (Field): invalid field descriptor \"()V\""},
    {V_METHOD_FIELDDESC, "constant #14 (Method): invalid method descriptor \"I\""},
    {V_METHOD_BADNAME, "invalid method name \"1run\""},
    {V_STRING_KIND, "string value #4 is Class, expected Utf8"},
    {V_THIS_UTF8, "this class #1 is Utf8, expected Class"},
    {V_SUPER_ZERO, "class test/Foo has no superclass"},
    {V_SUPER_ARRAY, "superclass #4 names an array type \"[I\""},
    {V_IFACE_KIND, "interface #9 is Utf8, expected Class"},
    {V_IFACE_HUGE, "interface count 60000 needs at least 120000 bytes"},
    {V_FIELD_HUGE, "field count 65535 needs"},
    {V_FIELD_BADDESC, "field x: invalid descriptor \"()V\""},
    {V_METHOD_HUGE_ATTRS, "method run: attribute count 65535 needs"},
    {V_TRAILING, "1 trailing bytes after the class"},
    {V_REQ_UNKNOWN, "class test/Foo: Extra attribute: unknown required attribute \"Extra\""},
    {V_RESERVED_FLAGS, "reserved flag bits 0x0002 set"},
    {V_ABSTRACT_CODE, "method run: abstract method has a Code attribute"},
    {V_NO_CODE, "method run: missing Code attribute"},
    {V_NATIVE_NO_ATTR, "method run: native method without a Native attribute"},
    {V_NATIVE_ON_PLAIN, "method run: Native attribute on a method not flagged NATIVE"},
    {V_DUP_CODE, "method run: Code attribute: duplicate Code attribute"},
    {V_ATTR_LEN_LONG, "attribute \"Code\": length 34 but its content ends after 33 bytes"},
    {V_ATTR_LEN_SHORT, "method run: Code attribute: LineNumbers attribute: attribute length 12 "
                       "exceeds remaining 11 bytes"},
    {V_ATTR_LEN_EXCEEDS, "SourceFile attribute: attribute length 1002 exceeds remaining"},
    {V_CODE_LEN, "Foo.mcl: method run: Code attribute: code length 70000 exceeds remaining 23 "
                 "bytes"},
    {V_CODE_LIMIT, "code length 2147483647 exceeds the limit of 1048576 bytes"},
    {V_LINES_ORDER, "LineNumbers attribute: entry 1: pc 0 does not follow pc 0"},
    {V_LINES_PC, "entry 0: pc 5 is outside the code (1 bytes)"},
    {V_LOCAL_BADDESC, "method run: Code attribute: local 0: invalid type descriptor \"()V\""},
    {V_CODE_NOT_REQ, "Code attribute must be flagged REQUIRED"},
    {V_ATTR_NAME_KIND, "attribute name #10 is Int, expected Utf8"},
    {V_EMPTY, "truncated magic: needs 4 bytes, 0 left"},
};

START_TEST(test_bad_case)
{
    Buf b;
    CfError err;
    make(&b, bad_cases[_i].v);
    CfClass *c = cf_read(b.b, b.n, "Foo.mcl", &err);
    ck_assert_msg(c == NULL, "case %d accepted", bad_cases[_i].v);
    ck_assert_msg(strstr(err.msg, bad_cases[_i].expect) != NULL,
                  "case %d: expected '%s' in '%s'", bad_cases[_i].v, bad_cases[_i].expect,
                  err.msg);
    ck_assert_msg(strncmp(err.msg, "Foo.mcl: ", 9) == 0, "%s", err.msg);
}
END_TEST

static void roundtrip(const uint8_t *data, size_t n)
{
    CfError err;
    CfClass *c = cf_read(data, n, "Foo.mcl", &err);
    ck_assert_msg(c != NULL, "%s", err.msg);
    uint8_t *out;
    size_t len;
    ck_assert_msg(cf_write(c, &out, &len, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(len, n);
    ck_assert(memcmp(out, data, n) == 0);
    free(out);
    cf_class_free(c);
}

START_TEST(test_valid_files)
{
    Buf b;
    make(&b, V_OK);
    roundtrip(b.b, b.n);
    make(&b, V_EXTRA_OPT);
    roundtrip(b.b, b.n);
    make(&b, V_NATIVE_OK);
    roundtrip(b.b, b.n);

    CfError err;
    make(&b, V_EXTRA_OPT);
    CfClass *c = cf_read(b.b, b.n, NULL, &err);
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(cf_this_name(c), "test/Foo");
    ck_assert_uint_eq(c->nattrs, 2);
    ck_assert_uint_eq(c->attrs[0].kind, CF_ATTR_SOURCE);
    ck_assert_uint_eq(c->attrs[1].kind, CF_ATTR_UNKNOWN);
    ck_assert_str_eq(cf_utf8(c, c->source_file), "Foo.mica");
    ck_assert(c->cp[10].u.i == 42);
    ck_assert(c->cp[11].u.f == 1.5);
    ck_assert_uint_eq(c->methods[0].code->nlines, 1);
    ck_assert_uint_eq(cf_line_of(c->methods[0].code, 0), 1);
    cf_class_free(c);

    c = cf_read(b.b, b.n, NULL, NULL);   /* err may be NULL */
    ck_assert_ptr_nonnull(c);
    cf_class_free(c);
    ck_assert_ptr_null(cf_read(NULL, 0, NULL, &err));
    ck_assert(strstr(err.msg, "class file: offset 0x0: truncated magic") != NULL);
}
END_TEST

START_TEST(test_truncated_everywhere)
{
    Buf b;
    make(&b, V_EXTRA_OPT);
    for (size_t n = 0; n < b.n; n++) {
        CfError err;
        /* copy to an exact-size heap block so an over-read would hit ASan's red zone */
        uint8_t *p = malloc(n ? n : 1);
        memcpy(p, b.b, n);
        CfClass *c = cf_read(p, n, "t.mcl", &err);
        ck_assert_msg(c == NULL, "accepted a file cut at %zu of %zu bytes", n, b.n);
        ck_assert_msg(err.msg[0] != 0, "no message at %zu", n);
        free(p);
    }
}
END_TEST

START_TEST(test_bit_flips)
{
    Buf b;
    make(&b, V_NATIVE_OK);
    Buf b2;
    make(&b2, V_EXTRA_OPT);
    const Buf *files[] = {&b, &b2};
    FILE *sink = fopen("/dev/null", "w");
    ck_assert_ptr_nonnull(sink);
    unsigned accepted = 0, refused = 0;
    for (int f = 0; f < 2; f++) {
        const Buf *src = files[f];
        uint8_t *p = malloc(src->n);
        for (size_t i = 0; i < src->n; i++) {
            for (int bit = 0; bit < 8; bit++) {
                memcpy(p, src->b, src->n);
                p[i] ^= (uint8_t)(1u << bit);
                CfError err;
                CfClass *c = cf_read(p, src->n, "flip.mcl", &err);
                if (!c) {
                    ck_assert(err.msg[0] != 0);
                    refused++;
                    continue;
                }
                accepted++;
                /* whatever is accepted must write back identically and disassemble */
                uint8_t *out;
                size_t len;
                ck_assert_msg(cf_write(c, &out, &len, &err) == 0, "%s", err.msg);
                ck_assert_uint_eq(len, src->n);
                ck_assert(memcmp(out, p, len) == 0);
                free(out);
                cf_disasm(c, sink);
                cf_class_free(c);
            }
        }
        free(p);
    }
    fclose(sink);
    ck_assert_uint_gt(accepted, 0);
    ck_assert_uint_gt(refused, 0);
}
END_TEST

/* cf_peek_class: the name and flags from the header alone, so a file cut after
 * this_class still answers, and every cut before it (or a name that differs) does
 * not; an exact-size copy lets ASan catch an over-read. */
START_TEST(test_peek_class)
{
    Buf b;
    make(&b, V_EXTRA_OPT);
    uint16_t flags = 0xFFFF;
    ck_assert(cf_peek_class(b.b, b.n, "test/Foo", &flags));
    ck_assert_uint_eq(flags, 0);
    ck_assert(!cf_peek_class(b.b, b.n, "test/Fo", &flags));
    ck_assert(!cf_peek_class(b.b, b.n, "test/Foo2", &flags));
    ck_assert(!cf_peek_class(b.b, b.n, "std/core/Object", &flags));
    size_t header = 0;   /* bytes up to and including this_class */
    for (size_t n = 0; n <= b.n; n++) {
        uint8_t *p = malloc(n ? n : 1);
        memcpy(p, b.b, n);
        bool ok = cf_peek_class(p, n, "test/Foo", &flags);
        free(p);
        if (ok && !header)
            header = n;
        ck_assert_msg(!header || ok, "refused at %zu after accepting at %zu", n, header);
    }
    ck_assert_uint_gt(header, 0);
    ck_assert_uint_lt(header, b.n);
    make(&b, V_THIS_UTF8);   /* this_class names a Utf8, not a Class */
    ck_assert(!cf_peek_class(b.b, b.n, "test/Foo", &flags));
    make(&b, V_BAD_TAG);
    ck_assert(!cf_peek_class(b.b, b.n, "test/Foo", &flags));
}
END_TEST

static bool count_bytes(size_t size, void *ud)
{
    *(size_t *)ud += size;
    return true;
}

/* A class's memory is sized from its file: reading a small class takes a few times
 * its size in C memory, not a fixed 16 KiB chunk per class, so the many small classes
 * a program loads share pages. */
START_TEST(test_small_class_memory)
{
    Buf b;
    make(&b, V_OK);
    size_t bytes = 0;
    cm_set_alloc_hook(count_bytes, &bytes);
    CfError err;
    CfClass *c = cf_read(b.b, b.n, "Foo.mcl", &err);
    cm_set_alloc_hook(NULL, NULL);
    ck_assert_msg(c != NULL, "%s", err.msg);
    ck_assert_msg(bytes <= 4 * b.n + 2048, "%zu bytes for a file of %zu", bytes, b.n);
    cf_class_free(c);
}
END_TEST

static Suite *reader_suite(void)
{
    Suite *s = suite_create("classfile_reader");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_bad_case, 0, (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_test(tc, test_valid_files);
    tcase_add_test(tc, test_truncated_everywhere);
    tcase_add_test(tc, test_bit_flips);
    tcase_add_test(tc, test_peek_class);
    tcase_add_test(tc, test_small_class_memory);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(reader_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
