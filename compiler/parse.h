/* compiler/parse.h: the parser's state and its shared pieces, for the parser's own
 * files only: parse_base.c (token cursor, errors, keyword repair, names, types),
 * parser.c (expressions and statements) and parse_decl.c (declarations and the
 * file). Dependencies go one way: parse_decl.c -> parser.c -> parse_base.c. */
#ifndef MICA_COMPILER_PARSE_H
#define MICA_COMPILER_PARSE_H

#include "cc.h"

typedef struct Parser {
    Cc *cc;
    SourceFile *f;
    Token *t;
    int n, i;
    bool panic;     /* an error was reported; quiet until the next sync point */
    bool in_interp; /* parsing the expression of a ${...} */
    int nest;       /* recursion depth, bounded so hostile input cannot overflow the stack */
} Parser;

#define MAX_NEST 256
#define MAX_EXPR_DEPTH 2000

/* The token cursor. */
static inline Token *cur(Parser *p) { return &p->t[p->i]; }
static inline TokKind kind(Parser *p) { return p->t[p->i].kind; }
static inline TokKind kind_at(Parser *p, int k)
{
    return p->i + k < p->n ? p->t[p->i + k].kind : TK_EOF;
}
static inline void next(Parser *p)
{
    if (p->i < p->n - 1)
        p->i++;
}
static inline bool accept(Parser *p, TokKind k)
{
    if (kind(p) == k) {
        next(p);
        return true;
    }
    return false;
}

/* parse_base.c */
void cc_perr(Parser *p, uint32_t pos, const char *fmt, const char *a, const char *b);
void cc_perr_soft(Parser *p, uint32_t pos, const char *fmt, const char *a, const char *b);
const char *cc_tok_text(Parser *p, Token *t);
TokKind cc_near_keyword(Parser *p, Token *t, const TokKind *kws, int n);
void cc_fix_keyword(Parser *p, TokKind k, const char *what);
bool cc_expect(Parser *p, TokKind k, const char *after);
const char *cc_ident(Parser *p, const char *what);
Expr *cc_mk_expr(Parser *p, ExprKind k, uint32_t pos);
bool cc_deepen(Parser *p, Expr *e, Expr *a, Expr *b);
Expr *cc_deepest(Expr **xs, int n);
Stmt *cc_mk_stmt(Parser *p, StmtKind k, uint32_t pos);
const char *cc_qualified_name(Parser *p, const char *what);
bool cc_close_angle(Parser *p);
bool cc_parse_type_list(Parser *p, TypeRef ***list, int *n, TokKind close);
TypeRef *cc_parse_type(Parser *p);
bool cc_parse_tparams(Parser *p, TypeParamDecl **out, int *n);

/* parser.c */
Expr *cc_parse_expr(Parser *p);
Expr *cc_parse_primary(Parser *p);
Stmt *cc_parse_block(Parser *p);

#endif
