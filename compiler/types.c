/* compiler/types.c: the type model and class information, loaded lazily from
 * class files through the CcClassPath or declared by source files. */
#include <stdlib.h>
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

static void add_loaded_method(Cc *cc, ClassInfo *ci, const char *name, const char *desc,
                              uint16_t flags)
{
    MethodInfo *m = cc_alloc(cc, sizeof *m);
    m->name = cc_strdup(cc, name, strlen(name));
    m->desc = cc_strdup(cc, desc, strlen(desc));
    m->flags = flags;
    m->owner = ci;
    const char *p = desc + 1;
    Type **params = NULL;
    int cap = 0;
    while (*p && *p != ')') {
        Type *t = cc_type_from_desc(cc, &p);
        if (!t)
            return;
        CC_PUSH(cc, params, m->nparams, cap, t);
    }
    if (*p != ')')
        return;
    p++;
    m->ret = cc_type_from_desc(cc, &p);
    if (!m->ret)
        return;
    m->params = params;
    CC_PUSH(cc, ci->methods, ci->nmethods, ci->methods_cap, m);
}

/* The text of the Signature attribute among [attrs], or NULL. */
static const char *signature_of(const CfClass *c, const CfAttr *attrs, int n)
{
    for (int i = 0; i < n; i++) {
        const char *name = cf_utf8(c, attrs[i].name);
        if (name && strcmp(name, "Signature") == 0 && attrs[i].len == 2 && attrs[i].data)
            return cf_utf8(c, (uint16_t)(attrs[i].data[0] << 8 | attrs[i].data[1]));
    }
    return NULL;
}

/* Reads generic signatures back; a malformed one is ignored (erased types stay). */
static void apply_class_sig(Cc *cc, ClassInfo *ci, const char *sig)
{
    const char *p = sig;
    Type **vars;
    int n;
    if (!cc_parse_sig_tparams(cc, &p, &vars, &n, NULL))
        return;
    TScope sc = {vars, n, NULL};
    Type *sup = cc_parse_sig_type(cc, &p, &sc);
    if (!sup || sup->kind != TY_CLASS)
        return;
    Type **ifs = cc_alloc(cc, sizeof(Type *) * (size_t)(ci->nifaces + 1));
    for (int i = 0; i < ci->nifaces && *p; i++) {
        ifs[i] = cc_parse_sig_type(cc, &p, &sc);
        if (!ifs[i] || ifs[i]->kind != TY_CLASS || ifs[i]->cls != ci->ifaces[i])
            return;
    }
    ci->tparams = vars;
    ci->ntparams = n;
    if (ci->super && sup->cls == ci->super)
        ci->super_t = sup;
    ci->iface_t = ifs;
}

static void apply_method_sig(Cc *cc, ClassInfo *ci, MethodInfo *m, const char *sig)
{
    const char *p = sig;
    bool varargs = false;
    if (*p == '*') {
        varargs = true;
        p++;
    }
    Type **vars;
    int n;
    TScope outer = {ci->tparams, ci->ntparams, NULL};
    if (!cc_parse_sig_tparams(cc, &p, &vars, &n, &outer))
        return;
    TScope sc = {vars, n, &outer};
    if (*p++ != '(')
        return;
    Type **params = cc_alloc(cc, sizeof(Type *) * (size_t)(m->nparams + 1));
    for (int i = 0; i < m->nparams; i++)
        if (!(params[i] = cc_parse_sig_type(cc, &p, &sc)))
            return;
    if (*p++ != ')')
        return;
    Type *ret = cc_parse_sig_type(cc, &p, &sc);
    if (!ret || *p)
        return;
    m->params = params;
    m->ret = ret;
    m->tparams = vars;
    m->ntparams = n;
    m->varargs = varargs;
}

/* Fills [ci] from its class file. */
static void load_from_classpath(Cc *cc, ClassInfo *ci)
{
    ci->state = CS_MISSING;
    if (!cc->cp || !cc->cp->find)
        return;
    size_t len = 0;
    const uint8_t *bytes = cc->cp->find(cc->cp->ud, ci->name, &len);
    if (!bytes)
        return;
    CfError err;
    CfClass *c = cf_read(bytes, len, ci->name, &err);
    if (!c)
        return;
    const char *self = cf_this_name(c);
    if (!self || strcmp(self, ci->name) != 0) {
        cf_class_free(c);
        return;
    }
    ci->state = CS_LOADED;
    ci->flags = c->flags;
    if (c->super_class) {
        const char *sn = cf_class_name(c, c->super_class);
        if (sn)
            ci->super = cc_class_ref(cc, sn);
    }
    int icap = 0;
    for (int i = 0; i < c->ninterfaces; i++) {
        const char *in = cf_class_name(c, c->interfaces[i]);
        if (in)
            CC_PUSH(cc, ci->ifaces, ci->nifaces, icap, cc_class_ref(cc, in));
    }
    const char *csig = signature_of(c, c->attrs, c->nattrs);
    if (csig)
        apply_class_sig(cc, ci, csig);
    for (int i = 0; i < c->nfields; i++) {
        const char *name = cf_utf8(c, c->fields[i].name);
        const char *desc = cf_utf8(c, c->fields[i].desc);
        if (!name || !desc)
            continue;
        const char *p = desc;
        Type *t = cc_type_from_desc(cc, &p);
        if (!t)
            continue;
        FieldInfo *fi = cc_alloc(cc, sizeof *fi);
        fi->name = cc_strdup(cc, name, strlen(name));
        const char *sig = signature_of(c, c->fields[i].attrs, c->fields[i].nattrs);
        if (sig) {
            TScope sc = {ci->tparams, ci->ntparams, NULL};
            const char *q = sig;
            Type *g = cc_parse_sig_type(cc, &q, &sc);
            if (g && !*q && strcmp(cc_erasure(cc, g)->desc, t->desc) == 0)
                t = g;
        }
        fi->type = t;
        fi->flags = c->fields[i].flags;
        fi->owner = ci;
        CC_PUSH(cc, ci->fields, ci->nfields, ci->fields_cap, fi);
    }
    for (int i = 0; i < c->nmethods; i++) {
        const char *name = cf_utf8(c, c->methods[i].name);
        const char *desc = cf_utf8(c, c->methods[i].desc);
        if (name && desc && desc[0] == '(') {
            int before = ci->nmethods;
            add_loaded_method(cc, ci, name, desc, c->methods[i].flags);
            const char *sig = signature_of(c, c->methods[i].attrs, c->methods[i].nattrs);
            if (sig && ci->nmethods > before)
                apply_method_sig(cc, ci, ci->methods[before], sig);
        }
    }
    ci->header_done = true;
    cf_class_free(c);
}

bool cc_class_ensure(Cc *cc, ClassInfo *ci)
{
    if (ci->state == CS_STUB)
        load_from_classpath(cc, ci);
    return ci->state == CS_LOADED;
}

ClassInfo *cc_class_find(Cc *cc, const char *name)
{
    ClassInfo *c = cc_class_ref(cc, name);
    return cc_class_ensure(cc, c) ? c : NULL;
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

static void collect_module(void *arg, const char *name)
{
    void **a = arg;
    Cc *cc = a[0];
    ModuleList *ml = a[1];
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
