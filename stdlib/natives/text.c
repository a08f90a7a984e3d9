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

/* The text being formatted: on the heap, under its cap (vm/vm.h, VmBuf). After a
 * failure (OutOfMemoryError pending, or the run halted) further adds do nothing. */
typedef struct Out {
    MicaVM *vm;
    VmBuf b;
} Out;

static void out_add(Out *o, const char *s, size_t n)
{
    vm_buf_add(o->vm, &o->b, s, n);
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

/* One parsed conversion. */
typedef struct Spec {
    bool left, plus, space, zero, alt, group, paren;
    long width, prec;
    char conv;
} Spec;

/* Appends [body] laid out in [sp]'s width: [sign] ("-", "+", " ", "(" or
 * "") and [prefix] ("0x") go before zero padding, [suffix] (")") after. */
static void emit(Out *o, const Spec *sp, const char *sign, const char *prefix, const char *body,
                 size_t n, const char *suffix, bool zero_ok)
{
    int64_t len = (int64_t)(strlen(sign) + strlen(prefix) + strlen(suffix)) + cp_count(body, (int64_t)n);
    int64_t pad = sp->width > len ? sp->width - len : 0;
    if (!sp->left && !(sp->zero && zero_ok))
        for (int64_t i = 0; i < pad; i++)
            out_add(o, " ", 1);
    out_add(o, sign, strlen(sign));
    out_add(o, prefix, strlen(prefix));
    if (!sp->left && sp->zero && zero_ok)
        for (int64_t i = 0; i < pad; i++)
            out_add(o, "0", 1);
    out_add(o, body, n);
    out_add(o, suffix, strlen(suffix));
    if (sp->left)
        for (int64_t i = 0; i < pad; i++)
            out_add(o, " ", 1);
}

/* Copies digits [d] (with an optional fraction after '.') into [buf],
 * separating thousands of the integer part with ',' when [group]. */
static size_t group_digits(char *buf, size_t cap, const char *d, bool group)
{
    size_t n = strlen(d), k = 0;
    const char *dot = strchr(d, '.');
    size_t ilen = dot ? (size_t)(dot - d) : n;
    for (size_t i = 0; i < n && k + 2 < cap; i++) {
        if (group && i < ilen && i > 0 && (ilen - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = d[i];
    }
    buf[k] = 0;
    return k;
}

static const char *sign_of(const Spec *sp, bool neg)
{
    if (neg)
        return sp->paren ? "(" : "-";
    return sp->plus ? "+" : sp->space ? " " : "";
}

/* Java's %g: [prec] significant digits; fixed notation when the rounded
 * value is in [1e-4, 10^prec), scientific otherwise; zeros are kept. */
static void format_g(char *buf, size_t cap, double x, long prec, bool upper)
{
    if (prec == 0)
        prec = 1;
    if (x == 0) {
        snprintf(buf, cap, "%.*f", (int)(prec - 1), 0.0);
        return;
    }
    char e[64];
    snprintf(e, sizeof e, "%.*e", (int)(prec - 1), x);
    int exp = atoi(strchr(e, 'e') + 1);
    if (exp >= -4 && exp < prec)
        snprintf(buf, cap, "%.*f", (int)(prec - 1 - exp), x);
    else
        snprintf(buf, cap, upper ? "%.*E" : "%.*e", (int)(prec - 1), x);
}

/* Java's Formatter over Mica values:
 *   %[index$ | <][flags][width][.precision]conversion
 * conversions d (int), x X o (int, as 64 unsigned bits), f e E g G (float or
 * int), s S (any value), c C (a code point int or one-code-point String),
 * b B (null: false, a bool: itself, anything else: true), h (hash, hex),
 * % and n; flags - + space 0 # , (. NaN and infinities print as NaN,
 * Infinity and -Infinity, as println does. */
static VmString *std_text_format(MicaVM *vm, VmString *fmt, VmArray *args)
{
    if (std_null_arg(vm, fmt, "the format"))
        return NULL;
    Out o = {vm, {0}};
    int64_t next = 0, last = -1, nargs = args ? args->length : 0;
    const char *p = fmt->bytes, *end = fmt->bytes + fmt->length;
    VmString *r = NULL;
    while (p < end && !o.b.failed) {
        const char *pct = memchr(p, '%', (size_t)(end - p));
        if (!pct) {
            out_add(&o, p, (size_t)(end - p));
            break;
        }
        out_add(&o, p, (size_t)(pct - p));
        const char *q = pct + 1;
        Spec sp = {0};
        sp.prec = -1;
        int64_t index = -1; /* -1: the next argument */
        /* an argument index "2$" or "<" (the previous argument) */
        const char *d = q;
        long num = 0;
        while (d < end && *d >= '0' && *d <= '9' && num < 100000)
            num = num * 10 + (*d++ - '0');
        if (d > q && d < end && *d == '$') {
            if (num == 0) {
                vm_throw(vm, "IllegalArgumentError", "argument index 0 in \"%s\" (indexes start at 1)",
                         fmt->bytes);
                goto done;
            }
            index = num - 1;
            q = d + 1;
        } else if (q < end && *q == '<') {
            if (last < 0) {
                vm_throw(vm, "IllegalArgumentError", "%%< without a previous argument in \"%s\"",
                         fmt->bytes);
                goto done;
            }
            index = last;
            q++;
        }
        while (q < end && strchr("-0+ #,(", *q)) {
            switch (*q) {
            case '-': sp.left = true; break;
            case '0': sp.zero = true; break;
            case '+': sp.plus = true; break;
            case ' ': sp.space = true; break;
            case '#': sp.alt = true; break;
            case ',': sp.group = true; break;
            default: sp.paren = true; break;
            }
            q++;
        }
        while (q < end && *q >= '0' && *q <= '9' && sp.width < 100000)
            sp.width = sp.width * 10 + (*q++ - '0');
        if (q < end && *q == '.') {
            q++;
            sp.prec = 0;
            while (q < end && *q >= '0' && *q <= '9' && sp.prec < 100000)
                sp.prec = sp.prec * 10 + (*q++ - '0');
        }
        if (q >= end) {
            vm_throw(vm, "IllegalArgumentError", "format ends inside a conversion: \"%s\"",
                     fmt->bytes);
            goto done;
        }
        sp.conv = *q++;
        p = q;
        if (sp.width > 4096 || sp.prec > 4096) {
            vm_throw(vm, "IllegalArgumentError", "width or precision too large in \"%s\"",
                     fmt->bytes);
            goto done;
        }
        if (sp.conv == '%') {
            emit(&o, &sp, "", "", "%", 1, "", false);
            continue;
        }
        if (sp.conv == 'n') {
            out_add(&o, "\n", 1);
            continue;
        }
        if (!strchr("dxXofeEgGsSbBcCh", sp.conv)) {
            vm_throw(vm, "IllegalArgumentError", "unknown conversion %%%c in \"%s\"", sp.conv,
                     fmt->bytes);
            goto done;
        }
        if (sp.left && sp.width == 0) {
            vm_throw(vm, "IllegalArgumentError", "%%-%c needs a width in \"%s\"", sp.conv,
                     fmt->bytes);
            goto done;
        }
        int64_t ai = index >= 0 ? index : next++;
        if (ai >= nargs) {
            vm_throw(vm, "IllegalArgumentError", "no argument for %%%c (argument %lld) in \"%s\"",
                     sp.conv, (long long)(ai + 1), fmt->bytes);
            goto done;
        }
        last = ai;
        Arg a;
        if (arg_of(vm, vm_slot_ref(((uint64_t *)vm_array_data(args))[ai]), &a) < 0)
            goto done;
        char buf[4200], tmp[4200];
        char conv = sp.conv;
        bool upper = conv == 'X' || conv == 'E' || conv == 'G' || conv == 'S' || conv == 'B' ||
                     conv == 'C';
        if (conv == 's' || conv == 'S' || conv == 'b' || conv == 'B' || conv == 'h') {
            const char *t = NULL;
            int64_t tn = 0;
            if (conv == 'b' || conv == 'B') {
                t = a.kind == 'N' ? "false" : a.kind == 'Z' && !a.i ? "false" : "true";
                tn = (int64_t)strlen(t);
            } else if (conv == 'h') {
                int64_t h = 0;
                if (a.kind != 'N') {
                    VmObject *obj = vm_slot_ref(((uint64_t *)vm_array_data(args))[ai]);
                    VmMethod *hm = vm_find_method(obj->cls, "hashCode", "()I");
                    uint64_t self = vm_ref_slot(obj), rv = 0;
                    if (!hm || vm_call(vm, hm, &self, 1, &rv) < 0)
                        goto done;
                    h = (int64_t)rv;
                }
                tn = a.kind == 'N' ? snprintf(buf, sizeof buf, "null")
                                   : snprintf(buf, sizeof buf, "%llx", (unsigned long long)h);
                t = buf;
            } else {
                switch (a.kind) {
                case 'S': t = a.s->bytes; tn = a.s->length; break;
                case 'N': t = "null"; tn = 4; break;
                case 'Z': t = a.i ? "true" : "false"; tn = (int64_t)strlen(t); break;
                case 'I': tn = snprintf(buf, sizeof buf, "%lld", (long long)a.i); t = buf; break;
                default: tn = (int64_t)std_format_double(a.f, buf, sizeof buf); t = buf; break;
                }
            }
            if (sp.prec >= 0 && cp_count(t, tn) > sp.prec) {
                int64_t cut = 0, cps = 0;
                while (cut < tn && (cps < sp.prec || ((uint8_t)t[cut] & 0xC0) == 0x80)) {
                    cps += ((uint8_t)t[cut] & 0xC0) != 0x80;
                    cut++;
                }
                tn = cut;
            }
            if (upper) {
                char *u = vm_scratch(vm, (size_t)tn + 1, "formatted text");
                if (!u)
                    goto done;
                for (int64_t i = 0; i < tn; i++)
                    u[i] = (char)toupper((unsigned char)t[i]);
                pad_text(&o, u, tn, sp.width, sp.left);
            } else {
                pad_text(&o, t, tn, sp.width, sp.left);
            }
            continue;
        }
        if (conv == 'c' || conv == 'C') {
            int64_t cp = -1;
            if (a.kind == 'I')
                cp = a.i;
            else if (a.kind == 'S' && cp_count(a.s->bytes, a.s->length) == 1) {
                int64_t at = 0;
                cp = decode((const uint8_t *)a.s->bytes, a.s->length, &at);
            } else if (a.kind == 'N') {
                pad_text(&o, "null", 4, sp.width, sp.left);
                continue;
            } else {
                vm_throw(vm, "IllegalArgumentError",
                         "%%c needs a code point or a one-character String, not %s",
                         a.kind == 'S' ? "a longer String" : kind_name(a.kind));
                goto done;
            }
            if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                vm_throw(vm, "IllegalArgumentError", "invalid code point for %%c: %lld",
                         (long long)cp);
                goto done;
            }
            if (upper && cp < 128)
                cp = toupper((int)cp);
            uint8_t u[4];
            int un = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (un == 1) {
                u[0] = (uint8_t)cp;
            } else {
                for (int i = un - 1; i > 0; i--) {
                    u[i] = (uint8_t)(0x80 | (cp & 0x3F));
                    cp >>= 6;
                }
                u[0] = (uint8_t)((un == 2 ? 0xC0 : un == 3 ? 0xE0 : 0xF0) | cp);
            }
            pad_text(&o, (const char *)u, un, sp.width, sp.left);
            continue;
        }
        if (strchr("dxXo", conv)) {
            if (a.kind != 'I') {
                vm_throw(vm, "IllegalArgumentError", "%%%c needs an int, not %s", conv,
                         kind_name(a.kind));
                goto done;
            }
            if (conv == 'd') {
                bool neg = a.i < 0;
                uint64_t mag = neg ? 0 - (uint64_t)a.i : (uint64_t)a.i;
                snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)mag);
                size_t n = group_digits(buf, sizeof buf, tmp, sp.group);
                emit(&o, &sp, sign_of(&sp, neg), "", buf, n, neg && sp.paren ? ")" : "", true);
            } else {
                int n = snprintf(buf, sizeof buf, conv == 'o' ? "%llo" : conv == 'x' ? "%llx" : "%llX",
                                 (unsigned long long)a.i);
                const char *prefix = !sp.alt ? "" : conv == 'o' ? "0" : conv == 'x' ? "0x" : "0X";
                emit(&o, &sp, "", prefix, buf, (size_t)n, "", true);
            }
            continue;
        }
        /* f e E g G */
        if (a.kind != 'I' && a.kind != 'F') {
            vm_throw(vm, "IllegalArgumentError", "%%%c needs a number, not %s", conv,
                     kind_name(a.kind));
            goto done;
        }
        double x = a.kind == 'I' ? (double)a.i : a.f;
        bool neg = signbit(x) && !isnan(x);
        double mag = fabs(x);
        if (isnan(x) || isinf(x)) {
            const char *t = isnan(x) ? "NaN" : "Infinity";
            emit(&o, &sp, isnan(x) ? "" : sign_of(&sp, neg), "", t, strlen(t),
                 neg && sp.paren && !isnan(x) ? ")" : "", false);
            continue;
        }
        long prec = sp.prec < 0 ? 6 : sp.prec;
        if (conv == 'f')
            snprintf(tmp, sizeof tmp, "%.*f", (int)prec, mag);
        else if (conv == 'e' || conv == 'E')
            snprintf(tmp, sizeof tmp, conv == 'e' ? "%.*e" : "%.*E", (int)prec, mag);
        else
            format_g(tmp, sizeof tmp, mag, prec, conv == 'G');
        bool sci = strchr(tmp, 'e') || strchr(tmp, 'E');
        size_t n = group_digits(buf, sizeof buf, tmp, sp.group && !sci);
        emit(&o, &sp, sign_of(&sp, neg), "", buf, n, neg && sp.paren ? ")" : "", true);
    }
    r = vm_buf_string(vm, &o.b);
done:
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
    double v;
    if (!std_parse_float(s->bytes, s->length, &v))
        vm_throw(vm, "IllegalArgumentError", "not a float: \"%s\"", s->bytes);
    return v;
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
