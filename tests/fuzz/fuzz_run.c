/* tests/fuzz/fuzz_run.c: fuzz target for the whole VM: the input is one class file,
 * loaded, verified, linked and run (its static main) with a heap cap, a step budget,
 * a deadline and a small call depth. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classfile.h"
#include "mica.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* mutated programs reach std.io: let their relative paths land in a scratch dir */
    static bool in_scratch;
    if (!in_scratch) {
        char dir[] = "/tmp/mica_fuzz_run.XXXXXX";
        if (!mkdtemp(dir) || chdir(dir) != 0)
            abort();
        in_scratch = true;
    }
    CfError err;
    CfClass *c = cf_read(data, size, "fuzz", &err);
    if (!c)
        return 0;
    char name[CF_MAX_NAME_LEN + 1];
    snprintf(name, sizeof name, "%s", cf_this_name(c));
    cf_class_free(c);
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.max_call_depth = 64;
    cfg.max_heap_bytes = 16u << 20;
    cfg.max_steps = 200000;
    cfg.max_time_ms = 500;
    MicaVM *vm;
    if (mica_vm_new(&cfg, &vm) != MICA_OK)
        abort();
    if (mica_load_bytes(vm, data, size) == MICA_OK) {
        int code = 0;
        mica_run_main(vm, name, 0, NULL, &code);
    }
    mica_vm_free(vm);
    return 0;
}
