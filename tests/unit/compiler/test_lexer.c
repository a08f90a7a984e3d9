/* tests/unit/compiler/test_lexer.c: the lexer: tokens, literals, comments and
 * lexical errors with their positions. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"

typedef struct Lexed {
    Cc *cc;
    SourceFile f;
    Token *toks;
    int n;
    char *diag;
    size_t diag_len;
    FILE *diag_fp;
} Lexed;

static void lex(Lexed *lx, const char *src)
{
    memset(lx, 0, sizeof *lx);
    lx->cc = calloc(1, sizeof(Cc));
    ck_assert_ptr_nonnull(lx->cc);
    lx->diag_fp = open_memstream(&lx->diag, &lx->diag_len);
    lx->cc->diag = lx->diag_fp;
    lx->cc->max_errors = 50;
    if (setjmp(lx->cc->oom))
        ck_abort_msg("out of memory");
    cc_types_init(lx->cc);
    lx->f.path = "t.mica";
    lx->f.text = src;
    lx->f.len = strlen(src);
    cc_index_lines(lx->cc, &lx->f);
    lx->toks = cc_lex(lx->cc, &lx->f, 0, (uint32_t)lx->f.len, &lx->n);
    fflush(lx->diag_fp);
}

static void done(Lexed *lx)
{
    fclose(lx->diag_fp);
    free(lx->diag);
    Block *b = lx->cc->blocks;
    while (b) {
        Block *next = b->next;
        free(b);
        b = next;
    }
    free(lx->cc);
}

START_TEST(test_keywords_and_operators)
{
    Lexed lx;
    lex(&lx, "class Foo { fun f(): int { return a >>>= b === c !== d; } }");
    TokKind want[] = {TK_CLASS, TK_IDENT, TK_LBRACE, TK_FUN, TK_IDENT, TK_LPAREN, TK_RPAREN,
                      TK_COLON, TK_IDENT, TK_LBRACE, TK_RETURN, TK_IDENT, TK_USHREQ, TK_IDENT,
                      TK_EQEQEQ, TK_IDENT, TK_NEEQEQ, TK_IDENT, TK_SEMI, TK_RBRACE, TK_RBRACE,
                      TK_EOF};
    ck_assert_int_eq(lx.n, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < lx.n; i++)
        ck_assert_int_eq(lx.toks[i].kind, want[i]);
    ck_assert_int_eq(lx.cc->nerrors, 0);
    done(&lx);
}
END_TEST

START_TEST(test_int_literals)
{
    Lexed lx;
    lex(&lx, "0 42 1_000_000 0xFF 0b1010 9223372036854775808 99999999999999999999");
    ck_assert_int_eq(lx.n, 8);
    ck_assert_uint_eq(lx.toks[0].ival, 0);
    ck_assert_uint_eq(lx.toks[1].ival, 42);
    ck_assert_uint_eq(lx.toks[2].ival, 1000000);
    ck_assert_uint_eq(lx.toks[3].ival, 255);
    ck_assert_uint_eq(lx.toks[4].ival, 10);
    ck_assert_uint_eq(lx.toks[5].ival, 9223372036854775808ull);
    ck_assert(!lx.toks[5].overflow);
    ck_assert(lx.toks[6].overflow);
    done(&lx);
}
END_TEST

START_TEST(test_float_literals)
{
    Lexed lx;
    lex(&lx, "1.0 1e9 2.5e-3 3.25E+2 7");
    ck_assert_int_eq(lx.toks[0].kind, TK_FLOAT);
    ck_assert(lx.toks[0].fval == 1.0);
    ck_assert(lx.toks[1].fval == 1e9);
    ck_assert(lx.toks[2].fval == 2.5e-3);
    ck_assert(lx.toks[3].fval == 325.0);
    ck_assert_int_eq(lx.toks[4].kind, TK_INT);
    done(&lx);
}
END_TEST

START_TEST(test_comments_and_strings)
{
    Lexed lx;
    lex(&lx, "a // line\n/* block\n comment */ \"s ${ \"nested\" } t\" b");
    ck_assert_int_eq(lx.n, 4);
    ck_assert_int_eq(lx.toks[0].kind, TK_IDENT);
    ck_assert_int_eq(lx.toks[1].kind, TK_STRING);
    ck_assert_int_eq(lx.toks[2].kind, TK_IDENT);
    ck_assert_int_eq(lx.cc->nerrors, 0);
    done(&lx);
}
END_TEST

START_TEST(test_lexical_errors)
{
    Lexed lx;
    lex(&lx, "let x = 1;\n\tlet s = \"open\n/* never closed");
    ck_assert_int_eq(lx.cc->nerrors, 2);
    ck_assert_ptr_nonnull(strstr(lx.diag, "t.mica:2:10: error: unterminated string literal\n"
                                          "\tlet s = \"open\n\t        ^\n"));
    ck_assert_ptr_nonnull(strstr(lx.diag, "t.mica:3:1: error: unterminated comment"));
    done(&lx);
}
END_TEST

START_TEST(test_unexpected_character)
{
    Lexed lx;
    lex(&lx, "a # b");
    ck_assert_int_eq(lx.cc->nerrors, 1);
    ck_assert_ptr_nonnull(strstr(lx.diag, "t.mica:1:3: error: unexpected character '#'"));
    done(&lx);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("lexer");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_keywords_and_operators);
    tcase_add_test(tc, test_int_literals);
    tcase_add_test(tc, test_float_literals);
    tcase_add_test(tc, test_comments_and_strings);
    tcase_add_test(tc, test_lexical_errors);
    tcase_add_test(tc, test_unexpected_character);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
