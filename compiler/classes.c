/* compiler/classes.c: class information loaded lazily from class files through the
 * CcClassPath: members, supertypes and generic signatures. */
#include <stdio.h>
#include <string.h>

#include "cc.h"

static void add_loaded_method(Cc *cc, ClassInfo *ci, const char *name, const char *desc,
                              uint16_t flags)
{
    MethodInfo *m = cc_alloc(cc, sizeof *m);
    m->name = cc_strdup(cc, name, strlen(name));
    m->desc = cc_strdup(cc, desc, strlen(desc));
    m->flags = flags;
    m->owner = ci;
    const char *p = desc + 1;
    Type **params = NULL;
    int cap = 0;
    while (*p && *p != ')') {
        Type *t = cc_type_from_desc(cc, &p);
        if (!t)
            return;
        CC_PUSH(cc, params, m->nparams, cap, t);
    }
    if (*p != ')')
        return;
    p++;
    m->ret = cc_type_from_desc(cc, &p);
    if (!m->ret)
        return;
    m->params = params;
    CC_PUSH(cc, ci->methods, ci->nmethods, ci->methods_cap, m);
}

/* The text of the Signature attribute among [attrs], or NULL. */
static const char *signature_of(const CfClass *c, const CfAttr *attrs, int n)
{
    for (int i = 0; i < n; i++) {
        const char *name = cf_utf8(c, attrs[i].name);
        if (name && strcmp(name, "Signature") == 0 && attrs[i].len == 2 && attrs[i].data)
            return cf_utf8(c, (uint16_t)(attrs[i].data[0] << 8 | attrs[i].data[1]));
    }
    return NULL;
}

/* Reads generic signatures back; a malformed one is ignored (erased types stay). */
static void apply_class_sig(Cc *cc, ClassInfo *ci, const char *sig)
{
    const char *p = sig;
    Type **vars;
    int n;
    if (!cc_parse_sig_tparams(cc, &p, &vars, &n, NULL))
        return;
    TScope sc = {vars, n, NULL};
    Type *sup = cc_parse_sig_type(cc, &p, &sc);
    if (!sup || sup->kind != TY_CLASS)
        return;
    Type **ifs = cc_alloc(cc, sizeof(Type *) * (size_t)(ci->nifaces + 1));
    for (int i = 0; i < ci->nifaces && *p; i++) {
        ifs[i] = cc_parse_sig_type(cc, &p, &sc);
        if (!ifs[i] || ifs[i]->kind != TY_CLASS || ifs[i]->cls != ci->ifaces[i])
            return;
    }
    ci->tparams = vars;
    ci->ntparams = n;
    if (ci->super && sup->cls == ci->super)
        ci->super_t = sup;
    ci->iface_t = ifs;
}

static void apply_method_sig(Cc *cc, ClassInfo *ci, MethodInfo *m, const char *sig)
{
    const char *p = sig;
    bool varargs = false;
    if (*p == '*') {
        varargs = true;
        p++;
    }
    Type **vars;
    int n;
    TScope outer = {ci->tparams, ci->ntparams, NULL};
    if (!cc_parse_sig_tparams(cc, &p, &vars, &n, &outer))
        return;
    TScope sc = {vars, n, &outer};
    if (*p++ != '(')
        return;
    Type **params = cc_alloc(cc, sizeof(Type *) * (size_t)(m->nparams + 1));
    for (int i = 0; i < m->nparams; i++)
        if (!(params[i] = cc_parse_sig_type(cc, &p, &sc)))
            return;
    if (*p++ != ')')
        return;
    Type *ret = cc_parse_sig_type(cc, &p, &sc);
    if (!ret || *p)
        return;
    m->params = params;
    m->ret = ret;
    m->tparams = vars;
    m->ntparams = n;
    m->varargs = varargs;
}

/* A class found by its header (NAMED) whose file then does not read: the program
 * has used it as found, so the compilation fails here, whatever diagnostics are
 * muted at the moment (code compiled only for its type). */
static void named_but_unreadable(Cc *cc, ClassInfo *ci, const char *why)
{
    cc->shown = false;
    cc->nerrors++;
    if (cc->nerrors <= cc->max_errors)
        fprintf(cc->diag, "error: cannot read class %s from the class path: %s\n", ci->name,
                why);
}

/* Fills [ci] from its class file. */
static void load_from_classpath(Cc *cc, ClassInfo *ci)
{
    bool named = ci->state == CS_NAMED;
    ci->state = CS_MISSING;
    if (!cc->cp || !cc->cp->find)
        return;
    size_t len = 0;
    const uint8_t *bytes = cc->cp->find(cc->cp->ud, ci->name, &len);
    if (!bytes) {
        if (named)
            named_but_unreadable(cc, ci, "no longer found");
        return;
    }
    CfError err;
    CfClass *c = cf_read(bytes, len, ci->name, &err);
    if (!c) {
        if (named)
            named_but_unreadable(cc, ci, err.msg);
        return;
    }
    const char *self = cf_this_name(c);
    if (!self || strcmp(self, ci->name) != 0) {
        if (named)
            named_but_unreadable(cc, ci, "the file declares another class");
        cf_class_free(c);
        return;
    }
    ci->state = CS_LOADED;
    ci->flags = c->flags;
    if (c->super_class) {
        const char *sn = cf_class_name(c, c->super_class);
        if (sn)
            ci->super = cc_class_ref(cc, sn);
    }
    int icap = 0;
    for (int i = 0; i < c->ninterfaces; i++) {
        const char *in = cf_class_name(c, c->interfaces[i]);
        if (in)
            CC_PUSH(cc, ci->ifaces, ci->nifaces, icap, cc_class_ref(cc, in));
    }
    const char *csig = signature_of(c, c->attrs, c->nattrs);
    if (csig)
        apply_class_sig(cc, ci, csig);
    for (int i = 0; i < c->nfields; i++) {
        const char *name = cf_utf8(c, c->fields[i].name);
        const char *desc = cf_utf8(c, c->fields[i].desc);
        if (!name || !desc)
            continue;
        const char *p = desc;
        Type *t = cc_type_from_desc(cc, &p);
        if (!t)
            continue;
        FieldInfo *fi = cc_alloc(cc, sizeof *fi);
        fi->name = cc_strdup(cc, name, strlen(name));
        const char *sig = signature_of(c, c->fields[i].attrs, c->fields[i].nattrs);
        if (sig) {
            TScope sc = {ci->tparams, ci->ntparams, NULL};
            const char *q = sig;
            Type *g = cc_parse_sig_type(cc, &q, &sc);
            if (g && !*q && strcmp(cc_erasure(cc, g)->desc, t->desc) == 0)
                t = g;
        }
        fi->type = t;
        fi->flags = c->fields[i].flags;
        fi->owner = ci;
        CC_PUSH(cc, ci->fields, ci->nfields, ci->fields_cap, fi);
    }
    for (int i = 0; i < c->nmethods; i++) {
        const char *name = cf_utf8(c, c->methods[i].name);
        const char *desc = cf_utf8(c, c->methods[i].desc);
        if (name && desc && desc[0] == '(') {
            int before = ci->nmethods;
            add_loaded_method(cc, ci, name, desc, c->methods[i].flags);
            const char *sig = signature_of(c, c->methods[i].attrs, c->methods[i].nattrs);
            if (sig && ci->nmethods > before)
                apply_method_sig(cc, ci, ci->methods[before], sig);
        }
    }
    ci->header_done = true;
    cf_class_free(c);
}

bool cc_class_ensure(Cc *cc, ClassInfo *ci)
{
    if (ci->state == CS_STUB || ci->state == CS_NAMED)
        load_from_classpath(cc, ci);
    return ci->state == CS_LOADED;
}

/* Makes a STUB [ci] NAMED when its file's header declares it, without reading the
 * rest; a header that does not parse is read whole, which decides (MISSING). */
static void name_from_classpath(Cc *cc, ClassInfo *ci)
{
    size_t len = 0;
    const uint8_t *bytes = cc->cp && cc->cp->find ? cc->cp->find(cc->cp->ud, ci->name, &len)
                                                  : NULL;
    uint16_t flags;
    if (!bytes) {
        ci->state = CS_MISSING;
    } else if (cf_peek_class(bytes, len, ci->name, &flags)) {
        ci->state = CS_NAMED;
        ci->flags = flags;
    } else {
        load_from_classpath(cc, ci);
    }
}

ClassInfo *cc_class_find(Cc *cc, const char *name)
{
    ClassInfo *c = cc_class_ref(cc, name);
    if (c->state == CS_STUB)
        name_from_classpath(cc, c);
    return c->state == CS_NAMED || c->state == CS_LOADED ? c : NULL;
}
