/* classfile/descriptor.c: descriptor, name and UTF-8 well-formedness checks
 * (cf_desc_*, cf_class_name_ok and the private helpers in cf_private.h). */
#include <string.h>

#include "cf_private.h"

#define MAX_ARRAY_DIMS 255

const char *cf_utf8_check(const uint8_t *s, size_t n, size_t *bad_at)
{
    size_t i = 0;
    while (i < n) {
        uint8_t b = s[i];
        *bad_at = i;
        if (b == 0)
            return "NUL byte";
        if (b < 0x80) {
            i++;
            continue;
        }
        size_t need;
        uint8_t lo = 0x80, hi = 0xBF;   /* allowed range of the second byte */
        if (b < 0xC2) {
            if (b >= 0xC0)
                return "overlong encoding";
            return "unexpected continuation byte";
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
            return "code point above U+10FFFF";
        }
        if (need > n - i - 1)
            return "truncated multi-byte sequence";
        uint8_t b1 = s[i + 1];
        if (b1 < 0x80 || b1 > 0xBF)
            return "truncated multi-byte sequence";
        if (b1 < lo || b1 > hi) {
            if (b == 0xED)
                return "surrogate code point";
            if (b == 0xF4)
                return "code point above U+10FFFF";
            return "overlong encoding";
        }
        for (size_t k = 2; k <= need; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return "truncated multi-byte sequence";
        i += need + 1;
    }
    return NULL;
}

static bool ident_start(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '$' ||
           ch >= 0x80;
}

static bool ident_char(unsigned char ch)
{
    return ident_start(ch) || (ch >= '0' && ch <= '9');
}

bool cf_ident_ok(const char *s, size_t n)
{
    if (n == 0 || !ident_start((unsigned char)s[0]))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!ident_char((unsigned char)s[i]))
            return false;
    return true;
}

bool cf_member_name_ok(const char *s, bool is_method)
{
    if (is_method && (strcmp(s, "<init>") == 0 || strcmp(s, "<clinit>") == 0))
        return true;
    return cf_ident_ok(s, strlen(s));
}

bool cf_plain_class_name_ok(const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '/') {
            if (!cf_ident_ok(s + start, i - start))
                return false;
            start = i + 1;
        }
    }
    return true;
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
