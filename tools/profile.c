/* tools/profile.c: `mica run --profile[=FILE]`: starts the VM's sampling profiler
 * around the run, then writes the samples as folded stacks (the input format of
 * flamegraph.pl and speedscope: "outer;inner;innermost COUNT" lines) or, for a FILE
 * ending in .svg, as a flame graph, and prints the methods with the most samples
 * by self and by total time to stderr. */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "cm_mem.h"
#include "toolkit.h"

#define PROFILE_HZ 1000
#define TOP 10
#define NO_FRAME "(outside Mica code)"

typedef struct Entry {
    char *key;
    uint64_t count, self, total;
    uint64_t last;      /* the sample that last counted it in total */
} Entry;

typedef struct Table {
    Entry *v;
    size_t n, cap;      /* open addressing; cap a power of two */
} Table;

typedef struct Node {
    const char *name;
    uint64_t count;
    struct Node *child, *next;
} Node;

typedef struct Profile {
    Table stacks, methods;
    uint64_t samples;     /* timer periods */
    uint64_t nsamples;    /* signals: the sample that last counted a method in total */
    Node root;
    bool oom;
} Profile;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static Entry *table_get(Table *t, const char *key, bool *oom)
{
    if ((t->n + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        Entry *v = cm_calloc(cap, sizeof *v);
        if (!v) {
            *oom = true;
            return NULL;
        }
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->v[i].key)
                continue;
            size_t j = hash_str(t->v[i].key) & (cap - 1);
            while (v[j].key)
                j = (j + 1) & (cap - 1);
            v[j] = t->v[i];
        }
        free(t->v);
        t->v = v;
        t->cap = cap;
    }
    size_t j = hash_str(key) & (t->cap - 1);
    while (t->v[j].key) {
        if (strcmp(t->v[j].key, key) == 0)
            return &t->v[j];
        j = (j + 1) & (t->cap - 1);
    }
    t->v[j].key = tk_strdup(key);
    if (!t->v[j].key) {
        *oom = true;
        return NULL;
    }
    t->v[j].last = UINT64_MAX;
    t->n++;
    return &t->v[j];
}

static void table_free(Table *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->v[i].key);
    free(t->v);
}

static Node *child_of(Node *parent, const char *name, bool *oom)
{
    for (Node *c = parent->child; c; c = c->next)
        if (strcmp(c->name, name) == 0)
            return c;
    Node *c = cm_calloc(1, sizeof *c);
    if (!c) {
        *oom = true;
        return NULL;
    }
    c->name = name;
    c->next = parent->child;
    parent->child = c;
    return c;
}

static void free_nodes(Node *n)
{
    while (n) {
        Node *next = n->next;
        free_nodes(n->child);
        free(n);
        n = next;
    }
}

static void on_sample(void *ud, const char *const *frames, size_t n, uint64_t weight)
{
    Profile *p = ud;
    if (p->oom)
        return;
    static const char *const none[1] = {NO_FRAME};
    if (n == 0) {
        frames = none;
        n = 1;
    }
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(frames[i]) + 1;
    char *key = cm_malloc(len);
    if (!key) {
        p->oom = true;
        return;
    }
    size_t at = 0;
    Node *node = &p->root;
    node->count += weight;
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(frames[i]);
        if (i)
            key[at++] = ';';
        memcpy(key + at, frames[i], k);
        at += k;
        Entry *m = table_get(&p->methods, frames[i], &p->oom);
        if (!m)
            break;
        if (m->last != p->nsamples) {   /* recursion counts once per sample */
            m->total += weight;
            m->last = p->nsamples;
        }
        if (i == n - 1)
            m->self += weight;
        node = child_of(node, m->key, &p->oom);
        if (!node)
            break;
        node->count += weight;
    }
    key[at] = 0;
    Entry *e = p->oom ? NULL : table_get(&p->stacks, key, &p->oom);
    if (e)
        e->count += weight;
    free(key);
    p->samples += weight;
    p->nsamples++;
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp((*(Entry *const *)a)->key, (*(Entry *const *)b)->key);
}

static int cmp_self(const void *a, const void *b)
{
    const Entry *x = *(Entry *const *)a, *y = *(Entry *const *)b;
    if (x->self != y->self)
        return x->self < y->self ? 1 : -1;
    return strcmp(x->key, y->key);
}

static int cmp_total(const void *a, const void *b)
{
    const Entry *x = *(Entry *const *)a, *y = *(Entry *const *)b;
    if (x->total != y->total)
        return x->total < y->total ? 1 : -1;
    return strcmp(x->key, y->key);
}

static Entry **sorted(const Table *t, int (*cmp)(const void *, const void *))
{
    Entry **v = cm_malloc((t->n + 1) * sizeof *v);
    if (!v)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < t->cap; i++)
        if (t->v[i].key)
            v[k++] = &t->v[i];
    qsort(v, k, sizeof *v, cmp);
    return v;
}

/* ---- flame graph ------------------------------------------------------------- */

static void xml_text(FILE *f, const char *s, size_t max)
{
    for (size_t i = 0; s[i] && i < max; i++) {
        switch (s[i]) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(s[i], f);
        }
    }
}

static int depth_of(const Node *n)
{
    int d = 0;
    for (const Node *c = n->child; c; c = c->next) {
        int k = depth_of(c);
        if (k > d)
            d = k;
    }
    return d + 1;
}

enum { FG_WIDTH = 1200, FG_ROW = 17, FG_PAD = 10, FG_TOP = 40 };

static void draw(FILE *f, const Node *n, double x, int level, int height, double per_sample,
                 uint64_t total)
{
    double w = (double)n->count * per_sample;
    if (w < 0.3)
        return;
    if (level > 0) {
        double y = height - FG_PAD - (double)level * FG_ROW;
        uint64_t h = hash_str(n->name);
        int r = 205 + (int)(h % 50), g = 80 + (int)((h >> 8) % 130), b = (int)((h >> 16) % 55);
        fprintf(f, "<g><title>");
        xml_text(f, n->name, SIZE_MAX);
        fprintf(f, " (%llu samples, %.2f%%)</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                "height=\"%d\" fill=\"rgb(%d,%d,%d)\" rx=\"2\"/>",
                (unsigned long long)n->count, 100.0 * (double)n->count / (double)total, x, y, w,
                FG_ROW - 1, r, g, b);
        size_t chars = (size_t)((w - 6) / 7);
        if (chars >= 3) {
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", x + 3, y + FG_ROW - 5);
            size_t len = strlen(n->name);
            if (len <= chars) {
                xml_text(f, n->name, len);
            } else {
                xml_text(f, n->name, chars - 2);
                fputs("..", f);
            }
            fputs("</text>", f);
        }
        fputs("</g>\n", f);
    }
    /* children left to right by name, so the picture does not depend on sample order */
    size_t nc = 0;
    for (const Node *c = n->child; c; c = c->next)
        nc++;
    const Node **kids = cm_malloc((nc + 1) * sizeof *kids);
    if (!kids)
        return;
    size_t k = 0;
    for (const Node *c = n->child; c; c = c->next)
        kids[k++] = c;
    for (size_t i = 1; i < nc; i++)
        for (size_t j = i; j > 0 && strcmp(kids[j - 1]->name, kids[j]->name) > 0; j--) {
            const Node *t = kids[j];
            kids[j] = kids[j - 1];
            kids[j - 1] = t;
        }
    double cx = x;
    for (size_t i = 0; i < nc; i++) {
        draw(f, kids[i], cx, level + 1, height, per_sample, total);
        cx += (double)kids[i]->count * per_sample;
    }
    free(kids);
}

static void write_svg(FILE *f, const Profile *p)
{
    int depth = depth_of(&p->root);
    int height = FG_TOP + depth * FG_ROW + FG_PAD;
    fprintf(f, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
            "<svg version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            "xmlns=\"http://www.w3.org/2000/svg\" font-family=\"monospace\" font-size=\"12\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#f8f8f0\"/>\n"
            "<text x=\"%d\" y=\"24\" font-size=\"16\" text-anchor=\"middle\">Flame graph: "
            "%llu samples (hover for names and shares)</text>\n",
            FG_WIDTH, height, FG_WIDTH, height, FG_WIDTH / 2,
            (unsigned long long)p->samples);
    double per = p->root.count ? (double)(FG_WIDTH - 2 * FG_PAD) / (double)p->root.count : 0;
    draw(f, &p->root, FG_PAD, 0, height, per, p->root.count ? p->root.count : 1);
    fputs("</svg>\n", f);
}

/* ---- entry points ------------------------------------------------------------- */

int mica_profile_begin(MicaVM *vm)
{
    MicaStatus st = mica_profile_start(vm, PROFILE_HZ);
    if (st != MICA_OK) {
        fflush(stdout);
        fprintf(stderr, "mica: cannot profile: %s\n", mica_last_error(vm));
        return 1;
    }
    return 0;
}

int mica_profile_end(MicaVM *vm, const char *file)
{
    uint64_t samples = 0, lost = 0;
    mica_profile_stop(vm, &samples, &lost);
    Profile p;
    memset(&p, 0, sizeof p);
    int status = 1;
    Entry **by_key = NULL, **by_self = NULL, **by_total = NULL;
    FILE *f = NULL;
    if (mica_profile_stacks(vm, on_sample, &p) != MICA_OK || p.oom) {
        tk_out_of_memory();
        goto done;
    }
    by_key = sorted(&p.stacks, cmp_key);
    by_self = sorted(&p.methods, cmp_self);
    by_total = sorted(&p.methods, cmp_total);
    if (!by_key || !by_self || !by_total) {
        tk_out_of_memory();
        goto done;
    }
    f = fopen(file, "w");
    if (!f) {
        fflush(stdout);
        fprintf(stderr, "mica: cannot write the profile to %s\n", file);
        goto done;
    }
    if (tk_ends_with(file, ".svg"))
        write_svg(f, &p);
    else
        for (size_t i = 0; i < p.stacks.n; i++)
            fprintf(f, "%s %llu\n", by_key[i]->key, (unsigned long long)by_key[i]->count);
    if (fclose(f) != 0) {
        f = NULL;
        fprintf(stderr, "mica: cannot write the profile to %s\n", file);
        goto done;
    }
    f = NULL;
    fflush(stdout);
    fprintf(stderr, "\nprofile: %llu samples of %d ms CPU time%s, %s in %s\n",
            (unsigned long long)p.samples, 1000 / PROFILE_HZ,
            lost ? " (the buffer filled: later samples lost)" : "",
            tk_ends_with(file, ".svg") ? "flame graph" : "folded stacks", file);
    if (p.samples == 0) {
        status = 0;
        goto done;
    }
    size_t top = p.methods.n < TOP ? p.methods.n : TOP;
    fprintf(stderr, "  self%%  total%%  by self time\n");
    for (size_t i = 0; i < top && by_self[i]->self; i++)
        fprintf(stderr, "  %5.1f  %6.1f  %s\n", 100.0 * (double)by_self[i]->self / (double)p.samples,
                100.0 * (double)by_self[i]->total / (double)p.samples, by_self[i]->key);
    fprintf(stderr, "  self%%  total%%  by total time\n");
    for (size_t i = 0; i < top; i++)
        fprintf(stderr, "  %5.1f  %6.1f  %s\n", 100.0 * (double)by_total[i]->self / (double)p.samples,
                100.0 * (double)by_total[i]->total / (double)p.samples, by_total[i]->key);
    status = 0;
done:
    if (f)
        fclose(f);
    free(by_key);
    free(by_self);
    free(by_total);
    table_free(&p.stacks);
    table_free(&p.methods);
    free_nodes(p.root.child);
    return status;
}
