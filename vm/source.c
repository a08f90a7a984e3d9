/* vm/source.c: the class sources of a VM (directories, archives, the embedded
 * standard library) in their defined order, and resources read from them. */
#include "vm.h"
#include "cm_mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *p = cm_malloc(n + 1);
    if (p)
        memcpy(p, s, n + 1);
    return p;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Inserts a source at [at]; takes ownership of [path] and [archive]. */
static VmSource *insert_source(MicaVM *vm, size_t at, VmSourceKind kind, char *path,
                               CfArchive *archive)
{
    VmSources *s = &vm->sources;
    if (!path)
        goto fail;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        VmSource *v = cm_realloc(s->v, cap * sizeof *v);
        if (!v)
            goto fail;
        s->v = v;
        s->cap = cap;
    }
    memmove(&s->v[at + 1], &s->v[at], (s->n - at) * sizeof *s->v);
    s->n++;
    VmSource *src = &s->v[at];
    memset(src, 0, sizeof *src);
    src->kind = kind;
    src->path = path;
    src->archive = archive;
    return src;
fail:
    free(path);
    cf_archive_free(archive);
    return NULL;
}

static bool is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int vm_sources_init(MicaVM *vm, const char *const *paths, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *p = paths[i] ? paths[i] : ".";
        size_t len = strlen(p);
        bool archive = is_regular_file(p) ||
                       (len > 4 && strcmp(p + len - 4, ".mar") == 0);
        char *copy = dup_str(p);
        /* "dir/" and "dir" are the same directory */
        while (copy && !archive && len > 1 && copy[len - 1] == '/')
            copy[--len] = 0;
        if (!insert_source(vm, vm->sources.n, archive ? VM_SOURCE_ARCHIVE : VM_SOURCE_DIR,
                           copy, NULL))
            return -1;
    }
    return 0;
}

void vm_sources_free(MicaVM *vm)
{
    for (size_t i = 0; i < vm->sources.n; i++) {
        free(vm->sources.v[i].path);
        free(vm->sources.v[i].error);
        cf_archive_free(vm->sources.v[i].archive);
    }
    free(vm->sources.v);
    memset(&vm->sources, 0, sizeof vm->sources);
}

/* ---- archives and what they require -------------------------------------- */

static bool have_archive_path(MicaVM *vm, const char *path)
{
    for (size_t i = 0; i < vm->sources.n; i++)
        if (vm->sources.v[i].kind == VM_SOURCE_ARCHIVE && strcmp(vm->sources.v[i].path, path) == 0)
            return true;
    return false;
}

/* Adds the archives required by source [k] after the sources of its group. */
static MicaStatus add_requires(MicaVM *vm, size_t k, const char *dir)
{
    const CfArchive *a = vm->sources.v[k].archive;
    bool host = vm->sources.v[k].from_host;
    for (size_t r = 0; r < a->manifest.nrequires; r++) {
        const char *req = a->manifest.requires[r];
        if (!dir) {
            bool found = false;
            for (size_t i = 0; i < vm->sources.n && !found; i++)
                found = vm->sources.v[i].kind == VM_SOURCE_ARCHIVE &&
                        strcmp(base_name(vm->sources.v[i].path), req) == 0;
            if (!found) {
                vm_set_error(vm, "%s: requires archive %s, which is not loaded (load it first)",
                             a->origin, req);
                return MICA_ERR_LINK;
            }
            continue;
        }
        size_t n = strlen(dir) + strlen(req) + 2;
        char *path = cm_malloc(n);
        if (!path)
            return MICA_ERR_OOM;
        snprintf(path, n, "%s%s%s", dir, dir[0] ? "/" : "", req);
        if (have_archive_path(vm, path)) {
            free(path);
            continue;
        }
        size_t at = host ? vm->sources.nhost : vm->sources.n;
        VmSource *s = insert_source(vm, at, VM_SOURCE_ARCHIVE, path, NULL);
        if (!s)
            return MICA_ERR_OOM;
        s->from_host = host;
        if (host)
            vm->sources.nhost++;
    }
    return MICA_OK;
}

/* The directory part of [path] ("" for a bare name); malloc'd. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return dup_str("");
    if (slash == path)
        return dup_str("/");
    char *d = cm_malloc((size_t)(slash - path) + 1);
    if (d) {
        memcpy(d, path, (size_t)(slash - path));
        d[slash - path] = 0;
    }
    return d;
}

/* Opens class-path (or required) archive [k] if it is not open yet. */
static MicaStatus open_archive(MicaVM *vm, size_t k)
{
    VmSource *s = &vm->sources.v[k];
    if (s->archive)
        return MICA_OK;
    if (s->error) {
        vm_set_error(vm, "%s", s->error);
        return MICA_ERR_FORMAT;
    }
    CfError err;
    err.msg[0] = 0;
    s->archive = cf_archive_read_file(s->path, &err);
    if (!s->archive) {
        s->error = dup_str(err.msg);
        vm_set_error(vm, "%s", err.msg);
        return MICA_ERR_FORMAT;
    }
    char *dir = dir_of(s->path);
    if (!dir)
        return MICA_ERR_OOM;
    MicaStatus st = add_requires(vm, k, dir);
    free(dir);
    return st;
}

MicaStatus vm_sources_add_archive(MicaVM *vm, CfArchive *a, const char *dir)
{
    if (have_archive_path(vm, a->origin)) {
        vm_set_error(vm, "%s: archive is already loaded", a->origin);
        cf_archive_free(a);
        return MICA_ERR_INVALID;
    }
    size_t at = vm->sources.nhost;
    VmSource *s = insert_source(vm, at, VM_SOURCE_ARCHIVE, dup_str(a->origin), a);
    if (!s) {
        vm_set_error(vm, "out of memory");
        return MICA_ERR_OOM;
    }
    s->from_host = true;
    vm->sources.nhost++;
    MicaStatus st = add_requires(vm, at, dir);
    if (st == MICA_ERR_OOM)
        vm_set_error(vm, "out of memory");
    return st;
}

/* ---- classes ------------------------------------------------------------------ */

static CfClass *read_dir_class(MicaVM *vm, const char *dir, const char *name, char **origin,
                               MicaStatus *st)
{
    size_t n = strlen(dir) + strlen(name) + 8;
    char *path = cm_malloc(n);
    if (!path) {
        *st = MICA_ERR_OOM;
        vm_set_error(vm, "out of memory");
        return NULL;
    }
    snprintf(path, n, "%s/%s.mcl", dir, name);
    uint8_t *buf = NULL;
    size_t len = 0;
    CfClass *cf = NULL;
    CfError err;
    int open_errno;
    if (cf_read_file(path, CF_MAX_FILE_SIZE, &buf, &len, &err, &open_errno) < 0) {
        if (open_errno) {
            free(path);
            return NULL; /* not in this directory */
        }
        *st = strstr(err.msg, "exceeds the limit") ? MICA_ERR_FORMAT
              : strstr(err.msg, "out of memory")   ? MICA_ERR_OOM
                                                   : MICA_ERR_IO;
        vm_set_error(vm, "%s", err.msg);
    } else {
        cf = cf_read(buf, len, path, &err);
        if (!cf) {
            *st = MICA_ERR_FORMAT;
            vm_set_error(vm, "%s", err.msg);
        }
    }
    free(buf);
    if (cf)
        *origin = path;
    else
        free(path);
    return cf;
}

static CfClass *read_archive_class(MicaVM *vm, size_t k, const char *name, char **origin,
                                   MicaStatus *st)
{
    if ((*st = open_archive(vm, k)) != MICA_OK)
        return NULL;
    const CfArchive *a = vm->sources.v[k].archive;
    const CfArEntry *e = cf_archive_find_class(a, name);
    if (!e)
        return NULL;
    /* messages name archive and entry: "app.mar:app/Main.mcl: ..." */
    size_t n = strlen(a->origin) + strlen(e->name) + 2;
    char *where = cm_malloc(n);
    if (!where) {
        *st = MICA_ERR_OOM;
        vm_set_error(vm, "out of memory");
        return NULL;
    }
    snprintf(where, n, "%s:%s", a->origin, e->name);
    CfError err;
    CfClass *cf = cf_read(e->data, e->len, where, &err);
    if (!cf) {
        free(where);
        *st = MICA_ERR_FORMAT;
        vm_set_error(vm, "%s", err.msg);
        return NULL;
    }
    *origin = where;
    return cf;
}

/* A sealed class comes only from the embedded library: a class-path file or
 * archive entry that would shadow it is refused rather than skipped, so the
 * mistake is seen. True (with *[st] and the error set) if one exists. */
static bool refuse_sealed_shadow(MicaVM *vm, const char *name, MicaStatus *st)
{
    for (size_t i = 0; i < vm->sources.n; i++) {
        const VmSource *s = &vm->sources.v[i];
        size_t n = strlen(s->path) + strlen(name) + 8;
        char *path = cm_malloc(n);
        if (!path) {
            *st = MICA_ERR_OOM;
            vm_set_error(vm, "out of memory");
            return true;
        }
        bool exists;
        if (s->kind == VM_SOURCE_DIR) {
            snprintf(path, n, "%s/%s.mcl", s->path, name);
            exists = is_regular_file(path);
        } else {
            MicaStatus ost = open_archive(vm, i);
            if (ost != MICA_OK) {
                free(path);
                *st = ost;
                return true;
            }
            snprintf(path, n, "%s:%s.mcl", vm->sources.v[i].path, name);
            exists = cf_archive_find_class(vm->sources.v[i].archive, name) != NULL;
        }
        if (exists)
            *st = vm_refuse_sealed(vm, name, path);
        free(path);
        if (exists)
            return true;
    }
    return false;
}

CfClass *vm_sources_find_class(MicaVM *vm, const char *name, bool *is_std, char **origin,
                               MicaStatus *st)
{
    *st = MICA_OK;
    *is_std = false;
    *origin = NULL;
    if (!vm_class_name_is_sealed(name)) {
        /* sources may grow (required archives) while searching: index, not pointer */
        for (size_t i = 0; i < vm->sources.n; i++) {
            CfClass *cf = vm->sources.v[i].kind == VM_SOURCE_DIR
                              ? read_dir_class(vm, vm->sources.v[i].path, name, origin, st)
                              : read_archive_class(vm, i, name, origin, st);
            if (cf || *st != MICA_OK)
                return cf;
        }
        return NULL;
    }
    if (refuse_sealed_shadow(vm, name, st))
        return NULL;
    size_t len = 0;
    const uint8_t *bytes = mica_std_class(name, &len);
    if (!bytes)
        return NULL;
    CfError err;
    CfClass *cf = cf_read(bytes, len, name, &err);
    if (!cf) {
        *st = MICA_ERR_FORMAT;
        vm_set_error(vm, "%s", err.msg);
        return NULL;
    }
    *is_std = true;
    return cf;
}

/* ---- resources ------------------------------------------------------------------ */

int vm_sources_resource(MicaVM *vm, const char *name, uint8_t **data, size_t *len,
                        const char **why)
{
    *why = cf_archive_bad_name(name, strlen(name));
    if (*why)
        return -1;
    for (size_t i = 0; i < vm->sources.n; i++) {
        VmSource *s = &vm->sources.v[i];
        if (s->kind == VM_SOURCE_ARCHIVE) {
            if (open_archive(vm, i) != MICA_OK) {
                *why = vm->sources.v[i].error ? vm->sources.v[i].error : "archive unreadable";
                return -1;
            }
            const CfArEntry *e = cf_archive_find(vm->sources.v[i].archive, name);
            if (!e)
                continue;
            if (vm_heap_reserve(vm, e->len, name) < 0) {
                *why = NULL;
                return -1;
            }
            *data = cm_malloc(e->len ? e->len : 1);
            if (!*data) {
                *why = "out of memory";
                return -1;
            }
            memcpy(*data, e->data, e->len);
            *len = e->len;
            return 1;
        }
        size_t n = strlen(s->path) + strlen(name) + 2;
        char *path = cm_malloc(n);
        if (!path) {
            *why = "out of memory";
            return -1;
        }
        snprintf(path, n, "%s/%s", s->path, name);
        struct stat sb;
        if (!is_regular_file(path) || stat(path, &sb) != 0) {
            free(path);
            continue;
        }
        /* the size is checked against the limit and the heap cap before
         * anything is read (cf_read_file checks the limit again as it reads) */
        if ((uint64_t)sb.st_size > CF_AR_MAX_ENTRY_SIZE) {
            snprintf(vm->sources.why.msg, sizeof vm->sources.why.msg,
                     "file size %lld exceeds the limit of %u bytes", (long long)sb.st_size,
                     CF_AR_MAX_ENTRY_SIZE);
            free(path);
            *why = vm->sources.why.msg;
            return -1;
        }
        if (vm_heap_reserve(vm, (size_t)sb.st_size, name) < 0) {
            free(path);
            *why = NULL;
            return -1;
        }
        CfError err;
        int rc = cf_read_file(path, CF_AR_MAX_ENTRY_SIZE, data, len, &err, NULL);
        free(path);
        if (rc < 0) {
            vm->sources.why = err;
            *why = vm->sources.why.msg;
            return -1;
        }
        return 1;
    }
    return 0;
}
