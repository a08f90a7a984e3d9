/* tools/mica.c: the `mica` command: run, build and disassemble Mica programs. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "classfile.h"
#include "compiler.h"
#include "mica.h"

#define EXIT_USAGE 2
#define EXIT_LIMIT 3

/* A growable list of owned strings. */
typedef struct StrVec {
    char **v;
    size_t n, cap;
} StrVec;

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
    StrVec cp;            /* class path directories, in search order     */
    bool allow_native;
    size_t max_heap;      /* run: --max-heap in bytes, 0 none              */
    uint64_t max_time_ms; /* run: --max-time, 0 none                       */
    const char *max_time_text;     /* as the user wrote it, for the message */
    uint64_t max_steps;   /* run: --max-steps, 0 none                      */
    const char *outdir;   /* build: where .mcl files go                   */
    StrVec sources;       /* source file paths as shown in diagnostics    */
    const char *class_name;        /* the class whose main runs (borrowed) */
    char *entry;                   /* the compiler's entry point (owned)  */
    int nargs;                     /* program arguments                   */
    const char *const *args;
    ClassVec deps;        /* class path files read for the compiler       */
    ClassVec out;         /* classes the compiler produced                */
    StrVec listed;        /* scratch for the list callback                */
    bool oom;
} Driver;

/* ---- small utilities ------------------------------------------------------ */

static void out_of_memory(void)
{
    fflush(stdout);
    fprintf(stderr, "mica: out of memory\n");
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    if (p)
        memcpy(p, s, n + 1);
    return p;
}

/* Returns a malloc'd "a" + "sep" + "b"; NULL on out of memory. */
static char *join_path(const char *a, const char *sep, const char *b)
{
    size_t na = strlen(a), ns = strlen(sep), nb = strlen(b);
    char *p = malloc(na + ns + nb + 1);
    if (!p)
        return NULL;
    memcpy(p, a, na);
    memcpy(p + na, sep, ns);
    memcpy(p + na + ns, b, nb + 1);
    return p;
}

/* Takes ownership of [s] (frees it on failure). 0 or -1. */
static int strvec_push_owned(StrVec *sv, char *s)
{
    if (!s)
        return -1;
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 8;
        char **v = realloc(sv->v, cap * sizeof *v);
        if (!v) {
            free(s);
            return -1;
        }
        sv->v = v;
        sv->cap = cap;
    }
    sv->v[sv->n++] = s;
    return 0;
}

static int strvec_push(StrVec *sv, const char *s)
{
    return strvec_push_owned(sv, dup_str(s));
}

static bool strvec_has(const StrVec *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return true;
    return false;
}

static void strvec_clear(StrVec *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    sv->n = 0;
}

static void strvec_free(StrVec *sv)
{
    strvec_clear(sv);
    free(sv->v);
    sv->v = NULL;
    sv->cap = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Takes ownership of [name] and [bytes] (frees them on failure). */
static ClassBuf *classvec_push(ClassVec *cv, char *name, uint8_t *bytes, size_t len)
{
    if (!name)
        goto fail;
    if (cv->n == cv->cap) {
        size_t cap = cv->cap ? cv->cap * 2 : 16;
        ClassBuf *v = realloc(cv->v, cap * sizeof *v);
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

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Reads the whole file at [path] into a malloc'd buffer (with a NUL after
 * the last byte, not counted in *[len]). Returns 0, or -1 with errno set. */
static int read_file(const char *path, uint8_t **data, size_t *len)
{
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    int saved = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    for (;;) {
        if (cap - n < 4096 + 1) {
            size_t ncap = cap ? cap * 2 : 8192;
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) {
                saved = ENOMEM;
                goto fail;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                saved = errno ? errno : EIO;
                goto fail;
            }
            break;
        }
    }
    fclose(f);
    buf[n] = 0;
    *data = buf;
    *len = n;
    return 0;
fail:
    fclose(f);
    free(buf);
    errno = saved;
    return -1;
}

/* mkdir -p for [path]. 0, or -1 with errno set. */
static int make_dirs(const char *path)
{
    char *p = dup_str(path);
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

/* A class name from a program or a source: refuse names that would escape
 * the directory they are looked up in. */
static bool safe_class_path(const char *name)
{
    if (name[0] == 0 || name[0] == '/')
        return false;
    for (const char *s = name; *s; s++) {
        if (s[0] == '.' && s[1] == '.')
            return false;
        if (s[0] == '\\')
            return false;
    }
    return true;
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
    "  mica disasm FILE.mcl...\n"
    "      Print a listing of class files.\n"
    "  mica --version        Print the version of mica and of its class files.\n"
    "  mica --help           Print this help.\n"
    "\n"
    "options:\n"
    "  -cp DIR[:DIR...]      Search these directories for pkg/Name.mcl (repeatable);\n"
    "                        std.* classes come only from the embedded library.\n"
    "  --allow-native        Let non-standard classes bind native functions.\n"
    "  --max-heap=SIZE       Cap the heap (64m, 512k, 1g): beyond it OutOfMemoryError.\n"
    "  --max-time=TIME       Stop the program after TIME (2s, 500ms, 1m); exit status 3.\n"
    "  --max-steps=N         Stop it after N loop iterations and calls; exit status 3.\n"
    "  -d OUTDIR             Output directory of `mica build`.\n"
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
            "       mica disasm FILE.mcl...\n"
            "       mica --version | --help\n");
    return EXIT_USAGE;
}

/* ---- the compiler's class path ---------------------------------------------- */

static const uint8_t *cp_find(void *ud, const char *internal_name, size_t *len)
{
    Driver *d = ud;
    if (!safe_class_path(internal_name))
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
        char *rel = join_path(internal_name, "", ".mcl");
        char *path = rel ? join_path(d->cp.v[i], "/", rel) : NULL;
        free(rel);
        if (!path) {
            d->oom = true;
            return NULL;
        }
        uint8_t *bytes;
        size_t n;
        int rc = read_file(path, &bytes, &n);
        free(path);
        if (rc != 0)
            continue;
        ClassBuf *b = classvec_push(&d->deps, dup_str(internal_name), bytes, n);
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
    if (!strvec_has(&d->listed, internal_name) && strvec_push(&d->listed, internal_name) != 0)
        d->oom = true;
}

static void cp_list(void *ud, const char *pkg, void (*fn)(void *arg, const char *internal_name),
                    void *arg)
{
    Driver *d = ud;
    strvec_clear(&d->listed);
    if (pkg[0] != 0 && !safe_class_path(pkg))
        return;
    for (size_t i = 0; i < d->cp.n && !mica_std_sealed(pkg); i++) {
        char *dir = pkg[0] ? join_path(d->cp.v[i], "/", pkg) : dup_str(d->cp.v[i]);
        if (!dir) {
            d->oom = true;
            return;
        }
        DIR *dh = opendir(dir);
        if (dh) {
            struct dirent *e;
            while ((e = readdir(dh)) != NULL) {
                if (!ends_with(e->d_name, ".mcl") || e->d_name[0] == '.')
                    continue;
                char *file = join_path(dir, "/", e->d_name);
                bool regular = file && !is_dir(file);
                free(file);
                if (!regular)
                    continue;
                size_t stem = strlen(e->d_name) - 4;
                char *name = malloc(strlen(pkg) + 1 + stem + 1);
                if (!name) {
                    d->oom = true;
                    break;
                }
                if (pkg[0])
                    sprintf(name, "%s/%.*s", pkg, (int)stem, e->d_name);
                else
                    sprintf(name, "%.*s", (int)stem, e->d_name);
                if (strvec_has(&d->listed, name))
                    free(name);
                else if (strvec_push_owned(&d->listed, name) != 0)
                    d->oom = true;
            }
            closedir(dh);
        }
        free(dir);
    }
    mica_std_list(pkg, collect_std_name, d);
    /* The callback may call back into the class path; hand out a stable copy. */
    StrVec names = d->listed;
    d->listed = (StrVec){0};
    if (names.n > 1)
        qsort(names.v, names.n, sizeof *names.v, cmp_str);
    for (size_t i = 0; i < names.n; i++)
        fn(arg, names.v[i]);
    strvec_free(&names);
}

static int collect_class(void *ud, const char *internal_name, const uint8_t *bytes, size_t len)
{
    Driver *d = ud;
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) {
        d->oom = true;
        return -1;
    }
    memcpy(copy, bytes, len);
    if (!classvec_push(&d->out, dup_str(internal_name), copy, len)) {
        d->oom = true;
        return -1;
    }
    return 0;
}

/* ---- sources ------------------------------------------------------------------ */

/* Appends every *.mica file under [dir] (recursively) to [found]. */
static int find_sources(const char *dir, StrVec *found)
{
    DIR *dh = opendir(dir);
    if (!dh) {
        fflush(stdout);
        fprintf(stderr, "mica: cannot read %s: %s\n", dir, strerror(errno));
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *path = join_path(dir, "/", e->d_name);
        if (!path) {
            out_of_memory();
            rc = -1;
            break;
        }
        if (is_dir(path)) {
            rc = find_sources(path, found);
            free(path);
            if (rc != 0)
                break;
        } else if (ends_with(e->d_name, ".mica")) {
            if (strvec_push_owned(found, path) != 0) {
                out_of_memory();
                rc = -1;
                break;
            }
        } else {
            free(path);
        }
    }
    closedir(dh);
    return rc;
}

/* Adds source operand [arg]: a .mica file, or a directory of them. */
static int add_source(Driver *d, const char *arg)
{
    if (!is_dir(arg)) {
        if (strvec_push(&d->sources, arg) != 0) {
            out_of_memory();
            return -1;
        }
        return 0;
    }
    /* Drop a trailing slash so that paths read "dir/a.mica", not "dir//a.mica". */
    char *dir = dup_str(arg);
    if (!dir) {
        out_of_memory();
        return -1;
    }
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        dir[--n] = 0;
    StrVec found = {0};
    int rc = find_sources(dir, &found);
    if (rc == 0 && found.n == 0) {
        fflush(stdout);
        fprintf(stderr, "mica: no .mica files in %s\n", arg);
        rc = -1;
    }
    if (rc == 0) {
        if (found.n > 1)
            qsort(found.v, found.n, sizeof *found.v, cmp_str);
        for (size_t i = 0; i < found.n && rc == 0; i++) {
            rc = strvec_push_owned(&d->sources, found.v[i]);
            found.v[i] = NULL;
            if (rc != 0)
                out_of_memory();
        }
    }
    for (size_t i = 0; i < found.n; i++)
        free(found.v[i]);
    free(found.v);
    free(dir);
    return rc;
}

/* Compiles d->sources into d->out. Returns 0 or the exit status. */
static int compile_sources(Driver *d)
{
    int status = 1;
    size_t n = d->sources.n;
    CcSource *srcs = calloc(n ? n : 1, sizeof *srcs);
    if (!srcs) {
        out_of_memory();
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        uint8_t *text;
        size_t len;
        if (read_file(d->sources.v[i], &text, &len) != 0) {
            fflush(stdout);
            fprintf(stderr, "mica: cannot read %s: %s\n", d->sources.v[i], strerror(errno));
            goto fail;
        }
        srcs[i].path = d->sources.v[i];
        srcs[i].text = (const char *)text;
        srcs[i].len = len;
    }
    CcClassPath cp = {.ud = d, .find = cp_find, .list = cp_list};
    CcOptions opt = {.diag = stderr, .max_errors = 0, .no_implicit_std = false};
    CcResult res;
    memset(&res, 0, sizeof res);
    fflush(stdout);
    int nerrors = cc_compile(srcs, n, &cp, &opt, collect_class, d, &res);
    if (d->oom) {
        out_of_memory();
        goto fail;
    }
    if (nerrors != 0)
        goto fail;
    res.main_class[sizeof res.main_class - 1] = 0;
    if (res.main_class[0]) {
        d->entry = dup_str(res.main_class);
        if (!d->entry) {
            out_of_memory();
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
    const char *s = arg;
    for (;;) {
        const char *colon = strchr(s, ':');
        size_t n = colon ? (size_t)(colon - s) : strlen(s);
        if (n > 0) {
            char *dir = malloc(n + 1);
            if (!dir) {
                out_of_memory();
                return -1;
            }
            memcpy(dir, s, n);
            dir[n] = 0;
            while (n > 1 && dir[n - 1] == '/')
                dir[--n] = 0;
            if (strvec_push_owned(&d->cp, dir) != 0) {
                out_of_memory();
                return -1;
            }
        }
        if (!colon)
            break;
        s = colon + 1;
    }
    return 0;
}

/* Parses a decimal number with an optional unit into *[out]: sizes take
 * k/m/g (binary), times ms/s/m/h (as milliseconds; a bare number is seconds),
 * counts nothing. [kind] says which ("k", "ms" or ""). */
static int parse_quantity(const char *s, const char *kind, uint64_t *out)
{
    if (*s < '0' || *s > '9')
        return -1;
    uint64_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    uint64_t mul = 1;
    if (strcmp(kind, "k") == 0) {
        mul = !*s ? 1 : (strcmp(s, "k") == 0 || strcmp(s, "K") == 0) ? 1024u
            : (strcmp(s, "m") == 0 || strcmp(s, "M") == 0) ? 1024u * 1024u
            : (strcmp(s, "g") == 0 || strcmp(s, "G") == 0) ? 1024u * 1024u * 1024u : 0;
    } else if (strcmp(kind, "ms") == 0) {
        mul = (!*s || strcmp(s, "s") == 0) ? 1000u : strcmp(s, "ms") == 0 ? 1u
            : strcmp(s, "m") == 0 ? 60000u : strcmp(s, "h") == 0 ? 3600000u : 0;
    } else if (*s) {
        mul = 0;
    }
    if (mul == 0 || v > UINT64_MAX / mul)
        return -1;
    *out = v * mul;
    return 0;
}

/* Parses the options of run/build starting at argv[*i]; stops at the first
 * operand or after "--" (which is left in place for run to see). Returns 0,
 * EXIT_USAGE or 1. */
static int parse_options(Driver *d, const char *cmd, int argc, char **argv, int *i)
{
    while (*i < argc) {
        const char *a = argv[*i];
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
        } else if (strcmp(cmd, "run") == 0 && strncmp(a, "--max-heap=", 11) == 0) {
            uint64_t v;
            if (parse_quantity(a + 11, "k", &v) != 0 || v == 0 || v > SIZE_MAX)
                return usage_error("bad heap size in '%s' (e.g. --max-heap=64m)", a);
            d->max_heap = (size_t)v;
            *i += 1;
        } else if (strcmp(cmd, "run") == 0 && strncmp(a, "--max-time=", 11) == 0) {
            if (parse_quantity(a + 11, "ms", &d->max_time_ms) != 0 || d->max_time_ms == 0)
                return usage_error("bad time in '%s' (e.g. --max-time=2s)", a);
            d->max_time_text = a + 11;
            *i += 1;
        } else if (strcmp(cmd, "run") == 0 && strncmp(a, "--max-steps=", 12) == 0) {
            if (parse_quantity(a + 12, "", &d->max_steps) != 0 || d->max_steps == 0)
                return usage_error("bad step count in '%s'", a);
            *i += 1;
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
    return ends_with(a, ".mica") || is_dir(a);
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

static int run_program(Driver *d)
{
    MicaConfig cfg;
    MicaVM *vm = NULL;
    int status = 1;
    mica_config_init(&cfg);
    cfg.classpath = (const char *const *)d->cp.v;
    cfg.nclasspath = d->cp.n;
    cfg.allow_native = d->allow_native;
    cfg.max_heap_bytes = d->max_heap;
    cfg.max_time_ms = d->max_time_ms;
    cfg.max_steps = d->max_steps;
    MicaStatus st = mica_vm_new(&cfg, &vm);
    if (st != MICA_OK) {
        fflush(stdout);
        fprintf(stderr, "mica: cannot create the virtual machine\n");
        return 1;
    }
    for (size_t i = 0; i < d->out.n; i++) {
        st = mica_load_bytes(vm, d->out.v[i].bytes, d->out.v[i].len);
        if (st != MICA_OK) {
            status = report_vm_failure(vm, st);
            goto fail;
        }
    }
    int exit_code = 0;
    st = mica_run_main(vm, d->class_name, d->nargs, d->args, &exit_code);
    fflush(stdout);
    if (st == MICA_OK) {
        status = 0;
    } else if (st == MICA_ERR_EXIT) {
        status = exit_code;
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

static int cmd_run(Driver *d, int argc, char **argv)
{
    int i = 0;
    int rc = parse_options(d, "run", argc, argv, &i);
    if (rc != 0)
        return rc;
    bool dashdash = false;
    while (i < argc) {
        if (strcmp(argv[i], "--") == 0) {
            dashdash = true;
            i++;
            break;
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
    if (!safe_class_path(c->name)) {
        fflush(stdout);
        fprintf(stderr, "mica: refusing to write class with name '%s'\n", c->name);
        return -1;
    }
    rel = join_path(c->name, "", ".mcl");
    path = rel ? join_path(outdir, "/", rel) : NULL;
    if (!path) {
        out_of_memory();
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

static int cmd_build(Driver *d, int argc, char **argv)
{
    int i = 0;
    int rc = parse_options(d, "build", argc, argv, &i);
    if (rc != 0)
        return rc;
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (!d->outdir)
        return usage_error("%s", "build needs an output directory (-d OUTDIR)");
    if (i >= argc)
        return usage_error("%s", "build needs source files");
    for (; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] != 0)
            return usage_error("options must come before sources: '%s'", argv[i]);
        if (add_source(d, argv[i]) != 0)
            return 1;
    }
    rc = compile_sources(d);
    if (rc != 0)
        return rc;
    for (size_t k = 0; k < d->out.n; k++)
        if (write_class(d->outdir, &d->out.v[k]) != 0)
            return 1;
    return 0;
}

/* ---- disassembly ------------------------------------------------------------------- */

static int cmd_disasm(int argc, char **argv)
{
    if (argc == 0)
        return usage_error("%s", "disasm needs class files");
    int status = 0;
    for (int i = 0; i < argc; i++) {
        uint8_t *data;
        size_t len;
        if (read_file(argv[i], &data, &len) != 0) {
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

/* ---- main -------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("%s", "missing command");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs("mica " MICA_VERSION_STRING ": compile and run Mica programs.\n\n", stdout);
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("mica %s (class file version %d.%d)\n", MICA_VERSION_STRING, CF_MAJOR, CF_MINOR);
        return 0;
    }
    if (strcmp(cmd, "disasm") == 0)
        return cmd_disasm(argc - 2, argv + 2);

    Driver d;
    memset(&d, 0, sizeof d);
    int rc;
    if (strcmp(cmd, "run") == 0)
        rc = cmd_run(&d, argc - 2, argv + 2);
    else if (strcmp(cmd, "build") == 0)
        rc = cmd_build(&d, argc - 2, argv + 2);
    else if (cmd[0] == '-')
        rc = usage_error("unknown option '%s'", cmd);
    else
        rc = usage_error("unknown command '%s'", cmd);
    strvec_free(&d.cp);
    strvec_free(&d.sources);
    strvec_free(&d.listed);
    classvec_free(&d.deps);
    classvec_free(&d.out);
    free(d.entry);
    return rc;
}
