/* compiler/gen_locals.c: local variables: finding them, the heap cells of captured
 * and assigned ones, loading and storing locals and `this`. */
#include <string.h>

#include "gen.h"

/* ---- names ------------------------------------------------------------------------- */
static ClassInfo *cell_class(Gen *g, Type *t)
{
    const char *n;
    switch (t->kind) {
    case TY_INT: case TY_BYTE: n = "std/core/IntCell"; break;
    case TY_FLOAT: n = "std/core/FloatCell"; break;
    case TY_BOOL: n = "std/core/BoolCell"; break;
    default: n = "std/core/RefCell"; break;
    }
    return cc_class_ref(g->cc, n);
}

/* The `value` field of the cell class for variables of type [t]. */
FieldInfo *g_cell_field(Gen *g, Type *t)
{
    FieldInfo *fi = cc_alloc(g->cc, sizeof *fi);
    fi->name = "value";
    fi->owner = cell_class(g, t);
    switch (t->kind) {
    case TY_INT: case TY_BYTE: fi->type = &g->cc->t_int; break;
    case TY_FLOAT: fi->type = &g->cc->t_float; break;
    case TY_BOOL: fi->type = &g->cc->t_bool; break;
    default: fi->type = g_object_type(g); break;
    }
    return fi;
}

Local *g_find_local(Gen *g, const char *name)
{
    for (Local *l = g->locals; l; l = l->next)
        if (l->name && strcmp(l->name, name) == 0) {
            l->used = true;
            return l;
        }
    if (!g->lam)
        return NULL;
    for (Local *l = g->lam->caps; l; l = l->next)
        if (strcmp(l->name, name) == 0)
            return l;
    Local *o = g_find_local(g->lam->outer, name);
    if (!o)
        return NULL;
    Local *c = cc_alloc(g->cc, sizeof *c);
    c->name = o->name;
    c->type = o->type;
    c->is_let = o->is_let;
    c->celled = o->celled;
    c->cap_outer = o;
    c->cap_field = cc_printf(g->cc, "c$%s", name);
    /* appended, so that the constructor's parameters keep capture order */
    Local **tail = &g->lam->caps;
    while (*tail)
        tail = &(*tail)->next;
    *tail = c;
    g->lam->ncaps++;
    return c;
}

/* The descriptor of the field or slot holding [l] (its cell when celled). */
const char *g_holder_desc(Gen *g, Local *l)
{
    if (l->celled)
        return cc_printf(g->cc, "L%s;", cell_class(g, l->type)->name);
    return cc_erasure(g->cc, l->type)->desc;
}

/* Pushes what holds [l]: its value, or its cell when celled. */
void g_load_holder(Gen *g, Local *l)
{
    if (l->cap_field) {
        g_op16(g, CF_OP_LOAD, 0, 0, 1);
        g_op16(g, CF_OP_GETFIELD, cf_cp_field(g->cf, g->lam->cls, l->cap_field,
                                              g_holder_desc(g, l)), 1, 1);
        if (!l->celled)
            g_from_erased(g, cc_erasure(g->cc, l->type), l->type);
    } else {
        g_op16(g, CF_OP_LOAD, l->slot, 0, 1);
    }
}

Type *g_load_local(Gen *g, Local *l)
{
    g_load_holder(g, l);
    if (l->celled) {
        FieldInfo *fi = g_cell_field(g, l->type);
        g_op16(g, CF_OP_GETFIELD, cf_cp_field(g->cf, fi->owner->name, "value", fi->type->desc),
               1, 1);
        g_from_erased(g, fi->type, l->type);
        if (l->type->kind == TY_BYTE)
            return &g->cc->t_byte;
    }
    return l->type;
}

void g_load_this(Gen *g)
{
    if (!g->lam) {
        g_op16(g, CF_OP_LOAD, 0, 0, 1);
        return;
    }
    g->lam->needs_this = true;
    g_op16(g, CF_OP_LOAD, 0, 0, 1);
    Type *t = g->ci ? g->ci->type : g_object_type(g);
    g_op16(g, CF_OP_GETFIELD, cf_cp_field(g->cf, g->lam->cls, "this$0", t->desc), 1, 1);
}

void g_init_local(Gen *g, Local *l)
{
    if (!l->celled) {
        g_op16(g, CF_OP_STORE, l->slot, 1, 0);
        return;
    }
    FieldInfo *fi = g_cell_field(g, l->type);
    g_op16(g, CF_OP_LOAD, l->slot, 0, 1);
    g_op(g, CF_OP_SWAP, 2, 2);
    g_op16(g, CF_OP_PUTFIELD, cf_cp_field(g->cf, fi->owner->name, "value", fi->type->desc),
           2, 0);
}

/* If [e] names a class (Foo, or a.b.Foo) and not a value, returns it. */
