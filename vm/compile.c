/* vm/compile.c: mica_compile: Mica source from the host, compiled against the
 * classes the VM can find and loaded into it, with structured diagnostics. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "cm_mem.h"
#include "compiler.h"

int vm_keep_bytes(MicaVM *vm, const char *name, const void *bytes, size_t n)
{
    VmBytes *b = cm_calloc(1, sizeof *b);
    if (!b || !(b->name = cm_strdup(name)) || !(b->bytes = cm_malloc(n ? n : 1))) {
        if (b)
            free(b->name);
        free(b);
        return -1;
    }
    if (n)
        memcpy(b->bytes, bytes, n);
    b->len = n;
    b->next = vm->api->bytes;
    vm->api->bytes = b;
    return 0;
}

/* Class-path files read during one compilation. */
typedef struct CompileCx {
    MicaVM *vm;
    VmBytes *read;         /* owned copies, freed after compiling */
    MicaStatus status;
    /* names listed for one `list` call */
    char **names;
    size_t nnames, cap;
} CompileCx;

static const uint8_t *find_bytes(void *ud, const char *name, size_t *len)
{
    CompileCx *cx = ud;
    for (VmBytes *b = cx->vm->api->bytes; b; b = b->next)
        if (strcmp(b->name, name) == 0) {
            *len = b->len;
            return b->bytes;
        }
    for (VmBytes *b = cx->read; b; b = b->next)
        if (strcmp(b->name, name) == 0) {
            *len = b->len;
            return b->bytes;
        }
    for (size_t i = 0; i < cx->vm->sources.n; i++) {
        if (cx->vm->sources.v[i].kind != VM_SOURCE_DIR)
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s.mcl", cx->vm->sources.v[i].path, name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        uint8_t *buf = NULL;
        size_t n = 0, cap = 0;
        for (;;) {
            if (n == cap) {
                cap = cap ? cap * 2 : 4096;
                uint8_t *nb = cm_realloc(buf, cap);
                if (!nb)
                    break;
                buf = nb;
            }
            size_t r = fread(buf + n, 1, cap - n, f);
            if (!r)
                break;
            n += r;
        }
        fclose(f);
        VmBytes *b = cm_calloc(1, sizeof *b);
        if (!b || !buf || !(b->name = cm_strdup(name))) {
            free(b);
            free(buf);
            return NULL;
        }
        b->bytes = buf;
        b->len = n;
        b->next = cx->read;
        cx->read = b;
        *len = n;
        return buf;
    }
    return mica_std_class(name, len);
}

static void add_name(void *arg, const char *name)
{
    CompileCx *cx = arg;
    for (size_t i = 0; i < cx->nnames; i++)
        if (strcmp(cx->names[i], name) == 0)
            return;
    if (cx->nnames == cx->cap) {
        size_t cap = cx->cap ? cx->cap * 2 : 32;
        char **nn = cm_realloc(cx->names, cap * sizeof *nn);
        if (!nn)
            return;
        cx->names = nn;
        cx->cap = cap;
    }
    char *d = cm_strdup(name);
    if (d)
        cx->names[cx->nnames++] = d;
}

static bool in_package(const char *name, const char *pkg)
{
    size_t pl = strlen(pkg);
    if (!pl)
        return !strchr(name, '/');
    return strncmp(name, pkg, pl) == 0 && name[pl] == '/' && !strchr(name + pl + 1, '/');
}

static void list_pkg(void *ud, const char *pkg, void (*fn)(void *arg, const char *name),
                     void *arg)
{
    CompileCx *cx = ud;
    for (size_t i = 0; i < cx->nnames; i++)
        free(cx->names[i]);
    cx->nnames = 0;
    for (VmBytes *b = cx->vm->api->bytes; b; b = b->next)
        if (in_package(b->name, pkg))
            add_name(cx, b->name);
    for (size_t i = 0; i < cx->vm->sources.n; i++) {
        if (cx->vm->sources.v[i].kind != VM_SOURCE_DIR)
            continue;
        char dir[2048];
        snprintf(dir, sizeof dir, "%s/%s", cx->vm->sources.v[i].path, pkg);
        DIR *d = opendir(dir);
        if (!d)
            continue;
        for (struct dirent *e; (e = readdir(d));) {
            size_t l = strlen(e->d_name);
            if (l > 4 && strcmp(e->d_name + l - 4, ".mcl") == 0) {
                char name[1024];
                snprintf(name, sizeof name, "%s%s%.*s", pkg, *pkg ? "/" : "", (int)(l - 4),
                         e->d_name);
                add_name(cx, name);
            }
        }
        closedir(d);
    }
    mica_std_list(pkg, add_name, cx);
    /* hand out a snapshot: fn may call back into find */
    size_t n = cx->nnames;
    char **names = cx->names;
    cx->names = NULL;
    cx->nnames = cx->cap = 0;
    for (size_t i = 0; i < n; i++) {
        fn(arg, names[i]);
        free(names[i]);
    }
    free(names);
}

typedef struct Emitted {
    char *name;
    uint8_t *bytes;
    size_t len;
} Emitted;

typedef struct EmitList {
    Emitted *v;
    size_t n, cap;
} EmitList;

static int collect(void *ud, const char *name, const uint8_t *bytes, size_t len)
{
    EmitList *l = ud;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        Emitted *nv = cm_realloc(l->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = cap;
    }
    Emitted *e = &l->v[l->n];
    e->name = cm_strdup(name);
    e->bytes = cm_malloc(len ? len : 1);
    if (!e->name || !e->bytes) {
        free(e->name);
        free(e->bytes);
        return -1;
    }
    memcpy(e->bytes, bytes, len);
    e->len = len;
    l->n++;
    return 0;
}

/* Parses "file:line:col: error: message" lines of the compiler's report. */
static void parse_diags(MicaVM *vm, const char *file, const char *text, size_t n,
                        MicaDiagnostic **out, size_t *nout, VmArena *ar)
{
    size_t fl = strlen(file), cap = 0;
    MicaDiagnostic *d = NULL;
    *nout = 0;
    for (const char *p = text; p < text + n;) {
        const char *eol = memchr(p, '\n', (size_t)(text + n - p));
        if (!eol)
            eol = text + n;
        if ((size_t)(eol - p) > fl && strncmp(p, file, fl) == 0 && p[fl] == ':') {
            int line = 0, col = 0, used = 0;
            if (sscanf(p + fl, ":%d:%d: %n", &line, &col, &used) == 2 && used) {
                const char *msg = p + fl + used;
                if (strncmp(msg, "error: ", 7) == 0)
                    msg += 7;
                if (*nout == cap) {
                    cap = cap ? cap * 2 : 8;
                    MicaDiagnostic *nd = cm_realloc(d, cap * sizeof *nd);
                    if (!nd)
                        break;
                    d = nd;
                }
                d[*nout].file = file;
                d[*nout].line = line;
                d[*nout].column = col;
                d[*nout].message = vm_arena_str(ar, msg, (size_t)(eol - msg));
                (*nout)++;
            }
        }
        p = eol + 1;
    }
    *out = NULL;
    if (*nout) {
        MicaDiagnostic *a = vm_arena_alloc(ar, *nout * sizeof *a);
        if (a)
            memcpy(a, d, *nout * sizeof *a);
        else
            *nout = 0;
        *out = a;
    }
    free(d);
    (void)vm;
}

MicaStatus mica_compile(MicaVM *vm, const char *file_name, const char *src, size_t n)
{
    if (!vm)
        return MICA_ERR_INVALID;
    vm_api_enter(vm);
    if (!src && n)
        return vm_api_invalid(vm, "mica_compile: NULL source");
    if (!file_name)
        file_name = "<source>";
    CompileCx cx = {.vm = vm};
    CcClassPath cp = {.ud = &cx, .find = find_bytes, .list = list_pkg};
    char *report = NULL;
    size_t rlen = 0;
    FILE *diag = open_memstream(&report, &rlen);
    if (!diag) {
        vm_set_error(vm, "out of memory");
        return vm_api_fail(vm, MICA_ERR_OOM);
    }
    CcOptions opt = {.diag = diag};
    CcSource s = {file_name, src ? src : "", n};
    EmitList out = {0};
    int nerr = cc_compile(&s, 1, &cp, &opt, collect, &out, NULL);
    fclose(diag);
    while (cx.read) {
        VmBytes *b = cx.read;
        cx.read = b->next;
        free(b->name);
        free(b->bytes);
        free(b);
    }
    for (size_t i = 0; i < cx.nnames; i++)
        free(cx.names[i]);
    free(cx.names);
    MicaStatus st = MICA_OK;
    if (nerr) {
        /* the whole report (with carets) is the message; each line is a diagnostic */
        size_t l = rlen;
        while (l && report[l - 1] == '\n')
            l--;
        vm_set_error(vm, "%.*s", (int)l, report ? report : "");
        VmApi *a = vm->api;
        const char *fname = vm_arena_str(&a->arena, file_name, strlen(file_name));
        MicaDiagnostic *d;
        size_t nd;
        parse_diags(vm, fname, report ? report : "", rlen, &d, &nd, &a->arena);
        a->err.diags = d;
        a->err.ndiags = nd;
        st = vm_api_fail(vm, MICA_ERR_COMPILE);
    } else {
        for (size_t i = 0; i < out.n && st == MICA_OK; i++) {
            st = mica_load_bytes(vm, out.v[i].bytes, out.v[i].len);
        }
    }
    for (size_t i = 0; i < out.n; i++) {
        free(out.v[i].name);
        free(out.v[i].bytes);
    }
    free(out.v);
    free(report);
    return st;
}
