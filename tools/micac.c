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

static const uint8_t *cp_find(void *ud, const char *name, size_t *len)
{
    Micac *m = ud;
    const Blob *b = find_blob(m->loaded, m->nloaded, name);
    if (!b)
        b = find_blob(m->produced, m->nproduced, name);
    if (b) {
        *len = b->len;
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
        free(path);
        if (bytes) {
            Blob nb = {cm_strdup(name), bytes, n};
            push_blob(&m->loaded, &m->nloaded, &m->loaded_cap, nb);
            *len = n;
            return bytes;
        }
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
    free(path);
    memcpy(copy, bytes, len);
    Blob b = {cm_strdup(name), copy, len};
    push_blob(&m->produced, &m->nproduced, &m->produced_cap, b);
    return 0;
}

/* ---- verification hierarchy over produced and class-path classes ------------ */
typedef struct Header {
    char *name;
    char *super;
    char **ifaces;
    int nifaces;
    bool is_interface;
} Header;

typedef struct Hier {
    Micac *m;
    Header *h;
    int n, cap;
} Hier;

static Header *header(Hier *hi, const char *name, CfError *err)
{
    for (int i = 0; i < hi->n; i++)
        if (strcmp(hi->h[i].name, name) == 0)
            return &hi->h[i];
    size_t len;
    const uint8_t *bytes = cp_find(hi->m, name, &len);
    if (!bytes) {
        snprintf(err->msg, sizeof err->msg, "class %s not found", name);
        return NULL;
    }
    CfClass *c = cf_read(bytes, len, name, err);
    if (!c)
        return NULL;
    if (hi->n == hi->cap) {
        hi->cap = hi->cap ? hi->cap * 2 : 32;
        Header *nh = cm_realloc(hi->h, sizeof(Header) * (size_t)hi->cap);
        if (!nh) {
            cf_class_free(c);
            snprintf(err->msg, sizeof err->msg, "out of memory");
            return NULL;
        }
        hi->h = nh;
    }
    Header *h = &hi->h[hi->n++];
    memset(h, 0, sizeof *h);
    h->name = cm_strdup(name);
    const char *s = c->super_class ? cf_class_name(c, c->super_class) : NULL;
    h->super = s ? cm_strdup(s) : NULL;
    h->is_interface = (c->flags & CF_ACC_INTERFACE) != 0;
    h->ifaces = cm_calloc((size_t)c->ninterfaces + 1, sizeof(char *));
    for (int i = 0; h->ifaces && i < c->ninterfaces; i++) {
        const char *in = cf_class_name(c, c->interfaces[i]);
        if (in)
            h->ifaces[h->nifaces++] = cm_strdup(in);
    }
    cf_class_free(c);
    return h;
}

static int subtype(Hier *hi, const char *from, const char *to, CfError *err, int depth)
{
    if (strcmp(from, to) == 0)
        return 1;
    if (depth > 256)
        return 0;
    Header *h = header(hi, from, err);
    if (!h)
        return -1;
    char *super = h->super;
    int nif = h->nifaces;
    char **ifs = h->ifaces;
    if (super) {
        int r = subtype(hi, super, to, err, depth + 1);
        if (r != 0)
            return r;
    }
    for (int i = 0; i < nif; i++) {
        int r = subtype(hi, ifs[i], to, err, depth + 1);
        if (r != 0)
            return r;
    }
    return 0;
}

static int h_assignable(void *ud, const char *from, const char *to, CfError *err)
{
    if (strcmp(to, "std/core/Object") == 0 || strcmp(from, to) == 0)
        return 1;
    if (from[0] == '[' || to[0] == '[')
        return 0;
    return subtype(ud, from, to, err, 0);
}

static int h_is_interface(void *ud, const char *name, CfError *err)
{
    if (name[0] == '[')
        return 0;
    Header *h = header(ud, name, err);
    return h ? h->is_interface : -1;
}

/* Member lookups for the verifier (classfile.h): [name] in class [cls] itself; 1 with
 * *[flags] filled when declared there with descriptor [desc] (fields match by name
 * first, as resolution does: a field of another descriptor hides the name). */
static int declared(Hier *hi, const char *cls, const char *name, const char *desc,
                    bool is_method, uint16_t *flags)
{
    size_t len;
    CfError err;
    const uint8_t *bytes = cp_find(hi->m, cls, &len);
    CfClass *c = bytes ? cf_read(bytes, len, cls, &err) : NULL;
    if (!c)
        return 0;
    int r = 0;
    for (int i = 0; !r && i < (is_method ? c->nmethods : c->nfields); i++) {
        uint16_t n = is_method ? c->methods[i].name : c->fields[i].name;
        uint16_t d = is_method ? c->methods[i].desc : c->fields[i].desc;
        const char *ns = cf_utf8(c, n), *ds = cf_utf8(c, d);
        if (!ns || strcmp(ns, name) != 0 || (is_method && (!ds || strcmp(ds, desc) != 0)))
            continue;
        r = (ds && strcmp(ds, desc) == 0) ? 1 : -1;
        if (r > 0)
            *flags = is_method ? c->methods[i].flags : c->fields[i].flags;
    }
    cf_class_free(c);
    return r;
}

static int h_lookup(Hier *hi, const char *owner, const char *name, const char *desc,
                    bool is_method, uint16_t *flags, const char **declaring, int depth)
{
    CfError err;
    for (const char *k = owner; k && depth < 256; depth++) {
        Header *h = header(hi, k, &err);
        if (!h)
            return 0; /* resolution reports a missing class at run time */
        int r = declared(hi, h->name, name, desc, is_method, flags);
        if (r < 0)
            return 0;
        if (r > 0) {
            *declaring = h->name;
            return 1;
        }
        if (is_method) {
            for (int i = 0; i < h->nifaces; i++)
                if (h_lookup(hi, h->ifaces[i], name, desc, true, flags, declaring, depth + 1))
                    return 1;
            h = header(hi, k, &err); /* the table may have moved */
            if (!h)
                return 0;
        }
        k = h->super;
    }
    return 0;
}

static int h_lookup_field(void *ud, const char *owner, const char *name, const char *desc,
                          uint16_t *flags, const char **declaring, CfError *err)
{
    return h_lookup(ud, owner, name, desc, false, flags, declaring, 0);
}

static int h_lookup_method(void *ud, const char *owner, const char *name, const char *desc,
                           uint16_t *flags, const char **declaring, CfError *err)
{
    return h_lookup(ud, owner, name, desc, true, flags, declaring, 0);
}

static int verify_all(Micac *m)
{
    Hier hi = {m, NULL, 0, 0};
    CfHierarchy h = {&hi, h_assignable, h_is_interface, h_lookup_field, h_lookup_method, NULL};
    int bad = 0;
    for (int i = 0; i < m->nproduced; i++) {
        CfError err;
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
    for (int i = 0; i < hi.n; i++) {
        free(hi.h[i].name);
        free(hi.h[i].super);
        for (int k = 0; k < hi.h[i].nifaces; k++)
            free(hi.h[i].ifaces[k]);
        free(hi.h[i].ifaces);
    }
    free(hi.h);
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
    }
    for (int i = 0; i < m.nproduced; i++) {
        free(m.produced[i].name);
        free(m.produced[i].bytes);
    }
    free(m.loaded);
    free(m.produced);
    free(files);
    free(m.cp_dirs);
    return rc;
}
