/* stdlib/natives/pcre2_lib.c: loading PCRE2 on first use (see pcre2_lib.h). The
 * table is filled once per process under pthread_once and never changes after:
 * like the Boehm initialisation, a process-wide fact (which shared library
 * holds PCRE2), not state of any VM. */
#define _GNU_SOURCE
#include "pcre2_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The run-time names of the library, newest first; the -dev symlink last. */
static const char *const pcre2_names[] = {"libpcre2-8.so.0", "libpcre2-8.so"};

/* the symbol's name after pcre2.h's renaming (pcre2_match is pcre2_match_8) */
#define STD_PCRE2_NAME(name) STD_PCRE2_STR(name)
#define STD_PCRE2_STR(name) #name

static pthread_once_t pcre2_once = PTHREAD_ONCE_INIT;
static StdPcre2 pcre2_table;
static bool pcre2_loaded;
static char pcre2_error[256];

static void pcre2_load(void)
{
    const char *why = "not found";
    size_t n = sizeof pcre2_names / sizeof *pcre2_names;
    for (size_t i = 0; i < n; i++) {
        void *lib = dlopen(pcre2_names[i], RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            const char *e = dlerror();
            if (i == n - 1 && e && !pcre2_error[0])
                snprintf(pcre2_error, sizeof pcre2_error, "cannot load PCRE2: %s", e);
            continue;
        }
        StdPcre2 t;
        bool ok = true;
        /* POSIX guarantees a function pointer survives the round trip through void * */
#define STD_PCRE2_LOAD(name)                                                           \
        {                                                                                 \
            void *p = dlsym(lib, STD_PCRE2_NAME(name));                                                  \
            if (!p) {                                                                     \
                ok = false;                                                               \
                why = STD_PCRE2_NAME(name);                                                              \
            }                                                                             \
            memcpy(&t.name, &p, sizeof p);                                                \
        }
        STD_PCRE2_FUNCS(STD_PCRE2_LOAD)
#undef STD_PCRE2_LOAD
        if (ok) {
            pcre2_table = t;
            pcre2_loaded = true;
            return;
        }
        snprintf(pcre2_error, sizeof pcre2_error, "cannot load PCRE2: %s has no %s",
                 pcre2_names[i], why);
        dlclose(lib);
    }
    if (!pcre2_error[0])
        snprintf(pcre2_error, sizeof pcre2_error, "cannot load PCRE2: %s", why);
}

const StdPcre2 *std_pcre2(void)
{
    pthread_once(&pcre2_once, pcre2_load);
    return pcre2_loaded ? &pcre2_table : NULL;
}

const char *std_pcre2_error(void)
{
    pthread_once(&pcre2_once, pcre2_load);
    return pcre2_loaded ? "" : pcre2_error;
}
