/* tools/micac.c: the micac command: compiles .mica files to .mcl class files,
 * with a directory class path and an optional verification pass. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "classfile.h"
#include "cm_mem.h"
#include "compiler.h"

typedef struct Blob {
    char *name;
    uint8_t *bytes;
    size_t len;
    char *path;            /* the file it was read from or written to */
} Blob;

typedef struct Micac {
    const char **cp_dirs;
    int ncp;
    const char *outdir;
    Blob *loaded;          /* class files read from the class path */
    int nloaded, loaded_cap;
    Blob *produced;        /* class files compiled in this run */
    int nproduced, produced_cap;
    bool failed;
} Micac;

static void push_blob(Blob **arr, int *n, int *cap, Blob b)
{
    if (*n == *cap) {
        int ncap = *cap ? *cap * 2 : 16;
        Blob *na = cm_realloc(*arr, sizeof(Blob) * (size_t)ncap);
        if (!na) {
            fprintf(stderr, "micac: out of memory\n");
            exit(1);
        }
        *arr = na;
        *cap = ncap;
    }
    (*arr)[(*n)++] = b;
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *nb = cm_realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    bool err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static const Blob *find_blob(const Blob *arr, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(arr[i].name, name) == 0)
            return &arr[i];
    return NULL;
}

static const uint8_t *cp_find_at(void *ud, const char *name, size_t *len, const char **origin);

static const uint8_t *cp_find(void *ud, const char *name, size_t *len)
{
    const char *origin = NULL;
    return cp_find_at(ud, name, len, &origin);
}

/* A class compiled in this run, or found on the class path; *[origin] is its file. */
static const uint8_t *cp_find_at(void *ud, const char *name, size_t *len, const char **origin)
{
    Micac *m = ud;
    const Blob *b = find_blob(m->loaded, m->nloaded, name);
    if (!b)
        b = find_blob(m->produced, m->nproduced, name);
    if (b) {
        *len = b->len;
        *origin = b->path;
        return b->bytes;
    }
    if (strstr(name, "..") || name[0] == '/')
        return NULL;
    for (int i = 0; i < m->ncp; i++) {
        size_t plen = strlen(m->cp_dirs[i]) + strlen(name) + 8;
        char *path = cm_malloc(plen);
        if (!path)
            return NULL;
        snprintf(path, plen, "%s/%s.mcl", m->cp_dirs[i], name);
        size_t n;
        uint8_t *bytes = read_file(path, &n);
        if (bytes) {
            Blob nb = {cm_strdup(name), bytes, n, path};
            push_blob(&m->loaded, &m->nloaded, &m->loaded_cap, nb);
            *len = n;
            *origin = path;
            return bytes;
        }
        free(path);
    }
    return NULL;
}

static void cp_list(void *ud, const char *pkg, void (*fn)(void *, const char *), void *arg)
{
    Micac *m = ud;
    for (int i = 0; i < m->ncp; i++) {
        size_t plen = strlen(m->cp_dirs[i]) + strlen(pkg) + 4;
        char *dir = cm_malloc(plen);
        if (!dir)
            return;
        snprintf(dir, plen, "%s/%s", m->cp_dirs[i], pkg);
        DIR *d = opendir(dir);
        free(dir);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            size_t n = strlen(e->d_name);
            if (n <= 4 || strcmp(e->d_name + n - 4, ".mcl") != 0)
                continue;
            char name[1024];
            if (pkg[0])
                snprintf(name, sizeof name, "%s/%.*s", pkg, (int)(n - 4), e->d_name);
            else
                snprintf(name, sizeof name, "%.*s", (int)(n - 4), e->d_name);
            fn(arg, name);
        }
        closedir(d);
    }
}

static int mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            *p = '/';
            return -1;
        }
        *p = '/';
    }
    return 0;
}

static int emit_class(void *ud, const char *name, const uint8_t *bytes, size_t len)
{
    Micac *m = ud;
    size_t plen = strlen(m->outdir) + strlen(name) + 8;
    char *path = cm_malloc(plen);
    uint8_t *copy = cm_malloc(len ? len : 1);
    if (!path || !copy) {
        free(path);
        free(copy);
        return -1;
    }
    snprintf(path, plen, "%s/%s.mcl", m->outdir, name);
    FILE *f = NULL;
    if (mkdirs(path) == 0)
        f = fopen(path, "wb");
    if (!f || fwrite(bytes, 1, len, f) != len) {
        fprintf(stderr, "micac: cannot write %s: %s\n", path, strerror(errno));
        if (f)
            fclose(f);
        free(path);
        free(copy);
        m->failed = true;
        return -1;
    }
    fclose(f);
    memcpy(copy, bytes, len);
    Blob b = {cm_strdup(name), copy, len, path};
    push_blob(&m->produced, &m->nproduced, &m->produced_cap, b);
    return 0;
}

static int verify_all(Micac *m)
{
    CfHeaders *hs = cf_headers_new(cp_find_at, m);
    if (!hs) {
        fprintf(stderr, "micac: out of memory\n");
        return 1;
    }
    CfHierarchy h = cf_headers_hierarchy(hs);
    int bad = 0;
    for (int i = 0; i < m->nproduced; i++) {
        CfError err;
        /* loaded as the VM loads it: its hierarchy is refused as the VM refuses it */
        if (cf_headers_check(hs, m->produced[i].name, &err) != 0) {
            fprintf(stderr, "micac: verify: %s\n", err.msg);
            bad++;
            continue;
        }
        CfClass *c = cf_read(m->produced[i].bytes, m->produced[i].len, m->produced[i].name, &err);
        if (!c) {
            fprintf(stderr, "micac: %s\n", err.msg);
            bad++;
            continue;
        }
        if (cf_verify_class(c, &h, NULL, &err) != 0) {
            fprintf(stderr, "micac: verify: %s\n", err.msg);
            bad++;
        }
        cf_class_free(c);
    }
    cf_headers_free(hs);
    return bad;
}

static int usage(void)
{
    fprintf(stderr, "usage: micac [--no-implicit-std] [--verify] [-cp DIR]... -d OUTDIR "
                    "FILE.mica...\n");
    return 2;
}

int main(int argc, char **argv)
{
    Micac m;
    memset(&m, 0, sizeof m);
    CcOptions opt = {NULL, 0, false, false, false};
    bool verify = false;
    const char **files = cm_calloc((size_t)argc + 1, sizeof(char *));
    m.cp_dirs = cm_calloc((size_t)argc + 1, sizeof(char *));
    int nfiles = 0;
    if (!files || !m.cp_dirs)
        return 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--no-implicit-std") == 0)
            opt.no_implicit_std = true;
        else if (strcmp(a, "--verify") == 0)
            verify = true;
        else if (strcmp(a, "-cp") == 0 && i + 1 < argc)
            m.cp_dirs[m.ncp++] = argv[++i];
        else if (strcmp(a, "-d") == 0 && i + 1 < argc)
            m.outdir = argv[++i];
        else if (a[0] == '-')
            return usage();
        else
            files[nfiles++] = a;
    }
    if (!m.outdir || nfiles == 0)
        return usage();
    CcSource *srcs = cm_calloc((size_t)nfiles, sizeof *srcs);
    if (!srcs)
        return 1;
    int rc = 0;
    for (int i = 0; i < nfiles; i++) {
        size_t len;
        uint8_t *text = read_file(files[i], &len);
        if (!text) {
            fprintf(stderr, "micac: cannot read %s: %s\n", files[i], strerror(errno));
            rc = 1;
            continue;
        }
        srcs[i].path = files[i];
        srcs[i].text = (const char *)text;
        srcs[i].len = len;
    }
    if (rc == 0) {
        CcClassPath cp = {&m, cp_find, cp_list};
        CcResult res;
        int nerr = cc_compile(srcs, (size_t)nfiles, &cp, &opt, emit_class, &m, &res);
        if (nerr > 0 || m.failed)
            rc = 1;
        else if (verify && verify_all(&m) > 0)
            rc = 1;
    }
    for (int i = 0; i < nfiles; i++)
        free((void *)srcs[i].text);
    free(srcs);
    for (int i = 0; i < m.nloaded; i++) {
        free(m.loaded[i].name);
        free(m.loaded[i].bytes);
        free(m.loaded[i].path);
    }
    for (int i = 0; i < m.nproduced; i++) {
        free(m.produced[i].name);
        free(m.produced[i].bytes);
        free(m.produced[i].path);
    }
    free(m.loaded);
    free(m.produced);
    free(files);
    free(m.cp_dirs);
    return rc;
}
