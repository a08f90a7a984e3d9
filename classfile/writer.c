/* classfile/writer.c: cf_write, serialising a CfClass into the binary format of
 * spec/classfile.md (each owner's attributes in list order). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_private.h"
#include "cm_mem.h"

typedef struct Wr {
    uint8_t *p;
    size_t len, cap;
    const CfClass *c;
    CfError *err;
    bool failed;
    char where[192];
} Wr;

static void wr_fail(Wr *w, const char *fmt, ...)
{
    if (w->failed)
        return;
    w->failed = true;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *name = cf_this_name(w->c);
    snprintf(w->err->msg, sizeof w->err->msg, "cf_write: class %.100s: %.150s%s%.200s",
             name[0] ? name : "?", w->where, w->where[0] ? ": " : "", msg);
}

static void put(Wr *w, const void *src, size_t n)
{
    if (w->failed)
        return;
    if (n > CF_MAX_FILE_SIZE - w->len) {
        wr_fail(w, "class file would exceed the limit of %u bytes", CF_MAX_FILE_SIZE);
        return;
    }
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 1024;
        while (cap < w->len + n)
            cap *= 2;
        uint8_t *p = cm_realloc(w->p, cap);
        if (!p) {
            wr_fail(w, "out of memory");
            return;
        }
        w->p = p;
        w->cap = cap;
    }
    if (n)
        memcpy(w->p + w->len, src, n);
    w->len += n;
}

static void put8(Wr *w, uint8_t v) { put(w, &v, 1); }

static void put16(Wr *w, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    put(w, b, 2);
}

static void put32(Wr *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    put(w, b, 4);
}

static void put64(Wr *w, uint64_t v)
{
    put32(w, (uint32_t)(v >> 32));
    put32(w, (uint32_t)v);
}

static void patch32(Wr *w, size_t at, uint32_t v)
{
    if (w->failed)
        return;
    w->p[at] = (uint8_t)(v >> 24);
    w->p[at + 1] = (uint8_t)(v >> 16);
    w->p[at + 2] = (uint8_t)(v >> 8);
    w->p[at + 3] = (uint8_t)v;
}

static void write_attrs(Wr *w, const CfAttr *attrs, uint16_t n, const void *owner, int own);

enum { OWN_CLASS = 1, OWN_FIELD = 2, OWN_METHOD = 4, OWN_CODE = 8 };

static void write_code(Wr *w, const CfCode *k)
{
    put16(w, k->max_stack);
    put16(w, k->nlocals);
    for (uint32_t i = 0; i < k->nlocals; i++)
        put16(w, k->local_types[i]);
    if (k->code_len > CF_MAX_CODE_LEN)
        wr_fail(w, "code length %u exceeds the limit of %u bytes", k->code_len, CF_MAX_CODE_LEN);
    put32(w, k->code_len);
    put(w, k->code, k->code_len);
    write_attrs(w, k->attrs, k->nattrs, k, OWN_CODE);
}

static void write_attrs(Wr *w, const CfAttr *attrs, uint16_t n, const void *owner, int own)
{
    put16(w, n);
    for (uint32_t i = 0; i < n && !w->failed; i++) {
        const CfAttr *a = &attrs[i];
        put16(w, a->name);
        put16(w, a->flags);
        size_t len_at = w->len;
        put32(w, 0);
        size_t start = w->len;
        const CfMethod *m = owner;
        const CfCode *k = owner;
        switch (a->kind) {
        case CF_ATTR_UNKNOWN:
            if (a->len && !a->data)
                wr_fail(w, "attribute #%u has no data", i);
            else
                put(w, a->data, a->len);
            break;
        case CF_ATTR_CODE:
            if (own != OWN_METHOD || !m->code)
                wr_fail(w, "Code attribute record without code");
            else
                write_code(w, m->code);
            break;
        case CF_ATTR_NATIVE:
            if (own != OWN_METHOD)
                wr_fail(w, "Native attribute outside a method");
            put16(w, m->native_lib);
            put16(w, m->native_sym);
            break;
        case CF_ATTR_SOURCE:
            if (own != OWN_CLASS)
                wr_fail(w, "SourceFile attribute outside the class");
            put16(w, w->c->source_file);
            break;
        case CF_ATTR_LINES:
            if (own != OWN_CODE) {
                wr_fail(w, "LineNumbers attribute outside a Code attribute");
                break;
            }
            put32(w, k->nlines);
            for (uint32_t j = 0; j < k->nlines && !w->failed; j++) {
                put32(w, k->lines[j].pc);
                put32(w, k->lines[j].line);
            }
            break;
        default:
            wr_fail(w, "attribute #%u has unknown kind %u", i, a->kind);
            break;
        }
        patch32(w, len_at, (uint32_t)(w->len - start));
    }
}

static bool has_kind(const CfAttr *attrs, uint16_t n, uint8_t kind)
{
    for (uint16_t i = 0; i < n; i++)
        if (attrs[i].kind == kind)
            return true;
    return false;
}

static void write_cp(Wr *w)
{
    const CfClass *c = w->c;
    put16(w, c->ncp);
    for (uint32_t i = 1; i < c->ncp && !w->failed; i++) {
        const CfConst *k = &c->cp[i];
        put8(w, k->kind);
        switch (k->kind) {
        case CF_CONST_UTF8:
            if (k->u.utf8.len > CF_MAX_UTF8_LEN)
                wr_fail(w, "constant #%u: Utf8 length %u exceeds the limit", i, k->u.utf8.len);
            put32(w, k->u.utf8.len);
            put(w, k->u.utf8.s, k->u.utf8.len);
            break;
        case CF_CONST_INT:
            put64(w, (uint64_t)k->u.i);
            break;
        case CF_CONST_FLOAT: {
            uint64_t bits;
            memcpy(&bits, &k->u.f, sizeof bits);
            put64(w, bits);
            break;
        }
        case CF_CONST_CLASS:
        case CF_CONST_STRING:
            put16(w, k->u.name);
            break;
        case CF_CONST_FIELD:
        case CF_CONST_METHOD:
            put16(w, k->u.ref.cls);
            put16(w, k->u.ref.name);
            put16(w, k->u.ref.desc);
            break;
        default:
            wr_fail(w, "constant #%u has bad kind %u", i, k->kind);
            break;
        }
    }
}

int cf_write(const CfClass *c, uint8_t **out, size_t *len, CfError *err)
{
    CfError scratch;
    Wr w = {.c = c, .err = err ? err : &scratch};
    w.err->msg[0] = 0;
    if (!c || !out || !len) {
        snprintf(w.err->msg, sizeof w.err->msg, "cf_write: no class or output");
        return -1;
    }
    *out = NULL;
    *len = 0;
    if (c->ncp == 0) {
        wr_fail(&w, "empty constant pool (entry 0 must be counted)");
        goto fail;
    }
    put32(&w, CF_MAGIC);
    put16(&w, c->major);
    put16(&w, c->minor);
    write_cp(&w);
    put16(&w, c->flags);
    put16(&w, c->this_class);
    put16(&w, c->super_class);
    put16(&w, c->ninterfaces);
    for (uint32_t i = 0; i < c->ninterfaces; i++)
        put16(&w, c->interfaces[i]);
    put16(&w, c->nfields);
    for (uint32_t i = 0; i < c->nfields && !w.failed; i++) {
        const CfField *f = &c->fields[i];
        snprintf(w.where, sizeof w.where, "field %.100s",
                 cf_utf8(c, f->name) ? cf_utf8(c, f->name) : "?");
        put16(&w, f->flags);
        put16(&w, f->name);
        put16(&w, f->desc);
        write_attrs(&w, f->attrs, f->nattrs, f, OWN_FIELD);
    }
    put16(&w, c->nmethods);
    for (uint32_t i = 0; i < c->nmethods && !w.failed; i++) {
        const CfMethod *m = &c->methods[i];
        snprintf(w.where, sizeof w.where, "method %.100s",
                 cf_utf8(c, m->name) ? cf_utf8(c, m->name) : "?");
        /* the attribute list is what gets written: code or a native binding that
         * has no record in it would silently vanish from the file */
        if (m->code && !has_kind(m->attrs, m->nattrs, CF_ATTR_CODE))
            wr_fail(&w, "has code but no Code attribute record");
        if (m->native_sym && !has_kind(m->attrs, m->nattrs, CF_ATTR_NATIVE))
            wr_fail(&w, "has a native binding but no Native attribute record");
        put16(&w, m->flags);
        put16(&w, m->name);
        put16(&w, m->desc);
        write_attrs(&w, m->attrs, m->nattrs, m, OWN_METHOD);
    }
    w.where[0] = 0;
    if (c->source_file && !has_kind(c->attrs, c->nattrs, CF_ATTR_SOURCE))
        wr_fail(&w, "has a source file but no SourceFile attribute record");
    write_attrs(&w, c->attrs, c->nattrs, c, OWN_CLASS);
    if (w.failed)
        goto fail;
    *out = w.p;
    *len = w.len;
    return 0;
fail:
    free(w.p);
    return -1;
}
