/* compiler/suggest.c: "did you mean" suggestions: the name in scope closest to a
 * misspelt one (edit distance), and the import that brings a standard-library
 * class into scope. */
#include <ctype.h>
#include <string.h>

#include "cc.h"

/* Optimal-string-alignment distance (insertions, deletions, substitutions and
 * transpositions cost 1; a change of case alone costs nothing extra but 1). */
int cc_edit_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na > 64 || nb > 64)
        return 99;
    int d[65][65];
    for (size_t i = 0; i <= na; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= na; i++) {
        for (size_t j = 1; j <= nb; j++) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[na][nb];
}

static bool same_ignoring_case(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

void cc_cands_add(Cc *cc, Cands *c, const char *name)
{
    if (!name || !name[0] || name[0] == '<' || strchr(name, '$'))
        return;
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->v[i], name) == 0)
            return;
    CC_PUSH(cc, c->v, c->n, c->cap, name);
}

const char *cc_cands_best(const Cands *c, const char *name)
{
    size_t len = strlen(name);
    int limit = len <= 3 ? 1 : (int)(len / 3) > 1 ? (int)(len / 3) : 1;
    const char *best = NULL;
    int best_d = limit + 1;
    for (int i = 0; i < c->n; i++) {
        if (strcmp(c->v[i], name) == 0)
            continue;
        if (same_ignoring_case(c->v[i], name))
            return c->v[i];
        int dist = cc_edit_distance(name, c->v[i]);
        /* a one-letter name is "close" to every other one: ask for more */
        if (strlen(c->v[i]) <= 1 && len <= 1)
            continue;
        if (dist < best_d) {
            best_d = dist;
            best = c->v[i];
        }
    }
    return best;
}

void cc_cands_members(Cc *cc, Cands *c, ClassInfo *ci, bool methods, bool fields, int depth)
{
    if (!ci || depth > 64 || !cc_class_ensure(cc, ci))
        return;
    for (int i = 0; methods && i < ci->nmethods; i++)
        if (!ci->methods[i]->bridge_to)
            cc_cands_add(cc, c, ci->methods[i]->name);
    for (int i = 0; fields && i < ci->nfields; i++)
        cc_cands_add(cc, c, ci->fields[i]->name);
    cc_cands_members(cc, c, ci->super, methods, fields, depth + 1);
    for (int i = 0; i < ci->nifaces; i++)
        cc_cands_members(cc, c, ci->ifaces[i], methods, fields, depth + 1);
}

static void add_listed(void *arg, const char *internal_name)
{
    void **a = arg;
    Cc *cc = a[0];
    const char *slash = strrchr(internal_name, '/');
    const char *simple = slash ? slash + 1 : internal_name;
    cc_cands_add(cc, a[1], cc_strdup(cc, simple, strlen(simple)));
}

static void list_package(Cc *cc, Cands *c, const char *pkg)
{
    if (!cc->cp || !cc->cp->list)
        return;
    void *arg[2] = {cc, c};
    cc->cp->list(cc->cp->ud, pkg, add_listed, arg);
}

void cc_cands_classes(Cc *cc, Cands *c, SourceFile *f)
{
    for (int i = 0; i < cc->nsource; i++) {
        ClassInfo *ci = cc->source_classes[i];
        const char *slash = strrchr(ci->name, '/');
        size_t plen = slash ? (size_t)(slash - ci->name) : 0;
        if (ci->decl && strlen(f->pkg) == plen && strncmp(ci->name, f->pkg, plen) == 0)
            cc_cands_add(cc, c, ci->simple);
    }
    for (int i = 0; i < f->nimports; i++) {
        Import *im = &f->imports[i];
        if (!im->wildcard) {
            const char *dot = strrchr(im->name, '.');
            cc_cands_add(cc, c, dot ? dot + 1 : im->name);
        }
    }
    if (!cc->no_implicit_std)
        list_package(cc, c, "std/core");
    cc_cands_add(cc, c, "int");
    cc_cands_add(cc, c, "float");
    cc_cands_add(cc, c, "bool");
    cc_cands_add(cc, c, "byte");
}

/* The packages of the standard library besides std.core, searched for an
 * import to suggest. */
static const char *const std_packages[] = {
    "std/collections", "std/io", "std/regex", "std/time", "std/os", "std/text",
    "std/math", "std/ffi",
};

const char *cc_std_import_for(Cc *cc, const char *simple)
{
    if (cc->no_implicit_std || strchr(simple, '.'))
        return NULL;
    for (size_t i = 0; i < sizeof std_packages / sizeof std_packages[0]; i++) {
        const char *full = cc_printf(cc, "%s/%s", std_packages[i], simple);
        if (cc_class_find(cc, full)) {
            char *d = cc_strdup(cc, full, strlen(full));
            for (char *p = d; *p; p++)
                if (*p == '/')
                    *p = '.';
            return d;
        }
    }
    return NULL;
}

void cc_class_not_found(Cc *cc, SourceFile *f, uint32_t pos, const char *name)
{
    const char *imp = cc_std_import_for(cc, name);
    if (imp) {
        cc_error(cc, f, pos, "class '%s' not found; add 'import %s;'", name, imp);
        return;
    }
    cc_error(cc, f, pos, "class '%s' not found", name);
    Cands c = {0};
    cc_cands_classes(cc, &c, f);
    const char *best = cc_cands_best(&c, name);
    if (best)
        cc_help(cc, "a class with a similar name exists: '%s'", best);
}

/* ---- in code: locals, members and functions ---------------------------------- */
#include "gen.h"

static void add_locals(Gen *g, Cands *c, int depth)
{
    if (!g || depth > 64)
        return;
    for (Local *l = g->locals; l; l = l->next)
        cc_cands_add(g->cc, c, l->name);
    if (g->lam)
        add_locals(g->lam->outer, c, depth + 1);
}

static void add_module_functions(Gen *g, Cands *c, const char *pkg)
{
    ModuleList *ml = cc_modules_of(g->cc, pkg);
    for (int i = 0; i < ml->n; i++) {
        ClassInfo *m = ml->mods[i];
        if (!cc_class_ensure(g->cc, m))
            continue;
        for (int k = 0; k < m->nmethods; k++)
            if (m->methods[k]->flags & CF_ACC_STATIC)
                cc_cands_add(g->cc, c, m->methods[k]->name);
        for (int k = 0; k < m->nfields; k++)
            if (m->fields[k]->flags & CF_ACC_STATIC)
                cc_cands_add(g->cc, c, m->fields[k]->name);
    }
}

static void add_functions(Gen *g, Cands *c)
{
    if (g->ci)
        cc_cands_members(g->cc, c, g->ci, true, false, 0);
    add_module_functions(g, c, g->f->pkg);
    for (int i = 0; i < g->f->nimports; i++) {
        Import *im = &g->f->imports[i];
        if (!im->wildcard)
            continue;
        char *p = cc_strdup(g->cc, im->name, strlen(im->name));
        for (char *q = p; *q; q++)
            if (*q == '.')
                *q = '/';
        add_module_functions(g, c, p);
    }
    if (!g->cc->no_implicit_std)
        add_module_functions(g, c, "std/core");
    cc_cands_add(g->cc, c, "print");
    cc_cands_add(g->cc, c, "println");
}

void g_suggest_name(Gen *g, const char *name)
{
    Cands c = {0};
    add_locals(g, &c, 0);
    if (g->ci)
        cc_cands_members(g->cc, &c, g->ci, false, true, 0);
    add_module_functions(g, &c, g->f->pkg);
    const char *best = cc_cands_best(&c, name);
    if (best)
        cc_help(g->cc, "did you mean '%s'?", best);
}

void g_suggest_function(Gen *g, const char *name)
{
    Cands c = {0};
    add_functions(g, &c);
    const char *best = cc_cands_best(&c, name);
    if (best)
        cc_help(g->cc, "did you mean '%s'?", best);
}

void g_suggest_member(Gen *g, ClassInfo *ci, const char *name, bool methods)
{
    Cands c = {0};
    cc_cands_members(g->cc, &c, ci, methods, !methods, 0);
    const char *best = cc_cands_best(&c, name);
    if (best)
        cc_help(g->cc, "did you mean '%s'?", best);
}

const char *cc_call_text(Cc *cc, SourceFile *f, uint32_t pos)
{
    size_t i = pos, depth = 0;
    bool in_str = false;
    while (i < f->len && f->text[i] != '(' && f->text[i] != '\n')
        i++;
    for (; i < f->len && f->text[i] != '\n'; i++) {
        char ch = f->text[i];
        if (in_str) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_str = false;
        } else if (ch == '"') {
            in_str = true;
        } else if (ch == '(') {
            depth++;
        } else if (ch == ')' && --depth == 0) {
            return cc_strdup(cc, f->text + pos, i + 1 - pos);
        }
    }
    return NULL;
}
