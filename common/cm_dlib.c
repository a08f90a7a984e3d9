/* common/cm_dlib.c: loading a shared library on first use (see cm_dlib.h). */
#define _GNU_SOURCE
#include "cm_dlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

bool cm_dlib_open(CmDlib *d, void *table, size_t size)
{
    size_t nsym = 0;
    while (d->symbols[nsym])
        nsym++;
    if (nsym * sizeof(void *) != size) {
        snprintf(d->error, sizeof d->error, "cannot load %s: %zu functions for a table of %zu bytes",
                 d->what, nsym, size);
        return false;
    }
    d->error[0] = 0;
    for (size_t i = 0; d->names[i]; i++) {
        void *lib = dlopen(d->names[i], RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            /* the reason of the first name, the one the library's package installs */
            const char *e = dlerror();
            if (!d->error[0])
                snprintf(d->error, sizeof d->error, "cannot load %s: %s", d->what,
                         e ? e : "not found");
            continue;
        }
        const char *missing = NULL;
        for (size_t k = 0; k < nsym && !missing; k++) {
            void *p = dlsym(lib, d->symbols[k]);
            if (!p)
                missing = d->symbols[k];
            /* POSIX guarantees a function pointer survives the trip through void * */
            memcpy((char *)table + k * sizeof p, &p, sizeof p);
        }
        if (!missing) {
            d->loaded = true;
            d->error[0] = 0;
            return true;
        }
        snprintf(d->error, sizeof d->error, "cannot load %s: %s has no %s", d->what,
                 d->names[i], missing);
        dlclose(lib);
    }
    memset(table, 0, size);
    return false;
}
