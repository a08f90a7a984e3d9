/* stdlib/natives/regex.c: the C side of std.regex on PCRE2 (UTF mode, JIT
 * when available; the library is loaded when the first regex is compiled:
 * pcre2_lib.h). Positions given to Mica count code points. */
#include "natives.h"
#include "cm_mem.h"

#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "pcre2_lib.h"
#include "std_util.h"

/* PCRE2's functions where a compiled regex exists (so the library is loaded). */
static const StdPcre2 *lib(void)
{
    return std_pcre2();
}

/* A compiled regex. PCRE2 10.42's JIT gets \\S, \\W and \\D wrong on non-ASCII
 * text under PCRE2_MATCH_INVALID_UTF (fixed in 10.43), so [fast] is compiled
 * without that flag (and JIT-compiled); each native call checks the subject's
 * UTF-8 once (valid_from). Only a subject that is not valid UTF-8
 * (which a Mica string can hold when read from bytes) falls back to [tolerant],
 * compiled with the flag on first need and always interpreted. */
typedef struct Rx {
    pcre2_code *fast;
    pcre2_code *tolerant;
    char *pattern;
    size_t len;
} Rx;

static Rx *rx_of(int64_t h)
{
    return (Rx *)(uintptr_t)h;
}

static pcre2_code *code_of(int64_t h)
{
    return rx_of(h)->fast;
}

static void free_code(void *p)
{
    Rx *rx = p;
    lib()->pcre2_code_free(rx->fast);
    lib()->pcre2_code_free(rx->tolerant);
    free(rx->pattern);
    free(rx);
}

/* The code for subjects that are not valid UTF-8, or NULL (out of memory). */
static pcre2_code *tolerant_of(Rx *rx)
{
    if (!rx->tolerant) {
        int err;
        PCRE2_SIZE off;
        rx->tolerant = lib()->pcre2_compile((PCRE2_SPTR)rx->pattern, rx->len,
                                     PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
    }
    return rx->tolerant;
}

/* Is [s] valid UTF-8 from byte [from] on? Checked once per native call (so
 * PCRE2 need not check at every match); an ASCII string is known to be after
 * one scan, cached in the string as its indexing caches it. */
static bool valid_from(VmString *s, size_t from)
{
    if (!s->cp_known) {
        int64_t n = 0;
        bool ascii = true;
        for (int64_t i = 0; i < s->length; i++) {
            uint8_t c = (uint8_t)s->bytes[i];
            ascii = ascii && c < 0x80;
            n += (c & 0xC0) != 0x80;
        }
        s->cp_length = n;
        s->ascii = ascii;
        s->cp_known = true;
    }
    if (s->ascii)
        return true;
    const uint8_t *b = (const uint8_t *)s->bytes;
    size_t end = (size_t)s->length;
    for (size_t i = from; i < end;) {
        uint8_t c = b[i];
        size_t need = c < 0x80 ? 0 : c < 0xC2 ? 9 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : c < 0xF5 ? 3 : 9;
        if (need == 9 || need > end - i - 1)
            return false;
        uint8_t lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
        uint8_t hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
        for (size_t k = 1; k <= need; k++)
            if (b[i + k] < (k == 1 ? lo : 0x80) || b[i + k] > (k == 1 ? hi : 0xBF))
                return false;
        i += need + 1;
    }
    return true;
}

/* One match: [valid] (from valid_from) picks the JIT-compiled code without a
 * second UTF-8 check, else the tolerant interpreted one. */
static int rx_match(int64_t h, VmString *s, PCRE2_SIZE from, uint32_t opts,
                    pcre2_match_data *md, pcre2_match_context *mc, bool valid)
{
    Rx *rx = rx_of(h);
    if (valid)
        return lib()->pcre2_match(rx->fast, (PCRE2_SPTR)s->bytes, (PCRE2_SIZE)s->length, from,
                           opts | PCRE2_NO_UTF_CHECK, md, mc);
    if (!tolerant_of(rx))
        return PCRE2_ERROR_NOMEMORY;
    return lib()->pcre2_match(rx->tolerant, (PCRE2_SPTR)s->bytes, (PCRE2_SIZE)s->length, from, opts,
                       md, mc);
}

/* Compiles [pattern] once for Regex [owner]; the code is freed when [owner] is
 * collected or the VM freed. IllegalArgumentError with PCRE2's message and offset. */
static int64_t std_regex_compile(MicaVM *vm, VmObject *owner, VmString *pattern)
{
    if (std_null_arg(vm, pattern, "the pattern"))
        return 0;
    if (!std_pcre2()) {
        vm_throw(vm, "LinkError", "%s", std_pcre2_error());
        return 0;
    }
    int err;
    PCRE2_SIZE off;
    pcre2_code *c = lib()->pcre2_compile((PCRE2_SPTR)pattern->bytes, (PCRE2_SIZE)pattern->length,
                                  PCRE2_UTF, &err, &off, NULL);
    if (!c) {
        PCRE2_UCHAR msg[256];
        lib()->pcre2_get_error_message(err, msg, sizeof msg);
        vm_throw(vm, "IllegalArgumentError", "bad regex \"%s\" at offset %zu: %s",
                 pattern->bytes, (size_t)off, (const char *)msg);
        return 0;
    }
    lib()->pcre2_jit_compile(c, PCRE2_JIT_COMPLETE); /* optional: falls back to the interpreter */
    if (!owner) {
        lib()->pcre2_code_free(c);
        vm_throw(vm, "NullError", "the owner is null");
        return 0;
    }
    Rx *rx = cm_calloc(1, sizeof *rx);
    char *pat = cm_malloc((size_t)pattern->length + 1);
    if (!rx || !pat) {
        free(rx);
        free(pat);
        lib()->pcre2_code_free(c);
        vm_throw(vm, "OutOfMemoryError", "cannot compile a regex");
        return 0;
    }
    memcpy(pat, pattern->bytes, (size_t)pattern->length + 1);
    rx->fast = c;
    rx->pattern = pat;
    rx->len = (size_t)pattern->length;
    if (vm_foreign_attach(vm, owner, rx, free_code) < 0)
        return 0;
    return (int64_t)(uintptr_t)rx;
}

/* A match context whose PCRE2 heap (backtracking memory, outside the collected
 * heap) stays within a quarter of the heap cap; NULL (the defaults) without a
 * cap. Freed by the caller. */
static pcre2_match_context *match_context(MicaVM *vm)
{
    if (!vm->heap.limit)
        return NULL;
    pcre2_match_context *mc = lib()->pcre2_match_context_create(NULL);
    if (mc) {
        size_t kib = vm->heap.limit / 4 / 1024;
        lib()->pcre2_set_heap_limit(mc, (uint32_t)(kib < 20000000u ? (kib ? kib : 1) : 20000000u));
    }
    return mc;
}

static void throw_pcre2(MicaVM *vm, int rc, const char *what, const char *detail)
{
    PCRE2_UCHAR msg[256];
    lib()->pcre2_get_error_message(rc, msg, sizeof msg);
    if (rc == PCRE2_ERROR_HEAPLIMIT)
        vm_throw(vm, "OutOfMemoryError", "regex match needs more memory than the heap cap allows");
    else if (detail)
        vm_throw(vm, "IllegalArgumentError", "%s \"%s\": %s", what, detail, (const char *)msg);
    else
        vm_throw(vm, "IllegalArgumentError", "%s: %s", what, (const char *)msg);
}

static int64_t cp_count(const char *s, size_t n)
{
    int64_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((uint8_t)s[i] & 0xC0) != 0x80;
    return c;
}

/* Byte length of the UTF-8 sequence starting with [c] (1 for a stray byte). */
static size_t seq_len(uint8_t c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* Searches [s] from byte [from] (code point [from_cp]); [whole] anchors both
 * ends. On a match fills [m]'s groups, starts, ends (code points), nextByte and
 * nextCp (where a following search starts: past the match, or one code point
 * further for an empty one) and returns true. */
static bool std_regex_find(MicaVM *vm, int64_t h, VmString *s, int64_t from, int64_t from_cp,
                           bool whole, VmObject *m)
{
    if (std_null_arg(vm, s, "the text"))
        return false;
    if (from < 0 || from > s->length)
        return false;
    pcre2_code *c = code_of(h);
    pcre2_match_data *md = lib()->pcre2_match_data_create_from_pattern(c, NULL);
    bool found = false;
    if (!md) {
        vm_throw(vm, "OutOfMemoryError", "cannot match a regex");
        return false;
    }
    uint32_t opts = whole ? PCRE2_ANCHORED | PCRE2_ENDANCHORED : 0;
    pcre2_match_context *mc = match_context(vm);
    int rc = rx_match(h, s, (PCRE2_SIZE)from, opts, md, mc, valid_from(s, (size_t)from));
    lib()->pcre2_match_context_free(mc);
    if (rc == PCRE2_ERROR_NOMATCH) {
        goto done;
    } else if (rc < 0) {
        throw_pcre2(vm, rc, "regex match failed", NULL);
        goto done;
    }
    uint32_t n = lib()->pcre2_get_ovector_count(md);
    PCRE2_SIZE *ov = lib()->pcre2_get_ovector_pointer(md);
    VmArray *groups = std_new_array(vm, "[Lstd/core/String;", n);
    VmArray *starts = groups ? std_new_array(vm, "[I", n) : NULL;
    VmArray *ends = starts ? std_new_array(vm, "[I", n) : NULL;
    if (!ends)
        goto done;
    if (std_set_field(vm, m, "groups", vm_ref_slot(groups)) < 0 ||
        std_set_field(vm, m, "starts", vm_ref_slot(starts)) < 0 ||
        std_set_field(vm, m, "ends", vm_ref_slot(ends)) < 0)
        goto done;
    for (uint32_t g = 0; g < n; g++) {
        int64_t *st = (int64_t *)vm_array_data(starts) + g;
        int64_t *en = (int64_t *)vm_array_data(ends) + g;
        if (g >= (uint32_t)rc || ov[2 * g] == PCRE2_UNSET) {
            *st = *en = -1;
            continue;
        }
        size_t a = ov[2 * g], b = ov[2 * g + 1];
        if (b < a) /* \K can end a match before its start */
            b = a;
        *st = a >= (size_t)from ? from_cp + cp_count(s->bytes + from, a - (size_t)from)
                                : cp_count(s->bytes, a);
        *en = *st + cp_count(s->bytes + a, b - a);
        VmString *t = vm_new_string(vm, s->bytes + a, b - a);
        if (!t)
            goto done;
        std_ref_elems(groups)[g] = vm_ref_slot(t);
    }
    size_t a = ov[0], b = ov[1] > ov[0] ? ov[1] : ov[0];
    int64_t next = (int64_t)b, next_cp = ((int64_t *)vm_array_data(ends))[0];
    if (a == b) { /* an empty match: step over one code point */
        if (next < s->length) {
            next += (int64_t)seq_len((uint8_t)s->bytes[next]);
            if (next > s->length)
                next = s->length;
        } else {
            next = s->length + 1; /* nothing further to find */
        }
        next_cp++;
    }
    if (std_set_field(vm, m, "nextByte", (uint64_t)next) < 0 ||
        std_set_field(vm, m, "nextCp", (uint64_t)next_cp) < 0)
        goto done;
    found = true;
done:
    lib()->pcre2_match_data_free(md);
    return found;
}

/* The number of the group called [name], or -1. */
static int64_t std_regex_group_number(MicaVM *vm, int64_t h, VmString *name)
{
    if (std_null_arg(vm, name, "the group name"))
        return -1;
    int n = lib()->pcre2_substring_number_from_name(code_of(h), (PCRE2_SPTR)name->bytes);
    return n < 0 ? -1 : n;
}

/* Every match of [h] in [s] replaced by [rep] ($1, ${name}, $$ for '$'), as
 * PCRE2_SUBSTITUTE_GLOBAL does it (after an empty match, the next one may not
 * be empty at the same place), but one match at a time: the result grows on
 * the heap, under its cap, and the deadline is polled between matches. */
static VmString *std_regex_replace_all(MicaVM *vm, int64_t h, VmString *s, VmString *rep)
{
    if (std_null_arg(vm, s, "the text") || std_null_arg(vm, rep, "the replacement"))
        return NULL;
    pcre2_code *c = code_of(h);
    pcre2_match_data *md = lib()->pcre2_match_data_create_from_pattern(c, NULL);
    pcre2_match_context *mc = match_context(vm);
    VmBuf out = {0};
    VmString *r = NULL;
    if (!md) {
        vm_throw(vm, "OutOfMemoryError", "cannot match a regex");
        goto done;
    }
    PCRE2_SPTR subj = (PCRE2_SPTR)s->bytes;
    PCRE2_SIZE len = (PCRE2_SIZE)s->length, pos = 0, copied = 0;
    bool valid = valid_from(s, 0);
    uint32_t opts = 0;
    for (;;) {
        int rc = rx_match(h, s, pos, opts, md, mc, valid);
        if (rc == PCRE2_ERROR_NOMATCH) {
            if (opts == 0 || pos >= len)
                break;
            pos += seq_len((uint8_t)s->bytes[pos]); /* past the empty match */
            if (pos > len)
                pos = len;
            opts = 0;
            continue;
        }
        if (rc < 0) {
            throw_pcre2(vm, rc, "regex match failed", NULL);
            goto done;
        }
        PCRE2_SIZE *ov = lib()->pcre2_get_ovector_pointer(md);
        PCRE2_SIZE ma = ov[0], mb = ov[1] > ov[0] ? ov[1] : ov[0];
        if (ma > copied && vm_buf_add(vm, &out, s->bytes + copied, ma - copied) < 0)
            goto done;
        /* the replacement for this match, written straight into the buffer */
        for (;;) {
            if (vm_buf_grow(vm, &out, 64) < 0)
                goto done;
            PCRE2_SIZE room = out.cap - out.n;
            int sr = lib()->pcre2_substitute(c, subj, len, 0,
                                      PCRE2_SUBSTITUTE_MATCHED | PCRE2_SUBSTITUTE_REPLACEMENT_ONLY |
                                          PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
                                      md, mc, (PCRE2_SPTR)rep->bytes, (PCRE2_SIZE)rep->length,
                                      (PCRE2_UCHAR *)out.p + out.n, &room);
            if (sr == PCRE2_ERROR_NOMEMORY) {
                if (vm_buf_grow(vm, &out, room) < 0)
                    goto done;
                continue;
            }
            if (sr < 0) {
                throw_pcre2(vm, sr, "bad replacement", rep->bytes);
                goto done;
            }
            out.n += room;
            break;
        }
        copied = mb;
        pos = mb;
        opts = ma == mb ? PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED : 0;
        if (vm_native_work(vm, (size_t)(mb - ma) + (size_t)rep->length + 64) < 0)
            goto done;
    }
    if (copied < len && vm_buf_add(vm, &out, s->bytes + copied, len - copied) < 0)
        goto done;
    r = vm_buf_string(vm, &out);
done:
    lib()->pcre2_match_context_free(mc);
    if (md)
        lib()->pcre2_match_data_free(md);
    return r;
}

/* [s] split around the matches of [h], as Java's String.split: trailing
 * empty pieces dropped, an empty match at the start yields no leading piece. */
static VmArray *std_regex_split(MicaVM *vm, int64_t h, VmString *s)
{
    if (std_null_arg(vm, s, "the text"))
        return NULL;
    pcre2_code *c = code_of(h);
    pcre2_match_data *md = lib()->pcre2_match_data_create_from_pattern(c, NULL);
    pcre2_match_context *mc = match_context(vm);
    VmBuf cutbuf = {0}; /* pairs of size_t: piece start, piece end; on the heap */
    size_t *cuts = NULL, ncuts = 0;
    VmArray *out = NULL;
    if (!md)
        goto oom;
    size_t pos = 0, piece = 0;
    bool valid = valid_from(s, 0);
    while (pos <= (size_t)s->length) {
        int rc = rx_match(h, s, pos, 0, md, mc, valid);
        if (rc == PCRE2_ERROR_HEAPLIMIT) {
            throw_pcre2(vm, rc, "regex match failed", NULL);
            goto done;
        }
        if (rc < 0)
            break;
        PCRE2_SIZE *ov = lib()->pcre2_get_ovector_pointer(md);
        size_t a = ov[0], b = ov[1] > ov[0] ? ov[1] : ov[0];
        if (a == b) {
            if (a >= (size_t)s->length)
                break;
            if (a == 0) { /* no leading empty piece */
                pos = seq_len((uint8_t)s->bytes[0]);
                continue;
            }
        }
        size_t pair[2] = {piece, a};
        if (vm_buf_add(vm, &cutbuf, pair, sizeof pair) < 0 ||
            ((++ncuts & 4095) == 0 && vm_native_poll(vm) < 0))
            goto done;
        piece = b;
        pos = a == b ? b + seq_len((uint8_t)s->bytes[b]) : b;
    }
    size_t last[2] = {piece, (size_t)s->length};
    if (vm_buf_add(vm, &cutbuf, last, sizeof last) < 0)
        goto done;
    cuts = (size_t *)(void *)cutbuf.p;
    ncuts = cutbuf.n / sizeof *cuts;
    size_t count = ncuts / 2;
    while (count > 1 && cuts[2 * count - 1] == cuts[2 * count - 2])
        count--;
    if (count == 1 && s->length == 0)
        count = 1; /* "".split gives [""], as in Java */
    out = std_new_array(vm, "[Lstd/core/String;", (int64_t)count);
    for (size_t i = 0; out && i < count; i++) {
        VmString *t = vm_new_string(vm, s->bytes + cuts[2 * i], cuts[2 * i + 1] - cuts[2 * i]);
        if (!t)
            out = NULL;
        else
            std_ref_elems(out)[i] = vm_ref_slot(t);
    }
    goto done;
oom:
    vm_throw(vm, "OutOfMemoryError", "cannot split a string");
done:
    lib()->pcre2_match_context_free(mc);
    if (md)
        lib()->pcre2_match_data_free(md);
    return out;
}

#define NATIVE(f) {#f, (void (*)(void))f}
const StdNative std_regex_natives[] = {
    NATIVE(std_regex_compile),
    NATIVE(std_regex_find),
    NATIVE(std_regex_group_number),
    NATIVE(std_regex_replace_all),
    NATIVE(std_regex_split),
    {NULL, NULL},
};
#undef NATIVE
