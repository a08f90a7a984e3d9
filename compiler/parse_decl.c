/* compiler/parse_decl.c: parsing of declarations (classes, interfaces, methods,
 * fields, annotations) with recovery at declaration level, the check for unbalanced
 * braces, and cc_parse_file, the parser's entry point. */
#include <string.h>

#include "parse.h"

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
            cc_perr(p, cur(p)->pos, "repeated modifier '%s'%s", cc_tok_name(kind(p)), "");
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
        const char *name = cc_ident(p, "an annotation name");
        if (!name)
            return false;
        if (strcmp(name, "test") == 0) {
            if (*test_pos)
                cc_perr_soft(p, at, "repeated annotation '@test'%s%s", "", "");
            *test_pos = at;
            continue;
        }
        if (strcmp(name, "native") != 0) {
            cc_perr(p, pos, "unknown annotation '@%s'%s", name, "");
            return false;
        }
        if (!cc_expect(p, TK_LPAREN, NULL))
            return false;
        Expr *a = kind(p) == TK_STRING ? cc_parse_primary(p) : NULL;
        if (!a || a->kind != EX_STRING || !cc_expect(p, TK_COMMA, NULL)) {
            cc_perr(p, pos, "@native takes two string literals: library and symbol%s%s", "", "");
            return false;
        }
        Expr *b = kind(p) == TK_STRING ? cc_parse_primary(p) : NULL;
        if (!b || b->kind != EX_STRING || !cc_expect(p, TK_RPAREN, NULL)) {
            cc_perr(p, pos, "@native takes two string literals: library and symbol%s%s", "", "");
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
        cc_perr_soft(p, m->pos, "a @test function cannot be private%s%s", "", "");
    else if (m->nparams || m->ntparams || m->ret)
        cc_perr_soft(p, m->pos, "a @test function takes no parameters and returns nothing%s%s", "", "");
    else if (m->native_lib || !m->body)
        cc_perr_soft(p, m->pos, "a @test function needs a body%s%s", "", "");
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
        m->name = cc_ident(p, "a function name");
        if (!m->name || !cc_parse_tparams(p, &m->tparams, &m->ntparams))
            return NULL;
    }
    if (!cc_expect(p, TK_LPAREN, NULL))
        return NULL;
    int cap = 0;
    if (kind(p) != TK_RPAREN) {
        do {
            Param prm;
            prm.pos = cur(p)->pos;
            prm.name = cc_ident(p, "a parameter name");
            if (!prm.name || !cc_expect(p, TK_COLON, NULL))
                return NULL;
            prm.tref = cc_parse_type(p);
            if (!prm.tref)
                return NULL;
            if (m->varargs)
                cc_perr(p, prm.pos, "only the last parameter can be variadic%s%s", "", "");
            if (kind(p) == TK_DOT && kind_at(p, 1) == TK_DOT && kind_at(p, 2) == TK_DOT) {
                p->i += 3;
                m->varargs = true;
                prm.tref->dims++;
            }
            CC_PUSH(p->cc, m->params, m->nparams, cap, prm);
        } while (accept(p, TK_COMMA));
    }
    if (!cc_expect(p, TK_RPAREN, NULL))
        return NULL;
    if (!m->is_init && accept(p, TK_COLON)) {
        m->ret = cc_parse_type(p);
        if (!m->ret)
            return NULL;
    }
    if (kind(p) == TK_LBRACE) {
        m->body = cc_parse_block(p);
    } else if (!cc_expect(p, TK_SEMI, "function declaration")) {
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
    fd->name = cc_ident(p, "a field name");
    if (!fd->name)
        return NULL;
    if (accept(p, TK_COLON) && !(fd->tref = cc_parse_type(p)))
        return NULL;
    if (accept(p, TK_ASSIGN) && !(fd->init = cc_parse_expr(p)))
        return NULL;
    if (!fd->tref && !fd->init) {
        cc_perr(p, fd->pos, "field '%s' needs a type or an initializer%s", fd->name, "");
        return NULL;
    }
    if (!cc_expect(p, TK_SEMI, "field declaration"))
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
    c->name = cc_ident(p, "a class name");
    if (!c->name || !cc_parse_tparams(p, &c->tparams, &c->ntparams))
        return NULL;
    int icap = 0, fcap = 0, mcap = 0;
    if (accept(p, TK_EXTENDS)) {
        if (c->is_interface) {
            do {
                TypeRef *t = cc_parse_type(p);
                if (!t)
                    return NULL;
                CC_PUSH(p->cc, c->ifaces, c->nifaces, icap, t);
            } while (accept(p, TK_COMMA));
        } else if (!(c->super = cc_parse_type(p))) {
            return NULL;
        }
    }
    if (!c->is_interface && accept(p, TK_IMPLEMENTS)) {
        do {
            TypeRef *t = cc_parse_type(p);
            if (!t)
                return NULL;
            CC_PUSH(p->cc, c->ifaces, c->nifaces, icap, t);
        } while (accept(p, TK_COMMA));
    }
    if (!cc_expect(p, TK_LBRACE, NULL))
        return NULL;
    while (kind(p) != TK_RBRACE && kind(p) != TK_EOF) {
        int before = p->i;
        const char *lib = NULL, *sym = NULL;
        uint32_t test_pos = 0;
        if (parse_annotations(p, &lib, &sym, &test_pos)) {
            if (test_pos)
                cc_perr_soft(p, test_pos, "@test applies to top-level functions only%s%s", "", "");
            int mods2 = parse_modifiers(p);
            static const TokKind member_kws[] = {TK_FUN, TK_LET, TK_VAR, TK_INIT,
                                                 TK_OVERRIDE, TK_STATIC, TK_PRIVATE};
            TokKind k = cc_near_keyword(p, cur(p), member_kws,
                                     (int)(sizeof member_kws / sizeof member_kws[0]));
            if (k != TK_EOF && (kind_at(p, 1) == TK_IDENT || kind_at(p, 1) == TK_LPAREN))
                cc_fix_keyword(p, k, "a member declaration");
            if (kind(p) == TK_FUN || kind(p) == TK_INIT) {
                MethodDecl *m = parse_method(p, mods2, lib, sym);
                if (m)
                    CC_PUSH(p->cc, c->methods, c->nmethods, mcap, m);
            } else if (kind(p) == TK_LET || kind(p) == TK_VAR) {
                FieldDecl *fd = parse_field(p, mods2);
                if (fd)
                    CC_PUSH(p->cc, c->fields, c->nfields, fcap, fd);
            } else {
                cc_perr(p, cur(p)->pos, "expected a member declaration, found %s%s",
                     cc_tok_text(p, cur(p)), "");
            }
        }
        if (p->panic) {
            sync_decl(p);
            if (p->i == before)
                next(p);
        }
    }
    cc_expect(p, TK_RBRACE, NULL);
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
        const char *name = cc_qualified_name(&p, "a package name");
        if (name) {
            char *s = cc_strdup(cc, name, strlen(name));
            for (char *q = s; *q; q++)
                if (*q == '.')
                    *q = '/';
            f->pkg = s;
        }
        cc_expect(&p, TK_SEMI, "package declaration");
        if (p.panic)
            sync_decl(&p);
    }
    int icap = 0, ccap = 0, fcap = 0;
    while (kind(&p) == TK_IMPORT) {
        Import im;
        next(&p);
        im.pos = cur(&p)->pos;
        im.wildcard = false;
        im.name = cc_qualified_name(&p, "a name to import");
        if (im.name && kind(&p) == TK_DOT && kind_at(&p, 1) == TK_STAR) {
            next(&p);
            next(&p);
            im.wildcard = true;
        }
        if (im.name && cc_expect(&p, TK_SEMI, "import"))
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
            TokKind k = cc_near_keyword(&p, cur(&p), decl_kws,
                                     (int)(sizeof decl_kws / sizeof decl_kws[0]));
            if (k != TK_EOF && kind_at(&p, 1) == TK_IDENT)
                cc_fix_keyword(&p, k, "a declaration");
            if (test_pos && kind(&p) != TK_FUN)
                cc_perr_soft(&p, test_pos, "@test applies to top-level functions only%s%s", "", "");
            if (kind(&p) == TK_IMPORT) {
                cc_perr(&p, cur(&p)->pos, "imports must come before the declarations%s%s", "",
                     "");
            } else if (kind(&p) == TK_LET || kind(&p) == TK_VAR) {
                if (kind(&p) == TK_VAR) {
                    cc_perr_soft(&p, cur(&p)->pos, "a top-level variable cannot be 'var'%s%s",
                              "", "");
                    cc_help(cc, "top-level 'let' declares a constant; keep mutable state in "
                            "a class or a local");
                    cur(&p)->kind = TK_LET;
                }
                FieldDecl *fd = parse_field(&p, mods | MOD_STATIC);
                if (fd) {
                    if (!fd->init) {
                        cc_perr_soft(&p, fd->pos, "constant '%s' needs a value%s", fd->name, "");
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
                cc_perr(&p, cur(&p)->pos, "expected a declaration, found %s%s",
                     cc_tok_text(&p, cur(&p)), "");
            }
        }
        if (p.panic) {
            sync_decl(&p);
            if (p.i == before)
                next(&p);
        }
    }
}
