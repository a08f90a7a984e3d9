/* tests/unit/classfile/test_verify.c: the bytecode verifier, its messages and its side table. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"

/* ---- a fake class hierarchy ---------------------------------------------- */

typedef struct FakeClass {
    const char *name, *super, *iface;
    int is_iface;
} FakeClass;

static const FakeClass fake[] = {
    {"std/core/Object", NULL, NULL, 0},
    {"std/core/String", "std/core/Object", NULL, 0},
    {"std/core/Function", "std/core/Object", NULL, 0},
    {"std/core/Exception", "std/core/Object", NULL, 0},
    {"E1", "std/core/Exception", NULL, 0},
    {"A", "std/core/Object", NULL, 0},
    {"B", "A", "I", 0},
    {"I", "std/core/Object", NULL, 1},
    {"Foo", "A", NULL, 0},
};

static const FakeClass *fake_find(const char *name)
{
    for (size_t i = 0; i < sizeof fake / sizeof fake[0]; i++)
        if (!strcmp(fake[i].name, name))
            return &fake[i];
    return NULL;
}

static int fake_assignable(void *ud, const char *from, const char *to, CfError *err)
{
    (void)ud;
    const FakeClass *f = fake_find(from);
    if (!f || !fake_find(to)) {
        snprintf(err->msg, sizeof err->msg, "class %s not found", f ? to : from);
        return -1;
    }
    for (; f; f = f->super ? fake_find(f->super) : NULL) {
        if (!strcmp(f->name, to) || (f->iface && !strcmp(f->iface, to)))
            return 1;
    }
    return 0;
}

static int fake_is_interface(void *ud, const char *name, CfError *err)
{
    (void)ud;
    const FakeClass *f = fake_find(name);
    if (!f) {
        snprintf(err->msg, sizeof err->msg, "class %s not found", name);
        return -1;
    }
    return f->is_iface;
}

static const CfHierarchy hier = {NULL, fake_assignable, fake_is_interface, NULL, NULL, NULL};

/* ---- a tiny assembler ---------------------------------------------------- */

typedef struct T {
    CfClass *c;
    uint8_t *code; /* CF_MAX_CODE_LEN bytes */
    uint32_t n;
    CfError err;
    CfMethodInfo info[8];
} T;

static T *t_new_class(const char *name, const char *super, uint16_t flags)
{
    T *t = calloc(1, sizeof *t);
    ck_assert_ptr_nonnull(t);
    t->code = malloc(CF_MAX_CODE_LEN);
    ck_assert_ptr_nonnull(t->code);
    t->c = cf_class_new();
    ck_assert_ptr_nonnull(t->c);
    t->c->flags = flags;
    t->c->this_class = cf_cp_class(t->c, name);
    t->c->super_class = super ? cf_cp_class(t->c, super) : 0;
    return t;
}

/* class Foo extends A */
static T *t_new(void)
{
    return t_new_class("Foo", "A", 0);
}

static void t_free(T *t)
{
    cf_class_free(t->c);
    free(t->code);
    free(t);
}

static uint32_t here(T *t)
{
    return t->n;
}

static void op(T *t, uint8_t o)
{
    t->code[t->n++] = o;
}

static void op16(T *t, uint8_t o, uint16_t v)
{
    op(t, o);
    op(t, (uint8_t)(v >> 8));
    op(t, (uint8_t)v);
}

static void opi(T *t, uint8_t o, int32_t v)
{
    uint32_t u = (uint32_t)v;
    op(t, o);
    for (int s = 24; s >= 0; s -= 8)
        op(t, (uint8_t)(u >> s));
}

static void iconst(T *t, int32_t v)
{
    opi(t, CF_OP_ICONST, v);
}

static void iinc(T *t, uint16_t l, int32_t d)
{
    op16(t, CF_OP_IINC, l);
    uint32_t u = (uint32_t)d;
    for (int s = 24; s >= 0; s -= 8)
        op(t, (uint8_t)(u >> s));
}

static void br_table(T *t, uint16_t n, const uint16_t *depths, uint16_t def)
{
    op16(t, CF_OP_BR_TABLE, n);
    for (uint16_t i = 0; i < n; i++) {
        op(t, (uint8_t)(depths[i] >> 8));
        op(t, (uint8_t)depths[i]);
    }
    op(t, (uint8_t)(def >> 8));
    op(t, (uint8_t)def);
}

static uint16_t bt(T *t, const char *desc)
{
    return cf_cp_utf8z(t->c, desc);
}

/* Adds a method with the assembled code; [locals] is a space-separated list of
 * field descriptors (or NULL). */
static void add_code_method(T *t, uint16_t flags, const char *name, const char *desc,
                            uint16_t max_stack, const char *locals)
{
    uint16_t lt[16];
    uint16_t nl = 0;
    if (locals) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", locals);
        for (char *s = strtok(buf, " "); s; s = strtok(NULL, " "))
            lt[nl++] = cf_cp_utf8z(t->c, s);
    }
    CfMethod *m = cf_add_method(t->c, flags, name, desc);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(cf_set_code(t->c, m, max_stack, nl, lt, t->code, t->n, NULL, 0), 0);
    t->n = 0;
}

static int run(T *t, uint16_t flags, const char *name, const char *desc, uint16_t max_stack,
               const char *locals)
{
    add_code_method(t, flags, name, desc, max_stack, locals);
    return cf_verify_class(t->c, &hier, t->info, &t->err);
}

#define S CF_ACC_STATIC

#define ACCEPT(t, flags, name, desc, ms, locals)                                                   \
    do {                                                                                           \
        int r_ = run(t, flags, name, desc, ms, locals);                                            \
        ck_assert_msg(r_ == 0, "rejected: %s", (t)->err.msg);                                      \
    } while (0)

#define REJECT(t, flags, name, desc, ms, locals, substr)                                           \
    do {                                                                                           \
        int r_ = run(t, flags, name, desc, ms, locals);                                            \
        ck_assert_msg(r_ == -1, "accepted, expected \"%s\"", substr);                              \
        ck_assert_msg(strstr((t)->err.msg, substr) != NULL, "message \"%s\" lacks \"%s\"",         \
                      (t)->err.msg, substr);                                                       \
    } while (0)

static void assert_branch(const CfMethodInfo *mi, uint32_t i, uint32_t pc, uint32_t target,
                          uint16_t height, uint8_t arity)
{
    ck_assert_uint_lt(i, mi->nbranches);
    const CfBranch *b = &mi->branches[i];
    ck_assert_msg(b->pc == pc && b->target == target && b->height == height && b->arity == arity,
                  "branch %u: got pc %u target %u height %u arity %u, want %u %u %u %u", i, b->pc,
                  b->target, b->height, b->arity, pc, target, height, arity);
}

/* ---- accepted programs --------------------------------------------------- */

START_TEST(accept_arith)
{
    T *t = t_new();
    iconst(t, 1);
    iconst(t, 2);
    op(t, CF_OP_IADD);
    op(t, CF_OP_I2F);
    op(t, CF_OP_FNEG);
    op(t, CF_OP_F2I);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "()I", 2, NULL);
    ck_assert_uint_eq(t->info[0].nbranches, 0);
    ck_assert_uint_eq(t->info[0].nhandlers, 0);
    t_free(t);
}
END_TEST

START_TEST(accept_loop)
{
    /* while (n != 0) n -= 1; return n; */
    T *t = t_new();
    op16(t, CF_OP_BLOCK, 0); /* 0 */
    op16(t, CF_OP_LOOP, 0);  /* 3 */
    op16(t, CF_OP_LOAD, 0);  /* 6 */
    op(t, CF_OP_EQZ);        /* 9 */
    uint32_t brif = here(t);
    op16(t, CF_OP_BR_IF, 1); /* 10 */
    iinc(t, 0, -1);          /* 13 */
    uint32_t br = here(t);
    op16(t, CF_OP_BR, 0); /* 20 */
    op(t, CF_OP_END);     /* 23 */
    op(t, CF_OP_END);     /* 24 */
    uint32_t after = here(t);
    op16(t, CF_OP_LOAD, 0);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "(I)I", 2, NULL);
    ck_assert_uint_eq(t->info[0].nbranches, 2);
    assert_branch(&t->info[0], 0, brif, after, 0, 0);
    assert_branch(&t->info[0], 1, br, 6, 0, 0);
    t_free(t);
}
END_TEST

START_TEST(accept_nested_blocks_with_results)
{
    T *t = t_new();
    op16(t, CF_OP_BLOCK, bt(t, "I"));
    op16(t, CF_OP_BLOCK, bt(t, "F"));
    op16(t, CF_OP_LDC, cf_cp_float(t->c, 1.5));
    op(t, CF_OP_END);
    op(t, CF_OP_F2I);
    iconst(t, 2);
    op(t, CF_OP_IADD);
    op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "()I", 2, NULL);
    t_free(t);
}
END_TEST

START_TEST(accept_if_else_results)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    uint32_t pif = here(t);
    op16(t, CF_OP_IF, bt(t, "LA;"));
    op16(t, CF_OP_NEW, cf_cp_method(t->c, "B", "<init>", "()V"));
    uint32_t pelse = here(t);
    op(t, CF_OP_ELSE);
    op(t, CF_OP_ACONST_NULL);
    op(t, CF_OP_END);
    uint32_t after = here(t);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "(Z)LA;", 1, NULL);
    ck_assert_uint_eq(t->info[0].nbranches, 2);
    assert_branch(&t->info[0], 0, pif, pelse + 1, 0, 0);
    assert_branch(&t->info[0], 1, pelse, after, 0, 1);
    t_free(t);
}
END_TEST

START_TEST(accept_if_without_else)
{
    T *t = t_new();
    iconst(t, 7);
    op16(t, CF_OP_LOAD, 0);
    uint32_t pif = here(t);
    op16(t, CF_OP_IF, 0);
    iinc(t, 0, 1);
    op(t, CF_OP_END);
    uint32_t after = here(t);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "(I)I", 2, NULL);
    ck_assert_uint_eq(t->info[0].nbranches, 1);
    assert_branch(&t->info[0], 0, pif, after, 1, 0);
    t_free(t);
}
END_TEST

START_TEST(accept_br_out_with_value)
{
    T *t = t_new();
    iconst(t, 9); /* an extra value below the region */
    op(t, CF_OP_POP);
    op16(t, CF_OP_BLOCK, bt(t, "I")); /* 6 */
    op16(t, CF_OP_BLOCK, 0);          /* 9 */
    iconst(t, 4);                     /* discarded by the branch */
    iconst(t, 5);
    uint32_t pbr = here(t);
    op16(t, CF_OP_BR, 1);
    op(t, CF_OP_END);
    iconst(t, 3);
    op(t, CF_OP_END);
    uint32_t after = here(t);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "()I", 2, NULL);
    ck_assert_uint_eq(t->info[0].nbranches, 1);
    assert_branch(&t->info[0], 0, pbr, after, 0, 1);
    t_free(t);
}
END_TEST

START_TEST(accept_try_catch)
{
    T *t = t_new();
    uint16_t e1 = cf_cp_class(t->c, "E1");
    uint32_t ptry = here(t);
    op16(t, CF_OP_TRY, bt(t, "I"));
    iconst(t, 1);
    uint32_t c1 = here(t);
    op16(t, CF_OP_CATCH, e1);
    op16(t, CF_OP_GETFIELD, cf_cp_field(t->c, "std/core/Exception", "code", "I"));
    uint32_t c2 = here(t);
    op16(t, CF_OP_CATCH, 0);
    op(t, CF_OP_POP);
    iconst(t, 3);
    op(t, CF_OP_END);
    uint32_t after = here(t);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "()I", 1, NULL);
    const CfMethodInfo *mi = &t->info[0];
    ck_assert_uint_eq(mi->nhandlers, 2);
    ck_assert_uint_eq(mi->handlers[0].start, ptry + 3);
    ck_assert_uint_eq(mi->handlers[0].end, c1);
    ck_assert_uint_eq(mi->handlers[0].handler, c1 + 3);
    ck_assert_uint_eq(mi->handlers[0].cls, e1);
    ck_assert_uint_eq(mi->handlers[0].height, 0);
    ck_assert_uint_eq(mi->handlers[1].start, ptry + 3);
    ck_assert_uint_eq(mi->handlers[1].end, c1);
    ck_assert_uint_eq(mi->handlers[1].handler, c2 + 3);
    ck_assert_uint_eq(mi->handlers[1].cls, 0);
    ck_assert_uint_eq(mi->nbranches, 2);
    assert_branch(mi, 0, c1, after, 0, 1);
    assert_branch(mi, 1, c2, after, 0, 1);
    t_free(t);
}
END_TEST

START_TEST(accept_nested_try_order)
{
    T *t = t_new();
    uint16_t e1 = cf_cp_class(t->c, "E1");
    iconst(t, 0);          /* below both regions: height 1 */
    op16(t, CF_OP_TRY, 0); /* 5: outer */
    op16(t, CF_OP_TRY, 0); /* 8: inner */
    op(t, CF_OP_NOP);
    uint32_t ic = here(t);
    op16(t, CF_OP_CATCH, e1);
    op(t, CF_OP_THROW); /* rethrow from the inner handler */
    op(t, CF_OP_END);
    uint32_t oc = here(t);
    op16(t, CF_OP_CATCH, 0);
    op(t, CF_OP_POP);
    op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "()I", 2, NULL);
    const CfMethodInfo *mi = &t->info[0];
    ck_assert_uint_eq(mi->nhandlers, 2);
    ck_assert_uint_eq(mi->handlers[0].start, 11);
    ck_assert_uint_eq(mi->handlers[0].end, ic);
    ck_assert_uint_eq(mi->handlers[0].cls, e1);
    ck_assert_uint_eq(mi->handlers[0].height, 1);
    ck_assert_uint_eq(mi->handlers[1].start, 8);
    ck_assert_uint_eq(mi->handlers[1].end, oc);
    ck_assert_uint_eq(mi->handlers[1].handler, oc + 3);
    ck_assert_uint_eq(mi->handlers[1].height, 1);
    t_free(t);
}
END_TEST

START_TEST(accept_br_table)
{
    /* switch (x) { case 0: case 1: ... default: ... } */
    T *t = t_new();
    op16(t, CF_OP_BLOCK, 0); /* 0 */
    op16(t, CF_OP_BLOCK, 0); /* 3 */
    op16(t, CF_OP_BLOCK, 0); /* 6 */
    op16(t, CF_OP_LOAD, 0);  /* 9 */
    uint16_t d[2] = {0, 1};
    uint32_t pt = here(t);
    br_table(t, 2, d, 2); /* 12, size 9 */
    op(t, CF_OP_END);     /* 21 */
    uint32_t a0 = here(t);
    op(t, CF_OP_END); /* 22 */
    uint32_t a1 = here(t);
    op(t, CF_OP_END); /* 23 */
    uint32_t a2 = here(t);
    iconst(t, 1);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "(I)I", 1, NULL);
    const CfMethodInfo *mi = &t->info[0];
    ck_assert_uint_eq(mi->nbranches, 3);
    assert_branch(mi, 0, pt, a0, 0, 0);
    assert_branch(mi, 1, pt, a1, 0, 0);
    assert_branch(mi, 2, pt, a2, 0, 0);
    t_free(t);
}
END_TEST

START_TEST(accept_calls)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0); /* B */
    iconst(t, 1);
    op16(t, CF_OP_INVOKEVIRTUAL, cf_cp_method(t->c, "A", "m", "(I)I"));
    op16(t, CF_OP_LDC, cf_cp_float(t->c, 2.0));
    op16(t, CF_OP_INVOKESTATIC, cf_cp_method(t->c, "Foo", "g", "(IF)F"));
    op(t, CF_OP_POP);
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_INVOKEIFACE, cf_cp_method(t->c, "I", "x", "()V"));
    op16(t, CF_OP_LOAD, 1); /* this: Foo, a subclass of A */
    op16(t, CF_OP_INVOKESPECIAL, cf_cp_method(t->c, "A", "h", "()V"));
    op16(t, CF_OP_LOAD, 1);
    op16(t, CF_OP_INVOKESPECIAL, cf_cp_method(t->c, "Foo", "p", "()V"));
    op16(t, CF_OP_LOAD, 0);
    op(t, CF_OP_ACONST_NULL);
    op16(t, CF_OP_INVOKEVIRTUAL,
         cf_cp_method(t->c, "std/core/Object", "equals", "(Lstd/core/Object;)Z"));
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "(LB;LFoo;)Z", 3, NULL);
    t_free(t);
}
END_TEST

START_TEST(accept_fields)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0); /* this: Foo */
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_GETFIELD, cf_cp_field(t->c, "A", "x", "I"));
    iconst(t, 1);
    op(t, CF_OP_IADD);
    op16(t, CF_OP_PUTFIELD, cf_cp_field(t->c, "A", "x", "I"));
    op16(t, CF_OP_GETSTATIC, cf_cp_field(t->c, "B", "s", "LB;"));
    op16(t, CF_OP_PUTSTATIC, cf_cp_field(t->c, "Foo", "t", "LI;"));
    op16(t, CF_OP_LOAD, 0);
    iconst(t, 300);
    op16(t, CF_OP_PUTFIELD, cf_cp_field(t->c, "Foo", "b", "B"));
    op(t, CF_OP_RETURN);
    ACCEPT(t, 0, "f", "()V", 3, NULL);
    t_free(t);
}
END_TEST

START_TEST(accept_arrays)
{
    T *t = t_new();
    iconst(t, 3);
    op16(t, CF_OP_NEWARRAY, cf_cp_class(t->c, "[I"));
    op16(t, CF_OP_STORE, 0);
    op16(t, CF_OP_LOAD, 0);
    iconst(t, 0);
    iconst(t, 42);
    op(t, CF_OP_IASTORE);
    op16(t, CF_OP_LOAD, 0);
    iconst(t, 0);
    op(t, CF_OP_IALOAD);
    op(t, CF_OP_POP);
    iconst(t, 2);
    op16(t, CF_OP_NEWARRAY, cf_cp_class(t->c, "[LA;"));
    op16(t, CF_OP_STORE, 1);
    op16(t, CF_OP_LOAD, 1);
    iconst(t, 1);
    op16(t, CF_OP_NEW, cf_cp_method(t->c, "B", "<init>", "()V"));
    op(t, CF_OP_AASTORE); /* a B into an A[] */
    op16(t, CF_OP_LOAD, 1);
    iconst(t, 1);
    op(t, CF_OP_AALOAD);
    op16(t, CF_OP_GETFIELD, cf_cp_field(t->c, "A", "x", "I"));
    op(t, CF_OP_POP);
    op16(t, CF_OP_LOAD, 2); /* [Z */
    iconst(t, 0);
    op(t, CF_OP_BALOAD);
    op(t, CF_OP_POP);
    op(t, CF_OP_ACONST_NULL); /* null array: aaload gives null */
    iconst(t, 0);
    op(t, CF_OP_AALOAD);
    op16(t, CF_OP_STORE, 3);
    op16(t, CF_OP_LOAD, 1);
    op(t, CF_OP_ARRAYLENGTH);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "()I", 3, "[I [LA; [Z [[F");
    t_free(t);
}
END_TEST

START_TEST(accept_new_and_store)
{
    T *t = t_new();
    iconst(t, 5);
    op16(t, CF_OP_NEW, cf_cp_method(t->c, "B", "<init>", "(I)V"));
    op16(t, CF_OP_STORE, 0); /* B into an A local */
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_STORE, 1); /* A into an Object local */
    op(t, CF_OP_ACONST_NULL);
    op16(t, CF_OP_STORE, 2); /* null into an array local */
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "()V", 1, "LA; Lstd/core/Object; [I");
    t_free(t);
}
END_TEST

START_TEST(accept_initsuper)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_LOAD, 1);
    op16(t, CF_OP_INITSUPER, cf_cp_method(t->c, "A", "<init>", "(I)V"));
    op(t, CF_OP_RETURN);
    add_code_method(t, 0, "<init>", "(I)V", 2, NULL);
    /* a second constructor delegating to the first */
    op16(t, CF_OP_LOAD, 0);
    op(t, CF_OP_DUP);
    op(t, CF_OP_POP);
    iconst(t, 0);
    op16(t, CF_OP_INITSUPER, cf_cp_method(t->c, "Foo", "<init>", "(I)V"));
    op(t, CF_OP_RETURN);
    ACCEPT(t, 0, "<init>", "()V", 2, NULL);
    t_free(t);
}
END_TEST

START_TEST(accept_stack_ops)
{
    T *t = t_new();
    iconst(t, 1);
    op16(t, CF_OP_LDC, cf_cp_float(t->c, 2.0));
    op(t, CF_OP_SWAP); /* float int */
    op(t, CF_OP_I2F);
    op(t, CF_OP_FADD); /* float */
    op(t, CF_OP_F2I);
    op16(t, CF_OP_LDC, cf_cp_string(t->c, "s", 1));
    op(t, CF_OP_DUP_X1); /* str int str */
    op(t, CF_OP_POP);
    op(t, CF_OP_SWAP); /* int str */
    op(t, CF_OP_DUP2); /* int str int str */
    op(t, CF_OP_POP);
    op(t, CF_OP_DUP_X2); /* int int str int */
    op(t, CF_OP_POP);
    op(t, CF_OP_POP);
    op(t, CF_OP_IADD);
    op16(t, CF_OP_LDC, cf_cp_int(t->c, (int64_t)1 << 40));
    op(t, CF_OP_ISHL);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "()I", 4, NULL);
    t_free(t);
}
END_TEST

START_TEST(accept_casts_and_callfn)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_CHECKCAST, cf_cp_class(t->c, "std/core/Function"));
    iconst(t, 2);
    op16(t, CF_OP_CALLFN, cf_cp_utf8z(t->c, "(I)LA;"));
    op16(t, CF_OP_INSTANCEOF, cf_cp_class(t->c, "B"));
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_CHECKCAST, cf_cp_class(t->c, "[I"));
    op(t, CF_OP_ACONST_NULL);
    op(t, CF_OP_AEQ);
    op(t, CF_OP_IAND);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "(Lstd/core/Object;)Z", 3, NULL);
    t_free(t);
}
END_TEST

START_TEST(accept_throw_and_unreachable)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_IF, 0);
    op16(t, CF_OP_LDC, cf_cp_string(t->c, "boom", 4));
    op16(t, CF_OP_NEW, cf_cp_method(t->c, "E1", "<init>", "(Lstd/core/String;)V"));
    op(t, CF_OP_THROW);
    op(t, CF_OP_ELSE);
    op(t, CF_OP_UNREACHABLE);
    op(t, CF_OP_END);
    op(t, CF_OP_ACONST_NULL);
    op(t, CF_OP_THROW);
    ACCEPT(t, S, "f", "(I)V", 1, NULL);
    t_free(t);
}
END_TEST

START_TEST(accept_loop_with_result_and_br_if_value)
{
    T *t = t_new();
    op16(t, CF_OP_BLOCK, bt(t, "I"));
    op16(t, CF_OP_LOOP, bt(t, "I"));
    iconst(t, 7);
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_BR_IF, 1); /* carries 7 out of the block */
    op(t, CF_OP_POP);
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_BR_IF, 0); /* loops, carrying nothing */
    iconst(t, 1);
    op(t, CF_OP_END);
    op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "(I)I", 2, NULL);
    const CfMethodInfo *mi = &t->info[0];
    ck_assert_uint_eq(mi->nbranches, 2);
    ck_assert_uint_eq(mi->branches[0].arity, 1);
    ck_assert_uint_eq(mi->branches[1].arity, 0);
    ck_assert_uint_eq(mi->branches[1].target, 6);
    t_free(t);
}
END_TEST

START_TEST(accept_abstract_and_interface)
{
    T *t = t_new_class("J", "std/core/Object", CF_ACC_INTERFACE | CF_ACC_ABSTRACT);
    ck_assert_ptr_nonnull(cf_add_method(t->c, CF_ACC_ABSTRACT, "a", "()V"));
    op(t, CF_OP_RETURN);
    ACCEPT(t, 0, "d", "()V", 0, NULL); /* a default method */
    ck_assert_uint_eq(t->info[0].nbranches, 0);
    ck_assert_ptr_null(t->info[0].branches);
    t_free(t);
}
END_TEST

START_TEST(accept_object_without_super)
{
    T *t = t_new_class("std/core/Object", NULL, 0);
    op(t, CF_OP_RETURN);
    ACCEPT(t, 0, "<init>", "()V", 0, NULL);
    t_free(t);
}
END_TEST

/* ---- rejected programs --------------------------------------------------- */

START_TEST(reject_underflow)
{
    T *t = t_new();
    iconst(t, 1);
    op(t, CF_OP_IADD);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "bar", "(I)I", 2, NULL,
           "Foo.bar(I)I @5 iadd: stack underflow: expected [int int], got [int]");
    t_free(t);
}
END_TEST

START_TEST(reject_underflow_below_region)
{
    T *t = t_new();
    iconst(t, 1);
    op16(t, CF_OP_BLOCK, 0);
    op(t, CF_OP_POP);
    op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()I", 2, NULL, "@8 pop: stack underflow: expected [any], got []");
    t_free(t);
}
END_TEST

START_TEST(reject_overflow)
{
    T *t = t_new();
    iconst(t, 1);
    iconst(t, 2);
    op(t, CF_OP_IADD);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()I", 1, NULL, "@5 iconst: stack overflow");
    t_free(t);
}
END_TEST

START_TEST(reject_int_float)
{
    T *t = t_new();
    iconst(t, 1);
    op16(t, CF_OP_LDC, cf_cp_float(t->c, 1.0));
    op(t, CF_OP_IADD);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()I", 2, NULL, "Foo.f()I @8 iadd: expected [int int], got [int float]");
    t_free(t);
}
END_TEST

START_TEST(reject_ref_not_assignable)
{
    T *t = t_new();
    op16(t, CF_OP_NEW, cf_cp_method(t->c, "A", "<init>", "()V"));
    op16(t, CF_OP_INVOKESTATIC, cf_cp_method(t->c, "Foo", "g", "(LB;)V"));
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 1, NULL, "@3 invokestatic: expected [B], got [A]");
    t_free(t);
}
END_TEST

START_TEST(reject_string_as_int)
{
    T *t = t_new();
    iconst(t, 1);
    op16(t, CF_OP_LDC, cf_cp_string(t->c, "x", 1));
    op(t, CF_OP_IADD);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "bar", "(I)V", 2, NULL,
           "Foo.bar(I)V @8 iadd: expected [int int], got [int std/core/String]");
    t_free(t);
}
END_TEST

START_TEST(reject_bad_local_index)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 2);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "(I)I", 1, "I", "@0 load: local 2 out of range (the method has 2 locals)");
    t_free(t);
}
END_TEST

START_TEST(reject_bad_local_type)
{
    T *t = t_new();
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 1, "Q", "local 0: type");
    t_free(t);
}
END_TEST

START_TEST(reject_iinc_float)
{
    T *t = t_new();
    iinc(t, 1, 1);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "(I)V", 1, "F", "@0 iinc: iinc needs an int local, local 1 is [float]");
    t_free(t);
}
END_TEST

START_TEST(reject_iinc_bool)
{
    T *t = t_new();
    iinc(t, 0, 1);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "(Z)V", 1, NULL, "iinc needs an int local, local 0 is [bool]");
    t_free(t);
}
END_TEST

START_TEST(reject_store_type)
{
    T *t = t_new();
    op(t, CF_OP_ACONST_NULL);
    op16(t, CF_OP_STORE, 0);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "(I)V", 1, NULL, "@1 store: expected [int], got [null]");
    t_free(t);
}
END_TEST

START_TEST(reject_ldc_kind)
{
    T *t = t_new();
    op16(t, CF_OP_LDC, cf_cp_class(t->c, "A"));
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()LA;", 1, NULL, "ldc: #");
    ck_assert_ptr_nonnull(strstr(t->err.msg, "is a Class constant, expected Int, Float or String"));
    t_free(t);
}
END_TEST

START_TEST(reject_getfield_kind)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_GETFIELD, cf_cp_method(t->c, "A", "x", "()I"));
    op(t, CF_OP_RETURN);
    REJECT(t, 0, "f", "()I", 1, NULL, "is a Method constant, expected a Field");
    t_free(t);
}
END_TEST

START_TEST(reject_branch_depth)
{
    T *t = t_new();
    op16(t, CF_OP_BLOCK, 0);
    op16(t, CF_OP_BR, 2);
    op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "bar", "()V", 1, NULL, "Foo.bar()V @3 br: branch depth 2 but only 1 region open");
    t_free(t);
}
END_TEST

START_TEST(reject_unreachable_code)
{
    T *t = t_new();
    op(t, CF_OP_RETURN);
    iconst(t, 1);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "main", "([Lstd/core/String;)V", 1, NULL,
           "Foo.main([Lstd/core/String;)V @1: unreachable code after return");
    t_free(t);
}
END_TEST

START_TEST(reject_unreachable_after_br)
{
    T *t = t_new();
    op16(t, CF_OP_BLOCK, 0);
    op16(t, CF_OP_BR, 0);
    op(t, CF_OP_NOP);
    op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 1, NULL, "@6: unreachable code after br");
    t_free(t);
}
END_TEST

START_TEST(reject_fall_off_end)
{
    T *t = t_new();
    iconst(t, 1);
    op(t, CF_OP_POP);
    REJECT(t, S, "f", "()V", 1, NULL, "@6: code falls off its end");
    t_free(t);
}
END_TEST

START_TEST(reject_fall_off_after_end)
{
    T *t = t_new();
    op16(t, CF_OP_BLOCK, 0);
    op(t, CF_OP_RETURN);
    op(t, CF_OP_END);
    REJECT(t, S, "f", "()V", 1, NULL, "code falls off its end");
    t_free(t);
}
END_TEST

START_TEST(reject_empty_code)
{
    T *t = t_new();
    REJECT(t, S, "f", "()V", 1, NULL, "@0: code falls off its end");
    t_free(t);
}
END_TEST

START_TEST(reject_unclosed_region)
{
    T *t = t_new();
    op16(t, CF_OP_BLOCK, 0);
    op16(t, CF_OP_LOOP, 0);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 1, NULL, "@7: loop opened at @3 is never closed");
    t_free(t);
}
END_TEST

START_TEST(reject_else_outside_if)
{
    T *t = t_new();
    op16(t, CF_OP_BLOCK, 0);
    op(t, CF_OP_ELSE);
    op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 1, NULL, "@3 else: else outside an if");
    t_free(t);
}
END_TEST

START_TEST(reject_double_else)
{
    T *t = t_new();
    iconst(t, 1);
    op16(t, CF_OP_IF, 0);
    op(t, CF_OP_ELSE);
    op(t, CF_OP_ELSE);
    op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 1, NULL, "second else");
    t_free(t);
}
END_TEST

START_TEST(reject_if_result_without_else)
{
    T *t = t_new();
    iconst(t, 1);
    op16(t, CF_OP_IF, bt(t, "I"));
    iconst(t, 2);
    op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()I", 1, NULL, "@13 end: if opened at @5 yields [int] and needs an else");
    t_free(t);
}
END_TEST

START_TEST(reject_try_without_catch)
{
    T *t = t_new();
    op16(t, CF_OP_TRY, 0);
    op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 1, NULL, "@3 end: try opened at @0 has no catch");
    t_free(t);
}
END_TEST

START_TEST(reject_catch_outside_try)
{
    T *t = t_new();
    op16(t, CF_OP_BLOCK, 0);
    op16(t, CF_OP_CATCH, 0);
    op(t, CF_OP_POP);
    op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 1, NULL, "catch outside a try");
    t_free(t);
}
END_TEST

START_TEST(reject_catch_not_exception)
{
    T *t = t_new();
    op16(t, CF_OP_TRY, 0);
    op16(t, CF_OP_CATCH, cf_cp_class(t->c, "A"));
    op(t, CF_OP_POP);
    op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 1, NULL, "catch class A is not assignable to std/core/Exception");
    t_free(t);
}
END_TEST

START_TEST(reject_throw_not_exception)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op(t, CF_OP_THROW);
    REJECT(t, S, "f", "(LA;)V", 1, NULL, "throw: expected [std/core/Exception], got [A]");
    t_free(t);
}
END_TEST

START_TEST(reject_return_type)
{
    T *t = t_new();
    op16(t, CF_OP_LDC, cf_cp_float(t->c, 1.0));
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()I", 1, NULL, "@3 return: expected [int], got [float]");
    t_free(t);
}
END_TEST

START_TEST(reject_return_missing_value)
{
    T *t = t_new();
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()LA;", 1, NULL, "return: stack underflow: expected [A], got []");
    t_free(t);
}
END_TEST

START_TEST(reject_region_end_height)
{
    T *t = t_new();
    op16(t, CF_OP_BLOCK, 0);
    iconst(t, 1);
    op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 1, NULL,
           "@8 end: expected [] on the stack at the end of the block region, got [int]");
    t_free(t);
}
END_TEST

START_TEST(reject_br_value_type)
{
    T *t = t_new();
    op16(t, CF_OP_BLOCK, bt(t, "I"));
    op16(t, CF_OP_LDC, cf_cp_float(t->c, 1.0));
    op16(t, CF_OP_BR, 0);
    op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()I", 1, NULL, "@6 br: expected [int], got [float]");
    t_free(t);
}
END_TEST

START_TEST(reject_br_table_arity)
{
    T *t = t_new();
    op16(t, CF_OP_BLOCK, bt(t, "I"));
    op16(t, CF_OP_BLOCK, 0);
    iconst(t, 0);
    iconst(t, 0);
    uint16_t d[1] = {0};
    br_table(t, 1, d, 1);
    op(t, CF_OP_END);
    iconst(t, 0);
    op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()I", 2, NULL,
           "br_table: target 0 carries [] but the default carries [int]");
    t_free(t);
}
END_TEST

START_TEST(reject_init_via_invokevirtual)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_INVOKEVIRTUAL, cf_cp_method(t->c, "A", "<init>", "()V"));
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "(LA;)V", 1, NULL, "A.<init>()V may not be called with invokevirtual");
    t_free(t);
}
END_TEST

START_TEST(reject_initsuper_outside_init)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_INITSUPER, cf_cp_method(t->c, "A", "<init>", "()V"));
    op(t, CF_OP_RETURN);
    REJECT(t, 0, "f", "()V", 1, NULL, "@3 initsuper: initsuper outside a constructor");
    t_free(t);
}
END_TEST

START_TEST(reject_initsuper_not_this)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 1);
    op16(t, CF_OP_INITSUPER, cf_cp_method(t->c, "A", "<init>", "()V"));
    op(t, CF_OP_RETURN);
    REJECT(t, 0, "<init>", "(LFoo;)V", 1, NULL, "the receiver of initsuper must be this");
    t_free(t);
}
END_TEST

START_TEST(reject_initsuper_wrong_class)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_INITSUPER, cf_cp_method(t->c, "std/core/Object", "<init>", "()V"));
    op(t, CF_OP_RETURN);
    REJECT(t, 0, "<init>", "()V", 1, NULL, "neither Foo nor its superclass A");
    t_free(t);
}
END_TEST

START_TEST(reject_store_this_in_init)
{
    T *t = t_new();
    op(t, CF_OP_ACONST_NULL);
    op16(t, CF_OP_STORE, 0);
    op(t, CF_OP_RETURN);
    REJECT(t, 0, "<init>", "()V", 1, NULL, "may not store to local 0");
    t_free(t);
}
END_TEST

START_TEST(reject_new_interface)
{
    T *t = t_new();
    op16(t, CF_OP_NEW, cf_cp_method(t->c, "I", "<init>", "()V"));
    op(t, CF_OP_POP);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 1, NULL, "@0 new: cannot instantiate interface I");
    t_free(t);
}
END_TEST

START_TEST(reject_new_not_init)
{
    T *t = t_new();
    op16(t, CF_OP_NEW, cf_cp_method(t->c, "A", "make", "()V"));
    op(t, CF_OP_POP);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 1, NULL, "A.make()V is not a constructor <init>");
    t_free(t);
}
END_TEST

START_TEST(reject_invokeinterface_on_class)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_INVOKEIFACE, cf_cp_method(t->c, "A", "m", "()V"));
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "(LA;)V", 1, NULL, "A is not an interface");
    t_free(t);
}
END_TEST

START_TEST(reject_invokevirtual_on_interface)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_INVOKEVIRTUAL, cf_cp_method(t->c, "I", "x", "()V"));
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "(LB;)V", 1, NULL, "I is an interface: use invokeinterface");
    t_free(t);
}
END_TEST

START_TEST(reject_invokespecial_other_class)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_INVOKESPECIAL, cf_cp_method(t->c, "A", "m", "()V"));
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "(LB;)V", 1, NULL,
           "invokespecial receiver B is not assignable to this class");
    t_free(t);
}
END_TEST

START_TEST(reject_aastore_element)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    iconst(t, 0);
    op16(t, CF_OP_NEW, cf_cp_method(t->c, "A", "<init>", "()V"));
    op(t, CF_OP_AASTORE);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "([LB;)V", 3, NULL, "@11 aastore: expected [[LB; int B], got [[LB; int A]");
    t_free(t);
}
END_TEST

/* arrays of references are covariant ([LB; is a [LA; and a [Lstd/core/Object;,
 * [[LB; a [[LA;), checked by aastore at run time; nothing else is */
START_TEST(accept_array_covariance)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_STORE, 1);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "([LB;)V", 1, "[LA;");
    t_free(t);
    t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_STORE, 1);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "([[LB;)V", 1, "[[LA;");
    t_free(t);
    t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_STORE, 1);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "([[LB;)V", 1, "[Lstd/core/Object;");
    t_free(t);
}
END_TEST

START_TEST(reject_array_contravariance)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_STORE, 1);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "([LA;)V", 1, "[LB;", "store: expected [[LB;], got [[LA;]");
    t_free(t);
}
END_TEST

START_TEST(reject_primitive_array_covariance)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_STORE, 1);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "([I)V", 1, "[Lstd/core/Object;",
           "store: expected [[Lstd/core/Object;], got [[I]");
    t_free(t);
    t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_STORE, 1);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "([[I)V", 1, "[[Lstd/core/Object;",
           "store: expected [[[Lstd/core/Object;], got [[[I]");
    t_free(t);
}
END_TEST

START_TEST(reject_baload_on_int_array)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    iconst(t, 0);
    op(t, CF_OP_BALOAD);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "([I)I", 2, NULL, "baload: expected [[B|[Z int], got [[I int]");
    t_free(t);
}
END_TEST

START_TEST(reject_newarray_not_array)
{
    T *t = t_new();
    iconst(t, 1);
    op16(t, CF_OP_NEWARRAY, cf_cp_class(t->c, "A"));
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()LA;", 1, NULL, "names A, expected an array descriptor");
    t_free(t);
}
END_TEST

START_TEST(reject_unknown_opcode)
{
    T *t = t_new();
    op(t, CF_OP_NOP);
    op(t, 0xFF);
    REJECT(t, S, "f", "()V", 1, NULL, "@1: unknown opcode 0xFF");
    t_free(t);
}
END_TEST

START_TEST(reject_truncated_immediate)
{
    T *t = t_new();
    op(t, CF_OP_ICONST);
    op(t, 0);
    REJECT(t, S, "f", "()V", 1, NULL, "@0 iconst: immediates run past the end of the code");
    t_free(t);
}
END_TEST

START_TEST(reject_bad_block_type)
{
    T *t = t_new();
    op16(t, CF_OP_BLOCK, bt(t, "V"));
    op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 1, NULL, "is not a field descriptor");
    t_free(t);
}
END_TEST

START_TEST(reject_callfn_descriptor)
{
    T *t = t_new();
    op(t, CF_OP_ACONST_NULL);
    op16(t, CF_OP_CALLFN, cf_cp_utf8z(t->c, "I"));
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 1, NULL, "\"I\" is not a method descriptor");
    t_free(t);
}
END_TEST

START_TEST(reject_unknown_class_from_hierarchy)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_GETFIELD, cf_cp_field(t->c, "Zed", "x", "I"));
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "(LA;)I", 1, NULL, "@3 getfield: class Zed not found");
    t_free(t);
}
END_TEST

START_TEST(reject_getfield_receiver)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op16(t, CF_OP_GETFIELD, cf_cp_field(t->c, "B", "y", "F"));
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "(LA;)F", 1, NULL, "getfield: expected [B], got [A]");
    t_free(t);
}
END_TEST

/* ---- class header rules -------------------------------------------------- */

START_TEST(reject_duplicate_method)
{
    T *t = t_new();
    op(t, CF_OP_RETURN);
    add_code_method(t, S, "f", "()V", 0, NULL);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 0, NULL, "Foo: duplicate method f()V");
    t_free(t);
}
END_TEST

START_TEST(accept_overloads)
{
    T *t = t_new();
    op(t, CF_OP_RETURN);
    add_code_method(t, S, "f", "()V", 0, NULL);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "(I)V", 0, NULL);
    t_free(t);
}
END_TEST

START_TEST(reject_duplicate_field)
{
    T *t = t_new();
    ck_assert_ptr_nonnull(cf_add_field(t->c, 0, "x", "I"));
    ck_assert_ptr_nonnull(cf_add_field(t->c, 0, "x", "F"));
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 0, NULL, "Foo: duplicate field x");
    t_free(t);
}
END_TEST

START_TEST(reject_abstract_in_concrete)
{
    T *t = t_new();
    ck_assert_ptr_nonnull(cf_add_method(t->c, CF_ACC_ABSTRACT, "a", "()V"));
    ck_assert_int_eq(cf_verify_class(t->c, &hier, t->info, &t->err), -1);
    ck_assert_ptr_nonnull(strstr(t->err.msg, "Foo.a()V: abstract method in a class"));
    t_free(t);
}
END_TEST

START_TEST(reject_final_abstract)
{
    T *t = t_new_class("Foo", "A", CF_ACC_FINAL | CF_ACC_ABSTRACT);
    ck_assert_int_eq(cf_verify_class(t->c, &hier, NULL, &t->err), -1);
    ck_assert_ptr_nonnull(strstr(t->err.msg, "a final class may not be abstract"));
    t_free(t);
}
END_TEST

START_TEST(reject_static_init)
{
    T *t = t_new();
    op(t, CF_OP_RETURN);
    REJECT(t, S, "<init>", "()V", 0, NULL, "Foo.<init>()V: a constructor may not be static");
    t_free(t);
}
END_TEST

START_TEST(reject_init_returns_value)
{
    T *t = t_new();
    iconst(t, 0);
    op(t, CF_OP_RETURN);
    REJECT(t, 0, "<init>", "()I", 1, NULL, "a constructor must return V");
    t_free(t);
}
END_TEST

START_TEST(reject_clinit_not_static)
{
    T *t = t_new();
    op(t, CF_OP_RETURN);
    REJECT(t, 0, "<clinit>", "()V", 0, NULL, "a static initialiser must be static");
    t_free(t);
}
END_TEST

START_TEST(reject_missing_super)
{
    T *t = t_new_class("Foo", NULL, 0);
    ck_assert_int_eq(cf_verify_class(t->c, &hier, NULL, &t->err), -1);
    ck_assert_ptr_nonnull(strstr(t->err.msg, "only std/core/Object may have no superclass"));
    t_free(t);
}
END_TEST

START_TEST(reject_method_without_code)
{
    T *t = t_new();
    ck_assert_ptr_nonnull(cf_add_method(t->c, 0, "m", "()V"));
    ck_assert_int_eq(cf_verify_class(t->c, &hier, NULL, &t->err), -1);
    ck_assert_ptr_nonnull(strstr(t->err.msg, "method has no code"));
    t_free(t);
}
END_TEST

START_TEST(accept_deep_nesting_and_long_code)
{
    T *t = t_new();
    for (int i = 0; i < CF_MAX_NESTING; i++)
        op16(t, CF_OP_BLOCK, 0);
    for (int i = 0; i < 100000; i++) {
        iconst(t, i);
        op(t, CF_OP_POP);
    }
    op16(t, CF_OP_BR, CF_MAX_NESTING - 1);
    for (int i = 0; i < CF_MAX_NESTING; i++)
        op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    ACCEPT(t, S, "f", "()V", 1, NULL);
    ck_assert_uint_eq(t->info[0].nbranches, 1);
    ck_assert_uint_eq(t->info[0].branches[0].target,
                      3 * CF_MAX_NESTING + 600000 + 3 + CF_MAX_NESTING);
    t_free(t);
}
END_TEST

START_TEST(reject_too_deep)
{
    T *t = t_new();
    for (int i = 0; i <= CF_MAX_NESTING; i++)
        op16(t, CF_OP_BLOCK, 0);
    for (int i = 0; i <= CF_MAX_NESTING; i++)
        op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 1, NULL, "more than 1024 nested regions");
    t_free(t);
}
END_TEST

START_TEST(null_hierarchy)
{
    T *t = t_new();
    op16(t, CF_OP_LOAD, 0);
    op(t, CF_OP_RETURN);
    add_code_method(t, S, "f", "(LB;)LB;", 1, NULL);
    ck_assert_int_eq(cf_verify_class(t->c, NULL, NULL, &t->err), 0);
    op16(t, CF_OP_LOAD, 0);
    op(t, CF_OP_RETURN);
    add_code_method(t, S, "g", "(LB;)LA;", 1, NULL);
    ck_assert_int_eq(cf_verify_class(t->c, NULL, NULL, &t->err), -1);
    ck_assert_ptr_nonnull(strstr(t->err.msg, "cannot check that B is assignable to A"));
    t_free(t);
}
END_TEST

START_TEST(reject_too_many_slots)
{
    T *t = t_new();
    char desc[70000];
    size_t n = 0;
    desc[n++] = '(';
    for (int i = 0; i < 66000; i++)
        desc[n++] = 'I';
    desc[n++] = ')';
    desc[n++] = 'V';
    desc[n] = '\0';
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", desc, 0, NULL, "66000 parameter and local slots, more than 65535");
    t_free(t);
}
END_TEST

START_TEST(reject_call_with_huge_descriptor)
{
    T *t = t_new();
    char *desc = malloc(200000);
    ck_assert_ptr_nonnull(desc);
    size_t n = 0;
    desc[n++] = '(';
    for (int i = 0; i < 199990; i++)
        desc[n++] = 'I';
    desc[n++] = ')';
    desc[n++] = 'V';
    desc[n] = '\0';
    uint16_t mi = cf_cp_method(t->c, "Foo", "big", desc);
    free(desc);
    for (int i = 0; i < 1000; i++)
        op(t, CF_OP_NOP);
    iconst(t, 1);
    op16(t, CF_OP_INVOKESTATIC, mi);
    op(t, CF_OP_RETURN);
    REJECT(t, S, "f", "()V", 1, NULL, "invokestatic: stack underflow: the call takes 199990");
    t_free(t);
}
END_TEST

/* Every truncation of a valid method and every single-byte corruption must be
 * refused or accepted cleanly, never crash. */
START_TEST(hostile_mutations)
{
    T *t = t_new();
    op16(t, CF_OP_BLOCK, bt(t, "I"));
    op16(t, CF_OP_TRY, 0);
    op16(t, CF_OP_LOAD, 0);
    uint16_t d[2] = {0, 1};
    br_table(t, 2, d, 1);
    op16(t, CF_OP_CATCH, 0);
    op(t, CF_OP_THROW);
    op(t, CF_OP_END);
    iconst(t, 1);
    op(t, CF_OP_END);
    op(t, CF_OP_RETURN);
    uint8_t orig[64];
    uint32_t len = t->n;
    memcpy(orig, t->code, len);
    t->n = 0;
    for (uint32_t cut = 0; cut <= len; cut++) {
        for (uint32_t pos = 0; pos < len; pos++) {
            for (int v = 0; v < 256; v += 17) {
                T *u = t_new();
                memcpy(u->code, orig, len);
                u->code[pos] = (uint8_t)v;
                u->n = cut;
                int r = run(u, S, "f", "(I)I", 3, NULL);
                ck_assert(r == 0 || r == -1);
                if (r < 0)
                    ck_assert(u->err.msg[0] != '\0');
                t_free(u);
            }
        }
    }
    t_free(t);
}
END_TEST

static Suite *verify_suite(void)
{
    Suite *s = suite_create("verify");
    TCase *ok = tcase_create("accept");
    tcase_add_test(ok, accept_arith);
    tcase_add_test(ok, accept_loop);
    tcase_add_test(ok, accept_nested_blocks_with_results);
    tcase_add_test(ok, accept_if_else_results);
    tcase_add_test(ok, accept_if_without_else);
    tcase_add_test(ok, accept_br_out_with_value);
    tcase_add_test(ok, accept_try_catch);
    tcase_add_test(ok, accept_nested_try_order);
    tcase_add_test(ok, accept_br_table);
    tcase_add_test(ok, accept_calls);
    tcase_add_test(ok, accept_fields);
    tcase_add_test(ok, accept_arrays);
    tcase_add_test(ok, accept_new_and_store);
    tcase_add_test(ok, accept_initsuper);
    tcase_add_test(ok, accept_stack_ops);
    tcase_add_test(ok, accept_casts_and_callfn);
    tcase_add_test(ok, accept_throw_and_unreachable);
    tcase_add_test(ok, accept_loop_with_result_and_br_if_value);
    tcase_add_test(ok, accept_abstract_and_interface);
    tcase_add_test(ok, accept_object_without_super);
    tcase_add_test(ok, accept_overloads);
    tcase_add_test(ok, accept_deep_nesting_and_long_code);
    suite_add_tcase(s, ok);

    TCase *bad = tcase_create("reject");
    tcase_add_test(bad, reject_underflow);
    tcase_add_test(bad, reject_underflow_below_region);
    tcase_add_test(bad, reject_overflow);
    tcase_add_test(bad, reject_int_float);
    tcase_add_test(bad, reject_ref_not_assignable);
    tcase_add_test(bad, reject_string_as_int);
    tcase_add_test(bad, reject_bad_local_index);
    tcase_add_test(bad, reject_bad_local_type);
    tcase_add_test(bad, reject_iinc_float);
    tcase_add_test(bad, reject_iinc_bool);
    tcase_add_test(bad, reject_store_type);
    tcase_add_test(bad, reject_ldc_kind);
    tcase_add_test(bad, reject_getfield_kind);
    tcase_add_test(bad, reject_branch_depth);
    tcase_add_test(bad, reject_unreachable_code);
    tcase_add_test(bad, reject_unreachable_after_br);
    tcase_add_test(bad, reject_fall_off_end);
    tcase_add_test(bad, reject_fall_off_after_end);
    tcase_add_test(bad, reject_empty_code);
    tcase_add_test(bad, reject_unclosed_region);
    tcase_add_test(bad, reject_else_outside_if);
    tcase_add_test(bad, reject_double_else);
    tcase_add_test(bad, reject_if_result_without_else);
    tcase_add_test(bad, reject_try_without_catch);
    tcase_add_test(bad, reject_catch_outside_try);
    tcase_add_test(bad, reject_catch_not_exception);
    tcase_add_test(bad, reject_throw_not_exception);
    tcase_add_test(bad, reject_return_type);
    tcase_add_test(bad, reject_return_missing_value);
    tcase_add_test(bad, reject_region_end_height);
    tcase_add_test(bad, reject_br_value_type);
    tcase_add_test(bad, reject_br_table_arity);
    tcase_add_test(bad, reject_init_via_invokevirtual);
    tcase_add_test(bad, reject_initsuper_outside_init);
    tcase_add_test(bad, reject_initsuper_not_this);
    tcase_add_test(bad, reject_initsuper_wrong_class);
    tcase_add_test(bad, reject_store_this_in_init);
    tcase_add_test(bad, reject_new_interface);
    tcase_add_test(bad, reject_new_not_init);
    tcase_add_test(bad, reject_invokeinterface_on_class);
    tcase_add_test(bad, reject_invokevirtual_on_interface);
    tcase_add_test(bad, reject_invokespecial_other_class);
    tcase_add_test(bad, reject_aastore_element);
    tcase_add_test(bad, accept_array_covariance);
    tcase_add_test(bad, reject_array_contravariance);
    tcase_add_test(bad, reject_primitive_array_covariance);
    tcase_add_test(bad, reject_baload_on_int_array);
    tcase_add_test(bad, reject_newarray_not_array);
    tcase_add_test(bad, reject_unknown_opcode);
    tcase_add_test(bad, reject_truncated_immediate);
    tcase_add_test(bad, reject_bad_block_type);
    tcase_add_test(bad, reject_callfn_descriptor);
    tcase_add_test(bad, reject_unknown_class_from_hierarchy);
    tcase_add_test(bad, reject_getfield_receiver);
    tcase_add_test(bad, reject_too_deep);
    tcase_add_test(bad, null_hierarchy);
    tcase_add_test(bad, reject_too_many_slots);
    tcase_add_test(bad, reject_call_with_huge_descriptor);
    suite_add_tcase(s, bad);

    TCase *hdr = tcase_create("header");
    tcase_add_test(hdr, reject_duplicate_method);
    tcase_add_test(hdr, reject_duplicate_field);
    tcase_add_test(hdr, reject_abstract_in_concrete);
    tcase_add_test(hdr, reject_final_abstract);
    tcase_add_test(hdr, reject_static_init);
    tcase_add_test(hdr, reject_init_returns_value);
    tcase_add_test(hdr, reject_clinit_not_static);
    tcase_add_test(hdr, reject_missing_super);
    tcase_add_test(hdr, reject_method_without_code);
    suite_add_tcase(s, hdr);

    TCase *hostile = tcase_create("hostile");
    tcase_set_timeout(hostile, 60);
    tcase_add_test(hostile, hostile_mutations);
    suite_add_tcase(s, hostile);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(verify_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
