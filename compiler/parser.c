/* compiler/parser.c: recursive-descent parsing of expressions (literals, string
 * interpolation, lambdas, operators by precedence) and statements, with recovery at
 * statement level. Declarations are in parse_decl.c, the shared base in
 * parse_base.c. */
#include <string.h>

#include "parse.h"

static Expr *parse_unary(Parser *p);

static Expr **parse_args(Parser *p, int *nargs, TokKind close)
{
    Expr **args = NULL;
    int n = 0, cap = 0;
    if (kind(p) != close) {
        do {
            Expr *e = cc_parse_expr(p);
            if (!e)
                return NULL;
            CC_PUSH(p->cc, args, n, cap, e);
        } while (accept(p, TK_COMMA));
    }
    if (!cc_expect(p, close, NULL))
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
    Expr *e = cc_mk_expr(p, EX_STRING, pos);
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
                    cc_perr_soft(p, at, "invalid unicode escape%s%s", "", "");
                else
                    put_utf8(p, &buf, &n, &cap, cp);
                break;
            }
            default:
                cc_perr_soft(p, at, "invalid escape sequence '\\%.1s'%s", s + at + 1, "");
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
                cc_perr(p, i, "empty interpolation%s%s", "", "");
            } else {
                Expr *e = cc_parse_expr(&sub);
                if (e && kind(&sub) != TK_EOF)
                    cc_perr(&sub, cur(&sub)->pos, "unexpected %s in interpolation%s",
                         cc_tok_text(&sub, cur(&sub)), "");
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
        Expr *e = cc_mk_expr(p, EX_STRING, t->pos);
        e->str = n ? cc_strdup(p->cc, buf, (size_t)n) : "";
        e->slen = (size_t)n;
        return e;
    }
    flush_piece(p, &parts, &nparts, &pcap, &buf, &n, &cap, piece_pos);
    Expr *e = cc_mk_expr(p, EX_INTERP, t->pos);
    e->args = parts;
    e->nargs = nparts;
    return cc_deepen(p, e, cc_deepest(parts, nparts), NULL) ? e : NULL;
}

static Expr *parse_int_literal(Parser *p, bool negate, uint32_t pos)
{
    Token *t = cur(p);
    next(p);
    Expr *e = cc_mk_expr(p, EX_INT, pos);
    uint64_t lim = negate ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    if (t->overflow || t->ival > lim) {
        cc_perr_soft(p, pos, "integer literal %s%s is out of range", negate ? "-" : "",
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


static Expr *parse_lambda(Parser *p)
{
    Expr *e = cc_mk_expr(p, EX_LAMBDA, cur(p)->pos);
    next(p);  /* ( */
    int cap = 0;
    if (!accept(p, TK_RPAREN)) {
        do {
            Param prm = {0};
            prm.pos = cur(p)->pos;
            prm.name = cc_ident(p, "a parameter name");
            if (!prm.name)
                return NULL;
            if (accept(p, TK_COLON) && !(prm.tref = cc_parse_type(p)))
                return NULL;
            CC_PUSH(p->cc, e->lparams, e->nargs, cap, prm);
        } while (accept(p, TK_COMMA));
        if (!cc_expect(p, TK_RPAREN, NULL))
            return NULL;
    }
    if (accept(p, TK_COLON) && !(e->tref = cc_parse_type(p)))
        return NULL;
    if (!cc_expect(p, TK_ARROW, NULL))
        return NULL;
    if (kind(p) == TK_LBRACE) {
        e->lbody = cc_parse_block(p);
        if (!e->lbody || p->panic)
            return NULL;
    } else {
        e->a = cc_parse_expr(p);
        if (!e->a)
            return NULL;
        e->depth = e->a->depth + 1;
    }
    return e;
}

Expr *cc_parse_primary(Parser *p)
{
    Token *t = cur(p);
    uint32_t pos = t->pos;
    Expr *e;
    switch (t->kind) {
    case TK_INT:
        return parse_int_literal(p, false, pos);
    case TK_FLOAT:
        e = cc_mk_expr(p, EX_FLOAT, pos);
        e->fval = t->fval;
        next(p);
        return e;
    case TK_STRING:
        next(p);
        return parse_string(p, t);
    case TK_TRUE:
    case TK_FALSE:
        e = cc_mk_expr(p, EX_BOOL, pos);
        e->ival = t->kind == TK_TRUE;
        next(p);
        return e;
    case TK_NULL:
        next(p);
        return cc_mk_expr(p, EX_NULL, pos);
    case TK_THIS:
        next(p);
        return cc_mk_expr(p, EX_THIS, pos);
    case TK_SUPER:
        next(p);
        return cc_mk_expr(p, EX_SUPER, pos);
    case TK_IDENT:
        e = cc_mk_expr(p, EX_NAME, pos);
        e->str = cc_ident(p, "a name");
        return e;
    case TK_LPAREN: {
        if (looks_like_lambda(p))
            return parse_lambda(p);
        next(p);
        Expr *in = cc_parse_expr(p);
        if (!in)
            return NULL;
        if (!cc_expect(p, TK_RPAREN, NULL))
            return NULL;
        return in;
    }
    case TK_LBRACKET:
        next(p);
        e = cc_mk_expr(p, EX_ARRAYLIT, pos);
        e->args = parse_args(p, &e->nargs, TK_RBRACKET);
        if (p->panic || !cc_deepen(p, e, cc_deepest(e->args, e->nargs), NULL))
            return NULL;
        return e;
    case TK_NEW: {
        next(p);
        TypeRef *tr = cc_alloc(p->cc, sizeof *tr);
        tr->pos = cur(p)->pos;
        tr->name = cc_qualified_name(p, "a type");
        if (!tr->name)
            return NULL;
        if (kind(p) == TK_LT) {
            next(p);
            if (!cc_parse_type_list(p, &tr->args, &tr->nargs, TK_GT))
                return NULL;
        }
        if (accept(p, TK_LBRACKET)) {
            e = cc_mk_expr(p, EX_NEWARRAY, pos);
            e->a = cc_parse_expr(p);
            if (!e->a || !cc_expect(p, TK_RBRACKET, NULL) || !cc_deepen(p, e, e->a, NULL))
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
        e = cc_mk_expr(p, EX_NEW, pos);
        e->tref = tr;
        if (!cc_expect(p, TK_LPAREN, NULL))
            return NULL;
        e->args = parse_args(p, &e->nargs, TK_RPAREN);
        if (p->panic || !cc_deepen(p, e, cc_deepest(e->args, e->nargs), NULL))
            return NULL;
        return e;
    }
    default:
        cc_perr(p, pos, "expected an expression, found %s%s", cc_tok_text(p, t), "");
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
    Expr *e = cc_parse_primary(p);
    while (e) {
        uint32_t pos = cur(p)->pos;
        if (accept(p, TK_DOT)) {
            Expr *f = cc_mk_expr(p, EX_FIELD, pos);
            f->a = e;
            f->pos = cur(p)->pos;
            f->str = cc_ident(p, "a member name after '.'");
            if (!f->str || !cc_deepen(p, f, e, NULL))
                return NULL;
            e = f;
        } else if (kind(p) == TK_LPAREN || generic_call_ahead(p, e)) {
            TypeRef **targs = NULL;
            int ntargs = 0;
            if (kind(p) == TK_LT) {
                next(p);
                if (!cc_parse_type_list(p, &targs, &ntargs, TK_GT))
                    return NULL;
            }
            next(p);
            Expr *c = cc_mk_expr(p, EX_CALL, e->pos);
            c->a = e;
            c->targs = targs;
            c->ntargs = ntargs;
            c->args = parse_args(p, &c->nargs, TK_RPAREN);
            if (p->panic || !cc_deepen(p, c, e, cc_deepest(c->args, c->nargs)))
                return NULL;
            e = c;
        } else if (accept(p, TK_LBRACKET)) {
            Expr *x = cc_mk_expr(p, EX_INDEX, pos);
            x->a = e;
            x->b = cc_parse_expr(p);
            if (!x->b || !cc_expect(p, TK_RBRACKET, NULL) || !cc_deepen(p, x, e, x->b))
                return NULL;
            e = x;
        } else if (kind(p) == TK_INC || kind(p) == TK_DEC) {
            Expr *x = cc_mk_expr(p, kind(p) == TK_INC ? EX_POSTINC : EX_POSTDEC, pos);
            next(p);
            x->a = e;
            if (!cc_deepen(p, x, e, NULL))
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
        cc_perr(p, cur(p)->pos, "expression is too deeply nested%s%s", "", "");
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
        Expr *e = cc_mk_expr(p, EX_UNARY, pos);
        e->op = k;
        e->a = a;
        return cc_deepen(p, e, a, NULL) ? e : NULL;
    }
    if (k == TK_INC || k == TK_DEC) {
        next(p);
        Expr *a = parse_unary(p);
        if (!a)
            return NULL;
        Expr *e = cc_mk_expr(p, k == TK_INC ? EX_PREINC : EX_PREDEC, pos);
        e->a = a;
        return cc_deepen(p, e, a, NULL) ? e : NULL;
    }
    return parse_postfix(p);
}

static Expr *parse_as(Parser *p)
{
    Expr *e = parse_unary(p);
    while (e && kind(p) == TK_AS) {
        uint32_t pos = cur(p)->pos;
        next(p);
        Expr *x = cc_mk_expr(p, EX_AS, pos);
        x->a = e;
        x->tref = cc_parse_type(p);
        if (!x->tref || !cc_deepen(p, x, e, NULL))
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
            Expr *x = cc_mk_expr(p, EX_IS, pos);
            x->a = lhs;
            x->tref = cc_parse_type(p);
            if (!x->tref || !cc_deepen(p, x, lhs, NULL))
                return NULL;
            lhs = x;
            continue;
        }
        Expr *rhs = parse_binary(p, prec + 1);
        if (!rhs)
            return NULL;
        Expr *e = cc_mk_expr(p, EX_BINARY, pos);
        e->op = k;
        e->a = lhs;
        e->b = rhs;
        if (!cc_deepen(p, e, lhs, rhs))
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

Expr *cc_parse_expr(Parser *p) { return parse_nested(p, parse_expr_inner); }

static Expr *parse_expr_inner(Parser *p)
{
    Expr *c = parse_binary(p, 1);
    if (!c)
        return NULL;
    if (kind(p) == TK_QUESTION) {
        uint32_t pos = cur(p)->pos;
        next(p);
        Expr *e = cc_mk_expr(p, EX_COND, pos);
        e->a = c;
        e->b = cc_parse_expr(p);
        if (!e->b || !cc_expect(p, TK_COLON, NULL))
            return NULL;
        e->c = cc_parse_expr(p);
        if (!e->c || !cc_deepen(p, e, c, e->b) || !cc_deepen(p, e, e, e->c))
            return NULL;
        return e;
    }
    if (is_assign_op(kind(p))) {
        uint32_t pos = cur(p)->pos;
        Expr *e = cc_mk_expr(p, EX_ASSIGN, pos);
        e->op = kind(p);
        next(p);
        e->a = c;
        e->b = cc_parse_expr(p);
        if (!e->b || !cc_deepen(p, e, c, e->b))
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

Stmt *cc_parse_block(Parser *p)
{
    Stmt *b = cc_mk_stmt(p, ST_BLOCK, cur(p)->pos);
    if (!cc_expect(p, TK_LBRACE, NULL))
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
    cc_expect(p, TK_RBRACE, NULL);
    return b;
}

static Stmt *parse_var(Parser *p, bool need_semi)
{
    Stmt *s = cc_mk_stmt(p, ST_VAR, cur(p)->pos);
    s->is_let = kind(p) == TK_LET;
    next(p);
    s->pos = cur(p)->pos;
    s->name = cc_ident(p, "a variable name");
    if (!s->name)
        return NULL;
    if (accept(p, TK_COLON)) {
        s->tref = cc_parse_type(p);
        if (!s->tref)
            return NULL;
    }
    if (accept(p, TK_ASSIGN)) {
        s->expr = cc_parse_expr(p);
        if (!s->expr)
            return NULL;
    }
    if (need_semi && !cc_expect(p, TK_SEMI, "variable declaration"))
        return NULL;
    return s;
}

static Stmt *parse_expr_stmt(Parser *p, bool need_semi)
{
    Stmt *s = cc_mk_stmt(p, ST_EXPR, cur(p)->pos);
    s->expr = cc_parse_expr(p);
    if (!s->expr)
        return NULL;
    if (need_semi && !cc_expect(p, TK_SEMI, "expression"))
        return NULL;
    return s;
}

static Stmt *parse_for(Parser *p, uint32_t pos)
{
    if (!cc_expect(p, TK_LPAREN, NULL))
        return NULL;
    int k = (kind(p) == TK_VAR || kind(p) == TK_LET) ? 1 : 0;
    if (kind_at(p, k) == TK_IDENT && kind_at(p, k + 1) == TK_IN) {
        Stmt *s = cc_mk_stmt(p, ST_FOREACH, pos);
        p->i += k;
        s->name = cc_ident(p, "a variable name");
        next(p);  /* in */
        s->expr = cc_parse_expr(p);
        if (!s->expr || !cc_expect(p, TK_RPAREN, NULL))
            return NULL;
        s->body = parse_stmt(p);
        return s->body ? s : NULL;
    }
    Stmt *s = cc_mk_stmt(p, ST_FOR, pos);
    if (kind(p) == TK_VAR || kind(p) == TK_LET)
        s->init = parse_var(p, false);
    else if (kind(p) != TK_SEMI)
        s->init = parse_expr_stmt(p, false);
    if (p->panic || !cc_expect(p, TK_SEMI, "for-loop initializer"))
        return NULL;
    if (kind(p) != TK_SEMI) {
        s->expr = cc_parse_expr(p);
        if (!s->expr)
            return NULL;
    }
    if (!cc_expect(p, TK_SEMI, "for-loop condition"))
        return NULL;
    if (kind(p) != TK_RPAREN) {
        s->update = parse_expr_stmt(p, false);
        if (!s->update)
            return NULL;
    }
    if (!cc_expect(p, TK_RPAREN, NULL))
        return NULL;
    s->body = parse_stmt(p);
    return s->body ? s : NULL;
}

static Stmt *parse_stmt_inner(Parser *p);

/* try block { catch (name [: Type]) block } [finally block] */
static Stmt *parse_try(Parser *p, uint32_t pos)
{
    Stmt *s = cc_mk_stmt(p, ST_TRY, pos);
    s->body = cc_parse_block(p);
    if (!s->body || p->panic)
        return NULL;
    int cap = 0;
    while (kind(p) == TK_CATCH) {
        Catch c = {0};
        c.pos = cur(p)->pos;
        next(p);
        if (!cc_expect(p, TK_LPAREN, NULL))
            return NULL;
        c.name = cc_ident(p, "the name of the caught exception");
        if (!c.name)
            return NULL;
        if (accept(p, TK_COLON) && !(c.tref = cc_parse_type(p)))
            return NULL;
        if (!cc_expect(p, TK_RPAREN, NULL))
            return NULL;
        c.body = cc_parse_block(p);
        if (!c.body || p->panic)
            return NULL;
        CC_PUSH(p->cc, s->catches, s->ncatches, cap, c);
    }
    if (accept(p, TK_FINALLY)) {
        s->fin = cc_parse_block(p);
        if (!s->fin || p->panic)
            return NULL;
    }
    if (s->ncatches == 0 && !s->fin) {
        cc_perr(p, pos, "'try' needs a 'catch' or a 'finally'%s%s", "", "");
        return NULL;
    }
    return s;
}

/* switch (e) { case a, b: stmts ... default: stmts } */
static Stmt *parse_switch(Parser *p, uint32_t pos)
{
    Stmt *s = cc_mk_stmt(p, ST_SWITCH, pos);
    if (!cc_expect(p, TK_LPAREN, NULL) || !(s->expr = cc_parse_expr(p)) ||
        !cc_expect(p, TK_RPAREN, NULL) || !cc_expect(p, TK_LBRACE, NULL))
        return NULL;
    int cap = 0;
    while (kind(p) == TK_CASE || kind(p) == TK_DEFAULT) {
        Case c = {0};
        c.pos = cur(p)->pos;
        if (accept(p, TK_CASE)) {
            int lcap = 0;
            do {
                Expr *e = cc_parse_expr(p);
                if (!e)
                    return NULL;
                CC_PUSH(p->cc, c.labels, c.nlabels, lcap, e);
            } while (accept(p, TK_COMMA));
        } else {
            next(p);
        }
        if (!cc_expect(p, TK_COLON, NULL))
            return NULL;
        Stmt *b = cc_mk_stmt(p, ST_BLOCK, cur(p)->pos);
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
    if (!cc_expect(p, TK_RBRACE, NULL))
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
        cc_perr(p, cur(p)->pos, "statements are nested too deeply%s%s", "", "");
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
        return cc_parse_block(p);
    case TK_SEMI:
        next(p);
        return cc_mk_stmt(p, ST_EMPTY, pos);
    case TK_LET:
    case TK_VAR:
        return parse_var(p, true);
    case TK_IF:
        next(p);
        s = cc_mk_stmt(p, ST_IF, pos);
        if (!cc_expect(p, TK_LPAREN, NULL) || !(s->expr = cc_parse_expr(p)) ||
            !cc_expect(p, TK_RPAREN, NULL))
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
        s = cc_mk_stmt(p, ST_WHILE, pos);
        if (!cc_expect(p, TK_LPAREN, NULL) || !(s->expr = cc_parse_expr(p)) ||
            !cc_expect(p, TK_RPAREN, NULL))
            return NULL;
        s->body = parse_stmt(p);
        return s->body ? s : NULL;
    case TK_DO:
        next(p);
        s = cc_mk_stmt(p, ST_DO, pos);
        s->body = parse_stmt(p);
        if (!s->body || !cc_expect(p, TK_WHILE, NULL) || !cc_expect(p, TK_LPAREN, NULL) ||
            !(s->expr = cc_parse_expr(p)) || !cc_expect(p, TK_RPAREN, NULL) ||
            !cc_expect(p, TK_SEMI, "do-while condition"))
            return NULL;
        return s;
    case TK_FOR:
        next(p);
        return parse_for(p, pos);
    case TK_BREAK:
    case TK_CONTINUE:
        next(p);
        s = cc_mk_stmt(p, t->kind == TK_BREAK ? ST_BREAK : ST_CONTINUE, pos);
        if (kind(p) == TK_IDENT)
            s->label = cc_ident(p, "a label");
        if (!cc_expect(p, TK_SEMI, t->kind == TK_BREAK ? "'break'" : "'continue'"))
            return NULL;
        return s;
    case TK_RETURN:
        next(p);
        s = cc_mk_stmt(p, ST_RETURN, pos);
        if (kind(p) != TK_SEMI && !(s->expr = cc_parse_expr(p)))
            return NULL;
        if (!cc_expect(p, TK_SEMI, "return statement"))
            return NULL;
        return s;
    case TK_THROW:
        next(p);
        s = cc_mk_stmt(p, ST_THROW, pos);
        if (!(s->expr = cc_parse_expr(p)) || !cc_expect(p, TK_SEMI, "throw statement"))
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
            s = cc_mk_stmt(p, ST_SUPERCALL, pos);
            s->is_this = t->kind == TK_THIS;
            next(p);
            next(p);
            s->args = parse_args(p, &s->nargs, TK_RPAREN);
            if (p->panic || !cc_expect(p, TK_SEMI, "constructor call"))
                return NULL;
            return s;
        }
        return parse_expr_stmt(p, true);
    case TK_IDENT: {
        static const TokKind stmt_kws[] = {TK_FOR, TK_WHILE, TK_IF, TK_SWITCH, TK_RETURN,
                                           TK_THROW, TK_LET, TK_VAR, TK_ELSE, TK_TRY, TK_DO,
                                           TK_BREAK, TK_CONTINUE};
        TokKind k = cc_near_keyword(p, t, stmt_kws, (int)(sizeof stmt_kws / sizeof stmt_kws[0]));
        if (k != TK_EOF && stmt_keyword_misspelt(p, k)) {
            cc_fix_keyword(p, k, "a statement");
            if (k == TK_ELSE) {
                next(p);
                return parse_stmt(p);
            }
            return parse_stmt_inner(p);
        }
    }
        if (kind_at(p, 1) == TK_COLON) {
            const char *label = cc_ident(p, "a label");
            next(p);
            TokKind k = kind(p);
            if (k != TK_FOR && k != TK_WHILE && k != TK_DO) {
                cc_perr(p, cur(p)->pos, "a label must be followed by a loop%s%s", "", "");
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
