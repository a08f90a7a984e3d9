/* compiler/lexer.c: turns Mica source text into tokens. */
#include <stdlib.h>
#include <string.h>

#include "cc.h"

static const struct { const char *s; TokKind k; } keywords[] = {
    {"package", TK_PACKAGE}, {"import", TK_IMPORT}, {"class", TK_CLASS},
    {"interface", TK_INTERFACE}, {"abstract", TK_ABSTRACT}, {"final", TK_FINAL},
    {"extends", TK_EXTENDS}, {"implements", TK_IMPLEMENTS}, {"fun", TK_FUN},
    {"let", TK_LET}, {"var", TK_VAR}, {"static", TK_STATIC}, {"private", TK_PRIVATE},
    {"override", TK_OVERRIDE}, {"init", TK_INIT}, {"new", TK_NEW}, {"return", TK_RETURN},
    {"if", TK_IF}, {"else", TK_ELSE}, {"while", TK_WHILE}, {"do", TK_DO}, {"for", TK_FOR},
    {"in", TK_IN}, {"break", TK_BREAK}, {"continue", TK_CONTINUE}, {"true", TK_TRUE},
    {"false", TK_FALSE}, {"null", TK_NULL}, {"this", TK_THIS}, {"super", TK_SUPER},
    {"is", TK_IS}, {"as", TK_AS}, {"throw", TK_THROW},
    {"try", TK_TRY}, {"catch", TK_CATCH}, {"finally", TK_FINALLY}, {"switch", TK_SWITCH},
    {"case", TK_CASE}, {"default", TK_DEFAULT},
};

static const char *const tok_names[TK_COUNT] = {
    [TK_EOF] = "end of file", [TK_IDENT] = "identifier", [TK_INT] = "integer literal",
    [TK_FLOAT] = "float literal", [TK_STRING] = "string literal",
    [TK_LPAREN] = "(", [TK_RPAREN] = ")", [TK_LBRACE] = "{", [TK_RBRACE] = "}",
    [TK_LBRACKET] = "[", [TK_RBRACKET] = "]", [TK_SEMI] = ";", [TK_COMMA] = ",",
    [TK_DOT] = ".", [TK_COLON] = ":", [TK_QUESTION] = "?", [TK_AT] = "@", [TK_ARROW] = "=>",
    [TK_PLUS] = "+", [TK_MINUS] = "-", [TK_STAR] = "*", [TK_SLASH] = "/",
    [TK_PERCENT] = "%", [TK_AMP] = "&", [TK_PIPE] = "|", [TK_CARET] = "^", [TK_TILDE] = "~",
    [TK_BANG] = "!", [TK_SHL] = "<<", [TK_SHR] = ">>", [TK_USHR] = ">>>", [TK_ANDAND] = "&&",
    [TK_OROR] = "||", [TK_EQ] = "==", [TK_NE] = "!=", [TK_EQEQEQ] = "===",
    [TK_NEEQEQ] = "!==", [TK_LT] = "<", [TK_LE] = "<=", [TK_GT] = ">", [TK_GE] = ">=",
    [TK_ASSIGN] = "=", [TK_PLUSEQ] = "+=", [TK_MINUSEQ] = "-=", [TK_STAREQ] = "*=",
    [TK_SLASHEQ] = "/=", [TK_PERCENTEQ] = "%=", [TK_AMPEQ] = "&=", [TK_PIPEEQ] = "|=",
    [TK_CARETEQ] = "^=", [TK_SHLEQ] = "<<=", [TK_SHREQ] = ">>=", [TK_USHREQ] = ">>>=",
    [TK_INC] = "++", [TK_DEC] = "--",
};

const char *cc_tok_name(TokKind k)
{
    if (k >= TK_PACKAGE && k <= TK_DEFAULT) {
        for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
            if (keywords[i].k == k)
                return keywords[i].s;
    }
    if ((int)k >= 0 && k < TK_COUNT && tok_names[k])
        return tok_names[k];
    return "?";
}

typedef struct Lexer {
    Cc *cc;
    SourceFile *f;
    const char *s;
    uint32_t pos, end;
    Token *toks;
    int n, cap;
} Lexer;

static bool is_ident_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

static int digit_val(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 99;
}

static int peekc(Lexer *lx, uint32_t k)
{
    return lx->pos + k < lx->end ? (unsigned char)lx->s[lx->pos + k] : -1;
}

static void add(Lexer *lx, TokKind k, uint32_t start)
{
    Token t;
    memset(&t, 0, sizeof t);
    t.kind = k;
    t.pos = start;
    t.len = lx->pos - start;
    CC_PUSH(lx->cc, lx->toks, lx->n, lx->cap, t);
}

/* Skips a string literal starting at the opening quote, following nested
 * ${ ... } (which may hold strings of their own). Returns false when the
 * literal is not closed. */
static bool skip_string(Lexer *lx, int nesting)
{
    if (nesting > 200)
        return false;   /* bounded: strings in ${} in strings... recurse */
    lx->pos++;  /* opening quote */
    while (lx->pos < lx->end) {
        int c = (unsigned char)lx->s[lx->pos];
        if (c == '"') {
            lx->pos++;
            return true;
        }
        if (c == '\n')
            return false;
        if (c == '\\') {
            lx->pos += 2;
            continue;
        }
        if (c == '$' && peekc(lx, 1) == '{') {
            lx->pos += 2;
            int depth = 1;
            while (lx->pos < lx->end && depth > 0) {
                int d = (unsigned char)lx->s[lx->pos];
                if (d == '"') {
                    if (!skip_string(lx, nesting + 1))
                        return false;
                    continue;
                }
                if (d == '\n')
                    return false;
                if (d == '{')
                    depth++;
                else if (d == '}')
                    depth--;
                lx->pos++;
            }
            if (depth > 0)
                return false;
            continue;
        }
        lx->pos++;
    }
    return false;
}

static void lex_number(Lexer *lx)
{
    uint32_t start = lx->pos;
    int base = 10;
    if (peekc(lx, 0) == '0' && (peekc(lx, 1) == 'x' || peekc(lx, 1) == 'X')) {
        base = 16;
        lx->pos += 2;
    } else if (peekc(lx, 0) == '0' && (peekc(lx, 1) == 'b' || peekc(lx, 1) == 'B')) {
        base = 2;
        lx->pos += 2;
    }
    uint64_t v = 0;
    bool overflow = false;
    int ndigits = 0;
    for (;;) {
        int c = peekc(lx, 0);
        if (c == '_') {
            lx->pos++;
            continue;
        }
        int d = c < 0 ? 99 : digit_val(c);
        if (d >= base)
            break;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            overflow = true;
        v = v * (uint64_t)base + (uint64_t)d;
        ndigits++;
        lx->pos++;
    }
    bool is_float = false;
    if (base == 10 && peekc(lx, 0) == '.' && is_digit(peekc(lx, 1))) {
        is_float = true;
        lx->pos++;
        while (is_digit(peekc(lx, 0)) || peekc(lx, 0) == '_')
            lx->pos++;
    }
    if (base == 10 && (peekc(lx, 0) == 'e' || peekc(lx, 0) == 'E')) {
        int k = 1;
        if (peekc(lx, 1) == '+' || peekc(lx, 1) == '-')
            k = 2;
        if (is_digit(peekc(lx, (uint32_t)k))) {
            is_float = true;
            lx->pos += (uint32_t)k;
            while (is_digit(peekc(lx, 0)))
                lx->pos++;
        }
    }
    if (is_ident_start(peekc(lx, 0)) || is_digit(peekc(lx, 0))) {
        while (is_ident_start(peekc(lx, 0)) || is_digit(peekc(lx, 0)))
            lx->pos++;
        cc_error(lx->cc, lx->f, start, "malformed number '%.*s'", (int)(lx->pos - start),
                 lx->s + start);
        add(lx, TK_INT, start);
        return;
    }
    if (ndigits == 0 && base != 10) {
        cc_error(lx->cc, lx->f, start, "malformed number '%.*s'", (int)(lx->pos - start),
                 lx->s + start);
        add(lx, TK_INT, start);
        return;
    }
    if (is_float) {
        char buf[128];
        size_t k = 0;
        for (uint32_t i = start; i < lx->pos && k + 1 < sizeof buf; i++)
            if (lx->s[i] != '_')
                buf[k++] = lx->s[i];
        buf[k] = 0;
        add(lx, TK_FLOAT, start);
        lx->toks[lx->n - 1].fval = strtod(buf, NULL);
        return;
    }
    add(lx, TK_INT, start);
    lx->toks[lx->n - 1].ival = v;
    lx->toks[lx->n - 1].overflow = overflow;
}

/* Decodes the UTF-8 sequence at [s] (already validated); sets *[n] to its length. */
static uint32_t decode_utf8(const unsigned char *s, uint32_t *n)
{
    if (s[0] < 0x80) {
        *n = 1;
        return s[0];
    }
    if (s[0] < 0xE0) {
        *n = 2;
        return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    }
    if (s[0] < 0xF0) {
        *n = 3;
        return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    }
    *n = 4;
    return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
           ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

/* A character literal 'c': an int token holding the code point. */
static void lex_char(Lexer *lx)
{
    uint32_t st = lx->pos;
    lx->pos++;
    int c = peekc(lx, 0);
    uint32_t cp = 0;
    if (c < 0 || c == '\n') {
        cc_error(lx->cc, lx->f, st, "unterminated character literal");
        add(lx, TK_INT, st);
        return;
    }
    if (c == '\'') {
        lx->pos++;
        cc_error(lx->cc, lx->f, st, "empty character literal");
        add(lx, TK_INT, st);
        return;
    }
    if (c == '\\') {
        int e = peekc(lx, 1);
        lx->pos += 2;
        switch (e) {
        case 'n': cp = '\n'; break;
        case 't': cp = '\t'; break;
        case 'r': cp = '\r'; break;
        case '0': cp = 0; break;
        case '\\': cp = '\\'; break;
        case '\'': cp = '\''; break;
        case '"': cp = '"'; break;
        case '$': cp = '$'; break;
        case 'u': {
            uint32_t v = 0;
            int nd = 0;
            if (peekc(lx, 0) == '{') {
                lx->pos++;
                while (nd < 7 && digit_val(peekc(lx, 0)) < 16) {
                    v = v * 16 + (uint32_t)digit_val(peekc(lx, 0));
                    lx->pos++;
                    nd++;
                }
            }
            if (nd == 0 || nd > 6 || peekc(lx, 0) != '}' || v > 0x10FFFF ||
                (v >= 0xD800 && v <= 0xDFFF)) {
                cc_error(lx->cc, lx->f, st, "invalid \\u{...} escape in character literal");
                while (lx->pos < lx->end && lx->s[lx->pos] != '\'' && lx->s[lx->pos] != '\n')
                    lx->pos++;
                if (peekc(lx, 0) == '\'')
                    lx->pos++;
                add(lx, TK_INT, st);
                return;
            }
            lx->pos++;
            cp = v;
            break;
        }
        default:
            cc_error(lx->cc, lx->f, st + 1, "unknown escape '\\%c' in character literal",
                     e > 32 && e < 127 ? e : '?');
            add(lx, TK_INT, st);
            return;
        }
    } else {
        uint32_t n;
        cp = decode_utf8((const unsigned char *)lx->s + lx->pos, &n);
        lx->pos += n;
    }
    if (peekc(lx, 0) != '\'') {
        /* 'abc': find the closing quote on this line for a better message */
        uint32_t q = lx->pos;
        while (q < lx->end && lx->s[q] != '\'' && lx->s[q] != '\n')
            q++;
        if (q < lx->end && lx->s[q] == '\'') {
            cc_error(lx->cc, lx->f, st, "a character literal holds one character");
            cc_help(lx->cc, "for a String, use double quotes: \"%.*s\"", (int)(q - st - 1),
                    lx->s + st + 1);
            lx->pos = q + 1;
        } else {
            cc_error(lx->cc, lx->f, st, "unterminated character literal");
            cc_help(lx->cc, "a character literal is one character between single quotes, "
                    "like 'a'");
            lx->pos = q;
        }
        add(lx, TK_INT, st);
        return;
    }
    lx->pos++;
    add(lx, TK_INT, st);
    lx->toks[lx->n - 1].ival = cp;
}

uint32_t cc_interp_end(SourceFile *f, uint32_t start, uint32_t end)
{
    Lexer lx = {NULL, f, f->text, start, end, NULL, 0, 0};
    int depth = 1;
    while (lx.pos < lx.end) {
        char d = lx.s[lx.pos];
        if (d == '"') {
            if (!skip_string(&lx, 1))
                return end;
            continue;
        }
        if (d == '{')
            depth++;
        else if (d == '}' && --depth == 0)
            return lx.pos;
        lx.pos++;
    }
    return end;
}

/* The offset of the first byte of [s][start, end) that is not part of valid UTF-8
 * (overlong forms, surrogates and values above U+10FFFF included), or [end]. */
static uint32_t bad_utf8(const uint8_t *s, uint32_t start, uint32_t end)
{
    for (uint32_t i = start; i < end;) {
        uint8_t b = s[i];
        uint32_t need = b < 0x80   ? 0
                        : b < 0xC2 ? 9
                        : b < 0xE0 ? 1
                        : b < 0xF0 ? 2
                        : b < 0xF5 ? 3
                                   : 9;
        if (need == 9 || need > end - i - 1)
            return i;
        uint8_t lo = 0x80, hi = 0xBF;
        if (b == 0xE0)
            lo = 0xA0;
        else if (b == 0xED)
            hi = 0x9F;
        else if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;
        for (uint32_t k = 1; k <= need; k++)
            if (s[i + k] < (k == 1 ? lo : 0x80) || s[i + k] > (k == 1 ? hi : 0xBF))
                return i;
        i += need + 1;
    }
    return end;
}

Token *cc_lex(Cc *cc, SourceFile *f, uint32_t start, uint32_t end, int *ntoks)
{
    Lexer lx = {cc, f, f->text, start, end, NULL, 0, 0};
    /* class files hold names and strings as strict UTF-8 */
    uint32_t bad = bad_utf8((const uint8_t *)f->text, start, end);
    if (bad < end) {
        cc_error(cc, f, bad, "invalid UTF-8 (byte 0x%02X)", (uint8_t)f->text[bad]);
        lx.pos = lx.end;
    }
    /* "#!" on the first line makes a file an executable script; it is a comment. */
    if (start == 0 && peekc(&lx, 0) == '#' && peekc(&lx, 1) == '!')
        while (lx.pos < lx.end && lx.s[lx.pos] != '\n')
            lx.pos++;
    while (lx.pos < lx.end) {
        int c = peekc(&lx, 0);
        uint32_t st = lx.pos;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            lx.pos++;
            continue;
        }
        if (c == '/' && peekc(&lx, 1) == '/') {
            while (lx.pos < lx.end && lx.s[lx.pos] != '\n')
                lx.pos++;
            continue;
        }
        if (c == '/' && peekc(&lx, 1) == '*') {
            lx.pos += 2;
            while (lx.pos < lx.end && !(peekc(&lx, 0) == '*' && peekc(&lx, 1) == '/'))
                lx.pos++;
            if (lx.pos >= lx.end) {
                cc_error(cc, f, st, "unterminated comment");
                break;
            }
            lx.pos += 2;
            continue;
        }
        if (is_ident_start(c)) {
            while (is_ident_start(peekc(&lx, 0)) || is_digit(peekc(&lx, 0)))
                lx.pos++;
            TokKind k = TK_IDENT;
            size_t n = lx.pos - st;
            /* the first byte is compared inline: most names start unlike most
             * keywords, and strlen and memcmp for each of them was most of lexing */
            for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
                if (keywords[i].s[0] == lx.s[st] && strlen(keywords[i].s) == n &&
                    memcmp(keywords[i].s, lx.s + st, n) == 0) {
                    k = keywords[i].k;
                    break;
                }
            add(&lx, k, st);
            continue;
        }
        if (is_digit(c)) {
            lex_number(&lx);
            continue;
        }
        if (c == '\'') {
            lex_char(&lx);
            continue;
        }
        if (c == '"') {
            if (!skip_string(&lx, 0)) {
                cc_error(cc, f, st, "unterminated string literal");
                while (lx.pos < lx.end && lx.s[lx.pos] != '\n')
                    lx.pos++;
            }
            add(&lx, TK_STRING, st);
            continue;
        }
        /* Operators: longest match first. */
        static const struct { const char *s; TokKind k; } ops[] = {
            {">>>=", TK_USHREQ}, {"===", TK_EQEQEQ}, {"!==", TK_NEEQEQ}, {">>>", TK_USHR},
            {"<<=", TK_SHLEQ}, {">>=", TK_SHREQ}, {"==", TK_EQ}, {"!=", TK_NE},
            {"<=", TK_LE}, {">=", TK_GE}, {"<<", TK_SHL}, {">>", TK_SHR}, {"&&", TK_ANDAND},
            {"||", TK_OROR}, {"+=", TK_PLUSEQ}, {"-=", TK_MINUSEQ}, {"*=", TK_STAREQ},
            {"/=", TK_SLASHEQ}, {"%=", TK_PERCENTEQ}, {"&=", TK_AMPEQ}, {"|=", TK_PIPEEQ},
            {"^=", TK_CARETEQ}, {"++", TK_INC}, {"--", TK_DEC}, {"=>", TK_ARROW},
            {"(", TK_LPAREN}, {")", TK_RPAREN}, {"{", TK_LBRACE}, {"}", TK_RBRACE},
            {"[", TK_LBRACKET}, {"]", TK_RBRACKET}, {";", TK_SEMI}, {",", TK_COMMA},
            {".", TK_DOT}, {":", TK_COLON}, {"?", TK_QUESTION}, {"@", TK_AT},
            {"+", TK_PLUS}, {"-", TK_MINUS}, {"*", TK_STAR}, {"/", TK_SLASH},
            {"%", TK_PERCENT}, {"&", TK_AMP}, {"|", TK_PIPE}, {"^", TK_CARET},
            {"~", TK_TILDE}, {"!", TK_BANG}, {"<", TK_LT}, {">", TK_GT}, {"=", TK_ASSIGN},
        };
        bool found = false;
        for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
            if (ops[i].s[0] != c)
                continue;
            size_t n = strlen(ops[i].s);
            if (lx.end - lx.pos >= n && memcmp(lx.s + lx.pos, ops[i].s, n) == 0) {
                lx.pos += (uint32_t)n;
                add(&lx, ops[i].k, st);
                found = true;
                break;
            }
        }
        if (!found) {
            /* Skip a whole UTF-8 sequence so the message shows one character. */
            uint32_t n = 1;
            while (lx.pos + n < lx.end && ((unsigned char)lx.s[lx.pos + n] & 0xC0) == 0x80)
                n++;
            cc_error(cc, f, st, "unexpected character '%.*s'", (int)n, lx.s + st);
            lx.pos += n;
        }
    }
    uint32_t save = lx.pos;
    lx.pos = lx.end;
    add(&lx, TK_EOF, lx.end);
    lx.pos = save;
    *ntoks = lx.n;
    return lx.toks;
}
