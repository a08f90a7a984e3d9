/* common/cm_dlib.h: a shared library loaded with dlopen the first time it is
 * needed, its functions looked up into a table of pointers. For the libraries
 * only some programs use (libzip, PCRE2, GMP, utf8proc): linked in, each was
 * mapped and relocated at every start-up. Which file holds a library is a
 * process-wide fact, not state of any VM: each owner loads its library once,
 * under pthread_once, and its table never changes after. */
#ifndef MICA_CM_DLIB_H
#define MICA_CM_DLIB_H

#include <stdbool.h>
#include <stddef.h>

typedef struct CmDlib {
    const char *what;           /* the library, for messages ("libzip")         */
    const char *const *names;   /* run-time file names, newest first, the -dev
                                 * symlink last; NULL-ended                     */
    const char *const *symbols; /* the table's functions in order; NULL-ended   */
    bool loaded;                /* out: every symbol was found                  */
    char error[256];            /* out: why not ("cannot load GMP: ...")        */
} CmDlib;

/* Opens the first of d->names that has every symbol and fills [table], a
 * struct of [size] bytes holding nothing but one function pointer per symbol,
 * in order. True if loaded; otherwise d->error says why. Not thread-safe: its
 * owner calls it under pthread_once. */
bool cm_dlib_open(CmDlib *d, void *table, size_t size);

/* The names of an X-macro list of functions, as an initialiser of
 * CmDlib.symbols; a name the library's header renames by a macro (mpz_add is
 * __gmpz_add) is expanded first, as dlsym needs it. */
#define CM_DLIB_NAME(name) CM_DLIB_STR(name),
#define CM_DLIB_STR(name) #name

#endif
