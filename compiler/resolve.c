/* compiler/resolve.c: written types and class names resolved in the scope of a
 * source file (its package, imports, std.core, type variables in scope). */
#include <string.h>

#include "cc.h"

static char *dots_to_slashes(Cc *cc, const char *s)
{
    char *d = cc_strdup(cc, s, strlen(s));
    for (char *p = d; *p; p++)
        if (*p == '.')
            *p = '/';
    return d;
}

static ClassInfo *try_class(Cc *cc, const char *pkg, const char *name)
{
    const char *full = pkg[0] ? cc_printf(cc, "%s/%s", pkg, name) : name;
    return cc_class_find(cc, full);
}

ClassInfo *cc_lookup_class(Cc *cc, SourceFile *f, const char *name)
{
    if (strchr(name, '.'))
        return cc_class_find(cc, dots_to_slashes(cc, name));
    for (int i = 0; i < f->nimports; i++) {
        Import *im = &f->imports[i];
        if (im->wildcard)
            continue;
        const char *dot = strrchr(im->name, '.');
        const char *last = dot ? dot + 1 : im->name;
        if (strcmp(last, name) == 0) {
            ClassInfo *c = cc_class_find(cc, dots_to_slashes(cc, im->name));
            if (c) {
                im->used = true;
                return c;
            }
        }
    }
    ClassInfo *c = try_class(cc, f->pkg, name);
    /* A module class (top-level functions, named after its file) never hides a
     * class: `list.mica` holds functions, `List` stays the library's class. */
    ClassInfo *module = NULL;
    if (c && (c->flags & CF_ACC_MODULE) && !c->decl) {
        module = c;
        c = NULL;
    }
    if (c)
        return c;
    for (int i = 0; i < f->nimports; i++) {
        Import *im = &f->imports[i];
        if (im->wildcard && (c = try_class(cc, dots_to_slashes(cc, im->name), name))) {
            im->used = true;
            return c;
        }
    }
    if (!cc->no_implicit_std && (c = try_class(cc, "std/core", name)))
        return c;
    /* Building the standard library: its other packages still see the std.core
     * classes compiled alongside them, but nothing from the class path. */
    if (cc->no_implicit_std) {
        c = cc_class_ref(cc, cc_printf(cc, "std/core/%s", name));
        if (c->from_source)
            return c;
    }
    return module;
}

static Type *find_tvar(Cc *cc, const char *name)
{
    for (TScope *s = cc->tscope; s; s = s->next)
        for (int i = 0; i < s->n; i++)
            if (strcmp(s->vars[i]->name, name) == 0)
                return s->vars[i];
    return NULL;
}

static Type *resolve_rec(Cc *cc, SourceFile *f, TypeRef *tr, int depth);

/* A type argument: any type but void. */
static Type *resolve_arg(Cc *cc, SourceFile *f, TypeRef *tr, int depth)
{
    Type *t = resolve_rec(cc, f, tr, depth + 1);
    if (t->kind == TY_VOID) {
        cc_error(cc, f, tr->pos, "void cannot be a type argument");
        return &cc->t_error;
    }
    return t;
}

static Type *resolve_rec(Cc *cc, SourceFile *f, TypeRef *tr, int depth)
{
    Type *t = NULL;
    if (depth > 64) {
        cc_error(cc, f, tr->pos, "type is too deeply nested");
        return &cc->t_error;
    }
    if (tr->is_fun) {
        Type **ps = cc_alloc(cc, sizeof(Type *) * (size_t)(tr->nargs + 1));
        for (int i = 0; i < tr->nargs; i++) {
            ps[i] = resolve_arg(cc, f, tr->args[i], depth);
            if (ps[i]->kind == TY_ERROR)
                return ps[i];
        }
        Type *r = tr->ret ? resolve_rec(cc, f, tr->ret, depth + 1) : &cc->t_void;
        if (r->kind == TY_ERROR)
            return r;
        t = cc_fun_type(cc, ps, tr->nargs, r);
    } else if (strcmp(tr->name, "int") == 0)
        t = &cc->t_int;
    else if (strcmp(tr->name, "float") == 0)
        t = &cc->t_float;
    else if (strcmp(tr->name, "bool") == 0)
        t = &cc->t_bool;
    else if (strcmp(tr->name, "byte") == 0)
        t = &cc->t_byte;
    else if (strcmp(tr->name, "void") == 0 && tr->dims == 0)
        t = &cc->t_void;
    else if ((t = find_tvar(cc, tr->name)) != NULL) {
        if (tr->nargs > 0) {
            cc_error(cc, f, tr->pos, "type parameter '%s' cannot have type arguments",
                     tr->name);
            return &cc->t_error;
        }
    } else {
        ClassInfo *c = cc_lookup_class(cc, f, tr->name);
        if (!c) {
            cc_class_not_found(cc, f, tr->pos, tr->name);
            return &cc->t_error;
        }
        t = c->type;
        if (tr->nargs > 0 && !cc_class_ensure(cc, c)) {
            cc_class_not_found(cc, f, tr->pos, tr->name);
            return &cc->t_error;
        }
        if (tr->nargs > 0) {
            if (c->ntparams != tr->nargs) {
                cc_error(cc, f, tr->pos, "class %s takes %d type argument%s, found %d",
                         c->simple, c->ntparams, c->ntparams == 1 ? "" : "s", tr->nargs);
                return &cc->t_error;
            }
            Type **as = cc_alloc(cc, sizeof(Type *) * (size_t)tr->nargs);
            for (int i = 0; i < tr->nargs; i++) {
                as[i] = resolve_arg(cc, f, tr->args[i], depth);
                if (as[i]->kind == TY_ERROR)
                    return as[i];
            }
            t = cc_param_type(cc, c, as, tr->nargs);
            /* bounds (checked against the erasure; bounds may mention the variables) */
            for (int i = 0; i < tr->nargs; i++) {
                Type *b = c->tparams[i]->bound;
                if (!b || (b->kind == TY_CLASS && strcmp(b->cls->name, "std/core/Object") == 0))
                    continue;
                Type *a = as[i];
                ClassInfo *box = cc_box_class(cc, a);
                if (box)
                    a = box->type;
                if (a->kind == TY_VAR)
                    continue;
                if (!cc_ref_assignable(cc, cc_erasure(cc, a), cc_erasure(cc, b)))
                    cc_error(cc, f, tr->args[i]->pos,
                             "type argument %s is not within the bound %s of '%s'",
                             cc_type_name(cc, as[i]), cc_type_name(cc, b), c->tparams[i]->name);
            }
        }
    }
    for (int i = 0; i < tr->dims; i++)
        t = cc_array_of(cc, t);
    return t;
}

Type *cc_resolve_type(Cc *cc, SourceFile *f, TypeRef *tr)
{
    return resolve_rec(cc, f, tr, 0);
}
