/* compiler/gen_convert.c: conversions between types at run time: widening, boxing and
 * unboxing, erased generic values, string conversion for concatenation. */
#include <string.h>

#include "gen.h"

/* ---- conversions ---------------------------------------------------------------- */
bool g_is_intlike(Type *t) { return t->kind == TY_INT || t->kind == TY_BYTE; }

bool g_is_prim(Type *t)
{
    return t->kind == TY_INT || t->kind == TY_FLOAT || t->kind == TY_BOOL || t->kind == TY_BYTE;
}

/* Boxes the primitive of type [t] on the stack. */
void g_box(Gen *g, Type *t)
{
    ClassInfo *b = cc_box_class(g->cc, t);
    if (!b)
        return;
    const char *d = cc_printf(g->cc, "(%s)L%s;", t->kind == TY_BYTE ? "I" : t->desc, b->name);
    g_op16(g, CF_OP_INVOKESTATIC, cf_cp_method(g->cf, b->name, "of", d), 1, 1);
}

/* Unboxes the reference on the stack into a [prim] (checkcast, then the value field). */
void g_unbox(Gen *g, Type *prim)
{
    ClassInfo *b = cc_box_class(g->cc, prim);
    if (!b)
        return;
    g_op16(g, CF_OP_CHECKCAST, cf_cp_class(g->cf, b->name), 1, 1);
    g_op16(g, CF_OP_GETFIELD, cf_cp_field(g->cf, b->name, "value",
                                          prim->kind == TY_BYTE ? "I" : prim->desc), 1, 1);
    if (prim->kind == TY_BYTE)
        g_op(g, CF_OP_I2B, 1, 1);
}

/* The primitive a value of reference type [t] unboxes to, or NULL. */
Type *g_unboxes_to(Gen *g, Type *t)
{
    if (t->kind != TY_CLASS)
        return NULL;
    return cc_unboxed(g->cc, t->cls);
}

/* Emits the implicit conversion [from] -> [to]; false if there is none. */
bool g_convert(Gen *g, Type *from, Type *to)
{
    if (from == to || from->kind == TY_ERROR || to->kind == TY_ERROR)
        return true;
    if (from->kind == TY_BYTE && to->kind == TY_INT)
        return true;
    if (g_is_intlike(from) && to->kind == TY_FLOAT) {
        g_op(g, CF_OP_I2F, 1, 1);
        return true;
    }
    if (cc_is_ref(from) && cc_is_ref(to) &&
        (cc_ref_assignable(g->cc, from, to) || !g->lenient))
        return cc_ref_assignable(g->cc, from, to);
    if (g_is_prim(from) && cc_is_ref(to) && to->kind != TY_NULL) {
        ClassInfo *b = cc_box_class(g->cc, from);
        if (b && cc_ref_assignable(g->cc, b->type, to)) {
            g_box(g, from);
            return true;
        }
        return false;
    }
    if (g->lenient && cc_is_ref(from) && from->kind != TY_NULL) {
        if (g_is_prim(to) && cc_box_class(g->cc, to)) {
            g_unbox(g, to);
            return true;
        }
        if (cc_is_ref(to)) {
            Type *er = cc_erasure(g->cc, to);
            if (strcmp(er->desc, "Lstd/core/Object;") != 0)
                g_op16(g, CF_OP_CHECKCAST,
                       cf_cp_class(g->cf, er->kind == TY_ARRAY ? er->desc : er->cls->name), 1,
                       1);
            return true;
        }
    }
    Type *u = cc_is_ref(from) ? g_unboxes_to(g, from) : NULL;
    if (u && g_is_prim(to)) {
        if (u == to || (u->kind == TY_INT && to->kind == TY_FLOAT)) {
            g_unbox(g, u);
            if (u != to)
                g_op(g, CF_OP_I2F, 1, 1);
            return true;
        }
    }
    return false;
}

/* After a call or a field read whose declared (generic) type is [decl], the
 * value on the stack has [decl]'s erasure: casts or unboxes it to [actual]. */
void g_to_erased(Gen *g, Type *decl, Type *actual);


/* fun(A): R with each part erased. */
static Type *erased_fun(Cc *cc, Type *f)
{
    Type **ps = cc_alloc(cc, sizeof(Type *) * (size_t)(f->nargs + 1));
    for (int i = 0; i < f->nargs; i++)
        ps[i] = cc_erasure(cc, f->args[i]);
    return cc_fun_type(cc, ps, f->nargs, cc_erasure(cc, f->ret));
}

Type *g_from_erased(Gen *g, Type *decl, Type *actual)
{
    Cc *cc = g->cc;
    if (decl == actual || actual->kind == TY_VOID || actual->kind == TY_ERROR)
        return actual;
    if (g_fun_erasure_differs(cc, decl, actual)) {
        /* the value implements decl's erasure; callers will use actual's */
        g_adapt_fun(g, erased_fun(cc, decl), actual, actual);
        return actual;
    }
    Type *er = cc_erasure(cc, decl);
    if (g_is_prim(actual) && cc_is_ref(er)) {
        g_unbox(g, actual);
        return actual;
    }
    if (cc_is_ref(actual)) {
        Type *ea = cc_erasure(cc, actual);
        if (strcmp(ea->desc, er->desc) != 0 && strcmp(ea->desc, "Lstd/core/Object;") != 0)
            g_op16(g, CF_OP_CHECKCAST,
                   cf_cp_class(g->cf, ea->kind == TY_ARRAY ? ea->desc : ea->cls->name), 1, 1);
    }
    return actual;
}

/* Before a call or a field write: the value (already of type [actual]) goes
 * where [decl]'s erasure is expected. */
void g_to_erased(Gen *g, Type *decl, Type *actual)
{
    if (g_is_prim(actual) && cc_is_ref(cc_erasure(g->cc, decl)))
        g_box(g, actual);
    else if (g_fun_erasure_differs(g->cc, actual, decl))
        g_adapt_fun(g, actual, actual, decl);
}

void g_mismatch(Gen *g, uint32_t pos, Type *expected, Type *found)
{
    if (found->kind == TY_VOID)
        g_error(g, pos, "type mismatch: expected %s, found no value",
                cc_type_name(g->cc, expected));
    else {
        const char *ne, *nf;
        cc_type_names(g->cc, expected, found, &ne, &nf);
        g_error(g, pos, "type mismatch: expected %s, found %s", ne, nf);
    }
}

/* Converts the value on the stack to a String for concatenation. */
void g_to_string(Gen *g, Type *t, Expr *e)
{
    Cc *cc = g->cc;
    if (cc_is_string(cc, t) && e && (e->kind == EX_STRING || e->kind == EX_INTERP ||
                                     (e->kind == EX_BINARY && e->op == TK_PLUS)))
        return;
    const char *name, *desc;
    switch (t->kind) {
    case TY_INT: case TY_BYTE: name = "ofInt"; desc = "(I)Lstd/core/String;"; break;
    case TY_FLOAT: name = "ofFloat"; desc = "(F)Lstd/core/String;"; break;
    case TY_BOOL: name = "ofBool"; desc = "(Z)Lstd/core/String;"; break;
    case TY_VOID:
        g_error(g, e ? e->pos : 0, "cannot convert a void expression to String");
        return;
    default: name = "of"; desc = "(Lstd/core/Object;)Lstd/core/String;"; break;
    }
    g_op16(g, CF_OP_INVOKESTATIC, cf_cp_method(g->cf, "std/core/String", name, desc), 1, 1);
}

void g_concat(Gen *g)
{
    g_op16(g, CF_OP_INVOKEVIRTUAL,
           cf_cp_method(g->cf, "std/core/String", "concat",
                        "(Lstd/core/String;)Lstd/core/String;"), 2, 1);
}

bool g_fun_erasure_differs(Cc *cc, Type *a, Type *b)
{
    if (a->kind != TY_FUN || b->kind != TY_FUN || a->nargs != b->nargs)
        return false;
    for (int i = 0; i < a->nargs; i++)
        if (strcmp(cc_erasure(cc, a->args[i])->desc, cc_erasure(cc, b->args[i])->desc) != 0)
            return true;
    return strcmp(cc_erasure(cc, a->ret)->desc, cc_erasure(cc, b->ret)->desc) != 0;
}

/* The function value on the stack, whose invoke has the erasure of [have],
 * is wrapped in an adapter lambda typed [target] whose invoke has the erasure
 * of [decl], converting arguments and result. */
void g_adapt_fun(Gen *g, Type *have, Type *target, Type *decl)
{
    Cc *cc = g->cc;
    int k = ++cc->nlambdas;
    Local *tmp = cc_alloc(cc, sizeof *tmp);
    tmp->name = cc_printf(cc, "$fn%d", k);
    tmp->type = have;
    tmp->is_let = true;
    tmp->slot = g_new_local(g, have);
    g_op16(g, CF_OP_STORE, tmp->slot, 1, 0);
    Expr *lam = cc_alloc(cc, sizeof *lam);
    lam->kind = EX_LAMBDA;
    lam->nargs = have->nargs;
    lam->lparams = cc_alloc(cc, sizeof(Param) * (size_t)(have->nargs + 1));
    Expr *call = cc_alloc(cc, sizeof *call);
    call->kind = EX_CALL;
    call->a = cc_alloc(cc, sizeof(Expr));
    call->a->kind = EX_NAME;
    call->a->str = tmp->name;
    call->nargs = have->nargs;
    call->args = cc_alloc(cc, sizeof(Expr *) * (size_t)(have->nargs + 1));
    for (int i = 0; i < have->nargs; i++) {
        lam->lparams[i].name = cc_printf(cc, "$a%d", i);
        call->args[i] = cc_alloc(cc, sizeof(Expr));
        call->args[i]->kind = EX_NAME;
        call->args[i]->str = lam->lparams[i].name;
    }
    lam->a = call;
    lam->op = TK_AS;   /* marks an adapter: lenient conversions */
    tmp->next = g->locals;
    g->locals = tmp;
    g_lambda(g, lam, target, decl);
    g->locals = tmp->next;
}
