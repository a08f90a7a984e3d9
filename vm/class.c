/* vm/class.c: class loading by internal name, headers (each class's place in the
 * hierarchy linked by the builder the tools share, classfile/hierarchy.c), layout,
 * vtables, verification at link time and static initialisation. */
#include "vm.h"
#include "cm_mem.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- the class table ---------------------------------------------------- */

static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211u;
    return h;
}

static VmClass *table_get(MicaVM *vm, const char *name)
{
    if (!vm->classes_cap)
        return NULL;
    VmClass *c = vm->classes[name_hash(name) % vm->classes_cap];
    for (; c; c = c->hash_next)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

VmClass *vm_load_class_if_loaded(MicaVM *vm, const char *name)
{
    return table_get(vm, name);
}

static int table_put(MicaVM *vm, VmClass *c)
{
    if (vm->nclasses + 1 > vm->classes_cap * 3 / 4) {
        size_t cap = vm->classes_cap ? vm->classes_cap * 2 : 64;
        VmClass **t = cm_calloc(cap, sizeof *t);
        if (!t)
            return -1;
        for (size_t i = 0; i < vm->classes_cap; i++) {
            VmClass *e = vm->classes[i];
            while (e) {
                VmClass *next = e->hash_next;
                size_t k = name_hash(e->name) % cap;
                e->hash_next = t[k];
                t[k] = e;
                e = next;
            }
        }
        free(vm->classes);
        vm->classes = t;
        vm->classes_cap = cap;
    }
    size_t k = name_hash(c->name) % vm->classes_cap;
    c->hash_next = vm->classes[k];
    vm->classes[k] = c;
    vm->nclasses++;
    return 0;
}

static void class_free(VmClass *c)
{
    if (!c)
        return;
    for (uint32_t i = 0; i < c->nmethods; i++) {
        VmMethod *m = &c->methods[i];
        free(m->local_kinds);
        free(m->code);
        free(m->handlers);
        free(m->tables);
        free(m->heights);
        free(m->stored_at);
        free(m->pcs);
        if (m->native) {
            free(m->native->atypes);
            free(m->native->kinds);
            free(m->native);
        }
    }
    free(c->methods);
    free(c->fields);
    free(c->vtable);
    free(c->ancestors);
    free(c->ifaces);
    cf_hier_node_fini(&c->node);
    free(c->info);
    free(c->error);
    free(c->origin);
    gc_free_root(c->statics);
    if (c->cf)
        cf_class_free(c->cf);
    free(c->name);
    free(c);
}

void vm_free_classes(MicaVM *vm)
{
    for (size_t i = 0; i < vm->classes_cap; i++) {
        VmClass *c = vm->classes[i];
        while (c) {
            VmClass *next = c->hash_next;
            class_free(c);
            c = next;
        }
    }
    free(vm->classes);
    vm->classes = NULL;
    vm->classes_cap = vm->nclasses = 0;
}

/* ---- finding class bytes ------------------------------------------------ */

/* ---- the sealed standard library --------------------------------------- */

bool vm_class_name_is_sealed(const char *name)
{
    return strcmp(name, "std") == 0 || strncmp(name, "std/", 4) == 0;
}

bool mica_std_sealed(const char *internal_name)
{
    return internal_name && vm_class_name_is_sealed(internal_name);
}

MicaStatus vm_refuse_sealed(MicaVM *vm, const char *name, const char *origin)
{
    vm_set_error(vm, "class %s from %s: package std is sealed, only the embedded "
                 "standard library defines its classes", name, origin);
    return MICA_ERR_LINK;
}

/* Finds and reads the class file for [name]; NULL with *st MICA_OK when it
 * does not exist anywhere. */
static CfClass *find_class_file(MicaVM *vm, const char *name, bool *is_std, char **origin,
                                MicaStatus *st)
{
    *st = MICA_OK;
    *is_std = false;
    *origin = NULL;
    if (vm_class_name_is_sealed(name))
        return vm_sources_find_class(vm, name, is_std, origin, st);
    for (VmPending **pp = &vm->pending_classes; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->name, name) == 0) {
            VmPending *p = *pp;
            CfClass *cf = p->cf;
            *pp = p->next;
            *origin = p->origin;
            free(p->name);
            free(p);
            return cf;
        }
    }
    return vm_sources_find_class(vm, name, is_std, origin, st);
}

/* Sets the VM's error to a load-time refusal of class [c], prefixed with the file
 * or archive entry it came from ("cp/Main.mcl: class Main cannot extend ..."). */
static void load_error(MicaVM *vm, const VmClass *c, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->origin)
        vm_set_error(vm, "%s: %s", c->origin, msg);
    else
        vm_set_error(vm, "%s", msg);
}

/* ---- headers -------------------------------------------------------------- */

static VmClass *class_of(const CfHierNode *n)
{
    return (VmClass *)(void *)((char *)n - offsetof(VmClass, node));
}

static int fill_ancestors(VmClass *c)
{
    c->depth = c->super ? c->super->depth + 1 : 0;
    c->ancestors = cm_calloc(c->depth + 1, sizeof *c->ancestors);
    if (!c->ancestors)
        return -1;
    if (c->super)
        memcpy(c->ancestors, c->super->ancestors, c->depth * sizeof *c->ancestors);
    c->ancestors[c->depth] = c;
    return 0;
}

/* Method descriptors (checked when the class was read): parameter slots and the
 * return kind. */
static void parse_desc(const char *d, uint32_t *nparams, CfKind *ret)
{
    const char *r = NULL;
    *nparams = 0;
    *ret = CF_KIND_VOID;
    if (cf_desc_method_parse(d, strlen(d), nparams, &r))
        *ret = cf_desc_kind(r);
}

/* Is [m] named [name] with descriptor [desc]? The first bytes are compared inline:
 * building a vtable compares each method with every inherited one, and most
 * differ there (String's build made a thousand strcmp calls). */
static bool same_member(const VmMethod *m, const char *name, const char *desc)
{
    return m->name[0] == name[0] && m->desc[1] == desc[1] && strcmp(m->name, name) == 0 &&
           strcmp(m->desc, desc) == 0;
}

static VmMethod *find_in_vtable(VmClass *c, const char *name, const char *desc)
{
    for (uint32_t i = 0; i < c->vtable_len; i++)
        if (same_member(c->vtable[i], name, desc))
            return c->vtable[i];
    return NULL;
}

static int vtable_put(VmClass *c, VmMethod *m)
{
    for (uint32_t i = 0; i < c->vtable_len; i++) {
        if (same_member(c->vtable[i], m->name, m->desc)) {
            c->vtable[i] = m;
            m->vtable_index = (int32_t)i;
            return 0;
        }
    }
    VmMethod **nv = cm_realloc(c->vtable, (c->vtable_len + 1) * sizeof *nv);
    if (!nv)
        return -1;
    c->vtable = nv;
    m->vtable_index = (int32_t)c->vtable_len;
    c->vtable[c->vtable_len++] = m;
    return 0;
}

/* Builds members, layout and vtable from the class file (no code runs). */

/* Does interface [a] extend interface [b] (directly or not)? */
static bool extends_iface(const VmClass *a, const VmClass *b)
{
    for (uint32_t i = 0; i < a->nifaces; i++)
        if (a->ifaces[i] == b)
            return true;
    return false;
}

static int build_members(MicaVM *vm, VmClass *c)
{
    const CfClass *cf = c->cf;
    c->nmethods = cf->nmethods;
    c->methods = cm_calloc(cf->nmethods ? cf->nmethods : 1, sizeof *c->methods);
    c->nfields = cf->nfields;
    c->fields = cm_calloc(cf->nfields ? cf->nfields : 1, sizeof *c->fields);
    if (!c->methods || !c->fields)
        return -1;
    c->nslots = c->super ? c->super->nslots : 0;
    for (uint32_t i = 0; i < cf->nfields; i++) {
        VmField *f = &c->fields[i];
        f->name = cf_utf8(cf, cf->fields[i].name);
        f->desc = cf_utf8(cf, cf->fields[i].desc);
        f->flags = cf->fields[i].flags;
        f->owner = c;
        f->slot = (f->flags & CF_ACC_STATIC) ? c->nstatics++ : c->nslots++;
    }
    if (c->nstatics) {
        c->statics = gc_alloc_root(&vm->heap, c->nstatics * sizeof(uint64_t));
        if (!c->statics)
            return -1;
    }
    for (uint32_t i = 0; i < cf->nmethods; i++) {
        VmMethod *m = &c->methods[i];
        const CfMethod *cm = &cf->methods[i];
        m->cls = c;
        m->cf = cm;
        m->index = i;
        m->name = cf_utf8(cf, cm->name);
        m->desc = cf_utf8(cf, cm->desc);
        m->flags = cm->flags;
        m->vtable_index = -1;
        parse_desc(m->desc, &m->nparams, &m->ret);
        if (!(m->flags & CF_ACC_STATIC))
            m->nparams++;
        m->nlocals = m->nparams;
        if (cm->code) {
            m->nlocals += cm->code->nlocals;
            m->max_stack = cm->code->max_stack;
            m->local_kinds = cm_calloc(cm->code->nlocals + 1u, sizeof *m->local_kinds);
            if (!m->local_kinds)
                return -1;
            for (uint32_t k = 0; k < cm->code->nlocals; k++) {
                const char *d = cf_utf8(cf, cm->code->local_types[k]);
                m->local_kinds[k] = d ? cf_desc_kind(d) : CF_KIND_INT;
            }
        }
    }
    /* vtable: inherited entries, then overrides and new virtuals by name+desc,
     * then default methods of interfaces not otherwise implemented */
    if (c->is_interface)
        return 0;
    if (c->super && c->super->vtable_len) {
        c->vtable = cm_malloc(c->super->vtable_len * sizeof *c->vtable);
        if (!c->vtable)
            return -1;
        memcpy(c->vtable, c->super->vtable, c->super->vtable_len * sizeof *c->vtable);
        c->vtable_len = c->super->vtable_len;
    }
    for (uint32_t i = 0; i < c->nmethods; i++) {
        VmMethod *m = &c->methods[i];
        if ((m->flags & (CF_ACC_STATIC | CF_ACC_PRIVATE)) || m->name[0] == '<')
            continue;
        if (vtable_put(c, m) < 0)
            return -1;
    }
    for (uint32_t k = 0; k < c->nifaces; k++) {
        VmClass *in = c->ifaces[k];
        for (uint32_t i = 0; i < in->nmethods; i++) {
            VmMethod *m = &in->methods[i];
            if ((m->flags & (CF_ACC_STATIC | CF_ACC_ABSTRACT)) || m->name[0] == '<' ||
                (m->flags & CF_ACC_PRIVATE))
                continue;
            VmMethod *have = find_in_vtable(c, m->name, m->desc);
            /* a class's own or inherited method wins; between defaults, the one of
             * the more specific interface (which extends the other's) wins */
            if (have && !(have->flags & CF_ACC_ABSTRACT) &&
                !(have->cls->is_interface && have->cls != in && extends_iface(in, have->cls)))
                continue;
            if (have) {
                /* the slot holding [have] (an interface method has no index of its own) */
                for (uint32_t j = 0; j < c->vtable_len; j++)
                    if (c->vtable[j] == have)
                        c->vtable[j] = m;
                continue;
            }
            VmMethod **nv = cm_realloc(c->vtable, (c->vtable_len + 1) * sizeof *nv);
            if (!nv)
                return -1;
            c->vtable = nv;
            c->vtable[c->vtable_len++] = m;
        }
    }
    return 0;
}

static VmClass *load_array(MicaVM *vm, const char *name, MicaStatus *st)
{
    if (!cf_desc_field_ok(name)) {
        *st = MICA_ERR_LINK;
        vm_set_error(vm, "bad array type %s", name);
        return NULL;
    }
    VmClass *e = NULL;
    if (name[1] == 'L' || name[1] == '[') {
        /* the element class must exist */
        char *el;
        if (name[1] == 'L') {
            el = strndup(name + 2, strlen(name) - 3);
        } else {
            el = cm_strdup(name + 1);
        }
        if (!el) {
            *st = MICA_ERR_OOM;
            return NULL;
        }
        e = vm_load_class(vm, el, st);
        free(el);
        if (!e)
            return NULL;
    }
    VmClass *obj = vm_load_class(vm, "std/core/Object", st);
    if (!obj)
        return NULL;
    VmClass *c = cm_calloc(1, sizeof *c);
    if (!c || !(c->name = cm_strdup(name))) {
        free(c);
        *st = MICA_ERR_OOM;
        vm_set_error(vm, "out of memory");
        return NULL;
    }
    c->vm = vm;
    c->is_array = true;
    c->is_std = true;
    c->super = obj;
    c->node.name = c->name;
    c->node.super = &obj->node;
    c->elem_kind = (uint8_t)cf_desc_kind(name + 1);
    c->elem_class = e;
    c->elem_size = (name[1] == 'B' || name[1] == 'Z') ? 1 : 8;
    c->state = VM_CLASS_INITIALIZED;
    if (fill_ancestors(c) < 0 || table_put(vm, c) < 0)
        goto fail;
    if (obj->vtable_len) {
        c->vtable = cm_malloc(obj->vtable_len * sizeof *c->vtable);
        if (!c->vtable)
            goto fail;
        memcpy(c->vtable, obj->vtable, obj->vtable_len * sizeof *c->vtable);
        c->vtable_len = obj->vtable_len;
    }
    return c;
fail:
    class_free(c);
    *st = MICA_ERR_OOM;
    vm_set_error(vm, "out of memory");
    return NULL;
}

static int check_loaded_header(MicaVM *vm, VmClass *c, MicaStatus *st);

/* The loader's resolver (classfile/hierarchy.c): a superclass or interface, loaded.
 * A class that is not found at all is MISSING (cf_hier_link then names the class
 * that needed it); any other failure keeps the VM's message and status. */
static CfHierNode *hier_resolve(CfHierLoader *ld, const char *name, CfHierError *e)
{
    MicaVM *vm = ld->ud;
    MicaStatus st;
    VmClass *c = vm_load_class(vm, name, &st);
    if (c)
        return &c->node;
    char expect[CF_MAX_NAME_LEN + 32];
    snprintf(expect, sizeof expect, "class %s not found", name);
    e->fail = vm->last_error && !strcmp(vm->last_error, expect) ? CF_HIER_MISSING
                                                                 : CF_HIER_FAILED;
    e->code = (int)st;
    e->cls = NULL;
    e->msg[0] = '\0';
    return NULL;
}

/* A refusal by the hierarchy builder as the VM reports it: its message after the
 * origin of the class refused, and its status. */
static MicaStatus hier_refused(MicaVM *vm, const char *name, const CfHierError *e)
{
    switch (e->fail) {
    case CF_HIER_MISSING:
    case CF_HIER_FAILED:
        return (MicaStatus)e->code; /* reported when it happened */
    case CF_HIER_OOM:
        vm_set_error(vm, "out of memory loading %s", name);
        return MICA_ERR_OOM;
    default:
        break;
    }
    if (e->cls)
        load_error(vm, class_of(e->cls), "%s", e->msg);
    else
        vm_set_error(vm, "%s", e->msg);
    return e->fail == CF_HIER_FORMAT ? MICA_ERR_FORMAT
           : e->fail == CF_HIER_VERIFY ? MICA_ERR_VERIFY : MICA_ERR_LINK;
}

VmClass *vm_load_class(MicaVM *vm, const char *name, MicaStatus *status)
{
    MicaStatus dummy;
    MicaStatus *st = status ? status : &dummy;
    *st = MICA_OK;
    VmClass *c = table_get(vm, name);
    if (c)
        return c;
    if (name[0] == '[')
        return load_array(vm, name, st);
    if (!vm->hier.resolve) {
        vm->hier.resolve = hier_resolve;
        vm->hier.ud = vm;
    }
    CfHierError e;
    if (cf_hier_enter(&vm->hier, name, &e) != CF_HIER_OK) {
        *st = hier_refused(vm, name, &e);
        return NULL;
    }
    bool is_std;
    char *origin;
    CfClass *cf = find_class_file(vm, name, &is_std, &origin, st);
    if (!cf) {
        if (*st == MICA_OK) {
            *st = MICA_ERR_LINK;
            vm_set_error(vm, "class %s not found", name);
        }
        return NULL;
    }
    const char *this_name = cf_this_name(cf);
    if (!this_name || strcmp(this_name, name) != 0) {
        *st = MICA_ERR_LINK;
        vm_set_error(vm, "%s%sclass file for %s declares class %s", origin ? origin : "",
                     origin ? ": " : "", name, this_name ? this_name : "?");
        free(origin);
        cf_class_free(cf);
        return NULL;
    }
    c = cm_calloc(1, sizeof *c);
    if (!c || !(c->name = cm_strdup(name))) {
        free(c);
        free(origin);
        cf_class_free(cf);
        *st = MICA_ERR_OOM;
        vm_set_error(vm, "out of memory");
        return NULL;
    }
    c->vm = vm;
    c->cf = cf;
    c->origin = origin;
    c->is_std = is_std;
    c->is_interface = (cf->flags & CF_ACC_INTERFACE) != 0;
    c->is_abstract = (cf->flags & (CF_ACC_ABSTRACT | CF_ACC_INTERFACE)) != 0;
    c->is_string = strcmp(name, "std/core/String") == 0;
    c->node.name = c->name;
    c->node.flags = cf->flags;

    if (cf_hier_link(&vm->hier, &c->node, cf, &e) != CF_HIER_OK) {
        *st = hier_refused(vm, name, &e);
        goto fail;
    }
    /* the VM's caches of the node: the superclass, the interfaces as classes */
    c->super = c->node.super ? class_of(c->node.super) : NULL;
    if (c->node.nall) {
        c->ifaces = cm_malloc(c->node.nall * sizeof *c->ifaces);
        if (!c->ifaces)
            goto oom;
        for (uint32_t i = 0; i < c->node.nall; i++)
            c->ifaces[i] = class_of(c->node.all[i]);
        c->nifaces = c->node.nall;
    }
    if (fill_ancestors(c) < 0 || build_members(vm, c) < 0)
        goto oom;
    if (check_loaded_header(vm, c, st) < 0)
        goto fail;
    if (table_put(vm, c) < 0)
        goto oom;
    if (strcmp(name, "std/core/Object") == 0)
        vm->c_object = c;
    if (VM_TRACE_LOAD)
        fprintf(stderr, "[load %s]\n", name);
    return c;
oom:
    *st = MICA_ERR_OOM;
    vm_set_error(vm, "out of memory loading %s", name);
fail:
    class_free(c);
    return NULL;
}

/* The class-header rule that needs the members, not only the hierarchy (the others
 * are cf_hier_link's): a concrete class implements every abstract method it inherits
 * (from its superclasses, or from interfaces without a default method). */
static int check_loaded_header(MicaVM *vm, VmClass *c, MicaStatus *st)
{
    if (c->is_abstract)
        return 0;
    const VmMethod *missing = NULL;
    for (uint32_t i = 0; i < c->vtable_len && !missing; i++)
        if (c->vtable[i]->flags & CF_ACC_ABSTRACT)
            missing = c->vtable[i];
    for (uint32_t k = 0; k < c->nifaces && !missing; k++) {
        const VmClass *in = c->ifaces[k];
        for (uint32_t i = 0; i < in->nmethods && !missing; i++) {
            const VmMethod *m = &in->methods[i];
            if ((m->flags & CF_ACC_ABSTRACT) && !(m->flags & CF_ACC_STATIC) &&
                !find_in_vtable(c, m->name, m->desc))
                missing = m;
        }
    }
    if (missing) {
        *st = MICA_ERR_VERIFY;
        load_error(vm, c, "class %s: concrete class does not implement abstract method %s.%s%s",
                   c->name, missing->cls->name, missing->name, missing->desc);
        return -1;
    }
    return 0;
}

/* ---- the verifier's view of the hierarchy --------------------------------- */

/* The run-time subtype test, from the caches of the node (the ancestors display
 * and the interface set) in constant time for classes; arrays of references are
 * covariant. The verifier asks cf_hier_subtype, below, as the tools do. */
bool vm_is_subclass(const VmClass *s, const VmClass *t)
{
    if (s == t || (!t->super && !t->is_interface && !t->is_array))
        return true; /* t is std/core/Object */
    if (t->is_interface) {
        for (uint32_t i = 0; i < s->nifaces; i++)
            if (s->ifaces[i] == t)
                return true;
        return false;
    }
    if (t->is_array || s->is_array) {
        /* arrays of references are covariant (aastore checks each store) */
        return t->is_array && s->is_array && s->elem_class && t->elem_class &&
               vm_is_subclass(s->elem_class, t->elem_class);
    }
    return s->depth >= t->depth && s->ancestors[t->depth] == t;
}


static int hier_assignable(void *ud, const char *from, const char *to, CfError *err)
{
    MicaVM *vm = ud;
    int r = cf_assignable_by_name(from, to);
    if (r >= 0)
        return r;
    VmClass *f = vm_load_class(vm, from, NULL);
    VmClass *t = f ? vm_load_class(vm, to, NULL) : NULL;
    if (!t) {
        snprintf(err->msg, sizeof err->msg, "%s", vm->last_error);
        return -1;
    }
    return cf_hier_subtype(&f->node, &t->node) ? 1 : 0;
}

static int hier_is_interface(void *ud, const char *name, CfError *err)
{
    MicaVM *vm = ud;
    if (name[0] == '[')
        return 0;
    VmClass *c = vm_load_class(vm, name, NULL);
    if (!c) {
        snprintf(err->msg, sizeof err->msg, "%s", vm->last_error);
        return -1;
    }
    return c->is_interface ? 1 : 0;
}

static int hier_class_flags(void *ud, const char *name, uint16_t *flags, CfError *err)
{
    MicaVM *vm = ud;
    VmClass *c = vm_load_class(vm, name, NULL);
    if (!c) {
        snprintf(err->msg, sizeof err->msg, "%s", vm->last_error);
        return -1;
    }
    *flags = c->cf ? c->cf->flags : 0;
    return 1;
}

/* Member lookups for the verifier: a class that cannot be loaded, or a member that
 * is not there, is left to resolution, which raises LinkError when the code runs. */
static int hier_lookup_field(void *ud, const char *owner, const char *name, const char *desc,
                             uint16_t *flags, const char **declaring, CfError *err)
{
    MicaVM *vm = ud;
    if (owner[0] == '[')
        return 0;
    VmClass *c = vm_load_class(vm, owner, NULL);
    VmField *f = c ? vm_find_field(c, name) : NULL;
    if (!f || strcmp(f->desc, desc) != 0)
        return 0;
    *flags = f->flags;
    *declaring = f->owner->name;
    return 1;
}

static int hier_lookup_method(void *ud, const char *owner, const char *name, const char *desc,
                              uint16_t *flags, const char **declaring, CfError *err)
{
    MicaVM *vm = ud;
    if (owner[0] == '[')
        return 0;
    VmClass *c = vm_load_class(vm, owner, NULL);
    VmMethod *m = c ? vm_find_method(c, name, desc) : NULL;
    if (!m)
        return 0;
    *flags = m->flags;
    *declaring = m->cls->name;
    return 1;
}

/* ---- linking -------------------------------------------------------------- */

static int link_fail(MicaVM *vm, VmClass *c, MicaStatus *st, MicaStatus code)
{
    c->state = VM_CLASS_ERROR;
    free(c->error);
    c->error = cm_strdup(vm->last_error ? vm->last_error : "link error");
    *st = code;
    return -1;
}

int vm_link_class(MicaVM *vm, VmClass *c, MicaStatus *status)
{
    MicaStatus dummy;
    MicaStatus *st = status ? status : &dummy;
    *st = MICA_OK;
    if (c->state == VM_CLASS_ERROR) {
        vm_set_error(vm, "%s", c->error ? c->error : "class failed to link");
        *st = MICA_ERR_LINK;
        if (c->error && strstr(c->error, " @"))
            *st = MICA_ERR_VERIFY;
        return -1;
    }
    if (c->state != VM_CLASS_LOADED)
        return 0; /* linked, or being linked further up this C stack */
    c->state = VM_CLASS_LINKING;
    if (c->super && vm_link_class(vm, c->super, st) < 0)
        return link_fail(vm, c, st, *st);
    for (uint32_t i = 0; i < c->nifaces; i++)
        if (c->ifaces[i] != c && vm_link_class(vm, c->ifaces[i], st) < 0)
            return link_fail(vm, c, st, *st);
    c->info = cm_calloc(c->nmethods ? c->nmethods : 1, sizeof *c->info);
    if (!c->info) {
        vm_set_error(vm, "out of memory linking %s", c->name);
        return link_fail(vm, c, st, MICA_ERR_OOM);
    }
    CfHierarchy h = {vm, hier_assignable, hier_is_interface, hier_lookup_field,
                     hier_lookup_method, hier_class_flags};
    CfError err;
    err.msg[0] = 0;
    if (cf_verify_class(c->cf, &h, c->info, &err) < 0) {
        load_error(vm, c, "%s", err.msg[0] ? err.msg : "verification failed");
        return link_fail(vm, c, st, MICA_ERR_VERIFY);
    }
    for (uint32_t i = 0; i < c->nmethods; i++) {
        VmMethod *m = &c->methods[i];
        if ((m->flags & CF_ACC_NATIVE) && vm_bind_native(vm, m) < 0)
            return link_fail(vm, c, st, MICA_ERR_LINK);
    }
    c->state = VM_CLASS_LINKED;
    if (VM_TRACE_LOAD)
        fprintf(stderr, "[linked %s]\n", c->name);
    return 0;
}

int vm_init_class(MicaVM *vm, VmClass *c)
{
    if (c->state == VM_CLASS_INITIALIZED || c->state == VM_CLASS_INITIALIZING)
        return 0;
    MicaStatus st;
    if (vm_link_class(vm, c, &st) < 0)
        return vm_throw(vm, "LinkError", "%s", vm->last_error);
    c->state = VM_CLASS_INITIALIZING;
    if (c->super && vm_init_class(vm, c->super) < 0) {
        c->state = VM_CLASS_LINKED;
        return -1;
    }
    VmMethod *clinit = vm_find_declared(c, "<clinit>", "()V");
    if (clinit && vm_call(vm, clinit, NULL, 0, NULL) < 0) {
        vm_set_error(vm, "initialisation of class %s failed", c->name);
        free(c->error);
        c->error = cm_strdup(vm->last_error);
        c->state = VM_CLASS_ERROR;
        return -1;
    }
    c->state = VM_CLASS_INITIALIZED;
    return 0;
}

VmClass *vm_resolve_class(MicaVM *vm, const char *name)
{
    MicaStatus st;
    VmClass *c = vm_load_class(vm, name, &st);
    if (!c || vm_link_class(vm, c, &st) < 0) {
        vm_throw(vm, "LinkError", "%s", vm->last_error);
        return NULL;
    }
    return c;
}

/* ---- member lookup ---------------------------------------------------------- */

VmMethod *vm_find_declared(VmClass *c, const char *name, const char *desc)
{
    for (uint32_t i = 0; i < c->nmethods; i++)
        if (strcmp(c->methods[i].name, name) == 0 && strcmp(c->methods[i].desc, desc) == 0)
            return &c->methods[i];
    return NULL;
}

VmMethod *vm_find_method(VmClass *c, const char *name, const char *desc)
{
    for (VmClass *k = c; k; k = k->super) {
        VmMethod *m = vm_find_declared(k, name, desc);
        if (m)
            return m;
    }
    for (uint32_t i = 0; i < c->nifaces; i++) {
        VmMethod *m = vm_find_declared(c->ifaces[i], name, desc);
        if (m)
            return m;
    }
    return NULL;
}

VmField *vm_find_field(VmClass *c, const char *name)
{
    for (VmClass *k = c; k; k = k->super)
        for (uint32_t i = 0; i < k->nfields; i++)
            if (strcmp(k->fields[i].name, name) == 0)
                return &k->fields[i];
    return NULL;
}
