/* stdlib/natives/unicode.c: the natives of std.core.Char and the Unicode-aware
 * String operations (case mapping, case folding, normalization), on utf8proc
 * (loaded when first needed: utf8proc_lib.h). */
#include "natives.h"
#include "cm_mem.h"

#include <stdlib.h>
#include <string.h>

#include "std_util.h"
#include "utf8proc_lib.h"

/* utf8proc's functions, or NULL with LinkError pending when the library cannot
 * be loaded. */
static const StdUtf8proc *uni(MicaVM *vm)
{
    const StdUtf8proc *u = std_utf8proc();
    if (!u)
        vm_throw(vm, "LinkError", "%s", std_utf8proc_error());
    return u;
}

/* The utf8proc category of [cp] (UTF8PROC_CATEGORY_*; 0 "Cn" when [cp] is not
 * a valid code point). */
static int64_t std_unicode_category(MicaVM *vm, int64_t cp)
{
    const StdUtf8proc *u = uni(vm);
    if (!u || cp < 0 || cp > 0x10FFFF || !u->utf8proc_codepoint_valid((utf8proc_int32_t)cp))
        return 0;
    return (int64_t)u->utf8proc_category((utf8proc_int32_t)cp);
}

static VmString *std_unicode_category_name(MicaVM *vm, int64_t cp)
{
    const StdUtf8proc *u = uni(vm);
    if (!u)
        return NULL;
    const char *s = "Cn";
    if (cp >= 0 && cp <= 0x10FFFF && u->utf8proc_codepoint_valid((utf8proc_int32_t)cp))
        s = u->utf8proc_category_string((utf8proc_int32_t)cp);
    return vm_new_string(vm, s, strlen(s));
}

static int64_t std_unicode_to_upper(MicaVM *vm, int64_t cp)
{
    /* sharp s has no one-code-point upper case in UnicodeData.txt (Java and
     * Python keep it); utf8proc maps it to U+1E9E */
    if (cp < 0 || cp > 0x10FFFF || cp == 0xDF)
        return cp;
    const StdUtf8proc *u = uni(vm);
    return u ? u->utf8proc_toupper((utf8proc_int32_t)cp) : cp;
}

static int64_t std_unicode_to_lower(MicaVM *vm, int64_t cp)
{
    if (cp < 0 || cp > 0x10FFFF)
        return cp;
    const StdUtf8proc *u = uni(vm);
    return u ? u->utf8proc_tolower((utf8proc_int32_t)cp) : cp;
}

static int64_t std_unicode_to_title(MicaVM *vm, int64_t cp)
{
    if (cp < 0 || cp > 0x10FFFF)
        return cp;
    const StdUtf8proc *u = uni(vm);
    return u ? u->utf8proc_totitle((utf8proc_int32_t)cp) : cp;
}

/* Columns a terminal gives [cp] (0, 1 or 2). */
static int64_t std_unicode_width(MicaVM *vm, int64_t cp)
{
    if (cp < 0 || cp > 0x10FFFF)
        return 0;
    const StdUtf8proc *u = uni(vm);
    return u ? u->utf8proc_charwidth((utf8proc_int32_t)cp) : 0;
}

/* Checks that a C buffer of [n] bytes made for the program stays within the
 * heap cap (the program could not hold its result otherwise). */
static int c_buffer_ok(MicaVM *vm, size_t n)
{
    if (vm->heap.limit && n > vm->heap.limit)
        return vm_throw(vm, "OutOfMemoryError", "text too large for the heap cap");
    return vm_heap_reserve(vm, n, "text");
}

/* Appends the UTF-8 of [cp] to [out]; returns the bytes written. */
static size_t put_cp(const StdUtf8proc *u, uint8_t *out, int32_t cp)
{
    return (size_t)u->utf8proc_encode_char(cp, out);
}

/* [s] with every code point mapped: mode 0 upper case, 1 lower case. Simple
 * (one-to-one) mappings, plus U+00DF (sharp s), which upper-cases to "SS" as
 * in Java. ASCII text takes a fast path; invalid bytes pass through. */
static VmString *std_unicode_map_case(MicaVM *vm, VmString *s, int64_t mode)
{
    if (std_null_arg(vm, s, "the text"))
        return NULL;
    const uint8_t *p = (const uint8_t *)s->bytes;
    size_t n = (size_t)s->length;
    /* a mapped code point takes at most 4 bytes where the original took >= 1,
     * and sharp s (2 bytes) becomes "SS" (2 bytes) */
    const StdUtf8proc *u = NULL;
    for (size_t j = 0; j < n && !u; j++)
        if (p[j] >= 0x80 && !(u = uni(vm)))
            return NULL;
    if (c_buffer_ok(vm, n * 4) < 0)
        return NULL;
    uint8_t *out = cm_malloc(n * 4 + 1);
    if (!out) {
        vm_throw(vm, "OutOfMemoryError", "out of memory mapping case");
        return NULL;
    }
    size_t k = 0, i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            uint8_t c = p[i++];
            if (mode == 0 && c >= 'a' && c <= 'z')
                c -= 32;
            else if (mode == 1 && c >= 'A' && c <= 'Z')
                c += 32;
            out[k++] = c;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = u->utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
        if (len <= 0) {
            out[k++] = p[i++];
            continue;
        }
        i += (size_t)len;
        if (mode == 0 && cp == 0xDF) {
            out[k++] = 'S';
            out[k++] = 'S';
            continue;
        }
        k += put_cp(u, out + k, mode == 0 ? u->utf8proc_toupper(cp) : u->utf8proc_tolower(cp));
    }
    VmString *r = vm_new_string(vm, (const char *)out, k);
    free(out);
    return r;
}

/* [s] transformed by utf8proc_map with [options]; IllegalArgumentError for
 * invalid UTF-8. */
static VmString *map_utf8(MicaVM *vm, VmString *s, int options, const char *what)
{
    const StdUtf8proc *u;
    if (std_null_arg(vm, s, "the text") || !(u = uni(vm)))
        return NULL;
    /* decompositions grow text by at most a factor of 18 (utf8proc's bound);
     * refuse early what could not fit */
    if (c_buffer_ok(vm, (size_t)s->length * 4) < 0)
        return NULL;
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = u->utf8proc_map((const utf8proc_uint8_t *)s->bytes, s->length, &out,
                                      (utf8proc_option_t)options);
    if (n < 0) {
        if (n == UTF8PROC_ERROR_NOMEM)
            vm_throw(vm, "OutOfMemoryError", "out of memory in %s", what);
        else
            vm_throw(vm, "IllegalArgumentError", "cannot %s: %s", what, u->utf8proc_errmsg(n));
        return NULL;
    }
    VmString *r = vm_new_string(vm, (const char *)out, (size_t)n);
    free(out);
    return r;
}

/* Normal form [form]: 0 NFC, 1 NFD, 2 NFKC, 3 NFKD. */
static VmString *std_unicode_normalize(MicaVM *vm, VmString *s, int64_t form)
{
    int opts = UTF8PROC_STABLE;
    switch (form) {
    case 0: opts |= UTF8PROC_COMPOSE; break;
    case 1: opts |= UTF8PROC_DECOMPOSE; break;
    case 2: opts |= UTF8PROC_COMPOSE | UTF8PROC_COMPAT; break;
    case 3: opts |= UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT; break;
    default:
        vm_throw(vm, "IllegalArgumentError", "unknown normal form %lld", (long long)form);
        return NULL;
    }
    return map_utf8(vm, s, opts, "normalize");
}

/* Full Unicode case folding (for caseless comparison: "Straße" folds to "strasse"). */
static VmString *std_unicode_case_fold(MicaVM *vm, VmString *s)
{
    return map_utf8(vm, s, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD, "fold case");
}

#define NATIVE(f) {#f, (void (*)(void))f}
const StdNative std_unicode_natives[] = {
    NATIVE(std_unicode_category),
    NATIVE(std_unicode_category_name),
    NATIVE(std_unicode_to_upper),
    NATIVE(std_unicode_to_lower),
    NATIVE(std_unicode_to_title),
    NATIVE(std_unicode_width),
    NATIVE(std_unicode_map_case),
    NATIVE(std_unicode_normalize),
    NATIVE(std_unicode_case_fold),
    {NULL, NULL},
};
#undef NATIVE
