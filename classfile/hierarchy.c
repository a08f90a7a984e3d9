/* classfile/hierarchy.c: the class hierarchy, built once for everyone. cf_hier_link
 * links one class (a CfHierNode) to its superclass and interfaces, which a resolver
 * callback finds by name, computes its hierarchy depth and the interfaces it
 * implements, and applies the class-header rules that need the ancestors; cf_hier_enter
 * guards against cycles and runaway chains; cf_hier_subtype answers "is A a subtype of
 * B". The VM links every class it loads through them (vm/class.c, whose resolver loads
 * the class). CfHeaders, below, does the same over class files found by name (its
 * resolver reads the class file), and answers the verifier from those nodes: tools
 * that verify class files without running them (micac --verify) therefore refuse a
 * hierarchy exactly as the VM does. The assignability rule every hierarchy starts
 * with is cf_assignable_by_name. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"
#include "cm_mem.h"

#define NAME_OBJECT "std/core/Object"

int cf_assignable_by_name(const char *from, const char *to)
{
    if (strcmp(from, to) == 0 || strcmp(to, NAME_OBJECT) == 0)
        return 1;
    if (from[0] == '[' || to[0] == '[')
        return 0; /* arrays are invariant: only the same descriptor */
    return -1;
}

/* ---- linking a node ---------------------------------------------------------- */

static bool is_iface(const CfHierNode *n)
{
    return (n->flags & CF_ACC_INTERFACE) != 0;
}

static bool is_array(const CfHierNode *n)
{
    return n->name[0] == '[';
}

__attribute__((format(printf, 4, 5)))
static CfHierFail refuse(CfHierError *e, const CfHierNode *cls, CfHierFail fail,
                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->fail = fail;
    e->cls = cls;
    return fail;
}

CfHierFail cf_hier_enter(CfHierLoader *ld, const char *name, CfHierError *e)
{
    e->fail = CF_HIER_OK;
    e->cls = NULL;
    e->code = 0;
    e->msg[0] = '\0';
    for (uint32_t i = 0; i < ld->nchain; i++)
        if (strcmp(ld->chain[i]->name, name) == 0)
            return refuse(e, ld->chain[i], CF_HIER_LINK,
                          "class hierarchy cycle: %s is its own ancestor", name);
    /* Each class of the chain has depth 1 or more than the next: when the chain is
     * full, chain[n - CF_MAX_CLASS_DEPTH] is known to be deeper than the limit. */
    if (ld->nchain >= CF_HIER_CHAIN) {
        const CfHierNode *deep = ld->chain[ld->nchain - CF_MAX_CLASS_DEPTH];
        return refuse(e, deep, CF_HIER_LINK, "class %s: hierarchy depth exceeds the limit of %u",
                      deep->name, CF_MAX_CLASS_DEPTH);
    }
    return CF_HIER_OK;
}

/* A superclass or interface the resolver could not give: a missing one is refused
 * naming the class that needs it; any other failure is the resolver's report. */
static CfHierFail not_resolved(CfHierError *e, const CfHierNode *n, const char *missing,
                               const char *what)
{
    if (e->fail == CF_HIER_MISSING)
        return refuse(e, n, CF_HIER_LINK, "class %s: its %s %s is not found", n->name, what,
                      missing);
    if (e->fail == CF_HIER_OK)
        e->fail = CF_HIER_FAILED;
    return e->fail;
}

static bool set_add(CfHierNode **set, uint32_t *n, CfHierNode *c)
{
    for (uint32_t i = 0; i < *n; i++)
        if (set[i] == c)
            return false;
    set[(*n)++] = c;
    return true;
}

/* n->all: the superclass's interfaces, each listed interface's, then n if it is one. */
static int fill_all(CfHierNode *n)
{
    size_t cap = n->super ? n->super->nall : 0;
    for (uint16_t i = 0; i < n->nifaces; i++)
        cap += n->ifaces[i]->nall;
    n->all = cm_malloc((cap + 1) * sizeof *n->all);
    if (!n->all)
        return -1;
    n->nall = 0;
    for (uint32_t k = 0; n->super && k < n->super->nall; k++)
        set_add(n->all, &n->nall, n->super->all[k]);
    for (uint16_t i = 0; i < n->nifaces; i++)
        for (uint32_t k = 0; k < n->ifaces[i]->nall; k++)
            set_add(n->all, &n->nall, n->ifaces[i]->all[k]);
    if (is_iface(n))
        set_add(n->all, &n->nall, n);
    return 0;
}

/* Resolves the superclass and the interfaces, in order, refusing each as it comes. */
static CfHierFail resolve_ancestors(CfHierLoader *ld, CfHierNode *n, const CfClass *cf,
                                    CfHierError *e)
{
    n->depth = 0;
    if (cf->super_class) {
        const char *sname = cf_class_name(cf, cf->super_class);
        if (!sname)
            return refuse(e, n, CF_HIER_FORMAT, "%s: bad superclass", n->name);
        CfHierNode *s = ld->resolve(ld, sname, e);
        if (!s)
            return not_resolved(e, n, sname, "superclass");
        if (is_iface(s) || is_array(s))
            return refuse(e, n, CF_HIER_LINK, "class %s cannot extend %s %s", n->name,
                          is_array(s) ? "array type" : "interface", s->name);
        if (s->flags & CF_ACC_FINAL)
            return refuse(e, n, CF_HIER_LINK, "class %s cannot extend final class %s", n->name,
                          s->name);
        n->super = s;
        n->depth = s->depth + 1;
    }
    if (cf->ninterfaces) {
        n->ifaces = cm_calloc(cf->ninterfaces, sizeof *n->ifaces);
        if (!n->ifaces)
            return refuse(e, n, CF_HIER_OOM, "out of memory");
    }
    for (uint16_t i = 0; i < cf->ninterfaces; i++) {
        const char *iname = cf_class_name(cf, cf->interfaces[i]);
        if (!iname)
            return refuse(e, n, CF_HIER_FORMAT, "%s: bad interface entry", n->name);
        CfHierNode *in = ld->resolve(ld, iname, e);
        if (!in)
            return not_resolved(e, n, iname, "interface");
        if (!is_iface(in))
            return refuse(e, n, CF_HIER_LINK, "class %s implements %s, which is not an interface",
                          n->name, in->name);
        n->ifaces[n->nifaces++] = in;
        if (in->depth + 1 > n->depth)
            n->depth = in->depth + 1;
    }
    if (fill_all(n) < 0)
        return refuse(e, n, CF_HIER_OOM, "out of memory");
    return CF_HIER_OK;
}

/* The rules on a linked node: a bounded depth; an interface is assignable only to
 * Object and has no layout (checked here, at load, because the verifier relies on
 * them before the interface itself is verified). */
static CfHierFail check_linked(const CfHierNode *n, const CfClass *cf, CfHierError *e)
{
    if (n->depth > CF_MAX_CLASS_DEPTH)
        return refuse(e, n, CF_HIER_LINK, "class %s: hierarchy depth %u exceeds the limit of %u",
                      n->name, n->depth, CF_MAX_CLASS_DEPTH);
    if (!is_iface(n))
        return CF_HIER_OK;
    if (!n->super || n->super->super)
        return refuse(e, n, CF_HIER_VERIFY,
                      "interface %s: its superclass must be " NAME_OBJECT ", not %s", n->name,
                      n->super ? n->super->name : "(none)");
    for (uint16_t i = 0; i < cf->nfields; i++) {
        if (!(cf->fields[i].flags & CF_ACC_STATIC)) {
            const char *fname = cf_utf8(cf, cf->fields[i].name);
            return refuse(e, n, CF_HIER_VERIFY, "interface %s: instance field %s (an interface "
                          "may declare only static fields)", n->name, fname ? fname : "?");
        }
    }
    for (uint16_t i = 0; i < cf->nmethods; i++) {
        const char *mname = cf_utf8(cf, cf->methods[i].name);
        if (mname && !strcmp(mname, "<init>"))
            return refuse(e, n, CF_HIER_VERIFY, "interface %s may not declare a constructor",
                          n->name);
    }
    return CF_HIER_OK;
}

CfHierFail cf_hier_link(CfHierLoader *ld, CfHierNode *n, const CfClass *cf, CfHierError *e)
{
    e->fail = CF_HIER_OK;
    e->cls = NULL;
    e->code = 0;
    e->msg[0] = '\0';
    if (ld->nchain >= CF_HIER_CHAIN) /* cf_hier_enter was not asked */
        return refuse(e, n, CF_HIER_LINK, "class %s: hierarchy depth exceeds the limit of %u",
                      n->name, CF_MAX_CLASS_DEPTH);
    ld->chain[ld->nchain++] = n;
    CfHierFail r = resolve_ancestors(ld, n, cf, e);
    ld->nchain--;
    if (r == CF_HIER_OK)
        r = check_linked(n, cf, e);
    if (r != CF_HIER_OK) { /* as it was: it may be linked again */
        cf_hier_node_fini(n);
        n->super = NULL;
        n->depth = 0;
    }
    return r;
}

void cf_hier_node_fini(CfHierNode *n)
{
    if (!n)
        return;
    cm_free(n->ifaces);
    cm_free(n->all);
    n->ifaces = n->all = NULL;
    n->nifaces = 0;
    n->nall = 0;
}

bool cf_hier_subtype(const CfHierNode *a, const CfHierNode *b)
{
    if (a == b)
        return true;
    if (is_array(a) || is_array(b))
        return false;
    if (!b->super && !is_iface(b))
        return true; /* b is std/core/Object */
    if (is_iface(b)) {
        for (uint32_t i = 0; i < a->nall; i++)
            if (a->all[i] == b)
                return true;
        return false;
    }
    for (const CfHierNode *k = a->super; k && k->depth >= b->depth; k = k->super)
        if (k == b)
            return true;
    return false;
}

/* ---- CfHeaders: the hierarchy over class files ------------------------------- */

typedef struct Header {
    CfHierNode node;         /* first: a node is its Header */
    char *name;
    char *origin;            /* where the class file was found, or NULL */
} Header;

struct CfHeaders {
    CfFindClass find;
    void *ud;
    CfHierLoader ld;
    Header **h;              /* every class linked so far */
    int n, cap;
};

static void header_free(Header *h)
{
    if (!h)
        return;
    cf_hier_node_fini(&h->node);
    cm_free(h->name);
    cm_free(h->origin);
    cm_free(h);
}

static Header *header_of(const CfHierNode *n)
{
    return (Header *)(void *)n;
}

static CfHierNode *headers_resolve(CfHierLoader *ld, const char *name, CfHierError *e);

CfHeaders *cf_headers_new(CfFindClass find, void *ud)
{
    CfHeaders *hs = cm_calloc(1, sizeof *hs);
    if (hs) {
        hs->find = find;
        hs->ud = ud;
        hs->ld.resolve = headers_resolve;
        hs->ld.ud = hs;
    }
    return hs;
}

void cf_headers_free(CfHeaders *hs)
{
    if (!hs)
        return;
    for (int i = 0; i < hs->n; i++)
        header_free(hs->h[i]);
    cm_free(hs->h);
    cm_free(hs);
}

/* Makes [e] the whole message: the refused class's origin first, as the VM puts it. */
static void complete(CfHierError *e)
{
    if (!e->cls)
        return;
    const char *origin = header_of(e->cls)->origin;
    size_t ol = origin ? strlen(origin) + 2 : 0; /* "ORIGIN: " */
    if (origin && ol < sizeof e->msg) {
        size_t ml = strlen(e->msg);
        if (ml > sizeof e->msg - 1 - ol)
            ml = sizeof e->msg - 1 - ol;
        memmove(e->msg + ol, e->msg, ml);
        e->msg[ol + ml] = '\0';
        memcpy(e->msg, origin, ol - 2);
        memcpy(e->msg + ol - 2, ": ", 2);
    }
    e->cls = NULL;
}

__attribute__((format(printf, 3, 4)))
static Header *fail_with(CfHierError *e, CfHierFail fail, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->fail = fail;
    e->cls = NULL;
    return NULL;
}

static int table_add(CfHeaders *hs, Header *h)
{
    if (hs->n == hs->cap) {
        int cap = hs->cap ? hs->cap * 2 : 32;
        Header **nh = cm_realloc(hs->h, sizeof *nh * (size_t)cap);
        if (!nh)
            return -1;
        hs->h = nh;
        hs->cap = cap;
    }
    hs->h[hs->n++] = h;
    return 0;
}

static Header *new_header(const char *name, const char *origin)
{
    Header *h = cm_calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->name = cm_strdup(name);
    h->origin = origin ? cm_strdup(origin) : NULL;
    if (!h->name || (origin && !h->origin)) {
        header_free(h);
        return NULL;
    }
    h->node.name = h->name;
    return h;
}

/* An array class: final-less, extending Object, once its element class is found. */
static Header *link_array(CfHeaders *hs, const char *name, CfHierError *e)
{
    if (!cf_desc_field_ok(name))
        return fail_with(e, CF_HIER_FAILED, "bad array type %s", name);
    if (name[1] == 'L' || name[1] == '[') {
        char *el = cm_strdup(name + (name[1] == 'L' ? 2 : 1));
        if (!el)
            return fail_with(e, CF_HIER_OOM, "out of memory");
        if (name[1] == 'L')
            el[strlen(el) - 1] = '\0'; /* the ';' */
        CfHierNode *en = headers_resolve(&hs->ld, el, e);
        cm_free(el);
        if (!en) {
            if (e->fail == CF_HIER_MISSING)
                e->fail = CF_HIER_FAILED; /* the element is missing, not the array */
            return NULL;
        }
    }
    CfHierNode *obj = headers_resolve(&hs->ld, NAME_OBJECT, e);
    if (!obj)
        return NULL;
    Header *h = new_header(name, NULL);
    if (!h || table_add(hs, h) < 0) {
        header_free(h);
        return fail_with(e, CF_HIER_OOM, "out of memory");
    }
    h->node.super = obj;
    h->node.depth = obj->depth + 1;
    return h;
}

/* The linked node of class [name], read and linked on first use. */
static Header *link_class(CfHeaders *hs, const char *name, CfHierError *e)
{
    for (int i = 0; i < hs->n; i++)
        if (strcmp(hs->h[i]->name, name) == 0)
            return hs->h[i];
    if (name[0] == '[')
        return link_array(hs, name, e);
    if (cf_hier_enter(&hs->ld, name, e) != CF_HIER_OK) {
        complete(e);
        return NULL;
    }
    size_t len;
    const char *origin = NULL;
    const uint8_t *bytes = hs->find(hs->ud, name, &len, &origin);
    if (!bytes)
        return fail_with(e, CF_HIER_MISSING, "class %s not found", name);
    CfError err;
    CfClass *c = cf_read(bytes, len, origin ? origin : name, &err);
    if (!c)
        return fail_with(e, CF_HIER_FAILED, "%s", err.msg);
    const char *this_name = cf_this_name(c);
    if (!this_name || strcmp(this_name, name) != 0) {
        fail_with(e, CF_HIER_FAILED, "%s%sclass file for %s declares class %s",
                  origin ? origin : "", origin ? ": " : "", name, this_name ? this_name : "?");
        cf_class_free(c);
        return NULL;
    }
    Header *h = new_header(name, origin);
    if (!h) {
        cf_class_free(c);
        return fail_with(e, CF_HIER_OOM, "out of memory");
    }
    h->node.flags = c->flags;
    CfHierFail r = cf_hier_link(&hs->ld, &h->node, c, e);
    cf_class_free(c);
    if (r == CF_HIER_OK && table_add(hs, h) < 0)
        r = refuse(e, NULL, CF_HIER_OOM, "out of memory");
    if (r != CF_HIER_OK) {
        complete(e); /* before [h], which may be the class named, goes */
        header_free(h);
        return NULL;
    }
    return h;
}

static CfHierNode *headers_resolve(CfHierLoader *ld, const char *name, CfHierError *e)
{
    Header *h = link_class(ld->ud, name, e);
    return h ? &h->node : NULL;
}

/* The node of [name] for a CfHierarchy callback, or NULL with [err] filled. */
static CfHierNode *node(CfHeaders *hs, const char *name, CfError *err)
{
    CfHierError e;
    e.msg[0] = '\0';
    Header *h = link_class(hs, name, &e);
    if (!h) {
        snprintf(err->msg, sizeof err->msg, "%s", e.msg);
        return NULL;
    }
    return &h->node;
}

int cf_headers_check(CfHeaders *hs, const char *name, CfError *err)
{
    return node(hs, name, err) ? 0 : -1;
}

static int h_assignable(void *ud, const char *from, const char *to, CfError *err)
{
    int r = cf_assignable_by_name(from, to);
    if (r >= 0)
        return r;
    CfHierNode *f = node(ud, from, err);
    CfHierNode *t = f ? node(ud, to, err) : NULL;
    if (!t)
        return -1;
    return cf_hier_subtype(f, t) ? 1 : 0;
}

static int h_is_interface(void *ud, const char *name, CfError *err)
{
    if (name[0] == '[')
        return 0;
    CfHierNode *n = node(ud, name, err);
    return n ? is_iface(n) : -1;
}

static int h_class_flags(void *ud, const char *name, uint16_t *flags, CfError *err)
{
    CfHierNode *n = node(ud, name, err);
    if (!n)
        return -1;
    *flags = n->flags;
    return 1;
}

/* [name] in class [cls] itself: 1 with *[flags] filled when declared there with
 * descriptor [desc] (fields match by name first, as resolution does: a field of
 * another descriptor hides the name). */
static int declared(CfHeaders *hs, const char *cls, const char *name, const char *desc,
                    bool is_method, uint16_t *flags)
{
    size_t len;
    CfError err;
    const char *origin = NULL;
    const uint8_t *bytes = hs->find(hs->ud, cls, &len, &origin);
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

static int h_lookup(CfHeaders *hs, const CfHierNode *owner, const char *name, const char *desc,
                    bool is_method, uint16_t *flags, const char **declaring)
{
    for (const CfHierNode *k = owner; k; k = k->super) {
        int r = declared(hs, k->name, name, desc, is_method, flags);
        if (r < 0)
            return 0;
        if (r > 0) {
            *declaring = k->name;
            return 1;
        }
        if (is_method)
            for (uint16_t i = 0; i < k->nifaces; i++)
                if (h_lookup(hs, k->ifaces[i], name, desc, true, flags, declaring))
                    return 1;
    }
    return 0;
}

/* A class that cannot be linked is left to resolution, which reports it at run time. */
static int h_lookup_member(void *ud, const char *owner, const char *name, const char *desc,
                           bool is_method, uint16_t *flags, const char **declaring)
{
    CfError err;
    if (owner[0] == '[')
        return 0;
    CfHierNode *n = node(ud, owner, &err);
    return n ? h_lookup(ud, n, name, desc, is_method, flags, declaring) : 0;
}

static int h_lookup_field(void *ud, const char *owner, const char *name, const char *desc,
                          uint16_t *flags, const char **declaring, CfError *err)
{
    (void)err;
    return h_lookup_member(ud, owner, name, desc, false, flags, declaring);
}

static int h_lookup_method(void *ud, const char *owner, const char *name, const char *desc,
                           uint16_t *flags, const char **declaring, CfError *err)
{
    (void)err;
    return h_lookup_member(ud, owner, name, desc, true, flags, declaring);
}

CfHierarchy cf_headers_hierarchy(CfHeaders *hs)
{
    CfHierarchy h = {hs, h_assignable, h_is_interface, h_lookup_field, h_lookup_method,
                     h_class_flags};
    return h;
}
