/* tests/unit/vm/test_stale_slots.c: a call zeroes only the declared locals its
 * method may read before storing them; the others keep what an earlier call
 * left in their slots until their first store, and the collector scans the
 * value stack conservatively. So the collector's scan (vm/vm.c
 * clear_unstored_locals) zeroes, in every interpreted frame below the top, the
 * declared locals not yet stored on every path to where the frame goes on:
 * make()'s 16 MB array, left in the slot of churn()'s `n`, is no longer there
 * after a collection inside the call that computes `n`, while `pad`, stored
 * already, keeps its value. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mica.h"
#include "vm.h"

static const char SRC[] =
    "class Probe { @native(\"host\", \"collect\") static fun collect(): int; }\n"
    "fun make(): int {\n"
    "    let pad = 1;\n"
    "    let big = new int[2000000];\n"
    "    big[0] = pad;\n"
    "    return big.length;\n"
    "}\n"
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
    bool found;
    uint64_t pad, n;
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
        if (f->m && strcmp(f->m->name, "churn") == 0) {
            seen->found = true;
            seen->pad = f->base[0];
            seen->n = f->base[1];
        }
    }
    *ret = mica_int(0);
    return MICA_OK;
}

START_TEST(test_stale_slot_cleared)
{
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.jit_mode = MICA_JIT_OFF;
    MicaVM *vm = NULL;
    ck_assert_int_eq(mica_vm_new(&cfg, &vm), MICA_OK);
    Seen seen = {0};
    MicaNative probe[] = {{"collect", "()I", collect, &seen}};
    ck_assert_int_eq(mica_register_natives(vm, "Probe", probe, 1), MICA_OK);
    ck_assert_int_eq(mica_compile(vm, "stale.mica", SRC, strlen(SRC)), MICA_OK);
    /* the first calls link make() and churn() (a call that links its target
     * zeroes all of its locals); the second ones take the interpreter's quick
     * call, which zeroes only what may be read first (nothing, in churn) */
    MicaMethod *m = NULL;
    MicaValue r;
    ck_assert_int_eq(mica_find_method(vm, "Stale", "warm", "()I", &m), MICA_OK);
    ck_assert_int_eq(mica_call(vm, m, NULL, 0, &r), MICA_OK);
    ck_assert_int_eq(mica_find_method(vm, "Stale", "run", "()I", &m), MICA_OK);
    ck_assert_int_eq(mica_call(vm, m, NULL, 0, &r), MICA_OK);
    ck_assert_int_eq(r.as.i, 2000002);
    ck_assert(seen.found);
    ck_assert_uint_eq(seen.pad, 2);
    ck_assert_msg(seen.n == 0, "churn's n still holds %#llx", (unsigned long long)seen.n);
    mica_vm_free(vm);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vm_stale_slots");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_stale_slot_cleared);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
