/* compiler/compiler.h: the API of libmica_compiler (Mica source -> class files).
 *
 * The compiler reads the classes a program depends on (the standard library
 * included) only as class files, through a CcClassPath. It never touches VM
 * structures.
 */
#ifndef MICA_COMPILER_H
#define MICA_COMPILER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Where compiled dependencies come from. */
typedef struct CcClassPath {
    void *ud;
    /* The bytes of class [internal_name] ("std/core/String"), or NULL when
     * there is no such class. The bytes must stay valid during cc_compile. */
    const uint8_t *(*find)(void *ud, const char *internal_name, size_t *len);
    /* Calls [fn] once for each class whose package is exactly [pkg]
     * ("std/core"), for `import pkg.*` and for top-level functions. */
    void (*list)(void *ud, const char *pkg,
                 void (*fn)(void *arg, const char *internal_name), void *arg);
} CcClassPath;

/* One source file. [text] need not be NUL-terminated. */
typedef struct CcSource {
    const char *path;     /* as shown in diagnostics and SourceFile */
    const char *text;
    size_t len;
} CcSource;

/* Receives each class file produced. Return 0 to go on, -1 to stop. */
typedef int (*CcEmitFn)(void *ud, const char *internal_name, const uint8_t *bytes, size_t len);

typedef struct CcOptions {
    FILE *diag;           /* where diagnostics go (stderr if NULL)          */
    int max_errors;       /* stop after this many errors (0: 50)            */
    bool no_implicit_std; /* do not import std.core implicitly (building std) */
    bool warnings;        /* report warnings (unused locals, imports...)       */
    bool werror;          /* report warnings as errors                        */
} CcOptions;

typedef struct CcResult {
    int nerrors;
    int nwarnings;
    /* The internal name of the class whose static `main` is the program's
     * entry point (the first source file that declares a top-level `main`),
     * or "" if none. */
    char main_class[512];
} CcResult;

/* Compiles [n] sources together as one program. Every class produced is
 * passed to [emit] (after all sources compiled without error; nothing is
 * emitted when there are errors). Diagnostics are printed as
 *   file:line:col: error: message
 *   <the source line>
 *   <spaces>^
 * Returns the number of errors (0 on success); fills [res] if not NULL. */
int cc_compile(const CcSource *srcs, size_t n, const CcClassPath *cp, const CcOptions *opt,
               CcEmitFn emit, void *emit_ud, CcResult *res);

/* What tools around the compiler (the test runner, the REPL) learn from it. */
typedef struct CcHooks {
    void *ud;
    /* Each top-level function annotated @test, in source order, after a compile
     * without errors: the internal name of its module class, the function's
     * name, its source path and line. */
    void (*on_test)(void *ud, const char *class_name, const char *function, const char *path,
                    int line);
    /* Each local declared directly in the body (not in a nested block or lambda)
     * of the top-level function named [locals_of]: its name, its type as source
     * text that names classes outside std.core by their qualified names
     * ("int", "std.collections.List<String>", "fun(int): bool"), and whether it
     * is a `let`. Called while compiling, so also when there are errors. */
    const char *locals_of;
    void (*on_local)(void *ud, const char *name, const char *type, bool is_let);
} CcHooks;

/* cc_compile, telling [hooks] (may be NULL) what it finds. */
int cc_compile_hooks(const CcSource *srcs, size_t n, const CcClassPath *cp, const CcOptions *opt,
                     CcEmitFn emit, void *emit_ud, CcResult *res, const CcHooks *hooks);

#endif
