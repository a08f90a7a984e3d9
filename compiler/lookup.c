/* compiler/lookup.c: subtyping and member lookup: subclasses, assignability of
 * references, module classes of a package, fields and methods visible in a class. */
#include <string.h>

#include "cc.h"

static bool subclass_rec(Cc *cc, ClassInfo *a, ClassInfo *b, int depth)
{
    if (depth > 256)
        return false;
    if (a == b)
        return true;
    if (!cc_class_ensure(cc, a))
        return false;
    if (a->super && subclass_rec(cc, a->super, b, depth + 1))
        return true;
    for (int i = 0; i < a->nifaces; i++)
        if (subclass_rec(cc, a->ifaces[i], b, depth + 1))
            return true;
    return false;
}

bool cc_subclass(Cc *cc, ClassInfo *a, ClassInfo *b)
{
    if (strcmp(b->name, "std/core/Object") == 0)
        return true;
    return subclass_rec(cc, a, b, 0);
}

static bool assignable_rec(Cc *cc, Type *from, Type *to, int depth)
{
    if (from->kind == TY_ERROR || to->kind == TY_ERROR)
        return true;
    if (!cc_is_ref(from) || !cc_is_ref(to) || to->kind == TY_NULL || depth > 64)
        return false;
    if (from->kind == TY_NULL || from == to)
        return true;
    if (to->kind == TY_VAR)
        return from->kind == TY_VAR && assignable_rec(cc, from->bound, to, depth + 1);
    if (from->kind == TY_VAR)
        return assignable_rec(cc, from->bound, to, depth + 1);
    if (to->kind == TY_CLASS && strcmp(to->cls->name, "std/core/Object") == 0)
        return true;
    if (to->kind == TY_FUN)
        return from->kind == TY_FUN && cc_same_type(cc, from, to);
    if (from->kind == TY_FUN)
        return to->kind == TY_CLASS && strcmp(to->cls->name, "std/core/Function") == 0;
    if (from->kind == TY_CLASS && to->kind == TY_CLASS) {
        if (!cc_subclass(cc, from->cls, to->cls))
            return false;
        if (to->nargs == 0)
            return true;
        Type *view = cc_as_super(cc, from, to->cls);
        return !view || view->nargs == 0 || cc_same_type(cc, view, to);
    }
    if (from->kind == TY_ARRAY && to->kind == TY_ARRAY)
        return cc_same_type(cc, from, to);
    return false;   /* arrays are invariant */
}

bool cc_ref_assignable(Cc *cc, Type *from, Type *to)
{
    return assignable_rec(cc, from, to, 0);
}

/* False when class [name] on the class path is surely not a module: its header's
 * flags say so. Most classes of a package are not modules, and loading each one
 * whole to find that out was most of compiling a small program. */
static bool may_be_module(Cc *cc, const char *name)
{
    size_t len = 0;
    uint16_t flags;
    const uint8_t *bytes = cc->cp->find ? cc->cp->find(cc->cp->ud, name, &len) : NULL;
    return !bytes || !cf_peek_flags(bytes, len, &flags) || (flags & CF_ACC_MODULE);
}

static void collect_module(void *arg, const char *name)
{
    void **a = arg;
    Cc *cc = a[0];
    ModuleList *ml = a[1];
    if (!may_be_module(cc, name))
        return;
    ClassInfo *ci = cc_class_find(cc, name);
    if (!ci || ci->from_source || !(ci->flags & CF_ACC_MODULE))
        return;
    CC_PUSH(cc, ml->mods, ml->n, ml->cap, ci);
}

ModuleList *cc_modules_of(Cc *cc, const char *pkg)
{
    for (ModuleList *m = cc->modules; m; m = m->next)
        if (strcmp(m->pkg, pkg) == 0)
            return m;
    ModuleList *ml = cc_alloc(cc, sizeof *ml);
    ml->pkg = pkg;
    ml->next = cc->modules;
    cc->modules = ml;
    for (int i = 0; i < cc->nfiles; i++) {
        SourceFile *f = cc->files[i];
        if (f->module && strcmp(f->pkg, pkg) == 0)
            CC_PUSH(cc, ml->mods, ml->n, ml->cap, f->module);
    }
    if (cc->cp && cc->cp->list) {
        void *arg[2] = {cc, ml};
        cc->cp->list(cc->cp->ud, pkg, collect_module, arg);
    }
    return ml;
}

FieldInfo *cc_find_field(Cc *cc, ClassInfo *ci, const char *name)
{
    for (int depth = 0; ci && depth < 256; depth++, ci = ci->super) {
        if (!cc_class_ensure(cc, ci))
            return NULL;
        for (int i = 0; i < ci->nfields; i++)
            if (strcmp(ci->fields[i]->name, name) == 0)
                return ci->fields[i];
        /* Interface constants are static fields too. */
        for (int k = 0; k < ci->nifaces; k++) {
            FieldInfo *f = cc_find_field(cc, ci->ifaces[k], name);
            if (f)
                return f;
        }
    }
    return NULL;
}

static void collect_methods(Cc *cc, ClassInfo *ci, const char *name, MethodInfo ***out,
                            int *n, int *cap, int depth)
{
    if (!ci || depth > 256 || !cc_class_ensure(cc, ci))
        return;
    for (int i = 0; i < ci->nmethods; i++) {
        MethodInfo *m = ci->methods[i];
        if (strcmp(m->name, name) != 0)
            continue;
        bool hidden = false;
        for (int k = 0; k < *n; k++)
            if (strcmp((*out)[k]->desc, m->desc) == 0)
                hidden = true;
        if (!hidden)
            CC_PUSH(cc, *out, *n, *cap, m);
    }
    collect_methods(cc, ci->super, name, out, n, cap, depth + 1);
    for (int i = 0; i < ci->nifaces; i++)
        collect_methods(cc, ci->ifaces[i], name, out, n, cap, depth + 1);
}

int cc_find_methods(Cc *cc, ClassInfo *ci, const char *name, MethodInfo ***out)
{
    int n = 0, cap = 0;
    *out = NULL;
    collect_methods(cc, ci, name, out, &n, &cap, 0);
    return n;
}

MethodInfo *cc_find_exact(Cc *cc, ClassInfo *ci, const char *name, const char *desc,
                          bool supers_only)
{
    MethodInfo **ms;
    ClassInfo *start = ci;
    if (supers_only) {
        /* Look only at proper supertypes. */
        if (!cc_class_ensure(cc, ci))
            return NULL;
        MethodInfo *best = NULL;
        if (ci->super)
            best = cc_find_exact(cc, ci->super, name, desc, false);
        for (int i = 0; !best && i < ci->nifaces; i++)
            best = cc_find_exact(cc, ci->ifaces[i], name, desc, false);
        return best;
    }
    int n = cc_find_methods(cc, start, name, &ms);
    for (int i = 0; i < n; i++) {
        const char *a = ms[i]->desc, *b = desc;
        /* Compare parameter lists only. */
        const char *ea = strchr(a, ')'), *eb = strchr(b, ')');
        if (ea && eb && ea - a == eb - b && memcmp(a, b, (size_t)(ea - a)) == 0)
            return ms[i];
    }
    return NULL;
}
