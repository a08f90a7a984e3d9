/* stdlib/natives/utf8proc_lib.c: loading utf8proc on first use (see
 * utf8proc_lib.h). The table is filled once per process under pthread_once and
 * never changes after: like the Boehm initialisation, a process-wide fact
 * (which shared library holds utf8proc), not state of any VM. */
#define _GNU_SOURCE
#include "utf8proc_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The run-time names of the library, newest first; the -dev symlink last. */
static const char *const utf8proc_names[] = {"libutf8proc.so.3", "libutf8proc.so.2",
                                             "libutf8proc.so"};

static pthread_once_t utf8proc_once = PTHREAD_ONCE_INIT;
static StdUtf8proc utf8proc_table;
static bool utf8proc_loaded;
static char utf8proc_error[256];

static void utf8proc_load(void)
{
    const char *why = "not found";
    size_t n = sizeof utf8proc_names / sizeof *utf8proc_names;
    for (size_t i = 0; i < n; i++) {
        void *lib = dlopen(utf8proc_names[i], RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            const char *e = dlerror();
            if (i == n - 1 && e && !utf8proc_error[0])
                snprintf(utf8proc_error, sizeof utf8proc_error, "cannot load utf8proc: %s", e);
            continue;
        }
        StdUtf8proc t;
        bool ok = true;
        /* POSIX guarantees a function pointer survives the round trip through void * */
#define STD_UTF8PROC_LOAD(name)                                                           \
        {                                                                                 \
            void *p = dlsym(lib, #name);                                                  \
            if (!p) {                                                                     \
                ok = false;                                                               \
                why = #name;                                                              \
            }                                                                             \
            memcpy(&t.name, &p, sizeof p);                                                \
        }
        STD_UTF8PROC_FUNCS(STD_UTF8PROC_LOAD)
#undef STD_UTF8PROC_LOAD
        if (ok) {
            utf8proc_table = t;
            utf8proc_loaded = true;
            return;
        }
        snprintf(utf8proc_error, sizeof utf8proc_error, "cannot load utf8proc: %s has no %s",
                 utf8proc_names[i], why);
        dlclose(lib);
    }
    if (!utf8proc_error[0])
        snprintf(utf8proc_error, sizeof utf8proc_error, "cannot load utf8proc: %s", why);
}

const StdUtf8proc *std_utf8proc(void)
{
    pthread_once(&utf8proc_once, utf8proc_load);
    return utf8proc_loaded ? &utf8proc_table : NULL;
}

const char *std_utf8proc_error(void)
{
    pthread_once(&utf8proc_once, utf8proc_load);
    return utf8proc_loaded ? "" : utf8proc_error;
}
