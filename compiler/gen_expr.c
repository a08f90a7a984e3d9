/* compiler/gen_expr.c: bytecode emission helpers and the type checking and
 * code generation of expressions. */
#include <stdio.h>
#include <string.h>

#include "gen.h"

/* ---- emission -------------------------------------------------------------------- */
static void put8(Gen *g, uint8_t b)
{
    Buf *o = g->out;
    if (o->len + 1 > o->cap)
        cc_grow(g->cc, (void **)&o->code, 1, &o->cap, o->len + 1);
    o->code[o->len++] = b;
}

static void put16(Gen *g, uint16_t v)
{
    put8(g, (uint8_t)(v >> 8));
    put8(g, (uint8_t)v);
}

static void put32(Gen *g, int32_t v)
{
    uint32_t u = (uint32_t)v;
    put8(g, (uint8_t)(u >> 24));
    put8(g, (uint8_t)(u >> 16));
    put8(g, (uint8_t)(u >> 8));
    put8(g, (uint8_t)u);
}

static void adjust(Gen *g, int pops, int pushes)
{
    g->depth -= pops;
    if (g->depth < 0)
        g->depth = 0;
    g->depth += pushes;
    if (g->depth > g->max_depth)
        g->max_depth = g->depth;
}

void g_op(Gen *g, int op, int pops, int pushes)
{
    put8(g, (uint8_t)op);
    adjust(g, pops, pushes);
    g->last_op = op;
}

void g_op16(Gen *g, int op, uint16_t imm, int pops, int pushes)
{
    put8(g, (uint8_t)op);
    put16(g, imm);
    adjust(g, pops, pushes);
    g->last_op = op;
}

static void g_iconst(Gen *g, int64_t v)
{
    if (v >= INT32_MIN && v <= INT32_MAX) {
        put8(g, CF_OP_ICONST);
        put32(g, (int32_t)v);
        adjust(g, 0, 1);
        g->last_op = CF_OP_ICONST;
    } else {
        g_op16(g, CF_OP_LDC, cf_cp_int(g->cf, v), 0, 1);
    }
}

static void g_iinc(Gen *g, uint16_t slot, int32_t delta)
{
    put8(g, CF_OP_IINC);
    put16(g, slot);
    put32(g, delta);
    g->last_op = CF_OP_IINC;
}

void g_error(Gen *g, uint32_t pos, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cc_error(g->cc, g->f, pos, "%s", buf);
}

uint16_t g_utf8(Gen *g, const char *s) { return cf_cp_utf8z(g->cf, s); }

void g_open(Gen *g, int op, Type *result)
{
    uint16_t bt = result && result->kind != TY_VOID ? g_utf8(g, result->desc) : 0;
    g_op16(g, op, bt, op == CF_OP_IF ? 1 : 0, 0);
    Region r = {g->depth, bt ? 1 : 0};
    CC_PUSH(g->cc, g->regions, g->nest, g->regions_cap, r);
}

void g_else(Gen *g)
{
    g_op(g, CF_OP_ELSE, 0, 0);
    g->depth = g->regions[g->nest - 1].h;
}

void g_end(Gen *g)
{
    g_op(g, CF_OP_END, 0, 0);
    Region r = g->regions[--g->nest];
    g->depth = r.h;
    adjust(g, 0, r.arity);
}

void g_br(Gen *g, int op, int level)
{
    g_op16(g, op, (uint16_t)(g->nest - 1 - level), op == CF_OP_BR_IF ? 1 : 0, 0);
}

uint16_t g_new_local(Gen *g, Type *t)
{
    uint16_t idx = g_utf8(g, t->kind == TY_NULL ? "Lstd/core/Object;" : t->desc);
    CC_PUSH(g->cc, g->local_types, g->nlocals, g->locals_cap, idx);
    return (uint16_t)(g->nparam_slots + g->nlocals - 1);
}

uint16_t g_temp(Gen *g, Type *t)
{
    for (int i = 0; i < g->ntemps; i++)
        if (!g->temps[i].used && strcmp(g->temps[i].desc, t->desc) == 0) {
            g->temps[i].used = true;
            return g->temps[i].slot;
        }
    Temp tp = {g_new_local(g, t), t->desc, true};
    CC_PUSH(g->cc, g->temps, g->ntemps, g->temps_cap, tp);
    return tp.slot;
}

void g_free_temp(Gen *g, uint16_t slot)
{
    for (int i = 0; i < g->ntemps; i++)
        if (g->temps[i].slot == slot)
            g->temps[i].used = false;
}

uint32_t g_line_of(SourceFile *f, uint32_t pos)
{
    uint32_t lo = 0, hi = f->nlines;
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (f->line_starts[mid] <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return lo + 1;
}

/* Generates [e] into a side buffer; the caller appends it with put_buf. */
static Type *expr_to_buf(Gen *g, Expr *e, Buf *b)
{
    Buf *saved = g->out;
    memset(b, 0, sizeof *b);
    g->out = b;
    Type *t = g_expr(g, e);
    g->out = saved;
    return t;
}

static void put_buf(Gen *g, Buf *b)
{
    for (int i = 0; i < b->len; i++)
        put8(g, b->code[i]);
}

static Type *obj_type(Gen *g) { return cc_class_ref(g->cc, "std/core/Object")->type; }
static Type *str_type(Gen *g) { return cc_class_ref(g->cc, "std/core/String")->type; }

/* ---- conversions ---------------------------------------------------------------- */
static bool is_intlike(Type *t) { return t->kind == TY_INT || t->kind == TY_BYTE; }

/* Emits the implicit conversion [from] -> [to]; false if there is none. */
static bool convert(Gen *g, Type *from, Type *to)
{
    if (from == to || from->kind == TY_ERROR || to->kind == TY_ERROR)
        return true;
    if (from->kind == TY_BYTE && to->kind == TY_INT)
        return true;
    if (is_intlike(from) && to->kind == TY_FLOAT) {
        g_op(g, CF_OP_I2F, 1, 1);
        return true;
    }
    if (cc_is_ref(from) && cc_is_ref(to))
        return cc_ref_assignable(g->cc, from, to);
    return false;
}

static void mismatch(Gen *g, uint32_t pos, Type *expected, Type *found)
{
    if (found->kind == TY_VOID)
        g_error(g, pos, "type mismatch: expected %s, found no value",
                cc_type_name(g->cc, expected));
    else
        g_error(g, pos, "type mismatch: expected %s, found %s", cc_type_name(g->cc, expected),
                cc_type_name(g->cc, found));
}

static Type *gen_arraylit(Gen *g, Expr *e, Type *expected);

void g_expect(Gen *g, Expr *e, Type *to)
{
    if (e->kind == EX_INT && to->kind == TY_BYTE && e->ival >= 0 && e->ival <= 255) {
        g_iconst(g, e->ival);
        return;
    }
    Type *t = e->kind == EX_ARRAYLIT ? gen_arraylit(g, e, to) : g_expr(g, e);
    if (!convert(g, t, to))
        mismatch(g, e->pos, to, t);
}

/* Converts the value on the stack to a String for concatenation. */
static void to_string(Gen *g, Type *t, Expr *e)
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

static void concat(Gen *g)
{
    g_op16(g, CF_OP_INVOKEVIRTUAL,
           cf_cp_method(g->cf, "std/core/String", "concat",
                        "(Lstd/core/String;)Lstd/core/String;"), 2, 1);
}

/* ---- names ------------------------------------------------------------------------- */
Local *g_find_local(Gen *g, const char *name)
{
    for (Local *l = g->locals; l; l = l->next)
        if (l->name && strcmp(l->name, name) == 0)
            return l;
    return NULL;
}

/* If [e] names a class (Foo, or a.b.Foo) and not a value, returns it. */
static ClassInfo *class_name_of(Gen *g, Expr *e)
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

static bool check_private(Gen *g, uint32_t pos, ClassInfo *owner, uint16_t flags,
                          const char *name)
{
    if ((flags & CF_ACC_PRIVATE) && owner != g->ci) {
        g_error(g, pos, "'%s' is private in class %s", name, owner->simple);
        return false;
    }
    return true;
}

static Type *load_field(Gen *g, FieldInfo *fi, bool have_obj)
{
    uint16_t idx = cf_cp_field(g->cf, fi->owner->name, fi->name, fi->type->desc);
    if (fi->flags & CF_ACC_STATIC)
        g_op16(g, CF_OP_GETSTATIC, idx, 0, 1);
    else
        g_op16(g, CF_OP_GETFIELD, idx, have_obj ? 1 : 0, 1);
    return fi->type;
}

static Type *gen_name(Gen *g, Expr *e)
{
    Local *l = g_find_local(g, e->str);
    if (l) {
        g_op16(g, CF_OP_LOAD, l->slot, 0, 1);
        return l->type;
    }
    FieldInfo *fi = g->ci ? cc_find_field(g->cc, g->ci, e->str) : NULL;
    if (fi) {
        check_private(g, e->pos, fi->owner, fi->flags, fi->name);
        if (!(fi->flags & CF_ACC_STATIC)) {
            if (g->is_static) {
                g_error(g, e->pos, "cannot use instance field '%s' in a static function",
                        e->str);
                return &g->cc->t_error;
            }
            g_op16(g, CF_OP_LOAD, 0, 0, 1);
        }
        return load_field(g, fi, true);
    }
    if (cc_lookup_class(g->cc, g->f, e->str)) {
        g_error(g, e->pos, "'%s' is a class, not a value", e->str);
        return &g->cc->t_error;
    }
    g_error(g, e->pos, "unknown name '%s'", e->str);
    return &g->cc->t_error;
}

static Type *gen_member(Gen *g, Expr *e)
{
    Cc *cc = g->cc;
    ClassInfo *cls = class_name_of(g, e->a);
    if (cls) {
        FieldInfo *fi = cc_find_field(cc, cls, e->str);
        if (!fi) {
            g_error(g, e->pos, "no field '%s' in class %s", e->str, cls->simple);
            return &cc->t_error;
        }
        if (!(fi->flags & CF_ACC_STATIC)) {
            g_error(g, e->pos, "field '%s' of %s is not static", e->str, cls->simple);
            return &cc->t_error;
        }
        check_private(g, e->pos, fi->owner, fi->flags, fi->name);
        return load_field(g, fi, false);
    }
    if (e->a->kind == EX_SUPER) {
        if (g->is_static || !g->ci || !g->ci->super) {
            g_error(g, e->a->pos, "'super' is not available here");
            return &cc->t_error;
        }
        FieldInfo *fi = cc_find_field(cc, g->ci->super, e->str);
        if (!fi || (fi->flags & CF_ACC_STATIC)) {
            g_error(g, e->pos, "no field '%s' in class %s", e->str, g->ci->super->simple);
            return &cc->t_error;
        }
        check_private(g, e->pos, fi->owner, fi->flags, fi->name);
        g_op16(g, CF_OP_LOAD, 0, 0, 1);
        return load_field(g, fi, true);
    }
    Type *t = g_expr(g, e->a);
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
        return &cc->t_error;
    }
    check_private(g, e->pos, fi->owner, fi->flags, fi->name);
    if (fi->flags & CF_ACC_STATIC) {
        g_error(g, e->pos, "static field '%s' must be accessed through its class %s", e->str,
                fi->owner->simple);
        return &cc->t_error;
    }
    return load_field(g, fi, true);
}

/* ---- calls ------------------------------------------------------------------------- */
/* How well an argument of type [a] fits parameter [p]: 0 exact, 1 widening,
 * 2 subtyping, -1 not at all. */
static int fit(Gen *g, Type *a, Type *p)
{
    if (a == p || a->kind == TY_ERROR || p->kind == TY_ERROR)
        return 0;
    if (a->kind == TY_BYTE && p->kind == TY_INT)
        return 1;
    if (is_intlike(a) && p->kind == TY_FLOAT)
        return 1;
    if (cc_is_ref(a) && cc_is_ref(p) && cc_ref_assignable(g->cc, a, p))
        return 2;
    return -1;
}

/* Is candidate [x] at least as good as [y] for every argument? */
static bool as_good(Gen *g, MethodInfo *x, MethodInfo *y, Type **args, int n)
{
    for (int i = 0; i < n; i++) {
        int fx = fit(g, args[i], x->params[i]), fy = fit(g, args[i], y->params[i]);
        if (fx < fy)
            continue;
        if (fx > fy)
            return false;
        Type *px = x->params[i], *py = y->params[i];
        bool narrower = (px->kind == TY_BYTE && cc_is_numeric(py)) ||
                        (px->kind == TY_INT && py->kind == TY_FLOAT);
        if (px != py && !narrower &&
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
                              i ? ", " : "", cc_type_name(g->cc, args[i]));
    if (k > sizeof buf - 2)
        k = sizeof buf - 2;
    buf[k++] = ')';
    buf[k] = 0;
    return cc_strdup(g->cc, buf, k);
}

static MethodInfo *choose(Gen *g, MethodInfo **c, int n, Type **args, Expr **argx, int nargs,
                          const char *name, uint32_t pos)
{
    MethodInfo *same[256];
    int ns = 0;
    for (int i = 0; i < n && ns < 256; i++)
        if (c[i]->nparams == nargs)
            same[ns++] = c[i];
    for (int i = 0; i < nargs; i++)
        if (args[i]->kind == TY_VOID) {
            g_error(g, argx[i]->pos, "a void expression cannot be an argument");
            return NULL;
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
        return NULL;
    }
    MethodInfo *ok[256];
    int nok = 0;
    for (int i = 0; i < ns; i++) {
        bool good = true;
        for (int k = 0; k < nargs && good; k++)
            good = fit(g, args[k], same[i]->params[k]) >= 0;
        if (good)
            ok[nok++] = same[i];
    }
    if (nok == 0) {
        if (ns == 1) {
            for (int k = 0; k < nargs; k++)
                if (fit(g, args[k], same[0]->params[k]) < 0) {
                    mismatch(g, argx[k]->pos, same[0]->params[k], args[k]);
                    break;
                }
        } else {
            g_error(g, pos, "no overload of '%s' accepts %s", name, arg_list(g, args, nargs));
        }
        return NULL;
    }
    for (int i = 0; i < nok; i++) {
        bool best = true;
        for (int k = 0; k < nok && best; k++)
            if (k != i && !as_good(g, ok[i], ok[k], args, nargs))
                best = false;
        if (best)
            return ok[i];
    }
    g_error(g, pos, "call to '%s' is ambiguous for arguments %s", name,
            arg_list(g, args, nargs));
    return NULL;
}

typedef struct ArgSet {
    Buf *bufs;
    Type **types;
    int n;
    int peak;     /* highest stack depth reached while generating them */
    int base;     /* stack depth before them */
} ArgSet;

static void gen_args(Gen *g, Expr **args, int n, ArgSet *as)
{
    as->n = n;
    as->bufs = cc_alloc(g->cc, sizeof(Buf) * (size_t)(n + 1));
    as->types = cc_alloc(g->cc, sizeof(Type *) * (size_t)(n + 1));
    as->base = g->depth;
    int saved_max = g->max_depth;
    g->max_depth = g->depth;
    for (int i = 0; i < n; i++)
        as->types[i] = expr_to_buf(g, args[i], &as->bufs[i]);
    as->peak = g->max_depth;
    g->max_depth = saved_max;
    g->depth = as->base;
}

/* Emits [recv] extra slots worth of receiver already pushed, then the args
 * converted to [m]'s parameter types. */
static void put_args(Gen *g, ArgSet *as, MethodInfo *m, int recv)
{
    int peak = as->peak + recv;
    if (peak > g->max_depth)
        g->max_depth = peak;
    for (int i = 0; i < as->n; i++) {
        put_buf(g, &as->bufs[i]);
        adjust(g, 0, 1);
        if (m)
            convert(g, as->types[i], m->params[i]);
    }
}

static Type *invoke(Gen *g, int op, MethodInfo *m)
{
    uint16_t idx = cf_cp_method(g->cf, m->owner->name, m->name, m->desc);
    int pops = m->nparams + ((m->flags & CF_ACC_STATIC) ? 0 : 1);
    g_op16(g, op, idx, pops, m->ret->kind == TY_VOID ? 0 : 1);
    return m->ret;
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
        g_op16(g, CF_OP_LDC, cf_cp_string(g->cf, "", 0), 0, 1);
    } else {
        Type *t = g_expr(g, e->args[0]);
        to_string(g, t, e->args[0]);
    }
    g_op16(g, CF_OP_INVOKESTATIC,
           cf_cp_method(g->cf, "std/core/System", name, "(Lstd/core/String;)V"), 1, 0);
    return &g->cc->t_void;
}

static Type *gen_call(Gen *g, Expr *e)
{
    Cc *cc = g->cc;
    Expr *callee = e->a;
    MethodInfo **cands = NULL;
    int n = 0, cap = 0;
    const char *name;
    ArgSet as;
    if (callee->kind == EX_NAME) {
        name = callee->str;
        if (g_find_local(g, name)) {
            g_error(g, callee->pos, "'%s' is a variable, not a function", name);
            return &cc->t_error;
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
                add_modules(g, p, &cands, &n, &cap, name);
            }
            if (!cc->no_implicit_std && strcmp(g->f->pkg, "std/core") != 0)
                add_modules(g, "std/core", &cands, &n, &cap, name);
        }
        if (n == 0) {
            if (strcmp(name, "print") == 0 || strcmp(name, "println") == 0)
                return gen_print(g, e, name);
            g_error(g, callee->pos, "unknown function '%s'", name);
            return &cc->t_error;
        }
        gen_args(g, e->args, e->nargs, &as);
        MethodInfo *m = choose(g, cands, n, as.types, e->args, e->nargs, name, callee->pos);
        if (!m)
            return &cc->t_error;
        check_private(g, callee->pos, m->owner, m->flags, name);
        int recv = 0;
        if (!(m->flags & CF_ACC_STATIC)) {
            if (g->is_static) {
                g_error(g, callee->pos,
                        "cannot call instance function '%s' from a static function", name);
                return &cc->t_error;
            }
            g_op16(g, CF_OP_LOAD, 0, 0, 1);
            recv = 1;
        }
        put_args(g, &as, m, recv);
        return invoke(g, invoke_op(m), m);
    }
    if (callee->kind != EX_FIELD) {
        g_error(g, e->pos, "this expression cannot be called");
        return &cc->t_error;
    }
    name = callee->str;
    ClassInfo *cls = class_name_of(g, callee->a);
    if (cls) {
        n = cc_find_methods(cc, cls, name, &cands);
        if (n == 0) {
            g_error(g, callee->pos, "no method '%s' in class %s", name, cls->simple);
            return &cc->t_error;
        }
        gen_args(g, e->args, e->nargs, &as);
        MethodInfo *m = choose(g, cands, n, as.types, e->args, e->nargs, name, callee->pos);
        if (!m)
            return &cc->t_error;
        check_private(g, callee->pos, m->owner, m->flags, name);
        if (!(m->flags & CF_ACC_STATIC)) {
            g_error(g, callee->pos, "cannot call instance function '%s' without an object",
                    name);
            return &cc->t_error;
        }
        put_args(g, &as, m, 0);
        return invoke(g, CF_OP_INVOKESTATIC, m);
    }
    bool is_super = callee->a->kind == EX_SUPER;
    ClassInfo *rc;
    if (is_super) {
        if (g->is_static || !g->ci || !g->ci->super) {
            g_error(g, callee->a->pos, "'super' is not available here");
            return &cc->t_error;
        }
        g_op16(g, CF_OP_LOAD, 0, 0, 1);
        rc = g->ci->super;
    } else {
        Type *t = g_expr(g, callee->a);
        if (t->kind == TY_ERROR)
            return t;
        if (t->kind == TY_ARRAY) {
            rc = cc_class_ref(cc, "std/core/Object");
        } else if (t->kind == TY_CLASS) {
            rc = t->cls;
        } else {
            g_error(g, callee->pos, "cannot call a method on %s", cc_type_name(cc, t));
            return &cc->t_error;
        }
    }
    n = cc_find_methods(cc, rc, name, &cands);
    if (n == 0) {
        g_error(g, callee->pos, "no method '%s' in class %s", name, rc->simple);
        return &cc->t_error;
    }
    gen_args(g, e->args, e->nargs, &as);
    MethodInfo *m = choose(g, cands, n, as.types, e->args, e->nargs, name, callee->pos);
    if (!m)
        return &cc->t_error;
    check_private(g, callee->pos, m->owner, m->flags, name);
    if (m->flags & CF_ACC_STATIC) {
        g_error(g, callee->pos, "static function '%s' must be called through its class %s",
                name, m->owner->simple);
        return &cc->t_error;
    }
    if (is_super && (m->flags & CF_ACC_ABSTRACT)) {
        g_error(g, callee->pos, "cannot call abstract function '%s' through super", name);
        return &cc->t_error;
    }
    put_args(g, &as, m, 0);
    return invoke(g, is_super ? CF_OP_INVOKESPECIAL : invoke_op(m), m);
}

MethodInfo *g_init_call(Gen *g, ClassInfo *ci, Expr **args, int nargs, uint32_t pos,
                        bool own_only)
{
    (void)own_only;
    MethodInfo *cands[256];
    int n = 0;
    if (!cc_class_ensure(g->cc, ci))
        return NULL;
    for (int i = 0; i < ci->nmethods && n < 256; i++)
        if (strcmp(ci->methods[i]->name, "<init>") == 0)
            cands[n++] = ci->methods[i];
    ArgSet as;
    gen_args(g, args, nargs, &as);
    if (n == 0) {
        g_error(g, pos, "class %s has no init", ci->simple);
        return NULL;
    }
    MethodInfo *m = choose(g, cands, n, as.types, args, nargs, "init", pos);
    if (!m)
        return NULL;
    check_private(g, pos, m->owner, m->flags, "init");
    put_args(g, &as, m, 0);
    return m;
}

static Type *gen_new(Gen *g, Expr *e)
{
    Type *t = cc_resolve_type(g->cc, g->f, e->tref);
    if (t->kind == TY_ERROR)
        return t;
    if (t->kind != TY_CLASS) {
        g_error(g, e->pos, "cannot create an instance of %s", cc_type_name(g->cc, t));
        return &g->cc->t_error;
    }
    ClassInfo *ci = t->cls;
    if (ci->flags & (CF_ACC_ABSTRACT | CF_ACC_INTERFACE)) {
        g_error(g, e->pos, "cannot create an instance of abstract class %s", ci->simple);
        return &g->cc->t_error;
    }
    MethodInfo *m = g_init_call(g, ci, e->args, e->nargs, e->tref->pos, true);
    if (!m)
        return &g->cc->t_error;
    g_op16(g, CF_OP_NEW, cf_cp_method(g->cf, ci->name, "<init>", m->desc), m->nparams, 1);
    return t;
}

/* ---- arrays ------------------------------------------------------------------------ */
static int load_op(Type *elem)
{
    switch (elem->kind) {
    case TY_INT: return CF_OP_IALOAD;
    case TY_FLOAT: return CF_OP_FALOAD;
    case TY_BOOL: case TY_BYTE: return CF_OP_BALOAD;
    default: return CF_OP_AALOAD;
    }
}

static int store_op(Type *elem)
{
    switch (elem->kind) {
    case TY_INT: return CF_OP_IASTORE;
    case TY_FLOAT: return CF_OP_FASTORE;
    case TY_BOOL: case TY_BYTE: return CF_OP_BASTORE;
    default: return CF_OP_AASTORE;
    }
}

static Type *unify(Gen *g, Type *a, Type *b)
{
    if (a == b || b->kind == TY_ERROR)
        return a;
    if (a->kind == TY_ERROR)
        return b;
    if (is_intlike(a) && is_intlike(b))
        return &g->cc->t_int;
    if (cc_is_numeric(a) && cc_is_numeric(b))
        return &g->cc->t_float;
    if (cc_is_ref(a) && cc_is_ref(b)) {
        if (cc_ref_assignable(g->cc, a, b))
            return b;
        if (cc_ref_assignable(g->cc, b, a))
            return a;
        return obj_type(g);
    }
    return NULL;
}

static Type *gen_arraylit(Gen *g, Expr *e, Type *expected)
{
    Cc *cc = g->cc;
    int base = g->depth;
    Buf *bufs = cc_alloc(cc, sizeof(Buf) * (size_t)(e->nargs + 1));
    Type **types = cc_alloc(cc, sizeof(Type *) * (size_t)(e->nargs + 1));
    Type *elem = expected && expected->kind == TY_ARRAY ? expected->elem : NULL;
    for (int i = 0; i < e->nargs; i++) {
        g->depth = base + 3;
        if (e->args[i]->kind == EX_ARRAYLIT) {
            Buf *saved = g->out;
            memset(&bufs[i], 0, sizeof(Buf));
            g->out = &bufs[i];
            types[i] = gen_arraylit(g, e->args[i], elem);
            g->out = saved;
        } else {
            types[i] = expr_to_buf(g, e->args[i], &bufs[i]);
        }
    }
    g->depth = base;
    if (!elem) {
        for (int i = 0; i < e->nargs; i++) {
            Type *u = elem ? unify(g, elem, types[i]) : types[i];
            if (!u) {
                g_error(g, e->args[i]->pos, "array elements of types %s and %s do not mix",
                        cc_type_name(cc, elem), cc_type_name(cc, types[i]));
                return &cc->t_error;
            }
            elem = u;
        }
        if (!elem) {
            g_error(g, e->pos, "cannot infer the type of an empty array literal");
            return &cc->t_error;
        }
        if (elem->kind == TY_NULL)
            elem = obj_type(g);
        if (elem->kind == TY_VOID) {
            g_error(g, e->pos, "array elements must have a value");
            return &cc->t_error;
        }
    }
    Type *at = cc_array_of(cc, elem);
    g_iconst(g, e->nargs);
    g_op16(g, CF_OP_NEWARRAY, cf_cp_class(g->cf, at->desc), 1, 1);
    for (int i = 0; i < e->nargs; i++) {
        g_op(g, CF_OP_DUP, 1, 2);
        g_iconst(g, i);
        if (e->args[i]->kind == EX_INT && elem->kind == TY_BYTE && e->args[i]->ival >= 0 &&
            e->args[i]->ival <= 255)
            types[i] = elem;
        put_buf(g, &bufs[i]);
        adjust(g, 0, 1);
        if (!convert(g, types[i], elem))
            mismatch(g, e->args[i]->pos, elem, types[i]);
        g_op(g, store_op(elem), 3, 0);
    }
    return at;
}

static Type *gen_index(Gen *g, Expr *e)
{
    Type *t = g_expr(g, e->a);
    g_expect(g, e->b, &g->cc->t_int);
    if (t->kind == TY_ERROR)
        return t;
    if (t->kind != TY_ARRAY) {
        g_error(g, e->pos, "cannot index a value of type %s", cc_type_name(g->cc, t));
        return &g->cc->t_error;
    }
    g_op(g, load_op(t->elem), 2, 1);
    return t->elem;
}

/* ---- assignment ------------------------------------------------------------------ */
typedef enum { LV_LOCAL, LV_STATIC, LV_FIELD, LV_ARRAY, LV_BAD } LvKind;

typedef struct Lvalue {
    LvKind kind;
    Type *type;
    Local *local;
    FieldInfo *field;
} Lvalue;

static bool let_ok(Gen *g, FieldInfo *fi)
{
    if (!(fi->flags & CF_ACC_FINAL))
        return true;
    if (fi->owner != g->ci)
        return false;
    return (fi->flags & CF_ACC_STATIC) ? g->is_clinit : g->is_init;
}

/* Emits the object (and index) part of an assignment target. */
static Lvalue gen_lvalue(Gen *g, Expr *e)
{
    Cc *cc = g->cc;
    Lvalue lv = {LV_BAD, &cc->t_error, NULL, NULL};
    const char *name = NULL;
    if (e->kind == EX_NAME) {
        name = e->str;
        Local *l = g_find_local(g, name);
        if (l) {
            if (l->is_let) {
                g_error(g, e->pos, "cannot assign to '%s': it is declared with let", name);
                return lv;
            }
            lv.kind = LV_LOCAL;
            lv.local = l;
            lv.type = l->type;
            return lv;
        }
        FieldInfo *fi = g->ci ? cc_find_field(cc, g->ci, name) : NULL;
        if (!fi) {
            g_error(g, e->pos, "unknown name '%s'", name);
            return lv;
        }
        lv.field = fi;
        if (!(fi->flags & CF_ACC_STATIC)) {
            if (g->is_static) {
                g_error(g, e->pos, "cannot use instance field '%s' in a static function", name);
                return lv;
            }
            g_op16(g, CF_OP_LOAD, 0, 0, 1);
        }
    } else if (e->kind == EX_FIELD) {
        name = e->str;
        ClassInfo *cls = class_name_of(g, e->a);
        FieldInfo *fi;
        if (cls) {
            fi = cc_find_field(cc, cls, name);
            if (fi && !(fi->flags & CF_ACC_STATIC)) {
                g_error(g, e->pos, "field '%s' of %s is not static", name, cls->simple);
                return lv;
            }
        } else {
            Type *t;
            if (e->a->kind == EX_SUPER) {
                g_op16(g, CF_OP_LOAD, 0, 0, 1);
                t = g->ci && g->ci->super ? g->ci->super->type : &cc->t_error;
            } else {
                t = g_expr(g, e->a);
            }
            if (t->kind == TY_ERROR)
                return lv;
            if (t->kind == TY_ARRAY && strcmp(name, "length") == 0) {
                g_error(g, e->pos, "cannot assign to the length of an array");
                return lv;
            }
            if (t->kind != TY_CLASS) {
                g_error(g, e->pos, "%s has no field '%s'", cc_type_name(cc, t), name);
                return lv;
            }
            cls = t->cls;
            fi = cc_find_field(cc, cls, name);
            if (fi && (fi->flags & CF_ACC_STATIC)) {
                g_error(g, e->pos, "static field '%s' must be accessed through its class %s",
                        name, fi->owner->simple);
                return lv;
            }
        }
        if (!fi) {
            g_error(g, e->pos, "no field '%s' in class %s", name, cls->simple);
            return lv;
        }
        lv.field = fi;
    } else if (e->kind == EX_INDEX) {
        Type *t = g_expr(g, e->a);
        g_expect(g, e->b, &cc->t_int);
        if (t->kind == TY_ERROR)
            return lv;
        if (t->kind != TY_ARRAY) {
            g_error(g, e->pos, "cannot index a value of type %s", cc_type_name(cc, t));
            return lv;
        }
        lv.kind = LV_ARRAY;
        lv.type = t->elem;
        return lv;
    } else {
        g_error(g, e->pos, "cannot assign to this expression");
        return lv;
    }
    FieldInfo *fi = lv.field;
    if (!check_private(g, e->pos, fi->owner, fi->flags, name))
        return lv;
    if (!let_ok(g, fi)) {
        g_error(g, e->pos, "cannot assign to '%s': it is declared with let", name);
        return lv;
    }
    lv.kind = (fi->flags & CF_ACC_STATIC) ? LV_STATIC : LV_FIELD;
    lv.type = fi->type;
    return lv;
}

static uint16_t field_ref(Gen *g, FieldInfo *fi)
{
    return cf_cp_field(g->cf, fi->owner->name, fi->name, fi->type->desc);
}

/* Reads the current value of a target whose object/index is on the stack
 * (duplicating them so the store can follow). */
static void lv_read(Gen *g, Lvalue *lv)
{
    switch (lv->kind) {
    case LV_LOCAL: g_op16(g, CF_OP_LOAD, lv->local->slot, 0, 1); break;
    case LV_STATIC: g_op16(g, CF_OP_GETSTATIC, field_ref(g, lv->field), 0, 1); break;
    case LV_FIELD:
        g_op(g, CF_OP_DUP, 1, 2);
        g_op16(g, CF_OP_GETFIELD, field_ref(g, lv->field), 1, 1);
        break;
    case LV_ARRAY:
        g_op(g, CF_OP_DUP2, 2, 4);
        g_op(g, load_op(lv->type), 2, 1);
        break;
    case LV_BAD: break;
    }
}

/* Duplicates the value on top so it remains after the store. */
static void lv_dup_value(Gen *g, Lvalue *lv)
{
    switch (lv->kind) {
    case LV_LOCAL: case LV_STATIC: g_op(g, CF_OP_DUP, 1, 2); break;
    case LV_FIELD: g_op(g, CF_OP_DUP_X1, 2, 3); break;
    case LV_ARRAY: g_op(g, CF_OP_DUP_X2, 3, 4); break;
    case LV_BAD: break;
    }
}

static void lv_write(Gen *g, Lvalue *lv)
{
    switch (lv->kind) {
    case LV_LOCAL:
        g_op16(g, CF_OP_STORE, lv->local->slot, 1, 0);
        break;
    case LV_STATIC: g_op16(g, CF_OP_PUTSTATIC, field_ref(g, lv->field), 1, 0); break;
    case LV_FIELD: g_op16(g, CF_OP_PUTFIELD, field_ref(g, lv->field), 2, 0); break;
    case LV_ARRAY: g_op(g, store_op(lv->type), 3, 0); break;
    case LV_BAD: break;
    }
}

static TokKind compound_base(TokKind k)
{
    switch (k) {
    case TK_PLUSEQ: return TK_PLUS;
    case TK_MINUSEQ: return TK_MINUS;
    case TK_STAREQ: return TK_STAR;
    case TK_SLASHEQ: return TK_SLASH;
    case TK_PERCENTEQ: return TK_PERCENT;
    case TK_AMPEQ: return TK_AMP;
    case TK_PIPEEQ: return TK_PIPE;
    case TK_CARETEQ: return TK_CARET;
    case TK_SHLEQ: return TK_SHL;
    case TK_SHREQ: return TK_SHR;
    case TK_USHREQ: return TK_USHR;
    default: return TK_EOF;
    }
}

static Type *arith(Gen *g, TokKind op, Type *ta, Type *tb, Buf *bb, Expr *ea, Expr *eb,
                   uint32_t pos);

static Type *gen_assign(Gen *g, Expr *e, bool want)
{
    Cc *cc = g->cc;
    Lvalue lv = gen_lvalue(g, e->a);
    if (lv.kind == LV_BAD) {
        g_expr(g, e->b);
        return &cc->t_error;
    }
    if (e->op == TK_ASSIGN) {
        g_expect(g, e->b, lv.type);
    } else {
        lv_read(g, &lv);
        Buf bb;
        Type *tb = expr_to_buf(g, e->b, &bb);
        g->depth--;
        Type *r = arith(g, compound_base(e->op), lv.type, tb, &bb, NULL, e->b, e->pos);
        if (r->kind != TY_ERROR && !(lv.type->kind == TY_BYTE && is_intlike(r)) &&
            !convert(g, r, lv.type))
            mismatch(g, e->pos, lv.type, r);
        if (lv.type->kind == TY_BYTE && is_intlike(r))
            g_op(g, CF_OP_I2B, 1, 1);
    }
    if (want)
        lv_dup_value(g, &lv);
    lv_write(g, &lv);
    return want ? lv.type : &cc->t_void;
}

static Type *gen_incdec(Gen *g, Expr *e, bool want)
{
    Cc *cc = g->cc;
    bool inc = e->kind == EX_PREINC || e->kind == EX_POSTINC;
    bool post = e->kind == EX_POSTINC || e->kind == EX_POSTDEC;
    Lvalue lv = gen_lvalue(g, e->a);
    if (lv.kind == LV_BAD)
        return &cc->t_error;
    if (!cc_is_numeric(lv.type)) {
        g_error(g, e->pos, "operator '%s' needs a number, found %s", inc ? "++" : "--",
                cc_type_name(cc, lv.type));
        return &cc->t_error;
    }
    if (lv.kind == LV_LOCAL && lv.type->kind == TY_INT) {
        if (want && post)
            g_op16(g, CF_OP_LOAD, lv.local->slot, 0, 1);
        g_iinc(g, lv.local->slot, inc ? 1 : -1);
        if (want && !post)
            g_op16(g, CF_OP_LOAD, lv.local->slot, 0, 1);
        return want ? lv.type : &cc->t_void;
    }
    lv_read(g, &lv);
    if (want && post)
        lv_dup_value(g, &lv);
    if (lv.type->kind == TY_FLOAT) {
        g_op16(g, CF_OP_LDC, cf_cp_float(g->cf, 1.0), 0, 1);
        g_op(g, inc ? CF_OP_FADD : CF_OP_FSUB, 2, 1);
    } else {
        g_iconst(g, 1);
        g_op(g, inc ? CF_OP_IADD : CF_OP_ISUB, 2, 1);
        if (lv.type->kind == TY_BYTE)
            g_op(g, CF_OP_I2B, 1, 1);
    }
    if (want && !post)
        lv_dup_value(g, &lv);
    lv_write(g, &lv);
    return want ? lv.type : &cc->t_void;
}

/* ---- operators ------------------------------------------------------------------- */
static const char *opname(TokKind k) { return cc_tok_name(k); }

static bool bad_operands(Gen *g, TokKind op, Type *a, Type *b, uint32_t pos)
{
    if (a->kind == TY_ERROR || b->kind == TY_ERROR)
        return true;
    g_error(g, pos, "operator '%s' cannot be applied to %s and %s", opname(op),
            cc_type_name(g->cc, a), cc_type_name(g->cc, b));
    return true;
}

/* The left operand (type [ta]) is on the stack; [bb] holds the right one.
 * Emits the operation and returns its type. */
static Type *arith(Gen *g, TokKind op, Type *ta, Type *tb, Buf *bb, Expr *ea, Expr *eb,
                   uint32_t pos)
{
    Cc *cc = g->cc;
    if (op == TK_PLUS && (cc_is_string(cc, ta) || cc_is_string(cc, tb))) {
        if (ta->kind == TY_VOID || tb->kind == TY_VOID) {
            bad_operands(g, op, ta, tb, pos);
            return &cc->t_error;
        }
        to_string(g, ta, ea);
        put_buf(g, bb);
        adjust(g, 0, 1);
        to_string(g, tb, eb);
        concat(g);
        return str_type(g);
    }
    if (ta->kind == TY_ERROR || tb->kind == TY_ERROR) {
        put_buf(g, bb);
        return &cc->t_error;
    }
    bool ints = is_intlike(ta) && is_intlike(tb);
    bool nums = cc_is_numeric(ta) && cc_is_numeric(tb);
    bool bools = ta->kind == TY_BOOL && tb->kind == TY_BOOL;
    int iop = -1, fop = -1;
    switch (op) {
    case TK_PLUS: iop = CF_OP_IADD; fop = CF_OP_FADD; break;
    case TK_MINUS: iop = CF_OP_ISUB; fop = CF_OP_FSUB; break;
    case TK_STAR: iop = CF_OP_IMUL; fop = CF_OP_FMUL; break;
    case TK_SLASH: iop = CF_OP_IDIV; fop = CF_OP_FDIV; break;
    case TK_PERCENT: iop = CF_OP_IREM; fop = CF_OP_FREM; break;
    case TK_AMP: iop = CF_OP_IAND; break;
    case TK_PIPE: iop = CF_OP_IOR; break;
    case TK_CARET: iop = CF_OP_IXOR; break;
    case TK_SHL: iop = CF_OP_ISHL; break;
    case TK_SHR: iop = CF_OP_ISHR; break;
    case TK_USHR: iop = CF_OP_IUSHR; break;
    case TK_LT: iop = CF_OP_ILT; fop = CF_OP_FLT; break;
    case TK_LE: iop = CF_OP_ILE; fop = CF_OP_FLE; break;
    case TK_GT: iop = CF_OP_IGT; fop = CF_OP_FGT; break;
    case TK_GE: iop = CF_OP_IGE; fop = CF_OP_FGE; break;
    case TK_EQ: iop = CF_OP_IEQ; fop = CF_OP_FEQ; break;
    case TK_NE: iop = CF_OP_INE; fop = CF_OP_FNE; break;
    default: break;
    }
    bool cmp = op == TK_LT || op == TK_LE || op == TK_GT || op == TK_GE || op == TK_EQ ||
               op == TK_NE;
    bool bitwise = op == TK_AMP || op == TK_PIPE || op == TK_CARET;
    if (bools && (bitwise || op == TK_EQ || op == TK_NE)) {
        put_buf(g, bb);
        adjust(g, 0, 1);
        g_op(g, iop, 2, 1);
        return &cc->t_bool;
    }
    if (ints && iop >= 0) {
        put_buf(g, bb);
        adjust(g, 0, 1);
        g_op(g, iop, 2, 1);
        return cmp ? &cc->t_bool : &cc->t_int;
    }
    if (nums && fop >= 0) {
        if (is_intlike(ta))
            g_op(g, CF_OP_I2F, 1, 1);
        put_buf(g, bb);
        adjust(g, 0, 1);
        if (is_intlike(tb))
            g_op(g, CF_OP_I2F, 1, 1);
        g_op(g, fop, 2, 1);
        return cmp ? &cc->t_bool : &cc->t_float;
    }
    put_buf(g, bb);
    adjust(g, 0, 1);
    bad_operands(g, op, ta, tb, pos);
    return &cc->t_error;
}

/* a == b on references: null-safe equals. */
static void ref_equals(Gen *g, Buf *bb)
{
    Type *obj = obj_type(g);
    Type *I = &g->cc->t_int;
    uint16_t ta = g_temp(g, obj), tb = g_temp(g, obj);
    g_op16(g, CF_OP_STORE, ta, 1, 0);
    put_buf(g, bb);
    adjust(g, 0, 1);
    g_op16(g, CF_OP_STORE, tb, 1, 0);
    g_op16(g, CF_OP_LOAD, ta, 0, 1);
    g_op(g, CF_OP_ACONST_NULL, 0, 1);
    g_op(g, CF_OP_AEQ, 2, 1);
    g_open(g, CF_OP_IF, I);
    g_op16(g, CF_OP_LOAD, tb, 0, 1);
    g_op(g, CF_OP_ACONST_NULL, 0, 1);
    g_op(g, CF_OP_AEQ, 2, 1);
    g_else(g);
    g_op16(g, CF_OP_LOAD, tb, 0, 1);
    g_op(g, CF_OP_ACONST_NULL, 0, 1);
    g_op(g, CF_OP_AEQ, 2, 1);
    g_open(g, CF_OP_IF, I);
    g_iconst(g, 0);
    g_else(g);
    g_op16(g, CF_OP_LOAD, ta, 0, 1);
    g_op16(g, CF_OP_LOAD, tb, 0, 1);
    g_op16(g, CF_OP_INVOKEVIRTUAL,
           cf_cp_method(g->cf, "std/core/Object", "equals", "(Lstd/core/Object;)Z"), 2, 1);
    g_end(g);
    g_end(g);
    g_free_temp(g, ta);
    g_free_temp(g, tb);
}

static bool comparable_refs(Gen *g, Type *a, Type *b)
{
    if (cc_ref_assignable(g->cc, a, b) || cc_ref_assignable(g->cc, b, a))
        return true;
    /* an interface may be implemented by a subclass of the other side */
    return (a->kind == TY_CLASS && (a->cls->flags & CF_ACC_INTERFACE)) ||
           (b->kind == TY_CLASS && (b->cls->flags & CF_ACC_INTERFACE));
}

static Type *gen_binary(Gen *g, Expr *e)
{
    Cc *cc = g->cc;
    TokKind op = e->op;
    if (op == TK_ANDAND || op == TK_OROR) {
        g_expect(g, e->a, &cc->t_bool);
        g_open(g, CF_OP_IF, &cc->t_int);
        if (op == TK_ANDAND) {
            g_expect(g, e->b, &cc->t_bool);
            g_else(g);
            g_iconst(g, 0);
        } else {
            g_iconst(g, 1);
            g_else(g);
            g_expect(g, e->b, &cc->t_bool);
        }
        g_end(g);
        return &cc->t_bool;
    }
    Type *ta = g_expr(g, e->a);
    Buf bb;
    Type *tb = expr_to_buf(g, e->b, &bb);
    g->depth--;
    if (op == TK_EQEQEQ || op == TK_NEEQEQ || ((op == TK_EQ || op == TK_NE) &&
                                               cc_is_ref(ta) && cc_is_ref(tb))) {
        put_buf(g, &bb);
        adjust(g, 0, 1);
        if (!cc_is_ref(ta) || !cc_is_ref(tb)) {
            if (ta->kind != TY_ERROR && tb->kind != TY_ERROR)
                g_error(g, e->pos, "operator '%s' needs references, found %s and %s",
                        opname(op), cc_type_name(cc, ta), cc_type_name(cc, tb));
            return &cc->t_error;
        }
        if (!comparable_refs(g, ta, tb)) {
            bad_operands(g, op, ta, tb, e->pos);
            return &cc->t_error;
        }
        bool identity = op == TK_EQEQEQ || op == TK_NEEQEQ || ta->kind == TY_NULL ||
                        tb->kind == TY_NULL;
        bool eq = op == TK_EQEQEQ || op == TK_EQ;
        if (identity) {
            g_op(g, eq ? CF_OP_AEQ : CF_OP_ANE, 2, 1);
        } else {
            /* undo the right operand: ref_equals places it itself */
            g->out->len -= bb.len;
            g->depth--;
            ref_equals(g, &bb);
            if (!eq)
                g_op(g, CF_OP_EQZ, 1, 1);
        }
        return &cc->t_bool;
    }
    return arith(g, op, ta, tb, &bb, e->a, e->b, e->pos);
}

static Type *gen_unary(Gen *g, Expr *e)
{
    Cc *cc = g->cc;
    Type *t = g_expr(g, e->a);
    if (t->kind == TY_ERROR)
        return t;
    switch (e->op) {
    case TK_MINUS:
        if (is_intlike(t)) {
            g_op(g, CF_OP_INEG, 1, 1);
            return &cc->t_int;
        }
        if (t->kind == TY_FLOAT) {
            g_op(g, CF_OP_FNEG, 1, 1);
            return t;
        }
        break;
    case TK_BANG:
        if (t->kind == TY_BOOL) {
            g_op(g, CF_OP_EQZ, 1, 1);
            return t;
        }
        break;
    case TK_TILDE:
        if (is_intlike(t)) {
            g_iconst(g, -1);
            g_op(g, CF_OP_IXOR, 2, 1);
            return &cc->t_int;
        }
        break;
    default:
        break;
    }
    g_error(g, e->pos, "operator '%s' cannot be applied to %s", opname(e->op),
            cc_type_name(cc, t));
    return &cc->t_error;
}

static Type *gen_cond(Gen *g, Expr *e)
{
    Cc *cc = g->cc;
    g_expect(g, e->a, &cc->t_bool);
    int base = g->depth - 1;
    g->depth = base;
    Buf bb, bc;
    Type *tb = expr_to_buf(g, e->b, &bb);
    g->depth = base;
    Type *tc = expr_to_buf(g, e->c, &bc);
    g->depth = base + 1;
    Type *t = unify(g, tb, tc);
    if (!t || t->kind == TY_VOID) {
        g_error(g, e->pos, "the branches of '?:' have incompatible types %s and %s",
                cc_type_name(cc, tb), cc_type_name(cc, tc));
        t = &cc->t_error;
    }
    if (t->kind == TY_NULL)
        t = obj_type(g);
    g_open(g, CF_OP_IF, t);
    put_buf(g, &bb);
    adjust(g, 0, 1);
    convert(g, tb, t);
    g_else(g);
    put_buf(g, &bc);
    adjust(g, 0, 1);
    convert(g, tc, t);
    g_end(g);
    return t;
}

static Type *gen_is_as(Gen *g, Expr *e)
{
    Cc *cc = g->cc;
    Type *t = g_expr(g, e->a);
    Type *to = cc_resolve_type(cc, g->f, e->tref);
    if (t->kind == TY_ERROR || to->kind == TY_ERROR)
        return e->kind == EX_IS ? &cc->t_bool : to;
    if (e->kind == EX_IS) {
        if (!cc_is_ref(t) || !cc_is_ref(to) || to->kind == TY_NULL) {
            g_error(g, e->pos, "operator 'is' needs a reference and a class or array type, "
                    "found %s and %s", cc_type_name(cc, t), cc_type_name(cc, to));
            return &cc->t_error;
        }
        g_op16(g, CF_OP_INSTANCEOF, cf_cp_class(g->cf, to->kind == TY_ARRAY ? to->desc
                                                                           : to->cls->name),
               1, 1);
        return &cc->t_bool;
    }
    if (cc_is_numeric(t) && cc_is_numeric(to)) {
        if (t == to || (t->kind == TY_BYTE && to->kind == TY_INT))
            return to;
        if (to->kind == TY_FLOAT) {
            g_op(g, CF_OP_I2F, 1, 1);
        } else if (to->kind == TY_INT) {
            g_op(g, CF_OP_F2I, 1, 1);
        } else {
            if (t->kind == TY_FLOAT)
                g_op(g, CF_OP_F2I, 1, 1);
            g_op(g, CF_OP_I2B, 1, 1);
        }
        return to;
    }
    if (t == to)
        return to;
    if (cc_is_ref(t) && cc_is_ref(to) && to->kind != TY_NULL) {
        if (cc_ref_assignable(cc, t, to))
            return to;
        if (cc_ref_assignable(cc, to, t) || comparable_refs(g, t, to)) {
            g_op16(g, CF_OP_CHECKCAST,
                   cf_cp_class(g->cf, to->kind == TY_ARRAY ? to->desc : to->cls->name), 1, 1);
            return to;
        }
    }
    g_error(g, e->pos, "cannot convert %s to %s", cc_type_name(cc, t), cc_type_name(cc, to));
    return &cc->t_error;
}

static Type *gen_interp(Gen *g, Expr *e)
{
    if (e->nargs == 0) {
        g_op16(g, CF_OP_LDC, cf_cp_string(g->cf, "", 0), 0, 1);
        return str_type(g);
    }
    for (int i = 0; i < e->nargs; i++) {
        Type *t = g_expr(g, e->args[i]);
        to_string(g, t, e->args[i]);
        if (i > 0)
            concat(g);
    }
    return str_type(g);
}

Type *g_expr(Gen *g, Expr *e)
{
    Cc *cc = g->cc;
    switch (e->kind) {
    case EX_INT:
        g_iconst(g, e->ival);
        return &cc->t_int;
    case EX_FLOAT:
        g_op16(g, CF_OP_LDC, cf_cp_float(g->cf, e->fval), 0, 1);
        return &cc->t_float;
    case EX_BOOL:
        g_iconst(g, e->ival);
        return &cc->t_bool;
    case EX_NULL:
        g_op(g, CF_OP_ACONST_NULL, 0, 1);
        return &cc->t_null;
    case EX_STRING:
        g_op16(g, CF_OP_LDC, cf_cp_string(g->cf, e->str, e->slen), 0, 1);
        return str_type(g);
    case EX_INTERP:
        return gen_interp(g, e);
    case EX_NAME:
        return gen_name(g, e);
    case EX_THIS:
        if (g->is_static || !g->ci) {
            g_error(g, e->pos, "'this' cannot be used in a static function");
            return &cc->t_error;
        }
        g_op16(g, CF_OP_LOAD, 0, 0, 1);
        return g->ci->type;
    case EX_SUPER:
        g_error(g, e->pos, "'super' must be followed by '.' and a member");
        return &cc->t_error;
    case EX_FIELD:
        return gen_member(g, e);
    case EX_CALL:
        return gen_call(g, e);
    case EX_INDEX:
        return gen_index(g, e);
    case EX_NEW:
        return gen_new(g, e);
    case EX_NEWARRAY: {
        g_expect(g, e->a, &cc->t_int);
        Type *t = cc_resolve_type(cc, g->f, e->tref);
        if (t->kind == TY_ERROR)
            return t;
        if (t->elem->kind == TY_VOID) {
            g_error(g, e->pos, "cannot create an array of void");
            return &cc->t_error;
        }
        g_op16(g, CF_OP_NEWARRAY, cf_cp_class(g->cf, t->desc), 1, 1);
        return t;
    }
    case EX_ARRAYLIT:
        return gen_arraylit(g, e, NULL);
    case EX_UNARY:
        return gen_unary(g, e);
    case EX_PREINC: case EX_PREDEC: case EX_POSTINC: case EX_POSTDEC:
        return gen_incdec(g, e, true);
    case EX_BINARY:
        return gen_binary(g, e);
    case EX_ASSIGN:
        return gen_assign(g, e, true);
    case EX_COND:
        return gen_cond(g, e);
    case EX_IS: case EX_AS:
        return gen_is_as(g, e);
    }
    return &cc->t_error;
}

void g_discard(Gen *g, Expr *e)
{
    switch (e->kind) {
    case EX_ASSIGN:
        gen_assign(g, e, false);
        return;
    case EX_PREINC: case EX_PREDEC: case EX_POSTINC: case EX_POSTDEC:
        gen_incdec(g, e, false);
        return;
    case EX_CALL:
    case EX_NEW: {
        Type *t = g_expr(g, e);
        if (t->kind != TY_VOID && t->kind != TY_ERROR)
            g_op(g, CF_OP_POP, 1, 0);
        return;
    }
    default:
        g_error(g, e->pos, "this expression is not a statement");
        return;
    }
}
