/* vm/api.c: the embedding API of include/mica.h beyond the VM's life cycle:
 * values and calls, classes, fields, strings and arrays, scopes and handles,
 * the structured error, stats and hooks. */
#include "api.h"
#include "cm_mem.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "handles.h"
#include "jit.h"

/* ---- the structured error ------------------------------------------------- */

typedef struct VmArenaBlock {
    struct VmArenaBlock *next;
    char data[];
} VmArenaBlock;

void *vm_arena_alloc(VmArena *ar, size_t n)
{
    VmArenaBlock *b = cm_malloc(sizeof *b + n);
    if (!b)
        return NULL;
    b->next = ar->blocks;
    ar->blocks = b;
    return b->data;
}

const char *vm_arena_str(VmArena *ar, const char *s, size_t n)
{
    char *p = vm_arena_alloc(ar, n + 1);
    if (!p)
        return "";
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

static void arena_free(VmArena *ar)
{
    while (ar->blocks) {
        VmArenaBlock *b = ar->blocks;
        ar->blocks = b->next;
        free(b);
    }
}

void vm_api_reset_error(MicaVM *vm)
{
    VmApi *a = vm->api;
    arena_free(&a->arena);
    memset(&a->err, 0, sizeof a->err);
    a->roots->error_exc = NULL;
    if (vm->last_error && vm->last_error[0])
        vm->last_error[0] = 0;
    a->err_dirty = false;
}

MicaStatus vm_api_fail(MicaVM *vm, MicaStatus st)
{
    vm->api->err.status = st;
    vm->api->err_dirty = true;
    return st;
}

MicaStatus vm_api_invalid(MicaVM *vm, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    vm_set_error(vm, "%s", buf);
    return vm_api_fail(vm, MICA_ERR_INVALID);
}

static const MicaError null_vm_error = {MICA_ERR_INVALID, "no VM (NULL)", NULL, NULL, NULL, 0,
                                        NULL, NULL, 0};

static void dotted_copy(const char *in, char *out, size_t n)
{
    size_t i = 0;
    for (; in[i] && i + 1 < n; i++)
        out[i] = in[i] == '/' ? '.' : in[i];
    out[i] = 0;
}

/* Fills [e] from exception [exc] (class, message, frames). */
static void describe_structured(MicaVM *vm, MicaError *e, VmObject *exc)
{
    VmApi *a = vm->api;
    char name[512];
    dotted_copy(exc->cls->name, name, sizeof name);
    e->status = MICA_ERR_EXCEPTION;
    e->exception = vm_arena_str(&a->arena, name, strlen(name));
    uint64_t *f = vm_object_fields(exc);
    VmString *msg = vm_slot_ref(f[vm->exc_message_slot]);
    e->detail = msg ? vm_arena_str(&a->arena, msg->bytes, (size_t)msg->length) : NULL;
    VmArray *tr = vm_slot_ref(f[vm->exc_trace_slot]);
    if (!tr || tr->cls->elem_kind != CF_KIND_INT || tr->length < 2)
        return;
    size_t n = (size_t)tr->length / 2;
    MicaFrame *fr = vm_arena_alloc(&a->arena, n * sizeof *fr);
    if (!fr)
        return;
    int64_t *d = vm_array_data(tr);
    for (size_t i = 0; i < n; i++) {
        VmMethod *m = (VmMethod *)(uintptr_t)d[2 * i];
        int64_t line = d[2 * i + 1];
        char cls[512];
        dotted_copy(m->cls->name, cls, sizeof cls);
        fr[i].cls = vm_arena_str(&a->arena, cls, strlen(cls));
        fr[i].method = strcmp(m->name, "<init>") == 0     ? "init"
                       : strcmp(m->name, "<clinit>") == 0 ? "clinit"
                                                          : m->name;
        fr[i].file = m->cls->cf ? cf_utf8(m->cls->cf, m->cls->cf->source_file) : NULL;
        fr[i].line = line < 0 ? -1 : (int)line;
    }
    e->frames = fr;
    e->nframes = n;
}

const MicaError *mica_error(MicaVM *vm)
{
    if (!vm)
        return &null_vm_error;
    VmApi *a = vm->api;
    MicaError *e = &a->err;
    e->message = vm->last_error ? vm->last_error : "";
    if (e->status == MICA_ERR_EXCEPTION && a->roots->error_exc && !e->exception) {
        VmObject *exc = a->roots->error_exc;
        describe_structured(vm, e, exc);
        MicaError *prev = e;
        for (size_t k = 0; k < sizeof a->causes / sizeof a->causes[0]; k++) {
            VmObject *c = vm_slot_ref(vm_object_fields(exc)[vm->exc_cause_slot]);
            if (!c)
                break;
            MicaError *ce = &a->causes[k];
            memset(ce, 0, sizeof *ce);
            describe_structured(vm, ce, c);
            ce->message = "";
            prev->cause = ce;
            prev = ce;
            exc = c;
        }
    }
    return e;
}

const char *mica_status_name(MicaStatus st)
{
    static const char *const names[] = {
        "MICA_OK",          "MICA_ERR_INVALID",   "MICA_ERR_FORMAT", "MICA_ERR_VERIFY",
        "MICA_ERR_LINK",    "MICA_ERR_COMPILE",   "MICA_ERR_EXCEPTION", "MICA_ERR_OOM",
        "MICA_ERR_LIMIT",   "MICA_ERR_INTERRUPTED", "MICA_ERR_IO",   "MICA_ERR_EXIT",
    };
    if ((unsigned)st < sizeof names / sizeof names[0])
        return names[st];
    return "MICA_ERR_UNKNOWN";
}

const char *mica_version(void)
{
    return MICA_VERSION_STRING;
}

int mica_version_number(void)
{
    return MICA_VERSION_NUMBER;
}

/* ---- state ------------------------------------------------------------------ */

static char **copy_dirs(const char *const *d, size_t n)
{
    char **out = cm_calloc(n ? n : 1, sizeof *out);
    for (size_t i = 0; out && i < n; i++)
        if (!(out[i] = cm_strdup(d[i] ? d[i] : "."))) {
            for (size_t k = 0; k < i; k++)
                free(out[k]);
            free(out);
            return NULL;
        }
    return out;
}

int vm_api_init(MicaVM *vm, const MicaConfig *cfg)
{
    VmApi *a = cm_calloc(1, sizeof *a);
    if (!a)
        return -1;
    vm->api = a;
    a->roots = gc_alloc_root(NULL, sizeof *a->roots);
    if (!a->roots)
        return -1;
    a->global_free = UINT32_MAX;
    /* a tag from the VM's address: another VM's handles are refused */
    uint64_t t = (uint64_t)(uintptr_t)vm;
    t ^= t >> 17;
    t *= 0x9E3779B97F4A7C15ull;
    a->tag = ((t >> 40) & 0x7FFFull) << 48;
    vm->caps = cfg->caps | (cfg->allow_native ? MICA_CAP_NATIVE : 0);
    if ((cfg->nread_dirs && !cfg->read_dirs) || (cfg->nwrite_dirs && !cfg->write_dirs))
        return -1;
    if (!(a->read_dirs = copy_dirs(cfg->read_dirs, cfg->nread_dirs)) ||
        !(a->write_dirs = copy_dirs(cfg->write_dirs, cfg->nwrite_dirs)))
        return -1;
    a->nread_dirs = cfg->nread_dirs;
    a->nwrite_dirs = cfg->nwrite_dirs;
    vm->cfg.read_dirs = vm->cfg.write_dirs = NULL;
    return 0;
}

void vm_api_free(MicaVM *vm)
{
    VmApi *a = vm->api;
    if (!a)
        return;
    vm_foreign_release_all(vm);
    arena_free(&a->arena);
    while (a->bytes) {
        VmBytes *b = a->bytes;
        a->bytes = b->next;
        free(b->name);
        free(b->bytes);
        free(b);
    }
    vm_handles_free(a);
    while (a->hosts) {
        VmHostClass *h = a->hosts;
        a->hosts = h->next;
        for (size_t i = 0; i < h->n; i++) {
            free((char *)h->fns[i].name);
            free((char *)h->fns[i].desc);
        }
        free(h->fns);
        free(h->cls);
        free(h);
    }
    for (size_t i = 0; a->read_dirs && i < a->nread_dirs; i++)
        free(a->read_dirs[i]);
    for (size_t i = 0; a->write_dirs && i < a->nwrite_dirs; i++)
        free(a->write_dirs[i]);
    free(a->read_dirs);
    free(a->write_dirs);
    gc_free_root(a->roots);
    free(a);
    vm->api = NULL;
}

/* Every entry point: registers the thread with the collector and forgets the
 * previous call's error. */
static inline void enter(MicaVM *vm)
{
    gc_thread_attach();
    if (vm->api->err_dirty)
        vm_api_reset_error(vm);
}

void vm_api_enter(MicaVM *vm)
{
    enter(vm);
}

/* ---- scopes and handles ---------------------------------------------------------- */

MicaScope mica_scope_begin(MicaVM *vm)
{
    if (!vm)
        return 0;
    return vm->api->nlocal;
}

MicaStatus mica_scope_end(MicaVM *vm, MicaScope s)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    if (s > vm->api->nlocal)
        return vm_api_invalid(vm, "mica_scope_end: scope %zu is already closed", (size_t)s);
    vm_handle_release_to(vm, s);
    return MICA_OK;
}

/* The object of reference value [v] (NULL for null), or -1 with an error. */
static int deref(MicaVM *vm, MicaValue v, VmObject **o, const char *fn)
{
    if (v.type != MICA_T_REF) {
        vm_api_invalid(vm, "%s: expected a reference value, got type %d", fn, (int)v.type);
        return -1;
    }
    if (vm_handle_get(vm, v.as.ref, o) < 0) {
        vm_api_invalid(vm, "%s: stale, released or foreign handle 0x%llx", fn,
                       (unsigned long long)v.as.ref);
        return -1;
    }
    return 0;
}

static MicaStatus local_value(MicaVM *vm, VmObject *o, MicaValue *out)
{
    out->type = MICA_T_REF;
    if (vm_handle_local(vm, o, &out->as.ref) < 0) {
        out->as.ref = 0;
        vm_set_error(vm, "out of memory for a handle");
        return vm_api_fail(vm, MICA_ERR_OOM);
    }
    return MICA_OK;
}

MicaStatus mica_ref(MicaVM *vm, MicaValue v, MicaValue *global)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    VmObject *o;
    if (!global)
        return vm_api_invalid(vm, "mica_ref: NULL result pointer");
    if (deref(vm, v, &o, "mica_ref") < 0)
        return MICA_ERR_INVALID;
    global->type = MICA_T_REF;
    if (vm_handle_global(vm, o, &global->as.ref) < 0) {
        vm_set_error(vm, "out of memory for a handle");
        return vm_api_fail(vm, MICA_ERR_OOM);
    }
    return MICA_OK;
}

MicaStatus mica_unref(MicaVM *vm, MicaValue global)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    if (global.type != MICA_T_REF || vm_handle_unref(vm, global.as.ref) < 0)
        return vm_api_invalid(vm, "mica_unref: not a live global handle");
    return MICA_OK;
}

/* ---- values <-> slots --------------------------------------------------------------- */

static const char *type_name(MicaType t)
{
    switch (t) {
    case MICA_T_VOID: return "void";
    case MICA_T_INT: return "int";
    case MICA_T_FLOAT: return "float";
    case MICA_T_BOOL: return "bool";
    case MICA_T_BYTE: return "byte";
    case MICA_T_REF: return "reference";
    }
    return "?";
}

/* The class a reference descriptor [d] ([len] bytes) names, if loaded. */
static VmClass *desc_class(MicaVM *vm, const char *d, size_t len)
{
    char name[1024];
    if (d[0] == 'L') {
        if (len < 3 || len - 2 >= sizeof name)
            return NULL;
        memcpy(name, d + 1, len - 2);
        name[len - 2] = 0;
    } else {
        if (len >= sizeof name)
            return NULL;
        memcpy(name, d, len);
        name[len] = 0;
    }
    return vm_load_class_if_loaded(vm, name);
}

/* Converts [v] to a slot for field/parameter descriptor [d] ([len] bytes).
 * 0, or -1 with [why] filled. */
int vm_value_to_slot(MicaVM *vm, const char *d, size_t len, MicaValue v, uint64_t *slot,
                     char *why, size_t nwhy)
{
    MicaType want;
    switch (cf_desc_kind(d)) {
    case CF_KIND_INT: want = MICA_T_INT; break;
    case CF_KIND_FLOAT: want = MICA_T_FLOAT; break;
    case CF_KIND_BOOL: want = MICA_T_BOOL; break;
    case CF_KIND_BYTE: want = MICA_T_BYTE; break;
    default: want = MICA_T_REF; break;
    }
    if (v.type != want) {
        snprintf(why, nwhy, "expected %s (%.*s), got %s", type_name(want), (int)len, d,
                 type_name(v.type));
        return -1;
    }
    switch (want) {
    case MICA_T_INT: *slot = (uint64_t)v.as.i; return 0;
    case MICA_T_FLOAT: memcpy(slot, &v.as.f, sizeof *slot); return 0;
    case MICA_T_BOOL: *slot = v.as.z ? 1 : 0; return 0;
    case MICA_T_BYTE: *slot = v.as.b; return 0;
    default: break;
    }
    VmObject *o;
    if (vm_handle_get(vm, v.as.ref, &o) < 0) {
        snprintf(why, nwhy, "stale, released or foreign handle 0x%llx",
                 (unsigned long long)v.as.ref);
        return -1;
    }
    if (o && !(len == 18 && memcmp(d, "Lstd/core/Object;", 17) == 0)) {
        VmClass *c = desc_class(vm, d, len);
        if (!c || !vm_is_subclass(o->cls, c)) {
            snprintf(why, nwhy, "a %s is not a %.*s", o->cls->name, (int)len, d);
            return -1;
        }
    }
    *slot = vm_ref_slot(o);
    return 0;
}

/* The value of slot [s] of kind [k]. */
MicaStatus vm_slot_to_value(MicaVM *vm, CfKind k, uint64_t s, MicaValue *out)
{
    switch (k) {
    case CF_KIND_VOID: out->type = MICA_T_VOID; out->as.i = 0; return MICA_OK;
    case CF_KIND_INT: *out = mica_int((int64_t)s); return MICA_OK;
    case CF_KIND_FLOAT: *out = mica_float(vm_slot_float(s)); return MICA_OK;
    case CF_KIND_BOOL: *out = mica_bool(s != 0); return MICA_OK;
    case CF_KIND_BYTE: *out = mica_byte((uint8_t)s); return MICA_OK;
    case CF_KIND_REF: break;
    }
    return local_value(vm, vm_slot_ref(s), out);
}

/* ---- classes, methods, fields ------------------------------------------------------ */

static void internal_name(const char *in, char *out, size_t n)
{
    size_t i = 0;
    for (; in[i] && i + 1 < n; i++)
        out[i] = in[i] == '.' ? '/' : in[i];
    out[i] = 0;
}

/* Loads and links class [name]; NULL with the error recorded. */
static VmClass *find_linked(MicaVM *vm, const char *name, MicaStatus *st)
{
    char in[1024];
    internal_name(name, in, sizeof in);
    VmClass *c = vm_load_class_if_loaded(vm, in);
    if (c && c->state >= VM_CLASS_LINKED && c->state != VM_CLASS_ERROR)
        return c;
    c = vm_load_class(vm, in, st);
    if (!c || vm_link_class(vm, c, st) < 0) {
        vm_api_fail(vm, *st);
        return NULL;
    }
    return c;
}

MicaStatus mica_find_class(MicaVM *vm, const char *name, MicaClass **out)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    if (!name || !out)
        return vm_api_invalid(vm, "mica_find_class: NULL argument");
    *out = NULL;
    MicaStatus st = MICA_ERR_LINK;
    VmClass *c = find_linked(vm, name, &st);
    if (!c)
        return st;
    *out = (MicaClass *)c;
    return MICA_OK;
}

MicaStatus mica_find_method(MicaVM *vm, const char *cls, const char *name, const char *desc,
                            MicaMethod **out)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    if (!cls || !name || !out)
        return vm_api_invalid(vm, "mica_find_method: NULL argument");
    *out = NULL;
    MicaStatus st = MICA_ERR_LINK;
    VmClass *c = find_linked(vm, cls, &st);
    if (!c)
        return st;
    VmMethod *m = NULL;
    if (desc) {
        m = vm_find_method(c, name, desc);
    } else {
        for (VmClass *k = c; k && !m; k = k->super) {
            size_t found = 0;
            for (uint32_t i = 0; i < k->nmethods; i++)
                if (strcmp(k->methods[i].name, name) == 0) {
                    m = &k->methods[i];
                    found++;
                }
            if (found > 1) {
                vm_set_error(vm, "class %s has %zu methods named %s: give a descriptor", cls,
                             found, name);
                return vm_api_fail(vm, MICA_ERR_LINK);
            }
        }
    }
    if (!m) {
        vm_set_error(vm, "no method %s%s in class %s", name, desc ? desc : "", cls);
        return vm_api_fail(vm, MICA_ERR_LINK);
    }
    *out = (MicaMethod *)m;
    return MICA_OK;
}

MicaStatus mica_find_field(MicaVM *vm, const char *cls, const char *name, MicaField **out)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    if (!cls || !name || !out)
        return vm_api_invalid(vm, "mica_find_field: NULL argument");
    *out = NULL;
    MicaStatus st = MICA_ERR_LINK;
    VmClass *c = find_linked(vm, cls, &st);
    if (!c)
        return st;
    VmField *f = vm_find_field(c, name);
    if (!f) {
        vm_set_error(vm, "no field %s in class %s", name, cls);
        return vm_api_fail(vm, MICA_ERR_LINK);
    }
    *out = (MicaField *)f;
    return MICA_OK;
}

/* ---- calls -------------------------------------------------------------------------- */

/* The status of a failed vm_call. At the outermost level the run is over:
 * the exception is described and dropped. Nested (inside a host function),
 * a halt or exit stays in force so that it ends the outer run too, and an
 * exception is kept for the host function to re-raise. */
MicaStatus vm_api_failed(MicaVM *vm)
{
    VmApi *a = vm->api;
    bool outer = vm->nframes == 0;
    if (vm->halt) {
        vm_set_error(vm, "%s", vm->halt_msg);
        vm->roots->pending = NULL;
        return vm_api_fail(vm, vm->halt);
    }
    if (vm->exiting) {
        vm->roots->pending = NULL;
        vm_set_error(vm, "the program called System.exit(%d)", vm->exit_code);
        return vm_api_fail(vm, MICA_ERR_EXIT);
    }
    VmObject *exc = vm->roots->pending;
    vm->roots->pending = NULL;
    if (!exc) {
        if (!vm->last_error || !vm->last_error[0])
            vm_set_error(vm, "the call failed");
        vm->fatal = false;
        return vm_api_fail(vm, MICA_ERR_LINK);
    }
    if (!outer)
        a->roots->thrown = exc;
    vm->fatal = false;
    vm->raising = 0;
    vm_describe_exception(vm, exc);
    a->roots->error_exc = exc;
    return vm_api_fail(vm, MICA_ERR_EXCEPTION);
}

/* Starts a run when nothing runs yet (budget, deadline, fault state). */
static void begin_run(MicaVM *vm)
{
    if (vm->nframes)
        return;
    vm->roots->pending = NULL;
    vm->fatal = false;
    vm->exiting = false;
    vm->raising = 0;
    vm->halt = MICA_OK;
    vm_start_limits(vm);
    /* with no budget, no deadline and no interrupt waiting, the first poll
     * can wait a full interval: a call from C then costs no poll at all */
    if (!vm->max_steps && !vm->deadline_ns && !vm->hooks && !atomic_load(&vm->interrupt_req))
        vm->poll_left = VM_POLL_INTERVAL;
}

#define API_MAX_ARGS 256

MicaStatus mica_call(MicaVM *vm, MicaMethod *mm, const MicaValue *args, size_t nargs,
                     MicaValue *ret)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    VmMethod *m = (VmMethod *)mm;
    if (ret) {
        ret->type = MICA_T_VOID;
        ret->as.i = 0;
    }
    if (!m || m->cls->vm != vm)
        return vm_api_invalid(vm, "mica_call: %s", m ? "a method of another VM" : "NULL method");
    if (nargs && !args)
        return vm_api_invalid(vm, "mica_call: NULL arguments");
    if (nargs != m->nparams || nargs > API_MAX_ARGS)
        return vm_api_invalid(vm, "mica_call: %s.%s%s takes %u arguments, not %zu",
                              m->cls->name, m->name, m->desc, m->nparams, nargs);
    if (m->flags & CF_ACC_ABSTRACT && (m->flags & CF_ACC_STATIC))
        return vm_api_invalid(vm, "mica_call: abstract method");
    uint64_t slots[API_MAX_ARGS];
    char why[256];
    size_t k = 0;
    VmMethod *target = m;
    VmFastSig *fs = &vm->api->fast[((uintptr_t)m >> 4) & 63];
    if (fs->m == m) {
        /* known static all-primitive signature: check tags, copy payloads */
        for (; k < fs->n; k++) {
            CfKind kd = (CfKind)fs->kinds[k];
            MicaType want = kd == CF_KIND_INT     ? MICA_T_INT
                            : kd == CF_KIND_FLOAT ? MICA_T_FLOAT
                            : kd == CF_KIND_BOOL  ? MICA_T_BOOL
                                                  : MICA_T_BYTE;
            if (args[k].type != want)
                break;
            slots[k] = kd == CF_KIND_BOOL   ? (uint64_t)(args[k].as.z != 0)
                       : kd == CF_KIND_BYTE ? (uint64_t)args[k].as.b
                                            : (uint64_t)args[k].as.i;
        }
        if (k == fs->n)
            goto call;
        k = 0; /* a mismatch: the slow path names it */
    }
    if (!(m->flags & CF_ACC_STATIC)) {
        VmObject *recv;
        if (args[0].type != MICA_T_REF || vm_handle_get(vm, args[0].as.ref, &recv) < 0)
            return vm_api_invalid(vm, "mica_call: %s.%s: the receiver is not a live handle",
                                  m->cls->name, m->name);
        if (!recv)
            return vm_api_invalid(vm, "mica_call: %s.%s: the receiver is null", m->cls->name,
                                  m->name);
        if (!vm_is_subclass(recv->cls, m->cls))
            return vm_api_invalid(vm, "mica_call: %s.%s: a %s is not a %s", m->cls->name,
                                  m->name, recv->cls->name, m->cls->name);
        if (strcmp(m->name, "<init>") != 0 && !(m->flags & CF_ACC_PRIVATE) &&
            recv->cls != m->cls) {
            VmMethod *v = vm_find_method(recv->cls, m->name, m->desc);
            if (v && !(v->flags & CF_ACC_ABSTRACT))
                target = v;
        }
        if (target->flags & CF_ACC_ABSTRACT)
            return vm_api_invalid(vm, "mica_call: %s.%s is abstract in %s", m->cls->name,
                                  m->name, recv->cls->name);
        slots[k++] = vm_ref_slot(recv);
    }
    const char *p = m->desc + 1;
    while (*p != ')') {
        size_t l = cf_desc_field_len(p, strlen(p), false);
        if (!l || k >= nargs)
            return vm_api_invalid(vm, "mica_call: bad descriptor %s", m->desc);
        if (vm_value_to_slot(vm, p, l, args[k], &slots[k], why, sizeof why) < 0)
            return vm_api_invalid(vm, "mica_call: %s.%s%s argument %zu: %s", m->cls->name,
                                  m->name, m->desc, k, why);
        k++;
        p += l;
    }
    if ((m->flags & CF_ACC_STATIC) && k <= VM_API_FAST_ARGS) {
        bool prim = true;
        for (const char *q = m->desc + 1; *q != ')'; q++) {
            CfKind kd = cf_desc_kind(q);
            prim = prim && (kd == CF_KIND_INT || kd == CF_KIND_FLOAT || kd == CF_KIND_BOOL ||
                            kd == CF_KIND_BYTE);
        }
        if (prim) {
            fs->m = m;
            fs->n = (uint8_t)k;
            for (size_t i = 0; i < k; i++)
                fs->kinds[i] = (uint8_t)cf_desc_kind(m->desc + 1 + i);
        }
    }
call:
    begin_run(vm);
    uint64_t out = 0;
    if ((m->flags & CF_ACC_STATIC) && m->cls->state != VM_CLASS_INITIALIZED &&
        vm_init_class(vm, m->cls) < 0)
        return vm_api_failed(vm);
    if (vm_call(vm, target, slots, (uint32_t)k, &out) < 0)
        return vm_api_failed(vm);
    if (vm->nframes == 0 && vm->outlen)
        vm_flush(vm);
    if (!ret || m->ret == CF_KIND_VOID)
        return MICA_OK;
    return vm_slot_to_value(vm, m->ret, out, ret);
}

MicaStatus mica_new_object(MicaVM *vm, const char *cls, const char *desc, const MicaValue *args,
                           size_t nargs, MicaValue *out)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    if (!cls || !out || (nargs && !args) || nargs >= API_MAX_ARGS)
        return vm_api_invalid(vm, "mica_new_object: bad arguments");
    *out = mica_null();
    MicaStatus st = MICA_ERR_LINK;
    VmClass *c = find_linked(vm, cls, &st);
    if (!c)
        return st;
    if (c->is_abstract || c->is_interface || c->is_array || c->is_string)
        return vm_api_invalid(vm, "mica_new_object: cannot instantiate %s", c->name);
    VmMethod *init = vm_find_declared(c, "<init>", desc ? desc : "()V");
    if (!init) {
        vm_set_error(vm, "no constructor %s in class %s", desc ? desc : "()V", cls);
        return vm_api_fail(vm, MICA_ERR_LINK);
    }
    begin_run(vm);
    if (vm_init_class(vm, c) < 0)
        return vm_api_failed(vm);
    VmObject *o = vm_new_object(vm, c);
    if (!o)
        return vm_api_failed(vm);
    MicaValue all[API_MAX_ARGS];
    MicaScope s = mica_scope_begin(vm);
    if (local_value(vm, o, &all[0]) != MICA_OK)
        return MICA_ERR_OOM;
    for (size_t i = 0; i < nargs; i++)
        all[i + 1] = args[i];
    MicaStatus r = mica_call(vm, (MicaMethod *)init, all, nargs + 1, NULL);
    vm_handle_release_to(vm, s);
    if (r != MICA_OK)
        return r;
    return local_value(vm, o, out);
}

/* ---- fields ------------------------------------------------------------------------- */

static MicaStatus field_slot(MicaVM *vm, MicaValue obj, VmField *f, uint64_t **slot,
                             const char *fn)
{
    if (!f || !f->owner || f->owner->vm != vm)
        return vm_api_invalid(vm, "%s: %s", fn, f ? "a field of another VM" : "NULL field");
    if (f->flags & CF_ACC_STATIC) {
        if (f->owner->state != VM_CLASS_INITIALIZED) {
            begin_run(vm);
            if (vm_init_class(vm, f->owner) < 0)
                return vm_api_failed(vm);
        }
        *slot = &f->owner->statics[f->slot];
        return MICA_OK;
    }
    VmObject *o;
    if (deref(vm, obj, &o, fn) < 0)
        return MICA_ERR_INVALID;
    if (!o)
        return vm_api_invalid(vm, "%s: field %s of null", fn, f->name);
    if (!vm_is_subclass(o->cls, f->owner))
        return vm_api_invalid(vm, "%s: a %s has no field %s.%s", fn, o->cls->name,
                              f->owner->name, f->name);
    *slot = &vm_object_fields(o)[f->slot];
    return MICA_OK;
}

MicaStatus mica_get_field(MicaVM *vm, MicaValue obj, MicaField *mf, MicaValue *out)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    if (!out)
        return vm_api_invalid(vm, "mica_get_field: NULL result pointer");
    VmField *f = (VmField *)mf;
    uint64_t *slot;
    MicaStatus st = field_slot(vm, obj, f, &slot, "mica_get_field");
    if (st != MICA_OK)
        return st;
    return vm_slot_to_value(vm, cf_desc_kind(f->desc), *slot, out);
}

MicaStatus mica_set_field(MicaVM *vm, MicaValue obj, MicaField *mf, MicaValue v)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    VmField *f = (VmField *)mf;
    uint64_t *slot, s;
    MicaStatus st = field_slot(vm, obj, f, &slot, "mica_set_field");
    if (st != MICA_OK)
        return st;
    char why[256];
    if (vm_value_to_slot(vm, f->desc, strlen(f->desc), v, &s, why, sizeof why) < 0)
        return vm_api_invalid(vm, "mica_set_field: %s: %s", f->name, why);
    *slot = s;
    return MICA_OK;
}

/* ---- strings and arrays --------------------------------------------------------------- */

static bool valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!len || i + len > n)
            return false;
        uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

MicaStatus mica_new_string(MicaVM *vm, const char *utf8, size_t n, MicaValue *out)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    if (!out || (!utf8 && n))
        return vm_api_invalid(vm, "mica_new_string: NULL argument");
    *out = mica_null();
    if (!valid_utf8((const unsigned char *)utf8, n))
        return vm_api_invalid(vm, "mica_new_string: invalid UTF-8");
    begin_run(vm);
    VmString *s = vm_new_string(vm, utf8 ? utf8 : "", n);
    if (!s)
        return vm_api_failed(vm);
    return local_value(vm, (VmObject *)s, out);
}

MicaStatus mica_string_utf8(MicaVM *vm, MicaValue v, const char **bytes, size_t *n)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    VmObject *o;
    if (!bytes)
        return vm_api_invalid(vm, "mica_string_utf8: NULL result pointer");
    if (deref(vm, v, &o, "mica_string_utf8") < 0)
        return MICA_ERR_INVALID;
    if (!o || !o->cls->is_string)
        return vm_api_invalid(vm, "mica_string_utf8: %s is not a String",
                              o ? o->cls->name : "null");
    VmString *s = (VmString *)o;
    *bytes = s->bytes;
    if (n)
        *n = (size_t)s->length;
    return MICA_OK;
}

MicaStatus mica_new_array(MicaVM *vm, const char *desc, int64_t length, MicaValue *out)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    if (!desc || !out || desc[0] != '[')
        return vm_api_invalid(vm, "mica_new_array: bad descriptor %s", desc ? desc : "NULL");
    *out = mica_null();
    if (length < 0)
        return vm_api_invalid(vm, "mica_new_array: negative length %lld", (long long)length);
    MicaStatus st = MICA_ERR_LINK;
    VmClass *c = vm_load_class(vm, desc, &st);
    if (!c)
        return vm_api_fail(vm, st);
    begin_run(vm);
    VmArray *a = vm_new_array(vm, c, length);
    if (!a)
        return vm_api_failed(vm);
    return local_value(vm, (VmObject *)a, out);
}

static MicaStatus array_of(MicaVM *vm, MicaValue v, VmArray **out, const char *fn)
{
    VmObject *o;
    if (deref(vm, v, &o, fn) < 0)
        return MICA_ERR_INVALID;
    if (!o || !o->cls->is_array)
        return vm_api_invalid(vm, "%s: %s is not an array", fn, o ? o->cls->name : "null");
    *out = (VmArray *)o;
    return MICA_OK;
}

MicaStatus mica_array_length(MicaVM *vm, MicaValue v, int64_t *length)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    VmArray *a;
    if (!length)
        return vm_api_invalid(vm, "mica_array_length: NULL result pointer");
    MicaStatus st = array_of(vm, v, &a, "mica_array_length");
    if (st == MICA_OK)
        *length = a->length;
    return st;
}

MicaStatus mica_array_get(MicaVM *vm, MicaValue v, int64_t i, MicaValue *out)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    VmArray *a;
    if (!out)
        return vm_api_invalid(vm, "mica_array_get: NULL result pointer");
    MicaStatus st = array_of(vm, v, &a, "mica_array_get");
    if (st != MICA_OK)
        return st;
    if (i < 0 || i >= a->length)
        return vm_api_invalid(vm, "mica_array_get: index %lld out of bounds for length %lld",
                              (long long)i, (long long)a->length);
    CfKind k = (CfKind)a->cls->elem_kind;
    uint64_t s;
    if (a->cls->elem_size == 1)
        s = ((uint8_t *)vm_array_data(a))[i];
    else
        s = ((uint64_t *)vm_array_data(a))[i];
    return vm_slot_to_value(vm, k, s, out);
}

MicaStatus mica_array_set(MicaVM *vm, MicaValue v, int64_t i, MicaValue x)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    VmArray *a;
    MicaStatus st = array_of(vm, v, &a, "mica_array_set");
    if (st != MICA_OK)
        return st;
    if (i < 0 || i >= a->length)
        return vm_api_invalid(vm, "mica_array_set: index %lld out of bounds for length %lld",
                              (long long)i, (long long)a->length);
    const char *ed = a->cls->name + 1;
    uint64_t s;
    char why[256];
    if (vm_value_to_slot(vm, ed, strlen(ed), x, &s, why, sizeof why) < 0)
        return vm_api_invalid(vm, "mica_array_set: %s", why);
    if (a->cls->elem_size == 1)
        ((uint8_t *)vm_array_data(a))[i] = (uint8_t)s;
    else
        ((uint64_t *)vm_array_data(a))[i] = s;
    return MICA_OK;
}

MicaStatus mica_class_name(MicaVM *vm, MicaValue v, const char **name)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    VmObject *o;
    if (!name)
        return vm_api_invalid(vm, "mica_class_name: NULL result pointer");
    if (deref(vm, v, &o, "mica_class_name") < 0)
        return MICA_ERR_INVALID;
    if (!o)
        return vm_api_invalid(vm, "mica_class_name: null has no class");
    *name = o->cls->name;
    return MICA_OK;
}

MicaStatus mica_instance_of(MicaVM *vm, MicaValue v, const char *cls, bool *yes)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    VmObject *o;
    if (!cls || !yes)
        return vm_api_invalid(vm, "mica_instance_of: NULL argument");
    if (deref(vm, v, &o, "mica_instance_of") < 0)
        return MICA_ERR_INVALID;
    char in[1024];
    internal_name(cls, in, sizeof in);
    VmClass *c = vm_load_class_if_loaded(vm, in);
    *yes = o && c && vm_is_subclass(o->cls, c);
    return MICA_OK;
}

/* ---- stats and hooks ----------------------------------------------------------------- */

MicaStatus mica_stats(MicaVM *vm, MicaStats *out)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    if (!out)
        return vm_api_invalid(vm, "mica_stats: NULL result pointer");
    memset(out, 0, sizeof *out);
    out->heap_bytes = vm->heap.allocated;
    out->heap_cap = vm->heap.limit;
    out->allocations = vm->heap.nallocs;
    gc_process_stats(&out->gc_heap_size, &out->collections);
    out->classes_loaded = vm->nclasses;
    out->handles = vm->api->nlocal + vm->api->global_live;
    jit_counts(vm, &out->jit_compiled, &out->jit_code_bytes);
    return MICA_OK;
}

MicaStatus mica_set_hook(MicaVM *vm, unsigned events, MicaHook fn, void *ud)
{
    if (!vm)
        return MICA_ERR_INVALID;
    enter(vm);
    if (events & ~(MICA_HOOK_CALL | MICA_HOOK_RETURN | MICA_HOOK_LINE | MICA_HOOK_THROW))
        return vm_api_invalid(vm, "mica_set_hook: unknown events 0x%x", events);
    if (events && !fn)
        return vm_api_invalid(vm, "mica_set_hook: NULL hook");
    if (vm->nframes)
        return vm_api_invalid(vm, "mica_set_hook cannot be called while the VM runs");
    vm->api->hook = fn;
    vm->api->hook_ud = ud;
    vm->hooks = fn ? events : 0;
    return MICA_OK;
}

void vm_hook_fire(MicaVM *vm, unsigned event, VmMethod *m, uint32_t line, VmObject *exc)
{
    VmApi *a = vm->api;
    if (!a->hook || !(vm->hooks & event))
        return;
    MicaHookEvent ev = {event, m ? m->cls->name : "", m ? m->name : "", m ? m->desc : "",
                        (int)line, exc ? exc->cls->name : NULL};
    a->hook(a->hook_ud, &ev);
}
