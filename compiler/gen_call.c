/* compiler/gen_call.c: calls: arguments (varargs, lambda adapters), method and function
 * calls with their lookup through imports and modules, constructor calls. */
#include <string.h>

#include "gen.h"

/* The type of parameter [i] if every candidate of [c] taking [n] arguments declares
 * the same one, mentioning none of its own type parameters; else NULL. */
static Type *known_param(Gen *g, MethodInfo **c, int nc, const Binding *rb, int i, int n)
{
    Type *known = NULL;
    for (int k = 0; k < nc; k++) {
        MethodInfo *m = c[k];
        if (m->bridge_to)
            continue;
        if (m->nparams != n || m->varargs)
            return NULL;
        if (g_mentions_var(m->params[i], m->tparams, m->ntparams))
            return NULL;
        Type *p = rb ? cc_subst(g->cc, m->params[i], rb) : m->params[i];
        if (known && !cc_same_type(g->cc, known, p))
            return NULL;
        known = p;
    }
    return known;
}

/* Generates the arguments into side buffers; a call among them is typed by the
 * parameter type when the candidates [c] (seen through [rb]) agree on it. */
static void gen_args_for(Gen *g, Expr **args, int n, ArgSet *as, MethodInfo **c, int nc,
                         const Binding *rb)
{
    as->n = n;
    as->bufs = cc_alloc(g->cc, sizeof(Buf) * (size_t)(n + 1));
    as->types = cc_alloc(g->cc, sizeof(Type *) * (size_t)(n + 1));
    as->exprs = args;
    as->base = g->depth;
    int saved_max = g->max_depth;
    g->max_depth = g->depth;
    for (int i = 0; i < n; i++) {
        if (args[i]->kind == EX_LAMBDA) {
            as->types[i] = NULL;
            continue;
        }
        if (args[i]->kind == EX_CALL && nc > 0) {
            Type *p = known_param(g, c, nc, rb, i, n);
            if (p) {
                g->target_call = args[i];
                g->target = p;
            }
        }
        as->types[i] = g_expr_to_buf(g, args[i], &as->bufs[i]);
    }
    as->peak = g->max_depth;
    g->max_depth = saved_max;
    g->depth = as->base;
}

static void gen_args(Gen *g, Expr **args, int n, ArgSet *as)
{
    gen_args_for(g, args, n, as, NULL, 0, NULL);
}


static void put_one(Gen *g, ArgSet *as, int i, Type *target, Type *decl)
{
    if (!as->types[i]) {
        g_lambda(g, as->exprs[i], target, decl);
        return;
    }
    g_put_buf(g, &as->bufs[i]);
    g_adjust(g, 0, 1);
    g_convert(g, as->types[i], target);
    g_to_erased(g, decl, as->types[i]->kind == TY_FUN ? as->types[i] : target);
}

/* Emits the arguments, [recv] extra slots worth of receiver already pushed,
 * converted to [c]'s parameter types (packing varargs into an array). */
static void put_args(Gen *g, ArgSet *as, Cand *c, int recv)
{
    int peak = as->peak + recv + 3;
    if (peak > g->max_depth)
        g->max_depth = peak;
    MethodInfo *m = c->m;
    int fixed = c->spread ? m->nparams - 1 : as->n;
    for (int i = 0; i < fixed; i++) {
        if (g_var_array_arg(g, c, as, i)) {
            /* a String[] for T[] with T = String: the array itself */
            g_put_buf(g, &as->bufs[i]);
            g_adjust(g, 0, 1);
            continue;
        }
        put_one(g, as, i, c->sp[i], m->params[i]);
    }
    if (!c->spread)
        return;
    Type *at = cc_erasure(g->cc, m->params[m->nparams - 1]);
    Type *elem_decl = m->params[m->nparams - 1]->elem;
    g_iconst(g, as->n - fixed);
    g_op16(g, CF_OP_NEWARRAY, cf_cp_class(g->cf, at->desc));
    for (int i = fixed; i < as->n; i++) {
        g_op(g, CF_OP_DUP);
        g_iconst(g, i - fixed);
        put_one(g, as, i, c->sp[i], elem_decl);
        g_op(g, g_store_op(at->elem));
    }
}

Type *g_invoke(Gen *g, int op, Cand *c)
{
    MethodInfo *m = c->m;
    if (g_needs_accessor(g, m->flags, m->owner)) {
        g_call_accessor(g, g_accessor(g, m->owner, ACCESS_CALL, m, NULL));
    } else {
        uint16_t idx = cf_cp_method(g->cf, m->owner->name, m->name, m->desc);
        int pops = m->nparams + ((m->flags & CF_ACC_STATIC) ? 0 : 1);
        g_op16_effect(g, op, idx, pops, m->ret->kind == TY_VOID ? 0 : 1);
    }
    if (g->discard_result) {
        /* the statement pops the value: no unboxing (a null T is fine), no cast */
        g->discard_result = false;
        return m->ret->kind == TY_VOID ? m->ret : cc_erasure(g->cc, m->ret);
    }
    return g_from_erased(g, m->ret, cc_subst(g->cc, m->ret, &c->b));
}

static int invoke_op(MethodInfo *m)
{
    if (m->flags & CF_ACC_STATIC)
        return CF_OP_INVOKESTATIC;
    if (m->owner->flags & CF_ACC_INTERFACE)
        return CF_OP_INVOKEIFACE;
    if (m->flags & CF_ACC_PRIVATE)
        return CF_OP_INVOKESPECIAL;
    return CF_OP_INVOKEVIRTUAL;
}

static void add_modules(Gen *g, const char *pkg, MethodInfo ***c, int *n, int *cap,
                        const char *name)
{
    ModuleList *ml = cc_modules_of(g->cc, pkg);
    for (int i = 0; i < ml->n; i++) {
        ClassInfo *m = ml->mods[i];
        if (m == g->ci || !cc_class_ensure(g->cc, m))
            continue;
        for (int k = 0; k < m->nmethods; k++) {
            MethodInfo *mi = m->methods[k];
            if (!(mi->flags & CF_ACC_STATIC) || strcmp(mi->name, name) != 0)
                continue;
            if ((mi->flags & CF_ACC_PRIVATE) && m->file != g->f)
                continue;
            bool dup = false;
            for (int j = 0; j < *n; j++)
                if ((*c)[j] == mi)
                    dup = true;
            if (!dup)
                CC_PUSH(g->cc, *c, *n, *cap, mi);
        }
    }
}

static Type *gen_print(Gen *g, Expr *e, const char *name)
{
    if (e->nargs > 1 || (e->nargs == 0 && strcmp(name, "print") == 0)) {
        g_error(g, e->pos, "wrong number of arguments to '%s': expected 1, found %d", name,
                e->nargs);
        return &g->cc->t_error;
    }
    if (e->nargs == 0) {
        g_op16(g, CF_OP_LDC, cf_cp_string(g->cf, "", 0));
    } else {
        Type *t = g_expr(g, e->args[0]);
        g_to_string(g, t, e->args[0]);
    }
    g_op16_effect(g, CF_OP_INVOKESTATIC,
                  cf_cp_method(g->cf, "std/core/System", name, "(Lstd/core/String;)V"), 1, 0);
    return &g->cc->t_void;
}

/* Calls the function value on the stack below the arguments (callfn). */
static Type *call_fn(Gen *g, Type *ft, Expr *e, uint32_t pos)
{
    Cc *cc = g->cc;
    if (e->nargs != ft->nargs) {
        g_error(g, pos, "wrong number of arguments to a %s: expected %d, found %d",
                cc_type_name(cc, ft), ft->nargs, e->nargs);
        return &cc->t_error;
    }
    ArgSet as;
    gen_args(g, e->args, e->nargs, &as);
    MethodInfo m = {.name = "invoke", .ret = ft->ret, .params = ft->args, .nparams = ft->nargs};
    Cand c = {0};
    c.m = &m;
    c.sp = ft->args;
    for (int i = 0; i < e->nargs; i++)
        if (g_arg_fit(g, &as, i, ft->args[i]) < 0) {
            if (as.types[i])
                g_mismatch(g, e->args[i]->pos, ft->args[i], as.types[i]);
            else
                g_error(g, e->args[i]->pos, "a lambda cannot be %s",
                        cc_type_name(cc, ft->args[i]));
            return &cc->t_error;
        }
    put_args(g, &as, &c, 1);
    Type **er = cc_alloc(cc, sizeof(Type *) * (size_t)(ft->nargs + 1));
    for (int i = 0; i < ft->nargs; i++)
        er[i] = cc_erasure(cc, ft->args[i]);
    const char *d = cc_method_desc(cc, er, ft->nargs, cc_erasure(cc, ft->ret));
    g_op16_effect(g, CF_OP_CALLFN, g_utf8(g, d), ft->nargs + 1, ft->ret->kind == TY_VOID ? 0 : 1);
    return ft->ret;
}

/* f<A, B>(args): keeps the candidates with as many type parameters, each bound to
 * the written type instead of inferred. false after reporting. */
static bool explicit_targs(Gen *g, Expr *e, const char *name, MethodInfo ***cands, int *n,
                           Binding *rb)
{
    Cc *cc = g->cc;
    if (e->ntargs == 0)
        return true;
    Type **ts = cc_alloc(cc, sizeof(Type *) * (size_t)e->ntargs);
    for (int i = 0; i < e->ntargs; i++) {
        ts[i] = cc_resolve_type(cc, g->f, e->targs[i]);
        if (ts[i]->kind == TY_ERROR)
            return false;
        if (ts[i]->kind == TY_VOID) {
            g_error(g, e->targs[i]->pos, "void cannot be a type argument");
            return false;
        }
    }
    MethodInfo **keep = cc_alloc(cc, sizeof(MethodInfo *) * (size_t)(*n + 1));
    int nk = 0, some = -1;
    for (int i = 0; i < *n; i++) {
        MethodInfo *m = (*cands)[i];
        if (m->ntparams > 0)
            some = m->ntparams;
        if (m->ntparams != e->ntargs)
            continue;
        MethodInfo *v = cc_alloc(cc, sizeof *v);
        *v = *m;
        v->ntparams = 0;   /* bound below, not inferred */
        for (int k = 0; k < e->ntargs; k++)
            cc_bind(cc, rb, m->tparams[k], ts[k]);
        keep[nk++] = v;
    }
    if (nk == 0) {
        if (some < 0)
            g_error(g, e->targs[0]->pos, "'%s' takes no type arguments", name);
        else
            g_error(g, e->targs[0]->pos, "'%s' takes %d type argument%s, found %d", name, some,
                    some == 1 ? "" : "s", e->ntargs);
        return false;
    }
    *cands = keep;
    *n = nk;
    return true;
}

/* x.m(args) on a primitive x (on the stack): a static method of its box class
 * taking x first (`x.abs()` is `Int.abs(x)`), else an instance method of the
 * boxed value (`x.compareTo(y)`). */
static Type *call_on_primitive(Gen *g, Expr *e, Type *t, bool discard)
{
    Cc *cc = g->cc;
    Expr *callee = e->a;
    const char *name = callee->str;
    ClassInfo *bc = cc_box_class(cc, t);
    Type *self = t->kind == TY_BYTE ? &cc->t_int : t;
    MethodInfo **all = NULL;
    int na = cc_find_methods(cc, bc, name, &all);
    MethodInfo **views = cc_alloc(cc, sizeof(MethodInfo *) * (size_t)(na + 1));
    int nv = 0;
    bool instance = false;
    for (int i = 0; i < na; i++) {
        MethodInfo *m = all[i];
        if (!(m->flags & CF_ACC_STATIC)) {
            instance = true;
            continue;
        }
        if ((m->flags & CF_ACC_PRIVATE) || m->nparams < 1 || m->ntparams > 0 ||
            m->params[0]->kind != self->kind)
            continue;
        MethodInfo *v = cc_alloc(cc, sizeof *v);
        *v = *m;
        v->params = m->params + 1;
        v->nparams = m->nparams - 1;
        views[nv++] = v;
    }
    ArgSet as;
    Cand c;
    if (nv > 0) {
        gen_args(g, e->args, e->nargs, &as);
        if (!g_choose(g, views, nv, &as, name, callee->pos, NULL, NULL, 0, &c))
            return &cc->t_error;
        put_args(g, &as, &c, 1);
        g->discard_result = discard;
        Type *r = g_invoke(g, CF_OP_INVOKESTATIC, &c);
        g_adjust(g, 1, 0);   /* the receiver was the hidden first argument */
        return r;
    }
    if (!instance) {
        g_error(g, callee->pos, "no method '%s' for %s (in class %s)", name,
                cc_type_name(cc, t), bc->simple);
        g_suggest_member(g, bc, name, true);
        return &cc->t_error;
    }
    g_box(g, t);
    MethodInfo **cands;
    int n = cc_find_methods(cc, bc, name, &cands);
    MethodInfo **inst = cc_alloc(cc, sizeof(MethodInfo *) * (size_t)(n + 1));
    int ni = 0;
    for (int i = 0; i < n; i++)
        if (!(cands[i]->flags & CF_ACC_STATIC))
            inst[ni++] = cands[i];
    gen_args(g, e->args, e->nargs, &as);
    Binding rb = {0};
    for (int i = 0; i < ni; i++)
        cc_bind_receiver(cc, &rb, bc->type, inst[i]->owner);
    if (!g_choose(g, inst, ni, &as, name, callee->pos, &rb, NULL, 0, &c))
        return &cc->t_error;
    put_args(g, &as, &c, 0);
    g->discard_result = discard;
    return g_invoke(g, invoke_op(c.m), &c);
}

/* The method a call [e] of [name] means among [cands]: explicit type arguments
 * applied, the arguments generated for the candidates, the best one chosen (with
 * [target] as the expected type) and its access checked. NULL after an error. */
static MethodInfo *choose_call(Gen *g, Expr *e, const char *name, MethodInfo **cands, int n,
                               Binding *b, Type *target, ArgSet *as, Cand *c)
{
    if (!explicit_targs(g, e, name, &cands, &n, b))
        return NULL;
    gen_args_for(g, e->args, e->nargs, as, cands, n, b);
    g->choose_target = target;
    if (!g_choose(g, cands, n, as, name, e->a->pos, b, NULL, 0, c))
        return NULL;
    g_check_private(g, e->a->pos, c->m->owner, c->m->flags, name);
    return c->m;
}

Type *g_call(Gen *g, Expr *e)
{
    bool discard = g->discard_call == e;
    g->discard_call = NULL;
    Type *target = g->target_call == e && e->ntargs == 0 ? g->target : NULL;
    g->target_call = NULL;
    Cc *cc = g->cc;
    Expr *callee = e->a;
    MethodInfo **cands = NULL;
    int n = 0, cap = 0;
    const char *name;
    ArgSet as;
    Cand c;
    if (callee->kind == EX_NAME) {
        name = callee->str;
        Local *l = g_find_local(g, name);
        FieldInfo *fv = !l && g->ci ? cc_find_field(cc, g->ci, name) : NULL;
        if (l || (fv && fv->type->kind == TY_FUN)) {
            Type *t = g_expr(g, callee);
            if (t->kind == TY_ERROR)
                return t;
            if (t->kind != TY_FUN) {
                g_error(g, callee->pos, "'%s' is a variable, not a function", name);
                return &cc->t_error;
            }
            return call_fn(g, t, e, callee->pos);
        }
        if (g->ci)
            n = cc_find_methods(cc, g->ci, name, &cands);
        cap = n;
        bool from_class = n > 0;
        if (!from_class) {
            add_modules(g, g->f->pkg, &cands, &n, &cap, name);
            for (int i = 0; i < g->f->nimports; i++) {
                Import *im = &g->f->imports[i];
                if (!im->wildcard)
                    continue;
                char *p = cc_strdup(cc, im->name, strlen(im->name));
                for (char *q = p; *q; q++)
                    if (*q == '.')
                        *q = '/';
                int before = n;
                add_modules(g, p, &cands, &n, &cap, name);
                if (n > before)
                    im->used = true;
            }
            if (!cc->no_implicit_std && strcmp(g->f->pkg, "std/core") != 0)
                add_modules(g, "std/core", &cands, &n, &cap, name);
        }
        if (n == 0) {
            if (strcmp(name, "print") == 0 || strcmp(name, "println") == 0)
                return gen_print(g, e, name);
            ClassInfo *k = cc_lookup_class(cc, g->f, name);
            if (k && !(k->flags & (CF_ACC_INTERFACE | CF_ACC_ABSTRACT | CF_ACC_MODULE))) {
                g_error(g, callee->pos, "'%s' is a class, not a function", name);
                const char *call = cc_call_text(cc, g->f, callee->pos);
                if (call)
                    cc_help(cc, "to create an instance, use 'new %s'", call);
                else
                    cc_help(cc, "to create an instance, use 'new %s(...)'", name);
            } else {
                g_error(g, callee->pos, "unknown function '%s'", name);
                g_suggest_function(g, name);
            }
            return &cc->t_error;
        }
        Binding rb = {0};
        for (int i = 0; g->self && i < n; i++)
            cc_bind_receiver(cc, &rb, g->self, cands[i]->owner);
        MethodInfo *m = choose_call(g, e, name, cands, n, &rb, target, &as, &c);
        if (!m)
            return &cc->t_error;
        int recv = 0;
        if (!(m->flags & CF_ACC_STATIC)) {
            if (g->is_static) {
                g_error(g, callee->pos,
                        "cannot call instance function '%s' from a static function", name);
                return &cc->t_error;
            }
            g_load_this(g);
            recv = 1;
        }
        put_args(g, &as, &c, recv);
        int op = invoke_op(m);
        if (op == CF_OP_INVOKESPECIAL && g->lam)
            op = CF_OP_INVOKEVIRTUAL;   /* the lambda class calls its outer class's method */
        g->discard_result = discard;
        return g_invoke(g, op, &c);
    }
    if (callee->kind != EX_FIELD) {
        Type *t = g_expr(g, callee);
        if (t->kind == TY_FUN)
            return call_fn(g, t, e, callee->pos);
        if (t->kind != TY_ERROR)
            g_error(g, e->pos, "this expression cannot be called");
        return &cc->t_error;
    }
    name = callee->str;
    ClassInfo *cls = g_class_name_of(g, callee->a);
    if (cls) {
        n = cc_find_methods(cc, cls, name, &cands);
        if (n == 0) {
            FieldInfo *fi = cc_find_field(cc, cls, name);
            if (fi && fi->type->kind == TY_FUN && (fi->flags & CF_ACC_STATIC)) {
                Type *t = g_expr(g, callee);
                return t->kind == TY_FUN ? call_fn(g, t, e, callee->pos) : t;
            }
            g_error(g, callee->pos, "no method '%s' in class %s", name, cls->simple);
            g_suggest_member(g, cls, name, true);
            return &cc->t_error;
        }
        Binding sb = {0};
        MethodInfo *m = choose_call(g, e, name, cands, n, &sb, target, &as, &c);
        if (!m)
            return &cc->t_error;
        if (!(m->flags & CF_ACC_STATIC)) {
            g_error(g, callee->pos, "cannot call instance function '%s' without an object",
                    name);
            return &cc->t_error;
        }
        put_args(g, &as, &c, 0);
        g->discard_result = discard;
        return g_invoke(g, CF_OP_INVOKESTATIC, &c);
    }
    bool is_super = callee->a->kind == EX_SUPER;
    ClassInfo *rc;
    Type *rt;
    if (is_super) {
        if (g->is_static || !g->ci || !g->ci->super) {
            g_error(g, callee->a->pos, "'super' is not available here");
            return &cc->t_error;
        }
        g_load_this(g);
        rc = g->ci->super;
        rt = g->ci->super_t ? g->ci->super_t : rc->type;
    } else {
        /* obj.f(...) where f is a field holding a function */
        Buf probe;
        Type *t0 = g_expr_to_buf(g, callee->a, &probe);
        g->depth--;
        Type *pt = g_lookup_type(t0);
        if (pt->kind == TY_CLASS && cc_find_methods(cc, pt->cls, name, &cands) == 0) {
            FieldInfo *fi = cc_find_field(cc, pt->cls, name);
            if (fi && fi->type->kind == TY_FUN) {
                Type *t = g_expr(g, callee);
                return t->kind == TY_FUN ? call_fn(g, t, e, callee->pos) : t;
            }
        }
        g_put_buf(g, &probe);
        g_adjust(g, 0, 1);
        Type *t = g_lookup_type(t0);
        if (t->kind == TY_ERROR)
            return t;
        if (t->kind == TY_ARRAY || t->kind == TY_FUN) {
            rc = cc_class_ref(cc, t->kind == TY_FUN ? "std/core/Function" : "std/core/Object");
        } else if (t->kind == TY_CLASS) {
            rc = t->cls;
        } else if (cc_box_class(cc, t)) {
            return call_on_primitive(g, e, t, discard);
        } else {
            g_error(g, callee->pos, "cannot call a method on %s", cc_type_name(cc, t));
            return &cc->t_error;
        }
        rt = t;
    }
    n = cc_find_methods(cc, rc, name, &cands);
    if (n == 0) {
        g_error(g, callee->pos, "no method '%s' in class %s", name, rc->simple);
        g_suggest_member(g, rc, name, true);
        return &cc->t_error;
    }
    /* bind per candidate owner: collect the owners' variables as the receiver sees them */
    Binding rb = {0};
    for (int i = 0; i < n; i++)
        cc_bind_receiver(cc, &rb, rt, cands[i]->owner);
    MethodInfo *m = choose_call(g, e, name, cands, n, &rb, target, &as, &c);
    if (!m)
        return &cc->t_error;
    if (m->flags & CF_ACC_STATIC) {
        g_error(g, callee->pos, "static function '%s' must be called through its class %s",
                name, m->owner->simple);
        return &cc->t_error;
    }
    if (is_super && (m->flags & CF_ACC_ABSTRACT)) {
        g_error(g, callee->pos, "cannot call abstract function '%s' through super", name);
        return &cc->t_error;
    }
    put_args(g, &as, &c, 0);
    if (is_super && g->lam) {
        /* the lambda class cannot invokespecial a method of another class's
         * superclass: a static accessor of the enclosing class does it */
        g_call_accessor(g, g_accessor(g, g->ci, ACCESS_SUPER, m, NULL));
        if (discard) {
            return m->ret->kind == TY_VOID ? m->ret : cc_erasure(cc, m->ret);
        }
        return g_from_erased(g, m->ret, cc_subst(cc, m->ret, &c.b));
    }
    int op = is_super ? CF_OP_INVOKESPECIAL : invoke_op(m);
    if (op == CF_OP_INVOKESPECIAL && g->lam)
        op = CF_OP_INVOKEVIRTUAL;
    g->discard_result = discard;
    return g_invoke(g, op, &c);
}

/* Chooses [ci]'s init for [args] and emits them; [recv] is the type being
 * built (type arguments to infer when it is raw and [ci] generic). Sets
 * *[made] to the type built. */
static MethodInfo *init_call(Gen *g, ClassInfo *ci, Type *recv, Expr **args, int nargs,
                             uint32_t pos, Type **made)
{
    MethodInfo **cands = NULL;
    int n = 0, cap = 0;
    if (!cc_class_ensure(g->cc, ci))
        return NULL;
    for (int i = 0; i < ci->nmethods; i++)
        if (strcmp(ci->methods[i]->name, "<init>") == 0)
            CC_PUSH(g->cc, cands, n, cap, ci->methods[i]);
    ArgSet as;
    Binding rb = {0};
    bool infer_args = recv && recv->nargs == 0 && ci->ntparams > 0;
    if (recv && !infer_args)
        cc_bind_receiver(g->cc, &rb, recv, ci);
    gen_args_for(g, args, nargs, &as, cands, infer_args ? 0 : n, &rb);
    if (n == 0) {
        g_error(g, pos, "class %s has no init", ci->simple);
        return NULL;
    }
    Cand c;
    if (!g_choose(g, cands, n, &as, "init", pos, &rb, infer_args ? ci->tparams : NULL,
                infer_args ? ci->ntparams : 0, &c))
        return NULL;
    if (made) {
        *made = recv;
        if (infer_args) {
            /* from the arguments; raw when there are none to infer from */
            Type **ta = cc_alloc(g->cc, sizeof(Type *) * (size_t)ci->ntparams);
            for (int i = 0; i < ci->ntparams; i++) {
                Type *v = cc_bound_of(&c.b, ci->tparams[i]);
                ta[i] = v ? v : cc_erasure(g->cc, ci->tparams[i]);
            }
            if (nargs > 0)
                *made = cc_param_type(g->cc, ci, ta, ci->ntparams);
        }
    }
    g_check_private(g, pos, c.m->owner, c.m->flags, "init");
    put_args(g, &as, &c, 0);
    return c.m;
}

MethodInfo *g_init_call(Gen *g, ClassInfo *ci, Expr **args, int nargs, uint32_t pos,
                        bool own_only)
{
    (void)own_only;
    Type *recv = ci == g->ci ? g->self : (g->ci && ci == g->ci->super && g->ci->super_t)
                                             ? g->ci->super_t : ci->type;
    return init_call(g, ci, recv, args, nargs, pos, NULL);
}

/* new C(...) where [expected] (or NULL) is the type the value goes to: a
 * generic C without type arguments takes them from it. */
Type *g_new_to(Gen *g, Expr *e, Type *expected)
{
    Type *t = cc_resolve_type(g->cc, g->f, e->tref);
    if (t->kind == TY_ERROR)
        return t;
    if (t->kind == TY_CLASS && t->nargs == 0 && cc_class_ensure(g->cc, t->cls) &&
        t->cls->ntparams > 0 && expected &&
        expected->kind == TY_CLASS && expected->cls == t->cls && expected->nargs > 0)
        t = expected;
    if (t->kind != TY_CLASS) {
        g_error(g, e->pos, "cannot create an instance of %s", cc_type_name(g->cc, t));
        return &g->cc->t_error;
    }
    ClassInfo *ci = t->cls;
    if (ci->flags & CF_ACC_INTERFACE) {
        g_error(g, e->pos, "cannot create an instance of interface %s", ci->simple);
        return &g->cc->t_error;
    }
    if (ci->flags & CF_ACC_ABSTRACT) {
        g_error(g, e->pos, "cannot create an instance of abstract class %s", ci->simple);
        return &g->cc->t_error;
    }
    Type *made = t;
    MethodInfo *m = init_call(g, ci, t, e->args, e->nargs, e->tref->pos, &made);
    if (!m)
        return &g->cc->t_error;
    g_op16_effect(g, CF_OP_NEW, cf_cp_method(g->cf, ci->name, "<init>", m->desc), m->nparams, 1);
    return made;
}

Type *g_new(Gen *g, Expr *e) { return g_new_to(g, e, NULL); }
