/* tests/unit/vm/test_interp.c: the interpreter, linking and exceptions, on classes
 * assembled with the classfile builder and run through the embedding API. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"
#include "mica.h"
#include "ops.h"
#include "vm.h"
#include "vm_asm.h"

/* A default constructor calling Object's. */
static void add_init(CfClass *c, const char *super)
{
    Asm a = {0};
    op16(&a, CF_OP_LOAD, 0);
    op16(&a, CF_OP_INITSUPER, cf_cp_method(c, super ? super : "std/core/Object", "<init>", "()V"));
    op(&a, CF_OP_RETURN);
    add_code(c, 0, "<init>", "()V", 1, NULL, 0, &a, NULL, 0);
}

static MicaVM *new_vm(void)
{
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.max_call_depth = 2000;
    /* these tests look at the interpreter's own counters: the program tests
     * run everything a second time with the JIT */
    cfg.jit_mode = MICA_JIT_OFF;
    MicaVM *vm = NULL;
    ck_assert_int_eq(mica_vm_new(&cfg, &vm), MICA_OK);
    return vm;
}

/* Calls a static method; returns its status and result slot. */
static MicaStatus call(MicaVM *vm, const char *cls, const char *name, const char *desc,
                       const uint64_t *args, uint32_t n, uint64_t *ret)
{
    MicaStatus st;
    vm->roots->pending = NULL;
    vm_call_static(vm, cls, name, desc, args, n, ret, &st);
    return st;
}

static const char *pending_class(MicaVM *vm)
{
    return vm->roots->pending ? vm->roots->pending->cls->name : "(none)";
}


/* A class Main with one static method [name][desc] whose body is [a]. */
static MicaVM *vm_with_method(const char *name, const char *desc, uint16_t max_stack,
                              void (*body)(CfClass *c, Asm *a))
{
    MicaVM *vm = new_vm();
    CfClass *c = new_class("Main", NULL, 0);
    Asm a = {0};
    body(c, &a);
    add_code(c, CF_ACC_STATIC, name, desc, max_stack, NULL, 0, &a, NULL, 0);
    ck_assert_int_eq(load(vm, c), MICA_OK);
    return vm;
}

/* ---- arithmetic ---------------------------------------------------------------- */

static void body_binop(CfClass *c, Asm *a, uint8_t o)
{
    op16(a, CF_OP_LOAD, 0);
    op16(a, CF_OP_LOAD, 1);
    op(a, o);
    op(a, CF_OP_RETURN);
}

static uint8_t g_op;
static void body_g(CfClass *c, Asm *a)
{
    body_binop(c, a, g_op);
}

static MicaVM *vm_binop(uint8_t o, const char *desc)
{
    g_op = o;
    return vm_with_method("f", desc, 2, body_g);
}

static int64_t ibin(uint8_t o, int64_t x, int64_t y, MicaStatus *st)
{
    MicaVM *vm = vm_binop(o, "(II)I");
    uint64_t args[2] = {(uint64_t)x, (uint64_t)y}, r = 0;
    *st = call(vm, "Main", "f", "(II)I", args, 2, &r);
    mica_vm_free(vm);
    return (int64_t)r;
}

START_TEST(test_int_wraparound)
{
    MicaStatus st;
    ck_assert_int_eq(ibin(CF_OP_IADD, INT64_MAX, 1, &st), INT64_MIN);
    ck_assert_int_eq(st, MICA_OK);
    ck_assert_int_eq(ibin(CF_OP_ISUB, INT64_MIN, 1, &st), INT64_MAX);
    ck_assert_int_eq(ibin(CF_OP_IMUL, INT64_MAX, 2, &st), -2);
    ck_assert_int_eq(ibin(CF_OP_IDIV, -7, 2, &st), -3);
    ck_assert_int_eq(ibin(CF_OP_IREM, -7, 2, &st), -1);
}
END_TEST

START_TEST(test_min_div_minus_one)
{
    MicaStatus st;
    ck_assert_int_eq(ibin(CF_OP_IDIV, INT64_MIN, -1, &st), INT64_MIN);
    ck_assert_int_eq(st, MICA_OK);
    ck_assert_int_eq(ibin(CF_OP_IREM, INT64_MIN, -1, &st), 0);
    ck_assert_int_eq(st, MICA_OK);
}
END_TEST

START_TEST(test_div_by_zero)
{
    MicaVM *vm = vm_binop(CF_OP_IDIV, "(II)I");
    uint64_t args[2] = {1, 0}, r;
    ck_assert_int_eq(call(vm, "Main", "f", "(II)I", args, 2, &r), MICA_ERR_EXCEPTION);
    ck_assert_str_eq(pending_class(vm), "std/core/ArithmeticError");
    ck_assert_str_eq(pending_message(vm), "division by zero");
    mica_vm_free(vm);
    vm = vm_binop(CF_OP_IREM, "(II)I");
    ck_assert_int_eq(call(vm, "Main", "f", "(II)I", args, 2, &r), MICA_ERR_EXCEPTION);
    ck_assert_str_eq(pending_class(vm), "std/core/ArithmeticError");
    mica_vm_free(vm);
}
END_TEST

START_TEST(test_shifts)
{
    MicaStatus st;
    ck_assert_int_eq(ibin(CF_OP_ISHL, 1, 65, &st), 2);
    ck_assert_int_eq(ibin(CF_OP_ISHL, 1, 63, &st), INT64_MIN);
    ck_assert_int_eq(ibin(CF_OP_ISHR, -8, 1, &st), -4);
    ck_assert_int_eq(ibin(CF_OP_ISHR, -8, 64, &st), -8);
    ck_assert_int_eq(ibin(CF_OP_IUSHR, -1, 60, &st), 15);
    ck_assert_int_eq(ibin(CF_OP_IUSHR, -1, 124, &st), 15);
}
END_TEST

static void body_f2i(CfClass *c, Asm *a)
{
    op16(a, CF_OP_LOAD, 0);
    op(a, CF_OP_F2I);
    op(a, CF_OP_RETURN);
}

START_TEST(test_f2i_saturation)
{
    MicaVM *vm = vm_with_method("f", "(F)I", 1, body_f2i);
    struct { double in; int64_t out; } cases[] = {
        {1e300, INT64_MAX}, {-1e300, INT64_MIN}, {NAN, 0}, {-3.7, -3}, {3.99, 3},
        {INFINITY, INT64_MAX}, {-INFINITY, INT64_MIN}, {9.3e18, INT64_MAX}, {-0.5, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t arg = vm_float_slot(cases[i].in), r = 0;
        ck_assert_int_eq(call(vm, "Main", "f", "(F)I", &arg, 1, &r), MICA_OK);
        ck_assert_int_eq((int64_t)r, cases[i].out);
    }
    mica_vm_free(vm);
}
END_TEST

static int64_t fcmp(uint8_t o, double x, double y)
{
    MicaVM *vm = vm_binop(o, "(FF)I");
    uint64_t args[2] = {vm_float_slot(x), vm_float_slot(y)}, r = 99;
    ck_assert_int_eq(call(vm, "Main", "f", "(FF)I", args, 2, &r), MICA_OK);
    mica_vm_free(vm);
    return (int64_t)r;
}

START_TEST(test_float_compare_nan)
{
    ck_assert_int_eq(fcmp(CF_OP_FEQ, NAN, NAN), 0);
    ck_assert_int_eq(fcmp(CF_OP_FNE, NAN, NAN), 1);
    ck_assert_int_eq(fcmp(CF_OP_FLT, NAN, 1.0), 0);
    ck_assert_int_eq(fcmp(CF_OP_FGE, NAN, 1.0), 0);
    ck_assert_int_eq(fcmp(CF_OP_FLT, 1.0, 2.0), 1);
    ck_assert_int_eq(fcmp(CF_OP_FEQ, 0.0, -0.0), 1);
    MicaVM *vm = vm_binop(CF_OP_FREM, "(FF)F");
    uint64_t args[2] = {vm_float_slot(7.5), vm_float_slot(2.0)}, r;
    ck_assert_int_eq(call(vm, "Main", "f", "(FF)F", args, 2, &r), MICA_OK);
    ck_assert(vm_slot_float(r) == 1.5);
    mica_vm_free(vm);
}
END_TEST

/* ---- arrays ---------------------------------------------------------------------- */

/* f(i): a = new int[3]; a[1] = 42; return a[i] */
static MicaVM *array_vm(void)
{
    MicaVM *vm = new_vm();
    CfClass *c = new_class("Main", NULL, 0);
    Asm a = {0};
    op32(&a, CF_OP_ICONST, 3);
    op16(&a, CF_OP_NEWARRAY, cf_cp_class(c, "[I"));
    op16(&a, CF_OP_STORE, 1);
    op16(&a, CF_OP_LOAD, 1);
    op32(&a, CF_OP_ICONST, 1);
    op32(&a, CF_OP_ICONST, 42);
    op(&a, CF_OP_IASTORE);
    op16(&a, CF_OP_LOAD, 1);
    op16(&a, CF_OP_LOAD, 0);
    op(&a, CF_OP_IALOAD);
    op(&a, CF_OP_RETURN);
    const char *locals[] = {"[I"};
    add_code(c, CF_ACC_STATIC, "f", "(I)I", 3, locals, 1, &a, NULL, 0);
    /* n(len): new byte[len].length */
    Asm b = {0};
    op16(&b, CF_OP_LOAD, 0);
    op16(&b, CF_OP_NEWARRAY, cf_cp_class(c, "[B"));
    op(&b, CF_OP_ARRAYLENGTH);
    op(&b, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "n", "(I)I", 1, NULL, 0, &b, NULL, 0);
    /* z(): a = new bool[1]; a[0] = 7; return a[0] */
    Asm z = {0};
    op32(&z, CF_OP_ICONST, 1);
    op16(&z, CF_OP_NEWARRAY, cf_cp_class(c, "[Z"));
    op(&z, CF_OP_DUP);
    op32(&z, CF_OP_ICONST, 0);
    op32(&z, CF_OP_ICONST, 7);
    op(&z, CF_OP_BASTORE);
    op32(&z, CF_OP_ICONST, 0);
    op(&z, CF_OP_BALOAD);
    op(&z, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "z", "()I", 4, NULL, 0, &z, NULL, 0);
    ck_assert_int_eq(load(vm, c), MICA_OK);
    return vm;
}

START_TEST(test_arrays_and_bounds)
{
    MicaVM *vm = array_vm();
    uint64_t arg = 1, r = 0;
    ck_assert_int_eq(call(vm, "Main", "f", "(I)I", &arg, 1, &r), MICA_OK);
    ck_assert_int_eq(r, 42);
    arg = 0;
    ck_assert_int_eq(call(vm, "Main", "f", "(I)I", &arg, 1, &r), MICA_OK);
    ck_assert_int_eq(r, 0);
    arg = 5;
    ck_assert_int_eq(call(vm, "Main", "f", "(I)I", &arg, 1, &r), MICA_ERR_EXCEPTION);
    ck_assert_str_eq(pending_class(vm), "std/core/IndexError");
    ck_assert_str_eq(pending_message(vm), "index 5 out of bounds for length 3");
    arg = (uint64_t)-1;
    ck_assert_int_eq(call(vm, "Main", "f", "(I)I", &arg, 1, &r), MICA_ERR_EXCEPTION);
    ck_assert_str_eq(pending_message(vm), "index -1 out of bounds for length 3");
    arg = 9;
    ck_assert_int_eq(call(vm, "Main", "n", "(I)I", &arg, 1, &r), MICA_OK);
    ck_assert_int_eq(r, 9);
    arg = (uint64_t)-1;
    ck_assert_int_eq(call(vm, "Main", "n", "(I)I", &arg, 1, &r), MICA_ERR_EXCEPTION);
    ck_assert_str_eq(pending_class(vm), "std/core/IllegalArgumentError");
    ck_assert_str_eq(pending_message(vm), "negative array size -1");
    ck_assert_int_eq(call(vm, "Main", "z", "()I", NULL, 0, &r), MICA_OK);
    ck_assert_int_eq(r, 1);
    mica_vm_free(vm);
}
END_TEST

/* ---- objects ---------------------------------------------------------------------- */

/* class A { f() = 1; x: int } class B extends A { f() = 2 } */
static void load_ab(MicaVM *vm)
{
    CfClass *a = new_class("A", NULL, 0);
    cf_add_field(a, 0, "x", "I");
    add_init(a, NULL);
    Asm f = {0};
    op32(&f, CF_OP_ICONST, 1);
    op(&f, CF_OP_RETURN);
    add_code(a, 0, "f", "()I", 1, NULL, 0, &f, NULL, 0);
    ck_assert_int_eq(load(vm, a), MICA_OK);
    CfClass *b = new_class("B", "A", 0);
    cf_add_field(b, 0, "y", "I");
    add_init(b, "A");
    Asm g = {0};
    op32(&g, CF_OP_ICONST, 2);
    op(&g, CF_OP_RETURN);
    add_code(b, 0, "f", "()I", 1, NULL, 0, &g, NULL, 0);
    ck_assert_int_eq(load(vm, b), MICA_OK);
}

START_TEST(test_fields_and_virtual_dispatch)
{
    MicaVM *vm = new_vm();
    load_ab(vm);
    CfClass *c = new_class("Main", NULL, 0);
    /* t(): b = new B(); b.x = 5; b.y = 7; return b.f() * 100 + b.x * 10 + b.y */
    Asm a = {0};
    op16(&a, CF_OP_NEW, cf_cp_method(c, "B", "<init>", "()V"));
    op16(&a, CF_OP_STORE, 0);
    op16(&a, CF_OP_LOAD, 0);
    op32(&a, CF_OP_ICONST, 5);
    op16(&a, CF_OP_PUTFIELD, cf_cp_field(c, "A", "x", "I"));
    op16(&a, CF_OP_LOAD, 0);
    op32(&a, CF_OP_ICONST, 7);
    op16(&a, CF_OP_PUTFIELD, cf_cp_field(c, "B", "y", "I"));
    op16(&a, CF_OP_LOAD, 0);
    op16(&a, CF_OP_INVOKEVIRTUAL, cf_cp_method(c, "A", "f", "()I"));
    op32(&a, CF_OP_ICONST, 100);
    op(&a, CF_OP_IMUL);
    op16(&a, CF_OP_LOAD, 0);
    op16(&a, CF_OP_GETFIELD, cf_cp_field(c, "A", "x", "I"));
    op32(&a, CF_OP_ICONST, 10);
    op(&a, CF_OP_IMUL);
    op(&a, CF_OP_IADD);
    op16(&a, CF_OP_LOAD, 0);
    op16(&a, CF_OP_GETFIELD, cf_cp_field(c, "B", "y", "I"));
    op(&a, CF_OP_IADD);
    op(&a, CF_OP_RETURN);
    const char *locals[] = {"LB;"};
    add_code(c, CF_ACC_STATIC, "t", "()I", 3, locals, 1, &a, NULL, 0);
    /* n(): A a = null; return a.f() */
    Asm n = {0};
    op(&n, CF_OP_ACONST_NULL);
    op16(&n, CF_OP_INVOKEVIRTUAL, cf_cp_method(c, "A", "f", "()I"));
    op(&n, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "n", "()I", 1, NULL, 0, &n, NULL, 0);
    /* s(): static counter incremented twice */
    cf_add_field(c, CF_ACC_STATIC, "count", "I");
    Asm s = {0};
    for (int i = 0; i < 2; i++) {
        op16(&s, CF_OP_GETSTATIC, cf_cp_field(c, "Main", "count", "I"));
        op32(&s, CF_OP_ICONST, 3);
        op(&s, CF_OP_IADD);
        op16(&s, CF_OP_PUTSTATIC, cf_cp_field(c, "Main", "count", "I"));
    }
    op16(&s, CF_OP_GETSTATIC, cf_cp_field(c, "Main", "count", "I"));
    op(&s, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "s", "()I", 2, NULL, 0, &s, NULL, 0);
    ck_assert_int_eq(load(vm, c), MICA_OK);
    uint64_t r = 0;
    ck_assert_int_eq(call(vm, "Main", "t", "()I", NULL, 0, &r), MICA_OK);
    ck_assert_int_eq(r, 257);
    ck_assert_int_eq(call(vm, "Main", "t", "()I", NULL, 0, &r), MICA_OK); /* quickened */
    ck_assert_int_eq(r, 257);
    ck_assert_int_eq(call(vm, "Main", "n", "()I", NULL, 0, &r), MICA_ERR_EXCEPTION);
    ck_assert_str_eq(pending_class(vm), "std/core/NullError");
    ck_assert_int_eq(call(vm, "Main", "s", "()I", NULL, 0, &r), MICA_OK);
    ck_assert_int_eq(r, 6);
    mica_vm_free(vm);
}
END_TEST


/* What pre-decoding works out for calls (vm/interp.c call_facts) and what
 * quickening makes of them: declared locals written before any read are not
 * zeroed, one read first is; `return this.x` is a trivial getter that runs
 * without a frame; Math.sqrt becomes an intrinsic. */
START_TEST(test_call_facts_and_intrinsics)
{
    MicaVM *vm = new_vm();
    load_ab(vm);
    CfClass *g = new_class("G", "A", 0);
    add_init(g, "A");
    Asm get = {0};
    op16(&get, CF_OP_LOAD, 0);
    op16(&get, CF_OP_GETFIELD, cf_cp_field(g, "A", "x", "I"));
    op(&get, CF_OP_RETURN);
    add_code(g, 0, "get", "()I", 1, NULL, 0, &get, NULL, 0);
    ck_assert_int_eq(load(vm, g), MICA_OK);
    CfClass *c = new_class("Main", NULL, 0);
    /* w(): l0 = 5; l1 = 6; return l0 + l1 (both written first) */
    Asm w = {0};
    op32(&w, CF_OP_ICONST, 5);
    op16(&w, CF_OP_STORE, 0);
    op32(&w, CF_OP_ICONST, 6);
    op16(&w, CF_OP_STORE, 1);
    op16(&w, CF_OP_LOAD, 0);
    op16(&w, CF_OP_LOAD, 1);
    op(&w, CF_OP_IADD);
    op(&w, CF_OP_RETURN);
    const char *two[] = {"I", "I"};
    add_code(c, CF_ACC_STATIC, "w", "()I", 2, two, 2, &w, NULL, 0);
    /* r(): l0 = 9; return l1 + l0 (l1 read first: zero) */
    Asm r = {0};
    op32(&r, CF_OP_ICONST, 9);
    op16(&r, CF_OP_STORE, 0);
    op16(&r, CF_OP_LOAD, 1);
    op16(&r, CF_OP_LOAD, 0);
    op(&r, CF_OP_IADD);
    op(&r, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "r", "()I", 2, two, 2, &r, NULL, 0);
    /* t(): return w() + r() + new G().get() * 100 (r's l1 slot held 6 from w) */
    Asm t = {0};
    op16(&t, CF_OP_INVOKESTATIC, cf_cp_method(c, "Main", "w", "()I"));
    op16(&t, CF_OP_INVOKESTATIC, cf_cp_method(c, "Main", "r", "()I"));
    op(&t, CF_OP_IADD);
    op16(&t, CF_OP_NEW, cf_cp_method(c, "G", "<init>", "()V"));
    op16(&t, CF_OP_INVOKEVIRTUAL, cf_cp_method(c, "G", "get", "()I"));
    op32(&t, CF_OP_ICONST, 100);
    op(&t, CF_OP_IMUL);
    op(&t, CF_OP_IADD);
    op(&t, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "t", "()I", 3, NULL, 0, &t, NULL, 0);
    /* q(x): return Math.sqrt(x) */
    Asm q = {0};
    op16(&q, CF_OP_LOAD, 0);
    op16(&q, CF_OP_INVOKESTATIC, cf_cp_method(c, "std/core/Math", "sqrt", "(F)F"));
    op(&q, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "q", "(F)F", 1, NULL, 0, &q, NULL, 0);
    ck_assert_int_eq(load(vm, c), MICA_OK);
    uint64_t res = 0;
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(call(vm, "Main", "t", "()I", NULL, 0, &res), MICA_OK);
        ck_assert_int_eq(res, 20);
    }
    uint64_t x = vm_float_slot(2.25);
    ck_assert_int_eq(call(vm, "Main", "q", "(F)F", &x, 1, &res), MICA_OK);
    ck_assert(vm_slot_float(res) == 1.5);
    VmClass *main = vm_load_class_if_loaded(vm, "Main");
    ck_assert_ptr_nonnull(main);
    VmMethod *mw = vm_find_declared(main, "w", "()I");
    VmMethod *mr = vm_find_declared(main, "r", "()I");
    VmMethod *mq = vm_find_declared(main, "q", "(F)F");
    ck_assert_uint_eq(mw->clear_to, mw->clear_from);
    ck_assert_uint_eq(mr->clear_from, 1);
    ck_assert_uint_eq(mr->clear_to, 2);
    ck_assert_int_eq(mq->code[1].op, VM_OP_FSQRT_Q);
    VmMethod *mg = vm_find_declared(vm_load_class_if_loaded(vm, "G"), "get", "()I");
    ck_assert_int_eq(mg->accessor, VM_ACCESSOR_GET);
    ck_assert_uint_eq(sizeof(VmInsn), 32);
    /* the native behind the intrinsic: bound for a direct typed call (F)F */
    VmMethod *sqrt_m = vm_find_declared(vm_load_class_if_loaded(vm, "std/core/Math"), "sqrt",
                                        "(F)F");
    ck_assert_ptr_nonnull(sqrt_m->native);
    ck_assert_uint_ne(sqrt_m->native->shape, 0);
    ck_assert_uint_eq(vm_native_shape("EF", 2, 'F'), vm_native_shape("LF", 2, 'F'));
    ck_assert_uint_ne(vm_native_shape("IF", 2, 'F'), vm_native_shape("FI", 2, 'F'));
    ck_assert_uint_eq(vm_native_shape("S", 1, 'I'), 0);
    ck_assert_uint_eq(vm_native_shape("IIIII", 5, 'I'), 0);
    ck_assert_uint_eq(vm_native_shape("I", 1, 'S'), 0);
    uint64_t args[3] = {vm_float_slot(1.5), 3, vm_float_slot(-2.0)};
    uint64_t d = vm_native_direct((void (*)(void))ldexp, vm_native_shape("FI", 2, 'F'), args);
    ck_assert(vm_slot_float(d) == 12.0);
    d = vm_native_direct((void (*)(void))copysign, vm_native_shape("FF", 2, 'F'),
                         (uint64_t[]){vm_float_slot(3.0), vm_float_slot(-0.5)});
    ck_assert(vm_slot_float(d) == -3.0);
    mica_vm_free(vm);
}
END_TEST

/* ---- exceptions -------------------------------------------------------------------- */

START_TEST(test_try_catch)
{
    MicaVM *vm = new_vm();
    CfClass *c = new_class("Main", NULL, 0);
    /* t(d): try { return-value 10 / d } catch (ArithmeticError) { -1 } */
    Asm a = {0};
    op16(&a, CF_OP_TRY, cf_cp_utf8z(c, "I"));
    op32(&a, CF_OP_ICONST, 10);
    op16(&a, CF_OP_LOAD, 0);
    op(&a, CF_OP_IDIV);
    op16(&a, CF_OP_CATCH, cf_cp_class(c, "std/core/ArithmeticError"));
    op(&a, CF_OP_POP);
    op32(&a, CF_OP_ICONST, -1);
    op(&a, CF_OP_END);
    op(&a, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "t", "(I)I", 2, NULL, 0, &a, NULL, 0);
    /* u(): try { throw new IndexError("x") } catch (ArithmeticError) {1} catch (all) {2} */
    Asm u = {0};
    op16(&u, CF_OP_TRY, cf_cp_utf8z(c, "I"));
    op16(&u, CF_OP_LDC, cf_cp_string(c, "x", 1));
    op16(&u, CF_OP_NEW, cf_cp_method(c, "std/core/IndexError", "<init>",
                                     "(Lstd/core/String;)V"));
    op(&u, CF_OP_THROW);
    op16(&u, CF_OP_CATCH, cf_cp_class(c, "std/core/ArithmeticError"));
    op(&u, CF_OP_POP);
    op32(&u, CF_OP_ICONST, 1);
    op16(&u, CF_OP_CATCH, 0);
    op(&u, CF_OP_POP);
    op32(&u, CF_OP_ICONST, 2);
    op(&u, CF_OP_END);
    op(&u, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "u", "()I", 2, NULL, 0, &u, NULL, 0);
    ck_assert_int_eq(load(vm, c), MICA_OK);
    uint64_t arg = 0, r = 0;
    ck_assert_int_eq(call(vm, "Main", "t", "(I)I", &arg, 1, &r), MICA_OK);
    ck_assert_int_eq((int64_t)r, -1);
    arg = 2;
    ck_assert_int_eq(call(vm, "Main", "t", "(I)I", &arg, 1, &r), MICA_OK);
    ck_assert_int_eq((int64_t)r, 5);
    ck_assert_int_eq(call(vm, "Main", "u", "()I", NULL, 0, &r), MICA_OK);
    ck_assert_int_eq((int64_t)r, 2);
    mica_vm_free(vm);
}
END_TEST

START_TEST(test_uncaught_trace_text)
{
    MicaVM *vm = new_vm();
    CfClass *c = new_class("Main", NULL, 0);
    Asm h = {0};
    op32(&h, CF_OP_ICONST, 3);
    op16(&h, CF_OP_NEWARRAY, cf_cp_class(c, "[I"));
    op32(&h, CF_OP_ICONST, 5);
    op(&h, CF_OP_IALOAD);
    op(&h, CF_OP_POP);
    op(&h, CF_OP_RETURN);
    CfLine hl[] = {{0, 3}, {5, 4}};
    add_code(c, CF_ACC_STATIC, "helper", "()V", 2, NULL, 0, &h, hl, 2);
    Asm m = {0};
    op(&m, CF_OP_NOP);
    op16(&m, CF_OP_INVOKESTATIC, cf_cp_method(c, "Main", "helper", "()V"));
    op(&m, CF_OP_RETURN);
    CfLine ml[] = {{0, 11}, {1, 12}, {4, 13}};
    add_code(c, CF_ACC_STATIC, "main", "([Lstd/core/String;)V", 0, NULL, 0, &m, ml, 3);
    ck_assert_int_eq(load(vm, c), MICA_OK);
    int code = -1;
    ck_assert_int_eq(mica_run_main(vm, "Main", 0, NULL, &code), MICA_ERR_EXCEPTION);
    ck_assert_str_eq(mica_last_error(vm), "IndexError: index 5 out of bounds for length 3\n"
                                          "    at Main.helper(main.mica:4)\n"
                                          "    at Main.main(main.mica:12)");
    mica_vm_free(vm);
}
END_TEST

START_TEST(test_stack_overflow_caught)
{
    MicaVM *vm = new_vm();
    CfClass *c = new_class("Main", NULL, 0);
    Asm r = {0};
    op16(&r, CF_OP_LOAD, 0);
    op32(&r, CF_OP_ICONST, 1);
    op(&r, CF_OP_IADD);
    op16(&r, CF_OP_INVOKESTATIC, cf_cp_method(c, "Main", "rec", "(I)I"));
    op(&r, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "rec", "(I)I", 2, NULL, 0, &r, NULL, 0);
    Asm t = {0};
    op16(&t, CF_OP_TRY, cf_cp_utf8z(c, "I"));
    op32(&t, CF_OP_ICONST, 0);
    op16(&t, CF_OP_INVOKESTATIC, cf_cp_method(c, "Main", "rec", "(I)I"));
    op16(&t, CF_OP_CATCH, cf_cp_class(c, "std/core/StackOverflowError"));
    op(&t, CF_OP_POP);
    op32(&t, CF_OP_ICONST, 7);
    op(&t, CF_OP_END);
    op(&t, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "t", "()I", 2, NULL, 0, &t, NULL, 0);
    ck_assert_int_eq(load(vm, c), MICA_OK);
    uint64_t res = 0;
    ck_assert_int_eq(call(vm, "Main", "t", "()I", NULL, 0, &res), MICA_OK);
    ck_assert_int_eq(res, 7);
    ck_assert_int_eq(vm->nframes, 0);
    /* uncaught, it is an ordinary exception */
    uint64_t arg = 0;
    ck_assert_int_eq(call(vm, "Main", "rec", "(I)I", &arg, 1, &res), MICA_ERR_EXCEPTION);
    ck_assert_str_eq(pending_class(vm), "std/core/StackOverflowError");
    mica_vm_free(vm);
}
END_TEST

/* ---- linking and verification ------------------------------------------------------ */

START_TEST(test_verify_failure_refused)
{
    MicaVM *vm = new_vm();
    CfClass *c = new_class("Bad", NULL, 0);
    Asm m = {0};
    op32(&m, CF_OP_ICONST, 1);
    op16(&m, CF_OP_LDC, cf_cp_float(c, 2.0));
    op(&m, CF_OP_IADD);
    op(&m, CF_OP_POP);
    op(&m, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "main", "()V", 2, NULL, 0, &m, NULL, 0);
    ck_assert_int_eq(load(vm, c), MICA_OK);
    ck_assert_int_eq(mica_run_main(vm, "Bad", 0, NULL, NULL), MICA_ERR_VERIFY);
    ck_assert_ptr_nonnull(strstr(mica_last_error(vm), "Bad"));
    ck_assert_ptr_nonnull(strstr(mica_last_error(vm), "iadd"));
    /* a class that uses it at run time gets a LinkError instead */
    CfClass *u = new_class("User", NULL, 0);
    Asm t = {0};
    op16(&t, CF_OP_TRY, 0);
    op16(&t, CF_OP_INVOKESTATIC, cf_cp_method(u, "Bad", "main", "()V"));
    op16(&t, CF_OP_CATCH, cf_cp_class(u, "std/core/LinkError"));
    op(&t, CF_OP_POP);
    op(&t, CF_OP_END);
    op(&t, CF_OP_RETURN);
    add_code(u, CF_ACC_STATIC, "main", "()V", 1, NULL, 0, &t, NULL, 0);
    ck_assert_int_eq(load(vm, u), MICA_OK);
    ck_assert_int_eq(mica_run_main(vm, "User", 0, NULL, NULL), MICA_OK);
    ck_assert_int_eq(mica_run_main(vm, "Nope", 0, NULL, NULL), MICA_ERR_LINK);
    ck_assert_str_eq(mica_last_error(vm), "class Nope not found");
    ck_assert_int_eq(mica_load_bytes(vm, "junk", 4), MICA_ERR_FORMAT);
    mica_vm_free(vm);
}
END_TEST

/* Every load-time refusal names where the class came from: the origin given to
 * mica_load_bytes_from, or "bytes from the host". */
START_TEST(test_refusals_name_origin)
{
    MicaVM *vm = new_vm();
    CfClass *c = new_class("Bad", NULL, 0);
    Asm m = {0};
    op16(&m, CF_OP_NEW, cf_cp_method(c, "Gone", "<init>", "()V"));
    op(&m, CF_OP_POP);
    op(&m, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "main", "()V", 2, NULL, 0, &m, NULL, 0);
    uint8_t *bytes;
    size_t len;
    CfError err;
    ck_assert_int_eq(cf_write(c, &bytes, &len, &err), 0);
    cf_class_free(c);
    ck_assert_int_eq(mica_load_bytes_from(vm, bytes, len, "lib/Bad.mcl"), MICA_OK);
    free(bytes);
    ck_assert_int_eq(mica_run_main(vm, "Bad", 0, NULL, NULL), MICA_ERR_VERIFY);
    ck_assert_str_eq(mica_last_error(vm), "lib/Bad.mcl: Bad.main()V @0 new: class Gone not found");
    /* a malformed file names it too */
    ck_assert_int_eq(mica_load_bytes_from(vm, "junk", 4, "lib/Junk.mcl"), MICA_ERR_FORMAT);
    ck_assert_ptr_nonnull(strstr(mica_last_error(vm), "lib/Junk.mcl: "));
    ck_assert_int_eq(mica_load_bytes(vm, "junk", 4), MICA_ERR_FORMAT);
    ck_assert_ptr_nonnull(strstr(mica_last_error(vm), "bytes from the host: "));
    mica_vm_free(vm);
}
END_TEST

START_TEST(test_abstract_and_missing_method)
{
    MicaVM *vm = new_vm();
    CfClass *a = new_class("Abs", NULL, CF_ACC_ABSTRACT);
    add_init(a, NULL);
    ck_assert_int_eq(load(vm, a), MICA_OK);
    /* `new` of an abstract class is refused by the verifier, like `new` of an interface */
    CfClass *n = new_class("NewAbs", NULL, 0);
    Asm m = {0};
    op16(&m, CF_OP_NEW, cf_cp_method(n, "Abs", "<init>", "()V"));
    op(&m, CF_OP_POP);
    op(&m, CF_OP_RETURN);
    add_code(n, CF_ACC_STATIC, "f", "()V", 2, NULL, 0, &m, NULL, 0);
    ck_assert_int_eq(load(vm, n), MICA_OK);
    ck_assert_int_eq(call(vm, "NewAbs", "f", "()V", NULL, 0, NULL), MICA_ERR_VERIFY);
    ck_assert_str_eq(mica_last_error(vm), "bytes from the host: NewAbs.f()V @0 new: cannot "
                                          "instantiate abstract class Abs");
    CfClass *c = new_class("Main", NULL, 0);
    Asm g = {0};
    op32(&g, CF_OP_ICONST, 1);
    op16(&g, CF_OP_INVOKESTATIC, cf_cp_method(c, "Abs", "foo", "(I)V"));
    op(&g, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "g", "()V", 1, NULL, 0, &g, NULL, 0);
    ck_assert_int_eq(load(vm, c), MICA_OK);
    ck_assert_int_eq(call(vm, "Main", "g", "()V", NULL, 0, NULL), MICA_ERR_EXCEPTION);
    ck_assert_str_eq(pending_message(vm), "no method foo(I)V in class Abs");
    mica_vm_free(vm);
}
END_TEST

START_TEST(test_strings_and_natives)
{
    MicaVM *vm = new_vm();
    CfClass *c = new_class("Main", NULL, 0);
    /* f(): ("ab" + ofInt(42)).length() * 10 + ("a" === "a") */
    Asm m = {0};
    op16(&m, CF_OP_LDC, cf_cp_string(c, "ab", 2));
    op32(&m, CF_OP_ICONST, 42);
    op16(&m, CF_OP_INVOKESTATIC, cf_cp_method(c, "std/core/String", "ofInt",
                                              "(I)Lstd/core/String;"));
    op16(&m, CF_OP_INVOKEVIRTUAL, cf_cp_method(c, "std/core/String", "concat",
                                               "(Lstd/core/String;)Lstd/core/String;"));
    op16(&m, CF_OP_INVOKEVIRTUAL, cf_cp_method(c, "std/core/String", "length", "()I"));
    op32(&m, CF_OP_ICONST, 10);
    op(&m, CF_OP_IMUL);
    op16(&m, CF_OP_LDC, cf_cp_string(c, "a", 1));
    op16(&m, CF_OP_LDC, cf_cp_string(c, "a", 1));
    op(&m, CF_OP_AEQ);
    op(&m, CF_OP_IADD);
    op(&m, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "f", "()I", 3, NULL, 0, &m, NULL, 0);
    /* s(): "abc".substring(2, 9) raises IndexError from a native frame */
    Asm s = {0};
    op16(&s, CF_OP_LDC, cf_cp_string(c, "abc", 3));
    op32(&s, CF_OP_ICONST, 2);
    op32(&s, CF_OP_ICONST, 9);
    op16(&s, CF_OP_INVOKEVIRTUAL, cf_cp_method(c, "std/core/String", "substring",
                                               "(II)Lstd/core/String;"));
    op(&s, CF_OP_POP);
    op(&s, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "main", "()V", 3, NULL, 0, &s, NULL, 0);
    ck_assert_int_eq(load(vm, c), MICA_OK);
    uint64_t r = 0;
    ck_assert_int_eq(call(vm, "Main", "f", "()I", NULL, 0, &r), MICA_OK);
    ck_assert_int_eq(r, 41);
    ck_assert_int_eq(mica_run_main(vm, "Main", 0, NULL, NULL), MICA_ERR_EXCEPTION);
    ck_assert_str_eq(mica_last_error(vm), "IndexError: begin 2, end 9, length 3\n"
                                          "    at std.core.String.substring(native)\n"
                                          "    at Main.main(main.mica)");
    mica_vm_free(vm);
}
END_TEST

START_TEST(test_native_refused_without_permission)
{
    MicaVM *vm = new_vm();
    CfClass *c = new_class("Main", NULL, 0);
    CfMethod *nm = cf_add_method(c, CF_ACC_STATIC | CF_ACC_NATIVE, "cos", "(F)F");
    cf_set_native(c, nm, "m", "cos");
    Asm m = {0};
    op(&m, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "main", "()V", 0, NULL, 0, &m, NULL, 0);
    ck_assert_int_eq(load(vm, c), MICA_OK);
    ck_assert_int_eq(mica_run_main(vm, "Main", 0, NULL, NULL), MICA_ERR_LINK);
    ck_assert_str_eq(mica_last_error(vm),
                     "native method Main.cos binds libm: run with --allow-native to allow");
    mica_vm_free(vm);
    /* allowed, it calls libm through libffi */
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.allow_native = true;
    ck_assert_int_eq(mica_vm_new(&cfg, &vm), MICA_OK);
    c = new_class("Main", NULL, 0);
    nm = cf_add_method(c, CF_ACC_STATIC | CF_ACC_NATIVE, "pow", "(FF)F");
    cf_set_native(c, nm, "m", "pow");
    ck_assert_int_eq(load(vm, c), MICA_OK);
    uint64_t args[2] = {vm_float_slot(2.0), vm_float_slot(10.0)}, r = 0;
    ck_assert_int_eq(call(vm, "Main", "pow", "(FF)F", args, 2, &r), MICA_OK);
    ck_assert(vm_slot_float(r) == 1024.0);
    mica_vm_free(vm);
}
END_TEST

START_TEST(test_gc_keeps_live_objects)
{
    MicaVM *vm = new_vm();
    CfClass *c = new_class("Main", NULL, 0);
    /* f(): keep = new String[64]; for i in 0..200000: keep[i & 63] = ofInt(i) ++ "x";
     * return sum of keep[k].length() */
    Asm a = {0};
    uint16_t of_int = cf_cp_method(c, "std/core/String", "ofInt", "(I)Lstd/core/String;");
    uint16_t concat = cf_cp_method(c, "std/core/String", "concat",
                                   "(Lstd/core/String;)Lstd/core/String;");
    uint16_t len = cf_cp_method(c, "std/core/String", "length", "()I");
    op32(&a, CF_OP_ICONST, 64);
    op16(&a, CF_OP_NEWARRAY, cf_cp_class(c, "[Lstd/core/String;"));
    op16(&a, CF_OP_STORE, 0);
    op16(&a, CF_OP_BLOCK, 0);
    op16(&a, CF_OP_LOOP, 0);
    op16(&a, CF_OP_LOAD, 1);
    op32(&a, CF_OP_ICONST, 200000);
    op(&a, CF_OP_IGE);
    op16(&a, CF_OP_BR_IF, 1);
    op16(&a, CF_OP_LOAD, 0);
    op16(&a, CF_OP_LOAD, 1);
    op32(&a, CF_OP_ICONST, 63);
    op(&a, CF_OP_IAND);
    op16(&a, CF_OP_LOAD, 1);
    op16(&a, CF_OP_INVOKESTATIC, of_int);
    op16(&a, CF_OP_LDC, cf_cp_string(c, "x", 1));
    op16(&a, CF_OP_INVOKEVIRTUAL, concat);
    op(&a, CF_OP_AASTORE);
    op(&a, CF_OP_IINC);
    op(&a, 0);
    op(&a, 1);
    op(&a, 0); op(&a, 0); op(&a, 0); op(&a, 1);
    op16(&a, CF_OP_BR, 0);
    op(&a, CF_OP_END);
    op(&a, CF_OP_END);
    /* sum the lengths */
    op32(&a, CF_OP_ICONST, 0);
    op16(&a, CF_OP_STORE, 1);
    op16(&a, CF_OP_BLOCK, 0);
    op16(&a, CF_OP_LOOP, 0);
    op16(&a, CF_OP_LOAD, 1);
    op32(&a, CF_OP_ICONST, 64);
    op(&a, CF_OP_IGE);
    op16(&a, CF_OP_BR_IF, 1);
    op16(&a, CF_OP_LOAD, 2);
    op16(&a, CF_OP_LOAD, 0);
    op16(&a, CF_OP_LOAD, 1);
    op(&a, CF_OP_AALOAD);
    op16(&a, CF_OP_INVOKEVIRTUAL, len);
    op(&a, CF_OP_IADD);
    op16(&a, CF_OP_STORE, 2);
    op(&a, CF_OP_IINC);
    op(&a, 0); op(&a, 1);
    op(&a, 0); op(&a, 0); op(&a, 0); op(&a, 1);
    op16(&a, CF_OP_BR, 0);
    op(&a, CF_OP_END);
    op(&a, CF_OP_END);
    op16(&a, CF_OP_LOAD, 2);
    op(&a, CF_OP_RETURN);
    const char *locals[] = {"[Lstd/core/String;", "I", "I"};
    add_code(c, CF_ACC_STATIC, "f", "()I", 5, locals, 3, &a, NULL, 0);
    ck_assert_int_eq(load(vm, c), MICA_OK);
    uint64_t r = 0;
    ck_assert_int_eq(call(vm, "Main", "f", "()I", NULL, 0, &r), MICA_OK);
    /* the last 64 values are 199936..199999: 6 digits + "x" each */
    ck_assert_int_eq(r, 64 * 7);
    VmMethod *m = vm_find_declared(vm_load_class(vm, "Main", NULL), "f", "()I");
    ck_assert_uint_ge(m->backedges, 200000);
    ck_assert_uint_eq(m->invocations, 1);
    mica_vm_free(vm);
}
END_TEST

static Suite *interp_suite(void)
{
    Suite *s = suite_create("vm_interp");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_int_wraparound);
    tcase_add_test(tc, test_min_div_minus_one);
    tcase_add_test(tc, test_div_by_zero);
    tcase_add_test(tc, test_shifts);
    tcase_add_test(tc, test_f2i_saturation);
    tcase_add_test(tc, test_float_compare_nan);
    tcase_add_test(tc, test_arrays_and_bounds);
    tcase_add_test(tc, test_fields_and_virtual_dispatch);
    tcase_add_test(tc, test_call_facts_and_intrinsics);
    tcase_add_test(tc, test_try_catch);
    tcase_add_test(tc, test_uncaught_trace_text);
    tcase_add_test(tc, test_stack_overflow_caught);
    tcase_add_test(tc, test_verify_failure_refused);
    tcase_add_test(tc, test_abstract_and_missing_method);
    tcase_add_test(tc, test_refusals_name_origin);
    tcase_add_test(tc, test_strings_and_natives);
    tcase_add_test(tc, test_native_refused_without_permission);
    tcase_add_test(tc, test_gc_keeps_live_objects);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(interp_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
