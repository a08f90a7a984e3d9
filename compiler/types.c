/* compiler/types.c: the type model: primitive, array, class, function and variable
 * types, their descriptors, erasure and names in messages; the table of classes by
 * name (cc_class_ref), filled lazily by classes.c or by source files. */
#include <string.h>

#include "cc.h"

void cc_types_init(Cc *cc)
{
    cc->t_void = (Type){.kind = TY_VOID, .desc = "V"};
    cc->t_int = (Type){.kind = TY_INT, .desc = "I"};
    cc->t_float = (Type){.kind = TY_FLOAT, .desc = "F"};
    cc->t_bool = (Type){.kind = TY_BOOL, .desc = "Z"};
    cc->t_byte = (Type){.kind = TY_BYTE, .desc = "B"};
    cc->t_null = (Type){.kind = TY_NULL, .desc = "Lstd/core/Object;"};
    cc->t_error = (Type){.kind = TY_ERROR, .desc = "Lstd/core/Object;"};
}

Type *cc_array_of(Cc *cc, Type *elem)
{
    if (elem->kind == TY_ERROR)
        return elem;
    if (!elem->array_of) {
        Type *t = cc_alloc(cc, sizeof *t);
        t->kind = TY_ARRAY;
        t->elem = elem;
        t->desc = cc_printf(cc, "[%s", elem->desc);
        elem->array_of = t;
    }
    return elem->array_of;
}

static unsigned hash_name(const char *s)
{
    unsigned h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h % 512;
}

static ClassInfo *lookup_hash(Cc *cc, const char *name)
{
    for (ClassInfo *c = cc->buckets[hash_name(name)]; c; c = c->hash_next)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

ClassInfo *cc_class_ref(Cc *cc, const char *name)
{
    ClassInfo *c = lookup_hash(cc, name);
    if (c)
        return c;
    c = cc_alloc(cc, sizeof *c);
    c->name = cc_strdup(cc, name, strlen(name));
    const char *slash = strrchr(c->name, '/');
    c->simple = slash ? slash + 1 : c->name;
    c->state = CS_STUB;
    c->type = cc_alloc(cc, sizeof(Type));
    c->type->kind = TY_CLASS;
    c->type->cls = c;
    c->type->desc = cc_printf(cc, "L%s;", c->name);
    unsigned h = hash_name(name);
    c->hash_next = cc->buckets[h];
    cc->buckets[h] = c;
    if (strcmp(name, "std/core/Object") == 0)
        cc->c_object = c;
    if (strcmp(name, "std/core/String") == 0)
        cc->c_string = c;
    return c;
}

ClassInfo *cc_class_new_source(Cc *cc, const char *name)
{
    ClassInfo *c = cc_class_ref(cc, name);
    c->state = CS_LOADED;
    c->from_source = true;
    CC_PUSH(cc, cc->source_classes, cc->nsource, cc->source_cap, c);
    return c;
}

Type *cc_type_from_desc(Cc *cc, const char **pp)
{
    const char *p = *pp;
    Type *t = NULL;
    switch (*p) {
    case 'I': t = &cc->t_int; p++; break;
    case 'F': t = &cc->t_float; p++; break;
    case 'Z': t = &cc->t_bool; p++; break;
    case 'B': t = &cc->t_byte; p++; break;
    case 'V': t = &cc->t_void; p++; break;
    case '[': {
        p++;
        Type *e = cc_type_from_desc(cc, &p);
        t = e ? cc_array_of(cc, e) : NULL;
        break;
    }
    case 'L': {
        const char *semi = strchr(p, ';');
        if (!semi)
            return NULL;
        char *name = cc_strdup(cc, p + 1, (size_t)(semi - p - 1));
        t = cc_class_ref(cc, name)->type;
        p = semi + 1;
        break;
    }
    default:
        return NULL;
    }
    *pp = p;
    return t;
}

const char *cc_method_desc(Cc *cc, Type **params, int n, Type *ret)
{
    size_t len = 3 + strlen(ret->desc);
    for (int i = 0; i < n; i++)
        len += strlen(params[i]->desc);
    char *d = cc_alloc(cc, len);
    strcpy(d, "(");
    for (int i = 0; i < n; i++)
        strcat(d, params[i]->desc);
    strcat(d, ")");
    strcat(d, ret->desc);
    return d;
}


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

const char *cc_type_name(Cc *cc, Type *t)
{
    switch (t->kind) {
    case TY_VOID: return "void";
    case TY_INT: return "int";
    case TY_FLOAT: return "float";
    case TY_BOOL: return "bool";
    case TY_BYTE: return "byte";
    case TY_NULL: return "null";
    case TY_ERROR: return "<error>";
    case TY_VAR: return t->name;
    case TY_FUN: {
        const char *s = "fun(";
        for (int i = 0; i < t->nargs; i++)
            s = cc_printf(cc, "%s%s%s", s, i ? ", " : "", cc_type_name(cc, t->args[i]));
        if (t->ret->kind == TY_VOID)
            return cc_printf(cc, "%s)", s);
        return cc_printf(cc, "%s): %s", s, cc_type_name(cc, t->ret));
    }
    case TY_CLASS: {
        /* Simple names read best; user classes in other packages show dots. */
        const char *s = t->cls->simple;
        if (strncmp(t->cls->name, "std/", 4) != 0 && strchr(t->cls->name, '/')) {
            char *d = cc_strdup(cc, t->cls->name, strlen(t->cls->name));
            for (char *p = d; *p; p++)
                if (*p == '/')
                    *p = '.';
            s = d;
        }
        if (t->nargs == 0)
            return s;
        s = cc_printf(cc, "%s<", s);
        for (int i = 0; i < t->nargs; i++)
            s = cc_printf(cc, "%s%s%s", s, i ? ", " : "", cc_type_name(cc, t->args[i]));
        return cc_printf(cc, "%s>", s);
    }
    case TY_ARRAY:
        return cc_printf(cc, "%s[]", cc_type_name(cc, t->elem));
    }
    return "?";
}

/* As cc_type_name, but naming every class outside std.core by its qualified
 * name, so that the text compiles in any file ("std.collections.List<int>"). */
/* [t] with every class by its qualified name ("std.core.String"). */
static const char *full_name(Cc *cc, Type *t)
{
    if (t->kind == TY_ARRAY)
        return cc_printf(cc, "%s[]", full_name(cc, t->elem));
    if (t->kind != TY_CLASS)
        return cc_type_name(cc, t);
    char *d = cc_strdup(cc, t->cls->name, strlen(t->cls->name));
    for (char *p = d; *p; p++)
        if (*p == '/')
            *p = '.';
    const char *s = d;
    if (t->nargs == 0)
        return s;
    s = cc_printf(cc, "%s<", s);
    for (int i = 0; i < t->nargs; i++)
        s = cc_printf(cc, "%s%s%s", s, i ? ", " : "", full_name(cc, t->args[i]));
    return cc_printf(cc, "%s>", s);
}

void cc_type_names(Cc *cc, Type *a, Type *b, const char **na, const char **nb)
{
    *na = cc_type_name(cc, a);
    *nb = cc_type_name(cc, b);
    if (strcmp(*na, *nb) == 0 && a != b) {
        *na = full_name(cc, a);
        *nb = full_name(cc, b);
    }
}

const char *cc_type_source(Cc *cc, Type *t)
{
    switch (t->kind) {
    case TY_FUN: {
        const char *s = "fun(";
        for (int i = 0; i < t->nargs; i++)
            s = cc_printf(cc, "%s%s%s", s, i ? ", " : "", cc_type_source(cc, t->args[i]));
        if (t->ret->kind == TY_VOID)
            return cc_printf(cc, "%s)", s);
        return cc_printf(cc, "%s): %s", s, cc_type_source(cc, t->ret));
    }
    case TY_CLASS: {
        const char *s = t->cls->simple;
        if (strncmp(t->cls->name, "std/core/", 9) != 0 && strchr(t->cls->name, '/')) {
            char *d = cc_strdup(cc, t->cls->name, strlen(t->cls->name));
            for (char *p = d; *p; p++)
                if (*p == '/')
                    *p = '.';
            s = d;
        }
        if (t->nargs == 0)
            return s;
        s = cc_printf(cc, "%s<", s);
        for (int i = 0; i < t->nargs; i++)
            s = cc_printf(cc, "%s%s%s", s, i ? ", " : "", cc_type_source(cc, t->args[i]));
        return cc_printf(cc, "%s>", s);
    }
    case TY_ARRAY:
        return cc_printf(cc, "%s[]", cc_type_source(cc, t->elem));
    default:
        return cc_type_name(cc, t);
    }
}

bool cc_is_ref(Type *t)
{
    return t->kind == TY_CLASS || t->kind == TY_ARRAY || t->kind == TY_NULL ||
           t->kind == TY_VAR || t->kind == TY_FUN;
}

bool cc_is_numeric(Type *t)
{
    return t->kind == TY_INT || t->kind == TY_FLOAT || t->kind == TY_BYTE;
}

bool cc_is_string(Cc *cc, Type *t)
{
    return t->kind == TY_CLASS && strcmp(t->cls->name, "std/core/String") == 0;
}
