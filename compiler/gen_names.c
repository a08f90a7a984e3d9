/* compiler/gen_names.c: names and fields: what a simple or qualified name denotes (local,
 * field, module constant, class), member access, the accessors through
 * which lambdas reach private members, and the scopes in which locals are declared. */
#include <stdio.h>
#include <string.h>

#include "gen.h"

ClassInfo *g_class_name_of(Gen *g, Expr *e)
{
    if (e->kind == EX_NAME) {
        if (g_find_local(g, e->str) || (g->ci && cc_find_field(g->cc, g->ci, e->str)))
            return NULL;
        return cc_lookup_class(g->cc, g->f, e->str);
    }
    if (e->kind == EX_FIELD) {
        /* a qualified name: all parts must be plain names */
        char buf[1024];
        buf[0] = 0;
        Expr *parts[64];
        int n = 0;
        Expr *x = e;
        while (x->kind == EX_FIELD && n < 63) {
            parts[n++] = x;
            x = x->a;
        }
        if (x->kind != EX_NAME || g_find_local(g, x->str) ||
            (g->ci && cc_find_field(g->cc, g->ci, x->str)))
            return NULL;
        if (cc_lookup_class(g->cc, g->f, x->str))
            return NULL;   /* Foo.bar: a member of a class, not a class */
        snprintf(buf, sizeof buf, "%s", x->str);
        for (int i = n - 1; i >= 0; i--) {
            size_t l = strlen(buf);
            snprintf(buf + l, sizeof buf - l, "/%s", parts[i]->str);
        }
        return cc_class_find(g->cc, buf);
    }
    return NULL;
}

bool g_check_private(Gen *g, uint32_t pos, ClassInfo *owner, uint16_t flags,
                          const char *name)
{
    if ((flags & CF_ACC_PRIVATE) && owner != g->ci) {
        g_error(g, pos, "'%s' is private in class %s", name, owner->simple);
        return false;
    }
    return true;
}

/* The type of field [fi] read through a receiver of type [recv] (NULL: static). */
Type *g_field_type(Gen *g, FieldInfo *fi, Type *recv)
{
    if (!recv || fi->owner->ntparams == 0)
        return fi->type;
    Binding b = {0};
    cc_bind_receiver(g->cc, &b, recv, fi->owner);
    return cc_subst(g->cc, fi->type, &b);
}


static Type *load_field(Gen *g, FieldInfo *fi, bool have_obj, Type *recv)
{
    g_get_field_op(g, fi, have_obj);
    return g_from_erased(g, fi->type, g_field_type(g, fi, recv));
}

/* A receiver's type for member lookup: type variables stand for their bounds. */
Type *g_lookup_type(Type *t)
{
    for (int n = 0; t->kind == TY_VAR && n < 64; n++)
        t = t->bound;
    return t;
}

static FieldInfo *module_field_in(Gen *g, const char *pkg, const char *name)
{
    ModuleList *ml = cc_modules_of(g->cc, pkg);
    for (int i = 0; i < ml->n; i++) {
        ClassInfo *m = ml->mods[i];
        if (!cc_class_ensure(g->cc, m))
            continue;
        for (int k = 0; k < m->nfields; k++) {
            FieldInfo *fi = m->fields[k];
            if ((fi->flags & CF_ACC_STATIC) && strcmp(fi->name, name) == 0 &&
                (!(fi->flags & CF_ACC_PRIVATE) || m->file == g->f))
                return fi;
        }
    }
    return NULL;
}

/* A top-level constant [name] visible like a top-level function (section 2 of the
 * language spec), or NULL. */
FieldInfo *g_module_field(Gen *g, const char *name)
{
    FieldInfo *fi = module_field_in(g, g->f->pkg, name);
    for (int i = 0; !fi && i < g->f->nimports; i++) {
        Import *im = &g->f->imports[i];
        if (!im->wildcard)
            continue;
        char *p = cc_strdup(g->cc, im->name, strlen(im->name));
        for (char *q = p; *q; q++)
            if (*q == '.')
                *q = '/';
        fi = module_field_in(g, p, name);
        if (fi)
            im->used = true;
    }
    if (!fi && !g->cc->no_implicit_std && strcmp(g->f->pkg, "std/core") != 0)
        fi = module_field_in(g, "std/core", name);
    return fi;
}

Type *g_name(Gen *g, Expr *e)
{
    Local *l = g_find_local(g, e->str);
    if (l)
        return g_load_local(g, l);
    FieldInfo *fi = g->ci ? cc_find_field(g->cc, g->ci, e->str) : NULL;
    if (fi) {
        g_check_private(g, e->pos, fi->owner, fi->flags, fi->name);
        if (!(fi->flags & CF_ACC_STATIC)) {
            if (g->is_static) {
                g_error(g, e->pos, "cannot use instance field '%s' in a static function",
                        e->str);
                return &g->cc->t_error;
            }
            g_load_this(g);
        }
        return load_field(g, fi, true, g->self);
    }
    if ((fi = g_module_field(g, e->str)) != NULL) {
        return load_field(g, fi, false, NULL);
    }
    if (cc_lookup_class(g->cc, g->f, e->str)) {
        g_error(g, e->pos, "'%s' is a class, not a value", e->str);
        return &g->cc->t_error;
    }
    g_error(g, e->pos, "unknown name '%s'", e->str);
    g_suggest_name(g, e->str);
    return &g->cc->t_error;
}

Type *g_member(Gen *g, Expr *e)
{
    Cc *cc = g->cc;
    ClassInfo *cls = g_class_name_of(g, e->a);
    if (cls) {
        FieldInfo *fi = cc_find_field(cc, cls, e->str);
        if (!fi) {
            g_error(g, e->pos, "no field '%s' in class %s", e->str, cls->simple);
            g_suggest_member(g, cls, e->str, false);
            return &cc->t_error;
        }
        if (!(fi->flags & CF_ACC_STATIC)) {
            g_error(g, e->pos, "field '%s' of %s is not static", e->str, cls->simple);
            return &cc->t_error;
        }
        g_check_private(g, e->pos, fi->owner, fi->flags, fi->name);
        return load_field(g, fi, false, NULL);
    }
    if (e->a->kind == EX_SUPER) {
        if (g->is_static || !g->ci || !g->ci->super) {
            g_error(g, e->a->pos, "'super' is not available here");
            return &cc->t_error;
        }
        FieldInfo *fi = cc_find_field(cc, g->ci->super, e->str);
        if (!fi || (fi->flags & CF_ACC_STATIC)) {
            g_error(g, e->pos, "no field '%s' in class %s", e->str, g->ci->super->simple);
            g_suggest_member(g, g->ci->super, e->str, false);
            return &cc->t_error;
        }
        g_check_private(g, e->pos, fi->owner, fi->flags, fi->name);
        g_load_this(g);
        return load_field(g, fi, true, g->ci->super_t ? g->ci->super_t : g->ci->super->type);
    }
    Type *t0 = g_expr(g, e->a);
    Type *t = g_lookup_type(t0);
    if (t->kind == TY_ERROR)
        return t;
    if (t->kind == TY_ARRAY && strcmp(e->str, "length") == 0) {
        g_op(g, CF_OP_ARRAYLENGTH, 1, 1);
        return &cc->t_int;
    }
    if (t->kind != TY_CLASS) {
        g_error(g, e->pos, "%s has no field '%s'", cc_type_name(cc, t), e->str);
        return &cc->t_error;
    }
    FieldInfo *fi = cc_find_field(cc, t->cls, e->str);
    if (!fi) {
        g_error(g, e->pos, "no field '%s' in class %s", e->str, t->cls->simple);
        g_suggest_member(g, t->cls, e->str, false);
        return &cc->t_error;
    }
    g_check_private(g, e->pos, fi->owner, fi->flags, fi->name);
    if (fi->flags & CF_ACC_STATIC) {
        g_error(g, e->pos, "static field '%s' must be accessed through its class %s", e->str,
                fi->owner->simple);
        return &cc->t_error;
    }
    return load_field(g, fi, true, t);
}


/* A static method of [owner] through which a lambda class reaches one of its
 * private members, or (ACCESS_SUPER) calls superclass method [m] non-virtually
 * on an instance of [owner] (made once per member and kind). */
MethodInfo *g_accessor(Gen *g, ClassInfo *owner, int kind, MethodInfo *m, FieldInfo *fi)
{
    Cc *cc = g->cc;
    for (int i = 0; i < owner->nmethods; i++) {
        MethodInfo *a = owner->methods[i];
        if (a->access_kind == kind && a->access_method == m && a->access_field == fi)
            return a;
    }
    bool is_static = ((m ? m->flags : fi->flags) & CF_ACC_STATIC) != 0;
    MethodInfo *a = cc_alloc(cc, sizeof *a);
    a->owner = owner;
    a->flags = CF_ACC_STATIC;
    a->access_kind = kind;
    a->access_method = m;
    a->access_field = fi;
    a->name = cc_printf(cc, "access$%s%s$%d", kind == ACCESS_SUPER ? "super$" : "",
                        m ? m->name : fi->name, owner->nmethods);
    int extra = is_static ? 0 : 1;
    int n = (m ? m->nparams : kind == ACCESS_SET ? 1 : 0) + extra;
    a->params = cc_alloc(cc, sizeof(Type *) * (size_t)(n + 1));
    a->nparams = n;
    if (extra)
        a->params[0] = owner->type;
    if (m) {
        for (int i = 0; i < m->nparams; i++)
            a->params[i + extra] = cc_erasure(cc, m->params[i]);
        a->ret = cc_erasure(cc, m->ret);
    } else if (kind == ACCESS_SET) {
        a->params[extra] = cc_erasure(cc, fi->type);
        a->ret = &cc->t_void;
    } else {
        a->ret = cc_erasure(cc, fi->type);
    }
    a->desc = cc_method_desc(cc, a->params, a->nparams, a->ret);
    CC_PUSH(cc, owner->methods, owner->nmethods, owner->methods_cap, a);
    return a;
}

/* Emits an invokestatic of [a]. */
void g_call_accessor(Gen *g, MethodInfo *a)
{
    g_op16(g, CF_OP_INVOKESTATIC, cf_cp_method(g->cf, a->owner->name, a->name, a->desc),
           a->nparams, a->ret->kind == TY_VOID ? 0 : 1);
}

bool g_needs_accessor(Gen *g, uint16_t flags, ClassInfo *owner)
{
    return g->lam && (flags & CF_ACC_PRIVATE) && owner->from_source;
}

/* getfield / getstatic, through an accessor inside a lambda for a private field */
void g_get_field_op(Gen *g, FieldInfo *fi, bool have_obj)
{
    bool st = (fi->flags & CF_ACC_STATIC) != 0;
    if (g_needs_accessor(g, fi->flags, fi->owner)) {
        g_call_accessor(g, g_accessor(g, fi->owner, ACCESS_GET, NULL, fi));
        return;
    }
    uint16_t idx = cf_cp_field(g->cf, fi->owner->name, fi->name, fi->type->desc);
    g_op16(g, st ? CF_OP_GETSTATIC : CF_OP_GETFIELD, idx, st ? 0 : have_obj ? 1 : 0, 1);
}

void g_put_field_op(Gen *g, FieldInfo *fi)
{
    bool st = (fi->flags & CF_ACC_STATIC) != 0;
    if (g_needs_accessor(g, fi->flags, fi->owner)) {
        g_call_accessor(g, g_accessor(g, fi->owner, ACCESS_SET, NULL, fi));
        return;
    }
    uint16_t idx = cf_cp_field(g->cf, fi->owner->name, fi->name, fi->type->desc);
    g_op16(g, st ? CF_OP_PUTSTATIC : CF_OP_PUTFIELD, idx, st ? 1 : 2, 0);
}

/* ---- scopes and declarations ---- */
void g_push_scope(Gen *g)
{
    Local *mark = cc_alloc(g->cc, sizeof *mark);
    mark->next = g->locals;
    g->locals = mark;
}

void g_pop_scope(Gen *g)
{
    while (g->locals && g->locals->name) {
        g_warn_unused(g, g->locals);
        g->locals = g->locals->next;
    }
    if (g->locals)
        g->locals = g->locals->next;
}

/* Moves [l] into a heap cell when a lambda captures it and it is assigned
 * ([copy]: a parameter, whose value moves into the cell). */
void g_make_cell(Gen *g, Local *l, bool copy)
{
    Type *t = l->type;
    if (!cc_nameset_has(&g->celled, l->name) || l->is_let || t->kind == TY_ERROR)
        return;
    const char *cn;
    switch (t->kind) {
    case TY_INT: case TY_BYTE: cn = "std/core/IntCell"; break;
    case TY_FLOAT: cn = "std/core/FloatCell"; break;
    case TY_BOOL: cn = "std/core/BoolCell"; break;
    default: cn = "std/core/RefCell"; break;
    }
    ClassInfo *cell = cc_class_ref(g->cc, cn);
    uint16_t slot = g_new_local(g, cell->type);
    g_op16(g, CF_OP_NEW, cf_cp_method(g->cf, cn, "<init>", "()V"), 0, 1);
    g_op16(g, CF_OP_STORE, slot, 1, 0);
    uint16_t old = l->slot;
    l->slot = slot;
    l->celled = true;
    if (copy) {
        g_op16(g, CF_OP_LOAD, old, 0, 1);
        g_init_local(g, l);
    }
}

Local *g_declare_local(Gen *g, const char *name, Type *t, bool is_let, uint32_t pos,
                            bool param)
{
    Local *prev = g_find_local(g, name);
    if (prev) {
        g_error(g, pos, "'%s' is already defined", name);
        if (prev->pos || prev->cap_outer)
            cc_note(g->cc, g->f, prev->cap_outer ? prev->cap_outer->pos : prev->pos,
                    "'%s' is first defined here", name);
    }
    Local *l = cc_alloc(g->cc, sizeof *l);
    l->name = name;
    l->pos = pos;
    if (!param && !prev && g->cc->warnings && !g->lam && g->mi && g->mi->decl) {
        FieldInfo *fi = g->ci ? cc_find_field(g->cc, g->ci, name) : NULL;
        if (!fi)
            fi = g_module_field(g, name);
        if (fi && (!g->is_static || (fi->flags & CF_ACC_STATIC)))
            g_warn_shadow(g, l, fi);
    }
    l->type = t;
    l->is_let = is_let;
    l->slot = param ? (uint16_t)g->nparam_slots++ : g_new_local(g, t);
    l->next = g->locals;
    g->locals = l;
    if (!param)
        g_make_cell(g, l, false);
    return l;
}
