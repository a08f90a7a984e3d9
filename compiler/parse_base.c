/* compiler/parse_base.c: the parser's base: error reporting with recovery, repair of
 * misspelt keywords, tree nodes, qualified names, and types (type references and
 * type parameter lists). */
#include <string.h>

#include "parse.h"

void cc_perr(Parser *p, uint32_t pos, const char *fmt, const char *a, const char *b)
{
    if (p->panic)
        return;
    p->panic = true;
    cc_error(p->cc, p->f, pos, fmt, a, b);
}

/* Reports an error that leaves the token stream in order (no resync). */
void cc_perr_soft(Parser *p, uint32_t pos, const char *fmt, const char *a, const char *b)
{
    if (p->panic)
        return;
    cc_error(p->cc, p->f, pos, fmt, a, b);
}

const char *cc_tok_text(Parser *p, Token *t)
{
    if (t->kind == TK_EOF)
        return p->in_interp ? "'}'" : "end of file";
    return cc_printf(p->cc, "'%.*s'", (int)t->len, p->f->text + t->pos);
}

/* The keyword a misspelt identifier [t] most likely stands for, among [kws]
 * (common spellings from other languages first), or TK_EOF. */
TokKind cc_near_keyword(Parser *p, Token *t, const TokKind *kws, int n)
{
    static const struct { const char *s; TokKind k; } aliases[] = {
        {"fn", TK_FUN}, {"func", TK_FUN}, {"function", TK_FUN}, {"def", TK_FUN},
        {"const", TK_LET}, {"val", TK_LET}, {"elif", TK_ELSE}, {"elsif", TK_ELSE},
        {"foreach", TK_FOR}, {"struct", TK_CLASS}, {"constructor", TK_INIT},
    };
    if (t->kind != TK_IDENT || t->len > 32)
        return TK_EOF;
    char word[40];
    memcpy(word, p->f->text + t->pos, t->len);
    word[t->len] = 0;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(word, aliases[i].s) == 0)
            for (int k = 0; k < n; k++)
                if (kws[k] == aliases[i].k)
                    return kws[k];
    if (t->len < 2)
        return TK_EOF;
    for (int k = 0; k < n; k++) {
        const char *kw = cc_tok_name(kws[k]);
        size_t kl = strlen(kw);
        /* one edit apart needs lengths at most one apart (most statements start
         * with a name like println, far from every keyword) */
        if (kl > t->len + 1 || t->len > kl + 1)
            continue;
        int d = cc_edit_distance(word, kw);
        if (d == 1 && (kl > 2 || t->len == kl))
            return kws[k];
    }
    return TK_EOF;
}

/* Reports "expected WHAT, found 'fro'" with "did you mean 'for'?" and turns the
 * token into that keyword, so that parsing goes on as the author meant. */
void cc_fix_keyword(Parser *p, TokKind k, const char *what)
{
    Token *t = cur(p);
    if (!p->panic) {
        cc_error(p->cc, p->f, t->pos, "expected %s, found '%.*s'", what, (int)t->len,
                 p->f->text + t->pos);
        cc_help(p->cc, "did you mean '%s'?", cc_tok_name(k));
    }
    t->kind = k;
}

/* "expected ';' after expression": points just after the previous token, as
 * that is where the missing text belongs. */
bool cc_expect(Parser *p, TokKind k, const char *after)
{
    if (accept(p, k))
        return true;
    if (p->panic)
        return false;
    if (after && p->i > 0) {
        Token *prev = &p->t[p->i - 1];
        cc_perr(p, prev->pos + prev->len, "expected '%s' after %s", cc_tok_name(k), after);
    } else {
        cc_perr(p, cur(p)->pos, "expected '%s', found %s", cc_tok_name(k), cc_tok_text(p, cur(p)));
    }
    return false;
}

const char *cc_ident(Parser *p, const char *what)
{
    if (kind(p) == TK_IDENT) {
        Token *t = cur(p);
        next(p);
        return cc_strdup(p->cc, p->f->text + t->pos, t->len);
    }
    cc_perr(p, cur(p)->pos, "expected %s, found %s", what, cc_tok_text(p, cur(p)));
    return NULL;
}

Expr *cc_mk_expr(Parser *p, ExprKind k, uint32_t pos)
{
    Expr *e = cc_alloc(p->cc, sizeof *e);
    e->kind = k;
    e->pos = pos;
    return e;
}

/* Records the height of [e] over its children; false (after reporting) when
 * the tree gets too deep for the recursive passes that follow. */
bool cc_deepen(Parser *p, Expr *e, Expr *a, Expr *b)
{
    int d = a ? a->depth : 0;
    if (b && b->depth > d)
        d = b->depth;
    e->depth = d + 1;
    if (e->depth > MAX_EXPR_DEPTH) {
        cc_perr(p, e->pos, "expression is too deeply nested%s%s", "", "");
        return false;
    }
    return true;
}

/* The deepest of [n] expressions, as a stand-in child for cc_deepen(). */
Expr *cc_deepest(Expr **xs, int n)
{
    Expr *best = NULL;
    for (int i = 0; i < n; i++)
        if (xs[i] && (!best || xs[i]->depth > best->depth))
            best = xs[i];
    return best;
}

Stmt *cc_mk_stmt(Parser *p, StmtKind k, uint32_t pos)
{
    Stmt *s = cc_alloc(p->cc, sizeof *s);
    s->kind = k;
    s->pos = pos;
    return s;
}

/* ---- types -------------------------------------------------------------------- */
const char *cc_qualified_name(Parser *p, const char *what)
{
    const char *name = cc_ident(p, what);
    if (!name)
        return NULL;
    while (kind(p) == TK_DOT && kind_at(p, 1) == TK_IDENT) {
        next(p);
        const char *part = cc_ident(p, what);
        name = cc_printf(p->cc, "%s.%s", name, part);
    }
    return name;
}

/* Splits a '>>' or '>>>' token so that nested type arguments close one at a time. */
bool cc_close_angle(Parser *p)
{
    Token *t = cur(p);
    if (t->kind == TK_GT) {
        next(p);
        return true;
    }
    if (t->kind == TK_SHR || t->kind == TK_USHR || t->kind == TK_GE) {
        t->kind = t->kind == TK_SHR ? TK_GT : t->kind == TK_USHR ? TK_SHR : TK_ASSIGN;
        t->pos++;
        t->len--;
        return true;
    }
    cc_perr(p, t->pos, "expected '>' to close the type arguments, found %s%s", cc_tok_text(p, t),
         "");
    return false;
}

bool cc_parse_type_list(Parser *p, TypeRef ***list, int *n, TokKind close)
{
    int cap = 0;
    *n = 0;
    *list = NULL;
    if (close == TK_RPAREN && accept(p, TK_RPAREN))
        return true;
    do {
        TypeRef *a = cc_parse_type(p);
        if (!a)
            return false;
        CC_PUSH(p->cc, *list, *n, cap, a);
    } while (accept(p, TK_COMMA));
    return close == TK_GT ? cc_close_angle(p) : cc_expect(p, close, NULL);
}

TypeRef *cc_parse_type(Parser *p)
{
    if (p->nest >= MAX_NEST) {
        cc_perr(p, cur(p)->pos, "type is too deeply nested%s%s", "", "");
        return NULL;
    }
    TypeRef *t = cc_alloc(p->cc, sizeof *t);
    t->pos = cur(p)->pos;
    p->nest++;
    if (accept(p, TK_FUN)) {
        t->is_fun = true;
        if (!cc_expect(p, TK_LPAREN, NULL) || !cc_parse_type_list(p, &t->args, &t->nargs, TK_RPAREN)) {
            p->nest--;
            return NULL;
        }
        if (accept(p, TK_COLON) && !(t->ret = cc_parse_type(p))) {
            p->nest--;
            return NULL;
        }
    } else {
        t->name = cc_qualified_name(p, "a type");
        if (!t->name) {
            p->nest--;
            return NULL;
        }
        if (kind(p) == TK_LT) {
            next(p);
            if (!cc_parse_type_list(p, &t->args, &t->nargs, TK_GT)) {
                p->nest--;
                return NULL;
            }
        }
    }
    p->nest--;
    while (kind(p) == TK_LBRACKET && kind_at(p, 1) == TK_RBRACKET) {
        next(p);
        next(p);
        t->dims++;
    }
    return t;
}

/* <T, U extends Bound> after a class or function name; none when absent. */
bool cc_parse_tparams(Parser *p, TypeParamDecl **out, int *n)
{
    *out = NULL;
    *n = 0;
    if (!accept(p, TK_LT))
        return true;
    int cap = 0;
    do {
        TypeParamDecl tp = {0};
        tp.pos = cur(p)->pos;
        tp.name = cc_ident(p, "a type parameter name");
        if (!tp.name)
            return false;
        if (accept(p, TK_EXTENDS) && !(tp.bound = cc_parse_type(p)))
            return false;
        CC_PUSH(p->cc, *out, *n, cap, tp);
    } while (accept(p, TK_COMMA));
    return cc_close_angle(p);
}

/* ---- expressions -------------------------------------------------------------- */
