/* stdlib/natives/strings.c: the natives of std.core.String, StringBuilder and the
 * boxes' parsing: code-point indexing over UTF-8 (constant time for ASCII text). */
#include "natives.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "std_util.h"
#include "vm.h"

/* ---- code points ---- */

static bool is_cont(char c)
{
    return ((uint8_t)c & 0xC0) == 0x80;
}

/* Counts [s]'s code points once; marks ASCII strings so indexing is O(1). */
static void cp_scan(VmString *s)
{
    if (s->cp_known)
        return;
    int64_t n = 0;
    bool ascii = true;
    for (int64_t i = 0; i < s->length; i++) {
        uint8_t c = (uint8_t)s->bytes[i];
        if (c >= 0x80)
            ascii = false;
        if ((c & 0xC0) != 0x80)
            n++;
    }
    s->cp_length = n;
    s->ascii = ascii;
    s->cp_known = true;
}

static int64_t cp_len(VmString *s)
{
    cp_scan(s);
    return s->cp_length;
}

/* The byte offset of code point [cp] (0 <= cp <= cp_len). */
static int64_t cp_to_byte(VmString *s, int64_t cp)
{
    cp_scan(s);
    if (s->ascii)
        return cp;
    int64_t i = 0;
    for (int64_t k = 0; k < cp && i < s->length; k++) {
        i++;
        while (i < s->length && is_cont(s->bytes[i]))
            i++;
    }
    return i;
}

/* The code-point index of byte offset [b]. */
static int64_t byte_to_cp(VmString *s, int64_t b)
{
    cp_scan(s);
    if (s->ascii)
        return b;
    int64_t n = 0;
    for (int64_t i = 0; i < b; i++)
        if (!is_cont(s->bytes[i]))
            n++;
    return n;
}

/* The byte length of the code point starting at byte [i]. */
static int64_t cp_width(VmString *s, int64_t i)
{
    int64_t j = i + 1;
    while (j < s->length && is_cont(s->bytes[j]))
        j++;
    return j - i;
}

/* Decodes the code point at byte [i]; malformed bytes give U+FFFD. */
static int64_t cp_decode(VmString *s, int64_t i)
{
    const uint8_t *p = (const uint8_t *)s->bytes + i;
    int64_t w = cp_width(s, i);
    if (p[0] < 0x80)
        return p[0];
    int need = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 0;
    if (need != w)
        return 0xFFFD;
    int64_t v = p[0] & (0x7F >> need);
    for (int k = 1; k < need; k++)
        v = v << 6 | (p[k] & 0x3F);
    return v;
}

static bool null_arg(MicaVM *vm, const void *p, const char *what)
{
    if (p)
        return false;
    vm_throw(vm, "NullError", "%s is null", what);
    return true;
}

static bool check_index(MicaVM *vm, VmString *s, int64_t i)
{
    int64_t n = cp_len(s);
    if (i >= 0 && i < n)
        return true;
    vm_throw(vm, "IndexError", "index %lld out of bounds for length %lld", (long long)i,
             (long long)n);
    return false;
}

/* Byte offset of [sub] in [s] at or after byte [from], or -1 (also once the
 * run is halted: the search polls the deadline, as it can take n * m steps). */
static int64_t find_bytes(MicaVM *vm, VmString *s, VmString *sub, int64_t from)
{
    if (sub->length == 0)
        return from <= s->length ? from : -1;
    const char *p = s->bytes + from, *end = s->bytes + s->length;
    while (end - p >= sub->length) {
        const char *q = memchr(p, sub->bytes[0], (size_t)(end - p - sub->length + 1));
        if (!q)
            return -1;
        if (vm_native_work(vm, (size_t)(q - p) + (size_t)sub->length) < 0)
            return -1;
        if (memcmp(q, sub->bytes, (size_t)sub->length) == 0)
            return q - s->bytes;
        p = q + 1;
    }
    return -1;
}

static VmArray *new_string_array(MicaVM *vm, int64_t n)
{
    MicaStatus st;
    VmClass *c = vm_load_class(vm, "[Lstd/core/String;", &st);
    if (!c) {
        vm_throw(vm, "LinkError", "%s", vm->last_error ? vm->last_error : "String[]");
        return NULL;
    }
    return vm_new_array(vm, c, n);
}

/* ---- std/core/String ---- */

static int64_t std_string_length(MicaVM *vm, VmString *s)
{
    return cp_len(s);
}

static int64_t std_string_byte_length(MicaVM *vm, VmString *s)
{
    return s->length;
}

static VmString *std_string_char_at(MicaVM *vm, VmString *s, int64_t i)
{
    if (!check_index(vm, s, i))
        return NULL;
    int64_t b = cp_to_byte(s, i);
    return vm_new_string(vm, s->bytes + b, (size_t)cp_width(s, b));
}

static int64_t std_string_code_point_at(MicaVM *vm, VmString *s, int64_t i)
{
    if (!check_index(vm, s, i))
        return 0;
    return cp_decode(s, cp_to_byte(s, i));
}

static VmString *std_string_substring(MicaVM *vm, VmString *s, int64_t from, int64_t to)
{
    int64_t n = cp_len(s);
    if (from < 0 || to > n || from > to) {
        vm_throw(vm, "IndexError", "begin %lld, end %lld, length %lld", (long long)from,
                 (long long)to, (long long)n);
        return NULL;
    }
    if (from == 0 && to == n)
        return s;
    if (s->ascii) /* the result's code points are known too */
        return vm_new_ascii_string(vm, s->bytes + from, (size_t)(to - from));
    int64_t b = cp_to_byte(s, from);
    int64_t e = b + (cp_to_byte(s, to) - cp_to_byte(s, from));
    return vm_new_string(vm, s->bytes + b, (size_t)(e - b));
}

static int64_t std_string_index_of_from(MicaVM *vm, VmString *s, VmString *sub, int64_t from)
{
    if (null_arg(vm, sub, "the string to search for"))
        return 0;
    int64_t n = cp_len(s);
    if (from < 0)
        from = 0;
    if (from > n)
        return sub->length == 0 ? n : -1;
    int64_t r = find_bytes(vm, s, sub, cp_to_byte(s, from));
    return r < 0 ? -1 : byte_to_cp(s, r);
}

static int64_t std_string_index_of(MicaVM *vm, VmString *s, VmString *sub)
{
    return std_string_index_of_from(vm, s, sub, 0);
}

static int64_t std_string_last_index_of(MicaVM *vm, VmString *s, VmString *sub)
{
    if (null_arg(vm, sub, "the string to search for"))
        return 0;
    for (int64_t i = s->length - sub->length; i >= 0; i--) {
        if (vm_native_work(vm, (size_t)sub->length + 1) < 0)
            return -1;
        if (memcmp(s->bytes + i, sub->bytes, (size_t)sub->length) == 0)
            return byte_to_cp(s, i);
    }
    return -1;
}

static bool std_string_starts_with(MicaVM *vm, VmString *s, VmString *p)
{
    if (null_arg(vm, p, "the prefix"))
        return false;
    return p->length <= s->length && memcmp(s->bytes, p->bytes, (size_t)p->length) == 0;
}

static bool std_string_ends_with(MicaVM *vm, VmString *s, VmString *p)
{
    if (null_arg(vm, p, "the suffix"))
        return false;
    return p->length <= s->length &&
           memcmp(s->bytes + s->length - p->length, p->bytes, (size_t)p->length) == 0;
}

static VmArray *std_string_split(MicaVM *vm, VmString *s, VmString *sep)
{
    if (null_arg(vm, sep, "the separator"))
        return NULL;
    int64_t n = 1;
    if (sep->length == 0) {
        n = s->length ? cp_len(s) : 1; /* "".split("") is [""], as for any sep */
    } else {
        for (int64_t i = find_bytes(vm, s, sep, 0); i >= 0;
             i = find_bytes(vm, s, sep, i + sep->length))
            n++;
        if (vm->halt)
            return NULL;
    }
    VmArray *a = new_string_array(vm, n);
    if (!a)
        return NULL;
    uint64_t *d = vm_array_data(a);
    int64_t start = 0;
    for (int64_t k = 0; k < n; k++) {
        int64_t end;
        if (sep->length == 0)
            end = s->length ? start + cp_width(s, start) : 0;
        else if (k == n - 1)
            end = s->length;
        else
            end = find_bytes(vm, s, sep, start);
        if (end < start) /* the run was halted */
            return NULL;
        VmString *part = vm_new_string(vm, s->bytes + start, (size_t)(end - start));
        if (!part || vm_native_work(vm, (size_t)(end - start) + 64) < 0)
            return NULL;
        d[k] = vm_ref_slot(part);
        start = end + sep->length;
    }
    return a;
}

static VmString *std_string_join(MicaVM *vm, VmString *sep, VmArray *parts)
{
    if (null_arg(vm, sep, "the separator") || null_arg(vm, parts, "the parts"))
        return NULL;
    uint64_t *d = vm_array_data(parts);
    int64_t total = 0;
    for (int64_t k = 0; k < parts->length; k++) {
        VmString *p = vm_slot_ref(d[k]);
        total += (p ? p->length : 4) + (k ? sep->length : 0);
        if (total > INT64_MAX / 4) {
            vm_throw(vm, "OutOfMemoryError", "string too large");
            return NULL;
        }
    }
    /* the result is taken on the heap, under its cap, before any copying */
    VmString *r = vm_new_string_uninit(vm, (size_t)total);
    if (!r)
        return NULL;
    size_t at = 0;
    for (int64_t k = 0; k < parts->length; k++) {
        VmString *p = vm_slot_ref(d[k]);
        if (k) {
            memcpy(r->bytes + at, sep->bytes, (size_t)sep->length);
            at += (size_t)sep->length;
        }
        memcpy(r->bytes + at, p ? p->bytes : "null", p ? (size_t)p->length : 4);
        at += p ? (size_t)p->length : 4;
        if (vm_native_work(vm, (size_t)(p ? p->length : 4) + (size_t)sep->length + 16) < 0)
            return NULL;
    }
    return r;
}

static VmString *std_string_trim(MicaVM *vm, VmString *s)
{
    int64_t b = 0, e = s->length;
    while (b < e && (uint8_t)s->bytes[b] <= ' ')
        b++;
    while (e > b && (uint8_t)s->bytes[e - 1] <= ' ')
        e--;
    if (b == 0 && e == s->length)
        return s;
    return vm_new_string(vm, s->bytes + b, (size_t)(e - b));
}

/* ASCII letters only: other scripts pass through unchanged. */
static VmString *change_case(MicaVM *vm, VmString *s, bool upper)
{
    VmString *r = vm_new_string(vm, s->bytes, (size_t)s->length);
    if (!r)
        return NULL;
    for (int64_t i = 0; i < r->length; i++) {
        char c = r->bytes[i];
        if (upper && c >= 'a' && c <= 'z')
            r->bytes[i] = (char)(c - 32);
        else if (!upper && c >= 'A' && c <= 'Z')
            r->bytes[i] = (char)(c + 32);
    }
    return r;
}

static VmString *std_string_to_upper_case(MicaVM *vm, VmString *s)
{
    return change_case(vm, s, true);
}

static VmString *std_string_to_lower_case(MicaVM *vm, VmString *s)
{
    return change_case(vm, s, false);
}

static VmString *std_string_replace(MicaVM *vm, VmString *s, VmString *old, VmString *rep)
{
    if (null_arg(vm, old, "the text to replace") || null_arg(vm, rep, "the replacement"))
        return NULL;
    int64_t hits = 0;
    if (old->length == 0) {
        hits = cp_len(s) + 1;
    } else {
        for (int64_t i = find_bytes(vm, s, old, 0); i >= 0;
             i = find_bytes(vm, s, old, i + old->length))
            hits++;
        if (vm->halt)
            return NULL;
    }
    if (hits == 0)
        return s;
    double size = (double)s->length + (double)hits * (double)(rep->length - old->length);
    if (size > (double)(INT64_MAX / 4)) {
        vm_throw(vm, "OutOfMemoryError", "string too large");
        return NULL;
    }
    /* the result is taken on the heap, under its cap, before any copying */
    VmString *r = vm_new_string_uninit(vm, (size_t)size);
    if (!r)
        return NULL;
    char *buf = r->bytes;
    size_t at = 0;
    int64_t i = 0;
    if (old->length == 0) {
        while (true) {
            memcpy(buf + at, rep->bytes, (size_t)rep->length);
            at += (size_t)rep->length;
            if (i >= s->length)
                break;
            int64_t w = cp_width(s, i);
            memcpy(buf + at, s->bytes + i, (size_t)w);
            at += (size_t)w;
            i += w;
            if (vm_native_work(vm, (size_t)(rep->length + w)) < 0)
                return NULL;
        }
    } else {
        for (int64_t j = find_bytes(vm, s, old, 0); j >= 0; j = find_bytes(vm, s, old, i)) {
            memcpy(buf + at, s->bytes + i, (size_t)(j - i));
            at += (size_t)(j - i);
            memcpy(buf + at, rep->bytes, (size_t)rep->length);
            at += (size_t)rep->length;
            i = j + old->length;
            if (vm_native_work(vm, (size_t)rep->length + 16) < 0)
                return NULL;
        }
        if (vm->halt) /* the search stopped early: the copy is incomplete */
            return NULL;
        memcpy(buf + at, s->bytes + i, (size_t)(s->length - i));
        at += (size_t)(s->length - i);
    }
    return r;
}

static VmString *std_string_repeat(MicaVM *vm, VmString *s, int64_t n)
{
    if (n < 0) {
        vm_throw(vm, "IllegalArgumentError", "count is negative: %lld", (long long)n);
        return NULL;
    }
    if (n == 1 || s->length == 0)
        return s;
    if (n > 0 && s->length > INT64_MAX / 4 / n) {
        vm_throw(vm, "OutOfMemoryError", "string too large");
        return NULL;
    }
    /* the result is taken on the heap, under its cap, before any copying;
     * then filled by doubling, a poll per megabyte */
    size_t total = (size_t)(s->length * n);
    VmString *r = vm_new_string_uninit(vm, total);
    if (!r)
        return NULL;
    size_t have = total ? (size_t)s->length : 0;
    memcpy(r->bytes, s->bytes, have);
    while (have < total) {
        size_t k = have < total - have ? have : total - have;
        if (k > VM_NATIVE_POLL_BYTES) /* whole copies only: [have] stays a multiple */
            k = (size_t)s->length > VM_NATIVE_POLL_BYTES
                    ? (size_t)s->length
                    : VM_NATIVE_POLL_BYTES / (size_t)s->length * (size_t)s->length;
        memcpy(r->bytes + have, r->bytes, k);
        have += k;
        if (vm_native_work(vm, k) < 0)
            return NULL;
    }
    return r;
}

static VmString *std_string_from_code_point(MicaVM *vm, int64_t cp)
{
    char b[4];
    size_t n;
    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        vm_throw(vm, "IllegalArgumentError", "invalid code point: %lld", (long long)cp);
        return NULL;
    }
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | cp >> 12);
        b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | cp >> 18);
        b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return vm_new_string(vm, b, n);
}

/* The text of [s] quoted for an error message, cut at 40 bytes. */
static void quote(char *buf, size_t n, VmString *s)
{
    snprintf(buf, n, "\"%.*s%s\"", (int)(s->length > 40 ? 40 : s->length), s->bytes,
             s->length > 40 ? "..." : "");
}

/* ---- std/core/Int, Float ---- */

static int64_t std_int_parse(MicaVM *vm, VmString *s, int64_t radix)
{
    if (null_arg(vm, s, "the text"))
        return 0;
    char q[64];
    if (radix < 2 || radix > 36) {
        vm_throw(vm, "IllegalArgumentError", "radix %lld out of range 2..36", (long long)radix);
        return 0;
    }
    const char *p = s->bytes;
    int64_t i = 0;
    bool neg = false;
    if (i < s->length && (p[i] == '-' || p[i] == '+'))
        neg = p[i++] == '-';
    uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    bool any = false, range = false;
    for (; i < s->length; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'z' ? c - 'a' + 10
                : c >= 'A' && c <= 'Z' ? c - 'A' + 10
                                       : 99;
        if (d >= radix)
            break;
        any = true;
        if (v > (limit - (uint64_t)d) / (uint64_t)radix)
            range = true;
        else
            v = v * (uint64_t)radix + (uint64_t)d;
    }
    if (!any || i != s->length) {
        quote(q, sizeof q, s);
        vm_throw(vm, "IllegalArgumentError", "invalid int: %s", q);
        return 0;
    }
    if (range) {
        quote(q, sizeof q, s);
        vm_throw(vm, "IllegalArgumentError", "int out of range: %s", q);
        return 0;
    }
    return neg ? (int64_t)(0 - v) : (int64_t)v;
}

static double std_float_parse(MicaVM *vm, VmString *s)
{
    if (null_arg(vm, s, "the text"))
        return 0;
    double v;
    if (!std_parse_float(s->bytes, s->length, &v)) {
        char q[64];
        quote(q, sizeof q, s);
        vm_throw(vm, "IllegalArgumentError", "invalid float: %s", q);
    }
    return v;
}

static VmString *std_int_to_string_radix(MicaVM *vm, int64_t v, int64_t radix)
{
    if (radix < 2 || radix > 36) {
        vm_throw(vm, "IllegalArgumentError", "radix %lld out of range 2..36", (long long)radix);
        return NULL;
    }
    char buf[72];
    int at = sizeof buf;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        buf[--at] = "0123456789abcdefghijklmnopqrstuvwxyz"[u % (uint64_t)radix];
        u /= (uint64_t)radix;
    } while (u);
    if (v < 0)
        buf[--at] = '-';
    return vm_new_string(vm, buf + at, sizeof buf - (size_t)at);
}

static VmString *std_int_to_hex(MicaVM *vm, int64_t v)
{
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%llx", (unsigned long long)v);
    return vm_new_string(vm, buf, (size_t)n);
}

static int64_t std_float_to_bits(MicaVM *vm, double v)
{
    if (isnan(v))
        return 0x7ff8000000000000;
    int64_t b;
    memcpy(&b, &v, sizeof b);
    return b;
}

static double std_float_from_bits(MicaVM *vm, int64_t b)
{
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}

/* ---- std/core/StringBuilder: a byte[] buffer grown by the Mica side ---- */

static void std_sb_put(MicaVM *vm, VmArray *buf, int64_t at, VmString *s)
{
    if (at < 0 || at > buf->length || s->length > buf->length - at) {
        vm_throw(vm, "IndexError", "builder buffer overflow");
        return;
    }
    memcpy((char *)vm_array_data(buf) + at, s->bytes, (size_t)s->length);
}

static VmString *std_sb_make(MicaVM *vm, VmArray *buf, int64_t n)
{
    if (n < 0 || n > buf->length) {
        vm_throw(vm, "IndexError", "builder length %lld out of range", (long long)n);
        return NULL;
    }
    return vm_new_string(vm, (const char *)vm_array_data(buf), (size_t)n);
}

/* A byte[] of [cap] bytes holding the first [used] bytes of [buf]. */
static VmArray *std_sb_grow(MicaVM *vm, VmArray *buf, int64_t used, int64_t cap)
{
    if (used < 0 || used > buf->length || cap < used) {
        vm_throw(vm, "IndexError", "builder length %lld out of range", (long long)used);
        return NULL;
    }
    MicaStatus st;
    VmClass *c = vm_load_class(vm, "[B", &st);
    if (!c) {
        vm_throw(vm, "LinkError", "%s", vm->last_error ? vm->last_error : "byte[]");
        return NULL;
    }
    VmArray *a = vm_new_array(vm, c, cap);
    if (a)
        memcpy(vm_array_data(a), vm_array_data(buf), (size_t)used);
    return a;
}

#define NATIVE(f) {#f, (void (*)(void))f}
const StdNative std_strings_natives[] = {
    NATIVE(std_string_length),
    NATIVE(std_string_byte_length),
    NATIVE(std_string_char_at),
    NATIVE(std_string_code_point_at),
    NATIVE(std_string_substring),
    NATIVE(std_string_index_of),
    NATIVE(std_string_index_of_from),
    NATIVE(std_string_last_index_of),
    NATIVE(std_string_starts_with),
    NATIVE(std_string_ends_with),
    NATIVE(std_string_split),
    NATIVE(std_string_join),
    NATIVE(std_string_trim),
    NATIVE(std_string_to_upper_case),
    NATIVE(std_string_to_lower_case),
    NATIVE(std_string_replace),
    NATIVE(std_string_repeat),
    NATIVE(std_string_from_code_point),
    NATIVE(std_int_parse),
    NATIVE(std_float_parse),
    NATIVE(std_int_to_string_radix),
    NATIVE(std_int_to_hex),
    NATIVE(std_float_to_bits),
    NATIVE(std_float_from_bits),
    NATIVE(std_sb_put),
    NATIVE(std_sb_make),
    NATIVE(std_sb_grow),
    {NULL, NULL},
};
#undef NATIVE
