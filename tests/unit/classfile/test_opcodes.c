/* tests/unit/classfile/test_opcodes.c: the opcode table is the one source of every
 * fact about an opcode: its columns agree with each other, the decoder sizes every
 * instruction from them, and the verifier checks every simple opcode from its type
 * column alone (a new simple opcode is covered here without a line of test code). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"

static int all_assignable(void *ud, const char *from, const char *to, CfError *err)
{
    (void)ud, (void)from, (void)to, (void)err;
    return 1;
}

static int no_interface(void *ud, const char *name, CfError *err)
{
    (void)ud, (void)name, (void)err;
    return 0;
}

static const CfHierarchy hier = {NULL, all_assignable, no_interface, NULL, NULL, NULL};

static int count_until(const char *s, char stop)
{
    int n = 0;
    for (; *s && *s != stop; s++)
        n++;
    return n;
}

START_TEST(types_agree_with_stack_effect)
{
    int simple = 0;
    for (int op = 0; op < 256; op++) {
        const CfOpInfo *in = &cf_op_info[op];
        if (!in->name || !in->types)
            continue;
        simple++;
        const char *gt = strchr(in->types, '>');
        ck_assert_msg(gt != NULL, "%s: types \"%s\" has no '>'", in->name, in->types);
        ck_assert_msg(count_until(in->types, '>') == in->pops, "%s: types vs pops", in->name);
        ck_assert_msg((int)strlen(gt + 1) == in->pushes, "%s: types vs pushes", in->name);
        ck_assert_msg(strspn(in->types, "IFRN>") == strlen(in->types), "%s: bad type letter",
                      in->name);
    }
    ck_assert_int_ge(simple, 30);
}
END_TEST

/* Every assigned byte decodes to the size its immediate format says. */
START_TEST(decoder_sizes_from_table)
{
    static const uint32_t size[] = {[CF_IMM_NONE] = 1, [CF_IMM_U16] = 3, [CF_IMM_I32] = 5,
                                    [CF_IMM_U16I32] = 7};
    uint8_t code[16] = {0};
    for (int op = 0; op < 256; op++) {
        const CfOpInfo *in = &cf_op_info[op];
        CfInsn insn;
        code[0] = (uint8_t)op;
        int r = cf_insn_decode(code, sizeof code, 0, &insn);
        if (!in->name) {
            ck_assert_int_eq(r, -1);
            continue;
        }
        ck_assert_int_eq(r, 0);
        if (in->imm != CF_IMM_TABLE)
            ck_assert_msg(insn.size == size[in->imm], "%s: size %u", in->name, insn.size);
    }
}
END_TEST

/* Pushes a value of stack type [k]: local 0 is a float, local 1 a reference. */
static uint32_t push_value(uint8_t *code, uint32_t n, char k)
{
    switch (k) {
    case 'I':
        code[n++] = CF_OP_ICONST;
        memset(code + n, 0, 4);
        return n + 4;
    case 'F':
        code[n++] = CF_OP_LOAD;
        code[n++] = 0;
        code[n++] = 0;
        return n;
    case 'R':
        code[n++] = CF_OP_LOAD;
        code[n++] = 0;
        code[n++] = 1;
        return n;
    default:
        code[n++] = CF_OP_ACONST_NULL;
        return n;
    }
}

/* A static method f()V that pushes operands of the types in [operands], runs
 * [op] and pops what it pushes; verified alone. */
static int verify_use(uint8_t op, const char *operands, CfError *err)
{
    uint8_t code[64];
    uint32_t n = 0;
    for (const char *p = operands; *p; p++)
        n = push_value(code, n, *p);
    code[n++] = op;
    if (op == CF_OP_ICONST) {
        memset(code + n, 0, 4);
        n += 4;
    }
    for (int i = 0; i < cf_op_info[op].pushes; i++)
        code[n++] = CF_OP_POP;
    code[n++] = CF_OP_RETURN;
    CfClass *c = cf_class_new();
    ck_assert_ptr_nonnull(c);
    c->this_class = cf_cp_class(c, "Foo");
    c->super_class = cf_cp_class(c, "std/core/Object");
    uint16_t lt[2] = {cf_cp_utf8z(c, "F"), cf_cp_utf8z(c, "Lstd/core/Object;")};
    CfMethod *m = cf_add_method(c, CF_ACC_STATIC, "f", "()V");
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(cf_set_code(c, m, 8, 2, lt, code, n, NULL, 0), 0);
    CfMethodInfo info[1];
    memset(info, 0, sizeof info);
    int r = cf_verify_class(c, &hier, info, err);
    cf_class_free(c);
    return r;
}

START_TEST(verifier_checks_simple_ops_from_table)
{
    for (int op = 0; op < 256; op++) {
        const CfOpInfo *in = &cf_op_info[op];
        if (!in->name || !in->types)
            continue;
        char operands[8] = {0}, wrong[8] = {0};
        int np = count_until(in->types, '>');
        for (int i = 0; i < np; i++) {
            operands[i] = in->types[i];
            /* a value of another stack type */
            wrong[i] = in->types[i] == 'I' ? 'F' : 'I';
        }
        CfError err = {0};
        ck_assert_msg(verify_use((uint8_t)op, operands, &err) == 0, "%s (%s) rejected: %s",
                      in->name, operands, err.msg);
        if (np == 0)
            continue;
        memset(&err, 0, sizeof err);
        ck_assert_msg(verify_use((uint8_t)op, wrong, &err) == -1, "%s (%s) accepted", in->name,
                      wrong);
        char want[64];
        snprintf(want, sizeof want, " %s: expected [", in->name);
        ck_assert_msg(strstr(err.msg, want) != NULL, "%s: message \"%s\" lacks \"%s\"", in->name,
                      err.msg, want);
    }
}
END_TEST

static Suite *opcodes_suite(void)
{
    Suite *s = suite_create("opcodes");
    TCase *tc = tcase_create("table");
    tcase_add_test(tc, types_agree_with_stack_effect);
    tcase_add_test(tc, decoder_sizes_from_table);
    tcase_add_test(tc, verifier_checks_simple_ops_from_table);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(opcodes_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
