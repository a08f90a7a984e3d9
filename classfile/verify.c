/* classfile/verify.c: the bytecode verifier (one linear pass per method, no type
 * merging) and the branch/handler side table it hands to the linker. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"
#include "cm_mem.h"
#include "cm_assert.h"

#define NAME_OBJECT "std/core/Object"
#define NAME_EXCEPTION "std/core/Exception"
#define NAME_STRING "std/core/String"
#define NAME_FUNCTION "std/core/Function"

/* Stack types (T_*) and, in expected-operand lists only, looser patterns (X_*). */
enum {
    T_NONE = 0,
    T_INT,
    T_FLOAT,
    T_NULL,
    T_REF,
    X_ANY,      /* any value (pop, dup, ...)                  */
    X_ANYREF,   /* any reference or null                      */
    X_ARRAY,    /* any array or null                          */
    X_REFARRAY, /* an array of references, or null            */
    X_BARRAY,   /* [B or [Z, or null                          */
};

/* Region kinds of the control stack; R_FUNC is the method body, not a branch target. */
enum { R_FUNC, R_BLOCK, R_LOOP, R_IF, R_ELSE, R_TRY, R_CATCH };

typedef struct VType {
    uint8_t k;
    char d;           /* first character of the descriptor it came from (iinc wants I) */
    uint8_t is_this;  /* pushed by `load 0` in a constructor: the object under construction */
    uint32_t len;     /* T_REF: length of name                                              */
    const char *name; /* T_REF: internal name or array descriptor, not NUL-terminated       */
} VType;

typedef struct Ctrl {
    uint8_t kind;
    uint8_t has_res;
    uint8_t unreachable; /* the last instruction did not fall through           */
    uint8_t have_catch;
    VType res;
    uint32_t base;        /* stack height at entry                               */
    uint32_t open_pc;     /* pc of the opening instruction                       */
    uint32_t start;       /* pc after the opening instruction                    */
    uint32_t first_catch; /* try: pc of its first catch                          */
    int32_t pend;         /* head of the branch entries waiting for this `end`   */
    int32_t if_entry;     /* if: the entry of the `if` itself, until else/end    */
} Ctrl;

/* A parsed method descriptor. */
typedef struct Sig {
    uint8_t state; /* 0 not parsed, 1 well-formed, 2 malformed */
    uint32_t np;
    VType *params; /* [np + 1], [0] reserved for a receiver; NULL if np > 65535 */
    VType ret;     /* T_NONE for V */
} Sig;

typedef struct Verifier {
    CfClass *c;
    const CfHierarchy *h;
    CfError *err;
    const char *cls_name;
    uint32_t cls_len;
    const char *super_name; /* NULL for std/core/Object */
    VType ret;              /* the current method's return type, T_NONE for V */
    /* the method being verified */
    const char *m_name, *m_desc;
    bool in_init;
    bool have_pc;
    uint32_t pc;
    const char *mnem;
    uint8_t dead_op; /* the instruction after which code is unreachable */
    /* operand stack */
    VType *stack;
    uint32_t height, max_stack, stack_cap;
    /* locals: types and the first character of their descriptors */
    VType *locals;
    uint32_t nloc, loc_cap;
    /* control stack */
    Ctrl *ctrl;
    uint32_t nctrl;
    /* side table under construction */
    CfBranch *br;
    int32_t *pend_next;
    uint32_t nbr, br_cap;
    CfHandler *hd;
    uint32_t nhd, hd_cap;
    /* scratch */
    char *sa, *sb;
    size_t sa_cap, sb_cap;
    bool oom;  /* cp_sig ran out of memory (already reported) */
    Sig *sigs; /* [ncp], by Utf8 index, allocated on first use */
} Verifier;

/* ---- messages ------------------------------------------------------------ */

typedef struct Buf {
    char *p;
    size_t cap, len;
} Buf;

static void buf_add(Buf *b, const char *fmt, ...)
{
    if (b->len + 1 >= b->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    b->len += (size_t)n;
    if (b->len >= b->cap)
        b->len = b->cap - 1;
}

/* Fills the error with "Class.method(desc) @pc mnemonic: <message>"; returns -1. */
static int vfail(Verifier *V, const char *fmt, ...)
{
    Buf b = {V->err->msg, sizeof V->err->msg, 0};
    V->err->msg[0] = '\0';
    /* names are bounded by the format, a descriptor is not: keep the message short */
    buf_add(&b, "%.200s", V->cls_name ? V->cls_name : "?");
    if (V->m_name) {
        const char *d = V->m_desc ? V->m_desc : "";
        buf_add(&b, ".%.200s%.160s%s", V->m_name, d, strlen(d) > 160 ? "..." : "");
    }
    if (V->have_pc)
        buf_add(&b, " @%u", V->pc);
    if (V->have_pc && V->mnem)
        buf_add(&b, " %s", V->mnem);
    buf_add(&b, ": ");
    if (b.len + 1 < b.cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(b.p + b.len, b.cap - b.len, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static void buf_type(Buf *b, const VType *t)
{
    switch (t->k) {
    case T_INT: /* bool and byte values are ints on the stack; say which they came from */
        buf_add(b, t->d == 'Z' ? "bool" : t->d == 'B' ? "byte" : "int");
        break;
    case T_FLOAT:
        buf_add(b, "float");
        break;
    case T_NULL:
        buf_add(b, "null");
        break;
    case T_REF:
        buf_add(b, "%.*s", (int)t->len, t->name);
        break;
    case X_ANY:
        buf_add(b, "any");
        break;
    case X_ANYREF:
        buf_add(b, "ref");
        break;
    case X_ARRAY:
        buf_add(b, "array");
        break;
    case X_REFARRAY:
        buf_add(b, "ref-array");
        break;
    case X_BARRAY:
        buf_add(b, "[B|[Z");
        break;
    default:
        buf_add(b, "void");
        break;
    }
}

/* Writes "[t1 t2 ...]" into [out]. */
static const char *fmt_types(char *out, size_t cap, const VType *t, uint32_t n)
{
    Buf b = {out, cap, 0};
    out[0] = '\0';
    buf_add(&b, "[");
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            buf_add(&b, " ");
        buf_type(&b, &t[i]);
    }
    buf_add(&b, "]");
    return out;
}

static const char *region_name(uint8_t kind)
{
    switch (kind) {
    case R_BLOCK:
        return "block";
    case R_LOOP:
        return "loop";
    case R_IF:
    case R_ELSE:
        return "if";
    case R_TRY:
    case R_CATCH:
        return "try";
    default:
        return "method body";
    }
}

/* The kind of constant [k] with its article: "a Utf8", "an Int", "an unused". */
static const char *const_kind_name(uint8_t k)
{
    switch (k) {
    case CF_CONST_UTF8:
        return "a Utf8";
    case CF_CONST_INT:
        return "an Int";
    case CF_CONST_FLOAT:
        return "a Float";
    case CF_CONST_CLASS:
        return "a Class";
    case CF_CONST_STRING:
        return "a String";
    case CF_CONST_FIELD:
        return "a Field";
    case CF_CONST_METHOD:
        return "a Method";
    default:
        return "an unused";
    }
}

/* The region kind with its article: "a block", "an if". */
static const char *region_a(uint8_t kind)
{
    switch (kind) {
    case R_IF:
    case R_ELSE:
        return "an if";
    case R_BLOCK:
        return "a block";
    case R_LOOP:
        return "a loop";
    case R_TRY:
    case R_CATCH:
        return "a try";
    default:
        return "a method body";
    }
}

/* ---- descriptors and names ----------------------------------------------- */

/* The longest field descriptor: 255 dimensions, then L, a longest name and ;. */
#define MAX_FIELD_DESC (255 + CF_MAX_NAME_LEN + 2)

/* The verifier checks names and descriptors with the same rules as the reader
 * (classfile/descriptor.c), so a class the builder made is held to the format. */
static size_t field_len(const char *s, size_t n, bool allow_void)
{
    return cf_desc_field_len(s, n, allow_void);
}

/* Is [s] ([n] bytes) exactly one field descriptor? The length bound first, so a huge
 * bogus constant costs nothing however often it is named. */
static bool field_desc_ok(const char *s, size_t n)
{
    return n > 0 && n <= MAX_FIELD_DESC && field_len(s, n, false) == n;
}

/* Validates the method descriptor [s] ([n] bytes): parameter count into *[np], the
 * return descriptor into *[ret]. */
static bool method_desc_ok(const char *s, size_t n, uint32_t *np, const char **ret)
{
    size_t i = 1;
    uint32_t k = 0;
    if (n < 3 || s[0] != '(')
        return false;
    while (i < n && s[i] != ')') {
        size_t l = field_len(s + i, n - i, false);
        if (!l || k == UINT32_MAX)
            return false;
        i += l;
        k++;
    }
    if (i >= n)
        return false;
    i++;
    size_t rl = field_len(s + i, n - i, true);
    if (!rl || i + rl != n)
        return false;
    if (np)
        *np = k;
    if (ret)
        *ret = s + i;
    return true;
}

/* The stack type of the (well-formed) field descriptor [s] of length [len]. */
static VType desc_type(const char *s, size_t len)
{
    VType t = {T_NONE, s[0], 0, 0, NULL};
    switch (s[0]) {
    case 'I':
    case 'Z':
    case 'B':
        t.k = T_INT;
        break;
    case 'F':
        t.k = T_FLOAT;
        break;
    case 'L':
        t.k = T_REF;
        t.name = s + 1;
        t.len = (uint32_t)(len - 2);
        break;
    default:
        t.k = T_REF;
        t.name = s;
        t.len = (uint32_t)len;
        break;
    }
    return t;
}

static VType desc_type_z(const char *s)
{
    return desc_type(s, strlen(s));
}

static VType ref_type(const char *name)
{
    VType t = {T_REF, 'L', 0, (uint32_t)strlen(name), name};
    return t;
}

static VType kind_type(uint8_t k)
{
    VType t = {k, 0, 0, 0, NULL};
    return t;
}

static bool ref_is(const VType *t, const char *name)
{
    size_t n = strlen(name);
    return t->k == T_REF && t->len == n && memcmp(t->name, name, n) == 0;
}

static bool same_type(const VType *a, const VType *b)
{
    if (a->k != b->k)
        return false;
    return a->k != T_REF || (a->len == b->len && memcmp(a->name, b->name, a->len) == 0);
}

/* ---- constant pool ------------------------------------------------------- */

static const char *cp_utf8(const CfClass *c, uint16_t i)
{
    if (i == 0 || i >= c->ncp || c->cp[i].kind != CF_CONST_UTF8 || !c->cp[i].u.utf8.s)
        return NULL;
    return c->cp[i].u.utf8.s;
}

/* Byte length of Utf8 entry [i] (which must be one). */
static size_t cp_len(const CfClass *c, uint16_t i)
{
    return c->cp[i].u.utf8.len;
}

/* The name of CLASS entry [i] if it is one and names a class or an array type. */
static const char *cp_class(const CfClass *c, uint16_t i)
{
    if (i == 0 || i >= c->ncp || c->cp[i].kind != CF_CONST_CLASS)
        return NULL;
    uint16_t u = c->cp[i].u.name;
    const char *s = cp_utf8(c, u);
    if (!s || cp_len(c, u) > CF_MAX_NAME_LEN || !cf_class_name_ok(s))
        return NULL;
    return s;
}

/* The text of Utf8 entry [i] if it holds exactly one field descriptor. */
static const char *cp_field_desc(const CfClass *c, uint16_t i)
{
    const char *s = cp_utf8(c, i);
    return s && field_desc_ok(s, cp_len(c, i)) ? s : NULL;
}

static uint8_t cp_kind(const CfClass *c, uint16_t i)
{
    return i < c->ncp ? c->cp[i].kind : 0;
}

/* ---- scratch memory ------------------------------------------------------ */

/* A NUL-terminated copy of [len] bytes at [s] in the scratch buffer *[buf]. */
static const char *cstr(Verifier *V, char **buf, size_t *cap, const char *s, uint32_t len)
{
    if ((size_t)len + 1 > *cap) {
        char *q = cm_realloc(*buf, (size_t)len + 1);
        if (!q) {
            vfail(V, "out of memory");
            return NULL;
        }
        *buf = q;
        *cap = (size_t)len + 1;
    }
    memcpy(*buf, s, len);
    (*buf)[len] = '\0';
    return *buf;
}

/* The parsed method descriptor at Utf8 entry [i], parsed once per class so that
 * re-naming a long descriptor costs nothing; NULL (not reported) if malformed.
 * params has np + 1 entries: params[0] is left for a receiver. */
static Sig *cp_sig(Verifier *V, uint16_t i)
{
    const CfClass *c = V->c;
    const char *s = cp_utf8(c, i);
    if (!s)
        return NULL;
    if (!V->sigs) {
        V->sigs = cm_calloc(c->ncp, sizeof *V->sigs);
        if (!V->sigs) {
            V->oom = true;
            vfail(V, "out of memory");
            return NULL;
        }
    }
    Sig *g = &V->sigs[i];
    if (g->state == 0) {
        size_t n = cp_len(c, i);
        const char *ret;
        g->state = 2;
        if (!method_desc_ok(s, n, &g->np, &ret))
            return NULL;
        g->ret = *ret == 'V' ? kind_type(T_NONE) : desc_type(ret, n - (size_t)(ret - s));
        /* More parameters than any operand stack holds: no call can supply them. */
        if (g->np <= UINT16_MAX) {
            g->params = cm_malloc(((size_t)g->np + 1) * sizeof *g->params);
            if (!g->params) {
                g->state = 0;
                V->oom = true;
                vfail(V, "out of memory");
                return NULL;
            }
            size_t k = 1, at = 1;
            while (s[at] != ')') {
                size_t l = field_len(s + at, n - at, false);
                g->params[k++] = desc_type(s + at, l);
                at += l;
            }
        }
        g->state = 1;
    }
    return g->state == 1 ? g : NULL;
}

/* ---- hierarchy questions ------------------------------------------------- */

static bool is_this_class_direct_parent(Verifier *V, const char *to, uint32_t tolen)
{
    if (V->super_name && strlen(V->super_name) == tolen && !memcmp(V->super_name, to, tolen))
        return true;
    /* a shortcut only: a long interface list is left to the hierarchy */
    for (uint16_t i = 0; i < V->c->ninterfaces && i < 16; i++) {
        const char *s = cp_class(V->c, V->c->interfaces[i]);
        if (s && strlen(s) == tolen && !memcmp(s, to, tolen))
            return true;
    }
    return false;
}

/* Is a value of type [from] assignable to the reference type [to]? 1, 0, or -1
 * with the error reported. */
static int assignable(Verifier *V, const VType *from, const char *to, uint32_t tolen)
{
    if (from->k == T_NULL)
        return 1;
    if (from->k != T_REF)
        return 0;
    if (tolen == sizeof NAME_OBJECT - 1 && !memcmp(to, NAME_OBJECT, tolen))
        return 1;
    if (from->len == tolen && !memcmp(from->name, to, tolen))
        return 1;
    if (from->name[0] == '[' || to[0] == '[') {
        /* arrays of references are covariant, [X to [Y when X is assignable to Y
         * (aastore checks each store at run time); other arrays only reach Object */
        if (from->name[0] != '[' || to[0] != '[' || from->len < 2 || tolen < 2)
            return 0;
        VType fe = desc_type(from->name + 1, from->len - 1);
        VType te = desc_type(to + 1, tolen - 1);
        if (fe.k != T_REF || te.k != T_REF)
            return 0;
        return assignable(V, &fe, te.name, te.len);
    }
    if (from->len == V->cls_len && !memcmp(from->name, V->cls_name, from->len) &&
        is_this_class_direct_parent(V, to, tolen))
        return 1;
    if (!V->h || !V->h->assignable)
        return vfail(V, "cannot check that %.*s is assignable to %.*s: no class hierarchy",
                     (int)from->len, from->name, (int)tolen, to);
    const char *a = cstr(V, &V->sa, &V->sa_cap, from->name, from->len);
    const char *b = a ? cstr(V, &V->sb, &V->sb_cap, to, tolen) : NULL;
    if (!b)
        return -1;
    CfError e;
    e.msg[0] = '\0';
    int r = V->h->assignable(V->h->ud, a, b, &e);
    if (r < 0)
        return vfail(V, "%s", e.msg[0] ? e.msg : "class hierarchy lookup failed");
    return r ? 1 : 0;
}

static int is_interface(Verifier *V, const char *name)
{
    if (!strcmp(name, V->cls_name))
        return (V->c->flags & CF_ACC_INTERFACE) != 0;
    if (name[0] == '[' || !strcmp(name, NAME_OBJECT))
        return 0;
    if (!V->h || !V->h->is_interface)
        return vfail(V, "cannot check whether %s is an interface: no class hierarchy", name);
    CfError e;
    e.msg[0] = '\0';
    int r = V->h->is_interface(V->h->ud, name, &e);
    if (r < 0)
        return vfail(V, "%s", e.msg[0] ? e.msg : "class hierarchy lookup failed");
    return r ? 1 : 0;
}

/* The class a CLASS name or array descriptor refers to ("[[LFoo;" -> Foo), or NULL
 * for a primitive array; the name is written to [buf]. */
static const char *named_class(const char *d, size_t len, char *buf, size_t cap)
{
    if (len && d[0] == '[') {
        while (len && *d == '[')
            d++, len--;
        if (len < 2 || *d != 'L')
            return NULL;
        d++, len--;
        if (d[len - 1] == ';')
            len--;
    }
    if (len + 1 > cap)
        len = cap - 1;
    memcpy(buf, d, len);
    buf[len] = '\0';
    return buf;
}

/* Every class the code names must load when the method is verified (spec/bytecode.md,
 * "Missing classes"): 0, or -1 reported ("class Foo not found", after "local N: "
 * when [local] >= 0). *[flags] (may be NULL) gets its CF_ACC_* flags (0 when the
 * hierarchy cannot tell). */
static int need_class_n(Verifier *V, const char *cn, size_t len, int64_t local, uint16_t *flags)
{
    char buf[CF_MAX_NAME_LEN + 1];
    const char *name = named_class(cn, len, buf, sizeof buf);
    if (flags)
        *flags = 0;
    if (!name || !strcmp(name, NAME_OBJECT))
        return 0;
    if (!strcmp(name, V->cls_name)) {
        if (flags)
            *flags = V->c->flags;
        return 0;
    }
    if (!V->h || !V->h->class_flags)
        return 0;
    CfError e;
    e.msg[0] = '\0';
    uint16_t f = 0;
    if (V->h->class_flags(V->h->ud, name, &f, &e) < 0) {
        const char *why = e.msg[0] ? e.msg : "class hierarchy lookup failed";
        return local < 0 ? vfail(V, "%s", why) : vfail(V, "local %u: %s", (unsigned)local, why);
    }
    if (flags)
        *flags = f;
    return 0;
}

static int need_class(Verifier *V, const char *cn, uint16_t *flags)
{
    return need_class_n(V, cn, strlen(cn), -1, flags);
}

/* Does the value [have] match the expectation [want]? 1, 0 or -1 (reported). */
static int match(Verifier *V, const VType *have, const VType *want)
{
    bool ref = have->k == T_REF || have->k == T_NULL;
    bool null = have->k == T_NULL;
    switch (want->k) {
    case X_ANY:
        return 1;
    case T_INT:
        return have->k == T_INT;
    case T_FLOAT:
        return have->k == T_FLOAT;
    case X_ANYREF:
        return ref;
    case X_ARRAY:
        return null || (have->k == T_REF && have->name[0] == '[');
    case X_REFARRAY:
        return null || (have->k == T_REF && have->len >= 2 && have->name[0] == '[' &&
                        (have->name[1] == 'L' || have->name[1] == '['));
    case X_BARRAY:
        return null || ref_is(have, "[B") || ref_is(have, "[Z");
    case T_REF:
        return assignable(V, have, want->name, want->len);
    default:
        return 0;
    }
}

/* ---- the operand stack --------------------------------------------------- */

static Ctrl *cur(Verifier *V)
{
    MICA_ASSERT(V->nctrl > 0); /* the method body's region is never closed */
    return &V->ctrl[V->nctrl - 1];
}

/* Checks that the top of the stack holds values matching want[0..n-1] (want[n-1] on
 * top), all above the current region's base, and pops them if [pop]. */
static int check(Verifier *V, const VType *want, uint32_t n, bool pop)
{
    char e[200], g[200];
    uint32_t avail = V->height - cur(V)->base;
    if (avail < n)
        return vfail(V, "stack underflow: expected %s, got %s", fmt_types(e, sizeof e, want, n),
                     fmt_types(g, sizeof g, V->stack + V->height - avail, avail));
    const VType *top = V->stack + V->height - n;
    for (uint32_t i = 0; i < n; i++) {
        int r = match(V, &top[i], &want[i]);
        if (r < 0)
            return -1;
        if (!r)
            return vfail(V, "expected %s, got %s", fmt_types(e, sizeof e, want, n),
                         fmt_types(g, sizeof g, top, n));
    }
    if (pop)
        V->height -= n;
    return 0;
}

static int pop1(Verifier *V, uint8_t k)
{
    VType w = kind_type(k);
    return check(V, &w, 1, true);
}

static int pop2(Verifier *V, uint8_t k1, uint8_t k2)
{
    VType w[2] = {kind_type(k1), kind_type(k2)};
    return check(V, w, 2, true);
}

static int push(Verifier *V, VType t)
{
    if (V->height >= V->max_stack)
        return vfail(V, "stack overflow: more than max_stack %u values", V->max_stack);
    V->stack[V->height++] = t;
    return 0;
}

static int push_k(Verifier *V, uint8_t k)
{
    return push(V, kind_type(k));
}

/* Pops [n] values of any type, returning them in order (out[n-1] was on top). */
static int pop_any(Verifier *V, uint32_t n, VType *out)
{
    VType w[4] = {kind_type(X_ANY), kind_type(X_ANY), kind_type(X_ANY), kind_type(X_ANY)};
    if (check(V, w, n, true) < 0)
        return -1;
    memcpy(out, V->stack + V->height, n * sizeof *out);
    return 0;
}

/* ---- the side table ------------------------------------------------------ */

/* Appends a branch entry at the current pc; returns its index or -1. */
static int32_t add_branch(Verifier *V, uint32_t target, uint32_t height, uint32_t arity)
{
    if (V->nbr >= (uint32_t)INT32_MAX)
        return vfail(V, "too many branches");
    if (V->nbr >= V->br_cap) {
        uint32_t cap = V->br_cap ? V->br_cap * 2 : 64;
        CfBranch *b = cm_realloc(V->br, (size_t)cap * sizeof *b);
        if (!b)
            return vfail(V, "out of memory");
        V->br = b;
        int32_t *p = cm_realloc(V->pend_next, (size_t)cap * sizeof *p);
        if (!p)
            return vfail(V, "out of memory");
        V->pend_next = p;
        V->br_cap = cap;
    }
    CfBranch *b = &V->br[V->nbr];
    b->pc = V->pc;
    b->target = target;
    b->height = (uint16_t)height;
    b->arity = (uint8_t)arity;
    V->pend_next[V->nbr] = -1;
    return (int32_t)V->nbr++;
}

/* A branch entry whose target is the pc after [f]'s `end`, patched when it closes. */
static int add_pending(Verifier *V, Ctrl *f, uint32_t height, uint32_t arity)
{
    int32_t i = add_branch(V, 0, height, arity);
    if (i < 0)
        return -1;
    V->pend_next[i] = f->pend;
    f->pend = i;
    return 0;
}

/* The branch to region [depth], as the branch instruction at the current pc. */
static int add_branch_to(Verifier *V, Ctrl *t)
{
    if (t->kind == R_LOOP)
        return add_branch(V, t->start, t->base, 0) < 0 ? -1 : 0;
    return add_pending(V, t, t->base, t->has_res);
}

/* ---- regions ------------------------------------------------------------- */

/* Parses a block type immediate into [f]. */
static int block_type(Verifier *V, uint16_t bt, Ctrl *f)
{
    f->has_res = 0;
    f->res = kind_type(T_NONE);
    if (bt == 0)
        return 0;
    const char *d = cp_utf8(V->c, bt);
    if (!d)
        return vfail(V, "block type #%u is %s constant, expected 0 or a Utf8 field descriptor",
                     bt, const_kind_name(cp_kind(V->c, bt)));
    if (!cp_field_desc(V->c, bt))
        return vfail(V, "block type #%u \"%.200s\" is not a field descriptor", bt, d);
    f->has_res = 1;
    f->res = desc_type_z(d);
    return 0;
}

/* When a region part is left by falling through, the stack must be exactly its
 * base plus its result. */
static int check_fallthrough(Verifier *V, const Ctrl *f, const char *where)
{
    char e[200], g[200];
    uint32_t avail = V->height - f->base;
    uint32_t need = f->has_res;
    int ok = avail == need;
    if (ok && need) {
        ok = match(V, &V->stack[V->height - 1], &f->res);
        if (ok < 0)
            return -1;
    }
    if (!ok)
        return vfail(V, "expected %s on the stack at %s of the %s region, got %s",
                     fmt_types(e, sizeof e, &f->res, need), where, region_name(f->kind),
                     fmt_types(g, sizeof g, V->stack + f->base, avail));
    return 0;
}

static int open_region(Verifier *V, const CfInsn *in, uint8_t kind)
{
    if (V->nctrl - 1 >= CF_MAX_NESTING)
        return vfail(V, "more than %d nested regions", CF_MAX_NESTING);
    if (kind == R_IF && pop1(V, T_INT) < 0)
        return -1;
    Ctrl *f = &V->ctrl[V->nctrl];
    memset(f, 0, sizeof *f);
    if (block_type(V, in->a, f) < 0)
        return -1;
    f->kind = kind;
    f->base = V->height;
    f->open_pc = in->pc;
    f->start = in->pc + in->size;
    f->pend = -1;
    f->if_entry = -1;
    if (kind == R_IF) {
        f->if_entry = add_branch(V, 0, f->base, 0);
        if (f->if_entry < 0)
            return -1;
    }
    V->nctrl++;
    return 0;
}

static int op_else(Verifier *V, const CfInsn *in)
{
    Ctrl *f = cur(V);
    if (f->kind == R_ELSE)
        return vfail(V, "second else in the if opened at @%u", f->open_pc);
    if (f->kind != R_IF)
        return vfail(V, "else outside an if (innermost region is %s)", region_a(f->kind));
    if (!f->unreachable && check_fallthrough(V, f, "the else") < 0)
        return -1;
    if (add_pending(V, f, f->base, f->has_res) < 0)
        return -1;
    V->br[f->if_entry].target = in->pc + in->size;
    f->if_entry = -1;
    f->kind = R_ELSE;
    f->unreachable = 0;
    V->height = f->base;
    return 0;
}

static int op_catch(Verifier *V, const CfInsn *in)
{
    Ctrl *f = cur(V);
    if (f->kind != R_TRY && f->kind != R_CATCH)
        return vfail(V, "catch outside a try (innermost region is %s)", region_a(f->kind));
    VType ex = ref_type(NAME_EXCEPTION);
    if (in->a != 0) {
        const char *cn = cp_class(V->c, in->a);
        if (!cn)
            return vfail(V, "#%u is %s constant, expected 0 or a Class", in->a,
                         const_kind_name(cp_kind(V->c, in->a)));
        ex = ref_type(cn);
        if (need_class(V, cn, NULL) < 0)
            return -1;
        int r = cn[0] == '[' ? 0 : assignable(V, &ex, NAME_EXCEPTION, sizeof NAME_EXCEPTION - 1);
        if (r < 0)
            return -1;
        if (!r)
            return vfail(V, "catch class %s is not assignable to " NAME_EXCEPTION, cn);
    }
    if (!f->unreachable && check_fallthrough(V, f, "the catch") < 0)
        return -1;
    if (add_pending(V, f, f->base, f->has_res) < 0)
        return -1;
    if (!f->have_catch) {
        f->have_catch = 1;
        f->first_catch = in->pc;
    }
    if (V->nhd >= V->hd_cap) {
        uint32_t cap = V->hd_cap ? V->hd_cap * 2 : 16;
        CfHandler *q = cm_realloc(V->hd, (size_t)cap * sizeof *q);
        if (!q)
            return vfail(V, "out of memory");
        V->hd = q;
        V->hd_cap = cap;
    }
    CfHandler *h = &V->hd[V->nhd++];
    h->start = f->start;
    h->end = f->first_catch;
    h->handler = in->pc + in->size;
    h->cls = in->a;
    h->height = (uint16_t)f->base;
    f->kind = R_CATCH;
    f->unreachable = 0;
    V->height = f->base;
    return push(V, ex);
}

static int op_end(Verifier *V, const CfInsn *in)
{
    Ctrl *f = cur(V);
    if (f->kind == R_FUNC)
        return vfail(V, "end without an open region");
    if (f->kind == R_TRY)
        return vfail(V, "try opened at @%u has no catch", f->open_pc);
    if (f->kind == R_IF && f->has_res) {
        char e[200];
        return vfail(V, "if opened at @%u yields %s and needs an else", f->open_pc,
                     fmt_types(e, sizeof e, &f->res, 1));
    }
    if (!f->unreachable && check_fallthrough(V, f, "the end") < 0)
        return -1;
    uint32_t after = in->pc + in->size;
    for (int32_t i = f->pend; i >= 0; i = V->pend_next[i])
        V->br[i].target = after;
    if (f->if_entry >= 0)
        V->br[f->if_entry].target = after;
    V->height = f->base;
    Ctrl done = *f;
    V->nctrl--;
    cur(V)->unreachable = 0;
    return done.has_res ? push(V, done.res) : 0;
}

/* The region [depth] levels out, or NULL (reported). */
static Ctrl *branch_target(Verifier *V, uint32_t depth)
{
    uint32_t open = V->nctrl - 1;
    if (depth >= open) {
        vfail(V, "branch depth %u but only %u region%s open", depth, open, open == 1 ? "" : "s");
        return NULL;
    }
    return &V->ctrl[V->nctrl - 1 - depth];
}

/* Checks that the values the branch to [t] carries are on top of the stack. */
static int check_label(Verifier *V, const Ctrl *t)
{
    if (t->kind == R_LOOP || !t->has_res)
        return 0;
    return check(V, &t->res, 1, false);
}

static int op_br(Verifier *V, const CfInsn *in)
{
    if (in->op == CF_OP_BR_IF && pop1(V, T_INT) < 0)
        return -1;
    Ctrl *t = branch_target(V, in->a);
    if (!t || check_label(V, t) < 0 || add_branch_to(V, t) < 0)
        return -1;
    if (in->op == CF_OP_BR)
        cur(V)->unreachable = 1;
    return 0;
}

static int op_br_table(Verifier *V, const CfInsn *in)
{
    if (pop1(V, T_INT) < 0)
        return -1;
    uint32_t n = in->a;
    Ctrl *def = branch_target(V, cf_insn_table_depth(in, n));
    if (!def)
        return -1;
    bool def_carries = def->kind != R_LOOP && def->has_res;
    for (uint32_t k = 0; k <= n; k++) {
        Ctrl *t = branch_target(V, cf_insn_table_depth(in, k));
        if (!t)
            return -1;
        bool carries = t->kind != R_LOOP && t->has_res;
        if (carries != def_carries || (carries && !same_type(&t->res, &def->res))) {
            char a[200], b[200];
            return vfail(V, "target %u carries %s but the default carries %s", k,
                         fmt_types(a, sizeof a, &t->res, carries),
                         fmt_types(b, sizeof b, &def->res, def_carries));
        }
    }
    if (check_label(V, def) < 0)
        return -1;
    for (uint32_t k = 0; k <= n; k++)
        if (add_branch_to(V, branch_target(V, cf_insn_table_depth(in, k))) < 0)
            return -1;
    cur(V)->unreachable = 1;
    return 0;
}

/* ---- constants and members ----------------------------------------------- */

typedef struct Member {
    const char *cls, *name, *desc;
    Sig *sig; /* METHOD constants */
} Member;

/* Resolves the FIELD or METHOD constant [idx] (kind [kind]) into [m]. */
static int member(Verifier *V, uint16_t idx, uint8_t kind, Member *m)
{
    const CfClass *c = V->c;
    if (cp_kind(c, idx) != kind)
        return vfail(V, "#%u is %s constant, expected %s", idx,
                     const_kind_name(cp_kind(c, idx)), const_kind_name(kind));
    const CfConst *k = &c->cp[idx];
    m->cls = cp_class(c, k->u.ref.cls);
    m->name = cp_utf8(c, k->u.ref.name);
    m->desc = cp_utf8(c, k->u.ref.desc);
    m->sig = NULL;
    if (!m->cls || m->cls[0] == '[')
        return vfail(V, "#%u: member class #%u is not a Class constant naming a class", idx,
                     k->u.ref.cls);
    if (!m->name || !m->name[0] || cp_len(c, k->u.ref.name) > CF_MAX_NAME_LEN)
        return vfail(V, "#%u: member name #%u is not a Utf8 name", idx, k->u.ref.name);
    bool ok;
    if (kind == CF_CONST_FIELD) {
        ok = cp_field_desc(c, k->u.ref.desc) != NULL;
    } else {
        m->sig = cp_sig(V, k->u.ref.desc);
        ok = m->sig != NULL;
    }
    if (!ok && V->oom)
        return -1;
    if (!ok)
        return vfail(V, "#%u: %s.%s has a malformed %s descriptor", idx, m->cls, m->name,
                     kind == CF_CONST_FIELD ? "field" : "method");
    return 0;
}

/* Checks (without popping) that the arguments of [g], after [recv] if not NULL, are
 * on top of the stack. */
static int check_args(Verifier *V, Sig *g, const VType *recv)
{
    if (!g->params)
        return vfail(V, "stack underflow: the call takes %u arguments", g->np);
    if (recv)
        g->params[0] = *recv;
    return check(V, g->params + (recv ? 0 : 1), g->np + (recv ? 1 : 0), false);
}

/* Looks up the member [m] of kind [kind] as resolution will: in this class's own
 * members first, then through the hierarchy. 1 found (flags and declaring class
 * filled), 0 unknown here (resolution decides at run time), -1 reported. */
static int find_member(Verifier *V, uint8_t kind, const Member *m, uint16_t *flags,
                       const char **declaring)
{
    const CfClass *c = V->c;
    bool is_init = kind == CF_CONST_METHOD && m->name[0] == '<';
    if (!strcmp(m->cls, V->cls_name)) {
        if (kind == CF_CONST_FIELD) {
            for (uint16_t i = 0; i < c->nfields; i++) {
                const char *n = cp_utf8(c, c->fields[i].name);
                if (n && !strcmp(n, m->name)) {
                    const char *d = cp_utf8(c, c->fields[i].desc);
                    if (!d || strcmp(d, m->desc))
                        return 0;
                    *flags = c->fields[i].flags;
                    *declaring = V->cls_name;
                    return 1;
                }
            }
        } else {
            for (uint16_t i = 0; i < c->nmethods; i++) {
                const char *n = cp_utf8(c, c->methods[i].name);
                const char *d = cp_utf8(c, c->methods[i].desc);
                if (n && d && !strcmp(n, m->name) && !strcmp(d, m->desc)) {
                    *flags = c->methods[i].flags;
                    *declaring = V->cls_name;
                    return 1;
                }
            }
        }
        if (is_init)
            return 0;
    }
    int (*look)(void *, const char *, const char *, const char *, uint16_t *, const char **,
                CfError *) = NULL;
    if (V->h)
        look = kind == CF_CONST_FIELD ? V->h->lookup_field : V->h->lookup_method;
    if (!look)
        return 0;
    CfError e;
    e.msg[0] = '\0';
    int r = look(V->h->ud, m->cls, m->name, m->desc, flags, declaring, &e);
    if (r < 0)
        return vfail(V, "%s", e.msg[0] ? e.msg : "class hierarchy lookup failed");
    /* constructors are not inherited: new and initsuper run exactly the named one */
    if (r > 0 && is_init && strcmp(*declaring, m->cls))
        return 0;
    return r > 0;
}

/* The rules on a member that resolution will find: access and static versus
 * instance. */
static int check_member_use(Verifier *V, uint8_t kind, const Member *m, bool want_static,
                            uint16_t *flags_out, const char **declaring_out)
{
    uint16_t flags = 0;
    const char *decl = NULL;
    int r = find_member(V, kind, m, &flags, &decl);
    *flags_out = 0;
    *declaring_out = NULL;
    if (r <= 0)
        return r;
    const char *what = kind == CF_CONST_FIELD ? "field" : "method";
    const char *sep = kind == CF_CONST_FIELD ? ":" : "";
    if ((flags & CF_ACC_PRIVATE) && strcmp(decl, V->cls_name))
        return vfail(V, "%s %s.%s%s%s is private to %s", what, m->cls, m->name, sep, m->desc,
                     decl);
    bool is_static = (flags & CF_ACC_STATIC) != 0;
    if (is_static != want_static)
        return vfail(V, "%s %s.%s%s%s is %s, expected %s", what, m->cls, m->name, sep,
                     m->desc, is_static ? "static" : "an instance member",
                     want_static ? "a static one" : "an instance one");
    *flags_out = flags;
    *declaring_out = decl;
    return 1;
}

static int op_ldc(Verifier *V, const CfInsn *in)
{
    switch (cp_kind(V->c, in->a)) {
    case CF_CONST_INT:
        return push_k(V, T_INT);
    case CF_CONST_FLOAT:
        return push_k(V, T_FLOAT);
    case CF_CONST_STRING:
        if (!cp_utf8(V->c, V->c->cp[in->a].u.name))
            return vfail(V, "String constant #%u does not name a Utf8", in->a);
        return push(V, ref_type(NAME_STRING));
    default:
        if (in->a == 0 || in->a >= V->c->ncp)
            return vfail(V, "#%u is not a constant (the pool has entries 1..%u)", in->a,
                         V->c->ncp - 1u);
        return vfail(V, "#%u is %s constant, expected Int, Float or String", in->a,
                     const_kind_name(cp_kind(V->c, in->a)));
    }
}

static int op_field(Verifier *V, const CfInsn *in)
{
    Member m;
    if (member(V, in->a, CF_CONST_FIELD, &m) < 0)
        return -1;
    if (need_class(V, m.cls, NULL) < 0)
        return -1;
    VType ft = desc_type_z(m.desc);
    VType w[2] = {ref_type(m.cls), ft};
    bool want_static = in->op == CF_OP_GETSTATIC || in->op == CF_OP_PUTSTATIC;
    uint16_t flags;
    const char *decl;
    int found = check_member_use(V, CF_CONST_FIELD, &m, want_static, &flags, &decl);
    if (found < 0)
        return -1;
    if (found && (flags & CF_ACC_FINAL) &&
        (in->op == CF_OP_PUTFIELD || in->op == CF_OP_PUTSTATIC)) {
        const char *init = want_static ? "<clinit>" : "<init>";
        if (strcmp(decl, V->cls_name) || strcmp(V->m_name, init))
            return vfail(V, "field %s.%s:%s is final: only %s.%s may assign it", m.cls, m.name,
                         m.desc, decl, init);
    }
    switch (in->op) {
    case CF_OP_GETFIELD:
        return check(V, w, 1, true) < 0 ? -1 : push(V, ft);
    case CF_OP_PUTFIELD:
        return check(V, w, 2, true);
    case CF_OP_GETSTATIC:
        return push(V, ft);
    default:
        return check(V, &ft, 1, true);
    }
}

static int op_invoke(Verifier *V, const CfInsn *in)
{
    Member m;
    uint8_t op = in->op;
    if (member(V, in->a, CF_CONST_METHOD, &m) < 0)
        return -1;
    bool is_init = !strcmp(m.name, "<init>");
    if (op == CF_OP_NEW || op == CF_OP_INITSUPER) {
        if (!is_init)
            return vfail(V, "%s.%s%s is not a constructor <init>", m.cls, m.name, m.desc);
        if (m.sig->ret.k != T_NONE)
            return vfail(V, "constructor %s.<init>%s must return V", m.cls, m.desc);
    } else if (is_init || !strcmp(m.name, "<clinit>")) {
        return vfail(V, "%s.%s%s may not be called with %s", m.cls, m.name, m.desc, V->mnem);
    }
    uint16_t cflags;
    if (need_class(V, m.cls, &cflags) < 0)
        return -1;
    /* `new` of an interface or an abstract class is refused alike, here */
    if (op == CF_OP_NEW && !(cflags & CF_ACC_INTERFACE) && (cflags & CF_ACC_ABSTRACT))
        return vfail(V, "cannot instantiate abstract class %s", m.cls);
    if (op == CF_OP_NEW || op == CF_OP_INVOKEVIRTUAL || op == CF_OP_INVOKEIFACE) {
        int r = is_interface(V, m.cls);
        if (r < 0)
            return -1;
        if (op == CF_OP_NEW && r)
            return vfail(V, "cannot instantiate interface %s", m.cls);
        if (op == CF_OP_INVOKEVIRTUAL && r)
            return vfail(V, "%s is an interface: use invokeinterface", m.cls);
        if (op == CF_OP_INVOKEIFACE && !r)
            return vfail(V, "%s is not an interface", m.cls);
    }
    bool has_recv = op != CF_OP_INVOKESTATIC && op != CF_OP_NEW;
    uint16_t flags;
    const char *decl;
    int found = check_member_use(V, CF_CONST_METHOD, &m, op == CF_OP_INVOKESTATIC, &flags,
                                 &decl);
    if (found < 0)
        return -1;
    if (found && op == CF_OP_INVOKESPECIAL && (flags & CF_ACC_ABSTRACT))
        return vfail(V, "method %s.%s%s is abstract: invokespecial needs code", m.cls, m.name,
                     m.desc);
    VType recv_want = ref_type(m.cls);
    if (op == CF_OP_INITSUPER) {
        if (!V->in_init)
            return vfail(V, "initsuper outside a constructor");
        if (strcmp(m.cls, V->cls_name) && (!V->super_name || strcmp(m.cls, V->super_name)))
            return vfail(V, "initsuper names %s, which is neither %s nor its superclass %s", m.cls,
                         V->cls_name, V->super_name ? V->super_name : "(none)");
        recv_want = ref_type(V->cls_name);
    }
    if (check_args(V, m.sig, has_recv ? &recv_want : NULL) < 0)
        return -1;
    uint32_t n = m.sig->np + (has_recv ? 1 : 0);
    if (has_recv) {
        const VType *recv = &V->stack[V->height - n];
        if (op == CF_OP_INITSUPER && !recv->is_this)
            return vfail(V, "the receiver of initsuper must be this (load 0), got %s",
                         recv->k == T_NULL ? "null" : "another value");
        if (op == CF_OP_INVOKESPECIAL) {
            int r = assignable(V, recv, V->cls_name, V->cls_len);
            if (r < 0)
                return -1;
            if (!r)
                return vfail(V, "invokespecial receiver %.*s is not assignable to this class %s",
                             (int)recv->len, recv->name, V->cls_name);
        }
    }
    V->height -= n;
    if (op == CF_OP_NEW)
        return push(V, ref_type(m.cls));
    return m.sig->ret.k != T_NONE ? push(V, m.sig->ret) : 0;
}

static int op_callfn(Verifier *V, const CfInsn *in)
{
    const char *d = cp_utf8(V->c, in->a);
    if (!d)
        return vfail(V, "#%u is %s constant, expected a Utf8 method descriptor", in->a,
                     const_kind_name(cp_kind(V->c, in->a)));
    Sig *g = cp_sig(V, in->a);
    if (!g)
        return V->oom ? -1 : vfail(V, "#%u \"%.200s\" is not a method descriptor", in->a, d);
    VType fn = ref_type(NAME_FUNCTION);
    if (check_args(V, g, &fn) < 0)
        return -1;
    V->height -= g->np + 1;
    return g->ret.k != T_NONE ? push(V, g->ret) : 0;
}

static int op_class(Verifier *V, const CfInsn *in)
{
    const char *cn = cp_class(V->c, in->a);
    if (!cn)
        return vfail(V, "#%u is %s constant, expected a Class", in->a,
                     const_kind_name(cp_kind(V->c, in->a)));
    if (in->op == CF_OP_NEWARRAY) {
        if (cn[0] != '[')
            return vfail(V, "Class #%u names %s, expected an array descriptor", in->a, cn);
        if (need_class(V, cn, NULL) < 0)
            return -1;
        if (pop1(V, T_INT) < 0)
            return -1;
        return push(V, ref_type(cn));
    }
    if (need_class(V, cn, NULL) < 0 || pop1(V, X_ANYREF) < 0)
        return -1;
    return in->op == CF_OP_INSTANCEOF ? push_k(V, T_INT) : push(V, ref_type(cn));
}

/* The element type of a reference array type, or null for a null array. */
static VType elem_type(const VType *arr)
{
    if (arr->k == T_NULL)
        return kind_type(T_NULL);
    return desc_type(arr->name + 1, arr->len - 1);
}

static int op_array(Verifier *V, const CfInsn *in)
{
    VType w[3] = {kind_type(T_NONE), kind_type(T_INT), kind_type(T_INT)};
    uint8_t op = in->op;
    switch (op) {
    case CF_OP_ARRAYLENGTH:
        return pop1(V, X_ARRAY) < 0 ? -1 : push_k(V, T_INT);
    case CF_OP_IALOAD:
    case CF_OP_IASTORE:
        w[0] = ref_type("[I");
        break;
    case CF_OP_FALOAD:
    case CF_OP_FASTORE:
        w[0] = ref_type("[F");
        w[2] = kind_type(T_FLOAT);
        break;
    case CF_OP_BALOAD:
    case CF_OP_BASTORE:
        w[0] = kind_type(X_BARRAY);
        break;
    default:
        w[0] = kind_type(X_REFARRAY);
        w[2] = kind_type(X_ANYREF);
        break;
    }
    bool store =
        op == CF_OP_IASTORE || op == CF_OP_FASTORE || op == CF_OP_BASTORE || op == CF_OP_AASTORE;
    uint32_t n = store ? 3 : 2;
    if (check(V, w, n, false) < 0)
        return -1;
    VType arr = V->stack[V->height - n];
    if (op == CF_OP_AASTORE && arr.k == T_REF) {
        VType el = elem_type(&arr);
        const VType *val = &V->stack[V->height - 1];
        int r = assignable(V, val, el.name, el.len);
        if (r < 0)
            return -1;
        if (!r) {
            char e[200], g[200];
            w[0] = arr;
            w[2] = el;
            return vfail(V, "expected %s, got %s", fmt_types(e, sizeof e, w, 3),
                         fmt_types(g, sizeof g, V->stack + V->height - 3, 3));
        }
    }
    V->height -= n;
    if (store)
        return 0;
    if (op == CF_OP_FALOAD)
        return push_k(V, T_FLOAT);
    if (op == CF_OP_AALOAD)
        return push(V, elem_type(&arr));
    return push_k(V, T_INT);
}

/* ---- locals -------------------------------------------------------------- */

static int local_index(Verifier *V, uint16_t i)
{
    if (i >= V->nloc)
        return vfail(V, "local %u out of range (the method has %u locals)", i, V->nloc);
    return 0;
}

static int op_local(Verifier *V, const CfInsn *in)
{
    if (local_index(V, in->a) < 0)
        return -1;
    VType t = V->locals[in->a];
    switch (in->op) {
    case CF_OP_LOAD:
        t.is_this = V->in_init && in->a == 0;
        return push(V, t);
    case CF_OP_STORE:
        if (V->in_init && in->a == 0)
            return vfail(V, "a constructor may not store to local 0 (this)");
        return check(V, &t, 1, true);
    default:
        if (t.d != 'I') {
            char g[200];
            return vfail(V, "iinc needs an int local, local %u is %s", in->a,
                         fmt_types(g, sizeof g, &t, 1));
        }
        return 0;
    }
}

/* Sets up the locals of method [m] with parameter count [np]. */
static int setup_locals(Verifier *V, const CfMethod *m, const CfCode *code)
{
    bool is_static = (m->flags & CF_ACC_STATIC) != 0;
    const Sig *g = cp_sig(V, m->desc);
    if (!g)
        return V->oom ? -1 : vfail(V, "malformed method descriptor");
    uint64_t total = (uint64_t)g->np + (is_static ? 0 : 1) + code->nlocals;
    if (total > UINT16_MAX || !g->params)
        return vfail(V, "%llu parameter and local slots, more than %u", (unsigned long long)total,
                     UINT16_MAX);
    if (total > V->loc_cap) {
        VType *l = cm_realloc(V->locals, (size_t)total * sizeof *l);
        if (!l)
            return vfail(V, "out of memory");
        V->locals = l;
        V->loc_cap = (uint32_t)total;
    }
    uint32_t k = 0;
    if (!is_static)
        V->locals[k++] = ref_type(V->cls_name);
    if (g->np)
        memcpy(V->locals + k, g->params + 1, g->np * sizeof *V->locals);
    for (uint32_t j = 0; j < g->np; j++, k++) {
        const VType *p = &V->locals[k];
        if (p->k == T_REF && need_class_n(V, p->name, p->len, k, NULL) < 0)
            return -1;
    }
    for (uint16_t j = 0; j < code->nlocals; j++) {
        uint16_t ti = code->local_types ? code->local_types[j] : 0;
        const char *ld = cp_field_desc(V->c, ti);
        if (!ld)
            return vfail(V, "local %u: type #%u is not a Utf8 field descriptor", k, ti);
        V->locals[k] = desc_type_z(ld);
        if (V->locals[k].k == T_REF &&
            need_class_n(V, V->locals[k].name, V->locals[k].len, k, NULL) < 0)
            return -1;
        k++;
    }
    V->nloc = (uint32_t)total;
    V->ret = g->ret;
    return 0;
}

/* ---- one instruction ----------------------------------------------------- */

static int step(Verifier *V, const CfInsn *in)
{
    VType a[4];
    uint8_t op = in->op;
    switch (op) {
    case CF_OP_NOP:
        return 0;
    case CF_OP_UNREACHABLE:
        cur(V)->unreachable = 1;
        return 0;
    case CF_OP_BLOCK:
        return open_region(V, in, R_BLOCK);
    case CF_OP_LOOP:
        return open_region(V, in, R_LOOP);
    case CF_OP_IF:
        return open_region(V, in, R_IF);
    case CF_OP_TRY:
        return open_region(V, in, R_TRY);
    case CF_OP_ELSE:
        return op_else(V, in);
    case CF_OP_CATCH:
        return op_catch(V, in);
    case CF_OP_END:
        return op_end(V, in);
    case CF_OP_BR:
    case CF_OP_BR_IF:
        return op_br(V, in);
    case CF_OP_BR_TABLE:
        return op_br_table(V, in);
    case CF_OP_RETURN: {
        if (V->ret.k != T_NONE && check(V, &V->ret, 1, true) < 0)
            return -1;
        cur(V)->unreachable = 1;
        return 0;
    }
    case CF_OP_THROW: {
        VType ex = ref_type(NAME_EXCEPTION);
        if (check(V, &ex, 1, true) < 0)
            return -1;
        cur(V)->unreachable = 1;
        return 0;
    }
    case CF_OP_ACONST_NULL:
        return push_k(V, T_NULL);
    case CF_OP_ICONST:
        return push_k(V, T_INT);
    case CF_OP_LDC:
        return op_ldc(V, in);
    case CF_OP_LOAD:
    case CF_OP_STORE:
    case CF_OP_IINC:
        return op_local(V, in);
    case CF_OP_POP:
        return pop_any(V, 1, a);
    case CF_OP_DUP:
        if (pop_any(V, 1, a) < 0)
            return -1;
        return push(V, a[0]) < 0 ? -1 : push(V, a[0]);
    case CF_OP_DUP2:
        if (pop_any(V, 2, a) < 0)
            return -1;
        for (int i = 0; i < 4; i++)
            if (push(V, a[i & 1]) < 0)
                return -1;
        return 0;
    case CF_OP_DUP_X1:
        if (pop_any(V, 2, a) < 0)
            return -1;
        return (push(V, a[1]) < 0 || push(V, a[0]) < 0) ? -1 : push(V, a[1]);
    case CF_OP_DUP_X2:
        if (pop_any(V, 3, a) < 0)
            return -1;
        if (push(V, a[2]) < 0 || push(V, a[0]) < 0 || push(V, a[1]) < 0)
            return -1;
        return push(V, a[2]);
    case CF_OP_SWAP:
        if (pop_any(V, 2, a) < 0)
            return -1;
        return push(V, a[1]) < 0 ? -1 : push(V, a[0]);
    case CF_OP_IADD:
    case CF_OP_ISUB:
    case CF_OP_IMUL:
    case CF_OP_IDIV:
    case CF_OP_IREM:
    case CF_OP_IAND:
    case CF_OP_IOR:
    case CF_OP_IXOR:
    case CF_OP_ISHL:
    case CF_OP_ISHR:
    case CF_OP_IUSHR:
    case CF_OP_IEQ:
    case CF_OP_INE:
    case CF_OP_ILT:
    case CF_OP_ILE:
    case CF_OP_IGT:
    case CF_OP_IGE:
        return pop2(V, T_INT, T_INT) < 0 ? -1 : push_k(V, T_INT);
    case CF_OP_INEG:
    case CF_OP_EQZ:
    case CF_OP_I2B:
        return pop1(V, T_INT) < 0 ? -1 : push_k(V, T_INT);
    case CF_OP_FADD:
    case CF_OP_FSUB:
    case CF_OP_FMUL:
    case CF_OP_FDIV:
    case CF_OP_FREM:
        return pop2(V, T_FLOAT, T_FLOAT) < 0 ? -1 : push_k(V, T_FLOAT);
    case CF_OP_FNEG:
        return pop1(V, T_FLOAT) < 0 ? -1 : push_k(V, T_FLOAT);
    case CF_OP_I2F:
        return pop1(V, T_INT) < 0 ? -1 : push_k(V, T_FLOAT);
    case CF_OP_F2I:
        return pop1(V, T_FLOAT) < 0 ? -1 : push_k(V, T_INT);
    case CF_OP_FEQ:
    case CF_OP_FNE:
    case CF_OP_FLT:
    case CF_OP_FLE:
    case CF_OP_FGT:
    case CF_OP_FGE:
        return pop2(V, T_FLOAT, T_FLOAT) < 0 ? -1 : push_k(V, T_INT);
    case CF_OP_AEQ:
    case CF_OP_ANE:
        return pop2(V, X_ANYREF, X_ANYREF) < 0 ? -1 : push_k(V, T_INT);
    case CF_OP_GETFIELD:
    case CF_OP_PUTFIELD:
    case CF_OP_GETSTATIC:
    case CF_OP_PUTSTATIC:
        return op_field(V, in);
    case CF_OP_NEW:
    case CF_OP_INVOKESTATIC:
    case CF_OP_INVOKEVIRTUAL:
    case CF_OP_INVOKESPECIAL:
    case CF_OP_INVOKEIFACE:
    case CF_OP_INITSUPER:
        return op_invoke(V, in);
    case CF_OP_CALLFN:
        return op_callfn(V, in);
    case CF_OP_INSTANCEOF:
    case CF_OP_CHECKCAST:
    case CF_OP_NEWARRAY:
        return op_class(V, in);
    case CF_OP_ARRAYLENGTH:
    case CF_OP_IALOAD:
    case CF_OP_IASTORE:
    case CF_OP_FALOAD:
    case CF_OP_FASTORE:
    case CF_OP_BALOAD:
    case CF_OP_BASTORE:
    case CF_OP_AALOAD:
    case CF_OP_AASTORE:
        return op_array(V, in);
    default:
        return vfail(V, "no verification rule for this opcode");
    }
}

/* ---- one method ---------------------------------------------------------- */

static int verify_code(Verifier *V, const CfMethod *m, CfMethodInfo *info)
{
    const CfCode *code = m->code;
    V->max_stack = code->max_stack;
    if (code->max_stack + 1u > V->stack_cap) {
        VType *s = cm_realloc(V->stack, (code->max_stack + 1u) * sizeof *s);
        if (!s)
            return vfail(V, "out of memory");
        V->stack = s;
        V->stack_cap = code->max_stack + 1u;
    }
    if (setup_locals(V, m, code) < 0)
        return -1;
    if (code->code_len > CF_MAX_CODE_LEN)
        return vfail(V, "code is %u bytes, more than %u", code->code_len, CF_MAX_CODE_LEN);
    if (code->code_len > 0 && !code->code)
        return vfail(V, "code is missing");
    V->height = 0;
    V->nbr = 0;
    V->nhd = 0;
    V->nctrl = 1;
    memset(&V->ctrl[0], 0, sizeof V->ctrl[0]);
    V->ctrl[0].kind = R_FUNC;
    V->ctrl[0].pend = -1;
    V->ctrl[0].if_entry = -1;

    uint32_t pc = 0;
    while (pc < code->code_len) {
        CfInsn in;
        V->have_pc = true;
        V->pc = pc;
        V->mnem = NULL;
        int r = cf_insn_decode(code->code, code->code_len, pc, &in);
        if (r == -1)
            return vfail(V, "unknown opcode 0x%02X", code->code[pc]);
        if (r < 0) {
            V->mnem = cf_op_info[code->code[pc]].name;
            return vfail(V, "immediates run past the end of the code");
        }
        if (cur(V)->unreachable && in.op != CF_OP_END && in.op != CF_OP_ELSE &&
            in.op != CF_OP_CATCH)
            return vfail(V, "unreachable code after %s", cf_op_info[V->dead_op].name);
        V->mnem = cf_op_info[in.op].name;
        if (step(V, &in) < 0)
            return -1;
        if (cur(V)->unreachable)
            V->dead_op = in.op;
        pc += in.size;
    }
    V->have_pc = true;
    V->pc = code->code_len;
    V->mnem = NULL;
    if (V->nctrl > 1) {
        const Ctrl *f = cur(V);
        return vfail(V, "%s opened at @%u is never closed", region_name(f->kind), f->open_pc);
    }
    if (!cur(V)->unreachable)
        return vfail(V, "code falls off its end (the last instruction must not fall through)");

    if (info) {
        if (V->nbr) {
            info->branches = cf_alloc(V->c, (size_t)V->nbr * sizeof *info->branches);
            if (!info->branches)
                return vfail(V, "out of memory");
            memcpy(info->branches, V->br, (size_t)V->nbr * sizeof *info->branches);
        }
        info->nbranches = V->nbr;
        if (V->nhd) {
            info->handlers = cf_alloc(V->c, (size_t)V->nhd * sizeof *info->handlers);
            if (!info->handlers)
                return vfail(V, "out of memory");
            memcpy(info->handlers, V->hd, (size_t)V->nhd * sizeof *info->handlers);
        }
        info->nhandlers = V->nhd;
    }
    return 0;
}

/* ---- class header rules -------------------------------------------------- */

typedef struct NameKey {
    const char *name, *desc;
    uint32_t idx;
} NameKey;

static int cmp_key(const void *pa, const void *pb)
{
    const NameKey *a = pa, *b = pb;
    int r = strcmp(a->name, b->name);
    if (r == 0 && a->desc && b->desc)
        r = strcmp(a->desc, b->desc);
    if (r == 0)
        r = (a->idx > b->idx) - (a->idx < b->idx);
    return r;
}

static bool key_eq(const NameKey *a, const NameKey *b)
{
    return !strcmp(a->name, b->name) && (!a->desc || !strcmp(a->desc, b->desc));
}

static int check_fields(Verifier *V)
{
    const CfClass *c = V->c;
    NameKey *keys = NULL;
    int rc = -1;
    if (c->nfields == 0)
        return 0;
    keys = cm_malloc(c->nfields * sizeof *keys);
    if (!keys) {
        vfail(V, "out of memory");
        goto fail;
    }
    for (uint16_t i = 0; i < c->nfields; i++) {
        const CfField *f = &c->fields[i];
        const char *name = cp_utf8(c, f->name), *desc = cp_utf8(c, f->desc);
        if (!name || !name[0]) {
            vfail(V, "field %u: name #%u is not a non-empty Utf8", i, f->name);
            goto fail;
        }
        if (!desc || !cp_field_desc(c, f->desc)) {
            vfail(V, "field %s: malformed descriptor", name);
            goto fail;
        }
        uint16_t bad = f->flags & (CF_ACC_NATIVE | CF_ACC_INTERFACE | CF_ACC_ABSTRACT |
                                   CF_ACC_MODULE | (uint16_t)~CF_ACC_DEFINED);
        if (bad) {
            vfail(V, "field %s: flags 0x%04x are not allowed on a field", name, bad);
            goto fail;
        }
        /* an interface has no object layout of its own to hold the field */
        if ((c->flags & CF_ACC_INTERFACE) && !(f->flags & CF_ACC_STATIC)) {
            vfail(V, "field %s: an interface may declare only static fields", name);
            goto fail;
        }
        keys[i] = (NameKey){name, NULL, i};
    }
    qsort(keys, c->nfields, sizeof *keys, cmp_key);
    for (uint16_t i = 1; i < c->nfields; i++) {
        if (key_eq(&keys[i - 1], &keys[i])) {
            vfail(V, "duplicate field %s", keys[i].name);
            goto fail;
        }
    }
    rc = 0;
fail:
    free(keys);
    return rc;
}

static int check_method_header(Verifier *V, const CfMethod *m)
{
    uint16_t cf = V->c->flags;
    const Sig *g = cp_sig(V, m->desc);
    if (!g)
        return V->oom ? -1 : vfail(V, "malformed method descriptor");
    uint16_t bad = m->flags & (CF_ACC_INTERFACE | CF_ACC_MODULE | (uint16_t)~CF_ACC_DEFINED);
    if (bad)
        return vfail(V, "flags 0x%04x are not allowed on a method", bad);
    if ((m->flags & CF_ACC_ABSTRACT) && (m->flags & (CF_ACC_STATIC | CF_ACC_PRIVATE)))
        return vfail(V, "an abstract method may not be %s",
                     (m->flags & CF_ACC_STATIC) ? "static" : "private");
    if (V->m_name[0] == '<' && (m->flags & (CF_ACC_ABSTRACT | CF_ACC_NATIVE)))
        return vfail(V, "%s may not be abstract or native", V->m_name);
    if (!strcmp(V->m_name, "<init>") && (cf & CF_ACC_INTERFACE))
        return vfail(V, "an interface may not declare a constructor");
    if ((m->flags & CF_ACC_ABSTRACT) && !(cf & (CF_ACC_ABSTRACT | CF_ACC_INTERFACE)))
        return vfail(V, "abstract method in a class that is neither abstract nor an interface");
    if ((m->flags & CF_ACC_ABSTRACT) && m->code)
        return vfail(V, "abstract method has code");
    if ((m->flags & CF_ACC_NATIVE) && m->code)
        return vfail(V, "native method has code");
    if (!(m->flags & (CF_ACC_ABSTRACT | CF_ACC_NATIVE)) && !m->code)
        return vfail(V, "method has no code and is neither abstract nor native");
    if (!strcmp(V->m_name, "<init>")) {
        if (m->flags & CF_ACC_STATIC)
            return vfail(V, "a constructor may not be static");
        if (g->ret.k != T_NONE)
            return vfail(V, "a constructor must return V");
    } else if (!strcmp(V->m_name, "<clinit>")) {
        if (!(m->flags & CF_ACC_STATIC) || strcmp(V->m_desc, "()V"))
            return vfail(V, "a static initialiser must be static with descriptor ()V");
    }
    return 0;
}

static int check_methods(Verifier *V)
{
    const CfClass *c = V->c;
    NameKey *keys = NULL;
    int rc = -1;
    if (c->nmethods == 0)
        return 0;
    keys = cm_malloc(c->nmethods * sizeof *keys);
    if (!keys) {
        vfail(V, "out of memory");
        goto fail;
    }
    for (uint16_t i = 0; i < c->nmethods; i++) {
        const CfMethod *m = &c->methods[i];
        const char *name = cp_utf8(c, m->name), *desc = cp_utf8(c, m->desc);
        if (!name || !name[0]) {
            vfail(V, "method %u: name #%u is not a non-empty Utf8", i, m->name);
            goto fail;
        }
        if (!desc) {
            vfail(V, "method %s: descriptor #%u is not a Utf8", name, m->desc);
            goto fail;
        }
        V->m_name = name;
        V->m_desc = desc;
        if (check_method_header(V, m) < 0)
            goto fail;
        keys[i] = (NameKey){name, desc, i};
    }
    V->m_name = V->m_desc = NULL;
    qsort(keys, c->nmethods, sizeof *keys, cmp_key);
    for (uint16_t i = 1; i < c->nmethods; i++) {
        if (key_eq(&keys[i - 1], &keys[i])) {
            vfail(V, "duplicate method %s%s", keys[i].name, keys[i].desc);
            goto fail;
        }
    }
    rc = 0;
fail:
    free(keys);
    return rc;
}

static int check_header(Verifier *V)
{
    CfClass *c = V->c;
    const char *name = cp_class(c, c->this_class);
    if (!name || name[0] == '[')
        return vfail(V, "this_class #%u is not a Class constant naming a class", c->this_class);
    V->cls_name = name;
    V->cls_len = (uint32_t)strlen(name);
    if (c->super_class == 0) {
        if (strcmp(name, NAME_OBJECT))
            return vfail(V, "only " NAME_OBJECT " may have no superclass");
    } else {
        const char *s = cp_class(c, c->super_class);
        if (!s || s[0] == '[')
            return vfail(V, "super_class #%u is not a Class constant naming a class",
                         c->super_class);
        if (!strcmp(s, name))
            return vfail(V, "a class may not be its own superclass");
        V->super_name = s;
    }
    for (uint16_t i = 0; i < c->ninterfaces; i++) {
        const char *s = cp_class(c, c->interfaces[i]);
        if (!s || s[0] == '[')
            return vfail(V, "interface #%u is not a Class constant naming a class",
                         c->interfaces[i]);
    }
    if ((c->flags & CF_ACC_FINAL) && (c->flags & (CF_ACC_ABSTRACT | CF_ACC_INTERFACE)))
        return vfail(V, "a final class may not be abstract or an interface");
    uint16_t bad = c->flags & (CF_ACC_PRIVATE | CF_ACC_STATIC | CF_ACC_NATIVE |
                               (uint16_t)~CF_ACC_DEFINED);
    if (bad)
        return vfail(V, "flags 0x%04x are not allowed on a class", bad);
    /* an interface type must not be assignable to any class but Object */
    if ((c->flags & CF_ACC_INTERFACE) && (!V->super_name || strcmp(V->super_name, NAME_OBJECT)))
        return vfail(V, "the superclass of an interface must be " NAME_OBJECT ", not %s",
                     V->super_name ? V->super_name : "(none)");
    if ((c->flags & CF_ACC_INTERFACE) && (c->flags & CF_ACC_MODULE))
        return vfail(V, "a module class may not be an interface");
    if (check_fields(V) < 0 || check_methods(V) < 0)
        return -1;
    return 0;
}

/* ---- entry point --------------------------------------------------------- */

int cf_verify_class(CfClass *c, const CfHierarchy *h, CfMethodInfo *info, CfError *err)
{
    Verifier V;
    int rc = -1;
    memset(&V, 0, sizeof V);
    V.c = c;
    V.h = h;
    V.err = err;
    err->msg[0] = '\0';
    if (info && c->nmethods)
        memset(info, 0, c->nmethods * sizeof *info);
    if (check_header(&V) < 0)
        goto fail;
    V.ctrl = cm_malloc((CF_MAX_NESTING + 1) * sizeof *V.ctrl);
    if (!V.ctrl) {
        vfail(&V, "out of memory");
        goto fail;
    }
    for (uint16_t i = 0; i < c->nmethods; i++) {
        const CfMethod *m = &c->methods[i];
        if (!m->code)
            continue;
        V.m_name = cp_utf8(c, m->name);
        V.m_desc = cp_utf8(c, m->desc);
        V.in_init = !strcmp(V.m_name, "<init>");
        V.have_pc = false;
        if (verify_code(&V, m, info ? &info[i] : NULL) < 0)
            goto fail;
    }
    rc = 0;
fail:
    free(V.stack);
    free(V.locals);
    free(V.ctrl);
    free(V.br);
    free(V.pend_next);
    free(V.hd);
    if (V.sigs) {
        for (uint32_t i = 0; i < c->ncp; i++)
            free(V.sigs[i].params);
        free(V.sigs);
    }
    free(V.sa);
    free(V.sb);
    return rc;
}
