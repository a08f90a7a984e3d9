/* tests/unit/vm/test_stale_slots.c: a call zeroes only the declared locals its
 * method may read before storing them; the others keep what an earlier call
 * left in their slots until their first store, and the collector scans the
 * value stack conservatively. So the collector's scan (vm/vm.c
 * clear_unstored_locals) zeroes, in every frame, the declared locals not yet
 * stored on every path to where the frame goes on:
 * make()'s 16 MB array, left in the slot of churn()'s `n`, is no longer there
 * after a collection inside the call that computes `n`, while `pad`, stored
 * already, keeps its value. The same holds of frames of compiled code (the JIT
 * publishes a frame's ip before any frame goes above it): churn() compiled and
 * calling the native directly, calling a callee inlined into it (whose frame
 * its slow path makes), or calling a compiled callee too big to inline; and
 * churn() itself inlined into run(), its frame made by the call's slow path. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mica.h"
#include "vm.h"

/* make(): leaves its 16 MB array in the slots its callers' next callee gets */
#define MAKE_SRC                                                                           \
    "fun make(): int {\n"                                                                  \
    "    let pad = 1;\n"                                                                   \
    "    let big = new int[2000000];\n"                                                    \
    "    big[0] = pad;\n"                                                                  \
    "    return big.length;\n"                                                             \
    "}\n"

static const char SRC[] =
    "class Probe { @native(\"host\", \"collect\") static fun collect(): int; }\n"
    MAKE_SRC
    "fun probe(): int { return Probe.collect(); }\n"
    "fun churn(): int {\n"
    "    let pad = 2;\n"
    "    let n = probe();\n"
    "    return n + pad;\n"
    "}\n"
    "fun run(): int {\n"
    "    let m = make();\n"
    "    return churn() + m;\n"
    "}\n"
    "fun warm(): int { return make() + churn(); }\n";

typedef struct Seen {
    const char *name; /* the frame to look at: churn() */
    bool found;
    uint64_t pad, n;
    bool compiled;     /* churn() is compiled                          */
    bool run_compiled; /* so is run(), the frame below churn()'s       */
    uint64_t calls;    /* churn()'s invocations, as its frames count them */
} Seen;

/* Collects, then notes churn()'s two locals as the collection left them. */
static MicaStatus collect(MicaVM *vm, void *ctx, const MicaValue *a, size_t n, MicaValue *ret)
{
    (void)a;
    (void)n;
    Seen *seen = ctx;
    gc_collect();
    seen->found = false;
    for (uint32_t k = 0; k < vm->nframes; k++) {
        VmFrame *f = &vm->frames[k];
        if (f->m && strcmp(f->m->name, seen->name) == 0) {
            seen->found = true;
            seen->pad = f->base[0];
            seen->n = f->base[1];
            seen->compiled = f->m->jit_state == 1;
            seen->run_compiled = k > 0 && vm->frames[k - 1].m->jit_state == 1;
            seen->calls = f->m->invocations;
        }
    }
    *ret = mica_int(0);
    return MICA_OK;
}

/* A VM of [cfg] with the natives of class Probe and the program [src] compiled. */
static MicaVM *stale_vm(const MicaConfig *cfg, const MicaNative *natives, size_t n,
                        const char *src)
{
    MicaVM *vm = NULL;
    ck_assert_int_eq(mica_vm_new(cfg, &vm), MICA_OK);
    ck_assert_int_eq(mica_register_natives(vm, "Probe", natives, n), MICA_OK);
    ck_assert_int_eq(mica_compile(vm, "stale.mica", src, strlen(src)), MICA_OK);
    return vm;
}

/* Calls the program's top-level `fun NAME(): int`. */
static int64_t call_int(MicaVM *vm, const char *name)
{
    MicaMethod *m = NULL;
    MicaValue r;
    ck_assert_int_eq(mica_find_method(vm, "Stale", name, "()I", &m), MICA_OK);
    ck_assert_int_eq(mica_call(vm, m, NULL, 0, &r), MICA_OK);
    return r.as.i;
}

START_TEST(test_stale_slot_cleared)
{
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.jit_mode = MICA_JIT_OFF;
    Seen seen = {.name = "churn"};
    MicaNative probe[] = {{"collect", "()I", collect, &seen}};
    MicaVM *vm = stale_vm(&cfg, probe, 1, SRC);
    /* the first calls link make() and churn() (a call that links its target
     * zeroes all of its locals); the second ones take the interpreter's quick
     * call, which zeroes only what may be read first (nothing, in churn) */
    call_int(vm, "warm");
    ck_assert_int_eq(call_int(vm, "run"), 2000002);
    ck_assert(seen.found);
    ck_assert_uint_eq(seen.pad, 2);
    ck_assert_msg(seen.n == 0, "churn's n still holds %#llx", (unsigned long long)seen.n);
    mica_vm_free(vm);
}
END_TEST

/* The JIT's shapes of churn(), each in a VM of its own, in the tier whose
 * call sites are quickened before their method is compiled (a threshold of
 * 2): calls then take compiled code's direct call or are inlined, and either
 * zeroes only what may be read first. churn() gets `n` from the native
 * directly, from probe() (small enough to inline into churn) or from far()
 * (too big to inline: a compiled frame of its own); churn() itself is small
 * enough to inline into run() (its frame made by the slow path of its call)
 * or, with a long tail that computes nothing, too big (its own frame). */
static const char *const JIT_CALLEE[][2] = {
    {"", "Probe.collect()"},
    {"fun probe(): int { return Probe.collect(); }\n", "probe()"},
    {"fun far(): int {\n"
     "    var s = 0;\n"
     "    for (var i = 0; i < 3; i++) {\n"
     "        s = s + i * 3 + 1; s = s * 5 - i; s = s + i * 7 + 2; s = s * 3 - i;\n"
     "        s = s + i * 3 + 1; s = s * 5 - i; s = s + i * 7 + 2; s = s * 3 - i;\n"
     "        s = s + i * 3 + 1; s = s * 5 - i; s = s + i * 7 + 2; s = s * 3 - i;\n"
     "        s = s + i * 3 + 1; s = s * 5 - i; s = s + i * 7 + 2; s = s * 3 - i;\n"
     "        s = s + i * 3 + 1; s = s * 5 - i; s = s + i * 7 + 2; s = s * 3 - i;\n"
     "        s = s % 1000;\n"
     "    }\n"
     "    return Probe.collect() + s - s;\n"
     "}\n",
     "far()"},
};

static const char JIT_REST[] =
    "class Probe { @native(\"host\", \"collect\") static fun collect(): int; }\n"
    MAKE_SRC
    "fun run(): int {\n"
    "    let m = make();\n"
    "    return churn() + m;\n"
    "}\n";

/* churn()'s tail: nothing (inlined into run()) or 16 terms that cancel */
#define TAIL8 " + pad * 3 - pad * 3 + pad * 5 - pad * 5 + pad * 7 - pad * 7 + pad - pad"
static const char *const JIT_TAIL[] = {"", TAIL8 TAIL8};

START_TEST(test_stale_slot_cleared_jit)
{
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.jit_mode = MICA_JIT_ON;
    cfg.jit_threshold = 2;
    MicaVM *vm = NULL;
    ck_assert_int_eq(mica_vm_new(&cfg, &vm), MICA_OK);
    bool jit = vm->jit != NULL;
    mica_vm_free(vm);
    if (!jit)
        return; /* no backend: the interpreted test above is the whole story */
    for (size_t v = 0; v < 2 * (sizeof JIT_CALLEE / sizeof *JIT_CALLEE); v++) {
        const char *const *callee = JIT_CALLEE[v / 2];
        Seen seen = {.name = "churn"};
        MicaNative probe[] = {{"collect", "()I", collect, &seen}};
        char src[4096];
        int len = snprintf(src, sizeof src,
                           "%s%sfun churn(): int {\n"
                           "    let pad = 2;\n"
                           "    let n = %s;\n"
                           "    return n + pad%s;\n"
                           "}\n",
                           JIT_REST, callee[0], callee[1], JIT_TAIL[v % 2]);
        ck_assert(len > 0 && (size_t)len < sizeof src);
        vm = stale_vm(&cfg, probe, 1, src);
        /* the first runs link and quicken, then compile run() and its callees;
         * the last one runs in compiled code only */
        uint64_t calls = 0;
        for (int k = 0; k < 6; k++) {
            calls = seen.calls;
            ck_assert_int_eq(call_int(vm, "run"), 2000002);
        }
        ck_assert_msg(seen.found, "shape %zu: no frame of churn", v);
        /* churn's frame is compiled code's: run() is compiled and churn() is
         * too (called directly) or inlined (its frame counts no call) */
        ck_assert_msg(seen.run_compiled && (seen.compiled || seen.calls == calls),
                      "shape %zu: churn's frame is not compiled code's", v);
        ck_assert_uint_eq(seen.pad, 2);
        ck_assert_msg(seen.n == 0, "shape %zu: churn's n still holds %#llx", v,
                      (unsigned long long)seen.n);
        mica_vm_free(vm);
    }
}
END_TEST

/* The top frame too: a collection runs only inside an allocation, and both
 * tiers publish the frame's ip before anything that can allocate, so the
 * frame that allocates is cleared like those below it. make() leaves its
 * 16 MB array in the slots of top()'s `a` and `n`; arm() makes the next
 * allocation collect (the heap's stress mode), which is top()'s own `new`,
 * with top() the top frame; peek() (which allocates nothing) then reads the
 * slots: `n`, not stored yet, is 0, `pad` keeps its value. In the interpreter
 * and in compiled code (compiled at its first call). */
static const char TOP_SRC[] =
    "class Probe {\n"
    "    @native(\"host\", \"arm\") static fun arm(): int;\n"
    "    @native(\"host\", \"peek\") static fun peek(): int;\n"
    "}\n"
    MAKE_SRC
    "fun top(): int {\n"
    "    let pad = 2;\n"
    "    Probe.arm();\n"
    "    let a = new int[4];\n"
    "    let n = Probe.peek();\n"
    "    return n + pad + a.length;\n"
    "}\n"
    "fun run(): int {\n"
    "    let m = make();\n"
    "    return top() + m;\n"
    "}\n"
    "fun warm(): int { return make() + top(); }\n";

typedef struct TopSeen {
    bool armed, found, compiled;
    uint64_t pad, n;
} TopSeen;

static MicaStatus arm(MicaVM *vm, void *ctx, const MicaValue *a, size_t n, MicaValue *ret)
{
    (void)a;
    (void)n;
    TopSeen *seen = ctx;
    if (seen->armed)
        vm->heap.stress = 1;
    *ret = mica_int(0);
    return MICA_OK;
}

static MicaStatus peek(MicaVM *vm, void *ctx, const MicaValue *a, size_t n, MicaValue *ret)
{
    (void)a;
    (void)n;
    TopSeen *seen = ctx;
    vm->heap.stress = 0;
    seen->found = false;
    for (uint32_t k = 0; k < vm->nframes; k++) {
        VmFrame *f = &vm->frames[k];
        if (f->m && strcmp(f->m->name, "top") == 0) {
            seen->found = true;
            seen->pad = f->base[0];
            seen->n = f->base[2];
            seen->compiled = f->m->jit_state == 1;
        }
    }
    *ret = mica_int(0);
    return MICA_OK;
}

START_TEST(test_stale_slot_cleared_top)
{
    for (int tier = 0; tier < 2; tier++) {
        MicaConfig cfg;
        mica_config_init(&cfg);
        cfg.jit_mode = tier ? MICA_JIT_ALWAYS : MICA_JIT_OFF;
        TopSeen seen = {0};
        MicaNative probe[] = {{"arm", "()I", arm, &seen}, {"peek", "()I", peek, &seen}};
        MicaVM *vm = stale_vm(&cfg, probe, 2, TOP_SRC);
        if (tier && !vm->jit) {
            mica_vm_free(vm);
            return; /* no backend */
        }
        /* the first calls link (and a linking call zeroes every local) */
        call_int(vm, "warm");
        seen.armed = true;
        ck_assert_int_eq(call_int(vm, "run"), 2000006);
        ck_assert(seen.found);
        ck_assert_msg(seen.compiled == (tier == 1), "tier %d: top() compiled: %d", tier,
                      seen.compiled);
        ck_assert_uint_eq(seen.pad, 2);
        ck_assert_msg(seen.n == 0, "tier %d: top's n still holds %#llx", tier,
                      (unsigned long long)seen.n);
        mica_vm_free(vm);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vm_stale_slots");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_stale_slot_cleared);
    tcase_add_test(tc, test_stale_slot_cleared_jit);
    tcase_add_test(tc, test_stale_slot_cleared_top);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
