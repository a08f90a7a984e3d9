/* compiler/gen_class.c: methods and classes: constructors, static initialisers, bridges and
 * accessors, signatures, and the class files of source classes. */
#include <string.h>

#include "gen.h"

/* The field declarations of [ci]: its class's, then the file's top-level
 * constants when [ci] is the file's module class. */
static int field_decls(Cc *cc, ClassInfo *ci, FieldDecl ***out)
{
    ClassDecl *d = ci->decl;
    SourceFile *f = ci->file;
    int nd = d ? d->nfields : 0;
    int nc = f && f->module == ci ? f->nconsts : 0;
    FieldDecl **all = cc_alloc(cc, sizeof(FieldDecl *) * (size_t)(nd + nc + 1));
    for (int i = 0; i < nd; i++)
        all[i] = d->fields[i];
    for (int i = 0; i < nc; i++)
        all[nd + i] = f->consts[i];
    *out = all;
    return nd + nc;
}

static void field_inits(Gen *g, bool is_static)
{
    FieldDecl **fds;
    int nfd = field_decls(g->cc, g->ci, &fds);
    for (int i = 0; i < nfd; i++) {
        FieldDecl *fd = fds[i];
        if (!fd->info || !fd->init || ((fd->mods & MOD_STATIC) != 0) != is_static)
            continue;
        g_mark_line(g, fd->pos);
        FieldInfo *fi = fd->info;
        uint16_t ref = cf_cp_field(g->cf, g->ci->name, fi->name, fi->type->desc);
        if (is_static) {
            g_expect(g, fd->init, fi->type);
            g_op16(g, CF_OP_PUTSTATIC, ref, 1, 0);
        } else {
            g_op16(g, CF_OP_LOAD, 0, 0, 1);
            g_expect(g, fd->init, fi->type);
            g_op16(g, CF_OP_PUTFIELD, ref, 2, 0);
        }
    }
}

static void gen_init(Gen *g)
{
    Cc *cc = g->cc;
    MethodDecl *md = g->mi->decl;
    Stmt **stmts = md ? md->body->stmts : NULL;
    int n = md ? md->body->nstmts : 0, first = 0;
    uint32_t pos = md ? md->pos : (g->ci->decl ? g->ci->decl->pos : 0);
    bool delegating = false;
    if (n > 0 && stmts[0]->kind == ST_SUPERCALL) {
        Stmt *s = stmts[0];
        first = 1;
        g_mark_line(g, s->pos);
        ClassInfo *target = s->is_this ? g->ci : g->ci->super;
        delegating = s->is_this;
        if (!target) {
            g_error(g, s->pos, "class %s has no superclass", g->ci->simple);
        } else {
            g_op16(g, CF_OP_LOAD, 0, 0, 1);
            MethodInfo *m = g_init_call(g, target, s->args, s->nargs, s->pos, true);
            if (m && m == g->mi)
                g_error(g, s->pos, "an init cannot call itself");
            if (m)
                g_op16(g, CF_OP_INITSUPER, cf_cp_method(g->cf, target->name, "<init>", m->desc),
                       (uint16_t)(m->nparams + 1), 0);
        }
    } else if (g->ci->super) {
        ClassInfo *s = g->ci->super;
        MethodInfo *m = NULL;
        if (cc_class_ensure(cc, s)) {
            for (int i = 0; i < s->nmethods; i++)
                if (strcmp(s->methods[i]->name, "<init>") == 0 &&
                    s->methods[i]->nparams == 0)
                    m = s->methods[i];
        }
        if (!m) {
            g_error(g, pos, "class %s has no init() to call implicitly; call super(...) "
                    "with arguments", s->simple);
        } else {
            if (md)
                g_mark_line(g, md->pos);
            g_op16(g, CF_OP_LOAD, 0, 0, 1);
            g_op16(g, CF_OP_INITSUPER, cf_cp_method(g->cf, s->name, "<init>", "()V"), 1, 0);
        }
    }
    if (!delegating)
        field_inits(g, false);
    g_push_scope(g);
    bool reach = g_block_stmts(g, stmts ? stmts + first : NULL, n - first);
    g_pop_scope(g);
    if (reach) {
        g_op(g, CF_OP_RETURN, 0, 0);
    } else if (g->last_op != CF_OP_RETURN && g->last_op != CF_OP_BR &&
               g->last_op != CF_OP_THROW && g->last_op != CF_OP_UNREACHABLE) {
        g_op(g, CF_OP_UNREACHABLE, 0, 0);
    }
}

static const GenEntries entries = {g_expr_impl, g_expect_impl, g_lambda_impl};

static void gen_init_gen(Gen *g, Cc *cc, ClassInfo *ci, CfClass *cf, MethodInfo *mi,
                         bool is_static)
{
    memset(g, 0, sizeof *g);
    g->cc = cc;
    g->entries = &entries;
    g->ci = ci;
    g->cf = cf;
    g->mi = mi;
    g->is_static = is_static;
    g->out = &g->main;
    g->last_op = -1;
    g->self = cc_param_type(cc, ci, ci->tparams, ci->ntparams);
}

/* Appends an optional Signature attribute ([sig], a Utf8 constant) to an
 * attribute list of [cf]. */
static void add_signature(CfClass *cf, CfAttr **attrs, uint16_t *n, const char *sig)
{
    CfAttr *na = cf_alloc(cf, sizeof(CfAttr) * (size_t)(*n + 1));
    uint8_t *data = cf_alloc(cf, 2);
    if (!na || !data)
        return;
    uint16_t idx = cf_cp_utf8z(cf, sig);
    uint16_t name = cf_cp_utf8z(cf, "Signature");
    if (*n)
        memcpy(na, *attrs, sizeof(CfAttr) * *n);
    data[0] = (uint8_t)(idx >> 8);
    data[1] = (uint8_t)idx;
    na[*n] = (CfAttr){.name = name, .flags = 0, .kind = CF_ATTR_UNKNOWN, .len = 2,
                      .data = data};
    *attrs = na;
    (*n)++;
}

/* Does [t] say more than its erasure? */
static bool is_generic(Type *t)
{
    if (t->kind == TY_VAR || t->kind == TY_FUN || (t->kind == TY_CLASS && t->nargs > 0))
        return true;
    return t->kind == TY_ARRAY && is_generic(t->elem);
}

static void method_signature(Cc *cc, CfClass *cf, CfMethod *m, MethodInfo *mi)
{
    bool gen = mi->varargs || mi->ntparams > 0 || is_generic(mi->ret);
    for (int i = 0; i < mi->nparams; i++)
        gen = gen || is_generic(mi->params[i]);
    if (gen && !mi->bridge_to)
        add_signature(cf, &m->attrs, &m->nattrs, cc_method_sig(cc, mi));
}

/* A bridge: casts the erased arguments and calls the overriding method. */
static void gen_bridge(Gen *g, MethodInfo *mi)
{
    Cc *cc = g->cc;
    MethodInfo *t = mi->bridge_to;
    g_op16(g, CF_OP_LOAD, 0, 0, 1);
    for (int i = 0; i < mi->nparams; i++) {
        g_op16(g, CF_OP_LOAD, (uint16_t)(i + 1), 0, 1);
        Type *want = t->params[i];
        if (want->kind == TY_INT || want->kind == TY_FLOAT || want->kind == TY_BOOL ||
            want->kind == TY_BYTE) {
            if (mi->params[i]->kind != want->kind) {
                ClassInfo *b = cc_box_class(cc, want);
                if (b) {
                    g_op16(g, CF_OP_CHECKCAST, cf_cp_class(g->cf, b->name), 1, 1);
                    g_op16(g, CF_OP_GETFIELD, cf_cp_field(g->cf, b->name, "value",
                                                          want->kind == TY_BYTE ? "I"
                                                                                : want->desc),
                           1, 1);
                }
            }
        } else if (strcmp(cc_erasure(cc, want)->desc, mi->params[i]->desc) != 0) {
            Type *e = cc_erasure(cc, want);
            g_op16(g, CF_OP_CHECKCAST,
                   cf_cp_class(g->cf, e->kind == TY_ARRAY ? e->desc : e->cls->name), 1, 1);
        }
    }
    g_op16(g, CF_OP_INVOKEVIRTUAL, cf_cp_method(g->cf, t->owner->name, t->name, t->desc),
           t->nparams + 1, t->ret->kind == TY_VOID ? 0 : 1);
    if (t->ret->kind != TY_VOID && mi->ret->kind != TY_VOID && !cc_is_ref(t->ret) &&
        cc_is_ref(mi->ret)) {
        ClassInfo *b = cc_box_class(cc, t->ret);
        if (b)
            g_op16(g, CF_OP_INVOKESTATIC,
                   cf_cp_method(g->cf, b->name, "of",
                                cc_printf(cc, "(%s)L%s;",
                                          t->ret->kind == TY_BYTE ? "I" : t->ret->desc,
                                          b->name)), 1, 1);
    }
    if (mi->ret->kind == TY_VOID && t->ret->kind != TY_VOID)
        g_op(g, CF_OP_POP, 1, 0);
    g_op(g, CF_OP_RETURN, mi->ret->kind == TY_VOID ? 0 : 1, 0);
}

/* An accessor: loads its parameters and uses the private member (or the
 * superclass method) directly. */
static void gen_accessor(Gen *g, MethodInfo *a)
{
    for (int i = 0; i < a->nparams; i++)
        g_op16(g, CF_OP_LOAD, (uint16_t)i, 0, 1);
    if (a->access_kind == ACCESS_CALL || a->access_kind == ACCESS_SUPER) {
        /* a superclass method through `super`, or a private one: non-virtual */
        MethodInfo *m = a->access_method;
        bool st = (m->flags & CF_ACC_STATIC) != 0;
        g_op16(g, st ? CF_OP_INVOKESTATIC : CF_OP_INVOKESPECIAL,
               cf_cp_method(g->cf, m->owner->name, m->name, m->desc), a->nparams,
               m->ret->kind == TY_VOID ? 0 : 1);
    } else {
        FieldInfo *fi = a->access_field;
        bool st = (fi->flags & CF_ACC_STATIC) != 0;
        uint16_t idx = cf_cp_field(g->cf, fi->owner->name, fi->name, fi->type->desc);
        if (a->access_kind == ACCESS_GET)
            g_op16(g, st ? CF_OP_GETSTATIC : CF_OP_GETFIELD, idx, st ? 0 : 1, 1);
        else
            g_op16(g, st ? CF_OP_PUTSTATIC : CF_OP_PUTFIELD, idx, st ? 1 : 2, 0);
    }
    g_op(g, CF_OP_RETURN, a->ret->kind == TY_VOID ? 0 : 1, 0);
}

/* Compiles one method into [cf]. */
static void gen_method(Cc *cc, ClassInfo *ci, CfClass *cf, MethodInfo *mi)
{
    Gen g;
    bool is_static = (mi->flags & CF_ACC_STATIC) != 0;
    gen_init_gen(&g, cc, ci, cf, mi, is_static);
    g.cc = cc;
    g.f = ci->file;
    MethodDecl *md = mi->decl;
    if (mi->flags & (CF_ACC_ABSTRACT | CF_ACC_NATIVE)) {
        CfMethod *m = cf_add_method(cf, mi->flags, mi->name, mi->desc);
        if (m && (mi->flags & CF_ACC_NATIVE))
            cf_set_native(cf, m, md->native_lib, md->native_sym);
        if (m)
            method_signature(cc, cf, m, mi);
        return;
    }
    if (mi->access_kind) {
        gen_accessor(&g, mi);
        CfMethod *m = cf_add_method(cf, mi->flags, mi->name, mi->desc);
        if (m)
            cf_set_code(cf, m, (uint16_t)g.max_depth, 0, NULL, g.main.code,
                        (uint32_t)g.main.len, NULL, 0);
        return;
    }
    if (mi->bridge_to) {
        gen_bridge(&g, mi);
        CfMethod *m = cf_add_method(cf, mi->flags, mi->name, mi->desc);
        if (m)
            cf_set_code(cf, m, (uint16_t)g.max_depth, 0, NULL, g.main.code,
                        (uint32_t)g.main.len, NULL, 0);
        return;
    }
    TScope csc = {ci->tparams, ci->ntparams, NULL};
    TScope msc = {mi->tparams, mi->ntparams, is_static ? NULL : &csc};
    cc->tscope = &msc;
    g_push_scope(&g);
    if (!is_static)
        g.nparam_slots = 1;
    if (md)
        cc_celled_vars(cc, md->body, NULL, &g.celled);
    Local **ps = cc_alloc(cc, sizeof(Local *) * (size_t)((md ? md->nparams : 0) + 1));
    for (int i = 0; md && i < md->nparams; i++)
        ps[i] = g_declare_local(&g, md->params[i].name, mi->params[i], false, md->params[i].pos,
                              true);
    for (int i = 0; md && i < md->nparams; i++) {
        g_make_cell(&g, ps[i], true);
        ps[i]->used = false;
        if ((mi->flags & CF_ACC_PRIVATE) && md->body)
            ps[i]->warn = WARN_PARAM;
    }
    bool is_init = strcmp(mi->name, "<init>") == 0;
    if (is_init) {
        g.is_init = true;
        gen_init(&g);
    } else {
        bool reach = g_stmt(&g, md->body);
        if (reach) {
            if (mi->ret->kind != TY_VOID) {
                g_error(&g, md->pos, "missing return in function '%s'", mi->name);
            } else {
                g_op(&g, CF_OP_RETURN, 0, 0);
            }
        } else if (g.last_op != CF_OP_RETURN && g.last_op != CF_OP_BR &&
                   g.last_op != CF_OP_THROW && g.last_op != CF_OP_UNREACHABLE) {
            g_op(&g, CF_OP_UNREACHABLE, 0, 0);
        }
    }
    cc->tscope = NULL;
    for (int i = 0; md && i < md->nparams; i++)
        g_warn_unused(&g, ps[i]);
    CfMethod *m = cf_add_method(cf, mi->flags, mi->name, mi->desc);
    if (m) {
        cf_set_code(cf, m, (uint16_t)g.max_depth, (uint16_t)g.nlocals, g.local_types,
                    g.main.code, (uint32_t)g.main.len, g.lines, (uint32_t)g.nlines);
        method_signature(cc, cf, m, mi);
    }
}

static void gen_clinit(Cc *cc, ClassInfo *ci, CfClass *cf)
{
    FieldDecl **fds;
    int nfd = field_decls(cc, ci, &fds);
    bool any = false;
    for (int i = 0; i < nfd; i++)
        if ((fds[i]->mods & MOD_STATIC) && fds[i]->init && fds[i]->info)
            any = true;
    if (!any)
        return;
    MethodInfo mi = {.name = "<clinit>", .ret = &cc->t_void, .desc = "()V",
                     .flags = CF_ACC_STATIC, .owner = ci};
    Gen g;
    gen_init_gen(&g, cc, ci, cf, &mi, true);
    g.cc = cc;
    g.f = ci->file;
    g.is_clinit = true;
    field_inits(&g, true);
    g_op(&g, CF_OP_RETURN, 0, 0);
    CfMethod *m = cf_add_method(cf, CF_ACC_STATIC, "<clinit>", "()V");
    if (m)
        cf_set_code(cf, m, (uint16_t)g.max_depth, (uint16_t)g.nlocals, g.local_types,
                    g.main.code, (uint32_t)g.main.len, g.lines, (uint32_t)g.nlines);
}

static CfClass *gen_class(Cc *cc, ClassInfo *ci)
{
    CfClass *cf = cf_class_new();
    if (!cf)
        longjmp(cc->oom, 1);
    cf->flags = ci->flags;
    cf->this_class = cf_cp_class(cf, ci->name);
    cf->super_class = ci->super ? cf_cp_class(cf, ci->super->name) : 0;
    for (int i = 0; i < ci->nifaces; i++)
        cf_add_interface(cf, ci->ifaces[i]->name);
    const char *base = strrchr(ci->file->path, '/');
    cf_set_source_file(cf, base ? base + 1 : ci->file->path);
    for (int i = 0; i < ci->nfields; i++) {
        FieldInfo *fi = ci->fields[i];
        CfField *fd = cf_add_field(cf, fi->flags, fi->name, fi->type->desc);
        if (fd && is_generic(fi->type))
            add_signature(cf, &fd->attrs, &fd->nattrs, cc_type_sig(cc, fi->type));
    }
    bool gen = ci->ntparams > 0 || ci->super_t;
    for (int i = 0; i < ci->nifaces && ci->iface_t; i++)
        gen = gen || (ci->iface_t[i] && ci->iface_t[i]->nargs > 0);
    if (gen)
        add_signature(cf, &cf->attrs, &cf->nattrs, cc_class_sig(cc, ci));
    gen_clinit(cc, ci, cf);
    for (int i = 0; i < ci->nmethods && cc->nerrors < cc->max_errors; i++)
        gen_method(cc, ci, cf, ci->methods[i]);
    if (cf->ncp >= 65535)
        cc_error(cc, ci->file, ci->decl ? ci->decl->pos : 0,
                 "class '%s' is too large: its constant pool is full", ci->simple);
    return cf;
}

void cc_generate_all(Cc *cc, CfClass ***out, int *nout)
{
    CfClass **res = cc_alloc(cc, sizeof(CfClass *) * (size_t)(cc->nsource + 1));
    int n = 0;
    for (int i = 0; i < cc->nsource && cc->nerrors < cc->max_errors; i++)
        res[n++] = gen_class(cc, cc->source_classes[i]);
    if (cc->nextra > 0) {
        CfClass **all = cc_alloc(cc, sizeof(CfClass *) * (size_t)(n + cc->nextra + 1));
        memcpy(all, res, sizeof(CfClass *) * (size_t)n);
        memcpy(all + n, cc->extra, sizeof(CfClass *) * (size_t)cc->nextra);
        res = all;
        n += cc->nextra;
    }
    *out = res;
    *nout = n;
    if (cc->nerrors == cc->nwerrors)
        cc_warn_unused_imports(cc);
}

Type *cc_infer_static_init(Cc *cc, ClassInfo *ci, Expr *e)
{
    CfClass *cf = cf_class_new();
    if (!cf)
        longjmp(cc->oom, 1);
    MethodInfo mi = {.name = "<clinit>", .ret = &cc->t_void, .desc = "()V",
                     .flags = CF_ACC_STATIC, .owner = ci};
    Gen g;
    gen_init_gen(&g, cc, ci, cf, &mi, true);
    g.f = ci->file;
    g.is_clinit = true;
    cc->mute++;
    cc->dry++;
    Type *t = g_expr(&g, e);
    cc->mute--;
    if (t->kind == TY_ERROR) {
        /* once more, to report why */
        gen_init_gen(&g, cc, ci, cf, &mi, true);
        g.f = ci->file;
        g.is_clinit = true;
        g_expr(&g, e);
    }
    cc->dry--;
    cf_class_free(cf);
    return t;
}
