/* compiler/generic.c: erased generics and function types: type variables,
 * parameterised types, substitution, boxing classes and the Signature
 * attribute's text form (spec/classfile.md). */
#include <string.h>

#include "cc.h"

Type *cc_erasure(Cc *cc, Type *t)
{
    for (int n = 0; t->kind == TY_VAR && n < 64; n++)
        t = t->bound;
    switch (t->kind) {
    case TY_VAR:
        return cc_class_ref(cc, "std/core/Object")->type;
    case TY_CLASS:
        return t->cls->type;
    case TY_FUN:
        return cc_class_ref(cc, "std/core/Function")->type;
    case TY_ARRAY:
        return cc_array_of(cc, cc_erasure(cc, t->elem));
    default:
        return t;
    }
}

Type *cc_type_var(Cc *cc, const char *name, Type *bound)
{
    Type *t = cc_alloc(cc, sizeof *t);
    t->kind = TY_VAR;
    t->name = name;
    t->bound = bound ? bound : cc_class_ref(cc, "std/core/Object")->type;
    t->desc = "Lstd/core/Object;";
    if (bound)
        t->desc = cc_erasure(cc, bound)->desc;
    return t;
}

Type *cc_param_type(Cc *cc, ClassInfo *cls, Type **args, int n)
{
    if (n == 0)
        return cls->type;
    Type *t = cc_alloc(cc, sizeof *t);
    t->kind = TY_CLASS;
    t->cls = cls;
    t->desc = cls->type->desc;
    t->args = args;
    t->nargs = n;
    return t;
}

Type *cc_fun_type(Cc *cc, Type **params, int n, Type *ret)
{
    Type *t = cc_alloc(cc, sizeof *t);
    t->kind = TY_FUN;
    t->args = params;
    t->nargs = n;
    t->ret = ret;
    t->desc = "Lstd/core/Function;";
    return t;
}

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

/* ---- Signature text --------------------------------------------------------- */
typedef struct Sb {
    char *s;
    int n, cap;
} Sb;

static void sb_add(Cc *cc, Sb *b, const char *s)
{
    for (; *s; s++)
        CC_PUSH(cc, b->s, b->n, b->cap, *s);
}

static void sig_type(Cc *cc, Sb *b, Type *t, int depth)
{
    if (depth > 64) {
        sb_add(cc, b, "Lstd/core/Object;");
        return;
    }
    switch (t->kind) {
    case TY_VAR:
        sb_add(cc, b, "T");
        sb_add(cc, b, t->name);
        sb_add(cc, b, ";");
        return;
    case TY_CLASS:
        sb_add(cc, b, "L");
        sb_add(cc, b, t->cls->name);
        if (t->nargs > 0) {
            sb_add(cc, b, "<");
            for (int i = 0; i < t->nargs; i++)
                sig_type(cc, b, t->args[i], depth + 1);
            sb_add(cc, b, ">");
        }
        sb_add(cc, b, ";");
        return;
    case TY_ARRAY:
        sb_add(cc, b, "[");
        sig_type(cc, b, t->elem, depth + 1);
        return;
    case TY_FUN:
        sb_add(cc, b, "(");
        for (int i = 0; i < t->nargs; i++)
            sig_type(cc, b, t->args[i], depth + 1);
        sb_add(cc, b, ")");
        sig_type(cc, b, t->ret, depth + 1);
        return;
    case TY_NULL:
    case TY_ERROR:
        sb_add(cc, b, "Lstd/core/Object;");
        return;
    default:
        sb_add(cc, b, t->desc);
        return;
    }
}

static const char *sb_done(Cc *cc, Sb *b)
{
    CC_PUSH(cc, b->s, b->n, b->cap, '\0');
    return b->s;
}

const char *cc_type_sig(Cc *cc, Type *t)
{
    Sb b = {0};
    sig_type(cc, &b, t, 0);
    return sb_done(cc, &b);
}

static void sig_tparams(Cc *cc, Sb *b, Type **vars, int n)
{
    if (n == 0)
        return;
    sb_add(cc, b, "<");
    for (int i = 0; i < n; i++) {
        sb_add(cc, b, vars[i]->name);
        sb_add(cc, b, ":");
        sig_type(cc, b, vars[i]->bound, 1);
    }
    sb_add(cc, b, ">");
}

const char *cc_method_sig(Cc *cc, MethodInfo *m)
{
    Sb b = {0};
    if (m->varargs)
        sb_add(cc, &b, "*");
    sig_tparams(cc, &b, m->tparams, m->ntparams);
    sb_add(cc, &b, "(");
    for (int i = 0; i < m->nparams; i++)
        sig_type(cc, &b, m->params[i], 0);
    sb_add(cc, &b, ")");
    sig_type(cc, &b, m->ret, 0);
    return sb_done(cc, &b);
}

const char *cc_class_sig(Cc *cc, ClassInfo *ci)
{
    Sb b = {0};
    sig_tparams(cc, &b, ci->tparams, ci->ntparams);
    Type *sup = ci->super_t ? ci->super_t : ci->super ? ci->super->type : NULL;
    sig_type(cc, &b, sup ? sup : cc_class_ref(cc, "std/core/Object")->type, 0);
    for (int i = 0; i < ci->nifaces; i++)
        sig_type(cc, &b, ci->iface_t && ci->iface_t[i] ? ci->iface_t[i] : ci->ifaces[i]->type,
                 0);
    return sb_done(cc, &b);
}

static Type *parse_rec(Cc *cc, const char **pp, TScope *scope, int depth)
{
    const char *p = *pp;
    Type *t = NULL;
    if (depth > 64)
        return NULL;
    switch (*p) {
    case 'I': t = &cc->t_int; p++; break;
    case 'F': t = &cc->t_float; p++; break;
    case 'Z': t = &cc->t_bool; p++; break;
    case 'B': t = &cc->t_byte; p++; break;
    case 'V': t = &cc->t_void; p++; break;
    case '[': {
        p++;
        Type *e = parse_rec(cc, &p, scope, depth + 1);
        if (!e)
            return NULL;
        t = cc_array_of(cc, e);
        break;
    }
    case 'T': {
        const char *semi = strchr(p, ';');
        if (!semi)
            return NULL;
        size_t n = (size_t)(semi - p - 1);
        for (TScope *s = scope; s && !t; s = s->next)
            for (int i = 0; i < s->n && !t; i++)
                if (strlen(s->vars[i]->name) == n && memcmp(s->vars[i]->name, p + 1, n) == 0)
                    t = s->vars[i];
        if (!t)
            return NULL;
        p = semi + 1;
        break;
    }
    case 'L': {
        const char *q = p + 1;
        while (*q && *q != ';' && *q != '<')
            q++;
        if (!*q)
            return NULL;
        ClassInfo *c = cc_class_ref(cc, cc_strdup(cc, p + 1, (size_t)(q - p - 1)));
        Type **args = NULL;
        int n = 0, cap = 0;
        if (*q == '<') {
            q++;
            while (*q && *q != '>') {
                Type *a = parse_rec(cc, &q, scope, depth + 1);
                if (!a)
                    return NULL;
                CC_PUSH(cc, args, n, cap, a);
            }
            if (*q != '>')
                return NULL;
            q++;
        }
        if (*q != ';')
            return NULL;
        p = q + 1;
        t = cc_param_type(cc, c, args, n);
        break;
    }
    case '(': {
        p++;
        Type **args = NULL;
        int n = 0, cap = 0;
        while (*p && *p != ')') {
            Type *a = parse_rec(cc, &p, scope, depth + 1);
            if (!a)
                return NULL;
            CC_PUSH(cc, args, n, cap, a);
        }
        if (*p != ')')
            return NULL;
        p++;
        Type *r = parse_rec(cc, &p, scope, depth + 1);
        if (!r)
            return NULL;
        t = cc_fun_type(cc, args, n, r);
        break;
    }
    default:
        return NULL;
    }
    *pp = p;
    return t;
}

Type *cc_parse_sig_type(Cc *cc, const char **p, TScope *scope)
{
    return parse_rec(cc, p, scope, 0);
}

bool cc_parse_sig_tparams(Cc *cc, const char **pp, Type ***vars, int *n, TScope *outer)
{
    const char *p = *pp;
    *vars = NULL;
    *n = 0;
    if (*p != '<')
        return true;
    p++;
    int cap = 0;
    /* names first, so that bounds may mention any of them */
    const char *start = p;
    while (*p && *p != '>') {
        const char *colon = strchr(p, ':');
        if (!colon)
            return false;
        Type *v = cc_type_var(cc, cc_strdup(cc, p, (size_t)(colon - p)), NULL);
        CC_PUSH(cc, *vars, *n, cap, v);
        p = colon + 1;
        /* skip the bound: parse it against a permissive scope later */
        int angle = 0;
        while (*p) {
            if (*p == '<')
                angle++;
            else if (*p == '>') {
                if (angle == 0)
                    break;
                angle--;
            } else if (*p == ';' && angle == 0) {
                p++;
                break;
            }
            p++;
        }
    }
    if (*p != '>')
        return false;
    TScope sc = {*vars, *n, outer};
    p = start;
    for (int i = 0; i < *n; i++) {
        p = strchr(p, ':') + 1;
        Type *b = cc_parse_sig_type(cc, &p, &sc);
        if (!b)
            return false;
        (*vars)[i]->bound = b;
        (*vars)[i]->desc = cc_erasure(cc, b)->desc;
    }
    if (*p != '>')
        return false;
    *pp = p + 1;
    return true;
}
