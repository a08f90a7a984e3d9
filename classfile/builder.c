/* classfile/builder.c: the class arena and the builder API the compiler uses
 * (cf_class_new, cf_alloc, cf_cp_*, cf_add_*, cf_set_*). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cf_private.h"
#include "cm_mem.h"

/* ---- arena ----------------------------------------------------------------- */

#define ARENA_CHUNK_MIN  (16u << 10)
#define ARENA_CHUNK_FIRST_MIN 512u
#define ARENA_CHUNK_MAX  (256u << 10)
#define ARENA_ALIGN      _Alignof(max_align_t)

typedef struct CfChunk {
    struct CfChunk *next;
    size_t size, used;
    max_align_t data[];
} CfChunk;

struct CfArena {
    CfChunk *head;           /* the chunk being bumped; big blocks go behind it */
    size_t next_size;
    /* Constant-pool dedup index for the builder: open addressing over cp indices
     * (0 = empty). Kept here because CfClass has no room for it; rebuilt lazily so
     * that classes read from files and entries appended by hand are covered too. */
    uint16_t *tab;
    uint32_t tab_cap;
    uint32_t nindexed;
};

CfArena *cf_arena_new(void)
{
    return cf_arena_new_sized(ARENA_CHUNK_MIN);
}

CfArena *cf_arena_new_sized(size_t first)
{
    CfArena *a = cm_calloc(1, sizeof *a);
    if (!a)
        return NULL;
    if (first < ARENA_CHUNK_FIRST_MIN)
        first = ARENA_CHUNK_FIRST_MIN;
    if (first > ARENA_CHUNK_MAX)
        first = ARENA_CHUNK_MAX;
    a->next_size = (first + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    return a;
}

void *cf_arena_alloc(CfArena *a, size_t n)
{
    if (!a)
        return NULL;
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX / 2)
        return NULL;
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    CfChunk *h = a->head;
    if (h && h->size - h->used >= need) {
        void *p = (unsigned char *)h->data + h->used;
        h->used += need;
        return memset(p, 0, n);
    }
    size_t size = a->next_size;
    bool dedicated = need > size / 4;
    if (dedicated)
        size = need;
    /* Cleared as it is handed out, not whole: reading a small class uses a few
     * hundred bytes of its first chunk, and clearing all of it was most of the
     * time spent reading one. */
    CfChunk *ch = cm_malloc(sizeof *ch + size);
    if (!ch)
        return NULL;
    memset(ch->data, 0, n);
    ch->size = size;
    ch->used = need;
    if (dedicated && h) {
        /* keep bumping the current chunk: its free tail is still useful */
        ch->next = h->next;
        h->next = ch;
    } else {
        ch->next = h;
        a->head = ch;
        if (!dedicated && a->next_size < ARENA_CHUNK_MAX)
            a->next_size *= 2;
    }
    return ch->data;
}

void cf_arena_free(CfArena *a)
{
    if (!a)
        return;
    CfChunk *ch = a->head;
    while (ch) {
        CfChunk *next = ch->next;
        free(ch);
        ch = next;
    }
    free(a->tab);
    free(a);
}

void *cf_alloc(CfClass *c, size_t n)
{
    return c ? cf_arena_alloc(c->arena, n) : NULL;
}

CfClass *cf_class_new(void)
{
    CfArena *a = cf_arena_new();
    if (!a)
        return NULL;
    CfClass *c = cf_arena_alloc(a, sizeof *c);
    if (!c)
        goto fail;
    c->arena = a;
    c->major = CF_MAJOR;
    c->minor = CF_MINOR;
    c->cp_cap = 64;
    c->cp = cf_arena_alloc(a, c->cp_cap * sizeof *c->cp);
    if (!c->cp)
        goto fail;
    c->ncp = 1;
    return c;
fail:
    cf_arena_free(a);
    return NULL;
}

void cf_class_free(CfClass *c)
{
    if (c)
        cf_arena_free(c->arena);
}

/* Makes room for one more element in an arena array of [*n] elements whose capacity
 * is *[cap] (0 for arrays that came from the reader, sized exactly). */
static void *grow(CfClass *c, void *arr, size_t elem, uint32_t n, uint32_t *cap, uint32_t limit)
{
    if (n < *cap)
        return arr;
    if (n >= limit)
        return NULL;
    uint32_t ncap = n < 8 ? 8 : n * 2;
    if (ncap > limit)
        ncap = limit;
    void *p = cf_alloc(c, (size_t)ncap * elem);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, arr, (size_t)n * elem);
    *cap = ncap;
    return p;
}

/* ---- constant pool ---------------------------------------------------------- */

static uint32_t hash_bytes(uint32_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static uint32_t const_hash(const CfConst *k)
{
    uint32_t h = hash_bytes(2166136261u, &k->kind, 1);
    switch (k->kind) {
    case CF_CONST_UTF8:
        return hash_bytes(h, k->u.utf8.s, k->u.utf8.len);
    case CF_CONST_INT:
        return hash_bytes(h, &k->u.i, sizeof k->u.i);
    case CF_CONST_FLOAT:
        return hash_bytes(h, &k->u.f, sizeof k->u.f);
    case CF_CONST_CLASS:
    case CF_CONST_STRING:
        return hash_bytes(h, &k->u.name, sizeof k->u.name);
    case CF_CONST_FIELD:
    case CF_CONST_METHOD: {
        uint16_t r[3] = {k->u.ref.cls, k->u.ref.name, k->u.ref.desc};
        return hash_bytes(h, r, sizeof r);
    }
    default:
        return h;
    }
}

static bool const_eq(const CfConst *a, const CfConst *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case CF_CONST_UTF8:
        return a->u.utf8.len == b->u.utf8.len &&
               memcmp(a->u.utf8.s, b->u.utf8.s, a->u.utf8.len) == 0;
    case CF_CONST_INT:
        return a->u.i == b->u.i;
    case CF_CONST_FLOAT:
        /* by bit pattern, so 0.0 and -0.0 stay distinct and NaN finds itself */
        return memcmp(&a->u.f, &b->u.f, sizeof a->u.f) == 0;
    case CF_CONST_CLASS:
    case CF_CONST_STRING:
        return a->u.name == b->u.name;
    case CF_CONST_FIELD:
    case CF_CONST_METHOD:
        return a->u.ref.cls == b->u.ref.cls && a->u.ref.name == b->u.ref.name &&
               a->u.ref.desc == b->u.ref.desc;
    default:
        return false;
    }
}

/* Finds the slot of an entry equal to [k], or the empty slot where it would go. */
static uint32_t tab_find(const CfClass *c, const CfConst *k)
{
    const CfArena *a = c->arena;
    uint32_t mask = a->tab_cap - 1;
    uint32_t i = const_hash(k) & mask;
    while (a->tab[i] && !const_eq(&c->cp[a->tab[i]], k))
        i = (i + 1) & mask;
    return i;
}

/* Brings the dedup index up to date with c->cp, with room for one more entry. */
static int index_sync(CfClass *c)
{
    CfArena *a = c->arena;
    uint32_t want = a->tab_cap ? a->tab_cap : 256;
    while (want < 2u * ((uint32_t)c->ncp + 1))
        want *= 2;
    if (want != a->tab_cap || a->nindexed > c->ncp) {
        uint16_t *t = cm_calloc(want, sizeof *t);
        if (!t)
            return -1;
        free(a->tab);
        a->tab = t;
        a->tab_cap = want;
        a->nindexed = 1;
    }
    for (; a->nindexed < c->ncp; a->nindexed++) {
        const CfConst *k = &c->cp[a->nindexed];
        if (k->kind == 0)
            continue;
        uint32_t slot = tab_find(c, k);
        if (!a->tab[slot])    /* keep the first of duplicate entries */
            a->tab[slot] = (uint16_t)a->nindexed;
    }
    return 0;
}

static uint16_t cp_intern(CfClass *c, const CfConst *k)
{
    if (!c || index_sync(c) < 0)
        return 0;
    CfArena *a = c->arena;
    uint32_t slot = tab_find(c, k);
    if (a->tab[slot])
        return a->tab[slot];
    CfConst *cp = grow(c, c->cp, sizeof *cp, c->ncp, &c->cp_cap, 65535);
    if (!cp)
        return 0;
    c->cp = cp;
    CfConst e = *k;
    if (e.kind == CF_CONST_UTF8) {
        char *s = cf_alloc(c, (size_t)e.u.utf8.len + 1);
        if (!s)
            return 0;
        memcpy(s, k->u.utf8.s, e.u.utf8.len);
        e.u.utf8.s = s;
    }
    uint16_t idx = c->ncp++;
    c->cp[idx] = e;
    a->tab[slot] = idx;
    a->nindexed = c->ncp;
    return idx;
}

uint16_t cf_cp_utf8(CfClass *c, const char *s, size_t len)
{
    if (len > CF_MAX_UTF8_LEN || (!s && len))
        return 0;
    CfConst k = {.kind = CF_CONST_UTF8};
    k.u.utf8.s = s ? s : "";
    k.u.utf8.len = (uint32_t)len;
    return cp_intern(c, &k);
}

uint16_t cf_cp_utf8z(CfClass *c, const char *s)
{
    return s ? cf_cp_utf8(c, s, strlen(s)) : 0;
}

uint16_t cf_cp_int(CfClass *c, int64_t v)
{
    CfConst k = {.kind = CF_CONST_INT};
    k.u.i = v;
    return cp_intern(c, &k);
}

uint16_t cf_cp_float(CfClass *c, double v)
{
    CfConst k = {.kind = CF_CONST_FLOAT};
    k.u.f = v;
    return cp_intern(c, &k);
}

static uint16_t cp_named(CfClass *c, uint8_t kind, uint16_t name)
{
    if (!name)
        return 0;
    CfConst k = {.kind = kind};
    k.u.name = name;
    return cp_intern(c, &k);
}

uint16_t cf_cp_string(CfClass *c, const char *s, size_t len)
{
    return cp_named(c, CF_CONST_STRING, cf_cp_utf8(c, s, len));
}

uint16_t cf_cp_class(CfClass *c, const char *internal_name)
{
    return cp_named(c, CF_CONST_CLASS, cf_cp_utf8z(c, internal_name));
}

static uint16_t cp_ref(CfClass *c, uint8_t kind, const char *cls, const char *name,
                       const char *desc)
{
    uint16_t ci = cf_cp_class(c, cls);
    uint16_t ni = cf_cp_utf8z(c, name);
    uint16_t di = cf_cp_utf8z(c, desc);
    if (!ci || !ni || !di)
        return 0;
    CfConst k = {.kind = kind};
    k.u.ref.cls = ci;
    k.u.ref.name = ni;
    k.u.ref.desc = di;
    return cp_intern(c, &k);
}

uint16_t cf_cp_field(CfClass *c, const char *cls, const char *name, const char *desc)
{
    return cp_ref(c, CF_CONST_FIELD, cls, name, desc);
}

uint16_t cf_cp_method(CfClass *c, const char *cls, const char *name, const char *desc)
{
    return cp_ref(c, CF_CONST_METHOD, cls, name, desc);
}

/* ---- members ------------------------------------------------------------------ */

CfField *cf_add_field(CfClass *c, uint16_t flags, const char *name, const char *desc)
{
    if (!c)
        return NULL;
    uint16_t ni = cf_cp_utf8z(c, name), di = cf_cp_utf8z(c, desc);
    if (!ni || !di)
        return NULL;
    CfField *f = grow(c, c->fields, sizeof *f, c->nfields, &c->fields_cap, 65535);
    if (!f)
        return NULL;
    c->fields = f;
    f = &c->fields[c->nfields++];
    memset(f, 0, sizeof *f);
    f->flags = flags;
    f->name = ni;
    f->desc = di;
    return f;
}

CfMethod *cf_add_method(CfClass *c, uint16_t flags, const char *name, const char *desc)
{
    if (!c)
        return NULL;
    uint16_t ni = cf_cp_utf8z(c, name), di = cf_cp_utf8z(c, desc);
    if (!ni || !di)
        return NULL;
    CfMethod *m = grow(c, c->methods, sizeof *m, c->nmethods, &c->methods_cap, 65535);
    if (!m)
        return NULL;
    c->methods = m;
    m = &c->methods[c->nmethods++];
    memset(m, 0, sizeof *m);
    m->flags = flags;
    m->name = ni;
    m->desc = di;
    return m;
}

int cf_add_interface(CfClass *c, const char *internal_name)
{
    if (!c)
        return -1;
    uint16_t ci = cf_cp_class(c, internal_name);
    if (!ci)
        return -1;
    uint16_t *v = grow(c, c->interfaces, sizeof *v, c->ninterfaces, &c->ifaces_cap, 65535);
    if (!v)
        return -1;
    c->interfaces = v;
    c->interfaces[c->ninterfaces++] = ci;
    return 0;
}

/* ---- attributes ---------------------------------------------------------------- */

static bool has_attr(const CfAttr *attrs, uint16_t n, uint8_t kind)
{
    for (uint16_t i = 0; i < n; i++)
        if (attrs[i].kind == kind)
            return true;
    return false;
}

/* Appends a known-kind record to an owner's list. Lists are short (a handful of
 * entries), so copying on each append is cheaper than tracking a capacity. */
static int attr_append(CfClass *c, CfAttr **attrs, uint16_t *n, const char *name,
                       uint16_t flags, uint8_t kind)
{
    if (has_attr(*attrs, *n, kind))
        return 0;
    if (*n == UINT16_MAX)
        return -1;
    uint16_t ni = cf_cp_utf8z(c, name);
    if (!ni)
        return -1;
    CfAttr *v = cf_alloc(c, ((size_t)*n + 1) * sizeof *v);
    if (!v)
        return -1;
    if (*n)
        memcpy(v, *attrs, (size_t)*n * sizeof *v);
    v[*n].name = ni;
    v[*n].flags = flags;
    v[*n].kind = kind;
    *attrs = v;
    (*n)++;
    return 0;
}

int cf_set_code(CfClass *c, CfMethod *m, uint16_t max_stack, uint16_t nlocals,
                const uint16_t *local_types, const uint8_t *code, uint32_t code_len,
                const CfLine *lines, uint32_t nlines)
{
    if (!c || !m || code_len > CF_MAX_CODE_LEN || (code_len && !code) ||
        (nlocals && !local_types))
        return -1;
    CfCode *k = cf_alloc(c, sizeof *k);
    if (!k)
        return -1;
    k->max_stack = max_stack;
    k->nlocals = nlocals;
    k->local_types = cf_alloc(c, (size_t)nlocals * sizeof *k->local_types);
    k->code = cf_alloc(c, code_len);
    if (!k->local_types || !k->code)
        return -1;
    if (nlocals)
        memcpy(k->local_types, local_types, (size_t)nlocals * sizeof *local_types);
    if (code_len)
        memcpy(k->code, code, code_len);
    k->code_len = code_len;
    if (lines && nlines) {
        /* The format wants strictly increasing pcs inside the code. Code generators
         * naturally produce several lines at one pc (empty statements) and a line for
         * the position after the last instruction; keep the last line per pc and drop
         * positions past the end rather than make every caller filter. */
        k->lines = cf_alloc(c, (size_t)nlines * sizeof *k->lines);
        if (!k->lines)
            return -1;
        uint32_t n = 0;
        for (uint32_t i = 0; i < nlines; i++) {
            if (lines[i].pc >= code_len)
                continue;
            if (n && lines[i].pc < k->lines[n - 1].pc)
                return -1;
            if (n && lines[i].pc == k->lines[n - 1].pc)
                k->lines[n - 1] = lines[i];
            else
                k->lines[n++] = lines[i];
        }
        k->nlines = n;
        if (n && attr_append(c, &k->attrs, &k->nattrs, "LineNumbers", 0, CF_ATTR_LINES) < 0)
            return -1;
    }
    if (attr_append(c, &m->attrs, &m->nattrs, "Code", CF_ATTR_REQUIRED, CF_ATTR_CODE) < 0)
        return -1;
    m->code = k;
    return 0;
}

int cf_set_native(CfClass *c, CfMethod *m, const char *lib, const char *sym)
{
    if (!c || !m)
        return -1;
    uint16_t li = cf_cp_utf8z(c, lib), si = cf_cp_utf8z(c, sym);
    if (!li || !si)
        return -1;
    if (attr_append(c, &m->attrs, &m->nattrs, "Native", CF_ATTR_REQUIRED, CF_ATTR_NATIVE) < 0)
        return -1;
    m->flags |= CF_ACC_NATIVE;
    m->native_lib = li;
    m->native_sym = si;
    return 0;
}

int cf_set_source_file(CfClass *c, const char *file)
{
    if (!c)
        return -1;
    uint16_t fi = cf_cp_utf8z(c, file);
    if (!fi)
        return -1;
    if (attr_append(c, &c->attrs, &c->nattrs, "SourceFile", 0, CF_ATTR_SOURCE) < 0)
        return -1;
    c->source_file = fi;
    return 0;
}
