/* compiler/gen_lambda.c: lambdas: the lambda class with its invoke method, the
 * adapters between function types, and the code creating a lambda's instance. */
#include <string.h>

#include "gen.h"

/* Emits the lambda class for [e] and, in [g], the code creating its instance. */
Type *g_lambda_impl(Gen *g, Expr *e, Type *target, Type *erased_as)
{
    Cc *cc = g->cc;
    int n = e->nargs;
    if (target && target->nargs != n) {
        g_error(g, e->pos, "a lambda with %d parameter%s cannot be %s", n, n == 1 ? "" : "s",
                cc_type_name(cc, target));
        g_op(g, CF_OP_ACONST_NULL, 0, 1);
        return &cc->t_error;
    }
    if (erased_as && (erased_as->kind != TY_FUN || erased_as->nargs != n))
        erased_as = NULL;
    Type **pt = cc_alloc(cc, sizeof(Type *) * (size_t)(n + 1));
    Type **ep = cc_alloc(cc, sizeof(Type *) * (size_t)(n + 1));
    bool bad = false;
    for (int i = 0; i < n; i++) {
        Param *p = &e->lparams[i];
        if (p->tref) {
            pt[i] = cc_resolve_type(cc, g->f, p->tref);
            if (target && pt[i]->kind != TY_ERROR && target->args[i]->kind != TY_ERROR &&
                !cc_same_type(cc, pt[i], target->args[i])) {
                g_error(g, p->pos, "lambda parameter '%s' has type %s, but %s is expected",
                        p->name, cc_type_name(cc, pt[i]), cc_type_name(cc, target->args[i]));
                bad = true;
            }
        } else if (target) {
            pt[i] = target->args[i];
        } else {
            g_error(g, p->pos, "cannot infer the type of lambda parameter '%s'; declare it",
                    p->name);
            pt[i] = &cc->t_error;
            bad = true;
        }
        if (pt[i]->kind == TY_VOID) {
            g_error(g, p->pos, "a parameter cannot have type void");
            pt[i] = &cc->t_error;
        }
        ep[i] = cc_erasure(cc, erased_as ? erased_as->args[i] : pt[i]);
    }
    Type *ret = NULL;
    if (e->tref)
        ret = cc_resolve_type(cc, g->f, e->tref);
    else if (target && target->ret)
        ret = target->ret;
    /* the lambda class */
    const char *outer = g->lam ? g->lam->cls : g->ci ? g->ci->name : "Lambda";
    const char *name = cc_printf(cc, "%s$Lambda$%d", outer, ++cc->nlambdas);
    CfClass *cf = cf_class_new();
    if (!cf)
        longjmp(cc->oom, 1);
    cf->flags = CF_ACC_FINAL;
    cf->this_class = cf_cp_class(cf, name);
    cf->super_class = cf_cp_class(cf, "std/core/Function");
    const char *base = strrchr(g->f->path, '/');
    cf_set_source_file(cf, base ? base + 1 : g->f->path);
    LamCtx lam = {g, name, NULL, 0, false};
    MethodInfo mi = {.name = "invoke", .ret = ret ? ret : &cc->t_void, .params = pt,
                     .nparams = n, .owner = g->ci};
    Gen lg;
    memset(&lg, 0, sizeof lg);
    lg.cc = cc;
    lg.entries = g->entries;
    lg.f = g->f;
    lg.ci = g->ci;
    lg.cf = cf;
    lg.mi = &mi;
    lg.is_static = g->is_static;
    lg.out = &lg.main;
    lg.last_op = -1;
    lg.self = g->self;
    lg.lam = &lam;
    lg.ret_infer = ret == NULL;
    lg.lenient = e->op == TK_AS;
    if (ret)
        lg.ret_erased = cc_erasure(cc, erased_as && erased_as->ret ? erased_as->ret : ret);
    else if (erased_as && erased_as->ret)
        lg.ret_erased = cc_erasure(cc, erased_as->ret);
    g_lambda_body(&lg, e, pt, ep);
    Type *rt = mi.ret;
    if (!lg.ret_erased)
        lg.ret_erased = cc_erasure(cc, rt);
    const char *desc = cc_method_desc(cc, ep, n, lg.ret_erased);
    CfMethod *m = cf_add_method(cf, 0, "invoke", desc);
    if (m)
        cf_set_code(cf, m, (uint16_t)lg.max_depth, (uint16_t)lg.nlocals, lg.local_types,
                    lg.main.code, (uint32_t)lg.main.len, lg.lines, (uint32_t)lg.nlines);
    /* captured variables become fields set by the constructor */
    int nc = lam.ncaps + (lam.needs_this ? 1 : 0);
    Type **ct = cc_alloc(cc, sizeof(Type *) * (size_t)(nc + 1));
    int k = 0;
    Type *this_t = g->ci ? g->ci->type : g_object_type(g);
    if (lam.needs_this) {
        cf_add_field(cf, CF_ACC_FINAL, "this$0", this_t->desc);
        ct[k++] = this_t;
    }
    for (Local *c = lam.caps; c; c = c->next) {
        const char *d = g_holder_desc(g, c);
        cf_add_field(cf, CF_ACC_FINAL, c->cap_field, d);
        const char *q = d;
        ct[k++] = cc_type_from_desc(cc, &q);
    }
    const char *idesc = cc_method_desc(cc, ct, nc, &cc->t_void);
    Gen ig;
    memset(&ig, 0, sizeof ig);
    ig.cc = cc;
    ig.entries = g->entries;
    ig.f = g->f;
    ig.cf = cf;
    ig.out = &ig.main;
    ig.last_op = -1;
    g_op16(&ig, CF_OP_LOAD, 0, 0, 1);
    g_op16(&ig, CF_OP_INITSUPER, cf_cp_method(cf, "std/core/Function", "<init>", "()V"), 1, 0);
    k = 0;
    if (lam.needs_this) {
        g_op16(&ig, CF_OP_LOAD, 0, 0, 1);
        g_op16(&ig, CF_OP_LOAD, 1, 0, 1);
        g_op16(&ig, CF_OP_PUTFIELD, cf_cp_field(cf, name, "this$0", this_t->desc), 2, 0);
        k++;
    }
    for (Local *c = lam.caps; c; c = c->next, k++) {
        g_op16(&ig, CF_OP_LOAD, 0, 0, 1);
        g_op16(&ig, CF_OP_LOAD, (uint16_t)(k + 1), 0, 1);
        g_op16(&ig, CF_OP_PUTFIELD, cf_cp_field(cf, name, c->cap_field, g_holder_desc(g, c)), 2,
               0);
    }
    g_op(&ig, CF_OP_RETURN, 0, 0);
    CfMethod *im = cf_add_method(cf, 0, "<init>", idesc);
    if (im)
        cf_set_code(cf, im, (uint16_t)ig.max_depth, 0, NULL, ig.main.code,
                    (uint32_t)ig.main.len, NULL, 0);
    if (cc->dry)
        cf_class_free(cf);
    else
        CC_PUSH(cc, cc->extra, cc->nextra, cc->extra_cap, cf);
    /* the instance, in the enclosing function */
    if (lam.needs_this)
        g_load_this(g);
    for (Local *c = lam.caps; c; c = c->next)
        g_load_holder(g, c->cap_outer);
    g_op16(g, CF_OP_NEW, cf_cp_method(g->cf, name, "<init>", idesc), nc, 1);
    if (bad)
        return &cc->t_error;
    return cc_fun_type(cc, pt, n, rt);
}


void g_lambda_body(Gen *lg, Expr *e, Type **ptypes, Type **eparams)
{
    Cc *cc = lg->cc;
    cc_celled_vars(cc, e->lbody, e->a, &lg->celled);
    g_push_scope(lg);
    lg->nparam_slots = 1 + e->nargs;
    for (int i = 0; i < e->nargs; i++) {
        Param *p = &e->lparams[i];
        /* the parameter arrives erased; a local of its own type takes it */
        Local *l = g_declare_local(lg, p->name, ptypes[i], false, p->pos, false);
        g_op16(lg, CF_OP_LOAD, (uint16_t)(i + 1), 0, 1);
        g_from_erased(lg, eparams[i], ptypes[i]);
        g_init_local(lg, l);
    }
    MethodInfo *mi = lg->mi;
    if (e->lbody) {
        g_mark_line(lg, e->lbody->pos);
        bool reach = g_stmt(lg, e->lbody);
        if (lg->ret_infer) {
            lg->ret_infer = false;
            mi->ret = &cc->t_void;
        }
        if (reach) {
            if (mi->ret->kind != TY_VOID)
                g_error(lg, e->pos, "missing return in lambda");
            else
                g_op(lg, CF_OP_RETURN, 0, 0);
        } else if (lg->last_op != CF_OP_RETURN && lg->last_op != CF_OP_BR &&
                   lg->last_op != CF_OP_THROW && lg->last_op != CF_OP_UNREACHABLE) {
            g_op(lg, CF_OP_UNREACHABLE, 0, 0);
        }
    } else {
        g_mark_line(lg, e->a->pos);
        if (!lg->ret_infer && mi->ret->kind == TY_VOID) {
            Type *t = g_expr(lg, e->a);
            if (t->kind != TY_VOID && t->kind != TY_ERROR)
                g_op(lg, CF_OP_POP, 1, 0);
            g_op(lg, CF_OP_RETURN, 0, 0);
        } else if (lg->ret_infer) {
            Type *t = g_expr(lg, e->a);
            lg->ret_infer = false;
            if (t->kind == TY_NULL)
                t = cc_class_ref(cc, "std/core/Object")->type;
            mi->ret = t;
            if (!lg->ret_erased)
                lg->ret_erased = cc_erasure(cc, t);
            g_return(lg, t->kind != TY_VOID);
        } else {
            g_expect(lg, e->a, mi->ret);
            g_return(lg, true);
        }
    }
    g_pop_scope(lg);
}
