/* compiler/decl.c: declarations: the classes of source files, their headers and
 * members, and override rules. */
#include <ctype.h>
#include <string.h>

#include "cc.h"

/* Creates the type variables of [tps] (bounds are resolved by resolve_bounds). */
static Type **make_tvars(Cc *cc, SourceFile *f, TypeParamDecl *tps, int n)
{
    Type **vars = cc_alloc(cc, sizeof(Type *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < i; k++)
            if (strcmp(tps[k].name, tps[i].name) == 0)
                cc_error(cc, f, tps[i].pos, "type parameter '%s' is already defined",
                         tps[i].name);
        vars[i] = cc_type_var(cc, tps[i].name, NULL);
    }
    return vars;
}

/* Resolves the bounds of [vars], which must already be in cc->tscope. */
static void resolve_bounds(Cc *cc, SourceFile *f, TypeParamDecl *tps, Type **vars, int n)
{
    for (int i = 0; i < n; i++) {
        if (!tps[i].bound)
            continue;
        Type *b = cc_resolve_type(cc, f, tps[i].bound);
        if (b->kind == TY_ERROR)
            continue;
        if (b->kind != TY_CLASS && b->kind != TY_VAR) {
            cc_error(cc, f, tps[i].bound->pos, "the bound of '%s' must be a class or "
                     "interface type", tps[i].name);
            continue;
        }
        vars[i]->bound = b;
        vars[i]->desc = cc_erasure(cc, b)->desc;
    }
}

static const char *file_stem(Cc *cc, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot ? (size_t)(dot - base) : strlen(base);
    /* only identifier characters make a class name: "-e" gives E, "my-app" My_app */
    char *s = cc_alloc(cc, n + 5);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)base[i];
        bool ok = isalnum(ch) || ch == '_' || ch >= 0x80;
        if (ok)
            s[k++] = (char)ch;
        else if (k > 0 && s[k - 1] != '_' && i + 1 < n)
            s[k++] = '_';
    }
    while (k > 0 && s[k - 1] == '_')
        k--;
    s[k] = 0;
    if (k == 0)
        return "Main";
    if (isdigit((unsigned char)s[0])) {
        memmove(s + 1, s, k + 1);
        s[0] = '_';
    }
    s[0] = (char)toupper((unsigned char)s[0]);
    return s;
}

static void declare_classes(Cc *cc, SourceFile *f)
{
    for (int i = 0; i < f->nclasses; i++) {
        ClassDecl *d = f->classes[i];
        const char *name = f->pkg[0] ? cc_printf(cc, "%s/%s", f->pkg, d->name) : d->name;
        ClassInfo *old = cc_class_ref(cc, name);
        if (old->from_source) {
            cc_error(cc, f, d->pos, "class '%s' is already defined", d->name);
            if (old->decl && old->file)
                cc_note(cc, old->file, old->decl->pos, "the first definition is here");
            continue;
        }
        ClassInfo *ci = cc_class_new_source(cc, name);
        ci->decl = d;
        ci->file = f;
        d->info = ci;
        ci->tparams = make_tvars(cc, f, d->tparams, d->ntparams);
        ci->ntparams = d->ntparams;
        if (d->is_interface)
            ci->flags = CF_ACC_INTERFACE | CF_ACC_ABSTRACT;
        if (d->mods & MOD_ABSTRACT)
            ci->flags |= CF_ACC_ABSTRACT;
        if (d->mods & MOD_FINAL)
            ci->flags |= CF_ACC_FINAL;
    }
}

/* The module class of [f] (after every file's classes are declared). */
static void declare_module(Cc *cc, SourceFile *f)
{
    if (f->nfuncs == 0 && f->nconsts == 0)
        return;
    const char *stem = file_stem(cc, f->path);
    for (int i = 0; i < f->nclasses; i++)
        if (f->classes[i]->info && strcmp(f->classes[i]->name, stem) == 0)
            f->module = f->classes[i]->info;
    if (!f->module) {
        const char *name = f->pkg[0] ? cc_printf(cc, "%s/%s", f->pkg, stem) : stem;
        ClassInfo *old = cc_class_ref(cc, name);
        if (old->from_source) {
            /* another file's class has the stem's name: never collide (Kotlin's
             * FooKt), take <Stem>Module */
            stem = cc_printf(cc, "%sModule", stem);
            name = f->pkg[0] ? cc_printf(cc, "%s/%s", f->pkg, stem) : stem;
            old = cc_class_ref(cc, name);
        }
        if (old->from_source) {
            cc_error(cc, f, f->nfuncs ? f->funcs[0]->pos : f->consts[0]->pos,
                     "the top-level functions of this file belong to class '%s', which "
                     "another file already defines", stem);
            return;
        }
        f->module = cc_class_new_source(cc, name);
        f->module->file = f;
    }
    f->module->flags |= CF_ACC_MODULE;
}

static void resolve_header(Cc *cc, ClassInfo *ci)
{
    ClassDecl *d = ci->decl;
    SourceFile *f = ci->file;
    ci->header_done = true;
    bool is_object = strcmp(ci->name, "std/core/Object") == 0;
    TScope sc = {ci->tparams, ci->ntparams, NULL};
    cc->tscope = &sc;
    if (d)
        resolve_bounds(cc, f, d->tparams, ci->tparams, ci->ntparams);
    if (d && d->super) {
        Type *t = cc_resolve_type(cc, f, d->super);
        if (t->kind == TY_CLASS) {
            ClassInfo *s = t->cls;
            if (s->flags & CF_ACC_INTERFACE)
                cc_error(cc, f, d->super->pos, "class '%s' cannot extend interface '%s'; "
                         "use implements", d->name, s->simple);
            else if (s->flags & CF_ACC_FINAL)
                cc_error(cc, f, d->super->pos, "cannot extend final class '%s'", s->simple);
            else if (s->flags & CF_ACC_MODULE && !s->decl)
                cc_error(cc, f, d->super->pos, "cannot extend module class '%s'", s->simple);
            else {
                ci->super = s;
                if (t->nargs > 0)
                    ci->super_t = t;
            }
        } else if (t->kind != TY_ERROR) {
            cc_error(cc, f, d->super->pos, "cannot extend '%s'", cc_type_name(cc, t));
        }
    }
    if (!ci->super && !is_object)
        ci->super = cc_class_ref(cc, "std/core/Object");
    int cap = 0, cap2 = 0;
    for (int i = 0; d && i < d->nifaces; i++) {
        Type *t = cc_resolve_type(cc, f, d->ifaces[i]);
        if (t->kind == TY_ERROR)
            continue;
        if (t->kind != TY_CLASS || !(t->cls->flags & CF_ACC_INTERFACE)) {
            cc_error(cc, f, d->ifaces[i]->pos, "'%s' is not an interface",
                     cc_type_name(cc, t));
            continue;
        }
        CC_PUSH(cc, ci->ifaces, ci->nifaces, cap, t->cls);
        ci->nifaces--;
        CC_PUSH(cc, ci->iface_t, ci->nifaces, cap2, t);
    }
    cc->tscope = NULL;
}

static void check_cycles(Cc *cc, ClassInfo *ci)
{
    ClassInfo *s = ci->super;
    for (int n = 0; s && n < 10000; n++, s = s->super) {
        if (s == ci) {
            cc_error(cc, ci->file, ci->decl->pos, "class '%s' inherits from itself",
                     ci->simple);
            ci->super = cc_class_ref(cc, "std/core/Object");
            return;
        }
        if (!s->from_source)
            return;
    }
}

/* Infers the type of a field initializer that has no declared type. */
static Type *infer_simple(Cc *cc, SourceFile *f, Expr *e)
{
    switch (e->kind) {
    case EX_INT: return &cc->t_int;
    case EX_FLOAT: return &cc->t_float;
    case EX_BOOL: return &cc->t_bool;
    case EX_STRING:
    case EX_INTERP: {
        ClassInfo *s = cc_class_ref(cc, "std/core/String");
        return s->type;
    }
    case EX_NEW: {
        ClassInfo *c = cc_lookup_class(cc, f, e->tref->name);
        return c ? c->type : NULL;
    }
    case EX_NEWARRAY: {
        TypeRef tr = *e->tref;
        return cc_resolve_type(cc, f, &tr);
    }
    case EX_UNARY:
        return e->op == TK_BANG ? &cc->t_bool : infer_simple(cc, f, e->a);
    case EX_BINARY: {
        switch (e->op) {
        case TK_EQ: case TK_NE: case TK_EQEQEQ: case TK_NEEQEQ: case TK_LT: case TK_LE:
        case TK_GT: case TK_GE: case TK_ANDAND: case TK_OROR:
            return &cc->t_bool;
        default:
            break;
        }
        Type *a = infer_simple(cc, f, e->a), *b = infer_simple(cc, f, e->b);
        if (!a || !b)
            return NULL;
        if (e->op == TK_PLUS && (cc_is_string(cc, a) || cc_is_string(cc, b)))
            return cc_class_ref(cc, "std/core/String")->type;
        if (a->kind == TY_BOOL && b->kind == TY_BOOL)
            return &cc->t_bool;
        if (a->kind == TY_FLOAT || b->kind == TY_FLOAT)
            return &cc->t_float;
        if (cc_is_numeric(a) && cc_is_numeric(b))
            return &cc->t_int;
        return NULL;
    }
    case EX_ARRAYLIT: {
        Type *el = e->nargs > 0 ? infer_simple(cc, f, e->args[0]) : NULL;
        for (int i = 1; el && i < e->nargs; i++)
            if (infer_simple(cc, f, e->args[i]) != el)
                el = NULL;
        return el ? cc_array_of(cc, el) : NULL;
    }
    case EX_COND: {
        Type *a = infer_simple(cc, f, e->b), *b = infer_simple(cc, f, e->c);
        return a && b && a == b ? a : NULL;
    }
    default:
        return NULL;
    }
}

static void declare_field(Cc *cc, ClassInfo *ci, FieldDecl *fd)
{
    SourceFile *f = ci->file;
    for (int i = 0; i < ci->nfields; i++)
        if (strcmp(ci->fields[i]->name, fd->name) == 0) {
            cc_error(cc, f, fd->pos, "%s '%s' is already defined",
                     ci->decl ? "field" : "constant", fd->name);
            if (ci->fields[i]->decl)
                cc_note(cc, f, ci->fields[i]->decl->pos, "the first definition is here");
            return;
        }
    Type *t;
    TScope sc = {ci->tparams, ci->ntparams, NULL};
    cc->tscope = &sc;
    if (fd->tref) {
        t = cc_resolve_type(cc, f, fd->tref);
        cc->tscope = NULL;
    } else {
        cc->tscope = NULL;
        t = infer_simple(cc, f, fd->init);
        bool constant = !ci->decl && f->module == ci;
        if (!t && constant) {
            int before = cc->nerrors;
            t = cc_infer_static_init(cc, ci, fd->init);
            if (cc->nerrors > before)
                t = &cc->t_error;
            else if (t->kind == TY_NULL || t->kind == TY_VOID)
                t = NULL;
        }
        if (!t) {
            cc_error(cc, f, fd->pos, "cannot infer the type of %s '%s'; declare its type",
                     ci->file && ci->file->module == ci && !ci->decl ? "constant" : "field",
                     fd->name);
            t = &cc->t_error;
        }
    }
    if (t->kind == TY_VOID) {
        cc_error(cc, f, fd->tref->pos, "a field cannot have type void");
        t = &cc->t_error;
    }
    FieldInfo *fi = cc_alloc(cc, sizeof *fi);
    fi->name = fd->name;
    fi->type = t;
    fi->owner = ci;
    fi->decl = fd;
    if (fd->mods & MOD_STATIC)
        fi->flags |= CF_ACC_STATIC;
    if (fd->mods & MOD_PRIVATE)
        fi->flags |= CF_ACC_PRIVATE;
    if (fd->is_let)
        fi->flags |= CF_ACC_FINAL;
    if (fd->mods & (MOD_ABSTRACT | MOD_OVERRIDE | MOD_FINAL))
        cc_error(cc, f, fd->pos, "invalid modifier on field '%s'", fd->name);
    if ((ci->flags & CF_ACC_INTERFACE) && !(fd->mods & MOD_STATIC))
        cc_error(cc, f, fd->pos, "an interface cannot have instance field '%s'", fd->name);
    fd->info = fi;
    CC_PUSH(cc, ci->fields, ci->nfields, ci->fields_cap, fi);
}

static void declare_method(Cc *cc, ClassInfo *ci, MethodDecl *md, bool top_level)
{
    SourceFile *f = ci->file;
    bool iface = (ci->flags & CF_ACC_INTERFACE) != 0;
    MethodInfo *mi = cc_alloc(cc, sizeof *mi);
    mi->name = md->name;
    mi->owner = ci;
    mi->decl = md;
    mi->nparams = md->nparams;
    mi->varargs = md->varargs;
    mi->params = cc_alloc(cc, sizeof(Type *) * (size_t)(md->nparams + 1));
    TScope csc = {ci->tparams, ci->ntparams, NULL};
    mi->tparams = make_tvars(cc, f, md->tparams, md->ntparams);
    mi->ntparams = md->ntparams;
    TScope msc = {mi->tparams, mi->ntparams, (md->mods & MOD_STATIC) ? NULL : &csc};
    cc->tscope = &msc;
    resolve_bounds(cc, f, md->tparams, mi->tparams, mi->ntparams);
    for (int i = 0; i < md->nparams; i++) {
        Type *t = cc_resolve_type(cc, f, md->params[i].tref);
        if (t->kind == TY_VOID) {
            cc_error(cc, f, md->params[i].tref->pos, "a parameter cannot have type void");
            t = &cc->t_error;
        }
        for (int k = 0; k < i; k++)
            if (strcmp(md->params[k].name, md->params[i].name) == 0)
                cc_error(cc, f, md->params[i].pos, "'%s' is already defined",
                         md->params[i].name);
        mi->params[i] = t;
    }
    mi->ret = md->ret ? cc_resolve_type(cc, f, md->ret) : &cc->t_void;
    cc->tscope = NULL;
    mi->desc = cc_method_desc(cc, mi->params, mi->nparams, mi->ret);
    mi->is_override = (md->mods & MOD_OVERRIDE) != 0;
    if (md->mods & MOD_STATIC)
        mi->flags |= CF_ACC_STATIC;
    if (md->mods & MOD_PRIVATE)
        mi->flags |= CF_ACC_PRIVATE;
    if (md->native_lib)
        mi->flags |= CF_ACC_NATIVE;
    bool abstract = (md->mods & MOD_ABSTRACT) || (iface && !md->body && !md->native_lib &&
                                                  !(md->mods & MOD_STATIC));
    if (abstract)
        mi->flags |= CF_ACC_ABSTRACT;
    const char *what = md->is_init ? "init" : md->name;
    if (md->mods & MOD_FINAL)
        cc_error(cc, f, md->pos, "modifier 'final' is not allowed on function '%s'", what);
    if (md->is_init && (md->mods & (MOD_STATIC | MOD_ABSTRACT | MOD_OVERRIDE)))
        cc_error(cc, f, md->pos, "invalid modifier on init");
    else if (md->is_init && iface)
        cc_error(cc, f, md->pos, "an interface cannot have an init");
    else if (abstract && md->body)
        cc_error(cc, f, md->pos, "abstract function '%s' cannot have a body", what);
    else if (abstract && !(ci->flags & CF_ACC_ABSTRACT))
        cc_error(cc, f, md->pos, "abstract function '%s' in non-abstract class '%s'", what,
                 ci->simple);
    else if (abstract && (md->mods & (MOD_STATIC | MOD_PRIVATE)))
        cc_error(cc, f, md->pos, "abstract function '%s' cannot be static or private", what);
    else if (md->native_lib && md->body)
        cc_error(cc, f, md->pos, "native function '%s' cannot have a body", what);
    else if (!abstract && !md->native_lib && !md->body)
        cc_error(cc, f, md->pos, "function '%s' needs a body", what);
    else if (top_level && (md->mods & (MOD_OVERRIDE | MOD_ABSTRACT)))
        cc_error(cc, f, md->pos, "invalid modifier on top-level function '%s'", what);
    for (int i = 0; i < ci->nmethods; i++) {
        MethodInfo *o = ci->methods[i];
        const char *ea = strchr(o->desc, ')'), *eb = strchr(mi->desc, ')');
        if (strcmp(o->name, mi->name) == 0 && ea - o->desc == eb - mi->desc &&
            memcmp(o->desc, mi->desc, (size_t)(ea - o->desc)) == 0) {
            if (md->is_init)
                cc_error(cc, f, md->pos, "init with the same parameters is already defined");
            else
                cc_error(cc, f, md->pos,
                         "function '%s' with the same parameters is already defined", what);
            if (o->decl)
                cc_note(cc, f, o->decl->pos, "the first definition is here");
            return;
        }
    }
    md->info = mi;
    CC_PUSH(cc, ci->methods, ci->nmethods, ci->methods_cap, mi);
}

/* Collects the proper supertypes of [ci] (each once). */
static void collect_supers(Cc *cc, ClassInfo *ci, ClassInfo ***out, int *n, int *cap, int depth)
{
    if (depth > 256 || !cc_class_ensure(cc, ci))
        return;
    ClassInfo *direct[65];
    int nd = 0;
    if (ci->super)
        direct[nd++] = ci->super;
    for (int i = 0; i < ci->nifaces && nd < 65; i++)
        direct[nd++] = ci->ifaces[i];
    for (int i = 0; i < nd; i++) {
        bool seen = false;
        for (int k = 0; k < *n; k++)
            if ((*out)[k] == direct[i])
                seen = true;
        if (seen)
            continue;
        CC_PUSH(cc, *out, *n, *cap, direct[i]);
        collect_supers(cc, direct[i], out, n, cap, depth + 1);
    }
}

/* Does [m] of [ci] override [o] once [o]'s owner's type variables are replaced
 * as [ci] sees them? */
static bool overrides_generic(Cc *cc, ClassInfo *ci, MethodInfo *m, MethodInfo *o)
{
    if (strcmp(o->name, m->name) != 0 || o->nparams != m->nparams ||
        strcmp(o->name, "<init>") == 0 || (o->flags & (CF_ACC_PRIVATE | CF_ACC_STATIC)))
        return false;
    Type *self = cc_param_type(cc, ci, ci->tparams, ci->ntparams);
    Binding b = {0};
    cc_bind_receiver(cc, &b, self, o->owner);
    for (int i = 0; i < m->nparams; i++) {
        Type *p = cc_subst(cc, o->params[i], &b);
        if (!cc_same_type(cc, p, m->params[i]) &&
            strcmp(cc_erasure(cc, p)->desc, m->params[i]->desc) != 0)
            return false;
    }
    return true;
}

static void add_bridge(Cc *cc, ClassInfo *ci, MethodInfo *m, MethodInfo *o)
{
    for (int i = 0; i < ci->nmethods; i++)
        if (strcmp(ci->methods[i]->name, o->name) == 0 &&
            strcmp(ci->methods[i]->desc, o->desc) == 0)
            return;
    MethodInfo *br = cc_alloc(cc, sizeof *br);
    br->name = o->name;
    br->owner = ci;
    br->nparams = o->nparams;
    br->params = cc_alloc(cc, sizeof(Type *) * (size_t)(o->nparams + 1));
    for (int i = 0; i < o->nparams; i++)
        br->params[i] = cc_erasure(cc, o->params[i]);
    br->ret = cc_erasure(cc, o->ret);
    br->desc = o->desc;
    br->bridge_to = m;
    CC_PUSH(cc, ci->methods, ci->nmethods, ci->methods_cap, br);
}

static void note_overridden(Cc *cc, MethodInfo *o)
{
    if (o->decl && o->owner->file)
        cc_note(cc, o->owner->file, o->decl->pos, "the overridden method is here");
}

static void check_overrides(Cc *cc, ClassInfo *ci)
{
    SourceFile *f = ci->file;
    ClassInfo **sups = NULL;
    int nsup = 0, scap = 0;
    collect_supers(cc, ci, &sups, &nsup, &scap, 0);
    int nm = ci->nmethods;
    for (int i = 0; i < nm; i++) {
        MethodInfo *m = ci->methods[i];
        MethodDecl *md = m->decl;
        if (!md || md->is_init)
            continue;
        MethodInfo *o = NULL;
        if (!(m->flags & CF_ACC_STATIC))
            o = cc_find_exact(cc, ci, m->name, m->desc, true);
        if (o && (o->flags & (CF_ACC_PRIVATE | CF_ACC_STATIC)))
            o = NULL;
        /* overridden methods whose erasure differs get bridges */
        for (int k = 0; k < nsup && !(m->flags & (CF_ACC_STATIC | CF_ACC_PRIVATE)); k++) {
            ClassInfo *s = sups[k];
            for (int j = 0; j < s->nmethods; j++) {
                MethodInfo *x = s->methods[j];
                if (!overrides_generic(cc, ci, m, x))
                    continue;
                if (!o)
                    o = x;
                if (strcmp(x->desc, m->desc) != 0)
                    add_bridge(cc, ci, m, x);
            }
        }
        if (!o) {
            if (m->is_override) {
                cc_error(cc, f, md->pos, "method '%s' is marked override but overrides nothing",
                         m->name);
                Cands c = {0};
                cc_cands_members(cc, &c, ci->super, true, false, 0);
                for (int k = 0; k < ci->nifaces; k++)
                    cc_cands_members(cc, &c, ci->ifaces[k], true, false, 0);
                const char *best = cc_cands_best(&c, m->name);
                if (best)
                    cc_help(cc, "did you mean to override '%s'?", best);
            }
            continue;
        }
        bool from_iface = (o->owner->flags & CF_ACC_INTERFACE) != 0;
        Type *self = cc_param_type(cc, ci, ci->tparams, ci->ntparams);
        Binding b = {0};
        cc_bind_receiver(cc, &b, self, o->owner);
        Type *oret = cc_subst(cc, o->ret, &b);
        if (!m->is_override && !from_iface) {
            cc_error(cc, f, md->pos, "method '%s' overrides a method of %s and must be marked "
                     "override", m->name, o->owner->simple);
            note_overridden(cc, o);
        } else if (oret != m->ret && !cc_same_type(cc, oret, m->ret) &&
                 !(cc_is_ref(oret) && cc_is_ref(m->ret) && cc_ref_assignable(cc, m->ret, oret))) {
            cc_error(cc, f, md->pos, "method '%s' must return %s like the method it overrides",
                     m->name, cc_type_name(cc, oret));
            note_overridden(cc, o);
        }
    }
}

/* A concrete class must implement every abstract method it inherits. */
static void check_abstract(Cc *cc, ClassInfo *ci)
{
    if (ci->flags & (CF_ACC_ABSTRACT | CF_ACC_INTERFACE | CF_ACC_MODULE) || !ci->decl)
        return;
    ClassInfo *chain[256];
    int n = 0;
    for (ClassInfo *s = ci; s && n < 256 && cc_class_ensure(cc, s); s = s->super)
        chain[n++] = s;
    for (int k = 0; k < n; k++) {
        ClassInfo *s = chain[k];
        /* abstract methods declared in s and in the interfaces s implements */
        ClassInfo *owners[65];
        int no = 0;
        owners[no++] = s;
        for (int j = 0; j < s->nifaces && no < 65; j++)
            owners[no++] = s->ifaces[j];
        for (int j = 0; j < no; j++) {
            ClassInfo *o = owners[j];
            if (!cc_class_ensure(cc, o))
                continue;
            for (int i = 0; i < o->nmethods; i++) {
                MethodInfo *m = o->methods[i];
                /* one declared in [ci] itself was reported where it is declared */
                if (!(m->flags & CF_ACC_ABSTRACT) || o == ci)
                    continue;
                MethodInfo **ms;
                int cnt = cc_find_methods(cc, ci, m->name, &ms);
                bool ok = false;
                for (int q = 0; q < cnt; q++)
                    if (strcmp(ms[q]->desc, m->desc) == 0 &&
                        !(ms[q]->flags & CF_ACC_ABSTRACT))
                        ok = true;
                if (!ok) {
                    cc_error(cc, ci->file, ci->decl->pos,
                             "class '%s' must implement abstract method '%s' of %s",
                             ci->simple, m->name, o->simple);
                    if (m->decl && o->file)
                        cc_note(cc, o->file, m->decl->pos, "'%s' is declared here", m->name);
                    return;
                }
            }
        }
    }
}

/* A top-level main is the entry point: it must have a signature the VM starts. */
static void check_main(Cc *cc, SourceFile *f, MethodDecl *md)
{
    MethodInfo *mi = md->info;
    if (strcmp(md->name, "main") != 0 || !mi)
        return;
    bool args_ok = mi->nparams == 0 ||
                   (mi->nparams == 1 && strcmp(mi->params[0]->desc, "[Lstd/core/String;") == 0);
    if (args_ok && mi->ret->kind == TY_VOID && mi->ntparams == 0 && !(mi->flags & CF_ACC_PRIVATE))
        return;
    if (!args_ok)
        cc_error(cc, f, md->nparams > 0 ? md->params[0].pos : md->pos,
                 "'main' must take no parameters or one 'String[]'");
    else if (mi->ret->kind != TY_VOID)
        cc_error(cc, f, md->ret->pos, "'main' cannot return a value");
    else
        cc_error(cc, f, md->pos, "'main' cannot be %s",
                 mi->ntparams ? "generic" : "private");
    cc_help(cc, "declare it as 'fun main()' or 'fun main(args: String[])'; "
            "exit with a status through System.exit(n)");
}

void cc_declare_all(Cc *cc)
{
    for (int i = 0; i < cc->nfiles; i++)
        declare_classes(cc, cc->files[i]);
    for (int i = 0; i < cc->nfiles; i++)
        declare_module(cc, cc->files[i]);
    for (int i = 0; i < cc->nsource; i++)
        resolve_header(cc, cc->source_classes[i]);
    for (int i = 0; i < cc->nsource; i++)
        if (cc->source_classes[i]->decl)
            check_cycles(cc, cc->source_classes[i]);
    for (int i = 0; i < cc->nsource; i++) {
        ClassInfo *ci = cc->source_classes[i];
        ClassDecl *d = ci->decl;
        for (int k = 0; d && k < d->nfields; k++)
            declare_field(cc, ci, d->fields[k]);
        for (int k = 0; d && k < d->nmethods; k++)
            declare_method(cc, ci, d->methods[k], false);
    }
    for (int i = 0; i < cc->nfiles; i++) {
        SourceFile *f = cc->files[i];
        for (int k = 0; f->module && k < f->nfuncs; k++)
            declare_method(cc, f->module, f->funcs[k], true);
        for (int k = 0; f->module && k < f->nfuncs; k++)
            check_main(cc, f, f->funcs[k]);
    }
    /* A class without any init gets init() (String is made only by the VM). */
    for (int i = 0; i < cc->nsource; i++) {
        ClassInfo *ci = cc->source_classes[i];
        if (!ci->decl || (ci->flags & CF_ACC_INTERFACE) ||
            strcmp(ci->name, "std/core/String") == 0)
            continue;
        bool has_init = false;
        for (int k = 0; k < ci->nmethods; k++)
            if (strcmp(ci->methods[k]->name, "<init>") == 0)
                has_init = true;
        if (has_init)
            continue;
        MethodInfo *mi = cc_alloc(cc, sizeof *mi);
        mi->name = "<init>";
        mi->owner = ci;
        mi->ret = &cc->t_void;
        mi->params = cc_alloc(cc, sizeof(Type *));
        mi->desc = "()V";
        CC_PUSH(cc, ci->methods, ci->nmethods, ci->methods_cap, mi);
    }
    /* Constants last: their initializers may call any function. */
    for (int i = 0; i < cc->nfiles; i++) {
        SourceFile *f = cc->files[i];
        for (int k = 0; f->module && k < f->nconsts; k++)
            declare_field(cc, f->module, f->consts[k]);
    }
    for (int i = 0; i < cc->nsource; i++)
        check_overrides(cc, cc->source_classes[i]);
    for (int i = 0; i < cc->nsource; i++)
        check_abstract(cc, cc->source_classes[i]);
}
