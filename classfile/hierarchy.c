/* classfile/hierarchy.c: the class hierarchy the verifier asks about, built from class
 * files: the assignability rule every hierarchy shares (cf_assignable_by_name), and
 * a complete CfHierarchy over class files found by name (CfHeaders), whose class
 * headers (superclass, interfaces, interface flag) are read once and cached. Tools
 * that verify class files without running them (micac --verify) use CfHeaders; the
 * VM answers from its loaded classes (vm/class.c) with the same rule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"
#include "cm_mem.h"

int cf_assignable_by_name(const char *from, const char *to)
{
    if (strcmp(from, to) == 0 || strcmp(to, "std/core/Object") == 0)
        return 1;
    if (from[0] == '[' || to[0] == '[')
        return 0; /* arrays are invariant: only the same descriptor */
    return -1;
}

typedef struct Header {
    char *name;
    char *super;
    char **ifaces;
    int nifaces;
    bool is_interface;
} Header;

struct CfHeaders {
    CfFindClass find;
    void *ud;
    Header *h;
    int n, cap;
};

CfHeaders *cf_headers_new(CfFindClass find, void *ud)
{
    CfHeaders *hs = cm_calloc(1, sizeof *hs);
    if (hs) {
        hs->find = find;
        hs->ud = ud;
    }
    return hs;
}

void cf_headers_free(CfHeaders *hs)
{
    if (!hs)
        return;
    for (int i = 0; i < hs->n; i++) {
        cm_free(hs->h[i].name);
        cm_free(hs->h[i].super);
        for (int k = 0; k < hs->h[i].nifaces; k++)
            cm_free(hs->h[i].ifaces[k]);
        cm_free(hs->h[i].ifaces);
    }
    cm_free(hs->h);
    cm_free(hs);
}

/* The header of class [name], read on first use. The table may move when a header
 * is added: pointers into it last until the next call. */
static Header *header(CfHeaders *hs, const char *name, CfError *err)
{
    for (int i = 0; i < hs->n; i++)
        if (strcmp(hs->h[i].name, name) == 0)
            return &hs->h[i];
    size_t len;
    const uint8_t *bytes = hs->find(hs->ud, name, &len);
    if (!bytes) {
        snprintf(err->msg, sizeof err->msg, "class %s not found", name);
        return NULL;
    }
    CfClass *c = cf_read(bytes, len, name, err);
    if (!c)
        return NULL;
    if (hs->n == hs->cap) {
        hs->cap = hs->cap ? hs->cap * 2 : 32;
        Header *nh = cm_realloc(hs->h, sizeof(Header) * (size_t)hs->cap);
        if (!nh) {
            cf_class_free(c);
            snprintf(err->msg, sizeof err->msg, "out of memory");
            return NULL;
        }
        hs->h = nh;
    }
    Header *h = &hs->h[hs->n++];
    memset(h, 0, sizeof *h);
    h->name = cm_strdup(name);
    const char *s = c->super_class ? cf_class_name(c, c->super_class) : NULL;
    h->super = s ? cm_strdup(s) : NULL;
    h->is_interface = (c->flags & CF_ACC_INTERFACE) != 0;
    h->ifaces = cm_calloc((size_t)c->ninterfaces + 1, sizeof(char *));
    for (int i = 0; h->ifaces && i < c->ninterfaces; i++) {
        const char *in = cf_class_name(c, c->interfaces[i]);
        if (in)
            h->ifaces[h->nifaces++] = cm_strdup(in);
    }
    cf_class_free(c);
    if (!h->name) {
        hs->n--;
        cm_free(h->super);
        for (int i = 0; i < h->nifaces; i++)
            cm_free(h->ifaces[i]);
        cm_free(h->ifaces);
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return NULL;
    }
    return h;
}

static int subtype(CfHeaders *hs, const char *from, const char *to, CfError *err, int depth)
{
    if (strcmp(from, to) == 0)
        return 1;
    if (depth > 256)
        return 0;
    Header *h = header(hs, from, err);
    if (!h)
        return -1;
    char *super = h->super;
    int nif = h->nifaces;
    char **ifs = h->ifaces;
    if (super) {
        int r = subtype(hs, super, to, err, depth + 1);
        if (r != 0)
            return r;
    }
    for (int i = 0; i < nif; i++) {
        int r = subtype(hs, ifs[i], to, err, depth + 1);
        if (r != 0)
            return r;
    }
    return 0;
}

static int h_assignable(void *ud, const char *from, const char *to, CfError *err)
{
    int r = cf_assignable_by_name(from, to);
    return r >= 0 ? r : subtype(ud, from, to, err, 0);
}

static int h_is_interface(void *ud, const char *name, CfError *err)
{
    if (name[0] == '[')
        return 0;
    Header *h = header(ud, name, err);
    return h ? h->is_interface : -1;
}

/* [name] in class [cls] itself: 1 with *[flags] filled when declared there with
 * descriptor [desc] (fields match by name first, as resolution does: a field of
 * another descriptor hides the name). */
static int declared(CfHeaders *hs, const char *cls, const char *name, const char *desc,
                    bool is_method, uint16_t *flags)
{
    size_t len;
    CfError err;
    const uint8_t *bytes = hs->find(hs->ud, cls, &len);
    CfClass *c = bytes ? cf_read(bytes, len, cls, &err) : NULL;
    if (!c)
        return 0;
    int r = 0;
    for (int i = 0; !r && i < (is_method ? c->nmethods : c->nfields); i++) {
        uint16_t n = is_method ? c->methods[i].name : c->fields[i].name;
        uint16_t d = is_method ? c->methods[i].desc : c->fields[i].desc;
        const char *ns = cf_utf8(c, n), *ds = cf_utf8(c, d);
        if (!ns || strcmp(ns, name) != 0 || (is_method && (!ds || strcmp(ds, desc) != 0)))
            continue;
        r = (ds && strcmp(ds, desc) == 0) ? 1 : -1;
        if (r > 0)
            *flags = is_method ? c->methods[i].flags : c->fields[i].flags;
    }
    cf_class_free(c);
    return r;
}

static int h_lookup(CfHeaders *hs, const char *owner, const char *name, const char *desc,
                    bool is_method, uint16_t *flags, const char **declaring, int depth)
{
    CfError err;
    for (const char *k = owner; k && depth < 256; depth++) {
        Header *h = header(hs, k, &err);
        if (!h)
            return 0; /* resolution reports a missing class at run time */
        int r = declared(hs, h->name, name, desc, is_method, flags);
        if (r < 0)
            return 0;
        if (r > 0) {
            *declaring = h->name;
            return 1;
        }
        if (is_method) {
            for (int i = 0; i < h->nifaces; i++)
                if (h_lookup(hs, h->ifaces[i], name, desc, true, flags, declaring, depth + 1))
                    return 1;
            h = header(hs, k, &err); /* the table may have moved */
            if (!h)
                return 0;
        }
        k = h->super;
    }
    return 0;
}

static int h_lookup_field(void *ud, const char *owner, const char *name, const char *desc,
                          uint16_t *flags, const char **declaring, CfError *err)
{
    (void)err;
    return h_lookup(ud, owner, name, desc, false, flags, declaring, 0);
}

static int h_lookup_method(void *ud, const char *owner, const char *name, const char *desc,
                           uint16_t *flags, const char **declaring, CfError *err)
{
    (void)err;
    return h_lookup(ud, owner, name, desc, true, flags, declaring, 0);
}

CfHierarchy cf_headers_hierarchy(CfHeaders *hs)
{
    /* no class_flags: a class the code names but nobody can find is left to link time */
    CfHierarchy h = {hs, h_assignable, h_is_interface, h_lookup_field, h_lookup_method, NULL};
    return h;
}
