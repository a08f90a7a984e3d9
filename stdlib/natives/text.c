/* stdlib/natives/text.c: the C side of std.text: printf-style formatting of
 * boxed values, strict number parsing and UTF-8 code points. */
#include "natives.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "std_util.h"

typedef struct Out {
    char *p;
    size_t n, cap;
    bool oom;
} Out;

static void out_add(Out *o, const char *s, size_t n)
{
    if (o->oom)
        return;
    if (o->n + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 64;
        while (cap < o->n + n + 1)
            cap *= 2;
        char *p = realloc(o->p, cap);
        if (!p) {
            o->oom = true;
            return;
        }
        o->p = p;
        o->cap = cap;
    }
    memcpy(o->p + o->n, s, n);
    o->n += n;
}

/* One format argument, unboxed: a box is any object with a primitive field
 * `value` (std.core's Int, Float, Bool follow the boxing convention). */
typedef struct Arg {
    char kind; /* 'I', 'F', 'Z', 'S' (text in [s]), 'N' null */
    int64_t i;
    double f;
    VmString *s;
} Arg;

static int arg_of(MicaVM *vm, VmObject *o, Arg *a)
{
    memset(a, 0, sizeof *a);
    if (!o) {
        a->kind = 'N';
        return 0;
    }
    if (o->cls->is_string) {
        a->kind = 'S';
        a->s = (VmString *)o;
        return 0;
    }
    VmField *f = vm_find_field(o->cls, "value");
    if (f && !(f->flags & CF_ACC_STATIC) && strchr("IBFZ", f->desc[0]) && !f->desc[1]) {
        uint64_t v = vm_object_fields(o)[f->slot];
        a->kind = f->desc[0] == 'B' ? 'I' : f->desc[0];
        a->i = (int64_t)v;
        memcpy(&a->f, &v, sizeof a->f);
        return 0;
    }
    VmMethod *ts = vm_find_method(o->cls, "toString", "()Lstd/core/String;");
    uint64_t self = vm_ref_slot(o), r = 0;
    if (!ts || vm_call(vm, ts, &self, 1, &r) < 0)
        return -1;
    a->kind = r ? 'S' : 'N';
    a->s = vm_slot_ref(r);
    return 0;
}

static const char *kind_name(char k)
{
    switch (k) {
    case 'I': return "int";
    case 'F': return "float";
    case 'Z': return "bool";
    case 'S': return "String";
    default: return "null";
    }
}

/* Code points in [n] bytes of UTF-8 (continuation bytes do not count). */
static int64_t cp_count(const char *s, int64_t n)
{
    int64_t c = 0;
    for (int64_t i = 0; i < n; i++)
        c += ((uint8_t)s[i] & 0xC0) != 0x80;
    return c;
}

/* Appends [s] padded to [width] code points (left-justified when [left]). */
static void pad_text(Out *o, const char *s, int64_t n, long width, bool left)
{
    int64_t len = cp_count(s, n);
    if (!left)
        for (int64_t i = len; i < width; i++)
            out_add(o, " ", 1);
    out_add(o, s, (size_t)n);
    if (left)
        for (int64_t i = len; i < width; i++)
            out_add(o, " ", 1);
}

/* printf-style: %d %x %X %o (int), %f %e %E %g %G (float or int), %s (any),
 * %b (bool), %% and %n; flags - 0 + space #, a width and a precision. */
static VmString *std_text_format(MicaVM *vm, VmString *fmt, VmArray *args)
{
    if (std_null_arg(vm, fmt, "the format"))
        return NULL;
    Out o = {0};
    int64_t next = 0, nargs = args ? args->length : 0;
    const char *p = fmt->bytes, *end = fmt->bytes + fmt->length;
    VmString *r = NULL;
    while (p < end) {
        const char *pct = memchr(p, '%', (size_t)(end - p));
        if (!pct) {
            out_add(&o, p, (size_t)(end - p));
            break;
        }
        out_add(&o, p, (size_t)(pct - p));
        const char *q = pct + 1;
        char spec[32];
        size_t k = 0;
        spec[k++] = '%';
        bool left = false;
        while (q < end && strchr("-0+ #", *q)) {
            left |= *q == '-';
            if (k < 8)
                spec[k++] = *q;
            q++;
        }
        long width = 0, prec = -1;
        while (q < end && *q >= '0' && *q <= '9' && width < 100000)
            width = width * 10 + (*q++ - '0');
        if (q < end && *q == '.') {
            q++;
            prec = 0;
            while (q < end && *q >= '0' && *q <= '9' && prec < 100000)
                prec = prec * 10 + (*q++ - '0');
        }
        if (q >= end) {
            vm_throw(vm, "IllegalArgumentError", "format ends inside a conversion: \"%s\"",
                     fmt->bytes);
            goto done;
        }
        char conv = *q++;
        p = q;
        if (width > 4096 || prec > 4096) {
            vm_throw(vm, "IllegalArgumentError", "width or precision too large in \"%s\"",
                     fmt->bytes);
            goto done;
        }
        if (conv == '%') {
            out_add(&o, "%", 1);
            continue;
        }
        if (conv == 'n') {
            out_add(&o, "\n", 1);
            continue;
        }
        if (!strchr("dxXofeEgGsb", conv)) {
            vm_throw(vm, "IllegalArgumentError", "unknown conversion %%%c in \"%s\"", conv,
                     fmt->bytes);
            goto done;
        }
        if (next >= nargs) {
            vm_throw(vm, "IllegalArgumentError", "no argument for %%%c (argument %lld) in \"%s\"",
                     conv, (long long)next, fmt->bytes);
            goto done;
        }
        Arg a;
        if (arg_of(vm, vm_slot_ref(((uint64_t *)vm_array_data(args))[next]), &a) < 0)
            goto done;
        next++;
        char buf[4200];
        int n = 0;
        if (conv == 's' || conv == 'b') {
            const char *t = NULL;
            int64_t tn = 0;
            if (conv == 'b' && a.kind != 'Z' && a.kind != 'N') {
                vm_throw(vm, "IllegalArgumentError", "%%b needs a bool, not %s",
                         kind_name(a.kind));
                goto done;
            }
            switch (a.kind) {
            case 'S': t = a.s->bytes; tn = a.s->length; break;
            case 'N': t = "null"; tn = 4; break;
            case 'Z': t = a.i ? "true" : "false"; tn = (int64_t)strlen(t); break;
            case 'I': tn = snprintf(buf, sizeof buf, "%lld", (long long)a.i); t = buf; break;
            default: tn = (int64_t)std_format_double(a.f, buf, sizeof buf); t = buf; break;
            }
            if (prec >= 0 && cp_count(t, tn) > prec) {
                int64_t cut = 0, cps = 0;
                while (cut < tn && (cps < prec || ((uint8_t)t[cut] & 0xC0) == 0x80)) {
                    cps += ((uint8_t)t[cut] & 0xC0) != 0x80;
                    cut++;
                }
                tn = cut;
            }
            pad_text(&o, t, tn, width, left);
            continue;
        }
        k += (size_t)snprintf(spec + k, sizeof spec - k, "%ld", width);
        if (prec >= 0)
            k += (size_t)snprintf(spec + k, sizeof spec - k, ".%ld", prec);
        if (strchr("dxXo", conv)) {
            if (a.kind != 'I') {
                vm_throw(vm, "IllegalArgumentError", "%%%c needs an int, not %s", conv,
                         kind_name(a.kind));
                goto done;
            }
            snprintf(spec + k, sizeof spec - k, "ll%c", conv);
            n = snprintf(buf, sizeof buf, spec, (long long)a.i);
        } else {
            if (a.kind != 'I' && a.kind != 'F') {
                vm_throw(vm, "IllegalArgumentError", "%%%c needs a number, not %s", conv,
                         kind_name(a.kind));
                goto done;
            }
            snprintf(spec + k, sizeof spec - k, "%c", conv);
            n = snprintf(buf, sizeof buf, spec, a.kind == 'I' ? (double)a.i : a.f);
        }
        if (n > 0)
            out_add(&o, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
    }
    if (o.oom)
        vm_throw(vm, "OutOfMemoryError", "formatted text too large");
    else
        r = vm_new_string(vm, o.p ? o.p : "", o.n);
done:
    free(o.p);
    return r;
}

static int64_t std_text_parse_int(MicaVM *vm, VmString *s, int64_t radix)
{
    if (std_null_arg(vm, s, "the text"))
        return 0;
    if (radix < 2 || radix > 36) {
        vm_throw(vm, "IllegalArgumentError", "radix %lld out of range 2..36", (long long)radix);
        return 0;
    }
    const char *p = s->bytes;
    char *e = NULL;
    errno = 0;
    long long v = 0;
    bool ok = s->length > 0 && (p[0] == '-' || p[0] == '+' || isalnum((unsigned char)p[0]));
    if (ok) {
        v = strtoll(p, &e, (int)radix);
        ok = e == p + s->length && e != p && !(e == p + 1 && (p[0] == '-' || p[0] == '+'));
    }
    if (!ok) {
        vm_throw(vm, "IllegalArgumentError", "not an int: \"%s\"", p);
        return 0;
    }
    if (errno == ERANGE) {
        vm_throw(vm, "IllegalArgumentError", "int out of range: \"%s\"", p);
        return 0;
    }
    return v;
}

static double std_text_parse_float(MicaVM *vm, VmString *s)
{
    if (std_null_arg(vm, s, "the text"))
        return 0;
    const char *p = s->bytes;
    if (strcmp(p, "NaN") == 0)
        return NAN;
    if (strcmp(p, "Infinity") == 0 || strcmp(p, "+Infinity") == 0)
        return INFINITY;
    if (strcmp(p, "-Infinity") == 0)
        return -INFINITY;
    char *e = NULL;
    double v = 0;
    /* digits only (no "inf", "nan", hex or spaces), as Mica writes floats */
    bool ok = s->length > 0 && strspn(p, "0123456789+-.eE") == (size_t)s->length;
    if (ok) {
        v = strtod(p, &e);
        ok = e == p + s->length;
    }
    if (!ok)
        vm_throw(vm, "IllegalArgumentError", "not a float: \"%s\"", p);
    return v;
}

/* Decodes the code point at [s][*i] (advancing *i); invalid bytes give U+FFFD. */
static int64_t decode(const uint8_t *s, int64_t n, int64_t *i)
{
    uint8_t c = s[(*i)++];
    if (c < 0x80)
        return c;
    int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : -1;
    if (more < 0 || c > 0xF4)
        return 0xFFFD;
    int64_t cp = c & (0x3F >> more);
    for (int k = 0; k < more; k++) {
        if (*i >= n || (s[*i] & 0xC0) != 0x80)
            return 0xFFFD;
        cp = cp << 6 | (s[(*i)++] & 0x3F);
    }
    return cp;
}

static VmArray *std_text_code_points(MicaVM *vm, VmString *s)
{
    if (std_null_arg(vm, s, "the text"))
        return NULL;
    int64_t n = 0;
    for (int64_t i = 0; i < s->length; n++)
        decode((const uint8_t *)s->bytes, s->length, &i);
    VmArray *a = std_new_array(vm, "[I", n);
    if (!a)
        return NULL;
    int64_t *el = vm_array_data(a);
    for (int64_t i = 0, k = 0; i < s->length; k++)
        el[k] = decode((const uint8_t *)s->bytes, s->length, &i);
    return a;
}

static int64_t std_text_code_point_count(MicaVM *vm, VmString *s)
{
    return std_null_arg(vm, s, "the text") ? 0 : cp_count(s->bytes, s->length);
}

/* Bytes [from, to) of [s]'s UTF-8 as a String (callers cut at code-point
 * boundaries). */
static VmString *std_text_byte_slice(MicaVM *vm, VmString *s, int64_t from, int64_t to)
{
    if (std_null_arg(vm, s, "the text"))
        return NULL;
    if (from < 0 || to > s->length || from > to) {
        vm_throw(vm, "IndexError", "begin %lld, end %lld, length %lld", (long long)from,
                 (long long)to, (long long)s->length);
        return NULL;
    }
    return vm_new_string(vm, s->bytes + from, (size_t)(to - from));
}

#define NATIVE(f) {#f, (void (*)(void))f}
const StdNative std_text_natives[] = {
    NATIVE(std_text_format),
    NATIVE(std_text_parse_int),
    NATIVE(std_text_parse_float),
    NATIVE(std_text_code_points),
    NATIVE(std_text_code_point_count),
    NATIVE(std_text_byte_slice),
    {NULL, NULL},
};
#undef NATIVE
