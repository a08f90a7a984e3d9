/* compiler/generic.c: erased generics: binding and substituting type variables,
 * supertypes seen with type arguments, boxing classes, type equality. */
#include <string.h>

#include "cc.h"

void cc_bind(Cc *cc, Binding *b, Type *var, Type *val)
{
    for (int i = 0; i < b->n; i++)
        if (b->vars[i] == var) {
            b->vals[i] = val;
            return;
        }
    if (b->n + 1 > b->cap) {
        int cap = b->cap;
        cc_grow(cc, (void **)&b->vars, sizeof(Type *), &cap, b->n + 1);
        cc_grow(cc, (void **)&b->vals, sizeof(Type *), &b->cap, b->n + 1);
    }
    b->vars[b->n] = var;
    b->vals[b->n++] = val;
}

Type *cc_bound_of(const Binding *b, Type *var)
{
    for (int i = 0; b && i < b->n; i++)
        if (b->vars[i] == var)
            return b->vals[i];
    return NULL;
}

static Type *subst_rec(Cc *cc, Type *t, const Binding *b, int depth)
{
    if (!b || b->n == 0 || depth > 64)
        return t;
    switch (t->kind) {
    case TY_VAR: {
        Type *v = cc_bound_of(b, t);
        return v ? v : t;
    }
    case TY_CLASS: {
        if (t->nargs == 0)
            return t;
        Type **a = cc_alloc(cc, sizeof(Type *) * (size_t)t->nargs);
        bool changed = false;
        for (int i = 0; i < t->nargs; i++) {
            a[i] = subst_rec(cc, t->args[i], b, depth + 1);
            changed = changed || a[i] != t->args[i];
        }
        return changed ? cc_param_type(cc, t->cls, a, t->nargs) : t;
    }
    case TY_FUN: {
        Type **a = cc_alloc(cc, sizeof(Type *) * (size_t)(t->nargs + 1));
        for (int i = 0; i < t->nargs; i++)
            a[i] = subst_rec(cc, t->args[i], b, depth + 1);
        return cc_fun_type(cc, a, t->nargs, subst_rec(cc, t->ret, b, depth + 1));
    }
    case TY_ARRAY: {
        /* Arrays are created with the erased element type, so T[] stays
         * erased: an Object[] is not a String[]. */
        Type *e = subst_rec(cc, t->elem, b, depth + 1);
        if (e == t->elem)
            return t;
        if (t->elem->kind == TY_VAR)
            return cc_array_of(cc, cc_erasure(cc, t->elem));
        return cc_array_of(cc, e);
    }
    default:
        return t;
    }
}

Type *cc_subst(Cc *cc, Type *t, const Binding *b) { return subst_rec(cc, t, b, 0); }

static Type *as_super_rec(Cc *cc, Type *t, ClassInfo *owner, int depth)
{
    if (depth > 256 || t->kind != TY_CLASS)
        return NULL;
    ClassInfo *c = t->cls;
    if (c == owner)
        return t;
    if (!cc_class_ensure(cc, c))
        return NULL;
    Binding b = {0};
    if (t->nargs == c->ntparams)
        for (int i = 0; i < t->nargs; i++)
            cc_bind(cc, &b, c->tparams[i], t->args[i]);
    bool raw = t->nargs == 0 && c->ntparams > 0;
    if (c->super) {
        Type *s = c->super_t && !raw ? cc_subst(cc, c->super_t, &b) : c->super->type;
        Type *r = as_super_rec(cc, s, owner, depth + 1);
        if (r)
            return r;
    }
    for (int i = 0; i < c->nifaces; i++) {
        Type *s = c->iface_t && c->iface_t[i] && !raw ? cc_subst(cc, c->iface_t[i], &b)
                                                       : c->ifaces[i]->type;
        Type *r = as_super_rec(cc, s, owner, depth + 1);
        if (r)
            return r;
    }
    return NULL;
}

Type *cc_as_super(Cc *cc, Type *t, ClassInfo *owner)
{
    for (int n = 0; t->kind == TY_VAR && n < 64; n++)
        t = t->bound;
    return as_super_rec(cc, t, owner, 0);
}

void cc_bind_receiver(Cc *cc, Binding *b, Type *recv, ClassInfo *owner)
{
    if (!recv || !owner || owner->ntparams == 0)
        return;
    Type *v = cc_as_super(cc, recv, owner);
    if (!v || v->nargs != owner->ntparams) {
        /* raw: the variables stand for their erasures */
        for (int i = 0; i < owner->ntparams; i++)
            cc_bind(cc, b, owner->tparams[i], cc_erasure(cc, owner->tparams[i]));
        return;
    }
    for (int i = 0; i < v->nargs; i++)
        cc_bind(cc, b, owner->tparams[i], v->args[i]);
}

ClassInfo *cc_box_class(Cc *cc, Type *t)
{
    const char *n = NULL;
    switch (t->kind) {
    case TY_INT: case TY_BYTE: n = "std/core/Int"; break;
    case TY_FLOAT: n = "std/core/Float"; break;
    case TY_BOOL: n = "std/core/Bool"; break;
    default: return NULL;
    }
    ClassInfo *c = cc_class_ref(cc, n);
    if (!c->from_source && !cc_class_ensure(cc, c))
        return NULL;
    return c;
}

Type *cc_unboxed(Cc *cc, ClassInfo *ci)
{
    if (strcmp(ci->name, "std/core/Int") == 0)
        return &cc->t_int;
    if (strcmp(ci->name, "std/core/Float") == 0)
        return &cc->t_float;
    if (strcmp(ci->name, "std/core/Bool") == 0)
        return &cc->t_bool;
    return NULL;
}

static Type *boxed_or_self(Cc *cc, Type *t)
{
    if (t->kind == TY_BYTE)
        return &cc->t_int;
    if (t->kind == TY_CLASS && t->nargs == 0) {
        Type *u = cc_unboxed(cc, t->cls);
        if (u)
            return u;
    }
    return t;
}

/* [arg]: a type argument, where int and Int stand for the same thing. */
static bool same_rec(Cc *cc, Type *a, Type *b, int depth, bool arg)
{
    if (depth > 64)
        return false;
    if (arg) {
        a = boxed_or_self(cc, a);
        b = boxed_or_self(cc, b);
    }
    if (a == b || a->kind == TY_ERROR || b->kind == TY_ERROR)
        return true;
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case TY_CLASS:
        if (a->cls != b->cls)
            return false;
        if (a->nargs == 0 || b->nargs == 0)
            return true;   /* raw */
        if (a->nargs != b->nargs)
            return false;
        for (int i = 0; i < a->nargs; i++)
            if (!same_rec(cc, a->args[i], b->args[i], depth + 1, true))
                return false;
        return true;
    case TY_ARRAY:
        return same_rec(cc, a->elem, b->elem, depth + 1, false);
    case TY_FUN:
        if (a->nargs != b->nargs || !same_rec(cc, a->ret, b->ret, depth + 1, false))
            return false;
        for (int i = 0; i < a->nargs; i++)
            if (!same_rec(cc, a->args[i], b->args[i], depth + 1, false))
                return false;
        return true;
    default:
        return false;
    }
}

bool cc_same_type(Cc *cc, Type *a, Type *b) { return same_rec(cc, a, b, 0, false); }
