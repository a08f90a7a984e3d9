/* classfile/ziplib.c: loading libzip on first use (see ziplib.h). The table
 * is filled once per process under pthread_once and never changes after:
 * like the Boehm initialisation, a process-wide fact (which shared library
 * holds libzip), not state of any VM. */
#define _GNU_SOURCE
#include "ziplib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The run-time names of the library, newest first; the -dev symlink last. */
static const char *const zip_names[] = {"libzip.so.5", "libzip.so.4", "libzip.so"};

static pthread_once_t zip_once = PTHREAD_ONCE_INIT;
static CfZipLib zip_table;
static bool zip_loaded;
static char zip_error[256];

static void zip_load(void)
{
    const char *why = "not found";
    for (size_t i = 0; i < sizeof zip_names / sizeof *zip_names; i++) {
        void *lib = dlopen(zip_names[i], RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            const char *e = dlerror();
            if (i == 0 && e)
                snprintf(zip_error, sizeof zip_error, "cannot load libzip: %s", e);
            continue;
        }
        CfZipLib t;
        bool ok = true;
        /* POSIX guarantees a function pointer survives the round trip through void * */
#define CF_ZIP_LOAD(name)                                                                 \
        {                                                                                 \
            void *p = dlsym(lib, #name);                                                  \
            if (!p) {                                                                     \
                ok = false;                                                               \
                why = #name;                                                              \
            }                                                                             \
            memcpy(&t.name, &p, sizeof p);                                                \
        }
        CF_ZIP_FUNCS(CF_ZIP_LOAD)
#undef CF_ZIP_LOAD
        if (ok) {
            zip_table = t;
            zip_loaded = true;
            return;
        }
        snprintf(zip_error, sizeof zip_error, "cannot load libzip: %s has no %s", zip_names[i],
                 why);
        dlclose(lib);
    }
    if (!zip_error[0])
        snprintf(zip_error, sizeof zip_error, "cannot load libzip: %s", why);
}

const CfZipLib *cf_zip_lib(void)
{
    pthread_once(&zip_once, zip_load);
    return zip_loaded ? &zip_table : NULL;
}

const char *cf_zip_lib_error(void)
{
    pthread_once(&zip_once, zip_load);
    return zip_loaded ? "" : zip_error;
}
