/* tools/toolkit.c: shared by the `mica` subcommands test, repl and the profiler
 * (see toolkit.h). */
#include "toolkit.h"
#include "cm_mem.h"

#include "archive.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- small utilities ------------------------------------------------------ */

void tk_out_of_memory(void)
{
    fflush(stdout);
    fprintf(stderr, "mica: out of memory\n");
}

char *tk_strdup(const char *s)
{
    size_t n = strlen(s);
    char *p = cm_malloc(n + 1);
    if (p)
        memcpy(p, s, n + 1);
    return p;
}

char *tk_join(const char *a, const char *b, const char *c)
{
    size_t na = strlen(a), nb = strlen(b), nc = strlen(c);
    char *p = cm_malloc(na + nb + nc + 1);
    if (!p)
        return NULL;
    memcpy(p, a, na);
    memcpy(p + na, b, nb);
    memcpy(p + na + nb, c, nc + 1);
    return p;
}

int tk_strs_push_owned(TkStrs *sv, char *s)
{
    if (!s)
        return -1;
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 8;
        char **v = cm_realloc(sv->v, cap * sizeof *v);
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

int tk_strs_push(TkStrs *sv, const char *s)
{
    return tk_strs_push_owned(sv, tk_strdup(s));
}

bool tk_strs_has(const TkStrs *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return true;
    return false;
}

void tk_strs_clear(TkStrs *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    sv->n = 0;
}

void tk_strs_free(TkStrs *sv)
{
    tk_strs_clear(sv);
    free(sv->v);
    sv->v = NULL;
    sv->cap = 0;
}

int tk_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int tk_classes_push(TkClasses *cv, const char *name, const uint8_t *bytes, size_t len)
{
    if (cv->n == cv->cap) {
        size_t cap = cv->cap ? cv->cap * 2 : 16;
        TkClass *v = cm_realloc(cv->v, cap * sizeof *v);
        if (!v)
            return -1;
        cv->v = v;
        cv->cap = cap;
    }
    char *n = tk_strdup(name);
    uint8_t *b = cm_malloc(len ? len : 1);
    if (!n || !b) {
        free(n);
        free(b);
        return -1;
    }
    memcpy(b, bytes, len);
    cv->v[cv->n++] = (TkClass){n, b, len};
    return 0;
}

void tk_classes_free(TkClasses *cv)
{
    for (size_t i = 0; i < cv->n; i++) {
        free(cv->v[i].name);
        free(cv->v[i].bytes);
    }
    free(cv->v);
    cv->v = NULL;
    cv->n = cv->cap = 0;
}

void tk_session_free(TkSession *s)
{
    for (size_t i = 0; s->ars && i < s->cp.n; i++)
        cf_archive_free(s->ars[i]);
    free(s->ars);
    free(s->ar_failed);
    s->ars = NULL;
    s->ar_failed = NULL;
    tk_strs_free(&s->cp);
    tk_strs_free(&s->listed);
    tk_classes_free(&s->deps);
    tk_classes_free(&s->mem);
}

bool tk_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool tk_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int tk_read_file(const char *path, uint8_t **data, size_t *len)
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
            uint8_t *nb = cm_realloc(buf, ncap);
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

/* A class name must not escape the directory it is looked up in. */
bool tk_safe_class_path(const char *name)
{
    if (name[0] == 0 || name[0] == '/')
        return false;
    for (const char *s = name; *s; s++)
        if ((s[0] == '.' && s[1] == '.') || s[0] == '\\')
            return false;
    return true;
}

/* ---- options ---------------------------------------------------------------- */

static int usage(const char *fmt, const char *arg)
{
    fflush(stdout);
    fprintf(stderr, "mica: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see mica --help)\n");
    return TK_EXIT_USAGE;
}

int tk_add_classpath(TkStrs *cp, const char *arg)
{
    for (const char *p = arg;;) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        if (n > 0) {
            char *dir = cm_malloc(n + 1);
            if (!dir)
                return -1;
            memcpy(dir, p, n);
            dir[n] = 0;
            while (n > 1 && dir[n - 1] == '/')
                dir[--n] = 0;
            if (tk_strs_push_owned(cp, dir) != 0)
                return -1;
        }
        if (!colon)
            return 0;
        p = colon + 1;
    }
}

int tk_parse_quantity(const char *s, const char *kind, uint64_t *out)
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

int tk_parse_option(TkSession *s, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (strcmp(a, "-cp") == 0 || strcmp(a, "--class-path") == 0 || strcmp(a, "-classpath") == 0) {
        if (*i + 1 >= argc)
            return usage("option %s needs a directory", a);
        if (tk_add_classpath(&s->cp, argv[*i + 1]) != 0) {
            tk_out_of_memory();
            return 1;
        }
        *i += 2;
        return 1;
    }
    if (strncmp(a, "-cp=", 4) == 0) {
        if (tk_add_classpath(&s->cp, a + 4) != 0) {
            tk_out_of_memory();
            return 1;
        }
        *i += 1;
        return 1;
    }
    if (strcmp(a, "--allow-native") == 0) {
        s->allow_native = true;
        *i += 1;
        return 1;
    }
    uint64_t v;
    if (strncmp(a, "--max-heap=", 11) == 0) {
        if (tk_parse_quantity(a + 11, "k", &v) != 0 || v == 0 || v > SIZE_MAX)
            return usage("bad heap size in '%s' (e.g. --max-heap=64m)", a);
        s->max_heap = (size_t)v;
        *i += 1;
        return 1;
    }
    if (strncmp(a, "--max-time=", 11) == 0) {
        if (tk_parse_quantity(a + 11, "ms", &s->max_time_ms) != 0 || s->max_time_ms == 0)
            return usage("bad time in '%s' (e.g. --max-time=2s)", a);
        *i += 1;
        return 1;
    }
    if (strncmp(a, "--max-steps=", 12) == 0) {
        if (tk_parse_quantity(a + 12, "", &v) != 0 || v == 0)
            return usage("bad step count in '%s'", a);
        s->max_steps = v;
        *i += 1;
        return 1;
    }
    return 0;
}

/* ---- sources ------------------------------------------------------------------ */

static int find_sources(const char *dir, TkStrs *found)
{
    DIR *dh = opendir(dir);
    if (!dh) {
        fflush(stdout);
        fprintf(stderr, "mica: cannot read %s: %s\n", dir, strerror(errno));
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *path = tk_join(dir, "/", e->d_name);
        if (!path) {
            tk_out_of_memory();
            rc = -1;
        } else if (tk_is_dir(path)) {
            rc = find_sources(path, found);
            free(path);
        } else if (tk_ends_with(e->d_name, ".mica")) {
            if (tk_strs_push_owned(found, path) != 0) {
                tk_out_of_memory();
                rc = -1;
            }
        } else {
            free(path);
        }
    }
    closedir(dh);
    return rc;
}

int tk_add_sources(TkStrs *sources, const char *arg)
{
    if (!tk_is_dir(arg)) {
        if (tk_strs_push(sources, arg) != 0) {
            tk_out_of_memory();
            return -1;
        }
        return 0;
    }
    char *dir = tk_strdup(arg);
    if (!dir) {
        tk_out_of_memory();
        return -1;
    }
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        dir[--n] = 0;
    TkStrs found = {0};
    int rc = find_sources(dir, &found);
    if (rc == 0 && found.n == 0) {
        fflush(stdout);
        fprintf(stderr, "mica: no .mica files in %s\n", arg);
        rc = -1;
    }
    if (rc == 0 && found.n > 1)
        qsort(found.v, found.n, sizeof *found.v, tk_cmp_str);
    for (size_t i = 0; i < found.n && rc == 0; i++) {
        rc = tk_strs_push_owned(sources, found.v[i]);
        found.v[i] = NULL;
        if (rc != 0)
            tk_out_of_memory();
    }
    for (size_t i = 0; i < found.n; i++)
        free(found.v[i]);
    free(found.v);
    free(dir);
    return rc;
}

/* ---- the compiler's class path ---------------------------------------------- */

static const TkClass *classes_find(const TkClasses *cv, const char *name)
{
    for (size_t i = cv->n; i-- > 0;)   /* the latest definition wins */
        if (strcmp(cv->v[i].name, name) == 0)
            return &cv->v[i];
    return NULL;
}

/* The archive at class path entry [i], or NULL (a directory, or unreadable: said once). */
static CfArchive *cp_archive(TkSession *s, size_t i)
{
    if (!tk_ends_with(s->cp.v[i], ".mar") || tk_is_dir(s->cp.v[i]))
        return NULL;
    if (!s->ars) {
        s->ars = cm_calloc(s->cp.n, sizeof *s->ars);
        s->ar_failed = cm_calloc(s->cp.n, sizeof *s->ar_failed);
        if (!s->ars || !s->ar_failed) {
            s->oom = true;
            return NULL;
        }
    }
    if (!s->ars[i] && !s->ar_failed[i]) {
        CfError err;
        err.msg[0] = 0;
        s->ars[i] = cf_archive_read_file(s->cp.v[i], &err);
        if (!s->ars[i]) {
            s->ar_failed[i] = true;
            fflush(stdout);
            fprintf(stderr, "mica: %s\n", err.msg[0] ? err.msg : "cannot read archive");
        }
    }
    return s->ars[i];
}

static const uint8_t *cp_find(void *ud, const char *internal_name, size_t *len)
{
    TkSession *s = ud;
    if (!tk_safe_class_path(internal_name))
        return NULL;
    if (mica_std_sealed(internal_name))
        return mica_std_class(internal_name, len);
    const TkClass *c = classes_find(&s->mem, internal_name);
    if (!c)
        c = classes_find(&s->deps, internal_name);
    if (c) {
        *len = c->len;
        return c->bytes;
    }
    for (size_t i = 0; i < s->cp.n; i++) {
        CfArchive *ar = cp_archive(s, i);
        if (ar) {
            const CfArEntry *e = cf_archive_find_class(ar, internal_name);
            if (e) {
                *len = e->len;
                return e->data;
            }
            continue;
        }
        char *path = tk_join(s->cp.v[i], "/", internal_name);
        char *file = path ? tk_join(path, "", ".mcl") : NULL;
        free(path);
        if (!file) {
            s->oom = true;
            return NULL;
        }
        uint8_t *bytes;
        size_t n;
        int rc = tk_read_file(file, &bytes, &n);
        free(file);
        if (rc != 0)
            continue;
        rc = tk_classes_push(&s->deps, internal_name, bytes, n);
        free(bytes);
        if (rc != 0) {
            s->oom = true;
            return NULL;
        }
        *len = s->deps.v[s->deps.n - 1].len;
        return s->deps.v[s->deps.n - 1].bytes;
    }
    return mica_std_class(internal_name, len);
}

static void listed_add(TkSession *s, const char *name)
{
    if (!tk_strs_has(&s->listed, name) && tk_strs_push(&s->listed, name) != 0)
        s->oom = true;
}

static void collect_std_name(void *arg, const char *internal_name)
{
    listed_add(arg, internal_name);
}

/* Is [name] a class directly in package [pkg] ("" for the unnamed one)? */
static bool in_package(const char *name, const char *pkg)
{
    const char *slash = strrchr(name, '/');
    size_t plen = slash ? (size_t)(slash - name) : 0;
    return plen == strlen(pkg) && strncmp(name, pkg, plen) == 0;
}

static void cp_list(void *ud, const char *pkg, void (*fn)(void *arg, const char *internal_name),
                    void *arg)
{
    TkSession *s = ud;
    for (size_t i = 0; i < s->listed.n; i++)
        free(s->listed.v[i]);
    s->listed.n = 0;
    if (pkg[0] != 0 && !tk_safe_class_path(pkg))
        return;
    /* Classes compiled earlier come first, the latest first: where two define the
     * same function, the compiler takes the first it sees (the REPL's redefinitions). */
    TkStrs recent = {0};
    for (size_t i = s->mem.n; !mica_std_sealed(pkg) && i-- > 0;)
        if (in_package(s->mem.v[i].name, pkg) && !tk_strs_has(&recent, s->mem.v[i].name) &&
            tk_strs_push(&recent, s->mem.v[i].name) != 0)
            s->oom = true;
    if (!mica_std_sealed(pkg)) {
        for (size_t i = 0; i < s->cp.n; i++) {
            CfArchive *ar = cp_archive(s, i);
            for (size_t k = 0; ar && k < ar->nentries; k++) {
                const char *n = ar->entries[k].name;
                if (!cf_archive_is_class_entry(n))
                    continue;
                char *name = tk_strdup(n);
                if (!name) {
                    s->oom = true;
                    break;
                }
                name[strlen(name) - 4] = 0;   /* drop .mcl */
                if (in_package(name, pkg) && !tk_strs_has(&recent, name))
                    listed_add(s, name);
                free(name);
            }
            if (ar || (tk_ends_with(s->cp.v[i], ".mar") && !tk_is_dir(s->cp.v[i])))
                continue;
            char *dir = pkg[0] ? tk_join(s->cp.v[i], "/", pkg) : tk_strdup(s->cp.v[i]);
            if (!dir) {
                s->oom = true;
                break;
            }
            DIR *dh = opendir(dir);
            struct dirent *e;
            while (dh && (e = readdir(dh)) != NULL) {
                if (!tk_ends_with(e->d_name, ".mcl") || e->d_name[0] == '.')
                    continue;
                size_t stem = strlen(e->d_name) - 4;
                char *name = cm_malloc(strlen(pkg) + 1 + stem + 1);
                if (!name) {
                    s->oom = true;
                    break;
                }
                if (pkg[0])
                    sprintf(name, "%s/%.*s", pkg, (int)stem, e->d_name);
                else
                    sprintf(name, "%.*s", (int)stem, e->d_name);
                if (!tk_strs_has(&recent, name))
                    listed_add(s, name);
                free(name);
            }
            if (dh)
                closedir(dh);
            free(dir);
        }
    }
    mica_std_list(pkg, collect_std_name, s);
    TkStrs names = s->listed;   /* the callback may call back into the class path */
    s->listed = (TkStrs){0};
    if (names.n > 1)
        qsort(names.v, names.n, sizeof *names.v, tk_cmp_str);
    for (size_t i = 0; i < recent.n; i++)
        fn(arg, recent.v[i]);
    for (size_t i = 0; i < names.n; i++)
        if (!tk_strs_has(&recent, names.v[i]))
            fn(arg, names.v[i]);
    tk_strs_free(&recent);
    tk_strs_free(&names);
}

typedef struct EmitCtx {
    TkClasses *out;
    bool oom;
} EmitCtx;

static int collect_class(void *ud, const char *internal_name, const uint8_t *bytes, size_t len)
{
    EmitCtx *e = ud;
    if (tk_classes_push(e->out, internal_name, bytes, len) != 0) {
        e->oom = true;
        return -1;
    }
    return 0;
}

int tk_compile(TkSession *s, const CcSource *srcs, size_t n, FILE *diag, const CcHooks *hooks,
               TkClasses *out, CcResult *res)
{
    CcClassPath cp = {.ud = s, .find = cp_find, .list = cp_list};
    CcOptions opt = {.diag = diag ? diag : stderr, .max_errors = 0, .no_implicit_std = false};
    EmitCtx e = {out, false};
    fflush(stdout);
    int nerrors = cc_compile_hooks(srcs, n, &cp, &opt, collect_class, &e, res, hooks);
    if (s->oom || e.oom) {
        s->oom = false;
        tk_out_of_memory();
        return -1;
    }
    return nerrors;
}

int tk_compile_files(TkSession *s, const TkStrs *paths, FILE *diag, const CcHooks *hooks,
                     TkClasses *out, CcResult *res)
{
    int rc = 1;
    size_t n = paths->n, read = 0;
    CcSource *srcs = cm_calloc(n ? n : 1, sizeof *srcs);
    if (!srcs) {
        tk_out_of_memory();
        return -1;
    }
    for (; read < n; read++) {
        uint8_t *text;
        size_t len;
        if (tk_read_file(paths->v[read], &text, &len) != 0) {
            fflush(stdout);
            fprintf(stderr, "mica: cannot read %s: %s\n", paths->v[read], strerror(errno));
            goto fail;
        }
        srcs[read] = (CcSource){paths->v[read], (const char *)text, len};
    }
    rc = tk_compile(s, srcs, n, diag, hooks, out, res);
fail:
    for (size_t i = 0; i < read; i++)
        free((void *)srcs[i].text);
    free(srcs);
    return rc;
}

/* ---- VMs ----------------------------------------------------------------------- */

MicaStatus tk_vm_load(MicaVM *vm, const TkClasses *classes, size_t from)
{
    for (size_t i = from; classes && i < classes->n; i++) {
        MicaStatus st = mica_load_bytes(vm, classes->v[i].bytes, classes->v[i].len);
        if (st != MICA_OK)
            return st;
    }
    return MICA_OK;
}

MicaJitMode tk_jit_mode(MicaJitMode given)
{
    if (given != MICA_JIT_DEFAULT)
        return given;
    /* the test suite runs every program a second time with MICA_JIT=always */
    const char *e = getenv("MICA_JIT");
    if (e && strcmp(e, "off") == 0)
        return MICA_JIT_OFF;
    if (e && strcmp(e, "on") == 0)
        return MICA_JIT_ON;
    if (e && strcmp(e, "always") == 0)
        return MICA_JIT_ALWAYS;
    return MICA_JIT_DEFAULT;
}

uint32_t tk_jit_threshold(uint64_t given)
{
    if (given != 0)
        return (uint32_t)given;
    /* the test suite runs the program tests a third time with MICA_JIT=on and a
     * threshold of 2, so that call sites have run before their method compiles */
    const char *e = getenv("MICA_JIT_THRESHOLD");
    if (!e)
        return 0;
    uint64_t n = 0;
    if (tk_parse_quantity(e, "", &n) != 0 || n == 0 || n > UINT32_MAX) {
        fflush(stdout);
        fprintf(stderr, "mica: ignoring MICA_JIT_THRESHOLD=%s: not a count from 1 to 4294967295\n",
                e);
        return 0;
    }
    return (uint32_t)n;
}

MicaVM *tk_vm_new(TkSession *s, const TkClasses *classes)
{
    MicaConfig cfg;
    MicaVM *vm = NULL;
    mica_config_init(&cfg);
    cfg.classpath = (const char *const *)s->cp.v;
    cfg.nclasspath = s->cp.n;
    cfg.allow_native = s->allow_native;
    cfg.max_heap_bytes = s->max_heap;
    cfg.max_time_ms = s->max_time_ms;
    cfg.max_steps = s->max_steps;
    cfg.jit_mode = tk_jit_mode(MICA_JIT_DEFAULT);
    cfg.jit_threshold = tk_jit_threshold(0);
    if (mica_vm_new(&cfg, &vm) != MICA_OK) {
        fflush(stdout);
        fprintf(stderr, "mica: cannot create the virtual machine\n");
        return NULL;
    }
    if (tk_vm_load(vm, classes, 0) != MICA_OK) {
        fflush(stdout);
        fprintf(stderr, "mica: %s\n", mica_last_error(vm));
        mica_vm_free(vm);
        return NULL;
    }
    return vm;
}
