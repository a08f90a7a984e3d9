/* compiler/gen_stmt.c: statements, reachability, methods (constructors,
 * static initialisers) and the class files of source classes. */
#include <string.h>

#include "gen.h"

static void mark_line(Gen *g, uint32_t pos)
{
    if (g->out != &g->main)
        return;
    uint32_t line = g_line_of(g->f, pos);
    uint32_t pc = (uint32_t)g->main.len;
    if (g->nlines > 0) {
        CfLine *last = &g->lines[g->nlines - 1];
        if (last->line == line)
            return;
        if (last->pc == pc) {
            last->line = line;
            return;
        }
    }
    CfLine l = {pc, line};
    CC_PUSH(g->cc, g->lines, g->nlines, g->lines_cap, l);
}

static void push_scope(Gen *g)
{
    Local *mark = cc_alloc(g->cc, sizeof *mark);
    mark->next = g->locals;
    g->locals = mark;
}

static void pop_scope(Gen *g)
{
    while (g->locals && g->locals->name)
        g->locals = g->locals->next;
    if (g->locals)
        g->locals = g->locals->next;
}

static Local *declare_local(Gen *g, const char *name, Type *t, bool is_let, uint32_t pos,
                            bool param)
{
    if (g_find_local(g, name))
        g_error(g, pos, "'%s' is already defined", name);
    Local *l = cc_alloc(g->cc, sizeof *l);
    l->name = name;
    l->type = t;
    l->is_let = is_let;
    l->slot = param ? (uint16_t)g->nparam_slots++ : g_new_local(g, t);
    l->next = g->locals;
    g->locals = l;
    return l;
}

static bool is_true(Expr *e) { return e && e->kind == EX_BOOL && e->ival; }

static bool gen_block_stmts(Gen *g, Stmt **stmts, int n)
{
    bool reach = true, reported = false;
    for (int i = 0; i < n; i++) {
        if (!reach && !reported && stmts[i]->kind != ST_EMPTY) {
            g_error(g, stmts[i]->pos, "unreachable code");
            reported = true;
        }
        if (g->cc->nerrors >= g->cc->max_errors)
            return reach;
        bool r = g_stmt(g, stmts[i]);
        reach = reach && r;
    }
    return reach;
}

static LoopCtx *push_loop(Gen *g, LoopCtx *lc, const char *label, int brk, int cont)
{
    memset(lc, 0, sizeof *lc);
    lc->label = label;
    lc->break_level = brk;
    lc->cont_level = cont;
    lc->next = g->loops;
    g->loops = lc;
    return lc;
}

static void check_label(Gen *g, Stmt *s)
{
    if (!s->label)
        return;
    for (LoopCtx *l = g->loops; l; l = l->next)
        if (l->label && strcmp(l->label, s->label) == 0)
            g_error(g, s->pos, "label '%s' is already in use", s->label);
}

static bool gen_var(Gen *g, Stmt *s)
{
    Cc *cc = g->cc;
    Type *t = NULL;
    if (s->tref) {
        t = cc_resolve_type(cc, g->f, s->tref);
        if (t->kind == TY_VOID) {
            g_error(g, s->tref->pos, "a variable cannot have type void");
            t = &cc->t_error;
        }
    }
    if (s->expr) {
        if (t) {
            g_expect(g, s->expr, t);
        } else {
            t = g_expr(g, s->expr);
            if (t->kind == TY_NULL) {
                g_error(g, s->expr->pos, "cannot infer the type of '%s' from null", s->name);
                t = &cc->t_error;
            } else if (t->kind == TY_VOID) {
                g_error(g, s->expr->pos, "'%s' cannot be initialized with no value", s->name);
                t = &cc->t_error;
            }
        }
    } else if (s->is_let) {
        g_error(g, s->pos, "'%s' is declared with let and needs an initializer", s->name);
    } else if (!t) {
        g_error(g, s->pos, "'%s' needs a type or an initializer", s->name);
        t = &cc->t_error;
    }
    if (!t)
        t = &cc->t_error;
    Local *l = declare_local(g, s->name, t, s->is_let, s->pos, false);
    if (s->expr)
        g_op16(g, CF_OP_STORE, l->slot, 1, 0);
    return true;
}

static bool gen_loop_cond(Gen *g, Expr *cond)
{
    if (!cond || is_true(cond))
        return false;
    g_expect(g, cond, &g->cc->t_bool);
    g_op(g, CF_OP_EQZ, 1, 1);
    g_br(g, CF_OP_BR_IF, g->nest - 2);   /* out of the enclosing block */
    return true;
}

static bool gen_while(Gen *g, Stmt *s)
{
    check_label(g, s);
    int blk = g->nest;
    g_open(g, CF_OP_BLOCK, NULL);
    g_open(g, CF_OP_LOOP, NULL);
    LoopCtx lc;
    push_loop(g, &lc, s->label, blk, blk + 1);
    bool has_cond = gen_loop_cond(g, s->expr);
    bool body = g_stmt(g, s->body);
    if (body)
        g_br(g, CF_OP_BR, blk + 1);
    g->loops = lc.next;
    g_end(g);
    g_end(g);
    return has_cond || lc.has_break;
}

static bool gen_do(Gen *g, Stmt *s)
{
    check_label(g, s);
    int blk = g->nest;
    g_open(g, CF_OP_BLOCK, NULL);
    g_open(g, CF_OP_LOOP, NULL);
    g_open(g, CF_OP_BLOCK, NULL);
    LoopCtx lc;
    push_loop(g, &lc, s->label, blk, blk + 2);
    bool body = g_stmt(g, s->body);
    g->loops = lc.next;
    g_end(g);
    mark_line(g, s->expr->pos);
    g_expect(g, s->expr, &g->cc->t_bool);
    g_br(g, CF_OP_BR_IF, blk + 1);
    g_end(g);
    g_end(g);
    (void)body;
    return !is_true(s->expr) || lc.has_break;
}

static bool gen_for(Gen *g, Stmt *s)
{
    check_label(g, s);
    push_scope(g);
    if (s->init) {
        if (s->init->kind == ST_VAR)
            gen_var(g, s->init);
        else
            g_discard(g, s->init->expr);
    }
    int blk = g->nest;
    g_open(g, CF_OP_BLOCK, NULL);
    g_open(g, CF_OP_LOOP, NULL);
    LoopCtx lc;
    push_loop(g, &lc, s->label, blk, blk + 2);
    bool has_cond = gen_loop_cond(g, s->expr);
    g_open(g, CF_OP_BLOCK, NULL);
    g_stmt(g, s->body);
    g->loops = lc.next;
    g_end(g);
    if (s->update) {
        mark_line(g, s->update->pos);
        g_discard(g, s->update->expr);
    }
    g_br(g, CF_OP_BR, blk + 1);
    g_end(g);
    g_end(g);
    pop_scope(g);
    return has_cond || lc.has_break;
}

static int aload_of(Type *e)
{
    switch (e->kind) {
    case TY_INT: return CF_OP_IALOAD;
    case TY_FLOAT: return CF_OP_FALOAD;
    case TY_BOOL: case TY_BYTE: return CF_OP_BALOAD;
    default: return CF_OP_AALOAD;
    }
}

static bool gen_foreach(Gen *g, Stmt *s)
{
    Cc *cc = g->cc;
    check_label(g, s);
    push_scope(g);
    Type *t = g_expr(g, s->expr);
    if (t->kind != TY_ARRAY) {
        if (t->kind != TY_ERROR)
            g_error(g, s->expr->pos, "for-in needs an array, found %s", cc_type_name(cc, t));
        t = cc_array_of(cc, &cc->t_int);
    }
    uint16_t arr = g_new_local(g, t);
    uint16_t idx = g_new_local(g, &cc->t_int);
    g_op16(g, CF_OP_STORE, arr, 1, 0);
    Expr zero = {.kind = EX_INT, .ival = 0};
    g_expr(g, &zero);
    g_op16(g, CF_OP_STORE, idx, 1, 0);
    int blk = g->nest;
    g_open(g, CF_OP_BLOCK, NULL);
    g_open(g, CF_OP_LOOP, NULL);
    g_op16(g, CF_OP_LOAD, idx, 0, 1);
    g_op16(g, CF_OP_LOAD, arr, 0, 1);
    g_op(g, CF_OP_ARRAYLENGTH, 1, 1);
    g_op(g, CF_OP_ILT, 2, 1);
    g_op(g, CF_OP_EQZ, 1, 1);
    g_br(g, CF_OP_BR_IF, blk);
    g_open(g, CF_OP_BLOCK, NULL);
    LoopCtx lc;
    push_loop(g, &lc, s->label, blk, blk + 2);
    push_scope(g);
    Local *x = declare_local(g, s->name, t->elem, true, s->pos, false);
    g_op16(g, CF_OP_LOAD, arr, 0, 1);
    g_op16(g, CF_OP_LOAD, idx, 0, 1);
    g_op(g, aload_of(t->elem), 2, 1);
    g_op16(g, CF_OP_STORE, x->slot, 1, 0);
    g_stmt(g, s->body);
    pop_scope(g);
    g->loops = lc.next;
    g_end(g);
    /* iinc idx 1 */
    Expr one = {.kind = EX_INT, .ival = 1};
    g_op16(g, CF_OP_LOAD, idx, 0, 1);
    g_expr(g, &one);
    g_op(g, CF_OP_IADD, 2, 1);
    g_op16(g, CF_OP_STORE, idx, 1, 0);
    g_br(g, CF_OP_BR, blk + 1);
    g_end(g);
    g_end(g);
    pop_scope(g);
    return true;
}

static bool gen_jump(Gen *g, Stmt *s)
{
    bool brk = s->kind == ST_BREAK;
    LoopCtx *l = g->loops;
    if (s->label) {
        while (l && !(l->label && strcmp(l->label, s->label) == 0))
            l = l->next;
        if (!l) {
            g_error(g, s->pos, "unknown label '%s'", s->label);
            return false;
        }
    } else if (!l) {
        g_error(g, s->pos, "'%s' outside a loop", brk ? "break" : "continue");
        return false;
    }
    if (brk)
        l->has_break = true;
    g_br(g, CF_OP_BR, brk ? l->break_level : l->cont_level);
    return false;
}

static bool gen_return(Gen *g, Stmt *s)
{
    Cc *cc = g->cc;
    Type *ret = g->mi ? g->mi->ret : &cc->t_void;
    if (s->expr) {
        if (ret->kind == TY_VOID) {
            g_error(g, s->expr->pos, "cannot return a value from %s",
                    g->is_init ? "an init" : "a function without a return type");
            g_expr(g, s->expr);
        } else {
            g_expect(g, s->expr, ret);
        }
    } else if (ret->kind != TY_VOID) {
        g_error(g, s->pos, "missing return value: expected %s", cc_type_name(cc, ret));
    }
    g_op(g, CF_OP_RETURN, s->expr ? 1 : 0, 0);
    return false;
}

bool g_stmt(Gen *g, Stmt *s)
{
    Cc *cc = g->cc;
    if (s->kind != ST_BLOCK && s->kind != ST_EMPTY)
        mark_line(g, s->pos);
    switch (s->kind) {
    case ST_BLOCK: {
        push_scope(g);
        bool r = gen_block_stmts(g, s->stmts, s->nstmts);
        pop_scope(g);
        return r;
    }
    case ST_EMPTY:
        return true;
    case ST_VAR:
        return gen_var(g, s);
    case ST_EXPR:
        g_discard(g, s->expr);
        return true;
    case ST_IF: {
        g_expect(g, s->expr, &cc->t_bool);
        g_open(g, CF_OP_IF, NULL);
        bool a = g_stmt(g, s->body), b = true;
        if (s->els) {
            g_else(g);
            b = g_stmt(g, s->els);
        }
        g_end(g);
        return a || b;
    }
    case ST_WHILE:
        return gen_while(g, s);
    case ST_DO:
        return gen_do(g, s);
    case ST_FOR:
        return gen_for(g, s);
    case ST_FOREACH:
        return gen_foreach(g, s);
    case ST_BREAK:
    case ST_CONTINUE:
        return gen_jump(g, s);
    case ST_RETURN:
        return gen_return(g, s);
    case ST_THROW: {
        Type *t = g_expr(g, s->expr);
        ClassInfo *ex = cc_class_ref(cc, "std/core/Exception");
        if (t->kind != TY_ERROR && t->kind != TY_NULL &&
            !cc_ref_assignable(cc, t, ex->type))
            g_error(g, s->expr->pos, "can only throw an Exception, found %s",
                    cc_type_name(cc, t));
        g_op(g, CF_OP_THROW, 1, 0);
        return false;
    }
    case ST_SUPERCALL:
        g_error(g, s->pos, "%s(...) must be the first statement of an init",
                s->is_this ? "this" : "super");
        return true;
    }
    return true;
}

/* ---- methods ------------------------------------------------------------------------ */
static void field_inits(Gen *g, bool is_static)
{
    ClassDecl *d = g->ci->decl;
    for (int i = 0; d && i < d->nfields; i++) {
        FieldDecl *fd = d->fields[i];
        if (!fd->info || !fd->init || ((fd->mods & MOD_STATIC) != 0) != is_static)
            continue;
        mark_line(g, fd->pos);
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
        mark_line(g, s->pos);
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
                mark_line(g, md->pos);
            g_op16(g, CF_OP_LOAD, 0, 0, 1);
            g_op16(g, CF_OP_INITSUPER, cf_cp_method(g->cf, s->name, "<init>", "()V"), 1, 0);
        }
    }
    if (!delegating)
        field_inits(g, false);
    push_scope(g);
    bool reach = gen_block_stmts(g, stmts + first, n - first);
    pop_scope(g);
    if (reach) {
        g_op(g, CF_OP_RETURN, 0, 0);
    } else if (g->last_op != CF_OP_RETURN && g->last_op != CF_OP_BR &&
               g->last_op != CF_OP_THROW && g->last_op != CF_OP_UNREACHABLE) {
        g_op(g, CF_OP_UNREACHABLE, 0, 0);
    }
}

static void gen_init_gen(Gen *g, ClassInfo *ci, CfClass *cf, MethodInfo *mi, bool is_static)
{
    memset(g, 0, sizeof *g);
    g->cc = NULL;
    g->ci = ci;
    g->cf = cf;
    g->mi = mi;
    g->is_static = is_static;
    g->out = &g->main;
    g->last_op = -1;
}

/* Compiles one method into [cf]. */
static void gen_method(Cc *cc, ClassInfo *ci, CfClass *cf, MethodInfo *mi)
{
    Gen g;
    bool is_static = (mi->flags & CF_ACC_STATIC) != 0;
    gen_init_gen(&g, ci, cf, mi, is_static);
    g.cc = cc;
    g.f = ci->file;
    MethodDecl *md = mi->decl;
    if (mi->flags & (CF_ACC_ABSTRACT | CF_ACC_NATIVE)) {
        CfMethod *m = cf_add_method(cf, mi->flags, mi->name, mi->desc);
        if (m && (mi->flags & CF_ACC_NATIVE))
            cf_set_native(cf, m, md->native_lib, md->native_sym);
        return;
    }
    push_scope(&g);
    if (!is_static)
        g.nparam_slots = 1;
    for (int i = 0; md && i < md->nparams; i++)
        declare_local(&g, md->params[i].name, mi->params[i], false, md->params[i].pos, true);
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
    CfMethod *m = cf_add_method(cf, mi->flags, mi->name, mi->desc);
    if (m)
        cf_set_code(cf, m, (uint16_t)g.max_depth, (uint16_t)g.nlocals, g.local_types,
                    g.main.code, (uint32_t)g.main.len, g.lines, (uint32_t)g.nlines);
}

static void gen_clinit(Cc *cc, ClassInfo *ci, CfClass *cf)
{
    ClassDecl *d = ci->decl;
    bool any = false;
    for (int i = 0; d && i < d->nfields; i++)
        if ((d->fields[i]->mods & MOD_STATIC) && d->fields[i]->init && d->fields[i]->info)
            any = true;
    if (!any)
        return;
    MethodInfo mi = {.name = "<clinit>", .ret = &cc->t_void, .desc = "()V",
                     .flags = CF_ACC_STATIC, .owner = ci};
    Gen g;
    gen_init_gen(&g, ci, cf, &mi, true);
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
        cf_add_field(cf, fi->flags, fi->name, fi->type->desc);
    }
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
    *out = res;
    *nout = n;
}
