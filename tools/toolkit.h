/* tools/toolkit.h: what the `mica` subcommands around the language (test, repl,
 * the profiler) share: source lists, compiling in memory against a class path
 * plus classes compiled earlier, options, and creating VMs. */
#ifndef MICA_TOOLKIT_H
#define MICA_TOOLKIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "compiler.h"
#include "mica.h"

#define TK_EXIT_USAGE 2
#define TK_EXIT_LIMIT 3

/* A growable list of owned strings. */
typedef struct TkStrs {
    char **v;
    size_t n, cap;
} TkStrs;

/* Class files held in memory (owned copies). */
typedef struct TkClass {
    char *name;
    uint8_t *bytes;
    size_t len;
} TkClass;

typedef struct TkClasses {
    TkClass *v;
    size_t n, cap;
} TkClasses;

/* The class path and run options of one command. */
typedef struct TkSession {
    TkStrs cp;            /* class path directories and .mar archives, in search order */
    struct CfArchive **ars; /* [cp.n]: each archive of the class path, read on first use */
    bool *ar_failed;      /* [cp.n]: it could not be read (said once) */
    TkClasses deps;       /* class path files read for the compiler (a cache) */
    TkClasses mem;        /* classes compiled earlier: seen ahead of the class path */
    TkStrs listed;        /* scratch for the compiler's list callback */
    bool oom;
    bool allow_native;
    size_t max_heap;      /* 0: none */
    uint64_t max_time_ms; /* 0: none */
    uint64_t max_steps;   /* 0: none */
} TkSession;

/* Prints "mica: out of memory" (after flushing stdout). */
void tk_out_of_memory(void);
char *tk_strdup(const char *s);
/* A malloc'd [a][b][c] ("dir", "/", "file"); NULL out of memory. */
char *tk_join(const char *a, const char *b, const char *c);
/* Appends a copy of [s]; tk_strs_push_owned takes [s] itself (freeing it on
 * failure; NULL counts as out of memory). 0, or -1 out of memory. */
int tk_strs_push(TkStrs *sv, const char *s);
int tk_strs_push_owned(TkStrs *sv, char *s);
bool tk_strs_has(const TkStrs *sv, const char *s);
/* Frees the strings (keeping the array), or everything. */
void tk_strs_clear(TkStrs *sv);
void tk_strs_free(TkStrs *sv);
/* strcmp for qsort over an array of char *. */
int tk_cmp_str(const void *a, const void *b);
/* Appends a copy of class [name] ([len] bytes). 0, or -1 out of memory. */
int tk_classes_push(TkClasses *cv, const char *name, const uint8_t *bytes, size_t len);
void tk_classes_free(TkClasses *cv);
void tk_session_free(TkSession *s);

/* Reads a whole file (NUL-terminated, the NUL not counted). 0, or -1 with errno. */
int tk_read_file(const char *path, uint8_t **data, size_t *len);
bool tk_is_dir(const char *path);
bool tk_ends_with(const char *s, const char *suffix);
/* May class or package name [name] be looked up as a path under a directory
 * (not empty, not absolute, no "..", no backslash)? */
bool tk_safe_class_path(const char *name);

/* Appends the entries of [arg] (DIR[:DIR...], empty ones skipped, trailing '/'
 * dropped) to class path [cp]. 0, or -1 out of memory (not printed). */
int tk_add_classpath(TkStrs *cp, const char *arg);
/* A decimal number with a unit into *[out]: [kind] "k" takes sizes k/m/g
 * (binary), "ms" times ms/s/m/h (as milliseconds; a bare number is seconds), ""
 * no unit. 0, or -1 when malformed or too large (0 itself is accepted). */
int tk_parse_quantity(const char *s, const char *kind, uint64_t *out);

/* Parses one option shared by the subcommands at argv[*i] (-cp DIR[:DIR],
 * --allow-native, --max-heap=, --max-time=, --max-steps=). Returns 1 when it
 * took the option (advancing *i), 0 when argv[*i] is not one of them, or an
 * exit status (usage errors are printed) on a bad value. */
int tk_parse_option(TkSession *s, int argc, char **argv, int *i);

/* Adds [arg] to [sources]: a .mica file, or every .mica file under a directory
 * (sorted). Prints the error and returns -1 when a directory has none or
 * cannot be read. */
int tk_add_sources(TkStrs *sources, const char *arg);

/* Compiles [srcs] together; each class produced goes to [out]. Diagnostics go
 * to [diag] (stderr if NULL). Returns the number of errors, or -1 out of memory
 * (printed). */
int tk_compile(TkSession *s, const CcSource *srcs, size_t n, FILE *diag, const CcHooks *hooks,
               TkClasses *out, CcResult *res);
/* tk_compile of the files [paths] (read errors are printed; they count as one
 * error). */
int tk_compile_files(TkSession *s, const TkStrs *paths, FILE *diag, const CcHooks *hooks,
                     TkClasses *out, CcResult *res);

/* The tier to run with: [given] (a --jit option), or else what MICA_JIT says
 * (off, on, always), or else MICA_JIT_DEFAULT. */
MicaJitMode tk_jit_mode(MicaJitMode given);
/* The calls or loop iterations before a method is compiled: [given] (a
 * --jit-threshold option) when not 0, or else what MICA_JIT_THRESHOLD says (a
 * count from 1 to 4294967295; anything else is reported on stderr and
 * ignored), or else 0, the VM's default. */
uint32_t tk_jit_threshold(uint64_t given);

/* A VM with the session's class path and limits, holding [classes] (may be NULL).
 * NULL when it cannot be made (the reason is printed). */
MicaVM *tk_vm_new(TkSession *s, const TkClasses *classes);
/* Loads [classes] into [vm]; MICA_OK or the failure (not printed). */
MicaStatus tk_vm_load(MicaVM *vm, const TkClasses *classes, size_t from);

#endif
