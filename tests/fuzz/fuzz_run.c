/* tests/fuzz/fuzz_run.c: fuzz target for the whole VM: the input is one class file
 * or one .mar archive (a zip: it starts with "PK"), loaded, verified, linked and run
 * (the class's static main, or the archive's main class) with a heap cap, a step
 * budget, a deadline and a small call depth. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"
#include "mica.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void limits(MicaConfig *cfg)
{
    mica_config_init(cfg);
    cfg->max_call_depth = 64;
    cfg->max_heap_bytes = 16u << 20;
    cfg->max_steps = 200000;
    cfg->max_time_ms = 500;
}

static int run_archive(const uint8_t *data, size_t size)
{
    MicaConfig cfg;
    limits(&cfg);
    MicaVM *vm;
    if (mica_vm_new(&cfg, &vm) != MICA_OK)
        abort();
    const char *main_class = NULL;
    if (mica_load_archive_bytes(vm, "fuzz.mar", data, size, &main_class) == MICA_OK) {
        if (main_class && !main_class[0])
            abort(); /* a loaded archive's main class is NULL or a name */
        int code = 0;
        if (main_class)
            mica_run_main(vm, main_class, 0, NULL, &code);
    } else if (!mica_last_error(vm)[0]) {
        abort(); /* every refusal says why */
    }
    mica_vm_free(vm);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* No chdir: the VMs here have no capabilities (mica_config_init), so a mutated
     * program cannot touch files, and relative corpus paths keep working. */
    if (size >= 2 && data[0] == 'P' && data[1] == 'K')
        return run_archive(data, size);
    CfError err;
    CfClass *c = cf_read(data, size, "fuzz", &err);
    if (!c)
        return 0;
    char name[CF_MAX_NAME_LEN + 1];
    snprintf(name, sizeof name, "%s", cf_this_name(c));
    cf_class_free(c);
    MicaConfig cfg;
    limits(&cfg);
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
