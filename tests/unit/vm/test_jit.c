/* tests/unit/vm/test_jit.c: the JIT through the embedding API: compiled code
 * polls the interrupt flag and the step budget like the interpreter, a
 * million-deep recursion in compiled code runs (the JIT hands nesting to the
 * interpreter before the C stack runs out), several VMs keep their own code
 * caches, a full cache leaves methods interpreted. Without a backend the
 * VM interprets and these check that nothing is compiled. */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classfile.h"
#include "mica.h"
#include "vm.h"
#include "vm_asm.h"

static MicaVM *new_vm(MicaJitMode mode, uint32_t depth, size_t cache)
{
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.jit_mode = mode;
    cfg.max_call_depth = depth;
    cfg.jit_cache_bytes = cache;
    if (depth > 100000)
        cfg.value_stack_slots = (size_t)depth * 8;
    MicaVM *vm = NULL;
    ck_assert_int_eq(mica_vm_new(&cfg, &vm), MICA_OK);
    return vm;
}

static MicaStatus call(MicaVM *vm, const char *name, const char *desc, uint64_t *args,
                       uint32_t nargs, uint64_t *ret)
{
    MicaStatus st;
    vm->roots->pending = NULL;
    vm_call_static(vm, "L", name, desc, args, nargs, ret, &st);
    return st;
}

static VmMethod *method(MicaVM *vm, const char *name, const char *desc)
{
    return vm_find_declared(vm_load_class(vm, "L", NULL), name, desc);
}

/* Class L: spin() loops forever; count(n) counts down a loop of n iterations
 * with one call per iteration and returns n; rec(n) = n == 0 ? 0 : rec(n-1)+1. */
static void load_l(MicaVM *vm)
{
    CfClass *c = new_class("L", NULL, 0);
    Asm a = {0};
    op16(&a, CF_OP_LOOP, 0);
    op16(&a, CF_OP_BR, 0);
    op(&a, CF_OP_END);
    op(&a, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "spin", "()V", 1, NULL, 0, &a, NULL, 0);

    add_rec(c, "L");

    /* big(): more machine code than one page */
    Asm b = {0};
    for (int i = 0; i < 500; i++) {
        op32(&b, CF_OP_ICONST, 100000 + i);
        op16(&b, CF_OP_STORE, 0);
    }
    op32(&b, CF_OP_ICONST, 7);
    op(&b, CF_OP_RETURN);
    const char *big_locals[] = {"I"};
    add_code(c, CF_ACC_STATIC, "big", "()I", 1, big_locals, 1, &b, NULL, 0);
    ck_assert_int_eq(load(vm, c), MICA_OK);
}

static bool have_jit(void)
{
    MicaVM *vm = new_vm(MICA_JIT_ALWAYS, 0, 0);
    bool j = vm->jit != NULL;
    mica_vm_free(vm);
    return j;
}

static void *interrupter(void *arg)
{
    usleep(30000);
    mica_interrupt(arg);
    return NULL;
}

START_TEST(test_interrupt_compiled_loop)
{
    MicaVM *vm = new_vm(MICA_JIT_ALWAYS, 0, 0);
    load_l(vm);
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, interrupter, vm), 0);
    ck_assert_int_eq(call(vm, "spin", "()V", NULL, 0, NULL), MICA_ERR_INTERRUPTED);
    pthread_join(t, NULL);
    ck_assert_str_eq(mica_last_error(vm), "interrupted");
    if (have_jit())
        ck_assert_int_eq(method(vm, "spin", "()V")->jit_state, 1);
    mica_vm_free(vm);
}
END_TEST

/* The step budget stops compiled code at the same step as the interpreter:
 * rec(n) costs n+1 calls, so a budget of B runs rec(B-2) and not rec(B-1) in
 * both tiers. */
/* The last n for which rec(n) runs within a budget of [steps] calls. */
static uint64_t last_within(MicaJitMode mode, uint64_t steps)
{
    MicaVM *vm = new_vm(mode, 0, 0);
    load_l(vm);
    MicaLimits l = {0};
    l.max_steps = steps;
    ck_assert_int_eq(mica_set_limits(vm, &l), MICA_OK);
    uint64_t n = steps - 10, r = 0;
    for (;; n++) {
        uint64_t arg = n;
        MicaStatus st = call(vm, "rec", "(I)I", &arg, 1, &r);
        if (st != MICA_OK) {
            ck_assert_int_eq(st, MICA_ERR_LIMIT);
            ck_assert_str_eq(mica_last_error(vm), "step budget of 3000 exceeded");
            break;
        }
        ck_assert_int_eq(r, n);
        ck_assert_uint_lt(n, steps + 10);
    }
    mica_vm_free(vm);
    return n - 1;
}

/* The step budget stops compiled code at the same step as the interpreter. */
START_TEST(test_steps_same_in_both_tiers)
{
    ck_assert_uint_eq(last_within(MICA_JIT_ALWAYS, 3000), last_within(MICA_JIT_OFF, 3000));
}
END_TEST

START_TEST(test_million_deep_recursion)
{
    MicaVM *vm = new_vm(MICA_JIT_ALWAYS, 1100000, 0);
    load_l(vm);
    uint64_t arg = 1000000, r = 0;
    ck_assert_int_eq(call(vm, "rec", "(I)I", &arg, 1, &r), MICA_OK);
    ck_assert_int_eq(r, 1000000);
    /* past the depth limit: StackOverflowError, never a crash */
    arg = 2000000;
    ck_assert_int_eq(call(vm, "rec", "(I)I", &arg, 1, &r), MICA_ERR_EXCEPTION);
    ck_assert_ptr_nonnull(vm->roots->pending);
    ck_assert_str_eq(vm->roots->pending->cls->name, "std/core/StackOverflowError");
    mica_vm_free(vm);
}
END_TEST

START_TEST(test_caches_per_vm)
{
    MicaVM *a = new_vm(MICA_JIT_ALWAYS, 0, 0), *b = new_vm(MICA_JIT_ALWAYS, 0, 0);
    load_l(a);
    load_l(b);
    uint64_t arg = 100, r = 0;
    ck_assert_int_eq(call(a, "rec", "(I)I", &arg, 1, &r), MICA_OK);
    ck_assert_int_eq(call(b, "rec", "(I)I", &arg, 1, &r), MICA_OK);
    if (have_jit()) {
        VmMethod *ma = method(a, "rec", "(I)I"), *mb = method(b, "rec", "(I)I");
        ck_assert_int_eq(ma->jit_state, 1);
        ck_assert_int_eq(mb->jit_state, 1);
        ck_assert_ptr_ne((void *)ma->entry, (void *)mb->entry);
    }
    mica_vm_free(a);
    /* b's code still runs after a's cache is gone */
    ck_assert_int_eq(call(b, "rec", "(I)I", &arg, 1, &r), MICA_OK);
    ck_assert_int_eq(r, 100);
    mica_vm_free(b);
}
END_TEST

START_TEST(test_full_cache_interprets)
{
    MicaVM *vm = new_vm(MICA_JIT_ALWAYS, 0, 1);
    load_l(vm);
    uint64_t arg = 50, r = 0;
    ck_assert_int_eq(call(vm, "rec", "(I)I", &arg, 1, &r), MICA_OK);
    ck_assert_int_eq(r, 50);
    ck_assert_int_eq(call(vm, "big", "()I", NULL, 0, &r), MICA_OK);
    ck_assert_int_eq(r, 7);
    if (have_jit()) {
        /* one page holds rec, not big: big stays interpreted, with no error */
        ck_assert_int_eq(method(vm, "rec", "(I)I")->jit_state, 1);
        ck_assert_int_eq(method(vm, "big", "()I")->jit_state, 2);
    }
    mica_vm_free(vm);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("vm_jit");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_interrupt_compiled_loop);
    tcase_add_test(tc, test_steps_same_in_both_tiers);
    tcase_add_test(tc, test_million_deep_recursion);
    tcase_add_test(tc, test_caches_per_vm);
    tcase_add_test(tc, test_full_cache_interprets);
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
