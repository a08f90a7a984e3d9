/* tests/unit/vm/test_limits.c: resource limits (step budget, deadline, interrupt, heap
 * cap) and link-time refusal of private members, through the embedding API. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

#include "classfile.h"
#include "mica.h"
#include "vm.h"
#include "vm_asm.h"

static MicaVM *new_vm(void)
{
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.max_call_depth = 2000;
    MicaVM *vm = NULL;
    ck_assert_int_eq(mica_vm_new(&cfg, &vm), MICA_OK);
    return vm;
}

static MicaStatus call(MicaVM *vm, const char *cls, const char *name, const char *desc,
                       uint64_t *ret)
{
    MicaStatus st;
    vm->roots->pending = NULL;
    vm_call_static(vm, cls, name, desc, NULL, 0, ret, &st);
    return st;
}

/* Class L: spin() loops forever; one() returns 1. */
static void load_spinner(MicaVM *vm)
{
    CfClass *c = new_class("L", NULL, 0);
    Asm a = {0};
    op16(&a, CF_OP_LOOP, 0);
    op16(&a, CF_OP_BR, 0);
    op(&a, CF_OP_END);
    op(&a, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "spin", "()V", 1, NULL, 0, &a, NULL, 0);
    Asm b = {0};
    op32(&b, CF_OP_ICONST, 1);
    op(&b, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "one", "()I", 1, NULL, 0, &b, NULL, 0);
    ck_assert_int_eq(load(vm, c), MICA_OK);
}

START_TEST(test_step_budget)
{
    MicaVM *vm = new_vm();
    load_spinner(vm);
    MicaLimits l = {0};
    l.max_steps = 50000;
    ck_assert_int_eq(mica_set_limits(vm, &l), MICA_OK);
    uint64_t r = 0;
    ck_assert_int_eq(call(vm, "L", "spin", "()V", NULL), MICA_ERR_LIMIT);
    ck_assert_str_eq(mica_last_error(vm), "step budget of 50000 exceeded");
    /* the budget is per run: a short call still works */
    ck_assert_int_eq(call(vm, "L", "one", "()I", &r), MICA_OK);
    ck_assert_int_eq(r, 1);
    mica_vm_free(vm);
}
END_TEST

START_TEST(test_deadline)
{
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.max_time_ms = 50;
    MicaVM *vm = NULL;
    ck_assert_int_eq(mica_vm_new(&cfg, &vm), MICA_OK);
    load_spinner(vm);
    ck_assert_int_eq(call(vm, "L", "spin", "()V", NULL), MICA_ERR_LIMIT);
    ck_assert_str_eq(mica_last_error(vm), "time limit of 50 ms exceeded");
    mica_vm_free(vm);
}
END_TEST

static void *interrupter(void *arg)
{
    usleep(20000);
    mica_interrupt(arg);
    return NULL;
}

START_TEST(test_interrupt_from_thread)
{
    MicaVM *vm = new_vm();
    load_spinner(vm);
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, interrupter, vm), 0);
    ck_assert_int_eq(call(vm, "L", "spin", "()V", NULL), MICA_ERR_INTERRUPTED);
    pthread_join(t, NULL);
    ck_assert_str_eq(mica_last_error(vm), "interrupted");
    /* the request was consumed: the VM runs again */
    uint64_t r = 0;
    ck_assert_int_eq(call(vm, "L", "one", "()I", &r), MICA_OK);
    /* a request made while idle stops the next run at its first poll */
    mica_interrupt(vm);
    ck_assert_int_eq(call(vm, "L", "spin", "()V", NULL), MICA_ERR_INTERRUPTED);
    mica_vm_free(vm);
}
END_TEST

START_TEST(test_set_limits_invalid)
{
    MicaLimits l = {0};
    ck_assert_int_eq(mica_set_limits(NULL, &l), MICA_ERR_INVALID);
    MicaVM *vm = new_vm();
    ck_assert_int_eq(mica_set_limits(vm, NULL), MICA_ERR_INVALID);
    l.max_call_depth = 100;
    ck_assert_int_eq(mica_set_limits(vm, &l), MICA_OK);
    mica_interrupt(NULL);
    mica_vm_free(vm);
}
END_TEST

/* The call depth limit is exact in the interpreter (whose calls test the next
 * frame's place against the VM's frame limit) and moves with mica_set_limits,
 * which replaces the frame table: rec(n) recurses n deep below the entry frame. */
static MicaVM *depth_vm(void)
{
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.max_call_depth = 300;
    cfg.jit_mode = MICA_JIT_OFF;
    MicaVM *vm = NULL;
    ck_assert_int_eq(mica_vm_new(&cfg, &vm), MICA_OK);
    CfClass *c = new_class("D", NULL, 0);
    add_rec(c, "D");
    ck_assert_int_eq(load(vm, c), MICA_OK);
    return vm;
}

static MicaStatus rec(MicaVM *vm, uint64_t n, uint64_t *r)
{
    MicaStatus st;
    vm->roots->pending = NULL;
    vm_call_static(vm, "D", "rec", "(I)I", &n, 1, r, &st);
    return st;
}

START_TEST(test_call_depth_exact)
{
    MicaVM *vm = depth_vm();
    uint64_t r = 0;
    /* 300 frames: the entry call and 299 below it */
    ck_assert_int_eq(rec(vm, 299, &r), MICA_OK);
    ck_assert_int_eq(r, 299);
    ck_assert_int_ne(rec(vm, 300, &r), MICA_OK);
    ck_assert_int_eq(rec(vm, 10, &r), MICA_OK);
    MicaLimits l = {0};
    l.max_call_depth = 40;
    ck_assert_int_eq(mica_set_limits(vm, &l), MICA_OK);
    ck_assert_int_eq(rec(vm, 39, &r), MICA_OK);
    ck_assert_int_eq(r, 39);
    ck_assert_int_ne(rec(vm, 40, &r), MICA_OK);
    l.max_call_depth = 5000;
    ck_assert_int_eq(mica_set_limits(vm, &l), MICA_OK);
    ck_assert_int_eq(rec(vm, 4999, &r), MICA_OK);
    ck_assert_int_eq(r, 4999);
    ck_assert_int_ne(rec(vm, 5000, &r), MICA_OK);
    mica_vm_free(vm);
}
END_TEST

/* A has a static method and field that B uses. The verifier refuses private
 * access when it can see it; the VM must refuse it again when it resolves the
 * reference, whatever the verifier saw (here A's members turn private after B
 * was verified, as if another A had been loaded). */
static void load_pair(MicaVM *vm)
{
    CfClass *a = new_class("A", NULL, 0);
    cf_add_field(a, CF_ACC_STATIC, "secret", "I");
    Asm x = {0};
    op32(&x, CF_OP_ICONST, 7);
    op(&x, CF_OP_RETURN);
    add_code(a, CF_ACC_STATIC, "hidden", "()I", 1, NULL, 0, &x, NULL, 0);
    ck_assert_int_eq(load(vm, a), MICA_OK);
    CfClass *b = new_class("B", NULL, 0);
    Asm m = {0};
    op16(&m, CF_OP_INVOKESTATIC, cf_cp_method(b, "A", "hidden", "()I"));
    op(&m, CF_OP_RETURN);
    add_code(b, CF_ACC_STATIC, "callIt", "()I", 1, NULL, 0, &m, NULL, 0);
    Asm f = {0};
    op16(&f, CF_OP_GETSTATIC, cf_cp_field(b, "A", "secret", "I"));
    op(&f, CF_OP_RETURN);
    add_code(b, CF_ACC_STATIC, "readIt", "()I", 1, NULL, 0, &f, NULL, 0);
    Asm z = {0};
    op32(&z, CF_OP_ICONST, 0);
    op(&z, CF_OP_RETURN);
    add_code(b, CF_ACC_STATIC, "zero", "()I", 1, NULL, 0, &z, NULL, 0);
    ck_assert_int_eq(load(vm, b), MICA_OK);
}

START_TEST(test_private_refused_at_link)
{
    MicaVM *vm = new_vm();
    load_pair(vm);
    uint64_t r = 0;
    /* B is verified and linked; its references to A are not resolved yet */
    ck_assert_int_eq(call(vm, "B", "zero", "()I", &r), MICA_OK);
    VmClass *a = vm_load_class_if_loaded(vm, "A");
    ck_assert_ptr_nonnull(a);
    vm_find_declared(a, "hidden", "()I")->flags |= CF_ACC_PRIVATE;
    vm_find_field(a, "secret")->flags |= CF_ACC_PRIVATE;
    ck_assert_int_eq(call(vm, "B", "callIt", "()I", &r), MICA_ERR_EXCEPTION);
    ck_assert_str_eq(vm->roots->pending->cls->name, "std/core/LinkError");
    ck_assert_str_eq(pending_message(vm), "method A.hidden()I is private");
    ck_assert_int_eq(call(vm, "B", "readIt", "()I", &r), MICA_ERR_EXCEPTION);
    ck_assert_str_eq(pending_message(vm), "field A.secret is private");
    mica_vm_free(vm);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("limits");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_step_budget);
    tcase_add_test(tc, test_deadline);
    tcase_add_test(tc, test_interrupt_from_thread);
    tcase_add_test(tc, test_set_limits_invalid);
    tcase_add_test(tc, test_call_depth_exact);
    tcase_add_test(tc, test_private_refused_at_link);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
