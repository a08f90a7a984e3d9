/* compiler/capture.c: capture analysis for lambdas: which local variables must
 * live in heap cells because a lambda captures them and someone assigns them. */
#include <string.h>

#include "gen.h"

bool cc_nameset_has(const NameSet *s, const char *name)
{
    for (int i = 0; s && i < s->n; i++)
        if (strcmp(s->names[i], name) == 0)
            return true;
    return false;
}

static void add_name(Cc *cc, NameSet *s, const char *name)
{
    if (!cc_nameset_has(s, name))
        CC_PUSH(cc, s->names, s->n, s->cap, name);
}

void cc_scan_expr(Cc *cc, Expr *e, NameSet *in_lambda, NameSet *assigned, bool inside)
{
    if (!e)
        return;
    switch (e->kind) {
    case EX_NAME:
        if (inside)
            add_name(cc, in_lambda, e->str);
        return;
    case EX_ASSIGN: case EX_PREINC: case EX_PREDEC: case EX_POSTINC: case EX_POSTDEC:
        if (e->a && e->a->kind == EX_NAME)
            add_name(cc, assigned, e->a->str);
        break;
    case EX_LAMBDA:
        cc_scan_expr(cc, e->a, in_lambda, assigned, true);
        cc_scan_stmt(cc, e->lbody, in_lambda, assigned, true);
        return;
    default:
        break;
    }
    cc_scan_expr(cc, e->a, in_lambda, assigned, inside);
    cc_scan_expr(cc, e->b, in_lambda, assigned, inside);
    cc_scan_expr(cc, e->c, in_lambda, assigned, inside);
    for (int i = 0; e->kind != EX_LAMBDA && i < e->nargs && e->args; i++)
        cc_scan_expr(cc, e->args[i], in_lambda, assigned, inside);
}

void cc_scan_stmt(Cc *cc, Stmt *s, NameSet *in_lambda, NameSet *assigned, bool inside)
{
    if (!s)
        return;
    cc_scan_expr(cc, s->expr, in_lambda, assigned, inside);
    for (int i = 0; i < s->nargs && s->args; i++)
        cc_scan_expr(cc, s->args[i], in_lambda, assigned, inside);
    cc_scan_stmt(cc, s->init, in_lambda, assigned, inside);
    cc_scan_stmt(cc, s->update, in_lambda, assigned, inside);
    cc_scan_stmt(cc, s->body, in_lambda, assigned, inside);
    cc_scan_stmt(cc, s->els, in_lambda, assigned, inside);
    cc_scan_stmt(cc, s->fin, in_lambda, assigned, inside);
    for (int i = 0; i < s->nstmts; i++)
        cc_scan_stmt(cc, s->stmts[i], in_lambda, assigned, inside);
    for (int i = 0; i < s->ncatches; i++)
        cc_scan_stmt(cc, s->catches[i].body, in_lambda, assigned, inside);
    for (int i = 0; i < s->ncases; i++) {
        cc_scan_stmt(cc, s->cases[i].body, in_lambda, assigned, inside);
        for (int k = 0; k < s->cases[i].nlabels; k++)
            cc_scan_expr(cc, s->cases[i].labels[k], in_lambda, assigned, inside);
    }
}

void cc_celled_vars(Cc *cc, Stmt *body, Expr *expr, NameSet *out)
{
    NameSet in_lambda = {0}, assigned = {0};
    cc_scan_stmt(cc, body, &in_lambda, &assigned, false);
    cc_scan_expr(cc, expr, &in_lambda, &assigned, false);
    memset(out, 0, sizeof *out);
    for (int i = 0; i < in_lambda.n; i++)
        if (cc_nameset_has(&assigned, in_lambda.names[i]))
            add_name(cc, out, in_lambda.names[i]);
}
