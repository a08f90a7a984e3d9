/* tools/mica.c: the `mica` command: run, build and disassemble Mica programs. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "archive.h"
#include "cm_mem.h"
#include "classfile.h"
#include "commands.h"
#include "compiler.h"
#include "mica.h"
#include "toolkit.h"

#define EXIT_USAGE 2
#define EXIT_LIMIT 3

/* One class file held in memory: a dependency read for the compiler or a
 * class the compiler produced. */
typedef struct ClassBuf {
    char *name;
    uint8_t *bytes;
    size_t len;
} ClassBuf;

typedef struct ClassVec {
    ClassBuf *v;
    size_t n, cap;
} ClassVec;

/* Everything one invocation of the command works with. */
typedef struct Driver {
    TkStrs cp;            /* class path directories, in search order     */
    bool allow_native;
    bool sandbox;         /* run: --sandbox: no capability but those allowed */
    unsigned allow;       /* run: MICA_CAP_* given by --allow-* flags       */
    TkStrs read_dirs, write_dirs; /* --allow-read=DIR, --allow-write=DIR    */
    size_t max_heap;      /* run: --max-heap in bytes, 0 none              */
    uint64_t max_time_ms; /* run: --max-time, 0 none                       */
    const char *max_time_text;     /* as the user wrote it, for the message */
    uint64_t max_steps;   /* run: --max-steps, 0 none                      */
    MicaJitMode jit_mode; /* run: --jit=off|on|always                      */
    uint64_t jit_threshold;        /* run: --jit-threshold, 0 default     */
    size_t jit_cache;     /* run: --jit-cache in bytes, 0 default          */
    bool jit_stats, perf_map;      /* run: --jit-stats, --perf-map         */
    const char *print_jit;         /* run: --print-jit=Class.method       */
    const char *profile;           /* run: --profile[=FILE] (tools/profile.c) */
    const char *outdir;   /* build: where .mcl files go                   */
    TkStrs sources;       /* source file paths as shown in diagnostics    */
    const char *class_name;        /* the class whose main runs (borrowed) */
    char *entry;                   /* the compiler's entry point (owned)  */
    int nargs;                     /* program arguments                   */
    const char *const *args;
    ClassVec deps;        /* class path files read for the compiler       */
    ClassVec out;         /* classes the compiler produced                */
    TkStrs listed;        /* scratch for the list callback                */
    size_t listed_cp;     /* how many of those came from the class path    */
    bool oom;
    bool warnings, werror;         /* -W, -Werror */
    char *inline_text;    /* run -e CODE / run -: the program's text (owned)  */
    size_t inline_len;
    const char *inline_path;       /* its name in diagnostics ("-e", "<stdin>") */
    /* archives (see "archives" below) */
    CfArchive **cp_ar;    /* per class path entry: its archive, NULL for a directory */
    bool cp_ar_failed;    /* an archive on the class path could not be read  */
    const char *outfile;  /* build: -o app.mar                               */
    const char *main_opt; /* build: --main pkg.Main                          */
    TkStrs resources;     /* build: -r DIR, files added as resources        */
    ClassVec classes_in;  /* build: class files taken from class directories */
} Driver;

/* ---- small utilities ------------------------------------------------------ */

/* Takes ownership of [name] and [bytes] (frees them on failure). */
static ClassBuf *classvec_push(ClassVec *cv, char *name, uint8_t *bytes, size_t len)
{
    if (!name)
        goto fail;
    if (cv->n == cv->cap) {
        size_t cap = cv->cap ? cv->cap * 2 : 16;
        ClassBuf *v = cm_realloc(cv->v, cap * sizeof *v);
        if (!v)
            goto fail;
        cv->v = v;
        cv->cap = cap;
    }
    ClassBuf *b = &cv->v[cv->n++];
    b->name = name;
    b->bytes = bytes;
    b->len = len;
    return b;
fail:
    free(name);
    free(bytes);
    return NULL;
}

static void classvec_free(ClassVec *cv)
{
    for (size_t i = 0; i < cv->n; i++) {
        free(cv->v[i].name);
        free(cv->v[i].bytes);
    }
    free(cv->v);
    cv->v = NULL;
    cv->n = cv->cap = 0;
}

/* mkdir -p for [path]. 0, or -1 with errno set. */
static int make_dirs(const char *path)
{
    char *p = tk_strdup(path);
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    for (char *s = p + 1; ; s++) {
        if (*s == '/' || *s == 0) {
            char c = *s;
            *s = 0;
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                int saved = errno;
                free(p);
                errno = saved;
                return -1;
            }
            *s = c;
            if (c == 0)
                break;
        }
    }
    free(p);
    return 0;
}

/* ---- usage ----------------------------------------------------------------- */

static const char usage_text[] =
    "usage:\n"
    "  mica run [--allow-native] [-cp DIR]... SOURCES... [--] [ARGS...]\n"
    "      Compile SOURCES (.mica files, or directories whose .mica files are all\n"
    "      taken) in memory and run the program's top-level main with ARGS.\n"
    "  mica run [--allow-native] -cp DIR[:DIR...] CLASS [ARGS...]\n"
    "      Run static main of CLASS (pkg.Main or pkg/Main) found on the class path.\n"
    "  mica build -d OUTDIR [-cp DIR]... SOURCES...\n"
    "      Compile SOURCES and write each class to OUTDIR/pkg/Name.mcl.\n"
    "  mica build -o APP.mar [--main pkg.Main] [-r DIR]... [-cp PATH]... INPUTS...\n"
    "      Build one archive from sources and class directories (INPUTS), with\n"
    "      the files under each -r DIR as resources; archives on -cp become\n"
    "      the archive's requirements.\n"
    "  mica run [OPTIONS] APP.mar [ARGS...]\n"
    "      Run the main class of an archive.\n"
    "  mica disasm FILE.mcl... | mica disasm APP.mar [pkg.Name...]\n"
    "      Print a listing of class files, or of the classes in an archive.\n"
    "  mica verify [-cp PATH]... FILE...\n"
    "      Verify every class of class files, archives and class directories\n"
    "      without running them, listing every error.\n"
    "  mica repl             (or mica alone on a terminal)\n"
    "      Evaluate declarations, statements and expressions interactively.\n"
    "  mica test [-k TEXT] [--list] [-cp DIR]... [SOURCES...]\n"
    "      Run the @test functions of SOURCES, each in a fresh VM (mica test --help).\n"
    "  mica --version        Print the version of mica and of its class files.\n"
    "  mica --help           Print this help.\n"
    "\n"
    "options:\n"
    "  -cp PATH[:PATH...]    Search these directories (pkg/Name.mcl) and .mar archives\n"
    "                        for classes (repeatable); std.* classes come only from\n"
    "                        the embedded library.\n"
    "  --allow-native        Let non-standard classes bind native functions.\n"
    "  --sandbox             Deny files, processes, environment, clock and stdin\n"
    "                        (then grant some back with the flags below).\n"
    "  --allow-read[=DIR]    Allow reading files (only under DIR; repeatable).\n"
    "  --allow-write[=DIR]   Allow writing files (only under DIR; repeatable).\n"
    "  --allow-process, --allow-env, --allow-clock, --allow-stdin\n"
    "                        Allow starting processes, reading the environment,\n"
    "                        reading clocks and sleeping, reading standard input.\n"
    "  --max-heap=SIZE       Cap the heap (64m, 512k, 1g): beyond it OutOfMemoryError.\n"
    "  --max-time=TIME       Stop the program after TIME (2s, 500ms, 1m); exit status 3.\n"
    "  --max-steps=N         Stop it after N loop iterations and calls; exit status 3.\n"
    "  --profile[=FILE]      Sample the running methods: folded stacks to FILE\n"
    "                        (default mica-profile.folded; a .svg FILE gets a flame\n"
    "                        graph), the top methods to stderr at exit.\n"
    "  --jit=off|on|always   Interpret only; compile hot methods and loops (default\n"
    "                        where the build has a JIT); compile every method at its\n"
    "                        first call.\n"
    "  --jit-threshold=N     Calls or loop iterations before a method is compiled.\n"
    "  --jit-cache=SIZE      Cap on machine-code memory (default 64m); past it,\n"
    "                        methods stay interpreted.\n"
    "  --jit-stats           Print what the JIT did to stderr at exit.\n"
    "  --perf-map            Write /tmp/perf-PID.map so `perf report` names methods.\n"
    "  --print-jit=C.m       Print the machine code of method m of class C to stderr.\n"
    "  -d OUTDIR             Output directory of `mica build`.\n"
    "  -W                    Warn about unused variables, parameters and imports,\n"
    "                        and locals that hide a field or constant.\n"
    "  -Werror               Like -W, and warnings are errors.\n"
    "\n"
    "environment: MICA_JIT=off|on|always is the default of --jit; MICA_GC_STRESS=N\n"
    "collects the heap every N allocations (for testing the collector's view).\n"
    "\n"
    "exit status: 0 on success, 1 on a compile error, load failure or uncaught\n"
    "exception, 2 on bad usage, 3 when a --max-time or --max-steps limit stopped\n"
    "the program; System.exit(n) exits with n.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fflush(stdout);
    fprintf(stderr, "mica: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr,
            "\nusage: mica run [--allow-native] [-cp DIR]... SOURCES... [--] [ARGS...]\n"
            "       mica run [--allow-native] -cp DIR[:DIR...] CLASS [ARGS...]\n"
            "       mica build -d OUTDIR [-cp DIR]... SOURCES...\n"
            "       mica build -o APP.mar [--main pkg.Main] [-r DIR]... [-cp PATH]... INPUTS...\n"
            "       mica run [OPTIONS] APP.mar [ARGS...]\n"
            "       mica disasm FILE.mcl... | APP.mar [pkg.Name...]\n"
            "       mica verify [-cp PATH]... FILE...\n"
            "       mica --version | --help\n");
    return EXIT_USAGE;
}

/* ---- the compiler's class path ---------------------------------------------- */

static bool cp_is_archive(Driver *d, size_t i);
static void cp_list_archive(Driver *d, size_t i, const char *pkg);

static const uint8_t *cp_find(void *ud, const char *internal_name, size_t *len)
{
    Driver *d = ud;
    if (!tk_safe_class_path(internal_name))
        return NULL;
    if (mica_std_sealed(internal_name))
        return mica_std_class(internal_name, len);
    for (size_t i = 0; i < d->deps.n; i++) {
        if (strcmp(d->deps.v[i].name, internal_name) == 0) {
            *len = d->deps.v[i].len;
            return d->deps.v[i].bytes;
        }
    }
    for (size_t i = 0; i < d->cp.n; i++) {
        if (cp_is_archive(d, i)) {
            const CfArEntry *e = d->cp_ar[i] ? cf_archive_find_class(d->cp_ar[i], internal_name)
                                             : NULL;
            if (!e)
                continue;
            *len = e->len;
            return e->data;
        }
        char *rel = tk_join(internal_name, "", ".mcl");
        char *path = rel ? tk_join(d->cp.v[i], "/", rel) : NULL;
        free(rel);
        if (!path) {
            d->oom = true;
            return NULL;
        }
        uint8_t *bytes;
        size_t n;
        int rc = tk_read_file(path, &bytes, &n);
        free(path);
        if (rc != 0)
            continue;
        ClassBuf *b = classvec_push(&d->deps, tk_strdup(internal_name), bytes, n);
        if (!b) {
            d->oom = true;
            return NULL;
        }
        *len = b->len;
        return b->bytes;
    }
    return mica_std_class(internal_name, len);
}

static void collect_std_name(void *arg, const char *internal_name)
{
    Driver *d = arg;
    /* the standard library lists each name once: only the class path's names
     * (the first listed_cp of the list) can repeat one */
    for (size_t i = 0; i < d->listed_cp; i++)
        if (strcmp(d->listed.v[i], internal_name) == 0)
            return;
    if (tk_strs_push(&d->listed, internal_name) != 0)
        d->oom = true;
}

static void cp_list(void *ud, const char *pkg, void (*fn)(void *arg, const char *internal_name),
                    void *arg)
{
    Driver *d = ud;
    tk_strs_clear(&d->listed);
    if (pkg[0] != 0 && !tk_safe_class_path(pkg))
        return;
    if (mica_std_sealed(pkg)) {
        /* Only the embedded standard library defines these packages: its names
         * are static, each listed once and in order, so there is no copy to make,
         * sort or free (the std.core listing of every program's first call). */
        mica_std_list(pkg, fn, arg);
        return;
    }
    for (size_t i = 0; i < d->cp.n; i++) {
        if (cp_is_archive(d, i)) {
            cp_list_archive(d, i, pkg);
            continue;
        }
        char *dir = pkg[0] ? tk_join(d->cp.v[i], "/", pkg) : tk_strdup(d->cp.v[i]);
        if (!dir) {
            d->oom = true;
            return;
        }
        DIR *dh = opendir(dir);
        if (dh) {
            struct dirent *e;
            while ((e = readdir(dh)) != NULL) {
                if (!tk_ends_with(e->d_name, ".mcl") || e->d_name[0] == '.')
                    continue;
                char *file = tk_join(dir, "/", e->d_name);
                bool regular = file && !tk_is_dir(file);
                free(file);
                if (!regular)
                    continue;
                size_t stem = strlen(e->d_name) - 4;
                char *name = cm_malloc(strlen(pkg) + 1 + stem + 1);
                if (!name) {
                    d->oom = true;
                    break;
                }
                if (pkg[0])
                    sprintf(name, "%s/%.*s", pkg, (int)stem, e->d_name);
                else
                    sprintf(name, "%.*s", (int)stem, e->d_name);
                if (tk_strs_has(&d->listed, name))
                    free(name);
                else if (tk_strs_push_owned(&d->listed, name) != 0)
                    d->oom = true;
            }
            closedir(dh);
        }
        free(dir);
    }
    d->listed_cp = d->listed.n;
    mica_std_list(pkg, collect_std_name, d);
    /* The callback may call back into the class path; hand out a stable copy. */
    TkStrs names = d->listed;
    d->listed = (TkStrs){0};
    if (names.n > 1)
        qsort(names.v, names.n, sizeof *names.v, tk_cmp_str);
    for (size_t i = 0; i < names.n; i++)
        fn(arg, names.v[i]);
    tk_strs_free(&names);
}

static int collect_class(void *ud, const char *internal_name, const uint8_t *bytes, size_t len)
{
    Driver *d = ud;
    uint8_t *copy = cm_malloc(len ? len : 1);
    if (!copy) {
        d->oom = true;
        return -1;
    }
    memcpy(copy, bytes, len);
    if (!classvec_push(&d->out, tk_strdup(internal_name), copy, len)) {
        d->oom = true;
        return -1;
    }
    return 0;
}

/* ---- sources ------------------------------------------------------------------ */

/* Adds source operand [arg]: a .mica file, or a directory of them. */
static int add_source(Driver *d, const char *arg)
{
    return tk_add_sources(&d->sources, arg);
}

/* Compiles d->sources into d->out. Returns 0 or the exit status. */
static int open_cp_archives(Driver *d);

static int compile_sources(Driver *d)
{
    int status = 1;
    if (!d->cp_ar && open_cp_archives(d) != 0)
        return 1;
    size_t n = d->sources.n;
    CcSource *srcs = cm_calloc(n ? n : 1, sizeof *srcs);
    if (!srcs) {
        tk_out_of_memory();
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        uint8_t *text;
        size_t len;
        if (d->inline_path && strcmp(d->sources.v[i], d->inline_path) == 0) {
            text = cm_malloc(d->inline_len + 1);
            if (!text) {
                tk_out_of_memory();
                goto fail;
            }
            memcpy(text, d->inline_text, d->inline_len);
            len = d->inline_len;
        } else if (tk_read_file(d->sources.v[i], &text, &len) != 0) {
            fflush(stdout);
            fprintf(stderr, "mica: cannot read %s: %s\n", d->sources.v[i], strerror(errno));
            goto fail;
        }
        srcs[i].path = d->sources.v[i];
        srcs[i].text = (const char *)text;
        srcs[i].len = len;
    }
    CcClassPath cp = {.ud = d, .find = cp_find, .list = cp_list};
    CcOptions opt = {.diag = stderr, .max_errors = 0, .no_implicit_std = false,
                     .warnings = d->warnings, .werror = d->werror};
    CcResult res;
    memset(&res, 0, sizeof res);
    fflush(stdout);
    int nerrors = cc_compile(srcs, n, &cp, &opt, collect_class, d, &res);
    if (d->oom) {
        tk_out_of_memory();
        goto fail;
    }
    if (nerrors != 0)
        goto fail;
    res.main_class[sizeof res.main_class - 1] = 0;
    if (res.main_class[0]) {
        d->entry = tk_strdup(res.main_class);
        if (!d->entry) {
            tk_out_of_memory();
            goto fail;
        }
    }
    status = 0;
fail:
    for (size_t i = 0; i < n; i++)
        free((void *)srcs[i].text);
    free(srcs);
    return status;
}

/* ---- option parsing ------------------------------------------------------------ */

/* Adds each ':'-separated directory of [arg] to the class path. */
static int add_classpath(Driver *d, const char *arg)
{
    if (tk_add_classpath(&d->cp, arg) != 0) {
        tk_out_of_memory();
        return -1;
    }
    return 0;
}

static void rc_push_resource_dir(Driver *d, const char *dir)
{
    if (tk_strs_push(&d->resources, dir) != 0)
        d->oom = true;
}

/* -W and -Werror (compiler warnings); true if [a] is one. */
static bool warning_option(Driver *d, const char *a)
{
    if (strcmp(a, "-W") == 0 || strcmp(a, "-Wall") == 0)
        d->warnings = true;
    else if (strcmp(a, "-Werror") == 0)
        d->warnings = d->werror = true;
    else
        return false;
    return true;
}

/* Parses the options of run/build starting at argv[*i]; stops at the first
 * operand or after "--" (which is left in place for run to see). Returns 0,
 * EXIT_USAGE or 1. */
static int parse_options(Driver *d, const char *cmd, int argc, char **argv, int *i)
{
    while (*i < argc) {
        const char *a = argv[*i];
        if (strcmp(cmd, "run") == 0 && strcmp(a, "-e") == 0)
            return 0;
        if (warning_option(d, a)) {
            *i += 1;
            continue;
        }
        if (strcmp(a, "-cp") == 0 || strcmp(a, "--class-path") == 0 ||
            strcmp(a, "-classpath") == 0) {
            if (*i + 1 >= argc)
                return usage_error("option %s needs a directory", a);
            if (add_classpath(d, argv[*i + 1]) != 0)
                return 1;
            *i += 2;
        } else if (strncmp(a, "-cp=", 4) == 0) {
            if (add_classpath(d, a + 4) != 0)
                return 1;
            *i += 1;
        } else if (strcmp(cmd, "run") == 0 && strcmp(a, "--allow-native") == 0) {
            d->allow_native = true;
            *i += 1;
        } else if (strcmp(cmd, "run") == 0 && strcmp(a, "--sandbox") == 0) {
            d->sandbox = true;
            *i += 1;
        } else if (strcmp(cmd, "run") == 0 && (strncmp(a, "--allow-read=", 13) == 0 ||
                                               strncmp(a, "--allow-write=", 14) == 0)) {
            bool rd = a[8] == 'r';
            const char *dir = a + (rd ? 13 : 14);
            if (!*dir)
                return usage_error("option %s needs a directory", a);
            if (tk_strs_push(rd ? &d->read_dirs : &d->write_dirs, dir) != 0)
                return 1;
            d->allow |= rd ? MICA_CAP_READ : MICA_CAP_WRITE;
            *i += 1;
        } else if (strcmp(cmd, "run") == 0 && strncmp(a, "--allow-", 8) == 0 &&
                   (strcmp(a + 8, "read") == 0 || strcmp(a + 8, "write") == 0 ||
                    strcmp(a + 8, "process") == 0 || strcmp(a + 8, "env") == 0 ||
                    strcmp(a + 8, "clock") == 0 || strcmp(a + 8, "stdin") == 0)) {
            const char *c = a + 8;
            d->allow |= c[0] == 'r'   ? MICA_CAP_READ
                        : c[0] == 'w' ? MICA_CAP_WRITE
                        : c[0] == 'p' ? MICA_CAP_PROCESS
                        : c[0] == 'e' ? MICA_CAP_ENV
                        : c[1] == 'l' ? MICA_CAP_CLOCK
                                      : MICA_CAP_STDIN;
            *i += 1;
        } else if (strcmp(cmd, "run") == 0 && strncmp(a, "--max-heap=", 11) == 0) {
            uint64_t v;
            if (tk_parse_quantity(a + 11, "k", &v) != 0 || v == 0 || v > SIZE_MAX)
                return usage_error("bad heap size in '%s' (e.g. --max-heap=64m)", a);
            d->max_heap = (size_t)v;
            *i += 1;
        } else if (strcmp(cmd, "run") == 0 && strncmp(a, "--max-time=", 11) == 0) {
            if (tk_parse_quantity(a + 11, "ms", &d->max_time_ms) != 0 || d->max_time_ms == 0)
                return usage_error("bad time in '%s' (e.g. --max-time=2s)", a);
            d->max_time_text = a + 11;
            *i += 1;
        } else if (strcmp(cmd, "run") == 0 && (strcmp(a, "--profile") == 0 ||
                                                strncmp(a, "--profile=", 10) == 0)) {
            d->profile = a[9] == '=' && a[10] ? a + 10 : "mica-profile.folded";
            *i += 1;
        } else if (strcmp(cmd, "run") == 0 && strncmp(a, "--max-steps=", 12) == 0) {
            if (tk_parse_quantity(a + 12, "", &d->max_steps) != 0 || d->max_steps == 0)
                return usage_error("bad step count in '%s'", a);
            *i += 1;
        } else if (strcmp(cmd, "run") == 0 && strncmp(a, "--jit=", 6) == 0) {
            if (strcmp(a + 6, "off") == 0)
                d->jit_mode = MICA_JIT_OFF;
            else if (strcmp(a + 6, "on") == 0)
                d->jit_mode = MICA_JIT_ON;
            else if (strcmp(a + 6, "always") == 0)
                d->jit_mode = MICA_JIT_ALWAYS;
            else
                return usage_error("bad JIT mode in '%s' (off, on or always)", a);
            *i += 1;
        } else if (strcmp(cmd, "run") == 0 && strncmp(a, "--jit-threshold=", 16) == 0) {
            if (tk_parse_quantity(a + 16, "", &d->jit_threshold) != 0 || d->jit_threshold == 0 ||
                d->jit_threshold > UINT32_MAX)
                return usage_error("bad threshold in '%s'", a);
            *i += 1;
        } else if (strcmp(cmd, "run") == 0 && strncmp(a, "--jit-cache=", 12) == 0) {
            uint64_t v;
            if (tk_parse_quantity(a + 12, "k", &v) != 0 || v == 0 || v > SIZE_MAX)
                return usage_error("bad cache size in '%s' (e.g. --jit-cache=16m)", a);
            d->jit_cache = (size_t)v;
            *i += 1;
        } else if (strcmp(cmd, "run") == 0 && strcmp(a, "--jit-stats") == 0) {
            d->jit_stats = true;
            *i += 1;
        } else if (strcmp(cmd, "run") == 0 && strcmp(a, "--perf-map") == 0) {
            d->perf_map = true;
            *i += 1;
        } else if (strcmp(cmd, "run") == 0 && strncmp(a, "--print-jit=", 12) == 0) {
            d->print_jit = a + 12;
            *i += 1;
        } else if (strcmp(cmd, "build") == 0 && (strcmp(a, "-o") == 0 ||
                   strcmp(a, "--main") == 0 || strcmp(a, "-r") == 0)) {
            if (*i + 1 >= argc)
                return usage_error("option %s needs an argument", a);
            if (a[1] == 'o')
                d->outfile = argv[*i + 1];
            else if (a[1] == 'r')
                rc_push_resource_dir(d, argv[*i + 1]);
            else
                d->main_opt = argv[*i + 1];
            if (d->oom) {
                tk_out_of_memory();
                return 1;
            }
            *i += 2;
        } else if (strcmp(cmd, "build") == 0 && strcmp(a, "-d") == 0) {
            if (*i + 1 >= argc)
                return usage_error("option %s needs a directory", a);
            d->outdir = argv[*i + 1];
            *i += 2;
        } else if (strcmp(a, "--") == 0 || a[0] != '-' || a[1] == 0) {
            return 0;
        } else {
            return usage_error("unknown option '%s'", a);
        }
    }
    return 0;
}

static bool is_source_operand(const char *a)
{
    return mica_is_script_operand(a) || tk_is_dir(a);
}

/* run -e CODE or run -: the program comes from the command line or stdin.
 * Returns 0, or the exit status after reporting. */
static int take_inline_source(Driver *d, const char *flag, const char *code)
{
    if (d->inline_text)
        return usage_error("%s", "only one program may come from -e or stdin");
    if (code) {
        d->inline_text = mica_inline_program(code, &d->inline_len);
        d->inline_path = "-e";
    } else {
        d->inline_text = mica_read_stdin(&d->inline_len);
        d->inline_path = "<stdin>";
        if (!d->inline_text) {
            fflush(stdout);
            fprintf(stderr, "mica: cannot read the program from standard input\n");
            return 1;
        }
    }
    (void)flag;
    if (!d->inline_text) {
        tk_out_of_memory();
        return 1;
    }
    return add_source(d, d->inline_path) != 0 ? 1 : 0;
}

/* A run operand that is neither a source nor a class name: an existing file
 * of another kind. Reports it and returns true. */
static bool not_a_source(const char *a)
{
    struct stat st;
    if (stat(a, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    fflush(stdout);
    if (tk_ends_with(a, ".mcl"))
        fprintf(stderr, "mica: %s is a class file; run it by its class name from its "
                "class-path directory: mica run -cp DIR pkg.Name\n", a);
    else
        fprintf(stderr, "mica: %s is not a Mica source file: sources end in .mica (or "
                "start with a #! line), archives in .mar; anything else names a class\n", a);
    return true;
}

/* ---- running ------------------------------------------------------------------ */

/* Prints the VM's message for a failure with [st]; returns the exit status. */
static int report_vm_failure(MicaVM *vm, MicaStatus st)
{
    const char *msg = vm ? mica_last_error(vm) : "";
    fflush(stdout);
    if (st == MICA_ERR_EXCEPTION) {
        size_t n = strlen(msg);
        fputs(msg, stderr);
        if (n == 0 || msg[n - 1] != '\n')
            fputc('\n', stderr);
    } else {
        fprintf(stderr, "mica: %s\n", msg[0] ? msg : "the virtual machine failed");
    }
    return st == MICA_ERR_LIMIT || st == MICA_ERR_INTERRUPTED ? EXIT_LIMIT : 1;
}

/* ---- Ctrl-C and start-up failures ------------------------------------------------- */

/* The VM a SIGINT interrupts (a process runs one program at a time). */
static MicaVM *volatile sigint_vm;

static void on_sigint(int sig)
{
    (void)sig;
    MicaVM *vm = sigint_vm;
    if (vm)
        mica_interrupt(vm);
}

/* While [vm] runs, Ctrl-C interrupts it (at its next poll) instead of killing
 * the process, so that its output is flushed and its stack shown. */
static void catch_sigint(MicaVM *vm)
{
    sigint_vm = vm;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

static void release_sigint(void)
{
    signal(SIGINT, SIG_DFL);
    sigint_vm = NULL;
}

/* Ctrl-C: "interrupted" and the Mica stack, exit status 130 (128 + SIGINT). */
static int report_interrupt(MicaVM *vm)
{
    const char *msg = mica_last_error(vm);
    fflush(stdout);
    fprintf(stderr, "%s\n", msg && msg[0] ? msg : "interrupted");
    return 130;
}

static int vm_new_failed(const Driver *d, MicaStatus st)
{
    fflush(stdout);
    if (st == MICA_ERR_OOM && d->max_heap && d->max_heap < 64 * 1024)
        fprintf(stderr, "mica: cannot create the virtual machine: a heap of %zu byte%s "
                "(--max-heap) cannot hold the VM's own data; sizes are in bytes unless "
                "they end in k, m or g (e.g. --max-heap=64m)\n", d->max_heap,
                d->max_heap == 1 ? "" : "s");
    else
        fprintf(stderr, "mica: cannot create the virtual machine%s\n",
                st == MICA_ERR_OOM ? ": out of memory" : "");
    return 1;
}

static int run_program(Driver *d)
{
    MicaConfig cfg;
    MicaVM *vm = NULL;
    int status = 1;
    mica_config_init(&cfg);
    cfg.classpath = (const char *const *)d->cp.v;
    cfg.nclasspath = d->cp.n;
    cfg.allow_native = d->allow_native;
    /* scripts may do everything but bind C libraries, unless sandboxed */
    cfg.caps = (d->sandbox ? 0u : MICA_CAP_ALL & ~MICA_CAP_NATIVE) | d->allow;
    cfg.read_dirs = (const char *const *)d->read_dirs.v;
    cfg.nread_dirs = d->read_dirs.n;
    cfg.write_dirs = (const char *const *)d->write_dirs.v;
    cfg.nwrite_dirs = d->write_dirs.n;
    cfg.max_heap_bytes = d->max_heap;
    cfg.max_time_ms = d->max_time_ms;
    cfg.max_steps = d->max_steps;
    cfg.jit_mode = tk_jit_mode(d->jit_mode);
    /* the test suite's GC-stress runs: MICA_GC_STRESS=N collects every N allocations */
    const char *stress = getenv("MICA_GC_STRESS");
    if (stress && atoi(stress) > 0)
        cfg.gc_stress = (uint32_t)atoi(stress);
    cfg.jit_threshold = tk_jit_threshold(d->jit_threshold);
    cfg.jit_cache_bytes = d->jit_cache;
    cfg.jit_stats = d->jit_stats;
    cfg.jit_perf_map = d->perf_map;
    cfg.jit_print = d->print_jit;
    MicaStatus st = mica_vm_new(&cfg, &vm);
    if (st != MICA_OK)
        return vm_new_failed(d, st);
    for (size_t i = 0; i < d->out.n; i++) {
        /* messages about a class compiled here name its source (the only one, or
         * the set's first: "app.mica and 2 more") */
        char origin[1024];
        if (d->sources.n == 1)
            snprintf(origin, sizeof origin, "%s", d->sources.v[0]);
        else if (d->sources.n > 1)
            snprintf(origin, sizeof origin, "%s and %zu more", d->sources.v[0],
                     d->sources.n - 1);
        st = mica_load_bytes_from(vm, d->out.v[i].bytes, d->out.v[i].len,
                                  d->sources.n ? origin : NULL);
        if (st != MICA_OK) {
            status = report_vm_failure(vm, st);
            goto fail;
        }
    }
    int exit_code = 0;
    if (d->profile && mica_profile_begin(vm) != 0)
        goto fail;
    catch_sigint(vm);
    st = mica_run_main(vm, d->class_name, d->nargs, d->args, &exit_code);
    release_sigint();
    fflush(stdout);
    if (d->profile)
        mica_profile_end(vm, d->profile);
    if (st == MICA_OK) {
        status = 0;
    } else if (st == MICA_ERR_EXIT) {
        status = exit_code;
    } else if (st == MICA_ERR_INTERRUPTED) {
        status = report_interrupt(vm);
    } else if (st == MICA_ERR_LIMIT && d->max_time_text &&
               strncmp(mica_last_error(vm), "time limit", 10) == 0) {
        fprintf(stderr, "mica: time limit of %s exceeded\n", d->max_time_text);
        status = EXIT_LIMIT;
    } else {
        status = report_vm_failure(vm, st);
    }
fail:
    mica_vm_free(vm);
    return status;
}

static int run_archive(Driver *d, const char *path);

static int cmd_run(Driver *d, int argc, char **argv)
{
    int i = 0;
    int rc = parse_options(d, "run", argc, argv, &i);
    if (rc != 0)
        return rc;
    if (i < argc && tk_ends_with(argv[i], ".mar") && !tk_is_dir(argv[i])) {
        d->nargs = argc - i - 1;
        d->args = (const char *const *)argv + i + 1;
        return run_archive(d, argv[i]);
    }
    bool dashdash = false;
    while (i < argc) {
        if (strcmp(argv[i], "--") == 0) {
            dashdash = true;
            i++;
            break;
        }
        if (strcmp(argv[i], "-e") == 0 || strcmp(argv[i], "-") == 0) {
            bool e = argv[i][1] == 'e';
            if (e && i + 1 >= argc)
                return usage_error("%s", "-e needs the program's text");
            rc = take_inline_source(d, argv[i], e ? argv[i + 1] : NULL);
            if (rc != 0)
                return rc;
            i += e ? 2 : 1;
            break;   /* the rest are the program's arguments */
        }
        if (!is_source_operand(argv[i]))
            break;
        if (add_source(d, argv[i]) != 0)
            return 1;
        i++;
    }
    if (d->sources.n == 0) {
        if (dashdash || i >= argc)
            return usage_error("%s", "run needs source files or a class name");
        if (not_a_source(argv[i]))
            return 1;
        /* run CLASS from the class path */
        d->class_name = argv[i++];
        d->nargs = argc - i;
        d->args = (const char *const *)argv + i;
        return run_program(d);
    }
    d->nargs = argc - i;
    d->args = (const char *const *)argv + i;
    rc = compile_sources(d);
    if (rc != 0)
        return rc;
    if (d->entry == NULL) {
        fflush(stdout);
        fprintf(stderr, "mica: no main function in ");
        for (size_t k = 0; k < d->sources.n; k++)
            fprintf(stderr, "%s%s", k ? ", " : "", d->sources.v[k]);
        fprintf(stderr, "\n");
        return 1;
    }
    d->class_name = d->entry;
    return run_program(d);
}

/* ---- building -------------------------------------------------------------------- */

static int write_class(const char *outdir, const ClassBuf *c)
{
    char *rel = NULL, *path = NULL;
    FILE *f = NULL;
    int rc = -1;
    if (!tk_safe_class_path(c->name)) {
        fflush(stdout);
        fprintf(stderr, "mica: refusing to write class with name '%s'\n", c->name);
        return -1;
    }
    rel = tk_join(c->name, "", ".mcl");
    path = rel ? tk_join(outdir, "/", rel) : NULL;
    if (!path) {
        tk_out_of_memory();
        goto fail;
    }
    char *slash = strrchr(path, '/');
    *slash = 0;
    if (make_dirs(path) != 0) {
        fflush(stdout);
        fprintf(stderr, "mica: cannot create directory %s: %s\n", path, strerror(errno));
        goto fail;
    }
    *slash = '/';
    f = fopen(path, "wb");
    if (!f || fwrite(c->bytes, 1, c->len, f) != c->len) {
        fflush(stdout);
        fprintf(stderr, "mica: cannot write %s: %s\n", path, strerror(errno));
        goto fail;
    }
    if (fclose(f) != 0) {
        f = NULL;
        fflush(stdout);
        fprintf(stderr, "mica: cannot write %s: %s\n", path, strerror(errno));
        goto fail;
    }
    f = NULL;
    rc = 0;
fail:
    if (f)
        fclose(f);
    free(rel);
    free(path);
    return rc;
}

static bool dir_has_sources(const char *dir);
static int add_class_dir(Driver *d, const char *dir);
static int write_archive(Driver *d);

static int cmd_build(Driver *d, int argc, char **argv)
{
    int i = 0;
    int rc = parse_options(d, "build", argc, argv, &i);
    if (rc != 0)
        return rc;
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (!d->outdir && !d->outfile)
        return usage_error("%s", "build needs an output: -d OUTDIR or -o FILE.mar");
    if (d->outdir && d->outfile)
        return usage_error("%s", "build takes one output: -d OUTDIR or -o FILE.mar");
    if (!d->outfile && (d->main_opt || d->resources.n))
        return usage_error("%s", "--main and -r need an archive output (-o FILE.mar)");
    if (i >= argc)
        return usage_error("%s", d->outfile ? "build needs sources or class directories"
                                             : "build needs source files");
    for (; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] != 0)
            return usage_error("options must come before sources: '%s'", argv[i]);
        if (d->outfile && tk_is_dir(argv[i]) && !dir_has_sources(argv[i])) {
            if (add_class_dir(d, argv[i]) != 0)
                return 1;
            continue;
        }
        if (add_source(d, argv[i]) != 0)
            return 1;
    }
    if (d->sources.n) {
        rc = compile_sources(d);
        if (rc != 0)
            return rc;
    }
    if (d->outfile)
        return write_archive(d);
    for (size_t k = 0; k < d->out.n; k++)
        if (write_class(d->outdir, &d->out.v[k]) != 0)
            return 1;
    return 0;
}

/* ---- disassembly ------------------------------------------------------------------- */

static int disasm_archive(const char *path, int argc, char **argv);

static int cmd_disasm(int argc, char **argv)
{
    if (argc == 0)
        return usage_error("%s", "disasm needs class files");
    int status = 0;
    if (tk_ends_with(argv[0], ".mar") && !tk_is_dir(argv[0]))
        return disasm_archive(argv[0], argc - 1, argv + 1);
    for (int i = 0; i < argc; i++) {
        uint8_t *data;
        size_t len;
        if (tk_read_file(argv[i], &data, &len) != 0) {
            fflush(stdout);
            fprintf(stderr, "mica: cannot read %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        CfError err;
        err.msg[0] = 0;
        CfClass *c = cf_read(data, len, argv[i], &err);
        if (!c) {
            fflush(stdout);
            fprintf(stderr, "mica: %s\n", err.msg[0] ? err.msg : "malformed class file");
            status = 1;
        } else {
            if (i > 0)
                putchar('\n');
            cf_disasm(c, stdout);
            cf_class_free(c);
        }
        free(data);
    }
    fflush(stdout);
    return status;
}

/* ---- archives ------------------------------------------------------------------ */

/* A class path entry is an archive when it names a .mar or any regular file. */
static bool cp_is_archive(Driver *d, size_t i)
{
    const char *p = d->cp.v[i];
    struct stat st;
    return tk_ends_with(p, ".mar") || (stat(p, &st) == 0 && S_ISREG(st.st_mode));
}

/* Reads every archive on the class path (for the compiler). Returns 0 or 1
 * after printing why one cannot be read. */
static int open_cp_archives(Driver *d)
{
    if (d->cp.n == 0)
        return 0;
    d->cp_ar = cm_calloc(d->cp.n, sizeof *d->cp_ar);
    if (!d->cp_ar) {
        tk_out_of_memory();
        return 1;
    }
    for (size_t i = 0; i < d->cp.n; i++) {
        if (!cp_is_archive(d, i))
            continue;
        CfError err;
        err.msg[0] = 0;
        d->cp_ar[i] = cf_archive_read_file(d->cp.v[i], &err);
        if (!d->cp_ar[i]) {
            fflush(stdout);
            fprintf(stderr, "mica: %s\n", err.msg);
            d->cp_ar_failed = true;
            return 1;
        }
    }
    return 0;
}

static void close_cp_archives(Driver *d)
{
    if (d->cp_ar)
        for (size_t i = 0; i < d->cp.n; i++)
            cf_archive_free(d->cp_ar[i]);
    free(d->cp_ar);
    d->cp_ar = NULL;
}

/* Adds the classes of package [pkg] in class path archive [i] to d->listed. */
static void cp_list_archive(Driver *d, size_t i, const char *pkg)
{
    const CfArchive *a = d->cp_ar ? d->cp_ar[i] : NULL;
    size_t plen = strlen(pkg);
    for (size_t k = 0; a && k < a->nentries; k++) {
        const char *name = a->entries[k].name;
        if (!cf_archive_is_class_entry(name))
            continue;
        const char *rest = name;
        if (plen) {
            if (strncmp(name, pkg, plen) != 0 || name[plen] != '/')
                continue;
            rest = name + plen + 1;
        }
        if (strchr(rest, '/'))
            continue; /* a subpackage */
        char *cls = cm_malloc(strlen(name) - 3);
        if (!cls) {
            d->oom = true;
            return;
        }
        memcpy(cls, name, strlen(name) - 4);
        cls[strlen(name) - 4] = 0;
        if (tk_strs_has(&d->listed, cls))
            free(cls);
        else if (tk_strs_push_owned(&d->listed, cls) != 0)
            d->oom = true;
    }
}

/* Appends every regular file under [dir] (recursively, sorted by path) whose
 * name passes [want] to [found], as paths relative to [root]. */
static int walk_files(const char *root, const char *rel, bool (*want)(const char *),
                      TkStrs *found)
{
    char *dir = rel[0] ? tk_join(root, "/", rel) : tk_strdup(root);
    if (!dir) {
        tk_out_of_memory();
        return -1;
    }
    DIR *dh = opendir(dir);
    if (!dh) {
        fflush(stdout);
        fprintf(stderr, "mica: cannot read %s: %s\n", dir, strerror(errno));
        free(dir);
        return -1;
    }
    TkStrs names = {0};
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(dh)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
            tk_strs_push(&names, e->d_name) != 0)
            rc = -1;
    closedir(dh);
    if (names.n > 1)
        qsort(names.v, names.n, sizeof *names.v, tk_cmp_str);
    for (size_t i = 0; i < names.n && rc == 0; i++) {
        char *r = rel[0] ? tk_join(rel, "/", names.v[i]) : tk_strdup(names.v[i]);
        char *full = r ? tk_join(root, "/", r) : NULL;
        if (!full) {
            free(r);
            rc = -1;
            break;
        }
        if (tk_is_dir(full)) {
            rc = walk_files(root, r, want, found);
            free(r);
        } else if (want(r)) {
            rc = tk_strs_push_owned(found, r);
        } else {
            free(r);
        }
        free(full);
    }
    if (rc != 0 && !names.n)
        tk_out_of_memory();
    tk_strs_free(&names);
    free(dir);
    return rc;
}

static bool want_class(const char *rel)
{
    return tk_ends_with(rel, ".mcl");
}

static bool want_any(const char *rel)
{
    return true;
}

static bool want_source(const char *rel)
{
    return tk_ends_with(rel, ".mica");
}

/* Takes the class files under class directory [dir] into d->classes_in. */
static int add_class_dir(Driver *d, const char *dir)
{
    TkStrs files = {0};
    int rc = walk_files(dir, "", want_class, &files);
    for (size_t i = 0; i < files.n && rc == 0; i++) {
        char *path = tk_join(dir, "/", files.v[i]);
        uint8_t *bytes;
        size_t len;
        if (!path || tk_read_file(path, &bytes, &len) != 0) {
            fflush(stdout);
            fprintf(stderr, "mica: cannot read %s: %s\n", path ? path : files.v[i],
                    strerror(path ? errno : ENOMEM));
            free(path);
            rc = -1;
            break;
        }
        CfError err;
        CfClass *c = cf_read(bytes, len, path, &err);
        free(path);
        if (!c) {
            free(bytes);
            fflush(stdout);
            fprintf(stderr, "mica: %s\n", err.msg);
            rc = -1;
            break;
        }
        const char *name = cf_this_name(c);
        char *want = tk_strdup(files.v[i]);
        if (want)
            want[strlen(want) - 4] = 0;
        bool ok = name && want && strcmp(name, want) == 0;
        if (!ok) {
            fflush(stdout);
            fprintf(stderr, "mica: %s/%s declares class %s\n", dir, files.v[i],
                    name ? name : "?");
        }
        cf_class_free(c);
        if (!ok) {
            free(want);
            free(bytes);
            rc = -1;
            break;
        }
        if (!classvec_push(&d->classes_in, want, bytes, len)) {
            tk_out_of_memory();
            rc = -1;
        }
    }
    tk_strs_free(&files);
    return rc;
}

static bool dir_has_sources(const char *dir)
{
    TkStrs found = {0};
    bool any = walk_files(dir, "", want_source, &found) == 0 && found.n > 0;
    tk_strs_free(&found);
    return any;
}

/* Writes d->out, d->classes_in and the resources to the archive d->outfile. */
static int write_archive(Driver *d)
{
    int status = 1;
    CfArEntry *entries = NULL;
    size_t n = 0, cap = d->out.n + d->classes_in.n;
    TkStrs res_names = {0};
    ClassVec res = {0};
    char *main_class = NULL;
    uint8_t *bytes = NULL;
    size_t len = 0;
    CfArManifest m;
    memset(&m, 0, sizeof m);
    for (size_t r = 0; r < d->resources.n; r++) {
        TkStrs files = {0};
        if (walk_files(d->resources.v[r], "", want_any, &files) != 0) {
            tk_strs_free(&files);
            goto fail;
        }
        for (size_t i = 0; i < files.n; i++) {
            char *path = tk_join(d->resources.v[r], "/", files.v[i]);
            uint8_t *data;
            size_t dlen;
            if (!path || tk_read_file(path, &data, &dlen) != 0) {
                fflush(stdout);
                fprintf(stderr, "mica: cannot read %s: %s\n", path ? path : files.v[i],
                        strerror(path ? errno : ENOMEM));
                free(path);
                tk_strs_free(&files);
                goto fail;
            }
            free(path);
            if (!classvec_push(&res, tk_strdup(files.v[i]), data, dlen)) {
                tk_out_of_memory();
                tk_strs_free(&files);
                goto fail;
            }
        }
        tk_strs_free(&files);
    }
    cap += res.n;
    entries = cm_calloc(cap ? cap : 1, sizeof *entries);
    if (!entries) {
        tk_out_of_memory();
        goto fail;
    }
    const ClassVec *groups[2] = {&d->out, &d->classes_in};
    for (int g = 0; g < 2; g++) {
        for (size_t i = 0; i < groups[g]->n; i++) {
            const ClassBuf *c = &groups[g]->v[i];
            char *name = tk_join(c->name, "", ".mcl");
            if (!name || tk_strs_push_owned(&res_names, name) != 0) {
                tk_out_of_memory();
                goto fail;
            }
            entries[n++] = (CfArEntry){res_names.v[res_names.n - 1], c->bytes, c->len};
        }
    }
    for (size_t i = 0; i < res.n; i++)
        entries[n++] = (CfArEntry){res.v[i].name, res.v[i].bytes, res.v[i].len};
    if (d->main_opt) {
        main_class = tk_strdup(d->main_opt);
        if (!main_class) {
            tk_out_of_memory();
            goto fail;
        }
        for (char *p = main_class; *p; p++)
            if (*p == '.')
                *p = '/';
        char *entry = tk_join(main_class, "", ".mcl");
        bool found = false;
        for (size_t i = 0; entry && i < n; i++)
            found |= strcmp(entries[i].name, entry) == 0;
        free(entry);
        if (!found) {
            fflush(stdout);
            fprintf(stderr, "mica: main class %s is not among the classes built\n", d->main_opt);
            goto fail;
        }
    } else if (d->entry) {
        main_class = tk_strdup(d->entry);
    }
    m.main_class = main_class;
    char created_by[] = "mica " MICA_VERSION_STRING;
    m.created_by = created_by;
    TkStrs reqs = {0};
    for (size_t i = 0; i < d->cp.n; i++) {
        if (!cp_is_archive(d, i))
            continue;
        const char *slash = strrchr(d->cp.v[i], '/');
        const char *base = slash ? slash + 1 : d->cp.v[i];
        if (!tk_strs_has(&reqs, base) && tk_strs_push(&reqs, base) != 0) {
            tk_strs_free(&reqs);
            tk_out_of_memory();
            goto fail;
        }
    }
    m.requires = reqs.v;
    m.nrequires = reqs.n;
    CfError err;
    err.msg[0] = 0;
    int wrc = cf_archive_write(&m, entries, n, &bytes, &len, &err);
    tk_strs_free(&reqs);
    if (wrc != 0) {
        fflush(stdout);
        fprintf(stderr, "mica: %s: %s\n", d->outfile, err.msg);
        goto fail;
    }
    FILE *f = fopen(d->outfile, "wb");
    if (!f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0) {
        int e = errno;
        fflush(stdout);
        fprintf(stderr, "mica: cannot write %s: %s\n", d->outfile, strerror(e));
        goto fail;
    }
    status = 0;
fail:
    free(bytes);
    free(main_class);
    free(entries);
    tk_strs_free(&res_names);
    classvec_free(&res);
    return status;
}

/* mica run app.mar [ARGS]: the archive first on the class path, its main class. */
static int run_archive(Driver *d, const char *path)
{
    CfError err;
    err.msg[0] = 0;
    CfArchive *a = cf_archive_read_file(path, &err);
    if (!a) {
        fflush(stdout);
        fprintf(stderr, "mica: %s\n", err.msg);
        return 1;
    }
    if (!a->manifest.main_class) {
        fflush(stdout);
        fprintf(stderr, "mica: %s has no main class (build it with --main pkg.Main, or run "
                "one of its classes with -cp %s pkg.Main)\n", path, path);
        cf_archive_free(a);
        return 1;
    }
    d->entry = tk_strdup(a->manifest.main_class);
    cf_archive_free(a);
    char *p = tk_strdup(path);
    if (!d->entry || !p) {
        free(p);
        tk_out_of_memory();
        return 1;
    }
    /* the archive goes first: it is the program */
    if (tk_strs_push_owned(&d->cp, p) != 0) {
        tk_out_of_memory();
        return 1;
    }
    memmove(&d->cp.v[1], &d->cp.v[0], (d->cp.n - 1) * sizeof *d->cp.v);
    d->cp.v[0] = p;
    d->class_name = d->entry;
    return run_program(d);
}

/* mica disasm app.mar [pkg/Name...]: every class of the archive, or those named. */
static int disasm_archive(const char *path, int argc, char **argv)
{
    CfError err;
    err.msg[0] = 0;
    CfArchive *a = cf_archive_read_file(path, &err);
    if (!a) {
        fflush(stdout);
        fprintf(stderr, "mica: %s\n", err.msg);
        return 1;
    }
    int status = 0;
    bool first = true;
    for (size_t k = 0; k < a->nentries; k++) {
        const CfArEntry *e = &a->entries[k];
        if (!cf_archive_is_class_entry(e->name))
            continue;
        if (argc > 0) {
            bool wanted = false;
            for (int i = 0; i < argc && !wanted; i++) {
                size_t n = strlen(argv[i]);
                wanted = strncmp(e->name, argv[i], n) == 0 && strcmp(e->name + n, ".mcl") == 0;
                for (size_t j = 0; !wanted && j < n && e->name[j]; j++)
                    if (!(argv[i][j] == e->name[j] || (argv[i][j] == '.' && e->name[j] == '/')))
                        break;
                    else if (j + 1 == n)
                        wanted = strcmp(e->name + n, ".mcl") == 0;
            }
            if (!wanted)
                continue;
        }
        char origin[CF_AR_MAX_NAME_LEN + 512];
        snprintf(origin, sizeof origin, "%s:%s", path, e->name);
        CfClass *c = cf_read(e->data, e->len, origin, &err);
        if (!c) {
            fflush(stdout);
            fprintf(stderr, "mica: %s\n", err.msg);
            status = 1;
            continue;
        }
        if (!first)
            putchar('\n');
        first = false;
        cf_disasm(c, stdout);
        cf_class_free(c);
    }
    for (int i = 0; i < argc; i++) {
        char want[CF_AR_MAX_NAME_LEN + 8];
        snprintf(want, sizeof want, "%s", argv[i]);
        for (char *p = want; *p; p++)
            if (*p == '.')
                *p = '/';
        if (!cf_archive_find_class(a, want)) {
            fflush(stdout);
            fprintf(stderr, "mica: %s has no class %s\n", path, argv[i]);
            status = 1;
        }
    }
    fflush(stdout);
    cf_archive_free(a);
    return status;
}

/* ---- verification ----------------------------------------------------------------- */

/* mica verify [-cp PATH]... FILE...: loads and verifies every class of each
 * FILE (.mcl class files, .mar archives, class directories) eagerly, without
 * running any code, and lists every error. */
static int cmd_verify(Driver *d, int argc, char **argv)
{
    int i = 0;
    int rc = parse_options(d, "verify", argc, argv, &i);
    if (rc != 0)
        return rc;
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (i >= argc)
        return usage_error("%s", "verify needs class files, archives or class directories");
    TkStrs names = {0};     /* classes to verify, in order */
    TkStrs origins = {0};   /* where each came from */
    ClassVec files = {0};   /* loose .mcl files, loaded as bytes */
    TkStrs cp = {0};        /* archives and directories verified, then -cp */
    MicaVM *vm = NULL;
    int status = 1;
    for (; i < argc; i++) {
        const char *f = argv[i];
        if (tk_ends_with(f, ".mcl") && !tk_is_dir(f)) {
            uint8_t *bytes;
            size_t len;
            if (tk_read_file(f, &bytes, &len) != 0) {
                fflush(stdout);
                fprintf(stderr, "mica: cannot read %s: %s\n", f, strerror(errno));
                goto done;
            }
            CfError err;
            CfClass *c = cf_read(bytes, len, f, &err);
            if (!c) {
                fflush(stdout);
                fprintf(stderr, "mica: %s\n", err.msg);
                free(bytes);
                status = 1;
                goto done;
            }
            const char *name = cf_this_name(c);
            bool ok = name && tk_strs_push(&names, name) == 0 && tk_strs_push(&origins, f) == 0;
            cf_class_free(c);
            if (!ok || !classvec_push(&files, tk_strdup(f), bytes, len)) {
                tk_out_of_memory();
                goto done;
            }
        } else if (tk_is_dir(f)) {
            TkStrs found = {0};
            if (walk_files(f, "", want_class, &found) != 0) {
                tk_strs_free(&found);
                goto done;
            }
            for (size_t k = 0; k < found.n; k++) {
                char *where = tk_join(f, "/", found.v[k]);
                found.v[k][strlen(found.v[k]) - 4] = 0;
                if (tk_strs_push(&names, found.v[k]) != 0 ||
                    tk_strs_push_owned(&origins, where) != 0) {
                    tk_strs_free(&found);
                    tk_out_of_memory();
                    goto done;
                }
            }
            tk_strs_free(&found);
            if (tk_strs_push(&cp, f) != 0) {
                tk_out_of_memory();
                goto done;
            }
        } else {
            CfError err;
            err.msg[0] = 0;
            CfArchive *a = cf_archive_read_file(f, &err);
            if (!a) {
                fflush(stdout);
                fprintf(stderr, "mica: %s\n", err.msg);
                goto done;
            }
            for (size_t k = 0; k < a->nentries; k++) {
                char *e = a->entries[k].name;
                if (!cf_archive_is_class_entry(e))
                    continue;
                char *where = tk_join(f, ":", e);
                e[strlen(e) - 4] = 0;
                if (tk_strs_push(&names, e) != 0 || tk_strs_push_owned(&origins, where) != 0) {
                    cf_archive_free(a);
                    tk_out_of_memory();
                    goto done;
                }
            }
            cf_archive_free(a);
            if (tk_strs_push(&cp, f) != 0) {
                tk_out_of_memory();
                goto done;
            }
        }
    }
    for (size_t k = 0; k < d->cp.n; k++)
        if (tk_strs_push(&cp, d->cp.v[k]) != 0) {
            tk_out_of_memory();
            goto done;
        }
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.classpath = (const char *const *)cp.v;
    cfg.nclasspath = cp.n;
    cfg.allow_native = true; /* bindings are checked, not called */
    if (mica_vm_new(&cfg, &vm) != MICA_OK) {
        fflush(stdout);
        fprintf(stderr, "mica: cannot create the virtual machine\n");
        goto done;
    }
    for (size_t k = 0; k < files.n; k++) {
        MicaStatus st =
            mica_load_bytes_from(vm, files.v[k].bytes, files.v[k].len, files.v[k].name);
        if (st != MICA_OK) {
            fflush(stdout);
            fprintf(stderr, "mica: %s: %s\n", files.v[k].name, mica_last_error(vm));
            goto done;
        }
    }
    size_t nerrors = 0;
    for (size_t k = 0; k < names.n; k++) {
        if (mica_verify_class(vm, names.v[k]) != MICA_OK) {
            nerrors++;
            fflush(stdout);
            const char *msg = mica_last_error(vm);
            /* messages from archives and files name them already */
            if (strncmp(msg, origins.v[k], strlen(origins.v[k])) == 0)
                fprintf(stderr, "mica: %s\n", msg);
            else
                fprintf(stderr, "mica: %s: %s\n", origins.v[k], msg);
        }
    }
    printf("%zu class%s verified, %zu error%s\n", names.n, names.n == 1 ? "" : "es",
           nerrors, nerrors == 1 ? "" : "s");
    fflush(stdout);
    status = nerrors ? 1 : 0;
done:
    mica_vm_free(vm);
    tk_strs_free(&names);
    tk_strs_free(&origins);
    tk_strs_free(&cp);
    classvec_free(&files);
    return status;
}

/* ---- main -------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    if (argc < 2 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
        return mica_cmd_repl(0, argv + 1);
    if (argc < 2)
        return usage_error("%s", "missing command");
    int sargc = 0;
    char **sargv = mica_shorthand(argc, argv, &sargc);
    if (sargv) {
        argc = sargc;
        argv = sargv;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "help") == 0 && argc >= 3 && mica_print_command_help(argv[2]))
        return 0;
    if (argc >= 3 && mica_is_help_flag(argv[2]) && mica_print_command_help(cmd))
        return 0;
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs("mica " MICA_VERSION_STRING ": compile and run Mica programs.\n\n", stdout);
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0 ||
        strcmp(cmd, "-version") == 0) {
        printf("mica %s (class file version %d.%d)\n", MICA_VERSION_STRING, CF_MAJOR, CF_MINOR);
        return 0;
    }
    if (strcmp(cmd, "disasm") == 0)
        return cmd_disasm(argc - 2, argv + 2);
    if (strcmp(cmd, "test") == 0)
        return mica_cmd_test(argc - 2, argv + 2);
    if (strcmp(cmd, "repl") == 0)
        return mica_cmd_repl(argc - 2, argv + 2);

    Driver d;
    memset(&d, 0, sizeof d);
    int rc;
    if (strcmp(cmd, "run") == 0)
        rc = cmd_run(&d, argc - 2, argv + 2);
    else if (strcmp(cmd, "build") == 0)
        rc = cmd_build(&d, argc - 2, argv + 2);
    else if (strcmp(cmd, "verify") == 0)
        rc = cmd_verify(&d, argc - 2, argv + 2);
    else if (not_a_source(cmd))
        rc = 1;
    else if (cmd[0] == '-')
        rc = usage_error("unknown option '%s'", cmd);
    else
        rc = usage_error("unknown command '%s'", cmd);
    tk_strs_free(&d.cp);
    tk_strs_free(&d.sources);
    tk_strs_free(&d.listed);
    tk_strs_free(&d.read_dirs);
    tk_strs_free(&d.write_dirs);
    classvec_free(&d.deps);
    classvec_free(&d.out);
    free(d.entry);
    free(d.inline_text);
    free(sargv);
    close_cp_archives(&d);
    tk_strs_free(&d.resources);
    classvec_free(&d.classes_in);
    return rc;
}
