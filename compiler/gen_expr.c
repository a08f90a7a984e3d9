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

void g_catch(Gen *g, uint16_t cls)
{
    g_op16(g, CF_OP_CATCH, cls, 0, 0);
    g->depth = g->regions[g->nest - 1].h;
    adjust(g, 0, 1);
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

void g_br_table(Gen *g, int n, const int *levels, int def_level)
{
    put8(g, CF_OP_BR_TABLE);
    put16(g, (uint16_t)n);
    for (int i = 0; i < n; i++)
        put16(g, (uint16_t)(g->nest - 1 - levels[i]));
    put16(g, (uint16_t)(g->nest - 1 - def_level));
    adjust(g, 1, 0);
    g->last_op = CF_OP_BR_TABLE;
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

static bool is_prim(Type *t)
{
    return t->kind == TY_INT || t->kind == TY_FLOAT || t->kind == TY_BOOL || t->kind == TY_BYTE;
}

/* Boxes the primitive of type [t] on the stack. */
static void box(Gen *g, Type *t)
{
    ClassInfo *b = cc_box_class(g->cc, t);
    if (!b)
        return;
    const char *d = cc_printf(g->cc, "(%s)L%s;", t->kind == TY_BYTE ? "I" : t->desc, b->name);
    g_op16(g, CF_OP_INVOKESTATIC, cf_cp_method(g->cf, b->name, "of", d), 1, 1);
}

/* Unboxes the reference on the stack into a [prim] (checkcast, then the value field). */
static void unbox(Gen *g, Type *prim)
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
static Type *unboxes_to(Gen *g, Type *t)
{
    if (t->kind != TY_CLASS)
        return NULL;
    return cc_unboxed(g->cc, t->cls);
}

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
    if (cc_is_ref(from) && cc_is_ref(to) &&
        (cc_ref_assignable(g->cc, from, to) || !g->lenient))
        return cc_ref_assignable(g->cc, from, to);
    if (is_prim(from) && cc_is_ref(to) && to->kind != TY_NULL) {
        ClassInfo *b = cc_box_class(g->cc, from);
        if (b && cc_ref_assignable(g->cc, b->type, to)) {
            box(g, from);
            return true;
        }
        return false;
    }
    if (g->lenient && cc_is_ref(from) && from->kind != TY_NULL) {
        if (is_prim(to) && cc_box_class(g->cc, to)) {
            unbox(g, to);
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
    Type *u = cc_is_ref(from) ? unboxes_to(g, from) : NULL;
    if (u && is_prim(to)) {
        if (u == to || (u->kind == TY_INT && to->kind == TY_FLOAT)) {
            unbox(g, u);
            if (u != to)
                g_op(g, CF_OP_I2F, 1, 1);
            return true;
        }
    }
    return false;
}

/* After a call or a field read whose declared (generic) type is [decl], the
 * value on the stack has [decl]'s erasure: casts or unboxes it to [actual]. */
Type *g_from_erased(Gen *g, Type *decl, Type *actual);
void g_to_erased(Gen *g, Type *decl, Type *actual);

static bool fun_erasure_differs(Cc *cc, Type *a, Type *b);
static void adapt_fun(Gen *g, Type *have, Type *target, Type *decl);

/* fun(A): R with each part erased. */
static Type *erased_fun(Cc *cc, Type *f)
{
    Type **ps = cc_alloc(cc, sizeof(Type *) * (size_t)(f->nargs + 1));
    for (int i = 0; i < f->nargs; i++)
        ps[i] = cc_erasure(cc, f->args[i]);
    return cc_fun_type(cc, ps, f->nargs, cc_erasure(cc, f->ret));
}

static Type *from_erased(Gen *g, Type *decl, Type *actual)
{
    Cc *cc = g->cc;
    if (decl == actual || actual->kind == TY_VOID || actual->kind == TY_ERROR)
        return actual;
    if (fun_erasure_differs(cc, decl, actual)) {
        /* the value implements decl's erasure; callers will use actual's */
        adapt_fun(g, erased_fun(cc, decl), actual, actual);
        return actual;
    }
    Type *er = cc_erasure(cc, decl);
    if (is_prim(actual) && cc_is_ref(er)) {
        unbox(g, actual);
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
static void to_erased(Gen *g, Type *decl, Type *actual)
{
    if (is_prim(actual) && cc_is_ref(cc_erasure(g->cc, decl)))
        box(g, actual);
    else if (fun_erasure_differs(g->cc, actual, decl))
        adapt_fun(g, actual, actual, decl);
}

static void mismatch(Gen *g, uint32_t pos, Type *expected, Type *found)
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

static Type *gen_arraylit(Gen *g, Expr *e, Type *expected);
static Type *gen_new_to(Gen *g, Expr *e, Type *expected);

void g_expect(Gen *g, Expr *e, Type *to)
{
    if (e->kind == EX_INT && to->kind == TY_BYTE && e->ival >= 0 && e->ival <= 255) {
        g_iconst(g, e->ival);
        return;
    }
    if (e->kind == EX_LAMBDA) {
        Type *t = g_lambda(g, e, to->kind == TY_FUN ? to : NULL, NULL);
        if (!convert(g, t, to))
            mismatch(g, e->pos, to, t);
        return;
    }
    Type *t = e->kind == EX_ARRAYLIT ? gen_arraylit(g, e, to)
              : e->kind == EX_NEW     ? gen_new_to(g, e, to)
                                      : g_expr(g, e);
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
static FieldInfo *cell_field(Gen *g, Type *t)
{
    FieldInfo *fi = cc_alloc(g->cc, sizeof *fi);
    fi->name = "value";
    fi->owner = cell_class(g, t);
    switch (t->kind) {
    case TY_INT: case TY_BYTE: fi->type = &g->cc->t_int; break;
    case TY_FLOAT: fi->type = &g->cc->t_float; break;
    case TY_BOOL: fi->type = &g->cc->t_bool; break;
    default: fi->type = obj_type(g); break;
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
static const char *holder_desc(Gen *g, Local *l)
{
    if (l->celled)
        return cc_printf(g->cc, "L%s;", cell_class(g, l->type)->name);
    return cc_erasure(g->cc, l->type)->desc;
}

/* Pushes what holds [l]: its value, or its cell when celled. */
static void load_holder(Gen *g, Local *l)
{
    if (l->cap_field) {
        g_op16(g, CF_OP_LOAD, 0, 0, 1);
        g_op16(g, CF_OP_GETFIELD, cf_cp_field(g->cf, g->lam->cls, l->cap_field,
                                              holder_desc(g, l)), 1, 1);
        if (!l->celled)
            g_from_erased(g, cc_erasure(g->cc, l->type), l->type);
    } else {
        g_op16(g, CF_OP_LOAD, l->slot, 0, 1);
    }
}

static Type *load_local(Gen *g, Local *l)
{
    load_holder(g, l);
    if (l->celled) {
        FieldInfo *fi = cell_field(g, l->type);
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
    Type *t = g->ci ? g->ci->type : obj_type(g);
    g_op16(g, CF_OP_GETFIELD, cf_cp_field(g->cf, g->lam->cls, "this$0", t->desc), 1, 1);
}

void g_init_local(Gen *g, Local *l)
{
    if (!l->celled) {
        g_op16(g, CF_OP_STORE, l->slot, 1, 0);
        return;
    }
    FieldInfo *fi = cell_field(g, l->type);
    g_op16(g, CF_OP_LOAD, l->slot, 0, 1);
    g_op(g, CF_OP_SWAP, 2, 2);
    g_op16(g, CF_OP_PUTFIELD, cf_cp_field(g->cf, fi->owner->name, "value", fi->type->desc),
           2, 0);
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

/* The type of field [fi] read through a receiver of type [recv] (NULL: static). */
static Type *field_type(Gen *g, FieldInfo *fi, Type *recv)
{
    if (!recv || fi->owner->ntparams == 0)
        return fi->type;
    Binding b = {0};
    cc_bind_receiver(g->cc, &b, recv, fi->owner);
    return cc_subst(g->cc, fi->type, &b);
}

static void get_field_op(Gen *g, FieldInfo *fi, bool have_obj);
static void put_field_op(Gen *g, FieldInfo *fi);

static Type *load_field(Gen *g, FieldInfo *fi, bool have_obj, Type *recv)
{
    get_field_op(g, fi, have_obj);
    return from_erased(g, fi->type, field_type(g, fi, recv));
}

/* A receiver's type for member lookup: type variables stand for their bounds. */
static Type *lookup_type(Type *t)
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

static Type *gen_name(Gen *g, Expr *e)
{
    Local *l = g_find_local(g, e->str);
    if (l)
        return load_local(g, l);
    FieldInfo *fi = g->ci ? cc_find_field(g->cc, g->ci, e->str) : NULL;
    if (fi) {
        check_private(g, e->pos, fi->owner, fi->flags, fi->name);
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

static Type *gen_member(Gen *g, Expr *e)
{
    Cc *cc = g->cc;
    ClassInfo *cls = class_name_of(g, e->a);
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
        check_private(g, e->pos, fi->owner, fi->flags, fi->name);
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
        check_private(g, e->pos, fi->owner, fi->flags, fi->name);
        g_load_this(g);
        return load_field(g, fi, true, g->ci->super_t ? g->ci->super_t : g->ci->super->type);
    }
    Type *t0 = g_expr(g, e->a);
    Type *t = lookup_type(t0);
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
    check_private(g, e->pos, fi->owner, fi->flags, fi->name);
    if (fi->flags & CF_ACC_STATIC) {
        g_error(g, e->pos, "static field '%s' must be accessed through its class %s", e->str,
                fi->owner->simple);
        return &cc->t_error;
    }
    return load_field(g, fi, true, t);
}

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
    if (is_intlike(a) && p->kind == TY_FLOAT)
        return 1;
    if (cc_is_ref(a) && cc_is_ref(p) && cc_ref_assignable(g->cc, a, p))
        return a->kind == p->kind && cc_same_type(g->cc, a, p) ? 0 : 2;
    if (is_prim(a) && cc_is_ref(p)) {
        ClassInfo *b = cc_box_class(g->cc, a);
        return b && cc_ref_assignable(g->cc, b->type, p) ? 3 : -1;
    }
    Type *u = unboxes_to(g, a);
    if (u && is_prim(p) && (u == p || (u->kind == TY_INT && p->kind == TY_FLOAT)))
        return 3;
    return -1;
}

typedef struct ArgSet {
    Buf *bufs;
    Type **types;   /* NULL: a lambda, generated once its target type is known */
    Expr **exprs;
    int n;
    int peak;     /* highest stack depth reached while generating them */
    int base;     /* stack depth before them */
} ArgSet;

/* A candidate with its type variables replaced. */
typedef struct Cand {
    MethodInfo *m;
    Binding b;
    Type **sp;      /* parameter types after substitution, one per argument */
    int nsp;
    bool spread;    /* varargs: trailing arguments go into an array */
} Cand;

static int arg_fit(Gen *g, ArgSet *as, int i, Type *p)
{
    if (!as->types[i])
        return fit_lambda(p, as->exprs[i]->nargs);
    return fit(g, as->types[i], p);
}

/* Is candidate [x] at least as good as [y] for every argument? */
static bool as_good(Gen *g, Cand *x, Cand *y, ArgSet *as)
{
    if (x->spread != y->spread)
        return !x->spread;
    for (int i = 0; i < as->n; i++) {
        int fx = arg_fit(g, as, i, x->sp[i]), fy = arg_fit(g, as, i, y->sp[i]);
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
            cc_bind(cc, b, p, obj_type(g));
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

static int store_op(Type *elem);

/* Fills [c] for method [m] called with [as] through a receiver binding
 * [recv]; [ivars] are the variables to infer. false if the count is wrong. */
static bool make_cand(Gen *g, MethodInfo *m, ArgSet *as, const Binding *recv, Type **ivars,
                      int niv, Cand *c, bool force_spread)
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
        for (int i = 0; i < n; i++)
            infer(g, ps[i], as->types[i], &c->b, iv, nv, 0);
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
                            infer(g, ps[i]->args[k], pt, &c->b, iv, nv, 0);
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
                infer(g, ps[i]->ret, lt->ret, &c->b, iv, nv, 0);
        }
        for (int i = 0; i < nv; i++)
            if (!cc_bound_of(&c->b, iv[i]))
                cc_bind(cc, &c->b, iv[i], cc_subst(cc, iv[i]->bound, &c->b));
    }
    for (int i = 0; i < n; i++)
        ps[i] = cc_subst(cc, ps[i], &c->b);
    c->sp = ps;
    c->nsp = n;
    c->spread = spread;
    return true;
}

static bool applicable(Gen *g, Cand *c, ArgSet *as)
{
    for (int k = 0; k < as->n; k++)
        if (arg_fit(g, as, k, c->sp[k]) < 0)
            return false;
    return true;
}

static bool choose(Gen *g, MethodInfo **c, int n, ArgSet *as, const char *name, uint32_t pos,
                   const Binding *recv, Type **ivars, int niv, Cand *out)
{
    Cc *cc = g->cc;
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
        if (make_cand(g, c[i], as, recv, ivars, niv, &same[ns], false))
            ns++;
        /* f(x) for f(xs: T...): x may be the array or its only element */
        if (c[i]->varargs && c[i]->nparams == nargs &&
            make_cand(g, c[i], as, recv, ivars, niv, &same[ns], true))
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
                if (arg_fit(g, as, k, same[0].sp[k]) < 0) {
                    if (as->types[k])
                        mismatch(g, as->exprs[k]->pos, same[0].sp[k], as->types[k]);
                    else
                        g_error(g, as->exprs[k]->pos, "a lambda with %d parameter%s cannot "
                                "be %s", as->exprs[k]->nargs,
                                as->exprs[k]->nargs == 1 ? "" : "s",
                                cc_type_name(cc, same[0].sp[k]));
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
            return true;
        }
    }
    g_error(g, pos, "call to '%s' is ambiguous for arguments %s", name,
            arg_list(g, as->types, nargs));
    return false;
}

static void gen_args(Gen *g, Expr **args, int n, ArgSet *as)
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
        as->types[i] = expr_to_buf(g, args[i], &as->bufs[i]);
    }
    as->peak = g->max_depth;
    g->max_depth = saved_max;
    g->depth = as->base;
}

static bool fun_erasure_differs(Cc *cc, Type *a, Type *b)
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
static void adapt_fun(Gen *g, Type *have, Type *target, Type *decl)
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

static void put_one(Gen *g, ArgSet *as, int i, Type *target, Type *decl)
{
    if (!as->types[i]) {
        g_lambda(g, as->exprs[i], target, decl);
        return;
    }
    put_buf(g, &as->bufs[i]);
    adjust(g, 0, 1);
    convert(g, as->types[i], target);
    to_erased(g, decl, as->types[i]->kind == TY_FUN ? as->types[i] : target);
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
    for (int i = 0; i < fixed; i++)
        put_one(g, as, i, c->sp[i], m->params[i]);
    if (!c->spread)
        return;
    Type *at = cc_erasure(g->cc, m->params[m->nparams - 1]);
    Type *elem_decl = m->params[m->nparams - 1]->elem;
    g_iconst(g, as->n - fixed);
    g_op16(g, CF_OP_NEWARRAY, cf_cp_class(g->cf, at->desc), 1, 1);
    for (int i = fixed; i < as->n; i++) {
        g_op(g, CF_OP_DUP, 1, 2);
        g_iconst(g, i - fixed);
        put_one(g, as, i, c->sp[i], elem_decl);
        g_op(g, store_op(at->elem), 3, 0);
    }
}

/* A static method of [owner] through which a lambda class reaches one of its
 * private members (made once per member and kind). */
static MethodInfo *accessor(Gen *g, ClassInfo *owner, int kind, MethodInfo *m, FieldInfo *fi)
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
    a->name = cc_printf(cc, "access$%s$%d", m ? m->name : fi->name, owner->nmethods);
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
static void call_accessor(Gen *g, MethodInfo *a)
{
    g_op16(g, CF_OP_INVOKESTATIC, cf_cp_method(g->cf, a->owner->name, a->name, a->desc),
           a->nparams, a->ret->kind == TY_VOID ? 0 : 1);
}

static bool needs_accessor(Gen *g, uint16_t flags, ClassInfo *owner)
{
    return g->lam && (flags & CF_ACC_PRIVATE) && owner->from_source;
}

static Type *invoke(Gen *g, int op, Cand *c)
{
    MethodInfo *m = c->m;
    if (needs_accessor(g, m->flags, m->owner)) {
        call_accessor(g, accessor(g, m->owner, ACCESS_CALL, m, NULL));
    } else {
        uint16_t idx = cf_cp_method(g->cf, m->owner->name, m->name, m->desc);
        int pops = m->nparams + ((m->flags & CF_ACC_STATIC) ? 0 : 1);
        g_op16(g, op, idx, pops, m->ret->kind == TY_VOID ? 0 : 1);
    }
    if (g->discard_result) {
        /* the statement pops the value: no unboxing (a null T is fine), no cast */
        g->discard_result = false;
        return m->ret->kind == TY_VOID ? m->ret : cc_erasure(g->cc, m->ret);
    }
    return from_erased(g, m->ret, cc_subst(g->cc, m->ret, &c->b));
}

/* getfield / getstatic, through an accessor inside a lambda for a private field */
static void get_field_op(Gen *g, FieldInfo *fi, bool have_obj)
{
    bool st = (fi->flags & CF_ACC_STATIC) != 0;
    if (needs_accessor(g, fi->flags, fi->owner)) {
        call_accessor(g, accessor(g, fi->owner, ACCESS_GET, NULL, fi));
        return;
    }
    uint16_t idx = cf_cp_field(g->cf, fi->owner->name, fi->name, fi->type->desc);
    g_op16(g, st ? CF_OP_GETSTATIC : CF_OP_GETFIELD, idx, st ? 0 : have_obj ? 1 : 0, 1);
}

static void put_field_op(Gen *g, FieldInfo *fi)
{
    bool st = (fi->flags & CF_ACC_STATIC) != 0;
    if (needs_accessor(g, fi->flags, fi->owner)) {
        call_accessor(g, accessor(g, fi->owner, ACCESS_SET, NULL, fi));
        return;
    }
    uint16_t idx = cf_cp_field(g->cf, fi->owner->name, fi->name, fi->type->desc);
    g_op16(g, st ? CF_OP_PUTSTATIC : CF_OP_PUTFIELD, idx, st ? 1 : 2, 0);
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
        if (arg_fit(g, &as, i, ft->args[i]) < 0) {
            if (as.types[i])
                mismatch(g, e->args[i]->pos, ft->args[i], as.types[i]);
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
    g_op16(g, CF_OP_CALLFN, g_utf8(g, d), ft->nargs + 1, ft->ret->kind == TY_VOID ? 0 : 1);
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
        if (!choose(g, views, nv, &as, name, callee->pos, NULL, NULL, 0, &c))
            return &cc->t_error;
        put_args(g, &as, &c, 1);
        g->discard_result = discard;
        Type *r = invoke(g, CF_OP_INVOKESTATIC, &c);
        adjust(g, 1, 0);   /* the receiver was the hidden first argument */
        return r;
    }
    if (!instance) {
        g_error(g, callee->pos, "no method '%s' for %s (in class %s)", name,
                cc_type_name(cc, t), bc->simple);
        g_suggest_member(g, bc, name, true);
        return &cc->t_error;
    }
    box(g, t);
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
    if (!choose(g, inst, ni, &as, name, callee->pos, &rb, NULL, 0, &c))
        return &cc->t_error;
    put_args(g, &as, &c, 0);
    g->discard_result = discard;
    return invoke(g, invoke_op(c.m), &c);
}

static Type *gen_call(Gen *g, Expr *e)
{
    bool discard = g->discard_call == e;
    g->discard_call = NULL;
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
        if (!explicit_targs(g, e, name, &cands, &n, &rb))
            return &cc->t_error;
        gen_args(g, e->args, e->nargs, &as);
        if (!choose(g, cands, n, &as, name, callee->pos, &rb, NULL, 0, &c))
            return &cc->t_error;
        MethodInfo *m = c.m;
        check_private(g, callee->pos, m->owner, m->flags, name);
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
        return invoke(g, op, &c);
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
    ClassInfo *cls = class_name_of(g, callee->a);
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
        if (!explicit_targs(g, e, name, &cands, &n, &sb))
            return &cc->t_error;
        gen_args(g, e->args, e->nargs, &as);
        if (!choose(g, cands, n, &as, name, callee->pos, &sb, NULL, 0, &c))
            return &cc->t_error;
        MethodInfo *m = c.m;
        check_private(g, callee->pos, m->owner, m->flags, name);
        if (!(m->flags & CF_ACC_STATIC)) {
            g_error(g, callee->pos, "cannot call instance function '%s' without an object",
                    name);
            return &cc->t_error;
        }
        put_args(g, &as, &c, 0);
        g->discard_result = discard;
        return invoke(g, CF_OP_INVOKESTATIC, &c);
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
        Type *t0 = expr_to_buf(g, callee->a, &probe);
        g->depth--;
        Type *pt = lookup_type(t0);
        if (pt->kind == TY_CLASS && cc_find_methods(cc, pt->cls, name, &cands) == 0) {
            FieldInfo *fi = cc_find_field(cc, pt->cls, name);
            if (fi && fi->type->kind == TY_FUN) {
                Type *t = g_expr(g, callee);
                return t->kind == TY_FUN ? call_fn(g, t, e, callee->pos) : t;
            }
        }
        put_buf(g, &probe);
        adjust(g, 0, 1);
        Type *t = lookup_type(t0);
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
    if (!explicit_targs(g, e, name, &cands, &n, &rb))
        return &cc->t_error;
    gen_args(g, e->args, e->nargs, &as);
    if (!choose(g, cands, n, &as, name, callee->pos, &rb, NULL, 0, &c))
        return &cc->t_error;
    MethodInfo *m = c.m;
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
    put_args(g, &as, &c, 0);
    if (is_super && g->lam) {
        g_error(g, callee->pos, "'super' cannot be used in a lambda");
        return &cc->t_error;
    }
    int op = is_super ? CF_OP_INVOKESPECIAL : invoke_op(m);
    if (op == CF_OP_INVOKESPECIAL && g->lam)
        op = CF_OP_INVOKEVIRTUAL;
    g->discard_result = discard;
    return invoke(g, op, &c);
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
    gen_args(g, args, nargs, &as);
    if (n == 0) {
        g_error(g, pos, "class %s has no init", ci->simple);
        return NULL;
    }
    Binding rb = {0};
    bool infer_args = recv && recv->nargs == 0 && ci->ntparams > 0;
    if (recv && !infer_args)
        cc_bind_receiver(g->cc, &rb, recv, ci);
    Cand c;
    if (!choose(g, cands, n, &as, "init", pos, &rb, infer_args ? ci->tparams : NULL,
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
    check_private(g, pos, c.m->owner, c.m->flags, "init");
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
static Type *gen_new_to(Gen *g, Expr *e, Type *expected)
{
    Type *t = cc_resolve_type(g->cc, g->f, e->tref);
    if (t->kind == TY_ERROR)
        return t;
    if (t->kind == TY_CLASS && t->nargs == 0 && t->cls->ntparams > 0 && expected &&
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
    g_op16(g, CF_OP_NEW, cf_cp_method(g->cf, ci->name, "<init>", m->desc), m->nparams, 1);
    return made;
}

static Type *gen_new(Gen *g, Expr *e) { return gen_new_to(g, e, NULL); }

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
    if (cc_is_string(g->cc, t)) {
        /* s[i] is s.charAt(i): a one-code-point String (spec/language.md) */
        g_op16(g, CF_OP_INVOKEVIRTUAL,
               cf_cp_method(g->cf, "std/core/String", "charAt", "(I)Lstd/core/String;"), 2, 1);
        return str_type(g);
    }
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
    Type *type;           /* as seen through the receiver (type arguments applied) */
    Type *recv;           /* LV_FIELD: the receiver's type */
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
    Lvalue lv = {LV_BAD, &cc->t_error, NULL, NULL, NULL};
    const char *name = NULL;
    if (e->kind == EX_NAME) {
        name = e->str;
        Local *l = g_find_local(g, name);
        if (l) {
            if (l->is_let) {
                g_error(g, e->pos, "cannot assign to '%s': it is declared with let", name);
                return lv;
            }
            if (l->celled) {
                load_holder(g, l);
                lv.kind = LV_FIELD;
                lv.field = cell_field(g, l->type);
                lv.type = l->type;
                return lv;
            }
            if (l->cap_field) {
                g_error(g, e->pos, "cannot assign to captured variable '%s'", name);
                return lv;
            }
            lv.kind = LV_LOCAL;
            lv.local = l;
            lv.type = l->type;
            return lv;
        }
        FieldInfo *fi = g->ci ? cc_find_field(cc, g->ci, name) : NULL;
        if (!fi && g_module_field(g, name)) {
            g_error(g, e->pos, "cannot assign to constant '%s'", name);
            return lv;
        }
        if (!fi) {
            g_error(g, e->pos, "unknown name '%s'", name);
            g_suggest_name(g, name);
            return lv;
        }
        lv.field = fi;
        lv.recv = g->self;
        if (!(fi->flags & CF_ACC_STATIC)) {
            if (g->is_static) {
                g_error(g, e->pos, "cannot use instance field '%s' in a static function", name);
                return lv;
            }
            g_load_this(g);
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
                g_load_this(g);
                t = g->ci && g->ci->super ? g->ci->super_t ? g->ci->super_t : g->ci->super->type
                                          : &cc->t_error;
            } else {
                t = lookup_type(g_expr(g, e->a));
            }
            if (t->kind == TY_ERROR)
                return lv;
            lv.recv = t;
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
            g_suggest_member(g, cls, name, false);
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
        if (!fi->owner->decl && fi->owner->file && fi->owner->file->module == fi->owner)
            g_error(g, e->pos, "cannot assign to constant '%s'", name);
        else
            g_error(g, e->pos, "cannot assign to '%s': it is declared with let", name);
        if (fi->decl && fi->owner->file)
            cc_note(g->cc, fi->owner->file, fi->decl->pos, "'%s' is declared here", name);
        return lv;
    }
    lv.kind = (fi->flags & CF_ACC_STATIC) ? LV_STATIC : LV_FIELD;
    lv.type = (fi->flags & CF_ACC_STATIC) ? fi->type : field_type(g, fi, lv.recv);
    return lv;
}

/* Reads the current value of a target whose object/index is on the stack
 * (duplicating them so the store can follow). */
static void lv_read(Gen *g, Lvalue *lv)
{
    switch (lv->kind) {
    case LV_LOCAL: g_op16(g, CF_OP_LOAD, lv->local->slot, 0, 1); break;
    case LV_STATIC: get_field_op(g, lv->field, false); break;
    case LV_FIELD:
        g_op(g, CF_OP_DUP, 1, 2);
        get_field_op(g, lv->field, true);
        from_erased(g, lv->field->type, lv->type);
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
    case LV_STATIC: put_field_op(g, lv->field); break;
    case LV_FIELD:
        to_erased(g, lv->field->type, lv->type);
        put_field_op(g, lv->field);
        break;
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
        Type *er = cc_erasure(cc, to);
        g_op16(g, CF_OP_INSTANCEOF, cf_cp_class(g->cf, er->kind == TY_ARRAY ? er->desc
                                                                           : er->cls->name),
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
        if (cc_ref_assignable(cc, to, t) || comparable_refs(g, t, to) ||
            to->kind == TY_VAR || to->kind == TY_FUN || t->kind == TY_VAR ||
            (t->kind == TY_CLASS && to->kind == TY_CLASS && t->cls == to->cls)) {
            Type *er = cc_erasure(cc, to);
            if (strcmp(er->desc, "Lstd/core/Object;") != 0)
                g_op16(g, CF_OP_CHECKCAST,
                       cf_cp_class(g->cf, er->kind == TY_ARRAY ? er->desc : er->cls->name), 1,
                       1);
            return to;
        }
    }
    /* unboxing cast: (o as int) */
    if (cc_is_ref(t) && t->kind != TY_NULL && is_prim(to) && cc_box_class(cc, to)) {
        unbox(g, to);
        return to;
    }
    const char *nt, *nto;
    cc_type_names(cc, t, to, &nt, &nto);
    g_error(g, e->pos, "cannot convert %s to %s", nt, nto);
    return &cc->t_error;
}

/* A string constant. Class files cannot hold NUL in strings, so a literal with
 * "\0" is built at run time: its pieces joined by String.fromCodePoint(0). */
static void emit_string(Gen *g, const char *s, size_t len)
{
    const char *nul = memchr(s, 0, len);
    if (!nul) {
        g_op16(g, CF_OP_LDC, cf_cp_string(g->cf, s, len), 0, 1);
        return;
    }
    g_op16(g, CF_OP_LDC, cf_cp_string(g->cf, s, (size_t)(nul - s)), 0, 1);
    while (nul) {
        g_iconst(g, 0);
        g_op16(g, CF_OP_INVOKESTATIC, cf_cp_method(g->cf, "std/core/String", "fromCodePoint",
                                                   "(I)Lstd/core/String;"), 1, 1);
        concat(g);
        size_t rest = len - (size_t)(nul - s) - 1;
        const char *p = nul + 1;
        nul = memchr(p, 0, rest);
        size_t piece = nul ? (size_t)(nul - p) : rest;
        if (piece > 0) {
            g_op16(g, CF_OP_LDC, cf_cp_string(g->cf, p, piece), 0, 1);
            concat(g);
        }
    }
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
        emit_string(g, e->str, e->slen);
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
        g_load_this(g);
        return g->self ? g->self : g->ci->type;
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
    case EX_LAMBDA:
        return g_lambda(g, e, NULL, NULL);
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
        g->discard_call = e;
        Type *t = g_expr(g, e);
        g->discard_call = NULL;
        if (t->kind != TY_VOID && t->kind != TY_ERROR)
            g_op(g, CF_OP_POP, 1, 0);
        return;
    }
    default:
        g_error(g, e->pos, "this expression is not a statement");
        return;
    }
}


Type *g_from_erased(Gen *g, Type *decl, Type *actual) { return from_erased(g, decl, actual); }

void g_to_erased(Gen *g, Type *decl, Type *actual) { to_erased(g, decl, actual); }

/* Emits the lambda class for [e] and, in [g], the code creating its instance. */
Type *g_lambda(Gen *g, Expr *e, Type *target, Type *erased_as)
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
    Type *this_t = g->ci ? g->ci->type : obj_type(g);
    if (lam.needs_this) {
        cf_add_field(cf, CF_ACC_FINAL, "this$0", this_t->desc);
        ct[k++] = this_t;
    }
    for (Local *c = lam.caps; c; c = c->next) {
        const char *d = holder_desc(g, c);
        cf_add_field(cf, CF_ACC_FINAL, c->cap_field, d);
        const char *q = d;
        ct[k++] = cc_type_from_desc(cc, &q);
    }
    const char *idesc = cc_method_desc(cc, ct, nc, &cc->t_void);
    Gen ig;
    memset(&ig, 0, sizeof ig);
    ig.cc = cc;
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
        g_op16(&ig, CF_OP_PUTFIELD, cf_cp_field(cf, name, c->cap_field, holder_desc(g, c)), 2,
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
        load_holder(g, c->cap_outer);
    g_op16(g, CF_OP_NEW, cf_cp_method(g->cf, name, "<init>", idesc), nc, 1);
    if (bad)
        return &cc->t_error;
    return cc_fun_type(cc, pt, n, rt);
}
