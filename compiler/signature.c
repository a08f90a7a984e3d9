/* compiler/signature.c: the Signature attribute's text form of generic types, methods
 * and classes (spec/classfile.md): writing and parsing it. */
#include <string.h>

#include "cc.h"

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
