/* tools/embed.c: mica_embed <dir> <out.c>, turning every *.mcl under <dir> into a C file
 * that implements mica_std_class and mica_std_list (include/mica.h). */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct Files {
    char **paths;            /* relative to the root, '/'-separated */
    size_t n, cap;
} Files;

static int add_path(Files *f, const char *rel)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        char **p = realloc(f->paths, cap * sizeof *p);
        if (!p)
            return -1;
        f->paths = p;
        f->cap = cap;
    }
    f->paths[f->n] = strdup(rel);
    if (!f->paths[f->n])
        return -1;
    f->n++;
    return 0;
}

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 2);
    if (!s)
        return NULL;
    memcpy(s, a, la);
    s[la] = '/';
    memcpy(s + la + 1, b, lb + 1);
    return s;
}

static bool ends_mcl(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".mcl") == 0;
}

static int walk(const char *root, const char *rel, Files *f)
{
    char *dir = rel[0] ? join(root, rel) : strdup(root);
    if (!dir)
        return -1;
    int rc = -1;
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "mica_embed: cannot open directory %s: %s\n", dir, strerror(errno));
        goto fail;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *sub = rel[0] ? join(rel, e->d_name) : strdup(e->d_name);
        char *full = sub ? join(root, sub) : NULL;
        struct stat st;
        /* lstat, so a symlinked directory cannot send the walk round in a loop;
         * symlinks to regular files are followed */
        if (!full || lstat(full, &st) != 0) {
            fprintf(stderr, "mica_embed: cannot stat %s\n", full ? full : e->d_name);
            free(sub);
            free(full);
            goto fail_dir;
        }
        if (S_ISLNK(st.st_mode) && (stat(full, &st) != 0 || !S_ISREG(st.st_mode)))
            st.st_mode = 0;
        int r = 0;
        if (S_ISDIR(st.st_mode))
            r = walk(root, sub, f);
        else if (S_ISREG(st.st_mode) && ends_mcl(e->d_name))
            r = add_path(f, sub);
        free(sub);
        free(full);
        if (r < 0)
            goto fail_dir;
    }
    rc = 0;
fail_dir:
    closedir(d);
fail:
    free(dir);
    return rc;
}

/* Orders by internal name (the path without ".mcl"), the order the generated
 * mica_std_class binary-searches in; plain path order differs ("a/B-x" < "a/B.mcl"). */
static int cmp_paths(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    size_t nx = strlen(x) - 4, ny = strlen(y) - 4;
    int r = memcmp(x, y, nx < ny ? nx : ny);
    if (r)
        return r;
    return nx < ny ? -1 : nx > ny;
}

/* Writes [s] as a C string literal; '?' is escaped so no trigraph can form. */
static void put_c_string(FILE *out, const char *s, size_t n)
{
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\' || ch == '?')
            fprintf(out, "\\%c", ch);
        else if (ch < 0x20 || ch >= 0x7F)
            fprintf(out, "\\%03o", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

/* The embedded classes are one array, std_data, in the order of [rank]: std.core first,
 * the package every program loads from, then std.collections and std.util, which most
 * programs use, then the rest; so that what a run touches of it is a few neighbouring
 * pages, not a page here and there over all of it (the link puts std_data after the
 * VM's other read-only data: MICA_HOT_ORDER in CMakeLists.txt). The entries name their
 * bytes and names by offset, so the table needs no relocation. */
static int rank(const char *path)
{
    static const char *const first[] = {"std/core/", "std/collections/", "std/util/"};
    int n = (int)(sizeof first / sizeof first[0]);
    for (int i = 0; i < n; i++)
        if (strncmp(path, first[i], strlen(first[i])) == 0)
            return i;
    return n;
}
#define RANKS 4

/* Appends the bytes of [path] to std_data; [total] is its length so far. */
static int emit_data(FILE *out, const char *path, size_t *total, size_t *len)
{
    FILE *in = fopen(path, "rb");
    if (!in) {
        fprintf(stderr, "mica_embed: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    unsigned char buf[4096];
    size_t n, start = *total;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        for (size_t i = 0; i < n; i++, (*total)++)
            fprintf(out, "%s0x%02x,", *total % 16 ? "" : "\n    ", buf[i]);
    }
    int rc = ferror(in) ? -1 : 0;
    if (rc)
        fprintf(stderr, "mica_embed: error reading %s\n", path);
    fclose(in);
    *len = *total - start;
    return rc;
}

static const char runtime_text[] =
    "\n"
    "static int entry_cmp(const void *key, const void *elem)\n"
    "{\n"
    "    return strcmp((const char *)key, std_names + ((const StdEntry *)elem)->name);\n"
    "}\n"
    "\n"
    "MICA_API const uint8_t *mica_std_class(const char *internal_name, size_t *len)\n"
    "{\n"
    "    if (!internal_name || std_count == 0)\n"
    "        return NULL;\n"
    "    /* entries are sorted by name, so a binary search finds it */\n"
    "    const StdEntry *e = bsearch(internal_name, std_entries, std_count,\n"
    "                                sizeof std_entries[0], entry_cmp);\n"
    "    if (!e)\n"
    "        return NULL;\n"
    "    if (len)\n"
    "        *len = e->len;\n"
    "    return std_data + e->off;\n"
    "}\n"
    "\n"
    "MICA_API void mica_std_list(const char *pkg,\n"
    "                            void (*fn)(void *arg, const char *internal_name), void *arg)\n"
    "{\n"
    "    if (!pkg || !fn)\n"
    "        return;\n"
    "    size_t plen = strlen(pkg);\n"
    "    for (size_t i = 0; i < std_count; i++) {\n"
    "        const char *name = std_names + std_entries[i].name;\n"
    "        size_t k = 0;\n"
    "        /* the package may be spelled with dots (std.core) or slashes (std/core) */\n"
    "        while (k < plen && (name[k] == pkg[k] || (name[k] == '/' && pkg[k] == '.')))\n"
    "            k++;\n"
    "        if (k != plen)\n"
    "            continue;   /* most names differ early: cheaper than the test below */\n"
    "        const char *slash = strrchr(name, '/');\n"
    "        size_t nlen = slash ? (size_t)(slash - name) : 0;\n"
    "        if (nlen == plen)\n"
    "            fn(arg, name);\n"
    "    }\n"
    "}\n";

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: mica_embed <dir> <out.c>\n");
        return 2;
    }
    const char *root = argv[1], *out_path = argv[2];
    Files f = {0};
    int status = 1;
    FILE *out = NULL;
    char *tmp = NULL;
    size_t *lens = NULL, *offs = NULL, *names = NULL;
    if (walk(root, "", &f) < 0)
        goto fail;
    qsort(f.paths, f.n, sizeof *f.paths, cmp_paths);
    /* per class: its length, and the offsets of its bytes and of its name */
    lens = calloc(f.n ? f.n : 1, sizeof *lens);
    offs = calloc(f.n ? f.n : 1, sizeof *offs);
    names = calloc(f.n ? f.n : 1, sizeof *names);
    /* write to a temporary name and rename, so a failed run leaves no half file
     * that a later build would take as up to date */
    tmp = malloc(strlen(out_path) + 5);
    if (!lens || !offs || !names || !tmp)
        goto fail;
    sprintf(tmp, "%s.tmp", out_path);
    out = fopen(tmp, "w");
    if (!out) {
        fprintf(stderr, "mica_embed: cannot write %s: %s\n", tmp, strerror(errno));
        goto fail;
    }
    fprintf(out, "/* Generated by mica_embed from %zu class files: the embedded standard library."
                 "\n * Do not edit. */\n", f.n);
    fputs("#include <stdint.h>\n#include <stdlib.h>\n#include <string.h>\n\n"
          "#include \"mica.h\"\n\n", out);
    fputs("typedef struct StdEntry {\n    uint32_t name, off, len;\n} StdEntry;\n\n", out);
    /* the bytes, by rank */
    fputs("static const unsigned char std_data[] = {", out);
    size_t total = 0;
    for (int r = 0; r < RANKS; r++) {
        for (size_t i = 0; i < f.n; i++) {
            if (rank(f.paths[i]) != r)
                continue;
            char *full = join(root, f.paths[i]);
            offs[i] = total;
            if (!full || emit_data(out, full, &total, &lens[i]) < 0) {
                free(full);
                goto fail;
            }
            free(full);
        }
    }
    if (total == 0)
        fputs("0", out);   /* C has no empty arrays */
    fputs("\n};\n\n", out);
    if (total > UINT32_MAX) {
        fprintf(stderr, "mica_embed: the classes under %s exceed 4 GiB\n", root);
        goto fail;
    }
    /* the names, each ending in NUL, in name order */
    fputs("static const char std_names[] =", out);
    size_t at = 0;
    for (size_t i = 0; i < f.n; i++) {
        size_t nlen = strlen(f.paths[i]) - 4;   /* without ".mcl" */
        names[i] = at;
        fputs("\n    ", out);
        put_c_string(out, f.paths[i], nlen);
        fputs(" \"\\0\"", out);
        at += nlen + 1;
    }
    fputs(f.n ? ";\n" : " \"\";\n", out);
    fputs("\nstatic const StdEntry std_entries[] = {\n", out);
    for (size_t i = 0; i < f.n; i++)
        fprintf(out, "    {%zu, %zu, %zu},\n", names[i], offs[i], lens[i]);
    if (f.n == 0)
        fputs("    {0, 0, 0},\n", out);
    fprintf(out, "};\n\nstatic const size_t std_count = %zu;\n", f.n);
    fputs(runtime_text, out);
    if (ferror(out)) {
        fprintf(stderr, "mica_embed: error writing %s\n", tmp);
        goto fail;
    }
    if (fclose(out) != 0) {
        out = NULL;
        fprintf(stderr, "mica_embed: error writing %s\n", tmp);
        goto fail;
    }
    out = NULL;
    if (rename(tmp, out_path) != 0) {
        fprintf(stderr, "mica_embed: cannot rename %s to %s: %s\n", tmp, out_path,
                strerror(errno));
        goto fail;
    }
    status = 0;
fail:
    if (out) {
        fclose(out);
        remove(tmp);
    }
    for (size_t i = 0; i < f.n; i++)
        free(f.paths[i]);
    free(f.paths);
    free(lens);
    free(offs);
    free(names);
    free(tmp);
    return status;
}
