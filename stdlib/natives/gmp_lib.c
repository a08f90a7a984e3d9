/* stdlib/natives/gmp_lib.c: loading GMP on first use (see gmp_lib.h). The
 * table is filled once per process under pthread_once and never changes after:
 * like the Boehm initialisation, a process-wide fact (which shared library
 * holds GMP), not state of any VM. */
#define _GNU_SOURCE
#include "gmp_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The run-time names of the library, newest first; the -dev symlink last. */
static const char *const gmp_names[] = {"libgmp.so.10", "libgmp.so"};

/* the symbol's name after gmp.h's renaming (mpz_add is __gmpz_add) */
#define STD_GMP_NAME(name) STD_GMP_STR(name)
#define STD_GMP_STR(name) #name

static pthread_once_t gmp_once = PTHREAD_ONCE_INIT;
static StdGmp gmp_table;
static bool gmp_loaded;
static char gmp_error[256];

static void gmp_load(void)
{
    const char *why = "not found";
    size_t n = sizeof gmp_names / sizeof *gmp_names;
    for (size_t i = 0; i < n; i++) {
        void *lib = dlopen(gmp_names[i], RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            const char *e = dlerror();
            if (i == n - 1 && e && !gmp_error[0])
                snprintf(gmp_error, sizeof gmp_error, "cannot load GMP: %s", e);
            continue;
        }
        StdGmp t;
        bool ok = true;
        /* POSIX guarantees a function pointer survives the round trip through void * */
#define STD_GMP_LOAD(name)                                                           \
        {                                                                                 \
            void *p = dlsym(lib, STD_GMP_NAME(name));                                                  \
            if (!p) {                                                                     \
                ok = false;                                                               \
                why = STD_GMP_NAME(name);                                                              \
            }                                                                             \
            memcpy(&t.name, &p, sizeof p);                                                \
        }
        STD_GMP_FUNCS(STD_GMP_LOAD)
#undef STD_GMP_LOAD
        if (ok) {
            gmp_table = t;
            gmp_loaded = true;
            return;
        }
        snprintf(gmp_error, sizeof gmp_error, "cannot load GMP: %s has no %s",
                 gmp_names[i], why);
        dlclose(lib);
    }
    if (!gmp_error[0])
        snprintf(gmp_error, sizeof gmp_error, "cannot load GMP: %s", why);
}

const StdGmp *std_gmp(void)
{
    pthread_once(&gmp_once, gmp_load);
    return gmp_loaded ? &gmp_table : NULL;
}

const char *std_gmp_error(void)
{
    pthread_once(&gmp_once, gmp_load);
    return gmp_loaded ? "" : gmp_error;
}
