/* classfile/reader.c: cf_read, parsing and format-checking a class file
 * (spec/classfile.md) into a CfClass. Code is not verified here. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cf_private.h"

typedef struct Rd {
    const uint8_t *p;
    size_t end;              /* limit of the region being parsed (file or payload) */
    size_t off;
    const char *origin;
    CfError *err;
    CfClass *c;
    uint32_t *cp_off;        /* file offset of each constant, for messages        */
    /* What is being parsed ("constant #7", "method bar: Code attribute"), kept in
     * parts and made into text only when a message needs it (where_text):
     * formatting it for every constant, member and attribute was most of reading
     * a class. */
    const char *w_what;      /* "field", "method", "class" or NULL               */
    const char *w_name;      /* its name, or NULL: then its index w_index         */
    uint32_t w_index;
    const char *w_attr[4];   /* the attributes being read, outermost first        */
    uint8_t w_nattr;
    bool member;             /* inside a member or attribute: offset goes last    */
    /* While the constant pool is read: 1 "constant #cp_where", 2 the same with
     * its kind. */
    uint8_t cp_phase;
    uint32_t cp_where;
} Rd;

enum { WHERE_SIZE = 256 };

enum { OWN_CLASS, OWN_FIELD, OWN_METHOD, OWN_CODE };

/* Appends to [buf] (of [size] bytes, *[o] used); silently cuts what does not fit. */
static void append(char *buf, size_t size, size_t *o, const char *fmt, ...)
{
    if (*o + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *o, size - *o, fmt, ap);
    va_end(ap);
    if (n > 0)
        *o += (size_t)n < size - *o ? (size_t)n : size - *o - 1;
}

/* What is being parsed, as text in [buf] (WHERE_SIZE bytes); "" for nothing. */
static void where_text(const Rd *r, char *buf)
{
    buf[0] = 0;
    if (r->cp_phase == 1) {
        snprintf(buf, WHERE_SIZE, "constant #%u", r->cp_where);
        return;
    }
    if (r->cp_phase == 2) {
        snprintf(buf, WHERE_SIZE, "constant #%u (%s)", r->cp_where,
                 cf_const_kind_name(r->c->cp[r->cp_where].kind));
        return;
    }
    if (r->w_what && r->w_name)
        snprintf(buf, WHERE_SIZE, "%s %.*s", r->w_what, strcmp(r->w_what, "class") == 0 ? 200
                                                                                      : 100,
                 r->w_name);
    else if (r->w_what)
        snprintf(buf, WHERE_SIZE, "%s %u", r->w_what, r->w_index);
    size_t o = strlen(buf);
    for (int i = 0; i < r->w_nattr; i++)
        append(buf, WHERE_SIZE, &o, "%s%.60s attribute", o ? ": " : "", r->w_attr[i]);
}

static void rd_fail_at(Rd *r, size_t at, const char *fmt, ...)
{
    char msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char where[WHERE_SIZE];
    where_text(r, where);
    char *out = r->err->msg;
    size_t size = sizeof r->err->msg, o = 0;
    append(out, size, &o, "%s: ", r->origin ? r->origin : "class file");
    if (r->member)
        append(out, size, &o, "%s: %s (offset 0x%zx)", where, msg, at);
    else if (where[0])
        append(out, size, &o, "offset 0x%zx: %s: %s", at, where, msg);
    else
        append(out, size, &o, "offset 0x%zx: %s", at, msg);
}

#define rd_fail(r, ...) rd_fail_at((r), (r)->off, __VA_ARGS__)

/* Quotes [s] for a message: escapes control characters, cuts long strings. */
static const char *quote(char *buf, size_t size, const char *s)
{
    size_t o = 0;
    buf[o++] = '"';
    for (; *s && o + 8 < size; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x20 || ch == '"' || ch == '\\' || ch == 0x7F)
            o += (size_t)snprintf(buf + o, size - o, "\\x%02x", ch);
        else
            buf[o++] = (char)ch;
    }
    if (*s) {
        /* don't cut inside a multi-byte sequence */
        while (o > 1 && ((unsigned char)buf[o - 1] & 0xC0) == 0x80)
            o--;
        if (o > 1 && (unsigned char)buf[o - 1] >= 0xC0)
            o--;
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o++] = '"';
    buf[o] = 0;
    return buf;
}

static bool need(Rd *r, size_t n, const char *what)
{
    size_t left = r->end - r->off;
    if (n > left) {
        rd_fail(r, "truncated %s: needs %zu bytes, %zu left", what, n, left);
        return false;
    }
    return true;
}

static bool rd_u8(Rd *r, uint8_t *v, const char *what)
{
    if (!need(r, 1, what))
        return false;
    *v = r->p[r->off++];
    return true;
}

static bool rd_u16(Rd *r, uint16_t *v, const char *what)
{
    if (!need(r, 2, what))
        return false;
    const uint8_t *p = r->p + r->off;
    *v = (uint16_t)((p[0] << 8) | p[1]);
    r->off += 2;
    return true;
}

static bool rd_u32(Rd *r, uint32_t *v, const char *what)
{
    if (!need(r, 4, what))
        return false;
    const uint8_t *p = r->p + r->off;
    *v = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
    r->off += 4;
    return true;
}

static bool rd_u64(Rd *r, uint64_t *v, const char *what)
{
    uint32_t hi, lo;
    if (!need(r, 8, what) || !rd_u32(r, &hi, what) || !rd_u32(r, &lo, what))
        return false;
    *v = ((uint64_t)hi << 32) | lo;
    return true;
}

/* Refuses a count whose minimal encoding would not fit in what is left, so a forged
 * count can never make us allocate more than the file could describe. */
static bool check_count(Rd *r, uint64_t count, size_t min_size, const char *what)
{
    size_t left = r->end - r->off;
    if (count > left / min_size) {
        rd_fail(r, "%s count %llu needs at least %llu bytes, %zu left", what,
                (unsigned long long)count, (unsigned long long)count * min_size, left);
        return false;
    }
    return true;
}

static void *rd_alloc(Rd *r, size_t n)
{
    void *p = cf_alloc(r->c, n);
    if (!p)
        rd_fail(r, "out of memory");
    return p;
}

/* ---- constant pool ---------------------------------------------------------- */

static bool cp_ref(Rd *r, size_t at, uint16_t idx, uint8_t kind, const char *what)
{
    const CfClass *c = r->c;
    if (idx == 0 || idx >= c->ncp) {
        rd_fail_at(r, at, "%s #%u out of range (constant pool has %u entries)", what, idx,
                   c->ncp);
        return false;
    }
    if (c->cp[idx].kind != kind) {
        rd_fail_at(r, at, "%s #%u is %s, expected %s", what, idx,
                   cf_const_kind_name(c->cp[idx].kind), cf_const_kind_name(kind));
        return false;
    }
    return true;
}

static bool name_len_ok(Rd *r, size_t at, uint16_t idx, const char *what)
{
    uint32_t len = r->c->cp[idx].u.utf8.len;
    if (len > CF_MAX_NAME_LEN) {
        rd_fail_at(r, at, "%s #%u too long (%u bytes, limit %u)", what, idx, len,
                   CF_MAX_NAME_LEN);
        return false;
    }
    return true;
}

static bool check_class_const(Rd *r, size_t at, uint16_t name)
{
    char q[96];
    if (!cp_ref(r, at, name, CF_CONST_UTF8, "class name") || !name_len_ok(r, at, name,
                                                                          "class name"))
        return false;
    const char *s = r->c->cp[name].u.utf8.s;
    if (!cf_class_name_ok(s)) {
        rd_fail_at(r, at, "invalid class name %s", quote(q, sizeof q, s));
        return false;
    }
    return true;
}

static bool check_ref_const(Rd *r, size_t at, const CfConst *k)
{
    char q[96];
    bool is_method = k->kind == CF_CONST_METHOD;
    if (!cp_ref(r, at, k->u.ref.cls, CF_CONST_CLASS, "class") ||
        !cp_ref(r, at, k->u.ref.name, CF_CONST_UTF8, "name") ||
        !name_len_ok(r, at, k->u.ref.name, "name") ||
        !cp_ref(r, at, k->u.ref.desc, CF_CONST_UTF8, "descriptor"))
        return false;
    const char *name = r->c->cp[k->u.ref.name].u.utf8.s;
    const char *desc = r->c->cp[k->u.ref.desc].u.utf8.s;
    if (!cf_member_name_ok(name, is_method)) {
        rd_fail_at(r, at, "invalid %s name %s", is_method ? "method" : "field",
                   quote(q, sizeof q, name));
        return false;
    }
    if (is_method ? !cf_desc_method_ok(desc, NULL) : !cf_desc_field_ok(desc)) {
        rd_fail_at(r, at, "invalid %s descriptor %s", is_method ? "method" : "field",
                   quote(q, sizeof q, desc));
        return false;
    }
    return true;
}

static bool read_cp(Rd *r)
{
    CfClass *c = r->c;
    uint16_t count;
    if (!rd_u16(r, &count, "constant pool count"))
        return false;
    if (count == 0) {
        rd_fail_at(r, r->off - 2, "constant pool count 0 (entry 0 is always counted)");
        return false;
    }
    if (!check_count(r, count - 1u, 3, "constant pool"))
        return false;
    c->ncp = count;
    c->cp = rd_alloc(r, (size_t)count * sizeof *c->cp);
    r->cp_off = rd_alloc(r, (size_t)count * sizeof *r->cp_off);
    if (!c->cp || !r->cp_off)
        return false;
    for (uint32_t i = 1; i < count; i++) {
        CfConst *k = &c->cp[i];
        size_t at = r->off;
        r->cp_phase = 1;
        r->cp_where = i;
        r->cp_off[i] = (uint32_t)at;
        uint8_t tag;
        if (!rd_u8(r, &tag, "tag"))
            return false;
        switch (tag) {
        case CF_CONST_UTF8: {
            uint32_t len;
            if (!rd_u32(r, &len, "Utf8 length"))
                return false;
            if (len > CF_MAX_UTF8_LEN) {
                rd_fail_at(r, at, "Utf8 length %u exceeds the limit of %u bytes", len,
                           CF_MAX_UTF8_LEN);
                return false;
            }
            if (len > r->end - r->off) {
                rd_fail_at(r, at, "Utf8 length %u exceeds remaining %zu bytes", len,
                           r->end - r->off);
                return false;
            }
            size_t bad;
            const char *why = cf_utf8_check(r->p + r->off, len, &bad);
            if (why) {
                rd_fail_at(r, r->off + bad, "invalid UTF-8 (%s) at byte %zu of the string",
                           why, bad);
                return false;
            }
            char *s = rd_alloc(r, (size_t)len + 1);
            if (!s)
                return false;
            memcpy(s, r->p + r->off, len);
            r->off += len;
            k->u.utf8.s = s;
            k->u.utf8.len = len;
            break;
        }
        case CF_CONST_INT: {
            uint64_t v;
            if (!rd_u64(r, &v, "Int value"))
                return false;
            k->u.i = (int64_t)v;
            break;
        }
        case CF_CONST_FLOAT: {
            uint64_t v;
            if (!rd_u64(r, &v, "Float value"))
                return false;
            memcpy(&k->u.f, &v, sizeof v);
            break;
        }
        case CF_CONST_CLASS:
        case CF_CONST_STRING:
            if (!rd_u16(r, &k->u.name, tag == CF_CONST_CLASS ? "Class name" : "String value"))
                return false;
            break;
        case CF_CONST_FIELD:
        case CF_CONST_METHOD:
            if (!rd_u16(r, &k->u.ref.cls, "member class") ||
                !rd_u16(r, &k->u.ref.name, "member name") ||
                !rd_u16(r, &k->u.ref.desc, "member descriptor"))
                return false;
            break;
        default:
            rd_fail_at(r, at, "bad tag %u", tag);
            return false;
        }
        k->kind = tag;
    }
    /* References may point forward, so they are checked once every entry is known. */
    for (uint32_t i = 1; i < count; i++) {
        const CfConst *k = &c->cp[i];
        size_t at = r->cp_off[i];
        r->cp_phase = 2;
        r->cp_where = i;
        bool ok = true;
        switch (k->kind) {
        case CF_CONST_CLASS:
            ok = check_class_const(r, at, k->u.name);
            break;
        case CF_CONST_STRING:
            ok = cp_ref(r, at, k->u.name, CF_CONST_UTF8, "string value");
            break;
        case CF_CONST_FIELD:
        case CF_CONST_METHOD:
            ok = check_ref_const(r, at, k);
            break;
        default:
            break;
        }
        if (!ok)
            return false;
    }
    r->cp_phase = 0;
    r->w_what = NULL;
    r->w_nattr = 0;
    return true;
}

/* ---- attributes -------------------------------------------------------------- */

static bool read_attrs(Rd *r, int owner, void *obj, CfAttr **out, uint16_t *nout);

static bool utf8_field(Rd *r, uint16_t *idx, const char *what)
{
    size_t at = r->off;
    return rd_u16(r, idx, what) && cp_ref(r, at, *idx, CF_CONST_UTF8, what);
}

static bool read_lines(Rd *r, CfCode *k)
{
    uint32_t n;
    if (!rd_u32(r, &n, "line count") || !check_count(r, n, 8, "line"))
        return false;
    k->lines = rd_alloc(r, (size_t)n * sizeof *k->lines);
    if (!k->lines)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        size_t at = r->off;
        CfLine *l = &k->lines[i];
        if (!rd_u32(r, &l->pc, "line pc") || !rd_u32(r, &l->line, "line number"))
            return false;
        if (l->pc >= k->code_len) {
            rd_fail_at(r, at, "entry %u: pc %u is outside the code (%u bytes)", i, l->pc,
                       k->code_len);
            return false;
        }
        if (i > 0 && l->pc <= k->lines[i - 1].pc) {
            rd_fail_at(r, at, "entry %u: pc %u does not follow pc %u", i, l->pc,
                       k->lines[i - 1].pc);
            return false;
        }
    }
    k->nlines = n;
    return true;
}

static bool read_code(Rd *r, CfMethod *m)
{
    CfCode *k = rd_alloc(r, sizeof *k);
    if (!k || !rd_u16(r, &k->max_stack, "max_stack") || !rd_u16(r, &k->nlocals, "local count"))
        return false;
    if (!check_count(r, k->nlocals, 2, "local"))
        return false;
    k->local_types = rd_alloc(r, (size_t)k->nlocals * sizeof *k->local_types);
    if (!k->local_types)
        return false;
    for (uint32_t i = 0; i < k->nlocals; i++) {
        char q[96];
        size_t at = r->off;
        if (!utf8_field(r, &k->local_types[i], "local type"))
            return false;
        const char *d = r->c->cp[k->local_types[i]].u.utf8.s;
        if (!cf_desc_field_ok(d)) {
            rd_fail_at(r, at, "local %u: invalid type descriptor %s", i, quote(q, sizeof q, d));
            return false;
        }
    }
    size_t at = r->off;
    if (!rd_u32(r, &k->code_len, "code length"))
        return false;
    if (k->code_len > CF_MAX_CODE_LEN) {
        rd_fail_at(r, at, "code length %u exceeds the limit of %u bytes", k->code_len,
                   CF_MAX_CODE_LEN);
        return false;
    }
    if (k->code_len > r->end - r->off) {
        rd_fail_at(r, at, "code length %u exceeds remaining %zu bytes", k->code_len,
                   r->end - r->off);
        return false;
    }
    k->code = rd_alloc(r, k->code_len);
    if (!k->code)
        return false;
    memcpy(k->code, r->p + r->off, k->code_len);
    r->off += k->code_len;
    if (!read_attrs(r, OWN_CODE, k, &k->attrs, &k->nattrs))
        return false;
    m->code = k;
    return true;
}

static bool read_one_attr(Rd *r, int owner, void *obj, CfAttr *a, const char *name)
{
    bool req = a->flags & CF_ATTR_REQUIRED;
    char q[96];
    CfMethod *m = owner == OWN_METHOD ? obj : NULL;
    if (owner == OWN_METHOD && strcmp(name, "Code") == 0) {
        if (m->code) {
            rd_fail(r, "duplicate Code attribute");
            return false;
        }
        a->kind = CF_ATTR_CODE;
    } else if (owner == OWN_METHOD && strcmp(name, "Native") == 0) {
        if (m->native_sym) {
            rd_fail(r, "duplicate Native attribute");
            return false;
        }
        a->kind = CF_ATTR_NATIVE;
    } else if (owner == OWN_CLASS && strcmp(name, "SourceFile") == 0) {
        if (r->c->source_file) {
            rd_fail(r, "duplicate SourceFile attribute");
            return false;
        }
        a->kind = CF_ATTR_SOURCE;
    } else if (owner == OWN_CODE && strcmp(name, "LineNumbers") == 0) {
        if (((CfCode *)obj)->lines) {
            rd_fail(r, "duplicate LineNumbers attribute");
            return false;
        }
        a->kind = CF_ATTR_LINES;
    } else {
        if (req) {
            rd_fail(r, "unknown required attribute %s", quote(q, sizeof q, name));
            return false;
        }
        a->kind = CF_ATTR_UNKNOWN;
        a->data = rd_alloc(r, a->len);
        if (!a->data)
            return false;
        memcpy((uint8_t *)a->data, r->p + r->off, a->len);
        r->off += a->len;
        return true;
    }
    if ((a->kind == CF_ATTR_CODE || a->kind == CF_ATTR_NATIVE) && !req) {
        rd_fail(r, "%s attribute must be flagged REQUIRED", name);
        return false;
    }
    switch (a->kind) {
    case CF_ATTR_CODE:
        return read_code(r, m);
    case CF_ATTR_NATIVE:
        if (!utf8_field(r, &m->native_lib, "library name") ||
            !utf8_field(r, &m->native_sym, "symbol name"))
            return false;
        if (r->c->cp[m->native_sym].u.utf8.len == 0) {
            rd_fail_at(r, r->off - 2, "empty symbol name");
            return false;
        }
        return true;
    case CF_ATTR_SOURCE:
        return utf8_field(r, &r->c->source_file, "source file name");
    default:
        return read_lines(r, obj);
    }
}

static bool read_attrs(Rd *r, int owner, void *obj, CfAttr **out, uint16_t *nout)
{
    uint16_t n;
    uint8_t depth = r->w_nattr;
    bool saved_member = r->member;
    if (depth >= sizeof r->w_attr / sizeof r->w_attr[0]) {
        rd_fail(r, "attributes nested too deeply");   /* only Code holds attributes */
        return false;
    }
    if (!rd_u16(r, &n, "attribute count") || !check_count(r, n, 8, "attribute"))
        return false;
    CfAttr *attrs = rd_alloc(r, (size_t)n * sizeof *attrs);
    if (!attrs)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        CfAttr *a = &attrs[i];
        size_t at = r->off;
        if (!rd_u16(r, &a->name, "attribute name"))
            return false;
        if (!cp_ref(r, at, a->name, CF_CONST_UTF8, "attribute name"))
            return false;
        const char *name = r->c->cp[a->name].u.utf8.s;
        char q[96];
        /* messages below name the attribute; keep the owner in front */
        r->w_attr[depth] = name;
        r->w_nattr = depth + 1;
        r->member = true;
        if (!rd_u16(r, &a->flags, "attribute flags") || !rd_u32(r, &a->len, "attribute length"))
            return false;
        if (a->flags & ~CF_ATTR_REQUIRED) {
            rd_fail_at(r, at + 2, "reserved flag bits 0x%04x set", a->flags & ~CF_ATTR_REQUIRED);
            return false;
        }
        if (a->len > r->end - r->off) {
            rd_fail_at(r, at + 4, "attribute length %u exceeds remaining %zu bytes", a->len,
                       r->end - r->off);
            return false;
        }
        size_t outer_end = r->end;
        size_t payload = r->off;
        r->end = r->off + a->len;
        if (!read_one_attr(r, owner, obj, a, name))
            return false;
        if (r->off != r->end) {
            rd_fail_at(r, payload, "attribute %s: length %u but its content ends after %zu bytes",
                       quote(q, sizeof q, name), a->len, r->off - payload);
            return false;
        }
        r->end = outer_end;
        r->w_nattr = depth;
        r->member = saved_member;
    }
    *out = attrs;
    *nout = n;
    return true;
}

/* ---- members ----------------------------------------------------------------- */

static bool read_member(Rd *r, bool is_method, uint32_t i, uint16_t *flags, uint16_t *name,
                        uint16_t *desc)
{
    const char *what = is_method ? "method" : "field";
    char q[96];
    r->w_what = what;
    r->w_name = NULL;
    r->w_index = i;
    r->member = true;
    size_t at = r->off;
    if (!rd_u16(r, flags, "flags") || !rd_u16(r, name, "name") ||
        !cp_ref(r, at + 2, *name, CF_CONST_UTF8, "name") ||
        !name_len_ok(r, at + 2, *name, "name"))
        return false;
    const char *s = r->c->cp[*name].u.utf8.s;
    if (!cf_member_name_ok(s, is_method)) {
        rd_fail_at(r, at + 2, "invalid %s name %s", what, quote(q, sizeof q, s));
        return false;
    }
    r->w_name = s;
    if (!rd_u16(r, desc, "descriptor") ||
        !cp_ref(r, at + 4, *desc, CF_CONST_UTF8, "descriptor"))
        return false;
    const char *d = r->c->cp[*desc].u.utf8.s;
    if (is_method ? !cf_desc_method_ok(d, NULL) : !cf_desc_field_ok(d)) {
        rd_fail_at(r, at + 4, "invalid descriptor %s", quote(q, sizeof q, d));
        return false;
    }
    return true;
}

static bool read_fields(Rd *r)
{
    CfClass *c = r->c;
    if (!rd_u16(r, &c->nfields, "field count") || !check_count(r, c->nfields, 8, "field"))
        return false;
    c->fields = rd_alloc(r, (size_t)c->nfields * sizeof *c->fields);
    if (!c->fields)
        return false;
    for (uint32_t i = 0; i < c->nfields; i++) {
        CfField *f = &c->fields[i];
        if (!read_member(r, false, i, &f->flags, &f->name, &f->desc) ||
            !read_attrs(r, OWN_FIELD, f, &f->attrs, &f->nattrs))
            return false;
    }
    return true;
}

static bool read_methods(Rd *r)
{
    CfClass *c = r->c;
    if (!rd_u16(r, &c->nmethods, "method count") || !check_count(r, c->nmethods, 8, "method"))
        return false;
    c->methods = rd_alloc(r, (size_t)c->nmethods * sizeof *c->methods);
    if (!c->methods)
        return false;
    for (uint32_t i = 0; i < c->nmethods; i++) {
        CfMethod *m = &c->methods[i];
        size_t at = r->off;
        if (!read_member(r, true, i, &m->flags, &m->name, &m->desc) ||
            !read_attrs(r, OWN_METHOD, m, &m->attrs, &m->nattrs))
            return false;
        bool abstract = m->flags & CF_ACC_ABSTRACT, native = m->flags & CF_ACC_NATIVE;
        const char *msg = NULL;
        if (abstract && native)
            msg = "flagged both ABSTRACT and NATIVE";
        else if (abstract && m->code)
            msg = "abstract method has a Code attribute";
        else if (native && m->code)
            msg = "native method has a Code attribute";
        else if (!abstract && !native && !m->code)
            msg = "missing Code attribute";
        else if (native && !m->native_sym)
            msg = "native method without a Native attribute";
        else if (!native && m->native_sym)
            msg = "Native attribute on a method not flagged NATIVE";
        if (msg) {
            rd_fail_at(r, at, "%s", msg);
            return false;
        }
    }
    return true;
}

/* ---- class ---------------------------------------------------------------------- */

static bool class_index(Rd *r, uint16_t *idx, const char *what)
{
    size_t at = r->off;
    char q[96];
    if (!rd_u16(r, idx, what) || !cp_ref(r, at, *idx, CF_CONST_CLASS, what))
        return false;
    const char *s = cf_class_name(r->c, *idx);
    if (s[0] == '[') {
        rd_fail_at(r, at, "%s #%u names an array type %s", what, *idx, quote(q, sizeof q, s));
        return false;
    }
    return true;
}

static bool read_class(Rd *r)
{
    CfClass *c = r->c;
    uint32_t magic;
    if (r->end > CF_MAX_FILE_SIZE) {
        rd_fail_at(r, 0, "file size %zu exceeds the limit of %u bytes", r->end,
                   CF_MAX_FILE_SIZE);
        return false;
    }
    if (!rd_u32(r, &magic, "magic"))
        return false;
    if (magic != CF_MAGIC) {
        rd_fail_at(r, 0, "bad magic 0x%08x (not a Mica class file)", magic);
        return false;
    }
    if (!rd_u16(r, &c->major, "major version") || !rd_u16(r, &c->minor, "minor version"))
        return false;
    if (c->major != CF_MAJOR) {
        rd_fail_at(r, 4, "unsupported class file version %u.%u (this VM supports %u.x)",
                   c->major, c->minor, CF_MAJOR);
        return false;
    }
    if (!read_cp(r))
        return false;
    size_t at = r->off;
    if (!rd_u16(r, &c->flags, "class flags") || !class_index(r, &c->this_class, "this class"))
        return false;
    const char *self = cf_class_name(c, c->this_class);
    at = r->off;
    if (!rd_u16(r, &c->super_class, "superclass"))
        return false;
    if (c->super_class == 0) {
        if (strcmp(self, "std/core/Object") != 0) {
            rd_fail_at(r, at, "class %.200s has no superclass (only std/core/Object may omit it)",
                       self);
            return false;
        }
    } else {
        r->off = at;
        if (!class_index(r, &c->super_class, "superclass"))
            return false;
    }
    if (!rd_u16(r, &c->ninterfaces, "interface count") ||
        !check_count(r, c->ninterfaces, 2, "interface"))
        return false;
    c->interfaces = rd_alloc(r, (size_t)c->ninterfaces * sizeof *c->interfaces);
    if (!c->interfaces)
        return false;
    for (uint32_t i = 0; i < c->ninterfaces; i++)
        if (!class_index(r, &c->interfaces[i], "interface"))
            return false;
    if (!read_fields(r) || !read_methods(r))
        return false;
    r->member = false;
    r->w_what = "class";
    r->w_name = self;
    if (!read_attrs(r, OWN_CLASS, c, &c->attrs, &c->nattrs))
        return false;
    r->w_what = NULL;
    r->member = false;
    if (r->off != r->end) {
        rd_fail(r, "%zu trailing bytes after the class", r->end - r->off);
        return false;
    }
    return true;
}

CfClass *cf_read(const uint8_t *data, size_t len, const char *origin, CfError *err)
{
    CfError scratch;
    if (!err)
        err = &scratch;
    err->msg[0] = 0;
    if (!data && len) {
        snprintf(err->msg, sizeof err->msg, "%s: no data", origin ? origin : "class file");
        return NULL;
    }
    /* A class read takes about three times its file's size (members, code and
     * tables unpacked; measured on the standard library and the Are-We-Fast-Yet
     * classes: 2.7 on average, up to 4 for the smallest). One chunk of that size
     * instead of a fixed 16 KiB each lets the classes a program loads share pages:
     * a third of the memory allocated, and fewer pages resident. */
    CfArena *a = cf_arena_new_sized(len < (64u << 20) ? 3 * len + 1024 : 0);
    CfClass *c = a ? cf_arena_alloc(a, sizeof *c) : NULL;
    if (!c) {
        snprintf(err->msg, sizeof err->msg, "%s: out of memory", origin ? origin : "class file");
        goto fail;
    }
    c->arena = a;
    Rd r = {.p = data, .end = len, .origin = origin, .err = err, .c = c};
    if (!read_class(&r))
        goto fail;
    return c;
fail:
    cf_arena_free(a);
    return NULL;
}
