/* compiler/parser.c: recursive-descent parser from tokens to the AST, with
 * recovery at statement and declaration level. */
#include <string.h>

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

static Token *cur(Parser *p) { return &p->t[p->i]; }
static TokKind kind(Parser *p) { return p->t[p->i].kind; }
static TokKind kind_at(Parser *p, int k)
{
    return p->i + k < p->n ? p->t[p->i + k].kind : TK_EOF;
}
static void next(Parser *p)
{
    if (p->i < p->n - 1)
        p->i++;
}
static bool accept(Parser *p, TokKind k)
{
    if (kind(p) == k) {
        next(p);
        return true;
    }
    return false;
}

static void perr(Parser *p, uint32_t pos, const char *fmt, const char *a, const char *b)
{
    if (p->panic)
        return;
    p->panic = true;
    cc_error(p->cc, p->f, pos, fmt, a, b);
}

/* Reports an error that leaves the token stream in order (no resync). */
static void perr_soft(Parser *p, uint32_t pos, const char *fmt, const char *a, const char *b)
{
    if (p->panic)
        return;
    cc_error(p->cc, p->f, pos, fmt, a, b);
}

static const char *tok_text(Parser *p, Token *t)
{
    if (t->kind == TK_EOF)
        return p->in_interp ? "'}'" : "end of file";
    return cc_printf(p->cc, "'%.*s'", (int)t->len, p->f->text + t->pos);
}

/* The keyword a misspelt identifier [t] most likely stands for, among [kws]
 * (common spellings from other languages first), or TK_EOF. */
static TokKind near_keyword(Parser *p, Token *t, const TokKind *kws, int n)
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
        int d = cc_edit_distance(word, kw);
        if (d == 1 && (strlen(kw) > 2 || t->len == strlen(kw)))
            return kws[k];
    }
    return TK_EOF;
}

/* Reports "expected WHAT, found 'fro'" with "did you mean 'for'?" and turns the
 * token into that keyword, so that parsing goes on as the author meant. */
static void fix_keyword(Parser *p, TokKind k, const char *what)
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
static bool expect(Parser *p, TokKind k, const char *after)
{
    if (accept(p, k))
        return true;
    if (p->panic)
        return false;
    if (after && p->i > 0) {
        Token *prev = &p->t[p->i - 1];
        perr(p, prev->pos + prev->len, "expected '%s' after %s", cc_tok_name(k), after);
    } else {
        perr(p, cur(p)->pos, "expected '%s', found %s", cc_tok_name(k), tok_text(p, cur(p)));
    }
    return false;
}

static const char *ident(Parser *p, const char *what)
{
    if (kind(p) == TK_IDENT) {
        Token *t = cur(p);
        next(p);
        return cc_strdup(p->cc, p->f->text + t->pos, t->len);
    }
    perr(p, cur(p)->pos, "expected %s, found %s", what, tok_text(p, cur(p)));
    return NULL;
}

static Expr *mk_expr(Parser *p, ExprKind k, uint32_t pos)
{
    Expr *e = cc_alloc(p->cc, sizeof *e);
    e->kind = k;
    e->pos = pos;
    return e;
}

/* Records the height of [e] over its children; false (after reporting) when
 * the tree gets too deep for the recursive passes that follow. */
static bool deepen(Parser *p, Expr *e, Expr *a, Expr *b)
{
    int d = a ? a->depth : 0;
    if (b && b->depth > d)
        d = b->depth;
    e->depth = d + 1;
    if (e->depth > MAX_EXPR_DEPTH) {
        perr(p, e->pos, "expression is too deeply nested%s%s", "", "");
        return false;
    }
    return true;
}

/* The deepest of [n] expressions, as a stand-in child for deepen(). */
static Expr *deepest(Expr **xs, int n)
{
    Expr *best = NULL;
    for (int i = 0; i < n; i++)
        if (xs[i] && (!best || xs[i]->depth > best->depth))
            best = xs[i];
    return best;
}

static Stmt *mk_stmt(Parser *p, StmtKind k, uint32_t pos)
{
    Stmt *s = cc_alloc(p->cc, sizeof *s);
    s->kind = k;
    s->pos = pos;
    return s;
}

/* ---- types -------------------------------------------------------------------- */
static const char *qualified_name(Parser *p, const char *what)
{
    const char *name = ident(p, what);
    if (!name)
        return NULL;
    while (kind(p) == TK_DOT && kind_at(p, 1) == TK_IDENT) {
        next(p);
        const char *part = ident(p, what);
        name = cc_printf(p->cc, "%s.%s", name, part);
    }
    return name;
}

/* Splits a '>>' or '>>>' token so that nested type arguments close one at a time. */
static bool close_angle(Parser *p)
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
    perr(p, t->pos, "expected '>' to close the type arguments, found %s%s", tok_text(p, t),
         "");
    return false;
}

static TypeRef *parse_type(Parser *p);

static bool parse_type_list(Parser *p, TypeRef ***list, int *n, TokKind close)
{
    int cap = 0;
    *n = 0;
    *list = NULL;
    if (close == TK_RPAREN && accept(p, TK_RPAREN))
        return true;
    do {
        TypeRef *a = parse_type(p);
        if (!a)
            return false;
        CC_PUSH(p->cc, *list, *n, cap, a);
    } while (accept(p, TK_COMMA));
    return close == TK_GT ? close_angle(p) : expect(p, close, NULL);
}

static TypeRef *parse_type(Parser *p)
{
    if (p->nest >= MAX_NEST) {
        perr(p, cur(p)->pos, "type is too deeply nested%s%s", "", "");
        return NULL;
    }
    TypeRef *t = cc_alloc(p->cc, sizeof *t);
    t->pos = cur(p)->pos;
    p->nest++;
    if (accept(p, TK_FUN)) {
        t->is_fun = true;
        if (!expect(p, TK_LPAREN, NULL) || !parse_type_list(p, &t->args, &t->nargs, TK_RPAREN)) {
            p->nest--;
            return NULL;
        }
        if (accept(p, TK_COLON) && !(t->ret = parse_type(p))) {
            p->nest--;
            return NULL;
        }
    } else {
        t->name = qualified_name(p, "a type");
        if (!t->name) {
            p->nest--;
            return NULL;
        }
        if (kind(p) == TK_LT) {
            next(p);
            if (!parse_type_list(p, &t->args, &t->nargs, TK_GT)) {
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
static bool parse_tparams(Parser *p, TypeParamDecl **out, int *n)
{
    *out = NULL;
    *n = 0;
    if (!accept(p, TK_LT))
        return true;
    int cap = 0;
    do {
        TypeParamDecl tp = {0};
        tp.pos = cur(p)->pos;
        tp.name = ident(p, "a type parameter name");
        if (!tp.name)
            return false;
        if (accept(p, TK_EXTENDS) && !(tp.bound = parse_type(p)))
            return false;
        CC_PUSH(p->cc, *out, *n, cap, tp);
    } while (accept(p, TK_COMMA));
    return close_angle(p);
}

/* ---- expressions -------------------------------------------------------------- */
static Expr *parse_expr(Parser *p);
static Expr *parse_unary(Parser *p);

static Expr **parse_args(Parser *p, int *nargs, TokKind close)
{
    Expr **args = NULL;
    int n = 0, cap = 0;
    if (kind(p) != close) {
        do {
            Expr *e = parse_expr(p);
            if (!e)
                return NULL;
            CC_PUSH(p->cc, args, n, cap, e);
        } while (accept(p, TK_COMMA));
    }
    if (!expect(p, close, NULL))
        return NULL;
    *nargs = n;
    return args;
}

static void put_utf8(Parser *p, char **buf, int *n, int *cap, uint32_t cp)
{
    char tmp[4];
    int k;
    if (cp < 0x80) {
        tmp[0] = (char)cp;
        k = 1;
    } else if (cp < 0x800) {
        tmp[0] = (char)(0xC0 | (cp >> 6));
        tmp[1] = (char)(0x80 | (cp & 0x3F));
        k = 2;
    } else if (cp < 0x10000) {
        tmp[0] = (char)(0xE0 | (cp >> 12));
        tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        tmp[2] = (char)(0x80 | (cp & 0x3F));
        k = 3;
    } else {
        tmp[0] = (char)(0xF0 | (cp >> 18));
        tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        tmp[3] = (char)(0x80 | (cp & 0x3F));
        k = 4;
    }
    for (int i = 0; i < k; i++)
        CC_PUSH(p->cc, *buf, *n, *cap, tmp[i]);
}

static void flush_piece(Parser *p, Expr ***parts, int *nparts, int *pcap, char **buf,
                        int *n, int *cap, uint32_t pos)
{
    if (*n == 0)
        return;
    Expr *e = mk_expr(p, EX_STRING, pos);
    e->str = cc_strdup(p->cc, *buf, (size_t)*n);
    e->slen = (size_t)*n;
    CC_PUSH(p->cc, *parts, *nparts, *pcap, e);
    *buf = NULL;
    *n = *cap = 0;
}

/* Decodes a string literal token: escapes and ${expr} interpolation. */
static Expr *parse_string(Parser *p, Token *t)
{
    const char *s = p->f->text;
    uint32_t i = t->pos + 1, end = t->pos + t->len;
    if (end > i && s[end - 1] == '"')
        end--;
    char *buf = NULL;
    int n = 0, cap = 0;
    Expr **parts = NULL;
    int nparts = 0, pcap = 0;
    bool interp = false;
    uint32_t piece_pos = t->pos;
    while (i < end) {
        char c = s[i];
        if (c == '\\' && i + 1 < end) {
            char d = s[i + 1];
            uint32_t at = i;
            i += 2;
            switch (d) {
            case 'n': CC_PUSH(p->cc, buf, n, cap, '\n'); break;
            case 't': CC_PUSH(p->cc, buf, n, cap, '\t'); break;
            case 'r': CC_PUSH(p->cc, buf, n, cap, '\r'); break;
            case '0': CC_PUSH(p->cc, buf, n, cap, '\0'); break;
            case '"': case '\\': case '$': CC_PUSH(p->cc, buf, n, cap, d); break;
            case 'u': {
                uint32_t cp = 0;
                int nd = 0;
                bool ok = i < end && s[i] == '{';
                if (ok) {
                    i++;
                    while (i < end && s[i] != '}' && nd < 7) {
                        int v = (s[i] >= '0' && s[i] <= '9') ? s[i] - '0'
                              : (s[i] >= 'a' && s[i] <= 'f') ? s[i] - 'a' + 10
                              : (s[i] >= 'A' && s[i] <= 'F') ? s[i] - 'A' + 10 : -1;
                        if (v < 0) {
                            ok = false;
                            break;
                        }
                        cp = cp * 16 + (uint32_t)v;
                        nd++;
                        i++;
                    }
                    ok = ok && i < end && s[i] == '}' && nd > 0 && cp <= 0x10FFFF &&
                         !(cp >= 0xD800 && cp <= 0xDFFF);
                    if (i < end && s[i] == '}')
                        i++;
                }
                if (!ok)
                    perr_soft(p, at, "invalid unicode escape%s%s", "", "");
                else
                    put_utf8(p, &buf, &n, &cap, cp);
                break;
            }
            default:
                perr_soft(p, at, "invalid escape sequence '\\%.1s'%s", s + at + 1, "");
            }
            continue;
        }
        if (c == '$' && i + 1 < end && s[i + 1] == '{') {
            interp = true;
            flush_piece(p, &parts, &nparts, &pcap, &buf, &n, &cap, piece_pos);
            uint32_t st = i + 2, k = cc_interp_end(p->f, st, end);
            int nt;
            Token *toks = cc_lex(p->cc, p->f, st, k, &nt);
            Parser sub = {p->cc, p->f, toks, nt, 0, false, true, p->nest + 1};
            if (nt == 1) {
                perr(p, i, "empty interpolation%s%s", "", "");
            } else {
                Expr *e = parse_expr(&sub);
                if (e && kind(&sub) != TK_EOF)
                    perr(&sub, cur(&sub)->pos, "unexpected %s in interpolation%s",
                         tok_text(&sub, cur(&sub)), "");
                if (sub.panic)
                    p->panic = true;
                if (e)
                    CC_PUSH(p->cc, parts, nparts, pcap, e);
            }
            i = k + 1;
            piece_pos = i;
            continue;
        }
        CC_PUSH(p->cc, buf, n, cap, c);
        i++;
    }
    if (!interp) {
        Expr *e = mk_expr(p, EX_STRING, t->pos);
        e->str = n ? cc_strdup(p->cc, buf, (size_t)n) : "";
        e->slen = (size_t)n;
        return e;
    }
    flush_piece(p, &parts, &nparts, &pcap, &buf, &n, &cap, piece_pos);
    Expr *e = mk_expr(p, EX_INTERP, t->pos);
    e->args = parts;
    e->nargs = nparts;
    return deepen(p, e, deepest(parts, nparts), NULL) ? e : NULL;
}

static Expr *parse_int_literal(Parser *p, bool negate, uint32_t pos)
{
    Token *t = cur(p);
    next(p);
    Expr *e = mk_expr(p, EX_INT, pos);
    uint64_t lim = negate ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    if (t->overflow || t->ival > lim) {
        perr_soft(p, pos, "integer literal %s%s is out of range", negate ? "-" : "",
             cc_strdup(p->cc, p->f->text + t->pos, t->len));
        return e;
    }
    e->ival = negate ? (int64_t)(0 - t->ival) : (int64_t)t->ival;
    return e;
}

/* ---- lambdas ------------------------------------------------------------------ */
/* Skips a type starting at token [i] (no semantic checks); -1 if it is not one. */
static int skip_type(Parser *p, int i)
{
    if (p->t[i].kind == TK_FUN) {
        if (p->t[++i].kind != TK_LPAREN)
            return -1;
        int depth = 0;
        for (; i < p->n; i++) {
            if (p->t[i].kind == TK_LPAREN)
                depth++;
            else if (p->t[i].kind == TK_RPAREN && --depth == 0)
                break;
            else if (p->t[i].kind == TK_EOF)
                return -1;
        }
        i++;
        if (p->t[i].kind == TK_COLON)
            return skip_type(p, i + 1);
        return i;
    }
    if (p->t[i].kind != TK_IDENT)
        return -1;
    i++;
    while (p->t[i].kind == TK_DOT && p->t[i + 1].kind == TK_IDENT)
        i += 2;
    if (p->t[i].kind == TK_LT) {
        int depth = 0;
        for (; i < p->n && p->t[i].kind != TK_EOF; i++) {
            TokKind k = p->t[i].kind;
            if (k == TK_LT)
                depth++;
            else if (k == TK_GT)
                depth--;
            else if (k == TK_SHR)
                depth -= 2;
            else if (k == TK_USHR)
                depth -= 3;
            else if (k != TK_IDENT && k != TK_COMMA && k != TK_DOT && k != TK_LBRACKET &&
                     k != TK_RBRACKET && k != TK_FUN && k != TK_LPAREN && k != TK_RPAREN &&
                     k != TK_COLON)
                return -1;
            if (depth <= 0) {
                i++;
                break;
            }
        }
    }
    while (p->t[i].kind == TK_LBRACKET && p->t[i + 1].kind == TK_RBRACKET)
        i += 2;
    return i;
}

/* Does a lambda start at the current '('? */
static bool looks_like_lambda(Parser *p)
{
    int i = p->i + 1;
    if (p->t[i].kind != TK_RPAREN) {
        for (;;) {
            if (p->t[i].kind != TK_IDENT)
                return false;
            i++;
            if (p->t[i].kind == TK_COLON) {
                i = skip_type(p, i + 1);
                if (i < 0)
                    return false;
            }
            if (p->t[i].kind == TK_COMMA) {
                i++;
                continue;
            }
            if (p->t[i].kind == TK_RPAREN)
                break;
            return false;
        }
    }
    i++;
    if (p->t[i].kind == TK_COLON) {
        i = skip_type(p, i + 1);
        if (i < 0)
            return false;
    }
    return p->t[i].kind == TK_ARROW;
}

static Stmt *parse_block(Parser *p);

static Expr *parse_lambda(Parser *p)
{
    Expr *e = mk_expr(p, EX_LAMBDA, cur(p)->pos);
    next(p);  /* ( */
    int cap = 0;
    if (!accept(p, TK_RPAREN)) {
        do {
            Param prm = {0};
            prm.pos = cur(p)->pos;
            prm.name = ident(p, "a parameter name");
            if (!prm.name)
                return NULL;
            if (accept(p, TK_COLON) && !(prm.tref = parse_type(p)))
                return NULL;
            CC_PUSH(p->cc, e->lparams, e->nargs, cap, prm);
        } while (accept(p, TK_COMMA));
        if (!expect(p, TK_RPAREN, NULL))
            return NULL;
    }
    if (accept(p, TK_COLON) && !(e->tref = parse_type(p)))
        return NULL;
    if (!expect(p, TK_ARROW, NULL))
        return NULL;
    if (kind(p) == TK_LBRACE) {
        e->lbody = parse_block(p);
        if (!e->lbody || p->panic)
            return NULL;
    } else {
        e->a = parse_expr(p);
        if (!e->a)
            return NULL;
        e->depth = e->a->depth + 1;
    }
    return e;
}

static Expr *parse_primary(Parser *p)
{
    Token *t = cur(p);
    uint32_t pos = t->pos;
    Expr *e;
    switch (t->kind) {
    case TK_INT:
        return parse_int_literal(p, false, pos);
    case TK_FLOAT:
        e = mk_expr(p, EX_FLOAT, pos);
        e->fval = t->fval;
        next(p);
        return e;
    case TK_STRING:
        next(p);
        return parse_string(p, t);
    case TK_TRUE:
    case TK_FALSE:
        e = mk_expr(p, EX_BOOL, pos);
        e->ival = t->kind == TK_TRUE;
        next(p);
        return e;
    case TK_NULL:
        next(p);
        return mk_expr(p, EX_NULL, pos);
    case TK_THIS:
        next(p);
        return mk_expr(p, EX_THIS, pos);
    case TK_SUPER:
        next(p);
        return mk_expr(p, EX_SUPER, pos);
    case TK_IDENT:
        e = mk_expr(p, EX_NAME, pos);
        e->str = ident(p, "a name");
        return e;
    case TK_LPAREN: {
        if (looks_like_lambda(p))
            return parse_lambda(p);
        next(p);
        Expr *in = parse_expr(p);
        if (!in)
            return NULL;
        if (!expect(p, TK_RPAREN, NULL))
            return NULL;
        return in;
    }
    case TK_LBRACKET:
        next(p);
        e = mk_expr(p, EX_ARRAYLIT, pos);
        e->args = parse_args(p, &e->nargs, TK_RBRACKET);
        if (p->panic || !deepen(p, e, deepest(e->args, e->nargs), NULL))
            return NULL;
        return e;
    case TK_NEW: {
        next(p);
        TypeRef *tr = cc_alloc(p->cc, sizeof *tr);
        tr->pos = cur(p)->pos;
        tr->name = qualified_name(p, "a type");
        if (!tr->name)
            return NULL;
        if (kind(p) == TK_LT) {
            next(p);
            if (!parse_type_list(p, &tr->args, &tr->nargs, TK_GT))
                return NULL;
        }
        if (accept(p, TK_LBRACKET)) {
            e = mk_expr(p, EX_NEWARRAY, pos);
            e->a = parse_expr(p);
            if (!e->a || !expect(p, TK_RBRACKET, NULL) || !deepen(p, e, e->a, NULL))
                return NULL;
            tr->dims = 1;
            while (kind(p) == TK_LBRACKET && kind_at(p, 1) == TK_RBRACKET) {
                next(p);
                next(p);
                tr->dims++;
            }
            e->tref = tr;
            return e;
        }
        e = mk_expr(p, EX_NEW, pos);
        e->tref = tr;
        if (!expect(p, TK_LPAREN, NULL))
            return NULL;
        e->args = parse_args(p, &e->nargs, TK_RPAREN);
        if (p->panic || !deepen(p, e, deepest(e->args, e->nargs), NULL))
            return NULL;
        return e;
    }
    default:
        perr(p, pos, "expected an expression, found %s%s", tok_text(p, t), "");
        return NULL;
    }
}

/* Is the '<' at the cursor the start of explicit type arguments of a call,
 * `f<String>(...)` or `Box.of<int>(...)`: types up to a matching '>' that is
 * followed by '('? (As in C#, `a < b > (c)` reads as a call.) */
static bool generic_call_ahead(Parser *p, Expr *e)
{
    if (kind(p) != TK_LT || (e->kind != EX_NAME && e->kind != EX_FIELD) || p->i < 1 ||
        p->t[p->i - 1].kind != TK_IDENT)
        return false;
    int end = skip_type(p, p->i - 1);
    return end > p->i && end < p->n && p->t[end].kind == TK_LPAREN &&
           p->t[end - 1].kind != TK_RBRACKET;
}

static Expr *parse_postfix(Parser *p)
{
    Expr *e = parse_primary(p);
    while (e) {
        uint32_t pos = cur(p)->pos;
        if (accept(p, TK_DOT)) {
            Expr *f = mk_expr(p, EX_FIELD, pos);
            f->a = e;
            f->pos = cur(p)->pos;
            f->str = ident(p, "a member name after '.'");
            if (!f->str || !deepen(p, f, e, NULL))
                return NULL;
            e = f;
        } else if (kind(p) == TK_LPAREN || generic_call_ahead(p, e)) {
            TypeRef **targs = NULL;
            int ntargs = 0;
            if (kind(p) == TK_LT) {
                next(p);
                if (!parse_type_list(p, &targs, &ntargs, TK_GT))
                    return NULL;
            }
            next(p);
            Expr *c = mk_expr(p, EX_CALL, e->pos);
            c->a = e;
            c->targs = targs;
            c->ntargs = ntargs;
            c->args = parse_args(p, &c->nargs, TK_RPAREN);
            if (p->panic || !deepen(p, c, e, deepest(c->args, c->nargs)))
                return NULL;
            e = c;
        } else if (accept(p, TK_LBRACKET)) {
            Expr *x = mk_expr(p, EX_INDEX, pos);
            x->a = e;
            x->b = parse_expr(p);
            if (!x->b || !expect(p, TK_RBRACKET, NULL) || !deepen(p, x, e, x->b))
                return NULL;
            e = x;
        } else if (kind(p) == TK_INC || kind(p) == TK_DEC) {
            Expr *x = mk_expr(p, kind(p) == TK_INC ? EX_POSTINC : EX_POSTDEC, pos);
            next(p);
            x->a = e;
            if (!deepen(p, x, e, NULL))
                return NULL;
            e = x;
        } else {
            break;
        }
    }
    return e;
}

static Expr *parse_unary_inner(Parser *p);

/* Runs [inner] one nesting level deeper, refusing expressions nested past
 * MAX_NEST so that recursion in the parser and code generator stays bounded. */
static Expr *parse_nested(Parser *p, Expr *(*inner)(Parser *))
{
    if (p->nest >= MAX_NEST) {
        perr(p, cur(p)->pos, "expression is too deeply nested%s%s", "", "");
        return NULL;
    }
    p->nest++;
    Expr *e = inner(p);
    p->nest--;
    return e;
}

static Expr *parse_unary(Parser *p) { return parse_nested(p, parse_unary_inner); }

static Expr *parse_unary_inner(Parser *p)
{
    uint32_t pos = cur(p)->pos;
    TokKind k = kind(p);
    if (k == TK_MINUS && kind_at(p, 1) == TK_INT) {
        next(p);
        /* Folded so that -9223372036854775808 is representable. */
        Expr *lit = parse_int_literal(p, true, pos);
        return lit;
    }
    if (k == TK_MINUS || k == TK_BANG || k == TK_TILDE || k == TK_PLUS) {
        next(p);
        Expr *a = parse_unary(p);
        if (!a)
            return NULL;
        if (k == TK_PLUS)
            return a;
        Expr *e = mk_expr(p, EX_UNARY, pos);
        e->op = k;
        e->a = a;
        return deepen(p, e, a, NULL) ? e : NULL;
    }
    if (k == TK_INC || k == TK_DEC) {
        next(p);
        Expr *a = parse_unary(p);
        if (!a)
            return NULL;
        Expr *e = mk_expr(p, k == TK_INC ? EX_PREINC : EX_PREDEC, pos);
        e->a = a;
        return deepen(p, e, a, NULL) ? e : NULL;
    }
    return parse_postfix(p);
}

static Expr *parse_as(Parser *p)
{
    Expr *e = parse_unary(p);
    while (e && kind(p) == TK_AS) {
        uint32_t pos = cur(p)->pos;
        next(p);
        Expr *x = mk_expr(p, EX_AS, pos);
        x->a = e;
        x->tref = parse_type(p);
        if (!x->tref || !deepen(p, x, e, NULL))
            return NULL;
        e = x;
    }
    return e;
}

static int binprec(TokKind k)
{
    switch (k) {
    case TK_OROR: return 1;
    case TK_ANDAND: return 2;
    case TK_PIPE: return 3;
    case TK_CARET: return 4;
    case TK_AMP: return 5;
    case TK_EQ: case TK_NE: case TK_EQEQEQ: case TK_NEEQEQ: return 6;
    case TK_LT: case TK_LE: case TK_GT: case TK_GE: case TK_IS: return 7;
    case TK_SHL: case TK_SHR: case TK_USHR: return 8;
    case TK_PLUS: case TK_MINUS: return 9;
    case TK_STAR: case TK_SLASH: case TK_PERCENT: return 10;
    default: return 0;
    }
}

static Expr *parse_binary(Parser *p, int minprec)
{
    Expr *lhs = parse_as(p);
    while (lhs) {
        TokKind k = kind(p);
        int prec = binprec(k);
        if (prec == 0 || prec < minprec)
            break;
        uint32_t pos = cur(p)->pos;
        next(p);
        if (k == TK_IS) {
            Expr *x = mk_expr(p, EX_IS, pos);
            x->a = lhs;
            x->tref = parse_type(p);
            if (!x->tref || !deepen(p, x, lhs, NULL))
                return NULL;
            lhs = x;
            continue;
        }
        Expr *rhs = parse_binary(p, prec + 1);
        if (!rhs)
            return NULL;
        Expr *e = mk_expr(p, EX_BINARY, pos);
        e->op = k;
        e->a = lhs;
        e->b = rhs;
        if (!deepen(p, e, lhs, rhs))
            return NULL;
        lhs = e;
    }
    return lhs;
}

static bool is_assign_op(TokKind k)
{
    switch (k) {
    case TK_ASSIGN: case TK_PLUSEQ: case TK_MINUSEQ: case TK_STAREQ: case TK_SLASHEQ:
    case TK_PERCENTEQ: case TK_AMPEQ: case TK_PIPEEQ: case TK_CARETEQ: case TK_SHLEQ:
    case TK_SHREQ: case TK_USHREQ:
        return true;
    default:
        return false;
    }
}

static Expr *parse_expr_inner(Parser *p);

static Expr *parse_expr(Parser *p) { return parse_nested(p, parse_expr_inner); }

static Expr *parse_expr_inner(Parser *p)
{
    Expr *c = parse_binary(p, 1);
    if (!c)
        return NULL;
    if (kind(p) == TK_QUESTION) {
        uint32_t pos = cur(p)->pos;
        next(p);
        Expr *e = mk_expr(p, EX_COND, pos);
        e->a = c;
        e->b = parse_expr(p);
        if (!e->b || !expect(p, TK_COLON, NULL))
            return NULL;
        e->c = parse_expr(p);
        if (!e->c || !deepen(p, e, c, e->b) || !deepen(p, e, e, e->c))
            return NULL;
        return e;
    }
    if (is_assign_op(kind(p))) {
        uint32_t pos = cur(p)->pos;
        Expr *e = mk_expr(p, EX_ASSIGN, pos);
        e->op = kind(p);
        next(p);
        e->a = c;
        e->b = parse_expr(p);
        if (!e->b || !deepen(p, e, c, e->b))
            return NULL;
        return e;
    }
    return c;
}

/* ---- statements --------------------------------------------------------------- */
static Stmt *parse_stmt(Parser *p);

/* Skips to a point where a statement can start. */
static void sync_stmt(Parser *p)
{
    int depth = 0;
    while (kind(p) != TK_EOF) {
        TokKind k = kind(p);
        if (k == TK_SEMI && depth == 0) {
            next(p);
            break;
        }
        if (k == TK_LBRACE)
            depth++;
        if (k == TK_RBRACE) {
            if (depth == 0)
                break;
            depth--;
            if (depth == 0) {
                next(p);
                break;
            }
        }
        next(p);
    }
    p->panic = false;
}

static Stmt *parse_block(Parser *p)
{
    Stmt *b = mk_stmt(p, ST_BLOCK, cur(p)->pos);
    if (!expect(p, TK_LBRACE, NULL))
        return NULL;
    int cap = 0;
    while (kind(p) != TK_RBRACE && kind(p) != TK_EOF) {
        int before = p->i;
        Stmt *s = parse_stmt(p);
        if (s)
            CC_PUSH(p->cc, b->stmts, b->nstmts, cap, s);
        if (p->panic || !s) {
            sync_stmt(p);
            if (p->i == before)
                next(p);
        }
    }
    expect(p, TK_RBRACE, NULL);
    return b;
}

static Stmt *parse_var(Parser *p, bool need_semi)
{
    Stmt *s = mk_stmt(p, ST_VAR, cur(p)->pos);
    s->is_let = kind(p) == TK_LET;
    next(p);
    s->pos = cur(p)->pos;
    s->name = ident(p, "a variable name");
    if (!s->name)
        return NULL;
    if (accept(p, TK_COLON)) {
        s->tref = parse_type(p);
        if (!s->tref)
            return NULL;
    }
    if (accept(p, TK_ASSIGN)) {
        s->expr = parse_expr(p);
        if (!s->expr)
            return NULL;
    }
    if (need_semi && !expect(p, TK_SEMI, "variable declaration"))
        return NULL;
    return s;
}

static Stmt *parse_expr_stmt(Parser *p, bool need_semi)
{
    Stmt *s = mk_stmt(p, ST_EXPR, cur(p)->pos);
    s->expr = parse_expr(p);
    if (!s->expr)
        return NULL;
    if (need_semi && !expect(p, TK_SEMI, "expression"))
        return NULL;
    return s;
}

static Stmt *parse_for(Parser *p, uint32_t pos)
{
    if (!expect(p, TK_LPAREN, NULL))
        return NULL;
    int k = (kind(p) == TK_VAR || kind(p) == TK_LET) ? 1 : 0;
    if (kind_at(p, k) == TK_IDENT && kind_at(p, k + 1) == TK_IN) {
        Stmt *s = mk_stmt(p, ST_FOREACH, pos);
        p->i += k;
        s->name = ident(p, "a variable name");
        next(p);  /* in */
        s->expr = parse_expr(p);
        if (!s->expr || !expect(p, TK_RPAREN, NULL))
            return NULL;
        s->body = parse_stmt(p);
        return s->body ? s : NULL;
    }
    Stmt *s = mk_stmt(p, ST_FOR, pos);
    if (kind(p) == TK_VAR || kind(p) == TK_LET)
        s->init = parse_var(p, false);
    else if (kind(p) != TK_SEMI)
        s->init = parse_expr_stmt(p, false);
    if (p->panic || !expect(p, TK_SEMI, "for-loop initializer"))
        return NULL;
    if (kind(p) != TK_SEMI) {
        s->expr = parse_expr(p);
        if (!s->expr)
            return NULL;
    }
    if (!expect(p, TK_SEMI, "for-loop condition"))
        return NULL;
    if (kind(p) != TK_RPAREN) {
        s->update = parse_expr_stmt(p, false);
        if (!s->update)
            return NULL;
    }
    if (!expect(p, TK_RPAREN, NULL))
        return NULL;
    s->body = parse_stmt(p);
    return s->body ? s : NULL;
}

static Stmt *parse_stmt_inner(Parser *p);

/* try block { catch (name [: Type]) block } [finally block] */
static Stmt *parse_try(Parser *p, uint32_t pos)
{
    Stmt *s = mk_stmt(p, ST_TRY, pos);
    s->body = parse_block(p);
    if (!s->body || p->panic)
        return NULL;
    int cap = 0;
    while (kind(p) == TK_CATCH) {
        Catch c = {0};
        c.pos = cur(p)->pos;
        next(p);
        if (!expect(p, TK_LPAREN, NULL))
            return NULL;
        c.name = ident(p, "the name of the caught exception");
        if (!c.name)
            return NULL;
        if (accept(p, TK_COLON) && !(c.tref = parse_type(p)))
            return NULL;
        if (!expect(p, TK_RPAREN, NULL))
            return NULL;
        c.body = parse_block(p);
        if (!c.body || p->panic)
            return NULL;
        CC_PUSH(p->cc, s->catches, s->ncatches, cap, c);
    }
    if (accept(p, TK_FINALLY)) {
        s->fin = parse_block(p);
        if (!s->fin || p->panic)
            return NULL;
    }
    if (s->ncatches == 0 && !s->fin) {
        perr(p, pos, "'try' needs a 'catch' or a 'finally'%s%s", "", "");
        return NULL;
    }
    return s;
}

/* switch (e) { case a, b: stmts ... default: stmts } */
static Stmt *parse_switch(Parser *p, uint32_t pos)
{
    Stmt *s = mk_stmt(p, ST_SWITCH, pos);
    if (!expect(p, TK_LPAREN, NULL) || !(s->expr = parse_expr(p)) ||
        !expect(p, TK_RPAREN, NULL) || !expect(p, TK_LBRACE, NULL))
        return NULL;
    int cap = 0;
    while (kind(p) == TK_CASE || kind(p) == TK_DEFAULT) {
        Case c = {0};
        c.pos = cur(p)->pos;
        if (accept(p, TK_CASE)) {
            int lcap = 0;
            do {
                Expr *e = parse_expr(p);
                if (!e)
                    return NULL;
                CC_PUSH(p->cc, c.labels, c.nlabels, lcap, e);
            } while (accept(p, TK_COMMA));
        } else {
            next(p);
        }
        if (!expect(p, TK_COLON, NULL))
            return NULL;
        Stmt *b = mk_stmt(p, ST_BLOCK, cur(p)->pos);
        int bcap = 0;
        while (kind(p) != TK_CASE && kind(p) != TK_DEFAULT && kind(p) != TK_RBRACE &&
               kind(p) != TK_EOF) {
            int before = p->i;
            Stmt *st = parse_stmt(p);
            if (st)
                CC_PUSH(p->cc, b->stmts, b->nstmts, bcap, st);
            if (p->panic || !st) {
                sync_stmt(p);
                if (p->i == before)
                    next(p);
            }
        }
        c.body = b;
        CC_PUSH(p->cc, s->cases, s->ncases, cap, c);
    }
    if (!expect(p, TK_RBRACE, NULL))
        return NULL;
    return s;
}

/* Is the identifier at the cursor, close to keyword [k], used as that keyword?
 * Only where the text cannot be an expression statement: followed by a name or
 * literal ("retrun x;"), or "fro (...) {" (a call cannot be followed by a block). */
static bool stmt_keyword_misspelt(Parser *p, TokKind k)
{
    TokKind n1 = kind_at(p, 1);
    if (n1 == TK_IDENT || n1 == TK_INT || n1 == TK_STRING || n1 == TK_FLOAT ||
        n1 == TK_TRUE || n1 == TK_FALSE || n1 == TK_NULL || n1 == TK_NEW || n1 == TK_THIS)
        return k != TK_DO && k != TK_TRY && k != TK_ELSE;
    if (n1 == TK_LBRACE)
        return k == TK_DO || k == TK_TRY || k == TK_ELSE;
    if (n1 == TK_LPAREN && (k == TK_FOR || k == TK_WHILE || k == TK_IF || k == TK_SWITCH)) {
        int depth = 0;
        for (int i = p->i + 1; i < p->n && p->t[i].kind != TK_EOF; i++) {
            if (p->t[i].kind == TK_LPAREN)
                depth++;
            else if (p->t[i].kind == TK_RPAREN && --depth == 0)
                return p->t[i + 1].kind == TK_LBRACE ||
                       (i + 1 < p->n && p->t[i + 1].kind != TK_SEMI &&
                        p->t[i + 1].kind != TK_DOT && p->t[i + 1].kind != TK_RPAREN &&
                        p->t[i + 1].kind != TK_COMMA && p->t[i + 1].kind != TK_LBRACKET &&
                        p->t[i + 1].kind < TK_PLUS);
        }
    }
    if (n1 == TK_SEMI)
        return k == TK_BREAK || k == TK_CONTINUE || k == TK_RETURN;
    return false;
}

static Stmt *parse_stmt(Parser *p)
{
    if (p->nest >= MAX_NEST) {
        perr(p, cur(p)->pos, "statements are nested too deeply%s%s", "", "");
        return NULL;
    }
    p->nest++;
    Stmt *s = parse_stmt_inner(p);
    p->nest--;
    return s;
}

static Stmt *parse_stmt_inner(Parser *p)
{
    Token *t = cur(p);
    uint32_t pos = t->pos;
    Stmt *s;
    switch (t->kind) {
    case TK_LBRACE:
        return parse_block(p);
    case TK_SEMI:
        next(p);
        return mk_stmt(p, ST_EMPTY, pos);
    case TK_LET:
    case TK_VAR:
        return parse_var(p, true);
    case TK_IF:
        next(p);
        s = mk_stmt(p, ST_IF, pos);
        if (!expect(p, TK_LPAREN, NULL) || !(s->expr = parse_expr(p)) ||
            !expect(p, TK_RPAREN, NULL))
            return NULL;
        s->body = parse_stmt(p);
        if (!s->body)
            return NULL;
        if (accept(p, TK_ELSE)) {
            s->els = parse_stmt(p);
            if (!s->els)
                return NULL;
        }
        return s;
    case TK_WHILE:
        next(p);
        s = mk_stmt(p, ST_WHILE, pos);
        if (!expect(p, TK_LPAREN, NULL) || !(s->expr = parse_expr(p)) ||
            !expect(p, TK_RPAREN, NULL))
            return NULL;
        s->body = parse_stmt(p);
        return s->body ? s : NULL;
    case TK_DO:
        next(p);
        s = mk_stmt(p, ST_DO, pos);
        s->body = parse_stmt(p);
        if (!s->body || !expect(p, TK_WHILE, NULL) || !expect(p, TK_LPAREN, NULL) ||
            !(s->expr = parse_expr(p)) || !expect(p, TK_RPAREN, NULL) ||
            !expect(p, TK_SEMI, "do-while condition"))
            return NULL;
        return s;
    case TK_FOR:
        next(p);
        return parse_for(p, pos);
    case TK_BREAK:
    case TK_CONTINUE:
        next(p);
        s = mk_stmt(p, t->kind == TK_BREAK ? ST_BREAK : ST_CONTINUE, pos);
        if (kind(p) == TK_IDENT)
            s->label = ident(p, "a label");
        if (!expect(p, TK_SEMI, t->kind == TK_BREAK ? "'break'" : "'continue'"))
            return NULL;
        return s;
    case TK_RETURN:
        next(p);
        s = mk_stmt(p, ST_RETURN, pos);
        if (kind(p) != TK_SEMI && !(s->expr = parse_expr(p)))
            return NULL;
        if (!expect(p, TK_SEMI, "return statement"))
            return NULL;
        return s;
    case TK_THROW:
        next(p);
        s = mk_stmt(p, ST_THROW, pos);
        if (!(s->expr = parse_expr(p)) || !expect(p, TK_SEMI, "throw statement"))
            return NULL;
        return s;
    case TK_TRY:
        next(p);
        return parse_try(p, pos);
    case TK_SWITCH:
        next(p);
        return parse_switch(p, pos);
    case TK_SUPER:
    case TK_THIS:
        if (kind_at(p, 1) == TK_LPAREN) {
            s = mk_stmt(p, ST_SUPERCALL, pos);
            s->is_this = t->kind == TK_THIS;
            next(p);
            next(p);
            s->args = parse_args(p, &s->nargs, TK_RPAREN);
            if (p->panic || !expect(p, TK_SEMI, "constructor call"))
                return NULL;
            return s;
        }
        return parse_expr_stmt(p, true);
    case TK_IDENT: {
        static const TokKind stmt_kws[] = {TK_FOR, TK_WHILE, TK_IF, TK_SWITCH, TK_RETURN,
                                           TK_THROW, TK_LET, TK_VAR, TK_ELSE, TK_TRY, TK_DO,
                                           TK_BREAK, TK_CONTINUE};
        TokKind k = near_keyword(p, t, stmt_kws, (int)(sizeof stmt_kws / sizeof stmt_kws[0]));
        if (k != TK_EOF && stmt_keyword_misspelt(p, k)) {
            fix_keyword(p, k, "a statement");
            if (k == TK_ELSE) {
                next(p);
                return parse_stmt(p);
            }
            return parse_stmt_inner(p);
        }
    }
        if (kind_at(p, 1) == TK_COLON) {
            const char *label = ident(p, "a label");
            next(p);
            TokKind k = kind(p);
            if (k != TK_FOR && k != TK_WHILE && k != TK_DO) {
                perr(p, cur(p)->pos, "a label must be followed by a loop%s%s", "", "");
                return NULL;
            }
            s = parse_stmt(p);
            if (s)
                s->label = label;
            return s;
        }
        return parse_expr_stmt(p, true);
    default:
        return parse_expr_stmt(p, true);
    }
}

/* ---- declarations ----------------------------------------------------------- */
static int parse_modifiers(Parser *p)
{
    int mods = 0;
    for (;;) {
        int m = 0;
        switch (kind(p)) {
        case TK_STATIC: m = MOD_STATIC; break;
        case TK_PRIVATE: m = MOD_PRIVATE; break;
        case TK_ABSTRACT: m = MOD_ABSTRACT; break;
        case TK_FINAL: m = MOD_FINAL; break;
        case TK_OVERRIDE: m = MOD_OVERRIDE; break;
        default: return mods;
        }
        if (mods & m)
            perr(p, cur(p)->pos, "repeated modifier '%s'%s", cc_tok_name(kind(p)), "");
        mods |= m;
        next(p);
    }
}

static bool parse_annotations(Parser *p, const char **lib, const char **sym, uint32_t *test_pos)
{
    while (kind(p) == TK_AT) {
        uint32_t at = cur(p)->pos;
        next(p);
        uint32_t pos = cur(p)->pos;
        const char *name = ident(p, "an annotation name");
        if (!name)
            return false;
        if (strcmp(name, "test") == 0) {
            if (*test_pos)
                perr_soft(p, at, "repeated annotation '@test'%s%s", "", "");
            *test_pos = at;
            continue;
        }
        if (strcmp(name, "native") != 0) {
            perr(p, pos, "unknown annotation '@%s'%s", name, "");
            return false;
        }
        if (!expect(p, TK_LPAREN, NULL))
            return false;
        Expr *a = kind(p) == TK_STRING ? parse_primary(p) : NULL;
        if (!a || a->kind != EX_STRING || !expect(p, TK_COMMA, NULL)) {
            perr(p, pos, "@native takes two string literals: library and symbol%s%s", "", "");
            return false;
        }
        Expr *b = kind(p) == TK_STRING ? parse_primary(p) : NULL;
        if (!b || b->kind != EX_STRING || !expect(p, TK_RPAREN, NULL)) {
            perr(p, pos, "@native takes two string literals: library and symbol%s%s", "", "");
            return false;
        }
        *lib = a->str;
        *sym = b->str;
    }
    return true;
}

/* @test marks a top-level function the test runner calls: public, no parameters,
 * no type parameters, no result, a body. */
static void check_test(Parser *p, MethodDecl *m, uint32_t test_pos)
{
    if (!test_pos || !m)
        return;
    m->is_test = true;
    if (m->mods & MOD_PRIVATE)
        perr_soft(p, m->pos, "a @test function cannot be private%s%s", "", "");
    else if (m->nparams || m->ntparams || m->ret)
        perr_soft(p, m->pos, "a @test function takes no parameters and returns nothing%s%s", "", "");
    else if (m->native_lib || !m->body)
        perr_soft(p, m->pos, "a @test function needs a body%s%s", "", "");
}

static MethodDecl *parse_method(Parser *p, int mods, const char *lib, const char *sym)
{
    MethodDecl *m = cc_alloc(p->cc, sizeof *m);
    m->mods = mods;
    m->native_lib = lib;
    m->native_sym = sym;
    if (accept(p, TK_INIT)) {
        m->is_init = true;
        m->name = "<init>";
        m->pos = p->t[p->i - 1].pos;
    } else {
        next(p);  /* fun */
        m->pos = cur(p)->pos;
        m->name = ident(p, "a function name");
        if (!m->name || !parse_tparams(p, &m->tparams, &m->ntparams))
            return NULL;
    }
    if (!expect(p, TK_LPAREN, NULL))
        return NULL;
    int cap = 0;
    if (kind(p) != TK_RPAREN) {
        do {
            Param prm;
            prm.pos = cur(p)->pos;
            prm.name = ident(p, "a parameter name");
            if (!prm.name || !expect(p, TK_COLON, NULL))
                return NULL;
            prm.tref = parse_type(p);
            if (!prm.tref)
                return NULL;
            if (m->varargs)
                perr(p, prm.pos, "only the last parameter can be variadic%s%s", "", "");
            if (kind(p) == TK_DOT && kind_at(p, 1) == TK_DOT && kind_at(p, 2) == TK_DOT) {
                p->i += 3;
                m->varargs = true;
                prm.tref->dims++;
            }
            CC_PUSH(p->cc, m->params, m->nparams, cap, prm);
        } while (accept(p, TK_COMMA));
    }
    if (!expect(p, TK_RPAREN, NULL))
        return NULL;
    if (!m->is_init && accept(p, TK_COLON)) {
        m->ret = parse_type(p);
        if (!m->ret)
            return NULL;
    }
    if (kind(p) == TK_LBRACE) {
        m->body = parse_block(p);
    } else if (!expect(p, TK_SEMI, "function declaration")) {
        return NULL;
    }
    return m;
}

static FieldDecl *parse_field(Parser *p, int mods)
{
    FieldDecl *fd = cc_alloc(p->cc, sizeof *fd);
    fd->mods = mods;
    fd->is_let = kind(p) == TK_LET;
    next(p);
    fd->pos = cur(p)->pos;
    fd->name = ident(p, "a field name");
    if (!fd->name)
        return NULL;
    if (accept(p, TK_COLON) && !(fd->tref = parse_type(p)))
        return NULL;
    if (accept(p, TK_ASSIGN) && !(fd->init = parse_expr(p)))
        return NULL;
    if (!fd->tref && !fd->init) {
        perr(p, fd->pos, "field '%s' needs a type or an initializer%s", fd->name, "");
        return NULL;
    }
    if (!expect(p, TK_SEMI, "field declaration"))
        return NULL;
    return fd;
}

/* Skips to the next member or top-level declaration. */
static void sync_decl(Parser *p)
{
    int depth = 0;
    while (kind(p) != TK_EOF) {
        TokKind k = kind(p);
        if (depth == 0 && (k == TK_FUN || k == TK_LET || k == TK_VAR || k == TK_INIT ||
                           k == TK_CLASS || k == TK_INTERFACE || k == TK_AT ||
                           k == TK_STATIC || k == TK_PRIVATE || k == TK_OVERRIDE ||
                           k == TK_ABSTRACT))
            break;
        if (k == TK_LBRACE)
            depth++;
        if (k == TK_RBRACE) {
            if (depth == 0)
                break;
            depth--;
        }
        if (k == TK_SEMI && depth == 0) {
            next(p);
            break;
        }
        next(p);
    }
    p->panic = false;
}

static ClassDecl *parse_class(Parser *p, int mods)
{
    ClassDecl *c = cc_alloc(p->cc, sizeof *c);
    c->mods = mods;
    c->is_interface = kind(p) == TK_INTERFACE;
    next(p);
    c->pos = cur(p)->pos;
    c->name = ident(p, "a class name");
    if (!c->name || !parse_tparams(p, &c->tparams, &c->ntparams))
        return NULL;
    int icap = 0, fcap = 0, mcap = 0;
    if (accept(p, TK_EXTENDS)) {
        if (c->is_interface) {
            do {
                TypeRef *t = parse_type(p);
                if (!t)
                    return NULL;
                CC_PUSH(p->cc, c->ifaces, c->nifaces, icap, t);
            } while (accept(p, TK_COMMA));
        } else if (!(c->super = parse_type(p))) {
            return NULL;
        }
    }
    if (!c->is_interface && accept(p, TK_IMPLEMENTS)) {
        do {
            TypeRef *t = parse_type(p);
            if (!t)
                return NULL;
            CC_PUSH(p->cc, c->ifaces, c->nifaces, icap, t);
        } while (accept(p, TK_COMMA));
    }
    if (!expect(p, TK_LBRACE, NULL))
        return NULL;
    while (kind(p) != TK_RBRACE && kind(p) != TK_EOF) {
        int before = p->i;
        const char *lib = NULL, *sym = NULL;
        uint32_t test_pos = 0;
        if (parse_annotations(p, &lib, &sym, &test_pos)) {
            if (test_pos)
                perr_soft(p, test_pos, "@test applies to top-level functions only%s%s", "", "");
            int mods2 = parse_modifiers(p);
            static const TokKind member_kws[] = {TK_FUN, TK_LET, TK_VAR, TK_INIT,
                                                 TK_OVERRIDE, TK_STATIC, TK_PRIVATE};
            TokKind k = near_keyword(p, cur(p), member_kws,
                                     (int)(sizeof member_kws / sizeof member_kws[0]));
            if (k != TK_EOF && (kind_at(p, 1) == TK_IDENT || kind_at(p, 1) == TK_LPAREN))
                fix_keyword(p, k, "a member declaration");
            if (kind(p) == TK_FUN || kind(p) == TK_INIT) {
                MethodDecl *m = parse_method(p, mods2, lib, sym);
                if (m)
                    CC_PUSH(p->cc, c->methods, c->nmethods, mcap, m);
            } else if (kind(p) == TK_LET || kind(p) == TK_VAR) {
                FieldDecl *fd = parse_field(p, mods2);
                if (fd)
                    CC_PUSH(p->cc, c->fields, c->nfields, fcap, fd);
            } else {
                perr(p, cur(p)->pos, "expected a member declaration, found %s%s",
                     tok_text(p, cur(p)), "");
            }
        }
        if (p->panic) {
            sync_decl(p);
            if (p->i == before)
                next(p);
        }
    }
    expect(p, TK_RBRACE, NULL);
    return c;
}

/* The indentation of the line holding offset [pos], and whether only blanks
 * precede [pos] on it. */
static int indent_of(SourceFile *f, uint32_t pos, bool *first)
{
    uint32_t st = pos;
    while (st > 0 && f->text[st - 1] != '\n')
        st--;
    int ind = 0;
    uint32_t i = st;
    while (i < pos && (f->text[i] == ' ' || f->text[i] == '\t')) {
        ind += f->text[i] == '\t' ? 4 : 1;
        i++;
    }
    *first = i == pos;
    return ind;
}

/* A '{' that is never closed makes the rest of the file one long cascade of
 * errors; find it first and report it alone. When braces do not balance, a '}'
 * at a smaller indentation than the innermost open '{' most likely closes an
 * outer one, so the inner one is the unclosed one. */
static bool check_braces(Parser *p)
{
    int open = 0;
    for (int i = 0; i < p->n; i++)
        open += p->t[i].kind == TK_LBRACE ? 1 : p->t[i].kind == TK_RBRACE ? -1 : 0;
    if (open <= 0)
        return true;
    struct { uint32_t pos; int indent; } *stack = NULL;
    int n = 0, cap = 0;
    int suspect = -1;
    uint32_t closer = 0;
    for (int i = 0; i < p->n; i++) {
        Token *t = &p->t[i];
        bool first;
        if (t->kind == TK_LBRACE) {
            int ind = indent_of(p->f, t->pos, &first);
            cc_grow(p->cc, (void **)&stack, sizeof *stack, &cap, n + 1);
            stack[n].pos = t->pos;
            stack[n].indent = ind;
            n++;
        } else if (t->kind == TK_RBRACE && n > 0) {
            int ind = indent_of(p->f, t->pos, &first);
            if (first && suspect < 0 && stack[n - 1].indent > ind) {
                for (int k = n - 2; k >= 0; k--)
                    if (stack[k].indent == ind) {
                        suspect = (int)stack[n - 1].pos;
                        closer = t->pos;
                        break;
                    }
            }
            n--;
        }
    }
    uint32_t pos = suspect >= 0 ? (uint32_t)suspect : n > 0 ? stack[n - 1].pos : 0;
    cc_error(p->cc, p->f, pos, "this '{' is never closed");
    if (suspect >= 0) {
        uint32_t line = 1;
        for (uint32_t i = 0; i < closer; i++)
            line += p->f->text[i] == '\n';
        cc_help(p->cc, "add the missing '}'; by its indentation, the '}' on line %u closes an "
                "outer block", line);
    } else {
        cc_help(p->cc, "add the missing '}'");
    }
    return false;
}

void cc_parse_file(Cc *cc, SourceFile *f)
{
    int nt;
    int errs_before_lex = cc->nerrors;
    Token *toks = cc_lex(cc, f, 0, (uint32_t)f->len, &nt);
    /* Parsing after a lexical error mostly reports its echoes. */
    if (cc->nerrors > errs_before_lex)
        return;
    Parser p = {cc, f, toks, nt, 0, false, false, 0};
    f->pkg = "";
    if (!check_braces(&p))
        return;
    if (accept(&p, TK_PACKAGE)) {
        const char *name = qualified_name(&p, "a package name");
        if (name) {
            char *s = cc_strdup(cc, name, strlen(name));
            for (char *q = s; *q; q++)
                if (*q == '.')
                    *q = '/';
            f->pkg = s;
        }
        expect(&p, TK_SEMI, "package declaration");
        if (p.panic)
            sync_decl(&p);
    }
    int icap = 0, ccap = 0, fcap = 0;
    while (kind(&p) == TK_IMPORT) {
        Import im;
        next(&p);
        im.pos = cur(&p)->pos;
        im.wildcard = false;
        im.name = qualified_name(&p, "a name to import");
        if (im.name && kind(&p) == TK_DOT && kind_at(&p, 1) == TK_STAR) {
            next(&p);
            next(&p);
            im.wildcard = true;
        }
        if (im.name && expect(&p, TK_SEMI, "import"))
            CC_PUSH(cc, f->imports, f->nimports, icap, im);
        if (p.panic)
            sync_decl(&p);
    }
    while (kind(&p) != TK_EOF) {
        int before = p.i;
        const char *lib = NULL, *sym = NULL;
        uint32_t test_pos = 0;
        if (parse_annotations(&p, &lib, &sym, &test_pos)) {
            int mods = parse_modifiers(&p);
            static const TokKind decl_kws[] = {TK_FUN, TK_CLASS, TK_INTERFACE, TK_LET,
                                               TK_IMPORT, TK_ABSTRACT, TK_FINAL, TK_PRIVATE};
            TokKind k = near_keyword(&p, cur(&p), decl_kws,
                                     (int)(sizeof decl_kws / sizeof decl_kws[0]));
            if (k != TK_EOF && kind_at(&p, 1) == TK_IDENT)
                fix_keyword(&p, k, "a declaration");
            if (test_pos && kind(&p) != TK_FUN)
                perr_soft(&p, test_pos, "@test applies to top-level functions only%s%s", "", "");
            if (kind(&p) == TK_IMPORT) {
                perr(&p, cur(&p)->pos, "imports must come before the declarations%s%s", "",
                     "");
            } else if (kind(&p) == TK_LET || kind(&p) == TK_VAR) {
                if (kind(&p) == TK_VAR) {
                    perr_soft(&p, cur(&p)->pos, "a top-level variable cannot be 'var'%s%s",
                              "", "");
                    cc_help(cc, "top-level 'let' declares a constant; keep mutable state in "
                            "a class or a local");
                    cur(&p)->kind = TK_LET;
                }
                FieldDecl *fd = parse_field(&p, mods | MOD_STATIC);
                if (fd) {
                    if (!fd->init) {
                        perr_soft(&p, fd->pos, "constant '%s' needs a value%s", fd->name, "");
                    } else {
                        int ccap2 = f->nconsts;
                        CC_PUSH(cc, f->consts, f->nconsts, ccap2, fd);
                    }
                }
            } else if (kind(&p) == TK_CLASS || kind(&p) == TK_INTERFACE) {
                ClassDecl *c = parse_class(&p, mods);
                if (c)
                    CC_PUSH(cc, f->classes, f->nclasses, ccap, c);
            } else if (kind(&p) == TK_FUN) {
                MethodDecl *m = parse_method(&p, mods | MOD_STATIC, lib, sym);
                check_test(&p, m, test_pos);
                if (m)
                    CC_PUSH(cc, f->funcs, f->nfuncs, fcap, m);
            } else {
                perr(&p, cur(&p)->pos, "expected a declaration, found %s%s",
                     tok_text(&p, cur(&p)), "");
            }
        }
        if (p.panic) {
            sync_decl(&p);
            if (p.i == before)
                next(&p);
        }
    }
}
