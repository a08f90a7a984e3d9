/* classfile/descriptor.c: descriptor, name and UTF-8 well-formedness checks
 * (cf_desc_*, cf_class_name_ok and the private helpers in cf_private.h). */
#include <string.h>

#include "cf_private.h"

#define MAX_ARRAY_DIMS 255

/* Eight bytes at a time while they are ASCII and not NUL (most names and
 * descriptors are), then one code point at a time. */
#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

const char *cf_utf8_check(const uint8_t *s, size_t n, size_t *bad_at)
{
    size_t i = 0;
#define FAIL(why) do { *bad_at = i; return (why); } while (0)
    while (i < n) {
        while (n - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if ((w & HIGHS) || ((w - ONES) & ~w & HIGHS))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        uint8_t b = s[i];
        if (b == 0)
            FAIL("NUL byte");
        if (b < 0x80) {
            i++;
            continue;
        }
        size_t need;
        uint8_t lo = 0x80, hi = 0xBF;   /* allowed range of the second byte */
        if (b < 0xC2) {
            if (b >= 0xC0)
                FAIL("overlong encoding");
            FAIL("unexpected continuation byte");
        } else if (b < 0xE0) {
            need = 1;
        } else if (b < 0xF0) {
            need = 2;
            if (b == 0xE0)
                lo = 0xA0;
            else if (b == 0xED)
                hi = 0x9F;
        } else if (b < 0xF5) {
            need = 3;
            if (b == 0xF0)
                lo = 0x90;
            else if (b == 0xF4)
                hi = 0x8F;
        } else {
            FAIL("code point above U+10FFFF");
        }
        if (need > n - i - 1)
            FAIL("truncated multi-byte sequence");
        uint8_t b1 = s[i + 1];
        if (b1 < 0x80 || b1 > 0xBF)
            FAIL("truncated multi-byte sequence");
        if (b1 < lo || b1 > hi) {
            if (b == 0xED)
                FAIL("surrogate code point");
            if (b == 0xF4)
                FAIL("code point above U+10FFFF");
            FAIL("overlong encoding");
        }
        for (size_t k = 2; k <= need; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                FAIL("truncated multi-byte sequence");
        i += need + 1;
    }
#undef FAIL
    return NULL;
}

/* What each byte may be in an identifier: ID_START may begin one (letters, '_',
 * '$', and any byte of a non-ASCII character), ID_PART may follow (those and
 * digits). One load per byte instead of a chain of comparisons. */
enum { ID_START = 1, ID_PART = 2 };

#define ID_SP (ID_START | ID_PART)
#define ROW16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
static const uint8_t id_class[256] = {
    ROW16(0), ROW16(0),                                                   /* 0x00-0x1F */
    0, 0, 0, 0, ID_SP, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,                   /* ' '-'/': $ */
    ID_PART, ID_PART, ID_PART, ID_PART, ID_PART, ID_PART, ID_PART, ID_PART, ID_PART,
    ID_PART, 0, 0, 0, 0, 0, 0,                                            /* '0'-'?' */
    0, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP,
    ID_SP, ID_SP, ID_SP, ID_SP,                                           /* '@'-'O' */
    ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, 0, 0,
    0, 0, ID_SP,                                                          /* 'P'-'_' */
    0, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP,
    ID_SP, ID_SP, ID_SP, ID_SP,                                           /* '`'-'o' */
    ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, ID_SP, 0, 0,
    0, 0, 0,                                                              /* 'p'-0x7F */
    ROW16(ID_SP), ROW16(ID_SP), ROW16(ID_SP), ROW16(ID_SP),               /* 0x80-0xBF */
    ROW16(ID_SP), ROW16(ID_SP), ROW16(ID_SP), ROW16(ID_SP),               /* 0xC0-0xFF */
};
#undef ROW16
#undef ID_SP

bool cf_ident_ok(const char *s, size_t n)
{
    if (n == 0 || !(id_class[(unsigned char)s[0]] & ID_START))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!(id_class[(unsigned char)s[i]] & ID_PART))
            return false;
    return true;
}

bool cf_member_name_ok(const char *s, bool is_method)
{
    if (is_method && s[0] == '<' && (strcmp(s, "<init>") == 0 || strcmp(s, "<clinit>") == 0))
        return true;
    return cf_ident_ok(s, strlen(s));
}

/* Identifiers separated by single '/'s, in one pass. */
bool cf_plain_class_name_ok(const char *s, size_t n)
{
    uint8_t want = ID_START;   /* at the start of a segment */
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '/') {
            if (want == ID_START)
                return false;   /* an empty segment */
            want = ID_START;
        } else if (!(id_class[ch] & want)) {
            return false;
        } else {
            want = ID_PART;
        }
    }
    return want == ID_PART;     /* empty, or ending in '/': false */
}

size_t cf_desc_field_len(const char *s, size_t n, bool allow_void)
{
    size_t i = 0;
    while (i < n && s[i] == '[') {
        if (++i > MAX_ARRAY_DIMS)
            return 0;
    }
    if (i == n)
        return 0;
    bool array = i > 0;
    switch (s[i]) {
    case 'I':
    case 'F':
    case 'Z':
    case 'B':
        return i + 1;
    case 'V':
        return allow_void && !array ? i + 1 : 0;
    case 'L': {
        const char *semi = memchr(s + i + 1, ';', n - i - 1);
        if (!semi)
            return 0;
        size_t len = (size_t)(semi - (s + i + 1));
        if (!cf_plain_class_name_ok(s + i + 1, len))
            return 0;
        return i + 1 + len + 1;
    }
    default:
        return 0;
    }
}

bool cf_desc_field_ok(const char *s)
{
    if (!s)
        return false;
    size_t n = strlen(s);
    return n > 0 && cf_desc_field_len(s, n, false) == n;
}

bool cf_desc_method_parse(const char *s, size_t n, uint32_t *nparams, const char **ret)
{
    size_t i = 1;
    uint32_t k = 0;
    if (n < 3 || s[0] != '(')
        return false;
    while (i < n && s[i] != ')') {
        size_t l = cf_desc_field_len(s + i, n - i, false);
        if (!l || k == UINT32_MAX)
            return false;
        i += l;
        k++;
    }
    if (i >= n)
        return false;
    i++;
    size_t rl = cf_desc_field_len(s + i, n - i, true);
    if (!rl || i + rl != n)
        return false;
    if (nparams)
        *nparams = k;
    if (ret)
        *ret = s + i;
    return true;
}

bool cf_desc_method_ok(const char *s, uint32_t *nparams)
{
    return s && cf_desc_method_parse(s, strlen(s), nparams, NULL);
}

bool cf_class_name_ok(const char *s)
{
    if (!s)
        return false;
    size_t n = strlen(s);
    if (n > 0 && s[0] == '[')
        return cf_desc_field_len(s, n, false) == n;
    return cf_plain_class_name_ok(s, n);
}

const char *cf_const_kind_name(uint8_t kind)
{
    switch (kind) {
    case CF_CONST_UTF8: return "Utf8";
    case CF_CONST_INT: return "Int";
    case CF_CONST_FLOAT: return "Float";
    case CF_CONST_CLASS: return "Class";
    case CF_CONST_STRING: return "String";
    case CF_CONST_FIELD: return "Field";
    case CF_CONST_METHOD: return "Method";
    case 0: return "unused";
    default: return "unknown";
    }
}
