/* compiler/gen_stmt.c: statements and reachability: blocks, loops, jumps and returns
 * through finally blocks, try/catch/finally, switch. */
#include <string.h>

#include "gen.h"

static bool is_true(Expr *e) { return e && e->kind == EX_BOOL && e->ival; }

bool g_block_stmts(Gen *g, Stmt **stmts, int n)
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

/* Tells CcHooks.on_local about [l] when it is declared directly in the body of
 * the top-level function it asks about (two scope marks: the function's and its
 * body block's). */
static void report_local(Gen *g, Local *l)
{
    const CcHooks *h = g->cc->hooks;
    if (!h || !h->on_local || !h->locals_of || g->lam || g->cc->mute || g->cc->dry ||
        !g->mi || !g->f || g->ci != g->f->module || strcmp(g->mi->name, h->locals_of) != 0)
        return;
    int marks = 0;
    for (Local *x = g->locals; x; x = x->next)
        if (!x->name)
            marks++;
    if (marks == 2 && l->type->kind != TY_ERROR)
        h->on_local(h->ud, l->name, cc_type_source(g->cc, l->type), l->is_let);
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
    Local *l = g_declare_local(g, s->name, t, s->is_let, s->pos, false);
    l->warn = WARN_LOCAL;
    if (s->expr)
        g_init_local(g, l);
    report_local(g, l);
    return true;
}

/* Leaves to block [depth] when [cond] is false. `a && b` leaves when a is
 * false, then when b is false, instead of computing the bool `a && b` first
 * (an if/else and one more test and branch each time round a loop). */
static void gen_exit_unless(Gen *g, Expr *cond, int depth)
{
    if (cond->kind == EX_BINARY && cond->op == TK_ANDAND) {
        gen_exit_unless(g, cond->a, depth);
        gen_exit_unless(g, cond->b, depth);
        return;
    }
    g_expect(g, cond, &g->cc->t_bool);
    g_op(g, CF_OP_EQZ);
    g_br(g, CF_OP_BR_IF, depth);
}

static bool gen_loop_cond(Gen *g, Expr *cond)
{
    if (!cond || is_true(cond))
        return false;
    gen_exit_unless(g, cond, g->nest - 2);   /* out of the enclosing block */
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
    g_mark_line(g, s->expr->pos);
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
    g_push_scope(g);
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
        g_mark_line(g, s->update->pos);
        g_discard(g, s->update->expr);
    }
    g_br(g, CF_OP_BR, blk + 1);
    g_end(g);
    g_end(g);
    g_pop_scope(g);
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

/* for (x in e) over an Iterable<T> (on the stack, seen as [view]): the
 * iterator's hasNext()/next() through interface calls. */
static bool gen_foreach_iterable(Gen *g, Stmt *s, Type *view)
{
    Cc *cc = g->cc;
    Type *elem = view->nargs == 1 ? view->args[0] : cc_class_ref(cc, "std/core/Object")->type;
    ClassInfo *iter = cc_class_ref(cc, "std/core/Iterator");
    g_op16_effect(g, CF_OP_INVOKEIFACE,
                  cf_cp_method(g->cf, "std/core/Iterable", "iterator", "()Lstd/core/Iterator;"), 1,
                  1);
    uint16_t it = g_new_local(g, iter->type);
    g_op16(g, CF_OP_STORE, it);
    int blk = g->nest;
    g_open(g, CF_OP_BLOCK, NULL);
    g_open(g, CF_OP_LOOP, NULL);
    g_op16(g, CF_OP_LOAD, it);
    g_op16_effect(g, CF_OP_INVOKEIFACE, cf_cp_method(g->cf, "std/core/Iterator", "hasNext", "()Z"),
                  1, 1);
    g_op(g, CF_OP_EQZ);
    g_br(g, CF_OP_BR_IF, blk);
    g_open(g, CF_OP_BLOCK, NULL);
    LoopCtx lc;
    push_loop(g, &lc, s->label, blk, blk + 2);
    g_push_scope(g);
    g_op16(g, CF_OP_LOAD, it);
    g_op16_effect(g, CF_OP_INVOKEIFACE,
                  cf_cp_method(g->cf, "std/core/Iterator", "next", "()Lstd/core/Object;"), 1, 1);
    Type *obj = cc_class_ref(cc, "std/core/Object")->type;
    Type *declared = cc_is_ref(elem) || elem->kind == TY_ERROR ? elem
                     : elem->kind == TY_BYTE ? &cc->t_int : elem;
    g_from_erased(g, obj, declared);
    Local *x = g_declare_local(g, s->name, declared, true, s->pos, false);
    g_init_local(g, x);
    g_stmt(g, s->body);
    g_pop_scope(g);
    g->loops = lc.next;
    g_end(g);
    g_br(g, CF_OP_BR, blk + 1);
    g_end(g);
    g_end(g);
    return true;
}

static bool gen_foreach(Gen *g, Stmt *s)
{
    Cc *cc = g->cc;
    check_label(g, s);
    g_push_scope(g);
    Type *t = g_expr(g, s->expr);
    if (t->kind == TY_CLASS || t->kind == TY_VAR) {
        ClassInfo *it = cc_class_find(cc, "std/core/Iterable");
        Type *view = it ? cc_as_super(cc, t, it) : NULL;
        if (view) {
            bool r = gen_foreach_iterable(g, s, view);
            g_pop_scope(g);
            return r;
        }
    }
    if (t->kind != TY_ARRAY) {
        if (t->kind != TY_ERROR)
            g_error(g, s->expr->pos, "for-in needs an array or an Iterable, found %s",
                    cc_type_name(cc, t));
        t = cc_array_of(cc, &cc->t_int);
    }
    uint16_t arr = g_new_local(g, t);
    uint16_t idx = g_new_local(g, &cc->t_int);
    g_op16(g, CF_OP_STORE, arr);
    Expr zero = {.kind = EX_INT, .ival = 0};
    g_expr(g, &zero);
    g_op16(g, CF_OP_STORE, idx);
    int blk = g->nest;
    g_open(g, CF_OP_BLOCK, NULL);
    g_open(g, CF_OP_LOOP, NULL);
    g_op16(g, CF_OP_LOAD, idx);
    g_op16(g, CF_OP_LOAD, arr);
    g_op(g, CF_OP_ARRAYLENGTH);
    g_op(g, CF_OP_ILT);
    g_op(g, CF_OP_EQZ);
    g_br(g, CF_OP_BR_IF, blk);
    g_open(g, CF_OP_BLOCK, NULL);
    LoopCtx lc;
    push_loop(g, &lc, s->label, blk, blk + 2);
    g_push_scope(g);
    Local *x = g_declare_local(g, s->name, t->elem, true, s->pos, false);
    g_op16(g, CF_OP_LOAD, arr);
    g_op16(g, CF_OP_LOAD, idx);
    g_op(g, aload_of(t->elem));
    g_init_local(g, x);
    g_stmt(g, s->body);
    g_pop_scope(g);
    g->loops = lc.next;
    g_end(g);
    /* iinc idx 1 */
    Expr one = {.kind = EX_INT, .ival = 1};
    g_op16(g, CF_OP_LOAD, idx);
    g_expr(g, &one);
    g_op(g, CF_OP_IADD);
    g_op16(g, CF_OP_STORE, idx);
    g_br(g, CF_OP_BR, blk + 1);
    g_end(g);
    g_end(g);
    g_pop_scope(g);
    return true;
}

/* Is loop [l] among those enclosing the try of [f]? */
static bool loop_outside(FinCtx *f, LoopCtx *l)
{
    for (LoopCtx *x = f->loops; x; x = x->next)
        if (x == l)
            return true;
    return false;
}

static void emit_jump(Gen *g, LoopCtx *l, bool brk)
{
    if (brk)
        l->has_break = true;
    FinCtx *f = g->fins;
    if (f && loop_outside(f, l)) {
        int id = -1;
        for (int i = 0; i < f->njumps; i++)
            if (f->jumps[i].loop == l && f->jumps[i].brk == brk)
                id = i;
        if (id < 0) {
            FinJump j = {l, brk};
            CC_PUSH(g->cc, f->jumps, f->njumps, f->jumps_cap, j);
            id = f->njumps - 1;
        }
        Expr c = {.kind = EX_INT, .ival = id + 2};
        g_expr(g, &c);
        g_op16(g, CF_OP_STORE, f->action);
        g_br(g, CF_OP_BR, f->level);
        return;
    }
    g_br(g, CF_OP_BR, brk ? l->break_level : l->cont_level);
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
    emit_jump(g, l, brk);
    return false;
}

/* Returns the value on the stack (if [has_value]), through enclosing finally blocks. */
void g_return(Gen *g, bool has_value)
{
    FinCtx *f = g->fins;
    if (!f) {
        if (has_value && g->ret_erased)
            g_to_erased(g, g->ret_erased, g->mi->ret);
        g_op_effect(g, CF_OP_RETURN, has_value ? 1 : 0, 0);
        return;
    }
    if (has_value)
        g_op16(g, CF_OP_STORE, f->ret);
    f->has_return = true;
    Expr c = {.kind = EX_INT, .ival = 1};
    g_expr(g, &c);
    g_op16(g, CF_OP_STORE, f->action);
    g_br(g, CF_OP_BR, f->level);
}

static bool gen_return(Gen *g, Stmt *s)
{
    Cc *cc = g->cc;
    Type *ret = g->mi ? g->mi->ret : &cc->t_void;
    bool value = false;
    if (g->ret_infer && s->expr) {
        /* a lambda without a declared result: the first return decides it */
        Type *t = g_expr(g, s->expr);
        if (t->kind == TY_NULL)
            t = cc_class_ref(cc, "std/core/Object")->type;
        g->ret_infer = false;
        g->mi->ret = t;
        if (t->kind == TY_VOID) {
            g_error(g, s->expr->pos, "cannot return a void expression");
            return false;
        }
        if (!g->ret_erased)
            g->ret_erased = cc_erasure(cc, t);
        g_return(g, true);
        return false;
    }
    if (g->ret_infer)
        g->ret_infer = false;
    if (s->expr) {
        if (ret->kind == TY_VOID) {
            g_error(g, s->expr->pos, "cannot return a value from %s",
                    g->is_init ? "an init" : "a function without a return type");
            g_expr(g, s->expr);
            g_op(g, CF_OP_POP);
        } else {
            g_expect(g, s->expr, ret);
            value = true;
        }
    } else if (ret->kind != TY_VOID) {
        g_error(g, s->pos, "missing return value: expected %s", cc_type_name(cc, ret));
    }
    g_return(g, value);
    return false;
}

static Type *exception_type(Gen *g)
{
    return cc_class_ref(g->cc, "std/core/Exception")->type;
}

/* try T1 { body } catch ... end, with the catch variables in scope of their handlers. */
static bool gen_try_catch(Gen *g, Stmt *s)
{
    Cc *cc = g->cc;
    if (s->ncatches == 0)
        return g_stmt(g, s->body);
    g_open(g, CF_OP_TRY, NULL);
    bool reach = g_stmt(g, s->body);
    Type *exc = exception_type(g);
    for (int i = 0; i < s->ncatches; i++) {
        Catch *c = &s->catches[i];
        Type *t = exc;
        if (c->tref) {
            t = cc_resolve_type(cc, g->f, c->tref);
            if (t->kind != TY_ERROR && !(t->kind == TY_CLASS && cc_subclass(cc, t->cls,
                                                                             exc->cls))) {
                g_error(g, c->tref->pos, "can only catch an Exception, found %s",
                        cc_type_name(cc, t));
                t = &cc->t_error;
            }
        }
        for (int k = 0; k < i; k++) {
            Catch *o = &s->catches[k];
            Type *ot = o->tref ? cc_resolve_type(cc, g->f, o->tref) : exc;
            if (t->kind == TY_CLASS && ot->kind == TY_CLASS && cc_subclass(cc, t->cls, ot->cls)) {
                g_error(g, c->pos, "unreachable catch: %s is already caught above",
                        cc_type_name(cc, t));
                break;
            }
        }
        uint16_t cls = t->kind == TY_CLASS && t != exc ? cf_cp_class(g->cf, t->cls->name) : 0;
        g_catch(g, cls);
        g_push_scope(g);
        Local *l = g_declare_local(g, c->name, t->kind == TY_ERROR ? exc : t, false, c->pos,
                                 false);
        g_mark_line(g, c->pos);
        g_init_local(g, l);
        bool r = g_stmt(g, c->body);
        g_pop_scope(g);
        reach = reach || r;
    }
    g_end(g);
    return reach;
}

static bool gen_try(Gen *g, Stmt *s)
{
    Cc *cc = g->cc;
    if (!s->fin)
        return gen_try_catch(g, s);
    FinCtx f;
    memset(&f, 0, sizeof f);
    f.loops = g->loops;
    f.action = g_new_local(g, &cc->t_int);
    Type *ret = g->mi ? g->mi->ret : &cc->t_void;
    if (ret->kind != TY_VOID) {
        f.ret = g_new_local(g, ret);
        f.has_ret = true;
    }
    Expr zero = {.kind = EX_INT, .ival = 0};
    g_expr(g, &zero);
    g_op16(g, CF_OP_STORE, f.action);
    f.level = g->nest;
    g_open(g, CF_OP_BLOCK, NULL);
    g_open(g, CF_OP_TRY, NULL);
    f.next = g->fins;
    g->fins = &f;
    bool reach = gen_try_catch(g, s);
    g->fins = f.next;
    if (reach)
        g_br(g, CF_OP_BR, f.level);
    /* any exception: run the finally code and rethrow */
    Type *exc = exception_type(g);
    uint16_t saved = g_new_local(g, exc);
    g_catch(g, 0);
    g_op16(g, CF_OP_STORE, saved);
    /* the finally code is emitted again below when anything leaves normally;
     * its diagnostics are reported by one of the two copies */
    bool again = reach || f.has_return || f.njumps > 0;
    if (again)
        cc->mute++;
    bool fr = g_stmt(g, s->fin);
    if (again)
        cc->mute--;
    if (fr) {
        g_op16(g, CF_OP_LOAD, saved);
        g_op(g, CF_OP_THROW);
    }
    g_end(g);
    g_end(g);
    bool exits = f.has_return || f.njumps > 0;
    if (!reach && !exits) {
        /* Nothing leaves the try normally: only the handler runs the finally code. */
        g_op(g, CF_OP_UNREACHABLE);
        return false;
    }
    fr = g_stmt(g, s->fin);
    if (!fr)
        return false;
    if (f.has_return) {
        g_op16(g, CF_OP_LOAD, f.action);
        Expr one = {.kind = EX_INT, .ival = 1};
        g_expr(g, &one);
        g_op(g, CF_OP_IEQ);
        g_open(g, CF_OP_IF, NULL);
        if (f.has_ret)
            g_op16(g, CF_OP_LOAD, f.ret);
        g_return(g, f.has_ret);
        g_end(g);
    }
    for (int i = 0; i < f.njumps; i++) {
        g_op16(g, CF_OP_LOAD, f.action);
        Expr id = {.kind = EX_INT, .ival = i + 2};
        g_expr(g, &id);
        g_op(g, CF_OP_IEQ);
        g_open(g, CF_OP_IF, NULL);
        emit_jump(g, f.jumps[i].loop, f.jumps[i].brk);
        g_end(g);
    }
    if (!reach) {
        g_op(g, CF_OP_UNREACHABLE);
        return false;
    }
    return true;
}

/* A dense int switch: block B { block D { block C[k-1] ... block C[0] {
 * br_table } body 0; br B } ... body k-1; br B } default } */
static bool gen_switch_table(Gen *g, Stmt *s, uint16_t v, int64_t lo, int span, int def)
{
    Cc *cc = g->cc;
    int *cases = cc_alloc(cc, sizeof(int) * (size_t)(s->ncases + 1));
    int k = 0;
    for (int i = 0; i < s->ncases; i++)
        if (s->cases[i].nlabels > 0)
            cases[k++] = i;
    int base = g->nest;
    g_open(g, CF_OP_BLOCK, NULL);     /* B */
    g_open(g, CF_OP_BLOCK, NULL);     /* D */
    for (int j = 0; j < k; j++)
        g_open(g, CF_OP_BLOCK, NULL); /* C[k-1-j] */
    int *levels = cc_alloc(cc, sizeof(int) * (size_t)span);
    for (int x = 0; x < span; x++)
        levels[x] = base + 1;
    for (int j = 0; j < k; j++) {
        Case *c = &s->cases[cases[j]];
        for (int q = 0; q < c->nlabels; q++)
            if (c->labels[q]->kind == EX_INT)
                levels[c->labels[q]->ival - lo] = base + 2 + (k - 1 - j);
    }
    g_op16(g, CF_OP_LOAD, v);
    Expr off = {.kind = EX_INT, .ival = lo};
    g_expr(g, &off);
    g_op(g, CF_OP_ISUB);
    g_br_table(g, span, levels, base + 1);
    bool reach = def < 0;
    for (int j = 0; j < k; j++) {
        g_end(g);
        Case *c = &s->cases[cases[j]];
        g_mark_line(g, c->pos);
        bool r = g_stmt(g, c->body);
        if (r)
            g_br(g, CF_OP_BR, base);
        reach = reach || r;
    }
    g_end(g);                          /* D */
    if (def >= 0) {
        g_mark_line(g, s->cases[def].pos);
        bool r = g_stmt(g, s->cases[def].body);
        reach = reach || r;
    }
    g_end(g);                          /* B */
    if (!reach)
        g_op(g, CF_OP_UNREACHABLE);
    return reach;
}

/* switch over int or String: a chain of tests, each case its own branch (no
 * fall-through); `break` and `continue` refer to the enclosing loop. */
static bool gen_switch(Gen *g, Stmt *s)
{
    Cc *cc = g->cc;
    Type *t = g_expr(g, s->expr);
    bool is_str = cc_is_string(cc, t);
    if (t->kind == TY_BYTE)
        t = &cc->t_int;
    if (t->kind != TY_INT && !is_str && t->kind != TY_ERROR) {
        g_error(g, s->expr->pos, "switch needs an int or a String, found %s",
                cc_type_name(cc, t));
        t = &cc->t_error;
    }
    if (t->kind == TY_ERROR) {
        g_op(g, CF_OP_POP);
        return true;
    }
    uint16_t v = g_new_local(g, t);
    g_op16(g, CF_OP_STORE, v);
    int def = -1;
    for (int i = 0; i < s->ncases; i++) {
        Case *c = &s->cases[i];
        if (c->nlabels == 0) {
            if (def >= 0)
                g_error(g, c->pos, "switch has more than one default");
            def = i;
        }
        for (int k = 0; k < c->nlabels; k++) {
            Expr *e = c->labels[k];
            bool ok = is_str ? e->kind == EX_STRING : e->kind == EX_INT;
            if (!ok) {
                g_error(g, e->pos, "a case label must be %s constant",
                        is_str ? "a String" : "an int");
                continue;
            }
            for (int i2 = 0; i2 <= i; i2++)
                for (int k2 = 0; k2 < s->cases[i2].nlabels; k2++) {
                    Expr *o = s->cases[i2].labels[k2];
                    if (o == e)
                        goto next_label;
                    if (o->kind == e->kind &&
                        (is_str ? o->slen == e->slen && memcmp(o->str, e->str, e->slen) == 0
                                : o->ival == e->ival)) {
                        g_error(g, e->pos, "duplicate case label");
                        goto next_label;
                    }
                }
next_label:;
        }
    }
    /* dense int labels: a jump table */
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    int nlabels = 0;
    for (int i = 0; i < s->ncases && !is_str; i++)
        for (int k = 0; k < s->cases[i].nlabels; k++) {
            Expr *e = s->cases[i].labels[k];
            if (e->kind != EX_INT)
                continue;
            lo = e->ival < lo ? e->ival : lo;
            hi = e->ival > hi ? e->ival : hi;
            nlabels++;
        }
    if (!is_str && nlabels >= 3 && (uint64_t)hi - (uint64_t)lo < 1024 &&
        (int64_t)((uint64_t)hi - (uint64_t)lo) + 1 <= 2 * (int64_t)nlabels + 2)
        return gen_switch_table(g, s, v, lo, (int)(hi - lo + 1), def);
    bool reach = def < 0;
    int opened = 0;
    for (int i = 0; i < s->ncases; i++) {
        Case *c = &s->cases[i];
        if (c->nlabels == 0)
            continue;
        for (int k = 0; k < c->nlabels; k++) {
            Expr *e = c->labels[k];
            if (is_str) {
                /* the literal's equals is null-safe for the value */
                g_expr(g, e);
                g_op16(g, CF_OP_LOAD, v);
                g_op16_effect(
                    g, CF_OP_INVOKEVIRTUAL,
                    cf_cp_method(g->cf, "std/core/String", "equals", "(Lstd/core/Object;)Z"), 2, 1);
            } else {
                g_op16(g, CF_OP_LOAD, v);
                Expr lit = {.kind = EX_INT, .ival = e->kind == EX_INT ? e->ival : 0};
                g_expr(g, &lit);
                g_op(g, CF_OP_IEQ);
            }
            if (k > 0)
                g_op(g, CF_OP_IOR);
        }
        g_open(g, CF_OP_IF, NULL);
        opened++;
        g_mark_line(g, c->pos);
        bool r = g_stmt(g, c->body);
        reach = reach || r;
        g_else(g);
    }
    if (def >= 0) {
        g_mark_line(g, s->cases[def].pos);
        bool r = g_stmt(g, s->cases[def].body);
        reach = reach || r;
    }
    for (int i = 0; i < opened; i++)
        g_end(g);
    if (!reach && opened > 0)
        g_op(g, CF_OP_UNREACHABLE);
    return reach;
}

bool g_stmt(Gen *g, Stmt *s)
{
    Cc *cc = g->cc;
    if (s->kind != ST_BLOCK && s->kind != ST_EMPTY)
        g_mark_line(g, s->pos);
    switch (s->kind) {
    case ST_BLOCK: {
        g_push_scope(g);
        bool r = g_block_stmts(g, s->stmts, s->nstmts);
        g_pop_scope(g);
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
        g_op(g, CF_OP_THROW);
        return false;
    }
    case ST_TRY:
        return gen_try(g, s);
    case ST_SWITCH:
        return gen_switch(g, s);
    case ST_SUPERCALL:
        g_error(g, s->pos, "%s(...) must be the first statement of an init",
                s->is_this ? "this" : "super");
        return true;
    }
    return true;
}
