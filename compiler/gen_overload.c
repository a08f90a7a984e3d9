/* compiler/gen_overload.c: overload resolution: how well arguments fit parameters, inference
 * of a generic method's type arguments, choosing the most specific candidate. */
#include <stdio.h>
#include <string.h>

#include "gen.h"

/* ---- calls ------------------------------------------------------------------------- */
/* How well an argument of type [a] fits parameter [p]: 0 exact, 1 widening,
 * 2 subtyping, 3 boxing or unboxing, -1 not at all. A NULL [a] is a lambda
 * whose parameter count is [arity]. */
static int fit_lambda(Type *p, int arity)
{
    return p->kind == TY_FUN && p->nargs == arity ? 0 : -1;
}

static int fit(Gen *g, Type *a, Type *p)
{
    if (a == p || a->kind == TY_ERROR || p->kind == TY_ERROR)
        return 0;
    if (a->kind == TY_BYTE && p->kind == TY_INT)
        return 1;
    if (g_is_intlike(a) && p->kind == TY_FLOAT)
        return 1;
    if (cc_is_ref(a) && cc_is_ref(p) && cc_ref_assignable(g->cc, a, p))
        return a->kind == p->kind && cc_same_type(g->cc, a, p) ? 0 : 2;
    if (g_is_prim(a) && cc_is_ref(p)) {
        ClassInfo *b = cc_box_class(g->cc, a);
        return b && cc_ref_assignable(g->cc, b->type, p) ? 3 : -1;
    }
    Type *u = g_unboxes_to(g, a);
    if (u && g_is_prim(p) && (u == p || (u->kind == TY_INT && p->kind == TY_FLOAT)))
        return 3;
    return -1;
}

int g_arg_fit(Gen *g, ArgSet *as, int i, Type *p)
{
    if (!as->types[i])
        return fit_lambda(p, as->exprs[i]->nargs);
    return fit(g, as->types[i], p);
}

bool g_var_array_arg(Gen *g, const Cand *c, const ArgSet *as, int i)
{
    Type *d = c->decl ? c->decl[i] : NULL, *a = as->types[i];
    if (!d || !a || d->kind != TY_ARRAY || d->elem->kind != TY_VAR || a->kind != TY_ARRAY ||
        !cc_is_ref(a->elem) || a->elem->kind == TY_NULL)
        return false;
    Type *v = cc_bound_of(&c->b, d->elem);
    return v && cc_same_type(g->cc, v, a->elem) &&
           cc_ref_assignable(g->cc, a->elem, cc_erasure(g->cc, d->elem));
}

/* How well argument [i] fits candidate [c]'s parameter (as g_arg_fit), with
 * X[] for T[] where T is X (g_var_array_arg) a fit by subtyping. */
static int cand_fit(Gen *g, ArgSet *as, const Cand *c, int i)
{
    int f = g_arg_fit(g, as, i, c->sp[i]);
    return f < 0 && g_var_array_arg(g, c, as, i) ? 2 : f;
}

/* After "expected X, found Y[]" for a parameter declared T[]: why not. */
static void var_array_help(Gen *g, const Cand *c, const ArgSet *as, int i)
{
    Cc *cc = g->cc;
    Type *d = c->decl ? c->decl[i] : NULL, *a = as->types[i];
    if (!d || !a || d->kind != TY_ARRAY || d->elem->kind != TY_VAR || a->kind != TY_ARRAY)
        return;
    if (!cc_is_ref(a->elem)) {
        ClassInfo *box = cc_box_class(cc, a->elem);
        cc_help(cc, "%s[] is an array of references: %s cannot be passed for it (%s[] can)",
                d->elem->name, cc_type_name(cc, a), box ? box->simple : "Object");
        return;
    }
    Type *v = cc_bound_of(&c->b, d->elem);
    if (v)
        cc_help(cc, "%s is accepted for %s[] only where %s is %s (here %s is %s)",
                cc_type_name(cc, a), d->elem->name, d->elem->name, cc_type_name(cc, a->elem),
                d->elem->name, cc_type_name(cc, v));
}

/* Is candidate [x] at least as good as [y] for every argument? */
static bool as_good(Gen *g, Cand *x, Cand *y, ArgSet *as)
{
    if (x->spread != y->spread)
        return !x->spread;
    for (int i = 0; i < as->n; i++) {
        int fx = cand_fit(g, as, x, i), fy = cand_fit(g, as, y, i);
        if (fx < fy)
            continue;
        if (fx > fy)
            return false;
        Type *px = x->sp[i], *py = y->sp[i];
        bool narrower = (px->kind == TY_BYTE && cc_is_numeric(py)) ||
                        (px->kind == TY_INT && py->kind == TY_FLOAT);
        if (px != py && !narrower && !cc_same_type(g->cc, px, py) &&
            !(cc_is_ref(px) && cc_is_ref(py) && cc_ref_assignable(g->cc, px, py)))
            return false;
    }
    return true;
}

static const char *arg_list(Gen *g, Type **args, int n)
{
    char buf[1024];
    size_t k = 0;
    buf[k++] = '(';
    buf[k] = 0;
    for (int i = 0; i < n; i++)
        k += (size_t)snprintf(buf + k, sizeof buf - k - 2 > k ? sizeof buf - k : 0, "%s%s",
                              i ? ", " : "", args[i] ? cc_type_name(g->cc, args[i]) : "lambda");
    if (k > sizeof buf - 2)
        k = sizeof buf - 2;
    buf[k++] = ')';
    buf[k] = 0;
    return cc_strdup(g->cc, buf, k);
}

static bool is_ivar(Type *v, Type **ivars, int niv)
{
    for (int i = 0; i < niv; i++)
        if (ivars[i] == v)
            return true;
    return false;
}

/* True if [t] mentions one of [ivars] (List<R>, R[], fun(R): int). */
static bool has_ivar(Type *t, Type **ivars, int niv, int depth)
{
    if (!t || depth > 32)
        return false;
    if (t->kind == TY_VAR)
        return is_ivar(t, ivars, niv);
    if (t->kind == TY_ARRAY)
        return has_ivar(t->elem, ivars, niv, depth + 1);
    for (int i = 0; i < t->nargs; i++)
        if (has_ivar(t->args[i], ivars, niv, depth + 1))
            return true;
    return t->kind == TY_FUN && has_ivar(t->ret, ivars, niv, depth + 1);
}

bool g_mentions_var(Type *t, Type **vars, int n) { return has_ivar(t, vars, n, 0); }

/* Infers inference variables [ivars] in [p] from an argument of type [a]. */
static void infer(Gen *g, Type *p, Type *a, Binding *b, Type **ivars, int niv, int depth)
{
    Cc *cc = g->cc;
    if (!a || depth > 32 || a->kind == TY_ERROR || a->kind == TY_VOID)
        return;
    if (p->kind == TY_VAR && is_ivar(p, ivars, niv)) {
        if (a->kind == TY_NULL)
            return;
        if (a->kind == TY_BYTE)
            a = &cc->t_int;
        Type *cur = cc_bound_of(b, p);
        if (!cur) {
            cc_bind(cc, b, p, a);
        } else if (cc_same_type(cc, cur, a) || (cc_is_ref(a) && cc_ref_assignable(cc, a, cur))) {
            return;
        } else if (cc_is_ref(cur) && cc_ref_assignable(cc, cur, a)) {
            cc_bind(cc, b, p, a);
        } else if (cc_is_numeric(cur) && cc_is_numeric(a)) {
            cc_bind(cc, b, p, &cc->t_float);
        } else {
            cc_bind(cc, b, p, g_object_type(g));
        }
        return;
    }
    if (p->kind == TY_CLASS && p->nargs > 0) {
        Type *v = cc_is_ref(a) && a->kind != TY_NULL ? cc_as_super(cc, a, p->cls) : NULL;
        if (v && v->nargs == p->nargs)
            for (int i = 0; i < p->nargs; i++)
                infer(g, p->args[i], v->args[i], b, ivars, niv, depth + 1);
        return;
    }
    if (p->kind == TY_ARRAY && a->kind == TY_ARRAY) {
        infer(g, p->elem, a->elem, b, ivars, niv, depth + 1);
        return;
    }
    if (p->kind == TY_FUN && a->kind == TY_FUN && a->nargs == p->nargs) {
        for (int i = 0; i < p->nargs; i++)
            infer(g, p->args[i], a->args[i], b, ivars, niv, depth + 1);
        infer(g, p->ret, a->ret, b, ivars, niv, depth + 1);
    }
}


/* Infers [ivars] in a result type [r] from the type [to] it must convert to:
 * Box<T> for Box<A> gives T = A, ArrayList<T> for List<A> too. */
static void infer_target(Gen *g, Type *r, Type *to, Binding *b, Type **ivars, int niv)
{
    Cc *cc = g->cc;
    if (!to || to->kind == TY_ERROR || to->kind == TY_VOID || to->kind == TY_NULL)
        return;
    if (r->kind == TY_VAR && is_ivar(r, ivars, niv)) {
        cc_bind(cc, b, r, to);
        return;
    }
    if (r->kind == TY_CLASS && to->kind == TY_CLASS && to->nargs > 0) {
        Type *v = cc_as_super(cc, r, to->cls);
        if (v && v->nargs == to->nargs)
            for (int i = 0; i < v->nargs; i++)
                if (has_ivar(v->args[i], ivars, niv, 0))
                    infer(g, v->args[i], to->args[i], b, ivars, niv, 0);
        return;
    }
    if (r->kind == TY_ARRAY && to->kind == TY_ARRAY)
        infer_target(g, r->elem, to->elem, b, ivars, niv);
}

/* Fills [c] for method [m] called with [as] through a receiver binding
 * [recv]; [ivars] are the variables to infer, from [expected] (the type the
 * result must convert to, or NULL) first, then from the arguments. false if the
 * count is wrong. */
static bool make_cand(Gen *g, MethodInfo *m, ArgSet *as, const Binding *recv, Type **ivars,
                      int niv, Cand *c, bool force_spread, Type *expected)
{
    Cc *cc = g->cc;
    memset(c, 0, sizeof *c);
    c->m = m;
    int n = as->n;
    bool spread = force_spread;
    if (m->nparams != n || force_spread) {
        if (!m->varargs || n < m->nparams - 1)
            return false;
        spread = true;
    }
    if (recv)
        for (int i = 0; i < recv->n; i++)
            cc_bind(cc, &c->b, recv->vars[i], recv->vals[i]);
    Type **ps = cc_alloc(cc, sizeof(Type *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        int k = i < m->nparams - 1 || !spread ? i : m->nparams - 1;
        Type *p = m->params[k];
        if (spread && k == m->nparams - 1 && p->kind == TY_ARRAY)
            p = p->elem;
        ps[i] = p;
    }
    if (m->ntparams > 0 || niv > 0) {
        Type **iv = cc_alloc(cc, sizeof(Type *) * (size_t)(m->ntparams + niv + 1));
        if (m->ntparams)
            memcpy(iv, m->tparams, sizeof(Type *) * (size_t)m->ntparams);
        if (niv)
            memcpy(iv + m->ntparams, ivars, sizeof(Type *) * (size_t)niv);
        int nv = m->ntparams + niv;
        /* what the expected type binds is fixed: the arguments must fit it */
        Type **free_iv = iv;
        int nfree = nv;
        if (expected) {
            infer_target(g, m->ret, expected, &c->b, iv, nv);
            free_iv = cc_alloc(cc, sizeof(Type *) * (size_t)(nv + 1));
            nfree = 0;
            for (int i = 0; i < nv; i++)
                if (!cc_bound_of(&c->b, iv[i]))
                    free_iv[nfree++] = iv[i];
        }
        for (int i = 0; i < n; i++)
            infer(g, ps[i], as->types[i], &c->b, free_iv, nfree, 0);
        /* lambdas: their parameters come from what is known so far, their
         * results may bind the rest */
        for (int i = 0; i < n; i++) {
            if (as->types[i] || ps[i]->kind != TY_FUN)
                continue;
            /* declared parameter types bind what they stand for:
             * comparing((p: Person) => p.age) gives E = Person */
            Expr *le = as->exprs[i];
            if (le->kind == EX_LAMBDA && le->nargs == ps[i]->nargs)
                for (int k = 0; k < le->nargs; k++)
                    if (le->lparams[k].tref) {
                        cc->mute++;
                        Type *pt = cc_resolve_type(cc, g->f, le->lparams[k].tref);
                        cc->mute--;
                        if (pt->kind != TY_ERROR)
                            infer(g, ps[i]->args[k], pt, &c->b, free_iv, nfree, 0);
                    }
            Type *target = cc_subst(cc, ps[i], &c->b);
            bool known = true;
            for (int k = 0; k < target->nargs; k++)
                if (target->args[k]->kind == TY_VAR && is_ivar(target->args[k], iv, nv))
                    known = false;
            if (!known)
                continue;
            if (has_ivar(target->ret, iv, nv, 0))
                target = cc_fun_type(cc, target->args, target->nargs, NULL);
            Buf tmp;
            Buf *saved = g->out;
            memset(&tmp, 0, sizeof tmp);
            g->out = &tmp;
            cc->mute++;
            cc->dry++;
            Type *lt = g_lambda(g, as->exprs[i], target, ps[i]);
            cc->mute--;
            cc->dry--;
            g->out = saved;
            g->depth--;
            if (lt && lt->kind == TY_FUN)
                infer(g, ps[i]->ret, lt->ret, &c->b, free_iv, nfree, 0);
        }
        for (int i = 0; i < nv; i++)
            if (!cc_bound_of(&c->b, iv[i]))
                cc_bind(cc, &c->b, iv[i], cc_subst(cc, iv[i]->bound, &c->b));
    }
    Type **decl = cc_alloc(cc, sizeof(Type *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        decl[i] = ps[i];
        ps[i] = cc_subst(cc, ps[i], &c->b);
    }
    c->sp = ps;
    c->decl = decl;
    c->nsp = n;
    c->spread = spread;
    return true;
}

static bool applicable(Gen *g, Cand *c, ArgSet *as)
{
    for (int k = 0; k < as->n; k++)
        if (cand_fit(g, as, c, k) < 0)
            return false;
    return true;
}

bool g_choose(Gen *g, MethodInfo **c, int n, ArgSet *as, const char *name, uint32_t pos,
              const Binding *recv, Type **ivars, int niv, Cand *out)
{
    Cc *cc = g->cc;
    Type *target = g->choose_target;
    g->choose_target = NULL;
    int nargs = as->n;
    for (int i = 0; i < nargs; i++)
        if (as->types[i] && as->types[i]->kind == TY_VOID) {
            g_error(g, as->exprs[i]->pos, "a void expression cannot be an argument");
            return false;
        }
    Cand *same = cc_alloc(cc, sizeof(Cand) * (size_t)(2 * n + 1));
    int ns = 0;
    for (int i = 0; i < n; i++) {
        if (c[i]->bridge_to)
            continue;
        if (make_cand(g, c[i], as, recv, ivars, niv, &same[ns], false, NULL))
            ns++;
        /* f(x) for f(xs: T...): x may be the array or its only element */
        if (c[i]->varargs && c[i]->nparams == nargs &&
            make_cand(g, c[i], as, recv, ivars, niv, &same[ns], true, NULL))
            ns++;
    }
    if (ns == 0) {
        bool one = true;
        for (int i = 1; i < n; i++)
            if (c[i]->nparams != c[0]->nparams)
                one = false;
        if (one)
            g_error(g, pos, "wrong number of arguments to '%s': expected %d, found %d", name,
                    c[0]->nparams, nargs);
        else
            g_error(g, pos, "no overload of '%s' takes %d argument%s", name, nargs,
                    nargs == 1 ? "" : "s");
        return false;
    }
    Cand *ok = cc_alloc(cc, sizeof(Cand) * (size_t)(ns + 1));
    int nok = 0;
    for (int i = 0; i < ns; i++)
        if (applicable(g, &same[i], as))
            ok[nok++] = same[i];
    /* a varargs method called with an array for the variadic part */
    if (nok == 0) {
        if (ns == 1) {
            for (int k = 0; k < nargs; k++)
                if (cand_fit(g, as, &same[0], k) < 0) {
                    if (as->types[k]) {
                        g_mismatch(g, as->exprs[k]->pos, same[0].sp[k], as->types[k]);
                        var_array_help(g, &same[0], as, k);
                    } else {
                        g_error(g, as->exprs[k]->pos, "a lambda with %d parameter%s cannot "
                                "be %s", as->exprs[k]->nargs,
                                as->exprs[k]->nargs == 1 ? "" : "s",
                                cc_type_name(cc, same[0].sp[k]));
                    }
                    break;
                }
        } else {
            g_error(g, pos, "no overload of '%s' accepts %s", name,
                    arg_list(g, as->types, nargs));
        }
        return false;
    }
    for (int i = 0; i < nok; i++) {
        bool best = true;
        for (int k = 0; k < nok && best; k++)
            if (k != i && !as_good(g, &ok[i], &ok[k], as))
                best = false;
        if (best) {
            *out = ok[i];
            /* Box.of(new B()) where a Box<A> is expected: T = A, not B */
            MethodInfo *m = out->m;
            Cand t;
            if (target && (m->ntparams > 0 || niv > 0) &&
                fit(g, cc_subst(cc, m->ret, &out->b), target) < 0 &&
                make_cand(g, m, as, recv, ivars, niv, &t, out->spread, target) &&
                applicable(g, &t, as))
                *out = t;
            return true;
        }
    }
    g_error(g, pos, "call to '%s' is ambiguous for arguments %s", name,
            arg_list(g, as->types, nargs));
    return false;
}
